/*
 * char_width.h -- how many terminal columns text takes: UTF-8 decoding and
 * a wcwidth(3)-like width per code point that does not depend on the locale
 * (the tables are generated from Unicode by tools/gen_char_width.py), so an
 * aligned table lines up the same everywhere and in tests.
 */
#ifndef AIQ_UTIL_CHAR_WIDTH_H
#define AIQ_UTIL_CHAR_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the UTF-8 sequence at s[0..n). Returns its length in bytes (1..4)
 * and stores the code point in *cp; returns 0 when the bytes there are not
 * well-formed UTF-8 (a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, a value past U+10FFFF). */
int aiq_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The length of a UTF-8 byte order mark at the start of text[0..len): 3,
 * or 0 when there is none. Editors on Windows write one; it is not text. */
size_t aiq_utf8_bom_len(const char *text, size_t len);

/* Columns a terminal draws a printable code point in: 0 for combining marks
 * and format characters, 2 for East Asian wide and fullwidth characters
 * (CJK, emoji), else 1. Control characters (C0, DEL, C1) return -1, as in
 * wcwidth(3): the caller decides how to show them. */
int aiq_char_width(uint32_t cp);

#endif
