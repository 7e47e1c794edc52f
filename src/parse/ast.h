/*
 * ast.h -- the syntax tree the parser builds in the query arena. One node
 * struct serves every construct; which fields mean what is written next to
 * each kind below. Nodes are never freed one by one: the arena owns them.
 */
#ifndef AIQ_PARSE_AST_H
#define AIQ_PARSE_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"

typedef enum AiqNodeKind {
    /* statements */
    AIQ_N_QUERY,        /* items: statements; the last one is the query expression */
    AIQ_N_LET,          /* str: name; rhs: value (expression, tabular, or FUNC_DEF) */
    AIQ_N_DECLARE,      /* declare query_parameters: items: PARAM */
    AIQ_N_FUNC_DEF,     /* params: PARAM; items: body statements (last = result); op: 1 for a view */
    AIQ_N_PARAM,        /* str: name; type; op: 1 when tabular `T:(*)`; rhs: default */
    /* expressions */
    AIQ_N_LITERAL,      /* type; isnull; i64 / f64 / str+slen (string) / str (dynamic JSON) */
    AIQ_N_NAME,         /* str: identifier ($left and $right included) */
    AIQ_N_STAR,         /* `*` as an argument or column list */
    AIQ_N_BINARY,       /* op: the operator's AiqFuncId (AIQ_FN_EQ, _HAS, _AND, ...); lhs, rhs */
    AIQ_N_UNARY,        /* op: AIQ_FN_NEG for '-', AIQ_FN_ADD for '+'; lhs */
    AIQ_N_CALL,         /* str: function name; items: arguments; lhs: the receiver of
                           cluster("c").database("d"), else NULL */
    AIQ_N_MEMBER,       /* lhs.str */
    AIQ_N_INDEX,        /* lhs[rhs] */
    AIQ_N_IN,           /* op: AIQ_FN_IN, _NOT_IN, _IN_CI, _NOT_IN_CI, _HAS_ANY, _HAS_ALL; lhs; items: the set */
    AIQ_N_BETWEEN,      /* op: AIQ_FN_BETWEEN or _NOT_BETWEEN; lhs; rhs: low; extra: high */
    AIQ_N_ASSIGN,       /* str: new name; lhs: expression; items: NAME nodes when several names
                           are given, (a, b) = f(...) (str: the first) */
    AIQ_N_SORT_KEY,     /* lhs: expression; op: AIQ_SORT_* flags */
    AIQ_N_COLDECL,      /* str: name; type (parse captures, datatable, typeof) */
    /* tabular sources */
    AIQ_N_TABLE,        /* str: table or tabular let name */
    AIQ_N_PRINT,        /* items: expressions */
    AIQ_N_DATATABLE,    /* params: COLDECL; items: values row by row */
    AIQ_N_RANGE,        /* str: column; lhs: from; rhs: to; extra: step */
    AIQ_N_UNION,        /* lhs: input or NULL; items: tables; params: named params */
    /* tabular operators: lhs is always the input */
    AIQ_N_WHERE,        /* rhs: predicate */
    AIQ_N_EXTEND,       /* items: expressions or ASSIGN */
    AIQ_N_PROJECT,      /* items: expressions or ASSIGN */
    AIQ_N_PROJECT_AWAY, /* items: NAME (may hold '*' wildcards) */
    AIQ_N_PROJECT_KEEP, /* items: NAME (may hold '*' wildcards) */
    AIQ_N_PROJECT_RENAME, /* items: ASSIGN (new = NAME old) */
    AIQ_N_PROJECT_REORDER, /* items: NAME (may hold '*' wildcards; op: AIQ_REORDER_*) */
    AIQ_N_SUMMARIZE,    /* items: aggregates (or ASSIGN); items2: by expressions */
    AIQ_N_SORT,         /* items: SORT_KEY */
    AIQ_N_TOP,          /* rhs: count; items: SORT_KEY */
    AIQ_N_TAKE,         /* rhs: count */
    AIQ_N_COUNT,        /* (none) */
    AIQ_N_DISTINCT,     /* items: expressions, or one STAR */
    AIQ_N_JOIN,         /* op: AiqJoinKind; rhs: right tabular; items: on conditions; params */
    AIQ_N_MV_EXPAND,    /* items: expressions or ASSIGN, each optionally typed (type); rhs: limit */
    AIQ_N_PARSE,        /* op: AIQ_PARSE_*; rhs: source expression; items: STRING literals,
                           COLDECL and STAR parts of the pattern; params */
    AIQ_N_AS,           /* str: name */
    AIQ_N_RENDER,       /* str: chart kind; op: its offset; params: the properties (ASSIGN, and
                           NAME for the rest of a column list: ycolumns=a, b) */
    AIQ_N_GETSCHEMA,    /* (none) */
    AIQ_N_SERIALIZE,    /* items: ASSIGN (optional) */
    AIQ_N_SKIPPED,      /* valid KQL aiq does not run yet (parse_skip.c): str: its name; lhs: the
                           input of an operator, NULL for a source or a statement; extra: a
                           string literal of its whole text */
    /* issue 14's operators (parse/parse_ops_more.c) */
    AIQ_N_LOOKUP,       /* op: AIQ_JOIN_LEFTOUTER or _INNER; rhs: right tabular; items: on conditions; params */
    AIQ_N_INVOKE,       /* rhs: the CALL of a tabular function (the input is its first argument) */
    AIQ_N_SAMPLE,       /* rhs: count; params: hints */
    AIQ_N_SAMPLE_DISTINCT, /* rhs: count; extra: the column (NAME); params: hints */
    AIQ_N_PARSE_WHERE,  /* as AIQ_N_PARSE; rows that do not match are dropped */
    AIQ_N_PARSE_KV,     /* rhs: source expression; items: COLDECL keys; params: ASSIGN with-properties */
    AIQ_N_MV_APPLY,     /* params; items: as mv-expand; rhs: limit; extra: the subquery, whose
                           source is the TABLE AIQ_MV_APPLY_INPUT */
    AIQ_N_EVALUATE,     /* str: plugin name; items: arguments; params: hints; items2: COLDECL
                           (or a leading STAR) of an output schema `: (...)`, or none */
    AIQ_N_TOP_NESTED,   /* items: NESTED_LEVEL, outermost first */
    AIQ_N_NESTED_LEVEL, /* rhs: count or NULL (all); lhs: the `of` expression (or ASSIGN);
                           extra: `with others =` value or NULL; items[0]: aggregation
                           (or ASSIGN); op: AIQ_SORT_ASC or AIQ_SORT_DESC */
    AIQ_N_SEARCH,       /* params; items: TABLE of `in (...)`; rhs: predicate of search terms */
    AIQ_N_SEARCH_TERM,  /* str+slen: the term (may hold '*' wildcards); lhs: NAME of the column
                           (`Col:"term"`) or NULL for any column */
    AIQ_N_EXTERNALDATA, /* params: COLDECL; items: STRING literals (paths, URLs); items2: ASSIGN
                           with-properties */
    AIQ_N_MAKE_SERIES,  /* items: aggregates (or ASSIGN); items2: by expressions; params: named
                           params; rhs: SERIES_SPEC */
    AIQ_N_SERIES_SPEC,  /* make-series' axis: items2[0]: the axis (expression or ASSIGN); lhs:
                           from, rhs: to (each NULL when left out), extra: step; op: 1 for the
                           old form `in range(start, stop, step)`; items: per aggregate, its
                           `default =` value or NULL */
    AIQ_N_SCAN_OP,      /* str: with_match_id column or NULL; params: COLDECL of declare (rhs:
                           default or NULL); items: SCAN_STEP (parse/parse_scan.c) */
    AIQ_N_SCAN_STEP,    /* str: step name; op: AIQ_SCAN_OUTPUT_*; rhs: condition; items: ASSIGN */
    AIQ_N_KIND_COUNT
} AiqNodeKind;

/* scan's step output= values. ORDER: scan_outputs[] in parse/parse_scan.c */
enum { AIQ_SCAN_OUTPUT_ALL = 0, AIQ_SCAN_OUTPUT_LAST, AIQ_SCAN_OUTPUT_NONE };

/* project-reorder: how the columns one pattern matches are ordered.
 * ORDER: aiq_reorder_names[] ("", "asc", "desc", "granny-asc", "granny-desc"). */
enum { AIQ_REORDER_AS_IS = 0, AIQ_REORDER_ASC, AIQ_REORDER_DESC, AIQ_REORDER_GRANNY_ASC,
       AIQ_REORDER_GRANNY_DESC };
extern const char *const aiq_reorder_names[];

typedef struct AiqNode AiqNode;
struct AiqNode {
    AiqNodeKind kind;
    int32_t off, len;   /* source span, for errors and carets */
    const char *str;    /* see the kind; NUL-terminated, arena-owned */
    uint32_t slen;      /* byte length of str (string literals may hold NUL) */
    int op;             /* see the kind; operators: an AiqFuncId (func/registry.h) */
    AiqType type;       /* literal or declared type */
    bool isnull;        /* literal: typed null such as long(null) */
    int64_t i64;        /* literal long, int, datetime, timespan, bool */
    double f64;         /* literal real */
    AiqNode *lhs, *rhs, *extra;
    AiqNode **items;
    int nitems;
    AiqNode **items2;
    int nitems2;
    AiqNode **params;
    int nparams;
};

/* The name mv-apply's subquery reads its per-row table under (no KQL name
 * can be spelled this way). */
#define AIQ_MV_APPLY_INPUT "$mv-apply"

/* Join kind names in AiqJoinKind order ("innerunique", "inner", ...). */
extern const char *const aiq_join_kind_names[AIQ_JOIN_KIND_COUNT];

#endif
