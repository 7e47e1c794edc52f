/*
 * pushdown.c -- what the reader does for the operators above a scan (see
 * pushdown.h).
 */
#include "plan/pushdown.h"

#include <string.h>

#include "func/registry.h"
#include "util/mem.h"

AiqTopHint *aiq_pushdown_top_hint(const AiqPlan *p)
{
    if (p->kind != AIQ_P_TOP || !p->input || p->input->kind != AIQ_P_SCAN || p->nexprs < 1 || p->limit <= 0 ||
        p->exprs[0]->kind != AIQ_E_COLUMN || (p->exprs[0]->type != AIQ_TYPE_REAL && p->exprs[0]->type != AIQ_TYPE_LONG))
        return NULL;
    AiqTopHint *h = aiq_xcalloc(1, sizeof *h);
    h->col = p->exprs[0]->col;
    h->type = p->exprs[0]->type;
    h->desc = (p->sort_flags[0] & AIQ_SORT_DESC) != 0;
    return h;
}

bool aiq_pushdown_filter(const AiqPlan *p)
{
    if (p->kind != AIQ_P_FILTER)
        return false;
    do
        p = p->input;
    while (p && p->kind == AIQ_P_FILTER);
    return p && p->kind == AIQ_P_SCAN;
}

static bool is_and(const AiqExpr *e)
{
    return e->kind == AIQ_E_CALL && e->nargs == 2 && e->fn->id == AIQ_FN_AND;
}

static void push_conjunct(const AiqExpr *e, AiqRowPred **preds, int *n, int *cap);

void aiq_pushdown_preds(const AiqExpr *e, AiqRowPred **preds, int *n, int *cap)
{
    /* ((a and b) and c): the chain is left-deep and as long as the query;
     * its conjuncts in order are the bottom, then each right operand up */
    int len = 0;
    for (const AiqExpr *x = e; is_and(x); x = x->args[0])
        len++;
    const AiqExpr **ands = aiq_xmalloc(sizeof *ands * (size_t)(len + 1));
    const AiqExpr *bottom = e;
    for (int k = len; is_and(bottom); bottom = bottom->args[0])
        ands[--k] = bottom;
    push_conjunct(bottom, preds, n, cap);
    for (int k = 0; k < len; k++)
        aiq_pushdown_preds(ands[k]->args[1], preds, n, cap);
    aiq_xfree(ands);
}

/* Appends e when it is `column op constant` the reader can test. */
static void push_conjunct(const AiqExpr *e, AiqRowPred **preds, int *n, int *cap)
{
    AiqCmpOp op;
    if (e->kind != AIQ_E_CALL || e->nargs != 2 || !aiq_func_cmp_op(e->fn->id, &op))
        return;
    const AiqExpr *col = e->args[0], *cst = e->args[1];
    if (col->kind == AIQ_E_CONST && cst->kind == AIQ_E_COLUMN) {
        const AiqExpr *t = col;
        col = cst;
        cst = t;
        op = aiq_cmp_flip(op);
    }
    if (col->kind != AIQ_E_COLUMN || cst->kind != AIQ_E_CONST || cst->value.isnull)
        return;
    AiqRowPred pr = {.col = col->col, .type = col->type, .op = op, .conjunct = e};
    bool num_col = col->type == AIQ_TYPE_REAL || col->type == AIQ_TYPE_LONG;
    bool num_cst = cst->type == AIQ_TYPE_REAL || cst->type == AIQ_TYPE_LONG;
    if (num_col && num_cst) {
        pr.real = col->type == AIQ_TYPE_REAL || cst->type == AIQ_TYPE_REAL;
        pr.f = cst->type == AIQ_TYPE_REAL ? cst->value.f64 : (double)cst->value.i64;
        pr.i = cst->value.i64;
    } else if (col->type == AIQ_TYPE_DATETIME && cst->type == AIQ_TYPE_DATETIME) {
        pr.i = cst->value.i64;
    } else if (col->type == AIQ_TYPE_STRING && cst->type == AIQ_TYPE_STRING && (op == AIQ_CMP_EQ || op == AIQ_CMP_NE)) {
        pr.s = cst->value.str;
    } else {
        return;
    }
    *preds = aiq_grow_array(*preds, *n, cap, sizeof **preds);
    (*preds)[(*n)++] = pr;
}
