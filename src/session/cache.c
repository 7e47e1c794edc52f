/*
 * cache.c -- how a session's scans get their rows (see session_internal.h).
 * A declared table not held in memory streams from its files in bounded
 * memory, reading what physical planning decided for the scan. Otherwise
 * the table is read whole once and cached: the REPL's tables
 * (keep_tables), stdin and pipes, which cannot be read twice, and tables
 * whose types come from every row. A cached table whose files changed is
 * forgotten (aiq_session_refresh) and read again by the next query.
 */
#include "session/session_internal.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/run.h"
#include "io/jsonl.h"
#include "util/mem.h"

AiqCachedTable *aiq_session_cached(AiqSession *s, const AiqCatalogTable *t)
{
    int i = (int)(t - s->catalog.tables);
    if (i >= s->ncache) {
        int n = s->catalog.ntables > i + 1 ? s->catalog.ntables : i + 1;
        s->cache = aiq_xrealloc(s->cache, sizeof *s->cache * (size_t)n);
        memset(s->cache + s->ncache, 0, sizeof *s->cache * (size_t)(n - s->ncache));
        s->ncache = n;
    }
    return &s->cache[i];
}

static void forget(AiqCachedTable *c)
{
    aiq_batch_cache_clear(&c->batches);
    aiq_table_free(c->data);
    c->data = NULL;
    c->loaded = NULL; /* catalog arena memory */
}

void aiq_session_forget_rebound(AiqSession *s)
{
    for (int i = 0; i < s->ncache && i < s->catalog.ntables; i++)
        if ((s->cache[i].data && s->cache[i].binding != s->catalog.tables[i].binding) ||
            (s->cache[i].batches.complete && s->cache[i].batches.binding != s->catalog.tables[i].binding))
            forget(&s->cache[i]);
}

void aiq_session_drop_cache(AiqSession *s)
{
    for (int i = 0; i < s->ncache; i++)
        forget(&s->cache[i]);
}

void aiq_session_cache_free(AiqSession *s)
{
    for (int i = 0; i < s->ncache; i++) {
        forget(&s->cache[i]);
        aiq_xfree(s->cache[i].facts);
    }
    aiq_xfree(s->cache);
    s->cache = NULL;
    s->ncache = 0;
}

/* Records what each file of t is now in c->facts. */
static void take_facts(AiqCachedTable *c, const AiqCatalogTable *t)
{
    c->facts = aiq_xrealloc(c->facts, sizeof *c->facts * (size_t)(t->npaths + 1));
    c->nfacts = t->npaths;
    for (int i = 0; i < t->npaths; i++) {
        struct stat st;
        bool found = strcmp(t->paths[i], "-") != 0 && stat(t->paths[i], &st) == 0;
        c->facts[i] = found ? (AiqFileFacts){st.st_dev, st.st_ino, st.st_size, false} : (AiqFileFacts){.missing = true};
    }
}

/* Says on diag how the files of t changed since c->facts: a file replaced
 * (log rotation: a new file under the name) or truncated in place
 * (copytruncate); one that only grew needs no word. */
static void note_changes(const AiqSession *s, const AiqCachedTable *c, const AiqCatalogTable *t)
{
    for (int i = 0; s->opts.diag && i < t->npaths && i < c->nfacts; i++) {
        const AiqFileFacts *was = &c->facts[i];
        struct stat st;
        bool found = strcmp(t->paths[i], "-") != 0 && stat(t->paths[i], &st) == 0;
        const char *how = !found && !was->missing ? "is gone"
                          : !found || was->missing ? NULL
                          : st.st_dev != was->dev || st.st_ino != was->ino ? "was replaced (log rotation?)"
                          : st.st_size < was->size ? "was truncated (log rotation with copytruncate?)"
                                                   : NULL;
        if (how)
            fprintf(s->opts.diag, "aiq: %s %s: reading it again\n", t->paths[i], how);
    }
}

/* t's types came from its files as they were: inferred again next. */
static void forget_inferred(AiqCatalogTable *t)
{
    t->declared = t->inferred = false;
    t->schema = (AiqSchema){0};
}

void aiq_session_refresh(AiqSession *s)
{
    for (int i = 0; i < s->catalog.ntables; i++) {
        AiqCatalogTable *t = &s->catalog.tables[i];
        AiqCachedTable *c = aiq_session_cached(s, t);
        uint64_t stamp = aiq_catalog_files_stamp(t);
        if (stamp != c->files_stamp && aiq_session_note_tails(t, c)) {
            /* only lines appended: the next query reads them alone */
            c->files_stamp = stamp;
            take_facts(c, t);
            continue;
        }
        if ((c->data || c->batches.complete) && stamp != c->files_stamp) {
            note_changes(s, c, t);
            forget(c);
        }
        if (t->inferred && stamp != c->files_stamp) /* the types come from the files as they are now */
            forget_inferred(t);
        if (t->borrowed && stamp != c->files_stamp) { /* rows may have come: their own types then */
            t->declared = t->borrowed = t->untyped = false;
            t->schema = (AiqSchema){0};
        }
        c->files_stamp = stamp;
        take_facts(c, t);
    }
}

void aiq_session_catch_up(AiqSession *s)
{
    for (int i = 0; i < s->ncache && i < s->catalog.ntables; i++) {
        AiqCatalogTable *t = &s->catalog.tables[i];
        AiqCachedTable *c = &s->cache[i];
        if (!c->batches.ntails)
            continue;
        const char *why = NULL;
        if (aiq_session_read_tails(s, t, c, &why)) {
            if (t->inferred) /* (for the command line's next run on these files) */
                aiq_schema_cache_save(t);
            continue;
        }
        if (s->opts.diag)
            fprintf(s->opts.diag, "aiq: the lines appended to the files of %s %s: reading the files again\n", t->name,
                    why);
        forget(c);
        if (t->inferred)
            forget_inferred(t);
    }
}

uint64_t *aiq_session_stamps(const AiqSession *s)
{
    uint64_t *stamps = aiq_xmalloc(sizeof *stamps * (size_t)(s->catalog.ntables + 1));
    for (int i = 0; i < s->catalog.ntables; i++)
        stamps[i] = aiq_catalog_files_stamp(&s->catalog.tables[i]);
    return stamps;
}

bool aiq_session_retry_read(AiqSession *s, const uint64_t *stamps, AiqError *err)
{
    if (err->code != AIQ_ERR_IO)
        return false;
    bool changed = false;
    for (int i = 0; i < s->catalog.ntables; i++) {
        AiqCatalogTable *t = &s->catalog.tables[i];
        if (aiq_catalog_files_stamp(t) == stamps[i])
            continue;
        changed = true;
        if (s->opts.diag)
            fprintf(s->opts.diag, "aiq: the files of %s changed while they were read (%s); reading them again\n",
                    t->name, err->msg);
        forget(aiq_session_cached(s, t));
    }
    if (changed)
        memset(err, 0, sizeof *err);
    return changed;
}

int aiq_options_threads(const AiqOptions *o)
{
    if (o->threads > 0)
        return o->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int aiq_session_threads(const AiqSession *s) { return aiq_options_threads(&s->opts); }

/* Every file of t can be read twice (regular files: not stdin or a pipe). */
static bool rereadable(const AiqCatalogTable *t)
{
    for (int i = 0; i < t->npaths; i++) {
        struct stat st;
        if (strcmp(t->paths[i], "-") == 0 || stat(t->paths[i], &st) != 0 || !S_ISREG(st.st_mode))
            return false;
    }
    return t->npaths > 0;
}

int aiq_session_passes(AiqSession *s, const AiqCatalogTable *t)
{
    if (!rereadable(t))
        return aiq_session_cached(s, t)->data ? 0 : 1;
    bool held = s->opts.keep_tables && aiq_session_cached(s, t)->batches.complete; /* (some columns, maybe) */
    /* (a query's binding guesses undeclared types and verifies them as it
     * reads: one pass, unless a row breaks the guess) */
    return (t->declared || s->may_guess ? 0 : 1) + (held ? 0 : 1);
}

/* One try at giving t its schema (aiq_session_table_schema); *fresh: its
 * files were read for it now (not a schema of rows kept from before). */
static bool table_schema_once(AiqSession *s, AiqCatalogTable *t, bool *fresh, AiqError *err)
{
    *fresh = !aiq_session_cached(s, t)->data;
    if (t->npaths == 0) { /* an empty directory: nothing to read */
        t->schema = (AiqSchema){0};
        return true;
    }
    if (!rereadable(t)) { /* stdin, a pipe: copied to a file to read twice, else read whole and kept */
        if (!aiq_session_spool(s, t, err))
            return false;
        if (!rereadable(t))
            return aiq_session_load_table(s, t, NULL, err);
    }
    if (aiq_schema_cache_current(t, &t->schema, &s->catalog.arena)) {
        /* the same files as when their types were last inferred: one pass */
        t->declared = t->inferred = true;
        *fresh = false; /* (nothing new to remember) */
        return true;
    }
    if (aiq_session_guess_types(s, t)) { /* one pass: the query verifies the guess (guess.c) */
        *fresh = false; /* (remembered once proven) */
        return true;
    }
    if (!aiq_session_first_pass(s, t, err))
        return false;
    t->declared = t->inferred = true;
    return true;
}

bool aiq_session_first_pass(AiqSession *s, AiqCatalogTable *t, AiqError *err)
{
    AiqReadOptions opts = {.strict = s->opts.strict, .threads = aiq_session_threads(s),
                           .stats = aiq_session_count_input(s, t->name, "first pass, for types")};
    double t0 = aiq_exec_clock();
    bool ok = aiq_jsonl_infer_schema(t, &opts, &s->catalog.arena, err);
    s->first_pass += aiq_exec_clock() - t0;
    return ok;
}

/* A table whose files gave no column (no rows) borrows a schema: the one
 * remembered from the last run that saw rows there, else the names the
 * query uses (session/untyped.c). Its rows read so far (none, or only
 * empty objects) become rows of nulls of that schema. A table with
 * columns has them remembered for such a day. */
static void settle_schema(AiqSession *s, AiqCatalogTable *t, bool fresh)
{
    if (t->schema.ncols > 0) {
        if (fresh)
            aiq_schema_cache_save(t);
        return;
    }
    t->declared = t->borrowed = true;
    t->inferred = false;
    t->untyped = !aiq_schema_cache_load(t, &t->schema, &s->catalog.arena);
    aiq_session_fit_cached(s, t);
}

void aiq_session_fit_cached(AiqSession *s, const AiqCatalogTable *t)
{
    AiqCachedTable *c = aiq_session_cached(s, t);
    if (!c->data || c->data->schema.ncols == t->schema.ncols)
        return;
    int64_t rows = c->data->nrows;
    aiq_table_free(c->data);
    c->data = aiq_table_new(&t->schema);
    aiq_table_add_null_rows(c->data, rows);
    c->loaded = NULL;
}

bool aiq_session_table_schema(AiqSession *s, AiqCatalogTable *t, AiqError *err)
{
    if (t->declared)
        return true;
    /* a file rotated or truncated while it was read is read again, once */
    uint64_t *stamps = aiq_session_stamps(s);
    bool fresh;
    bool ok = table_schema_once(s, t, &fresh, err) ||
              (aiq_session_retry_read(s, stamps, err) && table_schema_once(s, t, &fresh, err));
    aiq_xfree(stamps);
    if (ok)
        settle_schema(s, t, fresh);
    return ok;
}

bool aiq_session_load_table(AiqSession *s, AiqCatalogTable *t, const bool *needed, AiqError *err)
{
    AiqCachedTable *c = aiq_session_cached(s, t);
    bool partial = t->declared && needed;
    if (c->data) {
        bool covers = !c->loaded; /* NULL: every column is there */
        if (!covers) {
            covers = true;
            for (int k = 0; k < t->schema.ncols && covers; k++)
                covers = c->loaded[k] || (partial && !needed[k]);
        }
        if (covers) {
            AiqReadStats *held = aiq_session_count_input(s, t->name, "held in memory");
            if (held)
                held->rows = c->data->nrows;
            return true;
        }
        aiq_table_free(c->data); /* read again with the union of the columns */
        c->data = NULL;
    }
    if (t->npaths == 0 && t->source == AIQ_BIND_NONE)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                             "table '%s' is declared in the schema but has no data file; bind one with -t %s=PATH",
                             t->name, t->name);
    if (t->npaths == 0) { /* an empty directory: a table without rows */
        c->data = aiq_table_new(&t->schema);
        c->loaded = NULL;
        c->binding = t->binding;
        return true;
    }
    bool *want = NULL;
    if (partial) {
        want = aiq_arena_alloc(&s->catalog.arena, sizeof *want * (size_t)(t->schema.ncols + 1));
        for (int k = 0; k < t->schema.ncols; k++)
            want[k] = needed[k] || (c->loaded && c->loaded[k]);
    }
    AiqScanSpec spec = {.ncols = t->schema.ncols, .needed = want}; /* whole rows: no keys, no tests */
    AiqReadOptions opts = {.strict = s->opts.strict, .warn = s->opts.diag, .scan = want ? &spec : NULL,
                           .stats = aiq_session_count_input(s, t->name, "read")};
    AiqTable *data = aiq_jsonl_load(t, &opts, &s->catalog.arena, err);
    if (!data)
        return false;
    c->data = data;
    c->loaded = want;
    c->binding = t->binding;
    return true;
}

/* ---- the scans' rows ----------------------------------------------------- */

/* The spec of scan when it is for t's schema (it always is, but for a
 * schema file read between bind and run). */
static const AiqScanSpec *spec_for(const AiqPlan *scan, const AiqCatalogTable *t)
{
    return scan->scan && scan->scan->ncols == t->schema.ncols ? scan->scan : NULL;
}

static AiqTable *load_scan(void *ud, const AiqPlan *scan, AiqError *err)
{
    AiqSession *s = ud;
    AiqCatalogTable *t = aiq_catalog_find(&s->catalog, scan->table);
    if (!t) {
        aiq_error_set(err, AIQ_ERR_IO, -1, 1, "unknown table '%s'", scan->table);
        return NULL;
    }
    const AiqScanSpec *spec = spec_for(scan, t);
    if (!aiq_session_load_table(s, t, spec ? spec->needed : NULL, err))
        return NULL;
    return aiq_session_cached(s, t)->data;
}

static void *open_scan(void *ud, const AiqPlan *scan, const AiqTopHint *hint, AiqError *err)
{
    AiqSession *s = ud;
    AiqCatalogTable *t = aiq_catalog_find(&s->catalog, scan->table);
    if (!t || !t->declared || aiq_session_cached(s, t)->data || t->npaths == 0)
        return NULL;
    if (s->opts.keep_tables && !rereadable(t)) /* (read whole and kept: load_scan) */
        return NULL;
    bool keep = s->opts.keep_tables && !s->cache_off;
    return aiq_session_stream_open(s, t, spec_for(scan, t), hint, keep, err);
}

static AiqTable *next_batch(void *stream, AiqError *err) { return aiq_session_stream_next(stream, err); }
static void close_scan(void *stream) { aiq_session_stream_close(stream); }

AiqScanSource aiq_session_scan_source(AiqSession *s)
{
    return (AiqScanSource){s, open_scan, next_batch, close_scan, load_scan};
}
