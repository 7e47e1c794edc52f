/*
 * aiq.h -- the public face of the aiq library: a session (its tables, their
 * cache, the options queries run with), queries prepared and run in it,
 * and errors with their rendering. The command line (src/cli/) and the
 * REPL (src/repl/) use aiq through this header only.
 *
 * Library code never prints and never exits: every failure is returned in an
 * AiqError, which cli/ and repl/ render like a compiler diagnostic
 * (FILE:LINE:COL: error: message, the source line, a caret under the span).
 * The session writes only to the streams its caller gives it: a query's
 * result to the output stream, and warnings about the data (skipped lines,
 * values that did not fit their type) and --timing to AiqOptions.diag.
 */
#ifndef AIQ_H
#define AIQ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "aiq_types.h"

#define AIQ_VERSION "0.1.0"

typedef enum AiqErrCode {
    AIQ_OK = 0,
    AIQ_ERR_SYNTAX,  /* the query text does not parse */
    AIQ_ERR_BIND,    /* unknown name, wrong arity, duplicate column */
    AIQ_ERR_TYPE,    /* argument types do not fit */
    AIQ_ERR_RUNTIME, /* error while executing (bad regex at run time, ...) */
    AIQ_ERR_IO,      /* unreadable input, corrupt file, --strict violation */
    AIQ_ERR_LIMIT,   /* a resource limit: --max-memory, regex match limit, depth */
    AIQ_ERR_USAGE    /* bad option or parameter */
} AiqErrCode;

typedef struct AiqError {
    AiqErrCode code;
    int32_t offset; /* byte offset of the offending text in the query, -1 if none */
    int32_t length; /* bytes to underline, >= 1 */
    int line, col;  /* 1-based; filled in by aiq_error_locate() from offset */
    char msg[512];
} AiqError;

/* Records an error unless one is already recorded (the first error wins).
 * Always returns false so callers can write `return aiq_error_set(...)`. */
bool aiq_error_set(AiqError *err, AiqErrCode code, int32_t offset, int32_t length,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Appends text to an already recorded message (used for hints). */
void aiq_error_append(AiqError *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills err->line and err->col from err->offset within text. */
void aiq_error_locate(AiqError *err, const char *text, size_t len);
/* Prints "NAME:LINE:COL: error: MSG", the source line and a caret line to out.
 * name may be NULL (then "query" is used); text may be NULL when the error has no location. */
void aiq_error_print(FILE *out, const AiqError *err, const char *name, const char *text,
                     size_t len);
/* Maps an error code to the process exit code of CLI.md (1 query, 2 usage/io, 4 limit). */
int aiq_error_exit_code(AiqErrCode code);

/* ---- sessions ---------------------------------------------------------- */

typedef struct AiqSession AiqSession;
typedef struct AiqQuery AiqQuery;

/* How a session runs its queries; the caller sets it (aiq_session_options)
 * and may change it between queries. */
typedef struct AiqOptions {
    int64_t now;            /* now() and ago(): 100 ns ticks since 0001-01-01 UTC */
    const char *format;     /* output format (aiq_format_canonical); NULL: table */
    bool no_header;         /* csv, tsv, table without the header row */
    bool crlf;              /* csv, tsv: CR LF line ends */
    const char *color;      /* "auto", "always" or "never"; NULL: auto */
    bool fail_on_rows;      /* a result with rows is exit code 3; with none, the table,
                               csv, tsv and markdown formats print nothing on the
                               output stream (a header alone is no news, and cron
                               mails whatever a job prints) */
    const char *output_file; /* results and plans go to this file, written atomically
                               (a temporary file renamed into place), not to the
                               stream; NULL: the stream */
    bool strict;            /* a malformed input line is an error */
    int threads;            /* threads parsing input (0: one per core) */
    bool timing;            /* a line of timings on diag after each query */
    bool progress;          /* a progress line on diag, a terminal, for a query that runs
                               over a second: erased before its result or error */
    bool progress_plain;    /* that line without escape sequences (NO_COLOR, TERM=dumb) */
    bool keep_tables;       /* read tables whole and keep them for the next query
                               (the REPL), read again when their files change */
    const char *const *param_names; /* --param NAME=VALUE, for declare query_parameters */
    const char *const *param_values;
    int nparams;
    bool params_declared;   /* a parameter the query does not declare is a usage error */
    bool params_optional;   /* only checking (aiq check): a declared parameter without
                               value or default is type-checked, not required */
    FILE *diag;             /* warnings about the data and timings; NULL: none */
    bool bind_only;         /* aiq check: queries are bound and never run, so a plugin whose
                               columns come from the data (evaluate pivot, bag_unpack) has
                               only the columns known without it */
    const char *chart_file; /* --chart FILE.svg: the chart of a trailing render goes there */
    int term_cols, term_rows; /* the terminal the output stream is shown on, when the
                               caller renders into memory first (the REPL, to page it):
                               out is then treated as a terminal of this size (colour,
                               charts drawn to fit it) and the table view is fitted to
                               term_cols; 0: out itself says (a tty or not), no fitting */
} AiqOptions;

/* A new session with no tables and default options (diag: stderr). Never NULL. */
AiqSession *aiq_session_new(void);
/* Frees the session, its tables and everything it cached. */
void aiq_session_free(AiqSession *s);
/* The session's options, to read and change. */
AiqOptions *aiq_session_options(AiqSession *s);

/* ---- the session's tables (CLI.md, "Data") ----------------------------- */

/* -t NAME=PATH and the REPL's .load: binds table NAME to PATH (a file, a
 * glob, a directory, "-" for stdin), replacing an earlier binding of NAME
 * and what was cached of it. false with err when PATH cannot be bound;
 * the table then keeps the error for the query that names it. */
bool aiq_session_bind_table(AiqSession *s, const char *name, const char *path, AiqError *err);
/* -t PATH and data file arguments: binds PATH to the table named after the
 * file (its name up to the first '.'). false with err (AIQ_ERR_USAGE) when
 * no name can be made (stdin, a hidden file), or as above. */
bool aiq_session_bind_file(AiqSession *s, const char *path, AiqError *err);
/* -d DIR: every DIR/NAME.jsonl[.zst|.gz] and DIR/NAME/ becomes table NAME
 * (unless -t bound it), and DIR/schema.kql declares types. false with err
 * when DIR cannot be read. */
bool aiq_session_bind_dir(AiqSession *s, const char *dir, AiqError *err);
/* --schema FILE: `.create table` declarations. false with err when the file
 * cannot be read or parsed. */
bool aiq_session_read_schema(AiqSession *s, const char *file, AiqError *err);
/* How tables that are not bound are treated. no_data: nothing was given at
 * all, so naming a table is a usage error (a cron job never answers from
 * sample data). strict: a path bound with -t or as an argument that cannot
 * be read is an error for every query, not only those naming its table.
 * sample: the bundled sample's directory when that is what was bound (the
 * REPL says so), or NULL. */
void aiq_session_set_data_rules(AiqSession *s, bool no_data, bool strict, const char *sample);
/* The sample directory given to aiq_session_set_data_rules, or NULL. */
const char *aiq_session_sample(const AiqSession *s);
/* false with err (AIQ_ERR_IO) when a strictly bound path cannot be read. */
bool aiq_session_check_bindings(const AiqSession *s, AiqError *err);

/* A table of the session, as .tables shows it. */
typedef struct AiqTableInfo {
    const char *name;
    int nfiles;
    int64_t cached_rows;    /* rows held from the last query (keep_tables), -1: none */
    int cached_columns;     /* of them, the columns held (-1: all: a table read whole) */
    int ncolumns;           /* the table's columns, as far as known */
    int64_t cached_bytes;   /* what the columns held take */
    const char *const *paths; /* its nfiles files ("-": stdin) */
    const char *bind_error; /* why its path could not be bound, or NULL */
    bool appended;          /* lines were appended to its files since: the next query reads them */
} AiqTableInfo;
/* The number of tables; they are numbered 0 .. n-1 in the order bound. */
int aiq_session_ntables(const AiqSession *s);
/* Table i (0 <= i < aiq_session_ntables). */
AiqTableInfo aiq_session_table(const AiqSession *s, int i);
/* The number of table name, or -1 when no table has that name. */
int aiq_session_find_table(const AiqSession *s, const char *name);
/* Table i's columns as `.create table NAME (Col:type, ...)` and a newline,
 * names quoted where KQL needs it (--schema reads it back); an undeclared
 * table's types are inferred from its data first. A new string (free with
 * aiq_string_free), or NULL with err. */
char *aiq_session_create_table(AiqSession *s, int i, AiqError *err);
/* aiq schema --kusto: table i as the Azure Data Explorer commands that load
 * the same files: `.create table`, a JSON ingestion mapping taking each
 * column from the top-level key of its name, and an example `.ingest`
 * per file (with what the file needs first: gzip instead of zstd), each
 * command a block of its own. A new string (aiq_string_free), or NULL
 * with err as aiq_session_create_table. */
char *aiq_session_kusto_table(AiqSession *s, int i, AiqError *err);
/* The error for table name when it is not bound, as a query naming it would
 * get (a usage error when no data was given at all). */
void aiq_session_unknown_table(const AiqSession *s, const char *name, AiqError *err);
/* Forgets every table's cached rows (the REPL's .reload): the next query
 * reads the files again. */
void aiq_session_drop_cache(AiqSession *s);
/* Forgets what is cached of tables whose files changed (grew, were rotated
 * or rewritten) since they were read, so that the next query reads them. */
void aiq_session_refresh(AiqSession *s);

/* ---- queries ------------------------------------------------------------ */

/* Parses text[0..len) and, unless syntax_only, binds it against the
 * session's tables and parameters. text must outlive the query. NULL with
 * err set (its offset into text: render it with aiq_error_locate and
 * aiq_error_print). */
AiqQuery *aiq_session_prepare(AiqSession *s, const char *text, size_t len, bool syntax_only, AiqError *err);
/* Runs a bound query and writes its result to out (or the options'
 * output_file) in the session's format, the whole result or nothing: an
 * error mid-query writes nothing. Returns the exit code of CLI.md (0, 3
 * with fail_on_rows); on failure err is set.
 * A trailing `render` draws its chart instead of the table when out is a
 * terminal and the format the table view; elsewhere the rows go out
 * unchanged, with one note on diag. With chart_file set, the chart is
 * written there as SVG instead (before anything goes to out), and out
 * (or output_file) gets the rows. */
int aiq_query_run(AiqQuery *q, FILE *out, AiqError *err);
/* Writes the query's plan to out (or output_file; --explain): operators, their columns and
 * types, and what each scan reads and tests. false with err. */
bool aiq_query_explain(AiqQuery *q, FILE *out, AiqError *err);
/* The result columns of a bound query (its names and types, as Kusto
 * infers them). */
int aiq_query_ncols(const AiqQuery *q);
const char *aiq_query_col_name(const AiqQuery *q, int i);
AiqType aiq_query_col_type(const AiqQuery *q, int i);
/* The rows of the result the last aiq_query_run wrote (-1: it has not run,
 * or failed). */
int64_t aiq_query_result_rows(const AiqQuery *q);
/* Whether the query is only let statements (a library of functions): it
 * checks, but has no result; running or explaining it is an error. */
bool aiq_query_lets_only(const AiqQuery *q);
/* The chart kind of the query's trailing render ("timechart"), or NULL. */
const char *aiq_query_render(const AiqQuery *q);
/* Frees a query (NULL is ignored). */
void aiq_query_free(AiqQuery *q);
/* Prepares, runs and frees: the exit code, err set on failure. */
int aiq_session_query(AiqSession *s, const char *text, size_t len, FILE *out, AiqError *err);

/* Whether text[0..len) ends a query at its last ';': it parses, or its
 * error lies before the end (the REPL runs it to show the error); not
 * after only let statements, or when the error is at the very end (an
 * unfinished query). */
bool aiq_query_complete(const char *text, size_t len);

/* The words that may complete the one starting at start in text (the
 * query typed so far, its earlier lines included: the REPL's Tab): query
 * operators right after '|'; join kinds after kind=; else the columns of
 * the pipeline at that point (bound up to its last '|': extended and
 * summarized names in, projected-away ones out, other tables' never; odd
 * names bracket-quoted), or the tables where the pipeline starts, with let
 * names, functions, aggregates and keywords. No table is read for it: an
 * undeclared table's columns are guessed from its first block. Sets *n;
 * the array and its words are the session's, valid until the next call. */
const char *const *aiq_session_completions(AiqSession *s, const char *text, size_t start, size_t *n);

/* ---- names -------------------------------------------------------------- */

/* The canonical name of an output format name in any case ("md" ->
 * "markdown", "JSONL" -> "ndjson"), or NULL when it names none. */
const char *aiq_format_canonical(const char *name);
/* The accepted format names, for usage messages. */
#define AIQ_FORMAT_CHOICES "table, csv, tsv, json, ndjson (or jsonl), markdown (or md)"
/* Writes text[0..len) to out and flushes it: false with err (AIQ_ERR_IO,
 * the system's reason) when out refuses it (a full disk, a closed
 * descriptor); a reader gone away (EPIPE: `| head`) is not a failure. */
bool aiq_write_all(FILE *out, const char *text, size_t len, AiqError *err);
/* Frees a string the library returned. */
void aiq_string_free(char *s);

#endif
