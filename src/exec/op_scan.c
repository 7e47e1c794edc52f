/*
 * op_scan.c -- the scan operator: each row, in order, is checked against
 * the steps from the last to the first, as Kusto's scan logic says:
 *
 *   check 1: step k > 0 matches when step k-1 holds a sequence and the
 *     condition holds over k-1's state: that state moves to step k (k-1 is
 *     left empty) and the extended row joins it as step k's record;
 *   check 2 (only when check 1 did not match): step k matches when it holds
 *     a sequence, or is the first step, and the condition holds over its own
 *     state: the extended row replaces step k's record there. The first
 *     step starting from empty begins a sequence with the next match id.
 *
 * A match outputs the extended row (the input's columns, the declared ones
 * at their defaults, then the step's assignments) unless the step says
 * output=none. The state is held in a small table (a record per step per
 * step) and each check evaluates its expressions over a one-row table of
 * what they see (AiqScanSteps in plan/plan.h). The input streams by; the
 * memory is the output's plus a state that does not grow.
 */
#include "exec/op.h"

#include "util/mem.h"

typedef struct Scan {
    AiqOp base;
    const AiqScanSteps *spec;
    AiqTable *state; /* row k*S+j: step k's record of step j; row S*S: the record being built */
    AiqTable *env;   /* one row: what the expressions see */
    AiqTable *out;
    bool *active;    /* per step: its state holds a sequence */
    int64_t *seq;    /* per step: that sequence's match id */
    int64_t next_id;
    AiqVector *defaults; /* per declared column, a constant */
    AiqVector id;
    int64_t id_value;
    AiqArena arena;
} Scan;

static int64_t building_row(const Scan *s) { return (int64_t)s->spec->nsteps * s->spec->nsteps; }

/* Copies cell (src, sc, sr) to (dst, dc, dr). */
static void copy_cell(AiqTable *dst, int dc, int64_t dr, const AiqTable *src, int sc, int64_t sr)
{
    AiqVector v;
    aiq_table_column_vector(src, sc, &v);
    aiq_table_set(dst, dc, dr, &v, (uint32_t)sr);
}

/* Sets columns at..at+width-1 of table t's row r to a record: input row i
 * of chunk c (or nulls without one) with the declared columns at their
 * defaults. */
static void fresh_record(Scan *s, AiqTable *t, int at, int64_t r, const AiqChunk *c, uint32_t i)
{
    const AiqScanSteps *sp = s->spec;
    for (int col = 0; col < sp->ninput; col++)
        aiq_table_set(t, at + col, r, c ? c->cols[col] : NULL, i);
    for (int d = 0; d < sp->width - sp->ninput; d++)
        aiq_table_set(t, at + sp->ninput + d, r, &s->defaults[d], 0);
}

/* Fills the env row for checking row i of c against the state of step si
 * (-1 or an empty one: no records). */
static void fill_env(Scan *s, const AiqChunk *c, uint32_t i, int si)
{
    const AiqScanSteps *sp = s->spec;
    int w = sp->width, n = sp->nsteps;
    fresh_record(s, s->env, 0, 0, c, i);
    for (int j = 0; j < n; j++) {
        if (si >= 0 && s->active[si] && j <= si)
            for (int col = 0; col < w; col++)
                copy_cell(s->env, w * (1 + j) + col, 0, s->state, col, (int64_t)si * n + j);
        else
            fresh_record(s, s->env, w * (1 + j), 0, NULL, 0);
    }
}

/* Evaluates step k's condition over the env row; -1 after an error. */
static int condition(Scan *s, const AiqScanStep *st, AiqChunk *view)
{
    aiq_eval_reset(&s->base.ev);
    AiqVector *v = aiq_eval(&s->base.ev, st->cond, view);
    if (!v)
        return -1;
    return !aiq_vec_is_null(v, 0) && v->data.i64[aiq_vidx(v, 0)] != 0;
}

/* Builds the extended row in the state's building row: row i of c, the
 * defaults, then step st's assignments (evaluated over the env row). */
static bool build_record(Scan *s, const AiqScanStep *st, AiqChunk *view, const AiqChunk *c, uint32_t i)
{
    int64_t b = building_row(s);
    fresh_record(s, s->state, 0, b, c, i);
    aiq_eval_reset(&s->base.ev);
    for (int a = 0; a < st->nsets; a++) {
        AiqVector *v = aiq_eval(&s->base.ev, st->sets[a], view);
        if (!v)
            return false;
        aiq_table_set(s->state, st->set_cols[a], b, v, 0);
    }
    return true;
}

static void save_record(Scan *s, int k)
{
    int n = s->spec->nsteps;
    for (int col = 0; col < s->spec->width; col++)
        copy_cell(s->state, col, (int64_t)k * n + k, s->state, col, building_row(s));
}

static void emit(Scan *s, int64_t match_id)
{
    int64_t r = aiq_table_add_null_row(s->out);
    for (int col = 0; col < s->spec->width; col++)
        copy_cell(s->out, col, r, s->state, col, building_row(s));
    if (s->spec->match_id) {
        s->id_value = match_id;
        aiq_table_set(s->out, s->spec->width, r, &s->id, 0);
    }
}

/* Step k's record of step j of state si moves to state k (check 1). */
static void promote(Scan *s, int k)
{
    int n = s->spec->nsteps;
    for (int j = 0; j < k; j++)
        for (int col = 0; col < s->spec->width; col++)
            copy_cell(s->state, col, (int64_t)k * n + j, s->state, col, (int64_t)(k - 1) * n + j);
    s->active[k] = true;
    s->seq[k] = s->seq[k - 1];
    s->active[k - 1] = false;
}

/* Row i of c against step k: checks 1 and 2. */
static bool check_step(Scan *s, int k, AiqChunk *view, const AiqChunk *c, uint32_t i)
{
    const AiqScanStep *st = &s->spec->steps[k];
    if (k > 0 && s->active[k - 1]) {
        fill_env(s, c, i, k - 1);
        int m = condition(s, st, view);
        if (m < 0 || (m && !build_record(s, st, view, c, i)))
            return false;
        if (m) {
            promote(s, k);
            save_record(s, k);
            if (st->emits)
                emit(s, s->seq[k]);
            return true;
        }
    }
    if (k > 0 && !s->active[k])
        return true;
    fill_env(s, c, i, k);
    int m = condition(s, st, view);
    if (m < 0 || (m && !build_record(s, st, view, c, i)))
        return false;
    if (!m)
        return true;
    if (!s->active[k]) { /* the first step, from empty: a new sequence */
        s->active[k] = true;
        s->seq[k] = s->next_id++;
    }
    save_record(s, k);
    if (st->emits)
        emit(s, s->seq[k]);
    return true;
}

/* The state table again with only its live strings (aiq_table_set leaves
 * the old ones in the table's arena), so that a long scan stays small. */
static void compact_state(Scan *s)
{
    AiqTable *fresh = aiq_table_new(&s->state->schema);
    aiq_table_add_null_rows(fresh, s->state->nrows);
    for (int64_t r = 0; r < s->state->nrows; r++)
        for (int col = 0; col < s->state->schema.ncols; col++)
            copy_cell(fresh, col, r, s->state, col, r);
    aiq_table_free(s->state);
    s->state = fresh;
    AiqTable *env = aiq_table_new(&s->env->schema);
    aiq_table_add_null_rows(env, 1);
    aiq_table_free(s->env);
    s->env = env;
}

static AiqSchema env_schema(const AiqPlan *p, AiqColumn *cols)
{
    const AiqScanSteps *sp = p->steps;
    for (int j = 0; j <= sp->nsteps; j++)
        for (int c = 0; c < sp->width; c++)
            cols[j * sp->width + c] = p->schema.cols[c];
    return (AiqSchema){.cols = cols, .ncols = sp->width * (1 + sp->nsteps)};
}

static void scan_setup(Scan *s)
{
    const AiqPlan *p = s->base.p;
    const AiqScanSteps *sp = p->steps;
    s->spec = sp;
    aiq_arena_init(&s->arena, 256);
    s->out = aiq_table_new(&p->schema);
    s->state = aiq_table_new(&(AiqSchema){.cols = p->schema.cols, .ncols = sp->width});
    aiq_table_add_null_rows(s->state, building_row(s) + 1);
    AiqColumn *cols = aiq_xcalloc((size_t)(sp->width * (1 + sp->nsteps)) + 1, sizeof *cols);
    AiqSchema es = env_schema(p, cols);
    s->env = aiq_table_new(&es);
    aiq_xfree(cols);
    aiq_table_add_null_rows(s->env, 1);
    s->active = aiq_xcalloc((size_t)sp->nsteps + 1, sizeof *s->active);
    s->seq = aiq_xcalloc((size_t)sp->nsteps + 1, sizeof *s->seq);
    int nd = sp->width - sp->ninput;
    s->defaults = aiq_xcalloc((size_t)nd + 1, sizeof *s->defaults);
    for (int d = 0; d < nd; d++)
        s->defaults[d] = *aiq_vec_const(&s->arena, &sp->defaults[d]);
    s->id = (AiqVector){.type = AIQ_TYPE_LONG, .is_const = true, .data.i64 = &s->id_value};
}

static AiqTable *scan_compute(AiqOp *op)
{
    Scan *s = (Scan *)op;
    scan_setup(s);
    AiqVector *vecs = aiq_xcalloc((size_t)s->env->schema.ncols + 1, sizeof *vecs);
    AiqVector **ptrs = aiq_xcalloc((size_t)s->env->schema.ncols + 1, sizeof *ptrs);
    bool ok = true;
    AiqChunk *c;
    while (ok && (c = aiq_op_next(op->input)) != NULL) {
        for (uint32_t k = 0; k < c->count && ok; k++) {
            AiqChunk view;
            aiq_table_view(s->env, 0, 1, &view, vecs, ptrs);
            for (int st = s->spec->nsteps - 1; st >= 0 && ok; st--)
                ok = check_step(s, st, &view, c, aiq_row(c, k));
        }
        if (ok) {
            compact_state(s);
            ok = aiq_op_check_limits(op->ex);
        }
    }
    if (op->ex->err->code != AIQ_OK)
        ok = false;
    aiq_xfree(vecs);
    aiq_xfree(ptrs);
    if (!ok) {
        aiq_table_free(s->out);
        s->out = NULL;
    }
    AiqTable *out = s->out;
    s->out = NULL;
    return out;
}

static void scan_release(AiqOp *op)
{
    Scan *s = (Scan *)op;
    aiq_table_free(s->out);
    aiq_table_free(s->state);
    aiq_table_free(s->env);
    aiq_xfree(s->active);
    aiq_xfree(s->seq);
    aiq_xfree(s->defaults);
    aiq_arena_free(&s->arena);
}

static const AiqOpVtable scan_vt = {.compute = scan_compute, .release = scan_release, .eval = true};

AiqOp *aiq_op_scan_steps(AiqExecCtx *ex, const AiqPlan *p)
{
    Scan *s = aiq_op_new_over(ex, &scan_vt, sizeof *s, p);
    return s ? &s->base : NULL;
}
