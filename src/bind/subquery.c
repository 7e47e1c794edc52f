/*
 * subquery.c -- tabular expressions where a value or a reused table is
 * wanted: toscalar(T | ...) (a subquery as a value), the tabular right
 * side of in/!in (`x in (T | project y)`, `in ((T | ...))`, `in (letTable)`),
 * and materialize(T | ...) (a table computed once). The subqueries of a
 * query are collected as they bind and run before it (the SUBQUERIES plan
 * node at its root, exec/op_subquery.c); materialize is a shared plan, as a
 * tabular let is.
 */
#include "bind/bind_internal.h"

#include <string.h>

/* Whether the name n (a table, a let, a function called by name alone)
 * stands for a table where a value could stand too: not a column of cx's
 * rows, not a scalar let. */
static bool name_is_table(Binder *b, const AiqNode *n, Binding *scope, const AiqSchema *rows)
{
    if (rows && bind_schema_find(b, rows, n->str) >= 0)
        return false;
    Binding *x = bind_find_binding(scope, n->str);
    if (x)
        return bind_is_tabular(b, n, scope);
    AiqSchema s;
    AiqError probe = {0}; /* a missing table is no error here: the name may be a typo'd column */
    return b->opts->lookup && b->opts->lookup(b->opts->lookup_ud, n->str, &s, &probe);
}

bool bind_is_materialize(const AiqNode *n)
{
    return n->kind == AIQ_N_CALL && strcmp(n->str, "materialize") == 0;
}

bool bind_is_tabular(Binder *b, const AiqNode *n, Binding *scope)
{
    switch (n->kind) {
    case AIQ_N_NAME:
    case AIQ_N_TABLE: {
        Binding *x = bind_find_binding(scope, n->str);
        if (x && x->kind == BIND_FUNC) /* a view, or a function called by its name alone */
            return bind_is_tabular(b, x->def->items[x->def->nitems - 1], x->def_scope);
        if (x)
            return x->kind == BIND_TABULAR;
        return n->kind == AIQ_N_TABLE;
    }
    case AIQ_N_CALL: {
        if (bind_is_materialize(n))
            return true;
        Binding *x = bind_find_binding(scope, n->str);
        if (!x && strcmp(n->str, "table") == 0)
            return true; /* table("Name"): a query source (binder.c) */
        if (!x || x->kind != BIND_FUNC)
            return false;
        return bind_is_tabular(b, x->def->items[x->def->nitems - 1], scope);
    }
    case AIQ_N_LITERAL: case AIQ_N_BINARY: case AIQ_N_UNARY: case AIQ_N_MEMBER:
    case AIQ_N_INDEX: case AIQ_N_IN: case AIQ_N_BETWEEN: return false;
    default: return n->kind >= AIQ_N_TABLE;
    }
}

bool bind_is_tabular_value(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    if (n->kind == AIQ_N_NAME || n->kind == AIQ_N_TABLE)
        return name_is_table(b, n, cx->scope, cx->schema);
    return bind_is_tabular(b, n, cx->scope);
}

/* Binds subquery n (in scope: it sees no row) and records it to run before
 * the query, filling target. Returns its plan, or NULL with err set. */
static AiqPlan *add_subquery(Binder *b, const AiqNode *n, Binding *scope, AiqExpr *target)
{
    AiqPlan *p = bind_tabular(b, n, scope);
    if (!p)
        return NULL;
    if (p->schema.ncols == 0)
        return FAILF(b, n, AIQ_ERR_BIND, "the subquery has no columns; its first column is the value used");
    b->subqueries = aiq_arena_grow(b->arena, b->subqueries, b->nsubqueries, &b->capsubqueries, sizeof *b->subqueries, 4);
    b->subquery_targets = aiq_arena_grow(b->arena, b->subquery_targets, b->nsubqueries, &b->captargets,
                                         sizeof *b->subquery_targets, 4);
    b->subqueries[b->nsubqueries] = p;
    b->subquery_targets[b->nsubqueries++] = target;
    return p;
}

AiqExpr *bind_toscalar(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    if (n->nitems != 1)
        return FAILF(b, n, AIQ_ERR_BIND, "toscalar() takes 1 argument, got %d", n->nitems);
    const AiqNode *arg = n->items[0];
    if (!bind_is_tabular_value(b, arg, cx)) /* toscalar(1 + 2): the value itself */
        return bind_expr(b, arg, &(ExprCtx){.scope = cx->scope});
    AiqExpr *target = bind_call_expr(b, AIQ_FN_TOSCALAR, AIQ_TYPE_UNKNOWN, n, NULL, 0);
    AiqPlan *p = add_subquery(b, arg, cx->scope, target);
    if (!p)
        return NULL;
    target->type = p->schema.cols[0].type;
    target->value.type = target->type;
    return target;
}

bool bind_in_subqueries(Binder *b, AiqExpr *in, const AiqNode *const *items, int nitems, Binding *scope)
{
    if (nitems > 0)
        in->aux = aiq_arena_calloc(b->arena, sizeof(void *)); /* where its set goes (k_in) */
    for (int i = 0; i < nitems; i++)
        if (!add_subquery(b, items[i], scope, in))
            return false;
    return true;
}

AiqPlan *bind_materialize(Binder *b, const AiqNode *n, Binding *scope)
{
    if (n->nitems != 1)
        return FAILF(b, n, AIQ_ERR_BIND, "materialize() takes 1 argument, got %d", n->nitems);
    AiqPlan *p = bind_tabular(b, n->items[0], scope);
    if (!p)
        return NULL;
    AiqPlan *shared = bind_new_plan(b, AIQ_P_SHARED, p);
    shared->shared_id = b->nshared++;
    return shared;
}

AiqPlan *bind_wrap_subqueries(Binder *b, AiqPlan *root)
{
    if (b->nsubqueries == 0)
        return root;
    AiqPlan *p = bind_new_plan(b, AIQ_P_SUBQUERIES, root);
    p->inputs = b->subqueries;
    p->ninputs = b->nsubqueries;
    p->exprs = b->subquery_targets;
    p->nexprs = b->nsubqueries;
    p->render = root->render;
    return p;
}
