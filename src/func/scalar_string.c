/*
 * scalar_string.c -- string kernels: length and case in Unicode code points,
 * substrings, concatenation, splitting, replacing, PCRE2 regexes (compiled
 * once per expression, JIT when available, with a match limit that stops a
 * runaway pattern with AIQ_ERR_LIMIT), URL parsing.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <wctype.h>

#include "core/json_text.h"
#include "func/kernel.h"
#include "func/text.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Byte offset of code point number cp (clamped to the end). */
static uint32_t cp_offset(AiqStr s, int64_t cp)
{
    uint32_t pos = 0;
    for (int64_t c = 0; c < cp && pos < s.len; c++)
        aiq_utf8_next(s.ptr, s.len, &pos);
    return pos;
}

KERNEL(k_strlen)
{
    FOR_ROWS(i) out->data.i64[i] = aiq_utf8_count(STR(a[0], i));
}

static void map_case(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, AiqVector *out,
                     const uint32_t *sel, uint32_t n, bool upper)
{
    (void)e;
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        char *buf = aiq_arena_alloc(&ctx->arena, (size_t)s.len * 2 + 4);
        uint32_t pos = 0, o = 0;
        while (pos < s.len) {
            uint32_t cp = aiq_utf8_next(s.ptr, s.len, &pos);
            cp = (uint32_t)(upper ? towupper((wint_t)cp) : towlower((wint_t)cp));
            o += (uint32_t)aiq_utf8_put(cp, buf + o);
        }
        out->data.str[i] = (AiqStr){buf, o};
    }
}

KERNEL(k_tolower) { map_case(ctx, e, a, out, sel, n, false); }
KERNEL(k_toupper) { map_case(ctx, e, a, out, sel, n, true); }

KERNEL(k_substring)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        int64_t start = ISNULL(a[1], i) ? 0 : I64(a[1], i);
        if (start < 0)
            start = 0;
        uint32_t b = cp_offset(s, start);
        uint32_t end = s.len;
        if (e->nargs > 2 && !ISNULL(a[2], i)) {
            int64_t len = I64(a[2], i);
            AiqStr rest = {s.ptr + b, s.len - b};
            end = b + cp_offset(rest, len < 0 ? 0 : len);
        }
        out->data.str[i] = (AiqStr){s.ptr + b, end - b};
    }
}

/* strcat(a, b, ...) and strcat_delim(d, a, b, ...): one buffer reused for
 * every row, so a row costs no allocation once the buffer is large enough. */
static void concat_rows(AiqEvalCtx *ctx, const AiqExpr *e, AiqVector **a, AiqVector *out,
                        const uint32_t *sel, uint32_t n, bool delimited)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    int first = delimited ? 1 : 0;
    FOR_ROWS(i) {
        sb.len = 0;
        for (int s = first; s < e->nargs; s++) {
            if (delimited && s > first) {
                AiqStr d = STR(a[0], i);
                aiq_sb_append(&sb, d.ptr, d.len);
            }
            AiqStr t = aiq_conv_string(ctx, a[s], i);
            if (!aiq_eval_str_fits(ctx, (size_t)sb.len + t.len))
                break; /* (before the buffer holds it: let s2 = strcat(s1, s1) ...) */
            aiq_sb_append(&sb, t.ptr, t.len);
        }
        if (ctx->err->code != AIQ_OK)
            break;
        out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(&sb), sb.len);
    }
    aiq_sb_free(&sb);
}

KERNEL(k_strcat) { concat_rows(ctx, e, a, out, sel, n, false); }

KERNEL(k_strcat_delim) { concat_rows(ctx, e, a, out, sel, n, true); }

KERNEL(k_split)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i), d = STR(a[1], i);
        json_t *arr = json_array();
        uint32_t start = 0;
        if (d.len == 0) {
            json_array_append_new(arr, json_stringn(s.ptr, s.len));
        } else {
            for (;;) {
                const char *hit = start <= s.len ? memmem(s.ptr + start, s.len - start, d.ptr, d.len) : NULL;
                uint32_t end = hit ? (uint32_t)(hit - s.ptr) : s.len;
                json_array_append_new(arr, json_stringn(s.ptr + start, end - start));
                if (!hit)
                    break;
                start = end + d.len;
            }
        }
        if (e->nargs > 2) {
            int64_t ix = ISNULL(a[2], i) ? -1 : I64(a[2], i);
            json_t *one = json_array();
            if (ix >= 0 && (size_t)ix < json_array_size(arr))
                json_array_append(one, json_array_get(arr, (size_t)ix));
            json_decref(arr);
            arr = one;
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

KERNEL(k_replace_string)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i), f = STR(a[1], i), r = STR(a[2], i);
        if (f.len == 0) {
            out->data.str[i] = s;
            continue;
        }
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        uint32_t pos = 0;
        for (;;) {
            const char *hit = memmem(s.ptr + pos, s.len - pos, f.ptr, f.len);
            if (!hit) {
                aiq_sb_append(&sb, s.ptr + pos, s.len - pos);
                break;
            }
            aiq_sb_append(&sb, s.ptr + pos, (size_t)(hit - (s.ptr + pos)));
            aiq_sb_append(&sb, r.ptr, r.len);
            pos = (uint32_t)(hit - s.ptr) + f.len;
        }
        out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(&sb), sb.len);
        aiq_sb_free(&sb);
    }
}

KERNEL(k_strrep)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i), d = e->nargs > 2 ? STR(a[2], i) : (AiqStr){"", 0};
        int64_t times = I64(a[1], i);
        if (times <= 0 || (uint64_t)times * (s.len + d.len) > 64 * 1024 * 1024) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        for (int64_t t = 0; t < times; t++) {
            if (t)
                aiq_sb_append(&sb, d.ptr, d.len);
            aiq_sb_append(&sb, s.ptr, s.len);
        }
        out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(&sb), sb.len);
        aiq_sb_free(&sb);
    }
}

KERNEL(k_reverse)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        char *buf = aiq_arena_alloc(&ctx->arena, s.len + 1);
        uint32_t pos = 0, o = s.len;
        while (pos < s.len) {
            uint32_t at = pos;
            aiq_utf8_next(s.ptr, s.len, &pos);
            o -= pos - at;
            memcpy(buf + o, s.ptr + at, pos - at);
        }
        out->data.str[i] = (AiqStr){buf, s.len};
    }
}

/* indexof(s, lookup [, start [, length [, occurrence]]]) of one row, in
 * code points (Kusto's indexof page): a negative start counts from the
 * end; each occurrence is looked for in the `length` code points from
 * where the search stands (-1: to the end), the match wholly inside them;
 * -1 when there is none; false (null) for a length below -1 or a negative
 * occurrence. */
static bool index_of(AiqStr s, AiqStr t, int64_t start, int64_t length, int64_t occurrence, int64_t *out)
{
    if (length < -1 || occurrence < 0)
        return false;
    int64_t ncp = aiq_utf8_count(s);
    int64_t pos = start < 0 ? (ncp + start > 0 ? ncp + start : 0) : start; /* in code points */
    int64_t found = -1;
    for (int64_t o = 0; o < occurrence && pos <= ncp; o++) {
        uint32_t b = cp_offset(s, pos);
        uint32_t e = length < 0 ? s.len : cp_offset(s, pos + length);
        const char *hit = t.len > e - b ? NULL : t.len == 0 ? s.ptr + b : memmem(s.ptr + b, e - b, t.ptr, t.len);
        if (!hit) {
            found = -1;
            break;
        }
        found = aiq_utf8_count((AiqStr){s.ptr, (uint32_t)(hit - s.ptr)});
        pos = found + (t.len ? aiq_utf8_count(t) : 1);
    }
    *out = occurrence == 0 ? -1 : found;
    return true;
}

KERNEL(k_indexof)
{
    FOR_ROWS(i) {
        int64_t start = e->nargs > 2 && !ISNULL(a[2], i) ? I64(a[2], i) : 0;
        int64_t length = e->nargs > 3 && !ISNULL(a[3], i) ? I64(a[3], i) : -1;
        int64_t occurrence = e->nargs > 4 && !ISNULL(a[4], i) ? I64(a[4], i) : 1;
        if (!index_of(STR(a[0], i), STR(a[1], i), start, length, occurrence, &out->data.i64[i]))
            SETNULL(ctx, out, i);
    }
}

/* ---- regexes ------------------------------------------------------------------ */

#define AIQ_REGEX_MATCH_LIMIT 10000000u
#define AIQ_REGEX_DEPTH_LIMIT 10000u

struct AiqRegex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    AiqExpr *owner; /* the expression that caches it in aux, reset when it is freed */
    struct AiqRegex *next;
};

static AiqRegex *all_regexes; /* freed by aiq_regex_release_all() */

void aiq_regex_release_all(void)
{
    while (all_regexes) {
        AiqRegex *r = all_regexes;
        all_regexes = r->next;
        r->owner->aux = NULL; /* (a plan may run again: it compiles the regex anew) */
        pcre2_match_data_free(r->md);
        pcre2_match_context_free(r->mc);
        pcre2_code_free(r->code);
        aiq_xfree(r);
    }
}

AiqRegex *aiq_regex_for(AiqEvalCtx *ctx, const AiqExpr *e, const AiqVector *pattern)
{
    if (e->aux)
        return e->aux;
    AiqStr p = STR(pattern, 0);
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)p.ptr, p.len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        aiq_error_set(ctx->err, AIQ_ERR_RUNTIME, e->off, e->len, "invalid regex '%.*s': %s at offset %zu",
                      (int)p.len, p.ptr, (const char *)msg, (size_t)erroff);
        return NULL;
    }
    /* best effort: interpreted when JIT is missing. AIQ_PCRE2_NO_JIT turns it
     * off for valgrind, which cannot see into JIT-generated code. */
    if (!getenv("AIQ_PCRE2_NO_JIT"))
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    AiqRegex *r = aiq_xcalloc(1, sizeof *r);
    r->code = code;
    r->md = pcre2_match_data_create_from_pattern(code, NULL);
    r->mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(r->mc, AIQ_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(r->mc, AIQ_REGEX_DEPTH_LIMIT);
    r->next = all_regexes;
    all_regexes = r;
    r->owner = (AiqExpr *)e;
    r->owner->aux = r; /* cached for the rest of the run */
    return r;
}

int aiq_regex_match(AiqEvalCtx *ctx, const AiqExpr *e, AiqRegex *r, AiqStr s, uint32_t from)
{
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s.ptr, s.len, from, 0, r->md, r->mc);
    if (rc >= 0)
        return rc == 0 ? 1 : rc;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_BADOFFSET)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
        rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        aiq_error_set(ctx->err, AIQ_ERR_LIMIT, e->off, e->len,
                      "regex match limit exceeded (the pattern backtracks catastrophically on some row); simplify the pattern");
        return -1;
    }
    return 0; /* other errors (invalid UTF-8 in the subject) count as no match */
}

KERNEL(k_matches)
{
    AiqRegex *r = aiq_regex_for(ctx, e, a[1]);
    if (!r)
        return;
    FOR_ROWS(i) {
        int m = aiq_regex_match(ctx, e, r, STR(a[0], i), 0);
        if (m < 0)
            return;
        out->data.i64[i] = m > 0;
    }
}

void aiq_regex_span(AiqRegex *r, uint32_t *start, uint32_t *end)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    *start = (uint32_t)ov[0];
    *end = (uint32_t)ov[1];
}

AiqStr aiq_regex_group(AiqRegex *r, AiqStr s, int64_t g, int rc)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    if (g < 0 || g >= rc || ov[2 * g] == PCRE2_UNSET)
        return (AiqStr){"", 0};
    return (AiqStr){s.ptr + ov[2 * g], (uint32_t)(ov[2 * g + 1] - ov[2 * g])};
}

/* countof(s, search [, kind]): kind "normal" counts every place the text
 * occurs, overlapping ones too ("aa" is twice in "aaa"); "regex" counts the
 * regex's matches, which do not overlap (Kusto's countof page). */
static int64_t count_text(AiqStr s, AiqStr t)
{
    int64_t c = 0;
    if (t.len)
        for (const char *p = s.ptr; (p = memmem(p, (size_t)(s.ptr + s.len - p), t.ptr, t.len)); p++)
            c++;
    return c;
}

/* The number of non-overlapping matches of r in s, or -1 on a limit error. */
static int64_t count_matches(AiqEvalCtx *ctx, const AiqExpr *e, AiqRegex *r, AiqStr s)
{
    int64_t c = 0;
    for (uint32_t from = 0; from <= s.len;) {
        int rc = aiq_regex_match(ctx, e, r, s, from);
        if (rc <= 0)
            return rc < 0 ? -1 : c;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        c++;
        from = ov[1] > ov[0] ? (uint32_t)ov[1] : (uint32_t)ov[0] + 1;
    }
    return c;
}

KERNEL(k_countof)
{
    bool regex = e->nargs > 2 && STR(a[2], 0).len == 5 && memcmp(STR(a[2], 0).ptr, "regex", 5) == 0;
    AiqRegex *r = regex ? aiq_regex_for(ctx, e, a[1]) : NULL;
    if (regex && !r)
        return;
    FOR_ROWS(i) {
        int64_t c = regex ? count_matches(ctx, e, r, STR(a[0], i)) : count_text(STR(a[0], i), STR(a[1], i));
        if (c < 0)
            return;
        out->data.i64[i] = c;
    }
}

KERNEL(k_extract)
{
    AiqRegex *r = aiq_regex_for(ctx, e, a[0]);
    if (!r)
        return;
    FOR_ROWS(i) {
        AiqStr s = STR(a[2], i);
        int rc = aiq_regex_match(ctx, e, r, s, 0);
        if (rc < 0)
            return;
        out->data.str[i] = rc > 0 ? aiq_regex_group(r, s, I64(a[1], i), rc) : (AiqStr){"", 0};
    }
}

/* extract_all's capture groups: those of its captureGroups array (numbers
 * from 1, or names), else every group of the regex (or the whole match when
 * it has none). Fills groups[] and returns how many; -1 after an error. */
static int extract_all_groups(AiqEvalCtx *ctx, const AiqExpr *e, AiqRegex *r, const AiqVector *list, uint32_t *groups, int cap)
{
    uint32_t ngroups = 0;
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
    if (!list) {
        int n = 0;
        for (uint32_t g = ngroups ? 1 : 0; g <= ngroups && n < cap; g++)
            groups[n++] = g;
        return n;
    }
    json_t *arr = DYN(list, 0), *el;
    size_t k;
    int n = 0;
    json_array_foreach(arr, k, el) {
        int64_t g = json_is_string(el) ? pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)json_string_value(el))
                    : json_is_integer(el) ? json_integer_value(el) : -1;
        if (g < 1 || g > (int64_t)ngroups || n == cap) {
            char *txt = aiq_json_dumps(el, JSON_ENCODE_ANY);
            aiq_error_set(ctx->err, AIQ_ERR_RUNTIME, e->off, e->len,
                          "extract_all(): %s is not a capture group of the regex (it has %u)", txt ? txt : "?", ngroups);
            aiq_xfree(txt);
            return -1;
        }
        groups[n++] = (uint32_t)g;
    }
    return n;
}

KERNEL(k_extract_all)
{
    AiqRegex *r = aiq_regex_for(ctx, e, a[0]);
    if (!r)
        return;
    uint32_t groups[64];
    int ngroups = extract_all_groups(ctx, e, r, e->nargs > 2 ? a[2] : NULL, groups, 64);
    if (ngroups < 0)
        return;
    FOR_ROWS(i) {
        AiqStr s = STR(a[1], i);
        json_t *arr = json_array();
        uint32_t from = 0;
        while (from <= s.len) {
            int rc = aiq_regex_match(ctx, e, r, s, from);
            if (rc < 0) {
                json_decref(arr);
                return;
            }
            if (rc == 0)
                break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
            if (ngroups == 1) {
                AiqStr t = aiq_regex_group(r, s, groups[0], rc);
                json_array_append_new(arr, json_stringn(t.ptr, t.len));
            } else {
                json_t *row = json_array();
                for (int g = 0; g < ngroups; g++) {
                    AiqStr t = aiq_regex_group(r, s, groups[g], rc);
                    json_array_append_new(row, json_stringn(t.ptr, t.len));
                }
                json_array_append_new(arr, row);
            }
            from = ov[1] > ov[0] ? (uint32_t)ov[1] : (uint32_t)ov[0] + 1;
        }
        if (json_array_size(arr) == 0) {
            json_decref(arr);
            continue; /* no match: null */
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
}

KERNEL(k_replace_regex)
{
    AiqRegex *r = aiq_regex_for(ctx, e, a[1]);
    if (!r)
        return;
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i), rep = STR(a[2], i);
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        uint32_t from = 0, copied = 0;
        while (from <= s.len) {
            int rc = aiq_regex_match(ctx, e, r, s, from);
            if (rc < 0) {
                aiq_sb_free(&sb);
                return;
            }
            if (rc == 0)
                break;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
            aiq_sb_append(&sb, s.ptr + copied, ov[0] - copied);
            /* \1 .. \9 (Kusto's spelling) and $1 .. $9 refer to groups */
            for (uint32_t k = 0; k < rep.len; k++) {
                char c = rep.ptr[k];
                if ((c == '\\' || c == '$') && k + 1 < rep.len && isdigit((unsigned char)rep.ptr[k + 1])) {
                    AiqStr g = aiq_regex_group(r, s, rep.ptr[++k] - '0', rc);
                    aiq_sb_append(&sb, g.ptr, g.len);
                } else {
                    aiq_sb_putc(&sb, c);
                }
            }
            copied = (uint32_t)ov[1];
            from = ov[1] > ov[0] ? (uint32_t)ov[1] : (uint32_t)ov[0] + 1;
            if (ov[1] == ov[0] && ov[0] < s.len) {
                aiq_sb_append(&sb, s.ptr + ov[0], 1);
                copied = (uint32_t)ov[0] + 1;
            }
        }
        if (copied < s.len)
            aiq_sb_append(&sb, s.ptr + copied, s.len - copied);
        out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(&sb), sb.len);
        aiq_sb_free(&sb);
    }
}

KERNEL(k_trim)
{
    /* trim(re, s): remove leading and/or trailing runs of matches of re */
    bool start = e->fn->id != AIQ_FN_TRIM_END, end = e->fn->id != AIQ_FN_TRIM_START;
    AiqRegex *r = aiq_regex_for(ctx, e, a[0]);
    if (!r)
        return;
    FOR_ROWS(i) {
        AiqStr s = STR(a[1], i);
        uint32_t b = 0, t = s.len;
        while (start && b < t) {
            int rc = pcre2_match(r->code, (PCRE2_SPTR)s.ptr, t, b, PCRE2_ANCHORED, r->md, r->mc);
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
            if (rc < 0 || ov[1] == ov[0])
                break;
            b = (uint32_t)ov[1];
        }
        while (end && t > b) {
            /* the longest suffix that the pattern matches whole */
            uint32_t best = t;
            for (uint32_t k = b; k < t; k++) {
                int rc = pcre2_match(r->code, (PCRE2_SPTR)s.ptr, t, k, PCRE2_ANCHORED | PCRE2_ENDANCHORED, r->md, r->mc);
                if (rc >= 0) {
                    best = k;
                    break;
                }
            }
            if (best == t)
                break;
            t = best;
        }
        out->data.str[i] = (AiqStr){s.ptr + b, t - b};
    }
}

KERNEL(k_parse_url)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        json_t *o = json_object();
        const char *p = s.ptr, *end = s.ptr + s.len;
        const char *colon = memmem(p, s.len, "://", 3);
        AiqStr scheme = {"", 0}, user = {"", 0}, pass = {"", 0}, host = {"", 0}, port = {"", 0};
        AiqStr path = {"", 0}, query = {"", 0}, frag = {"", 0};
        if (colon) {
            scheme = (AiqStr){p, (uint32_t)(colon - p)};
            p = colon + 3;
            const char *auth_end = p;
            while (auth_end < end && *auth_end != '/' && *auth_end != '?' && *auth_end != '#')
                auth_end++;
            const char *at = memchr(p, '@', (size_t)(auth_end - p));
            if (at) {
                const char *c = memchr(p, ':', (size_t)(at - p));
                user = (AiqStr){p, (uint32_t)((c ? c : at) - p)};
                if (c)
                    pass = (AiqStr){c + 1, (uint32_t)(at - c - 1)};
                p = at + 1;
            }
            const char *pc = memchr(p, ':', (size_t)(auth_end - p));
            host = (AiqStr){p, (uint32_t)((pc ? pc : auth_end) - p)};
            if (pc)
                port = (AiqStr){pc + 1, (uint32_t)(auth_end - pc - 1)};
            p = auth_end;
        }
        const char *h = memchr(p, '#', (size_t)(end - p));
        /* a '?' after the '#' belongs to the fragment (found by fuzz_query) */
        const char *q = memchr(p, '?', (size_t)((h ? h : end) - p));
        const char *path_end = q ? q : h ? h : end;
        path = (AiqStr){p, (uint32_t)(path_end - p)};
        if (q)
            query = (AiqStr){q + 1, (uint32_t)((h ? h : end) - q - 1)};
        if (h)
            frag = (AiqStr){h + 1, (uint32_t)(end - h - 1)};
        json_object_set_new(o, "Scheme", json_stringn(scheme.ptr, scheme.len));
        json_object_set_new(o, "Host", json_stringn(host.ptr, host.len));
        json_object_set_new(o, "Port", json_stringn(port.ptr, port.len));
        json_object_set_new(o, "Path", json_stringn(path.ptr, path.len));
        json_object_set_new(o, "Username", json_stringn(user.ptr, user.len));
        json_object_set_new(o, "Password", json_stringn(pass.ptr, pass.len));
        json_t *params = json_object();
        for (const char *k = query.ptr; query.len && k < query.ptr + query.len;) {
            const char *amp = memchr(k, '&', (size_t)(query.ptr + query.len - k));
            const char *stop = amp ? amp : query.ptr + query.len;
            const char *eq = memchr(k, '=', (size_t)(stop - k));
            char *key = aiq_xstrndup(k, (size_t)((eq ? eq : stop) - k));
            json_object_set_new(params, key, eq ? json_stringn(eq + 1, (size_t)(stop - eq - 1)) : json_string(""));
            aiq_xfree(key);
            k = amp ? amp + 1 : stop;
        }
        json_object_set_new(o, "Query Parameters", params);
        json_object_set_new(o, "Fragment", json_stringn(frag.ptr, frag.len));
        out->data.dyn[i] = aiq_eval_own(ctx, o);
    }
}

/* tohex(value[, minLength]): the value's hex digits, lower case; a negative
 * value is its two's complement at its own size (8 digits for an int, 16
 * for a long), and zeros pad to minLength, from 1 to 16 (more counts as
 * 16), never cutting a digit (Kusto's tohex page). A null argument gives
 * the empty string (a string is never null). */
KERNEL(k_tohex)
{
    bool is_int = a[0]->type == AIQ_TYPE_INT;
    FOR_ROWS(i) {
        if (ISNULL(a[0], i) || (e->nargs > 1 && ISNULL(a[1], i))) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        int64_t v = I64(a[0], i);
        uint64_t bits = is_int && v < 0 ? (uint32_t)v : (uint64_t)v;
        int64_t width = e->nargs > 1 ? I64(a[1], i) : 1;
        width = width < 1 ? 1 : width > 16 ? 16 : width;
        char buf[24];
        int len = snprintf(buf, sizeof buf, "%0*llx", (int)width, (unsigned long long)bits);
        out->data.str[i] = aiq_eval_str(ctx, buf, (size_t)len);
    }
}
