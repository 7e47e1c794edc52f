/*
 * op_top_nested.c -- top-nested: level k's input is its aggregation by
 * the first k levels' values (bind/top_nested.c). From the top level down,
 * each chosen path of values keeps the N rows of the next level that
 * extend it, by their aggregate (desc unless asc), and, with `others`, one
 * more row for the rest, whose aggregate is made from theirs and whose
 * deeper levels are null. Each path to the last level is an output row,
 * paths in rank order, depth first.
 */
#include "exec/op.h"

#include <stdlib.h>

#include "core/compare.h"
#include "core/keymap.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/sort.h"

typedef struct Level {
    AiqTable *t;       /* values of levels 0..k, then the aggregate */
    AiqKeyMap groups;  /* key of a row's first k values -> group id */
    int64_t *start, *rows; /* group g's rows are rows[start[g] .. start[g + 1]) */
} Level;

typedef struct Walk {
    const AiqPlan *p;
    Level *lv;
    int nlevels;
    AiqTable *out;
    int64_t *chosen;   /* per level: the row of its table, or -1 for the others row */
    AiqValue *others_agg; /* per level: the others row's aggregate */
    AiqStrBuf key;
} Walk;

/* The key of the first k values of row r of t. */
static void prefix_key(AiqStrBuf *key, const AiqTable *t, int64_t r, int k)
{
    aiq_sb_clear(key);
    for (int c = 0; c < k; c++) {
        AiqVector v;
        aiq_table_column_vector(t, c, &v);
        aiq_key_append(key, &v, (uint32_t)r);
    }
}

/* Groups level k's rows by their first k values. */
static void group_level(Level *L, int k, AiqStrBuf *key)
{
    int64_t n = L->t->nrows;
    int64_t *gid = aiq_xcalloc((size_t)n + 1, sizeof *gid);
    aiq_keymap_init(&L->groups);
    for (int64_t r = 0; r < n; r++) {
        prefix_key(key, L->t, r, k);
        bool added;
        gid[r] = aiq_keymap_get(&L->groups, key->data ? key->data : "", (uint32_t)key->len, &added);
    }
    int64_t ng = L->groups.n;
    L->start = aiq_xcalloc((size_t)ng + 2, sizeof *L->start);
    L->rows = aiq_xcalloc((size_t)n + 1, sizeof *L->rows);
    for (int64_t r = 0; r < n; r++)
        L->start[gid[r] + 1]++;
    for (int64_t g = 0; g < ng; g++)
        L->start[g + 1] += L->start[g];
    int64_t *fill = aiq_xcalloc((size_t)ng + 1, sizeof *fill);
    for (int64_t r = 0; r < n; r++)
        L->rows[L->start[gid[r]] + fill[gid[r]]++] = r;
    aiq_xfree(fill);
    aiq_xfree(gid);
}

/* Compares the aggregates of rows a and b of t (column c); nulls last. */
static int cmp_agg(const AiqTable *t, int c, int64_t a, int64_t b)
{
    bool na = aiq_table_is_null(t, c, a), nb = aiq_table_is_null(t, c, b);
    if (na || nb)
        return na - nb;
    const AiqColumnData *col = &t->cols[c];
    switch (col->type) {
    case AIQ_TYPE_REAL: {
        int x = aiq_cmp_f64(((double *)col->data)[a], ((double *)col->data)[b]);
        return x == AIQ_CMP_UNORDERED ? 0 : x;
    }
    case AIQ_TYPE_STRING: return aiq_cmp_str(((AiqStr *)col->data)[a], ((AiqStr *)col->data)[b]);
    case AIQ_TYPE_DYNAMIC: return 0;
    default: return aiq_cmp_i64(((int64_t *)col->data)[a], ((int64_t *)col->data)[b]);
    }
}

/* qsort has no context argument: the table, column and order being sorted. */
static const AiqTable *sort_t;
static int sort_c;
static bool sort_asc;
static int by_agg(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    bool na = aiq_table_is_null(sort_t, sort_c, a), nb = aiq_table_is_null(sort_t, sort_c, b);
    if (na || nb)
        return na - nb; /* nulls last either way */
    int c = cmp_agg(sort_t, sort_c, a, b);
    c = sort_asc ? c : -c;
    return c ? c : (a > b) - (a < b);
}

/* The others row's aggregate: the rest's aggregates added, or their max or min. */
static AiqValue combine(const AiqTable *t, int c, const int64_t *rows, int64_t from, int64_t to, AiqNestedCombine how)
{
    AiqValue v = {.type = t->cols[c].type, .isnull = true};
    for (int64_t i = from; i < to; i++) {
        int64_t r = rows[i];
        if (aiq_table_is_null(t, c, r))
            continue;
        bool real = v.type == AIQ_TYPE_REAL;
        double f = real ? ((double *)t->cols[c].data)[r] : 0;
        int64_t x = real ? 0 : ((int64_t *)t->cols[c].data)[r];
        if (v.isnull) {
            v.isnull = false;
            v.f64 = f;
            v.i64 = x;
        } else if (how == AIQ_NESTED_ADD) {
            v.f64 += f;
            v.i64 += x;
        } else if ((how == AIQ_NESTED_MAX) == (real ? f > v.f64 : x > v.i64)) {
            v.f64 = f;
            v.i64 = x;
        }
    }
    return v;
}

/* Appends the output row of the path chosen[0..depth]: deeper levels null. */
static void emit(Walk *w, int depth, AiqArena *scratch)
{
    int64_t at = aiq_table_add_null_row(w->out);
    for (int k = 0; k <= depth; k++) {
        const AiqTable *t = w->lv[k].t;
        if (w->chosen[k] < 0) {
            aiq_table_set_value(w->out, 2 * k, at, &w->p->levels[k].others);
            aiq_table_set_value(w->out, 2 * k + 1, at, &w->others_agg[k]);
            continue;
        }
        AiqVector v;
        aiq_table_column_vector(t, k, &v);
        aiq_table_set(w->out, 2 * k, at, &v, (uint32_t)w->chosen[k]);
        aiq_table_column_vector(t, k + 1, &v);
        aiq_table_set(w->out, 2 * k + 1, at, &v, (uint32_t)w->chosen[k]);
    }
    aiq_arena_reset(scratch);
}

/* Chooses level k's rows under the path chosen[0..k-1] and goes on down. */
static void descend(Walk *w, int k, AiqArena *scratch)
{
    Level *L = &w->lv[k];
    const AiqNestedLevel *spec = &w->p->levels[k];
    if (k == 0)
        aiq_sb_clear(&w->key);
    else
        prefix_key(&w->key, w->lv[k - 1].t, w->chosen[k - 1], k);
    int64_t g = aiq_keymap_find(&L->groups, w->key.data ? w->key.data : "", (uint32_t)w->key.len);
    if (g < 0)
        return;
    int64_t from = L->start[g], to = L->start[g + 1];
    sort_t = L->t;
    sort_c = k + 1;
    sort_asc = spec->asc;
    aiq_sort(L->rows + from, (size_t)(to - from), sizeof *L->rows, by_agg);
    int64_t take = spec->n < 0 || spec->n > to - from ? to - from : spec->n;
    for (int64_t i = from; i < from + take; i++) {
        w->chosen[k] = L->rows[i];
        if (k + 1 < w->nlevels)
            descend(w, k + 1, scratch);
        else
            emit(w, k, scratch);
    }
    if (spec->others.type && from + take < to) {
        w->chosen[k] = -1;
        w->others_agg[k] = combine(L->t, k + 1, L->rows, from + take, to, spec->combine);
        emit(w, k, scratch);
    }
}

static AiqTable *top_nested_compute(AiqOp *op)
{
    const AiqPlan *p = op->p;
    int k = p->ninputs;
    Walk w = {.p = p, .nlevels = k};
    w.lv = aiq_xcalloc((size_t)k, sizeof *w.lv);
    aiq_sb_init(&w.key);
    bool ok = true;
    for (int i = 0; i < k && ok; i++) {
        AiqOp *in = aiq_op_build(op->ex, p->inputs[i]);
        w.lv[i].t = in ? aiq_op_drain(in, &p->inputs[i]->schema) : NULL;
        aiq_op_free(in);
        if ((ok = w.lv[i].t != NULL))
            group_level(&w.lv[i], i, &w.key);
    }
    if (ok) {
        w.out = aiq_table_new(&p->schema);
        w.chosen = aiq_xcalloc((size_t)k, sizeof *w.chosen);
        w.others_agg = aiq_xcalloc((size_t)k, sizeof *w.others_agg);
        AiqArena scratch;
        aiq_arena_init(&scratch, 256);
        descend(&w, 0, &scratch);
        aiq_arena_free(&scratch);
        aiq_xfree(w.chosen);
        aiq_xfree(w.others_agg);
    }
    for (int i = 0; i < k; i++) {
        if (w.lv[i].t)
            aiq_keymap_free(&w.lv[i].groups);
        aiq_table_free(w.lv[i].t);
        aiq_xfree(w.lv[i].start);
        aiq_xfree(w.lv[i].rows);
    }
    aiq_xfree(w.lv);
    aiq_sb_free(&w.key);
    return ok ? w.out : NULL;
}

static const AiqOpVtable top_nested_vt = {.compute = top_nested_compute};

AiqOp *aiq_op_top_nested(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new(ex, &top_nested_vt, sizeof(AiqOp), p, NULL);
}
