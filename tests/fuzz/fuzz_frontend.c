/*
 * fuzz_frontend.c -- libFuzzer target over lexer + parser + printer + binder.
 * Any input must give either a plan or an error with a valid location, never
 * a crash, leak or hang; a parsed query must print back to text that parses
 * to the same canonical text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bind/binder.h"
#include "parse/parser.h"
#include "parse/printer.h"
#include "fuzz_init.h"
#include "util/mem.h"

static AiqColumn cols[] = {
    {"TimeGenerated", AIQ_TYPE_DATETIME}, {"DurationMs", AIQ_TYPE_REAL},
    {"AppRoleName", AIQ_TYPE_STRING}, {"ResultCode", AIQ_TYPE_STRING},
    {"Success", AIQ_TYPE_BOOL}, {"ItemCount", AIQ_TYPE_LONG},
    {"Properties", AIQ_TYPE_DYNAMIC}, {"Elapsed", AIQ_TYPE_TIMESPAN},
};

static bool lookup(void *ud, const char *name, AiqSchema *out, AiqError *err)
{
    (void)ud;
    (void)err;
    if (strcmp(name, "AppRequests") != 0 && strcmp(name, "T") != 0)
        return false;
    out->ncols = (int)(sizeof cols / sizeof cols[0]);
    out->cols = cols;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqError err = {0};
    const char *text = (const char *)data;
    AiqNode *q = aiq_parse_query(text, size, &arena, &err);
    if (!q) {
        if (err.offset < 0 || (size_t)err.offset > size)
            abort(); /* every syntax error must point into the text */
        aiq_error_locate(&err, text, size);
    } else {
        AiqStrBuf once, twice;
        aiq_sb_init(&once);
        aiq_sb_init(&twice);
        aiq_print_node(&once, q);
        AiqError err2 = {0};
        AiqNode *q2 = aiq_parse_query(once.data, once.len, &arena, &err2);
        if (q2) {
            aiq_print_node(&twice, q2);
            if (once.len != twice.len || memcmp(aiq_sb_str(&once), aiq_sb_str(&twice), once.len) != 0)
                abort(); /* printing is not a fixpoint */
        }
        aiq_sb_free(&once);
        aiq_sb_free(&twice);
        AiqBindOptions bo = {.now = 638000000000000000LL, .lookup = lookup};
        AiqPlan *p = aiq_bind_query(q, &bo, &arena, &err);
        aiq_plan_release(p);
    }
    aiq_arena_free(&arena);
    return 0;
}
