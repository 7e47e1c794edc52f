/*
 * columns.c -- required-column analysis (see columns.h). For each operator,
 * given which of its output columns are needed, it works out which input
 * columns are: a projection needs what its needed expressions read, a filter
 * adds its predicate's columns, summarize needs its keys and aggregate
 * arguments, a join splits the needs between its sides and adds its keys.
 * Shared lets are materialized once for every use, so they keep all columns.
 */
#include "columns.h"

#include <string.h>

typedef struct Needs {
    AiqScanNeeds *list;
    int n, cap;
    AiqArena *arena;
} Needs;

static void mark_expr(const AiqExpr *e, bool *req)
{
    if (e->kind == AIQ_E_COLUMN)
        req[e->col] = true;
    for (int i = 0; i < e->nargs; i++)
        mark_expr(e->args[i], req);
}

static bool *fresh(Needs *nd, int n, bool all)
{
    bool *r = aiq_arena_alloc(nd->arena, sizeof *r * (size_t)(n + 1));
    memset(r, all, sizeof *r * (size_t)(n + 1));
    return r;
}

static void record_scan(Needs *nd, const AiqPlan *p, const bool *req)
{
    for (int i = 0; i < nd->n; i++)
        if (strcmp(nd->list[i].table, p->table) == 0) {
            for (int c = 0; c < p->schema.ncols && c < nd->list[i].ncols; c++)
                nd->list[i].needed[c] |= req[c];
            return;
        }
    if (nd->n == nd->cap) {
        int cap = nd->cap ? nd->cap * 2 : 4;
        AiqScanNeeds *l = aiq_arena_alloc(nd->arena, sizeof *l * (size_t)cap);
        if (nd->n)
            memcpy(l, nd->list, sizeof *l * (size_t)nd->n);
        nd->list = l;
        nd->cap = cap;
    }
    AiqScanNeeds *s = &nd->list[nd->n++];
    s->table = p->table;
    s->ncols = p->schema.ncols;
    s->needed = fresh(nd, p->schema.ncols, false);
    memcpy(s->needed, req, sizeof *req * (size_t)p->schema.ncols);
}

static void walk(Needs *nd, const AiqPlan *p, const bool *req)
{
    const AiqPlan *in = p->input;
    int nin = in ? in->schema.ncols : 0;
    bool *r = in ? fresh(nd, nin, false) : NULL;
    switch (p->kind) {
    case AIQ_P_SCAN: record_scan(nd, p, req); return;
    case AIQ_P_VALUES:
    case AIQ_P_RANGE: return;
    case AIQ_P_FILTER:
        memcpy(r, req, sizeof *r * (size_t)nin);
        mark_expr(p->exprs[0], r);
        break;
    case AIQ_P_PROJECT:
        for (int i = 0; i < p->nexprs; i++)
            if (req[i])
                mark_expr(p->exprs[i], r);
        break;
    case AIQ_P_SUMMARIZE:
        for (int i = 0; i < p->nexprs; i++)
            mark_expr(p->exprs[i], r);
        for (int a = 0; a < p->naggs; a++) {
            const AiqAgg *ag = &p->aggs[a];
            if (ag->arg)
                mark_expr(ag->arg, r);
            if (ag->pred)
                mark_expr(ag->pred, r);
            for (int e = 0; e < ag->nextra; e++)
                mark_expr(ag->extra[e], r);
        }
        break;
    case AIQ_P_SORT:
    case AIQ_P_TOP:
        memcpy(r, req, sizeof *r * (size_t)nin);
        for (int i = 0; i < p->nexprs; i++)
            mark_expr(p->exprs[i], r);
        break;
    case AIQ_P_TAKE: memcpy(r, req, sizeof *r * (size_t)nin); break;
    case AIQ_P_JOIN: {
        int k = p->join_kind;
        bool right_only = k == AIQ_JOIN_RIGHTANTI || k == AIQ_JOIN_RIGHTSEMI;
        bool left_only = k == AIQ_JOIN_LEFTANTI || k == AIQ_JOIN_LEFTSEMI;
        bool *rr = fresh(nd, p->right->schema.ncols, false);
        int off = right_only ? 0 : nin;
        if (!right_only)
            memcpy(r, req, sizeof *r * (size_t)nin);
        if (!left_only)
            for (int c = 0; c < p->nright_cols; c++)
                if (req[off + c])
                    rr[p->right_cols[c]] = true;
        for (int i = 0; i < p->nkeys; i++) {
            r[p->left_keys[i]] = true;
            rr[p->right_keys[i]] = true;
        }
        walk(nd, p->right, rr);
        break;
    }
    case AIQ_P_UNION:
        for (int i = 0; i < p->ninputs; i++) {
            bool *ri = fresh(nd, p->inputs[i]->schema.ncols, false);
            for (int j = 0; j < p->schema.ncols; j++)
                if (req[j] && p->maps[i][j] >= 0)
                    ri[p->maps[i][j]] = true;
            walk(nd, p->inputs[i], ri);
        }
        return;
    case AIQ_P_MV_EXPAND:
        memcpy(r, req, sizeof *r * (size_t)nin);
        for (int i = 0; i < p->nexpand; i++)
            r[p->expand_cols[i]] = true;
        break;
    case AIQ_P_PARSE: {
        int base = nin - 1; /* the input's last column is the parsed text */
        for (int j = 0; j < base; j++)
            r[j] = req[j];
        r[(int)p->limit] = true;
        break;
    }
    case AIQ_P_SHARED: memset(r, 1, sizeof *r * (size_t)nin); break;
    default: memset(r, 1, sizeof *r * (size_t)nin); break;
    }
    if (in)
        walk(nd, in, r);
}

AiqScanNeeds *aiq_plan_needed_columns(const AiqPlan *root, AiqArena *arena, int *n)
{
    Needs nd = {.arena = arena};
    walk(&nd, root, fresh(&nd, root->schema.ncols, true));
    *n = nd.n;
    return nd.list;
}
