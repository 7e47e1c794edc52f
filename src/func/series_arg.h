/*
 * series_arg.h -- between the dynamic values of a query and the doubles of
 * series_math.h: a series argument read into arrays (every element a
 * double, NaN where it is null or not a number, with its integer value
 * kept where it is a JSON integer), and arrays of results turned back into
 * dynamic arrays. Shared by the series and array kernels
 * (func/scalar_series.c, scalar_series_fit.c, scalar_array.c).
 */
#ifndef AIQ_FUNC_SERIES_ARG_H
#define AIQ_FUNC_SERIES_ARG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vector.h"
#include "func/eval_ctx.h"

/* One series argument of one row. The arrays are the caller's to free
 * with aiq_series_arg_free (a series can hold 2^20 values: they are not
 * kept in the chunk's arena for all its rows). */
typedef struct AiqSeriesArg {
    size_t n;       /* elements (1 for a scalar) */
    double *v;      /* NaN: null, or not a number */
    int64_t *iv;    /* the value where isint[i] */
    bool *isint;    /* element i is an integer (a JSON integer, or a long scalar) */
    bool integers;  /* every element that is a number is an integer, and one is */
    bool scalar;    /* a number that stands for an array of any length */
} AiqSeriesArg;

/* Reads row i of v: a dynamic array, or with allow_scalar a number (long,
 * int, real, or a dynamic number). False (out empty) when it is neither:
 * null, a string, a bag; the result of the row is then null. */
bool aiq_series_arg(const AiqVector *v, uint32_t i, bool allow_scalar, AiqSeriesArg *out);
void aiq_series_arg_free(AiqSeriesArg *a);

/* A double as a dynamic element: a JSON real, or null for NaN and the
 * infinities (JSON has none). */
json_t *aiq_series_real(double x);
/* x[0..n) as a dynamic array of reals (see aiq_series_real). A new reference. */
json_t *aiq_series_reals(const double *x, size_t n);
/* x[0..n) as a dynamic array of integers (NaN: null), for flags and indexes. */
json_t *aiq_series_longs(const double *x, size_t n);
/* The scalar argument i of a call as a double, NaN when null. */
double aiq_series_num(const AiqVector *v, uint32_t i);
/* Sets *err (at the call e) to a series function's rejected argument. */
void aiq_series_fail(AiqEvalCtx *ctx, const AiqExpr *e, const char *what);

#endif
