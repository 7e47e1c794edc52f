/*
 * agg_more.c -- the aggregates of issue 14 that keep state of their own
 * (see agg_state.h): weighted percentiles (percentilew, percentilesw and
 * their _array forms), covariance and covariancep, binary_all_and/or/xor,
 * buildschema, hll and hll_merge, tdigest and tdigest_merge. Their *if
 * forms are the same kinds with a predicate. The values of hll() and
 * tdigest() are exact (func/sketch.h).
 */
#include "exec/agg_state.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "func/kernel.h"
#include "func/sketch.h"
#include "util/mem.h"

struct AggMore {
    int64_t *n;      /* rows taken: covariance, binary_all_* */
    double *mx, *my; /* covariance: the running means */
    double *cxy;     /* covariance: the co-moment, sum of (x - mean x)(y - mean y) */
    int64_t *bits;   /* binary_all_* */
    AiqWList *wl;    /* percentilew, tdigest, tdigest_merge: the weighted values */
    json_t **json;   /* buildschema: the schema so far; hll, hll_merge: the distinct hashes */
};

bool aiq_agg_more_kind(AiqAggKind k)
{
    switch (k) {
    case AIQ_AGG_PERCENTILEW:
    case AIQ_AGG_COVARIANCE:
    case AIQ_AGG_COVARIANCEP:
    case AIQ_AGG_BINARY_ALL_AND:
    case AIQ_AGG_BINARY_ALL_OR:
    case AIQ_AGG_BINARY_ALL_XOR:
    case AIQ_AGG_BUILDSCHEMA:
    case AIQ_AGG_HLL:
    case AIQ_AGG_HLL_MERGE:
    case AIQ_AGG_TDIGEST:
    case AIQ_AGG_TDIGEST_MERGE: return true;
    default: return false;
    }
}

#define GROW(field, oldcap, cap)                                                            \
    do {                                                                                    \
        m->field = aiq_xrealloc(m->field, sizeof *m->field * (size_t)(cap));                \
        memset(m->field + (oldcap), 0, sizeof *m->field * (size_t)((cap) - (oldcap)));      \
    } while (0)

void aiq_agg_more_grow(AggState *s, int64_t oldcap, int64_t cap)
{
    if (!s->more)
        s->more = aiq_xcalloc(1, sizeof *s->more);
    struct AggMore *m = s->more;
    switch (s->a->kind) {
    case AIQ_AGG_COVARIANCE:
    case AIQ_AGG_COVARIANCEP:
        GROW(n, oldcap, cap);
        GROW(mx, oldcap, cap);
        GROW(my, oldcap, cap);
        GROW(cxy, oldcap, cap);
        break;
    case AIQ_AGG_BINARY_ALL_AND:
    case AIQ_AGG_BINARY_ALL_OR:
    case AIQ_AGG_BINARY_ALL_XOR:
        GROW(n, oldcap, cap);
        GROW(bits, oldcap, cap);
        if (s->a->kind == AIQ_AGG_BINARY_ALL_AND)
            for (int64_t g = oldcap; g < cap; g++)
                m->bits[g] = -1; /* every bit set: the identity of AND */
        break;
    case AIQ_AGG_PERCENTILEW:
    case AIQ_AGG_TDIGEST:
    case AIQ_AGG_TDIGEST_MERGE: GROW(wl, oldcap, cap); break;
    default: GROW(json, oldcap, cap); break; /* buildschema, hll, hll_merge */
    }
}
#undef GROW

void aiq_agg_more_free(AggState *s)
{
    struct AggMore *m = s->more;
    if (!m)
        return;
    for (int64_t g = 0; g < s->cap; g++) {
        if (m->wl)
            aiq_wlist_free(&m->wl[g]);
        if (m->json)
            json_decref(m->json[g]);
    }
    aiq_xfree(m->n);
    aiq_xfree(m->mx);
    aiq_xfree(m->my);
    aiq_xfree(m->cxy);
    aiq_xfree(m->bits);
    aiq_xfree(m->wl);
    aiq_xfree(m->json);
    aiq_xfree(m);
    s->more = NULL;
}

/* ---- buildschema ----------------------------------------------------------------- */

/* A schema is a list of alternatives, each a type name ("long", "double",
 * "string", "bool", ...), an object of the properties' schemas, or the
 * object {"`indexer`": schema} of an array's elements (the buildschema
 * page's example). */
#define INDEXER "`indexer`"

static json_t *schema_of(json_t *v, json_t *alts);

/* The alternative of alts that is a container of the kind of v (an array
 * or an object), made when there is none. */
static json_t *container_alt(json_t *alts, bool array)
{
    json_t *alt;
    size_t k;
    json_array_foreach(alts, k, alt) {
        if (json_is_object(alt) && (json_object_get(alt, INDEXER) != NULL) == array)
            return alt;
    }
    alt = json_object();
    if (array)
        json_object_set_new(alt, INDEXER, json_array());
    json_array_append_new(alts, alt);
    return alt;
}

/* Adds value v to the alternatives alts (an array); returns alts. */
static json_t *schema_of(json_t *v, json_t *alts)
{
    const char *t;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        json_t *obj = container_alt(alts, false), *x;
        const char *key;
        json_object_foreach(v, key, x) {
            json_t *sub = json_object_get(obj, key);
            if (!sub) {
                sub = json_array();
                json_object_set_new(obj, key, sub);
            }
            schema_of(x, sub);
        }
        return alts;
    }
    case JSON_ARRAY: {
        json_t *items = json_object_get(container_alt(alts, true), INDEXER), *x;
        size_t k;
        json_array_foreach(v, k, x) schema_of(x, items);
        return alts;
    }
    case JSON_STRING: t = "string"; break;
    case JSON_INTEGER: t = "long"; break;
    case JSON_REAL: t = "double"; break;
    case JSON_TRUE:
    case JSON_FALSE: t = "bool"; break;
    default: return alts; /* a null admits any schema */
    }
    json_t *alt;
    size_t k;
    json_array_foreach(alts, k, alt) if (json_is_string(alt) && strcmp(json_string_value(alt), t) == 0) return alts;
    json_array_append_new(alts, json_string(t));
    return alts;
}

/* The schema's final form: one alternative as itself, several as an
 * array, containers with their properties' schemas in final form. */
static json_t *schema_final(json_t *alts)
{
    json_t *out = json_array(), *alt;
    size_t k;
    json_array_foreach(alts, k, alt) {
        if (!json_is_object(alt)) {
            json_array_append(out, alt);
            continue;
        }
        json_t *obj = json_object(), *sub;
        const char *key;
        json_object_foreach(alt, key, sub) json_object_set_new(obj, key, schema_final(sub));
        json_array_append_new(out, obj);
    }
    if (json_array_size(out) == 1) {
        json_t *one = json_incref(json_array_get(out, 0));
        json_decref(out);
        return one;
    }
    return out;
}

/* ---- updates --------------------------------------------------------------------- */

static bool taken(const AiqVector *arg, const AiqVector *pred, uint32_t i)
{
    if (pred && (aiq_vec_is_null(pred, i) || !pred->data.i64[aiq_vidx(pred, i)]))
        return false;
    return !arg || !aiq_vec_is_null(arg, i);
}

/* The weight of row i: the second argument (whole numbers; a real is
 * rounded), 1 without one; 0 (the row is skipped) for null or <= 0. */
static int64_t weight_of(const AiqVector *w, uint32_t i)
{
    if (!w)
        return 1;
    if (aiq_vec_is_null(w, i))
        return 0;
    int64_t x = w->type == AIQ_TYPE_REAL ? llround(w->data.f64[aiq_vidx(w, i)]) : w->data.i64[aiq_vidx(w, i)];
    return x > 0 ? x : 0;
}

/* Adds a new hash of group g to its list (each (group, hash) once). */
static void add_hash(AggState *s, int64_t g, uint64_t h, AiqStrBuf *key)
{
    struct AggMore *m = s->more;
    aiq_sb_clear(key);
    aiq_sb_append(key, (const char *)&g, sizeof g);
    aiq_sb_append(key, (const char *)&h, sizeof h);
    bool added;
    aiq_keymap_get(&s->distinct, key->data, (uint32_t)key->len, &added);
    if (!added)
        return;
    if (!m->json[g])
        m->json[g] = json_array();
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)(int64_t)h);
    json_array_append_new(m->json[g], json_string(text));
}

void aiq_agg_more_update(AggState *s, const AiqChunk *c, const int64_t *gids, AiqVector *arg, AiqVector *arg2,
                         AiqVector *pred, AiqStrBuf *key)
{
    struct AggMore *m = s->more;
    AiqAggKind kind = s->a->kind;
    for (uint32_t k = 0; k < c->count; k++) {
        uint32_t i = aiq_row(c, k);
        int64_t g = gids[k];
        if (!taken(arg, pred, i) || (arg2 && aiq_vec_is_null(arg2, i) && kind != AIQ_AGG_TDIGEST && kind != AIQ_AGG_PERCENTILEW))
            continue;
        uint32_t x = aiq_vidx(arg, i);
        switch (kind) {
        case AIQ_AGG_PERCENTILEW:
        case AIQ_AGG_TDIGEST: {
            int64_t w = weight_of(arg2, i);
            if (w == 0)
                break;
            m->wl[g].type = arg->type == AIQ_TYPE_INT ? AIQ_TYPE_LONG : arg->type;
            if (arg->type == AIQ_TYPE_REAL)
                aiq_wlist_push(&m->wl[g], 0, arg->data.f64[x], w);
            else
                aiq_wlist_push(&m->wl[g], arg->data.i64[x], 0, w);
            break;
        }
        case AIQ_AGG_TDIGEST_MERGE: aiq_tdigest_read(arg->data.dyn[x], &m->wl[g]); break;
        case AIQ_AGG_COVARIANCE:
        case AIQ_AGG_COVARIANCEP: {
            /* Welford's update of the co-moment, stable for large means */
            double vx = arg->type == AIQ_TYPE_REAL ? arg->data.f64[x] : (double)arg->data.i64[x];
            double vy = arg2->type == AIQ_TYPE_REAL ? arg2->data.f64[aiq_vidx(arg2, i)] : (double)arg2->data.i64[aiq_vidx(arg2, i)];
            int64_t n = ++m->n[g];
            double dx = vx - m->mx[g];
            m->mx[g] += dx / (double)n;
            m->my[g] += (vy - m->my[g]) / (double)n;
            m->cxy[g] += dx * (vy - m->my[g]);
            break;
        }
        case AIQ_AGG_BINARY_ALL_AND: m->bits[g] &= arg->data.i64[x], m->n[g]++; break;
        case AIQ_AGG_BINARY_ALL_OR: m->bits[g] |= arg->data.i64[x], m->n[g]++; break;
        case AIQ_AGG_BINARY_ALL_XOR: m->bits[g] ^= arg->data.i64[x], m->n[g]++; break;
        case AIQ_AGG_BUILDSCHEMA:
            if (!m->json[g])
                m->json[g] = json_array();
            schema_of(arg->data.dyn[x], m->json[g]);
            break;
        case AIQ_AGG_HLL: add_hash(s, g, aiq_hash_value(arg, i), key); break;
        case AIQ_AGG_HLL_MERGE: {
            json_t *hashes = aiq_hll_hashes(arg->data.dyn[x]), *h;
            size_t j;
            json_array_foreach(hashes, j, h) if (json_is_string(h))
                add_hash(s, g, (uint64_t)strtoll(json_string_value(h), NULL, 10), key);
            break;
        }
        default: break;
        }
    }
}

/* ---- results --------------------------------------------------------------------- */

/* Writes a JSON result (taking its reference) into column col of row g. */
static void set_json(AiqTable *out, int col, int64_t g, json_t *j, AiqArena *scratch)
{
    AiqValue v = {.type = AIQ_TYPE_DYNAMIC, .dyn = j, .isnull = j == NULL};
    aiq_table_set_value(out, col, g, &v);
    json_decref(j);
}

/* The weighted percentiles of group g: one column each, or one array. */
static void finish_percentilew(AggState *s, int64_t g, AiqTable *out, AiqArena *scratch)
{
    const AiqAgg *a = s->a;
    AiqWList *l = &s->more->wl[g];
    aiq_wlist_sort(l);
    if (a->pct_array) {
        json_t *arr = json_array();
        for (int p = 0; p < a->npcts && l->n; p++)
            json_array_append_new(arr, aiq_wlist_value_json(l, aiq_wlist_percentile(l, a->pcts[p])));
        set_json(out, a->out_col, g, arr, scratch);
        return;
    }
    for (int p = 0; p < a->npcts; p++) {
        int64_t k = aiq_wlist_percentile(l, a->pcts[p]);
        AiqValue v = {.type = out->cols[a->out_col + p].type, .isnull = k < 0};
        if (k >= 0) {
            v.i64 = l->items[k].i;
            v.f64 = l->type == AIQ_TYPE_REAL ? l->items[k].f : (double)l->items[k].i;
        }
        aiq_table_set_value(out, a->out_col + p, g, &v);
    }
}

void aiq_agg_more_finish(AggState *s, int64_t g, AiqTable *out, AiqArena *scratch)
{
    struct AggMore *m = s->more;
    const AiqAgg *a = s->a;
    AiqValue v = {.type = s->out_type};
    switch (a->kind) {
    case AIQ_AGG_PERCENTILEW: finish_percentilew(s, g, out, scratch); return;
    /* a sketch of no values is null, the default of summarize's page for
     * every aggregate but the counts, sums, variances and make_* */
    case AIQ_AGG_TDIGEST:
    case AIQ_AGG_TDIGEST_MERGE:
        aiq_wlist_sort(&m->wl[g]);
        set_json(out, a->out_col, g, m->wl[g].n ? aiq_tdigest_json(&m->wl[g]) : NULL, scratch);
        return;
    case AIQ_AGG_BUILDSCHEMA: set_json(out, a->out_col, g, m->json[g] ? schema_final(m->json[g]) : NULL, scratch); return;
    case AIQ_AGG_HLL:
    case AIQ_AGG_HLL_MERGE:
        set_json(out, a->out_col, g, m->json[g] ? aiq_hll_json(json_incref(m->json[g])) : NULL, scratch);
        return;
    case AIQ_AGG_COVARIANCE:
        /* 0 for fewer than two rows, as for variance() */
        v.f64 = m->n[g] > 1 ? m->cxy[g] / (double)(m->n[g] - 1) : 0;
        break;
    case AIQ_AGG_COVARIANCEP: v.f64 = m->n[g] > 0 ? m->cxy[g] / (double)m->n[g] : 0; break;
    default: /* binary_all_*: null over no rows */
        v.isnull = m->n[g] == 0;
        v.i64 = m->bits[g];
        break;
    }
    aiq_table_set_value(out, a->out_col, g, &v);
}
