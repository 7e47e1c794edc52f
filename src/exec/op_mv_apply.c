/*
 * op_mv_apply.c -- mv-apply: for each input row, the rows mv-expand would
 * make of it (aiq_mv_expand_row) become a small table, the subquery's
 * operator tree runs on it (APPLY_ROWS reads it through ex->apply_rows),
 * and each row of its result, with the input row's kept columns, is a row
 * of the output. The input is read whole, as mv-expand reads it; the
 * limits are checked after every row.
 */
#include "exec/op.h"

#include "util/mem.h"

/* The subquery's result over rows (the caller's to free), or NULL on error. */
static AiqTable *run_subquery(AiqOp *op, AiqTable *rows)
{
    AiqExecCtx *ex = op->ex;
    AiqTable *saved = ex->apply_rows;
    ex->apply_rows = rows;
    AiqOp *sub = aiq_op_build(ex, op->p->right);
    AiqTable *res = sub ? aiq_op_drain(sub, &op->p->right->schema) : NULL;
    aiq_op_free(sub);
    ex->apply_rows = saved;
    return res;
}

/* Appends to out the rows of res, each with row r of in's kept columns. */
static void append_results(const AiqPlan *p, AiqTable *out, const AiqTable *in, int64_t r, const AiqTable *res)
{
    const int *from = p->maps[0];
    for (int64_t k = 0; k < res->nrows; k++) {
        int64_t at = aiq_table_add_null_row(out);
        for (int c = 0; c < p->schema.ncols; c++) {
            AiqVector v;
            bool outer = from[c] >= 0;
            aiq_table_column_vector(outer ? in : res, outer ? from[c] : -1 - from[c], &v);
            aiq_table_set(out, c, at, &v, (uint32_t)(outer ? r : k));
        }
    }
}

static AiqTable *mv_apply_compute(AiqOp *op)
{
    const AiqPlan *p = op->p;
    AiqTable *in = aiq_op_drain(op->input, &p->input->schema);
    if (!in)
        return NULL;
    AiqTable *out = aiq_table_new(&p->schema);
    const AiqSchema *rows_schema = &p->right->schema; /* overwritten below: the rows' own schema */
    for (const AiqPlan *q = p->right; q; q = q->input)
        if (q->kind == AIQ_P_APPLY_ROWS)
            rows_schema = &q->schema;
    int nc = in->schema.ncols;
    AiqVector *vecs = aiq_xcalloc((size_t)nc + 1, sizeof *vecs);
    AiqVector **ptrs = aiq_xcalloc((size_t)rows_schema->ncols + 1, sizeof *ptrs);
    uint32_t *idx = aiq_xcalloc((size_t)rows_schema->ncols + 1, sizeof *idx);
    for (int c = 0; c < nc; c++) {
        aiq_table_column_vector(in, c, &vecs[c]);
        ptrs[c] = &vecs[c];
    }
    for (int e = 0; e < p->nexpand; e++)
        ptrs[p->expand_cols[e]] = NULL;
    AiqArena scratch;
    aiq_arena_init(&scratch, 4096);
    for (int64_t r = 0; r < in->nrows; r++) {
        AiqTable *rows = aiq_table_new(rows_schema);
        aiq_mv_expand_row(p, in, r, rows, ptrs, idx, &scratch);
        AiqTable *res = run_subquery(op, rows);
        aiq_table_free(rows);
        if (!res)
            break;
        append_results(p, out, in, r, res);
        aiq_table_free(res);
        if (!aiq_op_check_limits(op->ex))
            break;
    }
    aiq_arena_free(&scratch);
    aiq_xfree(vecs);
    aiq_xfree(ptrs);
    aiq_xfree(idx);
    aiq_table_free(in);
    if (op->ex->err->code != AIQ_OK) {
        aiq_table_free(out);
        return NULL;
    }
    return out;
}

static const AiqOpVtable mv_apply_vt = {.compute = mv_apply_compute};

AiqOp *aiq_op_mv_apply(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new_over(ex, &mv_apply_vt, sizeof(AiqOp), p);
}

AiqOp *aiq_op_apply_rows(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_table_scan(ex, ex->apply_rows, false);
}
