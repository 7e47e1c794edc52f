/*
 * column_cache.h -- the REPL's compact copy of the columns queries read
 * (see cache.c): a table's rows as the reader's batches ("parts"), each
 * column of each part encoded on its own: numbers and dynamic values as
 * the reader made them, bools as bits, strings as codes into a dictionary
 * of the column while its values repeat, else as one run of bytes with
 * offsets; dynamic values as JSON text. A part is shown to a query as an ordinary batch again
 * (aiq_colcache_show): numbers without a copy, the others decoded into
 * arrays the size of one batch.
 */
#ifndef AIQ_SESSION_COLUMN_CACHE_H
#define AIQ_SESSION_COLUMN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/table.h"
#include "util/arena.h"

typedef enum { AIQ_PART_RAW, AIQ_PART_BITS, AIQ_PART_DICT, AIQ_PART_TEXT, AIQ_PART_JSON } AiqPartKind;

/* One column of one part. */
typedef struct AiqColPart {
    AiqPartKind kind;
    int64_t n;          /* rows */
    void *data;         /* RAW: the reader's array; BITS: words; DICT: uint16 codes; TEXT, JSON: n+1 uint32 offsets */
    uint64_t *validity; /* RAW and BITS: the reader's bitmap (NULL: no nulls) */
    char *bytes;        /* TEXT: the strings, end to end; JSON: the values' texts (empty: null) */
} AiqColPart;

/* The distinct strings of a column, while they repeat enough to pay. */
typedef struct AiqStrDict {
    AiqStr *strs;
    uint32_t n, cap;
    uint32_t *slots;    /* open addressing: index + 1, 0 empty */
    uint32_t nslots;
    AiqArena bytes;
    int64_t rows;       /* rows encoded with it */
    bool given_up;      /* too many distinct values: parts from then on are TEXT */
} AiqStrDict;

/* A column of a cached table. */
typedef struct AiqCachedColumn {
    AiqType type;
    bool have;          /* every part holds it whole */
    bool filling;       /* a stream is reading it for the cache now */
    AiqColPart *parts;  /* by part, when have */
    AiqStrDict dict;
    uint64_t used;      /* the session's query count when a query last read it (eviction) */
    size_t bytes;       /* held by parts and dict */
} AiqCachedColumn;

/* Encodes column c of batch (nrows rows) as a part, taking the reader's
 * arrays where they are kept as they are (the batch no longer owns them:
 * free it after). *bytes grows by what the part holds. */
AiqColPart aiq_colcache_take(AiqCachedColumn *col, AiqTable *batch, int c, size_t *bytes);
/* Shows part p of col as column c of frame (a table of p's rows):
 * RAW parts as they are, others decoded into *scratch (grown as needed,
 * the caller's to free; one per column, reused batch after batch). */
void aiq_colcache_show(const AiqCachedColumn *col, const AiqColPart *p, AiqTable *frame, int c, void **scratch,
                       size_t *scratch_cap);
/* Releases what showing part p into scratch made (a JSON part's values),
 * before scratch is reused or freed; p NULL: nothing shown. */
void aiq_colcache_unshow(const AiqColPart *p, void *scratch);
/* Frees one part (its kind's memory; dynamic values are released). */
void aiq_colcache_part_free(AiqType type, AiqColPart *p);
/* Frees col's parts (nparts of them) and dictionary: it holds nothing. */
void aiq_colcache_column_clear(AiqCachedColumn *col, int nparts);

#endif
