/*
 * plan.h -- the bound, typed query: what the binder produces and the
 * executor runs. Expressions are typed trees whose column references are
 * indexes into the input schema; operators are a tree of AiqPlan nodes, each
 * with its output schema. Everything lives in the query arena. exec/ reads
 * this and never sees the AST.
 */
#ifndef AIQ_PLAN_PLAN_H
#define AIQ_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"

typedef struct json_t json_t;
typedef struct AiqFuncDef AiqFuncDef;

typedef struct AiqColumn {
    const char *name;
    AiqType type;
} AiqColumn;

typedef struct AiqSchema {
    int ncols;
    AiqColumn *cols;
} AiqSchema;

/* A scalar value, for constants. Strings point into the query arena;
 * dynamic values are jansson references owned by the plan. */
typedef struct AiqValue {
    AiqType type;
    bool isnull;
    int64_t i64; /* bool, int, long, datetime, timespan */
    double f64;  /* real */
    AiqStr str;  /* string */
    json_t *dyn; /* dynamic (NULL = null) */
} AiqValue;

typedef enum AiqExprKind {
    AIQ_E_COLUMN, /* col: index into the input schema */
    AIQ_E_CONST,  /* value */
    AIQ_E_CALL,   /* fn(args); operators are functions too ("==", "+", "has") */
} AiqExprKind;

/* Expressions are trees in the common case and DAGs when a `let` value is
 * used more than once: `let s1 = strcat(s0, s0)` points at s0's node twice.
 * Walkers therefore visit a node with a slot once (exec evaluates it once
 * per chunk), and they iterate down args[0] instead of recursing, so a
 * chain as long as the query (1 + 1 + ..., a or b or ..., let a2 = a1 + 1)
 * costs no stack; `depth` bounds the recursion that is left. */
typedef struct AiqExpr AiqExpr;
struct AiqExpr {
    AiqExprKind kind;
    AiqType type;
    int32_t off, len; /* source span, for run-time errors */
    int col;
    AiqValue value;
    const AiqFuncDef *fn;
    int variant;      /* which kernel of fn the binder chose (e.g. by operand types) */
    AiqExpr **args;
    int nargs;
    void *aux;        /* compiled state such as a regex, owned by the plan */
    int slot;         /* > 0: a let value used by reference (1 .. root nslots), computed once per chunk */
    int depth;        /* nesting through args other than args[0] (the walkers' recursion) */
};

/* Limits on the shape of a bound query, past which it is the error "query
 * too deep (limit N)" rather than a stack overflow: nesting that walkers
 * recurse into (expression depth), user functions inlined inside one
 * another, and operators in a row (a pipeline runs as nested calls). */
#define AIQ_MAX_EXPR_DEPTH 1000
#define AIQ_MAX_CALL_DEPTH 1000
#define AIQ_MAX_PLAN_DEPTH 10000

/* The args[0] chain below e (e included) as an array in the arena: top
 * first, ending with the first node that is not a call with arguments.
 * *n is its length. */
typedef struct AiqArena AiqArena;
const AiqExpr **aiq_expr_spine(const AiqExpr *e, AiqArena *arena, int *n);

/* Aggregates of summarize. ORDER AGGS: aiq_agg_names[] in func/registry.c. */
typedef enum AiqAggKind {
    AIQ_AGG_COUNT, AIQ_AGG_COUNTIF, AIQ_AGG_SUM, AIQ_AGG_SUMIF, AIQ_AGG_AVG, AIQ_AGG_AVGIF,
    AIQ_AGG_MIN, AIQ_AGG_MAX, AIQ_AGG_MINIF, AIQ_AGG_MAXIF, AIQ_AGG_DCOUNT, AIQ_AGG_DCOUNTIF,
    AIQ_AGG_PERCENTILE, AIQ_AGG_STDEV, AIQ_AGG_STDEVIF, AIQ_AGG_VARIANCE, AIQ_AGG_VARIANCEIF,
    AIQ_AGG_MAKE_LIST, AIQ_AGG_MAKE_SET, AIQ_AGG_ARG_MAX, AIQ_AGG_ARG_MIN, AIQ_AGG_TAKE_ANY,
    AIQ_AGG_COUNT_KINDS
} AiqAggKind;

typedef struct AiqAgg {
    AiqAggKind kind;
    AiqExpr *arg;      /* value argument, or NULL (count) */
    AiqExpr *pred;     /* the *if predicate, or NULL */
    double *pcts;      /* percentile(s): the requested percentiles */
    int npcts;
    int64_t limit;     /* make_list/make_set size limit (default 1048576) */
    AiqExpr **extra;   /* arg_max/arg_min/take_any: the columns carried along */
    int nextra;
    int out_col;       /* first output column of this aggregate */
} AiqAgg;

/* ORDER PLANS: aiq_plan_kind_names[] in plan/explain.c. */
typedef enum AiqPlanKind {
    AIQ_P_SCAN,      /* table: read a catalog table */
    AIQ_P_VALUES,    /* rows of constants: print, datatable */
    AIQ_P_RANGE,     /* range x from a to b step c */
    AIQ_P_FILTER,    /* exprs[0]: predicate */
    AIQ_P_PROJECT,   /* exprs: one per output column (extend, project, rename, ...) */
    AIQ_P_SUMMARIZE, /* exprs: keys; aggs */
    AIQ_P_SORT,      /* exprs: keys; sort_flags */
    AIQ_P_TOP,       /* exprs: keys; sort_flags; limit */
    AIQ_P_TAKE,      /* limit */
    AIQ_P_JOIN,      /* join_kind; left_keys/right_keys; right */
    AIQ_P_UNION,     /* inputs; maps: for each input, output column -> input column or -1 */
    AIQ_P_MV_EXPAND, /* exprs: expanded columns (col indexes in expand_cols) */
    AIQ_P_PARSE,     /* exprs[0]: source; regex; capture types */
    AIQ_P_SHARED,    /* input: a tabular let, materialized once and reused */
    AIQ_P_KIND_COUNT
} AiqPlanKind;

typedef struct AiqPlan AiqPlan;
struct AiqPlan {
    AiqPlanKind kind;
    AiqSchema schema;   /* output columns */
    AiqPlan *input;
    const char *table;  /* SCAN: table name */
    int32_t table_off, table_len; /* SCAN: where the query names it, for input errors */
    AiqExpr **exprs;
    int nexprs;
    AiqAgg *aggs;
    int naggs;
    int *sort_flags;    /* per key: AIQ_SORT_* flags, resolved (DESC or ASC, NULLS_*) */
    int64_t limit;
    int join_kind;
    AiqPlan *right;
    int *left_keys, *right_keys;
    int nkeys;
    int *right_cols;    /* JOIN: right columns kept in the output */
    int nright_cols;
    AiqPlan **inputs;   /* UNION */
    int ninputs;
    int **maps;         /* UNION: per input, output column -> input column or -1 */
    int source_col;     /* UNION withsource: output column of the source name, or -1 */
    const char **source_names;
    AiqValue *values;   /* VALUES: nrows * ncols constants, row-major */
    int64_t nrows;
    int *expand_cols;   /* MV_EXPAND: columns expanded; expand_types: target types */
    AiqType *expand_types;
    int nexpand;
    bool bag_pairs;     /* MV_EXPAND kind=array: a property becomes a [key, value] array */
    int index_col;      /* MV_EXPAND with_itemindex=: output column of the index, or -1 */
    const char *regex;  /* PARSE: PCRE2 pattern; capture aiqK goes to column expand_cols[K] */
    uint32_t regex_len; /* PARSE: its length in bytes (a literal part may hold a NUL) */
    int ncaptures;
    int parse_kind;     /* PARSE: AIQ_PARSE_SIMPLE, _REGEX or _RELAXED (parse/ast.h) */
    const char *regex_flags; /* PARSE: kind=regex's flags= letters (i, m, s, U), or "" */
    int shared_id;      /* SHARED: index in the executor's cache */
    int depth;          /* operators in the longest chain of inputs ending here */
    int nshared;        /* root only: number of SHARED ids in the whole plan */
    int nslots;         /* root only: number of expression slots (AiqExpr.slot) */
    json_t **owned_json; /* root only: dynamic constants to release */
    int nowned_json;
    const char *render; /* root only: chart kind of a trailing render, or NULL */
};

/* Returns a readable name of a plan kind ("scan", "filter", ...). */
const char *aiq_plan_kind_name(AiqPlanKind k);

#endif
