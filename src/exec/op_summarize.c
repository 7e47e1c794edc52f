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

#include <pthread.h>
#include <string.h>

#include "util/hash.h"
#include "util/mem.h"

/* ---- group ids ------------------------------------------------------------------ */

/* A key value as the group map compares it: a row of a key vector
 * converted to the key column's type by store()'s rules (core/vector.c),
 * in 16 bytes, so that the keys of a group of one or two keys share a
 * cache line. Everything not set is zero (a null's value, the length of a
 * number), so that values other than strings compare as two words. A
 * string of up to 8 bytes is held in the cell itself (zero-padded) and
 * compares as a word too: codes, regions and service names, which keys
 * often are, without a load of the bytes of the group's copy. */
typedef struct KeyCell {
    union {
        int64_t i;     /* bool, int, long, datetime, timespan; a short string's bytes */
        double f;      /* real */
        const char *p; /* the bytes of a string longer than SHORT_STR */
    } u;
    uint32_t len; /* string length */
    uint32_t null;
} KeyCell;

#define SHORT_STR 8

/* The bytes of a string of len <= 8 as a zero-padded little-endian word,
 * from loads that stay within them (overlapping loads give equal bytes,
 * which the or leaves as they are). */
static inline uint64_t short_word(const char *p, uint32_t len)
{
    const unsigned char *u = (const unsigned char *)p;
    if (len == 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        return w;
    }
    if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + len - 4, 4);
        return (uint64_t)lo | (uint64_t)hi << (8 * (len - 4));
    }
    if (len == 0)
        return 0;
    return (uint64_t)u[0] | (uint64_t)u[len >> 1] << (8 * (len >> 1)) | (uint64_t)u[len - 1] << (8 * (len - 1));
}

static inline KeyCell string_cell(AiqStr s)
{
    KeyCell k = {{0}, s.len, 0};
    if (s.len <= SHORT_STR)
        k.u.i = (int64_t)short_word(s.ptr, s.len);
    else
        k.u.p = s.ptr;
    return k;
}

static inline KeyCell key_cell(const AiqVector *v, uint32_t i, AiqType t)
{
    KeyCell k = {{0}, 0, 0};
    uint32_t j = aiq_vidx(v, i);
    if (aiq_vec_is_null(v, i)) {
        k.null = 1;
    } else if (t == AIQ_TYPE_STRING) {
        k = string_cell(v->data.str[j]);
    } else if (t == AIQ_TYPE_REAL) {
        k.u.f = v->type == AIQ_TYPE_REAL ? v->data.f64[j] : (double)v->data.i64[j];
        if (k.u.f == 0)
            k.u.f = 0; /* -0.0 and 0.0 are one key */
    } else if (v->type == AIQ_TYPE_REAL) {
        k.null = !aiq_real_to_long(v->data.f64[j], &k.u.i);
        if (k.null)
            k.u.i = 0;
    } else {
        k.u.i = v->data.i64[j];
    }
    return k;
}

/* Mixes key value k into hash h. (The hash only finds groups: their ids
 * and order come from the rows, so it is the map's own.) */
static inline uint64_t key_hash(uint64_t h, const KeyCell *k, AiqType t)
{
    uint64_t x;
    if (k->null)
        x = 0x6e756c6cULL;
    else if (t == AIQ_TYPE_STRING && k->len > SHORT_STR)
        x = aiq_hash_bytes(k->u.p, k->len);
    else if (t == AIQ_TYPE_STRING) { /* strings that differ in their last bytes differ in the word's top bits: mix them down */
        x = (uint64_t)k->u.i ^ (uint64_t)k->len << 59;
        x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdULL;
        x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ULL;
        x ^= x >> 33;
    }
    else
        x = (uint64_t)k->u.i; /* a real as its bits */
    h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* Key x of each row of chunk c into cells, and into the rows' hashes
 * (which the first key starts): one loop per key, not a switch per value,
 * and loops of their own for the usual strings and integers. */
static void key_cells(const AiqVector *v, const AiqChunk *c, AiqType t, KeyCell *cells, uint64_t *hashes, bool first)
{
    uint32_t n = c->count;
    bool plain = !v->is_const && !c->sel && !v->validity; /* row k is value k, never null */
    if (plain && t == AIQ_TYPE_STRING && v->type == AIQ_TYPE_STRING) {
        for (uint32_t k = 0; k < n; k++) {
            cells[k] = string_cell(v->data.str[k]);
            hashes[k] = key_hash(first ? 0 : hashes[k], &cells[k], t);
        }
    } else if (plain && t != AIQ_TYPE_STRING && t != AIQ_TYPE_REAL && t != AIQ_TYPE_DYNAMIC &&
               v->type != AIQ_TYPE_REAL && v->type != AIQ_TYPE_STRING && v->type != AIQ_TYPE_DYNAMIC) {
        for (uint32_t k = 0; k < n; k++) {
            cells[k] = (KeyCell){{.i = v->data.i64[k]}, 0, 0};
            hashes[k] = key_hash(first ? 0 : hashes[k], &cells[k], t);
        }
    } else {
        for (uint32_t k = 0; k < n; k++) {
            cells[k] = key_cell(v, aiq_row(c, k), t);
            hashes[k] = key_hash(first ? 0 : hashes[k], &cells[k], t);
        }
    }
}

/* Whether n bytes at a and b are equal: the short strings keys mostly are
 * compared in a word or two, without a call to memcmp. */
static inline bool bytes_same(const char *a, const char *b, uint32_t n)
{
    if (a == b || n == 0)
        return true;
    if (n >= 8 && n <= 16) { /* the first and the last 8 bytes (they may overlap) */
        uint64_t x0, y0, x1, y1;
        memcpy(&x0, a, 8), memcpy(&y0, b, 8), memcpy(&x1, a + n - 8, 8), memcpy(&y1, b + n - 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    return memcmp(a, b, n) == 0;
}

/* Reals compare as their bits: NaN is one key (0.0 and -0.0 are made one above). */
static inline bool key_same(const KeyCell *a, const KeyCell *b, AiqType t)
{
    if (a->null != b->null || a->len != b->len)
        return false;
    if (t == AIQ_TYPE_STRING && a->len > SHORT_STR)
        return bytes_same(a->u.p, b->u.p, a->len);
    return a->u.i == b->u.i;
}

/* Group ids of keys that are not dynamic: each row's key values are hashed
 * and compared as they are, against each group's first values, instead of
 * being encoded into bytes for an AiqKeyMap first (which dynamic keys
 * still are). Open addressing; a group's values are kept by group id.
 *
 * A slot holds the group id + 1 in its low 32 bits and the high 32 bits of
 * the group's hash above them: a probe that passes another group's slot
 * rejects it by its tag, without loading that group's hash or keys, which
 * for a map of many groups are cache misses (summarize by bin and role
 * over 96k groups spent most of its time on those loads). 2^32 - 1 groups
 * would take hundreds of GB of keys and state: more stop the query as
 * --max-memory does. */
typedef struct GroupMap {
    int nkeys;
    const AiqType *types;
    uint64_t *slots; /* tag << 32 | group id + 1; 0 = empty */
    int64_t cap, n;
    uint64_t *hashes; /* by group (for rehashing) */
    KeyCell *vals;    /* by group, nkeys each */
    int64_t capn;
} GroupMap;

#define GROUP_MAX ((int64_t)UINT32_MAX - 1)

static inline uint64_t slot_tag(uint64_t h) { return h >> 32 << 32; }

static void groupmap_insert(GroupMap *m, int64_t g)
{
    uint64_t h = m->hashes[g];
    int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));
    while (m->slots[s])
        s = (s + 1) & (m->cap - 1);
    m->slots[s] = slot_tag(h) | (uint64_t)(g + 1);
}

/* The group of the key values kv (a new one: -1, and the caller adds it
 * with groupmap_add). */
static inline int64_t groupmap_find(const GroupMap *m, const KeyCell *kv, size_t stride, uint64_t h)
{
    if (!m->cap)
        return -1;
    uint64_t tag = slot_tag(h);
    for (int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));; s = (s + 1) & (m->cap - 1)) {
        uint64_t e = m->slots[s];
        if (!e)
            return -1;
        if (slot_tag(e) != tag)
            continue;
        int64_t g = (int64_t)(uint32_t)e - 1;
        const KeyCell *gv = &m->vals[g * m->nkeys];
        int x = 0;
        while (x < m->nkeys && key_same(&gv[x], &kv[x * stride], m->types[x]))
            x++;
        if (x == m->nkeys)
            return g;
    }
}

/* Adds group m->n with key values kv[x * stride] (strings must outlive the map). */
static void groupmap_add(GroupMap *m, const KeyCell *kv, size_t stride, uint64_t h)
{
    if (m->n >= GROUP_MAX) {
        aiq_mem_reached();
        return;
    }
    if (m->n == m->capn) {
        m->capn = m->capn ? aiq_mem_grow_cap(m->capn, m->n + 1, sizeof *m->hashes + sizeof *m->vals * (size_t)m->nkeys) : 64;
        m->hashes = aiq_xrealloc(m->hashes, sizeof *m->hashes * (size_t)m->capn);
        m->vals = aiq_xrealloc(m->vals, sizeof *m->vals * (size_t)(m->capn * m->nkeys));
    }
    m->hashes[m->n] = h;
    for (int x = 0; x < m->nkeys; x++)
        m->vals[m->n * m->nkeys + x] = kv[x * stride];
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
        aiq_xfree(m->slots);
        m->slots = aiq_xcalloc((size_t)m->cap, sizeof *m->slots);
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

/* Adds a group whose keys are row i of the key vectors kv: its row of the
 * keys table and of each aggregate's state (rows: nkeys of scratch). */
static void new_group(AiqTable *keys, AiqVector **kv, uint32_t *rows, uint32_t i, AggState *st, int naggs, int nkeys)
{
    for (int x = 0; x < nkeys; x++)
        rows[x] = i;
    aiq_table_append_row(keys, kv, rows);
    int64_t ngroups = keys->nrows;
    for (int a = 0; a < naggs; a++) {
        aiq_agg_grow(&st[a], ngroups);
        if (st[a].extra)
            aiq_table_add_null_row(st[a].extra);
    }
}

/* Percentiles of many groups are selected on every thread (-j) before the
 * results are written in group order: the selection was the serial tail of
 * a grouped percentile, after every reader thread had finished (p95 by
 * 15-minute bin and service, 96k groups at -j2: 18-22 ms on one thread,
 * 11-15 ms on two). Each part is a range of groups: it puts their values in
 * order and selects each group exactly as one thread would, so the values
 * are the same at any thread count. With a percentiles_array() among them,
 * the groups finish on this thread alone (it may share its values with
 * another percentile, selected in turn). */
#define PREFINISH_MIN_GROUPS 4096
#define PREFINISH_MAX_PARTS 16

typedef struct PrefinishPart {
    AggState **ss;
    int n;
    int64_t g0, g1;
    pthread_t thread;
    bool started;
} PrefinishPart;

static void *prefinish_main(void *arg)
{
    PrefinishPart *part = arg;
    aiq_agg_prefinish(part->ss, part->n, part->g0, part->g1);
    aiq_mem_thread_done();
    return NULL;
}

static void prefinish_percentiles(AggState *st, int naggs, int64_t ngroups, int threads)
{
    if (threads < 2 || ngroups < PREFINISH_MIN_GROUPS)
        return;
    AggState **ss = aiq_xmalloc(sizeof *ss * (size_t)naggs);
    int n = 0;
    for (int a = 0; a < naggs; a++) {
        if (st[a].a->kind == AIQ_AGG_PERCENTILE && !aiq_agg_prefinish_kind(&st[a])) {
            n = 0; /* (a percentiles_array()) */
            break;
        }
        if (aiq_agg_prefinish_kind(&st[a]))
            ss[n++] = &st[a];
    }
    if (!n) {
        aiq_xfree(ss);
        return;
    }
    for (int k = 0; k < n; k++)
        aiq_agg_prefinish_begin(ss[k], ngroups);
    int nparts = threads < PREFINISH_MAX_PARTS ? threads : PREFINISH_MAX_PARTS;
    PrefinishPart parts[PREFINISH_MAX_PARTS];
    for (int i = 0; i < nparts; i++) {
        parts[i] = (PrefinishPart){.ss = ss, .n = n, .g0 = ngroups * i / nparts, .g1 = ngroups * (i + 1) / nparts};
        if (i > 0) /* (a part whose thread cannot start is done here) */
            parts[i].started = pthread_create(&parts[i].thread, NULL, prefinish_main, &parts[i]) == 0;
    }
    aiq_agg_prefinish(ss, n, parts[0].g0, parts[0].g1);
    for (int i = 1; i < nparts; i++) {
        if (parts[i].started)
            pthread_join(parts[i].thread, NULL);
        else
            aiq_agg_prefinish(ss, n, parts[i].g0, parts[i].g1);
    }
    for (int k = 0; k < n; k++)
        aiq_agg_prefinish_end(ss[k]);
    aiq_xfree(ss);
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
    AiqType *ktypes = aiq_arena_alloc(&sized, sizeof *ktypes * (size_t)(nkeys + 1));
    /* the key vectors, then NULL for the aggregates' columns (see keys) */
    AiqVector **kv = aiq_arena_alloc(&sized, sizeof *kv * (size_t)(p->schema.ncols + 1));
    memset(kv, 0, sizeof *kv * (size_t)(p->schema.ncols + 1));
    /* the chunk's keys, by key then row */
    KeyCell *cells = aiq_arena_alloc(&sized, sizeof *cells * AIQ_VECTOR_SIZE * (size_t)(nkeys + 1));
    uint32_t *rows = aiq_arena_alloc(&sized, sizeof *rows * (size_t)(p->schema.ncols + 1));
    AiqVector **extra = aiq_arena_alloc(&sized, sizeof *extra * (size_t)(maxextra + 1));
    /* the result: a row per group, its keys written when the group is
     * found, its aggregates' columns null until they finish; so the keys
     * are never copied from a table of their own into the result */
    AiqTable *keys = aiq_table_new(&p->schema);
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
        typed = typed && (ktypes[k] = p->schema.cols[k].type) != AIQ_TYPE_DYNAMIC;
    GroupMap gm = {.nkeys = nkeys, .types = ktypes};
    int64_t *gids = aiq_xmalloc(sizeof *gids * AIQ_VECTOR_SIZE);
    uint64_t *hashes = aiq_xmalloc(sizeof *hashes * AIQ_VECTOR_SIZE);
    if (nkeys == 0) { /* no by: one group, even over zero rows */
        ngroups = 1;
        aiq_table_add_null_row(keys);
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
        } else if (typed) {
            /* the chunk's keys and hashes first, a key at a time; then each
             * row's slot is fetched from memory while the rows before it
             * are looked up */
            for (int x = 0; x < nkeys; x++)
                key_cells(kv[x], c, ktypes[x], &cells[x * AIQ_VECTOR_SIZE], hashes, x == 0);
            for (uint32_t k = 0; k < c->count; k++) {
                enum { AHEAD = 16 };
                if (k + AHEAD < c->count && gm.cap)
                    __builtin_prefetch(&gm.slots[hashes[k + AHEAD] & (uint64_t)(gm.cap - 1)]);
                int64_t g = groupmap_find(&gm, &cells[k], AIQ_VECTOR_SIZE, hashes[k]);
                if (g < 0) {
                    g = ngroups;
                    new_group(keys, kv, rows, aiq_row(c, k), st, naggs, nkeys);
                    /* compared from now on against the keys table's copies */
                    for (int x = 0; x < nkeys; x++)
                        if (ktypes[x] == AIQ_TYPE_STRING && cells[x * AIQ_VECTOR_SIZE + k].len > SHORT_STR)
                            cells[x * AIQ_VECTOR_SIZE + k].u.p = ((AiqStr *)keys->cols[x].data)[g].ptr;
                    groupmap_add(&gm, &cells[k], AIQ_VECTOR_SIZE, hashes[k]);
                    ngroups = g + 1;
                }
                gids[k] = g;
            }
        } else {
            for (uint32_t k = 0; k < c->count; k++) {
                uint32_t i = aiq_row(c, k);
                bool added;
                aiq_sb_clear(&key);
                for (int x = 0; x < nkeys; x++)
                    aiq_key_append(&key, kv[x], i);
                int64_t g = aiq_keymap_get(&groups, key.data, (uint32_t)key.len, &added);
                if (added) {
                    new_group(keys, kv, rows, i, st, naggs, nkeys);
                    ngroups = g + 1;
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
    if (ex->err->code == AIQ_OK) {
        out = keys; /* (with no aggregate, distinct, the keys are the result) */
        keys = NULL;
        prefinish_percentiles(st, naggs, ngroups, ex->threads);
        AiqArena scratch;
        aiq_arena_init(&scratch, 4096);
        for (int64_t g = 0; naggs && g < ngroups; g++) {
            /* the result can be as large as the input: --max-memory holds here too */
            if ((g & 65535) == 65535 && !aiq_op_check_limits(ex)) {
                aiq_table_free(out);
                out = NULL;
                break;
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
    aiq_xfree(hashes);
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
