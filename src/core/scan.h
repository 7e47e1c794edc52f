/*
 * scan.h -- what a scan reads and what its reader does for the operators
 * above it: decided once, for each scan of a plan, by physical planning
 * (plan/physical.c), shown by --explain, and carried out by the reader
 * (io/jsonl*.c), which sees nothing of the plan but this.
 */
#ifndef AIQ_CORE_SCAN_H
#define AIQ_CORE_SCAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"
#include "core/compare.h"

/* The top-level keys of a dynamic column a query reads (n < 0: all). */
typedef struct AiqColumnKeys {
    int n;
    const char *const *keys;
    bool text_only;    /* no expression reads the column: objects and arrays keep their JSON text (aiq_dyn_text_new) */
    bool key_vectors;  /* batches get one more dynamic column per key: d[key] of each row (AiqTable.xinfo) */
    bool vectors_only; /* and the column itself is not built: only its key vectors are read */
} AiqColumnKeys;

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
} AiqRowPred;

/* What one scan reads and tests. needed and keys are the same for every
 * scan of a table (a table loaded whole serves them all); preds and the
 * top key are those of the operators right above this scan. */
typedef struct AiqScanSpec {
    int ncols;                 /* columns of the table's schema */
    const bool *needed;        /* per column: read it (the others stay null); NULL: all */
    const AiqColumnKeys *keys; /* per column: of a dynamic one, the keys kept and key vectors; NULL: all */
    const AiqRowPred *preds;   /* conjuncts of the wheres above, tested on each line */
    int npreds;
    bool top;                  /* a top right above by a real or long column: */
    int top_col;               /*   that column, */
    AiqType top_type;          /*   its type, */
    bool top_desc;             /*   and whether it takes the largest */
} AiqScanSpec;

/* A running top's current N-th value of its first key, published to the
 * reader below it (AiqScanSpec.top says which column) so that the reader
 * drops rows that could never enter (the same strict test top itself
 * applies). The threshold only ever gets stricter, so a reader thread
 * seeing an older one keeps more rows, never fewer. */
typedef struct AiqTopHint {
    int col;             /* the column, in the table's schema */
    AiqType type;        /* AIQ_TYPE_REAL or AIQ_TYPE_LONG */
    bool desc;
    _Atomic bool set;
    _Atomic int64_t bits; /* the long, or the double's bits */
} AiqTopHint;

/* Would a row whose key is x (not null) still enter the top? */
bool aiq_top_hint_keeps(const AiqTopHint *h, double xf, int64_t xi);

#endif
