/*
 * output.h -- renders a result table as table, csv, tsv, json, ndjson or
 * markdown, with CLI.md's value rendering: ISO 8601 UTC datetimes with the
 * fraction only when non-zero, [-][d.]hh:mm:ss[.fffffff] timespans, the
 * shortest real that round-trips, null as JSON null (empty in csv/tsv/table).
 */
#ifndef AIQ_IO_OUTPUT_H
#define AIQ_IO_OUTPUT_H

#include "exec/vector.h"
#include "util/strbuf.h"

typedef enum AiqFormat {
    AIQ_FMT_TABLE, AIQ_FMT_CSV, AIQ_FMT_TSV, AIQ_FMT_JSON, AIQ_FMT_NDJSON, AIQ_FMT_MARKDOWN
} AiqFormat;

/* Parses a format name; returns false when unknown. */
bool aiq_format_from_name(const char *name, AiqFormat *out);
/* Appends the whole table in format fmt to out. */
void aiq_output_table(AiqStrBuf *out, const AiqTable *t, AiqFormat fmt, bool header, bool color);

#endif
