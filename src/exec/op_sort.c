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
#include "core/validity.h"
#include "util/mem.h"
#include "util/sort.h"

typedef struct Sort {
    AiqOp base;
    AiqTopHint *hint; /* top over a streaming scan: its current N-th key */
} Sort;

/* ---- ordering rows ------------------------------------------------------------ */

/* A sort key made ready for comparing: its column's values, its nulls, and
 * for a dynamic key each row's JSON text, made once (comparing made it
 * twice per comparison). */
typedef struct SortKey {
    AiqType type;
    const void *data;
    const uint64_t *validity;
    char **text; /* dynamic: the rows' text, NULL for a null */
    bool desc, nulls_first;
} SortKey;

typedef struct SortCtx {
    const SortKey *keys;
    int nkeys;
} SortCtx;

static const SortCtx *sort_ctx; /* qsort has no user pointer in C11 */

static bool key_null(const SortKey *k, int64_t r)
{
    if (k->type == AIQ_TYPE_DYNAMIC)
        return !((json_t *const *)k->data)[r];
    return k->validity && !aiq_bit(k->validity, r);
}

/* Three-way comparison of two rows' values of key k, not null: by the
 * value's type; a NaN compares equal to everything, as it always has
 * here; a dynamic value by its JSON text. */
static int key_cmp(const SortKey *k, int64_t x, int64_t y)
{
    switch (k->type) {
    case AIQ_TYPE_REAL: {
        double a = ((const double *)k->data)[x], b = ((const double *)k->data)[y];
        return (a > b) - (a < b);
    }
    case AIQ_TYPE_STRING: return aiq_cmp_str(((const AiqStr *)k->data)[x], ((const AiqStr *)k->data)[y]);
    case AIQ_TYPE_DYNAMIC: return strcmp(k->text[x] ? k->text[x] : "", k->text[y] ? k->text[y] : "");
    default: return aiq_cmp_i64(((const int64_t *)k->data)[x], ((const int64_t *)k->data)[y]);
    }
}

/* Rows x and y by keys from.. on (nulls where the key's flags put them),
 * then by row number: the order is stable. */
static int cmp_keys(int from, int64_t x, int64_t y)
{
    for (int i = from; i < sort_ctx->nkeys; i++) {
        const SortKey *k = &sort_ctx->keys[i];
        bool nx = key_null(k, x), ny = key_null(k, y);
        if (nx || ny) {
            if (nx && ny)
                continue;
            return nx == k->nulls_first ? -1 : 1;
        }
        int c = key_cmp(k, x, y);
        if (c)
            return k->desc ? -c : c;
    }
    return (x > y) - (x < y);
}

static int cmp_rows_rest(const void *pa, const void *pb)
{
    return cmp_keys(1, *(const int64_t *)pa, *(const int64_t *)pb);
}

static int first_cmp_rows(const void *pa, const void *pb)
{
    return cmp_keys(0, *(const int64_t *)pa, *(const int64_t *)pb);
}

/* The first key's value beside its row: the comparisons most sorts are
 * decided by read one array, typed, with no null test and no type switch;
 * ties go on to the other keys. */
typedef struct Pair {
    union {
        int64_t i;
        double f;
    } v;
    int64_t row;
} Pair;

#define DEFINE_PAIR_CMP(name, field, sign)                                                 \
    static int name(const void *pa, const void *pb)                                        \
    {                                                                                      \
        const Pair *a = pa, *b = pb;                                                       \
        int c = (a->v.field > b->v.field) - (a->v.field < b->v.field);                     \
        return c ? sign c : cmp_keys(1, a->row, b->row);                                   \
    }
DEFINE_PAIR_CMP(cmp_i64_asc, i, +)
DEFINE_PAIR_CMP(cmp_i64_desc, i, -)
DEFINE_PAIR_CMP(cmp_f64_asc, f, +)
DEFINE_PAIR_CMP(cmp_f64_desc, f, -)
#undef DEFINE_PAIR_CMP

/* Orders rows 0..n-1 into order: the rows whose first key is null by the
 * other keys, put first or last as its flags say, and the rest by the
 * first key's value (Pair), when it is a number. */
static void order_rows(const SortKey *first, int64_t n, int64_t *order)
{
    int64_t nnull = 0, nval = 0;
    for (int64_t r = 0; r < n; r++)
        nnull += key_null(first, r);
    int64_t *nulls = order + (first->nulls_first ? 0 : n - nnull), *vals = order + (first->nulls_first ? nnull : 0);
    bool numeric = first->type != AIQ_TYPE_STRING && first->type != AIQ_TYPE_DYNAMIC;
    Pair *pairs = numeric ? aiq_xmalloc(sizeof *pairs * (size_t)(n - nnull + 1)) : NULL;
    for (int64_t r = 0, k = 0; r < n; r++) {
        if (key_null(first, r)) {
            nulls[k++] = r;
        } else if (pairs) {
            pairs[nval].row = r;
            if (first->type == AIQ_TYPE_REAL)
                pairs[nval].v.f = ((const double *)first->data)[r];
            else
                pairs[nval].v.i = ((const int64_t *)first->data)[r];
            nval++;
        } else {
            vals[nval++] = r;
        }
    }
    aiq_sort(nulls, (size_t)nnull, sizeof *nulls, cmp_rows_rest);
    if (pairs) {
        int (*cmp)(const void *, const void *) = first->type == AIQ_TYPE_REAL ? (first->desc ? cmp_f64_desc : cmp_f64_asc)
                                                                              : (first->desc ? cmp_i64_desc : cmp_i64_asc);
        aiq_sort(pairs, (size_t)nval, sizeof *pairs, cmp);
        for (int64_t k = 0; k < nval; k++)
            vals[k] = pairs[k].row;
        aiq_xfree(pairs);
    } else {
        aiq_sort(vals, (size_t)nval, sizeof *vals, first_cmp_rows);
    }
}

/* Returns the row order of (rows, keys) sorted by the plan's keys. */
static int64_t *sorted_order(AiqTable *keys, const AiqPlan *p, int64_t n)
{
    int nk = p->nexprs;
    SortKey *sk = aiq_xcalloc((size_t)nk + 1, sizeof *sk);
    for (int i = 0; i < nk; i++) {
        const AiqColumnData *cd = &keys->cols[i];
        sk[i] = (SortKey){.type = cd->type, .data = cd->data, .validity = cd->validity,
                          .desc = (p->sort_flags[i] & AIQ_SORT_DESC) != 0,
                          .nulls_first = (p->sort_flags[i] & AIQ_SORT_NULLS_FIRST) != 0};
        if (cd->type == AIQ_TYPE_DYNAMIC) {
            sk[i].text = aiq_xcalloc((size_t)n + 1, sizeof *sk[i].text);
            for (int64_t r = 0; r < n; r++)
                sk[i].text[r] = aiq_dyn_dumps(((json_t **)cd->data)[r], JSON_COMPACT | JSON_ENCODE_ANY);
        }
    }
    int64_t *order = aiq_xmalloc(sizeof *order * (size_t)(n ? n : 1));
    SortCtx sc = {sk, nk};
    sort_ctx = &sc;
    if (nk > 0)
        order_rows(&sk[0], n, order);
    else
        for (int64_t r = 0; r < n; r++)
            order[r] = r;
    sort_ctx = NULL;
    for (int i = 0; i < nk; i++) {
        for (int64_t r = 0; sk[i].text && r < n; r++)
            aiq_xfree(sk[i].text[r]);
        aiq_xfree(sk[i].text);
    }
    aiq_xfree(sk);
    return order;
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
    *rows = aiq_table_take_rows(*rows, order, n);
    *keys = aiq_table_take_rows(*keys, order, n);
    aiq_xfree(order);
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
    AiqTable *out = aiq_table_take_rows(rows, order, n);
    aiq_xfree(order);
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
