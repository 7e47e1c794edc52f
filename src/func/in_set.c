/*
 * in_set.c -- `in` over a set of values (see in_set.h). Each value is
 * written as a short key of its kind and bytes, the same for every type
 * that compares equal: a number whose value is whole is the 'I' key of that
 * integer whether it came as a long, an int, a real or a JSON number, so a
 * hash of keys answers `x in (...)` in one lookup per row.
 */
#include "func/in_set.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/json_text.h"
#include "core/keymap.h"
#include "util/mem.h"
#include "util/strbuf.h"

struct AiqInSet {
    AiqKeyMap map;
    bool ci;
    bool has_null;
};

static void put_i64(AiqStrBuf *k, char tag, int64_t v)
{
    aiq_sb_putc(k, tag);
    aiq_sb_append(k, (const char *)&v, sizeof v);
}

/* A number as its key: whole values as integers, so that 1, 1.0 and
 * long(1) are one key; others by their bits (-0 is 0; NaN equals nothing,
 * as its key is never added twice the same: see number_key's caller). */
static void number_key(AiqStrBuf *k, double d)
{
    if (d == 0)
        d = 0; /* -0 */
    if (isfinite(d) && d == floor(d) && d >= -9.2e18 && d <= 9.2e18) {
        put_i64(k, 'I', (int64_t)d);
        return;
    }
    aiq_sb_putc(k, 'D');
    aiq_sb_append(k, (const char *)&d, sizeof d);
}

static void text_key(AiqStrBuf *k, const char *p, size_t n, bool ci)
{
    aiq_sb_putc(k, 'S');
    size_t at = k->len;
    aiq_sb_append(k, p, n);
    if (ci)
        for (size_t i = at; i < k->len; i++)
            k->data[i] = (char)tolower((unsigned char)k->data[i]);
}

/* The key of a JSON value: scalars as the typed values they hold, arrays
 * and bags by their compact text. False for null. */
static bool json_key(AiqStrBuf *k, json_t *j, bool ci)
{
    if (aiq_dyn_is_text(j)) { /* an object the reader kept as its text */
        char *text = aiq_dyn_dumps(j, JSON_SORT_KEYS);
        aiq_sb_putc(k, 'J');
        aiq_sb_puts(k, text ? text : "");
        aiq_xfree(text);
        return true;
    }
    switch (json_typeof(j)) {
    case JSON_STRING: text_key(k, json_string_value(j), json_string_length(j), ci); return true;
    case JSON_INTEGER: put_i64(k, 'I', (int64_t)json_integer_value(j)); return true;
    case JSON_REAL: number_key(k, json_real_value(j)); return true;
    case JSON_TRUE:
    case JSON_FALSE: put_i64(k, 'B', json_is_true(j)); return true;
    case JSON_NULL: return false;
    default: {
        char *text = aiq_json_dumps(j, JSON_SORT_KEYS);
        aiq_sb_putc(k, 'J');
        aiq_sb_puts(k, text ? text : "");
        aiq_xfree(text);
        return true;
    }
    }
}

/* The key of row i of v, appended to k; false when it is null. */
static bool value_key(AiqStrBuf *k, const AiqVector *v, uint32_t i, bool ci)
{
    if (aiq_vec_is_null(v, i))
        return false;
    uint32_t j = aiq_vidx(v, i);
    switch (v->type) {
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: put_i64(k, 'I', v->data.i64[j]); return true;
    case AIQ_TYPE_REAL: number_key(k, v->data.f64[j]); return true;
    case AIQ_TYPE_BOOL: put_i64(k, 'B', v->data.i64[j] != 0); return true;
    case AIQ_TYPE_DATETIME: put_i64(k, 'T', v->data.i64[j]); return true;
    case AIQ_TYPE_TIMESPAN: put_i64(k, 'P', v->data.i64[j]); return true;
    case AIQ_TYPE_STRING: text_key(k, v->data.str[j].ptr, v->data.str[j].len, ci); return true;
    case AIQ_TYPE_DYNAMIC: return json_key(k, v->data.dyn[j], ci);
    default: return false;
    }
}

AiqInSet *aiq_in_set_new(bool ci)
{
    AiqInSet *s = aiq_xcalloc(1, sizeof *s);
    aiq_keymap_init(&s->map);
    s->ci = ci;
    return s;
}

void aiq_in_set_free(AiqInSet *s)
{
    if (!s)
        return;
    aiq_keymap_free(&s->map);
    aiq_xfree(s);
}

void aiq_in_set_add(AiqInSet *s, const AiqVector *v, uint32_t i)
{
    AiqStrBuf k;
    aiq_sb_init(&k);
    bool added;
    if (value_key(&k, v, i, s->ci))
        aiq_keymap_get(&s->map, aiq_sb_str(&k), (uint32_t)k.len, &added);
    else
        s->has_null = true;
    aiq_sb_free(&k);
}

bool aiq_in_set_has(const AiqInSet *s, const AiqVector *v, uint32_t i)
{
    AiqStrBuf k;
    aiq_sb_init(&k);
    bool found = value_key(&k, v, i, s->ci) && aiq_keymap_find(&s->map, aiq_sb_str(&k), (uint32_t)k.len) >= 0;
    aiq_sb_free(&k);
    return found;
}

bool aiq_in_set_has_null(const AiqInSet *s) { return s->has_null; }
int64_t aiq_in_set_count(const AiqInSet *s) { return s->map.n; }

bool aiq_in_dynamic(const AiqVector *x, uint32_t i, const AiqVector *d, uint32_t j, bool ci, bool *null_seen)
{
    json_t *arr = d->data.dyn[aiq_vidx(d, j)];
    if (!arr)
        return false;
    AiqStrBuf want, el;
    aiq_sb_init(&want);
    aiq_sb_init(&el);
    bool found = false;
    if (value_key(&want, x, i, ci)) {
        size_t n = json_is_array(arr) ? json_array_size(arr) : 1;
        for (size_t k = 0; k < n && !found; k++) {
            json_t *item = json_is_array(arr) ? json_array_get(arr, k) : arr;
            aiq_sb_clear(&el);
            if (!json_key(&el, item, ci))
                *null_seen = true;
            else
                found = el.len == want.len && memcmp(aiq_sb_str(&el), aiq_sb_str(&want), el.len) == 0;
        }
    }
    aiq_sb_free(&want);
    aiq_sb_free(&el);
    return found;
}
