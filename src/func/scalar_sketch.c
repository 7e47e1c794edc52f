/*
 * scalar_sketch.c -- the values of hll() and tdigest() (func/sketch.h:
 * exact data in the shape Kusto gives its estimates) and the scalar
 * functions over them: dcount_hll, hll_merge, merge_tdigest,
 * percentile_tdigest, percentiles_array_tdigest, rank_tdigest,
 * percentrank_tdigest.
 */
#include <stdlib.h>

#include "core/keymap.h"
#include "func/kernel.h"
#include "func/sketch.h"
#include "util/mem.h"
#include "util/timefmt.h"
#include "util/sort.h"

/* ---- weighted lists and tdigest values ------------------------------------------ */

void aiq_wlist_push(AiqWList *l, int64_t i, double f, int64_t w)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = aiq_xrealloc(l->items, sizeof *l->items * (size_t)l->cap);
    }
    l->items[l->n++] = (AiqWeighted){i, f, w};
}

void aiq_wlist_free(AiqWList *l)
{
    aiq_xfree(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int order_i(const void *x, const void *y)
{
    int64_t a = ((const AiqWeighted *)x)->i, b = ((const AiqWeighted *)y)->i;
    return (a > b) - (a < b);
}

static int order_f(const void *x, const void *y)
{
    double a = ((const AiqWeighted *)x)->f, b = ((const AiqWeighted *)y)->f;
    return (a > b) - (a < b);
}

void aiq_wlist_sort(AiqWList *l)
{
    if (l->n == 0) /* items may be NULL, which qsort must not get */
        return;
    bool real = l->type == AIQ_TYPE_REAL;
    aiq_sort(l->items, (size_t)l->n, sizeof *l->items, real ? order_f : order_i);
    int64_t m = 0;
    for (int64_t k = 0; k < l->n; k++) {
        bool same = m > 0 && (real ? l->items[m - 1].f == l->items[k].f : l->items[m - 1].i == l->items[k].i);
        if (same)
            l->items[m - 1].w += l->items[k].w;
        else
            l->items[m++] = l->items[k];
    }
    l->n = m;
}

int64_t aiq_wlist_percentile(const AiqWList *l, double pct)
{
    int64_t total = 0;
    for (int64_t k = 0; k < l->n; k++)
        total += l->items[k].w;
    if (total <= 0)
        return -1;
    /* as nearest_rank in exec/agg_state.c: a whole number plus rounding
     * error is taken as that whole number */
    double x = pct * (double)total / 100.0;
    int64_t rank = (int64_t)ceil(x - 1e-12 * x);
    if (rank < 1)
        rank = 1;
    int64_t cum = 0;
    for (int64_t k = 0; k < l->n; k++) {
        cum += l->items[k].w;
        if (cum >= rank)
            return k;
    }
    return l->n - 1;
}

json_t *aiq_wlist_value_json(const AiqWList *l, int64_t k)
{
    char buf[64];
    switch (l->type) {
    case AIQ_TYPE_REAL: return json_real(l->items[k].f);
    case AIQ_TYPE_DATETIME: return json_stringn(buf, aiq_datetime_format_full(l->items[k].i, buf));
    case AIQ_TYPE_TIMESPAN: return json_stringn(buf, aiq_timespan_format(l->items[k].i, buf));
    default: return json_integer(l->items[k].i);
    }
}

json_t *aiq_tdigest_json(const AiqWList *l)
{
    json_t *head = json_pack("[i]", 7), *vals = json_array(), *weights = json_array();
    if (l->type == AIQ_TYPE_DATETIME || l->type == AIQ_TYPE_TIMESPAN)
        json_array_append_new(head, json_string(aiq_type_name(l->type)));
    for (int64_t k = 0; k < l->n; k++) {
        /* datetimes and timespans as their ticks: the head says which */
        json_array_append_new(vals, l->type == AIQ_TYPE_REAL ? json_real(l->items[k].f) : json_integer(l->items[k].i));
        json_array_append_new(weights, json_integer(l->items[k].w));
    }
    return json_pack("[ooo]", head, vals, weights);
}

bool aiq_tdigest_read(json_t *d, AiqWList *l)
{
    json_t *head = json_array_get(d, 0), *vals = json_array_get(d, 1), *weights = json_array_get(d, 2), *v;
    if (!json_is_array(head) || !json_is_array(vals) || !json_is_array(weights) ||
        json_array_size(vals) != json_array_size(weights))
        return false;
    const char *tname = json_string_value(json_array_get(head, 1));
    AiqType t = tname ? aiq_type_from_name(tname, (int)strlen(tname)) : AIQ_TYPE_LONG;
    size_t k;
    json_array_foreach(vals, k, v) if (json_is_real(v)) t = AIQ_TYPE_REAL;
    if (l->n == 0)
        l->type = t;
    json_array_foreach(vals, k, v) {
        json_t *w = json_array_get(weights, k);
        if (!json_is_number(v) || !json_is_integer(w))
            return false;
        aiq_wlist_push(l, json_is_integer(v) ? json_integer_value(v) : (int64_t)json_number_value(v), json_number_value(v),
                       json_integer_value(w));
    }
    return true;
}

/* ---- hll values ------------------------------------------------------------------- */

json_t *aiq_hll_json(json_t *hashes)
{
    return json_pack("[[ii]o[]]", 1024, 14, hashes);
}

json_t *aiq_hll_hashes(json_t *d)
{
    json_t *h = json_array_get(d, 1);
    return json_is_array(h) ? h : NULL;
}

/* The distinct hash strings of the hll() values v1, v2, ... (a new array),
 * or NULL when one is not an hll() value. */
static json_t *merge_hashes(AiqVector **a, int nargs, uint32_t i)
{
    AiqKeyMap seen;
    aiq_keymap_init(&seen);
    json_t *out = json_array();
    for (int k = 0; k < nargs; k++) {
        json_t *hashes = aiq_hll_hashes(DYN(a[k], i)), *h;
        size_t j;
        if (!hashes) {
            json_decref(out);
            out = NULL;
            break;
        }
        json_array_foreach(hashes, j, h) {
            bool added;
            if (!json_is_string(h))
                continue;
            aiq_keymap_get(&seen, json_string_value(h), (uint32_t)json_string_length(h), &added);
            if (added)
                json_array_append(out, h);
        }
    }
    aiq_keymap_free(&seen);
    return out;
}

/* dcount_hll(hll): the number of distinct values it holds. */
KERNEL(k_dcount_hll)
{
    FOR_ROWS(i) {
        json_t *hashes = merge_hashes(&a[0], 1, i);
        if (!hashes) {
            SETNULL(ctx, out, i);
            continue;
        }
        out->data.i64[i] = (int64_t)json_array_size(hashes);
        json_decref(hashes);
    }
}

/* hll_merge(hll1, hll2, ...): one hll() value of all their values. */
KERNEL(k_hll_merge)
{
    FOR_ROWS(i) {
        json_t *hashes = merge_hashes(a, e->nargs, i);
        if (hashes)
            out->data.dyn[i] = aiq_eval_own(ctx, aiq_hll_json(hashes));
    }
}

/* ---- tdigest values ----------------------------------------------------------------- */

/* Reads the tdigest() values of row i of a[first..last) into l, sorted;
 * false when one is not a tdigest() value. */
static bool read_digests(AiqVector **a, int first, int last, uint32_t i, AiqWList *l)
{
    for (int k = first; k < last; k++)
        if (!aiq_tdigest_read(DYN(a[k], i), l))
            return false;
    aiq_wlist_sort(l);
    return true;
}

/* merge_tdigest(t1, t2, ...): one tdigest() value of all their values. */
KERNEL(k_merge_tdigest)
{
    FOR_ROWS(i) {
        AiqWList l = {0};
        if (read_digests(a, 0, e->nargs, i, &l))
            out->data.dyn[i] = aiq_eval_own(ctx, aiq_tdigest_json(&l));
        aiq_wlist_free(&l);
    }
}

/* percentile_tdigest(t, pct): the value at the percentile, as dynamic (the
 * binder converts it for typeof(T)); percentiles_array_tdigest(t, p1,
 * ...) or (t, dynamic([p1, ...])): an array of them. */
KERNEL(k_percentile_tdigest)
{
    bool array = e->fn->id != AIQ_FN_PERCENTILE_TDIGEST;
    FOR_ROWS(i) {
        AiqWList l = {0};
        if (!read_digests(a, 0, 1, i, &l) || l.n == 0) {
            aiq_wlist_free(&l);
            continue;
        }
        if (!array) {
            out->data.dyn[i] = aiq_eval_own(ctx, aiq_wlist_value_json(&l, aiq_wlist_percentile(&l, F64(a[1], i))));
            aiq_wlist_free(&l);
            continue;
        }
        json_t *arr = json_array();
        for (int k = 1; k < e->nargs; k++) {
            if (a[k]->type != AIQ_TYPE_DYNAMIC) {
                json_array_append_new(arr, aiq_wlist_value_json(&l, aiq_wlist_percentile(&l, F64(a[k], i))));
                continue;
            }
            json_t *ps = DYN(a[k], i), *p;
            size_t j;
            json_array_foreach(ps, j, p) if (json_is_number(p))
                json_array_append_new(arr, aiq_wlist_value_json(&l, aiq_wlist_percentile(&l, json_number_value(p))));
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
        aiq_wlist_free(&l);
    }
}

/* rank_tdigest(t, v): the total weight of the values up to v;
 * percentrank_tdigest(t, v): that as a percentage of the total. */
KERNEL(k_rank_tdigest)
{
    bool percent = e->fn->id == AIQ_FN_PERCENTRANK_TDIGEST;
    FOR_ROWS(i) {
        AiqWList l = {0};
        if (!read_digests(a, 0, 1, i, &l) || l.n == 0) {
            aiq_wlist_free(&l);
            SETNULL(ctx, out, i);
            continue;
        }
        double v = F64(a[1], i);
        int64_t below = 0, total = 0;
        for (int64_t k = 0; k < l.n; k++) {
            double x = l.type == AIQ_TYPE_REAL ? l.items[k].f : (double)l.items[k].i;
            if (a[1]->type != AIQ_TYPE_REAL && l.type != AIQ_TYPE_REAL)
                below += l.items[k].i <= I64(a[1], i) ? l.items[k].w : 0;
            else
                below += x <= v ? l.items[k].w : 0;
            total += l.items[k].w;
        }
        out->data.f64[i] = percent ? 100.0 * (double)below / (double)total : (double)below;
        aiq_wlist_free(&l);
    }
}
