/*
 * parser.c -- recursive-descent parser for aiq's KQL subset (see parser.h and
 * grammar/kql.ebnf). The whole text is tokenized first into the arena, so the
 * parser can look ahead freely (needed to tell `let f = (x:long) {...}` from
 * `let x = (1 + 2)`). Keywords are soft: the parser decides from context
 * whether an identifier such as `where` or `by` is a keyword.
 */
#include "parse/parser.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "func/registry.h"
#include "lex/lexer.h"
#include "util/suggest.h"
#include "util/timefmt.h"

const char *const aiq_reorder_names[] = {"", "asc", "desc", "granny-asc", "granny-desc"};

const char *const aiq_join_kind_names[AIQ_JOIN_KIND_COUNT] = {
    "innerunique", "inner", "leftouter", "rightouter", "fullouter",
    "leftanti", "rightanti", "leftsemi", "rightsemi",
};

/* The operators that may follow '|'. ORDER: dispatch in parse_operator(). */
const char *const aiq_parse_operator_names[] = {
    "where", "filter", "extend", "project", "project-away", "project-keep", "project-rename",
    "project-reorder", "summarize", "sort", "order", "top", "take", "limit", "count",
    "distinct", "join", "union", "mv-expand", "parse", "as", "render", "getschema",
    "serialize", NULL,
};

/* Real Kusto operators that aiq does not run yet: a clear message beats a
 * confusing syntax error. */
static const char *const unsupported_operators[] = {
    "make-series", "evaluate", "mv-apply", "top-nested", "top-hitters", "lookup", "scan",
    "partition", "sample", "sample-distinct", "facet", "fork", "invoke", "reduce",
    "parse-where", "parse-kv", "project-smart", "consume", "find", "search", "externaldata",
    "range", "print", "datatable", "make-graph", "graph-match", "graph-merge",
    "graph-to-table", "graph-shortest-paths", "graph-mark-components", "extend-schema", NULL,
};

typedef struct Parser {
    const char *text;
    size_t len;
    AiqArena *arena;
    AiqError *err;
    AiqToken *toks;
    int ntoks;
    int pos;
    int depth;
} Parser;

/* ---- token helpers ---------------------------------------------------- */

static const AiqToken *peek(const Parser *p) { return &p->toks[p->pos]; }
static const AiqToken *peek_at(const Parser *p, int k)
{
    int i = p->pos + k;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}
static const AiqToken *advance(Parser *p)
{
    const AiqToken *t = &p->toks[p->pos];
    if (p->pos < p->ntoks - 1)
        p->pos++;
    return t;
}
static bool at(const Parser *p, AiqTokKind k) { return peek(p)->kind == k; }
static bool tok_is_word(const Parser *p, const AiqToken *t, const char *w)
{
    return t->kind == AIQ_TK_IDENT && (size_t)t->len == strlen(w) &&
           strncmp(p->text + t->off, w, (size_t)t->len) == 0;
}
static bool at_word(const Parser *p, const char *w) { return tok_is_word(p, peek(p), w); }
static bool accept(Parser *p, AiqTokKind k)
{
    if (!at(p, k))
        return false;
    advance(p);
    return true;
}
static bool accept_word(Parser *p, const char *w)
{
    if (!at_word(p, w))
        return false;
    advance(p);
    return true;
}

/* Describes the current token for messages: "'where'", "end of query". */
static const char *found(Parser *p)
{
    const AiqToken *t = peek(p);
    if (t->kind == AIQ_TK_EOF)
        return "end of query";
    int n = t->len > 40 ? 40 : t->len;
    return aiq_arena_printf(p->arena, "'%.*s'", n, p->text + t->off);
}

static void line_col(const Parser *p, int32_t off, int *line, int *col)
{
    AiqError e = {.code = AIQ_ERR_SYNTAX, .offset = off, .length = 1};
    aiq_error_locate(&e, p->text, p->len);
    *line = e.line;
    *col = e.col;
}

static void *fail_at(Parser *p, const AiqToken *t, const char *msg)
{
    aiq_error_set(p->err, AIQ_ERR_SYNTAX, t->off, t->len ? t->len : 1, "%s", msg);
    return NULL;
}

static void *fail_expected(Parser *p, const char *what)
{
    return fail_at(p, peek(p), aiq_arena_printf(p->arena, "expected %s, found %s", what, found(p)));
}

static bool expect(Parser *p, AiqTokKind k, const char *context)
{
    if (accept(p, k))
        return true;
    fail_expected(p, context ? aiq_arena_printf(p->arena, "%s %s", aiq_lex_token_name(k), context)
                             : aiq_lex_token_name(k));
    return false;
}

/* Expects the closing bracket of one opened at `open`, Lua's check_match. */
static bool expect_close(Parser *p, AiqTokKind k, const AiqToken *open)
{
    if (accept(p, k))
        return true;
    int line, col;
    line_col(p, open->off, &line, &col);
    fail_at(p, peek(p),
            aiq_arena_printf(p->arena, "expected %s to close %s at %d:%d, found %s",
                             aiq_lex_token_name(k), aiq_lex_token_name(open->kind), line, col,
                             found(p)));
    return false;
}

static AiqNode *new_node(Parser *p, AiqNodeKind kind, const AiqToken *t)
{
    AiqNode *n = aiq_arena_calloc(p->arena, sizeof *n);
    n->kind = kind;
    n->off = t->off;
    n->len = t->len;
    return n;
}

/* Extends a node's span to the end of the previous token. */
static AiqNode *finish(Parser *p, AiqNode *n)
{
    const AiqToken *last = &p->toks[p->pos > 0 ? p->pos - 1 : 0];
    if (last->off + last->len > n->off)
        n->len = last->off + last->len - n->off;
    return n;
}

static char *tok_text(Parser *p, const AiqToken *t)
{
    return aiq_arena_strndup(p->arena, p->text + t->off, (size_t)t->len);
}

/* A growable list of nodes built in the arena. */
typedef struct NodeList {
    AiqNode **items;
    int n, cap;
} NodeList;

static void list_push(Parser *p, NodeList *l, AiqNode *n)
{
    l->items = aiq_arena_grow(p->arena, l->items, l->n, &l->cap, sizeof *l->items, 4);
    l->items[l->n++] = n;
}

static bool enter(Parser *p)
{
    if (++p->depth > AIQ_PARSE_MAX_DEPTH) {
        aiq_error_set(p->err, AIQ_ERR_SYNTAX, peek(p)->off, peek(p)->len,
                      "query too deep (limit %d): nested more than %d levels", AIQ_PARSE_MAX_DEPTH, AIQ_PARSE_MAX_DEPTH);
        return false;
    }
    return true;
}
static void leave(Parser *p) { p->depth--; }

/* ---- literals --------------------------------------------------------- */

/* Decodes a string token (quotes, escapes, @verbatim, h-obfuscated) into
 * n->str / n->slen. */
static bool decode_string(Parser *p, const AiqToken *t, AiqNode *n)
{
    const char *s = p->text + t->off;
    int32_t len = t->len, i = 0;
    bool verbatim = false;
    if (s[i] == 'h' || s[i] == 'H')
        i++;
    if (s[i] == '@') {
        verbatim = true;
        i++;
    }
    char q = s[i++];
    char *out = aiq_arena_alloc(p->arena, (size_t)len + 1);
    uint32_t o = 0;
    for (; i < len - 1; i++) {
        char c = s[i];
        if (verbatim) {
            out[o++] = c;
            if (c == q)
                i++; /* doubled quote */
            continue;
        }
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case 'r': out[o++] = '\r'; break;
        case '0': out[o++] = '\0'; break;
        case '\\': case '\'': case '"': out[o++] = c; break;
        case 'u': {
            unsigned cp = 0;
            int k;
            for (k = 1; k <= 4 && i + k < len - 1 && isxdigit((unsigned char)s[i + k]); k++)
                cp = cp * 16 + (unsigned)(isdigit((unsigned char)s[i + k])
                                              ? s[i + k] - '0'
                                              : (tolower((unsigned char)s[i + k]) - 'a' + 10));
            if (k != 5) {
                aiq_error_set(p->err, AIQ_ERR_SYNTAX, t->off + i - 1, 2,
                              "invalid \\u escape: expected 4 hex digits");
                return false;
            }
            i += 4;
            if (cp < 0x80) {
                out[o++] = (char)cp;
            } else if (cp < 0x800) {
                out[o++] = (char)(0xC0 | (cp >> 6));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[o++] = (char)(0xE0 | (cp >> 12));
                out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            aiq_error_set(p->err, AIQ_ERR_SYNTAX, t->off + i - 1, 2,
                          "unknown escape sequence '\\%c'", c);
            return false;
        }
    }
    out[o] = '\0';
    n->str = out;
    n->slen = o;
    return true;
}

static AiqNode *parse_number_literal(Parser *p)
{
    const AiqToken *t = advance(p);
    AiqNode *n = new_node(p, AIQ_N_LITERAL, t);
    char *s = tok_text(p, t);
    errno = 0;
    if (t->kind == AIQ_TK_LONG) {
        char *end;
        long long v = strtoll(s, &end, 0);
        if (errno == ERANGE)
            return fail_at(p, t, "integer literal out of range for long; write it as a real (e.g. 1e20)");
        n->type = AIQ_TYPE_LONG;
        n->i64 = v;
    } else if (t->kind == AIQ_TK_REAL) {
        n->type = AIQ_TYPE_REAL;
        n->f64 = strtod(s, NULL);
        if (isinf(n->f64))
            return fail_at(p, t, "real literal out of range");
    } else {
        int64_t ticks;
        if (!aiq_timespan_parse(s, strlen(s), &ticks))
            return fail_at(p, t, "invalid timespan literal");
        n->type = AIQ_TYPE_TIMESPAN;
        n->i64 = ticks;
    }
    return n;
}

/* typed_literal -> ('datetime'|'time'|'timespan'|'date'|'dynamic') '(' raw ')' */
static AiqNode *parse_typed_literal(Parser *p)
{
    const AiqToken *t = advance(p);
    AiqNode *n = new_node(p, AIQ_N_LITERAL, t);
    const char *s = p->text + t->off;
    const char *open = memchr(s, '(', (size_t)t->len);
    size_t word = (size_t)(open - s);
    while (word > 0 && isspace((unsigned char)s[word - 1]))
        word--;
    const char *in = open + 1, *end = s + t->len - 1;
    while (in < end && isspace((unsigned char)*in))
        in++;
    while (end > in && isspace((unsigned char)end[-1]))
        end--;
    size_t n_in = (size_t)(end - in);
    n->type = aiq_type_from_name(s, (int)word);
    if (n_in == 4 && strncmp(in, "null", 4) == 0) {
        n->isnull = true;
        return n;
    }
    if (n->type == AIQ_TYPE_DYNAMIC) {
        n->str = aiq_arena_strndup(p->arena, in, n_in);
        n->slen = (uint32_t)n_in;
        return n;
    }
    if (n->type == AIQ_TYPE_DATETIME) {
        /* datetime("2015-12-14") and datetime('12-02-2022') are valid too */
        if (n_in >= 2 && (in[0] == '"' || in[0] == '\'') && in[n_in - 1] == in[0]) {
            in++;
            n_in -= 2;
        }
        if (!aiq_datetime_parse_text(in, n_in, &n->i64))
            return fail_at(p, t, aiq_arena_printf(p->arena,
                "invalid datetime literal '%.*s'; expected ISO 8601 such as 2026-11-22T10:00:00Z",
                (int)n_in, in));
        return n;
    }
    if (!aiq_timespan_parse(in, n_in, &n->i64))
        return fail_at(p, t, aiq_arena_printf(p->arena,
            "invalid timespan literal '%.*s'; expected [d.]hh:mm:ss or a value like 15m",
            (int)n_in, in));
    return n;
}

/* scalar_typed_literal -> ('long'|'int'|'real'|'double'|'bool') '(' (literal|'null') ')' */
static AiqNode *parse_scalar_typed_literal(Parser *p, AiqType type)
{
    const AiqToken *t = advance(p);
    const AiqToken *open = advance(p); /* '(' */
    AiqNode *n;
    bool neg = accept(p, AIQ_TK_MINUS);
    bool pos = !neg && accept(p, AIQ_TK_PLUS);
    if (at_word(p, "null") && !neg && !pos) {
        advance(p);
        n = new_node(p, AIQ_N_LITERAL, t);
        n->isnull = true;
    } else if (type == AIQ_TYPE_REAL && (at_word(p, "inf") || (at_word(p, "nan") && !neg && !pos))) {
        /* Kusto's spellings of the non-finite reals: real(nan), real(+inf), real(-inf) */
        n = new_node(p, AIQ_N_LITERAL, t);
        n->f64 = at_word(p, "nan") ? NAN : neg ? -INFINITY : INFINITY;
        advance(p);
    } else if (at(p, AIQ_TK_LONG) || at(p, AIQ_TK_REAL)) {
        n = parse_number_literal(p);
        if (!n)
            return NULL;
        if (neg) {
            n->i64 = -n->i64;
            n->f64 = -n->f64;
        }
        if (type == AIQ_TYPE_REAL && n->type == AIQ_TYPE_LONG)
            n->f64 = (double)n->i64;
        if (type != AIQ_TYPE_REAL && n->type == AIQ_TYPE_REAL &&
            !aiq_real_to_long(n->f64, &n->i64))
            return fail_at(p, t, aiq_arena_printf(p->arena, "%s literal out of range",
                                                      aiq_type_name(type)));
        n->off = t->off;
    } else if (type == AIQ_TYPE_BOOL && (at_word(p, "true") || at_word(p, "false"))) {
        n = new_node(p, AIQ_N_LITERAL, t);
        n->i64 = at_word(p, "true");
        advance(p);
    } else {
        return fail_expected(p, aiq_arena_printf(p->arena, "a %s value or null inside %s(...)",
                                                  aiq_type_name(type), aiq_type_name(type)));
    }
    n->type = type;
    if (!expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    return finish(p, n);
}

/* ---- expressions ------------------------------------------------------ */

static AiqNode *parse_expr(Parser *p);
static AiqNode *parse_pipe_expr(Parser *p);
static AiqNode *parse_source(Parser *p);

/* args -> [ arg { ',' arg } ]   (inside parentheses already opened)
   arg -> '*' | identifier '=' expr | expr    (name = value: a user function's parameter) */
static bool parse_args(Parser *p, const AiqToken *open, NodeList *args)
{
    if (accept(p, AIQ_TK_RPAREN))
        return true;
    for (;;) {
        AiqNode *a;
        if (at(p, AIQ_TK_STAR)) {
            a = new_node(p, AIQ_N_STAR, advance(p));
        } else if (at(p, AIQ_TK_IDENT) && peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
            a = new_node(p, AIQ_N_ASSIGN, peek(p));
            a->str = tok_text(p, advance(p));
            advance(p); /* '=' */
            if (!(a->lhs = parse_expr(p)))
                return false;
            finish(p, a);
        } else {
            a = parse_expr(p);
        }
        if (!a)
            return false;
        list_push(p, args, a);
        if (accept(p, AIQ_TK_COMMA))
            continue;
        return expect_close(p, AIQ_TK_RPAREN, open);
    }
}

static bool is_name_token(const AiqToken *t)
{
    return t->kind == AIQ_TK_IDENT || t->kind == AIQ_TK_BRACKET_ID;
}

/* name -> identifier | '[' string ']' ; returns the arena copy of the name */
static char *parse_name(Parser *p, const char *what)
{
    const AiqToken *t = peek(p);
    if (t->kind == AIQ_TK_IDENT) {
        advance(p);
        return tok_text(p, t);
    }
    if (t->kind == AIQ_TK_BRACKET_ID) {
        advance(p);
        AiqNode tmp = {0};
        AiqToken inner = {AIQ_TK_STRING, t->off + 1, 0};
        /* the string ends right before the closing ']' (spaces may precede it) */
        int32_t e = t->off + t->len - 1;
        while (p->text[e - 1] != p->text[t->off + 1])
            e--;
        inner.len = e - inner.off;
        if (!decode_string(p, &inner, &tmp))
            return NULL;
        return (char *)tmp.str;
    }
    fail_expected(p, what);
    return NULL;
}

/* primary -> literal | typed_literal | name [ '(' args ')' ] | '(' pipe_expr ')' */
static AiqNode *parse_primary(Parser *p)
{
    const AiqToken *t = peek(p);
    switch (t->kind) {
    case AIQ_TK_LONG:
    case AIQ_TK_REAL:
    case AIQ_TK_TIMESPAN: return parse_number_literal(p);
    case AIQ_TK_TYPED_LIT: return parse_typed_literal(p);
    case AIQ_TK_STRING: {
        AiqNode *n = new_node(p, AIQ_N_LITERAL, advance(p));
        n->type = AIQ_TYPE_STRING;
        if (!decode_string(p, t, n))
            return NULL;
        /* Adjacent string literals concatenate, as in Kusto. */
        while (at(p, AIQ_TK_STRING)) {
            AiqNode more = {0};
            const AiqToken *t2 = advance(p);
            if (!decode_string(p, t2, &more))
                return NULL;
            char *joined = aiq_arena_alloc(p->arena, n->slen + more.slen + 1);
            memcpy(joined, n->str, n->slen);
            memcpy(joined + n->slen, more.str, more.slen + 1);
            n->str = joined;
            n->slen += more.slen;
        }
        return finish(p, n);
    }
    case AIQ_TK_LPAREN: {
        const AiqToken *open = advance(p);
        AiqNode *inner = parse_pipe_expr(p);
        if (!inner || !expect_close(p, AIQ_TK_RPAREN, open))
            return NULL;
        return inner;
    }
    case AIQ_TK_BRACKET_ID: {
        AiqNode *n = new_node(p, AIQ_N_NAME, t);
        n->str = parse_name(p, "a name");
        return n->str ? n : NULL;
    }
    case AIQ_TK_IDENT: {
        /* `union(`, `print(` and `datatable(` start tabular sources, as they do
         * inside parentheses; were they calls here, `-union(x)` would print as
         * `-(union(x))` and reparse as something else. */
        if ((at_word(p, "union") || at_word(p, "print") || at_word(p, "datatable")) &&
            peek_at(p, 1)->kind == AIQ_TK_LPAREN)
            return parse_source(p);
        AiqType tt = aiq_type_from_name(p->text + t->off, t->len);
        if (tt != AIQ_TYPE_UNKNOWN && tt != AIQ_TYPE_STRING && tt != AIQ_TYPE_DYNAMIC &&
            peek_at(p, 1)->kind == AIQ_TK_LPAREN)
            return parse_scalar_typed_literal(p, tt);
        /* Kusto spells bool literals in any case: true, True, TRUE. */
        if ((t->len == 4 && strncasecmp(p->text + t->off, "true", 4) == 0) ||
            (t->len == 5 && strncasecmp(p->text + t->off, "false", 5) == 0)) {
            AiqNode *n = new_node(p, AIQ_N_LITERAL, advance(p));
            n->type = AIQ_TYPE_BOOL;
            n->i64 = t->len == 4;
            return n;
        }
        advance(p);
        if (at(p, AIQ_TK_LPAREN)) {
            AiqNode *n = new_node(p, AIQ_N_CALL, t);
            n->str = tok_text(p, t);
            const AiqToken *open = advance(p);
            NodeList args = {0};
            if (!parse_args(p, open, &args))
                return NULL;
            n->items = args.items;
            n->nitems = args.n;
            return finish(p, n);
        }
        AiqNode *n = new_node(p, AIQ_N_NAME, t);
        n->str = tok_text(p, t);
        return n;
    }
    default:
        return fail_expected(p, "an expression");
    }
}

/* postfix -> primary { '.' name | [ '.' ] '[' expr ']' } */
static AiqNode *parse_postfix(Parser *p)
{
    AiqNode *e = parse_primary(p);
    while (e) {
        if (at(p, AIQ_TK_DOT) && peek_at(p, 1)->kind == AIQ_TK_LBRACKET) {
            advance(p); /* d.[expr] is d[expr] (Kusto's dynamic accessors) */
        } else if (at(p, AIQ_TK_DOT)) {
            advance(p);
            const AiqToken *t = peek(p);
            AiqNode *m = new_node(p, AIQ_N_MEMBER, t);
            m->off = e->off;
            m->lhs = e;
            /* d.key also accepts keywords and numbers-as-names is not KQL. */
            m->str = parse_name(p, "a property name after '.'");
            if (!m->str)
                return NULL;
            e = finish(p, m);
        } else if (at(p, AIQ_TK_BRACKET_ID)) {
            /* d["key"] lexes like a bracketed name; after an expression it is an index. */
            const AiqToken *t = advance(p);
            AiqNode *ix = new_node(p, AIQ_N_INDEX, t);
            ix->off = e->off;
            ix->lhs = e;
            AiqToken inner = {AIQ_TK_STRING, t->off + 1, t->len - 2};
            while (inner.len > 0 && p->text[inner.off + inner.len - 1] != p->text[inner.off])
                inner.len--;
            ix->rhs = new_node(p, AIQ_N_LITERAL, &inner);
            ix->rhs->type = AIQ_TYPE_STRING;
            if (!decode_string(p, &inner, ix->rhs))
                return NULL;
            e = finish(p, ix);
        } else if (at(p, AIQ_TK_LBRACKET)) {
            const AiqToken *open = advance(p);
            AiqNode *ix = new_node(p, AIQ_N_INDEX, open);
            ix->off = e->off;
            ix->lhs = e;
            ix->rhs = parse_expr(p);
            if (!ix->rhs || !expect_close(p, AIQ_TK_RBRACKET, open))
                return NULL;
            e = finish(p, ix);
        } else {
            break;
        }
    }
    return e;
}

/* unary -> ('-' | '+') unary | postfix */
static AiqNode *parse_unary(Parser *p)
{
    if (at(p, AIQ_TK_MINUS) || at(p, AIQ_TK_PLUS)) {
        if (!enter(p))
            return NULL;
        const AiqToken *t = advance(p);
        AiqNode *operand = parse_unary(p);
        leave(p);
        if (!operand)
            return NULL;
        /* Fold a sign into a numeric literal so -1 prints and binds as one value. */
        if (operand->kind == AIQ_N_LITERAL && !operand->isnull &&
            (operand->type == AIQ_TYPE_LONG || operand->type == AIQ_TYPE_REAL ||
             operand->type == AIQ_TYPE_TIMESPAN) &&
            operand->off == t->off + t->len) {
            if (t->kind == AIQ_TK_MINUS) {
                operand->i64 = (int64_t)(0 - (uint64_t)operand->i64);
                operand->f64 = -operand->f64;
            }
            operand->len += operand->off - t->off;
            operand->off = t->off;
            return operand;
        }
        AiqNode *n = new_node(p, AIQ_N_UNARY, t);
        n->op = t->kind == AIQ_TK_MINUS ? AIQ_FN_NEG : AIQ_FN_ADD;
        n->lhs = operand;
        return finish(p, n);
    }
    return parse_postfix(p);
}

static AiqNode *binary(Parser *p, AiqFuncId op, AiqNode *l, AiqNode *r)
{
    AiqNode *n = aiq_arena_calloc(p->arena, sizeof *n);
    n->kind = AIQ_N_BINARY;
    n->op = op;
    n->lhs = l;
    n->rhs = r;
    n->off = l->off;
    n->len = r->off + r->len - l->off;
    return n;
}

/* mul -> unary { ('*' | '/' | '%') unary } */
static AiqNode *parse_mul(Parser *p)
{
    AiqNode *l = parse_unary(p);
    while (l && (at(p, AIQ_TK_STAR) || at(p, AIQ_TK_SLASH) || at(p, AIQ_TK_PERCENT))) {
        AiqTokKind k = advance(p)->kind;
        AiqNode *r = parse_unary(p);
        if (!r)
            return NULL;
        l = binary(p, k == AIQ_TK_STAR ? AIQ_FN_MUL : k == AIQ_TK_SLASH ? AIQ_FN_DIV : AIQ_FN_MOD, l, r);
    }
    return l;
}

/* add -> mul { ('+' | '-') mul } */
static AiqNode *parse_add(Parser *p)
{
    AiqNode *l = parse_mul(p);
    while (l && (at(p, AIQ_TK_PLUS) || at(p, AIQ_TK_MINUS))) {
        AiqTokKind k = advance(p)->kind;
        AiqNode *r = parse_mul(p);
        if (!r)
            return NULL;
        l = binary(p, k == AIQ_TK_PLUS ? AIQ_FN_ADD : AIQ_FN_SUB, l, r);
    }
    return l;
}

/* The comparison-level operator at the cursor (==, <, has, !in, in~,
 * between, matches ...), or NULL. Words are operators only here, after
 * a left operand: `has` can name a column elsewhere. `matches` is the
 * first word of `matches regex`, whose second word the caller expects. */
static const AiqFuncDef *comparison_at(Parser *p)
{
    const AiqToken *t = peek(p);
    switch (t->kind) {
    case AIQ_TK_EQ: return aiq_func_def(AIQ_FN_EQ);
    case AIQ_TK_NE: return aiq_func_def(AIQ_FN_NE);
    case AIQ_TK_LT: return aiq_func_def(AIQ_FN_LT);
    case AIQ_TK_LE: return aiq_func_def(AIQ_FN_LE);
    case AIQ_TK_GT: return aiq_func_def(AIQ_FN_GT);
    case AIQ_TK_GE: return aiq_func_def(AIQ_FN_GE);
    case AIQ_TK_EQ_TILDE: return aiq_func_def(AIQ_FN_EQ_CI);
    case AIQ_TK_NE_TILDE: return aiq_func_def(AIQ_FN_NE_CI);
    case AIQ_TK_IN_TILDE: return aiq_func_def(AIQ_FN_IN_CI);
    case AIQ_TK_BANG_WORD: return aiq_func_operator(p->text + t->off, (size_t)t->len);
    case AIQ_TK_IDENT: {
        if (at_word(p, "matches"))
            return aiq_func_def(AIQ_FN_MATCHES_REGEX);
        const AiqFuncDef *f = aiq_func_operator(p->text + t->off, (size_t)t->len);
        return f && (f->flags & AIQ_FN_WORD) ? f : NULL;
    }
    default: return NULL;
    }
}

/* in_rest -> '(' expr { ',' expr } ')' */
static AiqNode *parse_in(Parser *p, const AiqFuncDef *op, AiqNode *l)
{
    AiqNode *n = aiq_arena_calloc(p->arena, sizeof *n);
    n->kind = AIQ_N_IN;
    n->op = op->id;
    n->lhs = l;
    n->off = l->off;
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, aiq_arena_printf(p->arena, "after '%s'", op->name)))
        return NULL;
    NodeList set = {0};
    if (at(p, AIQ_TK_RPAREN))
        return fail_expected(p, "at least one value in the set");
    if (!parse_args(p, open, &set))
        return NULL;
    n->items = set.items;
    n->nitems = set.n;
    return finish(p, n);
}

/* between_rest -> '(' add '..' add ')' */
static AiqNode *parse_between(Parser *p, AiqFuncId op, AiqNode *l)
{
    AiqNode *n = aiq_arena_calloc(p->arena, sizeof *n);
    n->kind = AIQ_N_BETWEEN;
    n->op = op;
    n->lhs = l;
    n->off = l->off;
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "after 'between'"))
        return NULL;
    if (!(n->rhs = parse_add(p)))
        return NULL;
    if (!expect(p, AIQ_TK_DOTDOT, "between the bounds of 'between'"))
        return NULL;
    if (!(n->extra = parse_add(p)) || !expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    return finish(p, n);
}

/* cmp -> add { cmp_op add | in_op in_rest | ['!']'between' between_rest } */
static AiqNode *parse_cmp(Parser *p)
{
    AiqNode *l = parse_add(p);
    const AiqFuncDef *op;
    while (l && (op = comparison_at(p))) {
        const AiqToken *optok = advance(p);
        if (op->flags & AIQ_FN_SET) {
            l = parse_in(p, op, l);
        } else if (op->id == AIQ_FN_BETWEEN || op->id == AIQ_FN_NOT_BETWEEN) {
            l = parse_between(p, op->id, l);
        } else {
            if (op->id == AIQ_FN_MATCHES_REGEX) {
                if (!at_word(p, "regex"))
                    return fail_at(p, optok, "expected 'regex' after 'matches'");
                advance(p);
            }
            AiqNode *r = parse_add(p);
            if (!r)
                return NULL;
            l = binary(p, op->id, l, r);
        }
    }
    return l;
}

/* and -> cmp { 'and' cmp } */
static AiqNode *parse_and(Parser *p)
{
    AiqNode *l = parse_cmp(p);
    while (l && at_word(p, "and")) {
        advance(p);
        AiqNode *r = parse_cmp(p);
        if (!r)
            return NULL;
        l = binary(p, AIQ_FN_AND, l, r);
    }
    return l;
}

/* expr -> and { 'or' and } */
static AiqNode *parse_expr(Parser *p)
{
    if (!enter(p))
        return NULL;
    AiqNode *l = parse_and(p);
    while (l && at_word(p, "or")) {
        advance(p);
        AiqNode *r = parse_and(p);
        if (!r) {
            l = NULL;
            break;
        }
        l = binary(p, AIQ_FN_OR, l, r);
    }
    leave(p);
    /* Common slips from SQL and C get a hint instead of a bare syntax error. */
    if (l && at(p, AIQ_TK_ASSIGN) && p->err->code == AIQ_OK) {
        return fail_at(p, peek(p), "unexpected '='; use '==' to compare values");
    }
    if (l && at(p, AIQ_TK_IDENT) && (at_word(p, "AND") || at_word(p, "OR") || at_word(p, "And") || at_word(p, "Or")))
        return fail_at(p, peek(p), aiq_arena_printf(p->arena,
                       "unexpected %s; KQL's logical operators are lowercase: 'and', 'or'", found(p)));
    if (l && at(p, AIQ_TK_IDENT) && at_word(p, "like"))
        return fail_at(p, peek(p), "'like' is not supported by aiq; use 'contains', 'startswith' or 'matches regex'");
    return l;
}

/* list -> item { ',' item } */
static bool parse_comma_list(Parser *p, NodeList *out, AiqNode *(*item)(Parser *))
{
    for (;;) {
        AiqNode *n = item(p);
        if (!n)
            return false;
        list_push(p, out, n);
        if (!accept(p, AIQ_TK_COMMA))
            return true;
    }
}

/* ---- column lists ----------------------------------------------------- */

/* column_expr -> [ name '=' ] expr */
static AiqNode *parse_column_expr(Parser *p)
{
    if (is_name_token(peek(p)) && peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
        const AiqToken *t = peek(p);
        AiqNode *a = new_node(p, AIQ_N_ASSIGN, t);
        a->str = parse_name(p, "a column name");
        if (!a->str)
            return NULL;
        advance(p); /* '=' */
        a->lhs = parse_expr(p);
        if (!a->lhs)
            return NULL;
        return finish(p, a);
    }
    /* (A, B) = arg_max(...) is not supported: say so rather than fail obscurely. */
    if (at(p, AIQ_TK_LPAREN) && is_name_token(peek_at(p, 1)) &&
        peek_at(p, 2)->kind == AIQ_TK_COMMA)
        return fail_at(p, peek(p), "assigning several names at once, '(A, B) = ...', is not supported by aiq yet");
    return parse_expr(p);
}

static bool at_list_end(Parser *p)
{
    AiqTokKind k = peek(p)->kind;
    return k == AIQ_TK_EOF || k == AIQ_TK_PIPE || k == AIQ_TK_SEMI || k == AIQ_TK_RPAREN ||
           k == AIQ_TK_RBRACE;
}

/* column_list -> column_expr { ',' column_expr }, stopping before `stop` */
static bool parse_column_list(Parser *p, NodeList *out, const char *stop, const char *what)
{
    if (at_list_end(p) || (stop && at_word(p, stop))) {
        fail_expected(p, what);
        return false;
    }
    for (;;) {
        AiqNode *e = parse_column_expr(p);
        if (!e)
            return false;
        list_push(p, out, e);
        if (!accept(p, AIQ_TK_COMMA))
            return true;
    }
}

/* column_order -> 'asc' | 'desc' | 'granny-asc' | 'granny-desc' (project-reorder).
 * granny-asc lexes as granny - asc: the three tokens must touch. Returns an
 * AIQ_REORDER_* value, AIQ_REORDER_AS_IS when none is there. */
static int parse_column_order(Parser *p)
{
    if (accept_word(p, "asc"))
        return AIQ_REORDER_ASC;
    if (accept_word(p, "desc"))
        return AIQ_REORDER_DESC;
    const AiqToken *g = peek(p), *minus = peek_at(p, 1), *dir = peek_at(p, 2);
    if (tok_is_word(p, g, "granny") && minus->kind == AIQ_TK_MINUS &&
        minus->off == g->off + g->len && dir->off == minus->off + minus->len &&
        (tok_is_word(p, dir, "asc") || tok_is_word(p, dir, "desc"))) {
        bool asc = tok_is_word(p, dir, "asc");
        advance(p), advance(p), advance(p);
        return asc ? AIQ_REORDER_GRANNY_ASC : AIQ_REORDER_GRANNY_DESC;
    }
    return AIQ_REORDER_AS_IS;
}

/* name_list -> name_pattern [ column_order ] { ',' name_pattern [ column_order ] };
 * a pattern may hold '*'; the order only where `orders` (project-reorder). */
static bool parse_name_patterns(Parser *p, NodeList *out, const char *what, bool orders)
{
    for (;;) {
        const AiqToken *t = peek(p);
        if (!is_name_token(t) && t->kind != AIQ_TK_STAR) {
            fail_expected(p, what);
            return false;
        }
        AiqNode *n = new_node(p, AIQ_N_NAME, t);
        /* Glue adjacent tokens of a wildcard such as Dur* or *Ms or a*b: they
         * touch, so the pattern is the query text from the first to the last. */
        int32_t start = t->off, end = t->off;
        n->str = NULL;
        while ((peek(p)->kind == AIQ_TK_IDENT || peek(p)->kind == AIQ_TK_STAR ||
                peek(p)->kind == AIQ_TK_BRACKET_ID) &&
               (peek(p)->off == end || end == start)) {
            const AiqToken *w = peek(p);
            if (w->kind == AIQ_TK_BRACKET_ID) {
                if (end != start)
                    break;
                if (!(n->str = parse_name(p, "a name")))
                    return false;
                break;
            }
            end = w->off + w->len;
            advance(p);
        }
        if (!n->str)
            n->str = aiq_arena_strndup(p->arena, p->text + start, (size_t)(end - start));
        finish(p, n);
        if (orders)
            n->op = parse_column_order(p);
        list_push(p, out, n);
        if (!accept(p, AIQ_TK_COMMA))
            return true;
    }
}

/* named_param -> name '=' value, for names in `allowed` (and hint.*) */
static bool parse_named_params(Parser *p, const char *const *allowed, NodeList *out)
{
    for (;;) {
        const AiqToken *t = peek(p);
        if (t->kind != AIQ_TK_IDENT)
            return true;
        bool hint = tok_is_word(p, t, "hint") && peek_at(p, 1)->kind == AIQ_TK_DOT;
        bool known = false;
        for (int i = 0; allowed[i]; i++)
            known |= tok_is_word(p, t, allowed[i]);
        if (!hint && !(known && peek_at(p, 1)->kind == AIQ_TK_ASSIGN))
            return true;
        AiqNode *a = new_node(p, AIQ_N_ASSIGN, t);
        advance(p);
        if (hint) {
            advance(p);
            const AiqToken *h = peek(p);
            if (h->kind != AIQ_TK_IDENT) {
                fail_expected(p, "a hint name after 'hint.'");
                return false;
            }
            advance(p);
            a->str = aiq_arena_printf(p->arena, "hint.%.*s", h->len, p->text + h->off);
        } else {
            a->str = tok_text(p, t);
        }
        if (!expect(p, AIQ_TK_ASSIGN, aiq_arena_printf(p->arena, "after '%s'", a->str)))
            return false;
        const AiqToken *v = peek(p);
        if (v->kind == AIQ_TK_IDENT || v->kind == AIQ_TK_BRACKET_ID) {
            a->lhs = new_node(p, AIQ_N_NAME, v);
            a->lhs->str = parse_name(p, "a value");
            if (!a->lhs->str)
                return false;
        } else {
            a->lhs = parse_unary(p);
            if (!a->lhs)
                return false;
        }
        list_push(p, out, finish(p, a));
    }
}

/* hints -> { 'hint.' name '=' value }, for operators whose only parameters
 * are hints; they go to n->params, which the binder checks. */
static bool parse_hints(Parser *p, AiqNode *n)
{
    static const char *const none[] = {NULL};
    NodeList params = {0};
    if (!parse_named_params(p, none, &params))
        return false;
    n->params = params.items;
    n->nparams = params.n;
    return true;
}

/* sort_key -> expr [ 'asc' | 'desc' ] [ 'nulls' ('first' | 'last') ] */
static AiqNode *parse_sort_key(Parser *p)
{
    AiqNode *k = new_node(p, AIQ_N_SORT_KEY, peek(p));
    if (!(k->lhs = parse_expr(p)))
        return NULL;
    if (accept_word(p, "asc"))
        k->op |= AIQ_SORT_ASC;
    else if (accept_word(p, "desc"))
        k->op |= AIQ_SORT_DESC;
    if (accept_word(p, "nulls")) {
        if (accept_word(p, "first"))
            k->op |= AIQ_SORT_NULLS_FIRST;
        else if (accept_word(p, "last"))
            k->op |= AIQ_SORT_NULLS_LAST;
        else
            return fail_expected(p, "'first' or 'last' after 'nulls'");
    }
    return finish(p, k);
}

/* ---- tabular operators ----------------------------------------------- */


static AiqNode *op_node(Parser *p, AiqNodeKind kind, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = new_node(p, kind, t);
    n->lhs = input;
    return n;
}

/* tabular_arg -> '(' pipe_expr ')' | name */
static AiqNode *parse_tabular_arg(Parser *p, const char *what)
{
    if (at(p, AIQ_TK_LPAREN)) {
        const AiqToken *open = advance(p);
        AiqNode *t = parse_pipe_expr(p);
        if (!t || !expect_close(p, AIQ_TK_RPAREN, open))
            return NULL;
        return t;
    }
    if (at_word(p, "union") || at_word(p, "print") || at_word(p, "datatable") || at_word(p, "range"))
        return parse_source(p); /* `union union (T)` nests, as the printer writes it back */
    if (is_name_token(peek(p))) {
        const AiqToken *t = peek(p);
        if (peek_at(p, 1)->kind == AIQ_TK_LPAREN) /* a tabular function call */
            return parse_postfix(p);
        AiqNode *n = new_node(p, AIQ_N_TABLE, t);
        n->str = parse_name(p, what);
        return n->str ? n : NULL;
    }
    return fail_expected(p, what);
}

/* join_op -> 'join' params tabular_arg 'on' join_cond { ',' join_cond } */
static AiqNode *parse_join(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"kind", "withsource", NULL};
    AiqNode *n = op_node(p, AIQ_N_JOIN, t, input);
    NodeList params = {0};
    if (!parse_named_params(p, allowed, &params))
        return NULL;
    n->params = params.items;
    n->nparams = params.n;
    n->op = AIQ_JOIN_INNERUNIQUE;
    for (int i = 0; i < params.n; i++) {
        if (strcmp(params.items[i]->str, "kind") != 0)
            continue;
        const AiqNode *v = params.items[i]->lhs;
        int k = -1;
        for (int j = 0; v->kind == AIQ_N_NAME && j < AIQ_JOIN_KIND_COUNT; j++)
            if (strcmp(v->str, aiq_join_kind_names[j]) == 0)
                k = j;
        if (v->kind == AIQ_N_NAME && (strcmp(v->str, "anti") == 0 || strcmp(v->str, "leftantisemi") == 0))
            k = AIQ_JOIN_LEFTANTI;
        else if (v->kind == AIQ_N_NAME && strcmp(v->str, "rightantisemi") == 0)
            k = AIQ_JOIN_RIGHTANTI;
        if (k < 0) {
            const char *s = v->kind == AIQ_N_NAME
                                ? aiq_suggest(v->str, strlen(v->str), aiq_join_kind_names,
                                              AIQ_JOIN_KIND_COUNT)
                                : NULL;
            aiq_error_set(p->err, AIQ_ERR_SYNTAX, v->off, v->len, "unknown join kind%s%s%s",
                          s ? "; did you mean '" : " (expected inner, innerunique, leftouter, rightouter, fullouter, leftanti, rightanti, leftsemi or rightsemi)",
                          s ? s : "", s ? "'?" : "");
            return NULL;
        }
        n->op = k;
    }
    if (!(n->rhs = parse_tabular_arg(p, "the right side of the join: a table or '(' query ')'")))
        return NULL;
    if (!accept_word(p, "on"))
        return fail_expected(p, "'on' and the join keys");
    NodeList conds = {0};
    if (!parse_column_list(p, &conds, NULL, "a join key after 'on'"))
        return NULL;
    n->items = conds.items;
    n->nitems = conds.n;
    return finish(p, n);
}

/* union_op -> 'union' params tabular_arg { ',' tabular_arg } */
static AiqNode *parse_union(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"kind", "withsource", "with_source", "isfuzzy", "best_effort", NULL};
    AiqNode *n = op_node(p, AIQ_N_UNION, t, input);
    NodeList params = {0}, tables = {0};
    if (!parse_named_params(p, allowed, &params))
        return NULL;
    n->params = params.items;
    n->nparams = params.n;
    for (;;) {
        AiqNode *tab = parse_tabular_arg(p, "a table or '(' query ')' to union");
        if (!tab)
            return NULL;
        list_push(p, &tables, tab);
        if (!accept(p, AIQ_TK_COMMA))
            break;
    }
    n->items = tables.items;
    n->nitems = tables.n;
    return finish(p, n);
}

/* mv_expand_op -> 'mv-expand' params expand_item { ',' expand_item } [ 'limit' expr ]
   expand_item -> column_expr [ 'to' 'typeof' '(' type ')' ] */
static AiqNode *parse_mv_expand(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"bagexpansion", "with_itemindex", "kind", NULL};
    AiqNode *n = op_node(p, AIQ_N_MV_EXPAND, t, input);
    NodeList params = {0}, items = {0};
    if (!parse_named_params(p, allowed, &params))
        return NULL;
    n->params = params.items;
    n->nparams = params.n;
    for (;;) {
        AiqNode *e = parse_column_expr(p);
        if (!e)
            return NULL;
        if (accept_word(p, "to")) {
            if (!accept_word(p, "typeof"))
                return fail_expected(p, "'typeof' after 'to'");
            const AiqToken *open = peek(p);
            if (!expect(p, AIQ_TK_LPAREN, "after 'typeof'"))
                return NULL;
            const AiqToken *tt = peek(p);
            AiqType ty = tt->kind == AIQ_TK_IDENT ? aiq_type_from_name(p->text + tt->off, tt->len)
                                                  : AIQ_TYPE_UNKNOWN;
            if (ty == AIQ_TYPE_UNKNOWN)
                return fail_expected(p, "a type name");
            advance(p);
            if (!expect_close(p, AIQ_TK_RPAREN, open))
                return NULL;
            e->type = ty;
        }
        list_push(p, &items, e);
        if (!accept(p, AIQ_TK_COMMA))
            break;
    }
    n->items = items.items;
    n->nitems = items.n;
    if (accept_word(p, "limit") && !(n->rhs = parse_expr(p)))
        return NULL;
    return finish(p, n);
}

/* parse_op -> 'parse' params expr 'with' pattern_part { pattern_part }
   pattern_part -> string | '*' | name [ ':' type ] */
static AiqNode *parse_parse(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"kind", "flags", NULL};
    AiqNode *n = op_node(p, AIQ_N_PARSE, t, input);
    NodeList params = {0}, parts = {0};
    if (!parse_named_params(p, allowed, &params))
        return NULL;
    n->params = params.items;
    n->nparams = params.n;
    for (int i = 0; i < params.n; i++) {
        AiqNode *v = params.items[i]->lhs;
        if (strcmp(params.items[i]->str, "kind") != 0)
            continue;
        if (v->kind == AIQ_N_NAME && strcmp(v->str, "regex") == 0)
            n->op = AIQ_PARSE_REGEX;
        else if (v->kind == AIQ_N_NAME && strcmp(v->str, "relaxed") == 0)
            n->op = AIQ_PARSE_RELAXED;
        else if (!(v->kind == AIQ_N_NAME && strcmp(v->str, "simple") == 0))
            return fail_at(p, &(AiqToken){AIQ_TK_IDENT, v->off, v->len},
                           "unknown parse kind (expected simple, regex or relaxed)");
    }
    if (!(n->rhs = parse_expr(p)))
        return NULL;
    if (!accept_word(p, "with"))
        return fail_expected(p, "'with' and a pattern after the parsed expression");
    while (!at_list_end(p)) {
        const AiqToken *pt = peek(p);
        if (pt->kind == AIQ_TK_STRING) {
            AiqNode *s = parse_primary(p);
            if (!s)
                return NULL;
            list_push(p, &parts, s);
        } else if (pt->kind == AIQ_TK_STAR) {
            list_push(p, &parts, new_node(p, AIQ_N_STAR, advance(p)));
        } else if (is_name_token(pt)) {
            AiqNode *c = new_node(p, AIQ_N_COLDECL, pt);
            c->str = parse_name(p, "a column name");
            c->type = AIQ_TYPE_STRING;
            if (!c->str)
                return NULL;
            if (accept(p, AIQ_TK_COLON)) {
                const AiqToken *tt = peek(p);
                c->type = tt->kind == AIQ_TK_IDENT ? aiq_type_from_name(p->text + tt->off, tt->len)
                                                   : AIQ_TYPE_UNKNOWN;
                if (c->type == AIQ_TYPE_UNKNOWN)
                    return fail_expected(p, "a type name after ':'");
                advance(p);
            }
            list_push(p, &parts, finish(p, c));
        } else {
            return fail_expected(p, "a string, '*' or a column name in the parse pattern");
        }
    }
    if (parts.n == 0)
        return fail_expected(p, "a pattern after 'with'");
    n->items = parts.items;
    n->nitems = parts.n;
    return finish(p, n);
}

/* Reports an unknown operator name with a suggestion. */
static void *unknown_operator(Parser *p, const AiqToken *t)
{
    char *w = tok_text(p, t);
    for (int i = 0; unsupported_operators[i]; i++)
        if (strcmp(w, unsupported_operators[i]) == 0) {
            if (strcmp(w, "print") == 0 || strcmp(w, "datatable") == 0 || strcmp(w, "range") == 0)
                return fail_at(p, t, aiq_arena_printf(p->arena,
                    "'%s' starts a query; it cannot follow '|'", w));
            return fail_at(p, t, aiq_arena_printf(p->arena,
                "'%s' is valid KQL but not supported by aiq yet", w));
        }
    size_t nops = 0;
    while (aiq_parse_operator_names[nops])
        nops++;
    const char *s = aiq_suggest(w, strlen(w), aiq_parse_operator_names, nops);
    if (t->kind != AIQ_TK_IDENT)
        return fail_at(p, t, aiq_arena_printf(p->arena, "expected a query operator after '|', found %s", found(p)));
    if (s)
        return fail_at(p, t, aiq_arena_printf(p->arena, "unknown query operator '%s'; did you mean '%s'?", w, s));
    return fail_at(p, t, aiq_arena_printf(p->arena, "unknown query operator '%s'", w));
}

/* operator -> where_op | extend_op | ... (one per name in aiq_parse_operator_names) */
static AiqNode *parse_operator(Parser *p, AiqNode *input)
{
    const AiqToken *t = peek(p);
    if (t->kind != AIQ_TK_IDENT)
        return unknown_operator(p, t);
    NodeList items = {0}, by = {0};
    AiqNode *n = NULL;
    if (at_word(p, "where") || at_word(p, "filter")) {
        /* where_op -> 'where' expr */
        advance(p);
        n = op_node(p, AIQ_N_WHERE, t, input);
        if (at_list_end(p))
            return fail_expected(p, "a predicate after 'where'");
        if (!(n->rhs = parse_expr(p)))
            return NULL;
    } else if (at_word(p, "extend") || at_word(p, "project")) {
        /* extend_op -> 'extend' column_list ; project_op -> 'project' column_list */
        bool ext = at_word(p, "extend");
        advance(p);
        n = op_node(p, ext ? AIQ_N_EXTEND : AIQ_N_PROJECT, t, input);
        if (!parse_column_list(p, &items, NULL, ext ? "a column after 'extend'" : "a column after 'project'"))
            return NULL;
    } else if (at_word(p, "project-away") || at_word(p, "project-keep") ||
               at_word(p, "project-reorder")) {
        /* project_away_op -> 'project-away' name_patterns (likewise keep, reorder) */
        AiqNodeKind k = at_word(p, "project-away")   ? AIQ_N_PROJECT_AWAY
                        : at_word(p, "project-keep") ? AIQ_N_PROJECT_KEEP
                                                     : AIQ_N_PROJECT_REORDER;
        advance(p);
        n = op_node(p, k, t, input);
        if (!parse_name_patterns(p, &items, "a column name", k == AIQ_N_PROJECT_REORDER))
            return NULL;
    } else if (at_word(p, "project-rename")) {
        /* project_rename_op -> 'project-rename' name '=' name { ',' name '=' name } */
        advance(p);
        n = op_node(p, AIQ_N_PROJECT_RENAME, t, input);
        for (;;) {
            AiqNode *a = new_node(p, AIQ_N_ASSIGN, peek(p));
            if (!(a->str = parse_name(p, "a new column name")))
                return NULL;
            if (!expect(p, AIQ_TK_ASSIGN, "in 'NewName = OldName'"))
                return NULL;
            a->lhs = new_node(p, AIQ_N_NAME, peek(p));
            if (!(a->lhs->str = parse_name(p, "the column to rename")))
                return NULL;
            list_push(p, &items, finish(p, a));
            if (!accept(p, AIQ_TK_COMMA))
                break;
        }
    } else if (at_word(p, "summarize")) {
        /* summarize_op -> 'summarize' [ column_list ] [ 'by' column_list ] */
        advance(p);
        n = op_node(p, AIQ_N_SUMMARIZE, t, input);
        NodeList params = {0};
        static const char *const allowed[] = {NULL};
        if (!parse_named_params(p, allowed, &params))
            return NULL;
        n->params = params.items;
        n->nparams = params.n;
        if (!at_word(p, "by") || peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
            if (!parse_column_list(p, &items, "by", "an aggregation such as count() after 'summarize'"))
                return NULL;
        }
        if (accept_word(p, "by")) {
            if (!parse_column_list(p, &by, NULL, "a grouping column after 'by'"))
                return NULL;
        } else if (!at_list_end(p)) {
            return fail_expected(p, "',', 'by' or '|'");
        }
        n->items2 = by.items;
        n->nitems2 = by.n;
    } else if (at_word(p, "sort") || at_word(p, "order")) {
        /* sort_op -> ('sort' | 'order') { hint } 'by' sort_key { ',' sort_key } */
        advance(p);
        n = op_node(p, AIQ_N_SORT, t, input);
        if (!parse_hints(p, n))
            return NULL;
        if (!accept_word(p, "by"))
            return fail_expected(p, aiq_arena_printf(p->arena, "'by' after '%.*s'", t->len, p->text + t->off));
        if (!parse_comma_list(p, &items, parse_sort_key))
            return NULL;
    } else if (at_word(p, "top")) {
        /* top_op -> 'top' { hint } expr 'by' sort_key */
        advance(p);
        n = op_node(p, AIQ_N_TOP, t, input);
        if (!parse_hints(p, n))
            return NULL;
        if (at_word(p, "by"))
            return fail_expected(p, "the number of rows after 'top'");
        if (!(n->rhs = parse_add(p)))
            return NULL;
        if (!accept_word(p, "by"))
            return fail_expected(p, "'by' after the number of rows of 'top'");
        AiqNode *k = parse_sort_key(p);
        if (!k)
            return NULL;
        list_push(p, &items, k);
    } else if (at_word(p, "take") || at_word(p, "limit")) {
        /* take_op -> ('take' | 'limit') expr */
        advance(p);
        n = op_node(p, AIQ_N_TAKE, t, input);
        if (at_list_end(p))
            return fail_expected(p, "a row count");
        if (!(n->rhs = parse_expr(p)))
            return NULL;
    } else if (at_word(p, "count")) {
        /* count_op -> 'count' */
        advance(p);
        n = op_node(p, AIQ_N_COUNT, t, input);
    } else if (at_word(p, "distinct")) {
        /* distinct_op -> 'distinct' { hint } ( '*' | column_list ) */
        advance(p);
        n = op_node(p, AIQ_N_DISTINCT, t, input);
        if (!parse_hints(p, n))
            return NULL;
        if (at(p, AIQ_TK_STAR)) {
            list_push(p, &items, new_node(p, AIQ_N_STAR, advance(p)));
        } else if (!parse_column_list(p, &items, NULL, "a column or '*' after 'distinct'")) {
            return NULL;
        }
    } else if (at_word(p, "join")) {
        advance(p);
        return parse_join(p, t, input);
    } else if (at_word(p, "union")) {
        advance(p);
        return parse_union(p, t, input);
    } else if (at_word(p, "mv-expand")) {
        advance(p);
        return parse_mv_expand(p, t, input);
    } else if (at_word(p, "parse")) {
        advance(p);
        return parse_parse(p, t, input);
    } else if (at_word(p, "as")) {
        /* as_op -> 'as' params name */
        advance(p);
        n = op_node(p, AIQ_N_AS, t, input);
        if (!parse_hints(p, n))
            return NULL;
        if (!(n->str = parse_name(p, "a name after 'as'")))
            return NULL;
    } else if (at_word(p, "render")) {
        /* render_op -> 'render' name [ 'with' '(' ... ')' ] */
        advance(p);
        n = op_node(p, AIQ_N_RENDER, t, input);
        if (!(n->str = parse_name(p, "a chart kind such as timechart after 'render'")))
            return NULL;
        if (accept_word(p, "with")) {
            const AiqToken *open = peek(p);
            if (!expect(p, AIQ_TK_LPAREN, "after 'with'"))
                return NULL;
            NodeList props = {0};
            if (!parse_comma_list(p, &props, parse_column_expr))
                return NULL;
            if (!expect_close(p, AIQ_TK_RPAREN, open))
                return NULL;
            n->params = props.items;
            n->nparams = props.n;
        }
    } else if (at_word(p, "getschema")) {
        advance(p);
        n = op_node(p, AIQ_N_GETSCHEMA, t, input);
    } else if (at_word(p, "serialize")) {
        advance(p);
        n = op_node(p, AIQ_N_SERIALIZE, t, input);
        if (!at_list_end(p) && !parse_column_list(p, &items, NULL, "a column"))
            return NULL;
    } else {
        return unknown_operator(p, t);
    }
    n->items = items.items;
    n->nitems = items.n;
    return finish(p, n);
}

/* print_src -> 'print' column_expr { ',' column_expr } */
static AiqNode *parse_print(Parser *p)
{
    AiqNode *n = new_node(p, AIQ_N_PRINT, advance(p));
    NodeList items = {0};
    if (!parse_column_list(p, &items, NULL, "an expression after 'print'"))
        return NULL;
    n->items = items.items;
    n->nitems = items.n;
    return finish(p, n);
}

/* coldecl -> name ':' type */
static AiqNode *parse_coldecl(Parser *p)
{
    AiqNode *c = new_node(p, AIQ_N_COLDECL, peek(p));
    if (!(c->str = parse_name(p, "a column name")))
        return NULL;
    if (!expect(p, AIQ_TK_COLON, "and a type after the column name"))
        return NULL;
    const AiqToken *tt = peek(p);
    c->type = tt->kind == AIQ_TK_IDENT ? aiq_type_from_name(p->text + tt->off, tt->len)
                                       : AIQ_TYPE_UNKNOWN;
    if (c->type == AIQ_TYPE_UNKNOWN)
        return fail_expected(p, "a type name (bool, int, long, real, string, datetime, timespan, dynamic)");
    advance(p);
    return finish(p, c);
}

/* datatable_src -> 'datatable' '(' coldecl { ',' coldecl } ')' '[' [ expr { ',' expr } ] ']' */
static AiqNode *parse_datatable(Parser *p)
{
    AiqNode *n = new_node(p, AIQ_N_DATATABLE, advance(p));
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "after 'datatable'"))
        return NULL;
    NodeList cols = {0}, vals = {0};
    if (!parse_comma_list(p, &cols, parse_coldecl))
        return NULL;
    if (!expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    const AiqToken *lb = peek(p);
    if (at(p, AIQ_TK_BRACKET_ID)) {
        /* ["x"] lexes as a bracketed name: here it is one string value. */
        const AiqToken *t = advance(p);
        AiqToken inner = {AIQ_TK_STRING, t->off + 1, t->len - 2};
        while (inner.len > 0 && p->text[inner.off + inner.len - 1] != p->text[inner.off])
            inner.len--;
        AiqNode *v = new_node(p, AIQ_N_LITERAL, &inner);
        v->type = AIQ_TYPE_STRING;
        if (!decode_string(p, &inner, v))
            return NULL;
        list_push(p, &vals, v);
    } else if (!expect(p, AIQ_TK_LBRACKET, "with the rows of the datatable")) {
        return NULL;
    } else if (!at(p, AIQ_TK_RBRACKET)) {
        for (;;) {
            AiqNode *v = parse_expr(p);
            if (!v)
                return NULL;
            list_push(p, &vals, v);
            if (!accept(p, AIQ_TK_COMMA) || at(p, AIQ_TK_RBRACKET))
                break;
        }
    }
    if (lb->kind == AIQ_TK_LBRACKET && !expect_close(p, AIQ_TK_RBRACKET, lb))
        return NULL;
    if (vals.n % cols.n != 0)
        return fail_at(p, lb, aiq_arena_printf(p->arena,
            "datatable has %d columns but %d values, not a whole number of rows", cols.n, vals.n));
    n->params = cols.items;
    n->nparams = cols.n;
    n->items = vals.items;
    n->nitems = vals.n;
    return finish(p, n);
}

/* range_src -> 'range' name 'from' expr 'to' expr 'step' expr */
static AiqNode *parse_range(Parser *p)
{
    AiqNode *n = new_node(p, AIQ_N_RANGE, advance(p));
    if (!(n->str = parse_name(p, "a column name after 'range'")))
        return NULL;
    if (!accept_word(p, "from"))
        return fail_expected(p, "'from'");
    if (!(n->lhs = parse_add(p)))
        return NULL;
    if (!accept_word(p, "to"))
        return fail_expected(p, "'to'");
    if (!(n->rhs = parse_add(p)))
        return NULL;
    if (!accept_word(p, "step"))
        return fail_expected(p, "'step'");
    if (!(n->extra = parse_add(p)))
        return NULL;
    return finish(p, n);
}

/* Statements and query sources of Kusto that aiq does not run yet; each is
 * taken for one only when a word that cannot end a table name follows, so
 * a table called search still reads as a table. */
static const char *const unsupported_starts[] = {
    "set", "pattern", "alias", "restrict", "search", "find", "evaluate", "externaldata", NULL,
};

static AiqNode *unsupported_start(Parser *p)
{
    const AiqToken *next = peek_at(p, 1);
    if (next->kind == AIQ_TK_PIPE || next->kind == AIQ_TK_EOF || next->kind == AIQ_TK_SEMI ||
        next->kind == AIQ_TK_RPAREN || next->kind == AIQ_TK_COMMA || next->kind == AIQ_TK_DOT)
        return NULL;
    for (int i = 0; unsupported_starts[i]; i++)
        if (at_word(p, unsupported_starts[i]))
            return fail_at(p, peek(p), aiq_arena_printf(p->arena, "'%s' is valid KQL but not supported by aiq yet",
                                                        unsupported_starts[i]));
    return NULL;
}

/* source -> print_src | datatable_src | range_src | 'union' ... | expr */
static AiqNode *parse_source(Parser *p)
{
    const AiqToken *t = peek(p);
    const AiqToken *t1 = peek_at(p, 1);
    if (unsupported_start(p) || p->err->code != AIQ_OK)
        return NULL;
    if (at_word(p, "print") && t1->kind != AIQ_TK_PIPE)
        return parse_print(p);
    if (at_word(p, "datatable") && t1->kind == AIQ_TK_LPAREN)
        return parse_datatable(p);
    if (at_word(p, "range") && is_name_token(t1))
        return parse_range(p);
    if (at_word(p, "union") && t1->kind != AIQ_TK_PIPE && t1->kind != AIQ_TK_EOF) {
        advance(p);
        return parse_union(p, t, NULL);
    }
    if (t->kind == AIQ_TK_PIPE)
        return fail_at(p, t, "expected a table name before '|'");
    AiqNode *e = parse_expr(p);
    if (e && e->kind == AIQ_N_NAME) {
        /* A bare name at the start of a pipeline names a table (or a tabular let). */
        e->kind = AIQ_N_TABLE;
    }
    return e;
}

/* pipe_expr -> source { '|' operator } */
static AiqNode *parse_pipe_expr(Parser *p)
{
    if (!enter(p))
        return NULL;
    AiqNode *cur = parse_source(p);
    while (cur && at(p, AIQ_TK_PIPE)) {
        advance(p);
        cur = parse_operator(p, cur);
    }
    leave(p);
    return cur;
}

/* param -> name ':' ( type | '(' '*' ')' | '(' coldecl {',' coldecl} ')' ) [ '=' expr ] */
static AiqNode *parse_param(Parser *p)
{
    AiqNode *prm = new_node(p, AIQ_N_PARAM, peek(p));
    if (!(prm->str = parse_name(p, "a parameter name")))
        return NULL;
    if (!expect(p, AIQ_TK_COLON, "and a type after the parameter name"))
        return NULL;
    if (at(p, AIQ_TK_LPAREN)) {
        /* tabular parameter: T:(*) or T:(Col:type, ...) */
        const AiqToken *open = advance(p);
        prm->op = 1;
        if (accept(p, AIQ_TK_STAR)) {
        } else {
            NodeList cols = {0};
            if (!parse_comma_list(p, &cols, parse_coldecl))
                return NULL;
            prm->items = cols.items;
            prm->nitems = cols.n;
        }
        if (!expect_close(p, AIQ_TK_RPAREN, open))
            return NULL;
    } else {
        const AiqToken *tt = peek(p);
        prm->type = tt->kind == AIQ_TK_IDENT ? aiq_type_from_name(p->text + tt->off, tt->len)
                                             : AIQ_TYPE_UNKNOWN;
        if (prm->type == AIQ_TYPE_UNKNOWN)
            return fail_expected(p, "a type name (bool, int, long, real, string, datetime, timespan, dynamic)");
        advance(p);
    }
    if (accept(p, AIQ_TK_ASSIGN) && !(prm->rhs = parse_expr(p)))
        return NULL;
    return finish(p, prm);
}

static AiqNode *parse_statement(Parser *p);

/* let_stmt -> 'let' name '=' ( func_def | pipe_expr )
   func_def -> [ 'view' ] '(' [ param { ',' param } ] ')' '{' { statement ';' } pipe_expr [';'] '}' */
static AiqNode *parse_let(Parser *p)
{
    AiqNode *n = new_node(p, AIQ_N_LET, advance(p));
    if (!(n->str = parse_name(p, "a name after 'let'")))
        return NULL;
    if (!expect(p, AIQ_TK_ASSIGN, "after the name in 'let'"))
        return NULL;
    /* a view is a function of no arguments that its name alone calls */
    bool view = at_word(p, "view") && peek_at(p, 1)->kind == AIQ_TK_LPAREN;
    if (view)
        advance(p);
    bool is_func = view || (at(p, AIQ_TK_LPAREN) &&
                            (peek_at(p, 1)->kind == AIQ_TK_RPAREN ||
                             (is_name_token(peek_at(p, 1)) && peek_at(p, 2)->kind == AIQ_TK_COLON)));
    if (!is_func) {
        if (!(n->rhs = parse_pipe_expr(p)))
            return NULL;
        return finish(p, n);
    }
    AiqNode *f = new_node(p, AIQ_N_FUNC_DEF, peek(p));
    f->op = view;
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "after 'view'"))
        return NULL;
    NodeList params = {0}, body = {0};
    if (!at(p, AIQ_TK_RPAREN)) {
        if (!parse_comma_list(p, &params, parse_param))
            return NULL;
    }
    if (!expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    const AiqToken *lb = peek(p);
    if (!expect(p, AIQ_TK_LBRACE, "to start the function body"))
        return NULL;
    for (;;) {
        if (at(p, AIQ_TK_RBRACE))
            break;
        AiqNode *s = parse_statement(p);
        if (!s)
            return NULL;
        list_push(p, &body, s);
        if (!accept(p, AIQ_TK_SEMI))
            break;
    }
    if (!expect_close(p, AIQ_TK_RBRACE, lb))
        return NULL;
    if (body.n == 0 || body.items[body.n - 1]->kind == AIQ_N_LET)
        return fail_at(p, lb, "a function body must end with an expression");
    f->params = params.items;
    f->nparams = params.n;
    f->items = body.items;
    f->nitems = body.n;
    n->rhs = finish(p, f);
    return finish(p, n);
}

/* declare_stmt -> 'declare' 'query_parameters' '(' param { ',' param } ')' */
static AiqNode *parse_declare(Parser *p)
{
    AiqNode *n = new_node(p, AIQ_N_DECLARE, advance(p));
    if (!accept_word(p, "query_parameters"))
        return fail_expected(p, "'query_parameters' after 'declare'");
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "after 'query_parameters'"))
        return NULL;
    NodeList params = {0};
    if (!parse_comma_list(p, &params, parse_param))
        return NULL;
    if (!expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    n->items = params.items;
    n->nitems = params.n;
    return finish(p, n);
}

/* statement -> let_stmt | declare_stmt | pipe_expr */
static AiqNode *parse_statement(Parser *p)
{
    if (at_word(p, "let") && is_name_token(peek_at(p, 1)))
        return parse_let(p);
    if (unsupported_start(p) || p->err->code != AIQ_OK)
        return NULL;
    if (at_word(p, "declare") && tok_is_word(p, peek_at(p, 1), "query_parameters"))
        return parse_declare(p);
    if (at_word(p, "declare") && tok_is_word(p, peek_at(p, 1), "pattern"))
        return fail_at(p, peek(p), "'declare pattern' is valid KQL but not supported by aiq yet");
    return parse_pipe_expr(p);
}

static bool tokenize(Parser *p)
{
    AiqLexer lx;
    aiq_lex_init(&lx, p->text, p->len);
    int cap = 64;
    p->toks = aiq_arena_alloc(p->arena, sizeof *p->toks * (size_t)cap);
    p->ntoks = 0;
    for (;;) {
        if (p->ntoks == cap) {
            AiqToken *t = aiq_arena_alloc(p->arena, sizeof *t * (size_t)cap * 2);
            memcpy(t, p->toks, sizeof *t * (size_t)cap);
            p->toks = t;
            cap *= 2;
        }
        AiqToken *t = &p->toks[p->ntoks++];
        if (!aiq_lex_next(&lx, t, p->err))
            return false;
        if (t->kind == AIQ_TK_EOF) {
            /* Point "found end of query" just past the last token, not at a
             * blank line after it. */
            t->off = p->ntoks > 1 ? t[-1].off + t[-1].len : 0;
            return true;
        }
    }
}

/* query -> statement { ';' statement } [ ';' ] */
AiqNode *aiq_parse_query(const char *text, size_t len, AiqArena *arena, AiqError *err)
{
    Parser p = {.text = text, .len = len, .arena = arena, .err = err};
    if (!tokenize(&p))
        return NULL;
    AiqNode *q = new_node(&p, AIQ_N_QUERY, peek(&p));
    NodeList stmts = {0};
    while (!at(&p, AIQ_TK_EOF)) {
        if (accept(&p, AIQ_TK_SEMI))
            continue;
        AiqNode *s = parse_statement(&p);
        if (!s)
            return NULL;
        list_push(&p, &stmts, s);
        if (at(&p, AIQ_TK_EOF))
            break;
        if (!at(&p, AIQ_TK_SEMI)) {
            /* An identifier right after a complete expression is usually a
             * missing '|' or a misspelt keyword. */
            const AiqToken *t = peek(&p);
            if (t->kind == AIQ_TK_IDENT) {
                char *w = tok_text(&p, t);
                size_t nops = 0;
                while (aiq_parse_operator_names[nops])
                    nops++;
                bool is_op = false;
                for (size_t i = 0; i < nops; i++)
                    is_op |= strcmp(w, aiq_parse_operator_names[i]) == 0;
                if (is_op)
                    return fail_at(&p, t, aiq_arena_printf(p.arena, "unexpected '%s'; missing '|' before it?", w));
                static const char *const kw[] = {"and", "or", "by", "on", "with", "asc", "desc", "between", "in", "has", "contains", "startswith", "endswith", "matches"};
                const char *s2 = strlen(w) >= 3 ? aiq_suggest(w, strlen(w), kw, sizeof kw / sizeof kw[0]) : NULL;
                if (s2)
                    return fail_at(&p, t, aiq_arena_printf(p.arena, "unexpected '%s'; did you mean '%s'?", w, s2));
            }
            return fail_expected(&p, stmts.items[stmts.n - 1]->kind == AIQ_N_LET ||
                                         stmts.items[stmts.n - 1]->kind == AIQ_N_DECLARE
                                     ? "';' after the statement"
                                     : "'|' or end of query");
        }
    }
    if (stmts.n == 0)
        return fail_at(&p, peek(&p), "empty query: expected a table name or a statement");
    if (stmts.items[stmts.n - 1]->kind == AIQ_N_LET || stmts.items[stmts.n - 1]->kind == AIQ_N_DECLARE)
        return fail_at(&p, peek(&p), "the query has only 'let' statements; it needs a final query expression such as a table name");
    q->items = stmts.items;
    q->nitems = stmts.n;
    return q;
}
