/*
 * test_external.c -- externaldata's reader (io/external.c): RFC 4180
 * quoting at the edges (quotes around separators, doubled quotes, line
 * ends inside quotes, CRLF, a last record with no newline, empty fields),
 * tsve escapes, raw, formats told by extension, and the error for a file
 * that is not there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "io/external.h"

/* A temporary file holding text; its path is written to path. */
static void write_temp(char *path, const char *text)
{
    strcpy(path, "/tmp/aiq_test_external_XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    size_t n = strlen(text);
    CHECK((size_t)write(fd, text, n) == n);
    close(fd);
}

static AiqTable *read_text(const char *text, AiqExternalFormat f, bool ignore_first, int ncols)
{
    static AiqColumn cols[] = {{"a", AIQ_TYPE_STRING}, {"b", AIQ_TYPE_LONG}, {"c", AIQ_TYPE_STRING}};
    AiqSchema s = {.cols = cols, .ncols = ncols};
    AiqTable *t = aiq_table_new(&s);
    char path[64];
    write_temp(path, text);
    AiqError err = {0};
    CHECK(aiq_external_read(t, path, f, ignore_first, &err));
    unlink(path);
    return t;
}

static const char *str_at(const AiqTable *t, int c, int64_t r, char *buf)
{
    AiqStr s = ((AiqStr *)t->cols[c].data)[r];
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    return buf;
}

static int64_t long_at(const AiqTable *t, int c, int64_t r)
{
    return aiq_table_is_null(t, c, r) ? -999 : ((int64_t *)t->cols[c].data)[r];
}

static void test_csv_quoting(void)
{
    char buf[64];
    AiqTable *t = read_text("h1,h2,h3\r\n\"x, y\",1,\"say \"\"hi\"\"\"\r\n\"a\nb\",,\r\nlast,3,end", AIQ_EXT_CSV, true, 3);
    CHECK_EQ_I64(t->nrows, 3);
    CHECK_EQ_STR(str_at(t, 0, 0, buf), "x, y");
    CHECK_EQ_I64(long_at(t, 1, 0), 1);
    CHECK_EQ_STR(str_at(t, 2, 0, buf), "say \"hi\"");
    CHECK_EQ_STR(str_at(t, 0, 1, buf), "a\nb");
    CHECK_EQ_I64(long_at(t, 1, 1), -999); /* an empty field of a long column is null */
    CHECK_EQ_STR(str_at(t, 2, 1, buf), "");
    CHECK_EQ_STR(str_at(t, 2, 2, buf), "end"); /* no newline after the last record */
    aiq_table_free(t);
}

static void test_fields_missing_and_extra(void)
{
    char buf[64];
    AiqTable *t = read_text("only\n\na,7,c,extra\n", AIQ_EXT_CSV, false, 3);
    CHECK_EQ_I64(t->nrows, 2); /* the blank line is no record */
    CHECK_EQ_STR(str_at(t, 0, 0, buf), "only");
    CHECK_EQ_I64(long_at(t, 1, 0), -999);
    CHECK_EQ_I64(long_at(t, 1, 1), 7);
    CHECK_EQ_STR(str_at(t, 2, 1, buf), "c");
    aiq_table_free(t);
}

static void test_tsve_and_raw(void)
{
    char buf[64];
    AiqTable *t = read_text("a\\tb\t5\n", AIQ_EXT_TSVE, false, 2);
    CHECK_EQ_I64(t->nrows, 1);
    CHECK_EQ_STR(str_at(t, 0, 0, buf), "a\tb");
    CHECK_EQ_I64(long_at(t, 1, 0), 5);
    aiq_table_free(t);
    t = read_text("one\ntwo\n", AIQ_EXT_RAW, false, 1);
    CHECK_EQ_I64(t->nrows, 1);
    CHECK_EQ_STR(str_at(t, 0, 0, buf), "one\ntwo\n");
    aiq_table_free(t);
}

static void test_format_of_path(void)
{
    CHECK_EQ_I64(aiq_external_format_of_path("/d/x.tsv"), AIQ_EXT_TSV);
    CHECK_EQ_I64(aiq_external_format_of_path("x.JSON.gz"), AIQ_EXT_JSON);
    CHECK_EQ_I64(aiq_external_format_of_path("a.b/x.jsonl.zst"), AIQ_EXT_JSON);
    CHECK_EQ_I64(aiq_external_format_of_path("list.txt"), AIQ_EXT_TXT);
    CHECK_EQ_I64(aiq_external_format_of_path("noext"), AIQ_EXT_CSV);
    CHECK_EQ_I64(aiq_external_format_from_name("MultiJSON"), AIQ_EXT_MULTIJSON);
    CHECK_EQ_I64(aiq_external_format_from_name("parquet"), -1);
}

static void test_missing_file(void)
{
    AiqColumn col = {"a", AIQ_TYPE_STRING};
    AiqTable *t = aiq_table_new(&(AiqSchema){.cols = &col, .ncols = 1});
    AiqError err = {0};
    CHECK(!aiq_external_read(t, "/nonexistent/aiq.csv", AIQ_EXT_CSV, false, &err));
    CHECK_EQ_I64(err.code, AIQ_ERR_IO);
    CHECK(strstr(err.msg, "/nonexistent/aiq.csv") != NULL);
    aiq_table_free(t);
}

void test_external(void)
{
    test_csv_quoting();
    test_fields_missing_and_extra();
    test_tsve_and_raw();
    test_format_of_path();
    test_missing_file();
}
