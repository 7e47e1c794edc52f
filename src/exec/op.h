/*
 * op.h -- the pull-based operator tree and the one skeleton every operator
 * is built on. Each operator returns one chunk per call to aiq_op_next(),
 * or NULL at the end (or on error, with ex->err set); the chunk is
 * borrowed until the next call (STYLE.md, lifetime 2).
 *
 * An operator is a struct that starts with an AiqOp and a vtable for its
 * kind. The base holds what the kinds share: the plan node, the input, an
 * evaluation context and an output chunk for those that compute columns,
 * and, for materializing operators (sort, top, summarize, mv-expand,
 * shared lets), the scan of the table their compute() makes at the first
 * call. aiq_op_free() frees the base's parts; a kind frees only its own.
 */
#ifndef AIQ_EXEC_OP_H
#define AIQ_EXEC_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aiq/aiq.h"
#include "core/chunk.h"
#include "core/scan.h"
#include "core/table.h"
#include "exec/eval.h"
#include "plan/plan.h"

typedef struct AiqOp AiqOp;

/* Where scans get their rows: the session's tables (exec sees no files). */
typedef struct AiqScanSource {
    void *ud;
    /* Opens a stream of scan's rows in bounded memory, batch by batch
     * (hint: the top above, to publish its threshold to, or NULL); NULL to
     * read the whole table with load() instead (err untouched), or on an
     * error (err set). */
    void *(*open)(void *ud, const AiqPlan *scan, const AiqTopHint *hint, AiqError *err);
    /* The next batch (the stream's: valid until the next call or close),
     * or NULL at the end or on error. */
    AiqTable *(*next)(void *stream, AiqError *err);
    void (*close)(void *stream);
    /* The whole table of scan (borrowed: cached by the session), or NULL with err. */
    AiqTable *(*load)(void *ud, const AiqPlan *scan, AiqError *err);
} AiqScanSource;

/* --timing: what the operators of one plan node gave, all their runs
 * together (a shared let used twice, say). */
typedef struct AiqOpStat {
    const AiqPlan *p;
    int uses;       /* operators made for it (a shared let: one per use) */
    int64_t rows;   /* rows returned (after the operator) */
    double seconds; /* spent in its next(), its inputs' included */
} AiqOpStat;

/* What one run of a plan shares across its operators. */
typedef struct AiqExecCtx {
    AiqError *err;
    int64_t now;
    AiqScanSource source;
    AiqTable **shared;       /* tabular lets, materialized once, by shared_id */
    AiqOp **shared_inputs;   /* their operator trees, built once, until drained */
    int nshared;
    AiqTable **subquery_tables;        /* toscalar() results, whose values the plan points into */
    struct AiqInSet **in_sets;         /* the sets of tabular `in`s, on their expressions' aux */
    int nsubquery_tables, nin_sets;
    int64_t rows_scanned;    /* rows read from tables (--timing) */
    bool timing;             /* count rows and time for each plan node (--timing) */
    int threads;             /* threads an operator may use (-j: summarize's percentiles) */
    AiqOpStat *opstats;      /* with timing: by plan node, in the order first built */
    int nopstats, capopstats;
    AiqTable *apply_rows;    /* mv-apply: the rows its subquery reads now (APPLY_ROWS) */
} AiqExecCtx;

/* The behaviour of a kind of operator. */
typedef struct AiqOpVtable {
    /* The next chunk, or NULL. NULL here: a materializing operator, whose
     * compute() makes its whole result at the first call. */
    AiqChunk *(*next)(AiqOp *op);
    /* Materializing operators: the whole result, owned by the operator
     * (unless op->borrowed), or NULL with ex->err set. */
    AiqTable *(*compute)(AiqOp *op);
    /* Frees what the kind holds besides the base (NULL: nothing). Called
     * after the input is freed (its reader threads are gone by then). */
    void (*release)(AiqOp *op);
    bool eval; /* the kind evaluates expressions: the base's ev is made for it */
} AiqOpVtable;

struct AiqOp {
    const AiqOpVtable *vt;
    AiqExecCtx *ex;
    const AiqPlan *p;  /* the plan node it runs */
    AiqOp *input;      /* freed with the operator */
    AiqEvalCtx ev;     /* with vt->eval: reset by the kind for each chunk */
    AiqChunk out;      /* the chunk a kind returns when it makes one */
    AiqVector **cols;  /* its columns (aiq_op_out_cols) */
    AiqOp *result;     /* materializing: the scan of compute()'s table */
    bool borrowed;     /* materializing: that table is someone else's (shared lets) */
    int stat;          /* with ex->timing: its plan node's entry in ex->opstats; else -1 */
};

/* A zeroed operator of size bytes (the kind's struct) with its base set
 * up over input (which it owns from now on). Never NULL. */
void *aiq_op_new(AiqExecCtx *ex, const AiqOpVtable *vt, size_t size, const AiqPlan *p, AiqOp *input);
/* The same after building p's input; NULL (with ex->err set, nothing left
 * allocated) when the input cannot be built. */
void *aiq_op_new_over(AiqExecCtx *ex, const AiqOpVtable *vt, size_t size, const AiqPlan *p);
/* n output column slots for op->out, owned by op. */
AiqVector **aiq_op_out_cols(AiqOp *op, int n);
/* The next chunk of a materializing operator (see AiqOpVtable.next). */
AiqChunk *aiq_op_next_materialized(AiqOp *op);
/* aiq_op_next of an operator counted for --timing. */
AiqChunk *aiq_op_next_counted(AiqOp *op);
static inline AiqChunk *aiq_op_next(AiqOp *op)
{
    if (op->stat >= 0)
        return aiq_op_next_counted(op);
    return op->vt->next ? op->vt->next(op) : aiq_op_next_materialized(op);
}
/* With ex->timing, counts what op returns under plan node p (once: an
 * operator already counted stays with its node). Returns op (NULL too). */
AiqOp *aiq_op_count(AiqExecCtx *ex, AiqOp *op, const AiqPlan *p);
/* Frees an operator tree (NULL is ignored). */
void aiq_op_free(AiqOp *op);
/* Pulls every chunk of op into a new table with the plan's schema; NULL on error. */
AiqTable *aiq_op_drain(AiqOp *op, const AiqSchema *schema);
/* Checks, between chunks, the memory limit and a cancel request (Ctrl-C in
 * the REPL); sets ex->err and returns false when the query must stop. */
bool aiq_op_check_limits(AiqExecCtx *ex);

/* Prepares ex for running plan: its err, now() and source are the caller's
 * to set; this makes the cache of tabular lets. */
void aiq_exec_ctx_init(AiqExecCtx *ex, const AiqPlan *plan);
/* Frees what aiq_exec_ctx_init made, and the lets' tables. */
void aiq_exec_ctx_free(AiqExecCtx *ex);
/* Frees the subqueries' results (op_subquery.c); part of aiq_exec_ctx_free. */
void aiq_subqueries_release(AiqExecCtx *ex);

/* Builds the operator tree of a plan (physically planned: plan/physical.h).
 * Returns NULL with ex->err set. (exec/build.c) */
AiqOp *aiq_op_build(AiqExecCtx *ex, const AiqPlan *plan);

/* The operators, by file; each builds its own inputs. NULL with ex->err
 * set when something cannot be built. */
AiqOp *aiq_op_scan(AiqExecCtx *ex, const AiqPlan *p, AiqTopHint *hint); /* op_source.c */
AiqOp *aiq_op_values(AiqExecCtx *ex, const AiqPlan *p);
AiqOp *aiq_op_range(AiqExecCtx *ex, const AiqPlan *p);
AiqOp *aiq_op_shared(AiqExecCtx *ex, const AiqPlan *p);
/* An operator that yields the rows of a table; frees it at the end when owned. */
AiqOp *aiq_op_table_scan(AiqExecCtx *ex, AiqTable *t, bool owned);
AiqOp *aiq_op_filter(AiqExecCtx *ex, const AiqPlan *p);     /* op_filter.c */
AiqOp *aiq_op_take(AiqExecCtx *ex, const AiqPlan *p);
AiqOp *aiq_op_project(AiqExecCtx *ex, const AiqPlan *p);    /* op_project.c */
AiqOp *aiq_op_union(AiqExecCtx *ex, const AiqPlan *p);
AiqOp *aiq_op_parse(AiqExecCtx *ex, const AiqPlan *p);      /* op_parse.c */
AiqOp *aiq_op_sort(AiqExecCtx *ex, const AiqPlan *p);       /* op_sort.c: sort and top */
AiqOp *aiq_op_join(AiqExecCtx *ex, const AiqPlan *p);       /* op_join.c */
AiqOp *aiq_op_mv_expand(AiqExecCtx *ex, const AiqPlan *p);  /* op_mv_expand.c */
/* Appends to out the rows row r of in expands to (p: an MV_EXPAND node, or
 * MV_APPLY's copy of one); ptrs[c] views in's column c, NULL for the
 * expanded ones; rows and scratch are the caller's work space. */
void aiq_mv_expand_row(const AiqPlan *p, const AiqTable *in, int64_t r, AiqTable *out, AiqVector **ptrs,
                       uint32_t *rows, AiqArena *scratch);
AiqOp *aiq_op_mv_apply(AiqExecCtx *ex, const AiqPlan *p);   /* op_mv_apply.c */
AiqOp *aiq_op_apply_rows(AiqExecCtx *ex, const AiqPlan *p);
AiqOp *aiq_op_evaluate(AiqExecCtx *ex, const AiqPlan *p);   /* op_evaluate.c */
AiqOp *aiq_op_computed(AiqExecCtx *ex, const AiqPlan *p);
AiqOp *aiq_op_top_nested(AiqExecCtx *ex, const AiqPlan *p); /* op_top_nested.c */
AiqOp *aiq_op_window(AiqExecCtx *ex, const AiqPlan *p);     /* op_window.c */
AiqOp *aiq_op_parse_kv(AiqExecCtx *ex, const AiqPlan *p);   /* op_parse_kv.c */
AiqOp *aiq_op_summarize(AiqExecCtx *ex, const AiqPlan *p);  /* op_summarize.c */
AiqOp *aiq_op_subqueries(AiqExecCtx *ex, const AiqPlan *p); /* op_subquery.c */
AiqOp *aiq_op_sample(AiqExecCtx *ex, const AiqPlan *p);     /* op_sample.c */
AiqOp *aiq_op_external(AiqExecCtx *ex, const AiqPlan *p);   /* op_external.c */
AiqOp *aiq_op_make_series(AiqExecCtx *ex, const AiqPlan *p); /* op_make_series.c */
AiqOp *aiq_op_scan_steps(AiqExecCtx *ex, const AiqPlan *p); /* op_scan.c */

#endif
