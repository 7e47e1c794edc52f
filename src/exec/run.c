/*
 * run.c -- running a plan (see run.h): builds the operator tree and drains
 * it into a result table on a thread with a deep stack, then frees the
 * tree, so that an error mid-query never leaves half a result.
 */
#include "exec/run.h"

#include <pthread.h>
#include <time.h>

#include "func/kernel.h"
#include "util/mem.h"

double aiq_exec_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The executor pulls each operator from the one below it, and evaluates an
 * expression into its arguments: a query as deep as the binder accepts
 * (AIQ_MAX_PLAN_DEPTH operators, AIQ_MAX_EXPR_DEPTH levels) nests that
 * many calls, more than the main thread's 8 MB of stack hold. So it runs
 * on a thread of its own with room for them; the pages are only touched
 * by a query that deep. */
#define DEEP_STACK_BYTES ((size_t)512 << 20)

typedef struct DeepCall {
    void (*fn)(void *);
    void *arg;
} DeepCall;

static void *deep_thread(void *p)
{
    DeepCall *c = p;
    c->fn(c->arg);
    aiq_mem_thread_done();
    return NULL;
}

void aiq_run_deep(void (*fn)(void *), void *arg)
{
    DeepCall c = {fn, arg};
    pthread_attr_t attr;
    pthread_t t;
    bool started = pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, DEEP_STACK_BYTES) == 0 &&
                   pthread_create(&t, &attr, deep_thread, &c) == 0;
    pthread_attr_destroy(&attr);
    if (started)
        pthread_join(t, NULL);
    else
        fn(arg); /* no thread to be had: the main stack, as before */
}

typedef struct ExecJob {
    AiqExecCtx *ex;
    const AiqPlan *plan;
    AiqTable *result;
    double built; /* when the operator tree was ready */
} ExecJob;

static void exec_job(void *p)
{
    ExecJob *job = p;
    AiqOp *root = aiq_op_build(job->ex, job->plan);
    job->built = aiq_exec_clock();
    if (root && job->plan->kind == AIQ_P_EVALUATE && job->plan->schema.ncols == 0)
        job->result = root->vt->compute(root); /* the binder asks for a plugin's columns: its own table */
    else if (root)
        job->result = aiq_op_drain(root, &job->plan->schema);
    aiq_op_free(root);
    aiq_exec_ctx_free(job->ex); /* (operator trees as deep as the query) */
}

AiqTable *aiq_exec_plan(const AiqPlan *plan, const AiqScanSource *source, int64_t now, AiqError *err,
                        AiqExecStats *stats)
{
    AiqExecCtx ex = {.err = err, .now = now, .source = *source, .timing = stats->timing, .threads = stats->threads};
    aiq_exec_ctx_init(&ex, plan);
    ExecJob job = {.ex = &ex, .plan = plan};
    aiq_run_deep(exec_job, &job);
    aiq_regex_release_all();
    stats->built = job.built;
    stats->rows_scanned = ex.rows_scanned;
    aiq_xfree(stats->ops);
    stats->ops = ex.opstats; /* (the operators are gone: their plan nodes stay) */
    stats->nops = ex.nopstats;
    if (!job.result && err->code == AIQ_OK)
        aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "the query failed");
    return job.result;
}
