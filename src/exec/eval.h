/*
 * eval.h -- vectorised evaluation of bound expressions over a chunk.
 * A column reference costs nothing (the input vector is returned); a call
 * evaluates its arguments, combines their null masks when the function
 * propagates nulls, then runs the function's kernel over the selected rows.
 */
#ifndef AIQ_EXEC_EVAL_H
#define AIQ_EXEC_EVAL_H

#include "aiq/aiq.h"
#include "exec/vector.h"
#include "plan/plan.h"
#include "util/arena.h"

typedef struct AiqEvalCtx {
    AiqArena arena;     /* vectors and strings of the current chunk */
    json_t **pool;      /* dynamic values created for the current chunk */
    int npool, cappool;
    AiqError *err;
    int64_t now;
} AiqEvalCtx;

void aiq_eval_init(AiqEvalCtx *ctx, AiqError *err, int64_t now);
/* Releases everything made for the previous chunk. Vectors returned before
 * are invalid afterwards. */
void aiq_eval_reset(AiqEvalCtx *ctx);
void aiq_eval_free(AiqEvalCtx *ctx);
/* Evaluates e over the rows of in (respecting in->sel). Returns a vector
 * indexed by physical row, owned by ctx (or by in for column references),
 * or NULL with ctx->err set. */
AiqVector *aiq_eval(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in);
/* Takes ownership of a new dynamic value until the next reset; returns it. */
json_t *aiq_eval_own(AiqEvalCtx *ctx, json_t *j);
/* Copies n bytes into the chunk arena (for kernels building strings). */
AiqStr aiq_eval_str(AiqEvalCtx *ctx, const char *p, size_t n);

#endif
