/*
 * scan_op.c -- binds the scan operator (Kusto's scan: steps matched over
 * the rows in order, each with a state of the records that matched the
 * steps before it). What it builds is described by AiqScanSteps in
 * plan/plan.h; exec/op_scan.c runs it.
 *
 * A step's condition and assignments bind against the record's columns
 * (the input's, then the declared ones) followed by each step's record in
 * the state: `s1.x` is rewritten to the hidden column "\001<j>.x" of step
 * j = s1 before binding, so the expression binder needs no notion of steps.
 */
#include "bind/bind_internal.h"

#include <string.h>

typedef struct ScanNames {
    const AiqNode *op;
    const ColList *record;
} ScanNames;

static int step_index(const ScanNames *sn, const char *name)
{
    for (int j = 0; j < sn->op->nitems; j++)
        if (strcmp(sn->op->items[j]->str, name) == 0)
            return j;
    return -1;
}

static bool is_subquery(const AiqNode *n) { return n->kind >= AIQ_N_TABLE; }

/* A copy of n with each `step.column` as the name of its hidden column;
 * NULL after an error (a step with no such column). */
static AiqNode *qualify(Binder *b, const ScanNames *sn, const AiqNode *n)
{
    if (!n || is_subquery(n))
        return (AiqNode *)n;
    AiqNode *c = aiq_arena_alloc(b->arena, sizeof *c);
    *c = *n;
    int j;
    if (n->kind == AIQ_N_MEMBER && n->lhs->kind == AIQ_N_NAME && (j = step_index(sn, n->lhs->str)) >= 0) {
        if (bind_cols_find(sn->record, n->str) < 0)
            return FAILF(b, n, AIQ_ERR_BIND, "step '%s' has no column '%s' (its record has the input's columns and the declared ones)",
                         n->lhs->str, n->str);
        *c = (AiqNode){.kind = AIQ_N_NAME, .off = n->off, .len = n->len,
                       .str = aiq_arena_printf(b->arena, "\001%d.%s", j, n->str)};
        return c;
    }
    if (n->lhs && !(c->lhs = qualify(b, sn, n->lhs)))
        return NULL;
    if (n->rhs && !(c->rhs = qualify(b, sn, n->rhs)))
        return NULL;
    if (n->extra && !(c->extra = qualify(b, sn, n->extra)))
        return NULL;
    if (n->nitems) {
        c->items = aiq_arena_alloc(b->arena, sizeof *c->items * (size_t)n->nitems);
        for (int i = 0; i < n->nitems; i++)
            if (!(c->items[i] = qualify(b, sn, n->items[i])))
                return NULL;
    }
    return c;
}

/* declare (c:t [= default], ...): the declared columns and their defaults
 * (constants; null when not given). */
static bool bind_declared(Binder *b, const AiqNode *n, ColList *record, AiqScanSteps *spec, Binding *scope)
{
    spec->defaults = aiq_arena_calloc(b->arena, sizeof *spec->defaults * (size_t)(n->nparams + 1));
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *d = n->params[i];
        if (bind_cols_find(record, d->str) >= 0)
            return FAILF(b, d, AIQ_ERR_BIND, "scan declares '%s', which the input already has", d->str) != NULL;
        AiqValue v = {.type = d->type, .isnull = true};
        if (d->rhs) {
            AiqExpr *e = bind_expr(b, d->rhs, &(ExprCtx){.scope = scope});
            if (!e)
                return false;
            bool fits = e->type == d->type || (is_num(e->type) && is_num(d->type)) || e->value.isnull;
            if (!is_const(e) || !fits)
                return FAILF(b, d->rhs, AIQ_ERR_TYPE, "the default of '%s' must be a constant %s", d->str,
                             aiq_type_name(d->type)) != NULL;
            v = e->value;
            if (d->type == AIQ_TYPE_REAL && e->type != AIQ_TYPE_REAL && !v.isnull)
                v.f64 = (double)v.i64;
            else if (d->type != AIQ_TYPE_REAL && e->type == AIQ_TYPE_REAL && !v.isnull)
                v.i64 = (int64_t)v.f64;
            v.type = d->type;
        }
        spec->defaults[i] = v;
        bind_cols_push(b, record, d->str, d->type, NULL);
    }
    return true;
}

/* One step: its condition (bool) and assignments (to declared columns). */
static bool bind_scan_step(Binder *b, const ScanNames *sn, const AiqNode *st, const AiqSchema *env, AiqScanStep *out,
                           int ninput, Binding *scope)
{
    if (st->op == AIQ_SCAN_OUTPUT_LAST)
        return bind_fail(b, st, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: scan's output=last") != NULL;
    out->emits = st->op == AIQ_SCAN_OUTPUT_ALL;
    const AiqNode *cond = qualify(b, sn, st->rhs);
    if (!cond || !(out->cond = bind_expr(b, cond, &(ExprCtx){.schema = env, .scope = scope})))
        return false;
    out->cond = bind_coerce_dynamic(b, out->cond, AIQ_TYPE_BOOL);
    if (out->cond->type != AIQ_TYPE_BOOL)
        return FAILF(b, st->rhs, AIQ_ERR_TYPE, "the condition of step '%s' must be bool, found %s", st->str,
                     aiq_type_name(out->cond->type)) != NULL;
    out->nsets = st->nitems;
    out->sets = aiq_arena_calloc(b->arena, sizeof *out->sets * (size_t)(st->nitems + 1));
    out->set_cols = aiq_arena_calloc(b->arena, sizeof *out->set_cols * (size_t)(st->nitems + 1));
    for (int i = 0; i < st->nitems; i++) {
        const AiqNode *a = st->items[i];
        int c = bind_cols_find(sn->record, a->str);
        if (c < ninput)
            return FAILF(b, a, AIQ_ERR_BIND, "step '%s' assigns '%s', which is not a declared column (declare (%s:type))",
                         st->str, a->str, a->str) != NULL;
        const AiqNode *v = qualify(b, sn, a->lhs);
        AiqExpr *e = v ? bind_expr(b, v, &(ExprCtx){.schema = env, .scope = scope}) : NULL;
        if (!e)
            return false;
        AiqType want = sn->record->cols[c].type;
        e = bind_coerce_dynamic(b, e, want);
        bool fits = e->type == want || (want == AIQ_TYPE_REAL && is_num(e->type)) ||
                    (want == AIQ_TYPE_LONG && e->type == AIQ_TYPE_INT) || (is_const(e) && e->value.isnull);
        if (!fits)
            return FAILF(b, a->lhs, AIQ_ERR_TYPE, "'%s' is declared %s; step '%s' assigns it a %s", a->str,
                         aiq_type_name(want), st->str, aiq_type_name(e->type)) != NULL;
        out->sets[i] = e;
        out->set_cols[i] = c;
    }
    return true;
}

AiqPlan *bind_scan_op(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqScanSteps *spec = aiq_arena_calloc(b->arena, sizeof *spec);
    ColList record = {0};
    bind_passthrough(b, &record, &in->schema);
    spec->ninput = in->schema.ncols;
    if (!bind_declared(b, n, &record, spec, scope))
        return NULL;
    spec->width = record.n;
    if (n->nitems == 0)
        return FAILF(b, n, AIQ_ERR_BIND, "scan needs at least one step: with (step s: condition;)");
    for (int j = 0; j < n->nitems; j++)
        for (int k = 0; k < j; k++)
            if (strcmp(n->items[j]->str, n->items[k]->str) == 0)
                return FAILF(b, n->items[j], AIQ_ERR_BIND, "scan has two steps named '%s'", n->items[j]->str);
    /* what the expressions see: the record, then each step's record */
    ColList env = {0};
    for (int c = 0; c < record.n; c++)
        bind_cols_push(b, &env, record.cols[c].name, record.cols[c].type, NULL);
    for (int j = 0; j < n->nitems; j++)
        for (int c = 0; c < record.n; c++)
            bind_cols_push(b, &env, aiq_arena_printf(b->arena, "\001%d.%s", j, record.cols[c].name), record.cols[c].type, NULL);
    AiqSchema env_schema = bind_schema_of(&env);
    ScanNames sn = {.op = n, .record = &record};
    spec->nsteps = n->nitems;
    spec->steps = aiq_arena_calloc(b->arena, sizeof *spec->steps * (size_t)n->nitems);
    for (int j = 0; j < n->nitems; j++)
        if (!bind_scan_step(b, &sn, n->items[j], &env_schema, &spec->steps[j], spec->ninput, scope))
            return NULL;
    ColList out = {0};
    for (int c = 0; c < record.n; c++)
        bind_cols_push(b, &out, record.cols[c].name, record.cols[c].type, NULL);
    if (n->str) {
        if (bind_cols_find(&out, n->str) >= 0)
            return FAILF(b, n, AIQ_ERR_BIND, "with_match_id names '%s', which is already a column", n->str);
        bind_cols_push(b, &out, n->str, AIQ_TYPE_LONG, NULL);
        spec->match_id = true;
    }
    AiqPlan *p = bind_new_plan(b, AIQ_P_SCAN_STEPS, in);
    p->steps = spec;
    p->schema = bind_schema_of(&out);
    return p;
}
