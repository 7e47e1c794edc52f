/*
 * tail_read.c -- the REPL's column cache of a log that is still being
 * written: when a table's files only grew, the lines appended since the
 * cache was read are read alone and their columns join the cached ones.
 *
 * Why it is safe: the cache remembers, for each file, the byte after the
 * last whole line it read (AiqFileRead.used) and a hash of the file's
 * first and last few KB up to there (aiq_file_print). A file that is the
 * same file (device and inode), no shorter, with those bytes unchanged,
 * was appended to; anything else (rotation, copytruncate, an edit, a
 * compressed file, one JSON value) makes the caller forget the cache and
 * read everything again, as before. Undeclared tables also need the new
 * rows to fit the types inferred from the old ones (a first pass over the
 * new lines only); a new column or a type that would change means reading
 * everything again, so that the answers stay the command line's.
 *
 * The new lines are one more range of the file (AiqFileRange), read after
 * the file's earlier ranges by every later stream: the reader cuts each
 * range into the same batches every time, which is what lets a stream
 * show cached parts beside columns read from the files.
 */
#include "session/session_internal.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/column_cache.h"
#include "util/hash.h"
#include "util/mem.h"

#define PRINT_BYTES 4096

uint64_t aiq_file_print(const char *path, int64_t end)
{
    int fd = end < 0 ? -1 : open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    /* end, then the first and the last PRINT_BYTES before it, hashed as one */
    char buf[sizeof end + 2 * PRINT_BYTES];
    memcpy(buf, &end, sizeof end);
    size_t len = sizeof end;
    int64_t at[2] = {0, end > PRINT_BYTES ? end - PRINT_BYTES : 0};
    for (int i = 0; i < 2; i++) {
        size_t want = (size_t)(end - at[i] < PRINT_BYTES ? end - at[i] : PRINT_BYTES);
        if (pread(fd, buf + len, want, (off_t)at[i]) != (ssize_t)want) {
            close(fd);
            return 0;
        }
        len += want;
    }
    close(fd);
    uint64_t h = aiq_hash_bytes(buf, len);
    return h ? h : 1;
}

void aiq_batch_cache_set_ranges(AiqBatchCache *bc, const AiqCatalogTable *t, const AiqFileRead *reads)
{
    int batches = 0;
    for (int i = 0; reads && i < t->npaths; i++)
        batches += reads[i].nbatches;
    if (!reads || batches != bc->nparts || t->npaths == 0)
        return; /* (unknown: a file that grows is read again whole) */
    bc->nranges = t->npaths;
    bc->ranges = aiq_xcalloc((size_t)t->npaths, sizeof *bc->ranges);
    bc->reads = aiq_xcalloc((size_t)t->npaths, sizeof *bc->reads);
    bc->prints = aiq_xcalloc((size_t)t->npaths, sizeof *bc->prints);
    for (int i = 0; i < t->npaths; i++) {
        bc->reads[i] = reads[i];
        /* a plain file is read to where it was read this time, whatever
         * was appended since; others whole (they cannot grow by lines),
         * and their print is of the whole file */
        struct stat st;
        if (!reads[i].appendable)
            bc->reads[i].used = stat(t->paths[i], &st) == 0 ? (int64_t)st.st_size : -1;
        bc->ranges[i] = (AiqFileRange){.path = i, .end = reads[i].appendable ? reads[i].used : 0};
        bc->prints[i] = aiq_file_print(t->paths[i], bc->reads[i].used);
    }
}

/* The last range of file i in bc, or -1. */
static int last_range(const AiqBatchCache *bc, int i)
{
    int last = -1;
    for (int r = 0; r < bc->nranges; r++)
        if (bc->ranges[r].path == i)
            last = r;
    return last;
}

/* The new ranges of t's files: the bytes after each one's last range, when
 * every file only grew. Returns their count (0: nothing new), or -1 when a
 * file changed otherwise. */
static int find_tails(const AiqBatchCache *bc, const AiqCachedTable *c, const AiqCatalogTable *t,
                      AiqFileRange *tails)
{
    int n = 0;
    for (int i = 0; i < t->npaths; i++) {
        int r = last_range(bc, i);
        struct stat st;
        if (r < 0 || i >= c->nfacts || c->facts[i].missing || stat(t->paths[i], &st) != 0 || !S_ISREG(st.st_mode) ||
            st.st_dev != c->facts[i].dev || st.st_ino != c->facts[i].ino)
            return -1;
        const AiqFileRead *was = &bc->reads[r];
        /* the bytes read are still there (a touch, more lines after them) */
        if (!bc->prints[i] || st.st_size < was->used || aiq_file_print(t->paths[i], was->used) != bc->prints[i])
            return -1;
        if (st.st_size == was->used)
            continue;
        if (!was->appendable)
            return -1;
        tails[n++] = (AiqFileRange){.path = i, .start = was->used, .line0 = was->lines};
    }
    return n;
}

/* What reading the tails gave: per cached column, the new parts. */
typedef struct TailParts {
    AiqColPart **parts; /* per column (NULL: not cached, or moved into the cache) */
    int64_t *rows;
    int n, cap;
    size_t *bytes;      /* per column */
} TailParts;

static void tail_parts_free(TailParts *tp, const AiqBatchCache *bc)
{
    for (int c = 0; c < bc->ncols; c++) {
        for (int i = 0; tp->parts[c] && i < tp->n; i++)
            aiq_colcache_part_free(bc->cols[c].type, &tp->parts[c][i]);
        aiq_xfree(tp->parts[c]);
    }
    aiq_xfree(tp->parts);
    aiq_xfree(tp->rows);
    aiq_xfree(tp->bytes);
}

/* Reads the tails' rows, keeping the columns bc holds. */
static bool read_tail_parts(AiqSession *s, AiqCatalogTable *t, AiqBatchCache *bc, const AiqReadOptions *base,
                            TailParts *tp, AiqError *err)
{
    bool *needed = aiq_xcalloc((size_t)bc->ncols + 1, sizeof *needed);
    for (int c = 0; c < bc->ncols; c++)
        needed[c] = bc->cols[c].have;
    AiqScanSpec spec = {.ncols = bc->ncols, .needed = needed};
    AiqReadOptions opts = *base;
    opts.scan = &spec;
    opts.warn = s->opts.diag; /* (the new lines' reports, numbered as in the file) */
    opts.stats = aiq_session_count_input(s, t->name, "lines appended");
    AiqJsonlStream *js = aiq_jsonl_open(t, &opts, err);
    AiqTable *b;
    while ((b = aiq_jsonl_next(js, err))) {
        int cap = tp->cap;
        tp->rows = aiq_grow_array(tp->rows, tp->n, &cap, sizeof *tp->rows);
        for (int c = 0; c < bc->ncols; c++)
            if (needed[c]) {
                int cc = tp->cap;
                tp->parts[c] = aiq_grow_array(tp->parts[c], tp->n, &cc, sizeof **tp->parts);
                tp->parts[c][tp->n] = aiq_colcache_take(&bc->cols[c], b, c, &tp->bytes[c]);
            }
        tp->cap = cap;
        tp->rows[tp->n++] = b->nrows;
        aiq_table_free(b);
    }
    aiq_jsonl_close(js);
    aiq_xfree(needed);
    return err->code == AIQ_OK;
}

/* Puts the tails' parts after their files' earlier ones: the ranges, and
 * each cached column's parts, in file order. */
static void splice_tails(AiqBatchCache *bc, const AiqCatalogTable *t, const AiqFileRange *tails, const AiqFileRead *treads,
                   int ntails, TailParts *tp)
{
    int nranges = bc->nranges + ntails, nparts = bc->nparts + tp->n;
    AiqFileRange *ranges = aiq_xcalloc((size_t)nranges, sizeof *ranges);
    AiqFileRead *reads = aiq_xcalloc((size_t)nranges, sizeof *reads);
    int64_t *rows = aiq_xcalloc((size_t)nparts + 1, sizeof *rows);
    int *from = aiq_xcalloc((size_t)nparts + 1, sizeof *from); /* the part's index: old, or -1 - tail part */
    int nr = 0, np = 0, tail_part = 0;
    int *old_first = aiq_xcalloc((size_t)bc->nranges + 1, sizeof *old_first);
    for (int r = 0, p = 0; r < bc->nranges; p += bc->reads[r++].nbatches)
        old_first[r] = p;
    for (int i = 0; i < t->npaths; i++) {
        for (int r = 0; r < bc->nranges; r++)
            if (bc->ranges[r].path == i) {
                ranges[nr] = bc->ranges[r];
                reads[nr++] = bc->reads[r];
                for (int k = 0; k < bc->reads[r].nbatches; k++) {
                    from[np] = old_first[r] + k;
                    rows[np++] = bc->part_rows[old_first[r] + k];
                }
            }
        for (int k = 0; k < ntails; k++)
            if (tails[k].path == i) {
                ranges[nr] = tails[k];
                ranges[nr].end = treads[k].used;
                reads[nr++] = treads[k];
                for (int j = 0; j < treads[k].nbatches; j++, tail_part++) {
                    from[np] = -1 - tail_part;
                    rows[np++] = tp->rows[tail_part];
                }
            }
    }
    for (int c = 0; c < bc->ncols; c++) {
        AiqCachedColumn *col = &bc->cols[c];
        if (!col->have)
            continue;
        AiqColPart *parts = aiq_xcalloc((size_t)nparts + 1, sizeof *parts);
        for (int p = 0; p < nparts; p++)
            parts[p] = from[p] >= 0 ? col->parts[from[p]] : tp->parts[c][-1 - from[p]];
        aiq_xfree(col->parts);
        aiq_xfree(tp->parts[c]);
        tp->parts[c] = NULL; /* (moved) */
        col->parts = parts;
        col->bytes += tp->bytes[c];
        bc->bytes += tp->bytes[c];
    }
    aiq_xfree(bc->ranges);
    aiq_xfree(bc->reads);
    aiq_xfree(bc->part_rows);
    bc->ranges = ranges;
    bc->reads = reads;
    bc->nranges = nranges;
    bc->part_rows = rows;
    bc->nparts = nparts;
    bc->nrows = 0;
    for (int p = 0; p < nparts; p++)
        bc->nrows += rows[p];
    for (int k = 0; k < ntails; k++)
        bc->prints[tails[k].path] = aiq_file_print(t->paths[tails[k].path], treads[k].used);
    aiq_xfree(from);
    aiq_xfree(old_first);
}

bool aiq_session_note_tails(AiqCatalogTable *t, AiqCachedTable *c)
{
    AiqBatchCache *bc = &c->batches;
    aiq_xfree(bc->tails); /* (found again from the ranges read) */
    bc->tails = NULL;
    bc->ntails = 0;
    if (!bc->complete || !bc->ranges || c->data || t->borrowed || t->npaths != c->nfacts)
        return false;
    AiqFileRange *tails = aiq_xcalloc((size_t)t->npaths + 1, sizeof *tails);
    int ntails = find_tails(bc, c, t, tails);
    if (ntails <= 0)
        aiq_xfree(tails);
    else
        bc->tails = tails, bc->ntails = ntails;
    return ntails >= 0;
}

bool aiq_session_read_tails(AiqSession *s, AiqCatalogTable *t, AiqCachedTable *c, const char **why)
{
    AiqBatchCache *bc = &c->batches;
    AiqFileRange *tails = bc->tails;
    int ntails = bc->ntails;
    bc->tails = NULL;
    bc->ntails = 0;
    AiqError err = {0};
    AiqReadOptions opts = {.strict = s->opts.strict, .threads = aiq_session_threads(s), .ranges = tails,
                           .nranges = ntails, .chunk_size = AIQ_KEEP_CHUNK_BYTES};
    bool fits = true;
    if (t->inferred) /* the new rows' types against the old ones' */
        aiq_jsonl_rows_fit_schema(t, &opts, &fits, &err);
    AiqFileRead *treads = aiq_xcalloc((size_t)ntails + 1, sizeof *treads);
    TailParts tp = {.parts = aiq_xcalloc((size_t)bc->ncols + 1, sizeof *tp.parts),
                    .bytes = aiq_xcalloc((size_t)bc->ncols + 1, sizeof *tp.bytes)};
    opts.reads = treads;
    bool ok = fits && err.code == AIQ_OK && read_tail_parts(s, t, bc, &opts, &tp, &err);
    int batches = 0;
    for (int k = 0; k < ntails; k++)
        batches += treads[k].nbatches;
    size_t extra = 0;
    for (int col = 0; col < bc->ncols; col++)
        extra += tp.bytes[col];
    ok = ok && batches == tp.n && aiq_session_cache_room(s, extra);
    if (ok)
        splice_tails(bc, t, tails, treads, ntails, &tp);
    else
        *why = !fits ? "bring new columns or types" : err.code != AIQ_OK ? "could not be read as they were"
                                                                        : "do not fit in the cache's memory";
    tail_parts_free(&tp, bc);
    aiq_xfree(treads);
    aiq_xfree(tails);
    return ok;
}
