/*
 * plugins.c -- binding `evaluate`: the pivot and bag_unpack plugins.
 *
 * Their columns come from the data (a column per distinct pivot value, per
 * property of the bags), so a plan cannot say them before the data is read.
 * What aiq does, when the query gives no output schema `: (...)`: the
 * binder has the plugin's input run at bind time (AiqBindOptions.run, the
 * session's executor), the plugin's result becomes a computed table, and
 * the rest of the query binds against that table's real columns; the run
 * itself then reads the table instead of computing it again. `aiq check`
 * runs nothing (run is NULL): there the plugin has the columns known
 * without the data (pivot's grouping columns, bag_unpack's input without
 * the bag), which is what a query that names only those can bind to.
 * With an output schema the columns are the declared ones, and the plugin
 * runs with the rest of the query.
 */
#include "bind/bind_internal.h"

#include <string.h>

#include "core/table.h"

/* The AiqPlan of a table computed at bind time (kept until the plan is
 * released). */
static AiqPlan *computed_plan(Binder *b, AiqTable *t)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_COMPUTED, NULL);
    p->computed = t;
    p->schema = t->schema;
    b->computed = aiq_arena_grow(b->arena, b->computed, b->ncomputed, &b->capcomputed, sizeof *b->computed, 4);
    b->computed[b->ncomputed++] = t;
    return p;
}

/* The plugin's plan p, computed now when its columns depend on the data
 * and the binder may run queries; else p with the columns known
 * (static_cols). */
static AiqPlan *finish_plugin(Binder *b, const AiqNode *n, AiqPlan *p, ColList *static_cols)
{
    if (n->nitems2) /* the declared output schema */
        return p;
    if (!b->opts->run) {
        p->schema = bind_schema_of(static_cols);
        return p;
    }
    p->schema = (AiqSchema){0}; /* none yet: the plugin's run makes its table with its own */
    AiqTable *t = b->opts->run(b->opts->run_ud, p, b->nshared, b->nslots, b->err);
    if (!t) {
        if (b->err->offset < 0) {
            b->err->offset = n->off;
            b->err->length = n->len;
        }
        return NULL;
    }
    return computed_plan(b, t);
}

/* The declared output schema `: (*, Name:type, ...)` into p's schema; `*`
 * stands for the input's columns (but `skip`, the unpacked bag). */
static bool output_schema(Binder *b, const AiqNode *n, AiqPlan *p, const AiqSchema *in, int skip)
{
    ColList cols = {0};
    for (int i = 0; i < n->nitems2; i++) {
        const AiqNode *c = n->items2[i];
        if (c->kind == AIQ_N_STAR) {
            for (int k = 0; k < in->ncols; k++)
                if (k != skip)
                    bind_cols_push(b, &cols, in->cols[k].name, in->cols[k].type, NULL);
            continue;
        }
        if (bind_cols_find(&cols, c->str) >= 0)
            return FAILF(b, c, AIQ_ERR_BIND, "column '%s' is declared twice", c->str) != NULL;
        bind_cols_push(b, &cols, c->str, c->type, NULL);
    }
    p->schema = bind_schema_of(&cols);
    return true;
}

/* Adds the names of the columns an expression mentions to names. */
static void mentioned(const AiqNode *n, const char **names, int *count, int cap)
{
    if (!n)
        return;
    if (n->kind == AIQ_N_NAME && *count < cap)
        names[(*count)++] = n->str;
    mentioned(n->lhs, names, count, cap);
    mentioned(n->rhs, names, count, cap);
    for (int i = 0; i < n->nitems; i++)
        mentioned(n->items[i], names, count, cap);
}

static AiqNode *name_node(Binder *b, const AiqNode *at, const char *name)
{
    AiqNode *x = aiq_arena_calloc(b->arena, sizeof *x);
    x->kind = AIQ_N_NAME;
    x->off = at->off;
    x->len = at->len;
    x->str = name;
    return x;
}

/* pivot(Column [, aggregation] [, Key, ...]): a summarize of the
 * aggregation (count() by default) by the keys and the pivot column, then
 * its rows rotated (exec/op_evaluate.c). The keys default to every column
 * but the pivoted one and those the aggregation reads. */
static AiqPlan *bind_pivot(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    if (n->nitems < 1 || n->items[0]->kind != AIQ_N_NAME)
        return bind_fail(b, n, AIQ_ERR_BIND, "pivot takes the column to rotate first: pivot(Column [, aggregation] [, Key, ...])");
    const AiqNode *pivot = n->items[0];
    if (bind_schema_find(b, &in->schema, pivot->str) < 0)
        return bind_unknown_column(b, pivot, &(ExprCtx){.schema = &in->schema, .scope = scope});
    const AiqNode *agg = NULL;
    int first_key = 1;
    if (n->nitems > 1 && n->items[1]->kind == AIQ_N_CALL) {
        agg = n->items[1];
        first_key = 2;
    }
    AiqNode *count = NULL;
    if (!agg) {
        count = aiq_arena_calloc(b->arena, sizeof *count);
        *count = (AiqNode){.kind = AIQ_N_CALL, .off = n->off, .len = n->len, .str = "count"};
        agg = count;
    }
    int cap = in->schema.ncols + n->nitems + 1;
    AiqNode **keys = aiq_arena_alloc(b->arena, sizeof *keys * (size_t)(cap + 1));
    int nkeys = 0;
    if (n->nitems > first_key) {
        for (int i = first_key; i < n->nitems; i++) {
            if (n->items[i]->kind != AIQ_N_NAME)
                return bind_fail(b, n->items[i], AIQ_ERR_BIND, "pivot's columns after the aggregation are column names");
            keys[nkeys++] = n->items[i];
        }
    } else {
        const char **used = aiq_arena_alloc(b->arena, sizeof *used * 64);
        int nused = 0;
        mentioned(agg, used, &nused, 64);
        for (int c = 0; c < in->schema.ncols; c++) {
            const char *name = in->schema.cols[c].name;
            bool skip = strcmp(name, pivot->str) == 0;
            for (int k = 0; k < nused; k++)
                skip |= strcmp(name, used[k]) == 0;
            if (!skip)
                keys[nkeys++] = name_node(b, n, name);
        }
    }
    keys[nkeys] = (AiqNode *)pivot;
    AiqNode *value = aiq_arena_calloc(b->arena, sizeof *value);
    *value = (AiqNode){.kind = AIQ_N_ASSIGN, .off = agg->off, .len = agg->len, .str = "\001pivot_value", .lhs = (AiqNode *)agg};
    AiqNode sum = {.kind = AIQ_N_SUMMARIZE, .off = n->off, .len = n->len, .items = &value, .nitems = 1,
                   .items2 = keys, .nitems2 = nkeys + 1};
    AiqPlan *groups = bind_summarize(b, &sum, in, scope);
    if (!groups)
        return NULL;
    AiqPlan *p = bind_new_plan(b, AIQ_P_EVALUATE, groups);
    p->plugin = AIQ_PLUGIN_PIVOT;
    p->nkeys = nkeys;
    /* a missing cell: 0 for the counting and summing aggregations, else null */
    p->limit = strcmp(agg->str, "count") == 0 || strcmp(agg->str, "sum") == 0 || strcmp(agg->str, "dcount") == 0 ||
               strcmp(agg->str, "countif") == 0 || strcmp(agg->str, "sumif") == 0;
    ColList known = {0};
    for (int k = 0; k < nkeys; k++)
        bind_cols_push(b, &known, groups->schema.cols[k].name, groups->schema.cols[k].type, NULL);
    if (n->nitems2 && !output_schema(b, n, p, &groups->schema, -1))
        return NULL;
    return finish_plugin(b, n, p, &known);
}

/* bag_unpack(Column [, Prefix] [, columnsConflict] [, ignoredProperties]):
 * the arguments by position or by name. */
static AiqPlan *bind_bag_unpack(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    static const char *const params[] = {"column", "OutputColumnPrefix", "columnsConflict", "ignoredProperties"};
    static const char *const conflicts[] = {"error", "replace_source", "keep_source", NULL};
    const AiqNode *arg[4] = {0};
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *a = n->items[i];
        int at = i;
        if (a->kind == AIQ_N_ASSIGN) {
            for (at = 0; at < 4 && strcmp(params[at], a->str) != 0; at++)
                ;
            if (at == 4)
                return FAILF(b, a, AIQ_ERR_BIND, "bag_unpack has no parameter '%s' (it has OutputColumnPrefix, columnsConflict, ignoredProperties)", a->str);
            a = a->lhs;
        }
        if (at >= 4)
            return bind_fail(b, a, AIQ_ERR_BIND, "bag_unpack takes at most 4 arguments");
        arg[at] = a;
    }
    if (!arg[0])
        return bind_fail(b, n, AIQ_ERR_BIND, "bag_unpack needs the column to unpack: bag_unpack(Column)");
    AiqExpr *bag = bind_expr(b, arg[0], &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!bag)
        return NULL;
    if (bag->kind != AIQ_E_COLUMN || bag->type != AIQ_TYPE_DYNAMIC)
        return bind_fail(b, arg[0], AIQ_ERR_TYPE, "bag_unpack unpacks a dynamic column of the input");
    AiqPlan *p = bind_new_plan(b, AIQ_P_EVALUATE, in);
    p->plugin = AIQ_PLUGIN_BAG_UNPACK;
    p->index_col = bag->col;
    p->regex = "";
    AiqExpr *e;
    for (int k = 1; k < 4; k++) {
        if (!arg[k])
            continue;
        if (!(e = bind_expr(b, arg[k], &(ExprCtx){.scope = scope})))
            return NULL;
        if (!is_const(e) || e->type != (k == 3 ? AIQ_TYPE_DYNAMIC : AIQ_TYPE_STRING))
            return FAILF(b, arg[k], AIQ_ERR_TYPE, "bag_unpack's %s must be a constant %s", params[k], k == 3 ? "dynamic array" : "string");
        if (k == 1) {
            p->regex = e->value.str.ptr;
        } else if (k == 2) {
            int c = -1;
            for (int j = 0; conflicts[j]; j++)
                if (e->value.str.len == strlen(conflicts[j]) && memcmp(e->value.str.ptr, conflicts[j], e->value.str.len) == 0)
                    c = j;
            if (c < 0)
                return bind_fail(b, arg[k], AIQ_ERR_BIND, "columnsConflict is 'error', 'replace_source' or 'keep_source'");
            p->join_kind = c;
        } else {
            p->exprs = aiq_arena_alloc(b->arena, sizeof *p->exprs);
            p->exprs[0] = e;
            p->nexprs = 1;
        }
    }
    ColList known = {0};
    for (int c = 0; c < in->schema.ncols; c++)
        if (c != bag->col)
            bind_cols_push(b, &known, in->schema.cols[c].name, in->schema.cols[c].type, NULL);
    if (n->nitems2 && !output_schema(b, n, p, &in->schema, bag->col))
        return NULL;
    return finish_plugin(b, n, p, &known);
}

AiqPlan *bind_evaluate(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    if (!bind_check_hints(b, n))
        return NULL;
    if (!in)
        return FAILF(b, n, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: evaluate %s as a query's source", n->str);
    if (strcmp(n->str, "pivot") == 0)
        return bind_pivot(b, n, in, scope);
    if (strcmp(n->str, "bag_unpack") == 0)
        return bind_bag_unpack(b, n, in, scope);
    return FAILF(b, n, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: evaluate %s (aiq has pivot and bag_unpack)", n->str);
}
