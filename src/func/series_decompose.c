/*
 * series_decompose.c -- series_outliers, series_seasonal, series_decompose,
 * series_decompose_anomalies and series_decompose_forecast: Kusto's anomaly
 * detection and forecasting, built from a seasonal component (median of each
 * phase), a trend (mean or fitted line) and Tukey's fences on the residual.
 *
 * The outlier score follows what Kusto's team described (Stack Overflow
 * question 75264555, and microsoft/Kusto-Query-Language issue 136):
 * percentiles interpolate linearly; a value above P_high scores
 * (x - P_high) / (P_high - P_low) * f, below P_low (x - P_low) / (...) * f,
 * and 0 in between; f rescales the score so that, for normally distributed
 * data, 1.5 marks the same point whatever the percentiles, namely classic
 * Tukey's fence Q3 + 1.5 IQR. Kusto's f for its default 10th/90th percentiles
 * is 2.7726056055079150, recovered to all 16 digits from the published output
 * of that question; it equals 3z/(2.7 - z) with z = 1.29682082, Kusto's own
 * rounding of the normal model (whose exact value would be 2.7144). We use
 * Kusto's constant for 10/90 so the default scores match Kusto's, and the
 * exact normal model for any other percentiles, where Kusto's constants are
 * unknown; 'tukey' (25/75) needs no rescaling (f = 1).
 *
 * series_decompose_forecast's default trend is 'linefit', not the 'avg' of
 * series_decompose: today's page lists 'avg' in a table copied from
 * series_decompose, but its own example says the function "automatically
 * detects the seasonality and trend", which 'avg' cannot do, and the page's
 * earlier versions named 'linefit' as the default. A forecast that ignores
 * the trend would also be a poor default for capacity planning.
 */
#include <math.h>
#include <string.h>

#include "func/series_internal.h"
#include "func/series_math.h"
#include "util/mem.h"

/* Kusto's rescaling for the 10th/90th percentiles (see the file comment). */
#define KUSTO_Z90 1.29682082
#define KUSTO_FENCE 2.7
/* Threshold series_seasonal uses when it detects the period (documented). */
#define SEASONAL_DETECT_THRESHOLD 0.7

static bool text_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

AiqSeriesStatus aiq_series_parse_kind(const char *s, size_t len, AiqSeriesOutlierKind *out)
{
    if (text_is(s, len, "ctukey"))
        *out = AIQ_SERIES_CTUKEY;
    else if (text_is(s, len, "tukey"))
        *out = AIQ_SERIES_TUKEY;
    else
        return AIQ_SERIES_ERR_KIND;
    return AIQ_SERIES_OK;
}

AiqSeriesStatus aiq_series_parse_trend(const char *s, size_t len, AiqSeriesTrend *out)
{
    if (text_is(s, len, "avg"))
        *out = AIQ_SERIES_TREND_AVG;
    else if (text_is(s, len, "linefit"))
        *out = AIQ_SERIES_TREND_LINEFIT;
    else if (text_is(s, len, "none"))
        *out = AIQ_SERIES_TREND_NONE;
    else
        return AIQ_SERIES_ERR_TREND;
    return AIQ_SERIES_OK;
}

/* ---------------------------------------------------------------- outliers */

/* The percentile pair and the score factors on each side. */
typedef struct Fences {
    double low_pct, high_pct;
    double f_low, f_high;
} Fences;

/* With normal data the classic fence sits at Q3 + 1.5 IQR = 4 z(0.75); the
 * factor makes a value at that point score 1.5 on either side. */
static Fences fences_for(AiqSeriesOutlierKind kind, double low_pct, double high_pct)
{
    if (kind == AIQ_SERIES_TUKEY)
        return (Fences){25, 75, 1, 1};
    if (low_pct == 10 && high_pct == 90) {
        double f = 3 * KUSTO_Z90 / (KUSTO_FENCE - KUSTO_Z90);
        return (Fences){10, 90, f, f};
    }
    double zl = aiq_series_normal_quantile(low_pct / 100);
    double zh = aiq_series_normal_quantile(high_pct / 100);
    double fence = 4 * aiq_series_normal_quantile(0.75);
    return (Fences){low_pct, high_pct, 1.5 * (zh - zl) / (fence + zl),
                    1.5 * (zh - zl) / (fence - zh)};
}

/* Scores x[0..n) against the percentiles of the values in x[0..learn)
 * (nulls and ignore_val left out); those elements score 0. */
static void score_outliers(const double *x, size_t n, size_t learn, double ignore_val, Fences fc,
                           double *score)
{
    double *v = aiq_xmalloc((learn ? learn : 1) * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < learn; i++)
        if (!isnan(x[i]) && !aiq_series_is_missing(x[i], ignore_val))
            v[m++] = x[i];
    double lo = 0, hi = 0;
    if (m > 0) {
        aiq_series_sort(v, m);
        lo = aiq_series_percentile_sorted(v, m, fc.low_pct);
        hi = aiq_series_percentile_sorted(v, m, fc.high_pct);
    }
    double range = hi - lo;
    for (size_t i = 0; i < n; i++) {
        double xi = x[i];
        if (m == 0 || isnan(xi) || aiq_series_is_missing(xi, ignore_val))
            score[i] = 0;
        else if (xi > hi)
            score[i] = (xi - hi) / range * fc.f_high;
        else if (xi < lo)
            score[i] = (xi - lo) / range * fc.f_low;
        else
            score[i] = 0;
    }
    aiq_xfree(v);
}

AiqSeriesStatus aiq_series_outliers(const double *x, size_t n, AiqSeriesOutlierKind kind,
                                    double ignore_val, double min_percentile, double max_percentile,
                                    double *score)
{
    if (kind != AIQ_SERIES_CTUKEY && kind != AIQ_SERIES_TUKEY)
        return AIQ_SERIES_ERR_KIND;
    if (kind == AIQ_SERIES_CTUKEY &&
        !(min_percentile >= 2 && max_percentile <= 98 && min_percentile < max_percentile))
        return AIQ_SERIES_ERR_PERCENTILE;
    score_outliers(x, n, n, ignore_val, fences_for(kind, min_percentile, max_percentile), score);
    return AIQ_SERIES_OK;
}

/* ---------------------------------------------------------------- seasonal */

/* out[i] = median of the values x[j], j < learn, with j = i (mod period);
 * NaN for a phase with no value. Buckets the indexes by phase (a counting
 * sort) so the whole costs O(n log n) whatever the period. */
static void phase_medians(const double *x, size_t n, size_t learn, size_t period, double *out)
{
    size_t phases = period < n ? period : n;
    size_t *start = aiq_xcalloc(phases + 1, sizeof *start);
    double *vals = aiq_xmalloc((learn ? learn : 1) * sizeof *vals);
    double *med = aiq_xmalloc(phases * sizeof *med);
    for (size_t i = 0; i < learn; i++)
        if (!isnan(x[i]))
            start[i % period + 1]++;
    for (size_t k = 0; k < phases; k++)
        start[k + 1] += start[k];
    size_t *fill = aiq_xmalloc(phases * sizeof *fill);
    memcpy(fill, start, phases * sizeof *fill);
    for (size_t i = 0; i < learn; i++)
        if (!isnan(x[i]))
            vals[fill[i % period]++] = x[i];
    for (size_t k = 0; k < phases; k++)
        med[k] = aiq_series_median(vals + start[k], start[k + 1] - start[k]);
    for (size_t i = 0; i < n; i++)
        out[i] = med[i % period];
    aiq_xfree(fill);
    aiq_xfree(med);
    aiq_xfree(vals);
    aiq_xfree(start);
}

void aiq_series_seasonal(const double *x, size_t n, int64_t period, double *out)
{
    if (period == -1)
        period = aiq_series_best_period(x, n, SEASONAL_DETECT_THRESHOLD);
    if (period <= 0 || n == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0;
        return;
    }
    phase_medians(x, n, n, (size_t)period, out);
}

/* ------------------------------------------------------------- decompose */

static AiqSeriesStatus check_options(const AiqSeriesDecomposeOptions *opt)
{
    if (opt->seasonality < -1)
        return AIQ_SERIES_ERR_SEASONALITY;
    if (opt->test_points < 0)
        return AIQ_SERIES_ERR_TEST_POINTS;
    if (opt->trend != AIQ_SERIES_TREND_AVG && opt->trend != AIQ_SERIES_TREND_LINEFIT &&
        opt->trend != AIQ_SERIES_TREND_NONE)
        return AIQ_SERIES_ERR_TREND;
    if (isnan(opt->seasonality_threshold))
        return AIQ_SERIES_ERR_THRESHOLD;
    return AIQ_SERIES_OK;
}

/* The trend of d (x minus its seasonal part) learned from d[0..learn) and
 * extended over all n elements. */
static void trend_of(const double *d, size_t n, size_t learn, AiqSeriesTrend kind, double *t)
{
    double a = 0, b = 0; /* t[i] = a + b * (i + 1) */
    if (kind == AIQ_SERIES_TREND_AVG) {
        AiqSeriesStats st;
        aiq_series_stats(d, learn, true, &st);
        a = st.avg;
    } else if (kind == AIQ_SERIES_TREND_LINEFIT) {
        AiqSeriesLineFit fit;
        if (aiq_series_line(d, learn, &fit, NULL)) {
            a = fit.interception;
            b = fit.slope;
        } else {
            a = NAN;
        }
    }
    for (size_t i = 0; i < n; i++)
        t[i] = a + b * (double)(i + 1);
}

/* Size of the learning part: the elements before the test points. */
static size_t learn_len(size_t n, int64_t test_points)
{
    return (uint64_t)test_points >= n ? 0 : n - (size_t)test_points;
}

AiqSeriesStatus aiq_series_decompose(const double *x, size_t n,
                                     const AiqSeriesDecomposeOptions *opt, double *baseline,
                                     double *seasonal, double *trend, double *residual,
                                     int64_t *period)
{
    AiqSeriesStatus st = check_options(opt);
    if (st != AIQ_SERIES_OK)
        return st;
    size_t learn = learn_len(n, opt->test_points);
    int64_t p = opt->seasonality;
    if (p == -1)
        p = aiq_series_best_period(x, learn, opt->seasonality_threshold);
    double *mem = aiq_xmalloc((2 * n + 1) * sizeof *mem);
    double *s = mem, *t = mem + n;
    if (p > 0)
        phase_medians(x, n, learn, (size_t)p, s);
    else
        for (size_t i = 0; i < n; i++)
            s[i] = 0;
    /* t first holds the deseasonalized series, then its trend. */
    for (size_t i = 0; i < n; i++)
        t[i] = x[i] - s[i];
    trend_of(t, n, learn, opt->trend, t);
    for (size_t i = 0; i < n; i++) {
        double base = s[i] + t[i];
        if (baseline)
            baseline[i] = base;
        if (residual)
            residual[i] = x[i] - base;
        if (seasonal)
            seasonal[i] = s[i];
        if (trend)
            trend[i] = t[i];
    }
    if (period)
        *period = p;
    aiq_xfree(mem);
    return AIQ_SERIES_OK;
}

AiqSeriesStatus aiq_series_decompose_anomalies(const double *x, size_t n, double threshold,
                                               const AiqSeriesDecomposeOptions *opt,
                                               AiqSeriesOutlierKind method, double *flags,
                                               double *scores, double *baseline)
{
    if (isnan(threshold) || threshold < 0)
        return AIQ_SERIES_ERR_THRESHOLD;
    if (method != AIQ_SERIES_CTUKEY && method != AIQ_SERIES_TUKEY)
        return AIQ_SERIES_ERR_KIND;
    double *mem = aiq_xmalloc((3 * n + 1) * sizeof *mem);
    double *base = mem, *resid = mem + n, *sc = mem + 2 * n;
    AiqSeriesStatus st = aiq_series_decompose(x, n, opt, base, NULL, NULL, resid, NULL);
    if (st != AIQ_SERIES_OK) {
        aiq_xfree(mem);
        return st;
    }
    /* The fences are learned from the residuals before the test points,
     * which are then judged against them. */
    score_outliers(resid, n, learn_len(n, opt->test_points), NAN, fences_for(method, 10, 90), sc);
    for (size_t i = 0; i < n; i++) {
        if (flags)
            flags[i] = sc[i] > threshold ? 1 : sc[i] < -threshold ? -1 : 0;
        if (scores)
            scores[i] = sc[i];
        if (baseline)
            baseline[i] = base[i];
    }
    aiq_xfree(mem);
    return AIQ_SERIES_OK;
}

AiqSeriesStatus aiq_series_decompose_forecast(const double *x, size_t n, int64_t points,
                                              int64_t seasonality, AiqSeriesTrend trend,
                                              double seasonality_threshold, double *forecast)
{
    AiqSeriesDecomposeOptions opt = {seasonality, trend, points, seasonality_threshold};
    return aiq_series_decompose(x, n, &opt, forecast, NULL, NULL, NULL, NULL);
}
