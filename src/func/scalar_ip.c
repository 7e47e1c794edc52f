/*
 * scalar_ip.c -- the IPv4 and IPv6 kernels: parsing addresses with an
 * optional IP-prefix ("10.1.2.3/24"), comparing and matching them under
 * the smaller of their prefixes and an optional prefix argument, ranges,
 * private networks, formatting, and finding addresses in text. An IPv4
 * address in an IPv6 function is ::ffff:a.b.c.d, its prefix counted from
 * bit 96 (Kusto's ipv6_compare page). Text that is not an address gives
 * null ("" for a string result).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>

#include "func/kernel.h"
#include "util/strbuf.h"

/* ---- parsing ---------------------------------------------------------------- */

/* Parses a decimal number of at most `maxdigits` digits at s[*k]. */
static bool parse_small(AiqStr s, uint32_t *k, int maxdigits, uint32_t *out)
{
    uint32_t v = 0;
    int nd = 0;
    while (*k < s.len && isdigit((unsigned char)s.ptr[*k]) && nd < maxdigits) {
        v = v * 10 + (uint32_t)(s.ptr[*k] - '0');
        (*k)++;
        nd++;
    }
    if (nd == 0 || (*k < s.len && isdigit((unsigned char)s.ptr[*k])))
        return false;
    *out = v;
    return true;
}

/* The four octets of a dotted IPv4 address at s[*k] as a number. */
static bool parse_dotted(AiqStr s, uint32_t *k, uint32_t *addr)
{
    uint32_t v = 0;
    for (int o = 0; o < 4; o++) {
        uint32_t octet;
        if (o > 0 && (*k >= s.len || s.ptr[(*k)++] != '.'))
            return false;
        if (!parse_small(s, k, 3, &octet) || octet > 255)
            return false;
        v = v << 8 | octet;
    }
    *addr = v;
    return true;
}

/* An optional "/prefix" at s[k] (0..max), then the end of s. */
static bool parse_prefix(AiqStr s, uint32_t k, int max, int *prefix)
{
    *prefix = max;
    if (k == s.len)
        return true;
    uint32_t p;
    if (s.ptr[k++] != '/' || !parse_small(s, &k, 3, &p) || p > (uint32_t)max || k != s.len)
        return false;
    *prefix = (int)p;
    return true;
}

/* "a.b.c.d" or "a.b.c.d/n": the address and its prefix (32 without one). */
static bool parse_ipv4(AiqStr s, uint32_t *addr, int *prefix)
{
    uint32_t k = 0;
    return parse_dotted(s, &k, addr) && parse_prefix(s, k, 32, prefix);
}

static uint32_t mask4(int prefix) { return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix); }

/* An IPv6 address (or an IPv4 one, as ::ffff:a.b.c.d) with its prefix
 * (128 without one; an address written with a dotted IPv4 part counts its
 * prefix from bit 96). "::a.b.c.d" reads as ::ffff:a.b.c.d, as parse_ipv6
 * shows it. */
static bool parse_ipv6(AiqStr s, unsigned char addr[16], int *prefix)
{
    uint32_t v4;
    int p;
    if (parse_ipv4(s, &v4, &p)) {
        memset(addr, 0, 10);
        addr[10] = addr[11] = 0xFF;
        for (int k = 0; k < 4; k++)
            addr[12 + k] = (unsigned char)(v4 >> (24 - 8 * k));
        *prefix = 96 + p;
        return true;
    }
    const char *slash = memchr(s.ptr, '/', s.len);
    uint32_t alen = slash ? (uint32_t)(slash - s.ptr) : s.len;
    char buf[64];
    if (alen == 0 || alen >= sizeof buf)
        return false;
    memcpy(buf, s.ptr, alen);
    buf[alen] = '\0';
    if (inet_pton(AF_INET6, buf, addr) != 1)
        return false;
    bool dotted = memchr(buf, '.', alen) != NULL;
    if (!parse_prefix(s, alen, dotted ? 32 : 128, &p))
        return false;
    static const unsigned char zeros[10] = {0};
    if (dotted && memcmp(addr, zeros, 10) == 0)
        addr[10] = addr[11] = 0xFF;
    *prefix = dotted ? 96 + p : p;
    return true;
}

static void mask6(unsigned char addr[16], int prefix)
{
    for (int k = 0; k < 16; k++) {
        int bits = prefix - 8 * k;
        addr[k] &= bits >= 8 ? 0xFF : bits <= 0 ? 0 : (unsigned char)(0xFF << (8 - bits));
    }
}

static int min_int(int a, int b) { return a < b ? a : b; }

/* The prefix argument of row i (argument index ia), or max when absent;
 * false when it is outside 0..max. */
static bool prefix_arg(const AiqExpr *e, AiqVector **a, int ia, uint32_t i, int max, int *out)
{
    *out = max;
    if (e->nargs <= ia)
        return true;
    int64_t p = I64(a[ia], i);
    if (p < 0 || p > max)
        return false;
    *out = (int)p;
    return true;
}

/* ---- IPv4 ------------------------------------------------------------------- */

/* The comparison of two IPv4 addresses under the smaller of their
 * prefixes and the optional third argument: -1, 0, 1; false when one is
 * not an address. */
static bool compare4(const AiqExpr *e, AiqVector **a, uint32_t i, int *out)
{
    uint32_t x, y;
    int px, py, pa;
    if (!parse_ipv4(STR(a[0], i), &x, &px) || !parse_ipv4(STR(a[1], i), &y, &py) || !prefix_arg(e, a, 2, i, 32, &pa))
        return false;
    uint32_t m = mask4(min_int(min_int(px, py), pa));
    x &= m;
    y &= m;
    *out = (x > y) - (x < y);
    return true;
}

/* ipv4_compare(ip1, ip2 [, prefix]) and ipv4_is_match(ip1, ip2 [, prefix]). */
KERNEL(k_ipv4_compare)
{
    bool match = e->fn->id == AIQ_FN_IPV4_IS_MATCH;
    FOR_ROWS(i) {
        int c;
        if (!compare4(e, a, i, &c))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = match ? c == 0 : c;
    }
}

/* Whether ip is inside range (both IPv4, the range with its prefix). */
static bool in_range4(AiqStr ip, AiqStr range, bool *ok)
{
    uint32_t x, r;
    int px, pr;
    *ok = parse_ipv4(ip, &x, &px) && parse_ipv4(range, &r, &pr);
    return *ok && (x & mask4(pr)) == (r & mask4(pr));
}

/* The ranges of ipv4/ipv6_is_in_any_range: the arguments after the first,
 * strings or one dynamic array of strings; calls test on each until it
 * returns true. Returns -1 when a range is not an address (null). */
static int any_range(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, uint32_t i, AiqStr ip,
                     bool (*test)(AiqStr, AiqStr, bool *))
{
    bool ok;
    for (int s = 1; s < e->nargs; s++) {
        if (a[s]->type != AIQ_TYPE_DYNAMIC) {
            if (test(ip, STR(a[s], i), &ok))
                return 1;
            if (!ok)
                return -1;
            continue;
        }
        json_t *arr = DYN(a[s], i), *el;
        size_t k;
        json_array_foreach(arr, k, el) {
            AiqStr r = aiq_json_text(ctx, el);
            if (test(ip, r, &ok))
                return 1;
            if (!ok)
                return -1;
        }
    }
    return 0;
}

KERNEL(k_ipv4_is_in_range)
{
    FOR_ROWS(i) {
        bool ok, in = in_range4(STR(a[0], i), STR(a[1], i), &ok);
        if (!ok)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = in;
    }
}

KERNEL(k_ipv4_is_in_any_range)
{
    FOR_ROWS(i) {
        int r = any_range(ctx, e, a, i, STR(a[0], i), in_range4);
        if (r < 0)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = r;
    }
}

/* ipv4_is_private(ip): inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16
 * (the page's table), the address taken under its own prefix. */
KERNEL(k_ipv4_is_private)
{
    FOR_ROWS(i) {
        uint32_t x;
        int p;
        if (!parse_ipv4(STR(a[0], i), &x, &p)) {
            SETNULL(ctx, out, i);
            continue;
        }
        x &= mask4(p);
        out->data.i64[i] = (x & 0xFF000000u) == 0x0A000000u || (x & 0xFFF00000u) == 0xAC100000u ||
                           (x & 0xFFFF0000u) == 0xC0A80000u;
    }
}

KERNEL(k_ipv4_netmask_suffix)
{
    FOR_ROWS(i) {
        uint32_t x;
        int p;
        if (!parse_ipv4(STR(a[0], i), &x, &p))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = p;
    }
}

/* parse_ipv4(ip) and parse_ipv4_mask(ip, prefix): the address as a long,
 * under its prefix and the argument's. */
KERNEL(k_parse_ipv4)
{
    FOR_ROWS(i) {
        uint32_t x;
        int p, pa;
        if (!parse_ipv4(STR(a[0], i), &x, &p) || !prefix_arg(e, a, 1, i, 32, &pa))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = x & mask4(min_int(p, pa));
    }
}

/* format_ipv4(ip [, prefix]) and format_ipv4_mask(ip, prefix): the
 * address (text, or a long in big-endian order) under the prefixes, with
 * "/prefix" for the mask form; "" when it does not convert. */
KERNEL(k_format_ipv4)
{
    bool with_mask = e->fn->id == AIQ_FN_FORMAT_IPV4_MASK;
    FOR_ROWS(i) {
        uint32_t x;
        int p = 32, pa;
        bool ok;
        if (a[0]->type == AIQ_TYPE_STRING) {
            ok = parse_ipv4(STR(a[0], i), &x, &p);
        } else {
            int64_t v;
            ok = aiq_conv_long(a[0], i, &v) && v >= 0 && v <= 0xFFFFFFFFLL;
            x = (uint32_t)v;
        }
        if (!ok || !prefix_arg(e, a, 1, i, 32, &pa)) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        p = min_int(p, pa);
        x &= mask4(p);
        char buf[32];
        int n0 = snprintf(buf, sizeof buf, "%u.%u.%u.%u", x >> 24, x >> 16 & 255, x >> 8 & 255, x & 255);
        if (with_mask)
            n0 += snprintf(buf + n0, sizeof buf - (size_t)n0, "/%d", p);
        out->data.str[i] = aiq_eval_str(ctx, buf, (size_t)n0);
    }
}

/* ipv4_range_to_cidr_list(start, end): the fewest CIDR blocks that cover
 * start..end exactly, in order; null when an end is not an address or the
 * range is empty. */
KERNEL(k_ipv4_range_to_cidr_list)
{
    FOR_ROWS(i) {
        uint32_t lo, hi;
        int p1, p2;
        if (!parse_ipv4(STR(a[0], i), &lo, &p1) || !parse_ipv4(STR(a[1], i), &hi, &p2) || lo > hi)
            continue;
        json_t *arr = json_array();
        for (uint64_t cur = lo; cur <= hi;) {
            int size = 0; /* the block of 2^size addresses at cur */
            while (size < 32 && (cur & (((uint64_t)1 << (size + 1)) - 1)) == 0 &&
                   cur + ((uint64_t)1 << (size + 1)) - 1 <= hi)
                size++;
            char buf[32];
            snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", (unsigned)(cur >> 24), (unsigned)(cur >> 16 & 255),
                     (unsigned)(cur >> 8 & 255), (unsigned)(cur & 255), 32 - size);
            json_array_append_new(arr, json_string(buf));
            cur += (uint64_t)1 << size;
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

/* ---- IPv4 addresses in text ------------------------------------------------- */

/* Calls found(addr text) for each IPv4 address in s that is delimited by
 * characters other than letters and digits (the has_ipv4 page: in
 * "05:04:54127.0.0.1" there is none), until it returns true. */
static bool each_ipv4_in_text(AiqStr s, bool (*found)(AiqStr addr, const void *arg), const void *arg)
{
    for (uint32_t k = 0; k < s.len; k++) {
        if (!isdigit((unsigned char)s.ptr[k]) || (k > 0 && (isalnum((unsigned char)s.ptr[k - 1]) || s.ptr[k - 1] == '.')))
            continue;
        uint32_t end = k;
        while (end < s.len && (isdigit((unsigned char)s.ptr[end]) || s.ptr[end] == '.'))
            end++;
        if (end < s.len && isalnum((unsigned char)s.ptr[end]))
            continue;
        AiqStr tok = {s.ptr + k, end - k};
        if (tok.len && tok.ptr[tok.len - 1] == '.')
            tok.len--; /* "from 10.1.1.1." ends a sentence */
        uint32_t x;
        int p;
        if (parse_ipv4(tok, &x, &p) && found(tok, arg))
            return true;
        k = end;
    }
    return false;
}

static bool equals_text(AiqStr addr, const void *arg) { return str_eq(addr, *(const AiqStr *)arg); }

static bool starts_with_text(AiqStr addr, const void *arg)
{
    const AiqStr *pfx = arg;
    return addr.len >= pfx->len && memcmp(addr.ptr, pfx->ptr, pfx->len) == 0;
}

/* A valid IPv4 prefix for has_ipv4_prefix: a whole address, or one to three
 * octets each followed by a dot ("192.", "192.168.1."). */
static bool valid_ipv4_prefix(AiqStr p)
{
    uint32_t x;
    int px;
    if (parse_ipv4(p, &x, &px) && px == 32)
        return true;
    uint32_t k = 0, octet;
    int n = 0;
    while (k < p.len) {
        if (!parse_small(p, &k, 3, &octet) || octet > 255 || k >= p.len || p.ptr[k++] != '.')
            return false;
        n++;
    }
    return n >= 1 && n <= 3;
}

/* Whether the text has the address (or prefix) a, which must be valid. */
static bool text_has(AiqStr s, AiqStr a, bool prefix)
{
    uint32_t x;
    int p;
    if (prefix ? !valid_ipv4_prefix(a) : !parse_ipv4(a, &x, &p) || p != 32 || memchr(a.ptr, '/', a.len))
        return false;
    return each_ipv4_in_text(s, prefix ? starts_with_text : equals_text, &a);
}

/* has_ipv4, has_ipv4_prefix, has_any_ipv4, has_any_ipv4_prefix: the
 * values after the text are strings or dynamic arrays of strings. */
KERNEL(k_has_ipv4)
{
    AiqFuncId id = e->fn->id;
    bool prefix = id == AIQ_FN_HAS_IPV4_PREFIX || id == AIQ_FN_HAS_ANY_IPV4_PREFIX;
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        bool hit = false;
        for (int v = 1; v < e->nargs && !hit; v++) {
            if (a[v]->type != AIQ_TYPE_DYNAMIC) {
                hit = text_has(s, STR(a[v], i), prefix);
                continue;
            }
            json_t *arr = DYN(a[v], i), *el;
            size_t k;
            json_array_foreach(arr, k, el) {
                if (json_is_string(el) && text_has(s, aiq_json_text(ctx, el), prefix)) {
                    hit = true;
                    break;
                }
            }
        }
        out->data.i64[i] = hit;
    }
}

/* ---- IPv6 ------------------------------------------------------------------- */

static bool compare6(const AiqExpr *e, AiqVector **a, uint32_t i, int *out)
{
    unsigned char x[16], y[16];
    int px, py, pa;
    if (!parse_ipv6(STR(a[0], i), x, &px) || !parse_ipv6(STR(a[1], i), y, &py) || !prefix_arg(e, a, 2, i, 128, &pa))
        return false;
    int p = min_int(min_int(px, py), pa);
    mask6(x, p);
    mask6(y, p);
    int c = memcmp(x, y, 16);
    *out = (c > 0) - (c < 0);
    return true;
}

/* ipv6_compare(ip1, ip2 [, prefix]) and ipv6_is_match(ip1, ip2 [, prefix]). */
KERNEL(k_ipv6_compare)
{
    bool match = e->fn->id == AIQ_FN_IPV6_IS_MATCH;
    FOR_ROWS(i) {
        int c;
        if (!compare6(e, a, i, &c))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = match ? c == 0 : c;
    }
}

static bool in_range6(AiqStr ip, AiqStr range, bool *ok)
{
    unsigned char x[16], r[16];
    int px, pr;
    *ok = parse_ipv6(ip, x, &px) && parse_ipv6(range, r, &pr);
    if (!*ok)
        return false;
    mask6(x, pr);
    mask6(r, pr);
    return memcmp(x, r, 16) == 0;
}

KERNEL(k_ipv6_is_in_range)
{
    FOR_ROWS(i) {
        bool ok, in = in_range6(STR(a[0], i), STR(a[1], i), &ok);
        if (!ok)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = in;
    }
}

KERNEL(k_ipv6_is_in_any_range)
{
    FOR_ROWS(i) {
        int r = any_range(ctx, e, a, i, STR(a[0], i), in_range6);
        if (r < 0)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = r;
    }
}

/* parse_ipv6(ip) and parse_ipv6_mask(ip, prefix): the canonical form,
 * eight groups of four lower-case hex digits, under the prefixes. */
KERNEL(k_parse_ipv6)
{
    FOR_ROWS(i) {
        unsigned char x[16];
        int p, pa;
        if (!parse_ipv6(STR(a[0], i), x, &p) || !prefix_arg(e, a, 1, i, 128, &pa)) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        mask6(x, min_int(p, pa));
        char buf[40];
        for (int g = 0; g < 8; g++)
            snprintf(buf + 5 * g, sizeof buf - 5 * (size_t)g, "%02x%02x%s", x[2 * g], x[2 * g + 1], g < 7 ? ":" : "");
        out->data.str[i] = aiq_eval_str(ctx, buf, 39);
    }
}
