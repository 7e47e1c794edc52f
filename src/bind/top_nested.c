/*
 * top_nested.c -- binding top-nested: `top-nested [N] of Expr [with others
 * = V] by [Name =] Aggregation [asc | desc]`, level after level. Level k
 * is a summarize of its aggregation by the first k levels' expressions; the
 * input is shared by the levels (computed once, as a tabular let is), and
 * exec/op_top_nested.c walks the levels' tables down from the top values.
 * The result has, per level, its value and its aggregate (named
 * aggregated_Expr unless named), as Kusto names them.
 */
#include "bind/bind_internal.h"

#include <string.h>

/* How the others row's aggregate is made from the aggregates of the
 * values it stands for: only the aggregations that compose. */
static AiqNestedCombine combine_of(const AiqNode *agg)
{
    const AiqNode *call = agg->kind == AIQ_N_ASSIGN ? agg->lhs : agg;
    if (call->kind != AIQ_N_CALL)
        return AIQ_NESTED_NONE;
    const char *f = call->str;
    if (!strcmp(f, "count") || !strcmp(f, "countif") || !strcmp(f, "sum") || !strcmp(f, "sumif"))
        return AIQ_NESTED_ADD;
    if (!strcmp(f, "max") || !strcmp(f, "maxif"))
        return AIQ_NESTED_MAX;
    if (!strcmp(f, "min") || !strcmp(f, "minif"))
        return AIQ_NESTED_MIN;
    return AIQ_NESTED_NONE;
}

static AiqNode *assign(Binder *b, const AiqNode *at, const char *name, AiqNode *value)
{
    AiqNode *a = aiq_arena_calloc(b->arena, sizeof *a);
    *a = (AiqNode){.kind = AIQ_N_ASSIGN, .off = at->off, .len = at->len, .str = name, .lhs = value};
    return a;
}

/* A level's `with others = V`: a constant of the level's type. */
static bool others_value(Binder *b, const AiqNode *lv, AiqType t, Binding *scope, AiqNestedLevel *out)
{
    AiqExpr *v = bind_expr(b, lv->extra, &(ExprCtx){.scope = scope});
    if (!v)
        return false;
    if (!is_const(v))
        return bind_fail(b, lv->extra, AIQ_ERR_TYPE, "'with others =' takes a constant") != NULL;
    if (v->type != t && !(is_num(v->type) && is_num(t)))
        return FAILF(b, lv->extra, AIQ_ERR_TYPE, "'with others =' must be %s, like the level's values; found %s",
                     aiq_type_name(t), aiq_type_name(v->type)) != NULL;
    out->others = v->value;
    if (t == AIQ_TYPE_REAL && v->type != AIQ_TYPE_REAL)
        out->others.f64 = (double)v->value.i64;
    out->others.type = t;
    if (out->combine == AIQ_NESTED_NONE)
        return bind_fail(b, lv->items[0], AIQ_ERR_BIND,
                         "valid KQL but not supported by aiq yet: 'with others' with this aggregation (aiq has count, sum, min and max)") != NULL;
    return true;
}

AiqPlan *bind_top_nested(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    int k = n->nitems;
    AiqPlan *shared = bind_new_plan(b, AIQ_P_SHARED, in);
    shared->shared_id = b->nshared++;
    AiqPlan *p = bind_new_plan(b, AIQ_P_TOP_NESTED, NULL);
    p->inputs = aiq_arena_alloc(b->arena, sizeof *p->inputs * (size_t)k);
    p->ninputs = k;
    p->levels = aiq_arena_calloc(b->arena, sizeof *p->levels * (size_t)k);
    AiqNode **keys = aiq_arena_alloc(b->arena, sizeof *keys * (size_t)k);
    ColList out = {0};
    for (int i = 0; i < k; i++) {
        const AiqNode *lv = n->items[i];
        const AiqNode *of = lv->lhs, *agg = lv->items[0];
        const AiqNode *of_expr = of->kind == AIQ_N_ASSIGN ? of->lhs : of;
        const char *name = of->kind == AIQ_N_ASSIGN ? of->str : bind_expr_name(b, of_expr);
        if (!name)
            name = aiq_arena_printf(b->arena, "Column%d", i + 1);
        name = bind_unique_name(b, &out, name);
        keys[i] = assign(b, of, name, (AiqNode *)of_expr);
        const char *agg_name = agg->kind == AIQ_N_ASSIGN ? agg->str : aiq_arena_printf(b->arena, "aggregated_%s", name);
        AiqNode *value = assign(b, agg, "\001top_nested_value", agg->kind == AIQ_N_ASSIGN ? agg->lhs : (AiqNode *)agg);
        AiqNode sum = {.kind = AIQ_N_SUMMARIZE, .off = lv->off, .len = lv->len, .items = &value, .nitems = 1,
                       .items2 = keys, .nitems2 = i + 1};
        AiqPlan *level = bind_summarize(b, &sum, shared, scope);
        if (!level)
            return NULL;
        p->inputs[i] = level;
        if (level->depth + 1 > p->depth)
            p->depth = level->depth + 1;
        AiqType kt = level->schema.cols[i].type, at = level->schema.cols[i + 1].type;
        bind_cols_push(b, &out, name, kt, NULL);
        if (bind_cols_find(&out, agg_name) >= 0)
            return FAILF(b, agg, AIQ_ERR_BIND, "column '%s' is already defined", agg_name);
        bind_cols_push(b, &out, agg_name, at, NULL);
        AiqNestedLevel *L = &p->levels[i];
        L->n = -1;
        L->asc = lv->op == AIQ_SORT_ASC;
        L->combine = combine_of(agg);
        if (lv->rhs && !bind_const_count(b, lv->rhs, scope, &L->n, "top-nested"))
            return NULL;
        if (lv->extra && !others_value(b, lv, kt, scope, L))
            return NULL;
    }
    p->schema = bind_schema_of(&out);
    return p;
}
