/*
 * op_summarize.c -- summarize: vectorised hash aggregation. Each chunk's
 * keys are evaluated as vectors and mapped to dense group ids (keys that
 * are not dynamic are compared as values; dynamic ones are encoded into
 * byte keys); each aggregate then updates its per-group arrays in one loop
 * over the chunk (exec/agg_state.c). With no `by`, one group, even over
 * zero rows; with no aggregate (distinct), the keys are the result.
 */
#include "exec/agg_state.h"
#include "exec/op.h"

#include <string.h>

#include "util/hash.h"
#include "util/mem.h"

/* ---- group ids ------------------------------------------------------------------ */

/* A key value as the keys table stores it: a row of a key vector converted
 * to the key column's type by store()'s rules (core/vector.c). */
typedef struct KeyVal {
    bool null;
    int64_t i; /* bool, int, long, datetime, timespan */
    double f;  /* real */
    AiqStr s;  /* string */
} KeyVal;

static KeyVal key_val(const AiqVector *v, uint32_t i, AiqType t)
{
    KeyVal k = {0};
    uint32_t j = aiq_vidx(v, i);
    k.null = aiq_vec_is_null(v, i);
    if (k.null)
        return k;
    if (t == AIQ_TYPE_STRING) {
        k.s = v->data.str[j];
    } else if (t == AIQ_TYPE_REAL) {
        k.f = v->type == AIQ_TYPE_REAL ? v->data.f64[j] : (double)v->data.i64[j];
        if (k.f == 0)
            k.f = 0; /* -0.0 and 0.0 are one key */
    } else if (v->type == AIQ_TYPE_REAL) {
        k.null = !aiq_real_to_long(v->data.f64[j], &k.i);
    } else {
        k.i = v->data.i64[j];
    }
    return k;
}

static uint64_t key_hash(uint64_t h, const KeyVal *k, AiqType t)
{
    uint64_t x;
    if (k->null)
        x = 0x6e756c6cULL;
    else if (t == AIQ_TYPE_STRING)
        x = aiq_hash_bytes(k->s.ptr, k->s.len);
    else if (t == AIQ_TYPE_REAL)
        memcpy(&x, &k->f, sizeof x);
    else
        x = (uint64_t)k->i;
    h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static bool key_same(const KeyVal *a, const KeyVal *b, AiqType t)
{
    if (a->null || b->null)
        return a->null == b->null;
    if (t == AIQ_TYPE_STRING)
        return a->s.len == b->s.len && memcmp(a->s.ptr, b->s.ptr, a->s.len) == 0;
    if (t == AIQ_TYPE_REAL)
        return memcmp(&a->f, &b->f, sizeof a->f) == 0; /* NaN is one key, as its bytes */
    return a->i == b->i;
}

/* Group ids of keys that are not dynamic: each row's key values are hashed
 * and compared as they are, against each group's first values, instead of
 * being encoded into bytes for an AiqKeyMap first (which dynamic keys
 * still are). Open addressing; a group's values are kept by group id. */
typedef struct GroupMap {
    int nkeys;
    const AiqType *types;
    int64_t *slots; /* group id, -1 = empty */
    int64_t cap, n;
    uint64_t *hashes; /* by group */
    KeyVal *vals;     /* by group, nkeys each */
    int64_t capn;
} GroupMap;

static void groupmap_insert(GroupMap *m, int64_t g)
{
    int64_t s = (int64_t)(m->hashes[g] & (uint64_t)(m->cap - 1));
    while (m->slots[s] >= 0)
        s = (s + 1) & (m->cap - 1);
    m->slots[s] = g;
}

/* The group of the key values kv (a new one: -1, and the caller adds it
 * with groupmap_add). */
static int64_t groupmap_find(const GroupMap *m, const KeyVal *kv, uint64_t h)
{
    if (!m->cap)
        return -1;
    for (int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));; s = (s + 1) & (m->cap - 1)) {
        int64_t g = m->slots[s];
        if (g < 0)
            return -1;
        if (m->hashes[g] != h)
            continue;
        const KeyVal *gv = &m->vals[g * m->nkeys];
        int x = 0;
        while (x < m->nkeys && key_same(&gv[x], &kv[x], m->types[x]))
            x++;
        if (x == m->nkeys)
            return g;
    }
}

/* Adds group m->n with key values kv (strings must outlive the map). */
static void groupmap_add(GroupMap *m, const KeyVal *kv, uint64_t h)
{
    if (m->n == m->capn) {
        m->capn = m->capn ? aiq_mem_grow_cap(m->capn, m->n + 1, sizeof *m->hashes + sizeof *m->vals * (size_t)m->nkeys) : 64;
        m->hashes = aiq_xrealloc(m->hashes, sizeof *m->hashes * (size_t)m->capn);
        m->vals = aiq_xrealloc(m->vals, sizeof *m->vals * (size_t)(m->capn * m->nkeys));
    }
    m->hashes[m->n] = h;
    memcpy(&m->vals[m->n * m->nkeys], kv, sizeof *kv * (size_t)m->nkeys);
    m->n++;
    /* rehash at half full, or later when the doubled slots would not fit
     * under --max-memory: past 7/8 the limit is reached, and the rest of the
     * batch fits in the sixteenth kept free (as in vector.c's maps) */
    bool wait = m->n * 2 > m->cap && m->cap >= 65536 && m->n * 16 <= m->cap * 15 &&
                !aiq_mem_room(sizeof *m->slots * (size_t)m->cap * 2);
    if (wait && m->n * 8 > m->cap * 7)
        aiq_mem_reached();
    if (m->n * 2 > m->cap && !wait) {
        m->cap = m->cap ? m->cap * 2 : 128;
        m->slots = aiq_xrealloc(m->slots, sizeof *m->slots * (size_t)m->cap);
        for (int64_t s = 0; s < m->cap; s++)
            m->slots[s] = -1;
        for (int64_t g = 0; g < m->n; g++)
            groupmap_insert(m, g);
    } else {
        groupmap_insert(m, m->n - 1);
    }
}

static void groupmap_free(GroupMap *m)
{
    aiq_xfree(m->slots);
    aiq_xfree(m->hashes);
    aiq_xfree(m->vals);
}

static AiqTable *summarize_compute(AiqOp *op)
{
    const AiqPlan *p = op->p;
    AiqExecCtx *ex = op->ex;
    int nkeys = p->nexprs, naggs = p->naggs;
    AiqKeyMap groups;
    aiq_keymap_init(&groups);
    /* per-key and per-column scratch, sized by the query: by takes any
     * number of keys, take_any(*) any number of columns */
    AiqArena sized;
    aiq_arena_init(&sized, 0);
    int maxextra = 0;
    for (int a = 0; a < naggs; a++)
        maxextra = p->aggs[a].nextra > maxextra ? p->aggs[a].nextra : maxextra;
    AiqColumn *kcols = aiq_arena_alloc(&sized, sizeof *kcols * (size_t)(nkeys + 1));
    AiqType *ktypes = aiq_arena_alloc(&sized, sizeof *ktypes * (size_t)(nkeys + 1));
    AiqVector **kv = aiq_arena_alloc(&sized, sizeof *kv * (size_t)(nkeys + 1));
    KeyVal *kvals = aiq_arena_alloc(&sized, sizeof *kvals * (size_t)(nkeys + 1));
    uint32_t *rows = aiq_arena_alloc(&sized, sizeof *rows * (size_t)(nkeys + 1));
    AiqVector **extra = aiq_arena_alloc(&sized, sizeof *extra * (size_t)(maxextra + 1));
    for (int k = 0; k < nkeys; k++)
        kcols[k] = p->schema.cols[k];
    AiqSchema ks = {nkeys, kcols};
    AiqTable *keys = aiq_table_new(&ks);
    AggState *st = aiq_xcalloc((size_t)naggs + 1, sizeof *st);
    for (int a = 0; a < naggs; a++) {
        aiq_agg_init(&st[a], &p->aggs[a], &p->schema);
        /* P50 ... P99 of one column keep one copy of its values */
        const AiqAgg *ag = &p->aggs[a];
        for (int b = 0; b < a && ag->kind == AIQ_AGG_PERCENTILE && ag->arg->kind == AIQ_E_COLUMN && !ag->pred; b++)
            if (!st[b].vals_of && p->aggs[b].kind == AIQ_AGG_PERCENTILE && !p->aggs[b].pred && p->aggs[b].arg->kind == AIQ_E_COLUMN &&
                p->aggs[b].arg->col == ag->arg->col) {
                st[a].vals_of = &st[b];
                break;
            }
    }
    AiqEvalCtx ev;
    aiq_eval_init(&ev, ex->err, ex->now);
    AiqStrBuf key;
    aiq_sb_init(&key);
    int64_t ngroups = 0;
    /* keys that are not dynamic are compared as values (GroupMap) */
    bool typed = nkeys > 0;
    for (int k = 0; k < nkeys; k++)
        typed = typed && (ktypes[k] = kcols[k].type) != AIQ_TYPE_DYNAMIC;
    GroupMap gm = {.nkeys = nkeys, .types = ktypes};
    int64_t *gids = aiq_xmalloc(sizeof *gids * AIQ_VECTOR_SIZE);
    if (nkeys == 0) { /* no by: one group, even over zero rows */
        ngroups = 1;
        for (int a = 0; a < naggs; a++) {
            aiq_agg_grow(&st[a], 1);
            if (st[a].extra)
                aiq_table_add_null_row(st[a].extra);
        }
    }
    AiqChunk *c;
    while ((c = aiq_op_next(op->input))) {
        aiq_eval_reset(&ev);
        for (int k = 0; k < nkeys; k++)
            if (!(kv[k] = aiq_eval(&ev, p->exprs[k], c)))
                goto done;
        if (nkeys == 0) {
            memset(gids, 0, sizeof *gids * c->count);
        } else {
            for (uint32_t k = 0; k < c->count; k++) {
                uint32_t i = aiq_row(c, k);
                int64_t g;
                bool added;
                uint64_t h = 0;
                if (typed) {
                    for (int x = 0; x < nkeys; x++) {
                        kvals[x] = key_val(kv[x], i, ktypes[x]);
                        h = key_hash(h, &kvals[x], ktypes[x]);
                    }
                    g = groupmap_find(&gm, kvals, h);
                    added = g < 0;
                    if (added)
                        g = ngroups;
                } else {
                    aiq_sb_clear(&key);
                    for (int x = 0; x < nkeys; x++)
                        aiq_key_append(&key, kv[x], i);
                    g = aiq_keymap_get(&groups, key.data, (uint32_t)key.len, &added);
                }
                if (added) {
                    for (int x = 0; x < nkeys; x++)
                        rows[x] = i;
                    aiq_table_append_row(keys, kv, rows);
                    if (typed) { /* compared from now on against the table's copies */
                        for (int x = 0; x < nkeys; x++)
                            if (ktypes[x] == AIQ_TYPE_STRING)
                                kvals[x].s = ((AiqStr *)keys->cols[x].data)[g];
                        groupmap_add(&gm, kvals, h);
                    }
                    ngroups = g + 1;
                    for (int a = 0; a < naggs; a++) {
                        aiq_agg_grow(&st[a], ngroups);
                        if (st[a].extra)
                            aiq_table_add_null_row(st[a].extra);
                    }
                }
                gids[k] = g;
            }
        }
        for (int a = 0; a < naggs; a++) {
            const AiqAgg *ag = &p->aggs[a];
            if (st[a].vals_of)
                continue;
            AiqVector *arg = ag->arg ? aiq_eval(&ev, ag->arg, c) : NULL;
            AiqVector *pred = ag->pred ? aiq_eval(&ev, ag->pred, c) : NULL;
            AiqVector *arg2 = ag->arg2 ? aiq_eval(&ev, ag->arg2, c) : NULL;
            if ((ag->arg && !arg) || (ag->pred && !pred) || (ag->arg2 && !arg2))
                goto done;
            for (int e = 0; e < ag->nextra; e++)
                if (!(extra[e] = aiq_eval(&ev, ag->extra[e], c)))
                    goto done;
            aiq_agg_update(&st[a], c, gids, arg, arg2, pred, extra, &key);
        }
        if (!aiq_op_check_limits(ex))
            goto done;
    }
done:;
    AiqTable *out = NULL;
    if (ex->err->code == AIQ_OK && naggs == 0 && nkeys > 0) {
        out = keys; /* distinct: the keys are the result, not copied a second time */
        keys = NULL;
    } else if (ex->err->code == AIQ_OK) {
        out = aiq_table_new(&p->schema);
        AiqArena scratch;
        aiq_arena_init(&scratch, 4096);
        AiqVector kvec;
        for (int64_t g = 0; g < ngroups; g++) {
            /* the result can be as large as the input: --max-memory holds here too */
            if ((g & 65535) == 65535 && !aiq_op_check_limits(ex)) {
                aiq_table_free(out);
                out = NULL;
                break;
            }
            aiq_table_add_null_row(out);
            for (int k = 0; k < nkeys; k++) {
                aiq_table_column_vector(keys, k, &kvec);
                aiq_table_set(out, k, g, &kvec, (uint32_t)g);
            }
            for (int a = 0; a < naggs; a++)
                aiq_agg_finish(&st[a], g, out, &scratch);
            aiq_arena_reset(&scratch);
        }
        aiq_arena_free(&scratch);
    }
    for (int a = 0; a < naggs; a++)
        aiq_agg_free(&st[a]);
    aiq_xfree(st);
    aiq_xfree(gids);
    aiq_sb_free(&key);
    aiq_eval_free(&ev);
    aiq_table_free(keys);
    aiq_keymap_free(&groups);
    groupmap_free(&gm);
    aiq_arena_free(&sized);
    return out;
}

static const AiqOpVtable summarize_vt = {.compute = summarize_compute};

AiqOp *aiq_op_summarize(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new_over(ex, &summarize_vt, sizeof(AiqOp), p);
}
