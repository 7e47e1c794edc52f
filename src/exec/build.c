/*
 * build.c -- a plan's operator tree: one case per kind of plan node, each
 * operator building its own inputs. What the scans read was decided before,
 * by physical planning (plan/physical.c), and is on the scan nodes.
 */
#include "exec/op.h"

/* The operator of p, not yet counted for --timing. */
static AiqOp *build_kind(AiqExecCtx *ex, const AiqPlan *p)
{
    switch (p->kind) {
    case AIQ_P_SCAN: return aiq_op_scan(ex, p, NULL);
    case AIQ_P_VALUES: return aiq_op_values(ex, p);
    case AIQ_P_RANGE: return aiq_op_range(ex, p);
    case AIQ_P_FILTER: return aiq_op_filter(ex, p);
    case AIQ_P_PROJECT: return aiq_op_project(ex, p);
    case AIQ_P_SUMMARIZE: return aiq_op_summarize(ex, p);
    case AIQ_P_SORT:
    case AIQ_P_TOP: return aiq_op_sort(ex, p);
    case AIQ_P_TAKE: return aiq_op_take(ex, p);
    case AIQ_P_JOIN: return aiq_op_join(ex, p);
    case AIQ_P_UNION: return aiq_op_union(ex, p);
    case AIQ_P_MV_EXPAND: return aiq_op_mv_expand(ex, p);
    case AIQ_P_PARSE: return aiq_op_parse(ex, p);
    case AIQ_P_SHARED: return aiq_op_shared(ex, p);
    case AIQ_P_SUBQUERIES: return aiq_op_subqueries(ex, p);
    case AIQ_P_SAMPLE: return aiq_op_sample(ex, p);
    case AIQ_P_EXTERNAL: return aiq_op_external(ex, p);
    case AIQ_P_MV_APPLY: return aiq_op_mv_apply(ex, p);
    case AIQ_P_APPLY_ROWS: return aiq_op_apply_rows(ex, p);
    case AIQ_P_EVALUATE: return aiq_op_evaluate(ex, p);
    case AIQ_P_COMPUTED: return aiq_op_computed(ex, p);
    case AIQ_P_TOP_NESTED: return aiq_op_top_nested(ex, p);
    case AIQ_P_WINDOW: return aiq_op_window(ex, p);
    case AIQ_P_SCAN_STEPS: return aiq_op_scan_steps(ex, p);
    case AIQ_P_PARSE_KV: return aiq_op_parse_kv(ex, p);
    case AIQ_P_MAKE_SERIES: return aiq_op_make_series(ex, p);
    case AIQ_P_KIND_COUNT: break;
    }
    aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "operator '%s' cannot run yet", aiq_plan_kind_name(p->kind));
    return NULL;
}

AiqOp *aiq_op_build(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_count(ex, build_kind(ex, p), p);
}
