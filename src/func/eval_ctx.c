/*
 * eval_ctx.c -- the kernels' context (see eval_ctx.h): its arenas, the
 * dynamic values it owns for a chunk, and the limits strings and memory
 * are checked against.
 */
#include "func/eval_ctx.h"

#include <jansson.h>
#include <string.h>

#include "util/mem.h"

void aiq_eval_init(AiqEvalCtx *ctx, AiqError *err, int64_t now)
{
    memset(ctx, 0, sizeof *ctx);
    aiq_arena_init(&ctx->arena, 256 * 1024);
    aiq_arena_init(&ctx->scratch[0], 256 * 1024);
    aiq_arena_init(&ctx->scratch[1], 256 * 1024);
    ctx->err = err;
    ctx->now = now;
}

void aiq_eval_reset(AiqEvalCtx *ctx)
{
    for (int i = 0; i < ctx->npool; i++)
        json_decref(ctx->pool[i]);
    ctx->npool = 0;
    aiq_arena_reset(&ctx->arena);
    aiq_arena_reset(&ctx->scratch[0]);
    aiq_arena_reset(&ctx->scratch[1]);
    for (int a = 0; a < 3; a++)
        ctx->gen[a]++; /* every memo is stale */
}

void aiq_eval_free(AiqEvalCtx *ctx)
{
    aiq_eval_reset(ctx);
    aiq_xfree(ctx->pool);
    aiq_xfree(ctx->memo);
    aiq_arena_free(&ctx->arena);
    aiq_arena_free(&ctx->scratch[0]);
    aiq_arena_free(&ctx->scratch[1]);
}

bool aiq_eval_memory_ok(AiqError *err)
{
    if (!aiq_mem_exceeded())
        return true;
    char limit[96];
    return aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "memory limit reached (%s): the query needs more memory than allowed",
                         aiq_mem_limit_text(limit, sizeof limit));
}

bool aiq_eval_str_fits(AiqEvalCtx *ctx, size_t n)
{
    /* a string being built is held twice (its buffer, then the chunk's
     * copy): a big one is measured against the limit before either */
    if (n >= ((size_t)1 << 20) && !aiq_mem_room(2 * n)) {
        aiq_mem_reached();
        return aiq_eval_memory_ok(ctx->err);
    }
    if (n <= AIQ_MAX_STRING_BYTES)
        return true;
    const AiqExpr *e = ctx->at;
    return aiq_error_set(ctx->err, AIQ_ERR_LIMIT, e ? e->off : -1, e && e->len ? e->len : 1,
                         "string too long: a value of %zu MiB is past the limit of %u MiB on one value", n >> 20,
                         AIQ_MAX_STRING_BYTES >> 20);
}

json_t *aiq_eval_own(AiqEvalCtx *ctx, json_t *j)
{
    if (!j)
        return NULL;
    if (ctx->npool == ctx->cappool) {
        ctx->cappool = ctx->cappool ? ctx->cappool * 2 : 256;
        ctx->pool = aiq_xrealloc(ctx->pool, sizeof *ctx->pool * (size_t)ctx->cappool);
    }
    ctx->pool[ctx->npool++] = j;
    return j;
}

AiqStr aiq_eval_str(AiqEvalCtx *ctx, const char *p, size_t n)
{
    if (n == 0 || !aiq_eval_str_fits(ctx, n))
        return (AiqStr){"", 0};
    char *s = aiq_arena_alloc(&ctx->arena, n);
    memcpy(s, p, n);
    return (AiqStr){s, (uint32_t)n};
}

