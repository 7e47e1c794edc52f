/*
 * test_complete.c -- the REPL's completion in context
 * (aiq_session_completions): the columns of the pipeline at the cursor,
 * only the current table's, known before any table is read (guessed from
 * the first block), operators after '|', join kinds after kind=, let names,
 * functions and aggregates, bracket-quoted odd names.
 */
#include <stdlib.h>
#include <unistd.h>

#include "aiq/aiq.h"
#include "check.h"

/* Whether word is among the completions of text with the word at its end. */
static bool offers(AiqSession *s, const char *text, const char *word)
{
    size_t n, len = strlen(text), start = len;
    while (start > 0 && !strchr(" \t\n|(),=<>!+*%;{}", text[start - 1]))
        start--;
    const char *const *w = aiq_session_completions(s, text, start, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i], word) == 0)
            return true;
    return false;
}

/* Writes lines to a new file in dir; returns its path (static buffer per call site). */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

void test_complete(void)
{
    char dir[] = "/tmp/aiq_complete_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char reqs[128], perf[128];
    snprintf(reqs, sizeof reqs, "%s/req.jsonl", dir);
    snprintf(perf, sizeof perf, "%s/perf.jsonl", dir);
    write_file(reqs, "{\"AppRoleName\":\"chat\",\"DurationMs\":12.5,\"odd name\":1}\n"
                     "{\"AppRoleName\":\"embed\",\"DurationMs\":3}\n");
    write_file(perf, "{\"Computer\":\"n1\",\"CounterValue\":0.5}\n");
    AiqSession *s = aiq_session_new();
    aiq_session_options(s)->diag = NULL;
    AiqError err = {0};
    CHECK(aiq_session_bind_table(s, "Req", reqs, &err));
    CHECK(aiq_session_bind_table(s, "Perf", perf, &err));

    /* columns before any load, the current table's only */
    CHECK(offers(s, "Req | where App", "AppRoleName"));
    CHECK(!offers(s, "Perf | where App", "AppRoleName"));
    CHECK(offers(s, "Perf | where Co", "Computer"));
    CHECK_EQ_I64(aiq_session_table(s, 0).cached_rows, -1); /* nothing was read for it */
    /* extended and summarized names; after project only what was kept */
    CHECK(offers(s, "Req | extend slow = DurationMs > 10 | where sl", "slow"));
    CHECK(offers(s, "Req | summarize n = count() by AppRoleName | where ", "n"));
    CHECK(offers(s, "Req | summarize n = count() by AppRoleName | where ", "AppRoleName"));
    CHECK(!offers(s, "Req | summarize n = count() by AppRoleName | where ", "DurationMs"));
    CHECK(offers(s, "Req | project DurationMs | where ", "DurationMs"));
    CHECK(!offers(s, "Req | project DurationMs | where ", "AppRoleName"));
    /* on the query's earlier lines, and inside a let's pipeline */
    CHECK(offers(s, "let t = 5;\nReq\n| extend z = 1\n| where ", "z"));
    CHECK(offers(s, "let threshold = 5;\nReq | where DurationMs > th", "threshold"));
    /* a half-written expression before the last '|' still gives the table's columns */
    CHECK(offers(s, "Req | where DurationMs > | project ", "DurationMs"));
    /* an odd name comes bracket-quoted */
    CHECK(offers(s, "Req | project ", "['odd name']"));
    /* operators after '|', join kinds after kind=, tables first, functions and aggregates */
    CHECK(offers(s, "Req | ", "summarize"));
    CHECK(offers(s, "Req | ", "project-away"));
    CHECK(!offers(s, "Req | ", "DurationMs"));
    CHECK(offers(s, "Req | join kind=", "leftouter"));
    CHECK(offers(s, "Pe", "Perf"));
    CHECK(offers(s, "Req | where ", "strlen"));
    CHECK(offers(s, "Req | summarize ", "count"));
    CHECK(offers(s, "Req | summarize ", "percentile"));
    CHECK(offers(s, "Req | summarize cou", "count"));
    CHECK(offers(s, "Req | where ag", "ago"));
    aiq_session_free(s);
    unlink(reqs);
    unlink(perf);
    rmdir(dir);
}
