/*
 * scalar_encode.c -- kernels that encode text one way and back: URL
 * percent-encoding, base64 (of text, byte arrays and GUIDs), GUIDs
 * (toguid, new_guid; aiq holds a guid as its text, lower case), Punycode
 * and IDNA domains (RFC 3492), and zlib/gzip compression to base64. What
 * does not decode gives Kusto's null: "" for a string, null for dynamic.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <zlib.h>

#include "func/kernel.h"
#include "func/text.h"
#include "util/char_width.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Copies the buffer into the chunk arena as row i's string and empties it. */
static void put_text(AiqEvalCtx *ctx, AiqVector *out, uint32_t i, AiqStrBuf *sb)
{
    out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(sb), sb->len);
    aiq_sb_clear(sb);
}

/* Whether s[0..n) is well-formed UTF-8 (decoded bytes must be text). */
static bool valid_utf8(const char *s, size_t n)
{
    uint32_t cp;
    for (size_t k = 0; k < n;) {
        int step = aiq_utf8_decode(s + k, n - k, &cp);
        if (step <= 0)
            return false;
        k += (size_t)step;
    }
    return true;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* ---- URLs ------------------------------------------------------------------------ */

/* url_encode(s) and url_encode_component(s): .NET's HttpUtility.UrlEncode,
 * which Kusto's examples show: letters, digits and - _ . ! * ( ) stay,
 * every other byte of the UTF-8 text becomes %xx in lower case; a space is
 * '+' for url_encode, %20 for url_encode_component. */
KERNEL(k_url_encode)
{
    bool component = e->fn->id == AIQ_FN_URL_ENCODE_COMPONENT;
    static const char digits[] = "0123456789abcdef";
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        for (uint32_t k = 0; k < s.len; k++) {
            unsigned char c = (unsigned char)s.ptr[k];
            if (isalnum(c) || strchr("-_.!*()", c)) {
                aiq_sb_putc(&sb, (char)c);
            } else if (c == ' ' && !component) {
                aiq_sb_putc(&sb, '+');
            } else {
                char esc[3] = {'%', digits[c >> 4], digits[c & 15]};
                aiq_sb_append(&sb, esc, 3);
            }
        }
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* Appends code point cp, or U+FFFD for one that is not a character. */
static void put_char(AiqStrBuf *sb, uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    char buf[4];
    aiq_sb_append(sb, buf, aiq_utf8_put(cp, buf));
}

/* url_decode(s): HttpUtility.UrlDecode: '+' is a space, %xx a byte, %uXXXX
 * a UTF-16 unit; a '%' that starts neither stays. The bytes are read as
 * UTF-8, a byte that is not UTF-8 becoming U+FFFD as .NET reads it. */
KERNEL(k_url_decode)
{
    AiqStrBuf bytes, sb;
    aiq_sb_init(&bytes);
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        for (uint32_t k = 0; k < s.len; k++) {
            char c = s.ptr[k];
            if (c == '+') {
                aiq_sb_putc(&bytes, ' ');
            } else if (c == '%' && k + 2 < s.len && hex_value(s.ptr[k + 1]) >= 0 && hex_value(s.ptr[k + 2]) >= 0) {
                aiq_sb_putc(&bytes, (char)(hex_value(s.ptr[k + 1]) << 4 | hex_value(s.ptr[k + 2])));
                k += 2;
            } else if (c == '%' && k + 5 < s.len && (s.ptr[k + 1] == 'u' || s.ptr[k + 1] == 'U') &&
                       hex_value(s.ptr[k + 2]) >= 0 && hex_value(s.ptr[k + 3]) >= 0 && hex_value(s.ptr[k + 4]) >= 0 &&
                       hex_value(s.ptr[k + 5]) >= 0) {
                uint32_t u = 0;
                for (int h = 2; h <= 5; h++)
                    u = u << 4 | (uint32_t)hex_value(s.ptr[k + h]);
                char buf[4];
                aiq_sb_append(&bytes, buf, aiq_utf8_put(u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u, buf));
                k += 5;
            } else {
                aiq_sb_putc(&bytes, c);
            }
        }
        const char *p = aiq_sb_str(&bytes);
        for (size_t k = 0; k < bytes.len;) {
            uint32_t cp;
            int step = aiq_utf8_decode(p + k, bytes.len - k, &cp);
            put_char(&sb, step > 0 ? cp : 0xFFFD);
            k += step > 0 ? (size_t)step : 1;
        }
        aiq_sb_clear(&bytes);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&bytes);
    aiq_sb_free(&sb);
}

/* ---- base64 ---------------------------------------------------------------------- */

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64_encode(AiqStrBuf *sb, const unsigned char *p, size_t n)
{
    for (size_t k = 0; k < n; k += 3) {
        uint32_t v = (uint32_t)p[k] << 16 | (k + 1 < n ? (uint32_t)p[k + 1] << 8 : 0) | (k + 2 < n ? p[k + 2] : 0);
        char q[4] = {b64_alphabet[v >> 18], b64_alphabet[v >> 12 & 63], k + 1 < n ? b64_alphabet[v >> 6 & 63] : '=',
                     k + 2 < n ? b64_alphabet[v & 63] : '='};
        aiq_sb_append(sb, q, 4);
    }
}

static int b64_value(char c)
{
    const char *at = c ? strchr(b64_alphabet, c) : NULL;
    return at ? (int)(at - b64_alphabet) : -1;
}

/* Decodes base64 text (whitespace ignored, '=' padding to a multiple of
 * four, as .NET's Convert.FromBase64String) into out; false when it is not
 * base64. */
static bool base64_decode(AiqStr s, AiqStrBuf *out)
{
    uint32_t acc = 0;
    int nbits = 0, ndigits = 0, npad = 0;
    for (uint32_t k = 0; k < s.len; k++) {
        char c = s.ptr[k];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            npad++;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || npad)
            return false;
        ndigits++;
        acc = acc << 6 | (uint32_t)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            aiq_sb_putc(out, (char)(acc >> nbits & 0xFF));
        }
    }
    return (ndigits + npad) % 4 == 0 && npad <= 2 && (npad == 0 || ndigits % 4 != 0);
}

/* base64_encode_tostring(s): the base64 of s's UTF-8 bytes. */
KERNEL(k_base64_encode_tostring)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        base64_encode(&sb, (const unsigned char *)s.ptr, s.len);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* base64_decode_tostring(s): the text s encodes; "" when s is not base64
 * or the bytes are not UTF-8 (the page's second example). */
KERNEL(k_base64_decode_tostring)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        if (!base64_decode(STR(a[0], i), &sb) || !valid_utf8(aiq_sb_str(&sb), sb.len))
            aiq_sb_clear(&sb);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* base64_decode_toarray(s): the bytes s encodes, as an array of longs. */
KERNEL(k_base64_decode_toarray)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        aiq_sb_clear(&sb);
        if (!base64_decode(STR(a[0], i), &sb))
            continue;
        json_t *arr = json_array();
        for (size_t k = 0; k < sb.len; k++)
            json_array_append_new(arr, json_integer((unsigned char)aiq_sb_str(&sb)[k]));
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
    aiq_sb_free(&sb);
}

/* base64_encode_fromarray(bytes): the base64 of an array of integers from
 * 0 to 255; "" when it holds anything else. */
KERNEL(k_base64_encode_fromarray)
{
    AiqStrBuf bytes, sb;
    aiq_sb_init(&bytes);
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        json_t *arr = DYN(a[0], i), *el;
        size_t k;
        bool ok = json_is_array(arr);
        aiq_sb_clear(&bytes);
        json_array_foreach(arr, k, el) {
            json_int_t v = json_is_integer(el) ? json_integer_value(el) : -1;
            if (v < 0 || v > 255) {
                ok = false;
                break;
            }
            aiq_sb_putc(&bytes, (char)v);
        }
        if (ok)
            base64_encode(&sb, (const unsigned char *)aiq_sb_str(&bytes), bytes.len);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&bytes);
    aiq_sb_free(&sb);
}

/* ---- GUIDs ----------------------------------------------------------------------- */

/* Writes the 16 bytes of a GUID as its text (8-4-4-4-12 lower-case hex
 * digits) in .NET's byte order: the first three groups little-endian, as
 * base64_encode_fromguid's example shows. */
static void guid_text(const unsigned char b[16], char out[36])
{
    static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    static const char digits[] = "0123456789abcdef";
    int o = 0;
    for (int k = 0; k < 16; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10)
            out[o++] = '-';
        out[o++] = digits[b[order[k]] >> 4];
        out[o++] = digits[b[order[k]] & 15];
    }
}

/* Parses a GUID's text into its 16 bytes (.NET order) as toguid() reads
 * it: the first 32 hex digits, hyphens between them skipped, whatever
 * follows ignored. False when 32 digits do not come first. */
static bool guid_parse(AiqStr s, unsigned char b[16])
{
    static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    unsigned char digits[32];
    int n = 0;
    for (uint32_t k = 0; k < s.len && n < 32; k++) {
        if (s.ptr[k] == '-' && n > 0)
            continue;
        int v = hex_value(s.ptr[k]);
        if (v < 0)
            return false;
        digits[n++] = (unsigned char)v;
    }
    if (n < 32)
        return false;
    for (int k = 0; k < 16; k++)
        b[order[k]] = (unsigned char)(digits[2 * k] << 4 | digits[2 * k + 1]);
    return true;
}

/* toguid(value): the GUID a value's text starts with, "" (null) when none. */
KERNEL(k_toguid)
{
    FOR_ROWS(i) {
        unsigned char b[16];
        char text[36];
        if (!guid_parse(aiq_conv_string(ctx, a[0], i), b)) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        guid_text(b, text);
        out->data.str[i] = aiq_eval_str(ctx, text, sizeof text);
    }
}

/* new_guid(): a random (version 4) GUID for every row. */
KERNEL(k_new_guid)
{
    FOR_ROWS(i) {
        unsigned char b[16];
        if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
            uint64_t x = (uint64_t)(uintptr_t)&b ^ (uint64_t)i * 0x9E3779B97F4A7C15ULL; /* never expected */
            memcpy(b, &x, 8);
            memcpy(b + 8, &x, 8);
        }
        b[7] = (unsigned char)((b[7] & 0x0F) | 0x40); /* version 4 (byte 7: the high byte of group 3) */
        b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* the RFC 4122 variant */
        char text[36];
        guid_text(b, text);
        out->data.str[i] = aiq_eval_str(ctx, text, sizeof text);
    }
}

/* base64_decode_toguid(s): the GUID of 16 base64-encoded bytes. */
KERNEL(k_base64_decode_toguid)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        aiq_sb_clear(&sb);
        char text[36];
        if (!base64_decode(STR(a[0], i), &sb) || sb.len != 16) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        guid_text((const unsigned char *)aiq_sb_str(&sb), text);
        out->data.str[i] = aiq_eval_str(ctx, text, sizeof text);
    }
    aiq_sb_free(&sb);
}

/* base64_encode_fromguid(guid): the base64 of a GUID's 16 bytes. */
KERNEL(k_base64_encode_fromguid)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        unsigned char b[16];
        if (guid_parse(STR(a[0], i), b))
            base64_encode(&sb, b, sizeof b);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* ---- Punycode (RFC 3492) --------------------------------------------------------- */

enum { PUNY_BASE = 36, PUNY_TMIN = 1, PUNY_TMAX = 26, PUNY_SKEW = 38, PUNY_DAMP = 700, PUNY_BIAS = 72, PUNY_N = 128 };

static uint32_t puny_adapt(uint32_t delta, uint32_t numpoints, bool first)
{
    delta = first ? delta / PUNY_DAMP : delta / 2;
    delta += delta / numpoints;
    uint32_t k = 0;
    while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) / 2) {
        delta /= PUNY_BASE - PUNY_TMIN;
        k += PUNY_BASE;
    }
    return k + (PUNY_BASE - PUNY_TMIN + 1) * delta / (delta + PUNY_SKEW);
}

static char puny_digit(uint32_t d) { return (char)(d < 26 ? 'a' + d : '0' + d - 26); }

static uint32_t puny_threshold(uint32_t k, uint32_t bias)
{
    return k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias;
}

/* Appends the Punycode of the code points cps[0..n); false on overflow. */
static bool puny_encode(const uint32_t *cps, size_t n, AiqStrBuf *sb)
{
    uint32_t basic = 0;
    for (size_t k = 0; k < n; k++)
        if (cps[k] < 0x80) {
            aiq_sb_putc(sb, (char)cps[k]);
            basic++;
        }
    if (basic)
        aiq_sb_putc(sb, '-');
    uint32_t cur = PUNY_N, delta = 0, bias = PUNY_BIAS, h = basic;
    while (h < n) {
        uint32_t m = UINT32_MAX;
        for (size_t k = 0; k < n; k++)
            if (cps[k] >= cur && cps[k] < m)
                m = cps[k];
        if ((uint64_t)(m - cur) * (h + 1) > UINT32_MAX - delta)
            return false;
        delta += (m - cur) * (h + 1);
        cur = m;
        for (size_t k = 0; k < n; k++) {
            if (cps[k] < cur && ++delta == 0)
                return false;
            if (cps[k] != cur)
                continue;
            uint32_t q = delta;
            for (uint32_t kk = PUNY_BASE;; kk += PUNY_BASE) {
                uint32_t t = puny_threshold(kk, bias);
                if (q < t)
                    break;
                aiq_sb_putc(sb, puny_digit(t + (q - t) % (PUNY_BASE - t)));
                q = (q - t) / (PUNY_BASE - t);
            }
            aiq_sb_putc(sb, puny_digit(q));
            bias = puny_adapt(delta, h + 1, h == basic);
            delta = 0;
            h++;
        }
        delta++;
        cur++;
    }
    return true;
}

/* Decodes Punycode s into code points (appended as UTF-8); false when s
 * is not Punycode. */
static bool puny_decode(AiqStr s, AiqStrBuf *sb)
{
    uint32_t *cps = aiq_xmalloc(sizeof *cps * (s.len + 1));
    size_t n = 0;
    const char *dash = NULL;
    for (uint32_t k = 0; k < s.len; k++) {
        if ((unsigned char)s.ptr[k] >= 0x80)
            goto fail;
        if (s.ptr[k] == '-')
            dash = s.ptr + k;
    }
    if (dash)
        for (const char *p = s.ptr; p < dash; p++)
            cps[n++] = (unsigned char)*p;
    uint32_t cur = PUNY_N, i = 0, bias = PUNY_BIAS;
    for (const char *p = dash ? dash + 1 : s.ptr, *end = s.ptr + s.len; p < end;) {
        uint32_t old = i, w = 1;
        for (uint32_t k = PUNY_BASE;; k += PUNY_BASE) {
            if (p >= end)
                goto fail;
            char c = *p++;
            uint32_t d = c >= 'a' && c <= 'z' ? (uint32_t)(c - 'a') : c >= 'A' && c <= 'Z' ? (uint32_t)(c - 'A')
                         : c >= '0' && c <= '9' ? (uint32_t)(c - '0' + 26) : PUNY_BASE;
            if (d >= PUNY_BASE || (uint64_t)d * w > UINT32_MAX - i)
                goto fail;
            i += d * w;
            uint32_t t = puny_threshold(k, bias);
            if (d < t)
                break;
            if ((uint64_t)w * (PUNY_BASE - t) > UINT32_MAX)
                goto fail;
            w *= PUNY_BASE - t;
        }
        bias = puny_adapt(i - old, (uint32_t)n + 1, old == 0);
        if (i / (n + 1) > 0x10FFFF - cur)
            goto fail;
        cur += i / ((uint32_t)n + 1);
        i %= (uint32_t)n + 1;
        if (cur > 0x10FFFF || (cur >= 0xD800 && cur <= 0xDFFF))
            goto fail;
        memmove(cps + i + 1, cps + i, sizeof *cps * (n - i));
        cps[i++] = cur;
        n++;
    }
    for (size_t k = 0; k < n; k++) {
        char buf[4];
        aiq_sb_append(sb, buf, aiq_utf8_put(cps[k], buf));
    }
    aiq_xfree(cps);
    return true;
fail:
    aiq_xfree(cps);
    return false;
}

/* Appends the Punycode of text s; false when it cannot be encoded. */
static bool puny_encode_text(AiqStr s, AiqStrBuf *sb)
{
    uint32_t *cps = aiq_xmalloc(sizeof *cps * (s.len + 1));
    size_t n = 0;
    for (uint32_t pos = 0; pos < s.len;)
        cps[n++] = aiq_utf8_next(s.ptr, s.len, &pos);
    bool ok = puny_encode(cps, n, sb);
    aiq_xfree(cps);
    return ok;
}

/* The length of a label separator of IDNA at s[k] (., U+3002, U+FF0E,
 * U+FF61), or 0. */
static uint32_t label_separator(AiqStr s, uint32_t k)
{
    if (s.ptr[k] == '.')
        return 1;
    uint32_t pos = k, cp = aiq_utf8_next(s.ptr, s.len, &pos);
    return cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61 ? pos - k : 0;
}

/* punycode_domain_to_string(domain): each label with a character past
 * ASCII as "xn--" and its Punycode; labels joined by '.'. With decode:
 * punycode_domain_from_string, each "xn--" label decoded. False when a
 * label does not convert. */
static bool convert_domain(AiqStr s, AiqStrBuf *sb, bool decode)
{
    uint32_t start = 0;
    for (uint32_t k = 0; k <= s.len;) {
        uint32_t sep = k < s.len ? label_separator(s, k) : 1;
        if (!sep) {
            k++;
            continue;
        }
        AiqStr label = {s.ptr + start, k - start};
        bool ascii = true;
        for (uint32_t c = 0; c < label.len; c++)
            ascii &= (unsigned char)label.ptr[c] < 0x80;
        if (decode && label.len >= 4 && strncasecmp(label.ptr, "xn--", 4) == 0) {
            if (!puny_decode((AiqStr){label.ptr + 4, label.len - 4}, sb))
                return false;
        } else if (!decode && !ascii) {
            aiq_sb_puts(sb, "xn--");
            if (!puny_encode_text(label, sb))
                return false;
        } else {
            aiq_sb_append(sb, label.ptr, label.len);
        }
        if (k < s.len)
            aiq_sb_putc(sb, '.');
        k += sep;
        start = k;
    }
    return true;
}

/* punycode_from_string, punycode_to_string, punycode_domain_to_string,
 * punycode_domain_from_string; "" when the input does not convert. */
KERNEL(k_punycode)
{
    AiqFuncId id = e->fn->id;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        bool ok = id == AIQ_FN_PUNYCODE_FROM_STRING        ? puny_encode_text(s, &sb)
                  : id == AIQ_FN_PUNYCODE_TO_STRING        ? puny_decode(s, &sb)
                  : id == AIQ_FN_PUNYCODE_DOMAIN_TO_STRING ? convert_domain(s, &sb, false)
                                                           : convert_domain(s, &sb, true);
        if (!ok)
            aiq_sb_clear(&sb);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&sb);
}

/* ---- zlib and gzip ------------------------------------------------------------------ */

/* The deflate stream of s with no compression (stored blocks), as Kusto's
 * examples show it (zlib_compress_to_base64_string("1234567890qwertyuiop")
 * is "eAEBFADr..."): raw when windowBits is -15, zlib-wrapped when 15. */
static bool deflate_stored(AiqStr s, int window_bits, AiqStrBuf *out)
{
    z_stream z = {0};
    if (deflateInit2(&z, 0, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    uLong bound = deflateBound(&z, s.len);
    char *buf = aiq_sb_reserve(out, bound);
    z.next_in = (Bytef *)s.ptr;
    z.avail_in = s.len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    aiq_sb_commit(out, z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END;
}

/* Inflates in (zlib-wrapped when window_bits is 15, raw when -15) into out,
 * at most AIQ_MAX_STRING_BYTES; false when it is not a whole stream. */
static bool inflate_all(AiqEvalCtx *ctx, const unsigned char *in, size_t n, int window_bits, AiqStrBuf *out)
{
    z_stream z = {0};
    if (inflateInit2(&z, window_bits) != Z_OK)
        return false;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (!aiq_eval_str_fits(ctx, out->len + 65536))
            break;
        z.next_out = (Bytef *)aiq_sb_reserve(out, 65536);
        z.avail_out = 65536;
        rc = inflate(&z, Z_NO_FLUSH);
        aiq_sb_commit(out, 65536 - z.avail_out);
        if (rc == Z_BUF_ERROR && z.avail_in == 0)
            break;
    }
    size_t left = z.avail_in;
    inflateEnd(&z);
    return rc == Z_STREAM_END && left == 0;
}

/* The gzip header Kusto writes (its example): no flags, no time, no extra
 * flags, operating system unknown (255). */
static const unsigned char gzip_header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};

static void put_le32(AiqStrBuf *sb, uint32_t v)
{
    char b[4] = {(char)(v & 0xFF), (char)(v >> 8 & 0xFF), (char)(v >> 16 & 0xFF), (char)(v >> 24)};
    aiq_sb_append(sb, b, 4);
}

static uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Compresses s as zlib (15-bit window) or gzip; false on failure. */
static bool compress_text(AiqStr s, bool gzip, AiqStrBuf *out)
{
    if (!gzip)
        return deflate_stored(s, 15, out);
    aiq_sb_append(out, (const char *)gzip_header, sizeof gzip_header);
    if (!deflate_stored(s, -15, out))
        return false;
    put_le32(out, (uint32_t)crc32(0, (const Bytef *)s.ptr, s.len));
    put_le32(out, s.len);
    return true;
}

/* Decompresses zlib or gzip bytes; gzip as Kusto's page says: ID1, ID2 and
 * CM checked, FLG zero, no optional fields, then the CRC and size. */
static bool decompress_bytes(AiqEvalCtx *ctx, const unsigned char *p, size_t n, bool gzip, AiqStrBuf *out)
{
    if (!gzip)
        return inflate_all(ctx, p, n, 15, out);
    if (n < 18 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8 || p[3] != 0)
        return false;
    if (!inflate_all(ctx, p + 10, n - 18, -15, out))
        return false;
    return get_le32(p + n - 8) == (uint32_t)crc32(0, (const Bytef *)aiq_sb_str(out), (uInt)out->len) &&
           get_le32(p + n - 4) == (uint32_t)out->len;
}

/* zlib_compress_to_base64_string, gzip_compress_to_base64_string. */
KERNEL(k_compress_base64)
{
    bool gzip = e->fn->id == AIQ_FN_GZIP_COMPRESS_TO_BASE64_STRING;
    AiqStrBuf bytes, sb;
    aiq_sb_init(&bytes);
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        aiq_sb_clear(&bytes);
        if (compress_text(STR(a[0], i), gzip, &bytes))
            base64_encode(&sb, (const unsigned char *)aiq_sb_str(&bytes), bytes.len);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&bytes);
    aiq_sb_free(&sb);
}

/* zlib_decompress_from_base64_string, gzip_decompress_from_base64_string:
 * "" when the input is not base64 of a whole stream, or not UTF-8 text. */
KERNEL(k_decompress_base64)
{
    bool gzip = e->fn->id == AIQ_FN_GZIP_DECOMPRESS_FROM_BASE64_STRING;
    AiqStrBuf bytes, sb;
    aiq_sb_init(&bytes);
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        aiq_sb_clear(&bytes);
        bool ok = base64_decode(STR(a[0], i), &bytes) &&
                  decompress_bytes(ctx, (const unsigned char *)aiq_sb_str(&bytes), bytes.len, gzip, &sb);
        if (ctx->err->code != AIQ_OK)
            break;
        if (!ok || !valid_utf8(aiq_sb_str(&sb), sb.len))
            aiq_sb_clear(&sb);
        put_text(ctx, out, i, &sb);
    }
    aiq_sb_free(&bytes);
    aiq_sb_free(&sb);
}
