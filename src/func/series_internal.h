/*
 * series_internal.h -- helpers shared by the series_*.c files (sorting,
 * percentiles, the normal quantile, autocorrelation, the best period).
 * Not part of the library's API: only series_*.c and the unit tests use it.
 */
#ifndef AIQ_FUNC_SERIES_INTERNAL_H
#define AIQ_FUNC_SERIES_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "func/series_math.h"

/* True when v stands for a missing element: NaN when the placeholder is NaN
 * (null), otherwise v == missing. */
static inline bool aiq_series_is_missing(double v, double missing)
{
    return isnan(missing) ? isnan(v) : v == missing;
}

/* Sorts v[0..m) ascending; v holds no NaN. */
void aiq_series_sort(double *v, size_t m);

/* The pct-th percentile (0..100) of sorted[0..m), m >= 1, interpolating
 * linearly between the two nearest ranks: rank pct/100 * (m - 1). */
double aiq_series_percentile_sorted(const double *sorted, size_t m, double pct);

/* The median of v[0..m) (the mean of the two middle values when m is even);
 * NaN when m is 0. Reorders v. */
double aiq_series_median(double *v, size_t m);

/* The standard normal quantile: z with Phi(z) = p, for 0 < p < 1. */
double aiq_series_normal_quantile(double p);

/* Unbiased autocorrelation of x (nulls as NaN) for lags 0..maxlag, maxlag < n:
 * r[k] = (mean of d[i] d[i+k] over the pairs with both present) / (mean of
 * d[i]^2), where d is x minus the mean of its values. r[k] is NaN when lag k
 * has no pair or the values have no variance. Uses an FFT when the direct
 * sum would be long; aiq_series_autocorr_direct always sums directly (the
 * tests compare the two). */
void aiq_series_autocorr(const double *x, size_t n, size_t maxlag, double *r);
void aiq_series_autocorr_direct(const double *x, size_t n, size_t maxlag, double *r);

/* The best period in [4, n/2] of x less its least-squares line, if its
 * score reaches threshold, else 0: the seasonality detection of
 * series_decompose and series_seasonal. */
int64_t aiq_series_best_period(const double *x, size_t n, double threshold);

/* Least-squares line through the values of x at positions 1..n (nulls left
 * out): the shared core of series_fit_line, the two-line fit and the
 * decomposition's linefit trend. *rss (may be NULL) gets the residual sum of
 * squares. Returns false (outputs untouched) when fewer than 2 values are
 * present. */
bool aiq_series_line(const double *x, size_t n, AiqSeriesLineFit *fit, double *rss);

#endif
