/*
 * table.h -- a materialized columnar table: growable typed columns with
 * validity bitmaps, which chunks can view without copying. Readers build
 * them batch by batch; materializing operators (sort, summarize, join)
 * hold their rows in them.
 *
 * Ownership: a table owns its strings (arena) and one reference to each
 * dynamic value; aiq_table_free releases everything.
 */
#ifndef AIQ_CORE_TABLE_H
#define AIQ_CORE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cell.h"
#include "core/chunk.h"
#include "core/schema.h"
#include "core/vector.h"
#include "util/arena.h"

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
/* Whether schemas a and b have the same columns: names and types, in order. */
bool aiq_schema_same(const AiqSchema *a, const AiqSchema *b);
/* Frees the table, its strings and its dynamic references. */
void aiq_table_free(AiqTable *t);
/* Appends the logical rows of chunk (columns map 1:1 to the table's). */
void aiq_table_append_chunk(AiqTable *t, const AiqChunk *c);
/* Appends one row taken from physical row i of each vector (NULL vector = null). */
void aiq_table_append_row(AiqTable *t, AiqVector *const *vecs, const uint32_t *rows);
/* Sets column col of row r (r < nrows) from physical row i of v. */
void aiq_table_set(AiqTable *t, int col, int64_t r, const AiqVector *v, uint32_t i);
/* aiq_table_set of one value (aiq_vec_const's rules), with no vector made. */
void aiq_table_set_value(AiqTable *t, int col, int64_t r, const AiqValue *v);
/* Appends n rows null in every column. */
void aiq_table_add_null_rows(AiqTable *t, int64_t n);
/* Makes column c of an empty table n rows of nulls that cost nothing: a
 * run shared by every such column, for columns a query never reads (a
 * reader's batch has all its table's columns). false (nothing done) when n
 * is more than the run; aiq_table_add_null_rows then fills the rest. */
bool aiq_table_share_nulls(AiqTable *t, int c, int64_t n);
/* A table of nrows rows null in every column, costing nothing when they
 * fit the shared run: a frame whose columns a cache then points at its
 * own arrays (aiq_table_view_column). */
AiqTable *aiq_table_frame(const AiqSchema *schema, int64_t nrows);
/* Makes column c of t show data and validity (nrows of them, validity
 * NULL: no nulls), which t does not own: freeing t leaves them. */
void aiq_table_view_column(AiqTable *t, int c, void *data, uint64_t *validity);
/* Appends a row of nulls ("" for strings); returns its index. */
int64_t aiq_table_add_null_row(AiqTable *t);
/* Fills chunk c (with ncols preallocated vectors in vecs) with a view of rows
 * [start, start+n) of t; no copy. n <= AIQ_VECTOR_SIZE, start % 64 == 0. */
void aiq_table_view(const AiqTable *t, int64_t start, uint32_t n, AiqChunk *c, AiqVector *vecs,
                    AiqVector **ptrs);
/* Rows order[0..n) of src (distinct row numbers), in that order, as a new
 * table that takes src's strings and dynamic references: consumes src
 * (which must have no key vectors). Sort and top reorder their rows so,
 * with a gather per column and nothing copied twice. */
AiqTable *aiq_table_take_rows(AiqTable *src, const int64_t *order, int64_t n);
/* A view of a whole column as a vector: row i of the vector is row i of the table. */
void aiq_table_column_vector(const AiqTable *t, int col, AiqVector *v);
/* True when row r of column col is null. */
bool aiq_table_is_null(const AiqTable *t, int col, int64_t r);
/* Approximate bytes held by the table. */
size_t aiq_table_bytes(const AiqTable *t);
/* The same with its key cells, and a guess of 512 bytes for each value of
 * a dynamic column (the objects jansson made). A column read only through
 * d["key"] holds none: counting 512 bytes a row for it kept the reader of
 * a token sum waiting for room it had (io/jsonl_stream.c's budgets). */
size_t aiq_table_bytes_held(const AiqTable *t);
/* Builds every key vector of t that is still cells (see AiqTable). */
void aiq_table_build_key_vectors(AiqTable *t);
/* Builds key vector k of t from its cells, once (chunk.c asks for it). */
void aiq_table_build_key_vector(AiqTable *t, int k);

#endif
