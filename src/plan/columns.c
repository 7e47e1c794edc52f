/*
 * columns.c -- required-column analysis (see columns.h). For each operator,
 * given which of its output columns are needed, it works out which input
 * columns are: a projection needs what its needed expressions read, a filter
 * adds its predicate's columns, summarize needs its keys and aggregate
 * arguments, a join splits the needs between its sides and adds its keys.
 * Shared lets are materialized once for every use, so they keep all columns.
 * Alongside, it records which constant keys of each dynamic column are read,
 * following the column through projections that pass it on unchanged, and
 * whether the column's whole value is only carried to the result (output)
 * or also read by some expression (all).
 */
#include "plan/columns.h"

#include <string.h>

#include "func/registry.h"

typedef struct Needs {
    AiqScanNeeds *list;
    int n, cap;
    AiqArena *arena;
    int *seen;       /* by slot: the mark_expr_keys pass that last visited it */
    int nslots, pass;
    bool *shared_seen; /* by shared id: that let's input was walked already */
} Needs;

/* The needs of a plan's columns: needed, and for dynamic ones which keys. */
typedef struct Req {
    bool *needed;
    AiqKeyFilter *keys;
} Req;

static void add_key(Needs *nd, AiqKeyFilter *f, const char *key)
{
    if (f->all)
        return;
    for (int i = 0; i < f->nkeys; i++)
        if (strcmp(f->keys[i], key) == 0)
            return;
    f->keys = aiq_arena_grow(nd->arena, f->keys, f->nkeys, &f->cap, sizeof *f->keys, 4);
    f->keys[f->nkeys++] = key;
}

/* Merges filter src into dst (the union of the keys, or all). */
static void merge_keys(Needs *nd, AiqKeyFilter *dst, const AiqKeyFilter *src)
{
    dst->output |= src->output;
    dst->indirect |= src->indirect;
    if (src->all) {
        dst->all = true;
        return;
    }
    for (int i = 0; i < src->nkeys; i++)
        add_key(nd, dst, src->keys[i]);
}

/* mark_expr_keys()'s walk: down args[0] in a loop, into the other
 * arguments by recursion (bounded: AIQ_MAX_EXPR_DEPTH), each slot once. */
static void mark_walk(Needs *nd, const AiqExpr *e, Req r, bool direct)
{
    for (;;) {
        if (e->slot > 0 && e->slot <= nd->nslots) {
            if (nd->seen[e->slot] == nd->pass)
                return; /* a let value reached again (let s2 = strcat(s1, s1)) */
            nd->seen[e->slot] = nd->pass;
        }
        if (e->kind == AIQ_E_COLUMN) {
            r.needed[e->col] = true;
            r.keys[e->col].all = true;
            return;
        }
        if (e->kind != AIQ_E_CALL || e->nargs == 0)
            return;
        /* d["key"] with a constant key reads only that key of column d */
        if (e->fn->id == AIQ_FN_INDEX && e->args[0]->kind == AIQ_E_COLUMN && e->args[1]->kind == AIQ_E_CONST &&
            e->args[1]->type == AIQ_TYPE_STRING) {
            int c = e->args[0]->col;
            r.needed[c] = true;
            r.keys[c].indirect |= !direct;
            add_key(nd, &r.keys[c], aiq_arena_strndup(nd->arena, e->args[1]->value.str.ptr, e->args[1]->value.str.len));
            return;
        }
        for (int i = 1; i < e->nargs; i++)
            mark_walk(nd, e->args[i], r, direct);
        e = e->args[0];
    }
}

/* Marks in r the columns (and keys of dynamic columns) e reads. direct: e
 * is evaluated on chunks straight from a scan, where the reader's key
 * vectors are (see AiqChunk). */
static void mark_expr_keys(Needs *nd, const AiqExpr *e, Req r, bool direct)
{
    nd->pass++;
    mark_walk(nd, e, r, direct);
}

typedef enum { NEED_NONE, NEED_ALL, NEED_OUTPUT } NeedMode;

/* Needs of n columns: none; every column read whole (all); or every column
 * going to the result unchanged (output: the root of the plan). */
static Req fresh(Needs *nd, int n, NeedMode mode)
{
    Req r;
    r.needed = aiq_arena_alloc(nd->arena, sizeof *r.needed * (size_t)(n + 1));
    memset(r.needed, mode != NEED_NONE, sizeof *r.needed * (size_t)(n + 1));
    r.keys = aiq_arena_calloc(nd->arena, sizeof *r.keys * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        r.keys[i].all = mode == NEED_ALL;
        r.keys[i].output = mode == NEED_OUTPUT;
    }
    return r;
}

/* Input column j takes on output column i's needs (a column passed on). */
static void pass(Needs *nd, Req in, int j, Req out, int i)
{
    if (!out.needed[i])
        return;
    in.needed[j] = true;
    merge_keys(nd, &in.keys[j], &out.keys[i]);
}

static void record_scan(Needs *nd, const AiqPlan *p, Req req)
{
    AiqScanNeeds *s = NULL;
    for (int i = 0; i < nd->n && !s; i++)
        if (strcmp(nd->list[i].table, p->table) == 0 && nd->list[i].ncols == p->schema.ncols)
            s = &nd->list[i];
    if (!s) {
        nd->list = aiq_arena_grow(nd->arena, nd->list, nd->n, &nd->cap, sizeof *nd->list, 4);
        s = &nd->list[nd->n++];
        s->table = p->table;
        s->ncols = p->schema.ncols;
        Req r = fresh(nd, p->schema.ncols, NEED_NONE);
        s->needed = r.needed;
        s->keys = r.keys;
    }
    for (int c = 0; c < p->schema.ncols; c++) {
        Req dst = {s->needed, s->keys};
        pass(nd, dst, c, req, c);
    }
}

/* p's chunks are a scan's own, passed on by where and take at most. */
static bool straight_from_scan(const AiqPlan *p)
{
    while (p && (p->kind == AIQ_P_FILTER || p->kind == AIQ_P_TAKE))
        p = p->input;
    return p && p->kind == AIQ_P_SCAN;
}

/* Works out the needs of p's input (and right side, union inputs) from
 * req, the needs of p's columns, then goes on down: the input chain in a
 * loop (it is as long as the query), the other sides by recursion. */
static bool walk_one(Needs *nd, const AiqPlan *p, Req req, Req *below);

static void walk(Needs *nd, const AiqPlan *p, Req req)
{
    for (; p; p = p->input) {
        Req r;
        if (!walk_one(nd, p, req, &r))
            return;
        req = r;
    }
}

/* walk()'s step: false when nothing below p needs visiting. */
static bool walk_one(Needs *nd, const AiqPlan *p, Req req, Req *below)
{
    const AiqPlan *in = p->input;
    int nin = in ? in->schema.ncols : 0;
    Req r = fresh(nd, nin, NEED_NONE);
    /* where, extend/project and summarize evaluate on their input's chunks */
    bool direct = (p->kind == AIQ_P_FILTER || p->kind == AIQ_P_PROJECT || p->kind == AIQ_P_SUMMARIZE) && straight_from_scan(in);
    switch (p->kind) {
    case AIQ_P_SCAN: record_scan(nd, p, req); return false;
    case AIQ_P_VALUES:
    case AIQ_P_RANGE: return false;
    case AIQ_P_FILTER:
    case AIQ_P_TAKE:
    case AIQ_P_SORT:
    case AIQ_P_TOP:
        for (int c = 0; c < nin; c++)
            pass(nd, r, c, req, c);
        for (int i = 0; i < p->nexprs; i++)
            mark_expr_keys(nd, p->exprs[i], r, direct);
        break;
    case AIQ_P_PROJECT:
        for (int i = 0; i < p->nexprs; i++) {
            if (!req.needed[i])
                continue;
            if (p->exprs[i]->kind == AIQ_E_COLUMN) /* passed on unchanged: keep its key needs */
                pass(nd, r, p->exprs[i]->col, req, i);
            else
                mark_expr_keys(nd, p->exprs[i], r, direct);
        }
        break;
    case AIQ_P_SUMMARIZE:
        for (int i = 0; i < p->nexprs; i++)
            mark_expr_keys(nd, p->exprs[i], r, direct);
        for (int a = 0; a < p->naggs; a++) {
            const AiqAgg *ag = &p->aggs[a];
            if (ag->arg)
                mark_expr_keys(nd, ag->arg, r, direct);
            if (ag->pred)
                mark_expr_keys(nd, ag->pred, r, direct);
            if (ag->arg2)
                mark_expr_keys(nd, ag->arg2, r, direct);
            for (int e = 0; e < ag->nextra; e++)
                mark_expr_keys(nd, ag->extra[e], r, direct);
        }
        break;
    case AIQ_P_JOIN: {
        int k = p->join_kind;
        bool right_only = k == AIQ_JOIN_RIGHTANTI || k == AIQ_JOIN_RIGHTSEMI;
        bool left_only = k == AIQ_JOIN_LEFTANTI || k == AIQ_JOIN_LEFTSEMI;
        Req rr = fresh(nd, p->right->schema.ncols, NEED_NONE);
        int off = right_only ? 0 : nin;
        if (!right_only)
            for (int c = 0; c < nin; c++)
                pass(nd, r, c, req, c);
        if (!left_only)
            for (int c = 0; c < p->nright_cols; c++)
                pass(nd, rr, p->right_cols[c], req, off + c);
        for (int i = 0; i < p->nkeys; i++) {
            r.needed[p->left_keys[i]] = rr.needed[p->right_keys[i]] = true;
            r.keys[p->left_keys[i]].all = rr.keys[p->right_keys[i]].all = true;
        }
        walk(nd, p->right, rr);
        break;
    }
    case AIQ_P_UNION:
        for (int i = 0; i < p->ninputs; i++) {
            Req ri = fresh(nd, p->inputs[i]->schema.ncols, NEED_NONE);
            for (int j = 0; j < p->schema.ncols; j++)
                if (p->maps[i][j] >= 0)
                    pass(nd, ri, p->maps[i][j], req, j);
            walk(nd, p->inputs[i], ri);
        }
        return false;
    case AIQ_P_SUBQUERIES: /* its columns are its input's; each subquery gives its first column */
        for (int c = 0; c < nin; c++)
            pass(nd, r, c, req, c);
        for (int i = 0; i < p->ninputs; i++)
            walk(nd, p->inputs[i], fresh(nd, p->inputs[i]->schema.ncols, NEED_ALL));
        break;
    case AIQ_P_SHARED: /* every column, whole; walked once however often it is used */
        if (nd->shared_seen[p->shared_id])
            return false;
        nd->shared_seen[p->shared_id] = true;
        r = fresh(nd, nin, NEED_ALL);
        break;
    default: /* mv-expand, parse: every column, whole */
        r = fresh(nd, nin, NEED_ALL);
        if (p->right) /* mv-apply's subquery */
            walk(nd, p->right, fresh(nd, p->right->schema.ncols, NEED_ALL));
        for (int i = 0; i < p->ninputs; i++) /* top-nested's levels */
            walk(nd, p->inputs[i], fresh(nd, p->inputs[i]->schema.ncols, NEED_ALL));
        break;
    }
    *below = r;
    return in != NULL;
}

AiqScanNeeds *aiq_plan_needed_columns(const AiqPlan *root, AiqArena *arena, int *n)
{
    Needs nd = {.arena = arena, .nslots = root->nslots};
    nd.seen = aiq_arena_calloc(arena, sizeof *nd.seen * (size_t)(root->nslots + 1));
    nd.shared_seen = aiq_arena_calloc(arena, sizeof *nd.shared_seen * (size_t)(root->nshared + 1));
    walk(&nd, root, fresh(&nd, root->schema.ncols, NEED_OUTPUT));
    *n = nd.n;
    return nd.list;
}
