/*
 * agg_state.h -- the aggregates of summarize (count, sum, avg, min, max,
 * dcount, percentiles, stdev, variance, make_list, make_set, arg_max,
 * arg_min, take_any), as arrays of per-group state updated a chunk at a
 * time (exec/agg_state.c); op_summarize.c finds the groups and drives them.
 *
 * Values over a group with no input follow Kusto's table of defaults:
 * count, countif, dcount, dcountif, sum, sumif, stdev, variance give 0;
 * make_list and make_set give []; the rest give null. Percentiles are exact
 * nearest-rank: the value at position ceil(p * N / 100) (at least 1).
 */
#ifndef AIQ_EXEC_AGG_STATE_H
#define AIQ_EXEC_AGG_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/chunk.h"
#include "core/keymap.h"
#include "core/table.h"
#include "plan/plan.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* The values of one group (percentiles), in the order they came. */
typedef struct Values {
    void *v;
    int64_t n;
    /* Ranks already selected (percentile_rank): each has its final value
     * in place, with no larger value before it and no smaller one after,
     * so the next selection only searches between two of them. */
    int64_t placed[16];
    int nplaced;
} Values;

typedef struct AggState {
    const AiqAgg *a;
    AiqType in_type;     /* type of the argument, when there is one */
    AiqType out_type;    /* type of the (first) output column */
    int64_t *cnt;        /* count, countif, dcount, n of avg/variance/minmax "has" */
    int64_t *isum;       /* integer sums, min/max of integer-like values */
    double *fsum;        /* real sums, means, min/max of reals */
    double *m2;          /* variance: sum of squared differences (Welford) */
    double *mean;        /* variance: running mean (Welford) */
    AiqStr *sval;        /* min/max of strings */
    /* percentiles: every value taken (8 bytes: a double or an int64), in
     * row order, with its group; cnt counts each group's. At the first
     * finish they are put in order of group (stably) and cnt becomes the
     * end of each group's run of them. One log instead of an array per
     * group: no allocation per group, and each finish reads the values
     * of the next group from where the last one's ended. */
    char *log;           /* 8 bytes a value, copied as bytes: each keeps its type */
    uint32_t *log_gid;   /* NULL while every value is of group log_g0 */
    int64_t log_g0;
    int64_t nlog, caplog;
    bool by_group;       /* log now holds the values in order of group */
    Values cur;          /* the group being finished (its selected ranks) */
    int64_t cur_g;
    /* percentiles selected ahead for every group on several threads
     * (aiq_agg_prefinish): npcts a group, which aiq_agg_finish writes */
    struct PreValue {
        double f64;
        int64_t i64;
        bool isnull;
    } *pre;
    /* while the groups' values are put in order of group on several
     * threads: the new log, and where each group's values start in it */
    char *pre_log;
    int64_t *pre_start;
    struct AggState *vals_of; /* a percentile over the same column: use its values */
    json_t **list;       /* make_list/make_set arrays */
    AiqKeyMap distinct;  /* (group, value) pairs: dcount, make_set */
    AiqTable *extra;     /* arg_max/arg_min/take_any: the carried columns, row = group */
    struct AggMore *more; /* the state of the aggregates of exec/agg_more.c */
    AiqArena strings;    /* string copies (min/max) */
    int64_t cap;
} AggState;


/* Makes room for ngroups groups (by less than doubling near --max-memory). */
void aiq_agg_grow(AggState *s, int64_t ngroups);
/* Prepares s for aggregate a, whose output columns are in out. */
void aiq_agg_init(AggState *s, const AiqAgg *a, const AiqSchema *out);
/* Frees what s holds. */
void aiq_agg_free(AggState *s);
/* Updates s with the chunk's rows; gids[k] is logical row k's group, arg,
 * arg2 and pred the aggregate's argument, second argument and predicate
 * vectors (NULL: none), extra the carried columns of arg_max/arg_min/take_any. */
void aiq_agg_update(AggState *s, const AiqChunk *c, const int64_t *gids, AiqVector *arg, AiqVector *arg2,
                    AiqVector *pred, AiqVector **extra, AiqStrBuf *key);
/* Writes group g's result(s) into row g of out. */
void aiq_agg_finish(AggState *s, int64_t g, AiqTable *out, AiqArena *scratch);

/* Whether s's results may be found ahead, for ranges of groups on several
 * threads at once (aiq_agg_prefinish): a percentile's (not as an array),
 * whose selection reads and reorders only its own group's values. */
bool aiq_agg_prefinish_kind(const AggState *s);
/* Readies s for aiq_agg_prefinish over ngroups groups (on this thread:
 * where each group's values will go, counted once). */
void aiq_agg_prefinish_begin(AggState *s, int64_t ngroups);
/* After every aiq_agg_prefinish of s (on this thread): its values are now
 * in order of group, as aiq_agg_finish keeps them. */
void aiq_agg_prefinish_end(AggState *s);
/* Puts the values of groups [g0, g1) of the n states ss (each of
 * aiq_agg_prefinish_kind, begun, in the order they finish) in order of
 * group, then finds their results into pre, selecting in each group
 * exactly as aiq_agg_finish would: the same values whatever the ranges.
 * Writes only those groups' values and counts: ranges that do not
 * overlap may run at once. */
void aiq_agg_prefinish(AggState *const *ss, int n, int64_t g0, int64_t g1);

/* The aggregates of exec/agg_more.c (weighted percentiles, covariance,
 * binary_all_*, buildschema, hll, tdigest), called by the functions above
 * for their kinds. */
bool aiq_agg_more_kind(AiqAggKind k);
void aiq_agg_more_grow(AggState *s, int64_t oldcap, int64_t cap);
void aiq_agg_more_free(AggState *s);
void aiq_agg_more_update(AggState *s, const AiqChunk *c, const int64_t *gids, AiqVector *arg, AiqVector *arg2,
                         AiqVector *pred, AiqStrBuf *key);
/* Writes group g's result into row g of out. */
void aiq_agg_more_finish(AggState *s, int64_t g, AiqTable *out, AiqArena *scratch);

#endif
