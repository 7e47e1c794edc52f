/*
 * eval.h -- vectorised evaluation of bound expressions over a chunk.
 * A column reference costs nothing (the input vector is returned); a call
 * evaluates its arguments, combines their null masks when the function
 * propagates nulls, then runs the function's kernel over the selected rows.
 */
#ifndef AIQ_EXEC_EVAL_H
#define AIQ_EXEC_EVAL_H

#include "aiq/aiq.h"
#include "core/chunk.h"
#include "core/expr.h"
#include "core/vector.h"
#include "func/eval_ctx.h"

/* Evaluates e over the rows of in (respecting in->sel). Returns a vector
 * indexed by physical row, owned by ctx (or by in for column references),
 * or NULL with ctx->err set. */
AiqVector *aiq_eval(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in);
#endif
