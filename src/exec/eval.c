/*
 * eval.c -- expression evaluation over chunks (see eval.h).
 */
#include "eval.h"

#include <jansson.h>
#include <string.h>

#include "func/registry.h"
#include "util/mem.h"

void aiq_eval_init(AiqEvalCtx *ctx, AiqError *err, int64_t now)
{
    memset(ctx, 0, sizeof *ctx);
    aiq_arena_init(&ctx->arena, 256 * 1024);
    ctx->err = err;
    ctx->now = now;
}

void aiq_eval_reset(AiqEvalCtx *ctx)
{
    for (int i = 0; i < ctx->npool; i++)
        json_decref(ctx->pool[i]);
    ctx->npool = 0;
    aiq_arena_reset(&ctx->arena);
}

void aiq_eval_free(AiqEvalCtx *ctx)
{
    aiq_eval_reset(ctx);
    aiq_xfree(ctx->pool);
    aiq_arena_free(&ctx->arena);
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
    if (n == 0)
        return (AiqStr){"", 0};
    char *s = aiq_arena_alloc(&ctx->arena, n);
    memcpy(s, p, n);
    return (AiqStr){s, (uint32_t)n};
}

/* out->validity = AND of the arguments' masks over the selected rows. */
static void propagate_nulls(AiqEvalCtx *ctx, AiqVector **args, int nargs, AiqVector *out,
                            const AiqChunk *in)
{
    for (int a = 0; a < nargs; a++) {
        AiqVector *v = args[a];
        if (v->type == AIQ_TYPE_STRING)
            continue; /* strings are never null */
        if (v->type != AIQ_TYPE_DYNAMIC && !v->validity)
            continue;
        for (uint32_t k = 0; k < in->count; k++) {
            uint32_t i = aiq_row(in, k);
            if (aiq_vec_is_null(v, i))
                aiq_vec_set_null(out, i, &ctx->arena);
        }
    }
}

AiqVector *aiq_eval(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in)
{
    switch (e->kind) {
    case AIQ_E_COLUMN: return in->cols[e->col];
    case AIQ_E_CONST: return aiq_vec_const(&ctx->arena, &e->value);
    case AIQ_E_CALL: break;
    }
    /* d["key"] straight from a scan: the reader may have made it already */
    if (in->nx && e->nargs == 2 && e->args[0]->kind == AIQ_E_COLUMN && e->args[1]->kind == AIQ_E_CONST &&
        e->args[1]->type == AIQ_TYPE_STRING && strcmp(e->fn->name, "[]") == 0) {
        AiqVector *v = aiq_chunk_key_vector(in, e->args[0]->col, e->args[1]->value.str.ptr, e->args[1]->value.str.len);
        if (v)
            return v;
    }
    AiqVector *argv[64];
    AiqVector **args = e->nargs <= 64 ? argv : aiq_arena_alloc(&ctx->arena, sizeof *args * (size_t)e->nargs);
    bool all_const = true;
    for (int i = 0; i < e->nargs; i++) {
        if (!(args[i] = aiq_eval(ctx, e->args[i], in)))
            return NULL;
        all_const &= args[i]->is_const;
    }
    /* constant arguments: compute one row and keep the result constant */
    uint32_t one = 0;
    const uint32_t *sel = in->sel;
    uint32_t n = in->count, nrows = in->nrows;
    if (all_const && e->nargs > 0) {
        sel = &one;
        n = 1;
        nrows = 1;
    }
    AiqVector *out = aiq_vec_new(&ctx->arena, e->type, nrows ? nrows : 1);
    out->is_const = all_const && e->nargs > 0;
    if (e->fn->flags & AIQ_FN_NULLS_PROPAGATE) {
        AiqChunk view = {.count = n, .nrows = nrows, .sel = (uint32_t *)sel};
        propagate_nulls(ctx, args, e->nargs, out, &view);
    }
    if (e->type == AIQ_TYPE_DYNAMIC) /* kernels leave null rows unset */
        memset(out->data.dyn, 0, sizeof(json_t *) * (nrows ? nrows : 1));
    if (!e->fn->kernel) {
        aiq_error_set(ctx->err, AIQ_ERR_RUNTIME, e->off, e->len, "%s() cannot be evaluated here", e->fn->name);
        return NULL;
    }
    e->fn->kernel(ctx, e, args, out, sel, n);
    if (ctx->err->code != AIQ_OK)
        return NULL;
    return out;
}
