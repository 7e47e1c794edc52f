/*
 * op.c -- the operator skeleton (see op.h): making and freeing operators,
 * the materializing operators' next(), draining a tree into a table, the
 * limits checked between chunks, and the run's cache of tabular lets.
 */
#include "exec/op.h"

#include <time.h>

#include "util/interrupt.h"
#include "util/mem.h"

void *aiq_op_new(AiqExecCtx *ex, const AiqOpVtable *vt, size_t size, const AiqPlan *p, AiqOp *input)
{
    AiqOp *op = aiq_xcalloc(1, size);
    op->vt = vt;
    op->ex = ex;
    op->p = p;
    op->input = input;
    op->stat = -1;
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

AiqOp *aiq_op_count(AiqExecCtx *ex, AiqOp *op, const AiqPlan *p)
{
    if (!ex->timing || !op || op->stat >= 0)
        return op;
    /* (a linear search: it runs once per operator built, with --timing only) */
    int i = 0;
    while (i < ex->nopstats && ex->opstats[i].p != p)
        i++;
    if (i == ex->nopstats) {
        ex->opstats = aiq_grow_array(ex->opstats, ex->nopstats, &ex->capopstats, sizeof *ex->opstats);
        ex->opstats[ex->nopstats++] = (AiqOpStat){.p = p};
    }
    ex->opstats[i].uses++;
    op->stat = i;
    return op;
}

AiqChunk *aiq_op_next_counted(AiqOp *op)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    AiqChunk *c = op->vt->next ? op->vt->next(op) : aiq_op_next_materialized(op);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    AiqOpStat *st = &op->ex->opstats[op->stat];
    st->seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    st->rows += c ? c->count : 0;
    return c;
}

bool aiq_op_check_limits(AiqExecCtx *ex)
{
    if (aiq_interrupt_pending())
        return aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "query cancelled");
    return aiq_eval_memory_ok(ex->err);
}

AiqTable *aiq_op_drain(AiqOp *op, const AiqSchema *schema)
{
    /* A materializing operator's own table is the result: not copied a
     * chunk at a time into a new one after the rows were all read, on one
     * thread at any -j (p95 by 15-minute bin and service, 96k rows:
     * 10 M of 3,195 M instructions over 1M rows). With --timing it is
     * scanned, so that its rows are counted. */
    if (!op->vt->next && !op->result && op->stat < 0) {
        AiqTable *t = op->vt->compute(op);
        bool whole = t && !op->borrowed && op->ex->err->code == AIQ_OK && aiq_schema_same(&t->schema, schema);
        /* (taken whole: a scan of nothing, should anything ask for more) */
        op->result = aiq_op_table_scan(op->ex, whole ? NULL : t, !op->borrowed);
        if (whole)
            return t;
    }
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
