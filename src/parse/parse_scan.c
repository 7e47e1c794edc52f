/*
 * parse_scan.c -- the grammar of the scan operator (issue 14):
 *
 *   scan_op -> 'scan' [ 'with_match_id' '=' name ] [ 'declare' '(' decl { ',' decl } ')' ]
 *              'with' '(' { step } ')'
 *   decl    -> name ':' type [ '=' expr ]
 *   step    -> 'step' name [ 'output' '=' ('all' | 'last' | 'none') ] ':' expr
 *              [ '=>' name '=' expr { ',' name '=' expr } ] ';'
 *
 * Every step ends with ';', the last one too (Kusto requires it).
 * bind/scan_op.c gives the names their meaning.
 */
#include "parse/parse_internal.h"

#include <string.h>

static const char *const scan_outputs[] = {"all", "last", "none", NULL}; /* ORDER: AIQ_SCAN_OUTPUT_* */

/* decl -> name ':' type [ '=' expr ] (the default in rhs) */
static AiqNode *scan_decl(Parser *p)
{
    AiqNode *c = parse_coldecl(p);
    if (c && accept(p, AIQ_TK_ASSIGN) && !(c->rhs = parse_expr(p)))
        return NULL;
    return c ? finish(p, c) : NULL;
}

/* name '=' expr, as an ASSIGN */
static AiqNode *scan_assign(Parser *p)
{
    AiqNode *a = new_node(p, AIQ_N_ASSIGN, peek(p));
    if (!(a->str = parse_name(p, "a declared column to assign")))
        return NULL;
    if (!expect(p, AIQ_TK_ASSIGN, "after the column an assignment sets"))
        return NULL;
    return (a->lhs = parse_expr(p)) ? finish(p, a) : NULL;
}

static AiqNode *scan_step(Parser *p)
{
    AiqNode *s = new_node(p, AIQ_N_SCAN_STEP, peek(p));
    if (!accept_word(p, "step"))
        return fail_expected(p, "'step' and its name");
    if (!(s->str = parse_name(p, "a step name")))
        return NULL;
    s->op = AIQ_SCAN_OUTPUT_ALL;
    if (at_word(p, "output") && peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
        advance(p);
        advance(p);
        s->op = -1;
        for (int i = 0; scan_outputs[i]; i++)
            if (at_word(p, scan_outputs[i]))
                s->op = i;
        if (s->op < 0)
            return fail_expected(p, "'all', 'last' or 'none' after 'output='");
        advance(p);
    }
    if (!expect(p, AIQ_TK_COLON, "and the step's condition after its name"))
        return NULL;
    if (!(s->rhs = parse_expr(p)))
        return NULL;
    if (accept(p, AIQ_TK_ARROW)) {
        NodeList sets = {0};
        if (!parse_comma_list(p, &sets, scan_assign))
            return NULL;
        s->items = sets.items;
        s->nitems = sets.n;
    }
    if (!accept(p, AIQ_TK_SEMI))
        return fail_expected(p, "';' after the step (each step ends with one, the last too)");
    return finish(p, s);
}

AiqNode *parse_scan_op(Parser *p, const AiqToken *t, AiqNode *input)
{
    AiqNode *n = new_node(p, AIQ_N_SCAN_OP, t);
    n->lhs = input;
    if (at_word(p, "with_match_id") && peek_at(p, 1)->kind == AIQ_TK_ASSIGN) {
        advance(p);
        advance(p);
        if (!(n->str = parse_name(p, "the match id column's name")))
            return NULL;
    }
    if (accept_word(p, "declare")) {
        const AiqToken *open = peek(p);
        NodeList decls = {0};
        if (!expect(p, AIQ_TK_LPAREN, "after 'declare'") || !parse_comma_list(p, &decls, scan_decl) ||
            !expect_close(p, AIQ_TK_RPAREN, open))
            return NULL;
        n->params = decls.items;
        n->nparams = decls.n;
    }
    if (!accept_word(p, "with"))
        return fail_expected(p, "'with' and the steps of 'scan'");
    const AiqToken *open = peek(p);
    if (!expect(p, AIQ_TK_LPAREN, "after 'with'"))
        return NULL;
    NodeList steps = {0};
    while (!at(p, AIQ_TK_RPAREN) && !at(p, AIQ_TK_EOF)) { /* none is valid syntax; the binder says more */
        AiqNode *s = scan_step(p);
        if (!s)
            return NULL;
        list_push(p, &steps, s);
    }
    if (!expect_close(p, AIQ_TK_RPAREN, open))
        return NULL;
    n->items = steps.items;
    n->nitems = steps.n;
    return finish(p, n);
}
