/*
 * eval.c -- expression evaluation over chunks (see eval.h). A call
 * evaluates its arguments, then its kernel. Two things keep the query's
 * size from becoming the executor's: a chain down args[0] (1 + 1 + ...,
 * a or b or ..., let a2 = a1 + 1) is walked step by step, not recursed,
 * with its dead steps' memory reused; and a node with a slot (a let value
 * used by reference) is computed once per chunk however many paths lead
 * to it, so `let s2 = strcat(s1, s1)` costs one strcat per level.
 */
#include "exec/eval.h"

#include <jansson.h>
#include <string.h>

#include "func/kernel.h"
#include "core/validity.h"
#include "func/registry.h"
#include "util/mem.h"

/* Marks null in out the rows of in where v (a dynamic vector: a NULL
 * pointer is its null) is null. */
static void dynamic_nulls(AiqEvalCtx *ctx, const AiqVector *v, AiqVector *out, const AiqChunk *in)
{
    for (uint32_t k = 0; k < in->count; k++) {
        uint32_t i = aiq_row(in, k);
        if (!v->data.dyn[aiq_vidx(v, i)])
            aiq_vec_set_null(out, i, &ctx->arena);
    }
}

/* out's validity &= v's over the rows of in. A bitmap is made for out only
 * when a selected row is null (a NULL bitmap is the common, cheap case
 * downstream). Without a selection vector the rows are 0..count-1 and go a
 * word at a time; with one, row by row. */
static void and_validity(AiqEvalCtx *ctx, const AiqVector *v, AiqVector *out, const AiqChunk *in)
{
    if (v->is_const) {
        if (aiq_bit(v->validity, 0))
            return;
        for (uint32_t k = 0; k < in->count; k++) /* a null constant: every row */
            aiq_vec_set_null(out, aiq_row(in, k), &ctx->arena);
        return;
    }
    if (in->sel) {
        for (uint32_t k = 0; k < in->count; k++)
            if (!aiq_bit(v->validity, in->sel[k]))
                aiq_vec_set_null(out, in->sel[k], &ctx->arena);
        return;
    }
    for (uint32_t base = 0; base < in->count; base += 64) {
        uint64_t w = v->validity[base >> 6] | ~aiq_word_in_range(base, in->count);
        if (w != AIQ_WORD_ALL)
            aiq_vec_validity(out, &ctx->arena)[base >> 6] &= w;
    }
}

/* out's validity = AND of the arguments' over the selected rows (strings
 * are never null). */
static void propagate_nulls(AiqEvalCtx *ctx, AiqVector **args, int nargs, AiqVector *out,
                            const AiqChunk *in)
{
    for (int a = 0; a < nargs; a++) {
        const AiqVector *v = args[a];
        if (v->type == AIQ_TYPE_DYNAMIC)
            dynamic_nulls(ctx, v, out, in);
        else if (v->type != AIQ_TYPE_STRING && v->validity)
            and_validity(ctx, v, out, in);
    }
}

/* A function (not an operator) that propagates nulls runs its kernel only
 * over the rows where no argument is null, so a kernel never reads the
 * payload of a null: a null argument gives a null result whatever the
 * kernel would make of the bytes under it, and a string result is "" (a
 * string is never null in Kusto: format_datetime(datetime(null), "yyyy")
 * is "", not "0001"). Marks the null rows of out and returns the rows to
 * run over, their number in *n: view->sel itself when none is null.
 * (Operators keep their tight loops over every row: their null rows are
 * numbers, whose garbage the validity bits hide.) */
static const uint32_t *skip_null_rows(AiqEvalCtx *ctx, AiqVector **args, int nargs, AiqVector *out,
                                      const AiqChunk *view, uint32_t *n)
{
    AiqVector mask = {.type = AIQ_TYPE_BOOL}; /* collects the arguments' validity */
    propagate_nulls(ctx, args, nargs, &mask, view);
    *n = view->count;
    if (!mask.validity)
        return view->sel;
    uint32_t *rows = aiq_arena_alloc(&ctx->arena, sizeof *rows * (view->count + 1));
    uint32_t m = 0;
    for (uint32_t k = 0; k < view->count; k++) {
        uint32_t i = aiq_row(view, k);
        if (aiq_bit(mask.validity, i))
            rows[m++] = i;
        else
            aiq_vec_set_null(out, i, &ctx->arena);
    }
    *n = m;
    return rows;
}

/* Whether e is d["key"] with d a column and key a constant. */
static bool is_key_access(const AiqExpr *e)
{
    return e->kind == AIQ_E_CALL && e->nargs == 2 && e->args[0]->kind == AIQ_E_COLUMN &&
           e->args[1]->kind == AIQ_E_CONST && e->args[1]->type == AIQ_TYPE_STRING && e->fn->id == AIQ_FN_INDEX;
}

/* tolong(d["key"]), tostring(...) and the other conversions, straight from
 * a scan whose reader kept the key's values as cells: no dynamic value is
 * made. The rows are split by the kind of their value, and each group goes
 * through the conversion's own kernel with a typed vector: a string, long,
 * bool or real converts exactly as the dynamic string, integer, bool or
 * real would (the conversions dispatch on type; scalar_convert.c). Nulls
 * go as null dynamic values, and what has no typed twin (objects, arrays,
 * and reals for tostring: a dynamic real keeps its ".0", a real does not)
 * goes through the key vector built as dynamic values. NULL when this
 * does not apply. */
static AiqVector *convert_cells(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in)
{
    AiqKernel kernel = e->fn->kernel;
    if (e->nargs != 1 || !in->nx || !is_key_access(e->args[0]) || (e->fn->flags & AIQ_FN_NULLS_PROPAGATE) ||
        !(kernel == k_tostring || kernel == k_tolong || kernel == k_toreal || kernel == k_tobool ||
          kernel == k_todatetime || kernel == k_totimespan))
        return NULL;
    const AiqExpr *d = e->args[0];
    const AiqStr key = d->args[1]->value.str;
    const AiqCell *cells = aiq_chunk_key_cells(in, d->args[0]->col, key.ptr, key.len);
    if (!cells)
        return NULL;
    enum { G_STRING, G_LONG, G_BOOL, G_REAL, G_NULL, G_DYNAMIC, NGROUPS };
    static const AiqType types[NGROUPS] = {AIQ_TYPE_STRING, AIQ_TYPE_LONG, AIQ_TYPE_BOOL, AIQ_TYPE_REAL,
                                           AIQ_TYPE_DYNAMIC, AIQ_TYPE_DYNAMIC};
    uint32_t nrows = in->nrows ? in->nrows : 1, cnt[NGROUPS] = {0};
    uint32_t *rows[NGROUPS];
    AiqVector *views[NGROUPS];
    for (int g = 0; g < NGROUPS; g++) {
        rows[g] = aiq_arena_alloc(&ctx->arena, sizeof **rows * (in->count + 1));
        views[g] = g == G_DYNAMIC ? NULL : aiq_vec_new(&ctx->arena, types[g], nrows);
    }
    bool text = kernel == k_tostring;
    for (uint32_t k = 0; k < in->count; k++) {
        uint32_t i = aiq_row(in, k);
        const AiqCell *c = &cells[i];
        int g;
        switch (c->kind) {
        case AIQ_CELL_STRING: g = G_STRING; views[g]->data.str[i] = (AiqStr){c->len ? c->u.s : "", c->len}; break;
        case AIQ_CELL_INT: g = G_LONG; views[g]->data.i64[i] = c->u.i; break;
        case AIQ_CELL_TRUE:
        case AIQ_CELL_FALSE: g = G_BOOL; views[g]->data.i64[i] = c->kind == AIQ_CELL_TRUE; break;
        case AIQ_CELL_REAL:
            g = text ? G_DYNAMIC : G_REAL;
            views[G_REAL]->data.f64[i] = c->u.f;
            break;
        case AIQ_CELL_NULL:
        case AIQ_CELL_MISSING: g = G_NULL; views[g]->data.dyn[i] = NULL; break;
        default: g = G_DYNAMIC; break;
        }
        rows[g][cnt[g]++] = i;
    }
    AiqVector *out = aiq_vec_new(&ctx->arena, e->type, nrows);
    for (int g = 0; g < NGROUPS; g++) {
        if (!cnt[g])
            continue;
        AiqVector *arg = views[g];
        if (g == G_DYNAMIC) /* builds the key vector: the cells are gone after this */
            arg = aiq_chunk_key_vector(in, d->args[0]->col, key.ptr, key.len);
        kernel(ctx, e, &arg, out, rows[g], cnt[g]);
        if (ctx->err->code != AIQ_OK)
            return NULL;
    }
    return out;
}

/* ---- memo: slot values of the current chunk ---------------------------- */

static AiqVector *memo_get(const AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in)
{
    if (!e->slot || ctx->narrowed || e->slot >= ctx->capmemo)
        return NULL;
    const AiqMemo *m = &ctx->memo[e->slot];
    bool fresh = m->v && m->in == in && m->sel == in->sel && m->count == in->count && m->gen == ctx->gen[m->arena];
    return fresh ? m->v : NULL;
}

static void memo_put(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in, AiqVector *v)
{
    if (!e->slot || ctx->narrowed)
        return;
    if (e->slot >= ctx->capmemo) {
        int cap = ctx->capmemo ? ctx->capmemo : 64;
        while (cap <= e->slot)
            cap *= 2;
        ctx->memo = aiq_xrealloc(ctx->memo, sizeof *ctx->memo * (size_t)cap);
        memset(ctx->memo + ctx->capmemo, 0, sizeof *ctx->memo * (size_t)(cap - ctx->capmemo));
        ctx->capmemo = cap;
    }
    ctx->memo[e->slot] = (AiqMemo){v, in, in->sel, in->count, (uint8_t)ctx->cur_arena, ctx->gen[ctx->cur_arena]};
}

/* ---- calls ------------------------------------------------------------------- */

static AiqVector *eval_args_then_kernel(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in, AiqVector *first)
{
    AiqVector *argv[64];
    AiqVector **args = e->nargs <= 64 ? argv : aiq_arena_alloc(&ctx->arena, sizeof *args * (size_t)e->nargs);
    bool all_const = true;
    for (int i = 0; i < e->nargs; i++) {
        if (!(args[i] = i == 0 && first ? first : aiq_eval(ctx, e->args[i], in)))
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
    if (e->type == AIQ_TYPE_DYNAMIC) /* kernels leave null rows unset */
        memset(out->data.dyn, 0, sizeof(json_t *) * (nrows ? nrows : 1));
    if (e->fn->flags & AIQ_FN_NULLS_PROPAGATE) {
        AiqChunk view = {.count = n, .nrows = nrows, .sel = (uint32_t *)sel};
        if (aiq_func_is_operator(e->fn))
            propagate_nulls(ctx, args, e->nargs, out, &view);
        else
            sel = skip_null_rows(ctx, args, e->nargs, out, &view, &n);
    }
    if (!e->fn->kernel) {
        aiq_error_set(ctx->err, AIQ_ERR_RUNTIME, e->off, e->len, "%s() cannot be evaluated here", e->fn->name);
        return NULL;
    }
    ctx->at = e;
    e->fn->kernel(ctx, e, args, out, sel, n);
    if (ctx->err->code != AIQ_OK)
        return NULL;
    return out;
}

/* l and r, l or r with l known: r is evaluated only over the rows l leaves
 * open (not false for and, not true for or), as a chain of 100k `or`s
 * would otherwise evaluate every term on every row. */
static AiqVector *eval_logic(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in, AiqVector *l)
{
    bool is_and = e->fn->id == AIQ_FN_AND;
    uint32_t nrows = in->nrows ? in->nrows : 1;
    AiqVector *out = aiq_vec_new(&ctx->arena, AIQ_TYPE_BOOL, nrows);
    uint32_t *open = aiq_arena_alloc(&ctx->arena, sizeof *open * (in->count + 1));
    uint32_t m = 0;
    for (uint32_t k = 0; k < in->count; k++) {
        uint32_t i = aiq_row(in, k);
        bool decided = !aiq_vec_is_null(l, i) && (l->data.i64[aiq_vidx(l, i)] != 0) != is_and;
        if (decided)
            out->data.i64[i] = !is_and;
        else
            open[m++] = i;
    }
    if (m == 0)
        return out;
    AiqChunk view = *in;
    view.sel = open;
    view.count = m;
    ctx->narrowed++;
    AiqVector *r = aiq_eval(ctx, e->args[1], &view);
    ctx->narrowed--;
    if (!r)
        return NULL;
    AiqVector *args[2] = {l, r};
    e->fn->kernel(ctx, e, args, out, open, m);
    return out;
}

/* Evaluates call e; first, when not NULL, is the value of args[0]. */
static AiqVector *eval_call(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in, AiqVector *first)
{
    AiqVector *v = memo_get(ctx, e, in);
    if (v)
        return v;
    if (first && e->nargs == 2 && (e->fn->flags & AIQ_FN_LOGIC)) {
        v = eval_logic(ctx, e, in, first);
    } else {
        /* d["key"] straight from a scan: the reader may have made it already */
        if (!first && in->nx && is_key_access(e))
            v = aiq_chunk_key_vector(in, e->args[0]->col, e->args[1]->value.str.ptr, e->args[1]->value.str.len);
        if (!v && !first)
            v = convert_cells(ctx, e, in);
        if (!v)
            v = eval_args_then_kernel(ctx, e, in, first);
    }
    if (v)
        memo_put(ctx, e, in, v);
    return v;
}

/* Swaps scratch arena k (0 or 1) in for the chunk's arena, reset first:
 * what it held, two steps down a chain, is dead. */
static void enter_scratch(AiqEvalCtx *ctx, int k, AiqArena *saved)
{
    *saved = ctx->arena;
    aiq_arena_reset(&ctx->scratch[k]);
    ctx->gen[k + 1]++;
    ctx->arena = ctx->scratch[k];
    ctx->cur_arena = k + 1;
}

static void leave_scratch(AiqEvalCtx *ctx, int k, const AiqArena *saved)
{
    ctx->scratch[k] = ctx->arena;
    ctx->arena = *saved;
    ctx->cur_arena = 0;
}

/* A chain: e, e->args[0], e->args[0]->args[0], ... Its lowest call first
 * (or the highest whose value is memoized), then each call above on the
 * value below. A step's own arguments and result are dead two steps up,
 * so the steps below the top alternate between the scratch arenas -- all
 * but those giving strings, which may point into their arguments
 * (substring, iff) and so stay in the chunk's arena. Chains inside a step
 * are evaluated in that step's arena. */
static AiqVector *eval_chain(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in)
{
    int n = 0;
    const AiqExpr **spine = aiq_expr_spine(e, &ctx->arena, &n);
    int low = n - 2; /* spine[n - 1] is not a call with arguments */
    AiqVector *v = NULL;
    for (int j = 0; j <= low && !v; j++)
        if ((v = memo_get(ctx, spine[j], in)))
            low = j;
    /* tolong(d["key"]) and the like at the chain's foot read the reader's
     * cells, as eval_call would (the key vector is then never made) */
    if (!v && low >= 1 && (v = convert_cells(ctx, spine[low - 1], in))) {
        memo_put(ctx, spine[low - 1], in, v);
        low--;
    }
    if (!v && !(v = eval_call(ctx, spine[low], in, NULL)))
        return NULL;
    bool reuse = ctx->stepping == 0 && ctx->cur_arena == 0;
    ctx->stepping++;
    for (int j = low - 1; j >= 0 && v; j--) {
        bool in_scratch = reuse && j > 0 && spine[j]->type != AIQ_TYPE_STRING;
        AiqArena saved;
        if (in_scratch)
            enter_scratch(ctx, j & 1, &saved);
        v = eval_call(ctx, spine[j], in, v);
        if (in_scratch)
            leave_scratch(ctx, j & 1, &saved);
        if (v && !aiq_eval_memory_ok(ctx->err))
            v = NULL;
    }
    ctx->stepping--;
    return v;
}

AiqVector *aiq_eval(AiqEvalCtx *ctx, const AiqExpr *e, const AiqChunk *in)
{
    switch (e->kind) {
    case AIQ_E_COLUMN: return in->cols[e->col];
    case AIQ_E_CONST: return aiq_vec_const(&ctx->arena, &e->value);
    case AIQ_E_CALL: break;
    }
    if (e->nargs > 0 && e->args[0]->kind == AIQ_E_CALL && e->args[0]->nargs > 0)
        return eval_chain(ctx, e, in);
    return eval_call(ctx, e, in, NULL);
}
