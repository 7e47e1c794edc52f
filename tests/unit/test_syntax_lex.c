/*
 * test_syntax_lex.c -- the token forms of issue 14's syntax list, one
 * check per form: names that start with digits, reals that end in their
 * point, Unicode blanks, multi-line and verbatim strings inside literals.
 * Each asserts token kinds and spans as Kusto's parser reads the text.
 */
#include <string.h>

#include "check.h"
#include "lex_words.h"
#include "lex/lexer.h"
#include "parse/parser.h"
#include "util/arena.h"

/* Lexes text into "CLASS:TEXT" words, or "ERR@offset" (lex_words.h). */
static const char *tokens(const char *text, char *out, size_t cap) { return lex_words(text, out, cap, true); }

static void test_digit_names_and_reals(void)
{
    char b[256];
    CHECK_EQ_STR(tokens("90th_Percentile 1d_x 1dx 1d 10tick", b, sizeof b), "I:90th_Percentile I:1d_x I:1dx T:1d T:10tick");
    CHECK_EQ_STR(tokens("1000. 1.e3 1.5 0x1f 1e3", b, sizeof b), "N:1000. N:1.e3 N:1.5 N:0x1f N:1e3");
    /* the 1 of 1..5 is a long, and d.1 is not a real */
    CHECK_EQ_STR(tokens("1..5", b, sizeof b), "N:1 o:.. N:5");
    CHECK_EQ_STR(tokens("2.x", b, sizeof b), "N:2 o:. I:x");
}

static void test_unicode_blanks(void)
{
    char b[256];
    /* no-break space, zero-width space, ideographic space, a BOM mid-text */
    CHECK_EQ_STR(tokens("a\xC2\xA0" "b\xE2\x80\x8B" "c\xE3\x80\x80" "d\xEF\xBB\xBF" "e", b, sizeof b),
                 "I:a I:b I:c I:d I:e");
    /* a character Kusto does not take as a blank is still an error */
    CHECK_EQ_STR(tokens("a\xE2\x80\x8D" "b", b, sizeof b), "I:a ERR@1");
}

static void test_strings(void)
{
    char b[256];
    CHECK_EQ_STR(tokens("```a\n'b\\```|", b, sizeof b), "S:```a\n'b\\``` o:|");
    CHECK_EQ_STR(tokens("```a", b, sizeof b), "ERR@0");
    CHECK_EQ_STR(tokens("@'C:\\T\\' h@\"x\"", b, sizeof b), "S:@'C:\\T\\' S:h@\"x\"");
    /* inside a typed literal a verbatim string ends at its last quote */
    CHECK_EQ_STR(tokens("dynamic([@'C:\\T\\', ```)```]) x", b, sizeof b),
                 "L:dynamic([@'C:\\T\\', ```)```]) I:x");
}

/* The parser's value of a multi-line string: its text, newlines and
 * backslashes as written. */
static void test_multiline_value(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqError err = {0};
    const char *q = "print x = ```a\n\\n b```";
    AiqNode *n = aiq_parse_query(q, strlen(q), &arena, &err);
    CHECK(n != NULL);
    if (n) {
        const AiqNode *lit = n->items[0]->items[0]->lhs;
        CHECK_EQ_I64(lit->kind, AIQ_N_LITERAL);
        CHECK_EQ_STR(lit->str, "a\n\\n b");
    }
    aiq_arena_free(&arena);
}

void test_syntax_lex(void)
{
    test_digit_names_and_reals();
    test_unicode_blanks();
    test_strings();
    test_multiline_value();
}
