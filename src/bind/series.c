/*
 * series.c -- binding make-series. The operator becomes four plans that
 * each do one known thing:
 *
 *   where   the axis is not null and lies in [from, to) (when given), so
 *           that a scan's reader can drop the other rows early
 *   extend  the binned axis, bin_at(axis, step, from) or bin(axis, step),
 *           as an internal column
 *   summarize  the aggregates by the `by` keys and the binned axis, bound
 *           as summarize binds them (names, types, expressions over
 *           aggregates, Kusto's errors)
 *   make-series  one row per combination of keys, each aggregate and the
 *           axis as a dynamic array over the bins (exec/op_make_series.c)
 *
 * The range and the defaults are constant expressions (they may use lets
 * and functions such as ago() or startofday()); the last step evaluates
 * them once, when it runs.
 */
#include "bind/bind_internal.h"

#include <string.h>

/* The internal name of the binned axis between the steps; no query can
 * spell it. */
#define AXIS_COLUMN "\001axis"

/* Whether e reads a column of its input. */
static bool reads_column(const AiqExpr *e)
{
    if (e->kind == AIQ_E_COLUMN)
        return true;
    for (int i = 0; e->kind == AIQ_E_CALL && i < e->nargs; i++)
        if (reads_column(e->args[i]))
            return true;
    return false;
}

/* A synthetic node with the span of src. */
static AiqNode *node_like(Binder *b, AiqNodeKind kind, const AiqNode *src)
{
    AiqNode *n = aiq_arena_calloc(b->arena, sizeof *n);
    n->kind = kind;
    n->off = src->off;
    n->len = src->len;
    return n;
}

static AiqNode *binary(Binder *b, int op, AiqNode *l, AiqNode *r)
{
    AiqNode *n = node_like(b, AIQ_N_BINARY, l);
    n->op = op;
    n->lhs = l;
    n->rhs = r;
    return n;
}

static AiqNode *call(Binder *b, const char *fn, const AiqNode *src, AiqNode **args, int nargs)
{
    AiqNode *n = node_like(b, AIQ_N_CALL, src);
    n->str = fn;
    n->items = aiq_arena_alloc(b->arena, sizeof *n->items * (size_t)nargs);
    memcpy(n->items, args, sizeof *n->items * (size_t)nargs);
    n->nitems = nargs;
    return n;
}

/* Binds one part of the range (from, to, step, a default): an expression
 * of no column, whose type must satisfy want (NULL: any scalar). */
static AiqExpr *bind_constant_part(Binder *b, const AiqNode *n, const AiqSchema *in, Binding *scope,
                                   const char *what, bool (*want)(AiqType), const char *expected)
{
    AiqExpr *e = bind_expr(b, n, &(ExprCtx){.schema = in, .scope = scope});
    if (!e)
        return NULL;
    if (reads_column(e))
        return FAILF(b, n, AIQ_ERR_BIND, "the %s of make-series must be a constant (a literal, a let value or now()), not a column", what);
    if (want && !want(e->type))
        return FAILF(b, n, AIQ_ERR_TYPE, "the %s of make-series must be %s, found %s", what, expected, aiq_type_name(e->type));
    if (e->type == AIQ_TYPE_DYNAMIC)
        return FAILF(b, n, AIQ_ERR_TYPE, "the %s of make-series must be a scalar, found dynamic", what);
    return e;
}

static bool is_datetime(AiqType t) { return t == AIQ_TYPE_DATETIME; }
static bool is_timespan(AiqType t) { return t == AIQ_TYPE_TIMESPAN; }
static bool is_number(AiqType t) { return is_num(t); }

/* Aggregates that give a list or several columns cannot fill one bin; two
 * items cannot take one name. */
static bool check_items(Binder *b, const AiqNode *n)
{
    for (int i = 0; i < n->nitems; i++) {
        for (int k = 0; n->items[i]->kind == AIQ_N_ASSIGN && k < i; k++)
            if (n->items[k]->kind == AIQ_N_ASSIGN && strcmp(n->items[k]->str, n->items[i]->str) == 0)
                return FAILF(b, n->items[i], AIQ_ERR_BIND, "make-series: column '%s' is already declared", n->items[i]->str) != NULL;
        const AiqNode *ex = n->items[i]->kind == AIQ_N_ASSIGN ? n->items[i]->lhs : n->items[i];
        const AiqFuncDef *f = ex->kind == AIQ_N_CALL ? aiq_func_lookup(ex->str) : NULL;
        if (!f || f->agg < 0)
            continue;
        switch ((AiqAggKind)f->agg) {
        case AIQ_AGG_MAKE_LIST: case AIQ_AGG_MAKE_SET: case AIQ_AGG_ARG_MAX: case AIQ_AGG_ARG_MIN:
            return FAILF(b, ex, AIQ_ERR_BIND, "make-series cannot take %s(): each bin holds one value (use count(), sum(), avg(), min(), max(), percentile(), ...)", f->name) != NULL;
        case AIQ_AGG_TAKE_ANY:
            if (ex->nitems != 1 || ex->items[0]->kind == AIQ_N_STAR)
                return FAILF(b, ex, AIQ_ERR_BIND, "make-series takes %s() of one value", f->name) != NULL;
            break;
        default: break;
        }
    }
    return true;
}

/* The aggregate items as summarize binds them: a constant item (Kusto's
 * `other = -1 default = -2`) is the constant in every bin that has rows,
 * that is take_any() of it. */
static AiqNode **summarize_items(Binder *b, const AiqNode *n)
{
    AiqNode **items = aiq_arena_alloc(b->arena, sizeof *items * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        AiqNode *it = n->items[i];
        AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        bool constant = ex->kind == AIQ_N_LITERAL || (ex->kind == AIQ_N_UNARY && ex->lhs->kind == AIQ_N_LITERAL);
        if (constant) {
            AiqNode *c = call(b, "take_any", ex, &ex, 1);
            if (it->kind == AIQ_N_ASSIGN) {
                AiqNode *a = node_like(b, AIQ_N_ASSIGN, it);
                *a = *it;
                a->lhs = c;
                c = a;
            }
            it = c;
        }
        items[i] = it;
    }
    return items;
}

/* The where before the summarize: the axis is not null and in [from, to). */
static AiqPlan *range_filter(Binder *b, const AiqNode *axis, const AiqNode *spec, AiqPlan *in, Binding *scope)
{
    AiqNode *axis_arg = (AiqNode *)axis;
    AiqNode *pred = call(b, "isnotnull", axis, &axis_arg, 1);
    if (!spec->op && spec->lhs)
        pred = binary(b, AIQ_FN_AND, pred, binary(b, AIQ_FN_GE, axis_arg, spec->lhs));
    if (!spec->op && spec->rhs)
        pred = binary(b, AIQ_FN_AND, pred, binary(b, AIQ_FN_LT, axis_arg, spec->rhs));
    AiqExpr *e = bind_expr(b, pred, &(ExprCtx){.schema = &in->schema, .scope = scope});
    return e ? bind_filter_chain(b, in, e) : NULL;
}

/* The extend that adds the binned axis as AXIS_COLUMN: bin_at(axis, step,
 * from) in the main form with a start, else bin(axis, step). */
static AiqPlan *binned_axis(Binder *b, const AiqNode *axis, const AiqNode *spec, AiqPlan *in, Binding *scope)
{
    AiqNode *args[3] = {(AiqNode *)axis, spec->extra, spec->lhs};
    bool at = !spec->op && spec->lhs;
    AiqNode *bin = call(b, at ? "bin_at" : "bin", axis, args, at ? 3 : 2);
    AiqExpr *e = bind_expr(b, bin, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!e)
        return NULL;
    ColList cols = {0};
    bind_passthrough(b, &cols, &in->schema);
    bind_cols_push(b, &cols, AXIS_COLUMN, e->type, e);
    return bind_project_plan(b, in, &cols);
}

/* Checks the range's parts against the axis type and fills spec. */
static bool series_range(Binder *b, const AiqNode *spec, AiqType axis, const AiqSchema *in, Binding *scope,
                       AiqSeriesSpec *out)
{
    bool time = axis == AIQ_TYPE_DATETIME || axis == AIQ_TYPE_TIMESPAN;
    bool (*bound_ok)(AiqType) = axis == AIQ_TYPE_DATETIME ? is_datetime : axis == AIQ_TYPE_TIMESPAN ? is_timespan : is_number;
    const char *bound_text = axis == AIQ_TYPE_DATETIME ? "a datetime" : axis == AIQ_TYPE_TIMESPAN ? "a timespan" : "a number";
    const char *from = spec->op ? "start of the range" : "'from'";
    const char *to = spec->op ? "stop of the range" : "'to'";
    if (spec->lhs && !(out->from = bind_constant_part(b, spec->lhs, in, scope, from, bound_ok, bound_text)))
        return false;
    if (spec->rhs && !(out->to = bind_constant_part(b, spec->rhs, in, scope, to, bound_ok, bound_text)))
        return false;
    out->step = bind_constant_part(b, spec->extra, in, scope, "step", time ? is_timespan : is_number,
                                   time ? "a timespan (such as 1h)" : "a number");
    return out->step != NULL;
}

AiqPlan *bind_make_series(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    static const char *const kinds[] = {"nonempty", NULL};
    AiqSeriesSpec *spec = aiq_arena_calloc(b->arena, sizeof *spec);
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (strcmp(prm->str, "kind") == 0) {
            if (bind_param_choice(b, prm, kinds, "make-series kind", "nonempty") < 0)
                return NULL;
            spec->nonempty = true;
        } else if (!bind_hint_ok(b, prm)) {
            return NULL;
        }
    }
    if (!check_items(b, n))
        return NULL;
    const AiqNode *sn = n->rhs;
    const AiqNode *axis_item = sn->items2[0];
    const AiqNode *axis = axis_item->kind == AIQ_N_ASSIGN ? axis_item->lhs : axis_item;
    AiqExpr *ax = bind_expr(b, axis, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!ax)
        return NULL;
    if (ax->type != AIQ_TYPE_DATETIME && ax->type != AIQ_TYPE_TIMESPAN && !is_num(ax->type))
        return FAILF(b, axis, AIQ_ERR_TYPE, "the axis of make-series must be a datetime, timespan or number, found %s%s",
                     aiq_type_name(ax->type), ax->type == AIQ_TYPE_DYNAMIC ? "; convert it with todatetime() or todouble()" : "");
    spec->axis_type = ax->type;
    spec->old_range = sn->op == 1;
    if (!series_range(b, sn, ax->type, &in->schema, scope, spec))
        return NULL;
    spec->defaults = aiq_arena_calloc(b->arena, sizeof *spec->defaults * (size_t)(n->nitems + 1));
    for (int i = 0; i < n->nitems && i < sn->nitems; i++)
        if (sn->items[i] && !(spec->defaults[i] = bind_constant_part(b, sn->items[i], &in->schema, scope, "default", NULL, NULL)))
            return NULL;

    AiqPlan *p = range_filter(b, axis, sn, in, scope);
    if (!p || !(p = binned_axis(b, axis, sn, p, scope)))
        return NULL;
    /* the summarize: by the keys and the binned axis */
    AiqNode *sum = node_like(b, AIQ_N_SUMMARIZE, n);
    sum->items = summarize_items(b, n);
    sum->nitems = n->nitems;
    sum->items2 = aiq_arena_alloc(b->arena, sizeof *sum->items2 * (size_t)(n->nitems2 + 1));
    if (n->nitems2) /* without by keys items2 is NULL, which memcpy may not take */
        memcpy(sum->items2, n->items2, sizeof *sum->items2 * (size_t)n->nitems2);
    AiqNode *axis_ref = node_like(b, AIQ_N_NAME, axis);
    axis_ref->str = AXIS_COLUMN;
    AiqNode *key = node_like(b, AIQ_N_ASSIGN, axis); /* named: a \001 name alone is unnamed (scope.c) */
    key->str = AXIS_COLUMN;
    key->lhs = axis_ref;
    sum->items2[n->nitems2] = key;
    sum->nitems2 = n->nitems2 + 1;
    if (!(p = bind_summarize(b, sum, p, scope)))
        return NULL;

    /* the arrays: keys, one per aggregate column, the axis last */
    spec->nkeys = n->nitems2;
    spec->nvalues = p->schema.ncols - spec->nkeys - 1;
    ColList out = {0};
    for (int c = 0; c < spec->nkeys; c++)
        bind_cols_push(b, &out, p->schema.cols[c].name, p->schema.cols[c].type, NULL);
    for (int c = spec->nkeys + 1; c < p->schema.ncols; c++) {
        const char *name = p->schema.cols[c].name;
        if (bind_cols_find(&out, name) >= 0)
            return FAILF(b, n, AIQ_ERR_BIND, "make-series: column '%s' is already declared (a 'by' key has its name)", name);
        bind_cols_push(b, &out, name, AIQ_TYPE_DYNAMIC, NULL);
    }
    const char *axis_name = axis_item->kind == AIQ_N_ASSIGN ? axis_item->str : bind_expr_name(b, axis);
    if (!axis_name)
        axis_name = bind_column_n(b, &out);
    if (bind_cols_find(&out, axis_name) >= 0)
        return FAILF(b, axis_item, AIQ_ERR_BIND, "make-series: column '%s' is already declared; name the axis or the aggregate, as in 'on %s2 = %s'",
                     axis_name, axis_name, axis_name);
    bind_cols_push(b, &out, axis_name, AIQ_TYPE_DYNAMIC, NULL);
    AiqPlan *ms = bind_new_plan(b, AIQ_P_MAKE_SERIES, p);
    ms->schema = bind_schema_of(&out);
    ms->series = spec;
    return ms;
}
