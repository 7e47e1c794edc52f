/*
 * scalar_math.c -- math kernels around the basic ones of
 * scalar_convert.c: trigonometry, degrees and radians, pi, sign, gamma,
 * exp10, rand, max_of and min_of, around, the bitwise functions, and the
 * beta distribution, welch_test. A result that is not a number (acos(2)) is null, as
 * sqrt(-1) is; the beta functions give NaN where their pages say so.
 */
#include <sys/random.h>

#include "func/kernel.h"

/* A function of one real: sin, cos, tan, asin, acos, atan, cot, degrees,
 * radians, gamma, loggamma, erf, erfc, exp10. */
static double cot(double x) { return 1.0 / tan(x); }
static double degrees(double x) { return x * (180.0 / M_PI); }
static double radians(double x) { return x * (M_PI / 180.0); }
static double exp10_(double x) { return pow(10.0, x); }

KERNEL(k_math_real)
{
    double (*fn)(double);
    switch (e->fn->id) {
    case AIQ_FN_SIN: fn = sin; break;
    case AIQ_FN_COS: fn = cos; break;
    case AIQ_FN_TAN: fn = tan; break;
    case AIQ_FN_ASIN: fn = asin; break;
    case AIQ_FN_ACOS: fn = acos; break;
    case AIQ_FN_ATAN: fn = atan; break;
    case AIQ_FN_COT: fn = cot; break;
    case AIQ_FN_DEGREES: fn = degrees; break;
    case AIQ_FN_RADIANS: fn = radians; break;
    case AIQ_FN_GAMMA: fn = tgamma; break;
    case AIQ_FN_LOGGAMMA: fn = lgamma; break;
    case AIQ_FN_ERF: fn = erf; break;
    case AIQ_FN_ERFC: fn = erfc; break;
    default: fn = exp10_; break; /* exp10 */
    }
    FOR_ROWS(i) {
        double r = fn(F64(a[0], i));
        if (isnan(r))
            SETNULL(ctx, out, i);
        else
            out->data.f64[i] = r;
    }
}

KERNEL(k_atan2)
{
    FOR_ROWS(i) out->data.f64[i] = atan2(F64(a[0], i), F64(a[1], i));
}

KERNEL(k_pi)
{
    FOR_ROWS(i) out->data.f64[i] = M_PI;
}

/* sign(x): -1, 0 or 1, as a real. */
KERNEL(k_sign)
{
    FOR_ROWS(i) {
        double x = F64(a[0], i);
        out->data.f64[i] = (x > 0) - (x < 0);
    }
}

/* A random 64-bit number for rand(), from a generator seeded once per
 * thread from the system (xorshift64*: rand() is for sampling, not keys). */
static uint64_t random_u64(void)
{
    static _Thread_local uint64_t state;
    if (!state) {
        if (getrandom(&state, sizeof state, 0) != (ssize_t)sizeof state)
            state = (uint64_t)(uintptr_t)&state * 0x9E3779B97F4A7C15ULL;
        state |= 1;
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

/* rand(): a real in [0, 1); rand(N): one of 0.0, 1.0, ..., N - 1 (a real,
 * as the page says), null for N below 1. A new value for every row. */
KERNEL(k_rand)
{
    FOR_ROWS(i) {
        double u = (double)(random_u64() >> 11) * 0x1.0p-53;
        if (e->nargs == 0) {
            out->data.f64[i] = u;
            continue;
        }
        int64_t n0 = I64(a[0], i);
        if (n0 < 1)
            SETNULL(ctx, out, i);
        else
            out->data.f64[i] = (double)(random_u64() % (uint64_t)n0);
    }
}

/* max_of(a, b, ...) and min_of(...): the largest (smallest) argument that
 * is not null; null when all are. Numbers of mixed types compare as reals
 * (the binder makes the result real then); strings in code-unit order. */
KERNEL(k_max_of)
{
    bool max = e->fn->id == AIQ_FN_MAX_OF;
    FOR_ROWS(i) {
        int best = -1;
        for (int k = 0; k < e->nargs; k++) {
            if (ISNULL(a[k], i) || (a[k]->type == AIQ_TYPE_STRING && out->type != AIQ_TYPE_STRING))
                continue;
            if (best < 0) {
                best = k;
                continue;
            }
            int c;
            if (out->type == AIQ_TYPE_STRING)
                c = aiq_cmp_str(STR(a[k], i), STR(a[best], i));
            else if (out->type == AIQ_TYPE_REAL)
                c = aiq_cmp_f64(F64(a[k], i), F64(a[best], i));
            else
                c = aiq_cmp_i64(I64(a[k], i), I64(a[best], i));
            if (c != AIQ_CMP_UNORDERED && (max ? c > 0 : c < 0))
                best = k;
        }
        if (best < 0) {
            SETNULL(ctx, out, i);
            continue;
        }
        switch (out->type) {
        case AIQ_TYPE_STRING: out->data.str[i] = STR(a[best], i); break;
        case AIQ_TYPE_REAL: out->data.f64[i] = F64(a[best], i); break;
        default: out->data.i64[i] = I64(a[best], i); break;
        }
    }
}

/* around(value, center, delta): center - delta <= value <= center + delta. */
KERNEL(k_around)
{
    bool real = a[0]->type == AIQ_TYPE_REAL || a[1]->type == AIQ_TYPE_REAL || a[2]->type == AIQ_TYPE_REAL;
    FOR_ROWS(i) {
        if (real) {
            double v = F64(a[0], i), c = F64(a[1], i), d = F64(a[2], i);
            out->data.i64[i] = v >= c - d && v <= c + d;
        } else {
            /* in 128 bits: center +- delta may pass the range of a long */
            __int128 v = I64(a[0], i), c = I64(a[1], i), d = I64(a[2], i);
            out->data.i64[i] = v >= c - d && v <= c + d;
        }
    }
}

/* ---- bitwise ------------------------------------------------------------------ */

/* binary_and, binary_or, binary_xor, binary_not, binary_shift_left,
 * binary_shift_right over longs; a shift counts modulo 64 (the pages:
 * value << (shift % 64)) and is null for a negative shift. A right shift
 * keeps the sign, as .NET's >> on a long. */
KERNEL(k_binary)
{
    AiqFuncId id = e->fn->id;
    FOR_ROWS(i) {
        uint64_t x = (uint64_t)I64(a[0], i), y = e->nargs > 1 ? (uint64_t)I64(a[1], i) : 0;
        int64_t r;
        switch (id) {
        case AIQ_FN_BINARY_AND: r = (int64_t)(x & y); break;
        case AIQ_FN_BINARY_OR: r = (int64_t)(x | y); break;
        case AIQ_FN_BINARY_XOR: r = (int64_t)(x ^ y); break;
        case AIQ_FN_BINARY_NOT: r = (int64_t)~x; break;
        default:
            if ((int64_t)y < 0) {
                SETNULL(ctx, out, i);
                continue;
            }
            if (id == AIQ_FN_BINARY_SHIFT_LEFT)
                r = (int64_t)(x << (y % 64));
            else
                r = (int64_t)x < 0 ? (int64_t)~(~x >> (y % 64)) : (int64_t)(x >> (y % 64));
            break;
        }
        out->data.i64[i] = r;
    }
}

KERNEL(k_bitset_count_ones)
{
    FOR_ROWS(i) out->data.i64[i] = __builtin_popcountll((unsigned long long)I64(a[0], i));
}

/* ---- the beta distribution ---------------------------------------------------- */

/* The continued fraction of the regularized incomplete beta function
 * (modified Lentz's method). */
static double beta_fraction(double x, double p, double q)
{
    const double tiny = 1e-300, eps = 1e-16;
    double c = 1.0, d = 1.0 - (p + q) * x / (p + 1.0);
    d = 1.0 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double num = m * (q - m) * x / ((p + m2 - 1.0) * (p + m2));
        d = 1.0 + num * d;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        c = 1.0 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        num = -(p + m) * (p + q + m) * x / ((p + m2) * (p + m2 + 1.0));
        d = 1.0 + num * d;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        c = 1.0 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < eps)
            break;
    }
    return h;
}

/* I_x(p, q), the cumulative beta distribution at x. */
static double beta_cdf(double x, double p, double q)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(p + q) - lgamma(p) - lgamma(q) + p * log(x) + q * log1p(-x));
    if (x < (p + 1.0) / (p + q + 2.0))
        return front * beta_fraction(x, p, q) / p;
    return 1.0 - front * beta_fraction(1.0 - x, q, p) / q;
}

static double beta_pdf(double x, double p, double q)
{
    return exp(lgamma(p + q) - lgamma(p) - lgamma(q) + (p - 1.0) * log(x) + (q - 1.0) * log1p(-x));
}

/* The x whose cumulative beta is prob: bisection, which the function's
 * monotony makes safe, to the last bit of a double. */
static double beta_inv(double prob, double p, double q)
{
    double lo = 0, hi = 1;
    for (int k = 0; k < 200 && hi - lo > 0; k++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (beta_cdf(mid, p, q) < prob)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* beta_cdf(x, alpha, beta), beta_pdf(x, alpha, beta), beta_inv(p, alpha,
 * beta), with the domains of their pages: NaN outside them, except
 * beta_inv's null for alpha or beta <= 0. */
KERNEL(k_beta)
{
    AiqFuncId id = e->fn->id;
    FOR_ROWS(i) {
        double x = F64(a[0], i), p = F64(a[1], i), q = F64(a[2], i), r;
        if (id == AIQ_FN_BETA_CDF) {
            r = x < 0 || x > 1 || p <= 0 || p > 10000 || q <= 0 || q > 10000 ? NAN : beta_cdf(x, p, q);
        } else if (id == AIQ_FN_BETA_PDF) {
            r = x <= 0 || x >= 1 || p <= 0 || q <= 0 ? NAN : beta_pdf(x, p, q);
        } else {
            if (p <= 0 || q <= 0) {
                SETNULL(ctx, out, i);
                continue;
            }
            r = x <= 0 || x > 1 ? NAN : beta_inv(x, p, q);
        }
        out->data.f64[i] = r;
    }
}

/* welch_test(mean1, variance1, count1, mean2, variance2, count2): the
 * two-sided p-value of Welch's t-test, from Student's t distribution with
 * the Welch-Satterthwaite degrees of freedom, through the incomplete beta:
 * p = I_{df/(df+t^2)}(df/2, 1/2). Null where the test is undefined (a
 * count below 2, no variance at all), which the page leaves open. */
KERNEL(k_welch_test)
{
    FOR_ROWS(i) {
        double m1 = F64(a[0], i), v1 = F64(a[1], i), c1 = F64(a[2], i);
        double m2 = F64(a[3], i), v2 = F64(a[4], i), c2 = F64(a[5], i);
        double s1 = v1 / c1, s2 = v2 / c2, se2 = s1 + s2;
        if (!(c1 >= 2 && c2 >= 2 && v1 >= 0 && v2 >= 0 && se2 > 0) || !isfinite(se2)) {
            SETNULL(ctx, out, i);
            continue;
        }
        double t = (m1 - m2) / sqrt(se2);
        double df = se2 * se2 / (s1 * s1 / (c1 - 1) + s2 * s2 / (c2 - 1));
        out->data.f64[i] = beta_cdf(df / (df + t * t), df / 2, 0.5);
    }
}
