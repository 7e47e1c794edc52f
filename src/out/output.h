/*
 * output.h -- renders a result table as table, csv, tsv, json, ndjson or
 * markdown, with CLI.md's value rendering: ISO 8601 UTC datetimes with the
 * fraction only when non-zero, [-][d.]hh:mm:ss[.fffffff] timespans, the
 * shortest real that round-trips, null as JSON null (empty in csv/tsv/table);
 * and writes it out, reporting a write that fails.
 *
 * How each text format treats characters that would break it:
 *   table     the value as it is; control characters only are escaped (\n,
 *             \t, \r, else \u00XX) and bytes that are not UTF-8 show as \xHH,
 *             so one row stays one line; widths count terminal columns.
 *   csv       RFC 4180: a field holding , " CR or LF is quoted, " doubled.
 *   tsv       tab, LF and CR in a value are written \t, \n and \r so a row
 *             stays one line of tab-separated fields; everything else, the
 *             backslash included, is written as it is (C:\logs stays
 *             C:\logs, for cut and awk). A value holding the two characters
 *             \t reads back as a tab: use csv or json to round-trip exactly.
 *   markdown  | is written \| and a line break <br>.
 */
#ifndef AIQ_OUT_OUTPUT_H
#define AIQ_OUT_OUTPUT_H

#include <stdio.h>

#include "aiq/aiq.h"
#include "core/table.h"
#include "util/strbuf.h"

typedef enum AiqFormat {
    AIQ_FMT_TABLE, AIQ_FMT_CSV, AIQ_FMT_TSV, AIQ_FMT_JSON, AIQ_FMT_NDJSON, AIQ_FMT_MARKDOWN
} AiqFormat;


typedef struct AiqOutputOptions {
    AiqFormat format;
    bool header; /* csv, tsv, table: start with the column names */
    bool color;  /* table: the header in bold, nulls as a dim "null" (ANSI) */
    int width;   /* table: fit rows in this many terminal columns, the widest
                    cells clipped with an ellipsis (0: as wide as the cells) */
    bool crlf;   /* csv, tsv: end lines with CR LF instead of LF */
    int threads; /* csv, tsv, json, ndjson: a large result's rows are
                    rendered in this many parts side by side (0, 1: one) */
} AiqOutputOptions;

/* Parses a format name, in any case, with the aliases md (markdown) and
 * jsonl (ndjson); returns false when it names no format. */
bool aiq_format_from_name(const char *name, AiqFormat *out);
/* The canonical name of a format ("markdown" for md). */
const char *aiq_format_name(AiqFormat fmt);
/* Appends the whole table to out, rendered as oo says. */
void aiq_output_table(AiqStrBuf *out, const AiqTable *t, const AiqOutputOptions *oo);
/* Writes text[0..len) to out and flushes it. Returns false with err
 * (AIQ_ERR_IO, the system's reason) when the stream refuses it: a full
 * disk, a closed descriptor. A reader that has gone away (EPIPE: `| head`)
 * is not a failure: nothing more can be said to it, so this returns true. */
bool aiq_output_write(FILE *out, const char *text, size_t len, AiqError *err);

#endif
