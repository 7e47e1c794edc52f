/*
 * test_small_files.c -- small files among several are mapped into the
 * stream's reserved region (jl_region_map), one after another, and each
 * half of it is given back in one call once its files are done with: the
 * region's own bookkeeping, and a stream of 60 such files read in order at
 * 1-4 threads, including one emptied in place while it is read.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/table.h"
#include "io/jsonl.h"
#include "io/jsonl_map.h"
#include "util/strbuf.h"

enum { NFILES = 60, ROWS_PER_FILE = 2500 };

/* Whether /proc/self/maps shows a file mapped at addr (else reserved space
 * or nothing). */
static bool file_mapped_at(const void *addr)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    bool named = false;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &path_at) < 2)
            continue;
        if ((uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
            named = path_at > 0 && line[path_at] == '/';
            break;
        }
    }
    if (f)
        fclose(f);
    return named;
}

/* A temporary file of len bytes of byte c (a line end last); its fd is open. */
static int temp_file(char *path, size_t len, char c)
{
    strcpy(path, "/tmp/aiq-small-XXXXXX");
    int fd = mkstemp(path);
    char *text = malloc(len);
    memset(text, c, len);
    text[len - 1] = '\n';
    if (fd < 0 || write(fd, text, len) != (ssize_t)len)
        abort();
    free(text);
    return fd;
}

/* The region on its own (three segments): files placed one after another
 * in a segment, the next segment once it is full, a file mapped on its own
 * while the next segment still has files in use, a segment given back
 * whole (reserved space again) when its last file is done with, and then
 * filled again. */
static void test_region_places_and_gives_back(void)
{
    enum { LEN = 100 << 10, PER_SEG = JL_REGION_SEGMENT / LEN, NSEG = 3, N = NSEG * PER_SEG }; /* (LEN: whole pages) */
    char path[64];
    int fd = temp_file(path, LEN, 'x');
    JlMapRegion r;
    jl_region_init(&r, JL_REGION_SEGMENT); /* (a window of one segment: three of them) */
    CHECK_EQ_I64(r.nseg, NSEG);
    const char *m[N + 1];
    int seg[N + 1];
    for (int i = 0; i < N; i++) {
        m[i] = jl_region_map(&r, fd, LEN, &seg[i]);
        CHECK(m[i] != NULL);
        if (!m[i])
            return;
        CHECK_EQ_I64(seg[i], i / PER_SEG);
        CHECK(m[i] == r.base + (size_t)(i / PER_SEG) * JL_REGION_SEGMENT + (size_t)(i % PER_SEG) * LEN);
        CHECK(m[i][0] == 'x' && m[i][LEN - 1] == '\n');
    }
    /* every segment holds files in use: the next is not placed */
    int s = -1;
    CHECK(jl_region_map(&r, fd, LEN, &s) == NULL);
    /* segment 0 goes back when its last file is done with, not before */
    for (int i = 0; i < PER_SEG - 1; i++)
        jl_region_unmap(&r, m[i], LEN, seg[i]);
    CHECK(file_mapped_at(m[0]));
    jl_region_unmap(&r, m[PER_SEG - 1], LEN, seg[PER_SEG - 1]);
    CHECK(!file_mapped_at(m[0]) && !file_mapped_at(m[PER_SEG - 1]));
    CHECK(file_mapped_at(m[PER_SEG])); /* (segment 1's files are untouched) */
    /* and takes the next file, at its start */
    m[N] = jl_region_map(&r, fd, LEN, &seg[N]);
    CHECK(m[N] == r.base && seg[N] == 0);
    CHECK(m[N] && m[N][LEN / 2] == 'x');
    /* a file larger than a segment is never placed */
    CHECK(jl_region_map(&r, fd, JL_REGION_SEGMENT + 1, &s) == NULL);
    jl_region_free(&r);
    CHECK(r.base == NULL);
    /* without jl_region_init there is no region */
    JlMapRegion none = {0};
    CHECK(jl_region_map(&none, fd, LEN, &s) == NULL);
    close(fd);
    unlink(path);
}

/* NFILES files of ROWS_PER_FILE lines each (over the size that is mapped,
 * under a chunk): a column "a" numbers the lines of all of them. */
static void write_files(char paths[NFILES][64], int fds[NFILES])
{
    AiqStrBuf text;
    aiq_sb_init(&text);
    for (int f = 0; f < NFILES; f++) {
        aiq_sb_clear(&text);
        for (int i = 0; i < ROWS_PER_FILE; i++)
            aiq_sb_printf(&text, "{\"a\":%d,\"s\":\"a line of some length, as logs have\"}\n", f * ROWS_PER_FILE + i);
        strcpy(paths[f], "/tmp/aiq-small-XXXXXX");
        fds[f] = mkstemp(paths[f]);
        if (fds[f] < 0 || write(fds[f], text.data, text.len) != (ssize_t)text.len)
            abort();
    }
    aiq_sb_free(&text);
}

/* Streams the files, cut into chunks of chunk_size (0: the reader's); with
 * truncate_first, empties the first file after the first batch. Returns the stream's error; *rows: the rows read,
 * *in_order: each row's "a" was the one after the last. */
static AiqError stream_files(char paths[NFILES][64], int fds[NFILES], int threads, size_t chunk_size,
                             bool truncate_first, int64_t *rows, bool *in_order)
{
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}};
    char *p[NFILES];
    for (int f = 0; f < NFILES; f++)
        p[f] = paths[f];
    AiqCatalogTable t = {.name = "T", .paths = p, .npaths = NFILES, .declared = true, .schema = {2, cols}};
    AiqReadOptions opts = {.threads = threads, .chunk_size = chunk_size};
    AiqError err = {0};
    AiqJsonlStream *st = aiq_jsonl_open(&t, &opts, &err);
    AiqTable *batch;
    *rows = 0;
    *in_order = true;
    while ((batch = aiq_jsonl_next(st, &err))) {
        if (truncate_first && *rows == 0 && ftruncate(fds[0], 0) != 0)
            abort();
        const int64_t *a = batch->cols[0].data;
        for (int64_t r = 0; r < batch->nrows; r++)
            *in_order &= a[r] == *rows + r;
        *rows += batch->nrows;
        aiq_table_free(batch);
    }
    aiq_jsonl_close(st);
    return err;
}

static void test_stream_of_small_files(void)
{
    static char paths[NFILES][64];
    int fds[NFILES];
    write_files(paths, fds);
    /* a chunk a file, and (64 KB chunks) several: their pages given back
     * one chunk at a time inside the region, the file with the last */
    for (int threads = 1; threads <= 4; threads++)
        for (size_t chunk_size = 0; chunk_size <= 64 << 10; chunk_size += 64 << 10) {
            int64_t rows;
            bool in_order;
            AiqError err = stream_files(paths, fds, threads, chunk_size, false, &rows, &in_order);
            CHECK_EQ_I64(err.code, AIQ_OK);
            CHECK_EQ_I64(rows, (int64_t)NFILES * ROWS_PER_FILE);
            CHECK(in_order);
        }
    /* the first file emptied after its first batch (one thread, 64 KB
     * chunks: the rest of it is mapped and not yet read): an error, not
     * SIGBUS */
    int64_t rows;
    bool in_order;
    AiqError err = stream_files(paths, fds, 1, 64 << 10, true, &rows, &in_order);
    CHECK_EQ_I64(err.code, AIQ_ERR_IO);
    CHECK(strstr(err.msg, "the file shrank while it was read") != NULL);
    CHECK(rows > 0 && rows < ROWS_PER_FILE);
    for (int f = 0; f < NFILES; f++) {
        close(fds[f]);
        unlink(paths[f]);
    }
}

void test_small_files(void)
{
    test_region_places_and_gives_back();
    test_stream_of_small_files();
}
