/*
 * cell.c -- a value as the reader found it, turned into a dynamic value
 * when one is needed (see cell.h).
 */
#include "core/cell.h"

#include <jansson.h>

#include "core/json_text.h"
#include "util/timefmt.h"

json_t *aiq_cell_json(const AiqCell *c)
{
    switch (c->kind) {
    case AIQ_CELL_TRUE: return json_true();
    case AIQ_CELL_FALSE: return json_false();
    case AIQ_CELL_INT: return json_integer(c->u.i);
    case AIQ_CELL_REAL: return json_real(c->u.f);
    case AIQ_CELL_STRING: return json_stringn(c->u.s, c->len);
    case AIQ_CELL_TEXT: return aiq_dyn_text_new(c->u.s, c->len);
    case AIQ_CELL_JSON: return json_incref(c->u.j);
    case AIQ_CELL_TICKS: {
        char buf[64];
        size_t n = aiq_datetime_format(c->u.i, buf);
        return json_stringn(buf, n);
    }
    default: return NULL;
    }
}

/* Turns key vector k of t from cells into its (all null until now) column. */
