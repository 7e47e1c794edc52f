/*
 * session_internal.h -- the session behind include/aiq/aiq.h (not an
 * interface for other folders): its catalog of tables, the cache of tables
 * read whole (keep_tables), the options, and what its files share.
 */
#ifndef AIQ_SESSION_SESSION_INTERNAL_H
#define AIQ_SESSION_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "aiq/aiq.h"
#include "bind/binder.h"
#include "core/table.h"
#include "exec/op.h"
#include "exec/run.h"
#include "io/catalog.h"
#include "io/jsonl.h"
#include "util/strbuf.h"

/* What a file was when a table's rows were read, to say how it changed. */
typedef struct AiqFileFacts {
    dev_t dev;
    ino_t ino;
    off_t size;
    bool missing;
} AiqFileFacts;

/* The REPL's compact copy of a table's columns (scan_stream.c,
 * column_cache.h): the reader's batches, as parts. */
typedef struct AiqBatchCache {
    int ncols;                   /* the schema's columns it was made for */
    struct AiqCachedColumn *cols;
    int64_t *part_rows;          /* rows of each part */
    int nparts;
    bool complete;               /* a stream read every file to the end: the parts are all of it */
    int64_t nrows;
    int binding;                 /* the catalog binding it was read under */
    size_t bytes;                /* held by the columns kept */
    /* where the parts came from, so that a file that grew is read only
     * from where its last read stopped (tail_read.c); NULL: not known */
    AiqFileRange *ranges;        /* the parts of files read, in order, each with the end it was read to */
    AiqFileRead *reads;          /* what each range gave: lines, batches (= parts), appendable */
    int nranges;
    uint64_t *prints;            /* per file: aiq_file_print at the end of its last range */
    AiqFileRange *tails;         /* lines appended since, for the next query to read (NULL: none) */
    int ntails;
} AiqBatchCache;

/* What the session holds of catalog table i besides its files and schema:
 * its rows when read whole (stdin, pipes), or the columns queries read of
 * its files (keep_tables), kept for the next query. */
typedef struct AiqCachedTable {
    AiqBatchCache batches;
    AiqTable *data;       /* the rows, or NULL */
    bool *loaded;         /* declared tables: the columns data holds (NULL: all); catalog arena */
    int binding;          /* the catalog binding data was read under: another one makes it stale */
    uint64_t files_stamp; /* aiq_catalog_files_stamp() before data was read */
    AiqFileFacts *facts;  /* each file then, by path (nfacts of them) */
    int nfacts;
} AiqCachedTable;

/* --timing: what one scan (or first pass) of the last query read. */
typedef struct AiqInputStat {
    const char *table;
    const char *how;      /* "read", "first pass, for types", "held in memory", "the columns not held", "lines appended" */
    AiqReadStats read;
} AiqInputStat;

/* --timing: the stages of a query, in seconds. */
typedef struct AiqTiming {
    double parse, bind, first_pass, plan, run, output;
    bool output_done;     /* the result was written (output holds its time) */
} AiqTiming;

/* What the progress line measures against, for the query running. */
typedef struct AiqProgressPlan {
    double start;                   /* when the query started (monotonic seconds) */
    int64_t bytes0, rows0;          /* the readers' counts then (util/progress.h) */
    int64_t total;                  /* bytes the query will read, as far as known */
    bool total_unknown;             /* a table reads a pipe: no total */
    const AiqCatalogTable **counted; /* the tables in total */
    int ncounted, capcounted;
} AiqProgressPlan;

typedef struct AiqProgressLine AiqProgressLine;

struct AiqSession {
    AiqOptions opts;
    AiqProgressPlan progress; /* the query running: for its progress line */
    AiqInputStat **inputs; /* --timing: the last query's reads, in order (each its own block,
                              so that a reader may hold its stats' address) */
    int ninputs, capinputs;
    double first_pass;     /* --timing: seconds in first passes for types, this query */
    AiqCatalog catalog;
    AiqCachedTable *cache; /* by catalog table index */
    int ncache;
    const char **words;    /* aiq_session_completions' answer */
    size_t nwords, capwords;
    AiqArena words_arena;  /* its quoted names and guessed schemas, until the next call */
    bool completing;       /* binding for a completion: tables are never read (complete.c) */
    uint64_t queries;      /* queries run: the cache's clock, for evicting what was read longest ago */
    bool cache_off;        /* this query runs again without the column cache (it needed the memory) */
    int *spools;           /* the temporary files stdin and pipes were copied to (spool.c) */
    bool may_guess;        /* binding a query that will run: schemas may be guessed (guess.c) */
    int nspools, capspools;
};

/* ---- cache.c: tables read whole, schemas inferred, scans' rows ---------- */

/* The cache entry of catalog table t (made when new). */
AiqCachedTable *aiq_session_cached(AiqSession *s, const AiqCatalogTable *t);
/* Gives an undeclared table its schema, from every row: a first pass over
 * its files after which it streams like a declared table, or (keep_tables,
 * stdin, pipes) a whole read that is kept. Declared tables: nothing to do. */
bool aiq_session_table_schema(AiqSession *s, AiqCatalogTable *t, AiqError *err);
/* A first pass over every row of t's files (undeclared) for its types,
 * into t->schema (catalog arena), timed and counted for --timing. false
 * with err on a read error. */
bool aiq_session_first_pass(AiqSession *s, AiqCatalogTable *t, AiqError *err);
/* Reads t's files whole into the cache, inferring its schema from every
 * row when undeclared. For a declared table, needed (NULL: all) names the
 * columns to read; a cached table lacking one is read again. false with
 * err (AIQ_ERR_IO). */
bool aiq_session_load_table(AiqSession *s, AiqCatalogTable *t, const bool *needed, AiqError *err);
/* The stamps (aiq_catalog_files_stamp) of every table's files now, a new
 * array of aiq_session_ntables: compared after a run that failed reading,
 * to tell a file rotated under it from a broken one. */
uint64_t *aiq_session_stamps(const AiqSession *s);
/* Whether a read that failed with err deserves another try: it is an input
 * error and some table's files changed since stamps were taken (rotated,
 * truncated in place). Then says so on diag, forgets what is cached of
 * those tables, and clears err. */
bool aiq_session_retry_read(AiqSession *s, const uint64_t *stamps, AiqError *err);
/* Makes the rows cached of t (read before its schema was borrowed, or
 * for another query's untyped names) as many rows of nulls of t's schema
 * now. */
void aiq_session_fit_cached(AiqSession *s, const AiqCatalogTable *t);

/* ---- complete.c: tab completion ------------------------------------------ */

/* The columns of t as far as known without reading it (completion): its
 * declared or inferred schema, the one remembered from an earlier run, or
 * a guess from its first block. false when there is none. */
bool aiq_session_guess_schema(AiqSession *s, AiqCatalogTable *t, AiqSchema *out);

/* How many times the query will read t's files: 2 with a first pass for
 * its types (not when they are guessed: guess.c), 0 when it is held in
 * memory, else 1. */
int aiq_session_passes(AiqSession *s, const AiqCatalogTable *t);

/* ---- progress.c: the progress line on a terminal --------------------------- */

/* A query starts: its progress counts from now. */
void aiq_progress_query_start(AiqSession *s);
/* The query reads t's files passes times: their size goes into the total
 * (once per table). */
void aiq_progress_expect_table(AiqSession *s, const AiqCatalogTable *t, int passes);
/* Starts drawing the line (after a second of the query) while a stage
 * runs, when the options ask for it; the session's diag goes through it
 * meanwhile. stage (or NULL) names it after the rows, which count from
 * now. NULL when there is no line. */
AiqProgressLine *aiq_progress_line_start(AiqSession *s, const char *stage);
/* Stops drawing, takes the line off the terminal and gives diag back (NULL
 * is ignored). */
void aiq_progress_line_stop(AiqProgressLine *pl);

/* ---- timing.c: --timing -------------------------------------------------- */

/* With --timing, a new record of a read of table (how: see AiqInputStat)
 * and its stats to give the reader; NULL without --timing. */
AiqReadStats *aiq_session_count_input(AiqSession *s, const char *table, const char *how);
/* Forgets the records of the last query. */
void aiq_session_inputs_clear(AiqSession *s);
/* Prints --timing's lines on diag: the time of each stage, what each input
 * read, the rows after each operator of plan (and the time in it), peak
 * memory. plan and stats may be NULL (a query that failed before running). */
void aiq_session_print_timing(const AiqSession *s, const AiqTiming *t, const AiqPlan *plan,
                              const AiqExecStats *stats);

/* ---- untyped.c: tables without rows or schema ---------------------------- */

/* Binds ast (parsed from text[0..len)) with bo, giving every table that
 * has no rows and no known schema the columns the query names, null and
 * typed as the query uses them, with a warning on diag. The plan, or NULL
 * with err. */
AiqPlan *aiq_session_bind(AiqSession *s, const AiqNode *ast, const char *text, size_t len, const AiqBindOptions *bo,
                          AiqArena *arena, AiqError *err);

/* ---- schema_cache.c: schemas remembered between runs --------------------- */

/* Remembers t's inferred schema under its origin path. Failing is silent. */
void aiq_schema_cache_save(const AiqCatalogTable *t);
/* The schema remembered for t's origin path into *out (arena memory);
 * false when there is none. */
bool aiq_schema_cache_load(const AiqCatalogTable *t, AiqSchema *out, AiqArena *arena);
/* The schema inferred when t's files were last read, when they are all
 * unchanged since (path, device, inode, size, modification time): the
 * first pass for types can be skipped. false when there is none. */
bool aiq_schema_cache_current(const AiqCatalogTable *t, AiqSchema *out, AiqArena *arena);

/* ---- scan_stream.c: the streams scans read -------------------------------- */

typedef struct AiqSessionStream AiqSessionStream;
/* A stream of t's rows for a scan of spec (NULL: every column) under hint
 * (or NULL). keep (the REPL): what it reads is kept in t's column cache,
 * and the columns the cache holds come from there. The batches it returns
 * are its own, valid until the next call. */
AiqSessionStream *aiq_session_stream_open(AiqSession *s, AiqCatalogTable *t, const AiqScanSpec *spec,
                                          const AiqTopHint *hint, bool keep, AiqError *err);
/* The next batch, or NULL at the end (err untouched) or on error. */
AiqTable *aiq_session_stream_next(AiqSessionStream *st, AiqError *err);
void aiq_session_stream_close(AiqSessionStream *st);
/* After a run that failed with err: when it reached the memory limit and
 * the column cache holds anything, frees it all, says so on diag, clears
 * err and returns true (run the query again); else false. */
bool aiq_session_shed_cache(AiqSession *s, AiqError *err);
/* How many columns bc holds whole. */
int aiq_batch_cache_columns(const AiqBatchCache *bc);
/* Frees what bc holds: it is empty. */
void aiq_batch_cache_clear(AiqBatchCache *bc);

/* Builds bc's ranges from what a stream that read t's files whole gave
 * (reads, one per file, nparts batches in all); leaves them unknown when
 * the counts disagree. */
void aiq_batch_cache_set_ranges(AiqBatchCache *bc, const AiqCatalogTable *t, const AiqFileRead *reads);

/* ---- guess.c: one pass without a schema ---------------------------------- */

/* Gives undeclared table t (its files re-readable) a schema guessed from
 * its first rows, which the query's streams verify row by row: false when
 * guessing is not allowed now or there are no rows to guess from. */
bool aiq_session_guess_types(AiqSession *s, AiqCatalogTable *t);
/* After a run (or before an explain): each table whose schema is still a
 * guess gets the types of every row, by a first pass. true when the query
 * must be bound and run again: a row broke the guess, or the types differ.
 * false with err set when that pass fails. answered: after a run that gave
 * a result, whose answer stands when every stream of each guess verified
 * the columns it read to the end (the guesses are then dropped, no pass). */
bool aiq_session_settle_guesses(AiqSession *s, bool answered, AiqError *err);
/* Whether any table's schema is a guess. */
bool aiq_session_has_guesses(const AiqSession *s);

/* ---- spool.c: stdin and pipes read twice ---------------------------------- */

/* Copies t's stdin and pipes to unnamed temporary files that t's paths then
 * name, so that t can be read twice in bounded memory. true, leaving the
 * rest uncopied, when no temporary file can be made (the rows are then held
 * in memory); false with err when a copy fails. */
bool aiq_session_spool(AiqSession *s, AiqCatalogTable *t, AiqError *err);
/* Closes (and so frees) the temporary files. */
void aiq_session_spools_close(AiqSession *s);

/* ---- tail_read.c: files that grew ---------------------------------------- */

/* A hash of a file's first and last few KB before byte end: whether the
 * lines a cache holds are still the file's (0 when unreadable). */
uint64_t aiq_file_print(const char *path, int64_t end);
/* Whether c's column cache of t still holds t's files' first bytes: the
 * files are the same and only grew (or were touched). Notes the lines
 * appended, for aiq_session_read_tails. false: the cache is to be
 * forgotten and the files read again. Cheap: a stat and a few KB a file. */
bool aiq_session_note_tails(AiqCatalogTable *t, AiqCachedTable *c);
/* Reads the lines noted into c's column cache (each cached column) and
 * returns true when the new rows fit t's types; else false with *why
 * (what they do, "bring new columns or types"): the cache is to be
 * forgotten and the files read again. */
bool aiq_session_read_tails(AiqSession *s, AiqCatalogTable *t, AiqCachedTable *c, const char **why);
/* Before a query: reads every table's noted lines, or forgets what is
 * cached of a table whose new lines do not fit (cache.c). */
void aiq_session_catch_up(AiqSession *s);
/* Makes room for extra more bytes in the column cache by evicting what
 * earlier queries read longest ago; false when it cannot. */
bool aiq_session_cache_room(AiqSession *s, size_t extra);

/* Drops what is cached of tables bound anew since they were read. */
void aiq_session_forget_rebound(AiqSession *s);
/* Drops everything cached. */
void aiq_session_cache_free(AiqSession *s);
/* Where a run's scans get their rows: streams of declared tables not
 * cached (unless keep_tables), else the cache. */
AiqScanSource aiq_session_scan_source(AiqSession *s);
/* The threads parsing input (and rendering a large result): the option,
 * or one per online core. */
int aiq_options_threads(const AiqOptions *o);
int aiq_session_threads(const AiqSession *s);

/* ---- render.c: the chart of a trailing render ------------------------------ */

/* Appends the chart plan's render asks for over result t to sb, drawn for
 * the terminal out (its width, a height that fits it; ANSI colour when
 * color), or for one of cols x rows when cols > 0 (out is then memory). false, sb untouched and why set, when it cannot be drawn (a
 * kind aiq does not draw, a timechart without a datetime column, ...). */
bool aiq_session_render_term(const AiqPlan *plan, const AiqTable *t, FILE *out, int cols, int rows, bool color,
                             AiqStrBuf *sb, AiqError *why);
/* Writes that chart as an SVG document to path, whole or not at all (a
 * temporary file renamed into place). false with err set: the chart cannot
 * be drawn, or the file cannot be written (AIQ_ERR_IO). */
bool aiq_session_render_svg(const AiqPlan *plan, const AiqTable *t, const char *path, AiqError *err);

#endif
