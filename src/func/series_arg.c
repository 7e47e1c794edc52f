/*
 * series_arg.c -- series arguments in and dynamic arrays out (see
 * series_arg.h). Kusto's series functions read any element that is not a
 * number (a string, a bool, null) as a missing value, and write a missing
 * result as null.
 */
#include "func/series_arg.h"

#include <math.h>
#include <string.h>

#include "func/registry.h"
#include "util/mem.h"

/* Room for n elements in a (zeroed flags). */
static void alloc_arg(AiqSeriesArg *a, size_t n)
{
    size_t m = n ? n : 1;
    a->n = n;
    a->v = aiq_xmalloc(sizeof *a->v * m);
    a->iv = aiq_xmalloc(sizeof *a->iv * m);
    a->isint = aiq_xcalloc(m, sizeof *a->isint);
}

/* Element k of a from the JSON value j. */
static void set_element(AiqSeriesArg *a, size_t k, json_t *j)
{
    if (json_is_integer(j)) {
        a->iv[k] = json_integer_value(j);
        a->v[k] = (double)a->iv[k];
        a->isint[k] = true;
    } else if (json_is_real(j)) {
        a->v[k] = json_real_value(j);
        a->iv[k] = 0;
    } else {
        a->v[k] = NAN;
        a->iv[k] = 0;
    }
}

/* integers: every number is an integer, and there is a number. */
static void note_integers(AiqSeriesArg *a)
{
    bool any = false, all = true;
    for (size_t k = 0; k < a->n; k++) {
        if (isnan(a->v[k]))
            continue;
        any = true;
        all &= a->isint[k];
    }
    a->integers = any && all;
}

bool aiq_series_arg(const AiqVector *v, uint32_t i, bool allow_scalar, AiqSeriesArg *out)
{
    memset(out, 0, sizeof *out);
    if (aiq_vec_is_null(v, i))
        return false;
    uint32_t j = aiq_vidx(v, i);
    if (v->type == AIQ_TYPE_DYNAMIC) {
        json_t *d = v->data.dyn[j];
        if (json_is_array(d)) {
            alloc_arg(out, json_array_size(d));
            for (size_t k = 0; k < out->n; k++)
                set_element(out, k, json_array_get(d, k));
            note_integers(out);
            return true;
        }
        if (!allow_scalar || !json_is_number(d))
            return false;
        alloc_arg(out, 1);
        set_element(out, 0, d);
    } else if (allow_scalar && (v->type == AIQ_TYPE_LONG || v->type == AIQ_TYPE_INT)) {
        alloc_arg(out, 1);
        out->iv[0] = v->data.i64[j];
        out->v[0] = (double)out->iv[0];
        out->isint[0] = true;
    } else if (allow_scalar && v->type == AIQ_TYPE_REAL) {
        alloc_arg(out, 1);
        out->v[0] = v->data.f64[j];
    } else {
        return false;
    }
    out->scalar = true;
    note_integers(out);
    return true;
}

void aiq_series_arg_free(AiqSeriesArg *a)
{
    aiq_xfree(a->v);
    aiq_xfree(a->iv);
    aiq_xfree(a->isint);
    memset(a, 0, sizeof *a);
}

json_t *aiq_series_real(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *aiq_series_reals(const double *x, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, aiq_series_real(x[k]));
    return arr;
}

json_t *aiq_series_longs(const double *x, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, isfinite(x[k]) ? json_integer((json_int_t)x[k]) : json_null());
    return arr;
}

double aiq_series_num(const AiqVector *v, uint32_t i)
{
    if (aiq_vec_is_null(v, i))
        return NAN;
    uint32_t j = aiq_vidx(v, i);
    switch (v->type) {
    case AIQ_TYPE_REAL: return v->data.f64[j];
    case AIQ_TYPE_DYNAMIC: return json_is_number(v->data.dyn[j]) ? json_number_value(v->data.dyn[j]) : NAN;
    case AIQ_TYPE_STRING: return NAN;
    default: return (double)v->data.i64[j];
    }
}

void aiq_series_fail(AiqEvalCtx *ctx, const AiqExpr *e, const char *what)
{
    aiq_error_set(ctx->err, AIQ_ERR_RUNTIME, e->off, e->len ? e->len : 1, "%s(): %s", e->fn->name, what);
}
