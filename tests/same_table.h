/*
 * same_table.h -- whether two tables hold the same rows: schema (names and
 * types), nulls and every value. The differential tests (tests/unit) and
 * fuzz targets (tests/fuzz) compare a fast path's table with jansson's by
 * it. Reals compare by their bits (-0.0 is not 0.0; JSON has no NaN);
 * dynamic values by content, whichever form (built or kept as text) each is in.
 */
#ifndef AIQ_TESTS_SAME_TABLE_H
#define AIQ_TESTS_SAME_TABLE_H

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "core/json_text.h"
#include "core/table.h"
#include "util/mem.h"

static inline bool same_table_cell(const AiqTable *a, const AiqTable *b, int c, int64_t r)
{
    bool na = aiq_table_is_null(a, c, r), nb = aiq_table_is_null(b, c, r);
    if (na != nb)
        return false;
    if (na)
        return true;
    const AiqColumnData *x = &a->cols[c], *y = &b->cols[c];
    switch (x->type) {
    case AIQ_TYPE_REAL: {
        double p = ((double *)x->data)[r], q = ((double *)y->data)[r];
        return memcmp(&p, &q, sizeof p) == 0;
    }
    case AIQ_TYPE_STRING: {
        AiqStr p = ((AiqStr *)x->data)[r], q = ((AiqStr *)y->data)[r];
        return p.len == q.len && memcmp(p.ptr, q.ptr, p.len) == 0;
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *p = ((json_t **)x->data)[r], *q = ((json_t **)y->data)[r];
        if (!aiq_dyn_is_text(p) && !aiq_dyn_is_text(q))
            return json_equal(p, q);
        char *ps = aiq_dyn_dumps(p, 0), *qs = aiq_dyn_dumps(q, 0);
        bool same = ps && qs && strcmp(ps, qs) == 0;
        aiq_xfree(ps);
        aiq_xfree(qs);
        return same;
    }
    default: return ((int64_t *)x->data)[r] == ((int64_t *)y->data)[r];
    }
}

static inline bool same_tables(const AiqTable *a, const AiqTable *b)
{
    if (a->nrows != b->nrows || a->schema.ncols != b->schema.ncols)
        return false;
    for (int c = 0; c < a->schema.ncols; c++) {
        if (strcmp(a->schema.cols[c].name, b->schema.cols[c].name) != 0 || a->cols[c].type != b->cols[c].type)
            return false;
        for (int64_t r = 0; r < a->nrows; r++)
            if (!same_table_cell(a, b, c, r))
                return false;
    }
    return true;
}

#endif
