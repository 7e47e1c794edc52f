/*
 * tabular.c -- the tabular operators with their own plan node: where (one
 * filter per conjunct), sort and top keys, take counts, operator hints,
 * join, union and mv-expand.
 */
#include "bind/bind_internal.h"

#include <string.h>

#include "util/suggest.h"

/* where a and b and c -> three filters in a row: each narrows the selection
 * vector, so later conjuncts are evaluated only on rows that passed the
 * earlier ones (the result is the same: a row is kept when all are true). */
static AiqPlan *one_filter(Binder *b, AiqPlan *in, AiqExpr *pred)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_FILTER, in);
    p->exprs = aiq_arena_alloc(b->arena, sizeof *p->exprs);
    p->exprs[0] = pred;
    p->nexprs = 1;
    return p;
}

/* The and chain is left-deep, ((a and b) and c): its bottom holds the
 * first conjunct. Past the last MAX_FILTER_SPLIT conjuncts the rest stay
 * in one filter, whose `and` narrows the rows term by term all the same: a
 * where of 100k conjuncts is a few dozen operators, not 100k. */
enum { MAX_FILTER_SPLIT = 64 };
AiqPlan *bind_filter_chain(Binder *b, AiqPlan *in, AiqExpr *pred)
{
    int len = 0, nand = 0;
    const AiqExpr **spine = aiq_expr_spine(pred, b->arena, &len);
    while (nand < len && spine[nand]->kind == AIQ_E_CALL && spine[nand]->fn->id == AIQ_FN_AND)
        nand++;
    int split = nand < MAX_FILTER_SPLIT ? nand : MAX_FILTER_SPLIT;
    AiqPlan *p = one_filter(b, in, (AiqExpr *)spine[split]);
    for (int j = split - 1; j >= 0; j--)
        p = bind_filter_chain(b, p, spine[j]->args[1]);
    return p;
}

static int sort_flags(int op)
{
    bool asc = (op & AIQ_SORT_ASC) != 0;
    int f = asc ? AIQ_SORT_ASC : AIQ_SORT_DESC;
    if (op & AIQ_SORT_NULLS_FIRST)
        f |= AIQ_SORT_NULLS_FIRST;
    else if (op & AIQ_SORT_NULLS_LAST)
        f |= AIQ_SORT_NULLS_LAST;
    else
        f |= asc ? AIQ_SORT_NULLS_FIRST : AIQ_SORT_NULLS_LAST;
    return f;
}

bool bind_sort_keys(Binder *b, const AiqNode *n, AiqPlan *p, Binding *scope)
{
    p->nexprs = n->nitems;
    p->exprs = aiq_arena_alloc(b->arena, sizeof *p->exprs * (size_t)n->nitems);
    p->sort_flags = aiq_arena_alloc(b->arena, sizeof *p->sort_flags * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        AiqExpr *e = bind_expr(b, n->items[i]->lhs, &(ExprCtx){.schema = &p->input->schema, .scope = scope});
        if (!e)
            return false;
        p->exprs[i] = e;
        p->sort_flags[i] = sort_flags(n->items[i]->op);
    }
    return true;
}

bool bind_const_count(Binder *b, const AiqNode *n, Binding *scope, int64_t *out, const char *what)
{
    if (n->kind == AIQ_N_NAME && !bind_find_binding(scope, n->str)) {
        FAILF(b, n, AIQ_ERR_TYPE, "the row count of '%s' must be a constant, not the column or name '%s'", what, n->str);
        return false;
    }
    AiqExpr *e = bind_expr(b, n, &(ExprCtx){.scope = scope});
    if (!e)
        return false;
    if (!is_const(e) || (e->type != AIQ_TYPE_LONG && e->type != AIQ_TYPE_INT) || e->value.isnull || e->value.i64 < 0) {
        FAILF(b, n, AIQ_ERR_TYPE, "the row count of '%s' must be a constant non-negative integer", what);
        return false;
    }
    *out = e->value.i64;
    return true;
}

/* Hints that only tune how Kusto spreads a query over a cluster (shuffle,
 * broadcast, partitions, concurrency, caching): aiq runs on one machine and
 * has nothing to tune, so they are accepted and change nothing; the README
 * lists them. The names are those Kusto's parser knows; any other hint.*
 * is an error there too. */
static const char *const distribution_hints[] = {
    "hint.strategy", "hint.shufflekey", "hint.num_partitions", "hint.concurrency",
    "hint.spread", "hint.remote", "hint.materialized", "hint.progressive_top",
    "hint.distribution", "hint.pass_filters", "hint.pass_filters_column", NULL,
};

/* Accepts an operator parameter that is a distribution hint; any other
 * parameter the operator's binder did not take is an error. */
bool bind_hint_ok(Binder *b, const AiqNode *prm)
{
    for (int i = 0; distribution_hints[i]; i++)
        if (strcmp(prm->str, distribution_hints[i]) == 0)
            return true;
    if (strncmp(prm->str, "hint.", 5) == 0)
        return FAILF(b, prm, AIQ_ERR_BIND, "unknown hint '%s' (Kusto's hints: hint.strategy, hint.shufflekey, hint.num_partitions, hint.concurrency, hint.spread, hint.remote, hint.materialized, hint.progressive_top)", prm->str) != NULL;
    return FAILF(b, prm, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: %s=", prm->str) != NULL;
}

/* Checks the parameters of an operator whose only parameters are hints. */
bool bind_check_hints(Binder *b, const AiqNode *n)
{
    for (int i = 0; i < n->nparams; i++)
        if (!bind_hint_ok(b, n->params[i]))
            return false;
    return true;
}

/* A named parameter whose value must be one of `values` (what: "mv-expand
 * kind", expected: "bag or array"); returns its index, -1 after an error. */
int bind_param_choice(Binder *b, const AiqNode *prm, const char *const *values, const char *what,
                        const char *expected)
{
    for (int i = 0; prm->lhs->kind == AIQ_N_NAME && values[i]; i++)
        if (strcmp(prm->lhs->str, values[i]) == 0)
            return i;
    if (prm->lhs->kind == AIQ_N_NAME)
        FAILF(b, prm->lhs, AIQ_ERR_BIND, "unknown %s '%s' (expected %s)", what, prm->lhs->str, expected);
    else
        FAILF(b, prm->lhs, AIQ_ERR_BIND, "%s= takes %s", prm->str, expected);
    return -1;
}

/* join's parameters besides kind= (which the parser reads): hints only. */
static bool join_params(Binder *b, const AiqNode *n)
{
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (strcmp(prm->str, "kind") == 0)
            continue;
        if (strcmp(prm->str, "withsource") == 0)
            return bind_fail(b, prm, AIQ_ERR_BIND, "join has no withsource= parameter (union has one)") != NULL;
        if (!bind_hint_ok(b, prm))
            return false;
    }
    return true;
}

/* The conditions of join ... on: its comma-separated items, each `and`
 * of them split into its operands ($left.A == $right.B and $left.C ==
 * $right.D is two keys, as a comma makes them). *nconds is their number. */
static const AiqNode **join_conditions(Binder *b, const AiqNode *n, int *nconds)
{
    int cap = 0;
    for (int i = 0; i < n->nitems; i++)
        for (const AiqNode *c = n->items[i]; ; c = c->lhs) {
            cap++;
            if (c->kind != AIQ_N_BINARY || c->op != AIQ_FN_AND)
                break;
        }
    const AiqNode **conds = aiq_arena_alloc(b->arena, sizeof *conds * (size_t)(cap + 1));
    int k = 0;
    for (int i = 0; i < n->nitems; i++) {
        /* a and b and c is ((a and b) and c): the right operands bottom up */
        int start = k;
        const AiqNode *c = n->items[i];
        for (; c->kind == AIQ_N_BINARY && c->op == AIQ_FN_AND; c = c->lhs)
            conds[k++] = c->rhs;
        conds[k++] = c;
        for (int lo = start, hi = k - 1; lo < hi; lo++, hi--) { /* in the order written */
            const AiqNode *t = conds[lo];
            conds[lo] = conds[hi];
            conds[hi] = t;
        }
    }
    *nconds = k;
    return conds;
}

AiqPlan *bind_join(Binder *b, const AiqNode *n, AiqPlan *left, Binding *scope)
{
    if (!join_params(b, n))
        return NULL;
    AiqPlan *right = bind_tabular(b, n->rhs, scope);
    if (!right)
        return NULL;
    AiqPlan *p = bind_new_plan(b, AIQ_P_JOIN, left);
    p->right = right;
    p->depth = (left->depth > right->depth ? left->depth : right->depth) + 1;
    p->join_kind = n->op;
    int nconds;
    const AiqNode **conds = join_conditions(b, n, &nconds);
    p->nkeys = nconds;
    p->left_keys = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)nconds);
    p->right_keys = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)nconds);
    for (int i = 0; i < nconds; i++) {
        const AiqNode *c = conds[i];
        if (c->kind == AIQ_N_NAME) {
            int l = bind_schema_find(b, &left->schema, c->str), r = bind_schema_find(b, &right->schema, c->str);
            if (l < 0 || r < 0)
                return FAILF(b, c, AIQ_ERR_BIND, "join key '%s' must exist on both sides of the join (missing on the %s side)", c->str, l < 0 ? "left" : "right");
            p->left_keys[i] = l;
            p->right_keys[i] = r;
        } else if (c->kind == AIQ_N_BINARY && c->op == AIQ_FN_EQ) {
            ExprCtx cx = {.scope = scope, .left = &left->schema, .right = &right->schema};
            AiqExpr *a = bind_expr(b, c->lhs, &cx), *bb = a ? bind_expr(b, c->rhs, &cx) : NULL;
            if (!bb)
                return NULL;
            if (a->kind != AIQ_E_COLUMN || bb->kind != AIQ_E_COLUMN || a->variant == bb->variant || !a->variant || !bb->variant)
                return bind_fail(b, c, AIQ_ERR_BIND, "a join condition must compare a $left column with a $right column: $left.A == $right.B");
            if (a->variant == 2) {
                AiqExpr *t = a;
                a = bb;
                bb = t;
            }
            p->left_keys[i] = a->col;
            p->right_keys[i] = bb->col;
        } else {
            return bind_fail(b, c, AIQ_ERR_BIND, "join keys are column names or $left.A == $right.B conditions");
        }
        AiqType lt = left->schema.cols[p->left_keys[i]].type, rt = right->schema.cols[p->right_keys[i]].type;
        if (lt != rt && !(lt == AIQ_TYPE_INT && rt == AIQ_TYPE_LONG) && !(lt == AIQ_TYPE_LONG && rt == AIQ_TYPE_INT))
            return FAILF(b, c, AIQ_ERR_TYPE, "join key types differ: %s on the left, %s on the right", aiq_type_name(lt), aiq_type_name(rt));
        if (lt == AIQ_TYPE_DYNAMIC)
            return FAILF(b, c, AIQ_ERR_TYPE, "a dynamic column cannot be a join key; convert it with tostring()");
    }
    ColList cols = {0};
    int k = n->op;
    bool left_only = k == AIQ_JOIN_LEFTANTI || k == AIQ_JOIN_LEFTSEMI;
    bool right_only = k == AIQ_JOIN_RIGHTANTI || k == AIQ_JOIN_RIGHTSEMI;
    if (!right_only)
        for (int c = 0; c < left->schema.ncols; c++)
            bind_cols_push(b, &cols, left->schema.cols[c].name, left->schema.cols[c].type, NULL);
    p->nright_cols = 0;
    p->right_cols = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(right->schema.ncols + 1));
    if (!left_only)
        for (int c = 0; c < right->schema.ncols; c++) {
            bind_cols_push(b, &cols, bind_unique_name(b, &cols, right->schema.cols[c].name), right->schema.cols[c].type, NULL);
            p->right_cols[p->nright_cols++] = c;
        }
    p->schema = bind_schema_of(&cols);
    return p;
}

/* The name withsource= gives a union leg: a table's name, the name of a
 * trailing `| as Name`, else union_argI (Kusto's rule). */
static const char *union_leg_name(Binder *b, const AiqNode *leg, int i)
{
    if (leg && (leg->kind == AIQ_N_TABLE || leg->kind == AIQ_N_AS))
        return leg->str;
    return aiq_arena_printf(b->arena, "union_arg%d", i);
}

/* union's parameters: kind= outer (the default) or inner, withsource= (or
 * with_source=) Name, isfuzzy= true or false. */
typedef struct UnionParams {
    const char *withsource;
    bool inner, fuzzy;
} UnionParams;

static bool union_params(Binder *b, const AiqNode *n, UnionParams *up)
{
    static const char *const kinds[] = {"outer", "inner", NULL};
    static const char *const bools[] = {"false", "true", NULL};
    *up = (UnionParams){0};
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        int k = 0;
        if (strcmp(prm->str, "withsource") == 0 || strcmp(prm->str, "with_source") == 0) {
            if (prm->lhs->kind != AIQ_N_NAME)
                return bind_fail(b, prm->lhs, AIQ_ERR_BIND, "withsource= takes a column name") != NULL;
            up->withsource = prm->lhs->str;
        } else if (strcmp(prm->str, "kind") == 0) {
            if ((k = bind_param_choice(b, prm, kinds, "union kind", "inner or outer")) < 0)
                return false;
            up->inner = k == 1;
        } else if (strcmp(prm->str, "isfuzzy") == 0) {
            if ((k = bind_param_choice(b, prm, bools, "isfuzzy value", "true or false")) < 0)
                return false;
            up->fuzzy = k == 1;
        } else if (!bind_hint_ok(b, prm)) {
            return false;
        }
    }
    return true;
}

/* Binds one union leg. With isfuzzy=true a leg that does not bind (a table
 * that does not exist, say) is left out, as Kusto does, and *skipped is set. */
static AiqPlan *bind_union_leg(Binder *b, const AiqNode *leg, Binding *scope, bool fuzzy, bool *skipped)
{
    AiqPlan *x = bind_tabular(b, leg, scope);
    *skipped = !x && fuzzy && (b->err->code == AIQ_ERR_BIND || b->err->code == AIQ_ERR_TYPE);
    if (*skipped)
        *b->err = (AiqError){0};
    return x;
}

AiqPlan *bind_union(Binder *b, const AiqNode *n, AiqPlan *first, Binding *scope)
{
    UnionParams up;
    const AiqNode **legs;
    int nlegs;
    if (!union_params(b, n, &up) || !bind_union_expand(b, n, scope, &legs, &nlegs))
        return NULL;
    AiqPlan *p = bind_new_plan(b, AIQ_P_UNION, NULL);
    int total = nlegs + (first ? 1 : 0);
    p->inputs = aiq_arena_alloc(b->arena, sizeof *p->inputs * (size_t)total);
    p->source_names = aiq_arena_alloc(b->arena, sizeof *p->source_names * (size_t)total);
    int ni = 0;
    if (first) {
        p->source_names[ni] = union_leg_name(b, n->lhs, ni);
        p->inputs[ni++] = first;
    }
    for (int i = 0; i < nlegs; i++) {
        bool skipped;
        AiqPlan *x = bind_union_leg(b, legs[i], scope, up.fuzzy, &skipped);
        if (skipped)
            continue;
        if (!x)
            return NULL;
        p->source_names[ni] = union_leg_name(b, legs[i], (first ? 1 : 0) + i);
        p->inputs[ni++] = x;
    }
    if (ni == 0)
        return bind_fail(b, n, AIQ_ERR_BIND, "union isfuzzy=true: none of the union's tables exists");
    p->ninputs = ni;
    for (int i = 0; i < ni; i++)
        if (p->inputs[i]->depth + 1 > p->depth)
            p->depth = p->inputs[i]->depth + 1;
    bind_union_columns(b, p, up.withsource, up.inner);
    return p;
}

/* mv-expand's parameters: kind= (or its older name bagexpansion=) bag or
 * array, and with_itemindex=Name. */
static bool mv_expand_params(Binder *b, const AiqNode *n, AiqPlan *p, const char **index_name)
{
    static const char *const kinds[] = {"bag", "array", NULL};
    *index_name = NULL;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (strcmp(prm->str, "kind") == 0 || strcmp(prm->str, "bagexpansion") == 0) {
            int k = bind_param_choice(b, prm, kinds, "mv-expand kind", "bag or array");
            if (k < 0)
                return false;
            p->bag_pairs = k == 1;
        } else if (strcmp(prm->str, "with_itemindex") == 0) {
            if (prm->lhs->kind != AIQ_N_NAME)
                return bind_fail(b, prm->lhs, AIQ_ERR_BIND, "with_itemindex= takes a column name") != NULL;
            *index_name = prm->lhs->str;
        } else if (!bind_hint_ok(b, prm)) {
            return false;
        }
    }
    return true;
}

AiqPlan *bind_mv_expand(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    ColList cols = {0};
    bind_passthrough(b, &cols, &in->schema);
    AiqPlan *p = bind_new_plan(b, AIQ_P_MV_EXPAND, NULL);
    const char *index_name;
    if (!mv_expand_params(b, n, p, &index_name))
        return NULL;
    p->nexpand = n->nitems;
    p->expand_cols = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)n->nitems);
    p->expand_types = aiq_arena_alloc(b->arena, sizeof(AiqType) * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        AiqSchema cur = bind_schema_of(&cols);
        AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &cur, .scope = scope, .list = &cols});
        if (!e)
            return NULL;
        e = bind_substitute(b, e, &cols);
        if (e->type != AIQ_TYPE_DYNAMIC)
            return FAILF(b, ex, AIQ_ERR_TYPE, "mv-expand needs a dynamic array or property bag, found %s", aiq_type_name(e->type));
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : bind_expr_name(b, ex);
        if (!name)
            name = bind_column_n(b, &cols);
        AiqType t = it->type ? it->type : AIQ_TYPE_DYNAMIC;
        int at = bind_cols_find(&cols, name);
        if (at >= 0) {
            cols.exprs[at] = e;
            cols.cols[at].type = t;
        } else {
            bind_cols_push(b, &cols, name, t, e);
            at = cols.n - 1;
        }
        p->expand_cols[i] = at;
        p->expand_types[i] = t;
    }
    /* a projection computes the expanded values; mv-expand then splits rows */
    AiqPlan *proj = bind_project_plan(b, in, &cols);
    for (int i = 0; i < p->nexpand; i++)
        proj->schema.cols[p->expand_cols[i]].type = AIQ_TYPE_DYNAMIC;
    ColList outcols = {0};
    for (int c = 0; c < cols.n; c++)
        bind_cols_push(b, &outcols, cols.cols[c].name, cols.cols[c].type, NULL);
    for (int i = 0; i < p->nexpand; i++)
        outcols.cols[p->expand_cols[i]].type = p->expand_types[i];
    p->index_col = -1;
    if (index_name) {
        if (bind_cols_find(&outcols, index_name) >= 0)
            return FAILF(b, n, AIQ_ERR_BIND, "with_itemindex=%s: the input has a column '%s' already", index_name, index_name);
        p->index_col = outcols.n;
        bind_cols_push(b, &outcols, index_name, AIQ_TYPE_LONG, NULL);
    }
    p->input = proj;
    p->depth = proj->depth + 1;
    p->schema = bind_schema_of(&outcols);
    if (n->rhs && !bind_const_count(b, n->rhs, scope, &p->limit, "mv-expand limit"))
        return NULL;
    if (!n->rhs)
        p->limit = -1;
    return p;
}
