/*
 * op_subquery.c -- the subqueries of a query, run before it (plan kind
 * SUBQUERIES): toscalar(T | ...) becomes the constant its first row's first
 * column holds, and `x in (T | ...)` gets the set of its first column's
 * values. Each runs once, whatever the number of rows the query it serves
 * evaluates it on; subqueries run in the order the binder met them, so one
 * inside another has its value by the time the outer one runs.
 *
 * The plan's expressions are filled in place: the values live in tables and
 * sets this run owns (freed with its context), and a plan run again fills
 * them again.
 */
#include "exec/op.h"

#include "func/in_set.h"
#include "util/mem.h"

/* Column c of table t as a vector of all its rows. */
static AiqVector table_column(const AiqTable *t, int c)
{
    const AiqColumnData *cd = &t->cols[c];
    AiqVector v = {.type = cd->type, .validity = cd->validity, .data.raw = cd->data};
    return v;
}

/* toscalar(): the value of the first column of the first row (null of the
 * column's type when there is no row), as the constant target becomes. */
static void fill_scalar(AiqExecCtx *ex, AiqExpr *target, AiqTable *t)
{
    AiqValue *v = &target->value;
    *v = (AiqValue){.type = target->type};
    AiqVector col = table_column(t, 0);
    v->isnull = t->nrows == 0 || aiq_vec_is_null(&col, 0);
    if (!v->isnull) {
        switch (col.type) {
        case AIQ_TYPE_REAL: v->f64 = col.data.f64[0]; break;
        case AIQ_TYPE_STRING: v->str = col.data.str[0]; break;
        case AIQ_TYPE_DYNAMIC: v->dyn = col.data.dyn[0]; break;
        default: v->i64 = col.data.i64[0]; break;
        }
    }
    target->kind = AIQ_E_CONST;
    /* the value points into the table: it lives as long as this run */
    ex->subquery_tables = aiq_xrealloc(ex->subquery_tables, sizeof *ex->subquery_tables * (size_t)(ex->nsubquery_tables + 1));
    ex->subquery_tables[ex->nsubquery_tables++] = t;
}

/* x in (T | ...): the first column's values join the set of target (an
 * `in` call, whose aux the binder pointed at where its set goes), made at
 * its first subquery. */
static void fill_set(AiqExecCtx *ex, AiqExpr *target, AiqTable *t)
{
    AiqInSet **set = target->aux;
    if (!*set) {
        bool ci = target->fn->id == AIQ_FN_IN_CI || target->fn->id == AIQ_FN_NOT_IN_CI;
        *set = aiq_in_set_new(ci);
        ex->in_sets = aiq_xrealloc(ex->in_sets, sizeof *ex->in_sets * (size_t)(ex->nin_sets + 1));
        ex->in_sets[ex->nin_sets++] = *set;
    }
    AiqVector col = table_column(t, 0);
    for (int64_t r = 0; r < t->nrows; r++)
        aiq_in_set_add(*set, &col, (uint32_t)r);
    aiq_table_free(t);
}

/* Runs one subquery to its whole result and puts its value on target. */
static bool run_subquery(AiqExecCtx *ex, const AiqPlan *sub, AiqExpr *target)
{
    AiqOp *op = aiq_op_build(ex, sub);
    AiqTable *t = op ? aiq_op_drain(op, &sub->schema) : NULL;
    aiq_op_free(op);
    if (!t)
        return false;
    if (target->fn->id == AIQ_FN_TOSCALAR)
        fill_scalar(ex, target, t);
    else
        fill_set(ex, target, t);
    return true;
}

AiqOp *aiq_op_subqueries(AiqExecCtx *ex, const AiqPlan *p)
{
    for (int i = 0; i < p->nexprs; i++)
        if (p->exprs[i]->fn->id != AIQ_FN_TOSCALAR)
            *(AiqInSet **)p->exprs[i]->aux = NULL; /* a set of an earlier run, freed with it */
    for (int i = 0; i < p->ninputs; i++)
        if (!run_subquery(ex, p->inputs[i], p->exprs[i]))
            return NULL;
    /* the query itself: built now that every value is in place */
    return aiq_op_build(ex, p->input);
}

void aiq_subqueries_release(AiqExecCtx *ex)
{
    for (int i = 0; i < ex->nsubquery_tables; i++)
        aiq_table_free(ex->subquery_tables[i]);
    for (int i = 0; i < ex->nin_sets; i++)
        aiq_in_set_free(ex->in_sets[i]);
    aiq_xfree(ex->subquery_tables);
    aiq_xfree(ex->in_sets);
    ex->subquery_tables = NULL;
    ex->in_sets = NULL;
    ex->nsubquery_tables = ex->nin_sets = 0;
}
