/*
 * parse_ops.c -- the tabular grammar: every operator that may follow '|'
 * (where, extend, summarize, join, union, mv-expand, parse, ...), and the
 * sources a pipeline starts with (a table, print, datatable, range,
 * union).
 */
#include "parse/parse_internal.h"

#include <string.h>

#include "util/suggest.h"

/* ---- tabular operators ----------------------------------------------- */


/* tabular_arg -> '(' pipe_expr ')' | source | name [ '(' args ')' ] */
AiqNode *parse_tabular_arg(Parser *p, const char *what)
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

/* Whether a table name pattern starts at the cursor: '*', or a name and a
 * '*' that touch (App*, *Events, Device*Events). */
static bool at_table_pattern(Parser *p)
{
    const AiqToken *t = peek(p), *u = peek_at(p, 1);
    return t->kind == AIQ_TK_STAR ||
           (t->kind == AIQ_TK_IDENT && u->kind == AIQ_TK_STAR && u->off == t->off + t->len);
}

/* table_pattern -> { identifier | '*' }, touching: a TABLE node whose name
 * holds the '*'s (the binder matches it against the tables) */
static AiqNode *parse_table_pattern(Parser *p)
{
    const AiqToken *t = peek(p);
    AiqNode *n = new_node(p, AIQ_N_TABLE, t);
    int32_t end = t->off;
    while ((at(p, AIQ_TK_IDENT) || at(p, AIQ_TK_STAR)) && (peek(p)->off == end || end == t->off)) {
        end = peek(p)->off + peek(p)->len;
        advance(p);
    }
    n->str = aiq_arena_strndup(p->arena, p->text + t->off, (size_t)(end - t->off));
    return finish(p, n);
}

/* union_op -> 'union' params ( table_pattern | tabular_arg ) { ',' ( table_pattern | tabular_arg ) } */
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
        AiqNode *tab = at_table_pattern(p) ? parse_table_pattern(p)
                                           : parse_tabular_arg(p, "a table or '(' query ')' to union");
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
AiqNode *parse_parse_op(Parser *p, const AiqToken *t, AiqNode *input)
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
    if (strcmp(w, "print") == 0 || strcmp(w, "datatable") == 0 || strcmp(w, "range") == 0 ||
        strcmp(w, "externaldata") == 0 || strcmp(w, "external_data") == 0)
        return fail_at(p, t, aiq_arena_printf(p->arena, "'%s' starts a query; it cannot follow '|'", w));
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
AiqNode *parse_operator(Parser *p, AiqNode *input)
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
    } else if (at_word(p, "mv-expand") || at_word(p, "mvexpand")) { /* mvexpand: the legacy spelling */
        advance(p);
        return parse_mv_expand(p, t, input);
    } else if (at_word(p, "parse")) {
        advance(p);
        return parse_parse_op(p, t, input);
    } else if (at_word(p, "make-series")) {
        advance(p);
        return parse_make_series(p, t, input);
    } else if (at_word(p, "as")) {
        /* as_op -> 'as' params name */
        advance(p);
        n = op_node(p, AIQ_N_AS, t, input);
        if (!parse_hints(p, n))
            return NULL;
        if (!(n->str = parse_name(p, "a name after 'as'")))
            return NULL;
    } else if (at_word(p, "render")) {
        /* render_op -> 'render' name [ 'with' '(' property { ',' property } ')' | { name '=' value } ]
         * (the properties without `with` are Kusto's older form: kind=stacked) */
        advance(p);
        n = op_node(p, AIQ_N_RENDER, t, input);
        const AiqToken *kind = peek(p);
        if (!(n->str = parse_name(p, "a chart kind such as timechart after 'render'")))
            return NULL;
        n->op = kind->off; /* where the chart kind is written, for errors about it */
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
        } else {
            NodeList props = {0};
            while (is_name_token(peek(p)) && peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
                AiqNode *prop = parse_column_expr(p);
                if (!prop)
                    return NULL;
                list_push(p, &props, prop);
            }
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
    } else if ((n = parse_operator_more(p, input)) || p->err->code != AIQ_OK) {
        return n; /* issue 14's operators: parse_ops_more.c */
    } else if ((n = parse_skipped_operator(p, input))) {
        return n; /* valid KQL aiq does not run yet: parse_skip.c */
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
AiqNode *parse_coldecl(Parser *p)
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
        if (!parse_decode_string(p, &inner, v))
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

/* source -> print_src | datatable_src | range_src | 'union' ... | expr */
AiqNode *parse_source(Parser *p)
{
    const AiqToken *t = peek(p);
    const AiqToken *t1 = peek_at(p, 1);
    AiqNode *more = parse_source_more(p); /* externaldata, search: parse_ops_more.c */
    if (more || p->err->code != AIQ_OK)
        return more;
    AiqNode *skipped = parse_skipped_source(p);
    if (skipped)
        return skipped;
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
AiqNode *parse_pipe_expr(Parser *p)
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
