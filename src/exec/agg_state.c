/*
 * agg_state.c -- per-group state of each aggregate and its updates (see
 * agg_state.h): nothing is allocated per row except what an aggregate must
 * keep (percentile values, distinct values, lists).
 */
#include "exec/agg_state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/validity.h"
#include "func/kernel.h"
#include "util/mem.h"
#include "util/sort.h"

/* The per-group arrays an aggregate keeps: only its own, as a summarize
 * by a key of millions of values holds each of them for every group
 * (count() by Id kept 224 bytes a group in eight arrays, for one count). */
enum { S_CNT = 1, S_ISUM = 2, S_FSUM = 4, S_M2 = 8, S_MEAN = 16, S_SVAL = 32, S_LIST = 64 };

static unsigned state_arrays(AiqAggKind k)
{
    switch (k) {
    case AIQ_AGG_SUM:
    case AIQ_AGG_SUMIF: return S_ISUM | S_FSUM;
    case AIQ_AGG_AVG:
    case AIQ_AGG_AVGIF:
    case AIQ_AGG_STDEV:
    case AIQ_AGG_STDEVIF:
    case AIQ_AGG_VARIANCE:
    case AIQ_AGG_VARIANCEIF:
    case AIQ_AGG_STDEVP:
    case AIQ_AGG_VARIANCEP: return S_CNT | S_FSUM | S_M2 | S_MEAN;
    case AIQ_AGG_MIN:
    case AIQ_AGG_MAX:
    case AIQ_AGG_MINIF:
    case AIQ_AGG_MAXIF:
    case AIQ_AGG_ARG_MAX:
    case AIQ_AGG_ARG_MIN: return S_CNT | S_ISUM | S_FSUM | S_SVAL;
    case AIQ_AGG_MAKE_LIST:
    case AIQ_AGG_MAKE_SET:
    case AIQ_AGG_MAKE_LIST_NULLS:
    case AIQ_AGG_MAKE_BAG: return S_LIST;
    case AIQ_AGG_PERCENTILE: return S_CNT; /* the count of each group's values */
    default: return S_CNT; /* count, countif, dcount, dcountif, take_any */
    }
}

/* Makes room for ngroups groups (by less than doubling near --max-memory). */
void aiq_agg_grow(AggState *s, int64_t ngroups)
{
    if (ngroups <= s->cap)
        return;
    unsigned want = state_arrays(s->a->kind);
#define SIZE(flag, field) (want & (flag) ? sizeof *s->field : 0)
    size_t per_group = SIZE(S_CNT, cnt) + SIZE(S_ISUM, isum) + SIZE(S_FSUM, fsum) + SIZE(S_M2, m2) + SIZE(S_MEAN, mean) +
                       SIZE(S_SVAL, sval) + SIZE(S_LIST, list);
#undef SIZE
    int64_t cap = s->cap ? aiq_mem_grow_cap(s->cap, ngroups, per_group) : 64;
    while (cap < ngroups)
        cap *= 2;
#define GROW(flag, field)                                                                 \
    do {                                                                                  \
        if (want & (flag)) {                                                              \
            s->field = aiq_xrealloc(s->field, sizeof *s->field * (size_t)cap);            \
            memset(s->field + s->cap, 0, sizeof *s->field * (size_t)(cap - s->cap));      \
        }                                                                                 \
    } while (0)
    GROW(S_CNT, cnt);
    GROW(S_ISUM, isum);
    GROW(S_FSUM, fsum);
    GROW(S_M2, m2);
    GROW(S_MEAN, mean);
    GROW(S_SVAL, sval);
    GROW(S_LIST, list);
#undef GROW
    if (aiq_agg_more_kind(s->a->kind))
        aiq_agg_more_grow(s, s->cap, cap);
    if (cap > (int64_t)UINT32_MAX)
        aiq_mem_reached(); /* (a percentile's log keeps groups in 32 bits: far past any memory) */
    s->cap = cap;
}

void aiq_agg_init(AggState *s, const AiqAgg *a, const AiqSchema *out)
{
    memset(s, 0, sizeof *s);
    s->a = a;
    s->in_type = a->arg ? a->arg->type : AIQ_TYPE_UNKNOWN;
    s->out_type = out->cols[a->out_col].type;
    s->cur_g = -1;
    s->log_g0 = -1;
    aiq_keymap_init(&s->distinct);
    aiq_arena_init(&s->strings, 64 * 1024);
    int first = a->arg && a->kind != AIQ_AGG_TAKE_ANY ? 1 : 0;
    if (a->nextra) {
        AiqSchema es = {a->nextra, out->cols + a->out_col + first};
        s->extra = aiq_table_new(&es);
    }
}

void aiq_agg_free(AggState *s)
{
    for (int64_t g = 0; s->list && g < s->cap; g++)
        json_decref(s->list[g]);
    aiq_xfree(s->log);
    aiq_xfree(s->log_gid);
    aiq_xfree(s->pre);
    aiq_xfree(s->pre_log);
    aiq_xfree(s->pre_start);
    aiq_xfree(s->cnt);
    aiq_xfree(s->isum);
    aiq_xfree(s->fsum);
    aiq_xfree(s->m2);
    aiq_xfree(s->mean);
    aiq_xfree(s->sval);
    aiq_xfree(s->list);
    aiq_keymap_free(&s->distinct);
    aiq_table_free(s->extra);
    aiq_agg_more_free(s);
    aiq_arena_free(&s->strings);
}

static bool pred_true(const AiqVector *p, uint32_t i)
{
    return !p || (!aiq_vec_is_null(p, i) && p->data.i64[aiq_vidx(p, i)]);
}

/* Whether row i of v is null or empty (isempty()): take_any(x) of one
 * value returns a non-null, non-empty one when the group has one (Kusto's
 * take_any page). */
static bool value_is_empty(const AiqVector *v, uint32_t i)
{
    if (v->type == AIQ_TYPE_STRING)
        return v->data.str[aiq_vidx(v, i)].len == 0;
    if (v->type == AIQ_TYPE_DYNAMIC) {
        json_t *d = v->data.dyn[aiq_vidx(v, i)];
        return !d || json_is_null(d) || (json_is_string(d) && json_string_length(d) == 0);
    }
    return aiq_vec_is_null(v, i);
}

static bool is_intlike(AiqType t) { return t != AIQ_TYPE_REAL && t != AIQ_TYPE_STRING && t != AIQ_TYPE_DYNAMIC; }

/* Three-way comparison of value i of v against the group's current best. */
static int cmp_best(const AggState *s, int64_t g, const AiqVector *v, uint32_t i)
{
    uint32_t j = aiq_vidx(v, i);
    if (v->type == AIQ_TYPE_STRING) {
        AiqStr a = v->data.str[j], b = s->sval[g];
        uint32_t n = a.len < b.len ? a.len : b.len;
        int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
        return c ? c : (a.len > b.len) - (a.len < b.len);
    }
    if (v->type == AIQ_TYPE_REAL) {
        double a = v->data.f64[j];
        return (a > s->fsum[g]) - (a < s->fsum[g]);
    }
    int64_t a = v->data.i64[j];
    return (a > s->isum[g]) - (a < s->isum[g]);
}

static void set_best(AggState *s, int64_t g, const AiqVector *v, uint32_t i)
{
    uint32_t j = aiq_vidx(v, i);
    if (v->type == AIQ_TYPE_STRING) {
        AiqStr a = v->data.str[j];
        char *p = aiq_arena_alloc(&s->strings, a.len ? a.len : 1);
        memcpy(p, a.ptr, a.len);
        s->sval[g] = (AiqStr){p, a.len};
    } else if (v->type == AIQ_TYPE_REAL) {
        s->fsum[g] = v->data.f64[j];
    } else {
        s->isum[g] = v->data.i64[j];
    }
}

/* Whether a list may take one more item under --max-memory. jansson
 * doubles an array's table when it is full (its capacity runs 8, 16, 32,
 * ...), the old one alive until copied: a list of millions grows by tens of
 * MB at once, past the limit before the query's next check. A doubling
 * that does not fit marks the limit reached instead (the query stops at
 * that check; what it would have held does not matter then). */
static bool list_may_grow(const json_t *list)
{
    size_t n = json_array_size(list);
    if (n < 65536 || (n & (n - 1)) != 0 || aiq_mem_room(2 * n * sizeof(json_t *)))
        return true;
    aiq_mem_reached();
    return false;
}

/* A logged value: a double or an int64. */
#define LOG_WIDTH 8

/* Makes room in a percentile's log for n more values. */
static void log_reserve(AggState *s, int64_t n)
{
    if (s->nlog + n <= s->caplog)
        return;
    int64_t cap = aiq_mem_grow_cap(s->caplog, s->nlog + n, LOG_WIDTH + sizeof *s->log_gid);
    if (cap < 1024)
        cap = 1024;
    s->log = aiq_xrealloc(s->log, LOG_WIDTH * (size_t)cap);
    if (s->log_gid)
        s->log_gid = aiq_xrealloc(s->log_gid, sizeof *s->log_gid * (size_t)cap);
    s->caplog = cap;
}

/* The log's groups, from its first value of a second group: until then
 * every value is of group log_g0 (a summarize without by, or a single
 * group), and the log is only the values, in order of group already. */
static void log_split(AggState *s)
{
    s->log_gid = aiq_xmalloc(sizeof *s->log_gid * (size_t)s->caplog);
    for (int64_t r = 0; r < s->nlog; r++)
        s->log_gid[r] = (uint32_t)s->log_g0;
}

/* Logs value x (the 8 bytes of a double or an int64) of group g. */
static inline void log_value(AggState *s, int64_t g, const void *x)
{
    if (!s->log_gid && g != s->log_g0) {
        if (s->nlog == 0)
            s->log_g0 = g;
        else
            log_split(s);
    }
    memcpy(s->log + LOG_WIDTH * (size_t)s->nlog, x, LOG_WIDTH);
    if (s->log_gid)
        s->log_gid[s->nlog] = (uint32_t)g;
    s->nlog++;
    s->cnt[g]++;
}

/* The logical rows of c an aggregate takes: those its predicate holds for
 * (true, not null) and whose argument is not null. NULL when that is every
 * row; else mask, made a word at a time where the rows allow. */
static const uint64_t *taken_rows(const AiqChunk *c, const AiqVector *arg, const AiqVector *pred, uint64_t *mask)
{
    uint32_t n = c->count;
    bool arg_nulls = arg && (arg->type == AIQ_TYPE_DYNAMIC || (arg->type != AIQ_TYPE_STRING && arg->validity));
    if (!arg_nulls && !pred)
        return NULL;
    for (uint32_t base = 0; base < n; base += 64)
        mask[base >> 6] = AIQ_WORD_ALL;
    if (arg_nulls && arg->validity && !arg->is_const && !c->sel) {
        for (uint32_t base = 0; base < n; base += 64)
            mask[base >> 6] &= arg->validity[base >> 6];
    } else if (arg_nulls) {
        for (uint32_t k = 0; k < n; k++)
            if (aiq_vec_is_null(arg, aiq_row(c, k)))
                aiq_bit_clear(mask, k);
    }
    for (uint32_t k = 0; pred && k < n; k++)
        if (!pred_true(pred, aiq_row(c, k)))
            aiq_bit_clear(mask, k);
    return mask;
}

/* Runs body for each logical row k of c an aggregate takes, with i its
 * physical row, j its argument's row (0 for a constant) and g its group. */
#define EACH_TAKEN(body)                                                                   \
    AIQ_FOR_ROWS_IN(taken, c->count, k, {                                                  \
        uint32_t i = c->sel ? c->sel[k] : k;                                               \
        uint32_t j = arg && arg->is_const ? 0 : i;                                         \
        int64_t g = gids[k];                                                               \
        (void)j;                                                                           \
        body;                                                                              \
    })

/* The aggregates over numbers, with one loop per aggregate and argument
 * type instead of a switch per row, a 64-row word of taken rows at a time
 * (core/validity.h). The same updates as aiq_agg_update's row loop (a NaN
 * never replaces a min or max, as cmp_best says); false when the aggregate
 * is not one of these (strings, lists, distinct values, carried columns). */
static bool update_numbers(AggState *s, const AiqChunk *c, const int64_t *gids, const AiqVector *arg,
                           const AiqVector *pred)
{
    const AiqAgg *a = s->a;
    bool counting = a->kind == AIQ_AGG_COUNT || a->kind == AIQ_AGG_COUNTIF;
    if (!counting && (!arg || arg->type == AIQ_TYPE_STRING || arg->type == AIQ_TYPE_DYNAMIC))
        return false;
    bool real = arg && arg->type == AIQ_TYPE_REAL;
    const double *xf = arg ? arg->data.f64 : NULL;
    const int64_t *xi = arg ? arg->data.i64 : NULL;
    uint64_t maskbuf[AIQ_VECTOR_SIZE / 64];
    const uint64_t *taken = taken_rows(c, counting ? NULL : arg, pred, maskbuf);
    switch (a->kind) {
    case AIQ_AGG_COUNT:
    case AIQ_AGG_COUNTIF: EACH_TAKEN(s->cnt[g]++); return true;
    case AIQ_AGG_SUM:
    case AIQ_AGG_SUMIF:
        if (s->out_type == AIQ_TYPE_REAL && real)
            EACH_TAKEN(s->fsum[g] += xf[j]);
        else if (s->out_type == AIQ_TYPE_REAL)
            EACH_TAKEN(s->fsum[g] += (double)xi[j]);
        else if (!real)
            EACH_TAKEN(s->isum[g] = (int64_t)((uint64_t)s->isum[g] + (uint64_t)xi[j]));
        else
            return false;
        return true;
    case AIQ_AGG_AVG:
    case AIQ_AGG_AVGIF:
    case AIQ_AGG_STDEV:
    case AIQ_AGG_STDEVIF:
    case AIQ_AGG_VARIANCE:
    case AIQ_AGG_VARIANCEIF:
    case AIQ_AGG_STDEVP:
    case AIQ_AGG_VARIANCEP:
        /* avg is sum / count, as Kusto computes it; variance uses Welford's
         * update, which stays accurate when the mean is large */
        EACH_TAKEN({
            double x = real ? xf[j] : (double)xi[j];
            int64_t cnt = ++s->cnt[g];
            s->fsum[g] += x;
            double d = x - s->mean[g];
            s->mean[g] += d / (double)cnt;
            s->m2[g] += d * (x - s->mean[g]);
        });
        return true;
    case AIQ_AGG_MAX:
    case AIQ_AGG_MAXIF:
        if (real)
            EACH_TAKEN(if (!s->cnt[g] || xf[j] > s->fsum[g]) s->fsum[g] = xf[j]; s->cnt[g] = 1);
        else
            EACH_TAKEN(if (!s->cnt[g] || xi[j] > s->isum[g]) s->isum[g] = xi[j]; s->cnt[g] = 1);
        return true;
    case AIQ_AGG_MIN:
    case AIQ_AGG_MINIF:
        if (real)
            EACH_TAKEN(if (!s->cnt[g] || xf[j] < s->fsum[g]) s->fsum[g] = xf[j]; s->cnt[g] = 1);
        else
            EACH_TAKEN(if (!s->cnt[g] || xi[j] < s->isum[g]) s->isum[g] = xi[j]; s->cnt[g] = 1);
        return true;
    case AIQ_AGG_PERCENTILE:
        log_reserve(s, c->count);
        if (real)
            EACH_TAKEN(log_value(s, g, &xf[j]));
        else
            EACH_TAKEN(log_value(s, g, &xi[j]));
        return true;
    default: return false;
    }
}
#undef EACH_TAKEN

/* make_set over a dynamic array adds the array's elements, each once
 * (Kusto's make_set page, "Set from array column"); null elements are left
 * out as null values are. */
static void set_add_elements(AggState *s, int64_t g, json_t *arr, AiqStrBuf *key)
{
    size_t k;
    json_t *el;
    json_array_foreach(arr, k, el) {
        if (json_is_null(el))
            continue;
        AiqVector v = {.type = AIQ_TYPE_DYNAMIC, .is_const = true, .data.dyn = &el};
        aiq_sb_clear(key);
        aiq_sb_append(key, (const char *)&g, sizeof g);
        aiq_key_append(key, &v, 0);
        bool added;
        aiq_keymap_get(&s->distinct, key->data, (uint32_t)key->len, &added);
        if (!added)
            continue;
        if (!s->list[g])
            s->list[g] = json_array();
        if ((int64_t)json_array_size(s->list[g]) >= s->a->limit)
            break;
        json_array_append(s->list[g], el);
    }
}

/* Row i of arg as the JSON value make_list() holds (a new reference):
 * numbers and bools as themselves, a dynamic value shared, the rest as
 * their text. */
static json_t *list_value(const AiqVector *arg, uint32_t i)
{
    uint32_t x = aiq_vidx(arg, i);
    switch (arg->type) {
    case AIQ_TYPE_BOOL: return json_boolean(arg->data.i64[x]);
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: return json_integer(arg->data.i64[x]);
    case AIQ_TYPE_REAL: return json_real(arg->data.f64[x]);
    case AIQ_TYPE_DYNAMIC: return json_incref(arg->data.dyn[x]);
    default: {
        AiqEvalCtx tmp;
        AiqError e = {0};
        aiq_eval_init(&tmp, &e, 0);
        AiqStr t = aiq_conv_string(&tmp, arg, i);
        json_t *j = json_stringn(t.ptr, t.len);
        aiq_eval_free(&tmp);
        return j;
    }
    }
}

/* Adds the properties of src that bag lacks, up to limit keys. */
static void bag_add(json_t *bag, json_t *src, int64_t limit)
{
    const char *key;
    size_t klen;
    json_t *v;
    json_object_keylen_foreach(src, key, klen, v) {
        if ((int64_t)json_object_size(bag) >= limit)
            break;
        if (!json_object_getn(bag, key, klen))
            json_object_setn(bag, key, klen, v);
    }
}

/* Updates one aggregate with the chunk's rows; gids[k] is logical row k's group. */
void aiq_agg_update(AggState *s, const AiqChunk *c, const int64_t *gids, AiqVector *arg, AiqVector *arg2,
                    AiqVector *pred, AiqVector **extra, AiqStrBuf *key)
{
    const AiqAgg *a = s->a;
    if (aiq_agg_more_kind(a->kind)) {
        aiq_agg_more_update(s, c, gids, arg, arg2, pred, key);
        return;
    }
    if (update_numbers(s, c, gids, arg, pred))
        return;
    for (uint32_t k = 0; k < c->count; k++) {
        uint32_t i = aiq_row(c, k);
        int64_t g = gids[k];
        if (!pred_true(pred, i))
            continue;
        bool null = arg && aiq_vec_is_null(arg, i);
        switch (a->kind) {
        case AIQ_AGG_COUNT:
        case AIQ_AGG_COUNTIF: s->cnt[g]++; break;
        case AIQ_AGG_SUM:
        case AIQ_AGG_SUMIF:
            if (null)
                break;
            if (s->out_type == AIQ_TYPE_REAL)
                s->fsum[g] += arg->type == AIQ_TYPE_REAL ? arg->data.f64[aiq_vidx(arg, i)] : (double)arg->data.i64[aiq_vidx(arg, i)];
            else
                s->isum[g] = (int64_t)((uint64_t)s->isum[g] + (uint64_t)arg->data.i64[aiq_vidx(arg, i)]);
            break;
        case AIQ_AGG_AVG:
        case AIQ_AGG_AVGIF:
        case AIQ_AGG_STDEV:
        case AIQ_AGG_STDEVIF:
        case AIQ_AGG_VARIANCE:
        case AIQ_AGG_VARIANCEIF:
        case AIQ_AGG_STDEVP:
        case AIQ_AGG_VARIANCEP: {
            if (null)
                break;
            double x = arg->type == AIQ_TYPE_REAL ? arg->data.f64[aiq_vidx(arg, i)] : (double)arg->data.i64[aiq_vidx(arg, i)];
            /* avg is sum / count, as Kusto computes it; variance uses Welford's
             * update, which stays accurate when the mean is large */
            int64_t n = ++s->cnt[g];
            s->fsum[g] += x;
            double d = x - s->mean[g];
            s->mean[g] += d / (double)n;
            s->m2[g] += d * (x - s->mean[g]);
            break;
        }
        case AIQ_AGG_MIN:
        case AIQ_AGG_MAX:
        case AIQ_AGG_MINIF:
        case AIQ_AGG_MAXIF: {
            if (null)
                break;
            bool want_max = a->kind == AIQ_AGG_MAX || a->kind == AIQ_AGG_MAXIF;
            if (!s->cnt[g] || (want_max ? cmp_best(s, g, arg, i) > 0 : cmp_best(s, g, arg, i) < 0))
                set_best(s, g, arg, i);
            s->cnt[g] = 1;
            break;
        }
        case AIQ_AGG_ARG_MAX:
        case AIQ_AGG_ARG_MIN: {
            if (null) {
                /* A group whose x is always null still gives one of its rows,
                 * its first, with x null (Kusto's arg_max page); cnt -1 marks
                 * that stand-in, which any row with a value replaces. */
                if (s->cnt[g] == 0) {
                    for (int e = 0; e < a->nextra; e++)
                        aiq_table_set(s->extra, e, g, extra[e], i);
                    s->cnt[g] = -1;
                }
                break;
            }
            bool want_max = a->kind == AIQ_AGG_ARG_MAX;
            /* the first row wins ties */
            if (s->cnt[g] > 0 && (want_max ? cmp_best(s, g, arg, i) <= 0 : cmp_best(s, g, arg, i) >= 0))
                break;
            set_best(s, g, arg, i);
            s->cnt[g] = 1;
            for (int e = 0; e < a->nextra; e++)
                aiq_table_set(s->extra, e, g, extra[e], i);
            break;
        }
        case AIQ_AGG_TAKE_ANY:
            /* the first row with a non-empty value (or the first row, for several columns) */
            if (s->cnt[g] == 2 || (s->cnt[g] == 1 && a->nextra > 1))
                break;
            if (a->nextra == 1 && value_is_empty(extra[0], i)) {
                if (s->cnt[g] == 0) {
                    aiq_table_set(s->extra, 0, g, extra[0], i);
                    s->cnt[g] = 1;
                }
                break;
            }
            for (int e = 0; e < a->nextra; e++)
                aiq_table_set(s->extra, e, g, extra[e], i);
            s->cnt[g] = 2;
            break;
        case AIQ_AGG_DCOUNT:
        case AIQ_AGG_DCOUNTIF:
        case AIQ_AGG_MAKE_SET: {
            if (null)
                break;
            if (a->kind == AIQ_AGG_MAKE_SET && arg->type == AIQ_TYPE_DYNAMIC &&
                json_is_array(arg->data.dyn[aiq_vidx(arg, i)])) {
                set_add_elements(s, g, arg->data.dyn[aiq_vidx(arg, i)], key);
                break;
            }
            aiq_sb_clear(key);
            aiq_sb_append(key, (const char *)&g, sizeof g);
            aiq_key_append(key, arg, i);
            bool added;
            aiq_keymap_get(&s->distinct, key->data, (uint32_t)key->len, &added);
            if (!added)
                break;
            if (a->kind != AIQ_AGG_MAKE_SET) {
                s->cnt[g]++;
                break;
            }
        }
            /* a new distinct value joins the set like a list item */
            __attribute__((fallthrough));
        case AIQ_AGG_MAKE_LIST:
        case AIQ_AGG_MAKE_LIST_NULLS:
            /* make_list_with_nulls keeps a null as a JSON null */
            if (null && a->kind != AIQ_AGG_MAKE_LIST_NULLS)
                break;
            if (!s->list[g])
                s->list[g] = json_array();
            if ((int64_t)json_array_size(s->list[g]) < a->limit && list_may_grow(s->list[g]))
                json_array_append_new(s->list[g], null ? json_null() : list_value(arg, i));
            break;
        case AIQ_AGG_MAKE_BAG:
            /* the properties of the bags; a key's first value stays (any is allowed) */
            if (null || !json_is_object(arg->data.dyn[aiq_vidx(arg, i)]))
                break;
            if (!s->list[g])
                s->list[g] = json_object();
            bag_add(s->list[g], arg->data.dyn[aiq_vidx(arg, i)], a->limit);
            break;
        case AIQ_AGG_PERCENTILE:
            if (null)
                break;
            log_reserve(s, 1);
            if (arg->type == AIQ_TYPE_REAL)
                log_value(s, g, &arg->data.f64[aiq_vidx(arg, i)]);
            else
                log_value(s, g, &arg->data.i64[aiq_vidx(arg, i)]);
            break;
        default: break;
        }
    }
}

/* Quickselect: puts the value of rank k (0-based) of v[lo..hi] at v[k],
 * smaller or equal ones before it and larger or equal ones after. Each
 * round splits the range into < pivot, == pivot and > pivot with two
 * branch-free passes: which side a value goes to is data, not a jump, so
 * random values cost no mispredictions (Hoare's loops mispredicted about
 * every other value), and repeated values end in the middle part at once.
 * The pivot is the median of three values at pseudo-random places: a
 * sawtooth of 1M values took 240 ms with the first, middle and last
 * (fuzz_query's slow unit); and after 64 rounds the range is sorted, which
 * bounds any input that still defeats it to n log n. */
#define DEFINE_SELECT(name, T)                                                            \
    static int64_t name##_split(T *v, int64_t lo, int64_t hi, T pivot, bool or_equal)    \
    {                                                                                     \
        int64_t store = lo;                                                               \
        for (int64_t i = lo; i <= hi; i++) {                                              \
            T x = v[i];                                                                   \
            v[i] = v[store];                                                              \
            v[store] = x;                                                                 \
            store += or_equal ? !(pivot < x) : x < pivot;                                 \
        }                                                                                 \
        return store;                                                                     \
    }                                                                                     \
    static int name##_order(const void *a, const void *b)                                 \
    {                                                                                     \
        T x = *(const T *)a, y = *(const T *)b;                                           \
        return (x > y) - (x < y);                                                         \
    }                                                                                     \
    static void name(void *base, int64_t lo, int64_t hi, int64_t k)                       \
    {                                                                                     \
        T *v = base;                                                                      \
        uint64_t rng = UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)(hi - lo);                \
        for (int round = 0; lo < hi; round++) {                                           \
            if (round == 64) {                                                            \
                aiq_sort(v + lo, (size_t)(hi - lo + 1), sizeof *v, name##_order);            \
                return;                                                                   \
            }                                                                             \
            T s[3];                                                                       \
            for (int j = 0; j < 3; j++) { /* xorshift: places no input order predicts */   \
                rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;                      \
                s[j] = v[lo + (int64_t)(rng % (uint64_t)(hi - lo + 1))];                  \
            }                                                                             \
            T a = s[0], b = s[1], c = s[2];                                               \
            T pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b)); \
            int64_t less = name##_split(v, lo, hi, pivot, false);                         \
            if (k < less) {                                                               \
                hi = less - 1;                                                            \
                continue;                                                                 \
            }                                                                             \
            /* (the pivot is one of the values: this part is never empty) */              \
            int64_t upto = name##_split(v, less, hi, pivot, true);                        \
            if (k < upto)                                                                 \
                return; /* v[k] == pivot */                                               \
            lo = upto;                                                                    \
        }                                                                                 \
    }
DEFINE_SELECT(select_f64, double)
DEFINE_SELECT(select_i64, int64_t)

/* The nearest rank of percentile pct of n values, ceil(pct * n / 100), in
 * the order SEMANTICS.md writes it, which is exact in more cases than
 * pct / 100 * n: 99.9 / 100 * 5000 is 4995.000000000001, a rank too far.
 * The rounding error left is a few units in the last place: a whole number
 * plus less than one part in 10^12 of it is taken as that whole number. */
static int64_t nearest_rank(double pct, int64_t n)
{
    double x = pct * (double)n / 100.0;
    int64_t rank = (int64_t)ceil(x - 1e-12 * x);
    return rank < 1 ? 1 : rank > n ? n : rank;
}

/* A range this short is sorted rather than selected: the percentiles of
 * many small groups (by time bin and service, ~10 values each) spent
 * more on quickselect's pseudo-random pivots (a division each) and
 * rounds than on the values. Each value's place is counted, without a
 * branch, as the values below it and the equal ones before it (n^2
 * comparisons that vectorise; insertion sort mispredicted its way to
 * slower than quickselect). The value of a rank is the same whatever puts
 * it in place when the values have a total order: integers always; reals
 * only without NaN (which orders with nothing) and without zeros (0.0
 * and -0.0 compare equal but print apart): those are selected as before. */
#define SMALL_RANGE 16

#define DEFINE_SORT_SMALL(name, T, unordered)                                             \
    static bool name(void *base, int64_t lo, int64_t hi)                                  \
    {                                                                                     \
        T *v = (T *)base + lo, t[SMALL_RANGE];                                            \
        int n = (int)(hi - lo + 1);                                                       \
        bool odd = false;                                                                 \
        for (int i = 0; i < n; i++)                                                       \
            odd |= unordered(v[i]);                                                       \
        if (odd)                                                                          \
            return false;                                                                 \
        for (int i = 0; i < n; i++) {                                                     \
            int place = 0;                                                                \
            for (int j = 0; j < n; j++)                                                   \
                place += (v[j] < v[i]) | ((v[j] == v[i]) & (j < i));                      \
            t[place] = v[i];                                                              \
        }                                                                                 \
        memcpy(v, t, sizeof *v * (size_t)n);                                              \
        return true;                                                                      \
    }
#define REAL_ODD(x) ((x) != (x) || (x) == 0)
#define INT_ODD(x) ((void)(x), false)
DEFINE_SORT_SMALL(sort_small_f64, double, REAL_ODD)
DEFINE_SORT_SMALL(sort_small_i64, int64_t, INT_ODD)

/* The rank at an end of the range, k == hi or k == lo: the largest or the
 * smallest value, found in one pass and swapped into place, when the values
 * have a total order (as above). P95 and P99 of fewer than 20 values are
 * the largest: p95 by 15-minute bin and service (groups of ~10 values)
 * spent 23.0 M instructions on the groups of 200k rows with the small sort,
 * and 3.8 M this way. */
#define DEFINE_PLACE_END(name, T, unordered)                                              \
    static bool name(void *base, int64_t lo, int64_t hi, int64_t k)                       \
    {                                                                                     \
        T *v = base;                                                                      \
        int64_t at = lo;                                                                  \
        bool odd = false, largest = k == hi;                                              \
        for (int64_t i = lo; i <= hi; i++) {                                              \
            odd |= unordered(v[i]);                                                       \
            at = (largest ? v[i] > v[at] : v[i] < v[at]) ? i : at;                        \
        }                                                                                 \
        if (odd)                                                                          \
            return false;                                                                 \
        T x = v[k];                                                                       \
        v[k] = v[at];                                                                     \
        v[at] = x;                                                                        \
        return true;                                                                      \
    }
DEFINE_PLACE_END(place_end_f64, double, REAL_ODD)
DEFINE_PLACE_END(place_end_i64, int64_t, INT_ODD)

/* Puts the value of rank k (0-based) of vs in place: P50, P75 ... P99 of
 * one column share their values, and each selection searches only between
 * the ranks placed before it (about 2.5N + 1.25N + ... instead of 2.5N each). */
static void percentile_rank(Values *vs, int64_t k, bool real)
{
    int64_t lo = 0, hi = vs->n - 1;
    for (int i = 0; i < vs->nplaced; i++) {
        int64_t r = vs->placed[i];
        if (r == k)
            return;
        if (r < k && r + 1 > lo)
            lo = r + 1;
        if (r > k && r - 1 < hi)
            hi = r - 1;
    }
    if ((k == hi || k == lo) && (real ? place_end_f64(vs->v, lo, hi, k) : place_end_i64(vs->v, lo, hi, k)))
        ; /* the largest or smallest is in place */
    else if (hi - lo < SMALL_RANGE && (real ? sort_small_f64(vs->v, lo, hi) : sort_small_i64(vs->v, lo, hi)))
        ; /* every rank of the range is in place */
    else if (real)
        select_f64(vs->v, lo, hi, k);
    else
        select_i64(vs->v, lo, hi, k);
    if (vs->nplaced < (int)(sizeof vs->placed / sizeof *vs->placed))
        vs->placed[vs->nplaced++] = k;
}

/* Group g's values, none selected yet, once they are in order of group:
 * in the log (group_values), or, while aiq_agg_prefinish puts them in
 * order, in pre_log (cnt holds each group's end in both). */
static Values values_of_group(const AggState *s, int64_t g)
{
    if (s->pre_log)
        return (Values){.v = s->pre_log + LOG_WIDTH * (size_t)s->pre_start[g], .n = s->cnt[g] - s->pre_start[g]};
    int64_t start = g ? s->cnt[g - 1] : 0;
    /* (no value at all: no log either, and no offset into NULL) */
    return (Values){.v = s->log ? s->log + LOG_WIDTH * (size_t)start : NULL, .n = s->cnt[g] - start};
}

/* The state whose values s selects from: its own, or (vals_of) those of a
 * percentile before it over the same column. */
static AggState *values_owner(const AggState *s)
{
    return s->vals_of ? s->vals_of : (AggState *)s;
}

/* Group g's values, in the order they came (see AggState's log): at the
 * first call the log is put in order of group, a stable counting sort,
 * and cnt[g] becomes the end of group g's values. The selected ranks
 * are kept while the aggregates sharing the values finish group g. */
static Values *group_values(AggState *s, int64_t g)
{
    if (!s->by_group) {
        s->by_group = true;
        int64_t end = 0;
        for (int64_t x = 0; !s->log_gid && x < s->cap; x++) /* one group: counts -> ends, in place */
            s->cnt[x] = end += s->cnt[x];
        for (int64_t x = 0; s->log_gid && x < s->cap; x++) { /* counts -> starts */
            int64_t n = s->cnt[x];
            s->cnt[x] = end;
            end += n;
        }
        if (s->log_gid) {
            char *v = aiq_xmalloc(LOG_WIDTH * (size_t)(s->nlog ? s->nlog : 1));
            for (int64_t r = 0; r < s->nlog; r++) /* starts -> ends */
                memcpy(v + LOG_WIDTH * (size_t)s->cnt[s->log_gid[r]]++, s->log + LOG_WIDTH * (size_t)r, LOG_WIDTH);
            aiq_xfree(s->log);
            aiq_xfree(s->log_gid);
            s->log = v;
            s->log_gid = NULL;
        }
    }
    if (s->cur_g != g) {
        s->cur = values_of_group(s, g);
        s->cur_g = g;
    }
    return &s->cur;
}

/* percentiles_array(): writes the percentiles of group g as one dynamic
 * array (empty for a group without values) into its column of out. */
static void percentile_array(Values *vs, const AiqAgg *a, bool real, AiqTable *out, int64_t g, AiqArena *scratch)
{
    json_t *arr = json_array();
    for (int p = 0; p < a->npcts && vs->n; p++) {
        int64_t rank = nearest_rank(a->pcts[p], vs->n);
        percentile_rank(vs, rank - 1, real);
        json_array_append_new(arr, real ? json_real(((double *)vs->v)[rank - 1]) : json_integer(((int64_t *)vs->v)[rank - 1]));
    }
    AiqValue v = {.type = AIQ_TYPE_DYNAMIC, .dyn = arr};
    aiq_table_set_value(out, a->out_col, g, &v);
    json_decref(arr); /* the table took its own reference */
}

/* Percentile pct of vs (null when it has no value): the value is put in
 * place, its rank recorded for the next percentile of the same values. */
static struct PreValue select_percentile(Values *vs, double pct, bool real)
{
    struct PreValue pv = {.isnull = vs->n == 0};
    if (vs->n) {
        int64_t rank = nearest_rank(pct, vs->n);
        percentile_rank(vs, rank - 1, real);
        if (real)
            pv.f64 = ((double *)vs->v)[rank - 1];
        else
            pv.i64 = ((int64_t *)vs->v)[rank - 1];
        pv.f64 = real ? pv.f64 : (double)pv.i64;
    }
    return pv;
}

bool aiq_agg_prefinish_kind(const AggState *s)
{
    return s->a->kind == AIQ_AGG_PERCENTILE && !s->a->pct_array;
}

void aiq_agg_prefinish_begin(AggState *s, int64_t ngroups)
{
    s->pre = aiq_xmalloc(sizeof *s->pre * (size_t)(ngroups ? ngroups : 1) * (size_t)s->a->npcts);
    AggState *o = values_owner(s);
    if (o->by_group || o->pre_log)
        return; /* (in order already, or readied for another percentile) */
    if (!o->log_gid) { /* every value of one group: counts -> ends, in place */
        group_values(o, 0);
        return;
    }
    /* group_values' counting sort, its scatter left to the threads: counts
     * -> starts, each group's cursor in cnt (only its thread moves it) */
    o->pre_start = aiq_xmalloc(sizeof *o->pre_start * (size_t)(o->cap ? o->cap : 1));
    int64_t end = 0;
    for (int64_t x = 0; x < o->cap; x++) {
        int64_t n = o->cnt[x];
        o->pre_start[x] = o->cnt[x] = end;
        end += n;
    }
    o->pre_log = aiq_xmalloc(LOG_WIDTH * (size_t)(o->nlog ? o->nlog : 1));
}

void aiq_agg_prefinish_end(AggState *s)
{
    AggState *o = values_owner(s);
    if (!o->pre_log)
        return;
    aiq_xfree(o->log);
    aiq_xfree(o->log_gid);
    aiq_xfree(o->pre_start);
    o->log = o->pre_log; /* (cnt now holds each group's end, as group_values leaves it) */
    o->log_gid = NULL;
    o->pre_log = NULL;
    o->pre_start = NULL;
    o->by_group = true;
}

void aiq_agg_prefinish(AggState *const *ss, int n, int64_t g0, int64_t g1)
{
    /* each state's values: its own, or (vals_of) those of one before it,
     * shared within a group as group_values shares them */
    Values *vals = aiq_xmalloc(sizeof *vals * (size_t)n);
    int *of = aiq_xmalloc(sizeof *of * (size_t)n);
    for (int i = 0; i < n; i++) {
        of[i] = i;
        for (int j = 0; j < i && of[i] == i; j++)
            if (values_owner(ss[j]) == values_owner(ss[i]))
                of[i] = j;
    }
    for (int i = 0; i < n; i++) { /* this range's part of the scatter: every value read, its own copied */
        AggState *o = values_owner(ss[i]);
        if (of[i] != i || !o->pre_log)
            continue; /* (shared with one before, or in order already) */
        for (int64_t r = 0; r < o->nlog; r++) {
            int64_t g = o->log_gid[r];
            if (g >= g0 && g < g1)
                memcpy(o->pre_log + LOG_WIDTH * (size_t)o->cnt[g]++, o->log + LOG_WIDTH * (size_t)r, LOG_WIDTH);
        }
    }
    for (int64_t g = g0; g < g1; g++) {
        for (int i = 0; i < n; i++)
            if (of[i] == i)
                vals[i] = values_of_group(values_owner(ss[i]), g);
        for (int i = 0; i < n; i++) {
            const AiqAgg *a = ss[i]->a;
            for (int p = 0; p < a->npcts; p++)
                ss[i]->pre[g * a->npcts + p] = select_percentile(&vals[of[i]], a->pcts[p], ss[i]->in_type == AIQ_TYPE_REAL);
        }
    }
    aiq_xfree(of);
    aiq_xfree(vals);
}

/* Writes group g's result(s) into row g of out. */
void aiq_agg_finish(AggState *s, int64_t g, AiqTable *out, AiqArena *scratch)
{
    const AiqAgg *a = s->a;
    int col = a->out_col;
    AiqValue v = {.type = s->out_type};
    switch (a->kind) {
    case AIQ_AGG_COUNT:
    case AIQ_AGG_COUNTIF:
    case AIQ_AGG_DCOUNT:
    case AIQ_AGG_DCOUNTIF: v.i64 = s->cnt[g]; break;
    case AIQ_AGG_SUM:
    case AIQ_AGG_SUMIF:
        v.i64 = s->isum[g];
        v.f64 = s->fsum[g];
        break;
    case AIQ_AGG_AVG:
    case AIQ_AGG_AVGIF:
        v.isnull = s->cnt[g] == 0;
        v.f64 = s->cnt[g] ? s->fsum[g] / (double)s->cnt[g] : 0;
        v.i64 = (int64_t)llround(v.f64);
        break;
    case AIQ_AGG_STDEV:
    case AIQ_AGG_STDEVIF:
    case AIQ_AGG_VARIANCE:
    case AIQ_AGG_VARIANCEIF: {
        /* sample variance; 0 for fewer than two values (Kusto's default) */
        double var = s->cnt[g] > 1 ? s->m2[g] / (double)(s->cnt[g] - 1) : 0;
        v.f64 = (a->kind == AIQ_AGG_STDEV || a->kind == AIQ_AGG_STDEVIF) ? sqrt(var) : var;
        break;
    }
    case AIQ_AGG_STDEVP:
    case AIQ_AGG_VARIANCEP: {
        /* population variance: divided by n, not n - 1 */
        double var = s->cnt[g] > 0 ? s->m2[g] / (double)s->cnt[g] : 0;
        v.f64 = a->kind == AIQ_AGG_STDEVP ? sqrt(var) : var;
        break;
    }
    case AIQ_AGG_MIN:
    case AIQ_AGG_MAX:
    case AIQ_AGG_MINIF:
    case AIQ_AGG_MAXIF:
    case AIQ_AGG_ARG_MAX:
    case AIQ_AGG_ARG_MIN:
        v.isnull = s->cnt[g] <= 0;
        v.i64 = s->isum[g];
        v.f64 = s->fsum[g];
        v.str = s->sval[g];
        break;
    case AIQ_AGG_MAKE_LIST:
    case AIQ_AGG_MAKE_SET:
    case AIQ_AGG_MAKE_LIST_NULLS:
    case AIQ_AGG_MAKE_BAG:
        v.dyn = s->list[g] ? s->list[g] : a->kind == AIQ_AGG_MAKE_BAG ? json_object() : json_array();
        if (!s->list[g])
            s->list[g] = v.dyn; /* freed with the state */
        break;
    case AIQ_AGG_PERCENTILE: {
        /* selection reorders the values but keeps them: sharing is safe
         * (none here when they were found ahead: aiq_agg_prefinish) */
        Values *vs = s->pre ? NULL : group_values(values_owner(s), g);
        bool real = s->in_type == AIQ_TYPE_REAL;
        if (a->pct_array) {
            percentile_array(vs, a, real, out, g, scratch);
            return;
        }
        for (int p = 0; p < a->npcts; p++) {
            struct PreValue pre = s->pre ? s->pre[g * a->npcts + p] : select_percentile(vs, a->pcts[p], real);
            AiqValue pv = {.type = out->cols[col + p].type, .isnull = pre.isnull, .f64 = pre.f64, .i64 = pre.i64};
            aiq_table_set_value(out, col + p, g, &pv);
        }
        return;
    }
    case AIQ_AGG_TAKE_ANY: break;
    default:
        if (aiq_agg_more_kind(a->kind)) {
            aiq_agg_more_finish(s, g, out, scratch);
            return;
        }
        break;
    }
    int first = 0;
    if (a->kind != AIQ_AGG_TAKE_ANY) {
        /* min and max of integers keep them in isum: a real column of them
         * (an int-typed min over a real output never happens) takes them as reals */
        if (v.type == AIQ_TYPE_REAL && is_intlike(s->in_type) &&
            (a->kind == AIQ_AGG_MIN || a->kind == AIQ_AGG_MAX || a->kind == AIQ_AGG_MINIF || a->kind == AIQ_AGG_MAXIF ||
             a->kind == AIQ_AGG_ARG_MAX || a->kind == AIQ_AGG_ARG_MIN))
            v.f64 = (double)v.i64;
        aiq_table_set_value(out, col, g, &v);
        first = 1;
    }
    for (int e = 0; e < a->nextra; e++) {
        AiqVector ev;
        aiq_table_column_vector(s->extra, e, &ev);
        aiq_table_set(out, col + first + e, g, &ev, (uint32_t)g);
    }
}
