/*
 * kernel.h -- helpers shared by the scalar kernels in func/scalar_*.c.
 * A kernel writes out[i] for every physical row i listed by (sel, n); the
 * FOR_ROWS loop hides the selection vector. Accessors read constant vectors
 * through row 0.
 */
#ifndef AIQ_FUNC_KERNEL_H
#define AIQ_FUNC_KERNEL_H

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/vector.h"
#include "func/eval_ctx.h"
#include "func/registry.h"

#define FOR_ROWS(i)                                                                         \
    for (uint32_t k_ = 0, i = 0; k_ < n && ((i = sel ? sel[k_] : k_), 1); k_++)

#define KERNEL(name)                                                                        \
    void name(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, AiqVector *out,             \
              const uint32_t *sel, uint32_t n)

static inline int64_t I64(const AiqVector *v, uint32_t i) { return v->data.i64[aiq_vidx(v, i)]; }
static inline double F64(const AiqVector *v, uint32_t i)
{
    return v->type == AIQ_TYPE_REAL ? v->data.f64[aiq_vidx(v, i)] : (double)v->data.i64[aiq_vidx(v, i)];
}
static inline AiqStr STR(const AiqVector *v, uint32_t i) { return v->data.str[aiq_vidx(v, i)]; }
static inline json_t *DYN(const AiqVector *v, uint32_t i) { return v->data.dyn[aiq_vidx(v, i)]; }
static inline bool ISNULL(const AiqVector *v, uint32_t i) { return aiq_vec_is_null(v, i); }
static inline void SETNULL(AiqEvalCtx *ctx, AiqVector *out, uint32_t i)
{
    aiq_vec_set_null(out, i, &ctx->arena);
}
static inline bool str_eq(AiqStr a, AiqStr b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Conversions shared by kernels (func/scalar_convert.c). Each returns false
 * when the value does not convert (the result is then null). */
bool aiq_conv_long(const AiqVector *v, uint32_t i, int64_t *out);
bool aiq_conv_real(const AiqVector *v, uint32_t i, double *out);
bool aiq_conv_bool(const AiqVector *v, uint32_t i, int64_t *out);
bool aiq_conv_datetime(const AiqVector *v, uint32_t i, int64_t *out);
bool aiq_conv_timespan(const AiqVector *v, uint32_t i, int64_t *out);
/* Text of any value as tostring() gives it; null is "". */
AiqStr aiq_conv_string(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i);
/* Row i of v as a new JSON value, which the caller owns (NULL for null):
 * numbers and bools as themselves, a dynamic value shared (a new
 * reference), the rest as their text (pack_array(datetime) holds the
 * datetime's text, as in Kusto). */
json_t *aiq_value_json(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i);
/* The value hash() computes for row i of v (func/scalar_hash.c). */
uint64_t aiq_hash_value(const AiqVector *v, uint32_t i);
/* Text of a JSON value as tostring(dynamic) gives it: strings unquoted. */
AiqStr aiq_json_text(AiqEvalCtx *ctx, json_t *j);
/* Frees the regexes compiled (and cached on expressions) by the last query. */
void aiq_regex_release_all(void);

/* The kernels, declared from the list of built-ins (func/builtins.def):
 * a new row's kernel needs no declaration of its own. */
#define AIQ_FUNC(id, name, lo, hi, ret, args, naming, prefix, flags, kernel) KERNEL(kernel);
#define AIQ_OPER(id, name, lo, hi, ret, args, flags, kernel) KERNEL(kernel);
#define AIQ_AGGR(id, ...)
#include "func/builtins.def"
#undef AIQ_FUNC
#undef AIQ_OPER
#undef AIQ_AGGR

#endif
