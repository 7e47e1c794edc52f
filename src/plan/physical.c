/*
 * physical.c -- physical planning (see physical.h). Three passes over the
 * plan: unsharing (a DAG becomes the tree the executor builds), the
 * columns and keys each table's scans need (plan/columns.c), and, per
 * scan, what its reader does for the operators right above it:
 *
 *   where   the `column op constant` conjuncts of wheres with only wheres
 *           between them and the scan; a row one of them is false for is
 *           dropped while the line is read (the where still decides every
 *           row the reader keeps, with the same comparison: core/compare.h);
 *   top     a top straight over the scan by a real or long column: the
 *           reader drops rows that sort after its running N-th value
 *           (a sort straight under a take is a top first: sort_take_top);
 *   keys    a dynamic column read only through constant keys keeps just
 *           those keys, up to 64 of them as key vectors (d["key"] made
 *           while the line is at hand), and one only carried to the
 *           result keeps its JSON text.
 */
#include "plan/physical.h"

#include <string.h>

#include "func/registry.h"
#include "plan/columns.h"
#include "util/mem.h"

/* At most this many keys of a dynamic column become key vectors: each is a
 * column the reader fills on every line. */
enum { MAX_KEY_VECTORS = 64 };

/* ---- unsharing --------------------------------------------------------- */

/* A set of plan nodes met so far (open addressing on their addresses). */
typedef struct NodeSet {
    const AiqPlan **slots;
    size_t cap, n;
} NodeSet;

static size_t node_hash(const AiqPlan *p) { return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ULL); }

/* Adds p; false when it was there already. */
static bool node_add(NodeSet *s, AiqArena *arena, const AiqPlan *p)
{
    if ((s->n + 1) * 2 > s->cap) {
        NodeSet grown = {aiq_arena_calloc(arena, sizeof *grown.slots * (s->cap ? s->cap * 2 : 64)),
                         s->cap ? s->cap * 2 : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                node_add(&grown, arena, s->slots[i]);
        *s = grown;
    }
    size_t i = node_hash(p) & (s->cap - 1);
    for (; s->slots[i]; i = (i + 1) & (s->cap - 1))
        if (s->slots[i] == p)
            return false;
    s->slots[i] = p;
    s->n++;
    return true;
}

/* A copy of node p; a union's list of inputs is copied too, as its
 * entries are about to be replaced. */
static AiqPlan *copy_node(AiqArena *arena, const AiqPlan *p)
{
    AiqPlan *c = aiq_arena_alloc(arena, sizeof *c);
    *c = *p;
    if (p->ninputs) {
        c->inputs = aiq_arena_alloc(arena, sizeof *c->inputs * (size_t)p->ninputs);
        memcpy(c->inputs, p->inputs, sizeof *c->inputs * (size_t)p->ninputs);
    }
    return c;
}

/* p as a tree: a node met before is copied (with everything below it, met
 * before too). The input chain is as long as the query: a loop walks it,
 * recursion only goes into join right sides and union inputs. */
static AiqPlan *unshare(NodeSet *seen, AiqArena *arena, AiqPlan *p)
{
    AiqPlan *top = NULL, *prev = NULL;
    for (AiqPlan *q = p; q;) {
        AiqPlan *cur = q;
        bool first = node_add(seen, arena, cur);
        bool descend = true;
        if (cur->kind == AIQ_P_SHARED)
            descend = first; /* one let, one tree: walked at its first use only */
        else if (!first)
            cur = copy_node(arena, cur);
        if (prev)
            prev->input = cur;
        else
            top = cur;
        if (descend) {
            if (cur->right)
                cur->right = unshare(seen, arena, cur->right);
            for (int i = 0; i < cur->ninputs; i++)
                cur->inputs[i] = unshare(seen, arena, cur->inputs[i]);
        }
        prev = cur;
        q = descend ? cur->input : NULL;
    }
    return top;
}

/* ---- wheres before projections ------------------------------------------ */

/* A where over an extend or project that reads only columns the projection
 * passes through unchanged goes below it (`extend x = f(y) | where z > 5`
 * is where z > 5 first): it then meets the scan, whose reader tests it,
 * and the projection computes only the rows kept. Predicates this small at
 * most are moved; one with a shared let value (a slot) stays where it is. */
enum { MAX_MOVED_NODES = 256 };

/* Counts e's nodes into *n, up to the bound; false when e cannot move: a
 * slot, or a column the projection computes (sources[col] < 0). */
static bool movable(const AiqExpr *e, const int *sources, int *n)
{
    if (++*n > MAX_MOVED_NODES || e->slot > 0)
        return false;
    if (e->kind == AIQ_E_COLUMN)
        return sources[e->col] >= 0;
    for (int i = 0; i < e->nargs; i++)
        if (!movable(e->args[i], sources, n))
            return false;
    return true;
}

/* A copy of e reading the projection's input: column c becomes sources[c].
 * Compiled state (aux) is not copied: the copy compiles its own. */
static AiqExpr *below(const AiqExpr *e, const int *sources, AiqArena *arena)
{
    AiqExpr *c = aiq_arena_alloc(arena, sizeof *c);
    *c = *e;
    c->aux = NULL;
    if (e->kind == AIQ_E_COLUMN)
        c->col = sources[e->col];
    if (e->nargs) {
        c->args = aiq_arena_alloc(arena, sizeof *c->args * (size_t)e->nargs);
        for (int i = 0; i < e->nargs; i++)
            c->args[i] = below(e->args[i], sources, arena);
    }
    return c;
}

/* Moves the where f below the projection under it when it can: the two
 * nodes trade places in memory, so whatever pointed at f now points at the
 * projection. true when it moved. */
static bool sink_filter(AiqPlan *f, AiqArena *arena)
{
    AiqPlan *proj = f->input;
    if (f->kind != AIQ_P_FILTER || !proj || proj->kind != AIQ_P_PROJECT || proj->nexprs != proj->schema.ncols)
        return false;
    int *sources = aiq_arena_alloc(arena, sizeof *sources * (size_t)(proj->nexprs + 1));
    for (int c = 0; c < proj->nexprs; c++) {
        const AiqExpr *x = proj->exprs[c];
        sources[c] = x->kind == AIQ_E_COLUMN && x->slot <= 0 ? x->col : -1;
    }
    int nodes = 0;
    if (!movable(f->exprs[0], sources, &nodes))
        return false;
    AiqExpr *pred = below(f->exprs[0], sources, arena);
    AiqPlan *under = proj->input;
    AiqPlan filter = *f;
    *f = *proj;          /* the projection, where the where was */
    *proj = filter;      /* the where, below it */
    proj->exprs = aiq_arena_alloc(arena, sizeof *proj->exprs);
    proj->exprs[0] = pred;
    proj->nexprs = 1;
    proj->schema = under->schema;
    proj->input = under;
    f->input = proj;
    return true;
}

/* Sinks every where of the tree as far as it goes (each node once). */
static void sink_filters(NodeSet *seen, AiqArena *arena, AiqPlan *p)
{
    for (AiqPlan *q = p; q && node_add(seen, arena, q); q = q->input) {
        while (sink_filter(q, arena))
            ; /* q is the projection now; its where goes on below */
        if (q->right)
            sink_filters(seen, arena, q->right);
        for (int i = 0; i < q->ninputs; i++)
            sink_filters(seen, arena, q->inputs[i]);
    }
}

/* ---- what each scan reads ---------------------------------------------- */

/* The reader's keys of each column from the needs of a table's scans: a
 * dynamic column read only through constant keys keeps those keys, and as
 * key vectors when there are few; one output whole and read by key too is
 * built whole. */
static AiqColumnKeys *column_keys(const AiqScanNeeds *sn, AiqArena *arena)
{
    AiqColumnKeys *keys = aiq_arena_calloc(arena, sizeof *keys * (size_t)(sn->ncols + 1));
    for (int c = 0; c < sn->ncols; c++) {
        const AiqKeyFilter *f = &sn->keys[c];
        keys[c].n = f->all || (f->output && f->nkeys) ? -1 : f->nkeys;
        keys[c].text_only = aiq_key_filter_text_only(f);
        keys[c].key_vectors = keys[c].n > 0 && keys[c].n <= MAX_KEY_VECTORS;
        keys[c].vectors_only = keys[c].key_vectors && aiq_key_filter_vectors_only(f);
        keys[c].keys = f->keys;
    }
    return keys;
}

/* ---- what a reader does for the operators above it ---------------------- */

/* Whether p is a `where` with only other wheres between it and a scan;
 * the scan, or NULL. */
static AiqPlan *filter_scan(const AiqPlan *p)
{
    if (p->kind != AIQ_P_FILTER)
        return NULL;
    do
        p = p->input;
    while (p && p->kind == AIQ_P_FILTER);
    return p && p->kind == AIQ_P_SCAN ? (AiqPlan *)p : NULL;
}

static bool is_and(const AiqExpr *e)
{
    return e->kind == AIQ_E_CALL && e->nargs == 2 && e->fn->id == AIQ_FN_AND;
}

/* The reader's form of conjunct e when it is `column op constant` (either
 * way round) that the reader can test exactly as the comparison kernels
 * do: a real, long, datetime or (== and != only) string column. */
static bool row_pred(const AiqExpr *e, AiqRowPred *pr)
{
    AiqCmpOp op;
    if (e->kind != AIQ_E_CALL || e->nargs != 2 || !aiq_func_cmp_op(e->fn->id, &op))
        return false;
    const AiqExpr *col = e->args[0], *cst = e->args[1];
    if (col->kind == AIQ_E_CONST && cst->kind == AIQ_E_COLUMN) {
        const AiqExpr *t = col;
        col = cst;
        cst = t;
        op = aiq_cmp_flip(op);
    }
    if (col->kind != AIQ_E_COLUMN || cst->kind != AIQ_E_CONST || cst->value.isnull)
        return false;
    *pr = (AiqRowPred){.col = col->col, .type = col->type, .op = op};
    bool num_col = col->type == AIQ_TYPE_REAL || col->type == AIQ_TYPE_LONG;
    bool num_cst = cst->type == AIQ_TYPE_REAL || cst->type == AIQ_TYPE_LONG;
    if (num_col && num_cst) {
        pr->real = col->type == AIQ_TYPE_REAL || cst->type == AIQ_TYPE_REAL;
        pr->f = cst->type == AIQ_TYPE_REAL ? cst->value.f64 : (double)cst->value.i64;
        pr->i = cst->value.i64;
        return true;
    }
    if (col->type == AIQ_TYPE_DATETIME && cst->type == AIQ_TYPE_DATETIME) {
        pr->i = cst->value.i64;
        return true;
    }
    if (col->type == AIQ_TYPE_STRING && cst->type == AIQ_TYPE_STRING && (op == AIQ_CMP_EQ || op == AIQ_CMP_NE)) {
        pr->s = cst->value.str;
        return true;
    }
    return false;
}

/* A growing list of a scan's predicates, and of one filter's conjuncts. */
typedef struct Pushed {
    AiqRowPred *preds;
    int npreds, cap;
    const AiqExpr **conjuncts;
    int nconj, capconj;
} Pushed;

static void push_conjunct(const AiqExpr *e, Pushed *ps, AiqArena *arena)
{
    AiqRowPred pr;
    if (!row_pred(e, &pr))
        return;
    ps->preds = aiq_arena_grow(arena, ps->preds, ps->npreds, &ps->cap, sizeof *ps->preds, 8);
    ps->preds[ps->npreds++] = pr;
    ps->conjuncts = aiq_arena_grow(arena, ps->conjuncts, ps->nconj, &ps->capconj, sizeof *ps->conjuncts, 8);
    ps->conjuncts[ps->nconj++] = e;
}

/* The conjuncts of e in order: ((a and b) and c) is left-deep and as long
 * as the query, so the chain is walked: its bottom, then each right
 * operand up. */
static void push_conjuncts(const AiqExpr *e, Pushed *ps, AiqArena *arena)
{
    int len = 0;
    for (const AiqExpr *x = e; is_and(x); x = x->args[0])
        len++;
    const AiqExpr **ands = aiq_xmalloc(sizeof *ands * (size_t)(len + 1));
    const AiqExpr *bottom = e;
    for (int k = len; is_and(bottom); bottom = bottom->args[0])
        ands[--k] = bottom;
    push_conjunct(bottom, ps, arena);
    for (int k = 0; k < len; k++)
        push_conjuncts(ands[k]->args[1], ps, arena);
    aiq_xfree(ands);
}

/* The wheres from p (the highest) down to scan: each keeps the list of its
 * own pushed conjuncts; the scan gets them all, the highest where's first.
 * The list grows (and moves) as the chain is walked, so each where first
 * notes where its conjuncts start and takes its pointer at the end. */
static void push_filters(AiqPlan *p, AiqPlan *scan, AiqArena *arena)
{
    Pushed ps = {0};
    for (AiqPlan *f = p; f != scan; f = f->input) {
        int first = ps.nconj;
        push_conjuncts(f->exprs[0], &ps, arena);
        f->npushed = ps.nconj - first;
        f->pushed = NULL;
    }
    int at = 0;
    for (AiqPlan *f = p; f != scan; f = f->input) {
        if (f->npushed)
            f->pushed = ps.conjuncts + at;
        at += f->npushed;
    }
    scan->scan->preds = ps.preds;
    scan->scan->npreds = ps.npreds;
}

/* A top straight over a scan by a plain real or long column of it. */
static void push_top(AiqPlan *p)
{
    const AiqPlan *in = p->input;
    if (p->kind != AIQ_P_TOP || !in || in->kind != AIQ_P_SCAN || p->nexprs < 1 || p->limit <= 0 ||
        p->exprs[0]->kind != AIQ_E_COLUMN || (p->exprs[0]->type != AIQ_TYPE_REAL && p->exprs[0]->type != AIQ_TYPE_LONG))
        return;
    AiqScanSpec *s = in->scan;
    s->top = true;
    s->top_col = p->exprs[0]->col;
    s->top_type = p->exprs[0]->type;
    s->top_desc = (p->sort_flags[0] & AIQ_SORT_DESC) != 0;
}

/* sort by K | take N as top N by K: one pass that keeps N rows, instead of
 * every row sorted (the seeds' "slowest requests" queries are written this
 * way). The rows are the same: both keep ties in their input order. The
 * take becomes the top, so that a second planning of the plan (the REPL
 * runs a query again) finds nothing to do. */
static void sort_take_top(AiqPlan *p)
{
    AiqPlan *sort = p->input;
    if (p->kind != AIQ_P_TAKE || !sort || sort->kind != AIQ_P_SORT)
        return;
    p->kind = AIQ_P_TOP;
    p->exprs = sort->exprs;
    p->nexprs = sort->nexprs;
    p->sort_flags = sort->sort_flags;
    p->input = sort->input;
}

typedef struct Phys {
    AiqArena *arena;
    AiqScanNeeds *needs;
    int nneeds;
    AiqColumnKeys **keys; /* by needs entry, made at first use */
} Phys;

/* The spec of scan p: its table's columns and keys, no predicates yet. */
static void spec_scan(Phys *ph, AiqPlan *p)
{
    AiqScanSpec *s = aiq_arena_calloc(ph->arena, sizeof *s);
    s->ncols = p->schema.ncols;
    for (int i = 0; i < ph->nneeds; i++) {
        if (strcmp(ph->needs[i].table, p->table) != 0 || ph->needs[i].ncols != p->schema.ncols)
            continue;
        if (!ph->keys[i])
            ph->keys[i] = column_keys(&ph->needs[i], ph->arena);
        s->needed = ph->needs[i].needed;
        s->keys = ph->keys[i];
    }
    p->scan = s;
}

/* Every scan gets its spec, then the operators above scans push their work
 * down (a where chain from its top only). Each node once: the plan is a
 * tree now, but for tabular lets used several times. */
static void visit(Phys *ph, NodeSet *seen, AiqPlan *p)
{
    int n = 0;
    for (AiqPlan *q = p; q; q = q->input)
        n++;
    AiqPlan **chain = aiq_xmalloc(sizeof *chain * (size_t)(n + 1));
    n = 0;
    for (AiqPlan *q = p; q && node_add(seen, ph->arena, q); q = q->input)
        chain[n++] = q;
    for (int j = n - 1; j >= 0; j--) { /* the scans below first */
        AiqPlan *q = chain[j];
        if (q->kind == AIQ_P_SCAN)
            spec_scan(ph, q);
        if (q->right)
            visit(ph, seen, q->right);
        for (int i = 0; i < q->ninputs; i++)
            visit(ph, seen, q->inputs[i]);
    }
    for (int j = 0; j < n; j++)
        sort_take_top(chain[j]);
    for (int j = 0; j < n; j++) {
        AiqPlan *q = chain[j], *scan = filter_scan(q);
        if (scan && !(j > 0 && chain[j - 1]->kind == AIQ_P_FILTER))
            push_filters(q, scan, ph->arena); /* from the highest where of the chain */
        push_top(q);
    }
    aiq_xfree(chain);
}

AiqPlan *aiq_plan_physical(AiqPlan *root, AiqArena *arena)
{
    NodeSet seen = {0};
    root = unshare(&seen, arena, root);
    NodeSet sunk = {0};
    sink_filters(&sunk, arena, root);
    Phys ph = {.arena = arena};
    ph.needs = aiq_plan_needed_columns(root, arena, &ph.nneeds);
    ph.keys = aiq_arena_calloc(arena, sizeof *ph.keys * (size_t)(ph.nneeds + 1));
    NodeSet visited = {0};
    visit(&ph, &visited, root);
    return root;
}
