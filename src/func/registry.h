/*
 * registry.h -- the single table of built-in functions, operators and
 * aggregates: arity, argument classes, result type, Kusto's result-naming
 * rule, and (for scalars) the vectorised kernel. The binder types calls
 * through it; the executor runs the kernels it names.
 */
#ifndef AIQ_FUNC_REGISTRY_H
#define AIQ_FUNC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/expr.h"

struct AiqEvalCtx;
struct AiqVector;

/* Aggregates of summarize. ORDER AGGS: aiq_agg_names[] in func/registry.c. */
typedef enum AiqAggKind {
    AIQ_AGG_COUNT, AIQ_AGG_COUNTIF, AIQ_AGG_SUM, AIQ_AGG_SUMIF, AIQ_AGG_AVG, AIQ_AGG_AVGIF,
    AIQ_AGG_MIN, AIQ_AGG_MAX, AIQ_AGG_MINIF, AIQ_AGG_MAXIF, AIQ_AGG_DCOUNT, AIQ_AGG_DCOUNTIF,
    AIQ_AGG_PERCENTILE, AIQ_AGG_STDEV, AIQ_AGG_STDEVIF, AIQ_AGG_VARIANCE, AIQ_AGG_VARIANCEIF,
    AIQ_AGG_MAKE_LIST, AIQ_AGG_MAKE_SET, AIQ_AGG_ARG_MAX, AIQ_AGG_ARG_MIN, AIQ_AGG_TAKE_ANY,
    AIQ_AGG_COUNT_KINDS
} AiqAggKind;

/* A vectorised kernel: computes out[i] for the n rows listed in sel (or rows
 * 0..n-1 when sel is NULL) from the argument vectors. Null propagation for
 * AIQ_FN_NULLS_IN functions is done by the caller before the call. */
typedef void (*AiqKernel)(struct AiqEvalCtx *ctx, const AiqExpr *e, struct AiqVector **args,
                          struct AiqVector *out, const uint32_t *sel, uint32_t n);

/* How Kusto names a column computed by a call when no name is given. */
typedef enum AiqNameKind {
    AIQ_NAME_NONE,           /* Column1, Column2, ... */
    AIQ_NAME_FIRST_ARG,      /* the first argument's name: tolong(N) -> N */
    AIQ_NAME_PREFIX_ARG,     /* prefix_arg: sum(N) -> sum_N, count() -> count_ */
    AIQ_NAME_FUNC_ARG,       /* funcname_arg: strlen(S) -> strlen_S */
} AiqNameKind;

enum {
    AIQ_FN_NULLS_PROPAGATE = 1, /* any null argument makes the result null */
    AIQ_FN_AGGREGATE = 2,       /* valid only inside summarize */
};

struct AiqFuncDef {
    const char *name;
    int min_args, max_args; /* max_args -1: any number */
    char ret;               /* result type code, see registry.c */
    const char *args;       /* one class code per argument; the last repeats */
    AiqNameKind name_kind;
    const char *name_prefix;
    int agg;                /* AiqAggKind for aggregates, -1 for scalars */
    unsigned flags;
    AiqKernel kernel;
};

/* Returns the function or operator named name (case-sensitive, as Kusto),
 * or NULL. Operators are registered under their spelling ("==", "has"). */
const AiqFuncDef *aiq_func_lookup(const char *name);
/* The names of all functions and aggregates, for suggestions and completion;
 * sets *n. Operators are not included. */
const char *const *aiq_func_names(size_t *n);
/* Name of an aggregate kind ("count", "percentile", ...). */
const char *aiq_agg_name(AiqAggKind k);
/* True when f is an operator ("==", "has", "and") rather than a named function. */
bool aiq_func_is_operator(const AiqFuncDef *f);

#endif
