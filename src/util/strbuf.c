/*
 * strbuf.c -- growable text buffer (see strbuf.h).
 */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

void aiq_sb_init(AiqStrBuf *sb)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

static void reserve(AiqStrBuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->data = aiq_xrealloc(sb->data, cap);
    sb->cap = cap;
}

char *aiq_sb_reserve(AiqStrBuf *sb, size_t extra)
{
    reserve(sb, extra);
    return sb->data + sb->len;
}

void aiq_sb_commit(AiqStrBuf *sb, size_t n)
{
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void aiq_sb_append(AiqStrBuf *sb, const char *s, size_t n)
{
    reserve(sb, n);
    if (n)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void aiq_sb_puts(AiqStrBuf *sb, const char *s) { aiq_sb_append(sb, s, strlen(s)); }

void aiq_sb_putc(AiqStrBuf *sb, char c) { aiq_sb_append(sb, &c, 1); }

void aiq_sb_printf(AiqStrBuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    reserve(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void aiq_sb_clear(AiqStrBuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

void aiq_sb_free(AiqStrBuf *sb)
{
    aiq_xfree(sb->data);
    aiq_sb_init(sb);
}

const char *aiq_sb_str(const AiqStrBuf *sb) { return sb->data ? sb->data : ""; }

char *aiq_read_text_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    char buf[65536];
    size_t n;
    while ((!max || sb.len < max) && (n = fread(buf, 1, sizeof buf, f)) > 0)
        aiq_sb_append(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return sb.data ? sb.data : aiq_xstrndup("", 0);
}
