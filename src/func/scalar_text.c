/*
 * scalar_text.c -- the string kernels around the basic ones of
 * scalar_string.c: sizes and comparisons (string_size, strcmp, isascii,
 * isutf8), character and string replacement (translate, replace_strings,
 * regex_quote, the legacy replace), searching (indexof_regex, has_any_index), arrays of text
 * (strcat_array, unicode code points). Each follows its page in Kusto's
 * reference; a string result is never null ("" instead).
 */
#include <ctype.h>

#include "core/json_text.h"
#include "func/kernel.h"
#include "func/text.h"
#include "util/char_width.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/sort.h"

/* replace(regex, rewrite, text): the legacy spelling of replace_regex(),
 * whose arguments come in another order (Kusto's replace_regex page lists
 * it as a deprecated alias; its text is the last argument). */
KERNEL(k_replace_legacy)
{
    AiqVector *in_regex_order[3] = {a[2], a[0], a[1]};
    k_replace_regex(ctx, e, in_regex_order, out, sel, n);
}

/* Copies the buffer into the chunk arena as row i's string and empties it
 * for the next row. */
static void put_text(AiqEvalCtx *ctx, AiqVector *out, uint32_t i, AiqStrBuf *sb)
{
    out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(sb), sb->len);
    aiq_sb_clear(sb);
}

/* string_size(s): its length in bytes (strlen counts characters). */
KERNEL(k_string_size)
{
    FOR_ROWS(i) out->data.i64[i] = STR(a[0], i).len;
}

/* strcmp(a, b): -1, 0 or 1 as a sorts before, with or after b, code unit by
 * code unit (ordinal: "ABC" before "abc"). */
KERNEL(k_strcmp)
{
    FOR_ROWS(i) {
        AiqStr x = STR(a[0], i), y = STR(a[1], i);
        uint32_t m = x.len < y.len ? x.len : y.len;
        int c = m ? memcmp(x.ptr, y.ptr, m) : 0;
        if (c == 0)
            c = (x.len > y.len) - (x.len < y.len);
        out->data.i64[i] = (c > 0) - (c < 0);
    }
}

KERNEL(k_isascii)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        bool ascii = true;
        for (uint32_t k = 0; k < s.len && ascii; k++)
            ascii = (unsigned char)s.ptr[k] < 0x80;
        out->data.i64[i] = ascii;
    }
}

/* isutf8(s): every byte belongs to a well-formed UTF-8 sequence. */
KERNEL(k_isutf8)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        bool ok = true;
        uint32_t cp;
        for (uint32_t k = 0; k < s.len && ok;) {
            int step = aiq_utf8_decode(s.ptr + k, s.len - k, &cp);
            ok = step > 0;
            k += (uint32_t)step;
        }
        out->data.i64[i] = ok;
    }
}

/* translate(searchList, replacementList, source): each character of
 * source found in searchList becomes the replacement at its position; a
 * shorter replacement list repeats its last character, an empty one
 * deletes the characters (Kusto's translate page: translate("abc", "x",
 * "abc") is "xxx", translate("abc", "", "ab") is ""). */
KERNEL(k_translate)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        AiqStr from = STR(a[0], i), to = STR(a[1], i), s = STR(a[2], i);
        uint32_t nto = aiq_utf8_count(to);
        for (uint32_t pos = 0; pos < s.len;) {
            uint32_t start = pos, c = aiq_utf8_next(s.ptr, s.len, &pos);
            int64_t at = -1; /* c's position in the search list */
            for (uint32_t fp = 0, k = 0; fp < from.len && at < 0; k++)
                if (aiq_utf8_next(from.ptr, from.len, &fp) == c)
                    at = k;
            if (at < 0) {
                aiq_sb_append(&sb, s.ptr + start, pos - start);
                continue;
            }
            if (nto == 0)
                continue;
            uint32_t want = (uint32_t)at < nto ? (uint32_t)at : nto - 1, tp = 0, r = 0;
            for (uint32_t k = 0; k <= want; k++)
                r = aiq_utf8_next(to.ptr, to.len, &tp);
            char buf[4];
            aiq_sb_append(&sb, buf, aiq_utf8_put(r, buf));
        }
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* regex_quote(s): s with every character a regex gives a meaning escaped,
 * as .NET's Regex.Escape does (the page's example: '(so$me.Te^xt)' is
 * '\(so\$me\.Te\^xt\)'); whitespace becomes its escape (\t, \n, ...). */
KERNEL(k_regex_quote)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        for (uint32_t k = 0; k < s.len; k++) {
            char c = s.ptr[k];
            switch (c) {
            case '\t': aiq_sb_puts(&sb, "\\t"); break;
            case '\n': aiq_sb_puts(&sb, "\\n"); break;
            case '\r': aiq_sb_puts(&sb, "\\r"); break;
            case '\f': aiq_sb_puts(&sb, "\\f"); break;
            case '\\': case '*': case '+': case '?': case '|': case '{': case '[': case '(': case ')':
            case '^': case '$': case '.': case '#': case ' ':
                aiq_sb_putc(&sb, '\\');
                aiq_sb_putc(&sb, c);
                break;
            default: aiq_sb_putc(&sb, c); break;
            }
        }
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* A part of the text claimed by a lookup of replace_strings(). */
typedef struct Claim {
    uint32_t start, end;
    AiqStr with;
} Claim;

static int claim_order(const void *x, const void *y)
{
    const Claim *p = x, *q = y;
    return (p->start > q->start) - (p->start < q->start);
}

/* Whether [start, end) overlaps a claim. */
static bool claimed(const Claim *c, size_t n, uint32_t start, uint32_t end)
{
    for (size_t k = 0; k < n; k++)
        if (start < c[k].end && c[k].start < end)
            return true;
    return false;
}

/* replace_strings(text, lookups, rewrites): the lookups take the text in
 * their order, each every occurrence not overlapping one an earlier lookup
 * took; an occurrence becomes its rewrite, or stays as it is when the
 * rewrite is not a string (the page's "Replacement order" and "Nonstring
 * replacement" examples). Lookups that are not strings, or empty, are
 * ignored. */
KERNEL(k_replace_strings)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    Claim *claims = NULL;
    size_t cap = 0;
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        json_t *look = DYN(a[1], i), *rew = DYN(a[2], i);
        size_t nclaims = 0;
        for (size_t l = 0; json_is_array(look) && l < json_array_size(look); l++) {
            json_t *lk = json_array_get(look, l), *rw = json_array_get(rew, l);
            if (!json_is_string(lk) || json_string_length(lk) == 0)
                continue;
            AiqStr needle = {json_string_value(lk), (uint32_t)json_string_length(lk)};
            AiqStr with = json_is_string(rw) ? (AiqStr){json_string_value(rw), (uint32_t)json_string_length(rw)}
                                             : (AiqStr){NULL, 0};
            for (uint32_t from = 0; from + needle.len <= s.len;) {
                const char *hit = memmem(s.ptr + from, s.len - from, needle.ptr, needle.len);
                if (!hit)
                    break;
                uint32_t at = (uint32_t)(hit - s.ptr);
                if (claimed(claims, nclaims, at, at + needle.len)) {
                    from = at + 1;
                    continue;
                }
                if (nclaims == cap) {
                    cap = cap ? cap * 2 : 16;
                    claims = aiq_xrealloc(claims, sizeof *claims * cap);
                }
                claims[nclaims++] = (Claim){at, at + needle.len, with.ptr ? with : needle};
                from = at + needle.len;
            }
        }
        aiq_sort(claims, nclaims, sizeof *claims, claim_order);
        uint32_t pos = 0;
        for (size_t k = 0; k < nclaims; k++) {
            aiq_sb_append(&sb, s.ptr + pos, claims[k].start - pos);
            aiq_sb_append(&sb, claims[k].with.ptr, claims[k].with.len);
            pos = claims[k].end;
        }
        aiq_sb_append(&sb, s.ptr + pos, s.len - pos);
        if (!aiq_eval_str_fits(ctx, sb.len))
            break;
        put_text(ctx, out, i, &sb);
    }
    aiq_xfree(claims);
    aiq_sb_free(&sb);
}

/* Byte offset of code point number cp of s (clamped to its end). */
static uint32_t cp_offset(AiqStr s, int64_t cp)
{
    uint32_t pos = 0;
    for (int64_t c = 0; c < cp && pos < s.len; c++)
        aiq_utf8_next(s.ptr, s.len, &pos);
    return pos;
}

/* indexof_regex(s, regex [, start [, length [, occurrence]]]): the code
 * point index where the occurrence-th match starts, the matches taken one
 * after another without overlapping, wholly inside the length code points
 * from start (-1: to the end); -1 when there is none; null for a negative
 * start or occurrence, or a length below -1 (the page's examples). */
KERNEL(k_indexof_regex)
{
    AiqRegex *r = aiq_regex_for(ctx, e, a[1]);
    if (!r)
        return;
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        int64_t start = e->nargs > 2 ? I64(a[2], i) : 0, length = e->nargs > 3 ? I64(a[3], i) : -1;
        int64_t occurrence = e->nargs > 4 ? I64(a[4], i) : 1;
        if (start < 0 || occurrence < 0 || length < -1) {
            SETNULL(ctx, out, i);
            continue;
        }
        uint32_t from = cp_offset(s, start);
        AiqStr window = {s.ptr, length < 0 ? s.len : cp_offset(s, start + length)};
        int64_t found = -1;
        for (int64_t o = 0; o < occurrence; o++) {
            int rc = from <= window.len ? aiq_regex_match(ctx, e, r, window, from) : 0;
            if (rc < 0)
                return;
            uint32_t b, end;
            if (rc == 0) {
                found = -1;
                break;
            }
            aiq_regex_span(r, &b, &end);
            found = aiq_utf8_count((AiqStr){s.ptr, b});
            from = end > b ? end : b + 1;
        }
        out->data.i64[i] = occurrence == 0 ? -1 : found;
    }
}

/* has_any_index(source, values): the index of the first element of values
 * that source has as a term (the test of `has`, elements taken as their
 * text), or -1. */
KERNEL(k_has_any_index)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        json_t *arr = DYN(a[1], i);
        int64_t found = -1;
        for (size_t k = 0; json_is_array(arr) && k < json_array_size(arr) && found < 0; k++) {
            json_t *el = json_array_get(arr, k);
            if (json_is_null(el))
                continue;
            if (aiq_has_term(s, aiq_json_text(ctx, el)))
                found = (int64_t)k;
        }
        out->data.i64[i] = found;
    }
}

/* strcat_array(array, delimiter): the elements' text (tostring's: strings
 * unquoted, a null element empty) joined with the delimiter; "" when the
 * value is not an array. */
KERNEL(k_strcat_array)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        json_t *arr = DYN(a[0], i), *el;
        AiqStr d = STR(a[1], i);
        size_t k;
        json_array_foreach(arr, k, el) {
            if (k)
                aiq_sb_append(&sb, d.ptr, d.len);
            if (!json_is_null(el)) {
                AiqStr t = aiq_json_text(ctx, el);
                aiq_sb_append(&sb, t.ptr, t.len);
            }
            if (!aiq_eval_str_fits(ctx, sb.len))
                goto done;
        }
        put_text(ctx, out, i, &sb);
    }
done:
    aiq_sb_free(&sb);
}

/* unicode_codepoints_from_string(s): the code points of s, as an array. */
KERNEL(k_unicode_codepoints_from_string)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        json_t *arr = json_array();
        for (uint32_t pos = 0; pos < s.len;)
            json_array_append_new(arr, json_integer(aiq_utf8_next(s.ptr, s.len, &pos)));
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

/* Appends code point cp; false when it is not one (a negative number, a
 * surrogate, past U+10FFFF). */
static bool put_code_point(AiqStrBuf *sb, json_int_t cp)
{
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    char buf[4];
    aiq_sb_append(sb, buf, aiq_utf8_put((uint32_t)cp, buf));
    return true;
}

/* unicode_codepoints_to_string(values...): the characters of code points
 * given as integers or arrays of integers; "" (Kusto's null) when one is
 * not a code point. */
KERNEL(k_unicode_codepoints_to_string)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        bool ok = true;
        for (int s = 0; s < e->nargs && ok; s++) {
            if (a[s]->type != AIQ_TYPE_DYNAMIC) {
                ok = put_code_point(&sb, I64(a[s], i));
                continue;
            }
            json_t *d = DYN(a[s], i), *el;
            size_t k;
            if (json_is_integer(d))
                ok = put_code_point(&sb, json_integer_value(d));
            else if (!json_is_array(d))
                ok = false;
            json_array_foreach(d, k, el) {
                if (!ok)
                    break;
                ok = json_is_integer(el) && put_code_point(&sb, json_integer_value(el));
            }
        }
        if (!ok)
            aiq_sb_clear(&sb);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}
