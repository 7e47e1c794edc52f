/*
 * test_binder.c -- types of expressions, Kusto's automatic column names, and
 * the plan shapes the binder builds (summarize + projection, shared lets).
 */
#include <string.h>

#include "bind/binder.h"
#include "check.h"
#include "parse/parser.h"
#include "util/strbuf.h"

static AiqColumn t_cols[] = {
    {"S", AIQ_TYPE_STRING}, {"N", AIQ_TYPE_LONG}, {"I", AIQ_TYPE_INT}, {"R", AIQ_TYPE_REAL},
    {"B", AIQ_TYPE_BOOL}, {"D", AIQ_TYPE_DATETIME}, {"P", AIQ_TYPE_TIMESPAN}, {"Y", AIQ_TYPE_DYNAMIC},
};

static bool lookup(void *ud, const char *name, AiqSchema *out, AiqError *err)
{
    (void)ud;
    (void)err;
    if (strcmp(name, "T") != 0)
        return false;
    out->ncols = (int)(sizeof t_cols / sizeof t_cols[0]);
    out->cols = t_cols;
    return true;
}

/* Binds query and returns "name:type, ..." of the result, or "ERROR msg". */
static const char *columns(const char *query, AiqArena *arena)
{
    AiqError err = {0};
    AiqBindOptions bo = {.now = 0, .lookup = lookup};
    AiqNode *q = aiq_parse_query(query, strlen(query), arena, &err);
    AiqPlan *p = q ? aiq_bind_query(q, &bo, arena, &err) : NULL;
    if (!p)
        return aiq_arena_printf(arena, "ERROR %s", err.msg);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    for (int i = 0; i < p->schema.ncols; i++)
        aiq_sb_printf(&sb, "%s%s:%s", i ? ", " : "", p->schema.cols[i].name, aiq_type_name(p->schema.cols[i].type));
    char *s = aiq_arena_strndup(arena, aiq_sb_str(&sb), sb.len);
    aiq_sb_free(&sb);
    aiq_plan_release(p);
    return s;
}

static void test_types(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    CHECK_EQ_STR(columns("T | project a = N / 2, b = N / 2.0, c = I + I, d = D - D, e = D + 1h, f = P * 2, g = P / P, h = N % 3", &a),
                 "a:long, b:real, c:long, d:timespan, e:datetime, f:timespan, g:real, h:long");
    CHECK_EQ_STR(columns("T | project a = N > 1, b = Y.k == 1, c = Y.k has \"x\", d = tolong(Y[\"k\"]), e = Y[0]", &a),
                 "a:bool, b:bool, c:bool, d:long, e:dynamic");
    CHECK_EQ_STR(columns("T | project a = iff(B, 1, 2.5), b = case(B, \"x\", \"y\"), c = coalesce(N, I), d = bin(D, 1h), e = bin(I, 2), f = round(I)", &a),
                 "a:real, b:string, c:long, d:datetime, e:long, f:long");
    CHECK_EQ_STR(columns("T | project a = toint(S), b = hourofday(D), c = dayofweek(D), d = strlen(S), e = now(), f = ago(1d)", &a),
                 "a:int, b:int, c:timespan, d:long, e:datetime, f:datetime");
    aiq_arena_free(&a);
}

static void test_summarize_names(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    CHECK_EQ_STR(columns("T | summarize count(), count(), sum(I), avg(N), percentiles(R, 50, 99.9) by bin(D, 1h), S", &a),
                 "D:datetime, S:string, count_:long, count_1:long, sum_I:long, avg_N:real, percentile_R_50:real, percentile_R_99_9:real");
    CHECK_EQ_STR(columns("T | summarize Rate = round(100.0 * countif(B) / count(), 2), n = count() by S", &a),
                 "S:string, Rate:real, n:long");
    CHECK_EQ_STR(columns("T | summarize arg_max(D, *) by S", &a),
                 "S:string, D:datetime, N:long, I:int, R:real, B:bool, P:timespan, Y:dynamic");
    CHECK_EQ_STR(columns("T | summarize make_list(N), make_set(S), dcount(S), take_any(R) by tostring(Y.k)", &a),
                 "Y_k:string, list_N:dynamic, set_S:dynamic, dcount_S:long, R:real");
    CHECK_EQ_STR(columns("T | count", &a), "Count:long");
    CHECK_EQ_STR(columns("T | summarize count() by N % 2, N * 3", &a), "Column1:long, Column2:long, count_:long");
    aiq_arena_free(&a);
}

static void test_extend_project_names(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    CHECK_EQ_STR(columns("T | project S, N * 2, Y.a.b, Y[\"c\"], tolong(Y[\"d.e\"]), strlen(S), toupper(S)", &a),
                 "S:string, Column1:long, Y_a_b:dynamic, Y_c:dynamic, Y_d.e:long, strlen_S:long, Column2:string");
    CHECK_EQ_STR(columns("T | project N | extend tostring(N), N2 = N | extend N2 = strcat(N2, \"x\"), x = N2", &a),
                 "N:string, N2:string, x:string");
    CHECK_EQ_STR(columns("T | project N | extend a = 1, b = a + 1", &a), "N:long, a:long, b:long");
    CHECK_EQ_STR(columns("T | project S | join (T | project S, N) on S", &a), "S:string, S1:string, N:long");
    CHECK_EQ_STR(columns("T | project S | join kind=leftanti (T) on S", &a), "S:string");
    CHECK_EQ_STR(columns("T | project N | union (T | project S) | union withsource=W (T | project B)", &a),
                 "W:string, N:long, S:string, B:bool");
    CHECK_EQ_STR(columns("print 1, x = \"a\"", &a), "print_0:long, x:string");
    aiq_arena_free(&a);
}

static void test_lets_and_functions(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    CHECK_EQ_STR(columns("let k = 5; let U = T | where N > k; U | union U | project N", &a), "N:long");
    CHECK_EQ_STR(columns("let f = (x:long, y:long = 2) { x * y }; T | project a = f(N), b = f(N, 3)", &a),
                 "a:long, b:long");
    CHECK_EQ_STR(columns("let g = (t:(*), n:long) { t | take n | project S }; g(T, 3)", &a), "S:string");
    CHECK_EQ_STR(columns("let f = (x:long) { f(x) }; T | project f(N)", &a),
                 "ERROR function 'f' calls itself; recursion is not supported in KQL");
    aiq_arena_free(&a);
}

static void test_shared_let_plan(void)
{
    /* A tabular let used twice is one SHARED node, evaluated once. */
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqBindOptions bo = {.lookup = lookup};
    const char *q = "let U = T | where N > 1; U | join (U) on S";
    AiqPlan *p = aiq_bind_query(aiq_parse_query(q, strlen(q), &a, &err), &bo, &a, &err);
    CHECK(p != NULL);
    if (p) {
        CHECK_EQ_I64(p->kind, AIQ_P_JOIN);
        CHECK_EQ_I64(p->input->kind, AIQ_P_SHARED);
        CHECK(p->input == p->right);
        CHECK_EQ_I64(p->nshared, 1);
    }
    aiq_arena_free(&a);
}

void test_binder(void)
{
    test_types();
    test_summarize_names();
    test_extend_project_names();
    test_lets_and_functions();
    test_shared_let_plan();
}
