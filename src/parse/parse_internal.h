/*
 * parse_internal.h -- what the parser's files share (not an interface:
 * parser.h is): the parser's state over the token array, the token
 * helpers, error reporting in Lua's check_match style, and the parse
 * functions one file calls in another (expressions, operators, sources).
 */
#ifndef AIQ_PARSE_PARSE_INTERNAL_H
#define AIQ_PARSE_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aiq/aiq.h"
#include "lex/lexer.h"
#include "parse/ast.h"
#include "parse/parser.h"
#include "util/arena.h"

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

static inline const AiqToken *peek(const Parser *p) { return &p->toks[p->pos]; }
static inline const AiqToken *peek_at(const Parser *p, int k)
{
    int i = p->pos + k;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}
static inline const AiqToken *advance(Parser *p)
{
    const AiqToken *t = &p->toks[p->pos];
    if (p->pos < p->ntoks - 1)
        p->pos++;
    return t;
}
static inline bool at(const Parser *p, AiqTokKind k) { return peek(p)->kind == k; }
static inline bool tok_is_word(const Parser *p, const AiqToken *t, const char *w)
{
    return t->kind == AIQ_TK_IDENT && (size_t)t->len == strlen(w) &&
           strncmp(p->text + t->off, w, (size_t)t->len) == 0;
}
static inline bool at_word(const Parser *p, const char *w) { return tok_is_word(p, peek(p), w); }
static inline bool accept(Parser *p, AiqTokKind k)
{
    if (!at(p, k))
        return false;
    advance(p);
    return true;
}
static inline bool accept_word(Parser *p, const char *w)
{
    if (!at_word(p, w))
        return false;
    advance(p);
    return true;
}

/* Describes the current token for messages: "'where'", "end of query". */
static inline const char *found(Parser *p)
{
    const AiqToken *t = peek(p);
    if (t->kind == AIQ_TK_EOF)
        return "end of query";
    int n = t->len > 40 ? 40 : t->len;
    return aiq_arena_printf(p->arena, "'%.*s'", n, p->text + t->off);
}

static inline void line_col(const Parser *p, int32_t off, int *line, int *col)
{
    AiqError e = {.code = AIQ_ERR_SYNTAX, .offset = off, .length = 1};
    aiq_error_locate(&e, p->text, p->len);
    *line = e.line;
    *col = e.col;
}

static inline void *fail_at(Parser *p, const AiqToken *t, const char *msg)
{
    aiq_error_set(p->err, AIQ_ERR_SYNTAX, t->off, t->len ? t->len : 1, "%s", msg);
    return NULL;
}

static inline void *fail_expected(Parser *p, const char *what)
{
    return fail_at(p, peek(p), aiq_arena_printf(p->arena, "expected %s, found %s", what, found(p)));
}

static inline bool expect(Parser *p, AiqTokKind k, const char *context)
{
    if (accept(p, k))
        return true;
    fail_expected(p, context ? aiq_arena_printf(p->arena, "%s %s", aiq_lex_token_name(k), context)
                             : aiq_lex_token_name(k));
    return false;
}

/* Expects the closing bracket of one opened at `open`, Lua's check_match. */
static inline bool expect_close(Parser *p, AiqTokKind k, const AiqToken *open)
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

static inline AiqNode *new_node(Parser *p, AiqNodeKind kind, const AiqToken *t)
{
    AiqNode *n = aiq_arena_calloc(p->arena, sizeof *n);
    n->kind = kind;
    n->off = t->off;
    n->len = t->len;
    return n;
}

/* A tabular operator's node, reading input. */
static inline AiqNode *op_node(Parser *p, AiqNodeKind kind, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = new_node(p, kind, t);
    n->lhs = input;
    return n;
}

/* Extends a node's span to the end of the previous token. */
static inline AiqNode *finish(Parser *p, AiqNode *n)
{
    const AiqToken *last = &p->toks[p->pos > 0 ? p->pos - 1 : 0];
    if (last->off + last->len > n->off)
        n->len = last->off + last->len - n->off;
    return n;
}

static inline char *tok_text(Parser *p, const AiqToken *t)
{
    return aiq_arena_strndup(p->arena, p->text + t->off, (size_t)t->len);
}

/* A growable list of nodes built in the arena. */
typedef struct NodeList {
    AiqNode **items;
    int n, cap;
} NodeList;

static inline void list_push(Parser *p, NodeList *l, AiqNode *n)
{
    l->items = aiq_arena_grow(p->arena, l->items, l->n, &l->cap, sizeof *l->items, 4);
    l->items[l->n++] = n;
}

static inline bool enter(Parser *p)
{
    if (++p->depth > AIQ_PARSE_MAX_DEPTH) {
        aiq_error_set(p->err, AIQ_ERR_SYNTAX, peek(p)->off, peek(p)->len,
                      "query too deep (limit %d): nested more than %d levels", AIQ_PARSE_MAX_DEPTH, AIQ_PARSE_MAX_DEPTH);
        return false;
    }
    return true;
}
static inline void leave(Parser *p) { p->depth--; }

static inline bool is_name_token(const AiqToken *t)
{
    return t->kind == AIQ_TK_IDENT || t->kind == AIQ_TK_BRACKET_ID;
}

static inline bool at_list_end(Parser *p)
{
    AiqTokKind k = peek(p)->kind;
    return k == AIQ_TK_EOF || k == AIQ_TK_PIPE || k == AIQ_TK_SEMI || k == AIQ_TK_RPAREN ||
           k == AIQ_TK_RBRACE;
}

/* parse_expr.c: literals, expressions, column lists */
bool parse_decode_string(Parser *p, const AiqToken *t, AiqNode *n);
char *parse_name(Parser *p, const char *what);
AiqNode *parse_primary(Parser *p);
AiqNode *parse_postfix(Parser *p);
AiqNode *parse_add(Parser *p);
AiqNode *parse_cmp(Parser *p);
AiqNode *parse_expr(Parser *p);
bool parse_comma_list(Parser *p, NodeList *out, AiqNode *(*item)(Parser *));
AiqNode *parse_column_expr(Parser *p);
bool parse_column_list(Parser *p, NodeList *out, const char *stop, const char *what);
bool parse_name_patterns(Parser *p, NodeList *out, const char *what, bool orders);
bool parse_named_params(Parser *p, const char *const *allowed, NodeList *out);
bool parse_hints(Parser *p, AiqNode *n);
AiqNode *parse_sort_key(Parser *p);

/* parse_ops.c: tabular operators and sources */
AiqNode *parse_operator(Parser *p, AiqNode *input);
AiqNode *parse_coldecl(Parser *p);
AiqNode *parse_source(Parser *p);
AiqNode *parse_pipe_expr(Parser *p);
AiqNode *parse_parse_op(Parser *p, const AiqToken *t, AiqNode *input);
/* A tabular argument (join's, lookup's right side): '(' query ')', a source, or a table or tabular function. */
AiqNode *parse_tabular_arg(Parser *p, const char *what);

/* parse_ops_more.c: issue 14's operators. Each returns NULL without an
 * error when the current word is not one of its operators or sources. */
AiqNode *parse_operator_more(Parser *p, AiqNode *input);
AiqNode *parse_source_more(Parser *p);
AiqNode *parse_scan_op(Parser *p, const AiqToken *t, AiqNode *input); /* parse_scan.c */

/* parse_skip.c: valid KQL that aiq does not run yet, taken whole into a
 * SKIPPED node; each returns NULL, consuming nothing, when the cursor is not
 * at such a construct */
AiqNode *parse_skipped_operator(Parser *p, AiqNode *input);
AiqNode *parse_skipped_source(Parser *p);
AiqNode *parse_skipped_statement(Parser *p);

/* parse_series.c: make-series */
AiqNode *parse_make_series(Parser *p, const AiqToken *t, AiqNode *input);

#endif
