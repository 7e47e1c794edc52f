/*
 * op.c -- the operator skeleton (see op.h): making and freeing operators,
 * the materializing operators' next(), draining a tree into a table, the
 * limits checked between chunks, and the run's cache of tabular lets.
 */
#include "exec/op.h"

#include "util/interrupt.h"
#include "util/mem.h"

void *aiq_op_new(AiqExecCtx *ex, const AiqOpVtable *vt, size_t size, const AiqPlan *p, AiqOp *input)
{
    AiqOp *op = aiq_xcalloc(1, size);
    op->vt = vt;
    op->ex = ex;
    op->p = p;
    op->input = input;
    if (vt->eval)
        aiq_eval_init(&op->ev, ex->err, ex->now);
    return op;
}

void *aiq_op_new_over(AiqExecCtx *ex, const AiqOpVtable *vt, size_t size, const AiqPlan *p)
{
    AiqOp *input = aiq_op_build(ex, p->input);
    return input ? aiq_op_new(ex, vt, size, p, input) : NULL;
}

AiqVector **aiq_op_out_cols(AiqOp *op, int n)
{
    aiq_xfree(op->cols);
    op->cols = aiq_xcalloc((size_t)n + 1, sizeof *op->cols);
    return op->cols;
}

AiqChunk *aiq_op_next_materialized(AiqOp *op)
{
    if (!op->result) {
        AiqTable *t = op->vt->compute(op);
        if (!t)
            return NULL;
        op->result = aiq_op_table_scan(op->ex, t, !op->borrowed);
    }
    return aiq_op_next(op->result);
}

void aiq_op_free(AiqOp *op)
{
    if (!op)
        return;
    aiq_op_free(op->input);
    aiq_op_free(op->result);
    if (op->vt->release)
        op->vt->release(op);
    if (op->vt->eval)
        aiq_eval_free(&op->ev);
    aiq_xfree(op->cols);
    aiq_xfree(op);
}

bool aiq_op_check_limits(AiqExecCtx *ex)
{
    if (aiq_interrupt_pending())
        return aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "query cancelled");
    return aiq_eval_memory_ok(ex->err);
}

AiqTable *aiq_op_drain(AiqOp *op, const AiqSchema *schema)
{
    AiqTable *t = aiq_table_new(schema);
    AiqChunk *c;
    while ((c = aiq_op_next(op))) {
        aiq_table_append_chunk(t, c);
        if (!aiq_op_check_limits(op->ex))
            break;
    }
    if (op->ex->err->code != AIQ_OK) {
        aiq_table_free(t);
        return NULL;
    }
    return t;
}

void aiq_exec_ctx_init(AiqExecCtx *ex, const AiqPlan *plan)
{
    ex->nshared = plan->nshared;
    ex->shared = aiq_xcalloc((size_t)plan->nshared + 1, sizeof *ex->shared);
    ex->shared_inputs = aiq_xcalloc((size_t)plan->nshared + 1, sizeof *ex->shared_inputs);
}

void aiq_exec_ctx_free(AiqExecCtx *ex)
{
    for (int i = 0; i < ex->nshared; i++) {
        aiq_op_free(ex->shared_inputs[i]);
        aiq_table_free(ex->shared[i]);
    }
    aiq_xfree(ex->shared_inputs);
    aiq_xfree(ex->shared);
    aiq_subqueries_release(ex);
    ex->shared_inputs = NULL;
    ex->shared = NULL;
}
