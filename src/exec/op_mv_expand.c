/*
 * op_mv_expand.c -- mv-expand: one output row per element of an array (or
 * property of a bag) in the expanded columns, in parallel, each element
 * cast to the column's `to typeof()` type, at most `limit` rows a row.
 */
#include "exec/op.h"

#include <jansson.h>

#include "util/mem.h"
#include "util/timefmt.h"

/* The k-th element of d, a new reference: an array's element; a bag's
 * property as a one-entry bag, or as a [key, value] array when `pairs`
 * (kind=array); d itself for k == 0 when it is neither (null included).
 * NULL past the end. */
static json_t *element(json_t *d, size_t k, bool pairs)
{
    if (json_is_array(d))
        return k < json_array_size(d) ? json_incref(json_array_get(d, k)) : NULL;
    if (json_is_object(d)) {
        size_t i = 0;
        const char *key;
        json_t *v;
        json_object_foreach(d, key, v) {
            if (i++ != k)
                continue;
            if (pairs)
                return json_pack("[sO]", key, v);
            json_t *o = json_object();
            json_object_set(o, key, v);
            return o;
        }
        return NULL;
    }
    return k == 0 ? json_incref(d) : NULL;
}

/* How many rows a value expands to (Kusto's mv-expand page): one per
 * element of an array or property of a bag, so none when it is empty; one
 * for any other value, null included. */
static size_t element_count(json_t *d)
{
    return json_is_array(d) ? json_array_size(d) : json_is_object(d) ? json_object_size(d) : 1;
}

/* Stores element el in row 0 of tv as `to typeof(ty)` asks. That is a cast,
 * not a conversion: an element of another JSON kind is null (the text "2"
 * is no long, 2.5 no long either), "" for a string. aiq's dynamic values
 * hold datetimes and timespans as text, so those two read their text. */
static void cast_element(json_t *el, AiqType ty, AiqVector *tv, AiqArena *scratch)
{
    bool ok;
    int64_t *i64 = &tv->data.i64[0];
    switch (ty) {
    case AIQ_TYPE_STRING:
        tv->data.str[0] = json_is_string(el) ? (AiqStr){json_string_value(el), (uint32_t)json_string_length(el)}
                                             : (AiqStr){"", 0};
        return;
    case AIQ_TYPE_REAL:
        if ((ok = json_is_number(el)))
            tv->data.f64[0] = json_number_value(el);
        break;
    case AIQ_TYPE_BOOL:
        if ((ok = json_is_boolean(el)))
            *i64 = json_is_true(el);
        break;
    case AIQ_TYPE_INT:
        ok = json_is_integer(el) && json_integer_value(el) >= INT32_MIN && json_integer_value(el) <= INT32_MAX;
        if (ok)
            *i64 = json_integer_value(el);
        break;
    case AIQ_TYPE_LONG:
        if ((ok = json_is_integer(el)))
            *i64 = json_integer_value(el);
        break;
    case AIQ_TYPE_DATETIME:
        ok = json_is_string(el) && aiq_datetime_parse(json_string_value(el), json_string_length(el), i64);
        break;
    case AIQ_TYPE_TIMESPAN:
        ok = json_is_string(el) && aiq_timespan_parse(json_string_value(el), json_string_length(el), i64);
        break;
    default: ok = false; break;
    }
    if (!ok)
        aiq_vec_set_null(tv, 0, scratch);
}

/* Appends the rows input row r expands to: one per element of its longest
 * expanded value ("in parallel": a shorter value gives null), at most
 * p->limit, each with the element's index when with_itemindex asks. */
void aiq_mv_expand_row(const AiqPlan *p, const AiqTable *in, int64_t r, AiqTable *out, AiqVector **ptrs,
                       uint32_t *rows, AiqArena *scratch)
{
    size_t len = 0;
    for (int e = 0; e < p->nexpand; e++) {
        size_t n = element_count(((json_t **)in->cols[p->expand_cols[e]].data)[r]);
        len = n > len ? n : len;
    }
    if (p->limit >= 0 && (int64_t)len > p->limit)
        len = (size_t)p->limit;
    for (int c = 0; c < in->schema.ncols; c++)
        rows[c] = (uint32_t)r;
    for (size_t k = 0; k < len; k++) {
        int64_t at = out->nrows;
        aiq_table_append_row(out, ptrs, rows); /* expanded columns and the index: set below */
        for (int e = 0; e < p->nexpand; e++) {
            int col = p->expand_cols[e];
            json_t *el = element(((json_t **)in->cols[col].data)[r], k, p->bag_pairs);
            AiqVector dv = {.type = AIQ_TYPE_DYNAMIC, .is_const = true, .data.dyn = &el};
            AiqVector *tv = &dv;
            if (p->expand_types[e] != AIQ_TYPE_DYNAMIC) {
                tv = aiq_vec_new(scratch, p->expand_types[e], 1);
                tv->is_const = true;
                cast_element(el, p->expand_types[e], tv, scratch);
            }
            aiq_table_set(out, col, at, tv, 0);
            json_decref(el);
        }
        if (p->index_col >= 0) {
            AiqValue index = {.type = AIQ_TYPE_LONG, .i64 = (int64_t)k};
            aiq_table_set_value(out, p->index_col, at, &index);
        }
        aiq_arena_reset(scratch);
    }
}

static AiqTable *mv_expand_compute(AiqOp *op)
{
    const AiqPlan *p = op->p;
    AiqTable *in = aiq_op_drain(op->input, &p->input->schema);
    if (!in)
        return NULL;
    AiqTable *out = aiq_table_new(&p->schema);
    int nc = p->schema.ncols; /* the input's columns, then the index */
    AiqVector *vecs = aiq_xcalloc((size_t)nc + 1, sizeof *vecs);
    AiqVector **ptrs = aiq_xcalloc((size_t)nc + 1, sizeof *ptrs);
    uint32_t *rows = aiq_xcalloc((size_t)nc + 1, sizeof *rows);
    for (int c = 0; c < in->schema.ncols; c++) {
        aiq_table_column_vector(in, c, &vecs[c]);
        ptrs[c] = &vecs[c];
    }
    for (int e = 0; e < p->nexpand; e++)
        ptrs[p->expand_cols[e]] = NULL; /* their input is the whole array */
    AiqArena scratch;
    aiq_arena_init(&scratch, 4096);
    for (int64_t r = 0; r < in->nrows; r++) {
        aiq_mv_expand_row(p, in, r, out, ptrs, rows, &scratch);
        if ((r & 1023) == 0 && !aiq_op_check_limits(op->ex))
            break;
    }
    aiq_arena_free(&scratch);
    aiq_xfree(vecs);
    aiq_xfree(ptrs);
    aiq_xfree(rows);
    aiq_table_free(in);
    if (op->ex->err->code != AIQ_OK) {
        aiq_table_free(out);
        return NULL;
    }
    return out;
}

static const AiqOpVtable mv_expand_vt = {.compute = mv_expand_compute};

AiqOp *aiq_op_mv_expand(AiqExecCtx *ex, const AiqPlan *p)
{
    return aiq_op_new_over(ex, &mv_expand_vt, sizeof(AiqOp), p);
}
