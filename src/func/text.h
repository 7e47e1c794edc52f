/*
 * text.h -- helpers the string kernels of several files share: lenient
 * UTF-8 stepping (a byte that is not UTF-8 counts as one character, as
 * Kusto's functions never fail on text), the regexes of scalar_string.c
 * (compiled once per expression, with a match limit), and the term test
 * of `has` from scalar_ops.c.
 */
#ifndef AIQ_FUNC_TEXT_H
#define AIQ_FUNC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "func/kernel.h"

/* Decodes one code point at s[*pos] and moves *pos past it; a byte that
 * does not start a well-formed sequence decodes as itself. */
static inline uint32_t aiq_utf8_next(const char *s, uint32_t len, uint32_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    uint32_t left = len - *pos;
    if (p[0] < 0x80 || left < 2) {
        (*pos)++;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
        *pos += 2;
        return (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    }
    if ((p[0] & 0xF0) == 0xE0 && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *pos += 3;
        return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    }
    if ((p[0] & 0xF8) == 0xF0 && left >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
        (p[3] & 0xC0) == 0x80) {
        *pos += 4;
        return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
               (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
    }
    (*pos)++;
    return p[0];
}

/* Writes code point cp as UTF-8 at out (room for 4 bytes); returns its length. */
static inline size_t aiq_utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The number of code points of s (bytes that do not continue a sequence). */
static inline uint32_t aiq_utf8_count(AiqStr s)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < s.len; k++)
        n += ((unsigned char)s.ptr[k] & 0xC0) != 0x80;
    return n;
}

/* A compiled regex, owned by the list aiq_regex_release_all() frees. */
typedef struct AiqRegex AiqRegex;

/* The regex of call e, compiled from the constant pattern (row 0 of
 * pattern) on first use and cached on e. NULL with ctx->err set when the
 * pattern does not compile. */
AiqRegex *aiq_regex_for(AiqEvalCtx *ctx, const AiqExpr *e, const AiqVector *pattern);
/* Runs r on s from byte offset from: >0 on a match (the number of groups
 * set, plus one), 0 on none, -1 on a runaway pattern (ctx->err set). */
int aiq_regex_match(AiqEvalCtx *ctx, const AiqExpr *e, AiqRegex *r, AiqStr s, uint32_t from);
/* Group g of the last match of r on s ("" when it did not take part); rc
 * is what aiq_regex_match returned. */
AiqStr aiq_regex_group(AiqRegex *r, AiqStr s, int64_t g, int rc);
/* Byte offsets of the whole last match of r. */
void aiq_regex_span(AiqRegex *r, uint32_t *start, uint32_t *end);

/* Whether needle is a whole term of hay, case-insensitively: the test of
 * `has` (scalar_ops.c). */
bool aiq_has_term(AiqStr hay, AiqStr needle);

#endif
