/*
 * timing.c -- --timing (CLI.md): after each query, on the diagnostics
 * stream, the time of each stage (parse, bind with any first pass for
 * types, physical planning, run, output), what each input read (files,
 * bytes as stored, rows read before any test the reader applies), the
 * rows after each operator with the time spent in it, and the memory the
 * process held at its peak. Every line starts with "aiq: timing:" so that
 * a script can pick them out of the warnings.
 *
 *   aiq: timing: parse 0.000 s, bind 0.001 s, plan 0.000 s, run 0.012 s, output 0.000 s; total 0.013 s
 *   aiq: timing: read AppRequests: 1 file, 450850 bytes (440.3 KiB), 5000 rows
 *   aiq: timing: rows after each operator (time in it, its inputs included):
 *   aiq: timing:   summarize: 3 rows, 0.012 s
 *   aiq: timing:     filter: 812 rows, 0.011 s
 *   aiq: timing:       scan AppRequests: 812 rows, 0.010 s
 *   aiq: timing: peak memory 3.1 MiB, peak resident 9.8 MiB, memory limit: ...
 */
#include "session/session_internal.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "util/mem.h"
#include "util/strbuf.h"

AiqReadStats *aiq_session_count_input(AiqSession *s, const char *table, const char *how)
{
    if (!s->opts.timing)
        return NULL;
    s->inputs = aiq_grow_array(s->inputs, s->ninputs, &s->capinputs, sizeof *s->inputs);
    AiqInputStat *in = aiq_xcalloc(1, sizeof *in);
    in->table = table;
    in->how = how;
    s->inputs[s->ninputs++] = in;
    return &in->read;
}

void aiq_session_inputs_clear(AiqSession *s)
{
    for (int i = 0; i < s->ninputs; i++)
        aiq_xfree(s->inputs[i]);
    s->ninputs = 0;
    s->first_pass = 0;
}

/* "450850 bytes (440.3 KiB)": exact, and readable. */
static void put_bytes(AiqStrBuf *sb, int64_t n)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    aiq_sb_printf(sb, "%lld byte%s", (long long)n, n == 1 ? "" : "s");
    double v = (double)n;
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        u++;
    }
    if (u >= 0)
        aiq_sb_printf(sb, " (%.1f %s)", v, units[u]);
}

static void print_inputs(FILE *diag, const AiqSession *s)
{
    for (int i = 0; i < s->ninputs; i++) {
        const AiqInputStat *in = s->inputs[i];
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_sb_printf(&sb, "aiq: timing: read %s", in->table);
        if (strcmp(in->how, "read") != 0)
            aiq_sb_printf(&sb, " (%s)", in->how);
        aiq_sb_puts(&sb, ": ");
        if (strcmp(in->how, "held in memory") != 0) {
            aiq_sb_printf(&sb, "%lld file%s, ", (long long)in->read.files, in->read.files == 1 ? "" : "s");
            put_bytes(&sb, in->read.bytes);
            aiq_sb_puts(&sb, ", ");
        }
        aiq_sb_printf(&sb, "%lld row%s\n", (long long)in->read.rows, in->read.rows == 1 ? "" : "s");
        fputs(aiq_sb_str(&sb), diag);
        aiq_sb_free(&sb);
    }
}

static const AiqOpStat *stat_of(const AiqExecStats *stats, const AiqPlan *p)
{
    for (int i = 0; stats && i < stats->nops; i++)
        if (stats->ops[i].p == p)
            return &stats->ops[i];
    return NULL;
}

/* The shared lets printed so far, so that a let used twice shows its
 * operators once. */
typedef struct Printed {
    const AiqPlan **shared;
    int n, cap;
} Printed;

static bool printed_before(Printed *pr, const AiqPlan *p)
{
    for (int i = 0; i < pr->n; i++)
        if (pr->shared[i] == p)
            return true;
    pr->shared = aiq_grow_array(pr->shared, pr->n, &pr->cap, sizeof *pr->shared);
    pr->shared[pr->n++] = p;
    return false;
}

/* A branch to print: a plan node and its depth. */
typedef struct Branch {
    const AiqPlan *p;
    int depth;
} Branch;

static void print_line(FILE *diag, const AiqPlan *p, const AiqOpStat *st, int depth, bool again)
{
    int indent = 2 + 2 * (depth < 40 ? depth : 40);
    fprintf(diag, "aiq: timing: %*s%s", indent, "", aiq_plan_kind_name(p->kind));
    if (p->kind == AIQ_P_SCAN)
        fprintf(diag, " %s", p->table);
    if (again)
        fprintf(diag, ": the let above\n");
    else if (st)
        fprintf(diag, ": %lld row%s%s, %.3f s\n", (long long)st->rows, st->rows == 1 ? "" : "s",
                st->uses > 1 ? " (all its uses)" : "", st->seconds);
    else
        fprintf(diag, ": not run\n");
}

/* One line per operator, its inputs below it, indented, as --explain
 * lays them out. The input chain is walked in a loop (a pipeline may be
 * thousands of operators long); the other inputs of a join or union wait
 * on a stack until the chain below them is printed, which is right after
 * the subtree of their operator's first input. */
static void print_operators(FILE *diag, const AiqPlan *root, const AiqExecStats *stats)
{
    Printed pr = {0};
    Branch *stack = NULL;
    int n = 0, cap = 0;
    stack = aiq_grow_array(stack, n, &cap, sizeof *stack);
    stack[n++] = (Branch){root, 0};
    while (n > 0) {
        Branch b = stack[--n];
        for (const AiqPlan *p = b.p; p; p = p->input, b.depth++) {
            bool again = p->kind == AIQ_P_SHARED && printed_before(&pr, p);
            print_line(diag, p, stat_of(stats, p), b.depth, again);
            if (again)
                break;
            for (int i = p->ninputs - 1; i >= 0; i--) {
                stack = aiq_grow_array(stack, n, &cap, sizeof *stack);
                stack[n++] = (Branch){p->inputs[i], b.depth + 1};
            }
            if (p->right) {
                stack = aiq_grow_array(stack, n, &cap, sizeof *stack);
                stack[n++] = (Branch){p->right, b.depth + 1};
            }
        }
    }
    aiq_xfree(stack);
    aiq_xfree(pr.shared);
}

void aiq_session_print_timing(const AiqSession *s, const AiqTiming *t, const AiqPlan *plan, const AiqExecStats *stats)
{
    FILE *diag = s->opts.diag;
    if (!diag)
        return;
    double total = t->parse + t->bind + t->plan + t->run + t->output;
    fprintf(diag, "aiq: timing: parse %.3f s, bind %.3f s", t->parse, t->bind);
    if (t->first_pass > 0)
        fprintf(diag, " (first pass for types %.3f s)", t->first_pass);
    fprintf(diag, ", plan %.3f s, run %.3f s", t->plan, t->run);
    if (t->output_done)
        fprintf(diag, ", output %.3f s", t->output);
    fprintf(diag, "; total %.3f s\n", total);
    print_inputs(diag, s);
    if (plan && stats && stats->nops) {
        fprintf(diag, "aiq: timing: rows after each operator (time in it, its inputs included):\n");
        print_operators(diag, plan, stats);
    }
    /* how close it came to the memory limit: the allocator's peak count
     * and, where the limit is on resident memory, the kernel's high-water
     * mark of it (mapped input files included, as time(1) has it) */
    struct rusage ru;
    char resident[64] = "", limit[96];
    if (AIQ_MEM_RESIDENT_MEASURED && getrusage(RUSAGE_SELF, &ru) == 0)
        snprintf(resident, sizeof resident, ", peak resident %.1f MiB", (double)ru.ru_maxrss / 1024); /* (KiB on Linux) */
    fprintf(diag, "aiq: timing: peak memory %.1f MiB%s, memory limit: %s\n", (double)aiq_mem_peak() / (1 << 20),
            resident, aiq_mem_limit_text(limit, sizeof limit));
}
