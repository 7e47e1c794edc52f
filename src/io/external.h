/*
 * external.h -- the reader behind externaldata: one local file, in one of
 * the formats Kusto's externaldata takes (csv and its kin, txt/raw, json
 * and multijson), plain or compressed (told by magic number, as the
 * JSON-lines reader does), into a table of the declared columns.
 */
#ifndef AIQ_IO_EXTERNAL_H
#define AIQ_IO_EXTERNAL_H

#include <stdbool.h>

#include "aiq/aiq.h"
#include "core/table.h"

/* The formats, by Kusto's names. ORDER: aiq_external_format_names[]. */
typedef enum AiqExternalFormat {
    AIQ_EXT_CSV, AIQ_EXT_TSV, AIQ_EXT_TSVE, AIQ_EXT_PSV, AIQ_EXT_SCSV, AIQ_EXT_SOHSV,
    AIQ_EXT_TXT, AIQ_EXT_RAW, AIQ_EXT_JSON, AIQ_EXT_MULTIJSON, AIQ_EXT_FORMAT_COUNT
} AiqExternalFormat;
extern const char *const aiq_external_format_names[AIQ_EXT_FORMAT_COUNT];

/* The format a Kusto name (any case) stands for, or -1. */
int aiq_external_format_from_name(const char *name);
/* The format of a file by its extension (before a .gz/.zst one): csv when
 * none is known, as Kusto assumes. */
AiqExternalFormat aiq_external_format_of_path(const char *path);

/* Appends the records of the file at path to t (whose schema is the
 * declared columns): csv and its kin by position, json by column name; a
 * field that is not a value of its column's type is null. ignore_first
 * skips the file's first record (a header). false with err (AIQ_ERR_IO)
 * when the file cannot be read or decoded. */
bool aiq_external_read(AiqTable *t, const char *path, AiqExternalFormat format, bool ignore_first,
                       AiqError *err);

#endif
