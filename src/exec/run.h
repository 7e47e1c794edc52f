/*
 * run.h -- running a physically planned plan to a result table: the
 * operator tree is built and drained on a thread with a stack deep enough
 * for any query the binder accepts. The caller (the session) says where
 * scans get their rows and renders the result.
 */
#ifndef AIQ_EXEC_RUN_H
#define AIQ_EXEC_RUN_H

#include <stdint.h>

#include "aiq/aiq.h"
#include "core/table.h"
#include "exec/op.h"
#include "plan/plan.h"

/* What a run took, for --timing. */
typedef struct AiqExecStats {
    bool timing;          /* in: count rows and time for each plan node (ops) */
    int threads;          /* in: threads an operator may use (-j; 0: one) */
    double built;         /* seconds (monotonic clock) when the operator tree was ready */
    int64_t rows_scanned; /* rows read from tables */
    AiqOpStat *ops;       /* with timing: each plan node's rows and time (the caller frees
                             it with aiq_xfree); nops of them */
    int nops;
} AiqExecStats;

/* Runs plan (aiq_plan_physical has run), its scans reading from source,
 * with now() fixed. Returns the result (the caller frees it), or NULL
 * with err set; nothing is half done either way. */
AiqTable *aiq_exec_plan(const AiqPlan *plan, const AiqScanSource *source, int64_t now, AiqError *err,
                        AiqExecStats *stats);
/* Runs fn(arg) on a thread with a stack deep enough for any query the
 * binder accepts (see AIQ_MAX_PLAN_DEPTH), and waits for it; on the
 * calling thread when no thread can be made. */
void aiq_run_deep(void (*fn)(void *), void *arg);
/* The monotonic clock in seconds. */
double aiq_exec_clock(void);

#endif
