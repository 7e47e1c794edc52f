/*
 * scan.h -- what a reader is asked to do for the operators above a scan
 * besides reading: the `column op constant` conjuncts of a where it can
 * test on each line, and the running threshold of a top.
 */
#ifndef AIQ_CORE_SCAN_H
#define AIQ_CORE_SCAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/compare.h"
#include "core/expr.h"

/* A running top's current N-th value of its first key, published to the
 * reader below it so that the reader drops rows that could never enter
 * (the same strict test top itself applies). Only for a first key that is
 * a plain real or long column of the scan. The threshold only ever gets
 * stricter, so a reader thread seeing an older one keeps more rows, never
 * fewer. */
typedef struct AiqTopHint {
    int col;             /* the column, in the table's schema */
    AiqType type;        /* AIQ_TYPE_REAL or AIQ_TYPE_LONG */
    bool desc;
    _Atomic bool set;
    _Atomic int64_t bits; /* the long, or the double's bits */
} AiqTopHint;

/* A conjunct of a `where` straight over a scan, `column op constant`, that
 * the reader can test on a line's value: a row it is false for is dropped
 * there (the where still decides every row the reader keeps). */
typedef struct AiqRowPred {
    int col;        /* the column, in the table's schema */
    AiqType type;   /* its type: real, long, datetime or string */
    AiqCmpOp op;
    bool real;      /* compare as doubles (either side is real) */
    double f;       /* the constant, as a double */
    int64_t i;      /* as a long or datetime ticks */
    AiqStr s;       /* as a string */
    const AiqExpr *conjunct; /* the comparison it comes from (for --explain) */
} AiqRowPred;

/* What operators above a streaming scan tell its reader. */
typedef struct AiqScanHints {
    AiqTopHint *top;
    const AiqRowPred *preds;
    int npreds;
} AiqScanHints;

/* Would a row whose key is x (not null) still enter the top? */
bool aiq_top_hint_keeps(const AiqTopHint *h, double xf, int64_t xi);

#endif
