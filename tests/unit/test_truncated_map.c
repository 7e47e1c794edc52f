/*
 * test_truncated_map.c -- a mapped file emptied in place while it is
 * streamed (logrotate's copytruncate) is an input error the reader
 * returns, not a SIGBUS that ends the process: with the caller parsing,
 * and with worker threads parsing ahead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/table.h"
#include "io/jsonl.h"
#include "util/strbuf.h"

/* Streams a 6 MB file (mapped: over 1 MB), empties it after the first
 * batch, and reads on: returns the error the stream ends with. */
static AiqError stream_truncated(int threads, int64_t *rows)
{
    char path[] = "/tmp/aiq-trunc-XXXXXX";
    int fd = mkstemp(path);
    AiqStrBuf text;
    aiq_sb_init(&text);
    for (int i = 0; i < 100000; i++)
        aiq_sb_printf(&text, "{\"a\":%d,\"s\":\"some text to make the line longer than most\"}\n", i);
    if (fd < 0 || write(fd, text.data, text.len) != (ssize_t)text.len)
        abort();
    aiq_sb_free(&text);
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}};
    char *paths[1] = {path};
    AiqCatalogTable t = {.name = "T", .paths = paths, .npaths = 1, .declared = true, .schema = {2, cols}};
    AiqReadOptions opts = {.threads = threads};
    AiqError err = {0};
    AiqJsonlStream *st = aiq_jsonl_open(&t, &opts, &err);
    AiqTable *batch;
    *rows = 0;
    while ((batch = aiq_jsonl_next(st, &err))) {
        if (*rows == 0 && ftruncate(fd, 0) != 0)
            abort();
        *rows += batch->nrows;
        aiq_table_free(batch);
    }
    aiq_jsonl_close(st);
    close(fd);
    unlink(path);
    return err;
}

void test_truncated_map(void)
{
    for (int threads = 1; threads <= 3; threads += 2) {
        int64_t rows;
        AiqError err = stream_truncated(threads, &rows);
        CHECK_EQ_I64(err.code, AIQ_ERR_IO);
        CHECK(strstr(err.msg, "the file shrank while it was read") != NULL);
        CHECK(rows > 0 && rows < 100000); /* (the rows before the cut came, then the error) */
    }
}
