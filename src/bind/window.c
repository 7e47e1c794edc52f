/*
 * window.c -- extend, project, serialize and where whose expressions call window
 * functions: row_number, prev, next, row_cumsum, row_window_session,
 * row_rank_dense and row_rank_min, each over the rows in their order.
 *
 * Such an operator binds as three: a projection that computes the window
 * functions' row arguments as hidden columns, a WINDOW node that adds a
 * hidden column per window function (exec/op_window.c), and the operator
 * itself with each window call replaced by its column's name. The hidden
 * names start with \001, which no query can write; the last projection
 * drops them.
 */
#include "bind/bind_internal.h"

#include <string.h>

static const char *const window_names[] = {"row_number", "prev", "next", "row_cumsum", "row_window_session",
                                           "row_rank_dense", "row_rank_min", NULL};

static int window_kind(const AiqNode *n)
{
    if (n->kind != AIQ_N_CALL)
        return -1;
    for (int i = 0; window_names[i]; i++)
        if (strcmp(n->str, window_names[i]) == 0)
            return i; /* ORDER: AiqWindowKind */
    return -1;
}

bool bind_is_window_function(const char *name)
{
    for (int i = 0; window_names[i]; i++)
        if (strcmp(name, window_names[i]) == 0)
            return true;
    return false;
}

bool bind_has_window(const AiqNode *n)
{
    if (!n)
        return false;
    if (window_kind(n) >= 0)
        return true;
    if (n->kind >= AIQ_N_TABLE && n->kind != AIQ_N_EXTEND && n->kind != AIQ_N_PROJECT && n->kind != AIQ_N_SERIALIZE &&
        n->kind != AIQ_N_WHERE)
        return false; /* a subquery's own operators bind on their own */
    if (bind_has_window(n->lhs && n->kind < AIQ_N_TABLE ? n->lhs : NULL) || bind_has_window(n->rhs) || bind_has_window(n->extra))
        return true;
    for (int i = 0; i < n->nitems; i++)
        if (bind_has_window(n->items[i]))
            return true;
    return false;
}

typedef struct Windows {
    ColList below;        /* the input's columns, then the hidden arguments */
    AiqWindowFn *fns;
    int n, cap;
} Windows;

/* Argument i of call c as a hidden column of the projection below; its
 * index, or -2 after an error. want: the type class it must have. */
static int row_arg(Binder *b, Windows *w, const AiqNode *c, int i, const AiqSchema *in, Binding *scope, AiqExpr **out)
{
    AiqExpr *e = bind_expr(b, c->items[i], &(ExprCtx){.schema = in, .scope = scope});
    if (!e)
        return -2;
    *out = e;
    bind_cols_push(b, &w->below, aiq_arena_printf(b->arena, "\001arg%d", w->below.n), e->type, e);
    return w->below.n - 1;
}

/* Argument i of call c as a constant of type t (or a number for a long). */
static bool const_arg(Binder *b, const AiqNode *c, int i, AiqType t, Binding *scope, AiqValue *out)
{
    AiqExpr *e = bind_expr(b, c->items[i], &(ExprCtx){.scope = scope});
    if (!e)
        return false;
    bool ok = is_const(e) && (e->type == t || (is_num(e->type) && is_num(t)) || e->value.isnull);
    if (!ok)
        return FAILF(b, c->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be a constant %s", i + 1, c->str, aiq_type_name(t)) != NULL;
    *out = e->value;
    if (t == AIQ_TYPE_REAL && e->type != AIQ_TYPE_REAL && !e->value.isnull)
        out->f64 = (double)e->value.i64;
    if ((t == AIQ_TYPE_LONG || t == AIQ_TYPE_INT) && e->type == AIQ_TYPE_REAL)
        out->i64 = (int64_t)e->value.f64;
    out->type = t;
    return true;
}

/* Binds one window call into w; false after an error. */
static bool window_call(Binder *b, Windows *w, const AiqNode *c, const AiqSchema *in, Binding *scope)
{
    static const int min_args[] = {0, 1, 1, 1, 3, 1, 1}, max_args[] = {2, 3, 3, 2, 4, 2, 2};
    int k = window_kind(c);
    if (c->nitems < min_args[k] || c->nitems > max_args[k])
        return FAILF(b, c, AIQ_ERR_BIND, "%s() takes %d to %d arguments, got %d", c->str, min_args[k], max_args[k], c->nitems) != NULL;
    AiqWindowFn f = {.kind = (AiqWindowKind)k, .arg = -1, .restart = -1, .n = 1};
    AiqExpr *e = NULL;
    AiqValue v;
    int restart_at = k == AIQ_WIN_ROW_NUMBER ? 1 : k == AIQ_WIN_SESSION ? 3 : k == AIQ_WIN_PREV || k == AIQ_WIN_NEXT ? -1 : 1;
    if (k != AIQ_WIN_ROW_NUMBER && (f.arg = row_arg(b, w, c, 0, in, scope, &e)) < -1)
        return false;
    switch (k) {
    case AIQ_WIN_ROW_NUMBER:
        f.type = AIQ_TYPE_LONG;
        if (c->nitems > 0 && !const_arg(b, c, 0, AIQ_TYPE_LONG, scope, &v))
            return false;
        f.n = c->nitems > 0 ? v.i64 : 1;
        break;
    case AIQ_WIN_PREV:
    case AIQ_WIN_NEXT:
        f.type = e->type == AIQ_TYPE_INT ? AIQ_TYPE_LONG : e->type;
        f.dflt = (AiqValue){.type = f.type, .isnull = true};
        if (c->nitems > 1 && !const_arg(b, c, 1, AIQ_TYPE_LONG, scope, &v))
            return false;
        f.n = c->nitems > 1 ? v.i64 : 1;
        if (f.n < 0)
            return bind_fail(b, c->items[1], AIQ_ERR_TYPE, "the offset must not be negative") != NULL;
        if (c->nitems > 2 && !const_arg(b, c, 2, f.type, scope, &f.dflt))
            return false;
        break;
    case AIQ_WIN_ROW_CUMSUM:
        if (!is_num(e->type) && e->type != AIQ_TYPE_TIMESPAN)
            return FAILF(b, c->items[0], AIQ_ERR_TYPE, "row_cumsum() sums numbers, found %s", aiq_type_name(e->type)) != NULL;
        f.type = e->type == AIQ_TYPE_INT ? AIQ_TYPE_LONG : e->type;
        break;
    case AIQ_WIN_SESSION:
        if (e->type != AIQ_TYPE_DATETIME)
            return FAILF(b, c->items[0], AIQ_ERR_TYPE, "row_window_session() takes a datetime, found %s", aiq_type_name(e->type)) != NULL;
        f.type = AIQ_TYPE_DATETIME;
        if (!const_arg(b, c, 1, AIQ_TYPE_TIMESPAN, scope, &v))
            return false;
        f.max_first = v.i64;
        if (!const_arg(b, c, 2, AIQ_TYPE_TIMESPAN, scope, &v))
            return false;
        f.max_gap = v.i64;
        break;
    default: /* the ranks */
        if (e->type == AIQ_TYPE_DYNAMIC)
            return FAILF(b, c->items[0], AIQ_ERR_TYPE, "%s() cannot rank dynamic values", c->str) != NULL;
        f.type = AIQ_TYPE_LONG;
        break;
    }
    if (restart_at >= 0 && c->nitems > restart_at) {
        AiqExpr *r;
        if ((f.restart = row_arg(b, w, c, restart_at, in, scope, &r)) < -1)
            return false;
        if (r->type != AIQ_TYPE_BOOL)
            return FAILF(b, c->items[restart_at], AIQ_ERR_TYPE, "the restart argument of %s() must be bool", c->str) != NULL;
    }
    w->fns = aiq_arena_grow(b->arena, w->fns, w->n, &w->cap, sizeof *w->fns, 4);
    w->fns[w->n++] = f;
    return true;
}

/* A copy of n in which each innermost window call (one whose arguments
 * call none: row_number(1, prev(a) != a) takes two rounds) is the name of
 * its column; round numbers the names. */
static AiqNode *replace_calls(Binder *b, Windows *w, const AiqNode *n, const AiqSchema *in, Binding *scope, int round)
{
    if (!n || !bind_has_window(n))
        return (AiqNode *)n;
    AiqNode *c = aiq_arena_alloc(b->arena, sizeof *c);
    *c = *n;
    bool inner = false;
    for (int i = 0; i < n->nitems; i++)
        inner |= bind_has_window(n->items[i]);
    if (window_kind(n) >= 0 && !inner) {
        if (!window_call(b, w, n, in, scope))
            return NULL;
        *c = (AiqNode){.kind = AIQ_N_NAME, .off = n->off, .len = n->len,
                       .str = aiq_arena_printf(b->arena, "\001window%d_%d", round, w->n - 1)};
        return c;
    }
    if (n->kind < AIQ_N_TABLE && n->lhs && !(c->lhs = replace_calls(b, w, n->lhs, in, scope, round)))
        return NULL;
    if (n->rhs && !(c->rhs = replace_calls(b, w, n->rhs, in, scope, round)))
        return NULL;
    if (n->extra && !(c->extra = replace_calls(b, w, n->extra, in, scope, round)))
        return NULL;
    if (n->nitems) {
        c->items = aiq_arena_alloc(b->arena, sizeof *c->items * (size_t)n->nitems);
        for (int i = 0; i < n->nitems; i++)
            if (!(c->items[i] = replace_calls(b, w, n->items[i], in, scope, round)))
                return NULL;
    }
    return c;
}

/* One round: the innermost window calls of *op over the plan in. */
static AiqPlan *window_round(Binder *b, AiqNode **op, AiqPlan *in, Binding *scope, int round)
{
    Windows w = {0};
    bind_passthrough(b, &w.below, &in->schema);
    if (!(*op = replace_calls(b, &w, *op, &in->schema, scope, round)))
        return NULL;
    AiqPlan *below = w.below.n > in->schema.ncols ? bind_project_plan(b, in, &w.below) : in;
    AiqPlan *win = bind_new_plan(b, AIQ_P_WINDOW, below);
    win->windows = w.fns;
    win->nwindows = w.n;
    ColList cols = {0};
    for (int c = 0; c < below->schema.ncols; c++)
        bind_cols_push(b, &cols, below->schema.cols[c].name, below->schema.cols[c].type, NULL);
    for (int i = 0; i < w.n; i++)
        bind_cols_push(b, &cols, aiq_arena_printf(b->arena, "\001window%d_%d", round, i), w.fns[i].type, NULL);
    win->schema = bind_schema_of(&cols);
    return win;
}

AiqPlan *bind_windowed(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqNode *op = (AiqNode *)n;
    AiqPlan *win = in;
    for (int round = 0; win && bind_has_window(op); round++)
        win = window_round(b, &op, win, scope, round);
    if (!win)
        return NULL;
    AiqPlan *p = n->kind == AIQ_N_PROJECT ? bind_project(b, op, win, scope)
               : n->kind == AIQ_N_WHERE ? bind_where(b, op, win, scope) /* the window sees every row; then the filter */
                                        : bind_extend(b, op, win, scope);
    if (!p)
        return NULL;
    ColList shown = {0};
    for (int c = 0; c < p->schema.ncols; c++)
        if (p->schema.cols[c].name[0] != '\001')
            bind_cols_push(b, &shown, p->schema.cols[c].name, p->schema.cols[c].type,
                           bind_column_expr(b, c, p->schema.cols[c].type, NULL));
    return shown.n == p->schema.ncols ? p : bind_project_plan(b, p, &shown);
}
