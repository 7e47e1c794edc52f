/*
 * table.c -- materialized columnar tables (see table.h): growing columns,
 * appending chunks and rows, shared runs of nulls for columns a query does
 * not read, views of row ranges as chunks, and a reader's key vectors.
 */
#include "core/table.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/validity.h"
#include "util/mem.h"

AiqTable *aiq_table_new(const AiqSchema *schema)
{
    AiqTable *t = aiq_xcalloc(1, sizeof *t);
    aiq_arena_init(&t->strings, 256 * 1024);
    aiq_arena_init(&t->names, 4096);
    t->schema.ncols = schema->ncols;
    t->schema.cols = aiq_arena_alloc(&t->names, sizeof *t->schema.cols * (size_t)(schema->ncols + 1));
    t->cols = aiq_xcalloc((size_t)schema->ncols + 1, sizeof *t->cols);
    for (int c = 0; c < schema->ncols; c++) {
        t->schema.cols[c].name = aiq_arena_strndup(&t->names, schema->cols[c].name, strlen(schema->cols[c].name));
        t->schema.cols[c].type = schema->cols[c].type;
        t->cols[c].type = schema->cols[c].type;
    }
    return t;
}

static void free_cells(AiqCell *cells, int64_t n)
{
    for (int64_t r = 0; cells && r < n; r++)
        if (cells[r].kind == AIQ_CELL_JSON)
            json_decref(cells[r].u.j);
    aiq_xfree(cells);
}

bool aiq_schema_same(const AiqSchema *a, const AiqSchema *b)
{
    if (a->ncols != b->ncols)
        return false;
    for (int c = 0; c < a->ncols; c++)
        if (a->cols[c].type != b->cols[c].type || strcmp(a->cols[c].name, b->cols[c].name) != 0)
            return false;
    return true;
}

void aiq_table_free(AiqTable *t)
{
    if (!t)
        return;
    for (int k = 0; t->xcells && k < t->nx; k++)
        free_cells(t->xcells[k], t->nrows);
    aiq_xfree(t->xcells);
    for (int c = 0; c < t->schema.ncols; c++) {
        AiqColumnData *col = &t->cols[c];
        if (col->shared)
            continue;
        if (col->type == AIQ_TYPE_DYNAMIC)
            for (int64_t r = 0; r < t->nrows; r++)
                json_decref(((json_t **)col->data)[r]);
        aiq_xfree(col->data);
        aiq_xfree(col->validity);
    }
    aiq_xfree(t->cols);
    aiq_arena_free(&t->strings);
    aiq_arena_free(&t->names);
    aiq_xfree(t);
}

/* ---- shared runs of nulls -------------------------------------------- */
/* A reader's batch has every column of its table, most of which a query
 * does not read: filling those with nulls took 6% of a count's
 * instructions. They share one read-only run instead (a write to one that
 * skipped own_column faults at once rather than corrupting the others). */
enum { SHARED_NULL_ROWS = 16384 };
static const void *shared_zeros;   /* numbers, times, bools, dynamic; and validity (all null) */
static const AiqStr *shared_empty; /* strings: "" */
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void *map_run(size_t bytes, const void *fill, size_t width)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    for (size_t k = 0; fill && k < bytes / width; k++)
        memcpy((char *)p + k * width, fill, width);
    mprotect(p, bytes, PROT_READ);
    return p;
}

static void make_shared_runs(void)
{
    static const AiqStr empty = {"", 0};
    shared_zeros = map_run(SHARED_NULL_ROWS * sizeof(int64_t), NULL, 1);
    shared_empty = map_run(SHARED_NULL_ROWS * sizeof(AiqStr), &empty, sizeof empty);
}

bool aiq_table_share_nulls(AiqTable *t, int c, int64_t n)
{
    AiqColumnData *col = &t->cols[c];
    if (t->nrows || col->cap || n <= 0 || n > SHARED_NULL_ROWS)
        return false;
    pthread_once(&shared_once, make_shared_runs);
    const void *run = col->type == AIQ_TYPE_STRING ? (const void *)shared_empty : shared_zeros;
    if (!run || !shared_zeros)
        return false;
    col->data = (void *)run;
    /* strings are never null, a NULL json_t * is: no validity for either */
    bool masked = col->type != AIQ_TYPE_STRING && col->type != AIQ_TYPE_DYNAMIC;
    col->validity = masked ? (uint64_t *)shared_zeros : NULL;
    col->cap = (n + 63) & ~(int64_t)63; /* whole validity words */
    col->shared = true;
    return true;
}

AiqTable *aiq_table_frame(const AiqSchema *schema, int64_t nrows)
{
    AiqTable *t = aiq_table_new(schema);
    for (int c = 0; c < schema->ncols; c++)
        aiq_table_share_nulls(t, c, nrows);
    aiq_table_add_null_rows(t, nrows); /* counts the rows; fills columns past the shared run's length */
    return t;
}

void aiq_table_view_column(AiqTable *t, int c, void *data, uint64_t *validity)
{
    AiqColumnData *col = &t->cols[c];
    if (!col->shared) { /* nulls made for it (no dynamic values to release) */
        aiq_xfree(col->data);
        aiq_xfree(col->validity);
    }
    col->data = data;
    col->validity = validity;
    col->cap = (t->nrows + 63) & ~(int64_t)63;
    col->shared = true;
}

/* A private copy of a shared column, before it is written. */
static void own_column(AiqColumnData *col)
{
    if (!col->shared)
        return;
    size_t bytes = aiq_type_width(col->type) * (size_t)col->cap;
    void *data = aiq_xmalloc(bytes);
    memcpy(data, col->data, bytes);
    col->data = data;
    if (col->validity) {
        col->validity = aiq_xmalloc((size_t)col->cap / 8);
        memset(col->validity, 0, (size_t)col->cap / 8);
    }
    col->shared = false;
}

static void reserve(AiqTable *t, int64_t need)
{
    for (int c = 0; c < t->schema.ncols; c++) {
        AiqColumnData *col = &t->cols[c];
        if (need <= col->cap)
            continue;
        own_column(col);
        /* from 64 rows: a table built a row at a time may be wide (take_any(*)
         * of 100k columns kept 2048 rows of each for one group: 1.6 GB) */
        int64_t cap = col->cap ? aiq_mem_grow_cap(col->cap, need, aiq_type_width(col->type)) : 64;
        while (cap < need)
            cap *= 2;
        cap = (cap + 63) & ~(int64_t)63; /* whole validity words */
        col->data = aiq_xrealloc(col->data, aiq_type_width(col->type) * (size_t)cap);
        if (col->validity) {
            col->validity = aiq_xrealloc(col->validity, (size_t)cap / 8);
            memset((char *)col->validity + col->cap / 8, 0xff, (size_t)(cap - col->cap) / 8);
        }
        col->cap = cap;
    }
}

static void set_valid(AiqColumnData *col, int64_t r, bool valid)
{
    own_column(col);
    if (valid && !col->validity)
        return;
    if (!col->validity) {
        col->validity = aiq_xmalloc((size_t)col->cap / 8);
        memset(col->validity, 0xff, (size_t)col->cap / 8);
    }
    if (valid)
        col->validity[r >> 6] |= (uint64_t)1 << (r & 63);
    else
        col->validity[r >> 6] &= ~((uint64_t)1 << (r & 63));
}

static void store(AiqTable *t, int c, int64_t r, const AiqVector *v, uint32_t i, bool fresh)
{
    AiqColumnData *col = &t->cols[c];
    own_column(col);
    if (!v) {
        switch (col->type) {
        case AIQ_TYPE_STRING: ((AiqStr *)col->data)[r] = (AiqStr){"", 0}; break;
        case AIQ_TYPE_DYNAMIC:
            if (!fresh)
                json_decref(((json_t **)col->data)[r]);
            ((json_t **)col->data)[r] = NULL;
            break;
        default: ((int64_t *)col->data)[r] = 0; set_valid(col, r, false); break;
        }
        return;
    }
    uint32_t j = aiq_vidx(v, i);
    bool null = aiq_vec_is_null(v, i);
    switch (col->type) {
    case AIQ_TYPE_STRING: {
        AiqStr s = v->data.str[j];
        char *p = s.len ? aiq_arena_alloc(&t->strings, s.len) : NULL;
        if (s.len)
            memcpy(p, s.ptr, s.len);
        ((AiqStr *)col->data)[r] = (AiqStr){p ? p : "", s.len};
        break;
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = v->data.dyn[j];
        json_t **slot = &((json_t **)col->data)[r];
        if (!fresh)
            json_decref(*slot);
        *slot = json_incref(d);
        break;
    }
    case AIQ_TYPE_REAL:
        ((double *)col->data)[r] = v->type == AIQ_TYPE_REAL ? v->data.f64[j] : (double)v->data.i64[j];
        set_valid(col, r, !null);
        break;
    default: {
        int64_t x = v->data.i64[j];
        if (v->type == AIQ_TYPE_REAL && !aiq_real_to_long(v->data.f64[j], &x))
            null = true;
        ((int64_t *)col->data)[r] = null ? 0 : x;
        set_valid(col, r, !null);
        break;
    }
    }
}

void aiq_table_set(AiqTable *t, int col, int64_t r, const AiqVector *v, uint32_t i)
{
    store(t, col, r, v, i, false);
}

void aiq_table_set_value(AiqTable *t, int col, int64_t r, const AiqValue *value)
{
    /* a one-row vector on the stack, as aiq_vec_const makes one in an arena */
    union {
        int64_t i;
        double f;
        AiqStr s;
        json_t *d;
    } row;
    uint64_t valid = 0; /* (row 0 null) */
    AiqVector one = {.type = value->type, .data.raw = &row};
    if (aiq_vec_put_const(&one, value))
        one.validity = &valid;
    store(t, col, r, &one, 0, false);
}

/* ---- appending chunks, a column at a time -------------------------------- */

/* A column's bitmap, made all valid at its first null. */
static uint64_t *column_validity(AiqColumnData *col)
{
    if (!col->validity) {
        col->validity = aiq_xmalloc((size_t)col->cap / 8);
        memset(col->validity, 0xff, (size_t)col->cap / 8);
    }
    return col->validity;
}

/* The validity of rows r0 .. r0+n-1 of col from v's over the chunk's rows.
 * No bitmap is made until a null comes (a NULL one is the common case);
 * without a selection vector the bits are copied a word at a time. */
static void append_validity(AiqColumnData *col, int64_t r0, const AiqVector *v, const AiqChunk *c)
{
    uint32_t n = c->count;
    if (!v->validity || (v->is_const && aiq_bit(v->validity, 0)) || (!v->is_const && !c->sel && aiq_bits_all(v->validity, n))) {
        if (col->validity) /* every row valid */
            aiq_bits_copy(col->validity, r0, NULL, n);
    } else if (v->is_const) { /* a null constant */
        for (uint32_t k = 0; k < n; k++)
            aiq_bit_clear(column_validity(col), r0 + k);
    } else if (!c->sel) {
        aiq_bits_copy(column_validity(col), r0, v->validity, n);
    } else {
        for (uint32_t k = 0; k < n; k++) {
            if (!aiq_bit(v->validity, c->sel[k]))
                aiq_bit_clear(column_validity(col), r0 + k);
            else if (col->validity)
                aiq_bit_set(col->validity, r0 + k);
        }
    }
}

/* Copies the chunk's rows of v's values of width w into dst: one memcpy
 * when the rows are 0..count-1, a gather through the selection vector, or
 * the constant repeated. */
static void append_values(char *dst, const AiqVector *v, const AiqChunk *c, size_t w)
{
    const char *src = v->data.raw;
    uint32_t n = c->count;
    if (v->is_const)
        for (uint32_t k = 0; k < n; k++)
            memcpy(dst + w * k, src, w);
    else if (!c->sel)
        memcpy(dst, src, w * n);
    else
        for (uint32_t k = 0; k < n; k++)
            memcpy(dst + w * k, src + w * c->sel[k], w);
}

/* Sets dst[k] to 0 where the chunk's row k of v is null (the int64 types
 * hold 0 in a null row, as store() writes it): word by word over v's
 * nulls when the rows are 0..count-1. */
static void zero_nulls(int64_t *dst, const AiqVector *v, const AiqChunk *c)
{
    uint32_t n = c->count;
    if (v->is_const || c->sel) {
        for (uint32_t k = 0; k < n; k++)
            if (!aiq_bit(v->validity, aiq_vidx(v, aiq_row(c, k))))
                dst[k] = 0;
        return;
    }
    for (uint32_t base = 0; base < n; base += 64)
        for (uint64_t w = ~v->validity[base >> 6] & aiq_word_in_range(base, n); w; w &= w - 1)
            dst[base + (uint32_t)__builtin_ctzll(w)] = 0;
}

/* Whether a column of type t holds values of v as they are (reals and the
 * int64 types are converted by store()). */
static bool same_storage(AiqType t, const AiqVector *v)
{
    if (t == AIQ_TYPE_REAL || v->type == AIQ_TYPE_REAL)
        return t == v->type;
    return true;
}

/* Appends the chunk's rows of v to column col of t, one loop for the
 * column's type rather than a type switch per cell. */
static void append_column(AiqTable *t, int col, const AiqVector *v, const AiqChunk *c)
{
    AiqColumnData *cd = &t->cols[col];
    own_column(cd);
    int64_t r0 = t->nrows;
    uint32_t n = c->count;
    if (!same_storage(cd->type, v)) {
        for (uint32_t k = 0; k < n; k++)
            store(t, col, r0 + k, v, aiq_row(c, k), true);
        return;
    }
    switch (cd->type) {
    case AIQ_TYPE_STRING: { /* the payloads are copied into the table's arena */
        AiqStr *dst = (AiqStr *)cd->data + r0;
        for (uint32_t k = 0; k < n; k++) {
            AiqStr x = v->data.str[aiq_vidx(v, aiq_row(c, k))];
            char *p = x.len ? aiq_arena_alloc(&t->strings, x.len) : NULL;
            if (x.len)
                memcpy(p, x.ptr, x.len);
            dst[k] = (AiqStr){p ? p : "", x.len};
        }
        return;
    }
    case AIQ_TYPE_DYNAMIC: { /* one reference each */
        json_t **dst = (json_t **)cd->data + r0;
        for (uint32_t k = 0; k < n; k++)
            dst[k] = json_incref(v->data.dyn[aiq_vidx(v, aiq_row(c, k))]);
        return;
    }
    case AIQ_TYPE_REAL:
        append_values((char *)((double *)cd->data + r0), v, c, sizeof(double));
        append_validity(cd, r0, v, c);
        return;
    default: { /* int64 types; a null holds 0 */
        int64_t *dst = (int64_t *)cd->data + r0;
        append_values((char *)dst, v, c, sizeof(int64_t));
        append_validity(cd, r0, v, c);
        if (v->validity)
            zero_nulls(dst, v, c);
        return;
    }
    }
}

void aiq_table_append_chunk(AiqTable *t, const AiqChunk *c)
{
    if (c->count == 0)
        return; /* (a table with no rows yet has no storage to offset: UB) */
    reserve(t, t->nrows + c->count);
    for (int col = 0; col < t->schema.ncols; col++)
        append_column(t, col, c->cols[col], c);
    t->nrows += c->count;
}

void aiq_table_append_row(AiqTable *t, AiqVector *const *vecs, const uint32_t *rows)
{
    reserve(t, t->nrows + 1);
    for (int col = 0; col < t->schema.ncols; col++)
        store(t, col, t->nrows, vecs[col], vecs[col] ? rows[col] : 0, true);
    t->nrows++;
}

/* Appends n rows that are null in every column, a column at a time. */
void aiq_table_add_null_rows(AiqTable *t, int64_t n)
{
    if (n <= 0)
        return;
    int64_t r0 = t->nrows;
    reserve(t, r0 + n);
    for (int c = 0; c < t->schema.ncols; c++) {
        AiqColumnData *col = &t->cols[c];
        if (col->shared)
            continue; /* nulls up to its cap already */
        if (col->type == AIQ_TYPE_STRING) {
            AiqStr *s = (AiqStr *)col->data + r0;
            for (int64_t k = 0; k < n; k++)
                s[k] = (AiqStr){"", 0};
            continue;
        }
        memset((char *)col->data + aiq_type_width(col->type) * (size_t)r0, 0, aiq_type_width(col->type) * (size_t)n);
        if (col->type == AIQ_TYPE_DYNAMIC)
            continue; /* a NULL json_t* is the null */
        if (!col->validity) {
            col->validity = aiq_xmalloc((size_t)col->cap / 8);
            memset(col->validity, 0xff, (size_t)col->cap / 8);
        }
        int64_t r = r0, e = r0 + n;
        for (; r < e && (r & 63); r++)
            col->validity[r >> 6] &= ~((uint64_t)1 << (r & 63));
        if (e - r >= 64) {
            memset(&col->validity[r >> 6], 0, (size_t)((e - r) >> 6) * 8);
            r += (e - r) & ~(int64_t)63;
        }
        for (; r < e; r++)
            col->validity[r >> 6] &= ~((uint64_t)1 << (r & 63));
    }
    t->nrows += n;
}

int64_t aiq_table_add_null_row(AiqTable *t)
{
    reserve(t, t->nrows + 1);
    for (int col = 0; col < t->schema.ncols; col++)
        store(t, col, t->nrows, NULL, 0, true);
    return t->nrows++;
}

void aiq_table_view(const AiqTable *t, int64_t start, uint32_t n, AiqChunk *c, AiqVector *vecs,
                    AiqVector **ptrs)
{
    for (int col = 0; col < t->schema.ncols; col++) {
        const AiqColumnData *cd = &t->cols[col];
        AiqVector *v = &vecs[col];
        v->type = cd->type;
        v->is_const = false;
        v->validity = cd->validity ? cd->validity + start / 64 : NULL;
        v->data.raw = (char *)cd->data + aiq_type_width(cd->type) * (size_t)start;
        ptrs[col] = v;
    }
    c->count = c->nrows = n;
    c->sel = NULL;
    c->ncols = t->schema.ncols - t->nx;
    c->cols = ptrs;
    c->nx = t->nx;
    c->xinfo = t->xinfo;
    c->xvecs = ptrs + c->ncols;
    c->xbase = ptrs;
    c->xtable = (AiqTable *)t; /* its key vectors may still be built (lazily, once) */
    c->xstart = start;
}

void aiq_table_build_key_vector(AiqTable *t, int k)
{
    if (!t->xcells || !t->xcells[k])
        return;
    json_t **d = t->cols[t->schema.ncols - t->nx + k].data;
    for (int64_t r = 0; r < t->nrows; r++)
        d[r] = aiq_cell_json(&t->xcells[k][r]);
    free_cells(t->xcells[k], t->nrows);
    t->xcells[k] = NULL;
}

void aiq_table_build_key_vectors(AiqTable *t)
{
    for (int k = 0; k < t->nx; k++)
        aiq_table_build_key_vector(t, k);
}

/* The key vector index of d["key"] in c, or -1. */
AiqTable *aiq_table_take_rows(AiqTable *src, const int64_t *order, int64_t n)
{
    AiqTable *out = aiq_table_new(&src->schema);
    reserve(out, n);
    for (int c = 0; c < src->schema.ncols; c++) {
        AiqColumnData *from = &src->cols[c], *to = &out->cols[c];
        switch (from->type) {
        case AIQ_TYPE_STRING: { /* they point into src's arena, which goes with them */
            const AiqStr *x = from->data;
            AiqStr *y = to->data;
            for (int64_t r = 0; r < n; r++)
                y[r] = x[order[r]];
            break;
        }
        case AIQ_TYPE_DYNAMIC: { /* the references move */
            json_t **x = from->data, **y = to->data;
            for (int64_t r = 0; r < n; r++) {
                y[r] = x[order[r]];
                if (!from->shared)
                    x[order[r]] = NULL;
            }
            break;
        }
        default: { /* int64 types and reals alike: 8 bytes a value */
            const uint64_t *x = from->data;
            uint64_t *y = to->data;
            for (int64_t r = 0; r < n; r++)
                y[r] = x[order[r]];
            break;
        }
        }
        if (from->validity) {
            to->validity = aiq_xmalloc((size_t)to->cap / 8);
            memset(to->validity, 0xff, (size_t)to->cap / 8);
            for (int64_t r = 0; r < n; r++)
                if (!aiq_bit(from->validity, order[r]))
                    aiq_bit_clear(to->validity, r);
        }
    }
    out->nrows = n;
    AiqArena strings = out->strings;
    out->strings = src->strings;
    src->strings = strings;
    aiq_table_free(src);
    return out;
}

void aiq_table_column_vector(const AiqTable *t, int col, AiqVector *v)
{
    v->type = t->cols[col].type;
    v->is_const = false;
    v->validity = t->cols[col].validity;
    v->data.raw = t->cols[col].data;
}

bool aiq_table_is_null(const AiqTable *t, int col, int64_t r)
{
    const AiqColumnData *cd = &t->cols[col];
    if (cd->type == AIQ_TYPE_DYNAMIC)
        return ((json_t **)cd->data)[r] == NULL;
    return cd->validity && !(cd->validity[r >> 6] >> (r & 63) & 1);
}

size_t aiq_table_bytes(const AiqTable *t)
{
    size_t n = aiq_arena_size(&t->strings);
    for (int c = 0; c < t->schema.ncols; c++)
        n += t->cols[c].shared ? 0 : aiq_type_width(t->cols[c].type) * (size_t)t->cols[c].cap;
    return n;
}

/* The values jansson made in dynamic column c of t: a missing or null
 * value has none. */
static int64_t json_values_in(const AiqTable *t, int c)
{
    json_t *const *v = t->cols[c].data;
    int64_t n = 0;
    for (int64_t r = 0; r < t->nrows; r++)
        n += v[r] != NULL;
    return n;
}

size_t aiq_table_bytes_held(const AiqTable *t)
{
    size_t n = aiq_table_bytes(t) + (size_t)t->nx * (size_t)t->nrows * sizeof(AiqCell);
    for (int c = 0; c < t->schema.ncols; c++)
        if (t->cols[c].type == AIQ_TYPE_DYNAMIC && !t->cols[c].shared)
            n += 512 * (size_t)json_values_in(t, c);
    return n;
}

