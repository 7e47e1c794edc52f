/*
 * json_text.c -- the compact JSON text of dynamic values, as aiq prints
 * them, compares them and gives them to tostring().
 *
 * jansson's own json_dumps writes reals with 17 significant digits, so
 * dynamic(3.7) came out as 3.7000000000000002, while CLI.md (and Kusto)
 * give every real the shortest text that reads back as the same double.
 * This writer follows json_dumps (JSON_COMPACT | JSON_ENCODE_ANY) in
 * everything else: keys in insertion order (or sorted with
 * JSON_SORT_KEYS), UTF-8 written as is, quotes, backslashes and control
 * characters escaped the same way. A real keeps a ".0" when its shortest
 * text looks like an integer, so that it still reads back as a real.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vector.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/sort.h"

static void put_string(AiqStrBuf *sb, const char *s, size_t n)
{
    aiq_sb_putc(sb, '"');
    size_t run = 0; /* bytes written as they are, flushed at each escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char hex[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(hex, sizeof hex, "\\u%04X", c);
                esc = hex;
            }
        }
        if (!esc) {
            run++;
            continue;
        }
        aiq_sb_append(sb, s + i - run, run);
        run = 0;
        aiq_sb_puts(sb, esc);
    }
    aiq_sb_append(sb, s + n - run, run);
    aiq_sb_putc(sb, '"');
}

static void put_real(AiqStrBuf *sb, double v)
{
    char buf[64];
    size_t n = aiq_real_format(v, buf);
    aiq_sb_append(sb, buf, n);
    if (!strpbrk(buf, ".eEIN"))
        aiq_sb_puts(sb, ".0"); /* 100.0 stays a real when read back */
}

typedef struct Member {
    const char *key;
    size_t len;
    json_t *value;
} Member;

static int member_cmp(const void *a, const void *b)
{
    const Member *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void put_value(AiqStrBuf *sb, const json_t *v, size_t flags)
{
    switch (json_typeof(v)) {
    case JSON_NULL: aiq_sb_puts(sb, "null"); break;
    case JSON_TRUE: aiq_sb_puts(sb, "true"); break;
    case JSON_FALSE: aiq_sb_puts(sb, "false"); break;
    case JSON_INTEGER: aiq_sb_printf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: put_real(sb, json_real_value(v)); break;
    case JSON_STRING: put_string(sb, json_string_value(v), json_string_length(v)); break;
    case JSON_ARRAY:
        aiq_sb_putc(sb, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                aiq_sb_putc(sb, ',');
            put_value(sb, json_array_get(v, i), flags);
        }
        aiq_sb_putc(sb, ']');
        break;
    case JSON_OBJECT: {
        size_t n = json_object_size(v), k = 0;
        Member *m = aiq_xmalloc(sizeof *m * (n + 1));
        const char *key;
        size_t len;
        json_t *x;
        json_object_keylen_foreach((json_t *)v, key, len, x) m[k++] = (Member){key, len, x};
        if (flags & JSON_SORT_KEYS)
            aiq_sort(m, k, sizeof *m, member_cmp);
        aiq_sb_putc(sb, '{');
        for (size_t i = 0; i < k; i++) {
            if (i)
                aiq_sb_putc(sb, ',');
            put_string(sb, m[i].key, m[i].len);
            aiq_sb_putc(sb, ':');
            put_value(sb, m[i].value, flags);
        }
        aiq_sb_putc(sb, '}');
        aiq_xfree(m);
        break;
    }
    }
}

char *aiq_json_dumps(const json_t *v, size_t flags)
{
    if (!v)
        return NULL;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    put_value(&sb, v, flags);
    char *s = aiq_xstrndup(sb.data ? sb.data : "", sb.len);
    aiq_sb_free(&sb);
    return s;
}
/* ---- dynamic values kept as text ---------------------------------------- */

#define DYN_TEXT_MARK '\xff'

json_t *aiq_dyn_text_new(const char *json, size_t len)
{
    char stack[512];
    char *buf = len + 1 <= sizeof stack ? stack : aiq_xmalloc(len + 1);
    buf[0] = DYN_TEXT_MARK;
    memcpy(buf + 1, json, len);
    json_t *v = json_stringn_nocheck(buf, len + 1);
    if (buf != stack)
        aiq_xfree(buf);
    return v;
}

bool aiq_dyn_is_text(const json_t *v)
{
    return v && json_is_string(v) && json_string_length(v) && json_string_value(v)[0] == DYN_TEXT_MARK;
}

char *aiq_dyn_dumps(const json_t *v, size_t flags)
{
    if (!aiq_dyn_is_text(v))
        return aiq_json_dumps(v, flags);
    json_t *parsed = json_loadb(json_string_value(v) + 1, json_string_length(v) - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char *s = aiq_json_dumps(parsed, flags);
    json_decref(parsed);
    return s;
}

json_t *aiq_dyn_key(json_t *d, const char *key, size_t len, json_t **owned)
{
    *owned = NULL;
    if (json_is_string(d)) {
        /* a JSON object stored as a string (Azure diagnostics' properties) */
        d = *owned = json_loadb(json_string_value(d), json_string_length(d), 0, NULL);
    }
    json_t *r = json_is_object(d) ? json_object_getn(d, key, len) : NULL;
    return json_is_null(r) ? NULL : r;
}

