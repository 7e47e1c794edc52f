/*
 * test_reading.c -- the reader's costs that no result shows: a line far
 * longer than a read block must be found in time linear in its length, and
 * schema inference must keep little per distinct key. Both read a file
 * (a memfd) through the streaming reader, as the command line does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "core/table.h"
#include "io/jsonl.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* A file holding text[0..len), as a path (/proc/self/fd/N); *fd to close. */
static void memfd_path(const char *text, size_t len, char *path, size_t size, int *fd)
{
    *fd = memfd_create("aiq-test", 0);
    if (*fd < 0 || write(*fd, text, len) != (ssize_t)len)
        abort();
    snprintf(path, size, "/proc/self/fd/%d", *fd);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Streams text as a declared table (a:long, s:string) in blocks of 64 bytes
 * and chunks of 64: returns the rows, and the sum of strlen(s) in *chars. */
static int64_t stream_rows(const char *text, size_t len, int64_t *chars)
{
    char path[64];
    int fd;
    memfd_path(text, len, path, sizeof path, &fd);
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}};
    char *paths[1] = {path};
    AiqCatalogTable t = {
        .name = "T", .paths = paths, .npaths = 1, .declared = true, .schema = {2, cols}};
    AiqReadOptions opts = {.block_size = 64, .chunk_size = 64, .threads = 1};
    AiqError err = {0};
    AiqJsonlStream *st = aiq_jsonl_open(&t, &opts, &err);
    int64_t rows = 0;
    *chars = 0;
    AiqTable *batch;
    while ((batch = aiq_jsonl_next(st, &err))) {
        for (int64_t r = 0; r < batch->nrows; r++)
            *chars += ((AiqStr *)batch->cols[1].data)[r].len;
        rows += batch->nrows;
        aiq_table_free(batch);
    }
    CHECK_EQ_I64(err.code, AIQ_OK);
    aiq_jsonl_close(st);
    close(fd);
    return rows;
}

/* A line of 8 MB read 64 bytes at a time is 131072 reads. Searched for its
 * end from its start after each read (as before: a 500 MB line took 82 s),
 * that is 512 GB of memchr; searched once, 8 MB. The first line takes
 * another path (is the file one JSON value?) than a later one: both. */
static void test_long_line_is_linear(void)
{
    enum { LONG = 8 << 20 };
    AiqStrBuf first, later;
    aiq_sb_init(&first);
    aiq_sb_init(&later);
    aiq_sb_puts(&later, "{\"a\":1,\"s\":\"x\"}\n");
    aiq_sb_puts(&first, "{\"a\":2,\"s\":\"");
    aiq_sb_puts(&later, "{\"a\":2,\"s\":\"");
    for (int i = 0; i < LONG; i++) {
        aiq_sb_putc(&first, 'y');
        aiq_sb_putc(&later, 'y');
    }
    aiq_sb_puts(&first, "\"}\n{\"a\":3,\"s\":\"zz\"}\n");
    aiq_sb_puts(&later, "\"}\n{\"a\":3,\"s\":\"zz\"}\n");
    int64_t chars;
    double t0 = seconds();
    CHECK_EQ_I64(stream_rows(first.data, first.len, &chars), 2);
    CHECK_EQ_I64(chars, LONG + 2);
    double t1 = seconds();
    CHECK_EQ_I64(stream_rows(later.data, later.len, &chars), 3);
    CHECK_EQ_I64(chars, LONG + 3);
    double t2 = seconds();
    /* about 0.1 s each when linear (0.5 s under ASan); tens of seconds when not */
    CHECK(t1 - t0 < 4.0);
    CHECK(t2 - t1 < 4.0);
    if (t1 - t0 >= 4.0 || t2 - t1 >= 4.0)
        printf("  long first line: %.2f s, long later line: %.2f s\n", t1 - t0, t2 - t1);
    aiq_sb_free(&first);
    aiq_sb_free(&later);
}

/* Inferring the schema of 20,000 lines, each with a key of its own, used to
 * give every key a batch's worth of cells (2048, 32 KB: 640 MB here, and a
 * loop over every key for every line); inference keeps only what kinds of
 * values each key had. */
static void test_distinct_keys_stay_small(void)
{
    enum { KEYS = 20000 };
    AiqStrBuf text;
    aiq_sb_init(&text);
    for (int i = 0; i < KEYS; i++)
        aiq_sb_printf(&text, "{\"key_%05d\":%d,\"t\":\"2026-11-21T10:00:00Z\"}\n", i, i);
    char path[64];
    int fd;
    memfd_path(text.data, text.len, path, sizeof path, &fd);
    char *paths[1] = {path};
    AiqCatalogTable t = {.name = "T", .paths = paths, .npaths = 1};
    AiqReadOptions opts = {.threads = 1};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqError err = {0};
    aiq_mem_set_limit(aiq_mem_live() + (64 << 20));
    bool ok = aiq_jsonl_infer_schema(&t, &opts, &arena, &err);
    CHECK(!aiq_mem_exceeded());
    aiq_mem_set_limit(0);
    CHECK(ok);
    CHECK_EQ_I64(t.schema.ncols, KEYS + 1);
    if (ok && t.schema.ncols == KEYS + 1) {
        CHECK_EQ_STR(t.schema.cols[0].name, "key_00000");
        CHECK_EQ_I64(t.schema.cols[0].type, AIQ_TYPE_LONG);
        CHECK_EQ_STR(t.schema.cols[1].name, "t");
        CHECK_EQ_I64(t.schema.cols[1].type, AIQ_TYPE_DATETIME);
        CHECK_EQ_STR(t.schema.cols[KEYS].name, "key_19999");
    }
    /* and the rows of a few of those keys are where they belong */
    static AiqColumn cols[] = {{"key_00003", AIQ_TYPE_LONG}, {"key_19998", AIQ_TYPE_LONG}};
    AiqCatalogTable d = {
        .name = "T", .paths = paths, .npaths = 1, .declared = true, .schema = {2, cols}};
    AiqTable *rows = aiq_jsonl_load(&d, &opts, &arena, &err);
    CHECK(rows != NULL);
    if (rows) {
        CHECK_EQ_I64(rows->nrows, KEYS);
        int64_t present = 0;
        for (int64_t r = 0; r < rows->nrows; r++)
            present += !aiq_table_is_null(rows, 0, r) + !aiq_table_is_null(rows, 1, r);
        CHECK_EQ_I64(present, 2);
        CHECK(!aiq_table_is_null(rows, 0, 3) && ((int64_t *)rows->cols[0].data)[3] == 3);
        CHECK(!aiq_table_is_null(rows, 1, 19998) &&
              ((int64_t *)rows->cols[1].data)[19998] == 19998);
    }
    aiq_table_free(rows);
    aiq_arena_free(&arena);
    close(fd);
    aiq_sb_free(&text);
}

void test_reading(void)
{
    test_long_line_is_linear();
    test_distinct_keys_stay_small();
}
