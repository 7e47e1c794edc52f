/*
 * scalar_series_fit.c -- the kernels of the series functions that give
 * several results: the line, two-line and polynomial fits and the seasonal
 * decompositions. Each returns one bag per row holding every result
 * (series_fit_line_dynamic's bag, for one); in extend and project the
 * binder spreads the bag of those Kusto gives as columns (series_fit_line,
 * series_decompose, ...) into its columns (func/series_tuple.c).
 */
#include <math.h>
#include <string.h>

#include "func/kernel.h"
#include "func/series_arg.h"
#include "func/series_math.h"
#include "util/mem.h"

static double *scratch(size_t n)
{
    return aiq_xmalloc(sizeof(double) * (n ? n : 1));
}

static void set_real(json_t *bag, const char *key, double v)
{
    json_object_set_new(bag, key, aiq_series_real(v));
}

/* The statistics of one fitted line, as series_fit_line names them. */
static void line_fields(json_t *bag, const AiqSeriesLineFit *f)
{
    set_real(bag, "rsquare", f->rsquare);
    set_real(bag, "slope", f->slope);
    set_real(bag, "variance", f->variance);
    set_real(bag, "rvariance", f->rvariance);
    set_real(bag, "interception", f->interception);
}

static json_t *fit_line_bag(const AiqSeriesArg *x)
{
    double *line = scratch(x->n);
    AiqSeriesLineFit f;
    aiq_series_fit_line(x->v, x->n, &f, line);
    json_t *bag = json_object();
    line_fields(bag, &f);
    json_object_set_new(bag, "line_fit", aiq_series_reals(line, x->n));
    aiq_xfree(line);
    return bag;
}

/* The two-line fit: the whole fit's numbers, then right and left as bags
 * (series_fit_2lines_dynamic; series_fit_2lines names them right_rsquare,
 * left_slope, ...). */
static json_t *fit_2lines_bag(const AiqSeriesArg *x)
{
    double *line = scratch(x->n);
    AiqSeries2LinesFit f;
    aiq_series_fit_2lines(x->v, x->n, &f, line);
    json_t *bag = json_object(), *right = json_object(), *left = json_object();
    set_real(bag, "rsquare", f.rsquare);
    json_object_set_new(bag, "split_idx", f.split_idx < 0 ? json_null() : json_integer(f.split_idx));
    set_real(bag, "variance", f.variance);
    set_real(bag, "rvariance", f.rvariance);
    json_object_set_new(bag, "line_fit", aiq_series_reals(line, x->n));
    line_fields(right, &f.right);
    line_fields(left, &f.left);
    json_object_set_new(bag, "right", right);
    json_object_set_new(bag, "left", left);
    aiq_xfree(line);
    return bag;
}

/* series_fit_poly(y[, x[, degree]]): NULL after an error (err set). */
static json_t *fit_poly_bag(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, uint32_t i, const AiqSeriesArg *y)
{
    AiqSeriesArg xs = {0};
    bool has_x = e->nargs > 1 && aiq_series_arg(a[1], i, false, &xs);
    int64_t degree = e->nargs > 2 && !ISNULL(a[2], i) ? I64(a[2], i) : 1;
    double *fit = scratch(y->n), *coef = scratch(degree >= 0 && degree <= AIQ_SERIES_MAX_DEGREE ? (size_t)degree + 1 : 1);
    AiqSeriesPolyFit f;
    AiqSeriesStatus st = aiq_series_fit_poly(y->v, y->n, has_x ? xs.v : NULL, xs.n, degree, &f, coef, fit);
    json_t *bag = NULL;
    if (st == AIQ_SERIES_OK) {
        bag = json_object();
        set_real(bag, "rsquare", f.rsquare);
        json_object_set_new(bag, "coefficients", aiq_series_reals(coef, (size_t)degree + 1));
        set_real(bag, "variance", f.variance);
        set_real(bag, "rvariance", f.rvariance);
        json_object_set_new(bag, "poly_fit", aiq_series_reals(fit, y->n));
    } else {
        aiq_series_fail(ctx, e, aiq_series_status_text(st));
    }
    aiq_xfree(fit);
    aiq_xfree(coef);
    aiq_series_arg_free(&xs);
    return bag;
}

/* series_fit_line, series_fit_2lines, their _dynamic forms, series_fit_poly. */
KERNEL(k_series_fit)
{
    AiqFuncId id = e->fn->id;
    FOR_ROWS(i) {
        AiqSeriesArg y;
        if (!aiq_series_arg(a[0], i, false, &y))
            continue;
        json_t *bag;
        if (id == AIQ_FN_SERIES_FIT_LINE || id == AIQ_FN_SERIES_FIT_LINE_DYNAMIC)
            bag = fit_line_bag(&y);
        else if (id == AIQ_FN_SERIES_FIT_2LINES || id == AIQ_FN_SERIES_FIT_2LINES_DYNAMIC)
            bag = fit_2lines_bag(&y);
        else
            bag = fit_poly_bag(ctx, e, a, i, &y);
        aiq_series_arg_free(&y);
        if (!bag)
            return;
        out->data.dyn[i] = aiq_eval_own(ctx, bag);
    }
}

/* ---- decompositions ---------------------------------------------------------- */

/* The options of a decomposition from row i's arguments, at the positions
 * each function has them (-1: not an argument of it). False after an
 * error (err set). */
typedef struct DecomposeArgs {
    int seasonality, trend, test_points, threshold;
} DecomposeArgs;

static bool decompose_options(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, uint32_t i, DecomposeArgs at,
                              AiqSeriesDecomposeOptions *opt)
{
    if (at.seasonality >= 0 && at.seasonality < e->nargs && !ISNULL(a[at.seasonality], i))
        opt->seasonality = I64(a[at.seasonality], i);
    if (at.trend >= 0 && at.trend < e->nargs) {
        AiqStr t = STR(a[at.trend], i);
        if (aiq_series_parse_trend(t.ptr, t.len, &opt->trend) != AIQ_SERIES_OK) {
            aiq_series_fail(ctx, e, aiq_arena_printf(&ctx->arena, "the trend is 'avg', 'linefit' or 'none', not '%.*s'",
                                                     (int)t.len, t.ptr));
            return false;
        }
    }
    if (at.test_points >= 0 && at.test_points < e->nargs && !ISNULL(a[at.test_points], i))
        opt->test_points = I64(a[at.test_points], i);
    if (at.threshold >= 0 && at.threshold < e->nargs && !ISNULL(a[at.threshold], i))
        opt->seasonality_threshold = aiq_series_num(a[at.threshold], i);
    return true;
}

/* The four components of series_decompose as a bag. */
static json_t *components_bag(const double *baseline, const double *seasonal, const double *trend,
                              const double *residual, size_t n)
{
    json_t *bag = json_object();
    json_object_set_new(bag, "baseline", aiq_series_reals(baseline, n));
    json_object_set_new(bag, "seasonal", aiq_series_reals(seasonal, n));
    json_object_set_new(bag, "trend", aiq_series_reals(trend, n));
    json_object_set_new(bag, "residual", aiq_series_reals(residual, n));
    return bag;
}

/* One row of series_decompose, _anomalies or _forecast: the bag, or NULL
 * (err set) when an argument is rejected. */
static json_t *decompose_row(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, uint32_t i, const AiqSeriesArg *x)
{
    AiqFuncId id = e->fn->id;
    AiqSeriesDecomposeOptions opt = AIQ_SERIES_DECOMPOSE_DEFAULTS;
    size_t n = x->n;
    double *m = scratch(4 * n);
    double *b0 = m, *b1 = m + n, *b2 = m + 2 * n, *b3 = m + 3 * n;
    AiqSeriesStatus st = AIQ_SERIES_OK;
    json_t *bag = NULL;
    if (id == AIQ_FN_SERIES_DECOMPOSE) {
        if (!decompose_options(ctx, e, a, i, (DecomposeArgs){1, 2, 3, 4}, &opt))
            goto done;
        if ((st = aiq_series_decompose(x->v, n, &opt, b0, b1, b2, b3, NULL)) == AIQ_SERIES_OK)
            bag = components_bag(b0, b1, b2, b3, n);
    } else if (id == AIQ_FN_SERIES_DECOMPOSE_FORECAST) {
        opt.trend = AIQ_SERIES_FORECAST_TREND;
        if (!decompose_options(ctx, e, a, i, (DecomposeArgs){2, 3, -1, 4}, &opt))
            goto done;
        opt.test_points = ISNULL(a[1], i) ? 0 : I64(a[1], i);
        /* the baseline is the forecast: the fit, then its extension over the test points */
        if ((st = aiq_series_decompose(x->v, n, &opt, b0, b1, b2, b3, NULL)) == AIQ_SERIES_OK)
            bag = components_bag(b0, b1, b2, b3, n);
    } else {
        if (!decompose_options(ctx, e, a, i, (DecomposeArgs){2, 3, 4, 6}, &opt))
            goto done;
        double threshold = e->nargs > 1 && !ISNULL(a[1], i) ? aiq_series_num(a[1], i) : AIQ_SERIES_ANOMALY_THRESHOLD;
        AiqSeriesOutlierKind method = AIQ_SERIES_CTUKEY;
        if (e->nargs > 5) {
            AiqStr k = STR(a[5], i);
            if (aiq_series_parse_kind(k.ptr, k.len, &method) != AIQ_SERIES_OK) {
                aiq_series_fail(ctx, e, aiq_arena_printf(&ctx->arena, "the method is 'ctukey' or 'tukey', not '%.*s'",
                                                         (int)k.len, k.ptr));
                goto done;
            }
        }
        st = aiq_series_decompose_anomalies(x->v, n, threshold, &opt, method, b0, b1, b2);
        if (st == AIQ_SERIES_OK) {
            bag = json_object();
            json_object_set_new(bag, "ad_flag", aiq_series_longs(b0, n));
            json_object_set_new(bag, "ad_score", aiq_series_reals(b1, n));
            json_object_set_new(bag, "baseline", aiq_series_reals(b2, n));
        }
    }
    if (st != AIQ_SERIES_OK)
        aiq_series_fail(ctx, e, aiq_series_status_text(st));
done:
    aiq_xfree(m);
    return bag;
}

/* series_decompose, series_decompose_anomalies, series_decompose_forecast. */
KERNEL(k_series_decompose)
{
    FOR_ROWS(i) {
        AiqSeriesArg x;
        if (!aiq_series_arg(a[0], i, false, &x))
            continue;
        json_t *bag = decompose_row(ctx, e, a, i, &x);
        aiq_series_arg_free(&x);
        if (!bag)
            return;
        out->data.dyn[i] = aiq_eval_own(ctx, bag);
    }
}
