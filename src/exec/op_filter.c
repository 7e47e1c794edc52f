/*
 * op_filter.c -- operators that choose rows and move no data: where (a
 * selection vector of the rows its predicate is true for) and take.
 */
#include "exec/op.h"

/* ---- where ------------------------------------------------------------------ */

/* The rows of c for which predicate vector v is true (not null, not
 * false), as a selection vector in sel; returns how many. */
static uint32_t select_true(const AiqChunk *c, const AiqVector *v, uint32_t *sel)
{
    uint32_t m = 0;
    if (!v->validity && !v->is_const) {
        const int64_t *b = v->data.i64;
        if (c->sel) {
            for (uint32_t k = 0; k < c->count; k++)
                if (b[c->sel[k]])
                    sel[m++] = c->sel[k];
        } else {
            for (uint32_t k = 0; k < c->count; k++)
                if (b[k])
                    sel[m++] = k;
        }
        return m;
    }
    for (uint32_t k = 0; k < c->count; k++) {
        uint32_t i = aiq_row(c, k);
        if (!aiq_vec_is_null(v, i) && v->data.i64[aiq_vidx(v, i)])
            sel[m++] = i;
    }
    return m;
}

static AiqChunk *filter_next(AiqOp *op)
{
    for (;;) {
        AiqChunk *c = aiq_op_next(op->input);
        if (!c)
            return NULL;
        aiq_eval_reset(&op->ev);
        AiqVector *v = aiq_eval(&op->ev, op->p->exprs[0], c);
        if (!v)
            return NULL;
        /* the filter moves no data: it writes a selection vector */
        uint32_t *sel = aiq_arena_alloc(&op->ev.arena, sizeof *sel * (c->count ? c->count : 1));
        uint32_t m = select_true(c, v, sel);
        if (m == 0)
            continue;
        op->out = *c;
        op->out.count = m;
        op->out.sel = sel;
        return &op->out;
    }
}

static const AiqOpVtable filter_vt = {.next = filter_next, .eval = true};

AiqOp *aiq_op_filter(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new_over(ex, &filter_vt, sizeof(AiqOp), p);
}

/* ---- take ------------------------------------------------------------------- */

typedef struct Take {
    AiqOp base;
    int64_t left;
} Take;

static AiqChunk *take_next(AiqOp *op)
{
    Take *t = (Take *)op;
    if (t->left <= 0)
        return NULL; /* stop pulling: `take 10` on a huge input returns at once */
    AiqChunk *c = aiq_op_next(op->input);
    if (!c)
        return NULL;
    op->out = *c;
    if (op->out.count > t->left)
        op->out.count = (uint32_t)t->left;
    t->left -= op->out.count;
    return &op->out;
}

static const AiqOpVtable take_vt = {.next = take_next};

AiqOp *aiq_op_take(AiqExecCtx *ex, const AiqPlan *p)
{
    Take *t = aiq_op_new_over(ex, &take_vt, sizeof *t, p);
    if (t)
        t->left = p->limit;
    return t ? &t->base : NULL;
}
