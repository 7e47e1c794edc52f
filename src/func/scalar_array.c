/*
 * scalar_array.c -- the array functions the series functions lean on:
 * array_slice, array_concat, array_sum, array_iff/array_iif,
 * array_index_of, array_sort_asc/desc, array_reverse, array_rotate_left/
 * right, array_shift_left/right, array_split, and range(). Each works on
 * dynamic arrays as Kusto's reference pages describe, elements kept as
 * they are (an array of strings stays one); anything that is not an array
 * where one is needed gives null.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "func/kernel.h"
#include "func/series_arg.h"
#include "util/mem.h"
#include "util/timefmt.h"

/* Kusto's limit on the length of an array range() and the series make. */
#define MAX_ELEMENTS ((int64_t)1 << 20)

static json_t *array_at(const AiqVector *v, uint32_t i)
{
    if (v->type != AIQ_TYPE_DYNAMIC || ISNULL(v, i))
        return NULL;
    json_t *d = DYN(v, i);
    return json_is_array(d) ? d : NULL;
}

/* A scalar argument as a dynamic element (a new reference): datetimes and
 * timespans as the text dynamic values hold them. */
static json_t *element_of(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i)
{
    if (ISNULL(v, i))
        return json_null();
    char buf[48];
    switch (v->type) {
    case AIQ_TYPE_BOOL: return json_boolean(I64(v, i));
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: return json_integer(I64(v, i));
    case AIQ_TYPE_REAL: return aiq_series_real(F64(v, i));
    case AIQ_TYPE_DATETIME: return json_stringn(buf, aiq_datetime_format_full(I64(v, i), buf));
    case AIQ_TYPE_TIMESPAN: return json_stringn(buf, aiq_timespan_format(I64(v, i), buf));
    case AIQ_TYPE_DYNAMIC: return json_incref(DYN(v, i));
    default: {
        AiqStr s = aiq_conv_string(ctx, v, i);
        return json_stringn(s.ptr, s.len);
    }
    }
}

/* [start, end] of a slice of len elements, negative indexes counting from
 * the end; *n = 0 when nothing is left. */
static size_t slice_start(int64_t start, int64_t end, int64_t len, size_t *n)
{
    if (start < 0)
        start += len;
    if (end < 0)
        end += len;
    if (start < 0)
        start = 0;
    if (end >= len)
        end = len - 1;
    *n = end >= start ? (size_t)(end - start + 1) : 0;
    return (size_t)start;
}

/* array_slice(arr, start, end): both ends included. */
KERNEL(k_array_slice)
{
    FOR_ROWS(i) {
        json_t *d = array_at(a[0], i);
        if (!d)
            continue;
        size_t cnt, s = slice_start(I64(a[1], i), I64(a[2], i), (int64_t)json_array_size(d), &cnt);
        json_t *r = json_array();
        for (size_t k = 0; k < cnt; k++)
            json_array_append(r, json_array_get(d, s + k));
        out->data.dyn[i] = aiq_eval_own(ctx, r);
    }
}

/* array_concat(arr, ...) */
KERNEL(k_array_concat)
{
    FOR_ROWS(i) {
        json_t *r = json_array();
        bool ok = true;
        for (int k = 0; k < e->nargs && ok; k++) {
            json_t *d = array_at(a[k], i);
            ok = d && json_array_extend(r, d) == 0;
        }
        if (ok)
            out->data.dyn[i] = aiq_eval_own(ctx, r);
        else
            json_decref(r);
    }
}

/* array_sum(arr): a real; null when an element is not a number. */
KERNEL(k_array_sum)
{
    FOR_ROWS(i) {
        json_t *d = array_at(a[0], i);
        double sum = 0;
        bool ok = d != NULL;
        for (size_t k = 0; ok && k < json_array_size(d); k++) {
            json_t *el = json_array_get(d, k);
            ok = json_is_number(el);
            sum += ok ? json_number_value(el) : 0;
        }
        if (ok && isfinite(sum))
            out->data.f64[i] = sum;
        else
            SETNULL(ctx, out, i);
    }
}

/* Element k of a branch of array_iff: an array's element (null past its
 * end), or the scalar itself. A new reference. */
static json_t *branch(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i, size_t k)
{
    json_t *d = array_at(v, i);
    if (d)
        return k < json_array_size(d) ? json_incref(json_array_get(d, k)) : json_null();
    if (v->type == AIQ_TYPE_DYNAMIC && !ISNULL(v, i) && json_is_array(DYN(v, i)))
        return json_null();
    return element_of(ctx, v, i);
}

/* array_iff(conditions, when_true, when_false): a number is true when not
 * 0; a condition that is neither a bool nor a number gives null. */
KERNEL(k_array_iff)
{
    FOR_ROWS(i) {
        json_t *c = array_at(a[0], i);
        if (!c)
            continue;
        json_t *r = json_array();
        for (size_t k = 0; k < json_array_size(c); k++) {
            json_t *ck = json_array_get(c, k);
            json_t *el;
            if (json_is_boolean(ck) || json_is_number(ck)) {
                bool t = json_is_boolean(ck) ? json_is_true(ck) : json_number_value(ck) != 0;
                el = branch(ctx, t ? a[1] : a[2], i, k);
            } else {
                el = json_null();
            }
            json_array_append_new(r, el);
        }
        out->data.dyn[i] = aiq_eval_own(ctx, r);
    }
}

/* Whether element el equals the looked-up value v: numbers by value,
 * anything else as the same JSON. */
static bool same_value(json_t *el, json_t *v)
{
    if (json_is_number(el) && json_is_number(v))
        return json_number_value(el) == json_number_value(v);
    return json_equal(el, v) != 0;
}

/* array_index_of(arr, value[, start[, length[, occurrence]]]) */
KERNEL(k_array_index_of)
{
    FOR_ROWS(i) {
        json_t *d = array_at(a[0], i);
        int64_t start = e->nargs > 2 && !ISNULL(a[2], i) ? I64(a[2], i) : 0;
        int64_t length = e->nargs > 3 && !ISNULL(a[3], i) ? I64(a[3], i) : -1;
        int64_t occurrence = e->nargs > 4 && !ISNULL(a[4], i) ? I64(a[4], i) : 1;
        if (!d || ISNULL(a[1], i) || length < -1 || occurrence < 0) {
            SETNULL(ctx, out, i);
            continue;
        }
        int64_t len = (int64_t)json_array_size(d), found = -1, seen = 0;
        if (start < 0)
            start = start + len < 0 ? 0 : start + len;
        int64_t end = length < 0 || length > len - start ? len : start + length;
        json_t *v = element_of(ctx, a[1], i);
        for (int64_t k = start; k < end && found < 0; k++)
            if (same_value(json_array_get(d, (size_t)k), v) && ++seen >= (occurrence ? occurrence : 1))
                found = k;
        json_decref(v);
        out->data.i64[i] = found;
    }
}

/* ---- sorting ------------------------------------------------------------------ */

/* The order of array_sort_asc over elements of mixed kinds: numbers, then
 * strings (datetimes and timespans are strings in dynamic values), then
 * the rest; nulls apart. */
static int kind_rank(json_t *j)
{
    return json_is_number(j) ? 0 : json_is_string(j) ? 1 : 2;
}

static int element_cmp(json_t *x, json_t *y)
{
    int rx = kind_rank(x), ry = kind_rank(y);
    if (rx != ry)
        return rx - ry;
    if (rx == 0) {
        double p = json_number_value(x), q = json_number_value(y);
        return (p > q) - (p < q);
    }
    if (rx == 1) {
        size_t lx = json_string_length(x), ly = json_string_length(y);
        int c = memcmp(json_string_value(x), json_string_value(y), lx < ly ? lx : ly);
        return c ? c : (lx > ly) - (lx < ly);
    }
    return 0;
}

typedef struct SortItem {
    json_t *el;
    size_t at; /* its position: ties keep their order */
} SortItem;

static int item_cmp(const void *pa, const void *pb, void *desc)
{
    const SortItem *x = pa, *y = pb;
    int c = element_cmp(x->el, y->el);
    if (*(const bool *)desc)
        c = -c;
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* array_sort_asc/desc(arr1[, arr2, ...][, nulls_last]): the first array
 * sorted, the others put in its new order (null when their length
 * differs). One array gives the sorted array; several give an array of
 * them, which extend and project spread into columns (func/series_tuple.c). */
KERNEL(k_array_sort)
{
    int narrays = e->nargs;
    bool has_flag = narrays > 1 && a[narrays - 1]->type == AIQ_TYPE_BOOL;
    narrays -= has_flag;
    for (int k = 1; k < narrays; k++)
        if (a[k]->type != AIQ_TYPE_DYNAMIC) {
            aiq_series_fail(ctx, e, "every argument but a last bool (nulls last) must be an array");
            return;
        }
    FOR_ROWS(i) {
        json_t *first = array_at(a[0], i);
        if (!first)
            continue;
        bool nulls_last = has_flag && !ISNULL(a[e->nargs - 1], i) ? I64(a[e->nargs - 1], i) != 0 : true;
        size_t len = json_array_size(first), nn = 0;
        SortItem *items = aiq_xmalloc(sizeof *items * (len + 1));
        size_t *order = aiq_xmalloc(sizeof *order * (len + 1));
        for (size_t k = 0; k < len; k++)
            if (!json_is_null(json_array_get(first, k)))
                items[nn++] = (SortItem){json_array_get(first, k), k};
        bool desc = e->fn->id == AIQ_FN_ARRAY_SORT_DESC;
        qsort_r(items, nn, sizeof *items, item_cmp, &desc);
        size_t o = 0;
        for (size_t k = 0; !nulls_last && k < len; k++)
            if (json_is_null(json_array_get(first, k)))
                order[o++] = k;
        for (size_t k = 0; k < nn; k++)
            order[o++] = items[k].at;
        for (size_t k = 0; nulls_last && k < len; k++)
            if (json_is_null(json_array_get(first, k)))
                order[o++] = k;
        json_t *all = json_array();
        for (int k = 0; k < narrays; k++) {
            json_t *d = array_at(a[k], i);
            if (!d || json_array_size(d) != len) {
                json_array_append_new(all, json_null());
                continue;
            }
            json_t *r = json_array();
            for (size_t m = 0; m < len; m++)
                json_array_append(r, json_array_get(d, order[m]));
            json_array_append_new(all, r);
        }
        aiq_xfree(items);
        aiq_xfree(order);
        if (narrays == 1) {
            json_t *only = json_incref(json_array_get(all, 0));
            json_decref(all);
            all = only;
        }
        out->data.dyn[i] = aiq_eval_own(ctx, all);
    }
}

/* ---- reordering --------------------------------------------------------------- */

/* The element array_shift_* puts in a vacated place: the default given,
 * else "" for an array of strings and null otherwise. */
static json_t *shift_fill(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, uint32_t i, json_t *d)
{
    if (e->nargs > 2)
        return element_of(ctx, a[2], i);
    bool strings = json_array_size(d) > 0;
    for (size_t k = 0; k < json_array_size(d) && strings; k++)
        strings = json_is_string(json_array_get(d, k));
    return strings ? json_string("") : json_null();
}

/* array_reverse(arr), array_rotate_left/right(arr, n), array_shift_left/
 * right(arr, n[, default]): element k of the result is element src(k). */
KERNEL(k_array_reorder)
{
    AiqFuncId id = e->fn->id;
    FOR_ROWS(i) {
        json_t *d = array_at(a[0], i);
        if (!d || (e->nargs > 1 && ISNULL(a[1], i)))
            continue;
        int64_t len = (int64_t)json_array_size(d);
        int64_t by = e->nargs > 1 ? I64(a[1], i) : 0;
        if (id == AIQ_FN_ARRAY_ROTATE_RIGHT || id == AIQ_FN_ARRAY_SHIFT_RIGHT)
            by = by == INT64_MIN ? INT64_MAX : -by; /* right by k is left by -k */
        json_t *fill = id == AIQ_FN_ARRAY_SHIFT_LEFT || id == AIQ_FN_ARRAY_SHIFT_RIGHT ? shift_fill(ctx, e, a, i, d) : NULL;
        json_t *r = json_array();
        for (int64_t k = 0; k < len; k++) {
            int64_t src;
            if (id == AIQ_FN_ARRAY_REVERSE) {
                src = len - 1 - k;
            } else if (fill) {
                src = by > len || by < -len ? -1 : k + by;
                src = src >= 0 && src < len ? src : -1;
            } else {
                int64_t m = by % len;
                src = (k + m + len) % len;
            }
            json_array_append(r, src >= 0 ? json_array_get(d, (size_t)src) : fill);
        }
        json_decref(fill);
        out->data.dyn[i] = aiq_eval_own(ctx, r);
    }
}

/* array_split(arr, index or [indexes]): the pieces [0, i1), [i1, i2), ...,
 * [iN, len), negative indexes counting from the end. */
KERNEL(k_array_split)
{
    FOR_ROWS(i) {
        json_t *d = array_at(a[0], i);
        if (!d)
            continue;
        int64_t len = (int64_t)json_array_size(d);
        json_t *idx = a[1]->type == AIQ_TYPE_DYNAMIC ? DYN(a[1], i) : NULL;
        size_t nidx = idx && json_is_array(idx) ? json_array_size(idx) : 1;
        json_t *r = json_array();
        int64_t from = 0;
        bool ok = true;
        for (size_t k = 0; k <= nidx && ok; k++) {
            int64_t to = len;
            if (k < nidx) {
                json_t *j = idx ? (json_is_array(idx) ? json_array_get(idx, k) : idx) : NULL;
                ok = j ? json_is_integer(j) : !ISNULL(a[1], i) && a[1]->type != AIQ_TYPE_REAL && a[1]->type != AIQ_TYPE_STRING;
                to = j ? json_integer_value(j) : ok ? I64(a[1], i) : 0;
                to = to < 0 ? to + len : to;
                to = to < from ? from : to > len ? len : to;
            }
            json_t *piece = json_array();
            for (int64_t m = from; m < to; m++)
                json_array_append(piece, json_array_get(d, (size_t)m));
            json_array_append_new(r, piece);
            from = to;
        }
        if (ok)
            out->data.dyn[i] = aiq_eval_own(ctx, r);
        else
            json_decref(r);
    }
}

/* ---- range() ------------------------------------------------------------------ */

/* range(start, stop[, step]): start, start + step, ... while not past stop
 * (the step's direction decides which way that is), at most 2^20 values.
 * The step defaults to 1, or 1h for datetimes and timespans. Integers
 * stay integers; a real anywhere makes reals. */
KERNEL(k_range)
{
    AiqType t0 = a[0]->type;
    bool time = t0 == AIQ_TYPE_DATETIME || t0 == AIQ_TYPE_TIMESPAN;
    bool reals = !time && (t0 == AIQ_TYPE_REAL || a[1]->type == AIQ_TYPE_REAL || (e->nargs > 2 && a[2]->type == AIQ_TYPE_REAL));
    if (time && (a[1]->type != t0 || (e->nargs > 2 && a[2]->type != AIQ_TYPE_TIMESPAN))) {
        aiq_series_fail(ctx, e, "a range of datetimes or timespans needs a stop of the same type and a timespan step");
        return;
    }
    if (!time && (!aiq_type_is_numeric(a[1]->type) || (e->nargs > 2 && !aiq_type_is_numeric(a[2]->type)))) {
        aiq_series_fail(ctx, e, "a range of numbers needs a number stop and step");
        return;
    }
    char buf[48];
    FOR_ROWS(i) {
        json_t *r = json_array();
        if (reals) {
            double start = F64(a[0], i), stop = F64(a[1], i), step = e->nargs > 2 ? F64(a[2], i) : 1;
            double cnt = step != 0 && isfinite(step) ? floor((stop - start) / step) + 1 : 0;
            if (!(step != 0) || !isfinite(cnt)) {
                json_decref(r);
                SETNULL(ctx, out, i);
                continue;
            }
            for (int64_t k = 0; k < cnt && k < MAX_ELEMENTS; k++)
                json_array_append_new(r, aiq_series_real(start + (double)k * step));
        } else {
            int64_t start = I64(a[0], i), stop = I64(a[1], i);
            int64_t step = e->nargs > 2 ? I64(a[2], i) : time ? AIQ_TICKS_PER_HOUR : 1;
            if (step == 0) {
                json_decref(r);
                SETNULL(ctx, out, i);
                continue;
            }
            /* the count in unsigned arithmetic: stop - start may not fit a long */
            uint64_t span = step > 0 ? (uint64_t)stop - (uint64_t)start : (uint64_t)start - (uint64_t)stop;
            bool empty = step > 0 ? stop < start : stop > start;
            uint64_t ustep = step > 0 ? (uint64_t)step : 0 - (uint64_t)step;
            uint64_t cnt = empty ? 0 : span / ustep + 1;
            for (uint64_t k = 0; k < cnt && k < (uint64_t)MAX_ELEMENTS; k++) {
                int64_t v = (int64_t)((uint64_t)start + k * (uint64_t)step);
                json_t *el = t0 == AIQ_TYPE_DATETIME   ? json_stringn(buf, aiq_datetime_format_full(v, buf))
                             : t0 == AIQ_TYPE_TIMESPAN ? json_stringn(buf, aiq_timespan_format(v, buf))
                                                       : json_integer(v);
                json_array_append_new(r, el);
            }
        }
        out->data.dyn[i] = aiq_eval_own(ctx, r);
    }
}
