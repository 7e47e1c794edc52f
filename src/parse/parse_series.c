/*
 * parse_series.c -- the grammar of make-series, the operator that turns
 * rows into one row per series with dynamic arrays of aggregates along an
 * axis. Its syntax has more parts than any other operator (per-aggregate
 * defaults, an axis with an optional range, the old `in range(...)` form),
 * so it has a file of its own beside parse_ops.c.
 */
#include "parse/parse_internal.h"

/* series_item -> column_expr [ 'default' '=' expr ] */
static AiqNode *parse_series_item(Parser *p, AiqNode **dflt)
{
    AiqNode *item = parse_column_expr(p);
    if (!item)
        return NULL;
    *dflt = NULL;
    if (accept_word(p, "default")) {
        if (!expect(p, AIQ_TK_ASSIGN, "and the value after 'default'"))
            return NULL;
        if (!(*dflt = parse_expr(p)))
            return NULL;
    }
    return item;
}

/* series_axis -> [ name '=' ] additive_expr
 * The axis is read at the additive level so that the `in` of the old form
 * is not taken for the `in` operator. */
static AiqNode *parse_series_axis(Parser *p)
{
    if (is_name_token(peek(p)) && peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
        AiqNode *a = new_node(p, AIQ_N_ASSIGN, peek(p));
        if (!(a->str = parse_name(p, "a column name")))
            return NULL;
        advance(p); /* '=' */
        if (!(a->lhs = parse_add(p)))
            return NULL;
        return finish(p, a);
    }
    return parse_add(p);
}

/* series_range -> 'in' 'range' '(' expr ',' expr ',' expr ')'
 *               | [ 'from' expr ] [ 'to' expr ] 'step' expr */
static bool parse_series_range(Parser *p, AiqNode *spec)
{
    if (accept_word(p, "in")) {
        if (!accept_word(p, "range"))
            return fail_expected(p, "'range(start, stop, step)' after 'in'") != NULL;
        const AiqToken *open = peek(p);
        if (!expect(p, AIQ_TK_LPAREN, "after 'range'"))
            return false;
        spec->op = 1;
        if (!(spec->lhs = parse_expr(p)) || !expect(p, AIQ_TK_COMMA, "after the start of the range"))
            return false;
        if (!(spec->rhs = parse_expr(p)) || !expect(p, AIQ_TK_COMMA, "after the stop of the range"))
            return false;
        if (!(spec->extra = parse_expr(p)))
            return false;
        return expect_close(p, AIQ_TK_RPAREN, open);
    }
    if (accept_word(p, "from") && !(spec->lhs = parse_expr(p)))
        return false;
    if (accept_word(p, "to") && !(spec->rhs = parse_expr(p)))
        return false;
    if (!accept_word(p, "step"))
        return fail_expected(p, spec->lhs || spec->rhs ? "'step' and the bin size" : "'from', 'to' or 'step' after the axis") != NULL;
    return (spec->extra = parse_expr(p)) != NULL;
}

/* make_series_op -> 'make-series' params series_item { ',' series_item }
 *                   'on' series_axis series_range [ 'by' column_list ] */
AiqNode *parse_make_series(Parser *p, const AiqToken *t, AiqNode *input)
{
    static const char *const allowed[] = {"kind", NULL};
    AiqNode *n = new_node(p, AIQ_N_MAKE_SERIES, t);
    n->lhs = input;
    NodeList params = {0}, items = {0}, defaults = {0}, by = {0};
    if (!parse_named_params(p, allowed, &params))
        return NULL;
    n->params = params.items;
    n->nparams = params.n;
    if (at_word(p, "on") || at_list_end(p))
        return fail_expected(p, "an aggregation such as count() after 'make-series'");
    for (;;) {
        AiqNode *dflt;
        AiqNode *item = parse_series_item(p, &dflt);
        if (!item)
            return NULL;
        list_push(p, &items, item);
        list_push(p, &defaults, dflt);
        if (!accept(p, AIQ_TK_COMMA))
            break;
    }
    AiqNode *spec = new_node(p, AIQ_N_SERIES_SPEC, peek(p));
    if (!accept_word(p, "on"))
        return fail_expected(p, "',', 'default =' or 'on' and the axis column");
    AiqNode *axis = parse_series_axis(p);
    if (!axis || !parse_series_range(p, spec))
        return NULL;
    list_push(p, &by, axis); /* spec->items2[0] */
    spec->items2 = by.items;
    spec->nitems2 = 1;
    spec->items = defaults.items;
    spec->nitems = defaults.n;
    n->rhs = finish(p, spec);
    n->items = items.items;
    n->nitems = items.n;
    NodeList keys = {0};
    if (accept_word(p, "by") && !parse_column_list(p, &keys, NULL, "a grouping column after 'by'"))
        return NULL;
    n->items2 = keys.items;
    n->nitems2 = keys.n;
    if (!at_list_end(p))
        return fail_expected(p, "'by' or '|' after the make-series axis");
    return finish(p, n);
}
