/*
 * scan_stream.c -- the streams a session's scans read: a table's files
 * batch by batch (the command line), and for the REPL (keep_tables) the
 * same stream keeping what it decoded in the table's column cache, or the
 * cache alone once it holds every column a query reads.
 *
 * Why one stream for both: the REPL's first query must cost what the
 * command line's does (CLI.md, "REPL"), so it streams the same way, with
 * the reader's threads, and only keeps each batch's columns after the
 * query is done with the batch. A later query reads the columns it lacks
 * from the files (the ones cached are shown beside them, batch by batch:
 * the reader cuts a file into the same batches every time) and every
 * other one from memory. What the reader does only to save work (the
 * where's tests on a line, a top's threshold) is not asked of a stream
 * that keeps its rows: the where above still decides every row.
 */
#include "session/session_internal.h"

#include <malloc.h>
#include <string.h>
#include <sys/stat.h>

#include "session/column_cache.h"
#include "util/mem.h"
#include "util/progress.h"

struct AiqSessionStream {
    AiqSession *s;
    AiqCatalogTable *t;
    AiqJsonlStream *js;  /* NULL: from the cache alone */
    AiqTable *last;      /* the batch handed out: the stream's until the next call */
    AiqBatchCache *bc;   /* NULL: keeps nothing (the command line) */
    int ncols;
    bool *show;          /* per column: shown from the cache */
    bool *fill;          /* per column: read now and kept */
    AiqColPart **fresh;  /* per column filled: the parts read so far */
    int64_t *fresh_rows;
    int nfresh, capfresh;
    int part;            /* the part of the next batch */
    void **scratch;      /* per column: a shown part decoded */
    const AiqColPart **shown; /* per column: the part last shown in scratch */
    size_t *scratch_cap;
    size_t bytes;        /* held by the fresh parts */
    size_t *col_bytes;   /* per column filled: of them */
    AiqScanSpec own;     /* what the reader reads (it keeps the address) */
    bool *needed;
    AiqFileRead *reads;  /* a first read: what each file gave (for the cache's ranges) */
    bool verifying;      /* the reader verifies t's guessed schema */
    FILE *held_warn;     /* verifying: the reader's reports, held until it ends unbroken */
    FILE *warn;          /* where they then go */
    char *held_text;
    size_t held_len;
    bool verify_part;    /* only the types of the columns the scan reads (verify_kinds) */
    uint8_t *fits;       /* with verify_part: the kinds the reader verifies */
    bool ended;          /* read to its end without an error */
    bool failed;         /* stopped by an error: its run gives no answer (or is made again) */
    bool caching;        /* still keeping what it reads (false once the budget is spent) */
};

/* ---- the budget ------------------------------------------------------------ */

/* What the cache may hold: half the memory limit, the rest being the
 * queries' (a limit of 0, none, leaves it unbounded). */
static size_t cache_budget(void)
{
    size_t limit = aiq_mem_limit();
    return limit ? limit / 2 : SIZE_MAX;
}

static size_t cache_bytes(const AiqSession *s)
{
    size_t n = 0;
    for (int i = 0; i < s->ncache; i++)
        n += s->cache[i].batches.bytes;
    return n;
}

/* Forgets the column read longest ago by any query but the one running,
 * false when there is none. */
static bool evict_one(AiqSession *s)
{
    AiqCachedColumn *victim = NULL;
    AiqBatchCache *from = NULL;
    for (int i = 0; i < s->ncache; i++) {
        AiqBatchCache *bc = &s->cache[i].batches;
        for (int c = 0; c < bc->ncols; c++) {
            AiqCachedColumn *col = &bc->cols[c];
            if (col->have && col->used < s->queries && (!victim || col->used < victim->used)) {
                victim = col;
                from = bc;
            }
        }
    }
    if (!victim)
        return false;
    from->bytes -= victim->bytes;
    aiq_colcache_column_clear(victim, from->nparts);
    return true;
}

bool aiq_session_cache_room(AiqSession *s, size_t extra)
{
    size_t budget = cache_budget();
    while (cache_bytes(s) + extra > budget && evict_one(s)) {
    }
    return cache_bytes(s) + extra <= budget;
}

bool aiq_session_shed_cache(AiqSession *s, AiqError *err)
{
    size_t held = cache_bytes(s);
    if (err->code != AIQ_ERR_LIMIT || !aiq_mem_exceeded() || s->cache_off || !s->opts.keep_tables)
        return false;
    s->cache_off = true; /* the run again reads as the command line does, keeping nothing */
    for (int i = 0; i < s->ncache; i++)
        aiq_batch_cache_clear(&s->cache[i].batches);
    malloc_trim(0); /* (the limit is on resident memory: give the pages back) */
    aiq_mem_recheck();
    if (s->opts.diag)
        fprintf(s->opts.diag, "aiq: the query needs the memory the cache held (%.1f MiB): running it again without the cache\n",
                (double)held / (1 << 20));
    memset(err, 0, sizeof *err);
    return true;
}

/* ---- the cache of a table ---------------------------------------------------- */

int aiq_batch_cache_columns(const AiqBatchCache *bc)
{
    int n = 0;
    for (int c = 0; c < bc->ncols; c++)
        n += bc->cols[c].have;
    return n;
}

void aiq_batch_cache_clear(AiqBatchCache *bc)
{
    for (int c = 0; c < bc->ncols; c++)
        aiq_colcache_column_clear(&bc->cols[c], bc->nparts);
    aiq_xfree(bc->cols);
    aiq_xfree(bc->part_rows);
    aiq_xfree(bc->ranges);
    aiq_xfree(bc->reads);
    aiq_xfree(bc->prints);
    aiq_xfree(bc->tails);
    *bc = (AiqBatchCache){0};
}

/* bc made for schema when it was for another one (or none). */
static void batch_cache_fit(AiqBatchCache *bc, const AiqSchema *schema)
{
    bool same = bc->cols && bc->ncols == schema->ncols;
    for (int c = 0; same && c < schema->ncols; c++)
        same = bc->cols[c].type == schema->cols[c].type;
    if (same)
        return;
    aiq_batch_cache_clear(bc);
    bc->ncols = schema->ncols;
    bc->cols = aiq_xcalloc((size_t)schema->ncols + 1, sizeof *bc->cols);
    for (int c = 0; c < schema->ncols; c++)
        bc->cols[c].type = schema->cols[c].type;
}

/* Whether column c (of type) read under spec is read whole and can be
 * kept: a dynamic column read only for some keys (or only for its text)
 * is not. (The keys of other columns mean nothing.) */
static bool keepable(const AiqScanSpec *spec, int c, AiqType type)
{
    const AiqColumnKeys *k = spec && spec->keys ? &spec->keys[c] : NULL;
    return type != AIQ_TYPE_DYNAMIC || !k || (k->n < 0 && !k->text_only && !k->vectors_only);
}

/* ---- the stream ------------------------------------------------------------------- */

static void drop_fresh(AiqSessionStream *st)
{
    for (int c = 0; c < st->ncols; c++) {
        for (int i = 0; st->fresh && st->fresh[c] && i < st->nfresh; i++)
            aiq_colcache_part_free(st->t->schema.cols[c].type, &st->fresh[c][i]);
        if (st->fresh) {
            aiq_xfree(st->fresh[c]);
            st->fresh[c] = NULL;
        }
    }
    st->nfresh = st->capfresh = 0;
    st->bytes = 0;
    st->caching = false;
    for (int c = 0; st->bc && c < st->ncols; c++)
        if (st->fill[c])
            st->bc->cols[c].filling = false;
}

/* Keeps the filled columns of the batch handed out, then frees it. */
static void release_last(AiqSessionStream *st)
{
    AiqTable *b = st->last;
    st->last = NULL;
    if (!b)
        return;
    if (st->caching && st->js) {
        if (st->nfresh == st->capfresh) {
            int cap = st->capfresh;
            st->fresh_rows = aiq_grow_array(st->fresh_rows, st->nfresh, &cap, sizeof *st->fresh_rows);
            for (int c = 0; c < st->ncols; c++)
                if (st->fill[c]) {
                    int cc = st->capfresh;
                    st->fresh[c] = aiq_grow_array(st->fresh[c], st->nfresh, &cc, sizeof **st->fresh);
                }
            st->capfresh = cap;
        }
        for (int c = 0; c < st->ncols; c++)
            if (st->fill[c]) {
                size_t before = st->col_bytes[c];
                st->fresh[c][st->nfresh] = aiq_colcache_take(&st->bc->cols[c], b, c, &st->col_bytes[c]);
                st->bytes += st->col_bytes[c] - before;
            }
        st->fresh_rows[st->nfresh++] = b->nrows;
        if (!aiq_session_cache_room(st->s, st->bytes))
            drop_fresh(st); /* the query goes on; it only keeps nothing */
    }
    aiq_table_free(b);
}

/* The stream reached the end: what it read is the cache's now. */
static void commit(AiqSessionStream *st)
{
    AiqBatchCache *bc = st->bc;
    if (!bc || !st->caching || !st->js)
        return;
    if (!bc->complete) {
        aiq_xfree(bc->part_rows);
        bc->part_rows = st->fresh_rows;
        st->fresh_rows = NULL;
        bc->nparts = st->nfresh;
        bc->nrows = 0;
        for (int i = 0; i < bc->nparts; i++)
            bc->nrows += bc->part_rows[i];
        bc->complete = true;
        bc->binding = st->t->binding;
        aiq_batch_cache_set_ranges(bc, st->t, st->reads);
    } else if (bc->nparts != st->nfresh) { /* (another scan of the query saw other files) */
        drop_fresh(st);
        return;
    }
    for (int c = 0; c < st->ncols; c++)
        if (st->fill[c]) {
            AiqCachedColumn *col = &bc->cols[c];
            col->parts = st->fresh[c];
            st->fresh[c] = NULL;
            col->have = true;
            col->filling = false;
            col->used = st->s->queries;
            col->bytes = st->col_bytes[c];
            bc->bytes += col->bytes;
        }
    st->nfresh = 0;
    st->bytes = 0;
}

/* A stream verifying t's guessed schema ended: having read every row, it
 * proved it (remembered, as an inferred one), or, having verified only the
 * columns its scan reads, proved those alone: its answer stands, but not
 * the guess (guess.c); stopped by a row that does not fit, it broke it
 * (the run is made again: guess.c). */
static void guess_outcome(AiqSessionStream *st, const AiqError *err)
{
    AiqCatalogTable *t = st->t;
    st->ended = err->code == AIQ_OK;
    st->failed = !st->ended;
    if (!t->guessed || !st->verifying)
        return;
    if (err->code == AIQ_OK && st->verify_part) {
        t->guess_partly = true;
    } else if (err->code == AIQ_OK) {
        t->guessed = false;
        aiq_schema_cache_save(t);
    } else if (aiq_jsonl_guess_broken(st->js)) {
        t->guess_broken = true;
    }
}

/* A stream verifying a guess holds the reader's reports (bad lines, files
 * that are not logs) until it ends: a stream that breaks the guess is read
 * again whole with the right types, and its files would be reported twice. */
static void hold_reports(AiqSessionStream *st, AiqReadOptions *opts)
{
    if (!st->verifying || !opts->warn)
        return;
    st->held_warn = open_memstream(&st->held_text, &st->held_len);
    if (!st->held_warn)
        return; /* (reported at once, then: twice should the guess break) */
    st->warn = opts->warn;
    opts->warn = st->held_warn;
}

static void release_reports(AiqSessionStream *st)
{
    if (!st->held_warn)
        return;
    fclose(st->held_warn);
    if (!(st->js && aiq_jsonl_guess_broken(st->js)))
        fwrite(st->held_text, 1, st->held_len, st->warn);
    free(st->held_text); /* (open_memstream's: the C library's, not aiq_xmalloc's) */
    st->held_warn = NULL;
    st->held_text = NULL;
}

/* What a stream of t's guessed schema verifies (AiqReadOptions.verify):
 * every member of every row, or, when spec reads some columns and the
 * session keeps none, the types of those alone (*part set; st->fits then
 * holds the kinds). No other column's type can change what the query
 * above sees. The REPL verifies whole rows: its cache keeps columns for
 * later queries, which need the types of the whole table proven. */
static const uint8_t *verify_kinds(AiqSessionStream *st, const AiqScanSpec *spec, bool *part)
{
    const AiqCatalogTable *t = st->t;
    *part = false;
    if (!t->guessed)
        return NULL;
    if (st->s->opts.keep_tables || !spec || !spec->needed)
        return t->guess_fits;
    int c = 0;
    while (c < t->schema.ncols && spec->needed[c])
        c++;
    if (c == t->schema.ncols) /* (every column: whole rows) */
        return t->guess_fits;
    st->fits = aiq_xmalloc((size_t)t->schema.ncols + 1);
    aiq_jsonl_guess_fits_only(t->guess_fits, spec->needed, t->schema.ncols, st->fits);
    *part = true;
    return st->fits;
}

/* A batch's part does not match the cache's: the files changed since. */
static AiqTable *changed_error(AiqSessionStream *st, AiqError *err)
{
    aiq_error_set(err, AIQ_ERR_IO, -1, 1, "the files of %s changed while they were read", st->t->name);
    st->failed = true;
    return NULL;
}

/* Releases what the parts shown in scratch made. */
static void unshow(AiqSessionStream *st)
{
    for (int c = 0; c < st->ncols; c++) {
        aiq_colcache_unshow(st->shown[c], st->scratch[c]);
        st->shown[c] = NULL;
    }
}

AiqTable *aiq_session_stream_next(AiqSessionStream *st, AiqError *err)
{
    release_last(st);
    unshow(st);
    AiqBatchCache *bc = st->bc;
    AiqTable *b;
    if (st->js) {
        b = aiq_jsonl_next(st->js, err);
        if (!b) {
            if (err->code == AIQ_OK)
                commit(st);
            guess_outcome(st, err);
            release_reports(st);
            return NULL;
        }
        if (bc && bc->complete && (st->part >= bc->nparts || bc->part_rows[st->part] != b->nrows)) {
            aiq_table_free(b);
            return changed_error(st, err);
        }
    } else {
        if (st->part >= bc->nparts)
            return NULL;
        b = aiq_table_frame(&st->t->schema, bc->part_rows[st->part]);
        aiq_progress_add(0, b->nrows); /* (the progress line's rows) */
    }
    for (int c = 0; c < st->ncols; c++)
        if (st->show[c]) {
            st->shown[c] = &bc->cols[c].parts[st->part];
            aiq_colcache_show(&bc->cols[c], st->shown[c], b, c, &st->scratch[c], &st->scratch_cap[c]);
        }
    st->part++;
    st->last = b;
    return b;
}

void aiq_session_stream_close(AiqSessionStream *st)
{
    if (!st)
        return;
    /* what it did not read proves nothing; a stream stopped by an error
     * proves nothing either, but its run gave no answer, or is made again
     * with fresh streams (files changed while they were read): marking the
     * guess would send the answer of that run to a first pass for nothing,
     * which could see the files changed once more */
    if (st->verifying && !st->ended && !st->failed && st->t->guessed)
        st->t->guess_short = true;
    aiq_table_free(st->last);
    st->last = NULL;
    unshow(st);
    drop_fresh(st);
    release_reports(st);
    if (st->js)
        aiq_jsonl_close(st->js);
    for (int c = 0; c < st->ncols; c++)
        aiq_xfree(st->scratch[c]);
    aiq_xfree(st->scratch);
    aiq_xfree(st->scratch_cap);
    aiq_xfree(st->shown);
    aiq_xfree(st->fresh);
    aiq_xfree(st->fresh_rows);
    aiq_xfree(st->show);
    aiq_xfree(st->fill);
    aiq_xfree(st->col_bytes);
    aiq_xfree(st->needed);
    aiq_xfree(st->reads);
    aiq_xfree(st->fits);
    aiq_xfree(st);
}

AiqSessionStream *aiq_session_stream_open(AiqSession *s, AiqCatalogTable *t, const AiqScanSpec *spec,
                                          const AiqTopHint *hint, bool keep, AiqError *err)
{
    AiqSessionStream *st = aiq_xcalloc(1, sizeof *st);
    st->s = s;
    st->t = t;
    st->ncols = t->schema.ncols;
    st->show = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->show);
    st->fill = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->fill);
    st->fresh = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->fresh);
    st->scratch = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->scratch);
    st->scratch_cap = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->scratch_cap);
    st->col_bytes = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->col_bytes);
    st->shown = aiq_xcalloc((size_t)st->ncols + 1, sizeof *st->shown);
    AiqReadOptions opts = {.strict = s->opts.strict, .warn = s->opts.diag, .scan = spec,
                           .threads = aiq_session_threads(s), .top_hint = hint,
                           .verify = verify_kinds(st, spec, &st->verify_part)};
    st->verifying = opts.verify != NULL;
    hold_reports(st, &opts);
    if (!keep) {
        opts.stats = aiq_session_count_input(s, t->name, "read");
        st->js = aiq_jsonl_open(t, &opts, err);
        return st;
    }
    AiqBatchCache *bc = &aiq_session_cached(s, t)->batches;
    batch_cache_fit(bc, &t->schema);
    st->bc = bc;
    st->caching = true;
    bool read_any = false;
    bool *needed = st->needed = aiq_xcalloc((size_t)st->ncols + 1, sizeof *needed);
    for (int c = 0; c < st->ncols; c++) {
        if (spec && spec->needed && !spec->needed[c])
            continue;
        AiqCachedColumn *col = &bc->cols[c];
        /* a dynamic column read for a few keys comes from the files, whose
         * reader takes just those keys: the cache's text would be parsed whole */
        bool by_key = !keepable(spec, c, col->type);
        if (bc->complete && col->have && !by_key) {
            st->show[c] = true;
            col->used = s->queries;
            continue;
        }
        /* (a column another scan of this query is filling is only read) */
        st->fill[c] = keepable(spec, c, col->type) && !col->filling;
        if (st->fill[c]) {
            aiq_colcache_column_clear(col, bc->nparts); /* (a dictionary left by a read cut short) */
            col->filling = true;
        }
        needed[c] = read_any = true;
    }
    if (!read_any && bc->complete) { /* every column from memory */
        AiqReadStats *held = aiq_session_count_input(s, t->name, "held in memory");
        if (held)
            held->rows = bc->nrows;
        return st;
    }
    /* the columns the cache lacks, every row of them (no tests on lines) */
    st->own = (AiqScanSpec){.ncols = st->ncols, .needed = needed, .keys = spec ? spec->keys : NULL};
    opts.scan = &st->own;
    opts.top_hint = NULL;
    opts.stats = aiq_session_count_input(s, t->name, bc->complete ? "the columns not held" : "read");
    if (bc->complete && bc->ranges) { /* the parts of the files the cache holds, cut the same way */
        opts.ranges = bc->ranges;
        opts.nranges = bc->nranges;
    } else if (!bc->complete) {
        opts.reads = st->reads = aiq_xcalloc((size_t)t->npaths + 1, sizeof *st->reads);
    }
    opts.chunk_size = AIQ_KEEP_CHUNK_BYTES;
    st->js = aiq_jsonl_open(t, &opts, err);
    return st;
}
