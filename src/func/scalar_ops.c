/*
 * scalar_ops.c -- kernels of KQL's operators: arithmetic, comparison,
 * three-valued logic, in/between, string predicates, dynamic indexing.
 * Null rules (SEMANTICS.md, Kusto's null-values page): arithmetic and the
 * ordering comparisons with a null give null (masks are combined by the
 * evaluator); `==` is false and `!=` true when exactly one side is null, and
 * both are null when both sides are; `in` is an `or` of `==`, `!in` an
 * `and` of `!=`; `and`/`or` are three-valued.
 */
#include <ctype.h>
#include <stdlib.h>

#include "core/json_text.h"
#include "func/in_set.h"
#include "func/kernel.h"
#include "func/text.h"

/* ---- arithmetic -------------------------------------------------------- */

/* Wrapping integer arithmetic: overflow is not undefined behaviour here. */
static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

KERNEL(k_add)
{
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) out->data.f64[i] = F64(a[0], i) + F64(a[1], i);
    } else {
        FOR_ROWS(i) out->data.i64[i] = wadd(I64(a[0], i), I64(a[1], i));
    }
}

KERNEL(k_sub)
{
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) out->data.f64[i] = F64(a[0], i) - F64(a[1], i);
    } else {
        FOR_ROWS(i) out->data.i64[i] = wsub(I64(a[0], i), I64(a[1], i));
    }
}

KERNEL(k_mul)
{
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) out->data.f64[i] = F64(a[0], i) * F64(a[1], i);
    } else if (out->type == AIQ_TYPE_TIMESPAN && (a[0]->type == AIQ_TYPE_REAL || a[1]->type == AIQ_TYPE_REAL)) {
        FOR_ROWS(i) out->data.i64[i] = (int64_t)llround(F64(a[0], i) * F64(a[1], i));
    } else {
        FOR_ROWS(i) out->data.i64[i] = wmul(I64(a[0], i), I64(a[1], i));
    }
}

KERNEL(k_div)
{
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) out->data.f64[i] = F64(a[0], i) / F64(a[1], i);
    } else if (out->type == AIQ_TYPE_TIMESPAN && a[1]->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) {
            double d = F64(a[1], i);
            if (d == 0)
                SETNULL(ctx, out, i);
            else
                out->data.i64[i] = (int64_t)llround((double)I64(a[0], i) / d);
        }
    } else {
        /* long / long truncates toward zero; division by zero is null */
        FOR_ROWS(i) {
            int64_t x = I64(a[0], i), y = I64(a[1], i);
            if (y == 0)
                SETNULL(ctx, out, i);
            else if (y == -1)
                out->data.i64[i] = wsub(0, x);
            else
                out->data.i64[i] = x / y;
        }
    }
}

KERNEL(k_mod)
{
    /* Kusto's % is never negative: -7 % 3 == 2 */
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) {
            double y = F64(a[1], i), r = fmod(F64(a[0], i), y);
            if (r < 0)
                r += fabs(y);
            out->data.f64[i] = r;
        }
    } else {
        FOR_ROWS(i) {
            int64_t x = I64(a[0], i), y = I64(a[1], i);
            if (y == 0) {
                SETNULL(ctx, out, i);
                continue;
            }
            int64_t r = y == -1 ? 0 : x % y;
            if (r < 0)
                r += y < 0 ? -y : y;
            out->data.i64[i] = r;
        }
    }
}

KERNEL(k_neg)
{
    if (out->type == AIQ_TYPE_REAL) {
        FOR_ROWS(i) out->data.f64[i] = -F64(a[0], i);
    } else {
        FOR_ROWS(i) out->data.i64[i] = wsub(0, I64(a[0], i));
    }
}

/* ---- comparison ---------------------------------------------------------- */

/* Three-way comparison of physical rows i of x and y (same type family);
 * AIQ_CMP_UNORDERED when a NaN is involved (core/compare.h). */
static int compare(const AiqVector *x, const AiqVector *y, uint32_t i)
{
    if (x->type == AIQ_TYPE_STRING)
        return aiq_cmp_str(STR(x, i), STR(y, i));
    if (x->type == AIQ_TYPE_REAL || y->type == AIQ_TYPE_REAL)
        return aiq_cmp_f64(F64(x, i), F64(y, i));
    if (x->type == AIQ_TYPE_DYNAMIC)
        return json_equal(DYN(x, i), DYN(y, i)) ? 0 : 1;
    return aiq_cmp_i64(I64(x, i), I64(y, i));
}

/* Whether a is a flat integer-like vector and b a constant of its family:
 * the common `Column op 5` that the kernels below run as one tight loop. */
static bool int_vs_const(const AiqVector *a, const AiqVector *b)
{
    return a->type != AIQ_TYPE_STRING && a->type != AIQ_TYPE_REAL && b->type != AIQ_TYPE_REAL &&
           a->type != AIQ_TYPE_DYNAMIC && !a->is_const && b->is_const;
}

/* `column op constant` over flat integer-like rows, one loop per operator:
 * with op a constant the compiler turns aiq_cmp_holds into the one test. */
#define INT_CONST_LOOP(OP, TEST) FOR_ROWS(i) out->data.i64[i] = (TEST) ? aiq_cmp_holds(OP, aiq_cmp_i64(x[i], c)) : ne;
static void int_vs_const_rows(AiqCmpOp op, const int64_t *x, int64_t c, const uint64_t *valid, bool ne,
                              AiqVector *out, const uint32_t *sel, uint32_t n)
{
    switch (op) {
#define CASE(OP)                                                                                   \
    case OP:                                                                                       \
        if (valid) {                                                                               \
            INT_CONST_LOOP(OP, valid[i >> 6] >> (i & 63) & 1)                                      \
        } else {                                                                                   \
            INT_CONST_LOOP(OP, 1)                                                                  \
        }                                                                                          \
        break;
        CASE(AIQ_CMP_LT) CASE(AIQ_CMP_LE) CASE(AIQ_CMP_GT) CASE(AIQ_CMP_GE) CASE(AIQ_CMP_EQ) CASE(AIQ_CMP_NE)
#undef CASE
    }
}
#undef INT_CONST_LOOP

/* <, <=, >, >= (the evaluator has made null rows null already) */
KERNEL(k_cmp)
{
    AiqCmpOp op = AIQ_CMP_LT;
    aiq_func_cmp_op(e->fn->id, &op);
    if (int_vs_const(a[0], a[1])) {
        int_vs_const_rows(op, a[0]->data.i64, a[1]->data.i64[0], NULL, false, out, sel, n);
        return;
    }
    FOR_ROWS(i) out->data.i64[i] = aiq_cmp_holds(op, compare(a[0], a[1], i));
}

/* == and !=: no null propagation (registered raw), so that `not(x == 5)`
 * keeps the rows where x is null and `by k = (B == true)` makes a false
 * group for a null B. A NaN equals nothing, itself included (IEEE 754). */
KERNEL(k_eq)
{
    AiqCmpOp op = AIQ_CMP_EQ;
    aiq_func_cmp_op(e->fn->id, &op);
    bool ne = op == AIQ_CMP_NE;
    if (int_vs_const(a[0], a[1]) && !a[1]->validity) {
        /* a null x is one null side: == false, != true */
        int_vs_const_rows(op, a[0]->data.i64, a[1]->data.i64[0], a[0]->validity, ne, out, sel, n);
        return;
    }
    bool texts = a[0]->type == AIQ_TYPE_DYNAMIC; /* (then both are) */
    FOR_ROWS(i) {
        bool n0 = ISNULL(a[0], i), n1 = ISNULL(a[1], i);
        if (n0 && n1)
            SETNULL(ctx, out, i);
        else if (n0 || n1)
            out->data.i64[i] = ne;
        else if (texts) /* dynamic values compare as tostring() gives them */
            out->data.i64[i] = str_eq(aiq_json_text(ctx, DYN(a[0], i)), aiq_json_text(ctx, DYN(a[1], i))) != ne;
        else
            out->data.i64[i] = aiq_cmp_holds(op, compare(a[0], a[1], i));
    }
}

/* ---- logic ----------------------------------------------------------------- */

KERNEL(k_and)
{
    /* false wins over null: SQLite's OP_And rule */
    FOR_ROWS(i) {
        bool n0 = ISNULL(a[0], i), n1 = ISNULL(a[1], i);
        int64_t v0 = n0 ? 0 : I64(a[0], i), v1 = n1 ? 0 : I64(a[1], i);
        if ((!n0 && !v0) || (!n1 && !v1))
            out->data.i64[i] = 0;
        else if (n0 || n1)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = 1;
    }
}

KERNEL(k_or)
{
    /* true wins over null */
    FOR_ROWS(i) {
        bool n0 = ISNULL(a[0], i), n1 = ISNULL(a[1], i);
        int64_t v0 = n0 ? 0 : I64(a[0], i), v1 = n1 ? 0 : I64(a[1], i);
        if ((!n0 && v0) || (!n1 && v1))
            out->data.i64[i] = 1;
        else if (n0 || n1)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = 0;
    }
}

KERNEL(k_not)
{
    FOR_ROWS(i) {
        if (ISNULL(a[0], i))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = !I64(a[0], i);
    }
}

/* ---- in, between --------------------------------------------------------- */

static bool ascii_ieq(AiqStr p, AiqStr q)
{
    if (p.len != q.len)
        return false;
    for (uint32_t k = 0; k < p.len; k++)
        if (tolower((unsigned char)p.ptr[k]) != tolower((unsigned char)q.ptr[k]))
            return false;
    return true;
}

/* x in (a, b): x == a or x == b; x !in (a, b): x != a and x != b. So a
 * null x is false for in and true for !in, unless the set holds a null
 * too: null == null is null, which neither or-ing false nor and-ing true
 * changes. */
/* x in (v1, v2, ...): args 1.. are the values; a dynamic value (an array
 * computed per row) stands for its elements; e->aux, when set, holds the
 * set of a tabular right side's values (an AiqInSet *, in_set.h), filled
 * before the query runs. It holds it through a pointer the binder made, as
 * the binder may copy the call (extend a = ..., b = a) before it runs. */
KERNEL(k_in)
{
    bool neg = (e->fn->flags & AIQ_FN_NEGATED) != 0;
    bool ci = e->fn->id == AIQ_FN_IN_CI || e->fn->id == AIQ_FN_NOT_IN_CI;
    const AiqInSet *set = e->aux ? *(AiqInSet *const *)e->aux : NULL;
    int nset = e->nargs - 1;
    FOR_ROWS(i) {
        bool found = false, null_seen = set && aiq_in_set_has_null(set);
        if (ISNULL(a[0], i)) {
            for (int s = 1; s <= nset && !null_seen; s++)
                null_seen = ISNULL(a[s], i);
            if (null_seen)
                SETNULL(ctx, out, i);
            else
                out->data.i64[i] = neg;
            continue;
        }
        for (int s = 1; s <= nset && !found; s++) {
            if (ISNULL(a[s], i))
                continue;
            if (a[s]->type == AIQ_TYPE_DYNAMIC && a[0]->type != AIQ_TYPE_DYNAMIC)
                found = aiq_in_dynamic(a[0], i, a[s], i, ci, &null_seen);
            else if (ci)
                found = ascii_ieq(STR(a[0], i), STR(a[s], i));
            else
                found = compare(a[0], a[s], i) == 0;
        }
        if (!found && set)
            found = aiq_in_set_has(set, a[0], i);
        out->data.i64[i] = found != neg;
    }
}

/* toscalar(...) and the like before the query runs: the executor puts the
 * subquery's value in its place first (exec/op_subquery.c), so this never
 * runs on a plan that was run as planned. */
KERNEL(k_subquery_value)
{
    aiq_error_set(ctx->err, AIQ_ERR_RUNTIME, e->off, e->len, "%s() has no value: its subquery has not run", e->fn->name);
}

KERNEL(k_between)
{
    bool neg = (e->fn->flags & AIQ_FN_NEGATED) != 0;
    FOR_ROWS(i) out->data.i64[i] = (compare(a[0], a[1], i) >= 0 && compare(a[0], a[2], i) <= 0) != neg;
}

/* ---- string predicates ----------------------------------------------------- */

static inline bool term_char(unsigned char c) { return isalnum(c) || c >= 0x80; }

static bool bytes_eq(const char *p, const char *q, uint32_t n, bool cs)
{
    if (cs)
        return memcmp(p, q, n) == 0;
    for (uint32_t k = 0; k < n; k++)
        if (tolower((unsigned char)p[k]) != tolower((unsigned char)q[k]))
            return false;
    return true;
}

/* Finds needle in hay from position `from`; returns the offset or -1. */
static int64_t find(AiqStr hay, AiqStr needle, uint32_t from, bool cs)
{
    if (needle.len == 0)
        return from <= hay.len ? (int64_t)from : -1;
    if (cs && from < hay.len) {
        const char *p = memmem(hay.ptr + from, hay.len - from, needle.ptr, needle.len);
        return p ? p - hay.ptr : -1;
    }
    for (uint32_t k = from; k + needle.len <= hay.len; k++)
        if (bytes_eq(hay.ptr + k, needle.ptr, needle.len, false))
            return k;
    return -1;
}

enum { OP_HAS, OP_CONTAINS, OP_STARTSWITH, OP_ENDSWITH, OP_HASPREFIX, OP_HASSUFFIX, OP_EQ_CI };

/* has: needle is a whole term; hasprefix/hassuffix: a term starts/ends with it. */
static bool term_match(AiqStr hay, AiqStr needle, int op, bool cs)
{
    if (needle.len == 0)
        return true;
    /* A needle that spans several terms ("node-0") must match whole terms on
     * both sides, as has does; only a single-term needle can be a prefix or
     * suffix of a term. */
    for (uint32_t k = 0; k < needle.len && op != OP_HAS; k++)
        if (!term_char((unsigned char)needle.ptr[k]))
            op = OP_HAS;
    for (int64_t at = find(hay, needle, 0, cs); at >= 0; at = find(hay, needle, (uint32_t)at + 1, cs)) {
        bool left = at == 0 || !term_char((unsigned char)hay.ptr[at - 1]);
        bool right = at + needle.len == hay.len || !term_char((unsigned char)hay.ptr[at + needle.len]);
        if ((op == OP_HAS && left && right) || (op == OP_HASPREFIX && left) || (op == OP_HASSUFFIX && right))
            return true;
    }
    return false;
}

bool aiq_has_term(AiqStr hay, AiqStr needle)
{
    return term_match(hay, needle, OP_HAS, false);
}

static bool strop(int op, bool cs, AiqStr s, AiqStr t)
{
    switch (op) {
    case OP_HAS:
    case OP_HASPREFIX:
    case OP_HASSUFFIX: return term_match(s, t, op, cs);
    case OP_CONTAINS: return find(s, t, 0, cs) >= 0;
    case OP_STARTSWITH: return t.len <= s.len && bytes_eq(s.ptr, t.ptr, t.len, cs);
    case OP_ENDSWITH: return t.len <= s.len && bytes_eq(s.ptr + s.len - t.len, t.ptr, t.len, cs);
    default: return ascii_ieq(s, t);
    }
}

/* The test a string operator makes, whatever its case and negation. */
static int strop_of(AiqFuncId id)
{
    switch (id) {
    case AIQ_FN_HAS: case AIQ_FN_NOT_HAS: case AIQ_FN_HAS_CS: case AIQ_FN_NOT_HAS_CS: return OP_HAS;
    case AIQ_FN_CONTAINS: case AIQ_FN_NOT_CONTAINS: case AIQ_FN_CONTAINS_CS: case AIQ_FN_NOT_CONTAINS_CS:
        return OP_CONTAINS;
    case AIQ_FN_STARTSWITH: case AIQ_FN_NOT_STARTSWITH: case AIQ_FN_STARTSWITH_CS: case AIQ_FN_NOT_STARTSWITH_CS:
        return OP_STARTSWITH;
    case AIQ_FN_ENDSWITH: case AIQ_FN_NOT_ENDSWITH: case AIQ_FN_ENDSWITH_CS: case AIQ_FN_NOT_ENDSWITH_CS:
        return OP_ENDSWITH;
    case AIQ_FN_HASPREFIX: case AIQ_FN_NOT_HASPREFIX: case AIQ_FN_HASPREFIX_CS: case AIQ_FN_NOT_HASPREFIX_CS:
        return OP_HASPREFIX;
    case AIQ_FN_HASSUFFIX: case AIQ_FN_NOT_HASSUFFIX: case AIQ_FN_HASSUFFIX_CS: case AIQ_FN_NOT_HASSUFFIX_CS:
        return OP_HASSUFFIX;
    default: return OP_EQ_CI; /* =~ and !~ */
    }
}

KERNEL(k_strop)
{
    int op = strop_of(e->fn->id);
    bool cs = (e->fn->flags & AIQ_FN_CASE_SENSITIVE) != 0, neg = (e->fn->flags & AIQ_FN_NEGATED) != 0;
    FOR_ROWS(i) out->data.i64[i] = strop(op, cs, STR(a[0], i), STR(a[1], i)) != neg;
}

KERNEL(k_has_any)
{
    bool all = e->fn->id == AIQ_FN_HAS_ALL;
    FOR_ROWS(i) {
        bool r = all;
        for (int s = 1; s < e->nargs; s++) {
            bool m = term_match(STR(a[0], i), STR(a[s], i), OP_HAS, false);
            if (all ? !m : m) {
                r = !all;
                break;
            }
        }
        out->data.i64[i] = r;
    }
}

/* ---- dynamic indexing -------------------------------------------------------- */

KERNEL(k_index)
{
    FOR_ROWS(i) {
        json_t *d = DYN(a[0], i);
        if (!d)
            continue;
        json_t *r = NULL;
        if (a[1]->type == AIQ_TYPE_STRING) {
            /* the reader's key vectors follow the same rules */
            AiqStr key = STR(a[1], i);
            json_t *owned;
            r = aiq_dyn_key(d, key.ptr, key.len, &owned);
            if (owned)
                aiq_eval_own(ctx, owned);
        } else if (json_is_string(d)) {
            /* a JSON array stored as a string */
            json_t *parsed = json_loadb(json_string_value(d), json_string_length(d), 0, NULL);
            if (!parsed)
                continue;
            d = aiq_eval_own(ctx, parsed);
        }
        if (a[1]->type != AIQ_TYPE_STRING && !ISNULL(a[1], i) && json_is_array(d)) {
            int64_t ix = I64(a[1], i), len = (int64_t)json_array_size(d);
            if (ix < 0)
                ix += len; /* negative indexes count from the end */
            if (ix >= 0 && ix < len)
                r = json_array_get(d, (size_t)ix);
        }
        out->data.dyn[i] = json_is_null(r) ? NULL : r;
    }
}
