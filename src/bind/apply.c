/*
 * apply.c -- binding mv-apply: `mv-apply [with_itemindex=I] [Name =] Expr
 * [to typeof(T)], ... [limit N] on (subquery)`. Each input row expands as
 * mv-expand would expand it (bind_mv_expand gives those rows' schema);
 * the subquery runs on that row's rows, and its result rows each carry the
 * input row's other columns. An array expanded under its own column's name
 * replaces that column; the output is the input's columns but those, then
 * the subquery's columns the input does not have (Kusto's order).
 */
#include "bind/bind_internal.h"

#include <string.h>

AiqPlan *bind_mv_apply(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqNode items = *n;
    items.kind = AIQ_N_MV_EXPAND;
    AiqPlan *expand = bind_mv_expand(b, &items, in, scope);
    if (!expand)
        return NULL;
    AiqPlan *rows = bind_new_plan(b, AIQ_P_APPLY_ROWS, NULL);
    rows->schema = expand->schema;
    Binding *x = bind_push_binding(b, scope, AIQ_MV_APPLY_INPUT, BIND_TABULAR);
    x->plan = rows;
    AiqPlan *sub = bind_tabular(b, n->extra, x);
    if (!sub)
        return NULL;
    AiqPlan *p = bind_new_plan(b, AIQ_P_MV_APPLY, expand->input);
    p->expand_cols = expand->expand_cols;
    p->expand_types = expand->expand_types;
    p->nexpand = expand->nexpand;
    p->index_col = expand->index_col;
    p->limit = expand->limit;
    p->right = sub;
    p->depth = (p->depth > sub->depth ? p->depth : sub->depth) + 1;
    /* the output: kept input columns (by their column in the expansion's
     * input), then the subquery's other columns (-1 - their column) */
    ColList cols = {0};
    int *from = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(in->schema.ncols + sub->schema.ncols + 1));
    for (int c = 0; c < in->schema.ncols; c++) {
        bool replaced = false;
        for (int e = 0; e < p->nexpand; e++)
            replaced |= p->expand_cols[e] == c;
        if (replaced)
            continue;
        from[cols.n] = c;
        bind_cols_push(b, &cols, in->schema.cols[c].name, in->schema.cols[c].type, NULL);
    }
    for (int c = 0; c < sub->schema.ncols; c++) {
        if (bind_cols_find(&cols, sub->schema.cols[c].name) >= 0)
            continue;
        from[cols.n] = -1 - c;
        bind_cols_push(b, &cols, sub->schema.cols[c].name, sub->schema.cols[c].type, NULL);
    }
    p->maps = aiq_arena_alloc(b->arena, sizeof *p->maps);
    p->maps[0] = from;
    p->schema = bind_schema_of(&cols);
    return p;
}
