/*
 * schema_file.h -- reads table declarations in Kusto's own syntax:
 *   .create table AppRequests (TimeGenerated:datetime, DurationMs:real, ...)
 * one command per table (also .create-merge table), `//` comments allowed.
 */
#ifndef AIQ_IO_SCHEMA_FILE_H
#define AIQ_IO_SCHEMA_FILE_H

#include "aiq/aiq.h"
#include "core/schema.h"
#include "util/arena.h"

typedef struct AiqTableDecl {
    const char *name;
    AiqSchema schema;
} AiqTableDecl;

/* Parses text into declarations allocated in arena. Returns the number of
 * tables (>= 0) and sets *out, or -1 with err set (offset into text). */
int aiq_schema_parse(const char *text, size_t len, AiqArena *arena, AiqTableDecl **out,
                     AiqError *err);

#endif
