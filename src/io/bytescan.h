/*
 * bytescan.h -- the inner loops of the JSON-lines scanner: find the end of
 * a plain run of string bytes, or of an ASCII run, 16 bytes at a time.
 *
 * Log lines are mostly short strings and ASCII, so these two searches are
 * where the scanner spends its time. SSE2 is part of every x86-64 CPU, so
 * no runtime dispatch is needed; other CPUs get a word-at-a-time version
 * with the same results. Loads never pass `end`: the buffer is not padded.
 */
#ifndef AIQ_IO_BYTESCAN_H
#define AIQ_IO_BYTESCAN_H

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The first byte at or after p that ends a plain ASCII run inside a JSON
 * string: a quote, a backslash, a control character (< 0x20) or a byte of
 * a multi-byte UTF-8 sequence (>= 0x80, which the caller checks); end when none. */
static inline const char *aiq_scan_string_run(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    /* a signed compare with 0x20 catches both 0x00-0x1F and 0x80-0xFF */
    const __m128i ctl = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                                   _mm_cmplt_epi8(v, ctl));
        int mask = _mm_movemask_epi8(hit);
        if (mask)
            return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p - 0x20u < 0x60u)
        p++;
    return p;
}

/* The first byte at or after p with its top bit set (not ASCII); end when none. */
static inline const char *aiq_scan_ascii_run(const char *p, const char *end)
{
#if defined(__SSE2__)
    while (end - p >= 16) {
        int mask = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)p));
        if (mask)
            return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#else
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (w & 0x8080808080808080ull)
            break;
        p += 8;
    }
#endif
    while (p < end && (unsigned char)*p < 0x80)
        p++;
    return p;
}

#endif
