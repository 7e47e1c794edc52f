/*
 * compare.h -- how two values of one type compare, and whether a
 * comparison operator holds for the answer. One definition for everything
 * that compares: the comparison kernels (func/scalar_ops.c) and the
 * reader testing a where's conjunct on a line (io/jsonl_scan.c), so that
 * a row the reader drops is one the where would have dropped.
 *
 * NaN is unordered, as in IEEE 754 and .NET: every ordered comparison
 * with it is false, == is false and only != is true.
 */
#ifndef AIQ_CORE_COMPARE_H
#define AIQ_CORE_COMPARE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "aiq/aiq_types.h"

/* The comparison operators, as the kernels and the reader's predicates
 * name them (func/registry.c maps the operators' ids to these). */
typedef enum AiqCmpOp { AIQ_CMP_LT, AIQ_CMP_LE, AIQ_CMP_GT, AIQ_CMP_GE, AIQ_CMP_EQ, AIQ_CMP_NE } AiqCmpOp;

/* The three-way answer when a NaN is involved. */
#define AIQ_CMP_UNORDERED 2

static inline int aiq_cmp_i64(int64_t x, int64_t y) { return (x > y) - (x < y); }

static inline int aiq_cmp_f64(double x, double y)
{
    if (isnan(x) || isnan(y))
        return AIQ_CMP_UNORDERED;
    return (x > y) - (x < y);
}

/* Bytes in order, then the shorter first: ordinal, as Kusto orders strings. */
static inline int aiq_cmp_str(AiqStr x, AiqStr y)
{
    uint32_t m = x.len < y.len ? x.len : y.len;
    int c = m ? memcmp(x.ptr, y.ptr, m) : 0;
    return c ? c : (x.len > y.len) - (x.len < y.len);
}

/* Whether `x op y` holds when comparing x with y gave c. */
static inline bool aiq_cmp_holds(AiqCmpOp op, int c)
{
    if (c == AIQ_CMP_UNORDERED)
        return op == AIQ_CMP_NE;
    switch (op) {
    case AIQ_CMP_LT: return c < 0;
    case AIQ_CMP_LE: return c <= 0;
    case AIQ_CMP_GT: return c > 0;
    case AIQ_CMP_GE: return c >= 0;
    case AIQ_CMP_EQ: return c == 0;
    default: return c != 0;
    }
}

/* The operator with its operands swapped: `5 < x` is `x > 5`. */
static inline AiqCmpOp aiq_cmp_flip(AiqCmpOp op)
{
    static const AiqCmpOp flipped[] = {AIQ_CMP_GT, AIQ_CMP_GE, AIQ_CMP_LT, AIQ_CMP_LE, AIQ_CMP_EQ, AIQ_CMP_NE};
    return flipped[op];
}

#endif
