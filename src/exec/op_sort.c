/*
 * op_sort.c -- sort and top: the input's rows are materialized with their
 * evaluated keys, ordered by index (stable: ties keep their input order),
 * and gathered. A top keeps only about twice its N rows at a time, skips
 * rows that sort after its current N-th row, and, straight over a scan,
 * publishes that row's key to the reader (AiqTopHint), which then drops
 * such rows before they are built.
 */
#include "exec/op.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_text.h"
#include "util/mem.h"

typedef struct Sort {
    AiqOp base;
    AiqTopHint *hint; /* top over a streaming scan: its current N-th key */
} Sort;

/* sort and top: the input rows plus their evaluated keys, sorted by index. */
typedef struct SortCtx {
    AiqTable *keys;
    const int *flags;
    int nkeys;
} SortCtx;

static SortCtx *sort_ctx; /* qsort has no user pointer in C11 */

static int cmp_values(const AiqTable *t, int c, int64_t x, int64_t y)
{
    const AiqColumnData *cd = &t->cols[c];
    switch (cd->type) {
    case AIQ_TYPE_REAL: {
        double a = ((double *)cd->data)[x], b = ((double *)cd->data)[y];
        return (a > b) - (a < b);
    }
    case AIQ_TYPE_STRING: {
        AiqStr a = ((AiqStr *)cd->data)[x], b = ((AiqStr *)cd->data)[y];
        uint32_t n = a.len < b.len ? a.len : b.len;
        int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
        return r ? r : (a.len > b.len) - (a.len < b.len);
    }
    case AIQ_TYPE_DYNAMIC: {
        char *a = aiq_dyn_dumps(((json_t **)cd->data)[x], JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = aiq_dyn_dumps(((json_t **)cd->data)[y], JSON_COMPACT | JSON_ENCODE_ANY);
        int r = strcmp(a ? a : "", b ? b : "");
        aiq_xfree(a);
        aiq_xfree(b);
        return r;
    }
    default: {
        int64_t a = ((int64_t *)cd->data)[x], b = ((int64_t *)cd->data)[y];
        return (a > b) - (a < b);
    }
    }
}

static int cmp_rows(const void *pa, const void *pb)
{
    int64_t x = *(const int64_t *)pa, y = *(const int64_t *)pb;
    for (int k = 0; k < sort_ctx->nkeys; k++) {
        int f = sort_ctx->flags[k];
        bool nx = aiq_table_is_null(sort_ctx->keys, k, x), ny = aiq_table_is_null(sort_ctx->keys, k, y);
        if (nx || ny) {
            if (nx && ny)
                continue;
            bool nulls_first = (f & AIQ_SORT_NULLS_FIRST) != 0;
            return nx ? (nulls_first ? -1 : 1) : (nulls_first ? 1 : -1);
        }
        int c = cmp_values(sort_ctx->keys, k, x, y);
        if (c)
            return (f & AIQ_SORT_DESC) ? -c : c;
    }
    return (x > y) - (x < y); /* stable */
}

/* Returns the row order of (rows, keys) sorted by the plan's keys. */
static int64_t *sorted_order(AiqTable *keys, const AiqPlan *p, int64_t n)
{
    int64_t *order = aiq_xmalloc(sizeof *order * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++)
        order[i] = i;
    SortCtx sc = {keys, p->sort_flags, p->nexprs};
    sort_ctx = &sc;
    qsort(order, (size_t)n, sizeof *order, cmp_rows);
    sort_ctx = NULL;
    return order;
}

/* Copies rows of src in the given order (first n) into a new table. */
static AiqTable *gather(const AiqTable *src, const int64_t *order, int64_t n)
{
    AiqTable *out = aiq_table_new(&src->schema);
    int nc = src->schema.ncols;
    AiqVector *vecs = aiq_xcalloc((size_t)nc + 1, sizeof *vecs);
    AiqVector **ptrs = aiq_xcalloc((size_t)nc + 1, sizeof *ptrs);
    uint32_t *rows = aiq_xcalloc((size_t)nc + 1, sizeof *rows);
    for (int c = 0; c < nc; c++) {
        aiq_table_column_vector(src, c, &vecs[c]);
        ptrs[c] = &vecs[c];
    }
    for (int64_t r = 0; r < n; r++) {
        for (int c = 0; c < nc; c++)
            rows[c] = (uint32_t)order[r];
        aiq_table_append_row(out, ptrs, rows);
    }
    aiq_xfree(vecs);
    aiq_xfree(ptrs);
    aiq_xfree(rows);
    return out;
}

static AiqSchema key_schema(const AiqPlan *p, AiqColumn *cols)
{
    for (int k = 0; k < p->nexprs; k++) {
        cols[k].name = "key";
        cols[k].type = p->exprs[k]->type;
    }
    return (AiqSchema){p->nexprs, cols};
}

/* Keeps only the first `limit` rows in key order (top's bounded memory). */
static void truncate_sorted(AiqTable **rows, AiqTable **keys, const AiqPlan *p, int64_t limit)
{
    int64_t *order = sorted_order(*keys, p, (*rows)->nrows);
    int64_t n = (*rows)->nrows < limit ? (*rows)->nrows : limit;
    AiqTable *r2 = gather(*rows, order, n), *k2 = gather(*keys, order, n);
    aiq_xfree(order);
    aiq_table_free(*rows);
    aiq_table_free(*keys);
    *rows = r2;
    *keys = k2;
}

/* True when row i of key vector v sorts strictly before row r of the key
 * table (column 0) under flags -- the test top uses to skip rows. */
static bool before_threshold(const AiqVector *v, uint32_t i, const AiqTable *keys, int64_t r, int flags)
{
    bool nv = aiq_vec_is_null(v, i), nt = aiq_table_is_null(keys, 0, r);
    bool nulls_first = (flags & AIQ_SORT_NULLS_FIRST) != 0;
    if (nv || nt) {
        if (nv && nt)
            return false;
        return nv ? nulls_first : !nulls_first;
    }
    const AiqColumnData *cd = &keys->cols[0];
    uint32_t j = aiq_vidx(v, i);
    int c;
    switch (cd->type) {
    case AIQ_TYPE_REAL: {
        double a = v->data.f64[j], b = ((double *)cd->data)[r];
        c = (a > b) - (a < b);
        break;
    }
    case AIQ_TYPE_STRING: {
        AiqStr a = v->data.str[j], b = ((AiqStr *)cd->data)[r];
        uint32_t n = a.len < b.len ? a.len : b.len;
        c = n ? memcmp(a.ptr, b.ptr, n) : 0;
        if (!c)
            c = (a.len > b.len) - (a.len < b.len);
        break;
    }
    case AIQ_TYPE_DYNAMIC: return true; /* no cheap order: keep the row, the sort decides */
    default: {
        int64_t a = v->data.i64[j], b = ((int64_t *)cd->data)[r];
        c = (a > b) - (a < b);
    }
    }
    return (flags & AIQ_SORT_DESC) ? c > 0 : c < 0;
}

static AiqTable *sort_compute(AiqOp *op)
{
    Sort *m = (Sort *)op;
    const AiqPlan *p = op->p;
    AiqExecCtx *ex = op->ex;
    AiqColumn *kc = aiq_xcalloc((size_t)p->nexprs + 1, sizeof *kc); /* sort by takes any number of keys */
    AiqVector **kv = aiq_xcalloc((size_t)p->nexprs + 1, sizeof *kv);
    AiqSchema ks = key_schema(p, kc);
    AiqTable *rows = aiq_table_new(&p->input->schema), *keys = aiq_table_new(&ks);
    AiqEvalCtx ev;
    aiq_eval_init(&ev, ex->err, ex->now);
    bool top = p->kind == AIQ_P_TOP;
    bool have_threshold = false; /* top: keys row threshold_row is the current N-th */
    int64_t threshold_row = 0;
    AiqChunk *c;
    while ((c = aiq_op_next(op->input))) {
        aiq_eval_reset(&ev);
        for (int k = 0; k < p->nexprs; k++)
            if (!(kv[k] = aiq_eval(&ev, p->exprs[k], c)))
                goto fail;
        AiqChunk kchunk = *c;
        kchunk.ncols = p->nexprs;
        kchunk.cols = kv;
        AiqChunk rchunk = *c;
        if (top && have_threshold) {
            /* keep only rows that sort before the current N-th row: the
             * others can never enter the result (ties keep the earlier row) */
            uint32_t *sel = aiq_arena_alloc(&ev.arena, sizeof *sel * (c->count ? c->count : 1));
            uint32_t m2 = 0;
            for (uint32_t k = 0; k < c->count; k++) {
                uint32_t i = aiq_row(c, k);
                if (before_threshold(kv[0], i, keys, threshold_row, p->sort_flags[0]))
                    sel[m2++] = i;
            }
            rchunk.sel = kchunk.sel = sel;
            rchunk.count = kchunk.count = m2;
        }
        aiq_table_append_chunk(rows, &rchunk);
        aiq_table_append_chunk(keys, &kchunk);
        if (top && rows->nrows > 2 * p->limit + 4096) {
            truncate_sorted(&rows, &keys, p, p->limit);
            have_threshold = rows->nrows == p->limit && p->limit > 0;
            threshold_row = rows->nrows - 1;
            if (have_threshold && m->hint && !aiq_table_is_null(keys, 0, threshold_row)) {
                /* let the reader drop what cannot enter: one value, one store */
                int64_t bits;
                memcpy(&bits, (const char *)keys->cols[0].data + 8 * (size_t)threshold_row, sizeof bits);
                atomic_store_explicit(&m->hint->bits, bits, memory_order_relaxed);
                atomic_store_explicit(&m->hint->set, true, memory_order_release);
            }
        }
        if (!aiq_op_check_limits(ex))
            goto fail;
    }
    if (ex->err->code != AIQ_OK)
        goto fail;
    aiq_eval_free(&ev);
    int64_t *order = sorted_order(keys, p, rows->nrows);
    int64_t n = top && rows->nrows > p->limit ? p->limit : rows->nrows;
    AiqTable *out = gather(rows, order, n);
    aiq_xfree(order);
    aiq_table_free(rows);
    aiq_table_free(keys);
    aiq_xfree(kc);
    aiq_xfree(kv);
    return out;
fail:
    aiq_eval_free(&ev);
    aiq_table_free(rows);
    aiq_table_free(keys);
    aiq_xfree(kc);
    aiq_xfree(kv);
    return NULL;
}

static void sort_release(AiqOp *op) { aiq_xfree(((Sort *)op)->hint); }

static const AiqOpVtable sort_vt = {.compute = sort_compute, .release = sort_release};

/* The hint a top straight over a scan publishes its threshold in, when
 * physical planning chose the top's key for it (AiqScanSpec.top). */
static AiqTopHint *top_hint(const AiqPlan *p)
{
    const AiqPlan *in = p->input;
    if (p->kind != AIQ_P_TOP || in->kind != AIQ_P_SCAN || !in->scan || !in->scan->top)
        return NULL;
    AiqTopHint *h = aiq_xcalloc(1, sizeof *h);
    h->col = in->scan->top_col;
    h->type = in->scan->top_type;
    h->desc = in->scan->top_desc;
    return h;
}

AiqOp *aiq_op_sort(AiqExecCtx *ex, const AiqPlan *p)
{
    AiqTopHint *hint = top_hint(p);
    AiqOp *input = hint ? aiq_op_scan(ex, p->input, hint) : aiq_op_build(ex, p->input);
    if (!input) {
        aiq_xfree(hint);
        return NULL;
    }
    Sort *s = aiq_op_new(ex, &sort_vt, sizeof *s, p, input);
    s->hint = hint; /* published to the reader when it is streaming */
    return &s->base;
}
