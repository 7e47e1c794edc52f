/*
 * parser.c -- recursive-descent parser for aiq's KQL subset (see parser.h and
 * grammar/kql.ebnf): statements (let, declare query_parameters, the query)
 * and the entry point. The whole text is tokenized first into the arena,
 * so the parser can look ahead freely (needed to tell `let f = (x:long)
 * {...}` from `let x = (1 + 2)`). Keywords are soft: the parser decides
 * from context whether an identifier such as `where` or `by` is a keyword.
 * Expressions are in parse_expr.c, operators and sources in parse_ops.c.
 */
#include "parse/parse_internal.h"

#include <string.h>

#include "util/suggest.h"

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
    "serialize", "make-series", NULL,
};

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
    if (at_word(p, "declare") && tok_is_word(p, peek_at(p, 1), "query_parameters"))
        return parse_declare(p);
    AiqNode *skipped = parse_skipped_statement(p);
    return skipped ? skipped : parse_pipe_expr(p);
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
    /* only lets: a library of functions, valid KQL (the binder says so
     * when one is run) */
    q->items = stmts.items;
    q->nitems = stmts.n;
    return q;
}
