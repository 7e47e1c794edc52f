/*
 * parse_skip.c -- Kusto's tabular grammar beyond what aiq runs: operators,
 * query sources and statements that are valid KQL but that aiq does not
 * run yet. The parser takes each one whole (balanced brackets, up to the
 * next '|' or ';' at its own level) into a SKIPPED node, so that `aiq
 * check --syntax` accepts every valid query and the binder names the
 * construct ("valid KQL but not supported by aiq yet: fork") instead of
 * the parser stopping at some token inside it.
 *
 * An operator that gets a real parse function leaves these lists: its
 * branch in parse_operator() or parse_source() then comes first. A set
 * statement also keeps its option and a simple value, for the binder to
 * honour the few request properties aiq can (bind_set_option).
 */
#include "parse/parse_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Kusto's tabular operators (the docs' list, tests/corpus/kusto_builtins.tsv)
 * that aiq does not parse yet, as they may follow '|' (the others are
 * parsed by parse_ops.c and parse_ops_more.c before this list is read). */
static const char *const skipped_operators[] = {
    "consume", "facet", "find", "fork", "graph-mark-components", "graph-match", "graph-merge",
    "graph-shortest-paths", "graph-to-table", "macro-expand", "make-graph", "partition",
    "project-by-names", "project-smart", "reduce", "top-hitters", NULL,
};

/* Those of them that may also start a query (before any '|'). */
static const char *const skipped_sources[] = {
    "find", "macro-expand", NULL,
};

/* Statements aiq does not run yet: query options, database aliases,
 * patterns, access restrictions. */
static const char *const skipped_statements[] = {"set", "alias", "restrict", "pattern", NULL};

static bool word_listed(const Parser *p, const AiqToken *t, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (tok_is_word(p, t, list[i]))
            return true;
    return false;
}

/* Consumes the tokens of a construct up to the '|', ';' or closing bracket
 * that ends it at its own level (brackets inside are balanced; a stray
 * closing one ends it, for the caller to report), or the end of the query. */
static void skip_construct(Parser *p, bool stop_at_pipe)
{
    int depth = 0;
    for (;;) {
        AiqTokKind k = peek(p)->kind;
        if (k == AIQ_TK_EOF)
            return;
        if (depth == 0 && (k == AIQ_TK_SEMI || (stop_at_pipe && k == AIQ_TK_PIPE)))
            return;
        if (k == AIQ_TK_LPAREN || k == AIQ_TK_LBRACKET || k == AIQ_TK_LBRACE)
            depth++;
        else if (k == AIQ_TK_RPAREN || k == AIQ_TK_RBRACKET || k == AIQ_TK_RBRACE) {
            if (depth == 0)
                return;
            depth--;
        }
        advance(p);
    }
}

/* The SKIPPED node for the construct whose first word is at the cursor:
 * str its name, off/len the name's span (where the binder's message points),
 * extra a string literal holding the whole text (for the printer). */
static AiqNode *skipped_node(Parser *p, AiqNode *input, bool stop_at_pipe)
{
    const AiqToken *t = advance(p);
    AiqNode *n = new_node(p, AIQ_N_SKIPPED, t);
    n->str = tok_text(p, t);
    n->lhs = input;
    skip_construct(p, stop_at_pipe);
    const AiqToken *last = &p->toks[p->pos - 1];
    AiqNode *text = new_node(p, AIQ_N_LITERAL, t);
    text->type = AIQ_TYPE_STRING;
    text->len = last->off + last->len - t->off;
    text->str = aiq_arena_strndup(p->arena, p->text + t->off, (size_t)text->len);
    text->slen = (uint32_t)text->len;
    n->extra = text;
    return n;
}

/* Whether the word at the cursor starts a construct rather than naming a
 * table: a table called search is still a table when '|', ';', ')', ',',
 * '.' or the end follows it. */
static bool starts_construct(const Parser *p)
{
    AiqTokKind k = peek_at(p, 1)->kind;
    return k != AIQ_TK_PIPE && k != AIQ_TK_EOF && k != AIQ_TK_SEMI && k != AIQ_TK_RPAREN &&
           k != AIQ_TK_COMMA && k != AIQ_TK_DOT;
}

AiqNode *parse_skipped_operator(Parser *p, AiqNode *input)
{
    if (!word_listed(p, peek(p), skipped_operators))
        return NULL;
    return skipped_node(p, input, true);
}

AiqNode *parse_skipped_source(Parser *p)
{
    if (!starts_construct(p) || !word_listed(p, peek(p), skipped_sources))
        return NULL;
    return skipped_node(p, NULL, true);
}

/* The value of `set OPTION = VALUE` when it is a number or a word (true,
 * false) alone before the ';', else NULL: the binder honours only options
 * with such values. */
static AiqNode *set_value(Parser *p, const AiqToken *t, const AiqToken *next)
{
    if (next->kind != AIQ_TK_SEMI && next->kind != AIQ_TK_EOF)
        return NULL;
    if (t->kind == AIQ_TK_IDENT) {
        AiqNode *w = new_node(p, AIQ_N_NAME, t);
        w->str = tok_text(p, t);
        return w;
    }
    if (t->kind != AIQ_TK_LONG)
        return NULL;
    errno = 0;
    long long v = strtoll(tok_text(p, t), NULL, 0);
    if (errno == ERANGE)
        return NULL;
    AiqNode *n = new_node(p, AIQ_N_LITERAL, t);
    n->type = AIQ_TYPE_LONG;
    n->i64 = v;
    return n;
}

/* The option of `set OPTION [= VALUE]` at the cursor (on "set"): a NAME
 * node, its rhs the value (set_value). NULL when the option is not a plain
 * name; the statement is then only skipped. */
static AiqNode *set_option(Parser *p)
{
    const AiqToken *name = peek_at(p, 1);
    if (name->kind != AIQ_TK_IDENT)
        return NULL;
    AiqNode *opt = new_node(p, AIQ_N_NAME, name);
    opt->str = tok_text(p, name);
    if (peek_at(p, 2)->kind == AIQ_TK_ASSIGN)
        opt->rhs = set_value(p, peek_at(p, 3), peek_at(p, 4));
    return opt;
}

AiqNode *parse_skipped_statement(Parser *p)
{
    bool declare_pattern = at_word(p, "declare") && tok_is_word(p, peek_at(p, 1), "pattern");
    if (!declare_pattern && (!starts_construct(p) || !word_listed(p, peek(p), skipped_statements)))
        return NULL;
    AiqNode *option = at_word(p, "set") ? set_option(p) : NULL;
    AiqNode *n = skipped_node(p, NULL, false);
    n->rhs = option; /* set's option, for the binder (bind_set_option) */
    if (declare_pattern)
        n->str = "declare pattern";
    return n;
}
