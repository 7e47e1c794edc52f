/*
 * scalar_series.c -- the kernels of the series functions that map a series
 * to a series or a number: statistics, fills, element-wise math, filters,
 * outliers, seasonality and periods, and the reductions (sum, product,
 * magnitude, dot product, cosine similarity, Pearson's r). Each reads its
 * arguments with series_arg.h, calls series_math.h, and writes the result
 * back as a dynamic value; a row whose series is not an array is null.
 * The fits and decompositions are in scalar_series_fit.c.
 */
#include <math.h>
#include <string.h>

#include "func/kernel.h"
#include "func/series_arg.h"
#include "func/series_math.h"
#include "util/mem.h"

/* Scratch doubles for one row's results (freed by the caller). */
static double *scratch(size_t n)
{
    return aiq_xmalloc(sizeof(double) * (n ? n : 1));
}

/* A row's bool argument k: its value, or dflt when absent or null. */
static bool arg_bool(const AiqExpr *e, AiqVector **a, int k, uint32_t i, bool dflt)
{
    return k < e->nargs && !ISNULL(a[k], i) ? I64(a[k], i) != 0 : dflt;
}

/* A row's integer argument k, or dflt when absent or null. */
static int64_t arg_long(const AiqExpr *e, AiqVector **a, int k, uint32_t i, int64_t dflt)
{
    return k < e->nargs && !ISNULL(a[k], i) ? I64(a[k], i) : dflt;
}

/* A row's number argument k (NaN when null), or dflt when absent. */
static double arg_num(const AiqExpr *e, AiqVector **a, int k, uint32_t i, double dflt)
{
    return k < e->nargs ? aiq_series_num(a[k], i) : dflt;
}

/* ---- statistics ------------------------------------------------------------- */

/* series_stats and series_stats_dynamic: the bag of series_stats_dynamic,
 * whose fields series_stats spreads into columns (func/series_tuple.c). */
KERNEL(k_series_stats)
{
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        AiqSeriesStats st;
        aiq_series_stats(x.v, x.n, arg_bool(e, a, 1, i, false), &st);
        json_t *bag = json_object();
        json_object_set_new(bag, "min", aiq_series_real(st.min));
        json_object_set_new(bag, "min_idx", st.min_idx < 0 ? json_null() : json_integer(st.min_idx));
        json_object_set_new(bag, "max", aiq_series_real(st.max));
        json_object_set_new(bag, "max_idx", st.max_idx < 0 ? json_null() : json_integer(st.max_idx));
        json_object_set_new(bag, "avg", aiq_series_real(st.avg));
        json_object_set_new(bag, "stdev", aiq_series_real(st.stdev));
        json_object_set_new(bag, "variance", aiq_series_real(st.variance));
        json_object_set_new(bag, "sum", aiq_series_real(st.sum));
        json_object_set_new(bag, "len", json_integer((json_int_t)st.len));
        out->data.dyn[i] = aiq_eval_own(ctx, bag);
        aiq_series_arg_free(&x);
    }
}

/* series_sum, series_product, series_magnitude, series_dot_product,
 * series_cosine_similarity, series_pearson_correlation: a real. */
KERNEL(k_series_reduce)
{
    AiqFuncId id = e->fn->id;
    bool two = id == AIQ_FN_SERIES_DOT_PRODUCT || id == AIQ_FN_SERIES_COSINE_SIMILARITY ||
               id == AIQ_FN_SERIES_PEARSON_CORRELATION;
    bool scalars = id == AIQ_FN_SERIES_DOT_PRODUCT || id == AIQ_FN_SERIES_COSINE_SIMILARITY;
    FOR_ROWS(i) {
        AiqSeriesArg x, y = {0};
        if (!aiq_series_arg(a[0], i, scalars, &x))
            goto null_row;
        if (two && !aiq_series_arg(a[1], i, scalars, &y)) {
            aiq_series_arg_free(&x);
            goto null_row;
        }
        /* a scalar stands for an array as long as the other operand */
        size_t nx = x.scalar && two && !y.scalar ? y.n : x.n, ny = y.scalar && !x.scalar ? x.n : y.n;
        double *bx = x.v, *by = y.v;
        if (x.scalar && nx > 1) {
            bx = scratch(nx);
            for (size_t k = 0; k < nx; k++)
                bx[k] = x.v[0];
        }
        if (two && y.scalar && ny > 1) {
            by = scratch(ny);
            for (size_t k = 0; k < ny; k++)
                by[k] = y.v[0];
        }
        double r;
        switch (id) {
        case AIQ_FN_SERIES_SUM: r = aiq_series_sum(x.v, x.n); break;
        case AIQ_FN_SERIES_PRODUCT: r = aiq_series_product(x.v, x.n); break;
        case AIQ_FN_SERIES_MAGNITUDE: r = aiq_series_magnitude(x.v, x.n); break;
        case AIQ_FN_SERIES_DOT_PRODUCT: r = aiq_series_dot_product(bx, nx, by, ny); break;
        case AIQ_FN_SERIES_COSINE_SIMILARITY:
            r = aiq_series_cosine_similarity(bx, nx, by, ny, arg_num(e, a, 2, i, NAN), arg_num(e, a, 3, i, NAN));
            break;
        default: r = aiq_series_pearson_correlation(x.v, x.n, y.v, y.n); break;
        }
        if (bx != x.v)
            aiq_xfree(bx);
        if (by != y.v)
            aiq_xfree(by);
        aiq_series_arg_free(&x);
        aiq_series_arg_free(&y);
        if (isfinite(r)) {
            out->data.f64[i] = r;
            continue;
        }
    null_row:
        SETNULL(ctx, out, i);
    }
}

/* ---- fills -------------------------------------------------------------------- */

/* Whether v is the value a fill replaces: null, or the placeholder. */
static bool is_missing(double v, double missing)
{
    return isnan(missing) ? isnan(v) : v == missing;
}

/* A filled series: an element is an integer where the series held only
 * integers and the value is whole (Kusto keeps an int series int). */
static json_t *fill_result(const double *v, size_t n, bool integers)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        double x = v[k];
        bool whole = integers && isfinite(x) && x == floor(x) && fabs(x) < 9e15;
        json_array_append_new(arr, whole ? json_integer((json_int_t)x) : aiq_series_real(x));
    }
    return arr;
}

/* series_fill_backward(x[, missing]), series_fill_forward(x[, missing]),
 * series_fill_const(x, value[, missing]), series_fill_linear(x[, missing[,
 * fill_edges[, constant]]]). missing defaults to null. */
KERNEL(k_series_fill)
{
    AiqFuncId id = e->fn->id;
    int missing_arg = id == AIQ_FN_SERIES_FILL_CONST ? 2 : 1;
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        double missing = arg_num(e, a, missing_arg, i, NAN);
        double *r = scratch(x.n);
        bool integers = x.integers;
        switch (id) {
        case AIQ_FN_SERIES_FILL_BACKWARD: aiq_series_fill_backward(x.v, x.n, missing, r); break;
        case AIQ_FN_SERIES_FILL_FORWARD: aiq_series_fill_forward(x.v, x.n, missing, r); break;
        case AIQ_FN_SERIES_FILL_CONST: {
            double value = arg_num(e, a, 1, i, NAN);
            aiq_series_fill_const(x.v, x.n, value, missing, r);
            /* an int series filled with a whole number stays an int series */
            integers = isnan(value) || value == floor(value);
            for (size_t k = 0; k < x.n; k++)
                integers &= is_missing(x.v[k], missing) || isnan(x.v[k]) || x.isint[k];
            break;
        }
        default: {
            aiq_series_fill_linear(x.v, x.n, missing, arg_bool(e, a, 2, i, true), arg_num(e, a, 3, i, 0), x.integers, r);
            break;
        }
        }
        out->data.dyn[i] = aiq_eval_own(ctx, fill_result(r, x.n, integers));
        aiq_xfree(r);
        aiq_series_arg_free(&x);
    }
}

/* ---- element-wise math -------------------------------------------------------- */

static const AiqSeriesUnaryOp unary_ops[] = {
    [AIQ_FN_SERIES_ABS - AIQ_FN_SERIES_ABS] = AIQ_SERIES_ABS,
    [AIQ_FN_SERIES_ACOS - AIQ_FN_SERIES_ABS] = AIQ_SERIES_ACOS,
    [AIQ_FN_SERIES_ASIN - AIQ_FN_SERIES_ABS] = AIQ_SERIES_ASIN,
    [AIQ_FN_SERIES_ATAN - AIQ_FN_SERIES_ABS] = AIQ_SERIES_ATAN,
    [AIQ_FN_SERIES_CEILING - AIQ_FN_SERIES_ABS] = AIQ_SERIES_CEILING,
    [AIQ_FN_SERIES_COS - AIQ_FN_SERIES_ABS] = AIQ_SERIES_COS,
    [AIQ_FN_SERIES_EXP - AIQ_FN_SERIES_ABS] = AIQ_SERIES_EXP,
    [AIQ_FN_SERIES_FLOOR - AIQ_FN_SERIES_ABS] = AIQ_SERIES_FLOOR,
    [AIQ_FN_SERIES_LOG - AIQ_FN_SERIES_ABS] = AIQ_SERIES_LOG,
    [AIQ_FN_SERIES_SIGN - AIQ_FN_SERIES_ABS] = AIQ_SERIES_SIGN,
    [AIQ_FN_SERIES_SIN - AIQ_FN_SERIES_ABS] = AIQ_SERIES_SIN,
    [AIQ_FN_SERIES_TAN - AIQ_FN_SERIES_ABS] = AIQ_SERIES_TAN,
};

/* series_abs ... series_tan: reals, but abs and sign keep an integer
 * element an integer (Kusto: series_sign([-6, 0, 8]) is [-1, 0, 1]). */
KERNEL(k_series_unary)
{
    AiqSeriesUnaryOp op = unary_ops[e->fn->id - AIQ_FN_SERIES_ABS];
    bool keeps_ints = op == AIQ_SERIES_ABS || op == AIQ_SERIES_SIGN;
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        double *r = scratch(x.n);
        aiq_series_unary(op, x.v, x.n, r);
        json_t *arr = json_array();
        for (size_t k = 0; k < x.n; k++) {
            bool whole = keeps_ints && x.isint[k] && !(op == AIQ_SERIES_ABS && x.iv[k] == INT64_MIN);
            json_array_append_new(arr, whole ? json_integer((json_int_t)(op == AIQ_SERIES_ABS ? (x.iv[k] < 0 ? -x.iv[k] : x.iv[k])
                                                                                           : (x.iv[k] > 0) - (x.iv[k] < 0)))
                                             : aiq_series_real(r[k]));
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
        aiq_xfree(r);
        aiq_series_arg_free(&x);
    }
}

static const AiqSeriesBinaryOp binary_ops[] = {
    [AIQ_FN_SERIES_ADD - AIQ_FN_SERIES_ADD] = AIQ_SERIES_ADD,
    [AIQ_FN_SERIES_SUBTRACT - AIQ_FN_SERIES_ADD] = AIQ_SERIES_SUBTRACT,
    [AIQ_FN_SERIES_MULTIPLY - AIQ_FN_SERIES_ADD] = AIQ_SERIES_MULTIPLY,
    [AIQ_FN_SERIES_DIVIDE - AIQ_FN_SERIES_ADD] = AIQ_SERIES_DIVIDE,
    [AIQ_FN_SERIES_POW - AIQ_FN_SERIES_ADD] = AIQ_SERIES_POW,
    [AIQ_FN_SERIES_GREATER - AIQ_FN_SERIES_ADD] = AIQ_SERIES_GREATER,
    [AIQ_FN_SERIES_GREATER_EQUALS - AIQ_FN_SERIES_ADD] = AIQ_SERIES_GREATER_EQUALS,
    [AIQ_FN_SERIES_LESS - AIQ_FN_SERIES_ADD] = AIQ_SERIES_LESS,
    [AIQ_FN_SERIES_LESS_EQUALS - AIQ_FN_SERIES_ADD] = AIQ_SERIES_LESS_EQUALS,
    [AIQ_FN_SERIES_EQUALS - AIQ_FN_SERIES_ADD] = AIQ_SERIES_EQUALS,
    [AIQ_FN_SERIES_NOT_EQUALS - AIQ_FN_SERIES_ADD] = AIQ_SERIES_NOT_EQUALS,
};

/* Element k of an operand (a scalar repeats; past an array's end: none). */
static bool operand_int(const AiqSeriesArg *x, size_t k, int64_t *v)
{
    size_t j = x->scalar ? 0 : k;
    if (j >= x->n || !x->isint[j])
        return false;
    *v = x->iv[j];
    return true;
}

/* series_add ... series_not_equals: comparisons give bools; add, subtract
 * and multiply of two integers give an integer (wrapping as long
 * arithmetic does), the rest reals (Kusto: a divide is double even over
 * integers). An element past the end of the shorter array is null. */
KERNEL(k_series_binary)
{
    AiqSeriesBinaryOp op = binary_ops[e->fn->id - AIQ_FN_SERIES_ADD];
    bool compare = op >= AIQ_SERIES_GREATER;
    bool integral = op == AIQ_SERIES_ADD || op == AIQ_SERIES_SUBTRACT || op == AIQ_SERIES_MULTIPLY;
    FOR_ROWS(i) {
        AiqSeriesArg x, y;
        if (!aiq_series_arg(a[0], i, true, &x))
            continue;
        if (!aiq_series_arg(a[1], i, true, &y)) {
            aiq_series_arg_free(&x);
            continue;
        }
        AiqSeriesOperand ox = {x.v, x.n, x.scalar}, oy = {y.v, y.n, y.scalar};
        size_t len = aiq_series_binary_len(ox, oy);
        double *r = scratch(len);
        aiq_series_binary(op, ox, oy, r);
        json_t *arr = json_array();
        for (size_t k = 0; k < len; k++) {
            int64_t p, q;
            json_t *el;
            if (isnan(r[k]))
                el = json_null();
            else if (compare)
                el = json_boolean(r[k] != 0);
            else if (integral && operand_int(&x, k, &p) && operand_int(&y, k, &q))
                el = json_integer((json_int_t)(op == AIQ_SERIES_ADD        ? (int64_t)((uint64_t)p + (uint64_t)q)
                                               : op == AIQ_SERIES_SUBTRACT ? (int64_t)((uint64_t)p - (uint64_t)q)
                                                                           : (int64_t)((uint64_t)p * (uint64_t)q)));
            else
                el = aiq_series_real(r[k]);
            json_array_append_new(arr, el);
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
        aiq_xfree(r);
        aiq_series_arg_free(&x);
        aiq_series_arg_free(&y);
    }
}

/* ---- filters ------------------------------------------------------------------ */

/* series_fir(x, filter[, normalize[, center]]), series_iir(x, numerators,
 * denominators), series_moving_avg_fl(x, width[, center]). */
KERNEL(k_series_filter)
{
    AiqFuncId id = e->fn->id;
    FOR_ROWS(i) {
        AiqSeriesArg x, f = {0}, d = {0};
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        bool ok = id == AIQ_FN_SERIES_MOVING_AVG_FL || aiq_series_arg(a[1], i, false, &f);
        ok = ok && (id != AIQ_FN_SERIES_IIR || aiq_series_arg(a[2], i, false, &d));
        double *r = scratch(x.n);
        AiqSeriesStatus st = AIQ_SERIES_OK;
        if (ok && id == AIQ_FN_SERIES_FIR) {
            int normalize = e->nargs > 2 && !ISNULL(a[2], i) ? (I64(a[2], i) != 0) : AIQ_SERIES_DEFAULT;
            st = aiq_series_fir(x.v, x.n, f.v, f.n, normalize, arg_bool(e, a, 3, i, false), r);
        } else if (ok && id == AIQ_FN_SERIES_IIR) {
            st = aiq_series_iir(x.v, x.n, f.v, f.n, d.v, d.n, r);
        } else if (ok) {
            st = aiq_series_moving_avg(x.v, x.n, arg_long(e, a, 1, i, 0), arg_bool(e, a, 2, i, false), r);
        }
        if (st != AIQ_SERIES_OK)
            aiq_series_fail(ctx, e, aiq_series_status_text(st));
        else if (ok)
            out->data.dyn[i] = aiq_eval_own(ctx, aiq_series_reals(r, x.n));
        aiq_xfree(r);
        aiq_series_arg_free(&x);
        aiq_series_arg_free(&f);
        aiq_series_arg_free(&d);
        if (st != AIQ_SERIES_OK)
            return;
    }
}

/* ---- outliers, seasonality, periods --------------------------------------------- */

/* series_outliers(x[, kind[, ignore_val[, min_percentile[, max_percentile]]]]) */
KERNEL(k_series_outliers)
{
    AiqSeriesOutlierKind kind = AIQ_SERIES_CTUKEY;
    if (e->nargs > 1) {
        AiqStr k = STR(a[1], 0);
        if (aiq_series_parse_kind(k.ptr, k.len, &kind) != AIQ_SERIES_OK) {
            aiq_series_fail(ctx, e, "the kind is 'tukey' or 'ctukey'");
            return;
        }
    }
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        double *r = scratch(x.n);
        AiqSeriesStatus st = aiq_series_outliers(x.v, x.n, kind, arg_num(e, a, 2, i, NAN), arg_num(e, a, 3, i, 10),
                                                 arg_num(e, a, 4, i, 90), r);
        if (st == AIQ_SERIES_OK)
            out->data.dyn[i] = aiq_eval_own(ctx, aiq_series_reals(r, x.n));
        aiq_xfree(r);
        aiq_series_arg_free(&x);
        if (st != AIQ_SERIES_OK) {
            aiq_series_fail(ctx, e, aiq_series_status_text(st));
            return;
        }
    }
}

/* series_seasonal(x[, period]) */
KERNEL(k_series_seasonal)
{
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        double *r = scratch(x.n);
        aiq_series_seasonal(x.v, x.n, arg_long(e, a, 1, i, -1), r);
        out->data.dyn[i] = aiq_eval_own(ctx, aiq_series_reals(r, x.n));
        aiq_xfree(r);
        aiq_series_arg_free(&x);
    }
}

/* series_periods_detect(x, min_period, max_period, num_periods) and
 * series_periods_validate(x, period, ...): the bag {periods, scores} whose
 * fields they spread into columns (func/series_tuple.c). */
KERNEL(k_series_periods)
{
    bool detect = e->fn->id == AIQ_FN_SERIES_PERIODS_DETECT;
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        int64_t np = detect ? arg_long(e, a, 3, i, 1) : e->nargs - 1;
        if (np < 1 || np > 1024) {
            aiq_series_arg_free(&x);
            aiq_series_fail(ctx, e, "the number of periods must be from 1 to 1024");
            return;
        }
        double *periods = scratch((size_t)np), *scores = scratch((size_t)np);
        AiqSeriesStatus st = AIQ_SERIES_OK;
        if (detect) {
            st = aiq_series_periods_detect(x.v, x.n, arg_num(e, a, 1, i, 0), arg_num(e, a, 2, i, 0), np, periods, scores);
        } else {
            for (int64_t k = 0; k < np; k++)
                periods[k] = aiq_series_num(a[k + 1], i);
            aiq_series_periods_validate(x.v, x.n, periods, (size_t)np, scores);
        }
        if (st == AIQ_SERIES_OK) {
            json_t *bag = json_object();
            json_object_set_new(bag, "periods", detect ? aiq_series_longs(periods, (size_t)np)
                                                       : aiq_series_reals(periods, (size_t)np));
            json_object_set_new(bag, "scores", aiq_series_reals(scores, (size_t)np));
            out->data.dyn[i] = aiq_eval_own(ctx, bag);
        }
        aiq_xfree(periods);
        aiq_xfree(scores);
        aiq_series_arg_free(&x);
        if (st != AIQ_SERIES_OK) {
            aiq_series_fail(ctx, e, aiq_series_status_text(st));
            return;
        }
    }
}
