/*
 * op_sample.c -- sample N (and sample-distinct, which samples the distinct
 * values): N rows of the input chosen at random, each row as likely as any
 * other. It keeps a reservoir of at most N rows while the input streams
 * by (Vitter's algorithm R), so its memory is bounded by N rows, not by the
 * input.
 */
#include "exec/op.h"

#include <time.h>
#include <unistd.h>

#include "util/mem.h"

typedef struct Sample {
    AiqOp base;
    uint64_t rng; /* xorshift64* state */
} Sample;

static uint64_t next_random(Sample *s)
{
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ull;
}

/* Row seen number `seen` (0-based) of the input, physical row i of chunk
 * c: the first N fill the reservoir, a later one replaces a random slot
 * with probability N / (seen + 1). */
static void offer_row(Sample *s, AiqTable *t, const AiqChunk *c, uint32_t i, int64_t seen)
{
    int64_t n = s->base.p->limit;
    if (seen < n) {
        uint32_t *rows = aiq_xmalloc(sizeof *rows * (size_t)(c->ncols + 1));
        for (int k = 0; k < c->ncols; k++)
            rows[k] = i;
        aiq_table_append_row(t, c->cols, rows);
        aiq_xfree(rows);
        return;
    }
    uint64_t j = next_random(s) % (uint64_t)(seen + 1);
    if (j < (uint64_t)n)
        for (int k = 0; k < c->ncols; k++)
            aiq_table_set(t, k, (int64_t)j, c->cols[k], i);
}

static AiqTable *sample_compute(AiqOp *op)
{
    Sample *s = (Sample *)op;
    AiqTable *t = aiq_table_new(&op->p->schema);
    int64_t seen = 0;
    AiqChunk *c;
    while (op->p->limit > 0 && (c = aiq_op_next(op->input))) {
        for (uint32_t k = 0; k < c->count; k++)
            offer_row(s, t, c, aiq_row(c, k), seen++);
        if (!aiq_op_check_limits(op->ex))
            break;
    }
    if (op->ex->err->code != AIQ_OK) {
        aiq_table_free(t);
        return NULL;
    }
    return t;
}

static const AiqOpVtable sample_vt = {.compute = sample_compute};

AiqOp *aiq_op_sample(AiqExecCtx *ex, const AiqPlan *p)
{
    Sample *s = aiq_op_new_over(ex, &sample_vt, sizeof *s, p);
    if (s)
        s->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x9E3779B97F4A7C15ull;
    return s ? &s->base : NULL;
}
