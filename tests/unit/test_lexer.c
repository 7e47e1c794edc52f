/*
 * test_lexer.c -- token kinds and spans for every token form of the subset.
 */
#include <string.h>

#include "check.h"
#include "lex_words.h"
#include "lex/lexer.h"
#include "util/timefmt.h"

/* Lexes text and writes "KIND:TEXT" for each token, space-separated. */
static void lex_to(const char *text, char *out, size_t cap) { lex_words(text, out, cap, false); }

static void expect_kinds(const char *text, const AiqTokKind *kinds, int n)
{
    AiqLexer lx;
    AiqError err = {0};
    aiq_lex_init(&lx, text, strlen(text));
    for (int i = 0; i < n; i++) {
        AiqToken t;
        CHECK(aiq_lex_next(&lx, &t, &err));
        CHECK_EQ_I64(t.kind, kinds[i]);
    }
    AiqToken t;
    CHECK(aiq_lex_next(&lx, &t, &err));
    CHECK_EQ_I64(t.kind, AIQ_TK_EOF);
}

static void test_operators(void)
{
    const AiqTokKind k[] = {AIQ_TK_EQ, AIQ_TK_NE, AIQ_TK_EQ_TILDE, AIQ_TK_NE_TILDE, AIQ_TK_DOTDOT,
                            AIQ_TK_BANG_WORD, AIQ_TK_BANG_WORD, AIQ_TK_BANG_WORD, AIQ_TK_BANG_WORD,
                            AIQ_TK_IN_TILDE, AIQ_TK_BANG_WORD, AIQ_TK_LE, AIQ_TK_GE, AIQ_TK_NE,
                            AIQ_TK_ARROW, AIQ_TK_PIPE, AIQ_TK_ASSIGN};
    expect_kinds("== != =~ !~ .. !has !contains_cs !between !in in~ !in~ <= >= <> => | =", k,
                 (int)(sizeof k / sizeof k[0]));
}

static void test_hyphenated_words(void)
{
    char buf[512];
    lex_to("T | project-away x | mv-expand y | project-rename a=b", buf, sizeof buf);
    CHECK_EQ_STR(buf, "1:T 8:| 1:project-away 1:x 8:| 1:mv-expand 1:y 8:| 1:project-rename 1:a 20:= 1:b");
    /* a minus between ordinary names stays a minus */
    lex_to("a-b x - y", buf, sizeof buf);
    CHECK_EQ_STR(buf, "1:a 30:- 1:b 1:x 30:- 1:y");
}

static void test_numbers_and_timespans(void)
{
    char buf[512];
    lex_to("123 1.5 1e3 2.5e-3 0x1F 15m 1.5h 100ms 7d 10tick 2microseconds 1..10", buf, sizeof buf);
    CHECK_EQ_STR(buf, "4:123 5:1.5 5:1e3 5:2.5e-3 4:0x1F 6:15m 6:1.5h 6:100ms 6:7d 6:10tick "
                      "6:2microseconds 4:1 18:.. 4:10");
    CHECK_EQ_I64(aiq_timespan_unit("ms", 2), 10000);
    CHECK_EQ_I64(aiq_timespan_unit("hours", 5), 36000000000LL);
    CHECK_EQ_I64(aiq_timespan_unit("x", 1), 0);
}

static void test_strings_and_names(void)
{
    char buf[512];
    lex_to("'a' \"b\\\"c\" @\"raw\\p\" h\"secret\" ['Col x'] [\"y\"]", buf, sizeof buf);
    CHECK_EQ_STR(buf, "3:'a' 3:\"b\\\"c\" 3:@\"raw\\p\" 3:h\"secret\" 2:['Col x'] 2:[\"y\"]");
    lex_to("@'it''s'", buf, sizeof buf);
    CHECK_EQ_STR(buf, "3:@'it''s'");
    lex_to("'open", buf, sizeof buf);
    CHECK_EQ_STR(buf, "ERR@0");
}

static void test_typed_literals(void)
{
    char buf[512];
    lex_to("datetime(2026-11-22T10:00:00.5Z) time(1.02:03:04) dynamic({\"k\": [1, \")\"]}) todatetime(x)",
           buf, sizeof buf);
    CHECK_EQ_STR(buf, "7:datetime(2026-11-22T10:00:00.5Z) 7:time(1.02:03:04) "
                      "7:dynamic({\"k\": [1, \")\"]}) 1:todatetime 11:( 1:x 12:)");
}

static void test_comments_and_spans(void)
{
    AiqLexer lx;
    AiqError err = {0};
    const char *q = "// header\nT  // trailing\n| take 1";
    aiq_lex_init(&lx, q, strlen(q));
    AiqToken t;
    CHECK(aiq_lex_next(&lx, &t, &err));
    CHECK_EQ_I64(t.kind, AIQ_TK_IDENT);
    CHECK_EQ_I64(t.off, 10);
    CHECK_EQ_I64(t.len, 1);
    CHECK(aiq_lex_next(&lx, &t, &err));
    CHECK_EQ_I64(t.kind, AIQ_TK_PIPE);
    CHECK_EQ_I64(t.off, 25);
}

static void test_bad_characters(void)
{
    char buf[512];
    lex_to("T | where x > 1 # 2", buf, sizeof buf);
    CHECK_EQ_STR(buf, "1:T 8:| 1:where 1:x 25:> 4:1 ERR@16");
    lex_to("a !foo b", buf, sizeof buf);
    CHECK_EQ_STR(buf, "1:a ERR@2");
    lex_to("\xc3\xa9", buf, sizeof buf);
    CHECK_EQ_STR(buf, "ERR@0");
}

void test_lexer(void)
{
    test_operators();
    test_hyphenated_words();
    test_numbers_and_timespans();
    test_strings_and_names();
    test_typed_literals();
    test_comments_and_spans();
    test_bad_characters();
}
