/*
 * sketch.h -- the values hll() and tdigest() give, and what reads them.
 * Kusto keeps estimates there (HyperLogLog, t-digest) and documents the
 * form as one that may change; aiq keeps exact data in the same shape, so
 * dcount_hll() and percentile_tdigest() are exact, as its dcount() and
 * percentiles are:
 *   hll:     [[1024,14],["<hash>", ...],[]]   the distinct values' hashes
 *            (hash(), as decimal strings, as Kusto's sparse form has them)
 *   tdigest: [[7(,"datetime"|"timespan")],[value, ...],[weight, ...]]
 *            every distinct value with its total weight, by value
 * exec/agg_more.c builds them; func/scalar_sketch.c's kernels read them.
 */
#ifndef AIQ_FUNC_SKETCH_H
#define AIQ_FUNC_SKETCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"

/* One value of a weighted list: i for integer-like types (long, datetime,
 * timespan), f for reals. */
typedef struct AiqWeighted {
    int64_t i;
    double f;
    int64_t w;
} AiqWeighted;

/* Values with weights, of one type. */
typedef struct AiqWList {
    AiqWeighted *items;
    int64_t n, cap;
    AiqType type; /* AIQ_TYPE_REAL, LONG, DATETIME or TIMESPAN */
} AiqWList;

void aiq_wlist_push(AiqWList *l, int64_t i, double f, int64_t w);
void aiq_wlist_free(AiqWList *l);
/* Sorts by value and merges equal values (their weights add up). */
void aiq_wlist_sort(AiqWList *l);
/* The index of the value at percentile pct of a sorted list: the first
 * whose running weight reaches ceil(pct * W / 100) (at least 1), W the
 * total weight: the nearest rank, each value counted weight times (the
 * percentilesw page). -1 for an empty list. */
int64_t aiq_wlist_percentile(const AiqWList *l, double pct);
/* Item k as a JSON value: a number, or a datetime's or timespan's text. */
json_t *aiq_wlist_value_json(const AiqWList *l, int64_t k);
/* The tdigest() value of a sorted list (new reference). */
json_t *aiq_tdigest_json(const AiqWList *l);
/* Appends the values of a tdigest() value d to l (its type taken from d
 * when l is empty); false when d is not one. */
bool aiq_tdigest_read(json_t *d, AiqWList *l);

/* The hll() value of an array of hash strings (takes the reference). */
json_t *aiq_hll_json(json_t *hashes);
/* The hash strings of an hll() value (borrowed), or NULL. */
json_t *aiq_hll_hashes(json_t *d);

#endif
