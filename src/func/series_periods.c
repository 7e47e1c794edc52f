/*
 * series_periods.c -- series_periods_detect and series_periods_validate, and
 * the period detection that series_decompose and series_seasonal run when
 * asked to find the seasonality themselves.
 *
 * Kusto does not publish how it scores a period; its documentation gives
 * three worked results, and the score below reproduces all three:
 *   - the 60-point traffic series scores period 14 at 0.84 ("approximately
 *     .84") and is the only period found in [4, 30];
 *   - series_periods_validate on it scores 10 at 0;
 *   - series_seasonal, which keeps periods scoring at least 0.7, finds 6 in
 *     [2,5,3,4,3,2,1,2,...] (score 0.706) and 5 in [8,12,14,12,10,...], and
 *     nothing in the 12-point [1,3,5,2,4,6,1,3,5,2,4,6].
 *
 * The score of a period p is min(r(p), r(2p)) clipped to [0, 1], where r is
 * the unbiased autocorrelation: the mean of d[i]*d[i+k] over the pairs at
 * lag k, over the mean of d[i]^2 (d = x minus its mean). Asking the pattern
 * to recur twice, at p and at 2p, is what separates a real period from a
 * lag that matches by chance once (lag 10 above correlates slightly at 10
 * but not at 20). A period needs at least one pair at lag 2p, so p <= (n-1)/2,
 * in line with Kusto's "at most half of the series length".
 *
 * Detection, best score first:
 *   - candidates are the peaks of r in the range whose prominence (how far
 *     the peak stands above the higher of its two bases) and score both
 *     exceed the 95% band of the autocorrelation of white noise,
 *     1.96/sqrt(count). Prominence rules out the bumps noise puts on a broad
 *     hill and on the slow decline of a smooth series, whose r is near 1 at
 *     every short lag (lag 4 of a smooth series is no period);
 *   - a candidate that is a near multiple of a period already kept is
 *     dropped (28 behind 14); another is replaced by its shortest divisor
 *     scoring within 5% of it, since a clean series scores nearly 1 at every
 *     multiple of its period and chance picks which one scores highest;
 *   - the period is then placed where, in the top of its hill, x correlates
 *     best with itself shifted (see refine);
 *   - a divisor of a better period is kept: Kusto's own example reports a
 *     weekly 84 (0.82) and a daily 12 (0.76), which also says the fold must
 *     stop short of 7% apart.
 */
#include <math.h>
#include <stdlib.h>

#include "func/series_internal.h"
#include "func/series_math.h"
#include "util/mem.h"
#include "util/sort.h"

/* Direct autocorrelation costs n * lags multiplications; past this many the
 * FFT (n log n) is cheaper. */
#define DIRECT_AUTOCORR_LIMIT (1u << 22)

/* Mean and mean square deviation of the values of x; false when none. */
static bool centre(const double *x, size_t n, double *mean, double *var, size_t *count)
{
    long double s = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            s += x[i];
            m++;
        }
    if (m == 0)
        return false;
    long double mu = s / m, ss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            ss += (x[i] - mu) * (x[i] - mu);
    *mean = (double)mu;
    *var = (double)(ss / m);
    *count = m;
    return true;
}

static void fill_nan(double *r, size_t k)
{
    for (size_t i = 0; i < k; i++)
        r[i] = NAN;
}

void aiq_series_autocorr_direct(const double *x, size_t n, size_t maxlag, double *r)
{
    double mean, var;
    size_t m;
    if (!centre(x, n, &mean, &var, &m) || !(var > 0)) {
        fill_nan(r, maxlag + 1);
        return;
    }
    for (size_t k = 0; k <= maxlag; k++) {
        long double s = 0;
        size_t pairs = 0;
        for (size_t i = 0; i + k < n; i++)
            if (!isnan(x[i]) && !isnan(x[i + k])) {
                s += (long double)(x[i] - mean) * (x[i + k] - mean);
                pairs++;
            }
        r[k] = pairs ? (double)(s / pairs / var) : NAN;
    }
}

/* In-place radix-2 complex FFT of (re, im)[0..len), len a power of two;
 * inverse when sign is +1 (unscaled). cs holds cos/sin of 2*pi*j/len for
 * j < len/2, computed once rather than by recurrence, which would drift. */
static void fft(double *re, double *im, size_t len, const double *cs, int sign)
{
    for (size_t i = 1, j = 0; i < len; i++) {
        size_t bit = len >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
        if (i < j) {
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (size_t half = 1; half < len; half <<= 1) {
        size_t step = len / (2 * half);
        for (size_t start = 0; start < len; start += 2 * half)
            for (size_t j = 0; j < half; j++) {
                double wr = cs[2 * j * step], wi = sign * cs[2 * j * step + 1];
                size_t a = start + j, b = a + half;
                double tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
    }
}

/* The autocorrelations of z (centred values, 0 where null) and of the
 * presence mask (1 where present), which counts the pairs at each lag, by
 * Wiener-Khinchin: both ride in one complex transform (z + i*mask) and come
 * back in one inverse transform, zero-padded to twice the length so the
 * correlation is linear, not circular. */
static void autocorr_fft(const double *x, size_t n, double mean, double var, size_t maxlag,
                         double *r)
{
    size_t len = 1;
    while (len < 2 * n)
        len <<= 1;
    double *mem = aiq_xcalloc(3 * len, sizeof *mem);
    double *re = mem, *im = mem + len, *cs = mem + 2 * len;
    for (size_t j = 0; j < len / 2; j++) {
        cs[2 * j] = cos(2 * M_PI * (double)j / (double)len);
        cs[2 * j + 1] = -sin(2 * M_PI * (double)j / (double)len);
    }
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            re[i] = x[i] - mean;
            im[i] = 1;
        }
    fft(re, im, len, cs, 1);
    /* Split the packed transform into the spectra of its real part (Z) and
     * imaginary part (M), and pack their power spectra, both real, back as
     * |Z|^2 + i |M|^2. */
    for (size_t k = 0; k <= len / 2; k++) {
        size_t k2 = (len - k) % len;
        double zr = (re[k] + re[k2]) / 2, zi = (im[k] - im[k2]) / 2;
        double mr = (im[k] + im[k2]) / 2, mi = (re[k2] - re[k]) / 2;
        double pz = zr * zr + zi * zi, pm = mr * mr + mi * mi;
        re[k] = re[k2] = pz;
        im[k] = im[k2] = pm;
    }
    fft(re, im, len, cs, -1);
    for (size_t k = 0; k <= maxlag; k++) {
        double pairs = round(im[k] / (double)len);
        r[k] = pairs > 0 ? re[k] / (double)len / pairs / var : NAN;
    }
    aiq_xfree(mem);
}

void aiq_series_autocorr(const double *x, size_t n, size_t maxlag, double *r)
{
    double mean, var;
    size_t m;
    if ((double)n * (double)(maxlag + 1) <= DIRECT_AUTOCORR_LIMIT) {
        aiq_series_autocorr_direct(x, n, maxlag, r);
        return;
    }
    if (!centre(x, n, &mean, &var, &m) || !(var > 0)) {
        fill_nan(r, maxlag + 1);
        return;
    }
    autocorr_fft(x, n, mean, var, maxlag, r);
}

/* r at a fractional lag, interpolated linearly; NaN past maxlag. */
static double lag_value(const double *r, size_t maxlag, double lag)
{
    double lo = floor(lag);
    if (lo > (double)maxlag)
        return NAN;
    size_t k = (size_t)lo;
    if (lag == lo)
        return r[k];
    if (k + 1 > maxlag)
        return NAN;
    return r[k] + (lag - lo) * (r[k + 1] - r[k]);
}

static double period_score(const double *r, size_t maxlag, size_t n, double p)
{
    if (!(p >= 4) || p > (double)n / 2 || 2 * p > (double)n - 1)
        return 0;
    double a = lag_value(r, maxlag, p), b = lag_value(r, maxlag, 2 * p);
    if (isnan(a) || isnan(b))
        return 0;
    double s = fmin(a, b);
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

/* Autocorrelation up to the lag needed by periods up to max_p, into a new
 * array (free with aiq_xfree); *maxlag gets its last lag. */
static double *autocorr_for(const double *x, size_t n, double max_p, size_t *maxlag)
{
    double need = ceil(2 * max_p) + 1;
    *maxlag = need < (double)(n - 1) ? (size_t)need : n - 1;
    double *r = aiq_xmalloc((*maxlag + 1) * sizeof *r);
    aiq_series_autocorr(x, n, *maxlag, r);
    return r;
}

typedef struct Candidate {
    double score;
    size_t period;
} Candidate;

static int cmp_candidate(const void *pa, const void *pb)
{
    const Candidate *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return (a->period > b->period) - (a->period < b->period);
}

/* The topographic prominence of each local maximum of r[0..maxlag] (NaN
 * elsewhere): how far r(p) stands above the higher of its two bases, a base
 * being the lowest r between p and the nearest higher r on that side (or the
 * end). The top of a broad hill stands high; the bumps that noise puts on
 * its flanks, or on the slow decline of a smooth series, barely stand at
 * all. Two passes with a stack of ever higher values, so O(maxlag). NaN
 * lags (no pair) are skipped. */
static void prominence(const double *r, size_t maxlag, double *prom)
{
    size_t len = maxlag + 1;
    size_t *stack = aiq_xmalloc(len * sizeof *stack);
    double *gap = aiq_xmalloc(len * sizeof *gap); /* lowest r between an entry and the one below */
    double *base = aiq_xmalloc(2 * len * sizeof *base);
    for (int side = 0; side < 2; side++) {
        size_t top = 0;
        for (size_t step = 0; step < len; step++) {
            size_t p = side == 0 ? step : maxlag - step;
            if (isnan(r[p])) {
                base[side * len + p] = NAN;
                continue;
            }
            double low = INFINITY;
            while (top > 0 && r[stack[top - 1]] <= r[p]) {
                top--;
                low = fmin(low, fmin(r[stack[top]], gap[top]));
            }
            /* With no higher r on this side, the base is the lowest r
             * all the way to the end, which the popped entries carry. */
            base[side * len + p] = low;
            gap[top] = low;
            stack[top++] = p;
        }
    }
    for (size_t p = 0, left = len; p < len; p++) { /* left: the last lag with a value */
        if (isnan(r[p])) {
            prom[p] = NAN;
            continue;
        }
        size_t right = p + 1;
        while (right < len && isnan(r[right]))
            right++;
        bool peak = (left == len || r[p] >= r[left]) && (right == len || r[p] >= r[right]);
        left = p;
        /* A side with no lag at all (the ends) has an infinite base and
         * does not count. */
        double lb = base[p], rb = base[len + p];
        double b = isinf(lb) ? rb : isinf(rb) ? lb : fmax(lb, rb);
        prom[p] = peak && !isinf(b) ? r[p] - b : NAN;
    }
    aiq_xfree(base);
    aiq_xfree(gap);
    aiq_xfree(stack);
}

/* True when p is k*q for a whole k >= 1, give or take 1 + k/2 bins (a true
 * period of 24.3 bins peaks at 24, 49 and 73) plus 1% of q per repetition
 * (the top of a broad hill is flat, and noise moves it by that much). */
static bool near_multiple(size_t p, size_t q)
{
    size_t k = (p + q / 2) / q; /* p/q rounded */
    if (k == 0)
        return false;
    size_t kq = k * q, dev = p > kq ? p - kq : kq - p;
    return dev <= 1 + k / 2 + k * q / 100;
}

/* True when p is a near multiple of one of the kept periods. */
static bool repeats(size_t p, const Candidate *kept, size_t nkept)
{
    for (size_t j = 0; j < nkept; j++)
        if (near_multiple(p, kept[j].period))
            return true;
    return false;
}

/* The shortest candidate that p is a near multiple of and that scores at
 * least FOLD_SHARE of p's score, else p. A clean series scores nearly 1 at
 * every multiple of its period, and chance decides which multiple scores
 * highest; the shortest one that explains the same repetition is the
 * period. score[q] is q's score when q is a candidate, else -1. Looks for
 * the largest multiplier first; within one, the best score. */
#define FOLD_SHARE 0.95
static Candidate fold_down(Candidate p, const double *score, size_t lo, size_t hi)
{
    for (size_t k = (p.period + lo / 2) / lo; k >= 2; k--) {
        size_t tol = 2 + k / 2 + p.period / 50; /* covers near_multiple's, q ~ p/k */
        size_t qmin = p.period > tol ? (p.period - tol + k - 1) / k : 1;
        size_t qmax = (p.period + tol) / k;
        Candidate best = {-1, 0};
        for (size_t q = qmin < lo ? lo : qmin; q <= qmax && q <= hi; q++)
            if ((p.period + q / 2) / q == k && near_multiple(p.period, q) &&
                score[q] >= FOLD_SHARE * p.score && score[q] > best.score)
                best = (Candidate){score[q], q};
        if (best.period)
            return best;
    }
    return p;
}

/* Pearson's r between x[0..n-k) and x[k..n), over the pairs with both
 * present; NaN with fewer than 2 pairs or no variance. */
static double lag_pearson(const double *x, size_t n, size_t k)
{
    long double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    size_t c = 0;
    for (size_t i = 0; i + k < n; i++)
        if (!isnan(x[i]) && !isnan(x[i + k])) {
            sa += x[i];
            sb += x[i + k];
            c++;
        }
    if (c < 2)
        return NAN;
    long double ma = sa / c, mb = sb / c;
    for (size_t i = 0; i + k < n; i++)
        if (!isnan(x[i]) && !isnan(x[i + k])) {
            long double da = x[i] - ma, db = x[i + k] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
    return saa > 0 && sbb > 0 ? (double)(sab / sqrtl(saa * sbb)) : NAN;
}

/* Where in the top of p's hill x best matches itself shifted. On a broad
 * hill (a smooth series, a period of many bins) the top of r wanders: the
 * unbiased autocorrelation of 7 days of a daily sine in minute bins peaks
 * near 1446, not 1440, because a lag that is not a whole number of periods
 * leaves part of a cycle at the edges. Pearson's r of the two overlapping
 * parts normalizes those edges away and peaks at the period itself (1441
 * with noise). The top is the run of lags around p where r stays within
 * `band` of r(p), inside [lo, hi]; the direct sums are capped at 2^24
 * multiply-adds, narrowing the run around p on very long series. The
 * first best lag wins a tie. */
#define REFINE_BUDGET (1u << 24)
static size_t refine(const double *x, size_t n, const double *r, size_t p, double band, size_t lo,
                     size_t hi)
{
    size_t a = p, b = p, half = REFINE_BUDGET / n / 2;
    while (a > lo && p - a < half && !isnan(r[a - 1]) && r[a - 1] >= r[p] - band)
        a--;
    while (b < hi && b - p < half && !isnan(r[b + 1]) && r[b + 1] >= r[p] - band)
        b++;
    size_t best = p;
    double best_r = -INFINITY;
    for (size_t k = a; a < b && k <= b; k++) {
        double v = lag_pearson(x, n, k);
        if (v > best_r) {
            best = k;
            best_r = v;
        }
    }
    return best;
}

/* The detected periods in [lo, hi], best first, into out (capacity cap);
 * returns how many. */
static size_t detect(const double *x, size_t n, size_t lo, size_t hi, Candidate *out, size_t cap)
{
    double mean, var;
    size_t m, maxlag;
    if (n < 2 || !centre(x, n, &mean, &var, &m) || !(var > 0))
        return 0;
    /* Every lag, not just those up to 2*hi: a peak's prominence must not
     * depend on the range searched. (The FFT computes every lag anyway.) */
    double *r = autocorr_for(x, n, (double)n, &maxlag);
    double noise = 1.96 / sqrt((double)m);
    Candidate *c = aiq_xmalloc((hi - lo + 1) * sizeof *c);
    double *score = aiq_xmalloc((hi + 1) * sizeof *score);
    double *prom = aiq_xmalloc((maxlag + 1) * sizeof *prom);
    prominence(r, maxlag, prom);
    size_t nc = 0;
    for (size_t p = 0; p <= hi; p++)
        score[p] = -1;
    for (size_t p = lo; p <= hi && p <= maxlag; p++) {
        double s = period_score(r, maxlag, n, (double)p);
        if (prom[p] > noise && s > noise) {
            c[nc++] = (Candidate){s, p};
            score[p] = s;
        }
    }
    aiq_xfree(prom);
    aiq_sort(c, nc, sizeof *c, cmp_candidate);
    size_t kept = 0;
    for (size_t i = 0; i < nc && kept < cap; i++) {
        if (repeats(c[i].period, out, kept))
            continue;
        Candidate p = fold_down(c[i], score, lo, hi);
        p.period = refine(x, n, r, p.period, noise, lo, hi);
        p.score = period_score(r, maxlag, n, (double)p.period);
        if (!repeats(p.period, out, kept))
            out[kept++] = p;
    }
    aiq_sort(out, kept, sizeof *out, cmp_candidate);
    aiq_xfree(score);
    aiq_xfree(c);
    aiq_xfree(r);
    return kept;
}

/* The whole-number period range [lo, hi] searched for min/max_period;
 * false when it is empty. */
static bool period_range(size_t n, double min_period, double max_period, size_t *lo, size_t *hi)
{
    double l = fmax(4, ceil(min_period)), h = fmin(floor(max_period), (double)(n / 2));
    if (!(l <= h))
        return false;
    *lo = (size_t)l;
    *hi = (size_t)h;
    return true;
}

AiqSeriesStatus aiq_series_periods_detect(const double *x, size_t n, double min_period,
                                          double max_period, int64_t num_periods, double *periods,
                                          double *scores)
{
    if (isnan(min_period) || isnan(max_period))
        return AIQ_SERIES_ERR_PERIOD_RANGE;
    if (num_periods < 1)
        return AIQ_SERIES_ERR_NUM_PERIODS;
    for (int64_t i = 0; i < num_periods; i++)
        periods[i] = scores[i] = 0;
    size_t lo, hi;
    if (!period_range(n, min_period, max_period, &lo, &hi))
        return AIQ_SERIES_OK;
    size_t cap = (size_t)num_periods < hi - lo + 1 ? (size_t)num_periods : hi - lo + 1;
    Candidate *found = aiq_xmalloc(cap * sizeof *found);
    size_t k = detect(x, n, lo, hi, found, cap);
    for (size_t i = 0; i < k; i++) {
        periods[i] = (double)found[i].period;
        scores[i] = found[i].score;
    }
    aiq_xfree(found);
    return AIQ_SERIES_OK;
}

void aiq_series_periods_validate(const double *x, size_t n, const double *periods, size_t np,
                                 double *scores)
{
    double max_p = 0;
    for (size_t i = 0; i < np; i++) {
        scores[i] = 0;
        if (periods[i] >= 4 && periods[i] <= (double)n / 2)
            max_p = fmax(max_p, periods[i]);
    }
    if (max_p == 0)
        return;
    size_t maxlag;
    double *r = autocorr_for(x, n, max_p, &maxlag);
    for (size_t i = 0; i < np; i++)
        scores[i] = period_score(r, maxlag, n, periods[i]);
    aiq_xfree(r);
}

/* The seasonality series_decompose and series_seasonal detect is that of x
 * less its least-squares line. A trend lowers r more the longer the lag,
 * so it sinks min(r(p), r(2p)): in Kusto's series_decompose example with a
 * weekly pattern on a rising line (t/72 over five weeks of hours) the
 * weekly score is 0.54 on the raw series, under the 0.6 threshold, and 0.94
 * without the line; the docs show that series decomposed weekly. The
 * documented series_seasonal results are the same either way (6 at 0.73,
 * 5 at 0.90, none). series_periods_detect itself scores the raw series, as
 * its 0.84 example requires. */
int64_t aiq_series_best_period(const double *x, size_t n, double threshold)
{
    size_t lo, hi;
    Candidate best;
    AiqSeriesLineFit line;
    if (!period_range(n, 4, (double)n / 2, &lo, &hi) || !aiq_series_line(x, n, &line, NULL))
        return 0;
    double *d = aiq_xmalloc(n * sizeof *d);
    for (size_t i = 0; i < n; i++)
        d[i] = x[i] - (line.interception + line.slope * (double)(i + 1));
    size_t found = detect(d, n, lo, hi, &best, 1);
    aiq_xfree(d);
    return found && best.score >= threshold ? (int64_t)best.period : 0;
}
