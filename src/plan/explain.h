/*
 * explain.h -- renders a bound plan as an indented operator tree with the
 * output columns and types of every operator (aiq --explain).
 */
#ifndef AIQ_PLAN_EXPLAIN_H
#define AIQ_PLAN_EXPLAIN_H

#include "plan/plan.h"
#include "util/strbuf.h"

/* Appends the plan tree to out, with what physical planning decided
 * (aiq_plan_physical, which must have run): the columns (and keys of
 * dynamic columns) each scan reads, the conjuncts and top thresholds its
 * reader tests. */
void aiq_explain_plan(AiqStrBuf *out, const AiqPlan *plan);
/* Appends one expression in KQL-like notation, with column names from schema. */
void aiq_explain_expr(AiqStrBuf *out, const AiqExpr *e, const AiqSchema *schema);

#endif
