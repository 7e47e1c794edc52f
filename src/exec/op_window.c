/*
 * op_window.c -- the window functions (bind/window.c): each a column
 * computed over the rows in their order. The input is read whole first
 * (next() and prev() look at other rows, and it keeps the code one loop per
 * function), then its rows go out chunk by chunk with the window columns
 * beside them.
 */
#include "exec/op.h"

#include <string.h>

#include "util/mem.h"

typedef struct Window {
    AiqOp base;
    AiqTable *in;      /* the input, whole */
    AiqTable *w;       /* the window columns */
    int64_t pos;
    AiqVector *vecs;   /* views of a chunk of in, then of w */
    AiqChunk part;
} Window;

/* Stores an int64 value (long, datetime, timespan) in column c, row r. */
static void put_i64(AiqTable *t, int c, int64_t r, int64_t x)
{
    AiqVector v = {.type = t->schema.cols[c].type, .is_const = true, .data.i64 = &x};
    aiq_table_set(t, c, r, &v, 0);
}

static void put_f64(AiqTable *t, int c, int64_t r, double x)
{
    AiqVector v = {.type = AIQ_TYPE_REAL, .is_const = true, .data.f64 = &x};
    aiq_table_set(t, c, r, &v, 0);
}

static bool restarts(const AiqTable *in, const AiqWindowFn *f, int64_t r)
{
    return f->restart >= 0 && !aiq_table_is_null(in, f->restart, r) && ((int64_t *)in->cols[f->restart].data)[r] != 0;
}

/* Whether rows a and b of column c hold the same value (nulls equal). */
static bool same_value(const AiqTable *t, int c, int64_t a, int64_t b)
{
    bool na = aiq_table_is_null(t, c, a), nb = aiq_table_is_null(t, c, b);
    if (na || nb)
        return na && nb;
    const AiqColumnData *col = &t->cols[c];
    switch (col->type) {
    case AIQ_TYPE_REAL: return ((double *)col->data)[a] == ((double *)col->data)[b];
    case AIQ_TYPE_STRING: {
        AiqStr x = ((AiqStr *)col->data)[a], y = ((AiqStr *)col->data)[b];
        return x.len == y.len && (!x.len || memcmp(x.ptr, y.ptr, x.len) == 0);
    }
    default: return ((int64_t *)col->data)[a] == ((int64_t *)col->data)[b];
    }
}

/* prev and next: the value `n` rows before (after), or the default. */
static void shifted(const AiqTable *in, AiqTable *w, int c, const AiqWindowFn *f, AiqArena *scratch)
{
    AiqVector src;
    aiq_table_column_vector(in, f->arg, &src);
    AiqVector *dflt = aiq_vec_const(scratch, &f->dflt);
    for (int64_t r = 0; r < in->nrows; r++) {
        int64_t from = f->kind == AIQ_WIN_PREV ? r - f->n : r + f->n;
        if (from >= 0 && from < in->nrows)
            aiq_table_set(w, c, r, &src, (uint32_t)from);
        else
            aiq_table_set(w, c, r, dflt, 0);
    }
}

static void cumsum(const AiqTable *in, AiqTable *w, int c, const AiqWindowFn *f)
{
    bool real = f->type == AIQ_TYPE_REAL;
    AiqType at = in->schema.cols[f->arg].type;
    double fs = 0;
    int64_t is = 0;
    for (int64_t r = 0; r < in->nrows; r++) {
        if (restarts(in, f, r))
            fs = 0, is = 0;
        if (!aiq_table_is_null(in, f->arg, r)) { /* a null adds nothing */
            if (at == AIQ_TYPE_REAL)
                fs += ((double *)in->cols[f->arg].data)[r];
            else
                is += ((int64_t *)in->cols[f->arg].data)[r];
        }
        if (real)
            put_f64(w, c, r, fs + (double)is);
        else
            put_i64(w, c, r, is);
    }
}

/* row_window_session: a row starts a new session when it is the first, a
 * restart, more than max_first after the session's start or more than
 * max_gap after the row before; its value is its session's start. */
static void sessions(const AiqTable *in, AiqTable *w, int c, const AiqWindowFn *f)
{
    const int64_t *t = in->cols[f->arg].data;
    bool open = false;
    int64_t start = 0, last = 0;
    for (int64_t r = 0; r < in->nrows; r++) {
        if (aiq_table_is_null(in, f->arg, r))
            continue; /* null: no session (the row's value stays null) */
        if (!open || restarts(in, f, r) || t[r] - start > f->max_first || t[r] - last > f->max_gap)
            start = t[r];
        open = true;
        last = t[r];
        put_i64(w, c, r, start);
    }
}

static void numbers(const AiqTable *in, AiqTable *w, int c, const AiqWindowFn *f)
{
    int64_t k = 0, rank = 0, first = 0;
    for (int64_t r = 0; r < in->nrows; r++) {
        bool restart = r == 0 || restarts(in, f, r);
        if (restart) {
            k = 0;
            first = r;
        }
        switch (f->kind) {
        case AIQ_WIN_ROW_NUMBER: put_i64(w, c, r, f->n + k); break;
        case AIQ_WIN_RANK_DENSE:
            rank = restart ? 1 : rank + !same_value(in, f->arg, r - 1, r);
            put_i64(w, c, r, rank);
            break;
        default: /* row_rank_min: the position of the first row of the run of equal values */
            if (restart || !same_value(in, f->arg, r - 1, r))
                rank = r - first + 1;
            put_i64(w, c, r, rank);
            break;
        }
        k++;
    }
}

static bool window_start(Window *s)
{
    AiqOp *op = &s->base;
    const AiqPlan *p = op->p;
    if (!(s->in = aiq_op_drain(op->input, &p->input->schema)))
        return false;
    AiqColumn *cols = aiq_xcalloc((size_t)p->nwindows + 1, sizeof *cols);
    int nin = s->in->schema.ncols;
    for (int i = 0; i < p->nwindows; i++)
        cols[i] = p->schema.cols[nin + i];
    s->w = aiq_table_new(&(AiqSchema){.cols = cols, .ncols = p->nwindows});
    aiq_xfree(cols);
    aiq_table_add_null_rows(s->w, s->in->nrows);
    AiqArena scratch;
    aiq_arena_init(&scratch, 256);
    for (int i = 0; i < p->nwindows; i++) {
        const AiqWindowFn *f = &p->windows[i];
        switch (f->kind) {
        case AIQ_WIN_PREV:
        case AIQ_WIN_NEXT: shifted(s->in, s->w, i, f, &scratch); break;
        case AIQ_WIN_ROW_CUMSUM: cumsum(s->in, s->w, i, f); break;
        case AIQ_WIN_SESSION: sessions(s->in, s->w, i, f); break;
        default: numbers(s->in, s->w, i, f); break;
        }
    }
    aiq_arena_free(&scratch);
    s->vecs = aiq_xcalloc((size_t)p->schema.ncols + 1, sizeof *s->vecs);
    aiq_op_out_cols(op, p->schema.ncols);
    return aiq_op_check_limits(op->ex);
}

static AiqChunk *window_next(AiqOp *op)
{
    Window *s = (Window *)op;
    if (!s->in && !window_start(s))
        return NULL;
    if (s->pos >= s->in->nrows)
        return NULL;
    int64_t left = s->in->nrows - s->pos;
    uint32_t n = left > AIQ_VECTOR_SIZE ? AIQ_VECTOR_SIZE : (uint32_t)left;
    int nin = s->in->schema.ncols;
    aiq_table_view(s->in, s->pos, n, &op->out, s->vecs, op->cols);
    aiq_table_view(s->w, s->pos, n, &s->part, s->vecs + nin, op->cols + nin);
    op->out.ncols = op->p->schema.ncols;
    op->out.cols = op->cols;
    s->pos += n;
    return &op->out;
}

static void window_release(AiqOp *op)
{
    Window *s = (Window *)op;
    aiq_table_free(s->in);
    aiq_table_free(s->w);
    aiq_xfree(s->vecs);
}

static const AiqOpVtable window_vt = {.next = window_next, .release = window_release};

AiqOp *aiq_op_window(AiqExecCtx *ex, const AiqPlan *p)
{
    Window *s = aiq_op_new_over(ex, &window_vt, sizeof *s, p);
    return s ? &s->base : NULL;
}
