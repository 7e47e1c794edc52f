/*
 * ops.c -- operators of the plan (see ops.h): scans, filter, project, take,
 * union, range, parse, sort/top, join, mv-expand and shared lets.
 * Streaming operators work chunk by chunk; sort, top, join and mv-expand
 * materialize their input into a columnar table first.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "ops.h"

#include <jansson.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "util/interrupt.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "exec/pushdown.h"
#include "func/kernel.h"
#include "util/timefmt.h"

bool aiq_op_check_limits(AiqExecCtx *ex)
{
    if (aiq_interrupt_pending())
        return aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "query cancelled");
    return aiq_eval_memory_ok(ex->err);
}

void aiq_op_free(AiqOp *op)
{
    if (op)
        op->free(op);
}

void aiq_table_column_vector(const AiqTable *t, int col, AiqVector *v)
{
    v->type = t->cols[col].type;
    v->is_const = false;
    v->validity = t->cols[col].validity;
    v->data.raw = t->cols[col].data;
}

AiqTable *aiq_op_drain(AiqOp *op, const AiqSchema *schema)
{
    AiqTable *t = aiq_table_new(schema);
    AiqChunk *c;
    while ((c = op->next(op))) {
        aiq_table_append_chunk(t, c);
        if (!aiq_op_check_limits(op->ex))
            break;
    }
    if (op->ex->err->code != AIQ_OK) {
        aiq_table_free(t);
        return NULL;
    }
    return t;
}

/* ---- table scan ----------------------------------------------------------- */

typedef struct TableScan {
    AiqOp base;
    AiqTable *t;
    bool owned;
    bool source;  /* reads input data (counted in rows_scanned), not an intermediate result */
    int64_t pos;
    AiqChunk chunk;
    AiqVector *vecs;
    AiqVector **ptrs;
} TableScan;

static AiqChunk *scan_next(AiqOp *op)
{
    TableScan *s = (TableScan *)op;
    if (!s->t || s->pos >= s->t->nrows)
        return NULL;
    int64_t left = s->t->nrows - s->pos;
    uint32_t n = left > AIQ_VECTOR_SIZE ? AIQ_VECTOR_SIZE : (uint32_t)left;
    aiq_table_view(s->t, s->pos, n, &s->chunk, s->vecs, s->ptrs);
    s->pos += n;
    if (s->source)
        op->ex->rows_scanned += n;
    return &s->chunk;
}

static void scan_free(AiqOp *op)
{
    TableScan *s = (TableScan *)op;
    if (s->owned)
        aiq_table_free(s->t);
    aiq_xfree(s->vecs);
    aiq_xfree(s->ptrs);
    aiq_xfree(s);
}

AiqOp *aiq_op_table_scan(AiqExecCtx *ex, AiqTable *t, bool owned)
{
    TableScan *s = aiq_xcalloc(1, sizeof *s);
    s->base = (AiqOp){scan_next, scan_free, ex};
    s->t = t;
    s->owned = owned;
    int n = t ? t->schema.ncols : 0;
    s->vecs = aiq_xcalloc((size_t)n + 1, sizeof *s->vecs);
    s->ptrs = aiq_xcalloc((size_t)n + 1, sizeof *s->ptrs);
    return &s->base;
}

/* ---- streaming scan: batches from the reader, one at a time ------------------ */

typedef struct StreamScan {
    AiqOp base;
    void *stream;
    AiqTable *batch;
    int64_t pos;
    AiqChunk chunk;
    AiqVector *vecs;
    AiqVector **ptrs;
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
        aiq_table_free(s->batch);
        s->batch = NULL;
        if (!s->stream || !aiq_op_check_limits(op->ex))
            return NULL;
        s->batch = op->ex->stream_next(s->stream, op->ex->err);
        s->pos = 0;
        if (!s->batch)
            return input_error_at(op->ex, s->off, s->len);
        if (s->batch->schema.ncols > s->ncols) {
            s->ncols = s->batch->schema.ncols;
            s->vecs = aiq_xrealloc(s->vecs, sizeof *s->vecs * (size_t)(s->ncols + 1));
            s->ptrs = aiq_xrealloc(s->ptrs, sizeof *s->ptrs * (size_t)(s->ncols + 1));
        }
    }
    int64_t left = s->batch->nrows - s->pos;
    uint32_t n = left > AIQ_VECTOR_SIZE ? AIQ_VECTOR_SIZE : (uint32_t)left;
    aiq_table_view(s->batch, s->pos, n, &s->chunk, s->vecs, s->ptrs);
    s->pos += n;
    op->ex->rows_scanned += n;
    return &s->chunk;
}

static void stream_free(AiqOp *op)
{
    StreamScan *s = (StreamScan *)op;
    if (s->stream)
        op->ex->stream_close(s->stream);
    aiq_table_free(s->batch);
    aiq_xfree(s->vecs);
    aiq_xfree(s->ptrs);
    aiq_xfree(s);
}

/* ---- filter ------------------------------------------------------------------ */

typedef struct Filter {
    AiqOp base;
    AiqOp *input;
    const AiqExpr *pred;
    AiqEvalCtx ev;
    AiqChunk out;
} Filter;

static AiqChunk *filter_next(AiqOp *op)
{
    Filter *f = (Filter *)op;
    for (;;) {
        AiqChunk *c = f->input->next(f->input);
        if (!c)
            return NULL;
        aiq_eval_reset(&f->ev);
        AiqVector *v = aiq_eval(&f->ev, f->pred, c);
        if (!v)
            return NULL;
        /* the filter moves no data: it writes a selection vector */
        uint32_t *sel = aiq_arena_alloc(&f->ev.arena, sizeof *sel * (c->count ? c->count : 1));
        uint32_t m = 0;
        if (!v->validity && !v->is_const) {
            const int64_t *b = v->data.i64;
            if (c->sel) {
                for (uint32_t k = 0; k < c->count; k++)
                    if (b[c->sel[k]])
                        sel[m++] = c->sel[k];
            } else {
                for (uint32_t k = 0; k < c->count; k++)
                    if (b[k])
                        sel[m++] = k;
            }
        } else {
            for (uint32_t k = 0; k < c->count; k++) {
                uint32_t i = aiq_row(c, k);
                if (!aiq_vec_is_null(v, i) && v->data.i64[aiq_vidx(v, i)])
                    sel[m++] = i;
            }
        }
        if (m == 0)
            continue;
        f->out = *c;
        f->out.count = m;
        f->out.sel = sel;
        return &f->out;
    }
}

static void filter_free(AiqOp *op)
{
    Filter *f = (Filter *)op;
    aiq_op_free(f->input);
    aiq_eval_free(&f->ev);
    aiq_xfree(f);
}

/* ---- project ------------------------------------------------------------------- */

typedef struct Project {
    AiqOp base;
    AiqOp *input;
    const AiqPlan *p;
    AiqEvalCtx ev;
    AiqChunk out;
    AiqVector **cols;
} Project;

static AiqChunk *project_next(AiqOp *op)
{
    Project *pr = (Project *)op;
    AiqChunk *c = pr->input->next(pr->input);
    if (!c)
        return NULL;
    aiq_eval_reset(&pr->ev);
    for (int i = 0; i < pr->p->nexprs; i++)
        if (!(pr->cols[i] = aiq_eval(&pr->ev, pr->p->exprs[i], c)))
            return NULL;
    pr->out = *c;
    pr->out.ncols = pr->p->nexprs;
    pr->out.cols = pr->cols;
    return &pr->out;
}

static void project_free(AiqOp *op)
{
    Project *pr = (Project *)op;
    aiq_op_free(pr->input);
    aiq_eval_free(&pr->ev);
    aiq_xfree(pr->cols);
    aiq_xfree(pr);
}

/* ---- take ------------------------------------------------------------------------ */

typedef struct Take {
    AiqOp base;
    AiqOp *input;
    int64_t left;
    AiqChunk out;
} Take;

static AiqChunk *take_next(AiqOp *op)
{
    Take *t = (Take *)op;
    if (t->left <= 0)
        return NULL; /* stop pulling: `take 10` on a huge input returns at once */
    AiqChunk *c = t->input->next(t->input);
    if (!c)
        return NULL;
    t->out = *c;
    if (t->out.count > t->left)
        t->out.count = (uint32_t)t->left;
    t->left -= t->out.count;
    return &t->out;
}

static void take_free(AiqOp *op)
{
    Take *t = (Take *)op;
    aiq_op_free(t->input);
    aiq_xfree(t);
}

/* ---- union ----------------------------------------------------------------------- */

typedef struct Union {
    AiqOp base;
    const AiqPlan *p;
    AiqOp **inputs;
    int cur;
    AiqEvalCtx ev;
    AiqChunk out;
    AiqVector **cols;
} Union;

static AiqChunk *union_next(AiqOp *op)
{
    Union *u = (Union *)op;
    while (u->cur < u->p->ninputs) {
        AiqChunk *c = u->inputs[u->cur]->next(u->inputs[u->cur]);
        if (!c) {
            if (op->ex->err->code != AIQ_OK)
                return NULL;
            u->cur++;
            continue;
        }
        aiq_eval_reset(&u->ev);
        const int *map = u->p->maps[u->cur];
        for (int j = 0; j < u->p->schema.ncols; j++) {
            AiqValue v = {.type = u->p->schema.cols[j].type, .isnull = true};
            if (j == u->p->source_col) {
                const char *name = u->p->source_names[u->cur];
                v.isnull = false;
                v.str = (AiqStr){name, (uint32_t)strlen(name)};
            }
            u->cols[j] = map[j] >= 0 ? c->cols[map[j]] : aiq_vec_const(&u->ev.arena, &v);
        }
        u->out = *c;
        u->out.ncols = u->p->schema.ncols;
        u->out.cols = u->cols;
        return &u->out;
    }
    return NULL;
}

static void union_free(AiqOp *op)
{
    Union *u = (Union *)op;
    for (int i = 0; i < u->p->ninputs; i++)
        aiq_op_free(u->inputs[i]);
    aiq_xfree(u->inputs);
    aiq_xfree(u->cols);
    aiq_eval_free(&u->ev);
    aiq_xfree(u);
}

/* ---- range ---------------------------------------------------------------------- */

typedef struct Range {
    AiqOp base;
    int64_t cur, to, step;
    bool done;
    AiqArena arena;
    AiqChunk out;
    AiqVector *col;
} Range;

static AiqChunk *range_next(AiqOp *op)
{
    Range *r = (Range *)op;
    if (r->done)
        return NULL;
    uint32_t n = 0;
    while (n < AIQ_VECTOR_SIZE && (r->step > 0 ? r->cur <= r->to : r->cur >= r->to)) {
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
    r->out = (AiqChunk){.count = n, .nrows = n, .ncols = 1, .cols = &r->col};
    return &r->out;
}

static void range_free(AiqOp *op)
{
    Range *r = (Range *)op;
    aiq_arena_free(&r->arena);
    aiq_xfree(r);
}

/* ---- parse ---------------------------------------------------------------------- */

typedef struct Parse {
    AiqOp base;
    AiqOp *input;
    const AiqPlan *p;
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    int *groups;         /* capture k's group number in re */
    AiqEvalCtx ev;
    AiqChunk out;
    AiqVector **cols;
} Parse;

/* Stores the text t of a parse column in row i of v, converted to v's
 * type; false (and null) when it is not a value of that type. */
static bool parse_store(Parse *ps, AiqVector *v, uint32_t i, AiqStr t)
{
    AiqVector tv = {.type = AIQ_TYPE_STRING, .is_const = true, .data.str = &t};
    bool ok;
    switch (v->type) {
    case AIQ_TYPE_STRING: v->data.str[i] = t; return true;
    case AIQ_TYPE_REAL: ok = aiq_conv_real(&tv, 0, &v->data.f64[i]); break;
    case AIQ_TYPE_BOOL: ok = aiq_conv_bool(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_DATETIME: ok = aiq_conv_datetime(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_TIMESPAN: ok = aiq_conv_timespan(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_DYNAMIC: {
        json_t *j = json_loadb(t.ptr, t.len, JSON_DECODE_ANY, NULL);
        v->data.dyn[i] = aiq_eval_own(&ps->ev, j ? j : json_stringn(t.ptr, t.len));
        return true;
    }
    default: ok = aiq_conv_long(&tv, 0, &v->data.i64[i]); break;
    }
    if (!ok)
        aiq_vec_set_null(v, i, &ps->ev.arena);
    return ok;
}

/* Row i of every extracted column: "" for strings, else null. */
static void parse_blank(Parse *ps, AiqVector **caps, uint32_t i)
{
    for (int k = 0; k < ps->p->ncaptures; k++) {
        if (caps[k]->type == AIQ_TYPE_STRING)
            caps[k]->data.str[i] = (AiqStr){"", 0};
        else
            aiq_vec_set_null(caps[k], i, &ps->ev.arena);
    }
}

/* Parses row i's text s into caps; false on a regex resource limit. */
static bool parse_row(Parse *ps, AiqVector **caps, uint32_t i, AiqStr s)
{
    const AiqPlan *p = ps->p;
    int rc = pcre2_match(ps->re, (PCRE2_SPTR)s.ptr, s.len, 0, 0, ps->md, ps->mc);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
        return aiq_error_set(ps->base.ex->err, AIQ_ERR_LIMIT, -1, 1, "parse: regex match limit exceeded");
    if (rc < 0) {
        parse_blank(ps, caps, i);
        return true;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ps->md);
    bool all_typed = true;
    for (int k = 0; k < p->ncaptures; k++) {
        int g = ps->groups[k];
        bool have = g > 0 && g < rc && ov[2 * g] != PCRE2_UNSET; /* (g < 0: no such group) */
        AiqStr t = have ? (AiqStr){s.ptr + ov[2 * g], (uint32_t)(ov[2 * g + 1] - ov[2 * g])} : (AiqStr){"", 0};
        if (have)
            all_typed &= parse_store(ps, caps[k], i, t);
        else if (caps[k]->type == AIQ_TYPE_STRING)
            caps[k]->data.str[i] = t;
        else
            aiq_vec_set_null(caps[k], i, &ps->ev.arena);
    }
    /* simple and regex are strict: a value not of its column's type fails the row */
    if (!all_typed && p->parse_kind != AIQ_PARSE_RELAXED)
        parse_blank(ps, caps, i);
    return true;
}

static AiqChunk *parse_next(AiqOp *op)
{
    Parse *ps = (Parse *)op;
    AiqChunk *c = ps->input->next(ps->input);
    if (!c)
        return NULL;
    aiq_eval_reset(&ps->ev);
    const AiqPlan *p = ps->p;
    int base = p->input->schema.ncols - 1; /* input columns without the hidden source */
    for (int j = 0; j < p->schema.ncols; j++)
        ps->cols[j] = j < base ? c->cols[j] : NULL;
    AiqVector **caps = aiq_arena_alloc(&ps->ev.arena, sizeof *caps * (size_t)(p->ncaptures + 1));
    for (int k = 0; k < p->ncaptures; k++) {
        int j = p->expand_cols[k];
        caps[k] = aiq_vec_new(&ps->ev.arena, p->schema.cols[j].type, c->nrows ? c->nrows : 1);
        ps->cols[j] = caps[k];
    }
    AiqVector *src = c->cols[(int)p->limit];
    for (uint32_t kk = 0; kk < c->count; kk++) {
        uint32_t i = aiq_row(c, kk);
        if (!parse_row(ps, caps, i, src->data.str[aiq_vidx(src, i)]))
            return NULL;
    }
    ps->out = *c;
    ps->out.ncols = p->schema.ncols;
    ps->out.cols = ps->cols;
    return &ps->out;
}

static void parse_free(AiqOp *op)
{
    Parse *ps = (Parse *)op;
    aiq_op_free(ps->input);
    pcre2_match_data_free(ps->md);
    pcre2_match_context_free(ps->mc);
    pcre2_code_free(ps->re);
    aiq_eval_free(&ps->ev);
    aiq_xfree(ps->cols);
    aiq_xfree(ps->groups);
    aiq_xfree(ps);
}

/* PCRE2 options of a parse pattern. simple and relaxed columns take any
 * text, newlines included; in kind=regex '.' stops at a newline unless
 * flags= has s, as in Kusto's RE2. */
static uint32_t parse_regex_options(const AiqPlan *p)
{
    uint32_t o = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (p->parse_kind != AIQ_PARSE_REGEX)
        return o | PCRE2_DOTALL;
    for (const char *f = p->regex_flags; *f; f++)
        o |= *f == 'i' ? PCRE2_CASELESS : *f == 'm' ? PCRE2_MULTILINE : *f == 's' ? PCRE2_DOTALL : PCRE2_UNGREEDY;
    return o;
}

/* ---- materializing operators ----------------------------------------------------- */

/* Runs `compute` on the first call, then yields the rows of the result. */
typedef struct Materialize {
    AiqOp base;
    AiqOp *input, *right;
    const AiqPlan *p;
    AiqTable *(*compute)(struct Materialize *m);
    AiqOp *scan;
    bool borrowed; /* the result belongs to someone else (shared lets) */
    AiqTopHint *hint; /* top over a streaming scan: its current N-th key */
} Materialize;

static AiqChunk *mat_next(AiqOp *op)
{
    Materialize *m = (Materialize *)op;
    if (!m->scan) {
        AiqTable *t = m->compute(m);
        if (!t)
            return NULL;
        m->scan = aiq_op_table_scan(op->ex, t, !m->borrowed);
    }
    return m->scan->next(m->scan);
}

static void mat_free(AiqOp *op)
{
    Materialize *m = (Materialize *)op;
    aiq_op_free(m->input); /* (its reader threads are done with the hint after this) */
    aiq_op_free(m->right);
    aiq_op_free(m->scan);
    aiq_xfree(m->hint);
    aiq_xfree(m);
}

static Materialize *mat_new(AiqExecCtx *ex, const AiqPlan *p, AiqOp *input, AiqTable *(*compute)(Materialize *))
{
    Materialize *m = aiq_xcalloc(1, sizeof *m);
    m->base = (AiqOp){mat_next, mat_free, ex};
    m->input = input;
    m->p = p;
    m->compute = compute;
    return m;
}

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

static AiqTable *sort_compute(Materialize *m)
{
    const AiqPlan *p = m->p;
    AiqExecCtx *ex = m->base.ex;
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
    while ((c = m->input->next(m->input))) {
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

/* join: a hash on the right side (or, for a large inner join, the smaller
 * side); the left side streams through chunk by chunk, so only the build
 * side is held in memory. Null keys never match. */

/* Encodes the join key of physical row i; false when any key is null. */
static bool vec_key(AiqStrBuf *key, AiqVector *const *cols, const int *keycols, int nkeys, uint32_t i)
{
    aiq_sb_clear(key);
    for (int k = 0; k < nkeys; k++) {
        AiqVector v = *cols[keycols[k]];
        if (aiq_vec_is_null(&v, i))
            return false;
        if (v.type == AIQ_TYPE_INT)
            v.type = AIQ_TYPE_LONG; /* int and long keys meet */
        aiq_key_append(key, &v, i);
    }
    return true;
}

typedef struct Join {
    AiqOp base;
    AiqOp *left_op, *right_op;
    const AiqPlan *p;
    bool started, left_done, tail_done, build_left;
    AiqTable *left, *right; /* right: always; left: only when it is the build side */
    AiqVector *lvt, *rvt;   /* column vectors over the materialized tables */
    AiqVector **lcols, **rcols;
    AiqKeyMap map, seen_left;
    int64_t *head, *next;
    int64_t nhead;
    bool *right_matched;
    AiqStrBuf key;
    AiqVector **ptrs;
    uint32_t *rows;
    AiqOp *scan;            /* the rows of the current output batch */
    bool build_unique;      /* no two rows of the build side share a key */
    AiqChunk out;           /* join_probe_direct's batch; its vectors in out_arena */
    AiqArena out_arena;
} Join;

/* Appends left row l of lcols (or nulls when l < 0) joined with right row r (or nulls). */
static void join_emit(Join *j, AiqTable *out, AiqVector *const *lcols, int64_t l, int64_t r)
{
    const AiqPlan *p = j->p;
    int k = p->join_kind, o = 0;
    bool left_only = k == AIQ_JOIN_LEFTANTI || k == AIQ_JOIN_LEFTSEMI;
    bool right_only = k == AIQ_JOIN_RIGHTANTI || k == AIQ_JOIN_RIGHTSEMI;
    if (!right_only)
        for (int c = 0; c < p->input->schema.ncols; c++, o++) {
            j->ptrs[o] = l >= 0 ? lcols[c] : NULL;
            j->rows[o] = (uint32_t)l;
        }
    if (!left_only)
        for (int c = 0; c < p->nright_cols; c++, o++) {
            j->ptrs[o] = r >= 0 ? j->rcols[p->right_cols[c]] : NULL;
            j->rows[o] = (uint32_t)r;
        }
    aiq_table_append_row(out, j->ptrs, j->rows);
}

/* Builds the hash on the rows of t (chains keep rows in their order). */
static void join_build(Join *j, const AiqTable *t, AiqVector *const *cols, const int *keycols)
{
    j->next = aiq_xmalloc(sizeof *j->next * (size_t)(t->nrows + 1));
    for (int64_t r = t->nrows - 1; r >= 0; r--) {
        j->next[r] = -1;
        if (!vec_key(&j->key, cols, keycols, j->p->nkeys, (uint32_t)r))
            continue;
        bool added;
        int64_t id = aiq_keymap_get(&j->map, j->key.data, (uint32_t)j->key.len, &added);
        if (id >= j->nhead) {
            int64_t cap = j->nhead ? j->nhead * 2 : 1024;
            while (cap <= id)
                cap *= 2;
            j->head = aiq_xrealloc(j->head, sizeof *j->head * (size_t)cap);
            for (int64_t i = j->nhead; i < cap; i++)
                j->head[i] = -1;
            j->nhead = cap;
        }
        if (j->head[id] >= 0)
            j->build_unique = false;
        j->next[r] = j->head[id];
        j->head[id] = r;
    }
}

/* The first right row matching left row l of lcols (-1: none), or -2 when
 * the row does not take part: an innerunique join keeps only the first
 * left row of each key. */
static int64_t probe_left_row(Join *j, AiqVector *const *lcols, uint32_t l)
{
    const AiqPlan *p = j->p;
    bool has_key = vec_key(&j->key, lcols, p->left_keys, p->nkeys, l);
    if (p->join_kind == AIQ_JOIN_INNERUNIQUE && has_key) {
        bool added;
        aiq_keymap_get(&j->seen_left, j->key.data, (uint32_t)j->key.len, &added);
        if (!added)
            return -2;
    }
    int64_t id = has_key ? aiq_keymap_find(&j->map, j->key.data, (uint32_t)j->key.len) : -1;
    return id >= 0 ? j->head[id] : -1;
}

/* Whether join_probe_direct can answer: every output row is one left row
 * (with at most one right row beside it), so the left columns pass through
 * as they are and only the right ones are gathered. */
static bool join_direct_ok(const Join *j, const AiqChunk *lc)
{
    int k = j->p->join_kind;
    bool left_only = k == AIQ_JOIN_LEFTSEMI || k == AIQ_JOIN_LEFTANTI;
    if (j->left || j->build_left ||
        (!left_only && (!j->build_unique || !(k == AIQ_JOIN_INNER || k == AIQ_JOIN_INNERUNIQUE || k == AIQ_JOIN_LEFTOUTER))))
        return false;
    for (int c = 0; c < j->p->input->schema.ncols; c++)
        if (c >= lc->ncols || lc->cols[c]->type != j->p->input->schema.cols[c].type)
            return false; /* the row path converts */
    for (int c = 0; !left_only && c < j->p->nright_cols; c++)
        if (j->right->schema.cols[j->p->right_cols[c]].type != j->p->schema.cols[j->p->input->schema.ncols + c].type)
            return false;
    return true;
}

/* The vectorised probe of a left batch when join_direct_ok: the output
 * batch is the left vectors under a selection of the rows that stay, plus
 * one gathered vector per right column. Strings and dynamic values are
 * borrowed from the right table, which lives as long as the join. Rows
 * come out in the order join_probe gives them. */
static AiqChunk *join_probe_direct(Join *j, const AiqChunk *lc)
{
    const AiqPlan *p = j->p;
    int kind = p->join_kind, nleft = p->input->schema.ncols;
    bool left_only = kind == AIQ_JOIN_LEFTSEMI || kind == AIQ_JOIN_LEFTANTI;
    aiq_arena_reset(&j->out_arena);
    uint32_t *sel = aiq_arena_alloc(&j->out_arena, sizeof *sel * (lc->count + 1));
    int64_t *match = left_only ? NULL : aiq_arena_alloc(&j->out_arena, sizeof *match * (lc->nrows + 1));
    uint32_t m = 0;
    for (uint32_t k = 0; k < lc->count; k++) {
        uint32_t l = aiq_row(lc, k);
        int64_t r = probe_left_row(j, lc->cols, l);
        if (r == -2)
            continue;
        if (left_only ? (r >= 0) != (kind == AIQ_JOIN_LEFTSEMI) : r < 0 && kind != AIQ_JOIN_LEFTOUTER)
            continue;
        if (match)
            match[l] = r;
        sel[m++] = l;
    }
    AiqChunk *out = &j->out;
    *out = (AiqChunk){.count = m, .nrows = lc->nrows, .sel = sel, .ncols = p->schema.ncols};
    out->cols = aiq_arena_alloc(&j->out_arena, sizeof *out->cols * ((size_t)out->ncols + 1));
    for (int c = 0; c < nleft; c++)
        out->cols[c] = lc->cols[c];
    for (int c = 0; !left_only && c < p->nright_cols; c++) {
        const AiqVector *src = j->rcols[p->right_cols[c]];
        AiqVector *v = aiq_vec_new(&j->out_arena, src->type, lc->nrows ? lc->nrows : 1);
        size_t w = aiq_type_width(src->type);
        for (uint32_t k = 0; k < m; k++) {
            uint32_t l = sel[k];
            int64_t r = match[l];
            if (r >= 0 && !aiq_vec_is_null(src, (uint32_t)r)) {
                memcpy((char *)v->data.raw + w * l, (const char *)src->data.raw + w * aiq_vidx(src, (uint32_t)r), w);
            } else if (src->type == AIQ_TYPE_STRING) {
                v->data.str[l] = (AiqStr){"", 0}; /* strings are never null */
            } else if (src->type == AIQ_TYPE_DYNAMIC) {
                v->data.dyn[l] = NULL;
            } else {
                v->data.i64[l] = 0;
                aiq_vec_set_null(v, l, &j->out_arena);
            }
        }
        out->cols[nleft + c] = v;
    }
    return out;
}

/* Probes n left rows (physical indexes rows[], or 0..n-1) against the right hash. */
static AiqTable *join_probe(Join *j, AiqVector *const *lcols, const uint32_t *sel, uint32_t n)
{
    const AiqPlan *p = j->p;
    int kind = p->join_kind;
    bool right_only = kind == AIQ_JOIN_RIGHTANTI || kind == AIQ_JOIN_RIGHTSEMI;
    AiqTable *out = aiq_table_new(&p->schema);
    int64_t checked = 0;
    for (uint32_t k = 0; k < n; k++) {
        /* a few rows can match millions: Ctrl-C and --max-memory are
         * honoured while the output grows, not only between chunks */
        if (out->nrows - checked >= 65536) {
            checked = out->nrows;
            if (!aiq_op_check_limits(j->base.ex))
                break;
        }
        uint32_t l = sel ? sel[k] : k;
        int64_t r = probe_left_row(j, lcols, l);
        if (r == -2)
            continue;
        bool matched = r >= 0;
        if (kind == AIQ_JOIN_LEFTANTI || kind == AIQ_JOIN_LEFTSEMI) {
            if (matched == (kind == AIQ_JOIN_LEFTSEMI))
                join_emit(j, out, lcols, l, -1);
            continue;
        }
        for (; r >= 0; r = j->next[r]) {
            j->right_matched[r] = true;
            if (!right_only)
                join_emit(j, out, lcols, l, r);
        }
        if (!matched && (kind == AIQ_JOIN_LEFTOUTER || kind == AIQ_JOIN_FULLOUTER))
            join_emit(j, out, lcols, l, -1);
    }
    return out;
}

/* The right rows that only the right and full outer, semi and anti kinds add at the end. */
static AiqTable *join_tail(Join *j)
{
    int kind = j->p->join_kind;
    AiqTable *out = aiq_table_new(&j->p->schema);
    for (int64_t r = 0; r < j->right->nrows; r++) {
        bool m = j->right_matched[r];
        if (((kind == AIQ_JOIN_RIGHTOUTER || kind == AIQ_JOIN_FULLOUTER) && !m) ||
            (kind == AIQ_JOIN_RIGHTSEMI && m) || (kind == AIQ_JOIN_RIGHTANTI && !m))
            join_emit(j, out, NULL, -1, r);
    }
    return out;
}

static void table_vectors(const AiqTable *t, AiqVector **vt, AiqVector ***cols)
{
    *vt = aiq_xcalloc((size_t)t->schema.ncols + 1, sizeof **vt);
    *cols = aiq_xcalloc((size_t)t->schema.ncols + 1, sizeof **cols);
    for (int c = 0; c < t->schema.ncols; c++) {
        aiq_table_column_vector(t, c, &(*vt)[c]);
        (*cols)[c] = &(*vt)[c];
    }
}

static bool join_start(Join *j)
{
    const AiqPlan *p = j->p;
    AiqExecCtx *ex = j->base.ex;
    j->started = true;
    if (!(j->right = aiq_op_drain(j->right_op, &p->right->schema)))
        return false;
    table_vectors(j->right, &j->rvt, &j->rcols);
    j->right_matched = aiq_xcalloc((size_t)j->right->nrows + 1, 1);
    int nout = p->schema.ncols;
    j->ptrs = aiq_xcalloc((size_t)nout + 1, sizeof *j->ptrs);
    j->rows = aiq_xcalloc((size_t)nout + 1, sizeof *j->rows);
    /* An inner join with a large right side looks at the left: when it is
     * the smaller, it becomes the build side and the right rows probe it. */
    if (p->join_kind == AIQ_JOIN_INNER && j->right->nrows > 65536) {
        if (!(j->left = aiq_op_drain(j->left_op, &p->input->schema)))
            return false;
        table_vectors(j->left, &j->lvt, &j->lcols);
        j->build_left = j->left->nrows < j->right->nrows;
    }
    if (j->build_left) {
        join_build(j, j->left, j->lcols, p->left_keys);
        AiqTable *out = aiq_table_new(&p->schema);
        int64_t checked = 0;
        for (int64_t r = 0; r < j->right->nrows; r++) {
            if (!vec_key(&j->key, j->rcols, p->right_keys, p->nkeys, (uint32_t)r))
                continue;
            int64_t id = aiq_keymap_find(&j->map, j->key.data, (uint32_t)j->key.len);
            for (int64_t l = id >= 0 ? j->head[id] : -1; l >= 0; l = j->next[l])
                join_emit(j, out, j->lcols, l, r);
            if (((r & 1023) == 0 || out->nrows - checked >= 65536) && (checked = out->nrows, !aiq_op_check_limits(ex)))
                break;
        }
        j->scan = aiq_op_table_scan(ex, out, true);
        j->left_done = j->tail_done = true;
        return ex->err->code == AIQ_OK;
    }
    join_build(j, j->right, j->rcols, p->right_keys);
    if (j->left) { /* drained above but larger: probe it whole */
        j->scan = aiq_op_table_scan(ex, join_probe(j, j->lcols, NULL, (uint32_t)j->left->nrows), true);
        j->left_done = true;
    }
    return ex->err->code == AIQ_OK && aiq_op_check_limits(ex);
}

static AiqChunk *join_next(AiqOp *op)
{
    Join *j = (Join *)op;
    if (!j->started && !join_start(j))
        return NULL;
    for (;;) {
        if (j->scan) {
            AiqChunk *c = j->scan->next(j->scan);
            if (c)
                return c;
            aiq_op_free(j->scan);
            j->scan = NULL;
        }
        if (op->ex->err->code != AIQ_OK || !aiq_op_check_limits(op->ex))
            return NULL;
        if (!j->left_done) {
            AiqChunk *lc = j->left_op->next(j->left_op);
            if (lc && join_direct_ok(j, lc)) {
                AiqChunk *out = join_probe_direct(j, lc);
                if (out->count)
                    return out;
                continue;
            }
            if (lc) {
                j->scan = aiq_op_table_scan(op->ex, join_probe(j, lc->cols, lc->sel, lc->count), true);
                if (op->ex->err->code != AIQ_OK)
                    return NULL; /* stopped inside the probe */
                continue;
            }
            if (op->ex->err->code != AIQ_OK)
                return NULL;
            j->left_done = true;
        }
        if (!j->tail_done) {
            j->tail_done = true;
            j->scan = aiq_op_table_scan(op->ex, join_tail(j), true);
            continue;
        }
        return NULL;
    }
}

static void join_free(AiqOp *op)
{
    Join *j = (Join *)op;
    aiq_op_free(j->left_op);
    aiq_op_free(j->right_op);
    aiq_op_free(j->scan);
    aiq_table_free(j->left);
    aiq_table_free(j->right);
    aiq_xfree(j->lvt);
    aiq_xfree(j->rvt);
    aiq_xfree(j->lcols);
    aiq_xfree(j->rcols);
    aiq_keymap_free(&j->map);
    aiq_keymap_free(&j->seen_left);
    aiq_xfree(j->head);
    aiq_xfree(j->next);
    aiq_xfree(j->right_matched);
    aiq_sb_free(&j->key);
    aiq_xfree(j->ptrs);
    aiq_xfree(j->rows);
    aiq_arena_free(&j->out_arena);
    aiq_xfree(j);
}

/* mv-expand: one output row per array element (or bag property) */

/* The k-th element of d, a new reference: an array's element; a bag's
 * property as a one-entry bag, or as a [key, value] array when `pairs`
 * (kind=array); d itself for k == 0 when it is neither (null included).
 * NULL past the end. */
static json_t *element(json_t *d, size_t k, bool pairs)
{
    if (json_is_array(d))
        return k < json_array_size(d) ? json_incref(json_array_get(d, k)) : NULL;
    if (json_is_object(d)) {
        size_t i = 0;
        const char *key;
        json_t *v;
        json_object_foreach(d, key, v) {
            if (i++ != k)
                continue;
            if (pairs)
                return json_pack("[sO]", key, v);
            json_t *o = json_object();
            json_object_set(o, key, v);
            return o;
        }
        return NULL;
    }
    return k == 0 ? json_incref(d) : NULL;
}

/* How many rows a value expands to (Kusto's mv-expand page): one per
 * element of an array or property of a bag, so none when it is empty; one
 * for any other value, null included. */
static size_t element_count(json_t *d)
{
    return json_is_array(d) ? json_array_size(d) : json_is_object(d) ? json_object_size(d) : 1;
}

/* Stores element el in row 0 of tv as `to typeof(ty)` asks. That is a cast,
 * not a conversion: an element of another JSON kind is null (the text "2"
 * is no long, 2.5 no long either), "" for a string. aiq's dynamic values
 * hold datetimes and timespans as text, so those two read their text. */
static void cast_element(json_t *el, AiqType ty, AiqVector *tv, AiqArena *scratch)
{
    bool ok;
    int64_t *i64 = &tv->data.i64[0];
    switch (ty) {
    case AIQ_TYPE_STRING:
        tv->data.str[0] = json_is_string(el) ? (AiqStr){json_string_value(el), (uint32_t)json_string_length(el)}
                                             : (AiqStr){"", 0};
        return;
    case AIQ_TYPE_REAL:
        if ((ok = json_is_number(el)))
            tv->data.f64[0] = json_number_value(el);
        break;
    case AIQ_TYPE_BOOL:
        if ((ok = json_is_boolean(el)))
            *i64 = json_is_true(el);
        break;
    case AIQ_TYPE_INT:
        ok = json_is_integer(el) && json_integer_value(el) >= INT32_MIN && json_integer_value(el) <= INT32_MAX;
        if (ok)
            *i64 = json_integer_value(el);
        break;
    case AIQ_TYPE_LONG:
        if ((ok = json_is_integer(el)))
            *i64 = json_integer_value(el);
        break;
    case AIQ_TYPE_DATETIME:
        ok = json_is_string(el) && aiq_datetime_parse(json_string_value(el), json_string_length(el), i64);
        break;
    case AIQ_TYPE_TIMESPAN:
        ok = json_is_string(el) && aiq_timespan_parse(json_string_value(el), json_string_length(el), i64);
        break;
    default: ok = false; break;
    }
    if (!ok)
        aiq_vec_set_null(tv, 0, scratch);
}

/* Appends the rows input row r expands to: one per element of its longest
 * expanded value ("in parallel": a shorter value gives null), at most
 * p->limit, each with the element's index when with_itemindex asks. */
static void expand_row(const AiqPlan *p, const AiqTable *in, int64_t r, AiqTable *out, AiqVector **ptrs,
                       uint32_t *rows, AiqArena *scratch)
{
    size_t len = 0;
    for (int e = 0; e < p->nexpand; e++) {
        size_t n = element_count(((json_t **)in->cols[p->expand_cols[e]].data)[r]);
        len = n > len ? n : len;
    }
    if (p->limit >= 0 && (int64_t)len > p->limit)
        len = (size_t)p->limit;
    for (int c = 0; c < in->schema.ncols; c++)
        rows[c] = (uint32_t)r;
    for (size_t k = 0; k < len; k++) {
        int64_t at = out->nrows;
        aiq_table_append_row(out, ptrs, rows); /* expanded columns and the index: set below */
        for (int e = 0; e < p->nexpand; e++) {
            int col = p->expand_cols[e];
            json_t *el = element(((json_t **)in->cols[col].data)[r], k, p->bag_pairs);
            AiqVector dv = {.type = AIQ_TYPE_DYNAMIC, .is_const = true, .data.dyn = &el};
            AiqVector *tv = &dv;
            if (p->expand_types[e] != AIQ_TYPE_DYNAMIC) {
                tv = aiq_vec_new(scratch, p->expand_types[e], 1);
                tv->is_const = true;
                cast_element(el, p->expand_types[e], tv, scratch);
            }
            aiq_table_set(out, col, at, tv, 0);
            json_decref(el);
        }
        if (p->index_col >= 0) {
            AiqValue index = {.type = AIQ_TYPE_LONG, .i64 = (int64_t)k};
            aiq_table_set(out, p->index_col, at, aiq_vec_const(scratch, &index), 0);
        }
        aiq_arena_reset(scratch);
    }
}

static AiqTable *mv_expand_compute(Materialize *m)
{
    const AiqPlan *p = m->p;
    AiqTable *in = aiq_op_drain(m->input, &p->input->schema);
    if (!in)
        return NULL;
    AiqTable *out = aiq_table_new(&p->schema);
    int nc = p->schema.ncols; /* the input's columns, then the index */
    AiqVector *vecs = aiq_xcalloc((size_t)nc + 1, sizeof *vecs);
    AiqVector **ptrs = aiq_xcalloc((size_t)nc + 1, sizeof *ptrs);
    uint32_t *rows = aiq_xcalloc((size_t)nc + 1, sizeof *rows);
    for (int c = 0; c < in->schema.ncols; c++) {
        aiq_table_column_vector(in, c, &vecs[c]);
        ptrs[c] = &vecs[c];
    }
    for (int e = 0; e < p->nexpand; e++)
        ptrs[p->expand_cols[e]] = NULL; /* their input is the whole array */
    AiqArena scratch;
    aiq_arena_init(&scratch, 4096);
    for (int64_t r = 0; r < in->nrows; r++) {
        expand_row(p, in, r, out, ptrs, rows, &scratch);
        if ((r & 1023) == 0 && !aiq_op_check_limits(m->base.ex))
            break;
    }
    aiq_arena_free(&scratch);
    aiq_xfree(vecs);
    aiq_xfree(ptrs);
    aiq_xfree(rows);
    aiq_table_free(in);
    if (m->base.ex->err->code != AIQ_OK) {
        aiq_table_free(out);
        return NULL;
    }
    return out;
}

/* shared: a tabular let, computed once and kept for every use; its input
 * is drained by the first use that runs, then freed */
static AiqTable *shared_compute(Materialize *m)
{
    AiqExecCtx *ex = m->base.ex;
    int id = m->p->shared_id;
    if (!ex->shared[id] && ex->shared_inputs[id]) {
        ex->shared[id] = aiq_op_drain(ex->shared_inputs[id], &m->p->input->schema);
        aiq_op_free(ex->shared_inputs[id]);
        ex->shared_inputs[id] = NULL;
    }
    m->borrowed = true;
    return ex->shared[id];
}

void aiq_exec_ctx_init(AiqExecCtx *ex, const AiqPlan *plan)
{
    ex->nshared = plan->nshared;
    ex->shared = aiq_xcalloc((size_t)plan->nshared + 1, sizeof *ex->shared);
    ex->shared_inputs = aiq_xcalloc((size_t)plan->nshared + 1, sizeof *ex->shared_inputs);
}

void aiq_exec_ctx_free(AiqExecCtx *ex)
{
    for (int i = 0; i < ex->nshared; i++) {
        aiq_op_free(ex->shared_inputs[i]);
        aiq_table_free(ex->shared[i]);
    }
    aiq_xfree(ex->shared_inputs);
    aiq_xfree(ex->shared);
    ex->shared_inputs = NULL;
    ex->shared = NULL;
}

/* ---- building ------------------------------------------------------------------ */

AiqOp *aiq_op_build(AiqExecCtx *ex, const AiqPlan *p)
{
    AiqOp *input = NULL;
    AiqTopHint *hint = aiq_pushdown_top_hint(p);
    int npreds_before = ex->npreds;
    if (aiq_pushdown_filter(p))
        aiq_pushdown_preds(p->exprs[0], &ex->preds, &ex->npreds, &ex->cappreds);
    if (p->input && p->kind != AIQ_P_SHARED) {
        ex->top_hint = hint; /* for the scan just below */
        input = aiq_op_build(ex, p->input);
        ex->top_hint = NULL;
        ex->npreds = npreds_before; /* (the scan has taken them) */
        if (npreds_before == 0 && ex->preds) {
            aiq_xfree(ex->preds);
            ex->preds = NULL;
            ex->cappreds = 0;
        }
        if (!input) {
            aiq_xfree(hint);
            return NULL;
        }
    }
    if (hint && p->kind != AIQ_P_TOP)
        aiq_xfree(hint);
    switch (p->kind) {
    case AIQ_P_SCAN: {
        AiqScanHints hints = {ex->top_hint, ex->preds, ex->npreds};
        void *stream = ex->stream_open ? ex->stream_open(ex->load_ud, p->table, &hints, ex->err) : NULL;
        if (stream) {
            StreamScan *s = aiq_xcalloc(1, sizeof *s);
            s->base = (AiqOp){stream_next, stream_free, ex};
            s->stream = stream;
            s->off = p->table_off;
            s->len = p->table_len;
            return &s->base;
        }
        if (ex->err->code != AIQ_OK)
            return input_error_at(ex, p->table_off, p->table_len);
        AiqTable *t = ex->load(ex->load_ud, p->table, ex->err);
        if (!t)
            return input_error_at(ex, p->table_off, p->table_len);
        AiqOp *scan = aiq_op_table_scan(ex, t, false);
        ((TableScan *)scan)->source = true;
        return scan;
    }
    case AIQ_P_VALUES: {
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
    case AIQ_P_RANGE: {
        Range *r = aiq_xcalloc(1, sizeof *r);
        r->base = (AiqOp){range_next, range_free, ex};
        aiq_arena_init(&r->arena, 0);
        r->cur = p->values[0].i64;
        r->to = p->values[1].i64;
        r->step = p->values[2].i64;
        r->col = aiq_vec_new(&r->arena, p->schema.cols[0].type, AIQ_VECTOR_SIZE);
        return &r->base;
    }
    case AIQ_P_FILTER: {
        Filter *f = aiq_xcalloc(1, sizeof *f);
        f->base = (AiqOp){filter_next, filter_free, ex};
        f->input = input;
        f->pred = p->exprs[0];
        aiq_eval_init(&f->ev, ex->err, ex->now);
        return &f->base;
    }
    case AIQ_P_PROJECT: {
        Project *pr = aiq_xcalloc(1, sizeof *pr);
        pr->base = (AiqOp){project_next, project_free, ex};
        pr->input = input;
        pr->p = p;
        pr->cols = aiq_xcalloc((size_t)p->nexprs + 1, sizeof *pr->cols);
        aiq_eval_init(&pr->ev, ex->err, ex->now);
        return &pr->base;
    }
    case AIQ_P_TAKE: {
        Take *t = aiq_xcalloc(1, sizeof *t);
        t->base = (AiqOp){take_next, take_free, ex};
        t->input = input;
        t->left = p->limit;
        return &t->base;
    }
    case AIQ_P_UNION: {
        Union *u = aiq_xcalloc(1, sizeof *u);
        u->base = (AiqOp){union_next, union_free, ex};
        u->p = p;
        u->inputs = aiq_xcalloc((size_t)p->ninputs + 1, sizeof *u->inputs);
        u->cols = aiq_xcalloc((size_t)p->schema.ncols + 1, sizeof *u->cols);
        aiq_eval_init(&u->ev, ex->err, ex->now);
        for (int i = 0; i < p->ninputs; i++)
            if (!(u->inputs[i] = aiq_op_build(ex, p->inputs[i]))) {
                union_free(&u->base);
                return NULL;
            }
        return &u->base;
    }
    case AIQ_P_PARSE: {
        int errcode;
        PCRE2_SIZE erroff;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)p->regex, p->regex_len, parse_regex_options(p), &errcode, &erroff, NULL);
        if (!re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(errcode, msg, sizeof msg);
            aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "parse: invalid pattern: %s", (const char *)msg);
            aiq_op_free(input);
            return NULL;
        }
        if (!getenv("AIQ_PCRE2_NO_JIT")) /* valgrind cannot see into JIT code */
            pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
        Parse *ps = aiq_xcalloc(1, sizeof *ps);
        ps->base = (AiqOp){parse_next, parse_free, ex};
        ps->input = input;
        ps->p = p;
        ps->re = re;
        ps->md = pcre2_match_data_create_from_pattern(re, NULL);
        ps->mc = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(ps->mc, 10000000u);
        ps->cols = aiq_xcalloc((size_t)p->schema.ncols + 1, sizeof *ps->cols);
        ps->groups = aiq_xcalloc((size_t)p->ncaptures + 1, sizeof *ps->groups);
        for (int k = 0; k < p->ncaptures; k++) {
            char name[32];
            snprintf(name, sizeof name, "aiq%d", k);
            ps->groups[k] = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
        }
        aiq_eval_init(&ps->ev, ex->err, ex->now);
        return &ps->base;
    }
    case AIQ_P_SUMMARIZE: return aiq_op_summarize(ex, p, input);
    case AIQ_P_SORT:
    case AIQ_P_TOP: {
        Materialize *m = mat_new(ex, p, input, sort_compute);
        m->hint = hint; /* published to the reader when it is streaming */
        return &m->base;
    }
    case AIQ_P_JOIN: {
        AiqOp *right = aiq_op_build(ex, p->right);
        if (!right) {
            aiq_op_free(input);
            return NULL;
        }
        Join *j = aiq_xcalloc(1, sizeof *j);
        j->base = (AiqOp){join_next, join_free, ex};
        j->left_op = input;
        j->right_op = right;
        j->p = p;
        aiq_keymap_init(&j->map);
        aiq_keymap_init(&j->seen_left);
        aiq_sb_init(&j->key);
        aiq_arena_init(&j->out_arena, 0);
        j->build_unique = true;
        return &j->base;
    }
    case AIQ_P_MV_EXPAND: return &mat_new(ex, p, input, mv_expand_compute)->base;
    case AIQ_P_SHARED: {
        /* one operator tree per let, however many uses: union t1, t1 in
         * t2, t2 in t3 ... would build 2^n trees */
        int id = p->shared_id;
        if (!ex->shared[id] && !ex->shared_inputs[id] && !(ex->shared_inputs[id] = aiq_op_build(ex, p->input)))
            return NULL;
        return &mat_new(ex, p, NULL, shared_compute)->base;
    }
    default: break;
    }
    aiq_op_free(input);
    aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "operator '%s' cannot run yet", aiq_plan_kind_name(p->kind));
    return NULL;
}
