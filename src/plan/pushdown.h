/*
 * pushdown.h -- which work of the operators just above a streaming scan the
 * reader can do while it has a line: the conjuncts of a `where` it can
 * test, and the running threshold of a `top`. The executor hands these to
 * the reader (AiqScanHints); --explain shows the same decisions, so what
 * it prints is what runs.
 */
#ifndef AIQ_PLAN_PUSHDOWN_H
#define AIQ_PLAN_PUSHDOWN_H

#include <stdbool.h>

#include "core/scan.h"
#include "plan/plan.h"

/* A hint for p when it is a `top` straight over a scan by a real or long
 * column (a new one, the caller frees it), else NULL. */
AiqTopHint *aiq_pushdown_top_hint(const AiqPlan *p);
/* Whether p is a `where` with only other wheres between it and a scan. */
bool aiq_pushdown_filter(const AiqPlan *p);
/* Appends to *preds (n, cap: aiq_grow_array's) the conjuncts of e of the
 * form `column op constant`, either way round, that the reader can test
 * exactly as the comparison kernels do. */
void aiq_pushdown_preds(const AiqExpr *e, AiqRowPred **preds, int *n, int *cap);

#endif
