/*
 * vector.c -- vectors, materialized tables and key hashing (see vector.h).
 */
#include "core/vector.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/mem.h"
#include "util/strbuf.h"

size_t aiq_type_width(AiqType t)
{
    switch (t) {
    case AIQ_TYPE_REAL: return sizeof(double);
    case AIQ_TYPE_STRING: return sizeof(AiqStr);
    case AIQ_TYPE_DYNAMIC: return sizeof(json_t *);
    default: return sizeof(int64_t);
    }
}

void aiq_vec_set_null(AiqVector *v, uint32_t i, AiqArena *arena)
{
    if (v->type == AIQ_TYPE_DYNAMIC) {
        v->data.dyn[i] = NULL;
        return;
    }
    if (v->type == AIQ_TYPE_STRING) { /* strings are never null: "" */
        v->data.str[i].ptr = "";
        v->data.str[i].len = 0;
        return;
    }
    if (!v->validity) {
        v->validity = aiq_arena_alloc(arena, AIQ_VECTOR_SIZE / 8);
        memset(v->validity, 0xff, AIQ_VECTOR_SIZE / 8);
    }
    v->validity[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

AiqVector *aiq_vec_new(AiqArena *arena, AiqType t, uint32_t n)
{
    AiqVector *v = aiq_arena_alloc(arena, sizeof *v);
    v->type = t;
    v->is_const = false;
    v->validity = NULL;
    v->data.raw = aiq_arena_alloc(arena, aiq_type_width(t) * (n ? n : 1));
    return v;
}

AiqVector *aiq_vec_const(AiqArena *arena, const AiqValue *value)
{
    AiqVector *v = aiq_vec_new(arena, value->type, 1);
    v->is_const = true;
    switch (value->type) {
    case AIQ_TYPE_REAL: v->data.f64[0] = value->f64; break;
    case AIQ_TYPE_STRING:
        v->data.str[0] = value->isnull ? (AiqStr){"", 0} : value->str;
        return v;
    case AIQ_TYPE_DYNAMIC: v->data.dyn[0] = value->isnull ? NULL : value->dyn; return v;
    default: v->data.i64[0] = value->i64; break;
    }
    if (value->isnull)
        aiq_vec_set_null(v, 0, arena);
    return v;
}

/* ---- tables ------------------------------------------------------------ */

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

void aiq_table_append_chunk(AiqTable *t, const AiqChunk *c)
{
    reserve(t, t->nrows + c->count);
    for (int col = 0; col < t->schema.ncols; col++)
        for (uint32_t k = 0; k < c->count; k++)
            store(t, col, t->nrows + k, c->cols[col], aiq_row(c, k), true);
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

json_t *aiq_cell_json(const AiqCell *c)
{
    switch (c->kind) {
    case AIQ_CELL_TRUE: return json_true();
    case AIQ_CELL_FALSE: return json_false();
    case AIQ_CELL_INT: return json_integer(c->u.i);
    case AIQ_CELL_REAL: return json_real(c->u.f);
    case AIQ_CELL_STRING: return json_stringn(c->u.s, c->len);
    case AIQ_CELL_TEXT: return aiq_dyn_text_new(c->u.s, c->len);
    case AIQ_CELL_JSON: return json_incref(c->u.j);
    default: return NULL;
    }
}

/* Turns key vector k of t from cells into its (all null until now) column. */
static void build_key_vector(AiqTable *t, int k)
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
        build_key_vector(t, k);
}

/* The key vector index of d["key"] in c, or -1. */
static int key_vector_index(const AiqChunk *c, int col, const char *key, uint32_t len)
{
    if (!c->nx || c->xbase != c->cols)
        return -1;
    for (int k = 0; k < c->nx; k++)
        if (c->xinfo[k].col == col && c->xinfo[k].len == len && memcmp(c->xinfo[k].key, key, len) == 0)
            return k;
    return -1;
}

AiqVector *aiq_chunk_key_vector(const AiqChunk *c, int col, const char *key, uint32_t len)
{
    int k = key_vector_index(c, col, key, len);
    if (k < 0)
        return NULL;
    if (c->xtable)
        build_key_vector(c->xtable, k); /* the vector points at its column */
    return c->xvecs[k];
}

const AiqCell *aiq_chunk_key_cells(const AiqChunk *c, int col, const char *key, uint32_t len)
{
    int k = key_vector_index(c, col, key, len);
    if (k < 0 || !c->xtable || !c->xtable->xcells || !c->xtable->xcells[k])
        return NULL;
    return c->xtable->xcells[k] + c->xstart;
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

/* ---- keys -------------------------------------------------------------- */

void aiq_key_append(AiqStrBuf *key, const AiqVector *v, uint32_t i)
{
    uint32_t j = aiq_vidx(v, i);
    if (aiq_vec_is_null(v, i)) {
        aiq_sb_putc(key, 'N');
        return;
    }
    switch (v->type) {
    case AIQ_TYPE_STRING: {
        AiqStr s = v->data.str[j];
        aiq_sb_putc(key, 'S');
        aiq_sb_append(key, (const char *)&s.len, sizeof s.len);
        aiq_sb_append(key, s.ptr, s.len);
        break;
    }
    case AIQ_TYPE_REAL: {
        double d = v->data.f64[j];
        if (d == 0)
            d = 0; /* -0.0 and 0.0 are one key */
        aiq_sb_putc(key, 'R');
        aiq_sb_append(key, (const char *)&d, sizeof d);
        break;
    }
    case AIQ_TYPE_DYNAMIC: {
        char *s = aiq_dyn_dumps(v->data.dyn[j], JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        uint32_t n = s ? (uint32_t)strlen(s) : 0;
        aiq_sb_putc(key, 'D');
        aiq_sb_append(key, (const char *)&n, sizeof n);
        aiq_sb_append(key, s ? s : "", n);
        aiq_xfree(s);
        break;
    }
    default:
        aiq_sb_putc(key, 'I');
        aiq_sb_append(key, (const char *)&v->data.i64[j], sizeof(int64_t));
        break;
    }
}

uint64_t aiq_hash_bytes(const void *p, size_t n)
{
    /* FNV-1a over 8-byte words, then a final avalanche (splitmix64). */
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    while (n--)
        h = (h ^ *s++) * 0x100000001b3ULL;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

void aiq_keymap_init(AiqKeyMap *m)
{
    memset(m, 0, sizeof *m);
    aiq_arena_init(&m->keys, 256 * 1024);
}

void aiq_keymap_free(AiqKeyMap *m)
{
    aiq_xfree(m->hashes);
    aiq_xfree(m->ids);
    aiq_xfree(m->key_ptr);
    aiq_xfree(m->key_len);
    aiq_arena_free(&m->keys);
    memset(m, 0, sizeof *m);
}

static void grow(AiqKeyMap *m)
{
    int64_t cap = m->cap ? m->cap * 2 : 64; /* small maps are the common case (a batch's columns) */
    uint64_t *h = aiq_xmalloc(sizeof *h * (size_t)cap);
    int64_t *ids = aiq_xmalloc(sizeof *ids * (size_t)cap);
    for (int64_t i = 0; i < cap; i++)
        ids[i] = -1;
    for (int64_t i = 0; i < m->cap; i++) {
        if (m->ids[i] < 0)
            continue;
        int64_t s = (int64_t)(m->hashes[i] & (uint64_t)(cap - 1));
        while (ids[s] >= 0)
            s = (s + 1) & (cap - 1);
        ids[s] = m->ids[i];
        h[s] = m->hashes[i];
    }
    aiq_xfree(m->hashes);
    aiq_xfree(m->ids);
    m->hashes = h;
    m->ids = ids;
    m->cap = cap;
}

static int64_t probe(const AiqKeyMap *m, const char *key, uint32_t len, uint64_t h, int64_t *slot)
{
    int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));
    for (;;) {
        int64_t id = m->ids[s];
        if (id < 0) {
            *slot = s;
            return -1;
        }
        if (m->hashes[s] == h && m->key_len[id] == len && memcmp(m->key_ptr[id], key, len) == 0) {
            *slot = s;
            return id;
        }
        s = (s + 1) & (m->cap - 1);
    }
}

/* Whether a map past half full may wait to double, as the doubled arrays
 * would not fit under --max-memory: it works fuller (longer probes); past
 * 7/8 the limit is reached, and the rows its operator has left in the
 * batch fit in the sixteenth it keeps free. */
static bool may_wait(const AiqKeyMap *m)
{
    if (m->cap < 65536 || (m->n + 1) * 16 > m->cap * 15 ||
        aiq_mem_room((size_t)m->cap * 2 * (sizeof *m->hashes + sizeof *m->ids)))
        return false;
    if ((m->n + 1) * 8 > m->cap * 7)
        aiq_mem_reached();
    return true;
}

int64_t aiq_keymap_get(AiqKeyMap *m, const char *key, uint32_t len, bool *added)
{
    if ((m->n + 1) * 2 > m->cap && !may_wait(m))
        grow(m);
    uint64_t h = aiq_hash_bytes(key, len);
    int64_t slot;
    int64_t id = probe(m, key, len, h, &slot);
    *added = id < 0;
    if (id >= 0)
        return id;
    if (m->n == m->key_cap) {
        m->key_cap = m->key_cap ? aiq_mem_grow_cap(m->key_cap, m->n + 1, sizeof *m->key_ptr + sizeof *m->key_len) : 32;
        m->key_ptr = aiq_xrealloc(m->key_ptr, sizeof *m->key_ptr * (size_t)m->key_cap);
        m->key_len = aiq_xrealloc(m->key_len, sizeof *m->key_len * (size_t)m->key_cap);
    }
    char *copy = aiq_arena_alloc(&m->keys, len ? len : 1);
    memcpy(copy, key, len);
    id = m->n++;
    m->key_ptr[id] = copy;
    m->key_len[id] = len;
    m->ids[slot] = id;
    m->hashes[slot] = h;
    return id;
}

int64_t aiq_keymap_find(const AiqKeyMap *m, const char *key, uint32_t len)
{
    if (!m->cap)
        return -1;
    int64_t slot;
    return probe(m, key, len, aiq_hash_bytes(key, len), &slot);
}

/* ---- dynamic values kept as text ---------------------------------------- */

#define DYN_TEXT_MARK '\xff'

json_t *aiq_dyn_text_new(const char *json, size_t len)
{
    char stack[512];
    char *buf = len + 1 <= sizeof stack ? stack : aiq_xmalloc(len + 1);
    buf[0] = DYN_TEXT_MARK;
    memcpy(buf + 1, json, len);
    json_t *v = json_stringn_nocheck(buf, len + 1);
    if (buf != stack)
        aiq_xfree(buf);
    return v;
}

bool aiq_dyn_is_text(const json_t *v)
{
    return v && json_is_string(v) && json_string_length(v) && json_string_value(v)[0] == DYN_TEXT_MARK;
}

char *aiq_dyn_dumps(const json_t *v, size_t flags)
{
    if (!aiq_dyn_is_text(v))
        return aiq_json_dumps(v, flags);
    json_t *parsed = json_loadb(json_string_value(v) + 1, json_string_length(v) - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char *s = aiq_json_dumps(parsed, flags);
    json_decref(parsed);
    return s;
}

json_t *aiq_dyn_key(json_t *d, const char *key, size_t len, json_t **owned)
{
    *owned = NULL;
    if (json_is_string(d)) {
        /* a JSON object stored as a string (Azure diagnostics' properties) */
        d = *owned = json_loadb(json_string_value(d), json_string_length(d), 0, NULL);
    }
    json_t *r = json_is_object(d) ? json_object_getn(d, key, len) : NULL;
    return json_is_null(r) ? NULL : r;
}

bool aiq_top_hint_keeps(const AiqTopHint *h, double xf, int64_t xi)
{
    if (!atomic_load_explicit(&h->set, memory_order_acquire))
        return true;
    int64_t bits = atomic_load_explicit(&h->bits, memory_order_relaxed);
    int c;
    if (h->type == AIQ_TYPE_REAL) {
        double t;
        memcpy(&t, &bits, sizeof t);
        c = (xf > t) - (xf < t);
    } else {
        c = (xi > bits) - (xi < bits);
    }
    return h->desc ? c > 0 : c < 0;
}
