/*
 * columns.h -- projection pushdown: which columns of each scanned table a
 * plan needs. Walks the plan from the root (every result column needed)
 * down to the scans, so the reader materializes only those columns.
 */
#ifndef AIQ_PLAN_COLUMNS_H
#define AIQ_PLAN_COLUMNS_H

#include <stdbool.h>

#include "plan/plan.h"
#include "util/arena.h"

/* The keys of a dynamic column a query reads: when it only ever indexes the
 * column with constant keys (d["k"], d.k), the reader can keep just those. */
typedef struct AiqKeyFilter {
    bool all;          /* the whole value is used somewhere */
    bool output;       /* the whole value reaches the result unchanged (no expression reads it) */
    bool indirect;     /* a key is read by an operator not fed straight by the scan */
    const char **keys; /* otherwise, the top-level keys used */
    int nkeys, cap;
} AiqKeyFilter;

typedef struct AiqScanNeeds {
    const char *table;
    bool *needed;        /* one per column of the table's schema */
    AiqKeyFilter *keys;  /* one per column: meaningful for needed dynamic columns */
    int ncols;
} AiqScanNeeds;

/* A needed dynamic column that only travels to the result unchanged: the
 * reader may keep its JSON text instead of building a value. */
static inline bool aiq_key_filter_text_only(const AiqKeyFilter *f)
{
    return !f->all && f->output && f->nkeys == 0;
}

/* A dynamic column read only as d["key"] by operators fed straight by its
 * scan (where, extend/project, summarize, through where and take): the
 * reader's key vectors serve every read, so the object need not be built. */
static inline bool aiq_key_filter_vectors_only(const AiqKeyFilter *f)
{
    return !f->all && !f->output && !f->indirect && f->nkeys > 0;
}

/* Returns, for each table the plan scans, the columns it needs (the union
 * over every scan of that table). Allocated in arena; *n is the count. */
AiqScanNeeds *aiq_plan_needed_columns(const AiqPlan *root, AiqArena *arena, int *n);

#endif
