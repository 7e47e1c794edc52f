/*
 * aiq.h -- the public face of the aiq library: errors and their rendering.
 *
 * Library code never prints and never exits: every failure is returned in an
 * AiqError, which cli/ and repl/ render like a compiler diagnostic
 * (FILE:LINE:COL: error: message, the source line, a caret under the span).
 */
#ifndef AIQ_H
#define AIQ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "aiq_types.h"

#define AIQ_VERSION "0.1.0"

typedef enum AiqErrCode {
    AIQ_OK = 0,
    AIQ_ERR_SYNTAX,  /* the query text does not parse */
    AIQ_ERR_BIND,    /* unknown name, wrong arity, duplicate column */
    AIQ_ERR_TYPE,    /* argument types do not fit */
    AIQ_ERR_RUNTIME, /* error while executing (bad regex at run time, ...) */
    AIQ_ERR_IO,      /* unreadable input, corrupt file, --strict violation */
    AIQ_ERR_LIMIT,   /* a resource limit: --max-memory, regex match limit, depth */
    AIQ_ERR_USAGE    /* bad option or parameter */
} AiqErrCode;

typedef struct AiqError {
    AiqErrCode code;
    int32_t offset; /* byte offset of the offending text in the query, -1 if none */
    int32_t length; /* bytes to underline, >= 1 */
    int line, col;  /* 1-based; filled in by aiq_error_locate() from offset */
    char msg[512];
} AiqError;

/* Records an error unless one is already recorded (the first error wins).
 * Always returns false so callers can write `return aiq_error_set(...)`. */
bool aiq_error_set(AiqError *err, AiqErrCode code, int32_t offset, int32_t length,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Appends text to an already recorded message (used for hints). */
void aiq_error_append(AiqError *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills err->line and err->col from err->offset within text. */
void aiq_error_locate(AiqError *err, const char *text, size_t len);
/* Prints "NAME:LINE:COL: error: MSG", the source line and a caret line to out.
 * name may be NULL (then "query" is used); text may be NULL when the error has no location. */
void aiq_error_print(FILE *out, const AiqError *err, const char *name, const char *text,
                     size_t len);
/* Maps an error code to the process exit code of CLI.md (1 query, 2 usage/io, 4 limit). */
int aiq_error_exit_code(AiqErrCode code);

#endif
