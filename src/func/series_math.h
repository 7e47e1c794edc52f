/*
 * series_math.h -- the numerical core of KQL's series_* functions, as a leaf
 * library: statistics, fills, element-wise math, FIR/IIR filters, line and
 * polynomial fits, Tukey outlier scores, period detection and the seasonal
 * decomposition behind series_decompose_anomalies/forecast.
 *
 * The registry wraps these functions: it turns a dynamic array into doubles,
 * calls one function here, and turns the doubles back into a dynamic array.
 * Nothing here knows about JSON, vectors or the AST; every function is pure
 * (no global state) and safe to call from several threads at once.
 *
 * Conventions, for every function below:
 *  - A series is `const double *x, size_t n`. NaN stands for a null (missing)
 *    element: the caller maps null, and anything that is not a number, to NaN
 *    before the call, and maps NaN in an output back to null. Kusto tells a
 *    real NaN from null; this library does not, so 0/0 comes back as null.
 *  - Outputs go to arrays the caller provides, `n` elements unless stated.
 *    An output array may be the input array itself only where the comment
 *    says "in place is fine".
 *  - Scalar results are NaN when Kusto's result is null; an index result is
 *    -1 when it is null.
 *  - A function that can reject an argument returns AiqSeriesStatus; the
 *    caller turns a non-OK status into an AiqError on that argument, with
 *    aiq_series_status_text() as the message. Data never causes an error:
 *    a series too short or too empty for a result gives nulls.
 *  - Scratch memory comes from aiq_xmalloc and is freed before returning.
 *
 * KQL function                        here
 * series_stats, series_stats_dynamic  aiq_series_stats
 * series_sum/product/magnitude        aiq_series_sum/product/magnitude
 * series_dot_product                  aiq_series_dot_product
 * series_cosine_similarity            aiq_series_cosine_similarity
 * series_pearson_correlation          aiq_series_pearson_correlation
 * series_fill_forward/backward/const/linear   aiq_series_fill_*
 * series_abs ... series_tan           aiq_series_unary
 * series_add ... series_not_equals, series_pow   aiq_series_binary
 * series_fir, series_iir              aiq_series_fir, aiq_series_iir
 * series_moving_avg_fl                aiq_series_moving_avg
 * series_fit_line[_dynamic]           aiq_series_fit_line
 * series_fit_2lines[_dynamic]         aiq_series_fit_2lines
 * series_fit_poly                     aiq_series_fit_poly
 * series_outliers                     aiq_series_outliers
 * series_periods_detect/validate      aiq_series_periods_detect/validate
 * series_seasonal                     aiq_series_seasonal
 * series_decompose[_anomalies|_forecast]   aiq_series_decompose[_anomalies|_forecast]
 */
#ifndef AIQ_FUNC_SERIES_MATH_H
#define AIQ_FUNC_SERIES_MATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why an argument was rejected. ORDER STATUS: aiq_series_status_text. */
typedef enum AiqSeriesStatus {
    AIQ_SERIES_OK = 0,
    AIQ_SERIES_ERR_KIND,         /* outlier kind is not 'tukey' or 'ctukey' */
    AIQ_SERIES_ERR_PERCENTILE,   /* min/max percentile outside [2, 98], or min >= max */
    AIQ_SERIES_ERR_TREND,        /* trend is not 'avg', 'linefit' or 'none' */
    AIQ_SERIES_ERR_SEASONALITY,  /* seasonality below -1 */
    AIQ_SERIES_ERR_TEST_POINTS,  /* test points (or forecast points) negative */
    AIQ_SERIES_ERR_THRESHOLD,    /* a threshold that is NaN or negative */
    AIQ_SERIES_ERR_DEGREE,       /* polynomial degree outside [0, AIQ_SERIES_MAX_DEGREE] */
    AIQ_SERIES_ERR_FILTER,       /* FIR filter, or IIR numerators, empty */
    AIQ_SERIES_ERR_DENOMINATOR,  /* IIR denominators empty, or the first one is 0 */
    AIQ_SERIES_ERR_WIDTH,        /* moving-average width below 1 */
    AIQ_SERIES_ERR_PERIOD_RANGE, /* min_period or max_period NaN */
    AIQ_SERIES_ERR_NUM_PERIODS,  /* num_periods below 1 */
} AiqSeriesStatus;

/* Returns a static, human-readable description of s (never NULL). */
const char *aiq_series_status_text(AiqSeriesStatus s);

/* ------------------------------------------------------------------------
 * Statistics: series_stats, series_stats_dynamic and the scalar reductions.
 * ------------------------------------------------------------------------ */

typedef struct AiqSeriesStats {
    double min, max;          /* extremes of the values used */
    int64_t min_idx, max_idx; /* first position of min/max in x; -1 when null */
    double avg;               /* mean */
    double variance, stdev;   /* sample (n-1) variance and its square root; 0 for one value */
    double sum;               /* sum of the values used */
    size_t count;             /* number of values used */
    size_t len;               /* number of elements in x, used or not */
} AiqSeriesStats;

/* series_stats(x, ignore_nonfinite): statistics of x. When x holds a null or
 * an infinity and ignore_nonfinite is false, every statistic is null (as
 * Kusto documents); when it is true those elements are skipped. With no
 * values, every statistic is null and count is 0. */
void aiq_series_stats(const double *x, size_t n, bool ignore_nonfinite, AiqSeriesStats *out);

/* series_sum, series_product and series_magnitude (square root of the sum
 * of squares): nulls are skipped; NaN when x has no value at all. */
double aiq_series_sum(const double *x, size_t n);
double aiq_series_product(const double *x, size_t n);
double aiq_series_magnitude(const double *x, size_t n);

/* series_dot_product(a, b): sum of a[i]*b[i] over the first min(na, nb)
 * positions, skipping pairs with a null; NaN when no pair is left. The
 * caller broadcasts a scalar argument into an array. */
double aiq_series_dot_product(const double *a, size_t na, const double *b, size_t nb);

/* series_cosine_similarity(a, b, mag_a, mag_b): dot(a, b) / (|a| |b|) over
 * the first min(na, nb) positions. A magnitude passed as NaN is computed
 * from the truncated series (nulls skipped). NaN when either series is empty
 * or a magnitude is 0. */
double aiq_series_cosine_similarity(const double *a, size_t na, const double *b, size_t nb,
                                    double mag_a, double mag_b);

/* series_pearson_correlation(a, b): Pearson's r. NaN when the lengths
 * differ, either holds a null, there are fewer than 2 elements, or either
 * series is constant (Kusto: any non-numeric or missing element gives null). */
double aiq_series_pearson_correlation(const double *a, size_t na, const double *b, size_t nb);

/* ------------------------------------------------------------------------
 * Missing-value fills. `missing` is the placeholder to replace: NaN means
 * null (the default), any other value matches by ==. In place is fine.
 * ------------------------------------------------------------------------ */

/* series_fill_forward: each missing element takes the nearest value on its
 * left; leading missing elements stay. */
void aiq_series_fill_forward(const double *x, size_t n, double missing, double *out);
/* series_fill_backward: each missing element takes the nearest value on its
 * right; trailing missing elements stay. */
void aiq_series_fill_backward(const double *x, size_t n, double missing, double *out);
/* series_fill_const: each missing element becomes value. */
void aiq_series_fill_const(const double *x, size_t n, double value, double missing, double *out);
/* series_fill_linear: missing runs between two values are interpolated on a
 * straight line; leading and trailing runs take the nearest value when
 * fill_edges, else stay missing. When every element is missing, all become
 * constant (Kusto's default is 0; NaN keeps them null). When integers (the
 * array held only int/long), interpolated values are truncated toward zero,
 * as Kusto does (73.5 -> 73). */
void aiq_series_fill_linear(const double *x, size_t n, double missing, bool fill_edges,
                            double constant, bool integers, double *out);

/* ------------------------------------------------------------------------
 * Element-wise math. A null operand element gives a null result element.
 * ------------------------------------------------------------------------ */

/* ORDER UNARY: the function table in series_math.c. */
typedef enum AiqSeriesUnaryOp {
    AIQ_SERIES_ABS,
    AIQ_SERIES_ACOS,
    AIQ_SERIES_ASIN,
    AIQ_SERIES_ATAN,
    AIQ_SERIES_CEILING,
    AIQ_SERIES_COS,
    AIQ_SERIES_EXP,
    AIQ_SERIES_FLOOR,
    AIQ_SERIES_LOG, /* natural logarithm */
    AIQ_SERIES_SIGN,
    AIQ_SERIES_SIN,
    AIQ_SERIES_TAN,
} AiqSeriesUnaryOp;

/* series_abs/acos/.../tan(x). In place is fine. */
void aiq_series_unary(AiqSeriesUnaryOp op, const double *x, size_t n, double *out);

typedef enum AiqSeriesBinaryOp {
    AIQ_SERIES_ADD,
    AIQ_SERIES_SUBTRACT,
    AIQ_SERIES_MULTIPLY,
    AIQ_SERIES_DIVIDE, /* IEEE division: 2/0 is +inf */
    AIQ_SERIES_POW,
    AIQ_SERIES_GREATER, /* comparisons give 1 (true) or 0 (false) */
    AIQ_SERIES_GREATER_EQUALS,
    AIQ_SERIES_LESS,
    AIQ_SERIES_LESS_EQUALS,
    AIQ_SERIES_EQUALS,
    AIQ_SERIES_NOT_EQUALS,
} AiqSeriesBinaryOp;

/* One operand of an element-wise operation: an array, or a scalar that
 * stands for an array of any length (series_multiply(10, s)). */
typedef struct AiqSeriesOperand {
    const double *v; /* n elements; a scalar reads v[0] */
    size_t n;        /* elements in v; ignored for a scalar */
    bool scalar;
} AiqSeriesOperand;

/* Length of the result of a binary operation: the longer array (Kusto pads
 * the shorter one with nulls); a scalar takes the other operand's length;
 * two scalars give 1. */
size_t aiq_series_binary_len(AiqSeriesOperand a, AiqSeriesOperand b);
/* series_add/subtract/.../not_equals(a, b) into out, which holds
 * aiq_series_binary_len(a, b) elements. In place (out == a.v or b.v) is fine. */
void aiq_series_binary(AiqSeriesBinaryOp op, AiqSeriesOperand a, AiqSeriesOperand b, double *out);

/* ------------------------------------------------------------------------
 * Filters.
 * ------------------------------------------------------------------------ */

#define AIQ_SERIES_DEFAULT (-1) /* for a tri-state bool argument left out */

/* series_fir(x, filter, normalize, center): out[i] = sum of filter[j] *
 * x[i + shift - j], where shift is 0, or nf/2 when center, and elements
 * outside x count as 0. normalize is 1, 0 or AIQ_SERIES_DEFAULT (true unless
 * the filter has a negative coefficient); normalizing divides the filter by
 * the sum of its coefficients. When normalize is 1 and the filter has a
 * negative coefficient, or sums to 0, every output is null (Kusto). A null
 * in x nulls every output whose window covers it with a nonzero
 * coefficient. */
AiqSeriesStatus aiq_series_fir(const double *x, size_t n, const double *filter, size_t nf,
                               int normalize, bool center, double *out);

/* series_iir(x, numerators b, denominators a):
 *   out[i] = (b[0] x[i] + ... + b[nb-1] x[i-nb+1] - a[1] out[i-1] - ... ) / a[0]
 * with elements before the start counted as 0. A null in x nulls that
 * output and, through the feedback, every later one that depends on it. */
AiqSeriesStatus aiq_series_iir(const double *x, size_t n, const double *b, size_t nb,
                               const double *a, size_t na, double *out);

/* series_moving_avg_fl(x, width, center) from Kusto's function library:
 * series_fir(x, repeat(1, width), true, center). */
AiqSeriesStatus aiq_series_moving_avg(const double *x, size_t n, int64_t width, bool center,
                                      double *out);

/* ------------------------------------------------------------------------
 * Regression. Positions are x = 1..n, as in Kusto; nulls are left out of
 * the fit but the fitted line covers every position.
 * ------------------------------------------------------------------------ */

typedef struct AiqSeriesLineFit {
    double rsquare;      /* 1 - RSS/TSS; 1 for a constant series */
    double slope;        /* a in y = a*x + b */
    double interception; /* b in y = a*x + b */
    double variance;     /* sample variance of the values */
    double rvariance;    /* residual sum of squares / (count - 1) */
} AiqSeriesLineFit;

/* series_fit_line(x): least-squares line; line_fit (n elements, may be NULL)
 * gets its values. Fewer than 2 values: every result null. */
void aiq_series_fit_line(const double *x, size_t n, AiqSeriesLineFit *fit, double *line_fit);

typedef struct AiqSeries2LinesFit {
    double rsquare;         /* 1 - (RSS_left + RSS_right) / TSS */
    int64_t split_idx;      /* first index of the right segment; -1 when null */
    double variance;        /* sample variance of all values */
    double rvariance;       /* (RSS_left + RSS_right) / (count - 1) */
    AiqSeriesLineFit left;  /* series_fit_line of x[0 .. split_idx) */
    AiqSeriesLineFit right; /* series_fit_line of x[split_idx .. n), positions from 1 */
} AiqSeries2LinesFit;

/* series_fit_2lines(x): the split into two segments, each of at least 2
 * values, whose two lines give the highest total r-square (the first such
 * split on a tie). line_fit (n elements, may be NULL) follows the left line
 * then the right one. Fewer than 4 values: every result null. */
void aiq_series_fit_2lines(const double *x, size_t n, AiqSeries2LinesFit *fit, double *line_fit);

#define AIQ_SERIES_MAX_DEGREE 64

typedef struct AiqSeriesPolyFit {
    double rsquare;   /* 1 - RSS/TSS; 1 for a constant series */
    double variance;  /* sample variance of y */
    double rvariance; /* residual sum of squares / (count - 1) */
} AiqSeriesPolyFit;

/* series_fit_poly(y, x, degree): least-squares polynomial of the given degree
 * (Kusto's default is 1). xs may be NULL for positions 1..n; otherwise a
 * point needs both xs[i] (i < nx) and y[i]. coefficients gets degree+1
 * values, highest power first; poly_fit (n elements, may be NULL) the fitted
 * values (null where xs has no value). With fewer than degree+1 points, or
 * when the points cannot determine the polynomial, every result is null. */
AiqSeriesStatus aiq_series_fit_poly(const double *y, size_t n, const double *xs, size_t nx,
                                    int64_t degree, AiqSeriesPolyFit *fit, double *coefficients,
                                    double *poly_fit);

/* ------------------------------------------------------------------------
 * Outliers, periods and decomposition.
 * ------------------------------------------------------------------------ */

typedef enum AiqSeriesOutlierKind {
    AIQ_SERIES_CTUKEY, /* Tukey's fences on custom percentiles, 10th/90th by default */
    AIQ_SERIES_TUKEY,  /* classic Tukey: 25th/75th percentiles */
} AiqSeriesOutlierKind;

typedef enum AiqSeriesTrend {
    AIQ_SERIES_TREND_AVG,     /* trend = mean of the deseasonalized series */
    AIQ_SERIES_TREND_LINEFIT, /* trend = line fitted to the deseasonalized series */
    AIQ_SERIES_TREND_NONE,    /* no trend component */
} AiqSeriesTrend;

/* Parses Kusto's spelling ('ctukey', 'tukey'; 'avg', 'linefit', 'none'),
 * case-sensitively as Kusto does. Returns AIQ_SERIES_ERR_KIND/_TREND when
 * the text is none of them. */
AiqSeriesStatus aiq_series_parse_kind(const char *s, size_t len, AiqSeriesOutlierKind *out);
AiqSeriesStatus aiq_series_parse_trend(const char *s, size_t len, AiqSeriesTrend *out);

/* series_outliers(x, kind, ignore_val, min_percentile, max_percentile):
 * score[i] is 0 inside [P_low, P_high], else its distance beyond the nearer
 * percentile in units of (P_high - P_low), scaled so that 1.5 marks a mild
 * outlier as in classic Tukey (see series_decompose.c). Percentiles
 * interpolate linearly between the sorted values, leaving out nulls and
 * ignore_val (NaN = none); those elements score 0. The percentiles are used
 * by 'ctukey' only and must lie in [2, 98] (Kusto's defaults: 10 and 90). */
AiqSeriesStatus aiq_series_outliers(const double *x, size_t n, AiqSeriesOutlierKind kind,
                                    double ignore_val, double min_percentile, double max_percentile,
                                    double *score);

/* series_periods_detect(x, min_period, max_period, num_periods): the most
 * significant periods (in bins, whole numbers from max(4, min_period) to
 * min(max_period, n/2)) and their scores in [0, 1], best first. periods and
 * scores hold num_periods elements; unused slots are 0, as in Kusto's
 * output. A period is reported once, as its fundamental (7, not 14 or 49).
 * The score and the rules are explained in series_periods.c. */
AiqSeriesStatus aiq_series_periods_detect(const double *x, size_t n, double min_period,
                                          double max_period, int64_t num_periods, double *periods,
                                          double *scores);

/* series_periods_validate(x, period1, ...): the score of each given period
 * (which may be fractional) into scores[np]; 0 for a period below 4 or
 * above n/2, as Kusto documents. */
void aiq_series_periods_validate(const double *x, size_t n, const double *periods, size_t np,
                                 double *scores);

/* series_seasonal(x, period): the median of the values in the same phase
 * (i mod period). period -1 detects it (series_periods_detect over [4, n/2],
 * score at least 0.7, as Kusto documents); when none is found, or period is
 * 0 or below -1, the result is all zeros. */
void aiq_series_seasonal(const double *x, size_t n, int64_t period, double *out);

typedef struct AiqSeriesDecomposeOptions {
    int64_t seasonality;          /* -1 detect, 0 none, > 0 period in bins */
    AiqSeriesTrend trend;         /* how to extract the trend */
    int64_t test_points;          /* trailing points left out of the learning */
    double seasonality_threshold; /* least period score when seasonality is -1 */
} AiqSeriesDecomposeOptions;

/* Kusto's defaults for series_decompose and series_decompose_anomalies. */
/* clang-format off */
#define AIQ_SERIES_DECOMPOSE_DEFAULTS {-1, AIQ_SERIES_TREND_AVG, 0, 0.6}
/* clang-format on */
#define AIQ_SERIES_ANOMALY_THRESHOLD 1.5
/* series_decompose_forecast's default trend: see series_decompose.c. */
#define AIQ_SERIES_FORECAST_TREND AIQ_SERIES_TREND_LINEFIT

/* series_decompose(x, seasonality, trend, test_points, threshold). Learns
 * from the first n - test_points elements: seasonal is the median of the
 * learning values in the same phase (null for a phase with none), trend is
 * extracted from x - seasonal, baseline = seasonal + trend, residual =
 * x - baseline. Seasonal and trend extend over the test points (the line is
 * extrapolated). Any output may be NULL; *period (may be NULL) gets the
 * period used, 0 for none. */
AiqSeriesStatus aiq_series_decompose(const double *x, size_t n,
                                     const AiqSeriesDecomposeOptions *opt, double *baseline,
                                     double *seasonal, double *trend, double *residual,
                                     int64_t *period);

/* series_decompose_anomalies(x, threshold, seasonality, trend, test_points,
 * method, seasonality_threshold): decomposes x, scores the residuals with
 * series_outliers (method, default 10th/90th percentiles taken over the
 * learning part only) and flags a score above threshold +1, below
 * -threshold -1, else 0. Null elements of x score 0 and flag 0. Any output
 * may be NULL. */
AiqSeriesStatus aiq_series_decompose_anomalies(const double *x, size_t n, double threshold,
                                               const AiqSeriesDecomposeOptions *opt,
                                               AiqSeriesOutlierKind method, double *flags,
                                               double *scores, double *baseline);

/* series_decompose_forecast(x, points, seasonality, trend, threshold): the
 * baseline of series_decompose with the last `points` elements left out of
 * the learning: the fitted series followed by the forecast. */
AiqSeriesStatus aiq_series_decompose_forecast(const double *x, size_t n, int64_t points,
                                              int64_t seasonality, AiqSeriesTrend trend,
                                              double seasonality_threshold, double *forecast);

#endif
