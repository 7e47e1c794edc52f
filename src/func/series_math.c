/*
 * series_math.c -- the simple half of the series library: statistics,
 * reductions, missing-value fills, element-wise math, FIR/IIR filters, and
 * the sorting/percentile/normal-quantile helpers the other series_*.c files
 * share. Fits live in series_fit.c, periods in series_periods.c, outliers and
 * decomposition in series_decompose.c. See series_math.h for conventions.
 */
#include <math.h>
#include <stdlib.h>

#include "func/series_internal.h"
#include "func/series_math.h"
#include "util/mem.h"
#include "util/sort.h"

/* ORDER STATUS: one message per AiqSeriesStatus, in enum order. */
static const char *const status_text[] = {
    "ok",
    "kind must be 'ctukey' or 'tukey'",
    "percentiles must lie in [2, 98], the minimum below the maximum",
    "trend must be 'avg', 'linefit' or 'none'",
    "seasonality must be -1 (detect), 0 (none) or a positive number of bins",
    "the number of test points must not be negative",
    "threshold must be a number not below 0",
    "degree must be a whole number from 0 to 64",
    "the filter must have at least one coefficient",
    "denominators must not be empty and the first must not be 0",
    "the moving-average width must be at least 1",
    "min_period and max_period must be numbers",
    "num_periods must be at least 1",
};

const char *aiq_series_status_text(AiqSeriesStatus s)
{
    if ((size_t)s >= sizeof status_text / sizeof status_text[0])
        return "invalid argument";
    return status_text[s];
}

/* ---------------------------------------------------------------- helpers */

/* Neumaier's compensated sum: statistics over long series stay exact to
 * the last bits instead of losing one bit per doubling of the length. */
typedef struct Sum {
    double s, c;
} Sum;

static void sum_add(Sum *k, double v)
{
    double t = k->s + v;
    if (fabs(k->s) >= fabs(v))
        k->c += (k->s - t) + v;
    else
        k->c += (v - t) + k->s;
    k->s = t;
}

static double sum_value(const Sum *k)
{
    return k->s + k->c;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

void aiq_series_sort(double *v, size_t m)
{
    if (m > 1)
        aiq_sort(v, m, sizeof *v, cmp_double);
}

double aiq_series_percentile_sorted(const double *sorted, size_t m, double pct)
{
    double rank = pct / 100.0 * (double)(m - 1);
    size_t lo = (size_t)floor(rank);
    if (lo + 1 >= m)
        return sorted[m - 1];
    return sorted[lo] + (rank - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double aiq_series_median(double *v, size_t m)
{
    if (m == 0)
        return NAN;
    aiq_series_sort(v, m);
    return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2.0;
}

/* Acklam's rational approximation (relative error 1.2e-9), then one Halley
 * step against erfc, which brings it to full double precision. */
double aiq_series_normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double plow = 0.02425;
    double z;
    if (p < plow || p > 1 - plow) {
        double q = sqrt(-2 * log(p < plow ? p : 1 - p));
        z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        if (p > 1 - plow)
            z = -z;
    } else {
        double q = p - 0.5, r = q * q;
        z = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    double e = 0.5 * erfc(-z / sqrt(2.0)) - p;
    double u = e * sqrt(2 * M_PI) * exp(z * z / 2);
    return z - u / (1 + z * u / 2);
}

/* ------------------------------------------------------------- statistics */

void aiq_series_stats(const double *x, size_t n, bool ignore_nonfinite, AiqSeriesStats *out)
{
    *out = (AiqSeriesStats){.min = NAN,
                            .max = NAN,
                            .min_idx = -1,
                            .max_idx = -1,
                            .avg = NAN,
                            .variance = NAN,
                            .stdev = NAN,
                            .sum = NAN,
                            .count = 0,
                            .len = n};
    if (!ignore_nonfinite)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(x[i]))
                return; /* Kusto: a non-finite element makes every statistic null */
    Sum sum = {0, 0};
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            continue;
        if (count == 0 || x[i] < out->min) {
            out->min = x[i];
            out->min_idx = (int64_t)i;
        }
        if (count == 0 || x[i] > out->max) {
            out->max = x[i];
            out->max_idx = (int64_t)i;
        }
        sum_add(&sum, x[i]);
        count++;
    }
    if (count == 0)
        return;
    out->count = count;
    out->sum = sum_value(&sum);
    out->avg = out->sum / (double)count;
    /* Two passes: the sum of squared deviations from the mean does not
     * cancel the way sum(x^2) - n*mean^2 does. */
    Sum ss = {0, 0};
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            sum_add(&ss, (x[i] - out->avg) * (x[i] - out->avg));
    out->variance = count > 1 ? sum_value(&ss) / (double)(count - 1) : 0.0;
    out->stdev = sqrt(out->variance);
}

double aiq_series_sum(const double *x, size_t n)
{
    Sum s = {0, 0};
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sum_add(&s, x[i]);
            count++;
        }
    return count ? sum_value(&s) : NAN;
}

double aiq_series_product(const double *x, size_t n)
{
    double p = 1;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            p *= x[i];
            count++;
        }
    return count ? p : NAN;
}

double aiq_series_magnitude(const double *x, size_t n)
{
    Sum s = {0, 0};
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sum_add(&s, x[i] * x[i]);
            count++;
        }
    return count ? sqrt(sum_value(&s)) : NAN;
}

double aiq_series_dot_product(const double *a, size_t na, const double *b, size_t nb)
{
    size_t n = na < nb ? na : nb, pairs = 0;
    Sum s = {0, 0};
    for (size_t i = 0; i < n; i++)
        if (!isnan(a[i]) && !isnan(b[i])) {
            sum_add(&s, a[i] * b[i]);
            pairs++;
        }
    return pairs ? sum_value(&s) : NAN;
}

double aiq_series_cosine_similarity(const double *a, size_t na, const double *b, size_t nb,
                                    double mag_a, double mag_b)
{
    size_t n = na < nb ? na : nb;
    if (n == 0)
        return NAN;
    double dot = aiq_series_dot_product(a, n, b, n);
    if (isnan(mag_a))
        mag_a = aiq_series_magnitude(a, n);
    if (isnan(mag_b))
        mag_b = aiq_series_magnitude(b, n);
    if (isnan(dot) || !(mag_a > 0) || !(mag_b > 0))
        return NAN;
    return dot / (mag_a * mag_b);
}

double aiq_series_pearson_correlation(const double *a, size_t na, const double *b, size_t nb)
{
    if (na != nb || na < 2)
        return NAN;
    Sum sa = {0, 0}, sb = {0, 0};
    for (size_t i = 0; i < na; i++) {
        if (isnan(a[i]) || isnan(b[i]))
            return NAN;
        sum_add(&sa, a[i]);
        sum_add(&sb, b[i]);
    }
    double ma = sum_value(&sa) / (double)na, mb = sum_value(&sb) / (double)na;
    Sum sab = {0, 0}, saa = {0, 0}, sbb = {0, 0};
    for (size_t i = 0; i < na; i++) {
        sum_add(&sab, (a[i] - ma) * (b[i] - mb));
        sum_add(&saa, (a[i] - ma) * (a[i] - ma));
        sum_add(&sbb, (b[i] - mb) * (b[i] - mb));
    }
    /* One square root of the product, so b = k*a gives exactly 1 (as in
     * Kusto's example); two roots when the product would overflow. */
    double va = sum_value(&saa), vb = sum_value(&sbb), den = sqrt(va * vb);
    if (!isfinite(den))
        den = sqrt(va) * sqrt(vb);
    if (!(den > 0))
        return NAN;
    double r = sum_value(&sab) / den;
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* ------------------------------------------------------------------ fills */

void aiq_series_fill_forward(const double *x, size_t n, double missing, double *out)
{
    bool have = false;
    double last = 0;
    for (size_t i = 0; i < n; i++) {
        if (!aiq_series_is_missing(x[i], missing)) {
            have = true;
            last = x[i];
        }
        out[i] = have ? last : x[i];
    }
}

void aiq_series_fill_backward(const double *x, size_t n, double missing, double *out)
{
    bool have = false;
    double next = 0;
    for (size_t i = n; i-- > 0;) {
        if (!aiq_series_is_missing(x[i], missing)) {
            have = true;
            next = x[i];
        }
        out[i] = have ? next : x[i];
    }
}

void aiq_series_fill_const(const double *x, size_t n, double value, double missing, double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = aiq_series_is_missing(x[i], missing) ? value : x[i];
}

void aiq_series_fill_linear(const double *x, size_t n, double missing, bool fill_edges,
                            double constant, bool integers, double *out)
{
    size_t first = n, last = 0;
    for (size_t i = 0; i < n; i++)
        if (!aiq_series_is_missing(x[i], missing)) {
            if (first == n)
                first = i;
            last = i;
        }
    if (first == n) {
        /* All missing: Kusto fills with constant_value; a null constant
         * keeps the elements as they are. */
        for (size_t i = 0; i < n; i++)
            out[i] = isnan(constant) ? x[i] : constant;
        return;
    }
    /* Only present elements are read below, and those are never written,
     * so out may be x. */
    double head = x[first], tail = x[last];
    for (size_t i = 0; i < first; i++)
        out[i] = fill_edges ? head : x[i];
    for (size_t i = last + 1; i < n; i++)
        out[i] = fill_edges ? tail : x[i];
    size_t prev = first;
    out[first] = x[first];
    for (size_t i = first + 1; i <= last; i++) {
        if (aiq_series_is_missing(x[i], missing))
            continue;
        double from = x[prev], to = x[i], span = (double)(i - prev);
        for (size_t j = prev + 1; j < i; j++) {
            double v = from + (to - from) * (double)(j - prev) / span;
            out[j] = integers ? trunc(v) : v;
        }
        out[i] = to;
        prev = i;
    }
}

/* ------------------------------------------------------------ element-wise */

static double sign_of(double v)
{
    if (isnan(v))
        return NAN;
    return (v > 0) - (v < 0);
}

/* ORDER UNARY: one function per AiqSeriesUnaryOp, in enum order. */
static double (*const unary_fn[])(double) = {fabs, acos,  asin, atan,    ceil, cos,
                                             exp,  floor, log,  sign_of, sin,  tan};

void aiq_series_unary(AiqSeriesUnaryOp op, const double *x, size_t n, double *out)
{
    double (*f)(double) = unary_fn[op];
    for (size_t i = 0; i < n; i++)
        out[i] = f(x[i]);
}

size_t aiq_series_binary_len(AiqSeriesOperand a, AiqSeriesOperand b)
{
    if (a.scalar && b.scalar)
        return 1;
    if (a.scalar)
        return b.n;
    if (b.scalar)
        return a.n;
    return a.n > b.n ? a.n : b.n;
}

static double binary_op(AiqSeriesBinaryOp op, double a, double b)
{
    /* Checked first because pow(1, NaN) and pow(NaN, 0) are 1 in C, and a
     * null operand must give null whatever the operation. */
    if (isnan(a) || isnan(b))
        return NAN;
    switch (op) {
    case AIQ_SERIES_ADD:
        return a + b;
    case AIQ_SERIES_SUBTRACT:
        return a - b;
    case AIQ_SERIES_MULTIPLY:
        return a * b;
    case AIQ_SERIES_DIVIDE:
        return a / b;
    case AIQ_SERIES_POW:
        return pow(a, b);
    case AIQ_SERIES_GREATER:
        return a > b;
    case AIQ_SERIES_GREATER_EQUALS:
        return a >= b;
    case AIQ_SERIES_LESS:
        return a < b;
    case AIQ_SERIES_LESS_EQUALS:
        return a <= b;
    case AIQ_SERIES_EQUALS:
        return a == b;
    case AIQ_SERIES_NOT_EQUALS:
        return a != b;
    }
    return NAN;
}

void aiq_series_binary(AiqSeriesBinaryOp op, AiqSeriesOperand a, AiqSeriesOperand b, double *out)
{
    size_t n = aiq_series_binary_len(a, b);
    /* Scalars are read once, before out (which may alias them) is written. */
    double sa = a.scalar ? a.v[0] : 0, sb = b.scalar ? b.v[0] : 0;
    for (size_t i = 0; i < n; i++) {
        double va = a.scalar ? sa : i < a.n ? a.v[i] : NAN;
        double vb = b.scalar ? sb : i < b.n ? b.v[i] : NAN;
        out[i] = binary_op(op, va, vb);
    }
}

/* ---------------------------------------------------------------- filters */

AiqSeriesStatus aiq_series_fir(const double *x, size_t n, const double *filter, size_t nf,
                               int normalize, bool center, double *out)
{
    if (nf == 0)
        return AIQ_SERIES_ERR_FILTER;
    double sum = 0;
    bool negative = false;
    for (size_t j = 0; j < nf; j++) {
        sum += filter[j];
        negative |= filter[j] < 0;
    }
    bool norm = normalize == AIQ_SERIES_DEFAULT ? !negative : normalize != 0;
    if (norm && (negative || sum == 0)) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return AIQ_SERIES_OK;
    }
    double *c = aiq_xmalloc(nf * sizeof *c);
    for (size_t j = 0; j < nf; j++)
        c[j] = norm ? filter[j] / sum : filter[j];
    size_t shift = center ? nf / 2 : 0;
    for (size_t i = 0; i < n; i++) {
        double acc = 0;
        for (size_t j = 0; j < nf; j++) {
            /* x[i + shift - j], skipping positions outside x (counted as 0)
             * and zero coefficients (no dependency, so a null there does
             * not null the output). */
            if (c[j] == 0 || i + shift < j || i + shift - j >= n)
                continue;
            acc += c[j] * x[i + shift - j];
        }
        out[i] = acc;
    }
    aiq_xfree(c);
    return AIQ_SERIES_OK;
}

AiqSeriesStatus aiq_series_iir(const double *x, size_t n, const double *b, size_t nb,
                               const double *a, size_t na, double *out)
{
    if (nb == 0)
        return AIQ_SERIES_ERR_FILTER;
    if (na == 0 || a[0] == 0 || isnan(a[0]))
        return AIQ_SERIES_ERR_DENOMINATOR;
    for (size_t i = 0; i < n; i++) {
        double acc = 0;
        for (size_t j = 0; j < nb && j <= i; j++)
            if (b[j] != 0)
                acc += b[j] * x[i - j];
        for (size_t j = 1; j < na && j <= i; j++)
            if (a[j] != 0)
                acc -= a[j] * out[i - j];
        out[i] = acc / a[0];
    }
    return AIQ_SERIES_OK;
}

/* The same as series_fir with `width` ones, normalized, but by prefix sums:
 * O(n) whatever the width, and no filter array to allocate for a width the
 * caller chose (a width of 10^12 is valid KQL and must not exhaust memory). */
AiqSeriesStatus aiq_series_moving_avg(const double *x, size_t n, int64_t width, bool center,
                                      double *out)
{
    if (width < 1)
        return AIQ_SERIES_ERR_WIDTH;
    long double *sum = aiq_xmalloc((n + 1) * sizeof *sum);
    size_t *nulls = aiq_xmalloc((n + 1) * sizeof *nulls);
    sum[0] = 0;
    nulls[0] = 0;
    for (size_t i = 0; i < n; i++) {
        sum[i + 1] = sum[i] + (isnan(x[i]) ? 0 : x[i]);
        nulls[i + 1] = nulls[i] + (isnan(x[i]) != 0);
    }
    int64_t shift = center ? width / 2 : 0;
    for (size_t i = 0; i < n; i++) {
        /* The window x[i + shift - width + 1 .. i + shift], clipped to x. */
        int64_t hi = (int64_t)i + shift, lo = hi - (width - 1);
        if (hi > (int64_t)n - 1)
            hi = (int64_t)n - 1;
        if (lo < 0)
            lo = 0;
        if (lo > hi)
            out[i] = 0;
        else if (nulls[hi + 1] != nulls[lo])
            out[i] = NAN;
        else
            out[i] = (double)((sum[hi + 1] - sum[lo]) / (long double)width);
    }
    aiq_xfree(nulls);
    aiq_xfree(sum);
    return AIQ_SERIES_OK;
}
