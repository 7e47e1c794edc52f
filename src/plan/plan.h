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
#include "core/scan.h"
#include "core/schema.h"
#include "func/registry.h"

typedef struct AiqAgg {
    AiqAggKind kind;
    AiqExpr *arg;      /* value argument, or NULL (count) */
    AiqExpr *pred;     /* the *if predicate, or NULL */
    AiqExpr *arg2;     /* a second value: percentilew's weight, covariance's expr2, tdigest's weight */
    double *pcts;      /* percentile(s): the requested percentiles */
    int npcts;
    bool pct_array;    /* percentiles_array(): the percentiles as one dynamic array */
    int64_t limit;     /* make_list/make_set size limit (default 1048576) */
    AiqExpr **extra;   /* arg_max/arg_min/take_any: the columns carried along */
    int nextra;
    int out_col;       /* first output column of this aggregate */
} AiqAgg;

/* The operators of a plan, with the name --explain gives each. Adding one
 * is an entry here, its binding (bind/), a file in exec/ and a case in
 * exec/build.c. */
#define AIQ_PLAN_KINDS(X)                                                                          \
    X(SCAN, "scan")           /* table: read a catalog table; scan: what it reads */               \
    X(VALUES, "values")       /* rows of constants: print, datatable, getschema */                 \
    X(RANGE, "range")         /* range x from a to b step c: exprs[0..2], of no column */                       \
    X(FILTER, "filter")       /* exprs[0]: predicate; pushed: its conjuncts the reader tests */    \
    X(PROJECT, "project")     /* exprs: one per output column (extend, project, rename, ...) */    \
    X(SUMMARIZE, "summarize") /* exprs: keys; aggs */                                              \
    X(SORT, "sort")           /* exprs: keys; sort_flags */                                        \
    X(TOP, "top")             /* exprs: keys; sort_flags; limit */                                 \
    X(TAKE, "take")           /* limit */                                                          \
    X(JOIN, "join")           /* join_kind; left_keys/right_keys; right */                         \
    X(UNION, "union")         /* inputs; maps: for each input, output column -> input column */    \
    X(MV_EXPAND, "mv-expand") /* expand_cols, expand_types: the expanded columns; limit */         \
    X(PARSE, "parse")         /* limit: the source column; regex; expand_cols: the captures */    \
    X(SHARED, "shared")       /* input: a tabular let, materialized once and reused */        \
    X(SUBQUERIES, "subqueries") /* inputs: subqueries run first; exprs[i]: what inputs[i] fills */ \
    X(SAMPLE, "sample")       /* limit: rows kept at random (sample, sample-distinct) */       \
    X(EXTERNAL, "externaldata") /* paths: local files; ext_format; ext_ignore_first */      \
    X(MV_APPLY, "mv-apply")   /* expand_*, index_col, limit as MV_EXPAND (whose rows right     \
                                 reads); right: the subquery; maps[0]: the output's sources */ \
    X(APPLY_ROWS, "mv-apply rows") /* the rows of one input row that mv-apply's subquery reads */ \
    X(EVALUATE, "evaluate")   /* plugin: AIQ_PLUGIN_*; see bind/plugins.c for its fields */     \
    X(COMPUTED, "computed")   /* computed: a table the binder had computed (bind/plugins.c) */ \
    X(TOP_NESTED, "top-nested") /* inputs[k]: level k's summarize; levels */                 \
    X(WINDOW, "window")       /* windows: the window functions, a column each after the input's */ \
    X(PARSE_KV, "parse-kv")   /* kv: how; limit: the source column; expand_cols: the keys' columns */ \
    X(MAKE_SERIES, "make-series") /* series: input's rows (by keys, axis bin) -> arrays */ \
    X(SCAN_STEPS, "scan-steps") /* steps: the scan operator's declare and steps (exec/op_scan.c) */

/* A level of top-nested: how many of its values (-1: all), in which order,
 * and the row the others make (others.type 0: none) with the aggregation
 * of theirs made from their aggregates. */
typedef enum { AIQ_NESTED_ADD, AIQ_NESTED_MAX, AIQ_NESTED_MIN, AIQ_NESTED_NONE } AiqNestedCombine;
typedef struct AiqNestedLevel {
    int64_t n;
    bool asc;
    AiqValue others;
    AiqNestedCombine combine;
} AiqNestedLevel;

/* A window function over the rows in their order (serialize): its value
 * column, of type `type`, reads input column `arg` (-1: none) and restarts
 * where column `restart` (-1: never) is true. */
typedef enum { AIQ_WIN_ROW_NUMBER, AIQ_WIN_PREV, AIQ_WIN_NEXT, AIQ_WIN_ROW_CUMSUM, AIQ_WIN_SESSION,
               AIQ_WIN_RANK_DENSE, AIQ_WIN_RANK_MIN } AiqWindowKind;
typedef struct AiqWindowFn {
    AiqWindowKind kind;
    AiqType type;
    int arg, restart;
    int64_t n;        /* row_number: the start; prev/next: the offset */
    int64_t max_first, max_gap; /* row_window_session: the timespans, in ticks */
    AiqValue dflt;    /* prev/next: the value past the ends (null when not given) */
} AiqWindowFn;

/* parse-kv's modes: delimiters given (pair_delimiter, kv_delimiter), none
 * (any run of non-alphanumeric characters delimits), or a regex whose two
 * groups are a key and its value. */
enum { AIQ_KV_DELIMITED, AIQ_KV_ANY, AIQ_KV_REGEX };
typedef struct AiqKvSpec {
    int mode;
    AiqStr pair, kv;        /* DELIMITED: the delimiters */
    char quotes[8][2];      /* opening and closing quote characters */
    int nquotes;
    char escapes[8];
    int nescapes;
    bool greedy;            /* DELIMITED: an unquoted value runs to the next key */
    const char **keys;      /* the keys' names, one per extracted column */
} AiqKvSpec;

/* The scan operator. A record is a row of the input extended by the
 * declared columns (width columns: the input's, then the declared ones).
 * A step's condition and assignments read the record being matched
 * (columns 0..width-1, the declared ones at their defaults) and then, for
 * each step j, step j's record in the state they are checked against
 * (columns width*(1+j) ..). */
typedef struct AiqScanStep {
    AiqExpr *cond;
    AiqExpr **sets; /* the assignments' values ... */
    int *set_cols;         /* ... and the record column each sets */
    int nsets;
    bool emits;            /* output=all: its matches are output (output=none: not) */
} AiqScanStep;
typedef struct AiqScanSteps {
    int width, ninput;
    AiqValue *defaults;    /* one per declared column */
    bool match_id;         /* the output ends with the match id (long) */
    AiqScanStep *steps;
    int nsteps;
} AiqScanSteps;

/* The plugins of `evaluate` aiq runs. */
enum { AIQ_PLUGIN_PIVOT = 1, AIQ_PLUGIN_BAG_UNPACK };

typedef enum AiqPlanKind {
#define AIQ_PLAN_ENUM(id, name) AIQ_P_##id,
    AIQ_PLAN_KINDS(AIQ_PLAN_ENUM)
#undef AIQ_PLAN_ENUM
    AIQ_P_KIND_COUNT
} AiqPlanKind;

/* MAKE_SERIES: the last step of make-series (bind/series.c). Its input is
 * a summarize by the `by` keys and the binned axis, with one column per
 * aggregate after them; each combination of keys becomes one row whose
 * aggregate columns and axis are dynamic arrays over the bins
 * (exec/op_make_series.c). The range and defaults are expressions without
 * columns, evaluated once when the operator runs. */
typedef struct AiqSeriesSpec {
    int nkeys;                 /* input and output columns 0 .. nkeys-1: the by keys */
    int nvalues;               /* input columns after the axis (nkeys): the aggregates */
    AiqType axis_type;         /* datetime, timespan, int, long or real */
    const AiqExpr *from, *to;  /* the main form's range; NULL when left out (from the data) */
    const AiqExpr *step;
    bool old_range;            /* `in range(from, to, step)`: bins of bin(), `to` a bin too */
    bool nonempty;             /* kind=nonempty: a row of defaults when the input has no rows */
    const AiqExpr **defaults;  /* per aggregate: the value of a bin without rows */
} AiqSeriesSpec;

/* A property of a trailing `render`, as the query wrote it: the session
 * hands it to the chart engine (chart/chart.h) when it draws. */
typedef struct AiqRenderProp {
    const char *name;  /* as written (Kusto's are lowercase) */
    const char *value; /* a string's decoded text, a column list "a, b", a word or number */
    int32_t off, len;  /* where the property stands in the query, for errors */
} AiqRenderProp;

typedef struct AiqPlan AiqPlan;
struct AiqPlan {
    AiqPlanKind kind;
    AiqSchema schema;   /* output columns */
    AiqPlan *input;
    const char *table;  /* SCAN: table name */
    int32_t table_off, table_len; /* SCAN: where the query names it, for input errors */
    AiqScanSpec *scan;  /* SCAN: what it reads and its reader tests (plan/physical.c) */
    const AiqExpr **pushed; /* FILTER: its conjuncts the scan's reader tests too (plan/physical.c) */
    int npushed;
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
    AiqPlan **inputs;   /* UNION; SUBQUERIES: the subqueries, in the order they run */
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
    bool parse_where;   /* PARSE: parse-where, which drops the rows that do not match */
    const char *regex_flags; /* PARSE: kind=regex's flags= letters (i, m, s, U), or "" */
    int shared_id;      /* SHARED: index in the executor's cache */
    const char **paths; /* EXTERNAL: the local files read, in order (table_off/len: the operator) */
    int npaths;
    int32_t *path_spans; /* EXTERNAL: offset and length of each path's literal in the query */
    int ext_format;     /* EXTERNAL: an AiqExternalFormat (io/external.h), or -1: by each file's extension */
    bool ext_ignore_first; /* EXTERNAL: skip each file's first record (a header) */
    int plugin;         /* EVALUATE: AIQ_PLUGIN_PIVOT (nkeys: its grouping columns; limit: 1 when
                           a missing cell is 0) or _BAG_UNPACK (index_col: the bag; regex: the
                           prefix; join_kind: columnsConflict; exprs[0]: ignoredProperties) */
    struct AiqTable *computed; /* COMPUTED: the table (owned by the root's computed list) */
    struct AiqNestedLevel *levels; /* TOP_NESTED: one per input, outermost first */
    struct AiqKvSpec *kv;          /* PARSE_KV: how the text splits into keys and values */
    struct AiqWindowFn *windows;   /* WINDOW: one per output column after the input's */
    int nwindows;
    struct AiqScanSteps *steps;    /* SCAN_STEPS: the declare and the steps */
    int depth;          /* operators in the longest chain of inputs ending here */
    int nshared;        /* root only: number of SHARED ids in the whole plan */
    int nslots;         /* root only: number of expression slots (AiqExpr.slot) */
    json_t **owned_json; /* root only: dynamic constants to release */
    int nowned_json;
    const char *render; /* root only: chart kind of a trailing render, or NULL */
    int32_t lets_only_end; /* root only, > 0: the query is only lets (a library of
                              functions), ending at this offset; it checks, but has
                              no result to run */
    struct AiqTable **computed_tables; /* root only: COMPUTED tables, freed by aiq_plan_release */
    int ncomputed;
    int32_t render_off, render_len;      /* root only: where the chart kind is written */
    const AiqRenderProp *render_props;   /* root only: its with (...) properties */
    int nrender_props;
    const AiqSeriesSpec *series; /* MAKE_SERIES */
};

/* Returns a readable name of a plan kind ("scan", "filter", ...). */
const char *aiq_plan_kind_name(AiqPlanKind k);

#endif
