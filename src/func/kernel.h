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
/* Text of a JSON value as tostring(dynamic) gives it: strings unquoted. */
AiqStr aiq_json_text(AiqEvalCtx *ctx, json_t *j);
/* Frees the regexes compiled (and cached on expressions) by the last query. */
void aiq_regex_release_all(void);

/* Kernels, by file. */
KERNEL(k_add); KERNEL(k_sub); KERNEL(k_mul); KERNEL(k_div); KERNEL(k_mod); KERNEL(k_neg);
KERNEL(k_fpclass); KERNEL(k_cmp); KERNEL(k_eq); KERNEL(k_and); KERNEL(k_or); KERNEL(k_not);
KERNEL(k_in); KERNEL(k_between); KERNEL(k_strop); KERNEL(k_has_any); KERNEL(k_matches);
KERNEL(k_index);
KERNEL(k_tostring); KERNEL(k_tolong); KERNEL(k_toreal); KERNEL(k_tobool); KERNEL(k_todatetime);
KERNEL(k_totimespan); KERNEL(k_todynamic); KERNEL(k_isnull); KERNEL(k_isnotnull);
KERNEL(k_isempty); KERNEL(k_isnotempty); KERNEL(k_coalesce); KERNEL(k_iff); KERNEL(k_case);
KERNEL(k_strlen); KERNEL(k_tolower); KERNEL(k_toupper); KERNEL(k_substring); KERNEL(k_strcat);
KERNEL(k_strcat_delim); KERNEL(k_split); KERNEL(k_replace_string); KERNEL(k_replace_regex);
KERNEL(k_trim); KERNEL(k_indexof); KERNEL(k_extract); KERNEL(k_extract_all); KERNEL(k_parse_url);
KERNEL(k_strrep); KERNEL(k_reverse); KERNEL(k_countof); KERNEL(k_array_length); KERNEL(k_bag_keys);
KERNEL(k_round); KERNEL(k_bin); KERNEL(k_bin_at); KERNEL(k_math1); KERNEL(k_pow); KERNEL(k_abs);
KERNEL(k_ago); KERNEL(k_startof); KERNEL(k_datetime_diff); KERNEL(k_datetime_add);
KERNEL(k_format_datetime); KERNEL(k_datepart); KERNEL(k_unixtime);

#endif
