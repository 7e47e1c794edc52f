/*
 * error.c -- recording, locating and rendering AiqError (see include/aiq/aiq.h).
 * The layout follows gcc/clang so editors and CI logs can jump to the spot:
 *   q.kql:1:21: error: unknown column 'Durration'; did you mean 'DurationMs'?
 *       AppRequests | where Durration > 100
 *                           ^^^^^^^^^
 */
#include <stdarg.h>
#include <string.h>

#include "aiq/aiq.h"
#include "util/char_width.h"

bool aiq_error_set(AiqError *err, AiqErrCode code, int32_t offset, int32_t length,
                   const char *fmt, ...)
{
    if (!err || err->code != AIQ_OK)
        return false;
    err->code = code;
    err->offset = offset;
    err->length = length > 0 ? length : 1;
    err->line = err->col = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return false;
}

void aiq_error_append(AiqError *err, const char *fmt, ...)
{
    size_t n = strlen(err->msg);
    if (n + 1 >= sizeof err->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof err->msg - n, fmt, ap);
    va_end(ap);
}

void aiq_error_locate(AiqError *err, const char *text, size_t len)
{
    if (err->offset < 0 || !text) {
        err->line = err->col = 0;
        return;
    }
    if ((size_t)err->offset > len)
        err->offset = (int32_t)len;
    /* columns are counted as an editor shows them: after a byte order mark */
    int32_t bom = (int32_t)aiq_utf8_bom_len(text, len);
    if (err->offset < bom)
        err->offset = bom;
    int line = 1, col = 1;
    for (int32_t i = bom; i < err->offset; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            col++; /* columns count code points, not bytes */
        }
    }
    err->line = line;
    err->col = col;
}

void aiq_error_print(FILE *out, const AiqError *err, const char *name, const char *text,
                     size_t len)
{
    if (!name)
        name = "query";
    if (err->offset < 0 || !text || err->line == 0) {
        fprintf(out, "%s: error: %s\n", name, err->msg);
        return;
    }
    fprintf(out, "%s:%d:%d: error: %s\n", name, err->line, err->col, err->msg);
    size_t start = (size_t)err->offset;
    size_t bom = aiq_utf8_bom_len(text, len);
    while (start > bom && text[start - 1] != '\n')
        start--;
    size_t end = (size_t)err->offset;
    while (end < len && text[end] != '\n' && text[end] != '\r')
        end++;
    fputs("    ", out);
    fwrite(text + start, 1, end - start, out);
    fputs("\n    ", out);
    for (size_t i = start; i < (size_t)err->offset; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        fputc(text[i] == '\t' ? '\t' : ' ', out);
    }
    /* Underline the span, but not past the end of its line. */
    int32_t n = 0;
    for (size_t i = (size_t)err->offset; i < end && n < err->length; i++, n++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            fputc('^', out);
    if (n == 0)
        fputc('^', out);
    fputc('\n', out);
}

int aiq_error_exit_code(AiqErrCode code)
{
    switch (code) {
    case AIQ_OK: return 0;
    case AIQ_ERR_SYNTAX:
    case AIQ_ERR_BIND:
    case AIQ_ERR_TYPE:
    case AIQ_ERR_RUNTIME: return 1;
    case AIQ_ERR_IO:
    case AIQ_ERR_USAGE: return 2;
    case AIQ_ERR_LIMIT: return 4;
    }
    return 1;
}
