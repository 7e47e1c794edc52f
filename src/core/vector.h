/*
 * vector.h -- the executor's data: typed column vectors with validity
 * bitmaps, chunks of up to AIQ_VECTOR_SIZE rows with an optional selection
 * vector, and materialized columnar tables that chunks can view without
 * copying. No jansson call happens on the hot path except for dynamic values.
 *
 * Ownership: an operator owns the chunk it returns; the caller borrows it
 * until its next call to that operator. A table owns its strings (arena) and
 * one reference to each dynamic value.
 */
#ifndef AIQ_CORE_VECTOR_H
#define AIQ_CORE_VECTOR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"
#include "plan/plan.h"
#include "util/arena.h"

#define AIQ_VECTOR_SIZE 2048 /* rows per chunk; DuckDB uses the same */
#if (AIQ_VECTOR_SIZE & (AIQ_VECTOR_SIZE - 1)) != 0
#error "AIQ_VECTOR_SIZE must be a power of two"
#endif
#if AIQ_VECTOR_SIZE % 64 != 0
#error "AIQ_VECTOR_SIZE must be a multiple of 64 (validity words)"
#endif

typedef struct AiqVector {
    AiqType type;
    bool is_const;      /* row 0 stands for every row */
    uint64_t *validity; /* bit i set = row i is not null; NULL = no nulls */
    union {
        int64_t *i64;   /* bool (0/1), int, long, datetime, timespan */
        double *f64;
        AiqStr *str;
        json_t **dyn;   /* NULL entry = null */
        void *raw;
    } data;
} AiqVector;

/* A key vector: the reader's values of d["key"] for dynamic column col of
 * a scan, made while the line was at hand, so that neither the object nor
 * the lookup is needed (see AiqColumnKeys in io/jsonl.h). */
typedef struct AiqKeyVecInfo {
    int col;
    const char *key;
    uint32_t len;
} AiqKeyVecInfo;

/* One value as a reader found it, before it is given a type: a key
 * vector's rows stay in this form until something needs them as dynamic
 * values (aiq_chunk_key_vector), and conversions read them directly
 * (aiq_eval). Strings live in the table's arena; objects and arrays are
 * jansson values the cell owns. */
typedef enum {
    AIQ_CELL_MISSING = 0, AIQ_CELL_NULL, AIQ_CELL_FALSE, AIQ_CELL_TRUE, AIQ_CELL_INT, AIQ_CELL_REAL,
    AIQ_CELL_STRING, AIQ_CELL_JSON, AIQ_CELL_TEXT
} AiqCellKind;
typedef struct AiqCell {
    uint8_t kind;
    uint32_t len; /* AIQ_CELL_STRING, AIQ_CELL_TEXT (an object or array kept as JSON text) */
    union {
        int64_t i;
        double f;
        const char *s;
        json_t *j;
    } u;
} AiqCell;

typedef struct AiqTable AiqTable;

typedef struct AiqChunk {
    uint32_t count;   /* logical rows */
    uint32_t nrows;   /* physical rows in the vectors */
    uint32_t *sel;    /* NULL = rows 0..count-1, else count physical row indexes */
    int ncols;
    AiqVector **cols;
    /* Key vectors of a scan's chunk. Valid only while cols is still xbase:
     * operators that pass a chunk on (where, take) keep them, operators
     * that build new column arrays drop them without knowing. */
    int nx;
    const AiqKeyVecInfo *xinfo;
    AiqVector **xvecs;
    AiqVector **xbase;
    AiqTable *xtable; /* the table viewed: its key vectors are built on first use */
    int64_t xstart;   /* the chunk's first row in it */
} AiqChunk;

/* A running top's current N-th value of its first key, published to the
 * reader below it so that the reader drops rows that could never enter
 * (the same strict test top itself applies). Only for a first key that is
 * a plain real or long column of the scan. The threshold only ever gets
 * stricter, so a reader thread seeing an older one keeps more rows, never
 * fewer. */
typedef struct AiqTopHint {
    int col;             /* the column, in the table's schema */
    AiqType type;        /* AIQ_TYPE_REAL or AIQ_TYPE_LONG */
    bool desc;
    _Atomic bool set;
    _Atomic int64_t bits; /* the long, or the double's bits */
} AiqTopHint;

/* A conjunct of a `where` straight over a scan, `column op constant`, that
 * the reader can test on a line's value: a row it is false for is dropped
 * there (the where still decides every row the reader keeps). */
typedef enum { AIQ_PRED_LT, AIQ_PRED_LE, AIQ_PRED_GT, AIQ_PRED_GE, AIQ_PRED_EQ, AIQ_PRED_NE } AiqPredOp;
typedef struct AiqRowPred {
    int col;        /* the column, in the table's schema */
    AiqType type;   /* its type: real, long, datetime or string */
    AiqPredOp op;
    bool real;      /* compare as doubles (either side is real) */
    double f;       /* the constant, as a double */
    int64_t i;      /* as a long or datetime ticks */
    AiqStr s;       /* as a string */
    const AiqExpr *conjunct; /* the comparison it comes from (for --explain) */
} AiqRowPred;

/* What operators above a streaming scan tell its reader. */
typedef struct AiqScanHints {
    AiqTopHint *top;
    const AiqRowPred *preds;
    int npreds;
} AiqScanHints;

/* Would a row whose key is x (not null) still enter the top? */
bool aiq_top_hint_keeps(const AiqTopHint *h, double xf, int64_t xi);

/* The key vector for d["key"] (d: column col of c), or NULL. */
AiqVector *aiq_chunk_key_vector(const AiqChunk *c, int col, const char *key, uint32_t len);
/* Its rows as the reader found them (c's physical row i at [i]), or NULL
 * when there are none or they have been built into dynamic values. */
const AiqCell *aiq_chunk_key_cells(const AiqChunk *c, int col, const char *key, uint32_t len);
/* Builds every key vector of t that is still cells (see AiqTable). */
void aiq_table_build_key_vectors(AiqTable *t);
/* The dynamic value of a cell (a new reference; NULL for null or missing). */
json_t *aiq_cell_json(const AiqCell *c);

/* Physical index of logical row k. */
static inline uint32_t aiq_row(const AiqChunk *c, uint32_t k) { return c->sel ? c->sel[k] : k; }
static inline uint32_t aiq_vidx(const AiqVector *v, uint32_t i) { return v->is_const ? 0 : i; }
static inline bool aiq_vec_is_null(const AiqVector *v, uint32_t i)
{
    if (v->type == AIQ_TYPE_DYNAMIC)
        return v->data.dyn[aiq_vidx(v, i)] == NULL;
    if (!v->validity)
        return false;
    uint32_t j = aiq_vidx(v, i);
    return !(v->validity[j >> 6] >> (j & 63) & 1);
}
/* Marks row i null, allocating the bitmap (all valid) from arena on first use. */
void aiq_vec_set_null(AiqVector *v, uint32_t i, AiqArena *arena);
/* Returns a flat vector of type t with room for n rows, data uninitialised,
 * no nulls; memory from arena. */
AiqVector *aiq_vec_new(AiqArena *arena, AiqType t, uint32_t n);
/* Returns a constant vector holding value (typed null when value->isnull). */
/* Dynamic values kept as JSON text. A dynamic column that no expression
 * reads, only carries to the result (top 10 with every column, say), is
 * not worth building: the reader keeps each object's text in a jansson
 * string that starts with the byte 0xFF, which no real value can start
 * with (every string aiq holds is valid UTF-8). Printing, ordering and
 * hashing go through aiq_dyn_dumps, which parses such text first, so the
 * two forms can never be told apart in a result. */
typedef struct json_t json_t;
json_t *aiq_dyn_text_new(const char *json, size_t len);
bool aiq_dyn_is_text(const json_t *v);
/* aiq_json_dumps(v, flags) for either form; free with aiq_xfree. NULL for NULL. */
char *aiq_dyn_dumps(const json_t *v, size_t flags);
/* The compact JSON text of v (json_text.c): jansson's json_dumps with
 * JSON_COMPACT | JSON_ENCODE_ANY, but reals in their shortest round-trip
 * text; flags may add JSON_SORT_KEYS. NULL for NULL; free with aiq_xfree. */
char *aiq_json_dumps(const json_t *v, size_t flags);
/* d["key"]: the value (borrowed; NULL when missing or JSON null) of key in
 * object d, or in the object a string d holds as JSON text (parsed into
 * *owned, which the caller releases). */
json_t *aiq_dyn_key(json_t *d, const char *key, size_t len, json_t **owned);

AiqVector *aiq_vec_const(AiqArena *arena, const AiqValue *value);
/* Bytes per value of a type in a vector. */
size_t aiq_type_width(AiqType t);

/* A growable column of a materialized table. */
typedef struct AiqColumnData {
    AiqType type;
    void *data;         /* int64_t / double / AiqStr / json_t* array */
    uint64_t *validity; /* NULL until the first null */
    int64_t cap;
    /* data and validity are a run of nulls that unread columns share
     * (aiq_table_share_nulls): copied before the first write, never freed */
    bool shared;
} AiqColumnData;

struct AiqTable {
    AiqSchema schema;
    int64_t nrows;
    AiqColumnData *cols;
    /* a reader's batch: its last nx columns are key vectors (xinfo[k] says
     * which), not columns of the table's declared schema. Until one is
     * asked for as dynamic values, its column is all null and xcells[k]
     * holds its rows as the reader found them (NULL once built). */
    int nx;
    const AiqKeyVecInfo *xinfo;
    AiqCell **xcells;
    AiqArena strings;   /* string payloads */
    AiqArena names;     /* schema names when the table owns them */
};

/* Creates an empty table with the given schema (names are copied). */
AiqTable *aiq_table_new(const AiqSchema *schema);
/* Frees the table, its strings and its dynamic references. */
void aiq_table_free(AiqTable *t);
/* Appends the logical rows of chunk (columns map 1:1 to the table's). */
void aiq_table_append_chunk(AiqTable *t, const AiqChunk *c);
/* Appends one row taken from physical row i of each vector (NULL vector = null). */
void aiq_table_append_row(AiqTable *t, AiqVector *const *vecs, const uint32_t *rows);
/* Sets column col of row r (r < nrows) from physical row i of v. */
void aiq_table_set(AiqTable *t, int col, int64_t r, const AiqVector *v, uint32_t i);
/* Appends n rows null in every column. */
void aiq_table_add_null_rows(AiqTable *t, int64_t n);
/* Makes column c of an empty table n rows of nulls that cost nothing: a
 * run shared by every such column, for columns a query never reads (a
 * reader's batch has all its table's columns). false (nothing done) when n
 * is more than the run; aiq_table_add_null_rows then fills the rest. */
bool aiq_table_share_nulls(AiqTable *t, int c, int64_t n);
/* Appends a row of nulls ("" for strings); returns its index. */
int64_t aiq_table_add_null_row(AiqTable *t);
/* Fills chunk c (with ncols preallocated vectors in vecs) with a view of rows
 * [start, start+n) of t; no copy. n <= AIQ_VECTOR_SIZE, start % 64 == 0. */
void aiq_table_view(const AiqTable *t, int64_t start, uint32_t n, AiqChunk *c, AiqVector *vecs,
                    AiqVector **ptrs);
/* True when row r of column col is null. */
bool aiq_table_is_null(const AiqTable *t, int col, int64_t r);
/* Approximate bytes held by the table. */
size_t aiq_table_bytes(const AiqTable *t);

/* Key encoding for hashing (summarize, distinct, join, dcount, make_set):
 * appends a type-tagged, self-delimiting encoding of physical row i of v. */
typedef struct AiqStrBuf AiqStrBuf;
void aiq_key_append(AiqStrBuf *key, const AiqVector *v, uint32_t i);
/* 64-bit hash of bytes. */
uint64_t aiq_hash_bytes(const void *p, size_t n);

/* Open-addressing map from byte keys to dense ids 0, 1, 2, ... */
typedef struct AiqKeyMap {
    uint64_t *hashes;
    int64_t *ids;       /* -1 = empty slot */
    int64_t cap, n;
    AiqArena keys;      /* key bytes */
    const char **key_ptr;
    uint32_t *key_len;
    int64_t key_cap;
} AiqKeyMap;

void aiq_keymap_init(AiqKeyMap *m);
void aiq_keymap_free(AiqKeyMap *m);
/* Returns the id of key, adding it when new (*added set). */
int64_t aiq_keymap_get(AiqKeyMap *m, const char *key, uint32_t len, bool *added);
/* Returns the id of key, or -1 when absent. */
int64_t aiq_keymap_find(const AiqKeyMap *m, const char *key, uint32_t len);

#endif
