/*
 * op_project.c -- operators that compute or map columns and keep the rows:
 * project (extend, project, rename, ...: one expression per output column)
 * and union (each input's columns mapped to the output's, the missing ones
 * null, the source name when withsource= asks).
 */
#include "exec/op.h"

#include <string.h>

#include "util/mem.h"

/* ---- project ---------------------------------------------------------------- */

static AiqChunk *project_next(AiqOp *op)
{
    AiqChunk *c = aiq_op_next(op->input);
    if (!c)
        return NULL;
    aiq_eval_reset(&op->ev);
    for (int i = 0; i < op->p->nexprs; i++)
        if (!(op->cols[i] = aiq_eval(&op->ev, op->p->exprs[i], c)))
            return NULL;
    op->out = *c;
    op->out.ncols = op->p->nexprs;
    op->out.cols = op->cols;
    return &op->out;
}

static const AiqOpVtable project_vt = {.next = project_next, .eval = true};

AiqOp *aiq_op_project(AiqExecCtx *ex, const AiqPlan *p)
{
    AiqOp *op = aiq_op_new_over(ex, &project_vt, sizeof(AiqOp), p);
    if (op)
        aiq_op_out_cols(op, p->nexprs);
    return op;
}

/* ---- union -------------------------------------------------------------------- */

typedef struct Union {
    AiqOp base;
    AiqOp **inputs;
    int cur;
} Union;

static AiqChunk *union_next(AiqOp *op)
{
    Union *u = (Union *)op;
    const AiqPlan *p = op->p;
    while (u->cur < p->ninputs) {
        AiqChunk *c = aiq_op_next(u->inputs[u->cur]);
        if (!c) {
            if (op->ex->err->code != AIQ_OK)
                return NULL;
            u->cur++;
            continue;
        }
        aiq_eval_reset(&op->ev);
        const int *map = p->maps[u->cur];
        for (int j = 0; j < p->schema.ncols; j++) {
            AiqValue v = {.type = p->schema.cols[j].type, .isnull = true};
            if (j == p->source_col) {
                const char *name = p->source_names[u->cur];
                v.isnull = false;
                v.str = (AiqStr){name, (uint32_t)strlen(name)};
            }
            op->cols[j] = map[j] >= 0 ? c->cols[map[j]] : aiq_vec_const(&op->ev.arena, &v);
        }
        op->out = *c;
        op->out.ncols = p->schema.ncols;
        op->out.cols = op->cols;
        return &op->out;
    }
    return NULL;
}

static void union_release(AiqOp *op)
{
    Union *u = (Union *)op;
    for (int i = 0; i < op->p->ninputs; i++)
        aiq_op_free(u->inputs[i]);
    aiq_xfree(u->inputs);
}

static const AiqOpVtable union_vt = {.next = union_next, .release = union_release, .eval = true};

AiqOp *aiq_op_union(AiqExecCtx *ex, const AiqPlan *p)
{
    Union *u = aiq_op_new(ex, &union_vt, sizeof *u, p, NULL);
    u->inputs = aiq_xcalloc((size_t)p->ninputs + 1, sizeof *u->inputs);
    aiq_op_out_cols(&u->base, p->schema.ncols);
    for (int i = 0; i < p->ninputs; i++)
        if (!(u->inputs[i] = aiq_op_build(ex, p->inputs[i]))) {
            aiq_op_free(&u->base);
            return NULL;
        }
    return &u->base;
}
