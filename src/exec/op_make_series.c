/*
 * op_make_series.c -- the last step of make-series (see AiqSeriesSpec in
 * plan/plan.h and bind/series.c): its input holds one row per combination
 * of `by` keys and axis bin, with the aggregates computed; this step lays
 * the bins out on the axis and makes one row per combination of keys, with
 * each aggregate and the axis as dynamic arrays. A bin without rows holds
 * the aggregate's default (0 unless `default =` says otherwise).
 *
 * The axis runs from the start (`from`, else the first bin with data) in
 * steps up to `to` (excluded), else through the last bin with data; the
 * old form `in range(start, stop, step)` runs from bin(start, step) through
 * bin(stop, step). A range of more than 2^20 bins is an error, as Kusto
 * limits a series to that many values.
 */
#include "exec/op.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/keymap.h"
#include "util/mem.h"
#include "util/timefmt.h"

#define MAX_BINS ((int64_t)1 << 20)

/* Where the bins lie: integers (datetime and timespan ticks, longs with a
 * whole step) or reals. */
typedef struct Axis {
    bool ints;
    int64_t istart, istep;
    double fstart, fstep;
    int64_t count;
} Axis;

/* A constant expression's value: row 0 of its vector over a row of no
 * columns. NULL with ex->err set when it fails. */
static AiqVector *constant(AiqOp *op, const AiqExpr *e)
{
    static uint32_t zero = 0;
    AiqChunk one = {.count = 1, .nrows = 1, .sel = &zero};
    return aiq_eval(&op->ev, e, &one);
}

static bool const_i64(AiqOp *op, const AiqExpr *e, int64_t *out, bool *null)
{
    AiqVector *v = constant(op, e);
    if (!v)
        return false;
    *null = aiq_vec_is_null(v, 0);
    *out = *null ? 0 : v->type == AIQ_TYPE_REAL ? (int64_t)v->data.f64[aiq_vidx(v, 0)] : v->data.i64[aiq_vidx(v, 0)];
    return true;
}

static bool const_f64(AiqOp *op, const AiqExpr *e, double *out, bool *null)
{
    AiqVector *v = constant(op, e);
    if (!v)
        return false;
    *null = aiq_vec_is_null(v, 0);
    *out = *null ? 0 : v->type == AIQ_TYPE_REAL ? v->data.f64[aiq_vidx(v, 0)] : (double)v->data.i64[aiq_vidx(v, 0)];
    return true;
}

static bool range_error(AiqOp *op, const AiqExpr *at, const char *msg)
{
    return aiq_error_set(op->ex->err, AIQ_ERR_RUNTIME, at ? at->off : -1, at && at->len ? at->len : 1, "make-series: %s", msg);
}

/* floor(x / s) * s, as bin() gives it. */
static int64_t ibin(int64_t x, int64_t s)
{
    int64_t r = x % s;
    return x - (r < 0 ? r + s : r);
}

/* The bins of the axis, from the spec's range and the binned values of
 * the input (column axis_col of t) where the range leaves them open. */
static bool axis_from_range(AiqOp *op, const AiqTable *t, int axis_col, Axis *ax)
{
    const AiqSeriesSpec *sp = op->p->series;
    bool null = false, from_null = false, to_null = false;
    ax->ints = t->schema.cols[axis_col].type != AIQ_TYPE_REAL;
    int64_t ifrom = 0, ito = 0;
    double ffrom = 0, fto = 0;
    if (ax->ints) {
        if (!const_i64(op, sp->step, &ax->istep, &null))
            return false;
        if (null || ax->istep <= 0)
            return range_error(op, sp->step, "the step must be more than zero");
        if (sp->from && !const_i64(op, sp->from, &ifrom, &from_null))
            return false;
        if (sp->to && !const_i64(op, sp->to, &ito, &to_null))
            return false;
    } else {
        if (!const_f64(op, sp->step, &ax->fstep, &null))
            return false;
        if (null || !(ax->fstep > 0) || !isfinite(ax->fstep))
            return range_error(op, sp->step, "the step must be more than zero");
        if (sp->from && !const_f64(op, sp->from, &ffrom, &from_null))
            return false;
        if (sp->to && !const_f64(op, sp->to, &fto, &to_null))
            return false;
    }
    if (from_null || to_null)
        return range_error(op, from_null ? sp->from : sp->to, "the range's bounds must not be null");
    /* the extent of the data, where the range leaves it open */
    bool any = false;
    int64_t imin = 0, imax = 0;
    double fmin = 0, fmax = 0;
    const AiqColumnData *col = &t->cols[axis_col];
    for (int64_t r = 0; r < t->nrows; r++) {
        if (aiq_table_is_null(t, axis_col, r))
            continue;
        if (ax->ints) {
            int64_t v = ((const int64_t *)col->data)[r];
            imin = any && imin < v ? imin : v;
            imax = any && imax > v ? imax : v;
        } else {
            double v = ((const double *)col->data)[r];
            fmin = any && fmin < v ? fmin : v;
            fmax = any && fmax > v ? fmax : v;
        }
        any = true;
    }
    if (sp->old_range) { /* bins of bin(): the start's bin through the stop's */
        if (ax->ints) {
            ax->istart = ibin(ifrom, ax->istep);
            int64_t last = ibin(ito, ax->istep);
            ax->count = last < ax->istart ? 0 : (int64_t)(((uint64_t)last - (uint64_t)ax->istart) / (uint64_t)ax->istep) + 1;
        } else {
            ax->fstart = floor(ffrom / ax->fstep) * ax->fstep;
            double last = floor(fto / ax->fstep) * ax->fstep;
            ax->count = last < ax->fstart ? 0 : (int64_t)llround((last - ax->fstart) / ax->fstep) + 1;
        }
    } else if (ax->ints) {
        ax->istart = sp->from ? ifrom : imin;
        if (sp->to)
            ax->count = ito <= ax->istart ? 0 : (int64_t)(((uint64_t)ito - (uint64_t)ax->istart - 1) / (uint64_t)ax->istep) + 1;
        else
            ax->count = any && imax >= ax->istart ? (int64_t)(((uint64_t)imax - (uint64_t)ax->istart) / (uint64_t)ax->istep) + 1 : 0;
        if (!sp->from && !any)
            ax->count = 0;
    } else {
        ax->fstart = sp->from ? ffrom : fmin;
        if (sp->to)
            ax->count = !(fto > ax->fstart) ? 0 : (int64_t)ceil((fto - ax->fstart) / ax->fstep);
        else
            ax->count = any && fmax >= ax->fstart ? (int64_t)llround((fmax - ax->fstart) / ax->fstep) + 1 : 0;
        if (!sp->from && !any)
            ax->count = 0;
    }
    if (ax->count > MAX_BINS || ax->count < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "the range holds more than %lld bins, Kusto's limit for a series; use a larger step or a shorter range",
                 (long long)MAX_BINS);
        return range_error(op, sp->step, msg);
    }
    return true;
}

/* The bin of binned axis value r of column c, or -1 outside the axis. */
static int64_t bin_index(const Axis *ax, const AiqTable *t, int c, int64_t r)
{
    if (aiq_table_is_null(t, c, r))
        return -1;
    int64_t k;
    if (ax->ints) {
        int64_t v = ((const int64_t *)t->cols[c].data)[r];
        if (v < ax->istart)
            return -1;
        k = (int64_t)(((uint64_t)v - (uint64_t)ax->istart) / (uint64_t)ax->istep);
    } else {
        double v = ((const double *)t->cols[c].data)[r];
        double x = (v - ax->fstart) / ax->fstep;
        if (!(x > -0.5))
            return -1;
        k = (int64_t)llround(x);
    }
    return k < ax->count ? k : -1;
}

/* A value as a dynamic array element (a new reference): datetimes and
 * timespans as Kusto's text, infinities and NaN (which JSON lacks) and
 * nulls as null. */
static json_t *element_of(const AiqVector *v, uint32_t i)
{
    if (aiq_vec_is_null(v, i))
        return json_null();
    uint32_t j = aiq_vidx(v, i);
    char buf[48];
    switch (v->type) {
    case AIQ_TYPE_BOOL: return json_boolean(v->data.i64[j]);
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: return json_integer(v->data.i64[j]);
    case AIQ_TYPE_REAL: return isfinite(v->data.f64[j]) ? json_real(v->data.f64[j]) : json_null();
    case AIQ_TYPE_DATETIME: return json_stringn(buf, aiq_datetime_format_full(v->data.i64[j], buf));
    case AIQ_TYPE_TIMESPAN: return json_stringn(buf, aiq_timespan_format(v->data.i64[j], buf));
    case AIQ_TYPE_STRING: return json_stringn(v->data.str[j].ptr, v->data.str[j].len);
    case AIQ_TYPE_DYNAMIC: return json_incref(v->data.dyn[j]);
    default: return json_null();
    }
}

/* The element a bin without rows holds: the default, as a number of the
 * aggregate's type where it is one (an avg series fills with 0.0, a count
 * with 0), else as given. */
static json_t *default_element(AiqOp *op, const AiqExpr *e, AiqType col)
{
    if (!e)
        return col == AIQ_TYPE_REAL ? json_real(0) : json_integer(0);
    AiqVector *v = constant(op, e);
    if (!v)
        return NULL;
    if (!aiq_vec_is_null(v, 0) && (v->type == AIQ_TYPE_LONG || v->type == AIQ_TYPE_INT || v->type == AIQ_TYPE_REAL)) {
        double x = v->type == AIQ_TYPE_REAL ? v->data.f64[0] : (double)v->data.i64[0];
        if (col == AIQ_TYPE_REAL && isfinite(x))
            return json_real(x);
        if ((col == AIQ_TYPE_LONG || col == AIQ_TYPE_INT) && v->type == AIQ_TYPE_REAL && x == floor(x) && fabs(x) < 9e15)
            return json_integer((json_int_t)x);
    }
    return element_of(v, 0);
}

/* The axis as an array of its values, in the axis's type. */
static json_t *axis_array(const Axis *ax, AiqType type)
{
    json_t *arr = json_array();
    char buf[48];
    for (int64_t k = 0; k < ax->count; k++) {
        json_t *el;
        if (!ax->ints) {
            el = json_real(ax->fstart + (double)k * ax->fstep);
        } else {
            int64_t v = (int64_t)((uint64_t)ax->istart + (uint64_t)k * (uint64_t)ax->istep);
            if (type == AIQ_TYPE_DATETIME)
                el = json_stringn(buf, aiq_datetime_format_full(v, buf));
            else if (type == AIQ_TYPE_TIMESPAN)
                el = json_stringn(buf, aiq_timespan_format(v, buf));
            else
                el = json_integer(v);
        }
        json_array_append_new(arr, el);
    }
    return arr;
}

/* Sets column c of row r to the dynamic value j (the table takes its own
 * reference). */
static void set_dynamic(AiqTable *out, int c, int64_t r, json_t *j)
{
    AiqVector v = {.type = AIQ_TYPE_DYNAMIC, .data.dyn = &j};
    aiq_table_set(out, c, r, &v, 0);
}

/* The rows of the input, grouped by their keys in order of first
 * appearance: group[r] for each row, and the count of groups. */
static int64_t group_rows(const AiqTable *t, int nkeys, int64_t *group)
{
    AiqKeyMap map;
    aiq_keymap_init(&map);
    AiqStrBuf key;
    aiq_sb_init(&key);
    AiqVector *cols = aiq_xcalloc((size_t)nkeys + 1, sizeof *cols);
    for (int k = 0; k < nkeys; k++)
        aiq_table_column_vector(t, k, &cols[k]);
    for (int64_t r = 0; r < t->nrows; r++) {
        aiq_sb_clear(&key);
        for (int k = 0; k < nkeys; k++)
            aiq_key_append(&key, &cols[k], (uint32_t)r);
        bool added;
        group[r] = aiq_keymap_get(&map, key.data ? key.data : "", (uint32_t)key.len, &added);
    }
    int64_t n = map.n;
    aiq_xfree(cols);
    aiq_sb_free(&key);
    aiq_keymap_free(&map);
    return n;
}

/* One output row per group: its keys (from its first input row), an array
 * per aggregate, the shared axis array. */
static bool build_rows(AiqOp *op, const AiqTable *in, const Axis *ax, AiqTable *out)
{
    const AiqSeriesSpec *sp = op->p->series;
    int nk = sp->nkeys, axis_col = nk, nv = sp->nvalues;
    int64_t nrows = in->nrows;
    int64_t *group = aiq_xmalloc(sizeof *group * (size_t)(nrows + 1));
    int64_t ngroups = group_rows(in, nk, group);
    /* rows by group (a counting sort), so each group is filled in turn */
    int64_t *start = aiq_xcalloc((size_t)ngroups + 2, sizeof *start);
    int64_t *order = aiq_xmalloc(sizeof *order * (size_t)(nrows + 1));
    for (int64_t r = 0; r < nrows; r++)
        start[group[r] + 2]++;
    for (int64_t g = 0; g < ngroups; g++)
        start[g + 2] += start[g + 1];
    for (int64_t r = 0; r < nrows; r++)
        order[start[group[r] + 1]++] = r;
    int64_t *slot = aiq_xmalloc(sizeof *slot * (size_t)(ax->count + 1)); /* bin -> input row, -1 */
    json_t **dflt = aiq_xcalloc((size_t)nv + 1, sizeof *dflt);
    AiqVector *vals = aiq_xcalloc((size_t)nv + 1, sizeof *vals);
    AiqVector *keys = aiq_xcalloc((size_t)nk + 1, sizeof *keys);
    for (int v = 0; v < nv; v++) {
        aiq_table_column_vector(in, nk + 1 + v, &vals[v]);
        dflt[v] = default_element(op, sp->defaults[v], in->schema.cols[nk + 1 + v].type);
    }
    for (int k = 0; k < nk; k++)
        aiq_table_column_vector(in, k, &keys[k]);
    json_t *axis = axis_array(ax, sp->axis_type);
    bool ok = op->ex->err->code == AIQ_OK;
    /* kind=nonempty: one row of defaults when no row came */
    int64_t nout = ngroups == 0 && sp->nonempty ? 1 : ngroups;
    for (int64_t g = 0; ok && g < nout; g++) {
        for (int64_t k = 0; k < ax->count; k++)
            slot[k] = -1;
        int64_t first = -1;
        for (int64_t i = ngroups ? start[g] : 0; i < (ngroups ? start[g + 1] : 0); i++) {
            int64_t r = order[i], k = bin_index(ax, in, axis_col, r);
            first = first < 0 ? r : first;
            if (k >= 0)
                slot[k] = r;
        }
        int64_t row = aiq_table_add_null_row(out);
        for (int k = 0; k < nk && first >= 0; k++)
            aiq_table_set(out, k, row, &keys[k], (uint32_t)first);
        for (int v = 0; v < nv; v++) {
            json_t *arr = json_array();
            for (int64_t k = 0; k < ax->count; k++)
                json_array_append_new(arr, slot[k] >= 0 ? element_of(&vals[v], (uint32_t)slot[k]) : json_incref(dflt[v]));
            set_dynamic(out, nk + v, row, arr);
            json_decref(arr);
        }
        set_dynamic(out, nk + nv, row, axis);
        if ((g & 1023) == 1023 && !aiq_op_check_limits(op->ex))
            ok = false;
    }
    json_decref(axis);
    for (int v = 0; v < nv; v++)
        json_decref(dflt[v]);
    aiq_xfree(dflt);
    aiq_xfree(vals);
    aiq_xfree(keys);
    aiq_xfree(slot);
    aiq_xfree(order);
    aiq_xfree(start);
    aiq_xfree(group);
    return ok && op->ex->err->code == AIQ_OK;
}

static AiqTable *make_series_compute(AiqOp *op)
{
    AiqTable *in = aiq_op_drain(op->input, &op->p->input->schema);
    if (!in)
        return NULL;
    aiq_eval_reset(&op->ev);
    Axis ax = {0};
    AiqTable *out = NULL;
    if (axis_from_range(op, in, op->p->series->nkeys, &ax)) {
        out = aiq_table_new(&op->p->schema);
        if (!build_rows(op, in, &ax, out)) {
            aiq_table_free(out);
            out = NULL;
        }
    }
    aiq_table_free(in);
    return out;
}

static const AiqOpVtable make_series_vt = {.compute = make_series_compute, .eval = true};

AiqOp *aiq_op_make_series(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new_over(ex, &make_series_vt, sizeof(AiqOp), p);
}
