/*
 * op_evaluate.c -- the evaluate plugins, and the tables the binder had
 * computed for them (bind/plugins.c says why).
 *
 * pivot: its input is the summarize the binder made (keys, the pivot
 * column, the aggregated value); each distinct key tuple is a row, each
 * distinct pivot value (as text) a column, both in the order they first
 * come. bag_unpack: a column per property of the bags, in name order, each
 * of the type all its values share (dynamic when they differ); the input
 * is read whole, since its last row may bring a new column.
 *
 * Both make a table whose columns are their own: the binder's plan, when
 * it declares an output schema, takes the columns it names, by name.
 */
#include "exec/op.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/keymap.h"
#include "func/kernel.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/sort.h"

/* A table with the columns of `got` that `want` names (by name), in want's
 * order; a column want names and got lacks is null. Consumes got. Types
 * must agree (false with err otherwise), as Kusto raises an error when the
 * run-time schema does not match the declared one. */
static AiqTable *to_schema(AiqExecCtx *ex, AiqTable *got, const AiqSchema *want)
{
    AiqTable *t = aiq_table_new(want);
    int *from = aiq_xcalloc((size_t)want->ncols + 1, sizeof *from);
    for (int c = 0; c < want->ncols; c++) {
        from[c] = -1;
        for (int k = 0; k < got->schema.ncols; k++)
            if (strcmp(got->schema.cols[k].name, want->cols[c].name) == 0)
                from[c] = k;
        if (from[c] >= 0 && got->schema.cols[from[c]].type != want->cols[c].type &&
            want->cols[c].type != AIQ_TYPE_DYNAMIC) {
            aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "evaluate: column '%s' is %s, not the %s the output schema declares",
                          want->cols[c].name, aiq_type_name(got->schema.cols[from[c]].type), aiq_type_name(want->cols[c].type));
            aiq_xfree(from);
            aiq_table_free(t);
            aiq_table_free(got);
            return NULL;
        }
    }
    for (int64_t r = 0; r < got->nrows; r++) {
        int64_t at = aiq_table_add_null_row(t);
        for (int c = 0; c < want->ncols; c++) {
            if (from[c] < 0)
                continue;
            AiqVector v;
            aiq_table_column_vector(got, from[c], &v);
            if (want->cols[c].type == AIQ_TYPE_DYNAMIC && v.type != AIQ_TYPE_DYNAMIC)
                continue; /* (a declared dynamic column of another type: left null) */
            aiq_table_set(t, c, at, &v, (uint32_t)r);
        }
    }
    aiq_xfree(from);
    aiq_table_free(got);
    return t;
}

/* ---- pivot ---------------------------------------------------------------- */

/* The pivot of the summarized table in (keys, pivot, value). */
static AiqTable *pivot(AiqOp *op, AiqTable *in)
{
    const AiqPlan *p = op->p;
    int nk = p->nkeys;
    AiqType vt = in->schema.cols[nk + 1].type;
    AiqKeyMap rows, names;
    aiq_keymap_init(&rows);
    aiq_keymap_init(&names);
    AiqStrBuf key;
    aiq_sb_init(&key);
    int64_t *row_of = aiq_xcalloc((size_t)in->nrows + 1, sizeof *row_of);
    int64_t *col_of = aiq_xcalloc((size_t)in->nrows + 1, sizeof *col_of);
    int64_t *first = aiq_xcalloc((size_t)in->nrows + 1, sizeof *first); /* a row of each key tuple */
    AiqColumn *cols = aiq_xcalloc((size_t)nk + 1, sizeof *cols);
    AiqVector *v = aiq_xcalloc((size_t)nk + 2, sizeof *v);
    for (int c = 0; c < nk + 2; c++)
        aiq_table_column_vector(in, c, &v[c]);
    AiqStrBuf text;
    aiq_sb_init(&text);
    uint32_t *name_end = aiq_xcalloc((size_t)in->nrows + 1, sizeof *name_end);
    for (int64_t r = 0; r < in->nrows; r++) {
        aiq_sb_clear(&key);
        for (int c = 0; c < nk; c++)
            aiq_key_append(&key, &v[c], (uint32_t)r);
        bool added;
        row_of[r] = aiq_keymap_get(&rows, key.data ? key.data : "", (uint32_t)key.len, &added);
        if (added)
            first[row_of[r]] = r;
        aiq_eval_reset(&op->ev);
        AiqStr s = aiq_conv_string(&op->ev, &v[nk], (uint32_t)r);
        col_of[r] = aiq_keymap_get(&names, s.ptr ? s.ptr : "", s.len, &added);
        if (added) {
            aiq_sb_append(&text, s.ptr ? s.ptr : "", s.len);
            aiq_sb_putc(&text, '\0');
            name_end[col_of[r]] = (uint32_t)text.len;
        }
    }
    int npiv = (int)names.n;
    AiqColumn *out_cols = aiq_xcalloc((size_t)(nk + npiv) + 1, sizeof *out_cols);
    for (int c = 0; c < nk; c++)
        out_cols[c] = in->schema.cols[c];
    for (int j = 0; j < npiv; j++) {
        out_cols[nk + j].name = text.data + (j ? name_end[j - 1] : 0);
        out_cols[nk + j].type = vt;
    }
    AiqSchema s = {.cols = out_cols, .ncols = nk + npiv};
    AiqTable *t = aiq_table_new(&s);
    AiqValue zero = {.type = vt};
    AiqArena scratch;
    aiq_arena_init(&scratch, 256);
    AiqVector *zv = aiq_vec_const(&scratch, &zero);
    for (int64_t k = 0; k < rows.n; k++) {
        aiq_table_add_null_row(t);
        for (int c = 0; c < nk; c++)
            aiq_table_set(t, c, k, &v[c], (uint32_t)first[k]);
        if (p->limit && vt != AIQ_TYPE_DYNAMIC && vt != AIQ_TYPE_STRING)
            for (int j = 0; j < npiv; j++)
                aiq_table_set(t, nk + j, k, zv, 0);
    }
    for (int64_t r = 0; r < in->nrows; r++)
        aiq_table_set(t, nk + (int)col_of[r], row_of[r], &v[nk + 1], (uint32_t)r);
    aiq_arena_free(&scratch);
    aiq_sb_free(&text);
    aiq_sb_free(&key);
    aiq_keymap_free(&rows);
    aiq_keymap_free(&names);
    aiq_xfree(row_of);
    aiq_xfree(col_of);
    aiq_xfree(first);
    aiq_xfree(cols);
    aiq_xfree(v);
    aiq_xfree(name_end);
    aiq_xfree(out_cols);
    return t;
}

/* ---- bag_unpack ------------------------------------------------------------ */

/* The aiq type of a JSON value (0 for null, which bag_unpack ignores). */
static AiqType value_type(json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_INTEGER: return AIQ_TYPE_LONG;
    case JSON_REAL: return AIQ_TYPE_REAL;
    case JSON_STRING: return AIQ_TYPE_STRING;
    case JSON_TRUE:
    case JSON_FALSE: return AIQ_TYPE_BOOL;
    case JSON_NULL: return AIQ_TYPE_UNKNOWN;
    default: return AIQ_TYPE_DYNAMIC;
    }
}

typedef struct Slot {
    const char *key;  /* the property's name */
    AiqType type;     /* the type its values share so far, dynamic when they differ */
    int col;          /* its output column */
} Slot;

static int slot_cmp(const void *a, const void *b) { return strcmp(((const Slot *)a)->key, ((const Slot *)b)->key); }

/* Whether the property is in the ignoredProperties array. */
static bool ignored(const AiqPlan *p, const char *key)
{
    if (!p->nexprs || !json_is_array(p->exprs[0]->value.dyn))
        return false;
    size_t i;
    json_t *e;
    json_array_foreach(p->exprs[0]->value.dyn, i, e)
        if (json_is_string(e) && strcmp(json_string_value(e), key) == 0)
            return true;
    return false;
}

/* Stores property value j in column c of row r: as it is for a dynamic
 * column, else its scalar. */
static void store_value(AiqTable *t, int c, int64_t r, json_t *j)
{
    AiqType ty = t->schema.cols[c].type;
    int64_t i64 = 0;
    double f64 = 0;
    AiqStr s = {0};
    AiqVector v = {.type = ty, .is_const = true, .data.i64 = &i64};
    switch (ty) {
    case AIQ_TYPE_DYNAMIC: v.data.dyn = &j; break;
    case AIQ_TYPE_REAL: f64 = json_number_value(j); v.data.f64 = &f64; break;
    case AIQ_TYPE_STRING:
        s = (AiqStr){json_string_value(j), (uint32_t)json_string_length(j)};
        v.data.str = &s;
        break;
    case AIQ_TYPE_BOOL: i64 = json_is_true(j); break;
    default: i64 = json_integer_value(j); break;
    }
    aiq_table_set(t, c, r, &v, 0);
}

static AiqTable *bag_unpack(AiqOp *op, AiqTable *in)
{
    const AiqPlan *p = op->p;
    int bag = p->index_col;
    json_t **bags = in->cols[bag].data;
    AiqKeyMap keys;
    aiq_keymap_init(&keys);
    Slot *slots = NULL;
    int nslots = 0, cap = 0;
    for (int64_t r = 0; r < in->nrows; r++) {
        const char *k;
        json_t *val;
        if (!json_is_object(bags[r]))
            continue;
        json_object_foreach(bags[r], k, val) {
            AiqType ty = value_type(val);
            if (!ty || ignored(p, k))
                continue;
            bool added;
            int64_t id = aiq_keymap_get(&keys, k, (uint32_t)strlen(k), &added);
            if (added) {
                if (nslots == cap) {
                    cap = cap ? cap * 2 : 16;
                    slots = aiq_xrealloc(slots, sizeof *slots * (size_t)cap);
                }
                slots[nslots++] = (Slot){k, ty, 0}; /* (the bag's own key: NUL-terminated, alive with in) */
            } else if (slots[id].type != ty) {
                slots[id].type = AIQ_TYPE_DYNAMIC;
            }
        }
    }
    /* the order: the input's columns (but the bag), then the properties by name */
    Slot *sorted = aiq_xmalloc(sizeof *sorted * (size_t)(nslots + 1));
    if (nslots)
        memcpy(sorted, slots, sizeof *slots * (size_t)nslots);
    aiq_sort(sorted, (size_t)nslots, sizeof *sorted, slot_cmp);
    int nin = in->schema.ncols;
    AiqColumn *cols = aiq_xcalloc((size_t)(nin + nslots) + 1, sizeof *cols);
    int *src = aiq_xcalloc((size_t)(nin + nslots) + 1, sizeof *src);
    int nc = 0;
    AiqStrBuf names;
    aiq_sb_init(&names);
    size_t *name_at = aiq_xcalloc((size_t)nslots + 1, sizeof *name_at);
    for (int i = 0; i < nslots; i++) {
        name_at[i] = names.len;
        aiq_sb_puts(&names, p->regex);
        aiq_sb_puts(&names, sorted[i].key);
        aiq_sb_putc(&names, '\0');
    }
    bool failed = false;
    for (int i = 0; i < nslots; i++)
        sorted[i].col = -2; /* not placed yet */
    for (int c = 0; c < nin && !failed; c++) {
        if (c == bag)
            continue;
        int clash = -1;
        for (int i = 0; i < nslots; i++)
            if (strcmp(names.data + name_at[i], in->schema.cols[c].name) == 0)
                clash = i;
        if (clash >= 0 && p->join_kind == 1) { /* replace_source: the property in the column's place */
            sorted[clash].col = nc;
            src[nc] = -1;
            cols[nc].name = names.data + name_at[clash];
            cols[nc++].type = sorted[clash].type;
        } else if (clash >= 0 && p->join_kind == 2) { /* keep_source */
            sorted[clash].col = -1;
            src[nc] = c;
            cols[nc++] = in->schema.cols[c];
        } else if (clash >= 0) {
            aiq_error_set(op->ex->err, AIQ_ERR_RUNTIME, -1, 1,
                          "bag_unpack: the property '%s' is a column of the input already; say columnsConflict='replace_source' or 'keep_source'",
                          in->schema.cols[c].name);
            failed = true;
        } else {
            src[nc] = c;
            cols[nc++] = in->schema.cols[c];
        }
    }
    int first_slot = nc;
    for (int i = 0; i < nslots && !failed; i++) {
        if (sorted[i].col != -2)
            continue;
        sorted[i].col = nc;
        src[nc] = -1;
        cols[nc].name = names.data + name_at[i];
        cols[nc++].type = sorted[i].type;
    }
    AiqTable *t = NULL;
    if (!failed) {
        AiqSchema s = {.cols = cols, .ncols = nc};
        t = aiq_table_new(&s);
        AiqVector *vecs = aiq_xcalloc((size_t)nin + 1, sizeof *vecs);
        for (int c = 0; c < nin; c++)
            aiq_table_column_vector(in, c, &vecs[c]);
        for (int64_t r = 0; r < in->nrows; r++) {
            aiq_table_add_null_row(t);
            for (int c = 0; c < first_slot; c++)
                if (src[c] >= 0)
                    aiq_table_set(t, c, r, &vecs[src[c]], (uint32_t)r);
            for (int i = 0; i < nslots; i++) {
                json_t *val = json_is_object(bags[r]) ? json_object_get(bags[r], sorted[i].key) : NULL;
                if (sorted[i].col >= 0 && val && value_type(val))
                    store_value(t, sorted[i].col, r, val);
            }
        }
        aiq_xfree(vecs);
    }
    aiq_sb_free(&names);
    aiq_xfree(name_at);
    aiq_xfree(src);
    aiq_xfree(cols);
    aiq_xfree(sorted);
    aiq_xfree(slots);
    aiq_keymap_free(&keys);
    return t;
}

static AiqTable *evaluate_compute(AiqOp *op)
{
    const AiqPlan *p = op->p;
    AiqTable *in = aiq_op_drain(op->input, &p->input->schema);
    if (!in)
        return NULL;
    AiqTable *t = p->plugin == AIQ_PLUGIN_PIVOT ? pivot(op, in) : bag_unpack(op, in);
    aiq_table_free(in);
    if (!t || op->ex->err->code != AIQ_OK) {
        aiq_table_free(t);
        return NULL;
    }
    /* a plan with its columns (an output schema, or aiq check's) takes those */
    return aiq_schema_same(&t->schema, &p->schema) || !p->schema.ncols ? t : to_schema(op->ex, t, &p->schema);
}

static const AiqOpVtable evaluate_vt = {.compute = evaluate_compute, .eval = true};

AiqOp *aiq_op_evaluate(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new_over(ex, &evaluate_vt, sizeof(AiqOp), p);
}

AiqOp *aiq_op_computed(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_table_scan(ex, p->computed, false);
}
