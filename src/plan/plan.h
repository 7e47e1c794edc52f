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
#include "core/expr.h"
#include "core/schema.h"
#include "func/registry.h"

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
