/*
 * chunk.h -- a batch of rows as operators pass it on: column vectors, an
 * optional selection vector of the rows that count, and, for a scan's
 * chunk, the reader's key vectors (d["key"] made while the line was at
 * hand).
 *
 * Ownership: an operator owns the chunk it returns; the caller borrows it
 * until its next call to that operator (STYLE.md, lifetime 2).
 */
#ifndef AIQ_CORE_CHUNK_H
#define AIQ_CORE_CHUNK_H

#include <stdint.h>

#include "core/cell.h"
#include "core/vector.h"

typedef struct AiqTable AiqTable;

/* A key vector: the reader's values of d["key"] for dynamic column col of
 * a scan, made while the line was at hand, so that neither the object nor
 * the lookup is needed (see AiqColumnKeys in core/scan.h). */
typedef struct AiqKeyVecInfo {
    int col;
    const char *key;
    uint32_t len;
} AiqKeyVecInfo;

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

/* Physical index of logical row k. */
static inline uint32_t aiq_row(const AiqChunk *c, uint32_t k) { return c->sel ? c->sel[k] : k; }

/* The key vector for d["key"] (d: column col of c), or NULL. */
AiqVector *aiq_chunk_key_vector(const AiqChunk *c, int col, const char *key, uint32_t len);
/* Its rows as the reader found them (c's physical row i at [i]), or NULL
 * when there are none or they have been built into dynamic values. */
const AiqCell *aiq_chunk_key_cells(const AiqChunk *c, int col, const char *key, uint32_t len);

#endif
