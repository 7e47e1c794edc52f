/*
 * scalar_bag.c -- kernels that build and take apart dynamic values:
 * property bags (bag_pack and its older names, pack_all, bag_has_key,
 * bag_merge, bag_remove_keys, bag_set_key, bag_zip), arrays (pack_array,
 * repeat, zip), sets over arrays (set_union, set_intersect,
 * set_difference, set_has_element, jaccard_index), and what a dynamic
 * value is (gettype, dynamic_to_json, treepath, estimate_data_size).
 * A value put into a bag or an array keeps its type when JSON has one
 * (numbers, bools) and is its text otherwise (datetimes, timespans), as
 * the pack_array page shows. Nothing here changes an argument: a bag is
 * copied before a key is set or removed.
 */
#include "core/json_text.h"
#include "core/keymap.h"
#include "func/jsonpath.h"
#include "func/kernel.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Row i of v as a JSON value for a bag or an array: JSON null for null. */
static json_t *element(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i)
{
    json_t *j = aiq_value_json(ctx, v, i);
    return j ? j : json_null();
}

/* ---- bags ----------------------------------------------------------------------- */

/* bag_pack(key1, value1, ...) (pack, pack_dictionary), and pack_all(flag,
 * key1, value1, ...) as the binder writes pack_all() and
 * bag_pack_columns(): a later key replaces an earlier one's value; with
 * pack_all(true), a null or empty value leaves its key out. */
KERNEL(k_bag_pack)
{
    bool all = e->fn->id == AIQ_FN_PACK_ALL;
    int first = all ? 1 : 0;
    FOR_ROWS(i) {
        bool skip_empty = all && !ISNULL(a[0], i) && I64(a[0], i);
        json_t *bag = json_object();
        for (int k = first; k + 1 < e->nargs; k += 2) {
            const AiqVector *v = a[k + 1];
            if (skip_empty && (ISNULL(v, i) || (v->type == AIQ_TYPE_STRING && STR(v, i).len == 0) ||
                               (v->type == AIQ_TYPE_DYNAMIC && json_is_string(DYN(v, i)) &&
                                json_string_length(DYN(v, i)) == 0)))
                continue;
            AiqStr key = aiq_conv_string(ctx, a[k], i);
            json_object_setn_new(bag, key.ptr, key.len, element(ctx, v, i));
        }
        out->data.dyn[i] = aiq_eval_own(ctx, bag);
    }
}

/* bag_has_key(bag, key): whether the key (a name, or a JSONPath of names)
 * leads to a value; false for what is not a bag. */
KERNEL(k_bag_has_key)
{
    AiqJsonStep steps[AIQ_JSONPATH_MAX_STEPS];
    FOR_ROWS(i) {
        json_t *bag = DYN(a[0], i);
        int nsteps = aiq_jsonpath_parse(STR(a[1], i), true, steps);
        out->data.i64[i] = json_is_object(bag) && nsteps > 0 && aiq_jsonpath_get(bag, steps, nsteps) != NULL;
    }
}

/* bag_merge(bag1, bag2, ...): every property of the bags; where several
 * bags have a key, the leftmost one's value. What is not a bag adds
 * nothing. */
KERNEL(k_bag_merge)
{
    FOR_ROWS(i) {
        json_t *bag = json_object();
        for (int k = 0; k < e->nargs; k++) {
            json_t *src = DYN(a[k], i), *v;
            const char *key;
            size_t klen;
            if (!json_is_object(src))
                continue;
            json_object_keylen_foreach(src, key, klen, v) {
                if (!json_object_getn(bag, key, klen))
                    json_object_setn(bag, key, klen, v);
            }
        }
        out->data.dyn[i] = aiq_eval_own(ctx, bag);
    }
}

/* The object the path's steps before the last lead to inside root, made
 * on the way when create (bag_set_key's second example); NULL when a step
 * is an array index or meets something that is not a bag. */
static json_t *parent_of(json_t *root, const AiqJsonStep *steps, int n, bool create)
{
    json_t *v = root;
    for (int k = 0; k < n - 1 && v; k++) {
        if (steps[k].index >= 0)
            return NULL;
        json_t *next = json_object_getn(v, steps[k].key.ptr, steps[k].key.len);
        if (!next && create) {
            next = json_object();
            json_object_setn_new(v, steps[k].key.ptr, steps[k].key.len, next);
        }
        v = json_is_object(next) ? next : NULL;
    }
    return n > 0 && steps[n - 1].index < 0 ? v : NULL;
}

/* bag_remove_keys(bag, keys): the bag without the keys (names or JSONPaths
 * of names); null when it is not a bag. */
KERNEL(k_bag_remove_keys)
{
    AiqJsonStep steps[AIQ_JSONPATH_MAX_STEPS];
    FOR_ROWS(i) {
        json_t *bag = DYN(a[0], i), *keys = DYN(a[1], i), *key;
        if (!json_is_object(bag))
            continue;
        json_t *copy = aiq_eval_own(ctx, json_deep_copy(bag));
        size_t k;
        json_array_foreach(keys, k, key) {
            if (!json_is_string(key))
                continue;
            int nsteps = aiq_jsonpath_parse((AiqStr){json_string_value(key), (uint32_t)json_string_length(key)}, true, steps);
            json_t *parent = nsteps > 0 ? parent_of(copy, steps, nsteps, false) : NULL;
            if (parent)
                json_object_deln(parent, steps[nsteps - 1].key.ptr, steps[nsteps - 1].key.len);
        }
        out->data.dyn[i] = copy;
    }
}

/* bag_set_key(bag, key, value): a copy of the bag with the key (a name or
 * a JSONPath of names, its missing bags made) set to the value; null when
 * the input is not a bag or the path cannot be set. */
KERNEL(k_bag_set_key)
{
    AiqJsonStep steps[AIQ_JSONPATH_MAX_STEPS];
    FOR_ROWS(i) {
        json_t *bag = DYN(a[0], i);
        int nsteps = aiq_jsonpath_parse(STR(a[1], i), true, steps);
        if (!json_is_object(bag) || nsteps <= 0)
            continue;
        json_t *copy = json_deep_copy(bag), *parent = parent_of(copy, steps, nsteps, true);
        if (!parent) {
            json_decref(copy);
            continue;
        }
        json_object_setn_new(parent, steps[nsteps - 1].key.ptr, steps[nsteps - 1].key.len, element(ctx, a[2], i));
        out->data.dyn[i] = aiq_eval_own(ctx, copy);
    }
}

/* bag_zip(keys, values): key k gets value k (null past the values' end, or
 * when values is not an array); keys that are not strings are left out;
 * null when keys is not an array (the page's examples). */
KERNEL(k_bag_zip)
{
    FOR_ROWS(i) {
        json_t *keys = DYN(a[0], i), *vals = DYN(a[1], i), *key;
        if (!json_is_array(keys))
            continue;
        json_t *bag = json_object();
        size_t k;
        json_array_foreach(keys, k, key) {
            json_t *v = json_is_array(vals) ? json_array_get(vals, k) : NULL;
            if (json_is_string(key))
                json_object_setn(bag, json_string_value(key), json_string_length(key), v ? v : json_null());
        }
        out->data.dyn[i] = aiq_eval_own(ctx, bag);
    }
}

/* ---- arrays --------------------------------------------------------------------- */

/* pack_array(v1, v2, ...): the values as an array, nulls included. */
KERNEL(k_pack_array)
{
    FOR_ROWS(i) {
        json_t *arr = json_array();
        for (int k = 0; k < e->nargs; k++)
            json_array_append_new(arr, element(ctx, a[k], i));
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

/* Kusto's limit on one value (64 MB) as a number of array elements: an
 * element takes at least a pointer. */
#define MAX_ARRAY_ELEMENTS (AIQ_MAX_STRING_BYTES / sizeof(void *))

/* repeat(value, count): count copies of the value; [] for 0, null for a
 * negative or null count (the page). */
KERNEL(k_repeat)
{
    FOR_ROWS(i) {
        if (ISNULL(a[1], i) || I64(a[1], i) < 0)
            continue;
        int64_t count = I64(a[1], i);
        if ((uint64_t)count > MAX_ARRAY_ELEMENTS) {
            aiq_error_set(ctx->err, AIQ_ERR_LIMIT, e->off, e->len,
                          "repeat(): %lld elements are past the limit of %zu on one array (64 MiB)", (long long)count,
                          (size_t)MAX_ARRAY_ELEMENTS);
            return;
        }
        json_t *v = element(ctx, a[0], i), *arr = json_array();
        for (int64_t k = 0; k < count; k++)
            json_array_append(arr, v);
        json_decref(v);
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

/* zip(a1, a2, ...): element k is the array of the inputs' elements k, null
 * where an input is shorter; as long as the longest input. */
KERNEL(k_zip)
{
    FOR_ROWS(i) {
        size_t len = 0;
        bool arrays = true;
        for (int k = 0; k < e->nargs; k++) {
            json_t *d = DYN(a[k], i);
            arrays &= json_is_array(d);
            if (json_array_size(d) > len)
                len = json_array_size(d);
        }
        if (!arrays)
            continue;
        json_t *arr = json_array();
        for (size_t x = 0; x < len; x++) {
            json_t *tuple = json_array();
            for (int k = 0; k < e->nargs; k++) {
                json_t *el = json_array_get(DYN(a[k], i), x);
                json_array_append(tuple, el ? el : json_null());
            }
            json_array_append_new(arr, tuple);
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

/* ---- sets over arrays ----------------------------------------------------------- */

/* The distinct values of arrays, by their encoded bytes (keymap.h: equal
 * JSON values are one value). */
typedef struct ValueSet {
    AiqKeyMap map;
    AiqStrBuf key;
} ValueSet;

static void set_init(ValueSet *s)
{
    aiq_keymap_init(&s->map);
    aiq_sb_init(&s->key);
}

static void set_clear(ValueSet *s)
{
    aiq_keymap_free(&s->map);
    aiq_keymap_init(&s->map);
}

static void set_free(ValueSet *s)
{
    aiq_keymap_free(&s->map);
    aiq_sb_free(&s->key);
}

static const char *set_key(ValueSet *s, json_t *el, uint32_t *len)
{
    AiqVector v = {.type = AIQ_TYPE_DYNAMIC, .is_const = true, .data.dyn = &el};
    aiq_sb_clear(&s->key);
    aiq_key_append(&s->key, &v, 0);
    *len = (uint32_t)s->key.len;
    return s->key.data;
}

/* Adds el; returns whether it was new. */
static bool set_add(ValueSet *s, json_t *el)
{
    uint32_t len;
    const char *k = set_key(s, el, &len);
    bool added;
    aiq_keymap_get(&s->map, k, len, &added);
    return added;
}

static bool set_has(ValueSet *s, json_t *el)
{
    uint32_t len;
    const char *k = set_key(s, el, &len);
    return aiq_keymap_find(&s->map, k, len) >= 0;
}

/* The number of distinct values of arr. */
static int64_t distinct_count(ValueSet *s, json_t *arr)
{
    json_t *el;
    size_t k;
    int64_t n = 0;
    set_clear(s);
    json_array_foreach(arr, k, el) n += set_add(s, el);
    return n;
}

/* Whether el is in every array of a[1..) (for intersect) or in none of
 * them (for difference); the arrays are scanned each time, as they are
 * usually short. */
static bool in_all_or_none(AiqVector **a, int nargs, uint32_t i, json_t *el, bool all)
{
    for (int k = 1; k < nargs; k++) {
        json_t *other = DYN(a[k], i), *x;
        size_t j;
        bool found = false;
        json_array_foreach(other, j, x) if (json_equal(x, el)) {
            found = true;
            break;
        }
        if (found != all)
            return false;
    }
    return true;
}

/* set_union, set_intersect, set_difference: the distinct values, in the
 * order they first come; null when an argument is not an array. */
KERNEL(k_set_op)
{
    AiqFuncId id = e->fn->id;
    ValueSet seen;
    set_init(&seen);
    FOR_ROWS(i) {
        bool arrays = true;
        for (int k = 0; k < e->nargs; k++)
            arrays &= json_is_array(DYN(a[k], i));
        if (!arrays)
            continue;
        set_clear(&seen);
        json_t *arr = json_array(), *el;
        size_t j;
        for (int k = 0; k < (id == AIQ_FN_SET_UNION ? e->nargs : 1); k++)
            json_array_foreach(DYN(a[k], i), j, el) {
                if (id != AIQ_FN_SET_UNION && !in_all_or_none(a, e->nargs, i, el, id == AIQ_FN_SET_INTERSECT))
                    continue;
                if (set_add(&seen, el))
                    json_array_append(arr, el);
            }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
    set_free(&seen);
}

/* set_has_element(array, value): whether the array holds the value. */
KERNEL(k_set_has_element)
{
    FOR_ROWS(i) {
        json_t *arr = DYN(a[0], i), *want = aiq_eval_own(ctx, element(ctx, a[1], i)), *el;
        size_t j;
        bool found = false;
        json_array_foreach(arr, j, el) if (json_equal(el, want)) {
            found = true;
            break;
        }
        out->data.i64[i] = found;
    }
}

/* jaccard_index(a, b): |a ∩ b| / |a ∪ b| of the distinct values, a real
 * in a dynamic value (the type Kusto's analyzer gives the call); null when
 * either is not an array, or both are empty. */
KERNEL(k_jaccard_index)
{
    ValueSet s;
    set_init(&s);
    FOR_ROWS(i) {
        json_t *x = DYN(a[0], i), *y = DYN(a[1], i), *el;
        if (!json_is_array(x) || !json_is_array(y))
            continue;
        int64_t nx = distinct_count(&s, x), common = 0, ny = 0;
        ValueSet sy;
        set_init(&sy);
        size_t j;
        json_array_foreach(y, j, el) {
            if (!set_add(&sy, el))
                continue;
            ny++;
            common += set_has(&s, el);
        }
        set_free(&sy);
        int64_t uni = nx + ny - common;
        if (uni > 0)
            out->data.dyn[i] = aiq_eval_own(ctx, json_real((double)common / (double)uni));
    }
    set_free(&s);
}

/* ---- what a value is ------------------------------------------------------------ */

/* gettype(value): the type of the value as it is held: a dynamic value's
 * own kind (int for a JSON integer that fits 32 bits, long past that,
 * real, bool, string, array, dictionary, null), else the column's type
 * (a guid is held as a string, a decimal as a real). */
KERNEL(k_gettype)
{
    FOR_ROWS(i) {
        const char *t;
        if (a[0]->type != AIQ_TYPE_DYNAMIC) {
            t = aiq_type_name(a[0]->type);
        } else {
            json_t *d = DYN(a[0], i);
            switch (json_typeof(d ? d : json_null())) {
            case JSON_OBJECT: t = "dictionary"; break;
            case JSON_ARRAY: t = "array"; break;
            case JSON_STRING: t = "string"; break;
            case JSON_INTEGER: t = json_integer_value(d) == (int32_t)json_integer_value(d) ? "int" : "long"; break;
            case JSON_REAL: t = "real"; break;
            case JSON_TRUE:
            case JSON_FALSE: t = "bool"; break;
            default: t = "null"; break;
            }
        }
        out->data.str[i] = (AiqStr){t, (uint32_t)strlen(t)};
    }
}

/* dynamic_to_json(value): JSON text with the properties of every bag
 * sorted by name, so equal values give equal text; a value that is not
 * dynamic is its tostring() text. */
KERNEL(k_dynamic_to_json)
{
    FOR_ROWS(i) {
        if (a[0]->type != AIQ_TYPE_DYNAMIC) {
            out->data.str[i] = aiq_conv_string(ctx, a[0], i);
            continue;
        }
        char *s = aiq_dyn_dumps(DYN(a[0], i), JSON_SORT_KEYS);
        out->data.str[i] = aiq_eval_str(ctx, s ? s : "", s ? strlen(s) : 0);
        aiq_xfree(s);
    }
}

/* The paths treepath() lists, each once, in the order first met. */
typedef struct Paths {
    json_t *out;
    ValueSet seen;
} Paths;

static void add_path(Paths *p, const AiqStrBuf *path)
{
    json_t *s = json_stringn(aiq_sb_str(path), path->len);
    if (set_add(&p->seen, s))
        json_array_append(p->out, s);
    json_decref(s);
}

/* Lists the paths below v, which path leads to: ['name'] for a property,
 * [0] for the elements of an array (one path for all of them). */
static void walk_paths(Paths *p, json_t *v, AiqStrBuf *path, int depth)
{
    size_t at = path->len;
    if (depth > 1000)
        return; /* deeper than any JSON the reader takes */
    if (json_is_object(v)) {
        const char *key;
        size_t klen;
        json_t *x;
        json_object_keylen_foreach(v, key, klen, x) {
            aiq_sb_puts(path, "['");
            aiq_sb_append(path, key, klen);
            aiq_sb_puts(path, "']");
            add_path(p, path);
            walk_paths(p, x, path, depth + 1);
            path->len = at;
        }
    } else if (json_is_array(v) && json_array_size(v) > 0) {
        aiq_sb_puts(path, "[0]");
        add_path(p, path);
        size_t k;
        json_t *x;
        json_array_foreach(v, k, x) walk_paths(p, x, path, depth + 1);
        path->len = at;
    }
}

/* treepath(value): the paths to every property and array of a dynamic
 * value (the page's examples). */
KERNEL(k_treepath)
{
    AiqStrBuf path;
    aiq_sb_init(&path);
    FOR_ROWS(i) {
        Paths p;
        p.out = json_array();
        set_init(&p.seen);
        aiq_sb_clear(&path);
        walk_paths(&p, DYN(a[0], i), &path, 0);
        set_free(&p.seen);
        out->data.dyn[i] = aiq_eval_own(ctx, p.out);
    }
    aiq_sb_free(&path);
}

/* estimate_data_size(columns...): the bytes the values take: 8 for a long,
 * real, datetime or timespan, 4 for an int, 1 for a bool, a string's
 * UTF-8 length, a dynamic value's JSON text (the page: (8 + 10) x 10 for a
 * long and a 10-character string over 10 rows); nothing for a null. */
KERNEL(k_estimate_data_size)
{
    FOR_ROWS(i) {
        int64_t total = 0;
        for (int k = 0; k < e->nargs; k++) {
            const AiqVector *v = a[k];
            if (v->type == AIQ_TYPE_STRING) {
                total += STR(v, i).len;
            } else if (v->type == AIQ_TYPE_DYNAMIC) {
                char *s = DYN(v, i) ? aiq_dyn_dumps(DYN(v, i), 0) : NULL;
                total += s ? (int64_t)strlen(s) : 0;
                aiq_xfree(s);
            } else if (!ISNULL(v, i)) {
                total += v->type == AIQ_TYPE_BOOL ? 1 : v->type == AIQ_TYPE_INT ? 4 : 8;
            }
        }
        out->data.i64[i] = total;
    }
}
