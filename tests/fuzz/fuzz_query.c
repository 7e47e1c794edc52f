/*
 * fuzz_query.c -- end to end: a fuzzed query over a small fixed table, through
 * parser, binder and executor. Any query must give a result or an error with
 * a code, never a crash, leak or hang. Queries are capped at 64 KiB (long
 * flat chains: 1 + 1 + ..., thousands of where stages, let chains; the
 * seeds in seeds/query have them) and run under a 256 MiB --max-memory so
 * a cross join ends in AIQ_ERR_LIMIT. The executor runs on the deep stack
 * the CLI gives it (aiq_run_deep).
 * A query that is merely long (`range x from 1 to 100000000`) is cancelled
 * after 2 s of CPU, as Ctrl-C would cancel it; a loop that never polls for
 * cancellation still hangs and is caught by libFuzzer's -timeout.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "bind/binder.h"
#include "exec/op.h"
#include "exec/run.h"
#include "io/jsonl.h"
#include "parse/parser.h"
#include "plan/physical.h"
#include "func/kernel.h"
#include "util/interrupt.h"
#include "fuzz_init.h"
#include "util/mem.h"

static const char table_data[] =
    "{\"TimeGenerated\":\"2026-11-21T10:00:00Z\",\"DurationMs\":120.5,\"AppRoleName\":\"chat-api\",\"ResultCode\":\"200\",\"Success\":true,\"ItemCount\":1,\"Properties\":{\"deployment\":\"gpt-4o\",\"tokens.total\":\"2048\"}}\n"
    "{\"TimeGenerated\":\"2026-11-21T10:05:00Z\",\"DurationMs\":2500,\"AppRoleName\":\"chat-api\",\"ResultCode\":\"429\",\"Success\":false,\"ItemCount\":2,\"Properties\":{\"deployment\":\"gpt-4o\",\"tokens.total\":512}}\n"
    "{\"TimeGenerated\":\"2026-11-21T10:07:30Z\",\"DurationMs\":null,\"AppRoleName\":\"embeddings-api\",\"ResultCode\":\"\",\"Success\":null,\"ItemCount\":3,\"Properties\":[1,2,{\"x\":null}]}\n"
    "{\"TimeGenerated\":\"2026-11-21T11:00:00Z\",\"DurationMs\":80,\"AppRoleName\":\"aoai-gateway\",\"ResultCode\":\"503\",\"Success\":false,\"ItemCount\":-4}\n";

static AiqCatalogTable table = {.name = "AppRequests"};
static AiqTable *rows; /* the table read once */
static AiqArena arena;

static bool lookup(void *ud, const char *name, AiqSchema *out, AiqError *err)
{
    (void)ud;
    (void)err;
    if (strcmp(name, "AppRequests") != 0 && strcmp(name, "T") != 0)
        return false;
    *out = table.schema;
    return true;
}

static AiqTable *load(void *ud, const AiqPlan *scan, AiqError *err)
{
    (void)ud;
    (void)scan;
    (void)err;
    return rows;
}

/* The table is in memory: no stream, the scan reads it whole. */
static void *no_stream(void *ud, const AiqPlan *scan, const AiqTopHint *hint, AiqError *err)
{
    (void)ud;
    (void)scan;
    (void)hint;
    (void)err;
    return NULL;
}

static void on_cpu_budget(int sig)
{
    (void)sig;
    aiq_interrupt_request();
}

/* Cancels the running query after `seconds` of CPU time (0 disarms). */
static void arm_cpu_budget(int seconds)
{
    static bool installed;
    if (!installed) {
        signal(SIGVTALRM, on_cpu_budget);
        installed = true;
    }
    struct itimerval t = {.it_value = {.tv_sec = seconds}};
    setitimer(ITIMER_VIRTUAL, &t, NULL);
}

typedef struct Job {
    AiqExecCtx *ex;
    const AiqPlan *plan;
    AiqTable *result;
} Job;

static void run_job(void *p)
{
    Job *job = p;
    AiqOp *root = aiq_op_build(job->ex, job->plan);
    job->result = root ? aiq_op_drain(root, &job->plan->schema) : NULL;
    aiq_op_free(root);
    aiq_exec_ctx_free(job->ex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rows) {
        aiq_arena_init(&arena, 0);
        AiqReadOptions opts = {0};
        AiqError err = {0};
        rows = aiq_jsonl_load_buffer(&table, "T.jsonl", table_data, sizeof table_data - 1, &opts, &arena, &err);
        if (!rows)
            abort();
    }
    if (size > 65536)
        return 0;
    size_t base = aiq_mem_resident(); /* (the limit is on resident memory, or on the count under ASan) */
    aiq_mem_set_limit((base ? base : aiq_mem_live()) + (256u << 20));
    AiqArena qa;
    aiq_arena_init(&qa, 0);
    AiqError err = {0};
    AiqNode *q = aiq_parse_query((const char *)data, size, &qa, &err);
    AiqBindOptions bo = {.now = 639000000000000000LL, .lookup = lookup};
    AiqPlan *plan = q ? aiq_bind_query(q, &bo, &qa, &err) : NULL;
    if (plan) {
        arm_cpu_budget(2);
        plan = aiq_plan_physical(plan, &qa);
        AiqExecCtx ex = {.err = &err, .now = bo.now, .source = {.open = no_stream, .load = load}};
        aiq_exec_ctx_init(&ex, plan);
        Job job = {&ex, plan, NULL};
        aiq_run_deep(run_job, &job);
        if (!job.result && err.code == AIQ_OK)
            abort(); /* a failure must say why */
        aiq_table_free(job.result);
        aiq_regex_release_all();
        aiq_plan_release(plan);
        arm_cpu_budget(0);
        aiq_interrupt_clear();
    }
    aiq_arena_free(&qa);
    aiq_mem_set_limit(0);
    return 0;
}
