/*
 * test_vector_edges.c -- the vector code at the edges of a 64-row validity
 * word and of a 2048-row chunk (STYLE.md §7): 0, 1, 63, 64, 65, 2047,
 * 2048 and 2049 rows, with no nulls, all nulls and mixed nulls, with and
 * without a selection vector. Covered: appending chunks to a table
 * (core/table.c), the comparison and arithmetic kernels (func/), null
 * propagation in the evaluator, summarize and sort (exec/). Each result is
 * checked against an oracle computed here, row by row, from the same
 * generated data: nothing is compared with aiq's own output.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/table.h"
#include "core/vector.h"
#include "exec/op.h"
#include "func/eval_ctx.h"
#include "func/registry.h"
#include "io/jsonl.h"
#include "util/arena.h"
#include "util/mem.h"

static const uint32_t sizes[] = {0, 1, 63, 64, 65, 2047, 2048, 2049};
enum { NSIZES = sizeof sizes / sizeof sizes[0] };
/* NULLS_MASKED: a bitmap with every row valid, and the bits past the last
 * row clear (the ragged last word must not count them). */
enum { NULLS_NONE, NULLS_MASKED, NULLS_ALL, NULLS_MIXED, NULL_KINDS };

/* ---- the generated data: row g of the whole input ------------------------ */

static bool gen_null(int kind, uint32_t g)
{
    if (kind == NULLS_NONE || kind == NULLS_MASKED)
        return false;
    if (kind == NULLS_ALL)
        return true;
    /* mixed: word edges null, and about one row in three */
    return g % 64 == 0 || g % 64 == 63 || (g * 7 + 3) % 3 == 0;
}
static int64_t gen_long(uint32_t g) { return (int64_t)((g * 37) % 101) - 50; }
static double gen_real(uint32_t g) { return (double)g * 0.5 - 100.25; }
/* A selection vector takes every row but those with g % 5 == 2. */
static bool gen_selected(bool sel, uint32_t g) { return !sel || g % 5 != 2; }

/* The physical rows (within a chunk of up to AIQ_VECTOR_SIZE) of the input
 * chunks that hold n selected rows: chunk c covers rows c*2048 .. */
typedef struct Input {
    uint32_t nchunks;
    uint32_t phys[8];  /* physical rows in each chunk */
    uint32_t count[8]; /* selected rows in each chunk */
} Input;

static Input input_for(uint32_t n, bool sel)
{
    Input in = {0};
    uint32_t left = n;
    while (left > 0) {
        uint32_t phys = 0, count = 0;
        while (phys < AIQ_VECTOR_SIZE && count < left) {
            uint32_t g = in.nchunks * AIQ_VECTOR_SIZE + phys;
            count += gen_selected(sel, g);
            phys++;
        }
        in.phys[in.nchunks] = phys;
        in.count[in.nchunks++] = count;
        left -= count;
    }
    return in;
}

/* Vectors of chunk c: LONG, REAL, STRING, BOOL, DYNAMIC with kind's nulls
 * (strings are never null), and its selection vector. */
typedef struct ChunkData {
    AiqVector vecs[5];
    AiqVector *ptrs[5];
    int64_t i64[AIQ_VECTOR_SIZE], b[AIQ_VECTOR_SIZE];
    double f64[AIQ_VECTOR_SIZE];
    AiqStr str[AIQ_VECTOR_SIZE];
    char text[AIQ_VECTOR_SIZE][16];
    json_t *dyn[AIQ_VECTOR_SIZE];
    uint64_t valid[AIQ_VECTOR_SIZE / 64];
    uint32_t sel[AIQ_VECTOR_SIZE];
    AiqChunk chunk;
} ChunkData;

static void make_chunk(ChunkData *d, const Input *in, uint32_t c, int kind, bool sel)
{
    memset(d->valid, 0xff, sizeof d->valid);
    uint32_t m = 0;
    for (uint32_t i = 0; i < in->phys[c]; i++) {
        uint32_t g = c * AIQ_VECTOR_SIZE + i;
        d->i64[i] = gen_long(g);
        d->b[i] = g & 1;
        d->f64[i] = gen_real(g);
        snprintf(d->text[i], sizeof d->text[i], "s%u", g);
        d->str[i] = (AiqStr){d->text[i], (uint32_t)strlen(d->text[i])};
        d->dyn[i] = gen_null(kind, g) ? NULL : json_integer(gen_long(g));
        if (gen_null(kind, g))
            d->valid[i >> 6] &= ~((uint64_t)1 << (i & 63));
        if (sel && gen_selected(true, g))
            d->sel[m++] = i;
    }
    for (uint32_t i = in->phys[c]; kind == NULLS_MASKED && i < AIQ_VECTOR_SIZE; i++)
        d->valid[i >> 6] &= ~((uint64_t)1 << (i & 63));
    uint64_t *validity = kind == NULLS_NONE ? NULL : d->valid;
    d->vecs[0] = (AiqVector){.type = AIQ_TYPE_LONG, .validity = validity, .data.i64 = d->i64};
    d->vecs[1] = (AiqVector){.type = AIQ_TYPE_REAL, .validity = validity, .data.f64 = d->f64};
    d->vecs[2] = (AiqVector){.type = AIQ_TYPE_STRING, .data.str = d->str};
    d->vecs[3] = (AiqVector){.type = AIQ_TYPE_BOOL, .validity = validity, .data.i64 = d->b};
    d->vecs[4] = (AiqVector){.type = AIQ_TYPE_DYNAMIC, .data.dyn = d->dyn};
    for (int k = 0; k < 5; k++)
        d->ptrs[k] = &d->vecs[k];
    d->chunk = (AiqChunk){.count = in->count[c], .nrows = in->phys[c], .sel = sel ? d->sel : NULL, .ncols = 5,
                          .cols = d->ptrs};
}

static void free_chunk(ChunkData *d, const Input *in, uint32_t c)
{
    for (uint32_t i = 0; i < in->phys[c]; i++)
        json_decref(d->dyn[i]);
}

/* The global row numbers of the n selected rows, in order. */
static uint32_t *selected_rows(uint32_t n, bool sel)
{
    uint32_t *rows = aiq_xmalloc(sizeof *rows * (n + 1));
    for (uint32_t g = 0, k = 0; k < n; g++)
        if (gen_selected(sel, g))
            rows[k++] = g;
    return rows;
}

static AiqColumn cols5[] = {{"l", AIQ_TYPE_LONG}, {"r", AIQ_TYPE_REAL}, {"s", AIQ_TYPE_STRING},
                            {"b", AIQ_TYPE_BOOL}, {"d", AIQ_TYPE_DYNAMIC}};

/* ---- appending chunks to a table ----------------------------------------- */

/* Every value, null and string of the appended rows; before them, `before`
 * null rows, so that the appended rows start off a word boundary. */
static void check_append(uint32_t n, int kind, bool sel, int64_t before)
{
    static ChunkData d;
    AiqSchema schema = {5, cols5};
    AiqTable *t = aiq_table_new(&schema);
    aiq_table_add_null_rows(t, before);
    Input in = input_for(n, sel);
    for (uint32_t c = 0; c < in.nchunks; c++) {
        make_chunk(&d, &in, c, kind, sel);
        aiq_table_append_chunk(t, &d.chunk);
        free_chunk(&d, &in, c);
    }
    CHECK_EQ_I64(t->nrows, before + n);
    uint32_t *rows = selected_rows(n, sel);
    int bad = 0;
    for (uint32_t k = 0; k < n && bad < 3; k++) {
        int64_t r = before + k;
        uint32_t g = rows[k];
        bool null = gen_null(kind, g);
        int64_t l = ((int64_t *)t->cols[0].data)[r];
        double f = ((double *)t->cols[1].data)[r];
        AiqStr s = ((AiqStr *)t->cols[2].data)[r];
        json_t *j = ((json_t **)t->cols[4].data)[r];
        char want[16];
        snprintf(want, sizeof want, "s%u", g);
        bool ok = aiq_table_is_null(t, 0, r) == null && aiq_table_is_null(t, 1, r) == null &&
                  aiq_table_is_null(t, 3, r) == null && aiq_table_is_null(t, 4, r) == null &&
                  l == (null ? 0 : gen_long(g)) && (null || f == gen_real(g)) &&
                  ((int64_t *)t->cols[3].data)[r] == (null ? 0 : (int64_t)(g & 1)) &&
                  s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0 &&
                  (null ? j == NULL : json_integer_value(j) == gen_long(g)) && s.ptr != d.text[g % AIQ_VECTOR_SIZE];
        if (!ok) {
            bad++;
            printf("FAIL append n=%u nulls=%d sel=%d before=%lld: row %u (input row %u)\n", n, kind, sel,
                   (long long)before, k, g);
        }
    }
    for (int64_t r = 0; r < before; r++) /* the rows before stay null */
        bad += !aiq_table_is_null(t, 0, r) || !aiq_table_is_null(t, 1, r);
    /* no null appended to a table without any: still no bitmap (the cheap case) */
    bad += before == 0 && (kind == NULLS_NONE || kind == NULLS_MASKED) && (t->cols[0].validity || t->cols[1].validity);
    CHECK(bad == 0);
    aiq_xfree(rows);
    aiq_table_free(t);
}

static void test_append_chunk(void)
{
    for (int s = 0; s < NSIZES; s++)
        for (int kind = 0; kind < NULL_KINDS; kind++)
            for (int sel = 0; sel < 2; sel++) {
                check_append(sizes[s], kind, sel, 0);
                check_append(sizes[s], kind, sel, 5);
            }
}

/* ---- kernels ------------------------------------------------------------------- */

static AiqExpr call_of(AiqFuncId id, AiqType type, int nargs)
{
    return (AiqExpr){.kind = AIQ_E_CALL, .type = type, .fn = aiq_func_def(id), .nargs = nargs};
}

/* `l op 7` through the comparison kernels' constant loop, and `l == l2`
 * with nulls on both sides: every selected row, the unselected ones left
 * alone. Nulls: < is made null by the evaluator (the kernel's value does not
 * matter there); == is false and != true when one side is null, null when
 * both are. */
static void check_compare(uint32_t n, int kind, bool sel)
{
    static ChunkData d;
    static int64_t other[AIQ_VECTOR_SIZE];
    static uint64_t other_valid[AIQ_VECTOR_SIZE / 64];
    Input in = input_for(n, sel);
    int bad = 0;
    AiqError err = {0};
    AiqEvalCtx ctx;
    aiq_eval_init(&ctx, &err, 0);
    for (uint32_t c = 0; c < in.nchunks; c++) {
        make_chunk(&d, &in, c, kind, sel);
        int64_t seven = 7;
        AiqVector cst = {.type = AIQ_TYPE_LONG, .is_const = true, .data.i64 = &seven};
        memset(other_valid, 0xff, sizeof other_valid);
        for (uint32_t i = 0; i < in.phys[c]; i++) {
            other[i] = gen_long(c * AIQ_VECTOR_SIZE + i + 1);
            if (i % 2) /* nulls on the other side too, crossing the first's */
                other_valid[i >> 6] &= ~((uint64_t)1 << (i & 63));
        }
        AiqVector ov = {.type = AIQ_TYPE_LONG, .validity = other_valid, .data.i64 = other};
        static const AiqFuncId ops[] = {AIQ_FN_LT, AIQ_FN_GE, AIQ_FN_EQ, AIQ_FN_NE};
        for (int o = 0; o < 4; o++) {
            bool equality = ops[o] == AIQ_FN_EQ || ops[o] == AIQ_FN_NE;
            for (int against = 0; against < (equality ? 2 : 1); against++) {
                aiq_eval_reset(&ctx);
                AiqExpr e = call_of(ops[o], AIQ_TYPE_BOOL, 2);
                AiqVector *args[2] = {&d.vecs[0], against ? &ov : &cst};
                AiqVector *out = aiq_vec_new(&ctx.arena, AIQ_TYPE_BOOL, in.phys[c] ? in.phys[c] : 1);
                for (uint32_t i = 0; i < in.phys[c]; i++)
                    out->data.i64[i] = 99; /* unselected rows must keep it */
                e.fn->kernel(&ctx, &e, args, out, d.chunk.sel, d.chunk.count);
                for (uint32_t i = 0, k = 0; i < in.phys[c]; i++) {
                    uint32_t g = c * AIQ_VECTOR_SIZE + i;
                    bool selected = !sel || (k < d.chunk.count && d.sel[k] == i);
                    if (sel && selected)
                        k++;
                    if (!selected || (!sel && i >= d.chunk.count)) {
                        bad += out->data.i64[i] != 99;
                        continue;
                    }
                    bool xnull = gen_null(kind, g), ynull = against && (i % 2);
                    int64_t x = gen_long(g), y = against ? other[i] : 7;
                    bool want_null = equality && xnull && ynull;
                    int64_t want = ops[o] == AIQ_FN_LT ? x < y : ops[o] == AIQ_FN_GE ? x >= y
                                   : (xnull || ynull) ? ops[o] == AIQ_FN_NE
                                   : (x == y) == (ops[o] == AIQ_FN_EQ);
                    if (want_null)
                        bad += !aiq_vec_is_null(out, i);
                    else if (!equality && xnull)
                        continue; /* (the evaluator makes it null) */
                    else
                        bad += aiq_vec_is_null(out, i) || out->data.i64[i] != want;
                }
            }
        }
        free_chunk(&d, &in, c);
    }
    if (bad)
        printf("FAIL compare n=%u nulls=%d sel=%d: %d rows\n", n, kind, sel, bad);
    CHECK(bad == 0);
    aiq_eval_free(&ctx);
}

static void test_compare_kernels(void)
{
    for (int s = 0; s < NSIZES; s++)
        for (int kind = 0; kind < NULL_KINDS; kind++)
            for (int sel = 0; sel < 2; sel++)
                check_compare(sizes[s], kind, sel);
}

/* ---- null propagation in the evaluator ----------------------------------------- */

/* l + b (both with kind's nulls) and l * long(null): null exactly where an
 * argument is, over the selected rows; the sum where none is. */
static void check_propagation(uint32_t n, int kind, bool sel)
{
    static ChunkData d;
    Input in = input_for(n, sel);
    int bad = 0;
    AiqError err = {0};
    AiqEvalCtx ctx;
    aiq_eval_init(&ctx, &err, 0);
    AiqExpr l = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_LONG, .col = 0};
    AiqExpr b = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_BOOL, .col = 3};
    AiqExpr null_long = {.kind = AIQ_E_CONST, .type = AIQ_TYPE_LONG,
                         .value = {.type = AIQ_TYPE_LONG, .isnull = true}};
    AiqExpr *sum_args[2] = {&l, &b}, *mul_args[2] = {&l, &null_long};
    AiqExpr sum = call_of(AIQ_FN_ADD, AIQ_TYPE_LONG, 2), mul = call_of(AIQ_FN_MUL, AIQ_TYPE_LONG, 2);
    sum.args = sum_args;
    mul.args = mul_args;
    for (uint32_t c = 0; c < in.nchunks; c++) {
        make_chunk(&d, &in, c, kind, sel);
        aiq_eval_reset(&ctx);
        AiqVector *v = aiq_eval(&ctx, &sum, &d.chunk), *w = aiq_eval(&ctx, &mul, &d.chunk);
        if (!v || !w) {
            bad++;
            break;
        }
        for (uint32_t k = 0; k < d.chunk.count; k++) {
            uint32_t i = aiq_row(&d.chunk, k), g = c * AIQ_VECTOR_SIZE + i;
            bool null = gen_null(kind, g);
            bad += aiq_vec_is_null(v, i) != null || (!null && v->data.i64[i] != gen_long(g) + (int64_t)(g & 1));
            bad += !aiq_vec_is_null(w, i);
        }
        /* no bitmap is made when no selected row is null */
        bool any_null = false;
        for (uint32_t k = 0; k < d.chunk.count; k++)
            any_null |= gen_null(kind, c * AIQ_VECTOR_SIZE + aiq_row(&d.chunk, k));
        bad += !any_null && v->validity != NULL;
        free_chunk(&d, &in, c);
    }
    if (bad)
        printf("FAIL propagation n=%u nulls=%d sel=%d: %d\n", n, kind, sel, bad);
    CHECK(bad == 0);
    aiq_eval_free(&ctx);
}

static void test_null_propagation(void)
{
    for (int s = 0; s < NSIZES; s++)
        for (int kind = 0; kind < NULL_KINDS; kind++)
            for (int sel = 0; sel < 2; sel++)
                check_propagation(sizes[s], kind, sel);
}

/* ---- operators over a table of n rows --------------------------------------------- */

/* The input table: g (the row number, never null), l and r with kind's nulls. */
static AiqColumn in_cols[] = {{"g", AIQ_TYPE_LONG}, {"l", AIQ_TYPE_LONG}, {"r", AIQ_TYPE_REAL}};

static AiqTable *input_table(uint32_t n, int kind)
{
    AiqSchema schema = {3, in_cols};
    AiqTable *t = aiq_table_new(&schema);
    aiq_table_add_null_rows(t, n);
    AiqArena a;
    aiq_arena_init(&a, 0);
    for (uint32_t g = 0; g < n; g++) {
        AiqValue vg = {.type = AIQ_TYPE_LONG, .i64 = g};
        AiqValue vl = {.type = AIQ_TYPE_LONG, .i64 = gen_long(g), .isnull = gen_null(kind, g)};
        AiqValue vr = {.type = AIQ_TYPE_REAL, .f64 = gen_real(g), .isnull = gen_null(kind, g)};
        aiq_table_set(t, 0, g, aiq_vec_const(&a, &vg), 0);
        aiq_table_set(t, 1, g, aiq_vec_const(&a, &vl), 0);
        aiq_table_set(t, 2, g, aiq_vec_const(&a, &vr), 0);
        aiq_arena_reset(&a);
    }
    aiq_arena_free(&a);
    return t;
}

static AiqTable *the_table;
static void *no_stream(void *ud, const AiqPlan *scan, const AiqTopHint *hint, AiqError *err)
{
    (void)ud, (void)scan, (void)hint, (void)err;
    return NULL;
}
static AiqTable *load_it(void *ud, const AiqPlan *scan, AiqError *err)
{
    (void)ud, (void)scan, (void)err;
    return the_table;
}

/* Runs plan p over the_table, its rows drained into schema. */
static AiqTable *run_plan_as(const AiqPlan *p, const AiqSchema *schema, AiqError *err)
{
    AiqExecCtx ex = {.err = err, .source = {.open = no_stream, .load = load_it}};
    aiq_exec_ctx_init(&ex, p);
    AiqOp *op = aiq_op_build(&ex, p);
    AiqTable *t = op ? aiq_op_drain(op, schema) : NULL;
    /* drained is drained: a materializing operator whose own table was
     * taken as the result (aiq_op_drain) must not compute it again */
    CHECK(!op || aiq_op_next(op) == NULL);
    aiq_op_free(op);
    aiq_exec_ctx_free(&ex);
    return t;
}

static AiqTable *run_plan(const AiqPlan *p, AiqError *err) { return run_plan_as(p, &p->schema, err); }

/* scan, then with sel `where g % 5 != 2` (the selection the chunks carry). */
typedef struct Pipe {
    AiqPlan scan, filter;
    AiqExpr g, five, two, mod, ne;
    AiqExpr *mod_args[2], *ne_args[2], *pred;
} Pipe;

static AiqPlan *pipe_input(Pipe *pp, bool sel)
{
    pp->scan = (AiqPlan){.kind = AIQ_P_SCAN, .schema = {3, in_cols}, .table = "T", .source_col = -1};
    if (!sel)
        return &pp->scan;
    pp->g = (AiqExpr){.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_LONG, .col = 0};
    pp->five = (AiqExpr){.kind = AIQ_E_CONST, .type = AIQ_TYPE_LONG, .value = {.type = AIQ_TYPE_LONG, .i64 = 5}};
    pp->two = (AiqExpr){.kind = AIQ_E_CONST, .type = AIQ_TYPE_LONG, .value = {.type = AIQ_TYPE_LONG, .i64 = 2}};
    pp->mod = call_of(AIQ_FN_MOD, AIQ_TYPE_LONG, 2);
    pp->mod_args[0] = &pp->g;
    pp->mod_args[1] = &pp->five;
    pp->mod.args = pp->mod_args;
    pp->ne = call_of(AIQ_FN_NE, AIQ_TYPE_BOOL, 2);
    pp->ne_args[0] = &pp->mod;
    pp->ne_args[1] = &pp->two;
    pp->ne.args = pp->ne_args;
    pp->pred = &pp->ne;
    pp->filter = (AiqPlan){.kind = AIQ_P_FILTER, .schema = {3, in_cols}, .input = &pp->scan, .exprs = &pp->pred,
                           .nexprs = 1, .source_col = -1};
    return &pp->filter;
}

/* summarize count(), sum(l), min(l), max(r), avg(r), countif(l > 0) by g % 3
 * (and with no key): each group's values against sums made here. */
static void check_summarize(uint32_t n, int kind, bool sel, bool by)
{
    Pipe pp;
    AiqPlan *in = pipe_input(&pp, sel);
    AiqExpr l = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_LONG, .col = 1};
    AiqExpr r = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_REAL, .col = 2};
    AiqExpr g = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_LONG, .col = 0};
    AiqExpr three = {.kind = AIQ_E_CONST, .type = AIQ_TYPE_LONG, .value = {.type = AIQ_TYPE_LONG, .i64 = 3}};
    AiqExpr zero = {.kind = AIQ_E_CONST, .type = AIQ_TYPE_LONG, .value = {.type = AIQ_TYPE_LONG}};
    AiqExpr *key_args[2] = {&g, &three}, *pos_args[2] = {&l, &zero};
    AiqExpr key = call_of(AIQ_FN_MOD, AIQ_TYPE_LONG, 2), pos = call_of(AIQ_FN_GT, AIQ_TYPE_BOOL, 2);
    key.args = key_args;
    pos.args = pos_args;
    AiqExpr *keyp = &key;
    int o = by ? 1 : 0;
    AiqAgg aggs[] = {{.kind = AIQ_AGG_COUNT, .out_col = o},     {.kind = AIQ_AGG_SUM, .arg = &l, .out_col = o + 1},
                     {.kind = AIQ_AGG_MIN, .arg = &l, .out_col = o + 2}, {.kind = AIQ_AGG_MAX, .arg = &r, .out_col = o + 3},
                     {.kind = AIQ_AGG_AVG, .arg = &r, .out_col = o + 4}, {.kind = AIQ_AGG_COUNTIF, .pred = &pos, .out_col = o + 5}};
    AiqColumn out[] = {{"k", AIQ_TYPE_LONG}, {"n", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_LONG}, {"mn", AIQ_TYPE_LONG},
                       {"mx", AIQ_TYPE_REAL}, {"av", AIQ_TYPE_REAL}, {"ci", AIQ_TYPE_LONG}};
    AiqPlan p = {.kind = AIQ_P_SUMMARIZE, .input = in, .schema = {6 + o, out + 1 - o}, .exprs = by ? &keyp : NULL,
                 .nexprs = o, .aggs = aggs, .naggs = 6, .source_col = -1};
    AiqError err = {0};
    the_table = input_table(n, kind);
    AiqTable *t = run_plan(&p, &err);
    CHECK(t != NULL);
    /* the oracle: groups in order of first appearance */
    int64_t cnt[3] = {0}, sum[3] = {0}, mn[3] = {0}, ci[3] = {0}, seen[3] = {0}, order[3], ngroups = 0;
    double mx[3] = {0}, rsum[3] = {0};
    int64_t rcnt[3] = {0}, lcnt[3] = {0};
    for (uint32_t x = 0; x < n; x++) {
        if (!gen_selected(sel, x))
            continue;
        int k = by ? (int)(x % 3) : 0;
        if (!seen[k]++)
            order[ngroups++] = k;
        cnt[k]++;
        if (gen_null(kind, x))
            continue;
        int64_t lv = gen_long(x);
        double rv = gen_real(x);
        sum[k] += lv;
        mn[k] = lcnt[k]++ ? (lv < mn[k] ? lv : mn[k]) : lv;
        mx[k] = rcnt[k] ? (rv > mx[k] ? rv : mx[k]) : rv;
        rsum[k] += rv;
        rcnt[k]++;
        ci[k] += lv > 0;
    }
    if (!by && ngroups == 0)
        order[ngroups++] = 0; /* no by: one row even over no rows */
    int bad = t ? (t->nrows != ngroups) : 1;
    for (int64_t row = 0; t && !bad && row < ngroups; row++) {
        int k = (int)order[row];
        const int64_t *i0 = t->cols[o].data, *i1 = t->cols[o + 1].data, *i2 = t->cols[o + 2].data, *i5 = t->cols[o + 5].data;
        const double *f3 = t->cols[o + 3].data, *f4 = t->cols[o + 4].data;
        bad += by && ((int64_t *)t->cols[0].data)[row] != k;
        bad += i0[row] != cnt[k] || i1[row] != sum[k] || i5[row] != ci[k];
        bad += aiq_table_is_null(t, o + 2, row) != (lcnt[k] == 0) || (lcnt[k] && i2[row] != mn[k]);
        bad += aiq_table_is_null(t, o + 3, row) != (rcnt[k] == 0) || (rcnt[k] && f3[row] != mx[k]);
        bad += aiq_table_is_null(t, o + 4, row) != (rcnt[k] == 0) || (rcnt[k] && fabs(f4[row] - rsum[k] / (double)rcnt[k]) > 1e-9);
    }
    if (bad)
        printf("FAIL summarize n=%u nulls=%d sel=%d by=%d\n", n, kind, sel, by);
    CHECK(bad == 0);
    aiq_table_free(t);
    aiq_table_free(the_table);
}

static void test_summarize(void)
{
    for (int s = 0; s < NSIZES; s++)
        for (int kind = 0; kind < NULL_KINDS; kind++)
            for (int sel = 0; sel < 2; sel++)
                for (int by = 0; by < 2; by++)
                    check_summarize(sizes[s], kind, sel, by);
}

/* A materializing operator drained into another schema (the names a
 * plan above gives its columns) is copied into that schema, not taken as
 * it is: the table comes back with the names asked for and every row. */
static void test_drain_renamed(void)
{
    Pipe pp;
    AiqPlan *in = pipe_input(&pp, false);
    AiqExpr g = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_LONG, .col = 0};
    AiqExpr *keys[1] = {&g};
    int flags[1] = {AIQ_SORT_DESC | AIQ_SORT_NULLS_LAST};
    AiqPlan p = {.kind = AIQ_P_SORT, .input = in, .schema = {3, in_cols}, .exprs = keys, .nexprs = 1,
                 .sort_flags = flags, .source_col = -1};
    AiqColumn renamed_cols[] = {{"G", AIQ_TYPE_LONG}, {"L", AIQ_TYPE_LONG}, {"R", AIQ_TYPE_REAL}};
    AiqSchema renamed = {3, renamed_cols};
    AiqError err = {0};
    the_table = input_table(100, 0);
    AiqTable *t = run_plan_as(&p, &renamed, &err);
    CHECK(t != NULL);
    CHECK(t && t->nrows == 100 && strcmp(t->schema.cols[0].name, "G") == 0 && strcmp(t->schema.cols[2].name, "R") == 0);
    CHECK(t && ((const int64_t *)t->cols[0].data)[0] == 99 && ((const int64_t *)t->cols[0].data)[99] == 0);
    aiq_table_free(t);
    aiq_table_free(the_table);
}

/* sort by r desc nulls last, then l asc nulls first: against an insertion
 * sort made here (stable, so the row number breaks ties). */
static int oracle_cmp(int kind, uint32_t x, uint32_t y)
{
    bool nx = gen_null(kind, x), ny = gen_null(kind, y);
    if (nx != ny)
        return nx ? 1 : -1; /* r: nulls last */
    if (!nx && gen_real(x) != gen_real(y))
        return gen_real(x) > gen_real(y) ? -1 : 1;
    if (!nx && gen_long(x) != gen_long(y)) /* (l is null exactly when r is) */
        return gen_long(x) < gen_long(y) ? -1 : 1;
    return (x > y) - (x < y);
}

static void check_sort(uint32_t n, int kind, bool sel)
{
    Pipe pp;
    AiqPlan *in = pipe_input(&pp, sel);
    AiqExpr r = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_REAL, .col = 2};
    AiqExpr l = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_LONG, .col = 1};
    AiqExpr *keys[2] = {&r, &l};
    int flags[2] = {AIQ_SORT_DESC | AIQ_SORT_NULLS_LAST, AIQ_SORT_ASC | AIQ_SORT_NULLS_FIRST};
    AiqPlan p = {.kind = AIQ_P_SORT, .input = in, .schema = {3, in_cols}, .exprs = keys, .nexprs = 2,
                 .sort_flags = flags, .source_col = -1};
    AiqError err = {0};
    the_table = input_table(n, kind);
    AiqTable *t = run_plan(&p, &err);
    CHECK(t != NULL);
    uint32_t *want = aiq_xmalloc(sizeof *want * (n + 1)), m = 0;
    for (uint32_t x = 0; x < n; x++) /* the rows the where keeps */
        if (gen_selected(sel, x))
            want[m++] = x;
    for (uint32_t a = 1; a < m; a++) /* insertion sort: the oracle */
        for (uint32_t b = a; b > 0 && oracle_cmp(kind, want[b - 1], want[b]) > 0; b--) {
            uint32_t tmp = want[b];
            want[b] = want[b - 1];
            want[b - 1] = tmp;
        }
    int bad = t ? (t->nrows != m) : 1;
    for (uint32_t k = 0; t && !bad && k < m; k++)
        bad += ((int64_t *)t->cols[0].data)[k] != want[k];
    if (bad)
        printf("FAIL sort n=%u nulls=%d sel=%d\n", n, kind, sel);
    CHECK(bad == 0);
    aiq_xfree(want);
    aiq_table_free(t);
    aiq_table_free(the_table);
}

static void test_sort(void)
{
    for (int s = 0; s < NSIZES; s++)
        for (int kind = 0; kind < NULL_KINDS; kind++)
            for (int sel = 0; sel < 2; sel++)
                check_sort(sizes[s], kind, sel);
}

/* ---- conversions of d["key"] read the reader's cells --------------------------- */

/* tolong(P["k"]) and tostring(P["k"]) over a batch whose reader kept P's
 * key k as cells: the values of the conversions of dynamic values, and the
 * cells still there afterwards (no dynamic value was made for the key
 * vector: a chain's foot once bypassed that path, 25% of a token sum). */
static void test_key_cells_converted(void)
{
    static const char text[] = "{\"P\":{\"k\":\"12\"}}\n{\"P\":{\"k\":7}}\n{\"P\":{\"k\":null}}\n"
                               "{\"P\":{}}\n{\"P\":{\"k\":\"x\"}}\n{\"P\":{\"k\":true}}\n";
    static AiqColumn cols[] = {{"P", AIQ_TYPE_DYNAMIC}};
    static const char *const keys[] = {"k"};
    static const AiqColumnKeys ck[] = {{.n = 1, .keys = keys, .key_vectors = true, .vectors_only = true}};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqError err = {0};
    AiqCatalogTable ct = {.name = "T", .declared = true, .schema = {1, cols}};
    AiqReadOptions opts = {.scan = &(AiqScanSpec){.ncols = 1, .keys = ck}};
    AiqTable *t = aiq_jsonl_load_buffer(&ct, "f", text, sizeof text - 1, &opts, &arena, &err);
    CHECK(t && t->nx == 1 && t->xcells && t->xcells[0]);
    if (!t || t->nx != 1 || !t->xcells || !t->xcells[0]) {
        aiq_table_free(t);
        aiq_arena_free(&arena);
        return;
    }
    AiqChunk c;
    AiqVector vecs[2];
    AiqVector *ptrs[2];
    aiq_table_view(t, 0, (uint32_t)t->nrows, &c, vecs, ptrs);
    AiqExpr p = {.kind = AIQ_E_COLUMN, .type = AIQ_TYPE_DYNAMIC, .col = 0};
    AiqExpr k = {.kind = AIQ_E_CONST, .type = AIQ_TYPE_STRING, .value = {.type = AIQ_TYPE_STRING, .str = {"k", 1}}};
    AiqExpr *index_args[2] = {&p, &k};
    AiqExpr index = call_of(AIQ_FN_INDEX, AIQ_TYPE_DYNAMIC, 2);
    index.args = index_args;
    AiqExpr *conv_args[1] = {&index};
    AiqExpr to_long = call_of(AIQ_FN_TOLONG, AIQ_TYPE_LONG, 1), to_string = call_of(AIQ_FN_TOSTRING, AIQ_TYPE_STRING, 1);
    to_long.args = to_string.args = conv_args;
    AiqEvalCtx ctx;
    aiq_eval_init(&ctx, &err, 0);
    AiqVector *l = aiq_eval(&ctx, &to_long, &c), *s = aiq_eval(&ctx, &to_string, &c);
    CHECK(l && s);
    if (l && s) {
        static const int64_t longs[] = {12, 7, 0, 0, 0, 1};
        static const bool null_long[] = {false, false, true, true, true, false};
        static const char *const strs[] = {"12", "7", "", "", "x", "true"};
        for (int i = 0; i < 6; i++) {
            CHECK(aiq_vec_is_null(l, (uint32_t)i) == null_long[i]);
            if (!null_long[i])
                CHECK_EQ_I64(l->data.i64[i], longs[i]);
            CHECK(s->data.str[i].len == strlen(strs[i]) && memcmp(s->data.str[i].ptr, strs[i], s->data.str[i].len) == 0);
        }
    }
    CHECK(t->xcells && t->xcells[0] != NULL); /* the key vector was never built */
    aiq_eval_free(&ctx);
    aiq_table_free(t);
    aiq_arena_free(&arena);
}

void test_vector_edges(void)
{
    test_key_cells_converted();
    test_append_chunk();
    test_compare_kernels();
    test_null_propagation();
    test_summarize();
    test_drain_renamed();
    test_sort();
}
