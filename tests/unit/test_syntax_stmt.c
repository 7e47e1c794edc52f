/*
 * test_syntax_stmt.c -- statements of issue 14's syntax list: a text of
 * only lets parses (a library of functions), and the REPL reads on after
 * one, waiting for the query expression.
 */
#include <string.h>

#include "aiq/aiq.h"
#include "check.h"

static void test_lets_only_waits_in_repl(void)
{
    const char *lets = "let x = 1;";
    CHECK(!aiq_query_complete(lets, strlen(lets)));
    const char *two = "let x = 1;\nlet f = (a:long) { a + x };";
    CHECK(!aiq_query_complete(two, strlen(two)));
    const char *done = "let x = 1;\nprint x;";
    CHECK(aiq_query_complete(done, strlen(done)));
    /* an error before the end is shown at once */
    const char *bad = "let x = );\nlet y = 2;";
    CHECK(aiq_query_complete(bad, strlen(bad)));
}

void test_syntax_stmt(void)
{
    test_lets_only_waits_in_repl();
}
