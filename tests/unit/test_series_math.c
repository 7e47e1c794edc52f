/*
 * test_series_math.c -- the series library (src/func/series_*.c) against
 * the independent oracle's cases (tests/golden/series_cases.json, written by
 * tools/series_oracle.py; `make series-cases` rewrites it), then against
 * Kusto's documented examples and small cases worked by hand here, then at
 * the sizes make-series produces (the FFT path, the O(n) two-line sweep) and
 * from several threads at once.
 *
 * Tolerance: a number matches when |got - want| <= tol * (1 + |want|), with
 * tol 1e-9 unless a case says otherwise (the polynomial fits of degree 5 and
 * 8 carry 1e-7 and 1e-6: their coefficients are ill-conditioned in the
 * monomial basis, and the oracle's are exact rationals). Null is NaN on the
 * C side and must match null exactly; so must infinities.
 */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "func/series_internal.h"
#include "func/series_math.h"
#include "util/mem.h"

#define CASES_PATH AIQ_DATADIR "/../tests/golden/series_cases.json"

/* ------------------------------------------------------ reading the cases */

typedef struct Case {
    const char *fn, *name;
    json_t *in, *out;
    double tol;
} Case;

static double jnum(json_t *v)
{
    if (!v || json_is_null(v))
        return NAN;
    if (json_is_string(v))
        return strcmp(json_string_value(v), "-inf") == 0 ? -INFINITY : INFINITY;
    if (json_is_boolean(v))
        return json_is_true(v);
    return json_number_value(v);
}

static double arg(const Case *c, const char *key)
{
    return jnum(json_object_get(c->in, key));
}
static bool arg_bool(const Case *c, const char *key)
{
    return json_is_true(json_object_get(c->in, key));
}
static const char *arg_str(const Case *c, const char *key)
{
    return json_string_value(json_object_get(c->in, key));
}

/* A new array (aiq_xmalloc, never NULL) with the numbers of a JSON array;
 * *n gets its length. extra adds room at the end. */
static double *jarray(json_t *a, size_t *n, size_t extra)
{
    size_t len = json_array_size(a);
    double *v = aiq_xmalloc((len + extra + 1) * sizeof *v);
    for (size_t i = 0; i < len; i++)
        v[i] = jnum(json_array_get(a, i));
    *n = len;
    return v;
}

static double *arg_array(const Case *c, const char *key, size_t *n)
{
    return jarray(json_object_get(c->in, key), n, 0);
}

/* Output buffers: at least 1 element so a zero-length series still has a
 * valid pointer. */
static double *outbuf(size_t n)
{
    return aiq_xmalloc((n + 1) * sizeof(double));
}

static bool same(double got, json_t *want, double tol)
{
    double w = jnum(want);
    if (isnan(w))
        return isnan(got);
    if (isinf(w) || isinf(got))
        return got == w;
    return fabs(got - w) <= tol * (1 + fabs(w));
}

static void report(bool ok, const Case *c, const char *field, long idx, double got, json_t *want)
{
    if (ok) {
        aiq_test_passed++;
        return;
    }
    aiq_test_failed++;
    char *w = want ? json_dumps(want, JSON_ENCODE_ANY) : NULL;
    printf("FAIL series case %s \"%s\": %s", c->fn, c->name, field);
    if (idx >= 0)
        printf("[%ld]", idx);
    printf(": got %.17g, want %s\n", got, w ? w : "(missing)");
    free(w);
}

static void expect_num(const Case *c, json_t *obj, const char *field, double got)
{
    json_t *want = json_object_get(obj, field);
    report(want && same(got, want, c->tol), c, field, -1, got, want);
}

/* An index: -1 stands for null. */
static void expect_idx(const Case *c, json_t *obj, const char *field, int64_t got)
{
    json_t *want = json_object_get(obj, field);
    bool ok = want && (json_is_null(want) ? got == -1 : got == json_integer_value(want));
    report(ok, c, field, -1, (double)got, want);
}

static void expect_array(const Case *c, json_t *obj, const char *field, const double *got, size_t n)
{
    json_t *want = json_object_get(obj, field);
    if (!json_is_array(want) || json_array_size(want) != n) {
        report(false, c, field, -1, (double)n, want);
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        if (!same(got[i], json_array_get(want, i), c->tol)) {
            report(false, c, field, (long)i, got[i], json_array_get(want, i));
            ok = false;
        }
    if (ok)
        aiq_test_passed++;
}

/* --------------------------------------------------------------- runners */

static void line_fields(const Case *c, json_t *obj, const AiqSeriesLineFit *f)
{
    expect_num(c, obj, "rsquare", f->rsquare);
    expect_num(c, obj, "slope", f->slope);
    expect_num(c, obj, "interception", f->interception);
    expect_num(c, obj, "variance", f->variance);
    expect_num(c, obj, "rvariance", f->rvariance);
}

static AiqSeriesStatus run_stats(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n);
    AiqSeriesStats s;
    aiq_series_stats(x, n, arg_bool(c, "ignore_nonfinite"), &s);
    expect_num(c, c->out, "min", s.min);
    expect_idx(c, c->out, "min_idx", s.min_idx);
    expect_num(c, c->out, "max", s.max);
    expect_idx(c, c->out, "max_idx", s.max_idx);
    expect_num(c, c->out, "avg", s.avg);
    expect_num(c, c->out, "variance", s.variance);
    expect_num(c, c->out, "stdev", s.stdev);
    expect_num(c, c->out, "sum", s.sum);
    expect_num(c, c->out, "count", (double)s.count);
    expect_num(c, c->out, "len", (double)s.len);
    aiq_xfree(x);
    return AIQ_SERIES_OK;
}

static AiqSeriesStatus run_reduce(const Case *c)
{
    size_t n, nb = 0;
    double v;
    if (strcmp(c->fn, "sum") == 0 || strcmp(c->fn, "product") == 0 ||
        strcmp(c->fn, "magnitude") == 0) {
        double *x = arg_array(c, "x", &n);
        v = c->fn[0] == 's'   ? aiq_series_sum(x, n)
            : c->fn[0] == 'p' ? aiq_series_product(x, n)
                              : aiq_series_magnitude(x, n);
        aiq_xfree(x);
    } else {
        double *a = arg_array(c, "a", &n), *b = arg_array(c, "b", &nb);
        if (strcmp(c->fn, "dot_product") == 0)
            v = aiq_series_dot_product(a, n, b, nb);
        else if (strcmp(c->fn, "pearson") == 0)
            v = aiq_series_pearson_correlation(a, n, b, nb);
        else
            v = aiq_series_cosine_similarity(a, n, b, nb, arg(c, "mag_a"), arg(c, "mag_b"));
        aiq_xfree(a);
        aiq_xfree(b);
    }
    expect_num(c, c->out, "value", v);
    return AIQ_SERIES_OK;
}

static AiqSeriesStatus run_fill(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *y = outbuf(n), missing = arg(c, "missing");
    if (strcmp(c->fn, "fill_forward") == 0)
        aiq_series_fill_forward(x, n, missing, y);
    else if (strcmp(c->fn, "fill_backward") == 0)
        aiq_series_fill_backward(x, n, missing, y);
    else if (strcmp(c->fn, "fill_const") == 0)
        aiq_series_fill_const(x, n, arg(c, "value"), missing, y);
    else
        aiq_series_fill_linear(x, n, missing, arg_bool(c, "fill_edges"), arg(c, "constant"),
                               arg_bool(c, "integers"), y);
    expect_array(c, c->out, "y", y, n);
    aiq_xfree(x);
    aiq_xfree(y);
    return AIQ_SERIES_OK;
}

static const char *const unary_names[] = {"abs", "acos",  "asin", "atan", "ceiling", "cos",
                                          "exp", "floor", "log",  "sign", "sin",     "tan"};
static const char *const binary_names[] = {"add",         "subtract", "multiply",       "divide",
                                           "pow",         "greater",  "greater_equals", "less",
                                           "less_equals", "equals",   "not_equals"};

static int name_index(const char *const *names, size_t count, const char *s)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

static AiqSeriesStatus run_unary(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *y = outbuf(n);
    int op = name_index(unary_names, 12, arg_str(c, "op"));
    CHECK(op >= 0);
    aiq_series_unary((AiqSeriesUnaryOp)op, x, n, y);
    expect_array(c, c->out, "y", y, n);
    aiq_xfree(x);
    aiq_xfree(y);
    return AIQ_SERIES_OK;
}

static AiqSeriesStatus run_binary(const Case *c)
{
    size_t na, nb;
    double *a = arg_array(c, "a", &na), *b = arg_array(c, "b", &nb);
    AiqSeriesOperand oa = {a, na, arg_bool(c, "a_scalar")}, ob = {b, nb, arg_bool(c, "b_scalar")};
    size_t n = aiq_series_binary_len(oa, ob);
    double *y = outbuf(n);
    int op = name_index(binary_names, 11, arg_str(c, "op"));
    CHECK(op >= 0);
    aiq_series_binary((AiqSeriesBinaryOp)op, oa, ob, y);
    expect_array(c, c->out, "y", y, n);
    aiq_xfree(a);
    aiq_xfree(b);
    aiq_xfree(y);
    return AIQ_SERIES_OK;
}

static AiqSeriesStatus run_filter(const Case *c)
{
    size_t n, nf, na;
    double *x = arg_array(c, "x", &n), *y = outbuf(n);
    AiqSeriesStatus st;
    if (strcmp(c->fn, "fir") == 0) {
        double *f = arg_array(c, "filter", &nf);
        st = aiq_series_fir(x, n, f, nf, (int)arg(c, "normalize"), arg_bool(c, "center"), y);
        aiq_xfree(f);
    } else if (strcmp(c->fn, "iir") == 0) {
        double *b = arg_array(c, "b", &nf), *a = arg_array(c, "a", &na);
        st = aiq_series_iir(x, n, b, nf, a, na, y);
        aiq_xfree(a);
        aiq_xfree(b);
    } else {
        st = aiq_series_moving_avg(x, n, (int64_t)arg(c, "width"), arg_bool(c, "center"), y);
    }
    if (st == AIQ_SERIES_OK)
        expect_array(c, c->out, "y", y, n);
    aiq_xfree(x);
    aiq_xfree(y);
    return st;
}

static AiqSeriesStatus run_fit(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *line = outbuf(n);
    if (strcmp(c->fn, "fit_line") == 0) {
        AiqSeriesLineFit f;
        aiq_series_fit_line(x, n, &f, line);
        line_fields(c, c->out, &f);
    } else {
        AiqSeries2LinesFit f;
        aiq_series_fit_2lines(x, n, &f, line);
        expect_num(c, c->out, "rsquare", f.rsquare);
        expect_idx(c, c->out, "split_idx", f.split_idx);
        expect_num(c, c->out, "variance", f.variance);
        expect_num(c, c->out, "rvariance", f.rvariance);
        line_fields(c, json_object_get(c->out, "left"), &f.left);
        line_fields(c, json_object_get(c->out, "right"), &f.right);
    }
    expect_array(c, c->out, "line_fit", line, n);
    aiq_xfree(x);
    aiq_xfree(line);
    return AIQ_SERIES_OK;
}

static AiqSeriesStatus run_fit_poly(const Case *c)
{
    size_t n, nx = 0;
    double *y = arg_array(c, "y", &n), *xs = NULL;
    if (!json_is_null(json_object_get(c->in, "x")))
        xs = arg_array(c, "x", &nx);
    int64_t degree = (int64_t)arg(c, "degree");
    double *coef = outbuf(degree > 0 && degree < 1000 ? (size_t)degree + 1 : 1), *fitv = outbuf(n);
    AiqSeriesPolyFit f;
    AiqSeriesStatus st = aiq_series_fit_poly(y, n, xs, nx, degree, &f, coef, fitv);
    if (st == AIQ_SERIES_OK) {
        expect_num(c, c->out, "rsquare", f.rsquare);
        expect_num(c, c->out, "variance", f.variance);
        expect_num(c, c->out, "rvariance", f.rvariance);
        expect_array(c, c->out, "coefficients", coef, (size_t)degree + 1);
        expect_array(c, c->out, "poly_fit", fitv, n);
    }
    aiq_xfree(y);
    aiq_xfree(xs);
    aiq_xfree(coef);
    aiq_xfree(fitv);
    return st;
}

static AiqSeriesOutlierKind parse_kind(const Case *c, const char *key)
{
    const char *s = arg_str(c, key);
    AiqSeriesOutlierKind k = AIQ_SERIES_CTUKEY;
    CHECK(aiq_series_parse_kind(s, strlen(s), &k) == AIQ_SERIES_OK);
    return k;
}

static AiqSeriesTrend parse_trend(const Case *c)
{
    const char *s = arg_str(c, "trend");
    AiqSeriesTrend t = AIQ_SERIES_TREND_AVG;
    CHECK(aiq_series_parse_trend(s, strlen(s), &t) == AIQ_SERIES_OK);
    return t;
}

static AiqSeriesStatus run_outliers(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *s = outbuf(n);
    AiqSeriesStatus st = aiq_series_outliers(x, n, parse_kind(c, "kind"), arg(c, "ignore_val"),
                                             arg(c, "min_percentile"), arg(c, "max_percentile"), s);
    if (st == AIQ_SERIES_OK)
        expect_array(c, c->out, "score", s, n);
    aiq_xfree(x);
    aiq_xfree(s);
    return st;
}

static AiqSeriesStatus run_periods(const Case *c)
{
    size_t n, np;
    double *x = arg_array(c, "x", &n);
    AiqSeriesStatus st = AIQ_SERIES_OK;
    if (strcmp(c->fn, "periods_detect") == 0) {
        int64_t k = (int64_t)arg(c, "num_periods");
        size_t cap = k > 0 ? (size_t)k : 1;
        double *p = outbuf(cap), *s = outbuf(cap);
        st = aiq_series_periods_detect(x, n, arg(c, "min_period"), arg(c, "max_period"), k, p, s);
        if (st == AIQ_SERIES_OK) {
            expect_array(c, c->out, "periods", p, cap);
            expect_array(c, c->out, "scores", s, cap);
        }
        aiq_xfree(p);
        aiq_xfree(s);
    } else {
        double *p = arg_array(c, "periods", &np), *s = outbuf(np);
        aiq_series_periods_validate(x, n, p, np, s);
        expect_array(c, c->out, "scores", s, np);
        aiq_xfree(p);
        aiq_xfree(s);
    }
    aiq_xfree(x);
    return st;
}

static AiqSeriesStatus run_seasonal(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *y = outbuf(n);
    aiq_series_seasonal(x, n, (int64_t)arg(c, "period"), y);
    expect_array(c, c->out, "y", y, n);
    aiq_xfree(x);
    aiq_xfree(y);
    return AIQ_SERIES_OK;
}

static AiqSeriesStatus run_decompose(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n);
    double *base = outbuf(n), *seas = outbuf(n), *trend = outbuf(n), *resid = outbuf(n);
    AiqSeriesDecomposeOptions opt = {(int64_t)arg(c, "seasonality"), parse_trend(c),
                                     (int64_t)arg(c, "test_points"), arg(c, "threshold")};
    int64_t period = -99;
    AiqSeriesStatus st = aiq_series_decompose(x, n, &opt, base, seas, trend, resid, &period);
    if (st == AIQ_SERIES_OK) {
        expect_array(c, c->out, "baseline", base, n);
        expect_array(c, c->out, "seasonal", seas, n);
        expect_array(c, c->out, "trend", trend, n);
        expect_array(c, c->out, "residual", resid, n);
        expect_num(c, c->out, "period", (double)period);
    }
    aiq_xfree(x);
    aiq_xfree(base);
    aiq_xfree(seas);
    aiq_xfree(trend);
    aiq_xfree(resid);
    return st;
}

static AiqSeriesStatus run_anomalies(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *flags = outbuf(n), *scores = outbuf(n), *base = outbuf(n);
    AiqSeriesDecomposeOptions opt = {(int64_t)arg(c, "seasonality"), parse_trend(c),
                                     (int64_t)arg(c, "test_points"),
                                     arg(c, "seasonality_threshold")};
    AiqSeriesStatus st = aiq_series_decompose_anomalies(
        x, n, arg(c, "threshold"), &opt, parse_kind(c, "method"), flags, scores, base);
    if (st == AIQ_SERIES_OK) {
        expect_array(c, c->out, "flags", flags, n);
        expect_array(c, c->out, "scores", scores, n);
        expect_array(c, c->out, "baseline", base, n);
    }
    aiq_xfree(x);
    aiq_xfree(flags);
    aiq_xfree(scores);
    aiq_xfree(base);
    return st;
}

static AiqSeriesStatus run_forecast(const Case *c)
{
    size_t n;
    double *x = arg_array(c, "x", &n), *y = outbuf(n);
    AiqSeriesStatus st = aiq_series_decompose_forecast(x, n, (int64_t)arg(c, "points"),
                                                       (int64_t)arg(c, "seasonality"),
                                                       parse_trend(c), arg(c, "threshold"), y);
    if (st == AIQ_SERIES_OK)
        expect_array(c, c->out, "forecast", y, n);
    aiq_xfree(x);
    aiq_xfree(y);
    return st;
}

static const struct {
    const char *fn;
    AiqSeriesStatus (*run)(const Case *);
} runners[] = {
    {"stats", run_stats},
    {"sum", run_reduce},
    {"product", run_reduce},
    {"magnitude", run_reduce},
    {"dot_product", run_reduce},
    {"cosine_similarity", run_reduce},
    {"pearson", run_reduce},
    {"fill_forward", run_fill},
    {"fill_backward", run_fill},
    {"fill_const", run_fill},
    {"fill_linear", run_fill},
    {"unary", run_unary},
    {"binary", run_binary},
    {"fir", run_filter},
    {"iir", run_filter},
    {"moving_avg", run_filter},
    {"fit_line", run_fit},
    {"fit_2lines", run_fit},
    {"fit_poly", run_fit_poly},
    {"outliers", run_outliers},
    {"periods_detect", run_periods},
    {"periods_validate", run_periods},
    {"seasonal", run_seasonal},
    {"decompose", run_decompose},
    {"decompose_anomalies", run_anomalies},
    {"decompose_forecast", run_forecast},
};

/* The oracle names a rejected argument by the status's suffix. */
static const char *status_name(AiqSeriesStatus s)
{
    static const char *const names[] = {
        "OK",     "KIND",   "PERCENTILE",  "TREND", "SEASONALITY",  "TEST_POINTS", "THRESHOLD",
        "DEGREE", "FILTER", "DENOMINATOR", "WIDTH", "PERIOD_RANGE", "NUM_PERIODS"};
    return (size_t)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static void test_oracle_cases(void)
{
    json_error_t jerr;
    json_t *doc = json_load_file(CASES_PATH, 0, &jerr);
    if (!doc) {
        aiq_test_failed++;
        printf("FAIL %s:%d: cannot read %s: %s\n", __FILE__, __LINE__, CASES_PATH, jerr.text);
        return;
    }
    json_t *tol = json_object_get(doc, "tolerance"), *cases = json_object_get(doc, "cases");
    double rel = jnum(json_object_get(tol, "relative"));
    size_t seen = 0, fns = 0;
    bool covered[sizeof runners / sizeof runners[0]] = {false};
    for (size_t i = 0; i < json_array_size(cases); i++) {
        json_t *jc = json_array_get(cases, i);
        Case c = {json_string_value(json_object_get(jc, "fn")),
                  json_string_value(json_object_get(jc, "name")), json_object_get(jc, "in"),
                  json_object_get(jc, "out"), rel};
        json_t *ctol = json_object_get(jc, "tol"), *want_err = json_object_get(jc, "error");
        if (ctol)
            c.tol = jnum(ctol);
        size_t r = 0;
        while (r < sizeof runners / sizeof runners[0] && strcmp(runners[r].fn, c.fn) != 0)
            r++;
        if (r == sizeof runners / sizeof runners[0]) {
            aiq_test_failed++;
            printf("FAIL series case %s \"%s\": no runner\n", c.fn, c.name);
            continue;
        }
        covered[r] = true;
        AiqSeriesStatus st = runners[r].run(&c);
        const char *want = want_err ? json_string_value(want_err) : "OK";
        if (strcmp(status_name(st), want) != 0) {
            aiq_test_failed++;
            printf("FAIL series case %s \"%s\": status %s, want %s\n", c.fn, c.name,
                   status_name(st), want);
        } else {
            aiq_test_passed++;
        }
        seen++;
    }
    for (size_t r = 0; r < sizeof runners / sizeof runners[0]; r++)
        fns += covered[r];
    /* The file must exist and cover every function, or this test proves
     * nothing. */
    CHECK(seen > 900);
    CHECK_EQ_I64(fns, sizeof runners / sizeof runners[0]);
    json_decref(doc);
}

/* ------------------------------------------------- documented examples */

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

static void test_docs_stats(void)
{
    const double x[] = {23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29};
    AiqSeriesStats s;
    aiq_series_stats(x, 15, false, &s);
    CHECK(s.min == 2 && s.min_idx == 8 && s.max == 87 && s.max_idx == 3);
    CHECK(NEAR(s.avg, 32.8, 1e-12));
    CHECK(NEAR(s.stdev, 28.503633853548269, 1e-12));
    CHECK(NEAR(s.variance, 812.45714285714291, 1e-10));
    CHECK(s.sum == 492 && s.len == 15 && s.count == 15);
    /* One null makes everything null unless ignore_nonfinite. */
    const double y[] = {1, NAN, 3};
    aiq_series_stats(y, 3, false, &s);
    CHECK(isnan(s.avg) && s.min_idx == -1 && s.count == 0 && s.len == 3);
    aiq_series_stats(y, 3, true, &s);
    CHECK(s.avg == 2 && s.min_idx == 0 && s.max_idx == 2 && s.variance == 2);
}

static void test_docs_fills(void)
{
    double a[] = {111, NAN, 36, 41, NAN, NAN, 16, 61, 33, NAN, NAN}, out[12];
    aiq_series_fill_backward(a, 11, NAN, out);
    CHECK(out[1] == 36 && out[4] == 16 && out[5] == 16 && isnan(out[9]) && isnan(out[10]));
    double f[] = {NAN, NAN, 36, 41, NAN, NAN, 16, 61, 33, NAN, NAN};
    aiq_series_fill_forward(f, 11, NAN, out);
    CHECK(isnan(out[0]) && out[4] == 41 && out[5] == 41 && out[10] == 33);
    double l[] = {NAN, 111, NAN, 36, 41, NAN, NAN, 16, 61, 33, NAN, NAN};
    aiq_series_fill_linear(l, 12, NAN, true, 0, false, out);
    CHECK(out[0] == 111 && out[2] == 73.5 && NEAR(out[5], 32.667, 5e-4) &&
          NEAR(out[6], 24.333, 5e-4) && out[11] == 33);
    aiq_series_fill_linear(l, 12, NAN, true, 0, true, out); /* long elements: truncated */
    CHECK(out[2] == 73 && out[5] == 32 && out[6] == 24);
    aiq_series_fill_linear(l, 12, NAN, false, 0, false, out);
    CHECK(isnan(out[0]) && isnan(out[10]) && isnan(out[11]) && out[2] == 73.5);
    double none[] = {NAN, NAN, NAN, NAN};
    aiq_series_fill_linear(none, 4, NAN, false, 0, false, out);
    CHECK(out[0] == 0 && out[3] == 0);
    aiq_series_fill_linear(none, 4, NAN, true, 3.14159, false, out);
    CHECK(out[0] == 3.14159 && out[3] == 3.14159);
    aiq_series_fill_linear(none, 4, NAN, true, NAN, false, out); /* null constant keeps nulls */
    CHECK(isnan(out[0]) && isnan(out[3]));
    double cst[] = {111, NAN, 36, 41, 23, NAN, 16, 61, 33, NAN, NAN};
    aiq_series_fill_const(cst, 11, -1, NAN, out);
    CHECK(out[1] == -1 && out[5] == -1 && out[9] == -1 && out[10] == -1 && out[0] == 111);
    /* In place, and a placeholder other than null. */
    double z[] = {0, 5, 0, 0, 11, 0};
    aiq_series_fill_linear(z, 6, 0, true, 0, false, z);
    CHECK(z[0] == 5 && z[2] == 7 && z[3] == 9 && z[5] == 11);
}

static void test_docs_fit_line(void)
{
    const double y[] = {2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30};
    double line[12];
    AiqSeriesLineFit f;
    aiq_series_fit_line(y, 12, &f, line);
    /* The docs print these truncated to 3 decimals. */
    CHECK(NEAR(f.rsquare, 0.982, 1e-3) && NEAR(f.slope, 2.730, 1e-3));
    CHECK(NEAR(f.variance, 98.628, 1e-3) && NEAR(f.rvariance, 1.686, 1e-3));
    CHECK(NEAR(f.interception, -1.666, 1e-3));
    CHECK(NEAR(line[0], 1.064, 1e-3) && NEAR(line[1], 3.7945, 1e-3) &&
          NEAR(line[11], 31.102, 1e-3));
    /* Worked by hand: through (1,1) and (2,3): y = 2x - 1, a perfect fit. */
    const double two[] = {1, 3};
    aiq_series_fit_line(two, 2, &f, line);
    CHECK(f.slope == 2 && f.interception == -1 && f.rsquare == 1 && f.rvariance == 0);
    CHECK(f.variance == 2 && line[0] == 1 && line[1] == 3);
    /* series_fit_poly of degree 1 is series_fit_line (the docs' example 2). */
    const double v[] = {1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2};
    double coef[2];
    AiqSeriesPolyFit pf;
    aiq_series_fit_line(v, 11, &f, NULL);
    CHECK(aiq_series_fit_poly(v, 11, NULL, 0, 1, &pf, coef, NULL) == AIQ_SERIES_OK);
    CHECK(NEAR(coef[0], f.slope, 1e-12) && NEAR(coef[1], f.interception, 1e-12));
    CHECK(NEAR(pf.rsquare, f.rsquare, 1e-12) && NEAR(pf.rvariance, f.rvariance, 1e-12));
}

static void test_docs_fit_2lines(void)
{
    /* The docs' chart shows the break at 05:00: 12 starts the right line. */
    const double v[] = {1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2};
    double line[11];
    AiqSeries2LinesFit f;
    aiq_series_fit_2lines(v, 11, &f, line);
    CHECK_EQ_I64(f.split_idx, 5);
    CHECK(f.left.slope > 0 && f.right.slope < 0);
    CHECK(NEAR(line[4], 5.2, 0.05) && NEAR(line[5], 11.95, 0.05)); /* read off the chart */
    /* Worked by hand: a perfect V fits exactly. */
    const double vee[] = {0, 1, 2, 3, 4, 3, 2, 1};
    aiq_series_fit_2lines(vee, 8, &f, line);
    CHECK(f.rsquare == 1 && f.rvariance == 0 && (f.split_idx == 4 || f.split_idx == 5));
    CHECK(f.left.slope == 1 && f.right.slope == -1);
    aiq_series_fit_2lines(vee, 3, &f, line); /* too short to split */
    CHECK(f.split_idx == -1 && isnan(f.rsquare) && isnan(line[0]));
}

static void test_docs_filters(void)
{
    double x[] = {1, 2, 3, 4}, y[5];
    const double num[] = {1}, den[] = {1, -1};
    CHECK(aiq_series_iir(x, 4, num, 1, den, 2, y) == AIQ_SERIES_OK);
    CHECK(y[0] == 1 && y[1] == 3 && y[2] == 6 && y[3] == 10); /* cumulative sum */
    const double den2[] = {2, -2}; /* a0 normalisation: the same filter */
    aiq_series_iir(x, 4, (const double[]){2}, 1, den2, 2, y);
    CHECK(y[3] == 10);
    double d[] = {0, 0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 3}, dy[12];
    const double diff[] = {1, -1};
    CHECK(aiq_series_fir(d, 12, diff, 2, 0, false, dy) == AIQ_SERIES_OK);
    CHECK(dy[3] == 0 && dy[4] == 2 && dy[5] == 0 && dy[8] == 1 && dy[11] == 0);
    /* normalize=true with a negative coefficient: every output null. */
    aiq_series_fir(d, 12, diff, 2, 1, false, dy);
    CHECK(isnan(dy[0]) && isnan(dy[11]));
    double spike[24] = {0}, ma[24];
    spike[9] = 10, spike[10] = 20, spike[11] = 40, spike[12] = 100, spike[13] = 40, spike[14] = 20,
    spike[15] = 10;
    aiq_series_moving_avg(spike, 24, 5, false, ma);
    CHECK(ma[9] == 2 && ma[14] == 44 && ma[13] == 42); /* peak shifted by (5-1)/2 */
    aiq_series_moving_avg(spike, 24, 5, true, ma);
    CHECK(ma[7] == 2 && ma[12] == 44); /* centred: the peak stays */
    /* A width far beyond the series: the running mean over width slots. */
    CHECK(aiq_series_moving_avg(spike, 24, INT64_C(1000000000000), false, ma) == AIQ_SERIES_OK);
    CHECK(ma[9] == 10 / 1e12 && ma[23] == 240 / 1e12);
    aiq_series_moving_avg(spike, 24, INT64_MAX, true, ma);
    CHECK(NEAR(ma[0], 240 / (double)INT64_MAX, 1e-30));
}

static void test_docs_outliers(void)
{
    /* Kusto's output quoted in Stack Overflow question 75264555. */
    const double x[] = {-3, 2.4, 15, 3.9, 5, 6, 4.5, 5.2, 3, 4, 5, 16, 7, 5, 5, 4};
    const double want[] = {-1.9040785483608571,
                           -0.10021466044004519,
                           1.3361954725339347,
                           0,
                           0,
                           0,
                           0,
                           0,
                           0,
                           0,
                           0,
                           1.6702443406674186,
                           0,
                           0,
                           0,
                           0};
    double s[16];
    CHECK(aiq_series_outliers(x, 16, AIQ_SERIES_CTUKEY, NAN, 10, 90, s) == AIQ_SERIES_OK);
    for (int i = 0; i < 16; i++)
        CHECK(fabs(s[i] - want[i]) <= 1e-15 * fabs(want[i]));
    /* 'tukey' uses the quartiles, unscaled, and ignores the percentile
     * arguments: Q1 = 3.9 + 0.75 * 0.1 = 3.975, Q3 = 5.2 + 0.25 * 0.8 = 5.4. */
    aiq_series_outliers(x, 16, AIQ_SERIES_TUKEY, NAN, 0, 0, s);
    CHECK(NEAR(s[2], (15 - 5.4) / 1.425, 1e-12) && NEAR(s[1], (2.4 - 3.975) / 1.425, 1e-12));
    CHECK(s[4] == 0 && NEAR(s[3], (3.9 - 3.975) / 1.425, 1e-12));
    /* Nulls and ignore_val score 0 and are left out of the percentiles. */
    const double iv[] = {-1, 1, 2, 3, NAN, 4, 100, -1};
    aiq_series_outliers(iv, 8, AIQ_SERIES_CTUKEY, -1, 10, 90, s);
    CHECK(s[0] == 0 && s[4] == 0 && s[7] == 0 && s[6] > 1.5);
    CHECK(aiq_series_outliers(iv, 8, AIQ_SERIES_CTUKEY, NAN, 1, 90, s) ==
          AIQ_SERIES_ERR_PERCENTILE);
    CHECK(aiq_series_outliers(iv, 8, AIQ_SERIES_CTUKEY, NAN, 10, NAN, s) ==
          AIQ_SERIES_ERR_PERCENTILE);
}

static const double traffic[60] = {80, 139, 87,  110, 68,  54,  50,  51,  53,  133, 86,  141,
                                   97, 156, 94,  149, 95,  140, 77,  61,  50,  54,  47,  133,
                                   72, 152, 94,  148, 105, 162, 101, 160, 87,  63,  53,  55,
                                   54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90,  71,
                                   62, 62,  65,  165, 109, 181, 115, 182, 121, 178, 114, 170};

static void test_docs_periods(void)
{
    double p[2], s[2];
    CHECK(aiq_series_periods_detect(traffic, 60, 0.0, 50.0, 2, p, s) == AIQ_SERIES_OK);
    CHECK(p[0] == 14 && floor(s[0] * 100) == 84 && p[1] == 0 && s[1] == 0);
    const double vp[] = {14.0, 10.0};
    aiq_series_periods_validate(traffic, 60, vp, 2, s);
    CHECK(floor(s[0] * 100) == 84 && s[1] == 0);
    const double out_of_range[] = {3.9, 30.5, -1, NAN};
    double s4[4];
    aiq_series_periods_validate(traffic, 60, out_of_range, 4, s4);
    CHECK(s4[0] == 0 && s4[1] == 0 && s4[2] == 0 && s4[3] == 0);
    CHECK(aiq_series_periods_detect(traffic, 60, 0, 50, 0, p, s) == AIQ_SERIES_ERR_NUM_PERIODS);
}

static void test_periods_fundamental(void)
{
    /* A clean weekly pattern scores nearly 1 at 7, 14, 21, ...; which
     * multiple scores highest is chance, but the period is 7. */
    double x[700], p[3], s[3];
    const double shape[] = {5, 9, 8, 7, 6, 1, 0};
    uint64_t st = 7;
    for (int i = 0; i < 700; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = shape[i % 7] + 0.05 * ((double)(st >> 11) / 9007199254740992.0 - 0.5);
    }
    CHECK(aiq_series_periods_detect(x, 700, 0, 350, 3, p, s) == AIQ_SERIES_OK);
    CHECK(p[0] == 7 && s[0] > 0.99 && p[1] == 0 && p[2] == 0);
    CHECK_EQ_I64(aiq_series_best_period(x, 700, 0.6), 7);
    /* A smooth series: a daily sine in minute bins over 7 days. Its r is
     * nearly 1 at every short lag, which must not read as a period of 4;
     * the top of its hill at 1440 is flat, and the unbiased
     * autocorrelation alone puts it near 1446. */
    enum { N = 10080 };
    double *y = aiq_xmalloc(N * sizeof *y);
    for (int i = 0; i < N; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        y[i] = 100 + 30 * sin(2 * M_PI * i / 1440) + 5 * ((double)(st >> 11) / 9007199254740992.0);
    }
    CHECK(aiq_series_periods_detect(y, N, 0, N / 2, 2, p, s) == AIQ_SERIES_OK);
    CHECK(fabs(p[0] - 1440) <= 4 && s[0] > 0.95 && p[1] == 0);
    /* Half a sine wave: smooth, and no period at all. */
    for (int i = 0; i < N; i++)
        y[i] = sin(M_PI * i / N);
    CHECK(aiq_series_periods_detect(y, N, 0, N / 2, 2, p, s) == AIQ_SERIES_OK);
    CHECK(p[0] == 0 && s[0] == 0);
    CHECK_EQ_I64(aiq_series_best_period(y, N, 0.6), 0);
    aiq_xfree(y);
}

static void test_docs_seasonal(void)
{
    const double s1[25] = {2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1,
                           2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1};
    const double s2[20] = {8,  12, 14, 12, 10, 10, 12, 14, 12, 10,
                           10, 12, 14, 12, 10, 10, 12, 14, 12, 10};
    const double s3[12] = {1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6};
    const double s4[9] = {1, 3, 5, 1, 3, 5, 2, 4, 6};
    const double shape6[] = {1, 2, 3, 4, 3, 2}, shape5[] = {10, 12, 14, 12, 10};
    double out[25];
    bool ok = true;
    aiq_series_seasonal(s1, 25, -1, out); /* detected period 6 */
    for (int i = 0; i < 25; i++)
        ok &= out[i] == shape6[i % 6];
    CHECK(ok);
    aiq_series_seasonal(s2, 20, -1, out); /* detected period 5 */
    for (int i = 0; i < 20; i++)
        ok &= out[i] == shape5[i % 5];
    CHECK(ok);
    aiq_series_seasonal(s3, 12, -1, out); /* too short to detect: zeros */
    for (int i = 0; i < 12; i++)
        ok &= out[i] == 0;
    CHECK(ok);
    aiq_series_seasonal(s4, 9, 3, out);
    CHECK(out[0] == 1 && out[1] == 3 && out[2] == 5 && out[6] == 1 && out[8] == 5);
    aiq_series_seasonal(s3, 12, 3, out);
    CHECK(out[0] == 1.5 && out[1] == 3.5 && out[2] == 5.5 && out[11] == 5.5);
    aiq_series_seasonal(s3, 12, -5, out); /* any other value: zeros */
    CHECK(out[0] == 0 && out[11] == 0);
}

static void test_docs_reductions(void)
{
    const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 6, 8, 10};
    CHECK(aiq_series_pearson_correlation(a, 5, b, 5) == 1);
    CHECK(isnan(aiq_series_pearson_correlation(a, 5, b, 4)));
    const double c1[] = {0.1, 0.2, 0.1, 0.2}, c2[] = {0.11, 0.2, 0.11, 0.21}, c3[] = {1, 2, 3, 4};
    CHECK(NEAR(aiq_series_cosine_similarity(c1, 4, c2, 4, NAN, NAN), 0.99935343825504, 1e-14));
    CHECK(NEAR(aiq_series_cosine_similarity(c1, 4, c3, 4, NAN, NAN), 0.923760430703401, 1e-15));
    CHECK(isnan(aiq_series_cosine_similarity(c1, 0, c3, 4, NAN, NAN)));
    const double d1[] = {1, 2, 4}, d2[] = {4, 2, 1};
    CHECK(aiq_series_dot_product(d1, 3, d2, 3) == 12);
    CHECK(aiq_series_dot_product(d1, 3, d2, 2) == 8); /* the longer one is truncated */
    CHECK(isnan(aiq_series_dot_product(d1, 0, d2, 3)));
    CHECK(aiq_series_sum(c3, 4) == 10 && aiq_series_product(c3, 4) == 24);
    CHECK(aiq_series_magnitude(c3, 4) == 5.4772255750516612);
}

static void test_docs_elementwise(void)
{
    const double x[] = {1, 2, 4}, y[] = {4, 2, 1};
    AiqSeriesOperand a = {x, 3, false}, b = {y, 3, false};
    double out[3];
    aiq_series_binary(AIQ_SERIES_ADD, a, b, out);
    CHECK(out[0] == 5 && out[1] == 4 && out[2] == 5);
    aiq_series_binary(AIQ_SERIES_DIVIDE, a, b, out);
    CHECK(out[0] == 0.25 && out[1] == 1 && out[2] == 4);
    aiq_series_binary(AIQ_SERIES_GREATER, a, b, out);
    CHECK(out[0] == 0 && out[1] == 0 && out[2] == 1);
    aiq_series_binary(AIQ_SERIES_EQUALS, a, b, out);
    CHECK(out[0] == 0 && out[1] == 1 && out[2] == 0);
    const double logs[] = {1, 2, 3};
    aiq_series_unary(AIQ_SERIES_LOG, logs, 3, out);
    CHECK(out[0] == 0 && out[1] == 0.69314718055994529 && out[2] == 1.0986122886681098);
    aiq_series_unary(AIQ_SERIES_EXP, logs, 3, out);
    CHECK(out[0] == 2.7182818284590451 && out[2] == 20.085536923187668);
    /* A null operand gives null, even where C's pow would say 1. */
    const double one[] = {1}, null1[] = {NAN};
    aiq_series_binary(AIQ_SERIES_POW, (AiqSeriesOperand){one, 1, false},
                      (AiqSeriesOperand){null1, 1, false}, out);
    CHECK(isnan(out[0]));
    /* Lengths differ: the result is as long as the longer, padded with null. */
    CHECK(aiq_series_binary_len(a, (AiqSeriesOperand){y, 2, false}) == 3);
    aiq_series_binary(AIQ_SERIES_SUBTRACT, a, (AiqSeriesOperand){y, 2, false}, out);
    CHECK(out[0] == -3 && out[1] == 0 && isnan(out[2]));
    /* In place, with a scalar that aliases the output. */
    double io[] = {10, 20, 30};
    aiq_series_binary(AIQ_SERIES_MULTIPLY, (AiqSeriesOperand){io, 1, true},
                      (AiqSeriesOperand){io, 3, false}, io);
    CHECK(io[0] == 100 && io[1] == 200 && io[2] == 300);
}

/* Every element-wise page of Kusto's docs that prints a result. */
static void test_docs_elementwise_pages(void)
{
    static const struct {
        AiqSeriesUnaryOp op;
        double in[3], out[3];
    } un[] = {
        {AIQ_SERIES_ABS, {-6.5, 0, 8.2}, {6.5, 0, 8.2}},
        {AIQ_SERIES_SIGN, {-6, 0, 8}, {-1, 0, 1}},
        {AIQ_SERIES_FLOOR, {-1.5, 1, 2.5}, {-2, 1, 2}},
        {AIQ_SERIES_CEILING, {-1.5, 1, 2.5}, {-1, 1, 3}},
        {AIQ_SERIES_ACOS, {-1, 0, 1}, {3.1415926535897931, 1.5707963267948966, 0}},
        {AIQ_SERIES_ASIN, {-1, 0, 1}, {-1.5707963267948966, 0, 1.5707963267948966}},
        {AIQ_SERIES_ATAN, {-1, 0, 1}, {-0.78539816339744828, 0, 0.78539816339744828}},
        {AIQ_SERIES_COS, {-1, 0, 1}, {0.54030230586813976, 1, 0.54030230586813976}},
        {AIQ_SERIES_SIN, {-1, 0, 1}, {-0.8414709848078965, 0, 0.8414709848078965}},
        {AIQ_SERIES_TAN, {-1, 0, 1}, {-1.5574077246549023, 0, 1.5574077246549023}},
        {AIQ_SERIES_EXP, {1, 2, 3}, {2.7182818284590451, 7.38905609893065, 20.085536923187668}},
        {AIQ_SERIES_LOG, {1, 2, 3}, {0, 0.69314718055994529, 1.0986122886681098}},
    };
    for (size_t t = 0; t < sizeof un / sizeof un[0]; t++) {
        double out[3];
        aiq_series_unary(un[t].op, un[t].in, 3, out);
        CHECK(memcmp(out, un[t].out, sizeof out) == 0);
    }
    static const struct {
        AiqSeriesBinaryOp op;
        double out[3];
    } bin[] = {
        {AIQ_SERIES_ADD, {5, 4, 5}},      {AIQ_SERIES_SUBTRACT, {-3, 0, 3}},
        {AIQ_SERIES_MULTIPLY, {4, 4, 4}}, {AIQ_SERIES_DIVIDE, {0.25, 1, 4}},
        {AIQ_SERIES_GREATER, {0, 0, 1}},  {AIQ_SERIES_GREATER_EQUALS, {0, 1, 1}},
        {AIQ_SERIES_LESS, {1, 0, 0}},     {AIQ_SERIES_LESS_EQUALS, {1, 1, 0}},
        {AIQ_SERIES_EQUALS, {0, 1, 0}},   {AIQ_SERIES_NOT_EQUALS, {1, 0, 1}},
    };
    const double s1[] = {1, 2, 4}, s2[] = {4, 2, 1};
    for (size_t t = 0; t < sizeof bin / sizeof bin[0]; t++) {
        double out[3];
        aiq_series_binary(bin[t].op, (AiqSeriesOperand){s1, 3, false},
                          (AiqSeriesOperand){s2, 3, false}, out);
        CHECK(memcmp(out, bin[t].out, sizeof out) == 0);
    }
    const double x[] = {1, 2, 3, 4}, y[] = {1, 2, 3, 0.5};
    double out[4];
    aiq_series_binary(AIQ_SERIES_POW, (AiqSeriesOperand){x, 4, false},
                      (AiqSeriesOperand){y, 4, false}, out);
    CHECK(out[0] == 1 && out[1] == 4 && out[2] == 27 && out[3] == 2);
}

/* -------------------------------------------------- worked by hand */

static void test_decompose_by_hand(void)
{
    /* A pattern of period 4 on a constant level: the medians of each phase
     * are the pattern itself, the deseasonalized series is 0, and so are the
     * 'avg' trend and the residual. */
    double x[40], base[40], seas[40], trend[40], resid[40];
    const double shape[] = {0, 3, -1, 2};
    for (int i = 0; i < 40; i++)
        x[i] = 10 + shape[i % 4];
    AiqSeriesDecomposeOptions opt = {4, AIQ_SERIES_TREND_AVG, 0, 0.6};
    int64_t period = 0;
    CHECK(aiq_series_decompose(x, 40, &opt, base, seas, trend, resid, &period) == AIQ_SERIES_OK);
    CHECK_EQ_I64(period, 4);
    bool exact = true;
    for (int i = 0; i < 40; i++)
        exact &= seas[i] == x[i] && trend[i] == 0 && base[i] == x[i] && resid[i] == 0;
    CHECK(exact);
    /* The same with -1: the period is found (score 1 at lags 4 and 8). */
    opt.seasonality = -1;
    CHECK(aiq_series_decompose(x, 40, &opt, base, NULL, NULL, resid, &period) == AIQ_SERIES_OK);
    CHECK_EQ_I64(period, 4);
    CHECK(resid[17] == 0);
    /* On a rising line the phase medians carry the level of each phase's
     * middle: with x = 0.5 i + shape over 40 points, phase k's median is
     * 0.5 (k + 18) + shape[k], so x - seasonal is the staircase
     * 0.5 (i - i mod 4) - 9. Its least-squares slope is 0.5 less the
     * regression of 0.5 (i mod 4) on i: sum (i - 19.5)(i mod 4 - 1.5) = 50
     * over sum (i - 19.5)^2 = 5330, so 0.5 - 25/5330. */
    for (int i = 0; i < 40; i++)
        x[i] = 0.5 * i + shape[i % 4];
    opt = (AiqSeriesDecomposeOptions){4, AIQ_SERIES_TREND_LINEFIT, 0, 0.6};
    aiq_series_decompose(x, 40, &opt, base, seas, trend, resid, NULL);
    double worst = 0;
    for (int i = 0; i < 40; i++)
        worst = fmax(worst, fabs(seas[i] - (0.5 * (i % 4 + 18) + shape[i % 4])) +
                                fabs(resid[i] - (x[i] - seas[i] - trend[i])));
    CHECK(worst < 1e-12);
    CHECK(NEAR((trend[39] - trend[0]) / 39, 0.5 - 25.0 / 5330, 1e-12));
    /* Seasonality 0 and trend none: baseline 0 and residual x (documented). */
    AiqSeriesDecomposeOptions none = {0, AIQ_SERIES_TREND_NONE, 0, 0.6};
    aiq_series_decompose(x, 40, &none, base, NULL, NULL, resid, NULL);
    CHECK(base[7] == 0 && resid[7] == x[7]);
    /* Forecast of a pure line: learned from the first 32 points, the line
     * extends exactly over the last 8, whatever they hold. */
    double line[40], f[40];
    for (int i = 0; i < 40; i++)
        line[i] = i < 32 ? 3 + 0.25 * i : 0;
    CHECK(aiq_series_decompose_forecast(line, 40, 8, 0, AIQ_SERIES_TREND_LINEFIT, 0.6, f) ==
          AIQ_SERIES_OK);
    CHECK(NEAR(f[39], 3 + 0.25 * 39, 1e-12) && NEAR(f[32], 11, 1e-12) && NEAR(f[0], 3, 1e-12));
    AiqSeriesDecomposeOptions bad = {-2, AIQ_SERIES_TREND_AVG, 0, 0.6};
    CHECK(aiq_series_decompose(x, 40, &bad, base, NULL, NULL, NULL, NULL) ==
          AIQ_SERIES_ERR_SEASONALITY);
    bad = (AiqSeriesDecomposeOptions){0, (AiqSeriesTrend)7, 0, 0.6};
    CHECK(aiq_series_decompose(x, 40, &bad, base, NULL, NULL, NULL, NULL) == AIQ_SERIES_ERR_TREND);
    bad = (AiqSeriesDecomposeOptions){0, AIQ_SERIES_TREND_AVG, -1, 0.6};
    CHECK(aiq_series_decompose(x, 40, &bad, base, NULL, NULL, NULL, NULL) ==
          AIQ_SERIES_ERR_TEST_POINTS);
}

static void test_anomalies_by_hand(void)
{
    /* A clean daily-like pattern with one spike up and one dip down: the
     * defaults (detect the period, avg trend, ctukey 1.5) flag exactly them. */
    double x[96], flags[96], scores[96], base[96];
    for (int i = 0; i < 96; i++)
        x[i] = 20 + 5 * sin(2 * M_PI * i / 12) + 0.3 * sin(i * 1.7);
    x[30] += 15;
    x[70] -= 12;
    AiqSeriesDecomposeOptions opt = AIQ_SERIES_DECOMPOSE_DEFAULTS;
    CHECK(aiq_series_decompose_anomalies(x, 96, AIQ_SERIES_ANOMALY_THRESHOLD, &opt,
                                         AIQ_SERIES_CTUKEY, flags, scores, base) == AIQ_SERIES_OK);
    int ups = 0, downs = 0;
    for (int i = 0; i < 96; i++) {
        ups += flags[i] == 1;
        downs += flags[i] == -1;
    }
    CHECK(flags[30] == 1 && flags[70] == -1 && ups == 1 && downs == 1);
    CHECK(scores[30] > 3 && scores[70] < -3 && NEAR(base[31], x[31], 1.0));
    CHECK(aiq_series_decompose_anomalies(x, 96, NAN, &opt, AIQ_SERIES_CTUKEY, flags, NULL, NULL) ==
          AIQ_SERIES_ERR_THRESHOLD);
}

/* Kusto's series_decompose_anomalies page: five weeks of hours with a
 * weekly pattern, a rising line (t/72), 2*rand() noise, three dips of 8 and
 * three spikes of 8. Its text: with the defaults "some of the outliers you
 * inserted in the data aren't detected"; with 'linefit' "all the inserted
 * outliers are detected, and also some false positives"; with threshold
 * 2.5 "only the outliers you inserted in the data will be detected". The
 * page's random draw is not ours, so this holds for one fixed draw. */
static void test_docs_anomalies_story(void)
{
    enum { N = 24 * 7 * 5 };
    static const int dips[] = {150, 200, 780}, spikes[] = {300, 400, 600};
    double y[N], flags[N];
    uint64_t st = 1;
    for (int t = 1; t <= N; t++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        double noise = 2 * ((double)(st >> 11) / 9007199254740992.0);
        long h = (t % 24) / 10; /* integer division, as in the KQL */
        y[t - 1] = noise + ((t / 24) % 7 >= 5 ? 5.0 : 15.0) - (double)(h * h) + t / 72.0;
    }
    for (int k = 0; k < 3; k++) {
        y[dips[k] - 1] -= 8;
        y[spikes[k] - 1] += 8;
    }
    AiqSeriesDecomposeOptions opt = AIQ_SERIES_DECOMPOSE_DEFAULTS;
    int64_t period = 0;
    aiq_series_decompose(y, N, &opt, NULL, NULL, NULL, NULL, &period);
    CHECK_EQ_I64(period, 168); /* weekly, found through the trend */
    int found[3] = {0}, extra[3] = {0};
    const double thresholds[] = {1.5, 1.5, 2.5};
    const AiqSeriesTrend trends[] = {AIQ_SERIES_TREND_AVG, AIQ_SERIES_TREND_LINEFIT,
                                     AIQ_SERIES_TREND_LINEFIT};
    for (int run = 0; run < 3; run++) {
        opt.trend = trends[run];
        aiq_series_decompose_anomalies(y, N, thresholds[run], &opt, AIQ_SERIES_CTUKEY, flags, NULL,
                                       NULL);
        for (int i = 0; i < N; i++) {
            bool inserted = false;
            for (int k = 0; k < 3; k++)
                inserted |=
                    (i + 1 == dips[k] && flags[i] == -1) || (i + 1 == spikes[k] && flags[i] == 1);
            found[run] += inserted;
            extra[run] += flags[i] != 0 && !inserted;
        }
    }
    CHECK(found[0] < 6);                   /* defaults: some are missed */
    CHECK(found[1] == 6 && extra[1] > 0);  /* linefit: all, and false positives */
    CHECK(found[2] == 6 && extra[2] == 0); /* threshold 2.5: exactly the six */
}

/* Kusto's series_decompose_forecast page: four weeks of hours (weekly
 * pattern, t/72 rise, noise, outliers) and a fifth, empty week from
 * make-series (zeros), forecast with the defaults, which "automatically
 * detect the seasonality and trend". With AIQ_SERIES_FORECAST_TREND
 * (linefit) the forecast week is within 1 of the noise-free pattern on
 * average; with 'avg' it would lag the trend by about 6. */
static void test_docs_forecast_story(void)
{
    enum { W = 24 * 7, N = 5 * W };
    double y[N] = {0}, f[N];
    uint64_t st = 1;
    for (int t = 1; t < 4 * W; t++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        long h = (t % 24) / 10;
        y[t] = 2 * ((double)(st >> 11) / 9007199254740992.0) + ((t / 24) % 7 >= 5 ? 5.0 : 15.0) -
               (double)(h * h) + t / 72.0;
        y[t] += t == 150 || t == 200 || t == 780 ? -8 : t == 300 || t == 400 || t == 600 ? 8 : 0;
    }
    double err[2] = {0, 0};
    const AiqSeriesTrend trends[] = {AIQ_SERIES_FORECAST_TREND, AIQ_SERIES_TREND_AVG};
    for (int k = 0; k < 2; k++) {
        CHECK(aiq_series_decompose_forecast(y, N, W, -1, trends[k], 0.6, f) == AIQ_SERIES_OK);
        for (int t = 4 * W; t < N; t++) {
            long h = (t % 24) / 10;
            double clean = 1 + ((t / 24) % 7 >= 5 ? 5.0 : 15.0) - (double)(h * h) + t / 72.0;
            err[k] += fabs(f[t] - clean) / W;
        }
    }
    CHECK(err[0] < 1.0 && err[1] > 4.0);
}

static void test_parse_and_status(void)
{
    AiqSeriesOutlierKind k;
    AiqSeriesTrend t;
    CHECK(aiq_series_parse_kind("tukey", 5, &k) == AIQ_SERIES_OK && k == AIQ_SERIES_TUKEY);
    CHECK(aiq_series_parse_kind("ctukey", 6, &k) == AIQ_SERIES_OK && k == AIQ_SERIES_CTUKEY);
    CHECK(aiq_series_parse_kind("ctukeyx", 6, &k) == AIQ_SERIES_OK); /* length-bounded */
    CHECK(aiq_series_parse_kind("Tukey", 5, &k) == AIQ_SERIES_ERR_KIND);
    CHECK(aiq_series_parse_kind("", 0, &k) == AIQ_SERIES_ERR_KIND);
    CHECK(aiq_series_parse_trend("linefit", 7, &t) == AIQ_SERIES_OK &&
          t == AIQ_SERIES_TREND_LINEFIT);
    CHECK(aiq_series_parse_trend("none", 4, &t) == AIQ_SERIES_OK && t == AIQ_SERIES_TREND_NONE);
    CHECK(aiq_series_parse_trend("avg", 3, &t) == AIQ_SERIES_OK && t == AIQ_SERIES_TREND_AVG);
    CHECK(aiq_series_parse_trend("line", 4, &t) == AIQ_SERIES_ERR_TREND);
    /* Every status has its own message. */
    for (int s = 0; s <= AIQ_SERIES_ERR_NUM_PERIODS; s++)
        for (int r = s + 1; r <= AIQ_SERIES_ERR_NUM_PERIODS; r++)
            CHECK(strcmp(aiq_series_status_text((AiqSeriesStatus)s),
                         aiq_series_status_text((AiqSeriesStatus)r)) != 0);
    CHECK_EQ_STR(aiq_series_status_text(AIQ_SERIES_ERR_PERCENTILE),
                 "percentiles must lie in [2, 98], the minimum below the maximum");
    CHECK_EQ_STR(aiq_series_status_text((AiqSeriesStatus)99), "invalid argument");
}

static void test_normal_quantile(void)
{
    /* Reference values from Python's statistics.NormalDist().inv_cdf. */
    CHECK(NEAR(aiq_series_normal_quantile(0.975), 1.959963984540054, 1e-14));
    CHECK(NEAR(aiq_series_normal_quantile(0.9), 1.2815515655446004, 1e-14));
    CHECK(NEAR(aiq_series_normal_quantile(0.75), 0.6744897501960817, 1e-14));
    CHECK(NEAR(aiq_series_normal_quantile(0.02), -2.053748910631823, 1e-13));
    CHECK(NEAR(aiq_series_normal_quantile(0.001), -3.090232306167813, 1e-13));
    CHECK(aiq_series_normal_quantile(0.5) == 0);
}

/* ------------------------------------------------ at make-series sizes */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A reproducible pseudo-random stream (xorshift), so no test depends on rand(). */
static double noise(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (double)(*state >> 11) / 9007199254740992.0 - 0.5;
}

static void test_autocorr_fft_matches_direct(void)
{
    enum { N = 3000, LAGS = 2000 };
    double *x = aiq_xmalloc(N * sizeof *x), *fast = aiq_xmalloc(LAGS * sizeof *fast),
           *slow = aiq_xmalloc(LAGS * sizeof *slow);
    uint64_t st = 88172645463325252ull;
    for (int i = 0; i < N; i++)
        x[i] = noise(&st) < -0.4 ? NAN : 1e6 + 50 * sin(i / 9.0) + 10 * noise(&st);
    aiq_series_autocorr(x, N, LAGS - 1, fast); /* N * LAGS is past the direct limit */
    aiq_series_autocorr_direct(x, N, LAGS - 1, slow);
    double worst = 0;
    for (int k = 0; k < LAGS; k++)
        worst = fmax(worst, fabs(fast[k] - slow[k]));
    CHECK(worst < 1e-9);
    CHECK(NEAR(fast[0], 1, 1e-12));
    aiq_xfree(x);
    aiq_xfree(fast);
    aiq_xfree(slow);
}

static void test_large_series(void)
{
    /* One year of hourly bins with a daily and a weekly pattern, noise, a
     * trend, 1% nulls and one incident: what make-series hands over. */
    enum { N = 24 * 365 };
    double *x = aiq_xmalloc(N * sizeof *x), *flags = aiq_xmalloc(N * sizeof *flags);
    uint64_t st = 2463534242ull;
    for (int i = 0; i < N; i++) {
        double day = sin(2 * M_PI * i / 24), week = (i / 24) % 7 >= 5 ? -20 : 0;
        x[i] = noise(&st) < -0.49 ? NAN : 300 + 40 * day + week + 0.002 * i + 4 * noise(&st);
    }
    x[5000] += 200;
    double t0 = now_seconds();
    double p[2], s[2];
    CHECK(aiq_series_periods_detect(x, N, 0, 24 * 8, 2, p, s) == AIQ_SERIES_OK);
    CHECK((p[0] == 24 || p[0] == 168) && s[0] > 0.6);
    AiqSeriesDecomposeOptions opt = {-1, AIQ_SERIES_TREND_LINEFIT, 0, 0.6};
    CHECK(aiq_series_decompose_anomalies(x, N, 3.0, &opt, AIQ_SERIES_CTUKEY, flags, NULL, NULL) ==
          AIQ_SERIES_OK);
    CHECK(flags[5000] == 1);
    AiqSeries2LinesFit f2;
    double *line = aiq_xmalloc(N * sizeof *line);
    for (int i = 0; i < N; i++)
        line[i] = i < 6000 ? i * 0.5 : 2990 - (i - 6000) * 2.0;
    aiq_series_fit_2lines(line, N, &f2, NULL);
    CHECK_EQ_I64(f2.split_idx, 6000);
    CHECK(NEAR(f2.rsquare, 1, 1e-12));
    double elapsed = now_seconds() - t0;
    printf("series: periods_detect + decompose_anomalies + fit_2lines on %d points: %.3f s\n",
           (int)N, elapsed);
    CHECK(elapsed < 20); /* generous: ASan and a shared machine */
    aiq_xfree(x);
    aiq_xfree(flags);
    aiq_xfree(line);
}

/* --------------------------------------------------------- threads */

typedef struct Job {
    const double *x;
    double scores[96];
} Job;

static void *anomaly_job(void *arg)
{
    Job *j = arg;
    AiqSeriesDecomposeOptions opt = AIQ_SERIES_DECOMPOSE_DEFAULTS;
    for (int r = 0; r < 50; r++)
        aiq_series_decompose_anomalies(j->x, 96, 1.5, &opt, AIQ_SERIES_CTUKEY, NULL, j->scores,
                                       NULL);
    aiq_mem_thread_done();
    return NULL;
}

static void test_threads(void)
{
    double x[96], alone[96];
    for (int i = 0; i < 96; i++)
        x[i] = 20 + 5 * sin(2 * M_PI * i / 12) + (i == 40 ? 9 : 0);
    AiqSeriesDecomposeOptions opt = AIQ_SERIES_DECOMPOSE_DEFAULTS;
    aiq_series_decompose_anomalies(x, 96, 1.5, &opt, AIQ_SERIES_CTUKEY, NULL, alone, NULL);
    Job jobs[4];
    pthread_t th[4];
    for (int t = 0; t < 4; t++) {
        jobs[t].x = x;
        CHECK(pthread_create(&th[t], NULL, anomaly_job, &jobs[t]) == 0);
    }
    bool same_everywhere = true;
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        same_everywhere &= memcmp(jobs[t].scores, alone, sizeof alone) == 0;
    }
    CHECK(same_everywhere);
}

void test_series_math(void)
{
    test_oracle_cases();
    test_docs_stats();
    test_docs_fills();
    test_docs_fit_line();
    test_docs_fit_2lines();
    test_docs_filters();
    test_docs_outliers();
    test_docs_periods();
    test_periods_fundamental();
    test_docs_seasonal();
    test_docs_reductions();
    test_docs_elementwise();
    test_docs_elementwise_pages();
    test_decompose_by_hand();
    test_anomalies_by_hand();
    test_docs_anomalies_story();
    test_docs_forecast_story();
    test_parse_and_status();
    test_normal_quantile();
    test_autocorr_fft_matches_direct();
    test_large_series();
    test_threads();
}
