/*
 * bind_internal.h -- what the binder's files share (not an interface for
 * other folders: binder.h is). The binder's state, scopes of names, the
 * context an expression binds in, the column lists operators build, and
 * the functions one file of bind/ calls in another, named bind_<what>.
 */
#ifndef AIQ_BIND_BIND_INTERNAL_H
#define AIQ_BIND_BIND_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aiq/aiq.h"
#include "bind/binder.h"
#include "bind/names.h"
#include "func/registry.h"
#include "parse/ast.h"
#include "plan/plan.h"
#include "util/arena.h"

typedef struct json_t json_t;

typedef enum { BIND_SCALAR, BIND_TABULAR, BIND_FUNC } BindingKind;

typedef struct Binding Binding;
struct Binding {
    const char *name;
    BindingKind kind;
    AiqExpr *expr;       /* BIND_SCALAR */
    AiqPlan *plan;       /* BIND_TABULAR */
    const AiqNode *def;  /* BIND_FUNC: the FUNC_DEF node */
    Binding *def_scope;  /* BIND_FUNC: scope where it was defined */
    Binding *next;
};

typedef struct Binder {
    const AiqBindOptions *opts;
    AiqArena *arena;
    AiqError *err;
    int nshared;
    json_t **owned;
    int nowned, capowned;
    int call_depth, call_cap;
    const AiqNode **call_stack; /* user functions being inlined, outermost first */
    int ninlined;               /* user function calls inlined so far */
    int nslots;                 /* AiqExpr slots given out */
    AiqExpr **subst_memo;       /* substitute(): copy made of each slot in this pass... */
    int *subst_pass;            /* ...valid when subst_pass[slot] is the current pass */
    int subst_cap, pass;
    struct SchemaIndex *indexes; /* name indexes of wide schemas, by their column array */
    int nindexes, capindexes;
    AiqPlan **subqueries;        /* subqueries to run before the query (subquery.c)... */
    AiqExpr **subquery_targets;  /* ...and the expression each one fills */
    int nsubqueries, capsubqueries, captargets;
    struct AiqTable **computed; /* tables computed at bind time (bind/plugins.c) */
    int ncomputed, capcomputed;
    const AiqNode *ifexists_found; /* the column_ifexists() call last bound to its column (its result's name) */
} Binder;

/* The context an expression binds in. */
typedef struct ExprCtx {
    const AiqSchema *schema;   /* columns visible by name */
    Binding *scope;
    /* summarize: aggregate calls are collected here */
    bool agg_ok;
    struct AggSink *sink;
    /* join conditions: $left and $right */
    const AiqSchema *left, *right;
    const struct ColList *list; /* when set: schema's columns as a list being built, with its name index */
    int ninput;                 /* extend: list's first ninput columns are its input's (pack_all() packs those) */
    bool tuple_ok;             /* the expression may call a function that gives several columns */
} ExprCtx;

typedef struct AggSink {
    const AiqSchema *input;    /* schema the aggregate arguments bind against */
    AiqAgg *aggs;
    int naggs, cap;
    AiqColumn *cols;           /* summarize output columns so far (keys, then aggs) */
    int ncols, capcols;
    AiqNameIndex names;        /* of cols, once there are AIQ_NAMES_MIN */
    const char *item_name;     /* the name the current item will get, if known */
    int nkeys;
    AiqExpr **key_exprs;       /* the by keys (nkeys) */
} AggSink;

/* A growable column list used while building a schema. */
typedef struct ColList {
    AiqColumn *cols;
    AiqExpr **exprs;
    int n, cap;
    AiqNameIndex names; /* once there are AIQ_NAMES_MIN columns */
    int next_column;    /* bind_column_n: Column1 .. Column<this> are taken */
} ColList;

#define FAILF(b, n, code, ...) bind_fail((b), (n), (code), aiq_arena_printf((b)->arena, __VA_ARGS__))

static inline bool is_const(const AiqExpr *e) { return e->kind == AIQ_E_CONST; }
static inline bool is_num(AiqType t) { return aiq_type_is_numeric(t); }
/* Whether values of type t are text to the string operators: strings, and
 * dynamic values (converted with tostring()). */
static inline bool is_text(AiqType t) { return t == AIQ_TYPE_STRING || t == AIQ_TYPE_DYNAMIC; }

/* scope.c */
void *bind_fail(Binder *b, const AiqNode *n, AiqErrCode code, const char *msg);
Binding *bind_find_binding(Binding *s, const char *name);
size_t bind_count_bindings(const Binding *s);
Binding *bind_push_binding(Binder *b, Binding *scope, const char *name, BindingKind kind);
void bind_own_json(Binder *b, json_t *j);
int bind_schema_find(Binder *b, const AiqSchema *s, const char *name);
void bind_index_added(Binder *b, AiqNameIndex *ix, const AiqColumn *cols, int n);
void bind_cols_push(Binder *b, ColList *l, const char *name, AiqType type, AiqExpr *e);
int bind_cols_find(const ColList *l, const char *name);
void bind_cols_rename(Binder *b, ColList *l, int c, const char *name);
const char *bind_unique_name(Binder *b, const ColList *l, const char *name);
const char *bind_column_n(Binder *b, ColList *l);
AiqSchema bind_schema_of(const ColList *l);
AiqExpr *bind_column_expr(Binder *b, int col, AiqType type, const AiqNode *src);
void bind_set_depth(AiqExpr *e);
AiqExpr *bind_call_expr(Binder *b, AiqFuncId fn, AiqType type, const AiqNode *src,
                        AiqExpr **args, int nargs);
AiqExpr *bind_call1(Binder *b, AiqFuncId fn, AiqType type, AiqExpr *a);
AiqExpr *bind_const_expr(Binder *b, AiqType type, const AiqNode *src);
AiqExpr *bind_coerce_dynamic(Binder *b, AiqExpr *e, AiqType to);
const char *bind_expr_name(Binder *b, const AiqNode *n);
AiqPlan *bind_new_plan(Binder *b, AiqPlanKind kind, AiqPlan *input);
AiqPlan *bind_project_plan(Binder *b, AiqPlan *input, ColList *cols);
void bind_passthrough(Binder *b, ColList *cols, const AiqSchema *s);

/* expr.c */
AiqExpr *bind_as_string(Binder *b, AiqExpr *e);
void *bind_unknown_column(Binder *b, const AiqNode *n, ExprCtx *cx);
AiqExpr *bind_expr(Binder *b, const AiqNode *n, ExprCtx *cx);

/* call.c */
bool bind_arg_class_ok(char cls, AiqType t);
const char *bind_class_desc(char cls);
AiqType bind_ret_type(const AiqFuncDef *f, AiqExpr **args, int nargs);
void *bind_unknown_function(Binder *b, const AiqNode *n, Binding *scope);
AiqExpr *bind_call(Binder *b, const AiqNode *n, ExprCtx *cx);
const AiqNode *bind_user_args_in_order(Binder *b, const AiqNode *n, const AiqNode *def);
void bind_push_call(Binder *b, const AiqNode *def);
bool bind_check_user_call(Binder *b, const AiqNode *n, const AiqNode *def);
const AiqNode *bind_call_without_parens(Binder *b, const AiqNode *name, const Binding *fb);
Binding *bind_push_call_scope(Binder *b, const Binding *fb);
AiqExpr *bind_scalar_argument(Binder *b, const AiqNode *n, int i, const Binding *fb,
                              ExprCtx *cx);
AiqExpr *bind_user_call(Binder *b, const AiqNode *n, Binding *fb, ExprCtx *cx);

/* builtin_rules.c: the rules of particular built-ins. Before binding a
 * call's arguments: true when f has a rule of its own, *out then the bound
 * call (NULL after an error). After: *t set to the result type when it
 * depends on the arguments; false after an error. */
bool bind_builtin_before(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx, AiqExpr **out);
bool bind_builtin_type(Binder *b, const AiqNode *n, const AiqFuncDef *f, AiqExpr **args, int na, AiqType *t);

/* agg.c */
AiqExpr *bind_aggregate(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx);
AiqPlan *bind_summarize(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);
AiqPlan *bind_count(Binder *b, AiqPlan *in, const char *name);
AiqPlan *bind_distinct(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* tabular.c */
AiqPlan *bind_filter_chain(Binder *b, AiqPlan *in, AiqExpr *pred);
AiqPlan *bind_where(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope); /* binder.c */
bool bind_sort_keys(Binder *b, const AiqNode *n, AiqPlan *p, Binding *scope);
bool bind_const_count(Binder *b, const AiqNode *n, Binding *scope, int64_t *out, const char *what);
bool bind_hint_ok(Binder *b, const AiqNode *prm);
bool bind_check_hints(Binder *b, const AiqNode *n);
int bind_param_choice(Binder *b, const AiqNode *prm, const char *const *values, const char *what,
                      const char *expected);
AiqPlan *bind_join(Binder *b, const AiqNode *n, AiqPlan *left, Binding *scope);
AiqPlan *bind_union(Binder *b, const AiqNode *n, AiqPlan *first, Binding *scope);
AiqPlan *bind_mv_expand(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* union_legs.c */
bool bind_union_expand(Binder *b, const AiqNode *n, Binding *scope, const AiqNode ***legs, int *nlegs);
void bind_union_columns(Binder *b, AiqPlan *p, const char *withsource, bool inner);
/* tuple.c: functions that give several columns (func/series_tuple.h) */
typedef struct TupleCols {
    int n;
    const char **names; /* NULL: Column<n> */
    bool *given;        /* named by the query: an extend replaces a column of that name */
    AiqExpr **exprs;
} TupleCols;
/* Item it of extend, project or print: 1 when it calls a function that
 * gives several columns (out gets them; their expressions bound in cx,
 * then substituted through subst when not NULL), 0 when it does not
 * (nothing bound), -1 after an error. */
int bind_tuple_item(Binder *b, const AiqNode *it, ExprCtx *cx, const ColList *subst, TupleCols *out);
/* The error for such a function used anywhere else; returns NULL. */
void *bind_tuple_misused(Binder *b, const AiqNode *n, const AiqFuncDef *f);

/* project.c */
AiqExpr *bind_substitute(Binder *b, AiqExpr *e, const ColList *cols);
AiqPlan *bind_extend(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);
AiqPlan *bind_project(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);
AiqPlan *bind_project_patterns(Binder *b, const AiqNode *n, AiqPlan *in);
AiqPlan *bind_rename(Binder *b, const AiqNode *n, AiqPlan *in);
/* Item it of extend (extend true), project or print when it calls a function
 * that gives several columns: binds them (bind_tuple_item) and adds them to
 * cols: 1 when it did, 0 when it is no such call, -1 after an error. */
int bind_tuple_columns(Binder *b, const AiqNode *it, ExprCtx *cx, bool extend, ColList *cols);

/* sources.c */
AiqPlan *bind_parse(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);
AiqPlan *bind_datatable(Binder *b, const AiqNode *n, Binding *scope);
AiqPlan *bind_print(Binder *b, const AiqNode *n, Binding *scope);
AiqPlan *bind_range(Binder *b, const AiqNode *n, Binding *scope);
AiqPlan *bind_getschema(Binder *b, AiqPlan *in);
bool bind_check_render(Binder *b, const AiqNode *n);
void bind_render_spec(Binder *b, const AiqNode *n, AiqPlan *root);

/* series.c */
AiqPlan *bind_make_series(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* subquery.c */
bool bind_is_tabular(Binder *b, const AiqNode *n, Binding *scope);
bool bind_is_tabular_value(Binder *b, const AiqNode *n, ExprCtx *cx);
bool bind_is_materialize(const AiqNode *n);
AiqExpr *bind_toscalar(Binder *b, const AiqNode *n, ExprCtx *cx);
bool bind_in_subqueries(Binder *b, AiqExpr *in, const AiqNode *const *items, int nitems, Binding *scope);
AiqPlan *bind_materialize(Binder *b, const AiqNode *n, Binding *scope);
AiqPlan *bind_wrap_subqueries(Binder *b, AiqPlan *root);

/* binder.c */
AiqPlan *bind_tabular(Binder *b, const AiqNode *n, Binding *scope);
AiqPlan *bind_tabular_call(Binder *b, const AiqNode *n, Binding *fb, Binding *caller);

/* ops_more.c: issue 14's operators (lookup, invoke, sample, ...), and the
 * error for a node that is no tabular expression. */
AiqPlan *bind_step_more(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* plugins.c */
AiqPlan *bind_evaluate(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* window.c: extend, project and serialize with window functions */
bool bind_has_window(const AiqNode *n);
bool bind_is_window_function(const char *name);
AiqPlan *bind_windowed(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* top_nested.c */
AiqPlan *bind_top_nested(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* apply.c */
AiqPlan *bind_mv_apply(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* search.c */
AiqPlan *bind_search(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* scan_op.c: the scan operator */
AiqPlan *bind_scan_op(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

#endif
