/*
 * test_cancel_read.c -- a Ctrl-C (the cancel flag) stops a whole-file read
 * (the REPL loads tables this way) on the scanner's fast path too, not only
 * on lines that take the slow one: before, 700k ordinary lines were parsed
 * to the end after the request.
 */
#include <string.h>

#include "check.h"
#include "core/table.h"
#include "io/jsonl.h"
#include "util/arena.h"
#include "util/interrupt.h"
#include "util/strbuf.h"

void test_cancel_read(void)
{
    AiqStrBuf text;
    aiq_sb_init(&text);
    for (int i = 0; i < 20000; i++) /* plain lines: each takes the fast path */
        aiq_sb_printf(&text, "{\"a\":%d,\"s\":\"x\"}\n", i);
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqCatalogTable t = {.name = "T"};
    AiqReadOptions opts = {.threads = 1};
    AiqError err = {0};

    AiqTable *whole = aiq_jsonl_load_buffer(&t, "T.jsonl", text.data, text.len, &opts, &arena, &err);
    CHECK(whole != NULL);
    if (whole)
        CHECK_EQ_I64(whole->nrows, 20000);
    aiq_table_free(whole);

    aiq_interrupt_request();
    AiqCatalogTable t2 = {.name = "T"};
    AiqError err2 = {0};
    AiqTable *cut = aiq_jsonl_load_buffer(&t2, "T.jsonl", text.data, text.len, &opts, &arena, &err2);
    aiq_interrupt_clear();
    CHECK(cut == NULL);
    CHECK(strstr(err2.msg, "reading cancelled") != NULL);
    aiq_table_free(cut);
    aiq_arena_free(&arena);
    aiq_sb_free(&text);
}
