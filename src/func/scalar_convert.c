/*
 * scalar_convert.c -- conversions (tostring, tolong, todouble, ...), null
 * and emptiness tests, iff/case/coalesce, dynamic helpers and math. A value
 * that cannot convert gives null, never an error (SEMANTICS.md).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "core/json_text.h"
#include "func/kernel.h"
#include "util/mem.h"
#include "util/timefmt.h"

/* Copies p[0..n) without surrounding blanks into buf as a C string; false
 * when nothing is left or it does not fit. */
static bool trimmed_copy(const char *p, size_t n, char *buf, size_t cap)
{
    while (n && isspace((unsigned char)*p))
        p++, n--;
    while (n && isspace((unsigned char)p[n - 1]))
        n--;
    if (n == 0 || n >= cap)
        return false;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return true;
}

/* Parses a whole string as an integer (after trimming blanks). */
static bool parse_long(const char *p, size_t n, int64_t *out)
{
    char buf[64];
    if (!trimmed_copy(p, n, buf, sizeof buf))
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (*end == '\0' && errno == 0) {
        *out = v;
        return true;
    }
    /* "1.5" or "1e3": a real that converts by truncation */
    double d = strtod(buf, &end);
    return *end == '\0' && aiq_real_to_long(d, out);
}

static bool parse_real(const char *p, size_t n, double *out)
{
    char buf[128];
    if (!trimmed_copy(p, n, buf, sizeof buf))
        return false;
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0';
}

bool aiq_conv_long(const AiqVector *v, uint32_t i, int64_t *out)
{
    if (ISNULL(v, i))
        return false;
    switch (v->type) {
    case AIQ_TYPE_REAL:
        return aiq_real_to_long(F64(v, i), out);
    case AIQ_TYPE_STRING: {
        AiqStr s = STR(v, i);
        return parse_long(s.ptr, s.len, out);
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = DYN(v, i);
        if (json_is_integer(d)) {
            *out = json_integer_value(d);
            return true;
        }
        if (json_is_real(d))
            return aiq_real_to_long(json_real_value(d), out);
        if (json_is_boolean(d)) {
            *out = json_is_true(d);
            return true;
        }
        if (json_is_string(d))
            return parse_long(json_string_value(d), json_string_length(d), out);
        return false;
    }
    default: *out = I64(v, i); return true;
    }
}

bool aiq_conv_real(const AiqVector *v, uint32_t i, double *out)
{
    if (ISNULL(v, i))
        return false;
    switch (v->type) {
    case AIQ_TYPE_STRING: {
        AiqStr s = STR(v, i);
        return parse_real(s.ptr, s.len, out);
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = DYN(v, i);
        if (json_is_number(d)) {
            *out = json_number_value(d);
            return true;
        }
        if (json_is_boolean(d)) {
            *out = json_is_true(d);
            return true;
        }
        if (json_is_string(d))
            return parse_real(json_string_value(d), json_string_length(d), out);
        return false;
    }
    default: *out = F64(v, i); return true;
    }
}

static bool parse_bool(const char *p, size_t n, int64_t *out)
{
    if (n == 4 && strncasecmp(p, "true", 4) == 0)
        *out = 1;
    else if (n == 5 && strncasecmp(p, "false", 5) == 0)
        *out = 0;
    else if (n == 1 && (*p == '0' || *p == '1'))
        *out = *p == '1';
    else
        return false;
    return true;
}

bool aiq_conv_bool(const AiqVector *v, uint32_t i, int64_t *out)
{
    if (ISNULL(v, i))
        return false;
    switch (v->type) {
    case AIQ_TYPE_STRING: {
        AiqStr s = STR(v, i);
        return parse_bool(s.ptr, s.len, out);
    }
    case AIQ_TYPE_REAL: *out = F64(v, i) != 0; return true;
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = DYN(v, i);
        if (json_is_boolean(d))
            *out = json_is_true(d);
        else if (json_is_number(d))
            *out = json_number_value(d) != 0;
        else if (json_is_string(d))
            return parse_bool(json_string_value(d), json_string_length(d), out);
        else
            return false;
        return true;
    }
    default: *out = I64(v, i) != 0; return true;
    }
}

bool aiq_conv_datetime(const AiqVector *v, uint32_t i, int64_t *out)
{
    if (ISNULL(v, i))
        return false;
    switch (v->type) {
    case AIQ_TYPE_DATETIME: *out = I64(v, i); return true;
    case AIQ_TYPE_STRING: {
        AiqStr s = STR(v, i);
        return aiq_datetime_parse_text(s.ptr, s.len, out);
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = DYN(v, i);
        return json_is_string(d) && aiq_datetime_parse_text(json_string_value(d), json_string_length(d), out);
    }
    default: return false;
    }
}

bool aiq_conv_timespan(const AiqVector *v, uint32_t i, int64_t *out)
{
    if (ISNULL(v, i))
        return false;
    switch (v->type) {
    case AIQ_TYPE_TIMESPAN: *out = I64(v, i); return true;
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: *out = I64(v, i); return true; /* ticks */
    case AIQ_TYPE_STRING: {
        AiqStr s = STR(v, i);
        return aiq_timespan_parse(s.ptr, s.len, out);
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = DYN(v, i);
        if (json_is_string(d))
            return aiq_timespan_parse(json_string_value(d), json_string_length(d), out);
        if (json_is_integer(d)) {
            *out = json_integer_value(d);
            return true;
        }
        return false;
    }
    default: return false;
    }
}

AiqStr aiq_json_text(AiqEvalCtx *ctx, json_t *j)
{
    if (!j)
        return (AiqStr){"", 0};
    if (json_is_string(j))
        return (AiqStr){json_string_value(j), (uint32_t)json_string_length(j)};
    char *s = aiq_json_dumps(j, 0);
    AiqStr r = aiq_eval_str(ctx, s ? s : "", s ? strlen(s) : 0);
    aiq_xfree(s);
    return r;
}

AiqStr aiq_conv_string(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i)
{
    char buf[64];
    size_t n;
    if (v->type == AIQ_TYPE_STRING)
        return STR(v, i);
    if (v->type == AIQ_TYPE_DYNAMIC)
        return aiq_json_text(ctx, DYN(v, i));
    if (ISNULL(v, i))
        return (AiqStr){"", 0};
    switch (v->type) {
    case AIQ_TYPE_BOOL: return I64(v, i) ? (AiqStr){"true", 4} : (AiqStr){"false", 5};
    case AIQ_TYPE_REAL: n = aiq_real_format(F64(v, i), buf); break;
    case AIQ_TYPE_DATETIME: n = aiq_datetime_format_full(I64(v, i), buf); break;
    case AIQ_TYPE_TIMESPAN: n = aiq_timespan_format(I64(v, i), buf); break;
    default: n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)I64(v, i)); break;
    }
    return aiq_eval_str(ctx, buf, n);
}

/* out[i] = conv(row i), or null when the value does not convert. */
static void convert_i64(AiqEvalCtx *ctx, const AiqVector *in, AiqVector *out, const uint32_t *sel, uint32_t n,
                        bool (*conv)(const AiqVector *, uint32_t, int64_t *))
{
    FOR_ROWS(i) {
        if (!conv(in, i, &out->data.i64[i]))
            SETNULL(ctx, out, i);
    }
}

KERNEL(k_tostring)
{
    FOR_ROWS(i) out->data.str[i] = aiq_conv_string(ctx, a[0], i);
}

KERNEL(k_tolong)
{
    FOR_ROWS(i) {
        int64_t v;
        if (!aiq_conv_long(a[0], i, &v))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = out->type == AIQ_TYPE_INT ? (int64_t)(int32_t)v : v;
    }
}

KERNEL(k_toreal)
{
    FOR_ROWS(i) {
        double v;
        if (!aiq_conv_real(a[0], i, &v))
            SETNULL(ctx, out, i);
        else
            out->data.f64[i] = v;
    }
}

KERNEL(k_tobool) { convert_i64(ctx, a[0], out, sel, n, aiq_conv_bool); }

KERNEL(k_todatetime) { convert_i64(ctx, a[0], out, sel, n, aiq_conv_datetime); }

KERNEL(k_totimespan) { convert_i64(ctx, a[0], out, sel, n, aiq_conv_timespan); }

json_t *aiq_value_json(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i)
{
    if (ISNULL(v, i))
        return NULL;
    switch (v->type) {
    case AIQ_TYPE_BOOL: return json_boolean(I64(v, i));
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: return json_integer(I64(v, i));
    case AIQ_TYPE_REAL: return json_real(F64(v, i));
    case AIQ_TYPE_DYNAMIC: return json_incref(DYN(v, i));
    default: {
        AiqStr s = aiq_conv_string(ctx, v, i);
        return json_stringn(s.ptr, s.len);
    }
    }
}

KERNEL(k_todynamic)
{
    /* parse_json: a string holding JSON becomes that value; other text stays a string */
    FOR_ROWS(i) {
        json_t *r = NULL;
        if (a[0]->type == AIQ_TYPE_STRING || (a[0]->type == AIQ_TYPE_DYNAMIC && json_is_string(DYN(a[0], i)))) {
            AiqStr s = a[0]->type == AIQ_TYPE_STRING ? STR(a[0], i)
                                                     : (AiqStr){json_string_value(DYN(a[0], i)), (uint32_t)json_string_length(DYN(a[0], i))};
            r = json_loadb(s.ptr, s.len, JSON_DECODE_ANY, NULL);
            if (!r && s.len)
                r = json_stringn(s.ptr, s.len);
            if (json_is_null(r)) {
                json_decref(r);
                r = NULL;
            }
        } else {
            r = aiq_value_json(ctx, a[0], i);
        }
        out->data.dyn[i] = aiq_eval_own(ctx, r);
    }
}

KERNEL(k_isnull)
{
    FOR_ROWS(i) out->data.i64[i] = a[0]->type != AIQ_TYPE_STRING && ISNULL(a[0], i);
}

KERNEL(k_isnotnull)
{
    FOR_ROWS(i) out->data.i64[i] = a[0]->type == AIQ_TYPE_STRING || !ISNULL(a[0], i);
}

static bool is_empty(const AiqVector *v, uint32_t i)
{
    if (v->type == AIQ_TYPE_STRING)
        return STR(v, i).len == 0;
    if (v->type == AIQ_TYPE_DYNAMIC) {
        json_t *d = DYN(v, i);
        return !d || (json_is_string(d) && json_string_length(d) == 0);
    }
    return ISNULL(v, i);
}

KERNEL(k_isempty)
{
    FOR_ROWS(i) out->data.i64[i] = is_empty(a[0], i);
}

KERNEL(k_isnotempty)
{
    FOR_ROWS(i) out->data.i64[i] = !is_empty(a[0], i);
}

/* Copies row i of src into row i of out, converting long to real when needed. */
static void copy_value(AiqEvalCtx *ctx, AiqVector *out, const AiqVector *src, uint32_t i)
{
    if (ISNULL(src, i) && out->type != AIQ_TYPE_STRING) {
        SETNULL(ctx, out, i);
        return;
    }
    switch (out->type) {
    case AIQ_TYPE_REAL: out->data.f64[i] = F64(src, i); break;
    case AIQ_TYPE_STRING: out->data.str[i] = STR(src, i); break;
    case AIQ_TYPE_DYNAMIC: out->data.dyn[i] = DYN(src, i); break;
    default: out->data.i64[i] = I64(src, i); break;
    }
}

KERNEL(k_coalesce)
{
    FOR_ROWS(i) {
        int pick = e->nargs - 1;
        for (int s = 0; s < e->nargs; s++)
            if (!(a[s]->type == AIQ_TYPE_STRING ? STR(a[s], i).len == 0 : ISNULL(a[s], i))) {
                pick = s;
                break;
            }
        copy_value(ctx, out, a[pick], i);
    }
}

KERNEL(k_iff)
{
    FOR_ROWS(i) {
        bool c = !ISNULL(a[0], i) && I64(a[0], i);
        copy_value(ctx, out, a[c ? 1 : 2], i);
    }
}

KERNEL(k_case)
{
    FOR_ROWS(i) {
        int pick = e->nargs - 1;
        for (int s = 0; s + 1 < e->nargs; s += 2)
            if (!ISNULL(a[s], i) && I64(a[s], i)) {
                pick = s + 1;
                break;
            }
        copy_value(ctx, out, a[pick], i);
    }
}

KERNEL(k_array_length)
{
    FOR_ROWS(i) {
        json_t *d = DYN(a[0], i);
        if (json_is_array(d))
            out->data.i64[i] = (int64_t)json_array_size(d);
        else
            SETNULL(ctx, out, i);
    }
}

KERNEL(k_bag_keys)
{
    FOR_ROWS(i) {
        json_t *d = DYN(a[0], i);
        if (!json_is_object(d))
            continue;
        json_t *arr = json_array();
        const char *key;
        json_t *val;
        json_object_foreach(d, key, val) json_array_append_new(arr, json_string(key));
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

/* ---- math ------------------------------------------------------------------- */

KERNEL(k_round)
{
    FOR_ROWS(i) {
        int64_t digits = e->nargs > 1 ? I64(a[1], i) : 0;
        if (out->type == AIQ_TYPE_REAL) {
            double x = F64(a[0], i), p = pow(10.0, (double)digits);
            /* round() in C is half away from zero, as Kusto's round */
            double r = round(x * p) / p;
            out->data.f64[i] = isfinite(r) ? r : x;
        } else {
            int64_t x = I64(a[0], i);
            if (digits >= 0) {
                out->data.i64[i] = x;
            } else {
                int64_t p = 1;
                for (int64_t d = 0; d < -digits && p < 1000000000000000000LL; d++)
                    p *= 10;
                int64_t q = x / p, r = x % p;
                if (2 * (r < 0 ? -r : r) >= p)
                    q += x < 0 ? -1 : 1;
                out->data.i64[i] = q * p;
            }
        }
    }
}

/* floor(x / size) * size toward -infinity; datetimes count ticks from 0001-01-01. */
KERNEL(k_bin)
{
    FOR_ROWS(i) {
        if (out->type == AIQ_TYPE_REAL) {
            double s = F64(a[1], i);
            if (s <= 0)
                SETNULL(ctx, out, i);
            else
                out->data.f64[i] = floor(F64(a[0], i) / s) * s;
        } else {
            int64_t x = I64(a[0], i), s = a[1]->type == AIQ_TYPE_REAL ? (int64_t)F64(a[1], i) : I64(a[1], i);
            if (s <= 0) {
                SETNULL(ctx, out, i);
                continue;
            }
            int64_t r = x % s;
            if (r < 0)
                r += s;
            out->data.i64[i] = x - r;
        }
    }
}

KERNEL(k_bin_at)
{
    FOR_ROWS(i) {
        if (out->type == AIQ_TYPE_REAL) {
            double s = F64(a[1], i), f = F64(a[2], i);
            if (s <= 0)
                SETNULL(ctx, out, i);
            else
                out->data.f64[i] = f + floor((F64(a[0], i) - f) / s) * s;
        } else {
            int64_t x = I64(a[0], i), s = I64(a[1], i), f = I64(a[2], i);
            if (s <= 0) {
                SETNULL(ctx, out, i);
                continue;
            }
            int64_t d = x - f, r = d % s;
            if (r < 0)
                r += s;
            out->data.i64[i] = x - r;
        }
    }
}

KERNEL(k_abs)
{
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) out->data.f64[i] = fabs(F64(a[0], i));
    } else {
        FOR_ROWS(i) {
            int64_t x = I64(a[0], i);
            out->data.i64[i] = x < 0 ? (int64_t)(0 - (uint64_t)x) : x;
        }
    }
}

KERNEL(k_math1)
{
    double (*fn)(double);
    switch (e->fn->id) {
    case AIQ_FN_SQRT: fn = sqrt; break;
    case AIQ_FN_LOG: fn = log; break;
    case AIQ_FN_LOG10: fn = log10; break;
    case AIQ_FN_LOG2: fn = log2; break;
    case AIQ_FN_EXP: fn = exp; break;
    case AIQ_FN_EXP2: fn = exp2; break;
    default: fn = ceil; break; /* ceiling */
    }
    FOR_ROWS(i) {
        double r = fn(F64(a[0], i));
        if (isnan(r))
            SETNULL(ctx, out, i); /* sqrt(-1), log(-1): null as in Kusto */
        else
            out->data.f64[i] = r;
    }
}

/* isnan, isinf, isfinite */
KERNEL(k_fpclass)
{
    AiqFuncId which = e->fn->id;
    FOR_ROWS(i) {
        double x = F64(a[0], i);
        out->data.i64[i] = which == AIQ_FN_ISNAN ? isnan(x) != 0 : which == AIQ_FN_ISINF ? isinf(x) != 0 : isfinite(x) != 0;
    }
}

KERNEL(k_pow)
{
    FOR_ROWS(i) out->data.f64[i] = pow(F64(a[0], i), F64(a[1], i));
}
