/*
 * jsonl_numbers.h -- JSON numbers for the line scanner (jsonl_scan.c, its
 * only includer: these are inlined in its loop): read into a cell without
 * strtod for plain decimals, or only validated when the value is skipped.
 */
#ifndef AIQ_IO_JSONL_NUMBERS_H
#define AIQ_IO_JSONL_NUMBERS_H

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/jsonl_rows.h"
#include "util/timefmt.h" /* (aiq_exact_pow10) */

/* The value of the n (1..8) decimal digits at s, 8 bytes readable: one
 * SWAR multiply per halving (the bytes after the digits are shifted out). */
static inline uint64_t swar_digits(const char *s, int n)
{
    uint64_t w;
    memcpy(&w, s, 8);
    w = (w - UINT64_C(0x3030303030303030)) << (8 * (8 - n)); /* (borrows only go up, out of the digits) */
    w = w * 10 + (w >> 8);                                     /* pairs */
    return ((w & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064) +
            ((w >> 16 & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001))) >> 32;
}

static const uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* Reads the plain decimal at p, `-?(0|[1-9][0-9]{0,7})(\.[0-9]{1,8})?` with
 * no exponent, without a loop per digit: one vector compare finds both
 * parts' lengths, SWAR multiplies their values. NULL for anything else
 * (the loops of scan_number decide). A latency took 171 instructions. */
static inline const char *scan_plain_decimal(const char *p, const char *end, Cell *out)
{
#if defined(__SSE2__)
    if (end - p < 24)
        return NULL; /* (room for the loads) */
    const char *q = p + (*p == '-');
    __m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)q), _mm_set1_epi8('0'));
    __m128i digit = _mm_andnot_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(9)), _mm_cmpgt_epi8(x, _mm_set1_epi8(-1)));
    unsigned other = ~(unsigned)_mm_movemask_epi8(digit); /* (bits 16 up: set) */
    int nint = __builtin_ctz(other);
    if (nint == 0 || nint > 8 || (q[0] == '0' && nint > 1))
        return NULL;
    const char *r = q + nint;
    uint64_t mant = swar_digits(q, nint);
    if (*r != '.') {
        if (*r == 'e' || *r == 'E')
            return NULL;
        out->kind = CELL_INT;
        out->u.i = *p == '-' ? -(int64_t)mant : (int64_t)mant;
        return r;
    }
    int nfrac = __builtin_ctz(other >> (nint + 1));
    if (nfrac == 0 || nfrac > 8 || nint + 1 + nfrac >= 16 || r[1 + nfrac] == 'e' || r[1 + nfrac] == 'E')
        return NULL;
    mant = mant * pow10_u64[nfrac] + swar_digits(r + 1, nfrac);
    if (mant > UINT64_C(1) << 53)
        return NULL;
    /* exact operands: one correctly rounded divide is strtod's answer */
    double v = (double)mant / aiq_exact_pow10[nfrac];
    out->kind = CELL_REAL;
    out->u.f = *p == '-' ? -v : v;
    return r + 1 + nfrac;
#else
    (void)p, (void)end, (void)out;
    return NULL;
#endif
}

/* Parses a number with JSON's grammar; NULL when it is not one or would
 * overflow (jansson rejects those lines, and then decides). With out NULL
 * it only validates. Values are exact without strtod when the digits fit
 * 53 bits and the power of ten is exact (one correctly rounded multiply or
 * divide gives strtod's answer); anything else goes to strtod/strtoll. */
static const char *scan_number(const char *p, const char *end, Cell *out)
{
    const char *fast = out ? scan_plain_decimal(p, end, out) : NULL;
    if (fast)
        return fast;
    const char *start = p;
    bool neg = false, real = false;
    uint64_t mant = 0;
    int ndigits = 0, frac = 0, exp10 = 0;
    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    if (p >= end || (unsigned)(*p - '0') > 9)
        return NULL;
    if (*p == '0') {
        p++;
    } else {
        for (; p < end && (unsigned)(*p - '0') <= 9; p++, ndigits++)
            mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (p < end && *p == '.') {
        real = true;
        if (++p >= end || (unsigned)(*p - '0') > 9)
            return NULL;
        for (; p < end && (unsigned)(*p - '0') <= 9; p++, frac++, ndigits++)
            mant = mant * 10 + (uint64_t)(*p - '0');
    }
    bool has_exp = false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = has_exp = true;
        p++;
        bool eneg = p < end && *p == '-';
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || (unsigned)(*p - '0') > 9)
            return NULL;
        for (; p < end && (unsigned)(*p - '0') <= 9; p++)
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (*p - '0');
        if (eneg)
            exp10 = -exp10;
    }
    size_t n = (size_t)(p - start);
    if (ndigits <= 18 && n < 64) { /* mant did not wrap */
        if (!real) {
            if (out) {
                out->kind = CELL_INT;
                out->u.i = neg ? -(int64_t)mant : (int64_t)mant;
            }
            return p;
        }
        int e = exp10 - frac;
        if (!out && !has_exp)
            return p; /* a plain decimal this short cannot overflow */
        if (mant <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
            if (out) {
                double v = e >= 0 ? (double)mant * aiq_exact_pow10[e] : (double)mant / aiq_exact_pow10[-e];
                out->kind = CELL_REAL;
                out->u.f = neg ? -v : v;
            }
            return p;
        }
    }
    char buf[64];
    if (n >= sizeof buf)
        return NULL;
    memcpy(buf, start, n);
    buf[n] = '\0';
    Cell scratch;
    bool validating = !out;
    if (!out)
        out = &scratch;
    errno = 0;
    if (real) {
        out->kind = CELL_REAL;
        out->u.f = strtod(buf, NULL);
    } else {
        out->kind = CELL_INT;
        out->u.i = strtoll(buf, NULL, 10);
    }
    if (errno != ERANGE || validating)
        return errno ? NULL : p; /* (a value in a skipped or nested one that overflows: jansson's path, load_json) */
    /* beyond 64 bits or beyond double's range: a real, inf for overflow
     * (CLI.md), and the row is kept */
    if (!real) {
        out->kind = CELL_REAL;
        out->u.f = strtod(buf, NULL);
    }
    return p;
}

/* Validates the number at p without converting it (a skipped value): the
 * same answer as scan_number(p, end, NULL) at a third of the cost. Only
 * exponents (which may overflow), integers of more than 18 digits (which
 * may not fit 64 bits) and numbers of 64 bytes or more go to scan_number. */
static inline const char *skip_number(const char *p, const char *end)
{
    const char *start = p;
    if (p < end && *p == '-')
        p++;
    const char *digits = p;
    if (p >= end || (unsigned)(*p - '0') > 9)
        return NULL;
    if (*p == '0')
        p++;
    else
        while (p < end && (unsigned)(*p - '0') <= 9)
            p++;
    bool frac = p < end && *p == '.';
    if (frac) {
        if (++p >= end || (unsigned)(*p - '0') > 9)
            return NULL;
        while (p < end && (unsigned)(*p - '0') <= 9)
            p++;
    }
    if ((p < end && (*p == 'e' || *p == 'E')) || (!frac && p - digits > 18) || p - start >= 64)
        return scan_number(start, end, NULL);
    return p;
}

#endif
