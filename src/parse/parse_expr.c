/*
 * parse_expr.c -- the expression grammar: literals (strings with their
 * escapes, numbers, timespans, typed literals), names, calls, postfix
 * access, and the operators by precedence (unary, * / %, + -, comparisons
 * with in/between/has..., and, or); then the lists operators take: columns,
 * name patterns, named parameters, sort keys.
 */
#include "parse/parse_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "func/registry.h"
#include "util/timefmt.h"

/* ---- literals --------------------------------------------------------- */

/* Decodes a string token (quotes, escapes, @verbatim, h-obfuscated) into
 * n->str / n->slen. */
bool parse_decode_string(Parser *p, const AiqToken *t, AiqNode *n)
{
    const char *s = p->text + t->off;
    int32_t i = 0;
    bool verbatim = false;
    if (t->len >= 6 && strncmp(s, "```", 3) == 0) {
        /* a multi-line string: its text as it is, no escapes */
        n->str = aiq_arena_strndup(p->arena, s + 3, (size_t)t->len - 6);
        n->slen = (uint32_t)t->len - 6;
        return true;
    }
    if (s[i] == 'h' || s[i] == 'H')
        i++;
    if (s[i] == '@') {
        verbatim = true;
        i++;
    }
    char q = s[i++];
    char *out = aiq_arena_alloc(p->arena, (size_t)t->len + 1);
    int32_t bad, o = aiq_lex_unescape(s + i, t->len - 1 - i, q, verbatim, true, out, &bad);
    if (o < 0) {
        char c = s[i + bad + 1];
        if (c == 'u')
            aiq_error_set(p->err, AIQ_ERR_SYNTAX, t->off + i + bad, 2, "invalid \\u escape: expected 4 hex digits");
        else
            aiq_error_set(p->err, AIQ_ERR_SYNTAX, t->off + i + bad, 2, "unknown escape sequence '\\%c'", c);
        return false;
    }
    out[o] = '\0';
    n->str = out;
    n->slen = (uint32_t)o;
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
        /* datetime(1990) and datetime(1990-02): the first day of that year or month */
        char whole[16];
        if ((n_in == 4 || (n_in == 7 && in[4] == '-')) && isdigit((unsigned char)in[0])) {
            snprintf(whole, sizeof whole, "%.*s%s", (int)n_in, in, n_in == 4 ? "-01-01" : "-01");
            in = whole;
            n_in = strlen(whole);
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


/* arg_value -> expr { '|' operator }: an argument may be a tabular
 * expression, as toscalar(T | count), materialize(T | where ...) and the
 * right side of in (x in (T | project y)) take; a name before the first
 * '|' names a table then. */
static AiqNode *parse_arg_value(Parser *p)
{
    AiqNode *e = parse_expr(p);
    if (!e || !at(p, AIQ_TK_PIPE))
        return e;
    if (!enter(p))
        return NULL;
    if (e->kind == AIQ_N_NAME)
        e->kind = AIQ_N_TABLE;
    while (e && accept(p, AIQ_TK_PIPE))
        e = parse_operator(p, e);
    leave(p);
    return e;
}

/* args -> [ arg { ',' arg } ]   (inside parentheses already opened)
   arg -> '*' | identifier '=' arg_value | arg_value    (name = value: a user function's parameter) */
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
            if (!(a->lhs = parse_arg_value(p)))
                return false;
            finish(p, a);
        } else {
            a = parse_arg_value(p);
        }
        if (!a)
            return false;
        list_push(p, args, a);
        if (accept(p, AIQ_TK_COMMA))
            continue;
        return expect_close(p, AIQ_TK_RPAREN, open);
    }
}


/* name -> identifier | '[' string ']' ; returns the arena copy of the name */
char *parse_name(Parser *p, const char *what)
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
        if (!parse_decode_string(p, &inner, &tmp))
            return NULL;
        return (char *)tmp.str;
    }
    fail_expected(p, what);
    return NULL;
}

/* primary -> literal | typed_literal | name [ '(' args ')' ] | '(' pipe_expr ')' */
AiqNode *parse_primary(Parser *p)
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
        if (!parse_decode_string(p, t, n))
            return NULL;
        /* Adjacent string literals concatenate, as in Kusto. */
        while (at(p, AIQ_TK_STRING)) {
            AiqNode more = {0};
            const AiqToken *t2 = advance(p);
            if (!parse_decode_string(p, t2, &more))
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
    case AIQ_TK_STAR: {
        /* `* has "x"`: a string operator over every column (where-operator.md) */
        const AiqToken *op = peek_at(p, 1);
        const AiqFuncDef *f = op->kind == AIQ_TK_IDENT || op->kind == AIQ_TK_BANG_WORD
                                  ? aiq_func_operator(p->text + op->off, (size_t)op->len)
                                  : NULL;
        if (f && (f->flags & AIQ_FN_STRING_OP) && (f->flags & AIQ_FN_WORD))
            return new_node(p, AIQ_N_STAR, advance(p));
        return fail_expected(p, "an expression");
    }
    default:
        return fail_expected(p, "an expression");
    }
}

/* postfix -> primary { '.' name | [ '.' ] '[' expr ']' } */
AiqNode *parse_postfix(Parser *p)
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
            if (at(p, AIQ_TK_LPAREN)) {
                /* cluster("c").database("d"): a call on what is before the '.' */
                m->kind = AIQ_N_CALL;
                const AiqToken *open = advance(p);
                NodeList args = {0};
                if (!parse_args(p, open, &args))
                    return NULL;
                m->items = args.items;
                m->nitems = args.n;
            }
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
            if (!parse_decode_string(p, &inner, ix->rhs))
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
AiqNode *parse_add(Parser *p)
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
AiqNode *parse_cmp(Parser *p)
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
AiqNode *parse_expr(Parser *p)
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
bool parse_comma_list(Parser *p, NodeList *out, AiqNode *(*item)(Parser *))
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

/* Whether the tokens ahead are '(' name { ',' name } ')' '=': the names
 * of the columns of a function that gives several (series_fit_line). */
static bool at_tuple_names(const Parser *p)
{
    if (!at(p, AIQ_TK_LPAREN))
        return false;
    for (int k = 1;; k += 2) {
        if (!is_name_token(peek_at(p, k)))
            return false;
        AiqTokKind next = peek_at(p, k + 1)->kind;
        if (next == AIQ_TK_RPAREN)
            return peek_at(p, k + 2)->kind == AIQ_TK_ASSIGN;
        if (next != AIQ_TK_COMMA)
            return false;
    }
}

/* column_expr -> [ name '=' | '(' name { ',' name } ')' '=' ] expr
 * The names in parentheses go to the ASSIGN's items (str: the first). */
AiqNode *parse_column_expr(Parser *p)
{
    if (at_tuple_names(p)) {
        AiqNode *a = new_node(p, AIQ_N_ASSIGN, advance(p));
        NodeList names = {0};
        do {
            AiqNode *nm = new_node(p, AIQ_N_NAME, peek(p));
            if (!(nm->str = parse_name(p, "a column name")))
                return NULL;
            list_push(p, &names, nm);
        } while (accept(p, AIQ_TK_COMMA));
        advance(p); /* ')' */
        advance(p); /* '=' */
        a->items = names.items;
        a->nitems = names.n;
        a->str = names.items[0]->str;
        if (!(a->lhs = parse_expr(p)))
            return NULL;
        return finish(p, a);
    }
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
    return parse_expr(p);
}


/* column_list -> column_expr { ',' column_expr }, stopping before `stop` */
bool parse_column_list(Parser *p, NodeList *out, const char *stop, const char *what)
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
bool parse_name_patterns(Parser *p, NodeList *out, const char *what, bool orders)
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
bool parse_named_params(Parser *p, const char *const *allowed, NodeList *out)
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
bool parse_hints(Parser *p, AiqNode *n)
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
AiqNode *parse_sort_key(Parser *p)
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
