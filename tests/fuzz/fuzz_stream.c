/*
 * fuzz_stream.c -- differential target for streaming: the same bytes, read
 * as a file through the streaming reader (with blocks of 1 to 64 bytes, so
 * lines, escapes, UTF-8 sequences and zstd frames are cut at every place)
 * and loaded whole from memory, must give the same rows. The first byte
 * picks the block size, the chunk size (so chunks of whole lines are cut
 * everywhere too) and the number of parsing threads (1 to 3); 'Z' as the
 * second compresses the rest with zstd, 'G' with gzip (zlib), so frames and
 * members are cut everywhere as well. The schema inferred by a first pass
 * over the file (aiq_jsonl_infer_schema) must equal the whole load's; the
 * file named twice must give its rows twice (several compressed files
 * decode on workers of their own).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "core/table.h"
#include "io/jsonl.h"
#include "fuzz_init.h"
#include "util/mem.h"

static bool same_cell(const AiqTable *a, int64_t ra, const AiqTable *b, int64_t rb, int c)
{
    bool na = aiq_table_is_null(a, c, ra), nb = aiq_table_is_null(b, c, rb);
    if (na || nb)
        return na == nb;
    const AiqColumnData *x = &a->cols[c], *y = &b->cols[c];
    switch (x->type) {
    case AIQ_TYPE_REAL: return ((double *)x->data)[ra] == ((double *)y->data)[rb];
    case AIQ_TYPE_STRING: {
        AiqStr p = ((AiqStr *)x->data)[ra], q = ((AiqStr *)y->data)[rb];
        return p.len == q.len && memcmp(p.ptr, q.ptr, p.len) == 0;
    }
    case AIQ_TYPE_DYNAMIC: return json_equal(((json_t **)x->data)[ra], ((json_t **)y->data)[rb]);
    default: return ((int64_t *)x->data)[ra] == ((int64_t *)y->data)[rb];
    }
}

/* Streams t with opts and requires the rows of whole, copies times over
 * in order (aborts on any other row); returns whether the stream ended
 * without an error, having given them all. */
static bool streams_whole(AiqCatalogTable *t, const AiqReadOptions *opts, const AiqTable *whole, int copies)
{
    AiqError err = {0};
    AiqJsonlStream *st = aiq_jsonl_open(t, opts, &err);
    int64_t row = 0;
    AiqTable *batch;
    while ((batch = aiq_jsonl_next(st, &err))) {
        for (int64_t r = 0; r < batch->nrows; r++, row++) {
            if (row >= copies * whole->nrows)
                abort();
            for (int c = 0; c < 4; c++)
                if (!same_cell(batch, r, whole, row % whole->nrows, c))
                    abort();
        }
        aiq_table_free(batch);
    }
    aiq_jsonl_close(st);
    return err.code == AIQ_OK && row == copies * whole->nrows;
}

/* The file named twice, a table of two files: the whole load's rows twice,
 * in order. Compressed and with two threads or more, each file is a file
 * task (a worker decodes, cuts and parses it whole, batches handed out as
 * they come): its pieces must be cut as the caller cuts them. */
static void check_two_files(const AiqCatalogTable *one, const AiqReadOptions *base, const AiqTable *whole, char *path)
{
    char *paths[2] = {path, path};
    AiqCatalogTable t = *one;
    t.paths = paths;
    t.npaths = 2;
    AiqReadOptions opts = *base;
    opts.reads = NULL;
    if (!streams_whole(&t, &opts, whole, 2))
        abort();
}

/* The same lines read as two ranges of the file, cut after a line end
 * (the REPL reads a log's appended lines so): the same rows in order, the
 * second range's line count and end as the whole read's. */
static void check_ranges(AiqCatalogTable *t, const AiqReadOptions *base, const AiqTable *whole, const char *body,
                         size_t len, const AiqFileRead *read_whole, uint8_t at)
{
    const char *nl = memchr(body + (size_t)at * len / 256, '\n', len - (size_t)at * len / 256);
    if (!nl || (size_t)(nl + 1 - body) >= (size_t)read_whole->used)
        return;
    int64_t split = nl + 1 - body, lines = 0;
    for (const char *p = body; p < nl + 1; p++)
        lines += *p == '\n';
    AiqFileRange ranges[2] = {{.end = split}, {.start = split, .line0 = lines}};
    AiqFileRead reads[2] = {{0}};
    AiqReadOptions opts = *base;
    opts.ranges = ranges;
    opts.nranges = 2;
    opts.reads = reads;
    if (!streams_whole(t, &opts, whole, 1) || reads[0].used != split || reads[1].used != read_whole->used ||
        reads[1].lines != read_whole->lines)
        abort();
}

/* One pass without a schema (session/guess.c): types guessed from the
 * first lines only (a prefix cut after a line end), then the whole file
 * streamed verifying every row. A stream that ends without a misfit must
 * have had the schema every row gives (inferred). */
static void check_guess(char *path, const char *body, size_t len, const AiqReadOptions *base, const AiqSchema *inferred,
                        uint8_t at, AiqArena *arena)
{
    const char *nl = memchr(body + (size_t)at * len / 256, '\n', len - (size_t)at * len / 256);
    size_t cut = nl ? (size_t)(nl + 1 - body) : len;
    int fd = memfd_create("prefix", 0);
    if (fd < 0 || write(fd, body, cut) != (ssize_t)cut)
        abort();
    char prefix[64];
    snprintf(prefix, sizeof prefix, "/proc/self/fd/%d", fd);
    char *ppaths[1] = {prefix}, *paths[1] = {path};
    AiqCatalogTable g = {.name = "G", .paths = ppaths, .npaths = 1};
    uint8_t *fits = NULL;
    if (aiq_jsonl_guess_schema(&g, &g.schema, &fits, arena)) {
        g.paths = paths;
        g.declared = true;
        AiqReadOptions opts = *base;
        opts.verify = fits;
        AiqError err = {0};
        AiqJsonlStream *st = aiq_jsonl_open(&g, &opts, &err);
        AiqTable *batch;
        while ((batch = aiq_jsonl_next(st, &err)))
            aiq_table_free(batch);
        bool proven = err.code == AIQ_OK;
        if (!proven && !aiq_jsonl_guess_broken(st) && inferred)
            abort(); /* (a file that reads as a whole fails only for its guess) */
        aiq_jsonl_close(st);
        if (proven) {
            if (!inferred || g.schema.ncols != inferred->ncols)
                abort();
            for (int c = 0; c < g.schema.ncols; c++)
                if (strcmp(g.schema.cols[c].name, inferred->cols[c].name) != 0 ||
                    g.schema.cols[c].type != inferred->cols[c].type)
                    abort();
        }
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t block = 1 + data[0] % 64;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    void *packed = NULL;
    if (body[0] == 'Z') {
        size_t cap = ZSTD_compressBound(len - 1);
        packed = malloc(cap + 1);
        size_t z = ZSTD_compress(packed, cap, body + 1, len - 1, 1);
        if (ZSTD_isError(z)) {
            free(packed);
            return 0;
        }
        body = packed;
        len = z;
    } else if (body[0] == 'G') {
        z_stream zs = {0};
        if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) /* 15 + 16: gzip */
            abort();
        size_t cap = deflateBound(&zs, (uLong)(len - 1));
        packed = malloc(cap);
        zs.next_in = (Bytef *)body + 1;
        zs.avail_in = (uInt)(len - 1);
        zs.next_out = packed;
        zs.avail_out = (uInt)cap;
        if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
            abort();
        len = zs.total_out;
        body = packed;
        deflateEnd(&zs);
    }
    int fd = memfd_create("fuzz", 0);
    if (fd < 0 || write(fd, body, len) != (ssize_t)len)
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}, {"d", AIQ_TYPE_DYNAMIC}, {"r", AIQ_TYPE_REAL}};
    char *paths[1] = {path};
    AiqCatalogTable t = {.name = "T", .paths = paths, .npaths = 1, .declared = true, .schema = {4, cols}};
    AiqReadOptions opts = {.block_size = block, .chunk_size = 1 + data[0] % 7 * 16, .threads = 1 + data[0] / 64 % 3};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqError ew = {0}, es = {0};
    AiqTable *whole = aiq_jsonl_load_buffer(&t, path, body, len, &opts, &arena, &ew);
    AiqFileRead read_whole = {0};
    opts.reads = &read_whole;
    AiqJsonlStream *st = aiq_jsonl_open(&t, &opts, &es);
    opts.reads = NULL;
    int64_t row = 0;
    bool stream_ok = true;
    AiqTable *batch;
    while ((batch = aiq_jsonl_next(st, &es))) {
        /* when the whole load fails, the stream may hand out the rows
         * before the bad spot; it must then fail too (checked below) */
        for (int64_t r = 0; r < batch->nrows && whole; r++, row++) {
            if (row >= whole->nrows)
                abort(); /* the stream found rows the whole load did not */
            for (int c = 0; c < 4; c++)
                if (!same_cell(batch, r, whole, row, c))
                    abort();
        }
        aiq_table_free(batch);
    }
    stream_ok = es.code == AIQ_OK;
    if (stream_ok != (whole != NULL) || (whole && row != whole->nrows))
        abort(); /* success, failure and row counts must agree */
    aiq_jsonl_close(st);
    if (whole && read_whole.appendable)
        check_ranges(&t, &opts, whole, body, len, &read_whole, data[size - 1]);
    if (whole)
        check_two_files(&t, &opts, whole, path);
    /* schema inference by a pass over the file must match the whole load */
    AiqCatalogTable u1 = {.name = "U", .paths = paths, .npaths = 1}, u2 = u1;
    AiqError eu1 = {0}, eu2 = {0};
    AiqTable *loaded = aiq_jsonl_load_buffer(&u1, path, body, len, &opts, &arena, &eu1);
    bool inferred = aiq_jsonl_infer_schema(&u2, &opts, &arena, &eu2);
    if ((loaded != NULL) != inferred)
        abort();
    if (inferred) {
        if (u1.schema.ncols != u2.schema.ncols)
            abort();
        for (int c = 0; c < u1.schema.ncols; c++)
            if (strcmp(u1.schema.cols[c].name, u2.schema.cols[c].name) != 0 || u1.schema.cols[c].type != u2.schema.cols[c].type)
                abort();
    }
    check_guess(path, body, len, &opts, inferred ? &u2.schema : NULL, data[size / 2], &arena);
    aiq_table_free(loaded);
    aiq_table_free(whole);
    aiq_arena_free(&arena);
    close(fd);
    free(packed);
    return 0;
}
