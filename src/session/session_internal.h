/*
 * session_internal.h -- the session behind include/aiq/aiq.h (not an
 * interface for other folders): its catalog of tables, the cache of tables
 * read whole (keep_tables), the options, and what its files share.
 */
#ifndef AIQ_SESSION_SESSION_INTERNAL_H
#define AIQ_SESSION_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq.h"
#include "core/table.h"
#include "exec/op.h"
#include "io/catalog.h"
#include "util/strbuf.h"

/* What the session holds of catalog table i besides its files and schema:
 * its rows when read whole, kept for the next query. */
typedef struct AiqCachedTable {
    AiqTable *data;       /* the rows, or NULL */
    bool *loaded;         /* declared tables: the columns data holds (NULL: all); catalog arena */
    int binding;          /* the catalog binding data was read under: another one makes it stale */
    uint64_t files_stamp; /* aiq_catalog_files_stamp() before data was read */
} AiqCachedTable;

struct AiqSession {
    AiqOptions opts;
    AiqCatalog catalog;
    AiqCachedTable *cache; /* by catalog table index */
    int ncache;
    const char **words;    /* aiq_session_completions' answer */
    size_t nwords, capwords;
};

/* ---- cache.c: tables read whole, schemas inferred, scans' rows ---------- */

/* The cache entry of catalog table t (made when new). */
AiqCachedTable *aiq_session_cached(AiqSession *s, const AiqCatalogTable *t);
/* Gives an undeclared table its schema, from every row: a first pass over
 * its files after which it streams like a declared table, or (keep_tables,
 * stdin, pipes) a whole read that is kept. Declared tables: nothing to do. */
bool aiq_session_table_schema(AiqSession *s, AiqCatalogTable *t, AiqError *err);
/* Reads t's files whole into the cache, inferring its schema from every
 * row when undeclared. For a declared table, needed (NULL: all) names the
 * columns to read; a cached table lacking one is read again. false with
 * err (AIQ_ERR_IO). */
bool aiq_session_load_table(AiqSession *s, AiqCatalogTable *t, const bool *needed, AiqError *err);
/* Drops what is cached of tables bound anew since they were read. */
void aiq_session_forget_rebound(AiqSession *s);
/* Drops everything cached. */
void aiq_session_cache_free(AiqSession *s);
/* Where a run's scans get their rows: streams of declared tables not
 * cached (unless keep_tables), else the cache. */
AiqScanSource aiq_session_scan_source(AiqSession *s);
/* The threads parsing input: the option, or one per online core. */
int aiq_session_threads(const AiqSession *s);

/* ---- render.c: the chart of a trailing render ------------------------------ */

/* Appends the chart plan's render asks for over result t to sb, drawn for
 * the terminal out (its width, a height that fits it; ANSI colour when
 * color). false, sb untouched and why set, when it cannot be drawn (a
 * kind aiq does not draw, a timechart without a datetime column, ...). */
bool aiq_session_render_term(const AiqPlan *plan, const AiqTable *t, FILE *out, bool color, AiqStrBuf *sb,
                             AiqError *why);
/* Writes that chart as an SVG document to path, whole or not at all (a
 * temporary file renamed into place). false with err set: the chart cannot
 * be drawn, or the file cannot be written (AIQ_ERR_IO). */
bool aiq_session_render_svg(const AiqPlan *plan, const AiqTable *t, const char *path, AiqError *err);

#endif
