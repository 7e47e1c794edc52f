/*
 * dynlit.c -- the text of a Kusto dynamic(...) literal as JSON (see
 * dynlit.h). Kusto's literal is JSON plus single-quoted strings and scalar
 * literals of the other types as values; the binder hands the JSON to
 * jansson. A recursive descent over the text, depth-limited.
 */
#include "util/dynlit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/timefmt.h"

#define DYNLIT_MAX_DEPTH 256

typedef struct DynLit {
    const char *s;
    size_t n, pos;
    AiqStrBuf *out;
    const char *err;
    int depth;
} DynLit;

static bool value(DynLit *d);

static void blanks(DynLit *d)
{
    while (d->pos < d->n && isspace((unsigned char)d->s[d->pos]))
        d->pos++;
}

static bool fail(DynLit *d, const char *what)
{
    if (!d->err)
        d->err = what;
    return false;
}

/* Writes the bytes of a string as a JSON string body, escaping as JSON needs. */
static void json_chars(AiqStrBuf *out, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') {
            aiq_sb_putc(out, '\\');
            aiq_sb_putc(out, (char)c);
        } else if (c < 0x20) {
            aiq_sb_printf(out, "\\u%04x", c);
        } else {
            aiq_sb_putc(out, (char)c);
        }
    }
}

/* @"..." or @'...': a verbatim string, where only a doubled quote is an
 * escape (so @'C:\Temp\' ends at its last quote); written out as a JSON
 * string. d->pos is at the '@'. */
static bool verbatim_string(DynLit *d)
{
    char q = d->s[++d->pos];
    d->pos++;
    aiq_sb_putc(d->out, '"');
    for (;;) {
        if (d->pos >= d->n)
            return fail(d, "unterminated string");
        char c = d->s[d->pos++];
        if (c == q) {
            if (d->pos >= d->n || d->s[d->pos] != q)
                break;
            d->pos++; /* a doubled quote stands for one */
        }
        json_chars(d->out, &c, 1);
    }
    aiq_sb_putc(d->out, '"');
    return true;
}

/* Whether a string literal starts at d->pos: '...', "...", @'...', h'...',
 * h@'...' (h, an obfuscated string, is only a marker for logs). */
static size_t string_prefix(const DynLit *d)
{
    size_t i = d->pos;
    if (i < d->n && (d->s[i] == 'h' || d->s[i] == 'H'))
        i++;
    if (i < d->n && d->s[i] == '@')
        i++;
    return i < d->n && (d->s[i] == '"' || d->s[i] == '\'') ? i - d->pos : (size_t)-1;
}

/* "..." or '...': KQL's escapes (\n \t \r \\ \' \" \uXXXX) in either quote;
 * or a verbatim or obfuscated form (string_prefix); written out as a JSON
 * string. */
static bool string(DynLit *d)
{
    if (d->s[d->pos] == 'h' || d->s[d->pos] == 'H')
        d->pos++;
    if (d->s[d->pos] == '@')
        return verbatim_string(d);
    char q = d->s[d->pos++];
    aiq_sb_putc(d->out, '"');
    while (d->pos < d->n && d->s[d->pos] != q) {
        char c = d->s[d->pos++];
        if (c != '\\') {
            json_chars(d->out, &c, 1);
            continue;
        }
        if (d->pos >= d->n)
            break;
        c = d->s[d->pos++];
        switch (c) {
        case 'n': aiq_sb_puts(d->out, "\\n"); break;
        case 't': aiq_sb_puts(d->out, "\\t"); break;
        case 'r': aiq_sb_puts(d->out, "\\r"); break;
        case 'b': aiq_sb_puts(d->out, "\\b"); break;
        case 'f': aiq_sb_puts(d->out, "\\f"); break;
        case '/': aiq_sb_putc(d->out, '/'); break;
        case '\\': case '"': case '\'': json_chars(d->out, &c, 1); break;
        case 'u':
            if (d->pos + 4 > d->n)
                return fail(d, "a \\u escape needs 4 hex digits");
            aiq_sb_puts(d->out, "\\u");
            aiq_sb_append(d->out, d->s + d->pos, 4);
            d->pos += 4;
            break;
        default: return fail(d, "unknown escape sequence in a string");
        }
    }
    if (d->pos >= d->n)
        return fail(d, "unterminated string");
    d->pos++;
    aiq_sb_putc(d->out, '"');
    return true;
}

/* The text inside a typed literal's parentheses, trimmed; false when the
 * parentheses do not close. */
static bool inner_text(DynLit *d, const char **p, size_t *n)
{
    blanks(d);
    if (d->pos >= d->n || d->s[d->pos] != '(')
        return fail(d, "'(' expected after a type name");
    size_t start = ++d->pos, depth = 1;
    for (; d->pos < d->n && depth; d->pos++)
        depth += d->s[d->pos] == '(' ? 1 : d->s[d->pos] == ')' ? -1 : 0;
    if (depth)
        return fail(d, "')' expected");
    size_t end = d->pos - 1;
    while (start < end && isspace((unsigned char)d->s[start]))
        start++;
    while (end > start && isspace((unsigned char)d->s[end - 1]))
        end--;
    if (end - start >= 2 && (d->s[start] == '"' || d->s[start] == '\'') && d->s[end - 1] == d->s[start]) {
        start++;
        end--;
    }
    *p = d->s + start;
    *n = end - start;
    return true;
}

/* A scalar literal of another type as a value: datetime(...) and
 * timespan(...) become the text Kusto shows them as in a dynamic value
 * (2015-01-01T00:00:00.0000000Z, 1.02:03:04), guid(...) its text, the
 * numbers and bool their JSON. */
static bool typed(DynLit *d, const char *word, size_t wlen)
{
    const char *p;
    size_t n;
    if (!inner_text(d, &p, &n))
        return false;
    char buf[64];
    int64_t ticks;
    if (n == 4 && memcmp(p, "null", 4) == 0) {
        aiq_sb_puts(d->out, "null");
        return true;
    }
#define IS(w) (wlen == strlen(w) && strncmp(word, w, wlen) == 0)
    if (IS("datetime") || IS("date")) {
        if (!aiq_datetime_parse_text(p, n, &ticks))
            return fail(d, "invalid datetime inside the dynamic literal");
        aiq_datetime_format_full(ticks, buf);
        aiq_sb_printf(d->out, "\"%s\"", buf);
    } else if (IS("timespan") || IS("time")) {
        if (!aiq_timespan_parse(p, n, &ticks))
            return fail(d, "invalid timespan inside the dynamic literal");
        aiq_timespan_format(ticks, buf);
        aiq_sb_printf(d->out, "\"%s\"", buf);
    } else if (IS("guid")) {
        aiq_sb_putc(d->out, '"');
        json_chars(d->out, p, n);
        aiq_sb_putc(d->out, '"');
    } else if (IS("long") || IS("int") || IS("real") || IS("double") || IS("decimal") || IS("bool")) {
        /* the text of a number or bool is its JSON */
        aiq_sb_append(d->out, p, n);
    } else {
        return fail(d, "unknown literal inside the dynamic literal");
    }
#undef IS
    return true;
}

static bool sequence(DynLit *d, char close, bool keys)
{
    aiq_sb_putc(d->out, d->s[d->pos++]);
    blanks(d);
    if (d->pos < d->n && d->s[d->pos] == close) {
        aiq_sb_putc(d->out, d->s[d->pos++]);
        return true;
    }
    for (;;) {
        blanks(d);
        if (keys) {
            if (string_prefix(d) == (size_t)-1)
                return fail(d, "a quoted key expected");
            if (!string(d))
                return false;
            blanks(d);
            if (d->pos >= d->n || d->s[d->pos] != ':')
                return fail(d, "':' expected after a key");
            aiq_sb_putc(d->out, d->s[d->pos++]);
        }
        if (!value(d))
            return false;
        blanks(d);
        if (d->pos < d->n && d->s[d->pos] == ',') {
            d->pos++;
            aiq_sb_putc(d->out, ',');
            continue;
        }
        if (d->pos < d->n && d->s[d->pos] == close) {
            aiq_sb_putc(d->out, d->s[d->pos++]);
            return true;
        }
        return fail(d, close == ']' ? "',' or ']' expected" : "',' or '}' expected");
    }
}

static bool value(DynLit *d)
{
    blanks(d);
    if (d->pos >= d->n)
        return fail(d, "a value expected");
    if (++d->depth > DYNLIT_MAX_DEPTH)
        return fail(d, "nested too deeply");
    char c = d->s[d->pos];
    bool ok;
    if (c == '{' || c == '[') {
        ok = sequence(d, c == '{' ? '}' : ']', c == '{');
    } else if (string_prefix(d) != (size_t)-1) {
        ok = string(d);
    } else if (isalpha((unsigned char)c)) {
        size_t start = d->pos;
        while (d->pos < d->n && (isalnum((unsigned char)d->s[d->pos]) || d->s[d->pos] == '_'))
            d->pos++;
        const char *w = d->s + start;
        size_t wl = d->pos - start;
        if ((wl == 4 && memcmp(w, "true", 4) == 0) || (wl == 5 && memcmp(w, "false", 5) == 0) ||
            (wl == 4 && memcmp(w, "null", 4) == 0)) {
            aiq_sb_append(d->out, w, wl);
            ok = true;
        } else {
            ok = typed(d, w, wl);
        }
    } else {
        size_t start = d->pos; /* a number: jansson checks its form */
        while (d->pos < d->n && strchr("+-0123456789.eE", d->s[d->pos]))
            d->pos++;
        if (d->pos == start)
            return fail(d, "a value expected");
        aiq_sb_append(d->out, d->s + start, d->pos - start);
        ok = true;
    }
    d->depth--;
    return ok;
}

bool aiq_dynamic_literal_json(const char *s, size_t n, AiqStrBuf *out, const char **err)
{
    DynLit d = {s, n, 0, out, NULL, 0};
    if (value(&d)) {
        blanks(&d);
        if (d.pos == d.n)
            return true;
        fail(&d, "unexpected text after the value");
    }
    *err = d.err;
    return false;
}
