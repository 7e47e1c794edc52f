/*
 * cell.h -- one value as a reader found it, before it is given a type: a
 * key vector's rows stay in this form until something needs them as
 * dynamic values (aiq_chunk_key_vector), and conversions read them
 * directly (aiq_eval). Strings live in the table's arena; objects and
 * arrays are jansson values the cell owns.
 */
#ifndef AIQ_CORE_CELL_H
#define AIQ_CORE_CELL_H

#include <stdint.h>

typedef struct json_t json_t;

typedef enum {
    AIQ_CELL_MISSING = 0, AIQ_CELL_NULL, AIQ_CELL_FALSE, AIQ_CELL_TRUE, AIQ_CELL_INT, AIQ_CELL_REAL,
    AIQ_CELL_STRING, AIQ_CELL_JSON, AIQ_CELL_TEXT,
    AIQ_CELL_TICKS /* a datetime string parsed where the reader found it (u.i: ticks), in a column typed datetime */
} AiqCellKind;

typedef struct AiqCell {
    uint8_t kind;
    uint32_t len; /* AIQ_CELL_STRING, AIQ_CELL_TEXT (an object or array kept as JSON text) */
    union {
        int64_t i;
        double f;
        const char *s;
        json_t *j;
    } u;
} AiqCell;

/* The dynamic value of a cell (a new reference; NULL for null or missing). */
json_t *aiq_cell_json(const AiqCell *c);

#endif
