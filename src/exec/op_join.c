/*
 * op_join.c -- join, by a hash on the right side (or, for a large inner
 * join, on the smaller side); the left side streams through chunk by
 * chunk, so only the build side is held in memory. Null keys never match.
 * Every kind of Kusto's: innerunique (the default: the first left row of
 * each key), inner, left/right/full outer, left/right semi and anti.
 */
#include "exec/op.h"

#include <string.h>

#include "core/keymap.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Encodes the join key of physical row i; false when any key is null. */
static bool vec_key(AiqStrBuf *key, AiqVector *const *cols, const int *keycols, int nkeys, uint32_t i)
{
    aiq_sb_clear(key);
    for (int k = 0; k < nkeys; k++) {
        AiqVector v = *cols[keycols[k]];
        if (aiq_vec_is_null(&v, i))
            return false;
        if (v.type == AIQ_TYPE_INT)
            v.type = AIQ_TYPE_LONG; /* int and long keys meet */
        aiq_key_append(key, &v, i);
    }
    return true;
}

typedef struct Join {
    AiqOp base;               /* input: the left side */
    AiqOp *right_op;
    bool started, left_done, tail_done, build_left;
    AiqTable *left, *right; /* right: always; left: only when it is the build side */
    AiqVector *lvt, *rvt;   /* column vectors over the materialized tables */
    AiqVector **lcols, **rcols;
    AiqKeyMap map, seen_left;
    int64_t *head, *next;
    int64_t nhead;
    bool *right_matched;
    AiqStrBuf key;
    AiqVector **ptrs;
    uint32_t *rows;
    AiqOp *scan;            /* the rows of the current output batch */
    bool build_unique;      /* no two rows of the build side share a key */
    AiqArena out_arena;     /* join_probe_direct's batch (base.out): its vectors */
} Join;

/* Appends left row l of lcols (or nulls when l < 0) joined with right row r (or nulls). */
static void join_emit(Join *j, AiqTable *out, AiqVector *const *lcols, int64_t l, int64_t r)
{
    const AiqPlan *p = j->base.p;
    int k = p->join_kind, o = 0;
    bool left_only = k == AIQ_JOIN_LEFTANTI || k == AIQ_JOIN_LEFTSEMI;
    bool right_only = k == AIQ_JOIN_RIGHTANTI || k == AIQ_JOIN_RIGHTSEMI;
    if (!right_only)
        for (int c = 0; c < p->input->schema.ncols; c++, o++) {
            j->ptrs[o] = l >= 0 ? lcols[c] : NULL;
            j->rows[o] = (uint32_t)l;
        }
    if (!left_only)
        for (int c = 0; c < p->nright_cols; c++, o++) {
            j->ptrs[o] = r >= 0 ? j->rcols[p->right_cols[c]] : NULL;
            j->rows[o] = (uint32_t)r;
        }
    aiq_table_append_row(out, j->ptrs, j->rows);
}

/* Builds the hash on the rows of t (chains keep rows in their order). */
static void join_build(Join *j, const AiqTable *t, AiqVector *const *cols, const int *keycols)
{
    j->next = aiq_xmalloc(sizeof *j->next * (size_t)(t->nrows + 1));
    for (int64_t r = t->nrows - 1; r >= 0; r--) {
        j->next[r] = -1;
        if (!vec_key(&j->key, cols, keycols, j->base.p->nkeys, (uint32_t)r))
            continue;
        bool added;
        int64_t id = aiq_keymap_get(&j->map, j->key.data, (uint32_t)j->key.len, &added);
        if (id >= j->nhead) {
            int64_t cap = j->nhead ? j->nhead * 2 : 1024;
            while (cap <= id)
                cap *= 2;
            j->head = aiq_xrealloc(j->head, sizeof *j->head * (size_t)cap);
            for (int64_t i = j->nhead; i < cap; i++)
                j->head[i] = -1;
            j->nhead = cap;
        }
        if (j->head[id] >= 0)
            j->build_unique = false;
        j->next[r] = j->head[id];
        j->head[id] = r;
    }
}

/* The first right row matching left row l of lcols (-1: none), or -2 when
 * the row does not take part: an innerunique join keeps only the first
 * left row of each key. */
static int64_t probe_left_row(Join *j, AiqVector *const *lcols, uint32_t l)
{
    const AiqPlan *p = j->base.p;
    bool has_key = vec_key(&j->key, lcols, p->left_keys, p->nkeys, l);
    if (p->join_kind == AIQ_JOIN_INNERUNIQUE && has_key) {
        bool added;
        aiq_keymap_get(&j->seen_left, j->key.data, (uint32_t)j->key.len, &added);
        if (!added)
            return -2;
    }
    int64_t id = has_key ? aiq_keymap_find(&j->map, j->key.data, (uint32_t)j->key.len) : -1;
    return id >= 0 ? j->head[id] : -1;
}

/* Whether join_probe_direct can answer: every output row is one left row
 * (with at most one right row beside it), so the left columns pass through
 * as they are and only the right ones are gathered. */
static bool join_direct_ok(const Join *j, const AiqChunk *lc)
{
    int k = j->base.p->join_kind;
    bool left_only = k == AIQ_JOIN_LEFTSEMI || k == AIQ_JOIN_LEFTANTI;
    if (j->left || j->build_left ||
        (!left_only && (!j->build_unique || !(k == AIQ_JOIN_INNER || k == AIQ_JOIN_INNERUNIQUE || k == AIQ_JOIN_LEFTOUTER))))
        return false;
    for (int c = 0; c < j->base.p->input->schema.ncols; c++)
        if (c >= lc->ncols || lc->cols[c]->type != j->base.p->input->schema.cols[c].type)
            return false; /* the row path converts */
    for (int c = 0; !left_only && c < j->base.p->nright_cols; c++)
        if (j->right->schema.cols[j->base.p->right_cols[c]].type != j->base.p->schema.cols[j->base.p->input->schema.ncols + c].type)
            return false;
    return true;
}

/* The vectorised probe of a left batch when join_direct_ok: the output
 * batch is the left vectors under a selection of the rows that stay, plus
 * one gathered vector per right column. Strings and dynamic values are
 * borrowed from the right table, which lives as long as the join. Rows
 * come out in the order join_probe gives them. */
static AiqChunk *join_probe_direct(Join *j, const AiqChunk *lc)
{
    const AiqPlan *p = j->base.p;
    int kind = p->join_kind, nleft = p->input->schema.ncols;
    bool left_only = kind == AIQ_JOIN_LEFTSEMI || kind == AIQ_JOIN_LEFTANTI;
    aiq_arena_reset(&j->out_arena);
    uint32_t *sel = aiq_arena_alloc(&j->out_arena, sizeof *sel * (lc->count + 1));
    int64_t *match = left_only ? NULL : aiq_arena_alloc(&j->out_arena, sizeof *match * (lc->nrows + 1));
    uint32_t m = 0;
    for (uint32_t k = 0; k < lc->count; k++) {
        uint32_t l = aiq_row(lc, k);
        int64_t r = probe_left_row(j, lc->cols, l);
        if (r == -2)
            continue;
        if (left_only ? (r >= 0) != (kind == AIQ_JOIN_LEFTSEMI) : r < 0 && kind != AIQ_JOIN_LEFTOUTER)
            continue;
        if (match)
            match[l] = r;
        sel[m++] = l;
    }
    AiqChunk *out = &j->base.out;
    *out = (AiqChunk){.count = m, .nrows = lc->nrows, .sel = sel, .ncols = p->schema.ncols};
    out->cols = aiq_arena_alloc(&j->out_arena, sizeof *out->cols * ((size_t)out->ncols + 1));
    for (int c = 0; c < nleft; c++)
        out->cols[c] = lc->cols[c];
    for (int c = 0; !left_only && c < p->nright_cols; c++) {
        const AiqVector *src = j->rcols[p->right_cols[c]];
        AiqVector *v = aiq_vec_new(&j->out_arena, src->type, lc->nrows ? lc->nrows : 1);
        size_t w = aiq_type_width(src->type);
        for (uint32_t k = 0; k < m; k++) {
            uint32_t l = sel[k];
            int64_t r = match[l];
            if (r >= 0 && !aiq_vec_is_null(src, (uint32_t)r)) {
                memcpy((char *)v->data.raw + w * l, (const char *)src->data.raw + w * aiq_vidx(src, (uint32_t)r), w);
            } else if (src->type == AIQ_TYPE_STRING) {
                v->data.str[l] = (AiqStr){"", 0}; /* strings are never null */
            } else if (src->type == AIQ_TYPE_DYNAMIC) {
                v->data.dyn[l] = NULL;
            } else {
                v->data.i64[l] = 0;
                aiq_vec_set_null(v, l, &j->out_arena);
            }
        }
        out->cols[nleft + c] = v;
    }
    return out;
}

/* Probes n left rows (physical indexes rows[], or 0..n-1) against the right hash. */
static AiqTable *join_probe(Join *j, AiqVector *const *lcols, const uint32_t *sel, uint32_t n)
{
    const AiqPlan *p = j->base.p;
    int kind = p->join_kind;
    bool right_only = kind == AIQ_JOIN_RIGHTANTI || kind == AIQ_JOIN_RIGHTSEMI;
    AiqTable *out = aiq_table_new(&p->schema);
    int64_t checked = 0;
    for (uint32_t k = 0; k < n; k++) {
        /* a few rows can match millions: Ctrl-C and --max-memory are
         * honoured while the output grows, not only between chunks */
        if (out->nrows - checked >= 65536) {
            checked = out->nrows;
            if (!aiq_op_check_limits(j->base.ex))
                break;
        }
        uint32_t l = sel ? sel[k] : k;
        int64_t r = probe_left_row(j, lcols, l);
        if (r == -2)
            continue;
        bool matched = r >= 0;
        if (kind == AIQ_JOIN_LEFTANTI || kind == AIQ_JOIN_LEFTSEMI) {
            if (matched == (kind == AIQ_JOIN_LEFTSEMI))
                join_emit(j, out, lcols, l, -1);
            continue;
        }
        for (; r >= 0; r = j->next[r]) {
            j->right_matched[r] = true;
            if (!right_only)
                join_emit(j, out, lcols, l, r);
        }
        if (!matched && (kind == AIQ_JOIN_LEFTOUTER || kind == AIQ_JOIN_FULLOUTER))
            join_emit(j, out, lcols, l, -1);
    }
    return out;
}

/* The right rows that only the right and full outer, semi and anti kinds add at the end. */
static AiqTable *join_tail(Join *j)
{
    int kind = j->base.p->join_kind;
    AiqTable *out = aiq_table_new(&j->base.p->schema);
    for (int64_t r = 0; r < j->right->nrows; r++) {
        bool m = j->right_matched[r];
        if (((kind == AIQ_JOIN_RIGHTOUTER || kind == AIQ_JOIN_FULLOUTER) && !m) ||
            (kind == AIQ_JOIN_RIGHTSEMI && m) || (kind == AIQ_JOIN_RIGHTANTI && !m))
            join_emit(j, out, NULL, -1, r);
    }
    return out;
}

static void table_vectors(const AiqTable *t, AiqVector **vt, AiqVector ***cols)
{
    *vt = aiq_xcalloc((size_t)t->schema.ncols + 1, sizeof **vt);
    *cols = aiq_xcalloc((size_t)t->schema.ncols + 1, sizeof **cols);
    for (int c = 0; c < t->schema.ncols; c++) {
        aiq_table_column_vector(t, c, &(*vt)[c]);
        (*cols)[c] = &(*vt)[c];
    }
}

static bool join_start(Join *j)
{
    const AiqPlan *p = j->base.p;
    AiqExecCtx *ex = j->base.ex;
    j->started = true;
    if (!(j->right = aiq_op_drain(j->right_op, &p->right->schema)))
        return false;
    table_vectors(j->right, &j->rvt, &j->rcols);
    j->right_matched = aiq_xcalloc((size_t)j->right->nrows + 1, 1);
    int nout = p->schema.ncols;
    j->ptrs = aiq_xcalloc((size_t)nout + 1, sizeof *j->ptrs);
    j->rows = aiq_xcalloc((size_t)nout + 1, sizeof *j->rows);
    /* An inner join with a large right side looks at the left: when it is
     * the smaller, it becomes the build side and the right rows probe it. */
    if (p->join_kind == AIQ_JOIN_INNER && j->right->nrows > 65536) {
        if (!(j->left = aiq_op_drain(j->base.input, &p->input->schema)))
            return false;
        table_vectors(j->left, &j->lvt, &j->lcols);
        j->build_left = j->left->nrows < j->right->nrows;
    }
    if (j->build_left) {
        join_build(j, j->left, j->lcols, p->left_keys);
        AiqTable *out = aiq_table_new(&p->schema);
        int64_t checked = 0;
        for (int64_t r = 0; r < j->right->nrows; r++) {
            if (!vec_key(&j->key, j->rcols, p->right_keys, p->nkeys, (uint32_t)r))
                continue;
            int64_t id = aiq_keymap_find(&j->map, j->key.data, (uint32_t)j->key.len);
            for (int64_t l = id >= 0 ? j->head[id] : -1; l >= 0; l = j->next[l])
                join_emit(j, out, j->lcols, l, r);
            if (((r & 1023) == 0 || out->nrows - checked >= 65536) && (checked = out->nrows, !aiq_op_check_limits(ex)))
                break;
        }
        j->scan = aiq_op_table_scan(ex, out, true);
        j->left_done = j->tail_done = true;
        return ex->err->code == AIQ_OK;
    }
    join_build(j, j->right, j->rcols, p->right_keys);
    if (j->left) { /* drained above but larger: probe it whole */
        j->scan = aiq_op_table_scan(ex, join_probe(j, j->lcols, NULL, (uint32_t)j->left->nrows), true);
        j->left_done = true;
    }
    return ex->err->code == AIQ_OK && aiq_op_check_limits(ex);
}

static AiqChunk *join_next(AiqOp *op)
{
    Join *j = (Join *)op;
    if (!j->started && !join_start(j))
        return NULL;
    for (;;) {
        if (j->scan) {
            AiqChunk *c = aiq_op_next(j->scan);
            if (c)
                return c;
            aiq_op_free(j->scan);
            j->scan = NULL;
        }
        if (op->ex->err->code != AIQ_OK || !aiq_op_check_limits(op->ex))
            return NULL;
        if (!j->left_done) {
            AiqChunk *lc = aiq_op_next(j->base.input);
            if (lc && join_direct_ok(j, lc)) {
                AiqChunk *out = join_probe_direct(j, lc);
                if (out->count)
                    return out;
                continue;
            }
            if (lc) {
                j->scan = aiq_op_table_scan(op->ex, join_probe(j, lc->cols, lc->sel, lc->count), true);
                if (op->ex->err->code != AIQ_OK)
                    return NULL; /* stopped inside the probe */
                continue;
            }
            if (op->ex->err->code != AIQ_OK)
                return NULL;
            j->left_done = true;
        }
        if (!j->tail_done) {
            j->tail_done = true;
            j->scan = aiq_op_table_scan(op->ex, join_tail(j), true);
            continue;
        }
        return NULL;
    }
}

static void join_release(AiqOp *op)
{
    Join *j = (Join *)op;
    aiq_op_free(j->right_op);
    aiq_op_free(j->scan);
    aiq_table_free(j->left);
    aiq_table_free(j->right);
    aiq_xfree(j->lvt);
    aiq_xfree(j->rvt);
    aiq_xfree(j->lcols);
    aiq_xfree(j->rcols);
    aiq_keymap_free(&j->map);
    aiq_keymap_free(&j->seen_left);
    aiq_xfree(j->head);
    aiq_xfree(j->next);
    aiq_xfree(j->right_matched);
    aiq_sb_free(&j->key);
    aiq_xfree(j->ptrs);
    aiq_xfree(j->rows);
    aiq_arena_free(&j->out_arena);
}

static const AiqOpVtable join_vt = {.next = join_next, .release = join_release};

AiqOp *aiq_op_join(AiqExecCtx *ex, const AiqPlan *p)
{
    AiqOp *left = aiq_op_build(ex, p->input);
    AiqOp *right = left ? aiq_op_build(ex, p->right) : NULL;
    if (!right) {
        aiq_op_free(left);
        return NULL;
    }
    Join *j = aiq_op_new(ex, &join_vt, sizeof *j, p, left);
    j->right_op = right;
    aiq_keymap_init(&j->map);
    aiq_keymap_init(&j->seen_left);
    aiq_sb_init(&j->key);
    aiq_arena_init(&j->out_arena, 0);
    j->build_unique = true;
    return &j->base;
}
