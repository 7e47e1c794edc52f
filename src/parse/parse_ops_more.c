/*
 * parse_ops_more.c -- the grammar of the tabular operators of issue 14:
 * lookup, invoke, sample, sample-distinct, parse-where, parse-kv, mv-apply,
 * evaluate, top-nested, search, and the externaldata source. parse_ops.c
 * hands over the operators it does not know (parse_operator_more) and the
 * sources (parse_source_more); each rule below says what it accepts.
 */
#include "parse/parse_internal.h"

#include <string.h>

#include "func/registry.h"

/* Takes named parameters (names in allowed, and hints) into n->params. */
static bool named_params(Parser *p, AiqNode *n, const char *const *allowed)
{
    NodeList params = {0};
    if (!parse_named_params(p, allowed, &params))
        return false;
    n->params = params.items;
    n->nparams = params.n;
    return true;
}
/* lookup_op -> 'lookup' [ 'kind' '=' ('leftouter' | 'inner') ] tabular_arg 'on' join_cond { ',' join_cond } */
static AiqNode *parse_lookup(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"kind", NULL};
    AiqNode *n = op_node(p, AIQ_N_LOOKUP, t, input);
    if (!named_params(p, n, allowed))
        return NULL;
    n->op = AIQ_JOIN_LEFTOUTER;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *v = n->params[i]->lhs;
        if (strcmp(n->params[i]->str, "kind") != 0)
            continue;
        if (v->kind == AIQ_N_NAME && strcmp(v->str, "inner") == 0)
            n->op = AIQ_JOIN_INNER;
        else if (!(v->kind == AIQ_N_NAME && strcmp(v->str, "leftouter") == 0))
            return fail_at(p, &(AiqToken){AIQ_TK_IDENT, v->off, v->len},
                           "unknown lookup kind (expected leftouter or inner)");
    }
    if (!(n->rhs = parse_tabular_arg(p, "the table to look up in: a name or '(' query ')'")))
        return NULL;
    if (!accept_word(p, "on"))
        return fail_expected(p, "'on' and the lookup keys");
    NodeList conds = {0};
    if (!parse_column_list(p, &conds, NULL, "a lookup key after 'on'"))
        return NULL;
    n->items = conds.items;
    n->nitems = conds.n;
    return finish(p, n);
}

/* invoke_op -> 'invoke' name '(' [ args ] ')' */
static AiqNode *parse_invoke(Parser *p, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = op_node(p, AIQ_N_INVOKE, t, input);
    if (!is_name_token(peek(p)) || peek_at(p, 1)->kind != AIQ_TK_LPAREN)
        return fail_expected(p, "a function call such as f() after 'invoke'");
    if (!(n->rhs = parse_postfix(p)))
        return NULL;
    if (n->rhs->kind != AIQ_N_CALL)
        return fail_at(p, &(AiqToken){AIQ_TK_IDENT, n->rhs->off, n->rhs->len},
                       "expected a function call after 'invoke'");
    return finish(p, n);
}

/* sample_op -> 'sample' hints expr
   sample_distinct_op -> 'sample-distinct' hints expr 'of' name */
static AiqNode *parse_sample(Parser *p, const AiqToken *t, AiqNode *input, bool distinct)
{
    AiqNode *n = op_node(p, distinct ? AIQ_N_SAMPLE_DISTINCT : AIQ_N_SAMPLE, t, input);
    if (!parse_hints(p, n))
        return NULL;
    if (at_list_end(p))
        return fail_expected(p, "a row count");
    if (!(n->rhs = parse_add(p)))
        return NULL;
    if (distinct) {
        if (!accept_word(p, "of"))
            return fail_expected(p, "'of' and a column after the count of 'sample-distinct'");
        n->extra = new_node(p, AIQ_N_NAME, peek(p));
        if (!(n->extra->str = parse_name(p, "a column name after 'of'")))
            return NULL;
    }
    return finish(p, n);
}

/* A type name at the current token, or fails with "expected a type name". */
static bool type_name(Parser *p, AiqType *out)
{
    const AiqToken *tt = peek(p);
    *out = tt->kind == AIQ_TK_IDENT ? aiq_type_from_name(p->text + tt->off, tt->len) : AIQ_TYPE_UNKNOWN;
    if (*out == AIQ_TYPE_UNKNOWN) {
        fail_expected(p, "a type name (bool, int, long, real, string, datetime, timespan, dynamic)");
        return false;
    }
    advance(p);
    return true;
}

/* with_props -> 'with' '(' name '=' expr { ',' name '=' expr } ')' */
static bool with_props(Parser *p, NodeList *out)
{
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "after 'with'"))
        return false;
    while (!at(p, AIQ_TK_RPAREN)) {
        if (!is_name_token(peek(p)) || peek_at(p, 1)->kind != AIQ_TK_ASSIGN) {
            fail_expected(p, "a property such as name = value");
            return false;
        }
        AiqNode *a = new_node(p, AIQ_N_ASSIGN, peek(p));
        a->str = parse_name(p, "a property name");
        advance(p); /* '=' */
        if (!a->str || !(a->lhs = parse_expr(p)))
            return false;
        list_push(p, out, finish(p, a));
        if (!accept(p, AIQ_TK_COMMA))
            break;
    }
    return expect_close(p, AIQ_TK_RPAREN, open);
}

/* coldecl_list -> '(' coldecl { ',' coldecl } ')' */
static bool coldecl_list(Parser *p, NodeList *out, bool star_ok)
{
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, NULL))
        return false;
    if (star_ok && at(p, AIQ_TK_STAR)) {
        list_push(p, out, new_node(p, AIQ_N_STAR, advance(p)));
        if (!at(p, AIQ_TK_RPAREN) && !expect(p, AIQ_TK_COMMA, "after '*'"))
            return false;
    }
    while (!at(p, AIQ_TK_RPAREN)) {
        AiqNode *c = parse_coldecl(p);
        if (!c)
            return false;
        list_push(p, out, c);
        if (!accept(p, AIQ_TK_COMMA))
            break;
    }
    return expect_close(p, AIQ_TK_RPAREN, open);
}

/* parse_kv_op -> 'parse-kv' expr 'as' '(' coldecl { ',' coldecl } ')' [ with_props ] */
static AiqNode *parse_parse_kv(Parser *p, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = op_node(p, AIQ_N_PARSE_KV, t, input);
    if (!(n->rhs = parse_expr(p)))
        return NULL;
    if (!accept_word(p, "as"))
        return fail_expected(p, "'as' and the keys to extract, such as as (Key:string)");
    NodeList keys = {0}, props = {0};
    if (!coldecl_list(p, &keys, false))
        return NULL;
    if (keys.n == 0)
        return fail_expected(p, "at least one key");
    if (accept_word(p, "with") && !with_props(p, &props))
        return NULL;
    n->items = keys.items;
    n->nitems = keys.n;
    n->params = props.items;
    n->nparams = props.n;
    return finish(p, n);
}

/* The rest of a pipeline whose source is implicit: { '|' operator } after a
 * first operator, on the input named name (mv-apply's subquery). */
static AiqNode *implicit_pipeline(Parser *p, const char *name)
{
    if (!enter(p))
        return NULL;
    AiqNode *src = new_node(p, AIQ_N_TABLE, peek(p));
    src->str = name;
    src->len = 0;
    AiqNode *cur = parse_operator(p, src);
    while (cur && accept(p, AIQ_TK_PIPE))
        cur = parse_operator(p, cur);
    leave(p);
    return cur;
}

/* mv_apply_op -> 'mv-apply' params expand_item { ',' expand_item } [ 'limit' expr ]
                  'on' '(' operator { '|' operator } ')'
   expand_item -> column_expr [ 'to' 'typeof' '(' type ')' ] */
static AiqNode *parse_mv_apply(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"with_itemindex", NULL};
    AiqNode *n = op_node(p, AIQ_N_MV_APPLY, t, input);
    if (!named_params(p, n, allowed))
        return NULL;
    NodeList items = {0};
    for (;;) {
        AiqNode *e = parse_column_expr(p);
        if (!e)
            return NULL;
        e->type = AIQ_TYPE_DYNAMIC;
        if (accept_word(p, "to")) {
            if (!accept_word(p, "typeof"))
                return fail_expected(p, "'typeof' after 'to'");
            const AiqToken *open = peek(p);
            if (!expect(p, AIQ_TK_LPAREN, "after 'typeof'") || !type_name(p, &e->type) ||
                !expect_close(p, AIQ_TK_RPAREN, open))
                return NULL;
        }
        list_push(p, &items, e);
        if (!accept(p, AIQ_TK_COMMA))
            break;
    }
    n->items = items.items;
    n->nitems = items.n;
    if (accept_word(p, "limit") && !(n->rhs = parse_add(p)))
        return NULL;
    if (!accept_word(p, "on"))
        return fail_expected(p, "'on' and '(' subquery ')' after the columns of 'mv-apply'");
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "around the subquery of 'mv-apply'"))
        return NULL;
    if (!(n->extra = implicit_pipeline(p, AIQ_MV_APPLY_INPUT)))
        return NULL;
    if (!expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    return finish(p, n);
}

/* evaluate_op -> 'evaluate' hints name '(' [ args ] ')' [ ':' '(' [ '*' ',' ] coldecl { ',' coldecl } ')' ] */
static AiqNode *parse_evaluate(Parser *p, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = op_node(p, AIQ_N_EVALUATE, t, input);
    if (!parse_hints(p, n))
        return NULL;
    if (!is_name_token(peek(p)) || peek_at(p, 1)->kind != AIQ_TK_LPAREN)
        return fail_expected(p, "a plugin call such as pivot(Column) after 'evaluate'");
    AiqNode *call = parse_postfix(p);
    if (!call)
        return NULL;
    n->str = call->str;
    n->items = call->items;
    n->nitems = call->nitems;
    if (accept(p, AIQ_TK_COLON)) {
        NodeList cols = {0};
        if (!coldecl_list(p, &cols, true))
            return NULL;
        n->items2 = cols.items;
        n->nitems2 = cols.n;
    }
    return finish(p, n);
}

/* nested_level -> 'top-nested' [ expr ] 'of' column_expr [ 'with' 'others' '=' expr ]
                   'by' column_expr [ 'asc' | 'desc' ] */
static AiqNode *parse_nested_level(Parser *p)
{
    AiqNode *lv = new_node(p, AIQ_N_NESTED_LEVEL, peek(p));
    lv->op = AIQ_SORT_DESC;
    if (!at_word(p, "of") && !(lv->rhs = parse_add(p)))
        return NULL;
    if (!accept_word(p, "of"))
        return fail_expected(p, "'of' and the column of 'top-nested'");
    if (!(lv->lhs = parse_column_expr(p)))
        return NULL;
    if (accept_word(p, "with")) {
        if (!accept_word(p, "others") || !expect(p, AIQ_TK_ASSIGN, "after 'others'"))
            return fail_expected(p, "'others = value' after 'with'");
        if (!(lv->extra = parse_add(p)))
            return NULL;
    }
    if (!accept_word(p, "by"))
        return fail_expected(p, "'by' and an aggregation such as count()");
    AiqNode *agg = parse_column_expr(p);
    if (!agg)
        return NULL;
    lv->items = aiq_arena_alloc(p->arena, sizeof *lv->items);
    lv->items[0] = agg;
    lv->nitems = 1;
    if (accept_word(p, "asc"))
        lv->op = AIQ_SORT_ASC;
    else
        accept_word(p, "desc");
    return finish(p, lv);
}

/* top_nested_op -> nested_level { ',' 'top-nested' nested_level } */
static AiqNode *parse_top_nested(Parser *p, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = op_node(p, AIQ_N_TOP_NESTED, t, input);
    NodeList levels = {0};
    for (;;) {
        AiqNode *lv = parse_nested_level(p);
        if (!lv)
            return NULL;
        list_push(p, &levels, lv);
        if (!at(p, AIQ_TK_COMMA))
            break;
        advance(p);
        if (!accept_word(p, "top-nested"))
            return fail_expected(p, "'top-nested' after ','");
    }
    n->items = levels.items;
    n->nitems = levels.n;
    return finish(p, n);
}

/* ---- search ------------------------------------------------------------ */

static AiqNode *search_or(Parser *p);

/* search_term -> string | name ':' string | '(' search_or ')' | 'not' '(' search_or ')'
                | comparison (an ordinary expression up to and/or) */
static AiqNode *search_primary(Parser *p)
{
    const AiqToken *t = peek(p);
    if (t->kind == AIQ_TK_STRING && !(peek_at(p, 1)->kind != AIQ_TK_EOF && peek_at(p, 1)->kind != AIQ_TK_PIPE &&
                                      peek_at(p, 1)->kind != AIQ_TK_RPAREN && peek_at(p, 1)->kind != AIQ_TK_SEMI &&
                                      !tok_is_word(p, peek_at(p, 1), "and") && !tok_is_word(p, peek_at(p, 1), "or"))) {
        AiqNode *s = parse_primary(p);
        if (!s)
            return NULL;
        s->kind = AIQ_N_SEARCH_TERM;
        return s;
    }
    if (is_name_token(t) && peek_at(p, 1)->kind == AIQ_TK_COLON) {
        AiqNode *col = new_node(p, AIQ_N_NAME, t);
        if (!(col->str = parse_name(p, "a column name")))
            return NULL;
        advance(p); /* ':' */
        if (!at(p, AIQ_TK_STRING))
            return fail_expected(p, "a string after ':'");
        AiqNode *s = parse_primary(p);
        if (!s)
            return NULL;
        s->kind = AIQ_N_SEARCH_TERM;
        s->lhs = col;
        s->off = col->off;
        return finish(p, s);
    }
    if (t->kind == AIQ_TK_STAR)
        return new_node(p, AIQ_N_STAR, advance(p));
    if (t->kind == AIQ_TK_LPAREN) {
        advance(p);
        AiqNode *e = search_or(p);
        if (!e || !expect_close(p, AIQ_TK_RPAREN, t))
            return NULL;
        return e;
    }
    if (tok_is_word(p, t, "not") && peek_at(p, 1)->kind == AIQ_TK_LPAREN) {
        AiqNode *call = new_node(p, AIQ_N_CALL, t);
        call->str = "not";
        advance(p);
        const AiqToken *open = advance(p);
        AiqNode *e = search_or(p);
        if (!e || !expect_close(p, AIQ_TK_RPAREN, open))
            return NULL;
        call->items = aiq_arena_alloc(p->arena, sizeof *call->items);
        call->items[0] = e;
        call->nitems = 1;
        return finish(p, call);
    }
    return parse_cmp(p);
}

static AiqNode *search_binary(Parser *p, const char *word, AiqFuncId op, AiqNode *(*below)(Parser *))
{
    AiqNode *l = below(p);
    while (l && at_word(p, word)) {
        AiqNode *b = new_node(p, AIQ_N_BINARY, advance(p));
        b->op = op;
        b->lhs = l;
        if (!(b->rhs = below(p)))
            return NULL;
        b->off = l->off;
        l = finish(p, b);
    }
    return l;
}

static AiqNode *search_and(Parser *p) { return search_binary(p, "and", AIQ_FN_AND, search_primary); }
static AiqNode *search_or(Parser *p) { return search_binary(p, "or", AIQ_FN_OR, search_and); }

/* table_pattern -> a table name with '*' wildcards (App*, *Events), its
 * pieces touching: the tokens are joined back into one text. */
static const char *table_pattern(Parser *p)
{
    const AiqToken *first = peek(p);
    if (!is_name_token(first) && first->kind != AIQ_TK_STAR)
        return fail_expected(p, "a table name");
    if (first->kind == AIQ_TK_BRACKET_ID)
        return parse_name(p, "a table name");
    int32_t end = first->off;
    while ((at(p, AIQ_TK_STAR) || at(p, AIQ_TK_IDENT) || at(p, AIQ_TK_LONG)) && peek(p)->off == end) {
        end = peek(p)->off + peek(p)->len;
        advance(p);
    }
    return aiq_arena_strndup(p->arena, p->text + first->off, (size_t)(end - first->off));
}

/* search -> 'search' [ 'kind' '=' case ] [ 'in' '(' name { ',' name } ')' ] search_or */
static AiqNode *parse_search(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"kind", NULL};
    AiqNode *n = op_node(p, AIQ_N_SEARCH, t, input);
    if (!named_params(p, n, allowed))
        return NULL;
    if (at_word(p, "in") && peek_at(p, 1)->kind == AIQ_TK_LPAREN) {
        if (input)
            return fail_at(p, peek(p), "'search in (...)' names its tables; it cannot follow '|'");
        advance(p);
        const AiqToken *open = advance(p);
        NodeList tables = {0};
        for (;;) {
            AiqNode *tab = new_node(p, AIQ_N_TABLE, peek(p));
            if (!(tab->str = table_pattern(p)))
                return NULL;
            list_push(p, &tables, finish(p, tab));
            if (!accept(p, AIQ_TK_COMMA))
                break;
        }
        if (!expect_close(p, AIQ_TK_RPAREN, open))
            return NULL;
        n->items = tables.items;
        n->nitems = tables.n;
    }
    if (at_list_end(p))
        return fail_expected(p, "what to search for, such as \"error\"");
    if (!(n->rhs = search_or(p)))
        return NULL;
    return finish(p, n);
}

/* ---- externaldata --------------------------------------------------------- */

/* externaldata_src -> 'externaldata' '(' coldecl { ',' coldecl } ')' '[' string { ',' string } ']'
                       [ with_props ] */
static AiqNode *parse_externaldata(Parser *p)
{
    AiqNode *n = new_node(p, AIQ_N_EXTERNALDATA, advance(p));
    NodeList cols = {0}, uris = {0}, props = {0};
    if (!coldecl_list(p, &cols, false))
        return NULL;
    if (cols.n == 0)
        return fail_expected(p, "at least one column");
    const AiqToken *open = peek(p);
    if (at(p, AIQ_TK_BRACKET_ID)) {
        /* ["path"] lexes as a bracketed name: here it is one string. */
        const AiqToken *b = advance(p);
        AiqToken inner = {AIQ_TK_STRING, b->off + 1, b->len - 2};
        AiqNode *v = new_node(p, AIQ_N_LITERAL, &inner);
        v->type = AIQ_TYPE_STRING;
        if (!parse_decode_string(p, &inner, v))
            return NULL;
        list_push(p, &uris, v);
    } else {
        if (!expect(p, AIQ_TK_LBRACKET, "with the paths of the data, such as [\"data.csv\"]"))
            return NULL;
        for (;;) {
            if (!at(p, AIQ_TK_STRING))
                return fail_expected(p, "a path or URL string");
            AiqNode *s = parse_primary(p);
            if (!s)
                return NULL;
            list_push(p, &uris, s);
            if (!accept(p, AIQ_TK_COMMA))
                break;
        }
        if (!expect_close(p, AIQ_TK_RBRACKET, open))
            return NULL;
    }
    if (accept_word(p, "with") && !with_props(p, &props))
        return NULL;
    n->params = cols.items;
    n->nparams = cols.n;
    n->items = uris.items;
    n->nitems = uris.n;
    n->items2 = props.items;
    n->nitems2 = props.n;
    return finish(p, n);
}

/* ---- entries -------------------------------------------------------------- */

AiqNode *parse_operator_more(Parser *p, AiqNode *input)
{
    const AiqToken *t = peek(p);
    static const char *const words[] = {"lookup", "invoke", "sample", "sample-distinct", "parse-where",
                                        "parse-kv", "mv-apply", "evaluate", "top-nested", "search", "scan", NULL};
    int w = -1;
    for (int i = 0; words[i] && w < 0; i++)
        if (at_word(p, words[i]))
            w = i;
    if (w < 0)
        return NULL;
    advance(p);
    switch (w) {
    case 0: return parse_lookup(p, t, input);
    case 1: return parse_invoke(p, t, input);
    case 2: return parse_sample(p, t, input, false);
    case 3: return parse_sample(p, t, input, true);
    case 4: {
        AiqNode *n = parse_parse_op(p, t, input);
        if (n)
            n->kind = AIQ_N_PARSE_WHERE;
        return n;
    }
    case 5: return parse_parse_kv(p, t, input);
    case 6: return parse_mv_apply(p, t, input);
    case 7: return parse_evaluate(p, t, input);
    case 8: return parse_top_nested(p, t, input);
    case 9: return parse_search(p, t, input);
    default: return parse_scan_op(p, t, input); /* parse_scan.c */
    }
}

AiqNode *parse_source_more(Parser *p)
{
    const AiqToken *t1 = peek_at(p, 1);
    if (at_word(p, "externaldata") && t1->kind == AIQ_TK_LPAREN)
        return parse_externaldata(p);
    bool search_start = t1->kind == AIQ_TK_STRING || t1->kind == AIQ_TK_LPAREN || t1->kind == AIQ_TK_STAR ||
                        tok_is_word(p, t1, "in") || tok_is_word(p, t1, "kind") ||
                        tok_is_word(p, t1, "not") || (is_name_token(t1) && peek_at(p, 2)->kind == AIQ_TK_COLON);
    if (at_word(p, "search") && search_start) {
        const AiqToken *t = advance(p);
        return parse_search(p, t, NULL);
    }
    return NULL;
}
