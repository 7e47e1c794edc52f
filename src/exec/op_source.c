/*
 * op_source.c -- operators that start a pipeline: a table's rows (streamed
 * from its reader in bounded memory, or a whole table the session holds),
 * the rows of a materialized table, constant rows (print, datatable,
 * getschema), range, and tabular lets (computed once for every use).
 */
#include "exec/op.h"

#include <math.h>

#include "util/mem.h"

/* ---- a materialized table --------------------------------------------- */

typedef struct TableScan {
    AiqOp base;
    AiqTable *t;
    bool owned;
    bool source;  /* reads input data (counted in rows_scanned), not an intermediate result */
    int64_t pos;
    AiqVector *vecs;
} TableScan;

static AiqChunk *table_scan_next(AiqOp *op)
{
    TableScan *s = (TableScan *)op;
    if (!s->t || s->pos >= s->t->nrows)
        return NULL;
    int64_t left = s->t->nrows - s->pos;
    uint32_t n = left > AIQ_VECTOR_SIZE ? AIQ_VECTOR_SIZE : (uint32_t)left;
    aiq_table_view(s->t, s->pos, n, &op->out, s->vecs, op->cols);
    s->pos += n;
    if (s->source)
        op->ex->rows_scanned += n;
    return &op->out;
}

static void table_scan_release(AiqOp *op)
{
    TableScan *s = (TableScan *)op;
    if (s->owned)
        aiq_table_free(s->t);
    aiq_xfree(s->vecs);
}

static const AiqOpVtable table_scan_vt = {.next = table_scan_next, .release = table_scan_release};

AiqOp *aiq_op_table_scan(AiqExecCtx *ex, AiqTable *t, bool owned)
{
    TableScan *s = aiq_op_new(ex, &table_scan_vt, sizeof *s, NULL, NULL);
    s->t = t;
    s->owned = owned;
    int n = t ? t->schema.ncols : 0;
    s->vecs = aiq_xcalloc((size_t)n + 1, sizeof *s->vecs);
    aiq_op_out_cols(&s->base, n);
    return &s->base;
}

/* ---- a table streamed from its reader, batch by batch ------------------ */

typedef struct StreamScan {
    AiqOp base;
    void *stream;
    AiqTable *batch;
    int64_t pos;
    AiqVector *vecs;
    int ncols;
    int32_t off, len; /* the table's name in the query: an input error is shown there */
} StreamScan;

/* An error while reading a table (a truncated file, a file that is not
 * logs) is shown under the table's name in the query, like a query error. */
static void *input_error_at(AiqExecCtx *ex, int32_t off, int32_t len)
{
    if (ex->err->code != AIQ_OK && ex->err->offset < 0) {
        ex->err->offset = off;
        ex->err->length = len;
    }
    return NULL;
}

static AiqChunk *stream_next(AiqOp *op)
{
    StreamScan *s = (StreamScan *)op;
    while (!s->batch || s->pos >= s->batch->nrows) {
        s->batch = NULL; /* (the stream's: it frees or keeps it) */
        if (!s->stream || !aiq_op_check_limits(op->ex))
            return NULL;
        s->batch = op->ex->source.next(s->stream, op->ex->err);
        s->pos = 0;
        if (!s->batch)
            return input_error_at(op->ex, s->off, s->len);
        if (s->batch->schema.ncols > s->ncols) {
            s->ncols = s->batch->schema.ncols;
            s->vecs = aiq_xrealloc(s->vecs, sizeof *s->vecs * (size_t)(s->ncols + 1));
            aiq_op_out_cols(op, s->ncols);
        }
    }
    int64_t left = s->batch->nrows - s->pos;
    uint32_t n = left > AIQ_VECTOR_SIZE ? AIQ_VECTOR_SIZE : (uint32_t)left;
    aiq_table_view(s->batch, s->pos, n, &op->out, s->vecs, op->cols);
    s->pos += n;
    op->ex->rows_scanned += n;
    return &op->out;
}

static void stream_release(AiqOp *op)
{
    StreamScan *s = (StreamScan *)op;
    if (s->stream)
        op->ex->source.close(s->stream);
    aiq_xfree(s->vecs);
}

static const AiqOpVtable stream_vt = {.next = stream_next, .release = stream_release};

AiqOp *aiq_op_scan(AiqExecCtx *ex, const AiqPlan *p, AiqTopHint *hint)
{
    void *stream = ex->source.open(ex->source.ud, p, hint, ex->err);
    if (stream) {
        StreamScan *s = aiq_op_new(ex, &stream_vt, sizeof *s, p, NULL);
        s->stream = stream;
        s->off = p->table_off;
        s->len = p->table_len;
        return aiq_op_count(ex, &s->base, p); /* (a sort builds its scan itself: counted here) */
    }
    if (ex->err->code != AIQ_OK)
        return input_error_at(ex, p->table_off, p->table_len);
    AiqTable *t = ex->source.load(ex->source.ud, p, ex->err);
    if (!t)
        return input_error_at(ex, p->table_off, p->table_len);
    AiqOp *scan = aiq_op_table_scan(ex, t, false);
    ((TableScan *)scan)->source = true;
    return aiq_op_count(ex, scan, p);
}

/* ---- constants: print, datatable, getschema ---------------------------- */

AiqOp *aiq_op_values(AiqExecCtx *ex, const AiqPlan *p)
{
    AiqTable *t = aiq_table_new(&p->schema);
    AiqArena a;
    aiq_arena_init(&a, 4096);
    int nc = p->schema.ncols; /* a datatable has any number of columns */
    AiqVector **vecs = aiq_xcalloc((size_t)nc + 1, sizeof *vecs);
    uint32_t *rows = aiq_xcalloc((size_t)nc + 1, sizeof *rows);
    for (int64_t r = 0; r < p->nrows; r++) {
        for (int c = 0; c < nc; c++)
            vecs[c] = aiq_vec_const(&a, &p->values[r * nc + c]);
        aiq_table_append_row(t, vecs, rows);
        aiq_arena_reset(&a);
    }
    aiq_xfree(vecs);
    aiq_xfree(rows);
    aiq_arena_free(&a);
    return aiq_op_table_scan(ex, t, true);
}

/* ---- range x from a to b step c ----------------------------------------- */

typedef struct Range {
    AiqOp base;
    bool started, done, real;
    int64_t cur, to, step;  /* long, datetime, timespan */
    double from_f, to_f, step_f; /* real: the k-th value is from + k * step (no drift) */
    int64_t k;
    AiqArena arena;
    AiqVector *col;
} Range;

/* The value of bound i (a column-free expression); false with the error set
 * for a null. */
static bool range_bound(Range *r, int i, int64_t *i64, double *f64)
{
    AiqOp *op = &r->base;
    AiqChunk one = {.count = 1, .nrows = 1};
    AiqVector *v = aiq_eval(&op->ev, op->p->exprs[i], &one);
    if (!v)
        return false;
    static const char *const what[] = {"start", "end", "step"};
    if (aiq_vec_is_null(v, 0))
        return aiq_error_set(op->ex->err, AIQ_ERR_RUNTIME, op->p->exprs[i]->off, op->p->exprs[i]->len ? op->p->exprs[i]->len : 1,
                             "the %s of range is null", what[i]);
    *f64 = v->type == AIQ_TYPE_REAL ? v->data.f64[0] : (double)v->data.i64[0];
    *i64 = v->type == AIQ_TYPE_REAL ? (int64_t)v->data.f64[0] : v->data.i64[0];
    return true;
}

static bool range_start(Range *r)
{
    r->started = true;
    if (!range_bound(r, 0, &r->cur, &r->from_f) || !range_bound(r, 1, &r->to, &r->to_f) ||
        !range_bound(r, 2, &r->step, &r->step_f))
        return false;
    aiq_eval_reset(&r->base.ev);
    if (r->real ? r->step_f == 0 || isnan(r->step_f) : r->step == 0)
        return aiq_error_set(r->base.ex->err, AIQ_ERR_RUNTIME, r->base.p->exprs[2]->off, 1, "the step of range cannot be zero");
    return true;
}

/* The next up to 2048 real values from + k * step within the bounds. */
static uint32_t range_reals(Range *r)
{
    uint32_t n = 0;
    while (n < AIQ_VECTOR_SIZE) {
        double x = r->from_f + (double)r->k * r->step_f;
        if (r->step_f > 0 ? x > r->to_f : x < r->to_f) {
            r->done = true;
            break;
        }
        r->col->data.f64[n++] = x;
        r->k++;
    }
    return n;
}

static AiqChunk *range_next(AiqOp *op)
{
    Range *r = (Range *)op;
    if (!r->started && !range_start(r))
        return NULL;
    if (r->done)
        return NULL;
    uint32_t n = 0;
    if (r->real)
        n = range_reals(r);
    while (!r->real && n < AIQ_VECTOR_SIZE && (r->step > 0 ? r->cur <= r->to : r->cur >= r->to)) {
        r->col->data.i64[n++] = r->cur;
        if (__builtin_add_overflow(r->cur, r->step, &r->cur)) {
            r->done = true;
            break;
        }
    }
    if (n == 0) {
        r->done = true;
        return NULL;
    }
    if (!aiq_op_check_limits(op->ex))
        return NULL;
    op->ex->rows_scanned += n;
    op->out = (AiqChunk){.count = n, .nrows = n, .ncols = 1, .cols = &r->col};
    return &op->out;
}

static void range_release(AiqOp *op) { aiq_arena_free(&((Range *)op)->arena); }

static const AiqOpVtable range_vt = {.next = range_next, .release = range_release, .eval = true};

AiqOp *aiq_op_range(AiqExecCtx *ex, const AiqPlan *p)
{
    Range *r = aiq_op_new(ex, &range_vt, sizeof *r, p, NULL);
    aiq_arena_init(&r->arena, 0);
    r->real = p->schema.cols[0].type == AIQ_TYPE_REAL;
    r->col = aiq_vec_new(&r->arena, p->schema.cols[0].type, AIQ_VECTOR_SIZE);
    return &r->base;
}

/* ---- tabular lets --------------------------------------------------------- */

/* A tabular let, computed once and kept for every use: its input is
 * drained by the first use that runs, then freed. */
static AiqTable *shared_compute(AiqOp *op)
{
    AiqExecCtx *ex = op->ex;
    int id = op->p->shared_id;
    if (!ex->shared[id] && ex->shared_inputs[id]) {
        ex->shared[id] = aiq_op_drain(ex->shared_inputs[id], &op->p->input->schema);
        aiq_op_free(ex->shared_inputs[id]);
        ex->shared_inputs[id] = NULL;
    }
    op->borrowed = true;
    return ex->shared[id];
}

static const AiqOpVtable shared_vt = {.compute = shared_compute};

AiqOp *aiq_op_shared(AiqExecCtx *ex, const AiqPlan *p)
{
    /* one operator tree per let, however many uses: union t1, t1 in t2, t2
     * in t3 ... would build 2^n trees */
    int id = p->shared_id;
    if (!ex->shared[id] && !ex->shared_inputs[id] && !(ex->shared_inputs[id] = aiq_op_build(ex, p->input)))
        return NULL;
    return aiq_op_new(ex, &shared_vt, sizeof(AiqOp), p, NULL);
}
