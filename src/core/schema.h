/*
 * schema.h -- the shape of a table and a constant: named typed columns,
 * and one scalar value. Every stage above core/ speaks in these: the
 * binder types columns, readers fill them, the executor carries them.
 */
#ifndef AIQ_CORE_SCHEMA_H
#define AIQ_CORE_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"

typedef struct json_t json_t;

typedef struct AiqColumn {
    const char *name;
    AiqType type;
} AiqColumn;

typedef struct AiqSchema {
    int ncols;
    AiqColumn *cols;
} AiqSchema;

/* A scalar value, for constants. Strings point into the query arena;
 * dynamic values are jansson references owned by the plan. */
typedef struct AiqValue {
    AiqType type;
    bool isnull;
    int64_t i64; /* bool, int, long, datetime, timespan */
    double f64;  /* real */
    AiqStr str;  /* string */
    json_t *dyn; /* dynamic (NULL = null) */
} AiqValue;

#endif
