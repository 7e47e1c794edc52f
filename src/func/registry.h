/*
 * registry.h -- the built-in functions, operators and aggregates, each
 * with an id: arity, argument classes, result type, Kusto's result-naming
 * rule, and (for scalars) the vectorised kernel. Every table here is
 * generated from the one list in func/builtins.def. The lexer and parser
 * turn operator spellings into ids, the binder types calls through the
 * rows, the AST and the plan keep ids, and kernels switch on them.
 */
#ifndef AIQ_FUNC_REGISTRY_H
#define AIQ_FUNC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compare.h"
#include "core/expr.h"

struct AiqEvalCtx;
struct AiqVector;

/* The id of every built-in, in the order of func/builtins.def. */
typedef enum AiqFuncId {
    AIQ_FN_NONE, /* no built-in (0, so that a table of ids can leave entries out) */
#define AIQ_FUNC(id, ...) AIQ_FN_##id,
#define AIQ_OPER(id, ...) AIQ_FN_##id,
#define AIQ_AGGR(id, ...) AIQ_FN_##id,
#include "func/builtins.def"
#undef AIQ_FUNC
#undef AIQ_OPER
#undef AIQ_AGGR
    AIQ_FN_ID_COUNT
} AiqFuncId;

/* The aggregates summarize computes (several functions may compute one:
 * percentile and percentiles, take_any and any, make_set and make_set_if),
 * with their names. The kinds from MAKE_LIST_NULLS on came with issue 14;
 * those from PERCENTILEW on keep their state in exec/agg_more.c. */
#define AIQ_AGG_KINDS(X)                                                                 \
    X(COUNT, "count") X(COUNTIF, "countif") X(SUM, "sum") X(SUMIF, "sumif") X(AVG, "avg")     \
    X(AVGIF, "avgif") X(MIN, "min") X(MAX, "max") X(MINIF, "minif") X(MAXIF, "maxif")         \
    X(DCOUNT, "dcount") X(DCOUNTIF, "dcountif") X(PERCENTILE, "percentile") X(STDEV, "stdev") \
    X(STDEVIF, "stdevif") X(VARIANCE, "variance") X(VARIANCEIF, "varianceif")                 \
    X(MAKE_LIST, "make_list") X(MAKE_SET, "make_set") X(ARG_MAX, "arg_max")                   \
    X(ARG_MIN, "arg_min") X(TAKE_ANY, "take_any")                                             \
    X(MAKE_LIST_NULLS, "make_list_with_nulls") X(MAKE_BAG, "make_bag") X(STDEVP, "stdevp")    \
    X(VARIANCEP, "variancep") X(PERCENTILEW, "percentilew") X(COVARIANCE, "covariance")       \
    X(COVARIANCEP, "covariancep") X(BINARY_ALL_AND, "binary_all_and")                         \
    X(BINARY_ALL_OR, "binary_all_or") X(BINARY_ALL_XOR, "binary_all_xor")                     \
    X(BUILDSCHEMA, "buildschema") X(HLL, "hll") X(HLL_MERGE, "hll_merge") X(TDIGEST, "tdigest") \
    X(TDIGEST_MERGE, "tdigest_merge")
typedef enum AiqAggKind {
#define AIQ_AGG_ENUM(id, name) AIQ_AGG_##id,
    AIQ_AGG_KINDS(AIQ_AGG_ENUM)
#undef AIQ_AGG_ENUM
    AIQ_AGG_COUNT_KINDS
} AiqAggKind;

/* A vectorised kernel: computes out[i] for the n rows listed in sel (or rows
 * 0..n-1 when sel is NULL) from the argument vectors. Null propagation for
 * AIQ_FN_NULLS_PROPAGATE functions is done by the caller before the call:
 * a function's kernel is then given only the rows where no argument is
 * null (an operator's, every row, its null rows' results hidden). */
typedef void (*AiqKernel)(struct AiqEvalCtx *ctx, const AiqExpr *e, struct AiqVector **args,
                          struct AiqVector *out, const uint32_t *sel, uint32_t n);

/* How Kusto names a column computed by a call when no name is given. */
typedef enum AiqNameKind {
    AIQ_NAME_NONE,           /* Column1, Column2, ... */
    AIQ_NAME_FIRST_ARG,      /* the first argument's name: tolong(N) -> N */
    AIQ_NAME_PREFIX_ARG,     /* prefix_arg: sum(N) -> sum_N, count() -> count_ */
    AIQ_NAME_FUNC_ARG,       /* funcname_arg: strlen(S) -> strlen_S */
    AIQ_NAME_FIXED,          /* always name_prefix: ingestion_time() -> $IngestionTime */
    AIQ_NAME_ARG_SUFFIX,     /* arg_suffix: array_sort_asc(A) -> A_sorted (suffix "sorted") */
    AIQ_NAME_IFEXISTS,       /* column_ifexists("C", d): C when the input has it, else Column1 ... */
} AiqNameKind;

/* Flags of a row: how nulls are handled, and the family of an operator. */
enum {
    AIQ_FN_NULLS_PROPAGATE = 1 << 0, /* any null argument makes the result null */
    AIQ_FN_AGGREGATE = 1 << 1,       /* valid only inside summarize */
    AIQ_FN_OPERATOR = 1 << 2,        /* written as an operator (==, has, in), never called by name */
    AIQ_FN_ARITH = 1 << 3,           /* + - * / % */
    AIQ_FN_COMPARE = 1 << 4,         /* < <= > >= == != */
    AIQ_FN_EQUALITY = 1 << 5,        /* == != (no null propagation: null == null is null, x == null false) */
    AIQ_FN_LOGIC = 1 << 6,           /* and, or: three-valued */
    AIQ_FN_STRING_OP = 1 << 7,       /* has, contains, =~, matches regex ...: text on both sides */
    AIQ_FN_SET = 1 << 8,             /* in, !in, in~, !in~, has_any, has_all: a value and a set */
    AIQ_FN_WORD = 1 << 9,            /* spelled as a word after the left operand (has, !in, between) */
    AIQ_FN_NEGATED = 1 << 10,        /* the negation of the operator without '!' */
    AIQ_FN_CASE_SENSITIVE = 1 << 11, /* the _cs form */
};

struct AiqFuncDef {
    AiqFuncId id;
    const char *name;       /* the name a query calls it by, or the operator's spelling */
    int min_args, max_args; /* max_args -1: any number */
    char ret;               /* result type code (builtins.def) */
    const char *args;       /* one class code per argument; the last repeats */
    AiqNameKind name_kind;
    const char *name_prefix;
    int agg;                /* AiqAggKind for aggregates, -1 for scalars */
    unsigned flags;         /* AIQ_FN_* */
    AiqKernel kernel;
};

/* The row of a built-in; id must be one of AiqFuncId. */
const AiqFuncDef *aiq_func_def(AiqFuncId id);
/* Returns the function or operator named name (case-sensitive, as Kusto),
 * or NULL; a legacy spelling gives its modern function. Operators are
 * registered under their spelling ("==", "has"). */
const AiqFuncDef *aiq_func_lookup(const char *name);
/* The modern name of a legacy spelling ("makeset" -> "make_set"), or NULL
 * when name is none. aiq_func_lookup finds a legacy spelling's function. */
const char *aiq_func_modern_name(const char *name);
/* The function or aggregate named name for a call with nargs arguments:
 * the row whose arity admits them when two rows share the name (the
 * aggregate hll_merge(h) and the function hll_merge(h1, h2)), else the
 * first row named name; NULL for none. */
const AiqFuncDef *aiq_func_lookup_call(const char *name, int nargs);
/* The operator spelled s[0..n) ("has", "!in~", "=="), or NULL. */
const AiqFuncDef *aiq_func_operator(const char *s, size_t n);
/* The names of all functions and aggregates, for suggestions and completion;
 * sets *n. Operators are not included. */
const char *const *aiq_func_names(size_t *n);
/* Name of an aggregate kind ("count", "percentile", ...). */
const char *aiq_agg_name(AiqAggKind k);
/* The comparison a comparison operator (==, !=, <, <=, >, >=) makes:
 * false for any other id. */
bool aiq_func_cmp_op(AiqFuncId id, AiqCmpOp *op);
/* True when f is an operator ("==", "has", "and") rather than a named function. */
static inline bool aiq_func_is_operator(const AiqFuncDef *f) { return (f->flags & AIQ_FN_OPERATOR) != 0; }

#endif
