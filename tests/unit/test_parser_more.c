/*
 * test_parser_more.c -- issue 14's operators through parse -> print ->
 * parse (printer_more.c): the canonical text reads back to itself, so the
 * fuzzers' round trip holds for them too.
 */
#include <stdio.h>
#include <string.h>

#include "canon.h"
#include "check.h"
#include "parse/parser.h"
#include "parse/printer.h"

static const char *const more_round_trip[] = {
    "T | lookup kind=inner (U | where x > 1) on $left.a == $right.b, c",
    "T | lookup U on a",
    "let f = (t:(*), n:long) { t | take n }; T | invoke f(3)",
    "T | sample 10 | sample-distinct 3 of a",
    "T | parse-where kind=regex s with \"x=\" x:long",
    "T | parse-kv s as (a:long, ['b c']:string) with (pair_delimiter=\",\", kv_delimiter=\"=\", quote='\"', greedy=true)",
    "T | mv-apply with_itemindex=i v = d to typeof(long), e limit 5 on (top 1 by v | summarize m = max(v))",
    "T | evaluate pivot(a, sum(b), c) | evaluate bag_unpack(d, 'p_', columnsConflict='keep_source') : (*, x:long)",
    "T | top-nested 2 of a with others = \"o\" by s = sum(b) asc, top-nested of c by max(b)",
    "search kind=case_sensitive in (T, App*) \"err*\" and (c:\"x\" or n > 1) and not(\"y\")",
    "T | search *",
    "externaldata (a:string, b:long) [\"x.csv\", @\"c:\\d.tsv\"] with (format=\"tsv\", ignoreFirstRecord=true) | count",
    "range x from 1 to 10 step 1 | serialize r = row_number(1, prev(x) != x) | extend c = row_cumsum(x)",
    "T | scan with_match_id=m declare (c:long = 0, ['s t']:string) with (step a output=none: x > 1 => c = a.c + x, ['s t'] = \"y\"; step b: a.c > 2;)",
    "T | scan with (step only: true;)",
    "T | scan with ()",
};

/* What Kusto's parser rejects in scan (kqlcheck): a step without its ';',
 * an output= other than all, last or none. */
static const char *const scan_rejected[] = {
    "T | scan with (step s: x > 1)",
    "T | scan declare (c:long) with (step s output=first: true;)",
};

void test_parser_more(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    for (size_t i = 0; i < sizeof more_round_trip / sizeof more_round_trip[0]; i++) {
        const char *once = canon(more_round_trip[i], &arena);
        CHECK(strncmp(once, "ERROR", 5) != 0);
        if (strncmp(once, "ERROR", 5) == 0)
            printf("  query: %s\n  %s\n", more_round_trip[i], once);
        const char *twice = canon(once, &arena);
        CHECK_EQ_STR(twice, once);
    }
    for (size_t i = 0; i < sizeof scan_rejected / sizeof scan_rejected[0]; i++)
        CHECK(strncmp(canon(scan_rejected[i], &arena), "ERROR", 5) == 0);
    aiq_arena_free(&arena);
}
