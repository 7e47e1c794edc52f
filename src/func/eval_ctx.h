/*
 * eval_ctx.h -- the context kernels write into: the arena a chunk's
 * vectors and strings come from, the dynamic values made for it, the
 * query's error and now(), and the evaluator's per-chunk state (scratch
 * arenas, memoized let values). It lives with the kernels, below the
 * executor that drives them (exec/eval.c).
 */
#ifndef AIQ_FUNC_EVAL_CTX_H
#define AIQ_FUNC_EVAL_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aiq/aiq.h"
#include "core/chunk.h"
#include "core/expr.h"
#include "core/vector.h"
#include "util/arena.h"

/* A value computed for a slot (AiqExpr.slot) over the current chunk. */
typedef struct AiqMemo {
    AiqVector *v;
    const AiqChunk *in;   /* the chunk and rows it was computed over */
    const uint32_t *sel;
    uint32_t count;
    uint8_t arena;        /* where v lives: 0 the ctx arena, 1 or 2 a scratch arena */
    uint32_t gen;         /* that arena's generation then: a reset makes the memo stale */
} AiqMemo;

typedef struct AiqEvalCtx {
    AiqArena arena;     /* vectors and strings of the current chunk */
    json_t **pool;      /* dynamic values created for the current chunk */
    int npool, cappool;
    AiqError *err;
    int64_t now;
    const AiqExpr *at;  /* the call being evaluated, for errors raised by helpers */
    /* A chain (args[0] after args[0]) is evaluated step by step; the steps
     * below the top alternate between two scratch arenas, each reset before
     * it is used again, so a chain as long as the query needs the memory of
     * two steps, not of all of them. */
    AiqArena scratch[2];
    int cur_arena;      /* 0: arena is the chunk's own; 1, 2: scratch[0], scratch[1] swapped in */
    uint32_t gen[3];    /* generation of each, bumped at each reset */
    int stepping;       /* inside a chain that uses the scratch arenas */
    int narrowed;       /* evaluating over fewer rows than the chunk's: no memo */
    AiqMemo *memo;      /* by slot */
    int capmemo;
} AiqEvalCtx;

/* Kusto's limit on the size of a value (a record is at most 64 MB): a
 * longer string is the error "string too long", exit 4. It also stops a
 * query that doubles a string at every step (let s2 = strcat(s1, s1)). */
#define AIQ_MAX_STRING_BYTES (64u << 20)

void aiq_eval_init(AiqEvalCtx *ctx, AiqError *err, int64_t now);
/* Releases everything made for the previous chunk. Vectors returned before
 * are invalid afterwards. */
void aiq_eval_reset(AiqEvalCtx *ctx);
void aiq_eval_free(AiqEvalCtx *ctx);
/* Takes ownership of a new dynamic value until the next reset; returns it. */
json_t *aiq_eval_own(AiqEvalCtx *ctx, json_t *j);
/* Copies n bytes into the chunk arena (for kernels building strings).
 * Past AIQ_MAX_STRING_BYTES it sets ctx->err and returns "". */
AiqStr aiq_eval_str(AiqEvalCtx *ctx, const char *p, size_t n);
/* False, with ctx->err set (AIQ_ERR_LIMIT), when a string of n bytes is
 * past AIQ_MAX_STRING_BYTES, or would take the process past --max-memory:
 * kernels check before they build one. */
bool aiq_eval_str_fits(AiqEvalCtx *ctx, size_t n);
/* False, with err set (AIQ_ERR_LIMIT), once the process has passed
 * --max-memory: checked between chunks, and between the steps of a chain. */
bool aiq_eval_memory_ok(AiqError *err);

#endif
