/*
 * ops.h -- the pull-based operator tree. Each operator returns one chunk per
 * call to next(), or NULL at the end (or on error, with ex->err set). The
 * chunk is borrowed until the next call (STYLE.md, lifetime 2).
 */
#ifndef AIQ_EXEC_OPS_H
#define AIQ_EXEC_OPS_H

#include "aiq/aiq.h"
#include "exec/eval.h"
#include "core/chunk.h"
#include "core/scan.h"
#include "core/table.h"
#include "io/catalog.h"
#include "plan/plan.h"

typedef struct AiqOp AiqOp;

typedef struct AiqExecCtx {
    AiqError *err;
    int64_t now;
    AiqTable **shared;       /* tabular lets, materialized once, by shared_id */
    AiqOp **shared_inputs;   /* their operator trees, built once, until drained */
    int nshared;
    /* loads a catalog table (cached in the catalog); NULL with err set */
    AiqTable *(*load)(void *ud, const char *table, AiqError *err);
    void *load_ud;
    /* optional streaming of a table (bounded memory): returns a stream, or
     * NULL to use load (err untouched) or on error (err set) */
    void *(*stream_open)(void *ud, const char *table, const AiqScanHints *hints, AiqError *err);
    AiqTable *(*stream_next)(void *stream, AiqError *err);
    void (*stream_close)(void *stream);
    int64_t rows_scanned;
    AiqTopHint *top_hint;    /* while a top's scan input is built: its hint */
    AiqRowPred *preds;       /* while a where's scan input is built: its conjuncts the reader can test */
    int npreds, cappreds;
} AiqExecCtx;

struct AiqOp {
    AiqChunk *(*next)(AiqOp *op);
    void (*free)(AiqOp *op);
    AiqExecCtx *ex;
};

/* Prepares ex for running plan: its err, now() and the loaders are the
 * caller's to set; this makes the cache of tabular lets. */
void aiq_exec_ctx_init(AiqExecCtx *ex, const AiqPlan *plan);
/* Frees what aiq_exec_ctx_init made, and the lets' tables. */
void aiq_exec_ctx_free(AiqExecCtx *ex);
/* Builds the operator tree of a plan. Returns NULL with ex->err set. */
AiqOp *aiq_op_build(AiqExecCtx *ex, const AiqPlan *plan);
/* Frees an operator tree (NULL is ignored). */
void aiq_op_free(AiqOp *op);
/* Pulls every chunk of op into a new table with the plan's schema; NULL on error. */
AiqTable *aiq_op_drain(AiqOp *op, const AiqSchema *schema);

/* summarize (exec/agg.c) */
AiqOp *aiq_op_summarize(AiqExecCtx *ex, const AiqPlan *p, AiqOp *input);
/* An operator that yields the rows of a table; frees it at the end when owned. */
AiqOp *aiq_op_table_scan(AiqExecCtx *ex, AiqTable *t, bool owned);
/* Checks, between chunks, the memory limit and a cancel request (Ctrl-C in
 * the REPL); sets ex->err and returns false when the query must stop. */
bool aiq_op_check_limits(AiqExecCtx *ex);


#endif
