/*
 * test_parser.c -- parse -> print -> parse gives the same canonical text for
 * every statement, operator and expression form; precedence shows in the
 * printed parentheses.
 */
#include <string.h>

#include "canon.h"
#include "check.h"
#include "parse/parser.h"
#include "parse/printer.h"
static const char *const round_trip[] = {
    "AppRequests | where TimeGenerated > ago(24h) | where DurationMs > 2000 | summarize Count = count(), P95 = percentile(DurationMs, 95) by bin(TimeGenerated, 15m), AppRoleName | order by P95 desc",
    "let baseline = T | where x between (ago(7d) .. ago(1d)) | summarize r = round(100.0 * countif(toint(c) >= 500) / count(), 2) by s; T | join kind=inner baseline on s | extend k = iff(r > 0, a / r, 0.0) | project s, k",
    "T | where a == 1 or b != 2 and not(c) | extend x = -y * (z + 1) % 3, w = d.e[\"f\"][0]",
    "T | where s has \"x\" and s !has_cs \"y\" and s contains_cs \"z\" and s !startswith \"q\" and s matches regex \"a+\" and s =~ \"A\" and s !~ \"B\"",
    "T | where s in (\"a\", \"b\") and n !in (1, 2) and s in~ (\"C\") and s !in~ (\"d\") and n !between (1 .. 10)",
    "T | project-away a*, b | project-keep c | project-rename d = e, ['f g'] = h | project-reorder z asc, y",
    "T | sort by a asc nulls first, b desc nulls last, c | top 5 by d asc | take 10 | count",
    "T | distinct * | distinct a, b = c",
    "T | join kind=leftouter (U | where x > 1) on $left.a == $right.b, c | union withsource=Src U, (V | take 1)",
    "T | mv-expand bagexpansion=array x = d to typeof(string), e limit 10 | parse kind=regex s with \"(\" a:long \")\" * b",
    "T | as Foo | render timechart with (title = \"x\") | getschema",
    "print a = 1, 2.5, \"x\", true, datetime(2026-11-22T10:00:00.5Z), time(1.02:03:04), 15m, dynamic({\"k\":1}), long(null), real(-1.5), int(3)",
    "datatable(a:long, b:string) [1, \"x\", 2, \"y\"] | extend c = a * 2",
    "range x from 1 to 10 step 2 | summarize make_list(x, 5), arg_max(x, *)",
    "let f = (x:long, t:(*)) { t | where y > x }; let g = (s:string = \"d\") { strlen(s) }; f(1, T)",
    "declare query_parameters(n:long = 10, s:string); T | take n",
    "union A, B | summarize by c",
    "T | summarize hint.strategy=shuffle count() by a",
    "T | extend x = @\"c:\\dir\", y = h\"secret\", z = 'it''s' | serialize",
    /* found by fuzz_frontend: `union union (x)` printed as a call that reparsed as a union */
    "union union (x); T",
    /* found by fuzz_frontend: a column named print printed bare reparsed as the print operator */
    "T | extend z = print - x * 2, w = ['true'], v = ['by'] + 1",
    "print a = real(nan), b = real(+inf), c = real(-inf), d = real(+1.5), e = long(-7)",
    /* found by fuzz_frontend: `-union(x)` parsed as a call but printed as `-(union(x))`, a union */
    "print b = -union(x)",
    /* found by fuzz_frontend: (-x).k printed as -(x).k, which applies .k to x */
    "T | extend y = (-x).k, z = (-x)[0], w = -x.k, v = (-5).k, u = -(5)[1], s = 'a'.b",
    "print c = +print(1)",
};

static void test_round_trip(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    for (size_t i = 0; i < sizeof round_trip / sizeof round_trip[0]; i++) {
        const char *once = canon(round_trip[i], &arena);
        CHECK(strncmp(once, "ERROR", 5) != 0);
        if (strncmp(once, "ERROR", 5) == 0)
            printf("  query: %s\n  %s\n", round_trip[i], once);
        const char *twice = canon(once, &arena);
        CHECK_EQ_STR(twice, once);
    }
    aiq_arena_free(&arena);
}

static void test_precedence(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    CHECK_EQ_STR(canon("T | where a or b and c == 1 + 2 * 3", &arena),
                 "T\n| where (a or (b and (c == (1 + (2 * 3)))))\n");
    CHECK_EQ_STR(canon("T | where a - b - c > 0", &arena), "T\n| where (((a - b) - c) > 0)\n");
    CHECK_EQ_STR(canon("T | extend x = -1, y = - a, z = -2.5", &arena),
                 "T\n| extend x = -1, y = -(a), z = real(-2.5)\n");
    CHECK_EQ_STR(canon("T | where d.a.b[\"c\"][0] == 1", &arena),
                 "T\n| where (d.a.b[\"c\"][0] == 1)\n");
    aiq_arena_free(&arena);
}

static void test_literal_values(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    CHECK_EQ_STR(canon("print 1.5h, 100ms, 7d, 10tick", &arena),
                 "print timespan(01:30:00), timespan(00:00:00.1), timespan(7.00:00:00), timespan(00:00:00.000001)\n");
    CHECK_EQ_STR(canon("print datetime(2026-11-22), datetime(2026-11-22 10:00:00+02:00)", &arena),
                 "print datetime(2026-11-22T00:00:00Z), datetime(2026-11-22T08:00:00Z)\n");
    CHECK_EQ_STR(canon("print \"a\\tb\\u00e9\", 'x' 'y', True, FALSE", &arena),
                 "print \"a\\tb\xc3\xa9\", \"xy\", true, false\n");
    CHECK_EQ_STR(canon("print 0x10, 1e3", &arena), "print 16, real(1000.0)\n");
    aiq_arena_free(&arena);
}

static void test_error_positions(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    CHECK_EQ_STR(canon("T | where (a > 1", &arena),
                 "ERROR 1:17 expected ')' to close '(' at 1:11, found end of query");
    CHECK_EQ_STR(canon("T\n| summarise count()", &arena),
                 "ERROR 2:3 unknown query operator 'summarise'; did you mean 'summarize'?");
    /* make-series prints canonically; a stray parenthesis after fork is a syntax error */
    CHECK_EQ_STR(canon("T | make-series x = count() on t step 1h | take 1", &arena),
                 "T\n| make-series x = count() on t step timespan(01:00:00)\n| take 1\n");
    CHECK_EQ_STR(canon("T | fork (take 1)) | take 2", &arena),
                 "ERROR 1:18 expected '|' or end of query, found ')'");
    /* only lets: a library of functions, valid KQL */
    CHECK_EQ_STR(canon("let x = 1; let y = 2", &arena), "let x = 1;\nlet y = 2\n");
    CHECK_EQ_STR(canon("", &arena), "ERROR 1:1 empty query: expected a table name or a statement");
    aiq_arena_free(&arena);
}

/* Found by fuzz_frontend: a dynamic literal holding a NUL byte printed
 * only up to the NUL, so printing was not a fixpoint. */
static void test_dynamic_with_nul(void)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    static const char q[] = "print dynamic(\"a\0b\")";
    AiqError err = {0};
    AiqNode *n = aiq_parse_query(q, sizeof q - 1, &arena, &err);
    CHECK(n != NULL);
    if (n) {
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_print_node(&sb, n);
        CHECK_EQ_I64(sb.len, 21);
        CHECK(memcmp(sb.data, "print dynamic(\"a\0b\")\n", 21) == 0);
        aiq_sb_free(&sb);
    }
    aiq_arena_free(&arena);
}

void test_parser(void)
{
    test_dynamic_with_nul();
    test_round_trip();
    test_precedence();
    test_literal_values();
    test_error_positions();
}
