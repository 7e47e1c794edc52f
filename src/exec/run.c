/*
 * run.c -- entry points of the executor (see run.h): loads catalog tables
 * (once; they stay cached in the catalog for the REPL and for every use in a
 * query), builds the operator tree, drains it into a result table, and only
 * then writes the result, so an error mid-query never leaves a partial table
 * on stdout.
 */
#include "exec/run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exec/op.h"
#include "func/kernel.h"
#include "io/jsonl.h"
#include "out/output.h"
#include "plan/physical.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Every file of t can be read twice (regular files: not stdin or a pipe). */
static bool rereadable(const AiqCatalogTable *t)
{
    for (int i = 0; i < t->npaths; i++) {
        struct stat st;
        if (strcmp(t->paths[i], "-") == 0 || stat(t->paths[i], &st) != 0 || !S_ISREG(st.st_mode))
            return false;
    }
    return t->npaths > 0;
}

bool aiq_run_schema(AiqRunOptions *ro, AiqCatalogTable *t, AiqError *err)
{
    if (t->declared)
        return true;
    if (ro->keep_tables || !rereadable(t))
        return aiq_run_load_table(ro, t, NULL, err);
    AiqReadOptions opts = {.strict = ro->strict, .threads = aiq_run_threads(ro)};
    if (!aiq_jsonl_infer_schema(t, &opts, &ro->catalog->arena, err))
        return false;
    t->declared = t->inferred = true;
    return true;
}

bool aiq_run_load_table(AiqRunOptions *ro, AiqCatalogTable *t, const bool *needed, AiqError *err)
{
    bool partial = t->declared && needed;
    if (t->data) {
        bool covers = !t->loaded; /* NULL: every column is there */
        if (!covers) {
            covers = true;
            for (int c = 0; c < t->schema.ncols && covers; c++)
                covers = t->loaded[c] || (partial && !needed[c]);
        }
        if (covers)
            return true;
        aiq_table_free(t->data); /* read again with the union of the columns */
        t->data = NULL;
    }
    if (t->npaths == 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                             "table '%s' is declared in the schema but has no data file; bind one with -t %s=PATH",
                             t->name, t->name);
    bool *want = NULL;
    if (partial) {
        want = aiq_arena_alloc(&ro->catalog->arena, sizeof *want * (size_t)(t->schema.ncols + 1));
        for (int c = 0; c < t->schema.ncols; c++)
            want[c] = needed[c] || (t->loaded && t->loaded[c]);
    }
    AiqScanSpec spec = {.ncols = t->schema.ncols, .needed = want}; /* whole rows: no keys, no tests */
    AiqReadOptions opts = {.strict = ro->strict, .warn = stderr, .scan = want ? &spec : NULL};
    AiqTable *data = aiq_jsonl_load(t, &opts, &ro->catalog->arena, err);
    if (!data)
        return false;
    t->data = data;
    t->loaded = want;
    return true;
}

/* The columns of t a scan reads (NULL: all), when its spec is t's. */
static const bool *scan_needed(const AiqPlan *scan, const AiqCatalogTable *t)
{
    return scan->scan && scan->scan->ncols == t->schema.ncols ? scan->scan->needed : NULL;
}

static AiqTable *load_for_exec(void *ud, const AiqPlan *scan, AiqError *err)
{
    AiqRunOptions *ro = ud;
    AiqCatalogTable *t = aiq_catalog_find(ro->catalog, scan->table);
    if (!t) {
        aiq_error_set(err, AIQ_ERR_IO, -1, 1, "unknown table '%s'", scan->table);
        return NULL;
    }
    if (!aiq_run_load_table(ro, t, scan_needed(scan, t), err))
        return NULL;
    return t->data;
}

int aiq_run_threads(const AiqRunOptions *ro)
{
    if (ro->threads > 0)
        return ro->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Declared tables not already in memory stream from their files in
 * bounded memory, reading what physical planning decided (the scan's
 * spec); the REPL keeps whole tables instead, for its next query. */
static void *stream_for_exec(void *ud, const AiqPlan *scan, const AiqTopHint *hint, AiqError *err)
{
    AiqRunOptions *ro = ud;
    AiqCatalogTable *t = aiq_catalog_find(ro->catalog, scan->table);
    if (!t || !t->declared || t->data || ro->keep_tables || t->npaths == 0)
        return NULL;
    bool fits = scan->scan && scan->scan->ncols == t->schema.ncols;
    AiqReadOptions opts = {.strict = ro->strict, .warn = stderr, .scan = fits ? scan->scan : NULL,
                           .threads = aiq_run_threads(ro), .top_hint = hint};
    return aiq_jsonl_open(t, &opts, err);
}

static AiqTable *stream_next_batch(void *st, AiqError *err) { return aiq_jsonl_next(st, err); }
static void stream_close(void *st) { aiq_jsonl_close(st); }

static double now_seconds(void)
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
    job->built = now_seconds();
    if (root)
        job->result = aiq_op_drain(root, &job->plan->schema);
    aiq_op_free(root);
    aiq_exec_ctx_free(job->ex); /* (operator trees as deep as the query) */
}

/* --timing's line, for a query that failed too (how close it came to the
 * memory limit is what one wants to know then): the allocator's peak
 * count and, where the limit is on resident memory, the kernel's
 * high-water mark of it (mapped input files included, as time(1) has it). */
static void print_timing(double load, double run, double output, int64_t scanned, int64_t out_rows)
{
    struct rusage ru;
    char resident[64] = "", limit[96];
    if (AIQ_MEM_RESIDENT_MEASURED && getrusage(RUSAGE_SELF, &ru) == 0)
        snprintf(resident, sizeof resident, ", peak resident %.1f MiB", (double)ru.ru_maxrss / 1024); /* (KiB on Linux) */
    fprintf(stderr, "aiq: timing: load+plan %.3f s, run %.3f s, output %.3f s; %lld rows scanned, %lld rows out, "
                    "peak memory %.1f MiB%s, memory limit: %s\n",
            load, run, output, (long long)scanned, (long long)out_rows, (double)aiq_mem_peak() / (1 << 20), resident,
            aiq_mem_limit_text(limit, sizeof limit));
}

int aiq_run_plan(AiqRunOptions *ro, const AiqPlan *plan, FILE *out, AiqError *err)
{
    double t0 = now_seconds();
    /* what each scan reads, decided once */
    AiqArena phys_arena;
    aiq_arena_init(&phys_arena, 0);
    plan = aiq_plan_physical((AiqPlan *)plan, &phys_arena);
    AiqExecCtx ex = {.err = err, .now = ro->now,
                     .source = {ro, stream_for_exec, stream_next_batch, stream_close, load_for_exec}};
    aiq_exec_ctx_init(&ex, plan);
    ExecJob job = {.ex = &ex, .plan = plan};
    aiq_run_deep(exec_job, &job);
    AiqTable *result = job.result;
    double t1 = job.built;
    aiq_regex_release_all();
    aiq_arena_free(&phys_arena);
    if (!result) {
        if (err->code == AIQ_OK)
            aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "the query failed");
        if (ro->timing)
            print_timing(t1 - t0, now_seconds() - t1, 0, ex.rows_scanned, 0);
        return aiq_error_exit_code(err->code);
    }
    double t2 = now_seconds();
    AiqOutputOptions oo = {.format = AIQ_FMT_TABLE, .header = !ro->no_header, .crlf = ro->crlf};
    if (ro->format)
        aiq_format_from_name(ro->format, &oo.format);
    bool tty = isatty(fileno(out));
    bool color = ro->color ? strcmp(ro->color, "always") == 0 || (strcmp(ro->color, "auto") == 0 && tty && !getenv("NO_COLOR"))
                           : tty && !getenv("NO_COLOR");
    oo.color = color && oo.format == AIQ_FMT_TABLE;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_output_table(&sb, result, &oo);
    bool written = aiq_output_write(out, aiq_sb_str(&sb), sb.len, err);
    aiq_sb_free(&sb);
    int64_t nrows = result->nrows;
    aiq_table_free(result);
    if (!written)
        return aiq_error_exit_code(err->code);
    if (ro->timing)
        print_timing(t1 - t0, t2 - t1, now_seconds() - t2, ex.rows_scanned, nrows);
    return ro->fail_on_rows && nrows > 0 ? 3 : 0;
}

void aiq_run_release_catalog(AiqCatalog *c)
{
    for (int i = 0; i < c->ntables; i++) {
        aiq_table_free(c->tables[i].data);
        c->tables[i].data = NULL;
        c->tables[i].loaded = NULL; /* arena memory */
    }
}
