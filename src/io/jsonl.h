/*
 * jsonl.h -- reads a catalog table's files into a columnar AiqTable:
 * JSON lines (optionally zstd-compressed, detected by magic number), a
 * top-level JSON array of objects, or Azure diagnostic-settings exports
 * ({"records":[...]}). Types come from a declaration or are inferred from
 * every row (CLI.md). Malformed lines are skipped and counted, never silently.
 */
#ifndef AIQ_IO_JSONL_H
#define AIQ_IO_JSONL_H

#include <stdio.h>

#include "aiq/aiq.h"
#include "core/json_text.h"
#include "core/scan.h"
#include "core/table.h"
#include "core/vector.h"
#include "io/catalog.h"

/* What reading a table's files took (--timing). */
typedef struct AiqReadStats {
    int64_t files; /* files opened */
    int64_t bytes; /* bytes read from them as stored (a compressed file's compressed bytes) */
    int64_t rows;  /* rows read (JSON objects), before any test the reader applies */
} AiqReadStats;

/* A part of one of a table's files to read (AiqReadOptions.ranges): the
 * REPL reads only the lines appended to a file since its last read. */
typedef struct AiqFileRange {
    int path;       /* index into the table's paths */
    int64_t start;  /* first byte: 0, or just after a line end */
    int64_t end;    /* the byte after the last one to read (0: the file's end) */
    int64_t line0;  /* lines before start, for the line numbers of reports */
} AiqFileRange;

/* What a stream read of each range (or file): where to go on from. */
typedef struct AiqFileRead {
    int64_t used;   /* the byte after its last whole line (an unfinished last line is left) */
    int64_t lines;  /* lines up to used, counted from the file's first */
    int nbatches;   /* batches it gave */
    bool appendable; /* plain JSON lines: more lines may be read from used on */
} AiqFileRead;

/* The chunk size (AiqReadOptions.chunk_size) of the streams whose batches
 * the REPL keeps, and of every stream that reads beside its cache (cut
 * alike, so parts line up): each column of a chunk is built and kept, so
 * smaller chunks than a mapped file's 2 MB hold less at once (under
 * --max-memory 24M the REPL's test sometimes ran out with 2 MB). */
enum { AIQ_KEEP_CHUNK_BYTES = 512 << 10 };

typedef struct AiqReadOptions {
    bool strict;   /* a malformed line is an error (AIQ_ERR_IO, exit 2) */
    FILE *warn;    /* where skipped-line and misfit reports go (NULL: nowhere) */
    bool jansson_only; /* skip the fast line scanner (the differential fuzz target's reference) */
    size_t block_size;  /* streaming read size (0: 1 MB); tiny in the fuzz target, to cut lines */
    const AiqScanSpec *scan; /* declared tables: the columns and keys to read, the conjuncts to test (NULL: all, none) */
    int threads;        /* streaming: threads parsing chunks (<= 1: the caller alone) */
    size_t chunk_size;  /* streaming: bytes of whole lines per chunk (0: 2 MB of a mapped file, 512 KB read); tiny in the fuzz target */
    const AiqTopHint *top_hint; /* streaming under a top: drop rows that cannot enter it */
    AiqReadStats *stats; /* where to add what was read (NULL: nowhere); also counted for
                            progress (util/progress.h) */
    const AiqFileRange *ranges; /* streaming: the parts of files to read, in order (NULL: every file whole) */
    int nranges;
    AiqFileRead *reads; /* streaming: filled per range (or per file without ranges; NULL: not wanted) */
    /* streaming a table whose schema was guessed from its first rows
     * (aiq_jsonl_guess_schema): per column, the JL_FIT_* kinds it may meet;
     * a row with another member or kind stops the stream with an error
     * (aiq_jsonl_guess_broken). NULL: the schema is not a guess. */
    const uint8_t *verify;
} AiqReadOptions;

/* Loads every file of t. With t->declared, values convert to the declared
 * types (misfits become null and are reported); otherwise t->schema is set
 * from the data. Returns the table (owned by the caller) or NULL with err. */
AiqTable *aiq_jsonl_load(AiqCatalogTable *t, const AiqReadOptions *opts, AiqArena *schema_arena,
                         AiqError *err);

/* Streaming: reads a declared table's files block by block and returns its
 * rows a batch (at most AIQ_VECTOR_SIZE rows, except a whole-file JSON array
 * or pretty-printed records export, which comes as one batch) at a time, so
 * memory stays bounded whatever the file size. */
typedef struct AiqJsonlStream AiqJsonlStream;
/* Opens the stream; t must be declared (the schema is not inferred). */
AiqJsonlStream *aiq_jsonl_open(AiqCatalogTable *t, const AiqReadOptions *opts, AiqError *err);
/* Returns the next batch (owned by the caller), or NULL at the end (err
 * untouched) or on error (err set). */
AiqTable *aiq_jsonl_next(AiqJsonlStream *s, AiqError *err);
void aiq_jsonl_close(AiqJsonlStream *s);

/* Sets t->schema from every row of t's files, as aiq_jsonl_load would, but
 * without keeping the rows: a pass in bounded memory (parallel with
 * opts->threads) after which t can stream like a declared table. Reports
 * nothing (the pass that reads the rows does). Files must be re-readable
 * (not stdin or a pipe). Returns false with err on a read error. */
bool aiq_jsonl_infer_schema(AiqCatalogTable *t, const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err);

/* Whether the rows of t's files (opts->ranges: of those parts of them)
 * fit t's schema as inferred from other rows: each column they hold is one
 * of it, of a type these values would not change (jl_type_absorbs). A
 * pass like aiq_jsonl_infer_schema's. false with err on a read error. */
bool aiq_jsonl_rows_fit_schema(const AiqCatalogTable *t, const AiqReadOptions *opts, bool *fits, AiqError *err);

/* The schema of t guessed from the first block of its first file (up to
 * 1 MB of whole lines, decoded when compressed), the types every row would
 * give unless later rows disagree, and per column the JL_FIT_* kinds later
 * rows may hold for the guess to stand (*fits, arena memory): a stream
 * given them verifies every row. false when the block holds no row. */
bool aiq_jsonl_guess_schema(const AiqCatalogTable *t, AiqSchema *out, uint8_t **fits, AiqArena *arena);
/* The kinds of a guess (fits, from aiq_jsonl_guess_schema) that verify
 * only the types of the columns checked[] (ncols of them) into out: any
 * kind fits another column. Every key must still be one of the guess's
 * columns, as a query may depend on which columns there are (project-away,
 * a wildcard) without reading them. */
void aiq_jsonl_guess_fits_only(const uint8_t *fits, const bool *checked, int ncols, uint8_t *out);
/* Whether the stream stopped because a row did not fit the guessed schema
 * it was verifying (its error then says so). */
bool aiq_jsonl_guess_broken(const AiqJsonlStream *s);

/* What a data file looks like from its first bytes, for moving it
 * elsewhere (aiq schema --kusto): how it is compressed, and whether it is
 * an Azure diagnostic-settings export that holds its rows in one
 * {"records": [...]} object rather than one per line. */
typedef struct AiqFileShape {
    const char *codec; /* "zstd", "gzip", or NULL: plain */
    bool records;      /* starts with {"records": [ */
} AiqFileShape;
/* Reads the start of path (decoding it when compressed) into *shape.
 * false when the file cannot be read. */
bool aiq_jsonl_shape(const char *path, AiqFileShape *shape);

/* The columns of t guessed from the first block of its first file (up to
 * 1 MB of text, decoded when compressed) into *out (arena memory), without
 * reading the rest: for the REPL's completion. false when no rows could be
 * read there (stdin, a missing or empty file). (jsonl_sample.c) */
bool aiq_jsonl_sample_schema(const AiqCatalogTable *t, AiqSchema *out, AiqArena *arena);

/* Like aiq_jsonl_load, but the data of the single file `name` is given in
 * memory (zstd-compressed or not). Used by the fuzz targets. */
AiqTable *aiq_jsonl_load_buffer(AiqCatalogTable *t, const char *name, const char *data, size_t len,
                                const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err);

#endif
