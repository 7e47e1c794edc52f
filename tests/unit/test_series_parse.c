/*
 * test_series_parse.c -- make-series through the parser and the canonical
 * printer: every part of its syntax (parameters, several aggregates with
 * and without defaults, a named or computed axis, from/to/step in any
 * subset, the old `in range(...)` form, by keys) prints as canonical text
 * that parses back to the same text.
 */
#include <string.h>

#include "canon.h"
#include "check.h"
#include "parse/parser.h"
#include "parse/printer.h"
static const struct {
    const char *query, *canonical;
} cases[] = {
    {"T | make-series count() on t step 1h", "T\n| make-series count() on t step timespan(01:00:00)\n"},
    {"T | make-series kind=nonempty hint.shufflekey=k n = count() default = -1, avg(x) on t from ago(1d) to now() step 1h by k, k2 = tolower(s)",
     "T\n| make-series kind=nonempty hint.shufflekey=k n = count() default = -1, avg(x) on t from ago(timespan(1.00:00:00)) to now() step timespan(01:00:00) by k, k2 = tolower(s)\n"},
    {"T | make-series sum(x) on tt = bin(t, 1m) to datetime(2026-01-01) step 5m",
     "T\n| make-series sum(x) on tt = bin(t, timespan(00:01:00)) to datetime(2026-01-01T00:00:00Z) step timespan(00:05:00)\n"},
    {"T | make-series sum(x) default=real(null) on n + 1 from 0 step 2.5",
     "T\n| make-series sum(x) default = real(null) on (n + 1) from 0 step real(2.5)\n"},
    {"T | make-series max(x) on t in range(datetime(2026-01-01), datetime(2026-01-02), 1h) by k",
     "T\n| make-series max(x) on t in range(datetime(2026-01-01T00:00:00Z), datetime(2026-01-02T00:00:00Z), timespan(01:00:00)) by k\n"},
};

static void test_make_series_canon(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *once = canon(cases[i].query, &arena);
        CHECK_EQ_STR(once, cases[i].canonical);
        CHECK_EQ_STR(canon(once, &arena), once);
    }
    aiq_arena_free(&arena);
}

static void test_make_series_syntax_errors(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    CHECK_EQ_STR(canon("T | make-series count() on t in range(1, 2) | take 1", &arena),
                 "ERROR 1:43 expected ',' after the stop of the range, found ')'");
    CHECK_EQ_STR(canon("T | make-series count() default 0 on t step 1", &arena),
                 "ERROR 1:33 expected '=' and the value after 'default', found '0'");
    aiq_arena_free(&arena);
}

void test_series_parse(void)
{
    test_make_series_canon();
    test_make_series_syntax_errors();
}
