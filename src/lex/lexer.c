/*
 * lexer.c -- splits KQL text into tokens (see lexer.h). Hand-written, one
 * character class table, no allocation: a token is only an offset and a
 * length into the query text, like SQLite's Token {z, n}.
 */
#include "lex/lexer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "func/registry.h"
#include "util/char_width.h"
#include "util/timefmt.h"

/* ORDER TOKENS */
static const char *const token_names[AIQ_TK_COUNT] = {
    "end of query", "identifier", "bracketed name", "string", "number", "number",
    "timespan", "literal", "'|'", "','", "';'", "'('", "')'", "'['", "']'", "'{'", "'}'",
    "'.'", "'..'", "':'", "'='", "'=='", "'!='", "'<'", "'<='", "'>'", "'>='", "'=~'",
    "'!~'", "'+'", "'-'", "'*'", "'/'", "'%'", "'=>'", "operator", "'in~'",
};

const char *aiq_lex_token_name(AiqTokKind kind)
{
    return (unsigned)kind < AIQ_TK_COUNT ? token_names[kind] : "token";
}

/* Operator names written with a hyphen. The lexer joins them into one
 * identifier token so that `project-away` is never `project - away`. */
static const char *const hyphen_words[] = {
    "project-away", "project-rename", "project-reorder", "project-keep", "project-smart",
    "mv-expand",    "mv-apply",       "make-series",     "top-nested",   "top-hitters",
    "parse-where",  "parse-kv",       "sample-distinct", "make-graph",   "graph-match",
    "graph-merge",  "graph-to-table", "graph-shortest-paths", "graph-mark-components",
    "macro-expand", "project-by-names",
    NULL,
};

static bool is_id_start(int c) { return isalpha(c) || c == '_' || c == '$'; }
static bool is_id_char(int c) { return isalnum(c) || c == '_'; }

void aiq_lex_init(AiqLexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = (int32_t)len;
    lx->pos = (int32_t)aiq_utf8_bom_len(text, len); /* a file saved with a BOM */
}

static int peekc(const AiqLexer *lx, int32_t ahead)
{
    int32_t p = lx->pos + ahead;
    return p < lx->len ? (unsigned char)lx->text[p] : -1;
}

static bool word_in(const char *s, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
            return true;
    return false;
}

/* The length of a Unicode blank at s[0..n) that Kusto's parser takes between
 * tokens like a space (asked of Microsoft's parser, tools/kqlcheck): the
 * no-break space U+00A0, U+1680, U+2000..U+200A, the zero-width space
 * U+200B, U+202F, U+205F, U+3000 and the byte order mark U+FEFF; 0 when
 * there is none. A query pasted from a browser or a word processor carries
 * these between words. */
static int unicode_blank_len(const unsigned char *s, int32_t n)
{
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n < 3)
        return 0;
    unsigned cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    if ((s[0] & 0xF0) != 0xE0 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
        return 0;
    bool blank = cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
                 cp == 0x3000 || cp == 0xFEFF;
    return blank ? 3 : 0;
}

static void skip_space_and_comments(AiqLexer *lx)
{
    for (;;) {
        int c = peekc(lx, 0), u;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c >= 0x80 && (u = unicode_blank_len((const unsigned char *)lx->text + lx->pos,
                                                       lx->len - lx->pos))) {
            lx->pos += u;
        } else if (c == '/' && peekc(lx, 1) == '/') {
            while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
                lx->pos++;
        } else {
            return;
        }
    }
}

/* Scans a quoted string body starting at the opening quote; verbatim strings
 * (@"...") escape a quote by doubling it, others use backslashes. */
static bool scan_string(AiqLexer *lx, bool verbatim, int32_t start, AiqError *err)
{
    char q = lx->text[lx->pos++];
    while (lx->pos < lx->len) {
        char c = lx->text[lx->pos];
        if (c == '\n' && !verbatim)
            break;
        if (!verbatim && c == '\\') {
            lx->pos += 2;
            continue;
        }
        lx->pos++;
        if (c == q) {
            if (verbatim && peekc(lx, 0) == q) {
                lx->pos++;
                continue;
            }
            return true;
        }
    }
    return aiq_error_set(err, AIQ_ERR_SYNTAX, start, 1,
                         "unterminated string literal; add the closing %c", q);
}

/* Scans a multi-line string literal ```...``` from its opening chord:
 * newlines allowed, no escapes (Kusto's string page). */
static bool scan_multiline_string(AiqLexer *lx, int32_t start, AiqError *err)
{
    lx->pos += 3;
    for (; lx->pos + 2 < lx->len; lx->pos++)
        if (memcmp(lx->text + lx->pos, "```", 3) == 0) {
            lx->pos += 3;
            return true;
        }
    lx->pos = lx->len;
    return aiq_error_set(err, AIQ_ERR_SYNTAX, start, 3, "unterminated multi-line string literal; add the closing ```");
}

/* The length of the prefix of a string literal at the cursor: 0 for '...'
 * and "...", 1 for @'...' and h'...', 2 for h@'...'; -1 when no string
 * starts here. *verbatim tells whether its body is verbatim (@). */
static int string_prefix_len(const AiqLexer *lx, bool *verbatim)
{
    int i = 0;
    if (peekc(lx, 0) == 'h' || peekc(lx, 0) == 'H')
        i++;
    *verbatim = peekc(lx, i) == '@';
    if (*verbatim)
        i++;
    return peekc(lx, i) == '"' || peekc(lx, i) == '\'' ? i : -1;
}

/* Scans the string literal at the cursor (any form string_prefix_len knows,
 * or a multi-line one). Returns false with err set when it is unterminated. */
static bool scan_any_string(AiqLexer *lx, AiqError *err)
{
    int32_t start = lx->pos;
    if (peekc(lx, 0) == '`' && peekc(lx, 1) == '`' && peekc(lx, 2) == '`')
        return scan_multiline_string(lx, start, err);
    bool verbatim;
    int pre = string_prefix_len(lx, &verbatim);
    lx->pos += pre > 0 ? pre : 0;
    return scan_string(lx, verbatim, start, err);
}

/* Scans `(...)` after datetime/time/timespan/dynamic, balancing brackets
 * and skipping over strings inside (a dynamic literal holds JSON). */
static bool scan_balanced_parens(AiqLexer *lx, int32_t start, AiqError *err)
{
    int depth = 0;
    while (lx->pos < lx->len) {
        char c = lx->text[lx->pos];
        bool verbatim;
        /* strings inside, in every form: @'C:\Temp\' ends at its last quote */
        if (string_prefix_len(lx, &verbatim) >= 0 || (c == '`' && peekc(lx, 1) == '`' && peekc(lx, 2) == '`')) {
            if (!scan_any_string(lx, err))
                return false;
            continue;
        }
        lx->pos++;
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}') {
            if (--depth == 0)
                return true;
        }
    }
    return aiq_error_set(err, AIQ_ERR_SYNTAX, start, lx->pos - start,
                         "unterminated literal: missing ')'");
}

static bool lex_number(AiqLexer *lx, AiqToken *tok)
{
    const char *t = lx->text;
    int32_t start = lx->pos;
    bool real = false;
    if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X') &&
        isxdigit(peekc(lx, 2))) {
        lx->pos += 2;
        while (isxdigit(peekc(lx, 0)))
            lx->pos++;
        tok->kind = AIQ_TK_LONG;
        return true;
    }
    while (isdigit(peekc(lx, 0)))
        lx->pos++;
    /* 1.5, and 1000. (a real with nothing after the point), but not the
     * 1 of 1..5 */
    if (peekc(lx, 0) == '.' && peekc(lx, 1) != '.' && !is_id_start(peekc(lx, 1))) {
        real = true;
        lx->pos++;
        while (isdigit(peekc(lx, 0)))
            lx->pos++;
    } else if (peekc(lx, 0) == '.' && (peekc(lx, 1) == 'e' || peekc(lx, 1) == 'E') &&
               (isdigit(peekc(lx, 2)) || ((peekc(lx, 2) == '+' || peekc(lx, 2) == '-') && isdigit(peekc(lx, 3))))) {
        real = true; /* 1.e3 */
        lx->pos++;
    }
    if ((peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E') &&
        (isdigit(peekc(lx, 1)) ||
         ((peekc(lx, 1) == '+' || peekc(lx, 1) == '-') && isdigit(peekc(lx, 2))))) {
        real = true;
        lx->pos += 2;
        while (isdigit(peekc(lx, 0)))
            lx->pos++;
    }
    tok->kind = real ? AIQ_TK_REAL : AIQ_TK_LONG;
    /* A unit right after the digits makes a timespan: 15m, 1.5h, 100ms. */
    if (isalpha(peekc(lx, 0))) {
        int32_t w = lx->pos;
        while (w < lx->len && isalpha((unsigned char)t[w]))
            w++;
        if (aiq_timespan_unit(t + lx->pos, (size_t)(w - lx->pos))) {
            lx->pos = w;
            tok->kind = AIQ_TK_TIMESPAN;
        }
    }
    /* Digits that run on into letters or '_' are a name, as in Kusto:
     * 90th_Percentile, 1d_x (but 1d, 1e3 and 0x1f are numbers). */
    bool digits_only = true;
    for (int32_t i = start; i < lx->pos; i++)
        digits_only &= isdigit((unsigned char)t[i]) != 0;
    if ((digits_only || tok->kind == AIQ_TK_TIMESPAN) && is_id_char(peekc(lx, 0))) {
        bool integral = true;
        for (int32_t i = start; i < lx->pos; i++)
            integral &= t[i] != '.';
        if (integral) {
            while (is_id_char(peekc(lx, 0)))
                lx->pos++;
            tok->kind = AIQ_TK_IDENT;
        }
    }
    return true;
}

bool aiq_lex_next(AiqLexer *lx, AiqToken *tok, AiqError *err)
{
    skip_space_and_comments(lx);
    const char *t = lx->text;
    int32_t start = lx->pos;
    tok->off = start;
    tok->len = 0;
    if (lx->pos >= lx->len) {
        tok->kind = AIQ_TK_EOF;
        return true;
    }
    int c = peekc(lx, 0), c1 = peekc(lx, 1);
    bool ok = true;

    bool verbatim;
    if (isdigit(c)) {
        ok = lex_number(lx, tok);
    } else if ((c == '@' || c == 'h' || c == 'H' || c == '"' || c == '\'') &&
               string_prefix_len(lx, &verbatim) >= 0) {
        tok->kind = AIQ_TK_STRING;
        ok = scan_any_string(lx, err);
    } else if (c == '`' && c1 == '`' && peekc(lx, 2) == '`') {
        tok->kind = AIQ_TK_STRING;
        ok = scan_any_string(lx, err);
    } else if (is_id_start(c)) {
        lx->pos++; /* the first character may be '$' ($left), which is not an id char */
        while (is_id_char(peekc(lx, 0)))
            lx->pos++;
        /* project-away, mv-expand, ...: join the hyphenated operator name. */
        while (peekc(lx, 0) == '-' && isalpha(peekc(lx, 1))) {
            int32_t w = lx->pos + 1;
            while (w < lx->len && (is_id_char((unsigned char)t[w]) || t[w] == '-'))
                w++;
            /* Try the longest hyphenated prefix that is a known word. */
            int32_t best = 0;
            for (int32_t e = w; e > lx->pos + 1; e--) {
                if (t[e - 1] == '-')
                    continue;
                if (word_in(t + start, (size_t)(e - start), hyphen_words)) {
                    best = e;
                    break;
                }
            }
            if (!best)
                break;
            lx->pos = best;
        }
        tok->kind = AIQ_TK_IDENT;
        size_t n = (size_t)(lx->pos - start);
        if (n == 2 && strncmp(t + start, "in", 2) == 0 && peekc(lx, 0) == '~') {
            lx->pos++;
            tok->kind = AIQ_TK_IN_TILDE;
        } else if (((n == 8 && strncmp(t + start, "datetime", 8) == 0) ||
                    (n == 4 && strncmp(t + start, "time", 4) == 0) ||
                    (n == 8 && strncmp(t + start, "timespan", 8) == 0) ||
                    (n == 4 && strncmp(t + start, "date", 4) == 0) ||
                    (n == 7 && strncmp(t + start, "dynamic", 7) == 0))) {
            int32_t save = lx->pos;
            skip_space_and_comments(lx);
            if (peekc(lx, 0) == '(') {
                tok->kind = AIQ_TK_TYPED_LIT;
                ok = scan_balanced_parens(lx, start, err);
            } else {
                lx->pos = save;
            }
        }
    } else if (c == '[' && (c1 == '\'' || c1 == '"') ) {
        /* ['name'] or ["name"]; also [@'name'] is not supported by Kusto. */
        lx->pos++;
        ok = scan_string(lx, false, start, err);
        if (ok) {
            skip_space_and_comments(lx);
            if (peekc(lx, 0) == ']') {
                lx->pos++;
                tok->kind = AIQ_TK_BRACKET_ID;
            } else {
                /* Not a bracketed name: an index with a string, d['key']. */
                lx->pos = start + 1;
                tok->kind = AIQ_TK_LBRACKET;
            }
        }
    } else {
        lx->pos++;
        switch (c) {
        case '|': tok->kind = AIQ_TK_PIPE; break;
        case ',': tok->kind = AIQ_TK_COMMA; break;
        case ';': tok->kind = AIQ_TK_SEMI; break;
        case '(': tok->kind = AIQ_TK_LPAREN; break;
        case ')': tok->kind = AIQ_TK_RPAREN; break;
        case '[': tok->kind = AIQ_TK_LBRACKET; break;
        case ']': tok->kind = AIQ_TK_RBRACKET; break;
        case '{': tok->kind = AIQ_TK_LBRACE; break;
        case '}': tok->kind = AIQ_TK_RBRACE; break;
        case ':': tok->kind = AIQ_TK_COLON; break;
        case '+': tok->kind = AIQ_TK_PLUS; break;
        case '-': tok->kind = AIQ_TK_MINUS; break;
        case '*': tok->kind = AIQ_TK_STAR; break;
        case '/': tok->kind = AIQ_TK_SLASH; break;
        case '%': tok->kind = AIQ_TK_PERCENT; break;
        case '.':
            if (c1 == '.') {
                lx->pos++;
                tok->kind = AIQ_TK_DOTDOT;
            } else {
                tok->kind = AIQ_TK_DOT;
            }
            break;
        case '=':
            if (c1 == '=') {
                lx->pos++;
                tok->kind = AIQ_TK_EQ;
            } else if (c1 == '~') {
                lx->pos++;
                tok->kind = AIQ_TK_EQ_TILDE;
            } else if (c1 == '>') {
                lx->pos++;
                tok->kind = AIQ_TK_ARROW;
            } else {
                tok->kind = AIQ_TK_ASSIGN;
            }
            break;
        case '<':
            if (c1 == '=') {
                lx->pos++;
                tok->kind = AIQ_TK_LE;
            } else if (c1 == '>') {
                lx->pos++;
                tok->kind = AIQ_TK_NE;
            } else {
                tok->kind = AIQ_TK_LT;
            }
            break;
        case '>':
            if (c1 == '=') {
                lx->pos++;
                tok->kind = AIQ_TK_GE;
            } else {
                tok->kind = AIQ_TK_GT;
            }
            break;
        case '!':
            if (c1 == '=') {
                lx->pos++;
                tok->kind = AIQ_TK_NE;
            } else if (c1 == '~') {
                lx->pos++;
                tok->kind = AIQ_TK_NE_TILDE;
            } else if (isalpha(c1)) {
                int32_t w = lx->pos;
                while (w < lx->len && is_id_char((unsigned char)t[w]))
                    w++;
                /* !has, !contains_cs, !in, !between ...: the negated word operators */
                const AiqFuncDef *f = aiq_func_operator(t + start, (size_t)(w - start));
                if (!f || !(f->flags & AIQ_FN_WORD) || !(f->flags & AIQ_FN_NEGATED)) {
                    ok = aiq_error_set(err, AIQ_ERR_SYNTAX, start, w - start,
                                       "unknown operator '%.*s'", (int)(w - start), t + start);
                    lx->pos = w;
                    break;
                }
                lx->pos = w;
                if (w - start == 3 && strncmp(t + start, "!in", 3) == 0 && peekc(lx, 0) == '~')
                    lx->pos++;
                tok->kind = AIQ_TK_BANG_WORD;
            } else {
                ok = aiq_error_set(err, AIQ_ERR_SYNTAX, start, 1,
                                   "unexpected '!'; use 'not(...)' for negation, '!=' for inequality");
            }
            break;
        default:
            if (c >= 0x80) {
                /* Skip the whole UTF-8 sequence so the caret covers it. */
                while (lx->pos < lx->len && ((unsigned char)t[lx->pos] & 0xC0) == 0x80)
                    lx->pos++;
                ok = aiq_error_set(err, AIQ_ERR_SYNTAX, start, lx->pos - start,
                                   "unexpected character '%.*s'", (int)(lx->pos - start),
                                   t + start);
            } else if (isprint(c)) {
                ok = aiq_error_set(err, AIQ_ERR_SYNTAX, start, 1, "unexpected character '%c'", c);
            } else {
                ok = aiq_error_set(err, AIQ_ERR_SYNTAX, start, 1,
                                   "unexpected control character 0x%02x", c);
            }
        }
    }
    tok->len = lx->pos - start;
    return ok;
}

/* Names that Kusto's parser does not take bare where a name is expected (a
 * column or table in `.create table`), found by asking Microsoft's parser
 * (tools/kqlcheck) about each of its keywords; plus the literals true and
 * false. Sorted (strcmp) for bsearch. */
static const char *const reserved_names[] = {
    "__contextual_datatable", "__executeAndCache", "accumulate", "and", "anomalychart",
    "areachart", "as", "asc", "bagexpansion", "barchart", "between", "boolean", "by", "byte",
    "cachingpolicy", "callout", "cancel", "card", "char", "columnchart", "contains", "containscs",
    "cycles", "dataexport", "datascope", "datatable", "date", "datetime", "decimal",
    "decodeblocks", "desc", "double", "dynamic", "earliest", "encodingpolicy", "endswith",
    "endswith_cs", "expandoutput", "extent_tags_retention", "externaldata", "false", "find",
    "first", "flags", "float", "force_remote", "harddelete", "hardretention", "has", "has_all",
    "has_any", "has_cs", "hasprefix", "hasprefix_cs", "hassuffix", "hassuffix_cs", "hotcache",
    "in", "int", "invoke", "isfuzzy", "journal", "kind", "ladderchart", "last", "latest", "like",
    "likecs", "linechart", "long", "matches", "materialize", "mdm", "missing", "nooptimization",
    "notcontains", "notcontainscs", "notlike", "notlikecs", "of", "or", "others", "pathformat",
    "piechart", "pivotchart", "print", "project", "queries", "query_results", "real", "relaxed",
    "restricted_view_access", "row_level_security", "rowstore", "rowstore_references",
    "rowstore_sealinfo", "rowstorepolicy", "rowstores", "sample", "scatterchart", "seal", "seals",
    "search", "set", "shards", "simple", "softdelete", "softretention", "sql", "stackedareachart",
    "startswith", "startswith_cs", "statistics", "storedqueryresultcontainers", "string",
    "tablepurge", "time", "timechart", "timeline", "timepivot", "timespan", "title", "to",
    "toscalar", "totable", "treemap", "true", "uint", "ulong", "union", "uniqueid",
    "unrestrictedviewers", "verbose", "viewers", "views", "where", "with_itemindex",
    "with_match_id", "with_step_name", "withsource", "writeaheadlog",
};

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

/* A name can be written bare: an identifier to this lexer, and not one of
 * the words Kusto reads as a keyword. */
static bool bare_name(const char *name)
{
    if (!isalpha((unsigned char)name[0]) && name[0] != '_')
        return false;
    for (const char *c = name + 1; *c; c++)
        if (!is_id_char((unsigned char)*c))
            return false;
    return !bsearch(name, reserved_names, sizeof reserved_names / sizeof reserved_names[0],
                    sizeof reserved_names[0], cmp_name);
}

void aiq_lex_quote_name(AiqStrBuf *sb, const char *name)
{
    if (bare_name(name)) {
        aiq_sb_puts(sb, name);
        return;
    }
    aiq_sb_puts(sb, "['");
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        switch (*c) {
        case '\\': aiq_sb_puts(sb, "\\\\"); break;
        case '\'': aiq_sb_puts(sb, "\\'"); break;
        case '\n': aiq_sb_puts(sb, "\\n"); break;
        case '\t': aiq_sb_puts(sb, "\\t"); break;
        case '\r': aiq_sb_puts(sb, "\\r"); break;
        default:
            if (*c < 0x20 || *c == 0x7F)
                aiq_sb_printf(sb, "\\u%04X", *c);
            else
                aiq_sb_putc(sb, (char)*c);
        }
    }
    aiq_sb_puts(sb, "']");
}

static int hex_value(int c) { return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10; }

/* Appends code point cp (below U+10000) to out as UTF-8; returns the bytes. */
static int put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

int32_t aiq_lex_unescape(const char *s, int32_t n, char q, bool verbatim, bool allow_nul, char *out, int32_t *bad)
{
    int32_t o = 0;
    for (int32_t i = 0; i < n; i++) {
        char c = s[i];
        if (verbatim) {
            out[o++] = c;
            if (c == q)
                i++; /* a doubled quote */
            continue;
        }
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        *bad = i;
        c = ++i < n ? s[i] : '\0';
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case '\\': case '\'': case '"': out[o++] = c; break;
        case '0':
            if (!allow_nul)
                return -1;
            out[o++] = '\0';
            break;
        case 'u': {
            unsigned cp = 0;
            int k;
            for (k = 1; k <= 4 && i + k < n && isxdigit((unsigned char)s[i + k]); k++)
                cp = cp * 16 + (unsigned)hex_value((unsigned char)s[i + k]);
            if (k != 5)
                return -1;
            i += 4;
            o += put_utf8(out + o, cp);
            break;
        }
        default: return -1;
        }
    }
    return o;
}

int32_t aiq_lex_bracket_name(const char *text, const AiqToken *tok, char *out)
{
    const char *s = text + tok->off;
    char q = s[1];
    int32_t end = tok->len - 1; /* the ']' */
    while (end > 2 && s[end - 1] != q)
        end--; /* blanks between the closing quote and ']' */
    end--;     /* the closing quote */
    int32_t bad;
    /* a NUL cannot be part of a name (names are C strings) */
    return aiq_lex_unescape(s + 2, end - 2, q, false, false, out, &bad);
}
