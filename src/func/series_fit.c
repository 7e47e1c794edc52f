/*
 * series_fit.c -- least-squares fits: series_fit_line, series_fit_2lines and
 * series_fit_poly. Positions are 1..n as in Kusto (its documented example,
 * y = [2, 5, 6, ...], gives interception -1.666 and a first fitted value of
 * 1.064 = -1.666 + 2.730 * 1). Variances are sample variances (n - 1), and
 * rvariance is the residual sum of squares over n - 1, which is what the
 * same example prints (98.628 and 1.686).
 */
#include <math.h>

#include "func/series_internal.h"
#include "func/series_math.h"
#include "util/mem.h"

static const AiqSeriesLineFit null_line = {NAN, NAN, NAN, NAN, NAN};

bool aiq_series_line(const double *x, size_t n, AiqSeriesLineFit *fit, double *rss_out)
{
    /* Two passes over centred data, so a series of large values (epoch
     * milliseconds, byte counts) keeps its precision. */
    size_t count = 0;
    long double st = 0, sy = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            count++;
            st += (long double)(i + 1);
            sy += x[i];
        }
    if (count < 2)
        return false;
    long double mt = st / count, my = sy / count;
    long double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            long double dt = (long double)(i + 1) - mt, dy = x[i] - my;
            sxx += dt * dt;
            sxy += dt * dy;
            syy += dy * dy;
        }
    long double slope = sxy / sxx, icpt = my - slope * mt, rss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            long double e = x[i] - (icpt + slope * (long double)(i + 1));
            rss += e * e;
        }
    fit->slope = (double)slope;
    fit->interception = (double)icpt;
    /* A constant series lies exactly on its line: call that a perfect fit
     * rather than 0/0. */
    fit->rsquare = syy > 0 ? (double)(1 - rss / syy) : 1.0;
    fit->variance = (double)(syy / (count - 1));
    fit->rvariance = (double)(rss / (count - 1));
    if (rss_out)
        *rss_out = (double)rss;
    return true;
}

void aiq_series_fit_line(const double *x, size_t n, AiqSeriesLineFit *fit, double *line_fit)
{
    if (!aiq_series_line(x, n, fit, NULL)) {
        *fit = null_line;
        if (line_fit)
            for (size_t i = 0; i < n; i++)
                line_fit[i] = NAN;
        return;
    }
    if (line_fit)
        for (size_t i = 0; i < n; i++)
            line_fit[i] = fit->interception + fit->slope * (double)(i + 1);
}

/* ------------------------------------------------------------- two lines */

/* Running sums of one segment's points (position t, value y), from which
 * the residual sum of squares of its line comes in O(1). */
typedef struct Seg {
    long double c, t, y, tt, ty, yy;
} Seg;

static void seg_add(Seg *s, long double t, long double y)
{
    s->c += 1;
    s->t += t;
    s->y += y;
    s->tt += t * t;
    s->ty += t * y;
    s->yy += y * y;
}

/* The sums of the points in a but not in b (b a prefix of a). */
static Seg seg_minus(Seg a, const Seg *b)
{
    a.c -= b->c;
    a.t -= b->t;
    a.y -= b->y;
    a.tt -= b->tt;
    a.ty -= b->ty;
    a.yy -= b->yy;
    return a;
}

static long double seg_rss(const Seg *s)
{
    long double sxx = s->tt - s->t * s->t / s->c, sxy = s->ty - s->t * s->y / s->c;
    long double syy = s->yy - s->y * s->y / s->c;
    long double rss = syy - sxy * sxy / sxx;
    return rss > 0 ? rss : 0;
}

/* The split (first index of the right segment) with the least total
 * residual, found in one sweep: the left sums grow and the right sums are
 * the totals minus the left. Values are centred on their mean first so the
 * sums of squares do not swamp the residuals. Returns 0 when no split
 * leaves 2 values on each side. */
static size_t best_split(const double *x, size_t n, double mean)
{
    Seg all = {0}, left = {0};
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            seg_add(&all, (long double)i, x[i] - mean);
    size_t best = 0;
    long double best_rss = 0;
    for (size_t k = 1; k < n; k++) {
        if (!isnan(x[k - 1]))
            seg_add(&left, (long double)(k - 1), x[k - 1] - mean);
        Seg right = seg_minus(all, &left);
        if (left.c < 2 || right.c < 2)
            continue;
        long double rss = seg_rss(&left) + seg_rss(&right);
        if (best == 0 || rss < best_rss) {
            best = k;
            best_rss = rss;
        }
    }
    return best;
}

void aiq_series_fit_2lines(const double *x, size_t n, AiqSeries2LinesFit *fit, double *line_fit)
{
    *fit = (AiqSeries2LinesFit){NAN, -1, NAN, NAN, null_line, null_line};
    size_t count = 0, k = 0;
    long double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            count++;
            sum += x[i];
        }
    if (count >= 4)
        k = best_split(x, n, (double)(sum / count));
    if (k > 0) {
        AiqSeriesLineFit all;
        double rss_left, rss_right;
        aiq_series_line(x, n, &all, NULL);
        /* Refit the winner with the exact two-pass fit. */
        aiq_series_line(x, k, &fit->left, &rss_left);
        aiq_series_line(x + k, n - k, &fit->right, &rss_right);
        double rss = rss_left + rss_right, tss = all.variance * (double)(count - 1);
        fit->split_idx = (int64_t)k;
        fit->rsquare = tss > 0 ? 1 - rss / tss : 1.0;
        fit->variance = all.variance;
        fit->rvariance = rss / (double)(count - 1);
    }
    if (!line_fit)
        return;
    for (size_t i = 0; i < n; i++) {
        if (k == 0)
            line_fit[i] = NAN;
        else if (i < k)
            line_fit[i] = fit->left.interception + fit->left.slope * (double)(i + 1);
        else
            line_fit[i] = fit->right.interception + fit->right.slope * (double)(i - k + 1);
    }
}

/* ------------------------------------------------------------ polynomial */

/* Least squares by Givens rotations, one point at a time: R (p x p, upper
 * triangular, row-major) and qy = Q^T y are all the state, so memory does not
 * grow with the series and the conditioning is that of the design matrix,
 * not of its square as with the normal equations. */
typedef struct Givens {
    size_t p;
    long double *r, *qy;
} Givens;

static void givens_add(Givens *g, long double *row, long double y)
{
    for (size_t k = 0; k < g->p; k++) {
        if (row[k] == 0)
            continue;
        long double *rk = g->r + k * g->p;
        long double h = hypotl(rk[k], row[k]), c = rk[k] / h, s = row[k] / h;
        for (size_t j = k; j < g->p; j++) {
            long double a = rk[j], b = row[j];
            rk[j] = c * a + s * b;
            row[j] = -s * a + c * b;
        }
        long double a = g->qy[k];
        g->qy[k] = c * a + s * y;
        y = -s * a + c * y;
    }
}

/* Solves R c = qy into c (ascending powers); false when R is singular,
 * i.e. the points cannot pin down every coefficient. */
static bool givens_solve(const Givens *g, long double *c)
{
    long double big = 0;
    for (size_t k = 0; k < g->p; k++)
        big = fmaxl(big, fabsl(g->r[k * g->p + k]));
    for (size_t k = g->p; k-- > 0;) {
        long double d = g->r[k * g->p + k];
        if (!(fabsl(d) > big * 1e-13L))
            return false;
        long double v = g->qy[k];
        for (size_t j = k + 1; j < g->p; j++)
            v -= g->r[k * g->p + j] * c[j];
        c[k] = v / d;
    }
    return true;
}

/* Position of point i, or NaN when it has none. */
static double poly_pos(const double *xs, size_t nx, size_t i)
{
    if (!xs)
        return (double)(i + 1);
    return i < nx ? xs[i] : NAN;
}

static long double horner(const long double *c, size_t p, long double u)
{
    long double v = 0;
    for (size_t k = p; k-- > 0;)
        v = v * u + c[k];
    return v;
}

static void poly_null(AiqSeriesPolyFit *fit, double *coefficients, size_t p, double *poly_fit,
                      size_t n)
{
    *fit = (AiqSeriesPolyFit){NAN, NAN, NAN};
    if (coefficients)
        for (size_t k = 0; k < p; k++)
            coefficients[k] = NAN;
    if (poly_fit)
        for (size_t i = 0; i < n; i++)
            poly_fit[i] = NAN;
}

AiqSeriesStatus aiq_series_fit_poly(const double *y, size_t n, const double *xs, size_t nx,
                                    int64_t degree, AiqSeriesPolyFit *fit, double *coefficients,
                                    double *poly_fit)
{
    if (degree < 0 || degree > AIQ_SERIES_MAX_DEGREE)
        return AIQ_SERIES_ERR_DEGREE;
    size_t p = (size_t)degree + 1, count = 0;
    /* Positions are divided by the largest |position|, so the powers stay
     * within [-1, 1]; a pure scale (no shift) maps the coefficients back
     * exactly, coefficient k divided by scale^k. */
    double scale = 0;
    long double sy = 0;
    for (size_t i = 0; i < n; i++) {
        double t = poly_pos(xs, nx, i);
        if (isnan(t) || isnan(y[i]))
            continue;
        count++;
        sy += y[i];
        scale = fmax(scale, fabs(t));
    }
    if (count < p) {
        poly_null(fit, coefficients, p, poly_fit, n);
        return AIQ_SERIES_OK;
    }
    if (scale == 0)
        scale = 1;
    long double *mem = aiq_xcalloc(p * p + 3 * p, sizeof *mem);
    Givens g = {p, mem, mem + p * p};
    long double *row = g.qy + p, *c = row + p;
    for (size_t i = 0; i < n; i++) {
        double t = poly_pos(xs, nx, i);
        if (isnan(t) || isnan(y[i]))
            continue;
        long double u = t / scale, pw = 1;
        for (size_t k = 0; k < p; k++, pw *= u)
            row[k] = pw;
        givens_add(&g, row, y[i]);
    }
    if (!givens_solve(&g, c)) {
        aiq_xfree(mem);
        poly_null(fit, coefficients, p, poly_fit, n);
        return AIQ_SERIES_OK;
    }
    long double my = sy / count, rss = 0, tss = 0;
    for (size_t i = 0; i < n; i++) {
        double t = poly_pos(xs, nx, i);
        long double v = isnan(t) ? NAN : horner(c, p, t / scale);
        if (poly_fit)
            poly_fit[i] = (double)v;
        if (!isnan(t) && !isnan(y[i])) {
            rss += (y[i] - v) * (y[i] - v);
            tss += (y[i] - my) * (y[i] - my);
        }
    }
    if (coefficients)
        for (size_t k = 0; k < p; k++)
            coefficients[p - 1 - k] = (double)(c[k] / powl(scale, (long double)k));
    fit->rsquare = tss > 0 ? (double)(1 - rss / tss) : 1.0;
    fit->variance = count > 1 ? (double)(tss / (count - 1)) : 0.0;
    fit->rvariance = count > 1 ? (double)(rss / (count - 1)) : 0.0;
    aiq_xfree(mem);
    return AIQ_SERIES_OK;
}
