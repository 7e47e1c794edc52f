/*
 * strbuf.h -- a growable byte buffer for building text (output, messages,
 * canonical KQL). Always NUL-terminated after any append.
 */
#ifndef AIQ_UTIL_STRBUF_H
#define AIQ_UTIL_STRBUF_H

#include <stddef.h>

typedef struct AiqStrBuf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} AiqStrBuf;

void aiq_sb_init(AiqStrBuf *sb);
void aiq_sb_append(AiqStrBuf *sb, const char *s, size_t n);
/* Room for extra more bytes at the end (filled by the caller, e.g. with
 * read(2), then counted with aiq_sb_commit): saves a copy through a buffer. */
char *aiq_sb_reserve(AiqStrBuf *sb, size_t extra);
void aiq_sb_commit(AiqStrBuf *sb, size_t n);
void aiq_sb_puts(AiqStrBuf *sb, const char *s);
void aiq_sb_putc(AiqStrBuf *sb, char c);
void aiq_sb_printf(AiqStrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void aiq_sb_clear(AiqStrBuf *sb);
/* Releases the memory. */
void aiq_sb_free(AiqStrBuf *sb);
/* Returns the contents (an empty string when nothing was appended). */
const char *aiq_sb_str(const AiqStrBuf *sb);
/* The text of file path as a new string (free with aiq_xfree; "" for an
 * empty file) and its length in *len; reading stops once max bytes are
 * read (0: the whole file). NULL with errno when it cannot be opened. */
char *aiq_read_text_file(const char *path, size_t max, size_t *len);

#endif
