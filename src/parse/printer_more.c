/*
 * printer_more.c -- canonical KQL for issue 14's operators (the nodes
 * parse_ops_more.c builds), for printer.c. Each prints text that parses
 * back to the same tree.
 */
#include "parse/printer.h"

#include <string.h>

static void name(AiqStrBuf *out, const char *s)
{
    AiqNode n = {.kind = AIQ_N_NAME, .str = s};
    aiq_print_node(out, &n);
}

static void list(AiqStrBuf *out, AiqNode *const *items, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i)
            aiq_sb_puts(out, sep);
        aiq_print_node(out, items[i]);
    }
}

/* Named parameters: " name=value" each. */
static void params(AiqStrBuf *out, AiqNode *const *items, int n)
{
    for (int i = 0; i < n; i++) {
        aiq_sb_putc(out, ' ');
        aiq_sb_puts(out, items[i]->str);
        aiq_sb_putc(out, '=');
        aiq_print_node(out, items[i]->lhs);
    }
}

static void input(AiqStrBuf *out, const AiqNode *n)
{
    if (n->lhs) {
        aiq_print_node(out, n->lhs);
        aiq_sb_puts(out, "\n| ");
    }
}

static void coldecls(AiqStrBuf *out, AiqNode *const *items, int n)
{
    aiq_sb_putc(out, '(');
    list(out, items, n, ", ");
    aiq_sb_putc(out, ')');
}

static void expand_items(AiqStrBuf *out, const AiqNode *n)
{
    for (int i = 0; i < n->nitems; i++) {
        aiq_sb_puts(out, i ? ", " : " ");
        aiq_print_node(out, n->items[i]);
        if (n->items[i]->kind != AIQ_N_ASSIGN) /* (an assignment prints its own) */
            aiq_sb_printf(out, " to typeof(%s)", aiq_type_name(n->items[i]->type));
    }
}

static void nested_level(AiqStrBuf *out, const AiqNode *lv)
{
    aiq_sb_puts(out, "top-nested ");
    if (lv->rhs) {
        aiq_print_node(out, lv->rhs);
        aiq_sb_putc(out, ' ');
    }
    aiq_sb_puts(out, "of ");
    aiq_print_node(out, lv->lhs);
    if (lv->extra) {
        aiq_sb_puts(out, " with others=");
        aiq_print_node(out, lv->extra);
    }
    aiq_sb_puts(out, " by ");
    aiq_print_node(out, lv->items[0]);
    aiq_sb_puts(out, lv->op == AIQ_SORT_ASC ? " asc" : " desc");
}

static void search_term(AiqStrBuf *out, const AiqNode *n)
{
    if (n->lhs) {
        name(out, n->lhs->str);
        aiq_sb_putc(out, ':');
    }
    AiqNode lit = *n;
    lit.kind = AIQ_N_LITERAL;
    lit.lhs = NULL;
    aiq_print_node(out, &lit);
}

/* mv-apply's subquery without its implicit source (printed as a name
 * followed by a pipe, which is taken off). */
static void subquery(AiqStrBuf *out, const AiqNode *n)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_print_node(&sb, n);
    const char *s = aiq_sb_str(&sb);
    const char *bar = strstr(s, "\n| ");
    aiq_sb_puts(out, bar ? bar + 3 : s);
    aiq_sb_free(&sb);
}

/* scan: [with_match_id=M] [declare (c:t[=default], ...)] with (step ...; ...) */
static void scan_op(AiqStrBuf *out, const AiqNode *n)
{
    static const char *const outputs[] = {"", " output=last", " output=none"}; /* ORDER: AIQ_SCAN_OUTPUT_* */
    input(out, n);
    aiq_sb_puts(out, "scan");
    if (n->str) {
        aiq_sb_puts(out, " with_match_id=");
        name(out, n->str);
    }
    if (n->nparams) {
        aiq_sb_puts(out, " declare (");
        for (int i = 0; i < n->nparams; i++) {
            aiq_sb_puts(out, i ? ", " : "");
            aiq_print_node(out, n->params[i]);
            if (n->params[i]->rhs) {
                aiq_sb_puts(out, " = ");
                aiq_print_node(out, n->params[i]->rhs);
            }
        }
        aiq_sb_putc(out, ')');
    }
    aiq_sb_puts(out, " with (");
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *st = n->items[i];
        aiq_sb_puts(out, i ? " step " : "step ");
        name(out, st->str);
        aiq_sb_printf(out, "%s: ", outputs[st->op]);
        aiq_print_node(out, st->rhs);
        if (st->nitems) {
            aiq_sb_puts(out, " => ");
            list(out, st->items, st->nitems, ", ");
        }
        aiq_sb_putc(out, ';');
    }
    aiq_sb_putc(out, ')');
}

bool aiq_print_more(AiqStrBuf *out, const AiqNode *n)
{
    switch (n->kind) {
    case AIQ_N_LOOKUP:
        input(out, n);
        aiq_sb_printf(out, "lookup kind=%s (", n->op == AIQ_JOIN_INNER ? "inner" : "leftouter");
        aiq_print_node(out, n->rhs);
        aiq_sb_puts(out, ") on ");
        list(out, n->items, n->nitems, ", ");
        return true;
    case AIQ_N_INVOKE:
        input(out, n);
        aiq_sb_puts(out, "invoke ");
        aiq_print_node(out, n->rhs);
        return true;
    case AIQ_N_SAMPLE:
    case AIQ_N_SAMPLE_DISTINCT:
        input(out, n);
        aiq_sb_puts(out, n->kind == AIQ_N_SAMPLE ? "sample" : "sample-distinct");
        params(out, n->params, n->nparams);
        aiq_sb_putc(out, ' ');
        aiq_print_node(out, n->rhs);
        if (n->extra) {
            aiq_sb_puts(out, " of ");
            aiq_print_node(out, n->extra);
        }
        return true;
    case AIQ_N_PARSE_KV:
        input(out, n);
        aiq_sb_puts(out, "parse-kv ");
        aiq_print_node(out, n->rhs);
        aiq_sb_puts(out, " as ");
        coldecls(out, n->items, n->nitems);
        if (n->nparams) {
            aiq_sb_puts(out, " with ");
            coldecls(out, n->params, n->nparams);
        }
        return true;
    case AIQ_N_MV_APPLY:
        input(out, n);
        aiq_sb_puts(out, "mv-apply");
        params(out, n->params, n->nparams);
        expand_items(out, n);
        if (n->rhs) {
            aiq_sb_puts(out, " limit ");
            aiq_print_node(out, n->rhs);
        }
        aiq_sb_puts(out, " on (");
        subquery(out, n->extra);
        aiq_sb_putc(out, ')');
        return true;
    case AIQ_N_EVALUATE:
        input(out, n);
        aiq_sb_puts(out, "evaluate");
        params(out, n->params, n->nparams);
        aiq_sb_putc(out, ' ');
        name(out, n->str);
        coldecls(out, n->items, n->nitems);
        if (n->nitems2) {
            aiq_sb_puts(out, " : ");
            coldecls(out, n->items2, n->nitems2);
        }
        return true;
    case AIQ_N_TOP_NESTED:
        input(out, n);
        for (int i = 0; i < n->nitems; i++) {
            if (i)
                aiq_sb_puts(out, ", ");
            nested_level(out, n->items[i]);
        }
        return true;
    case AIQ_N_NESTED_LEVEL: nested_level(out, n); return true;
    case AIQ_N_SEARCH:
        input(out, n);
        aiq_sb_puts(out, "search");
        params(out, n->params, n->nparams);
        if (n->nitems) {
            aiq_sb_puts(out, " in (");
            list(out, n->items, n->nitems, ", ");
            aiq_sb_putc(out, ')');
        }
        aiq_sb_putc(out, ' ');
        aiq_print_node(out, n->rhs);
        return true;
    case AIQ_N_SEARCH_TERM: search_term(out, n); return true;
    case AIQ_N_EXTERNALDATA:
        aiq_sb_puts(out, "externaldata ");
        coldecls(out, n->params, n->nparams);
        aiq_sb_puts(out, " [");
        list(out, n->items, n->nitems, ", ");
        aiq_sb_putc(out, ']');
        if (n->nitems2) {
            aiq_sb_puts(out, " with ");
            coldecls(out, n->items2, n->nitems2);
        }
        return true;
    case AIQ_N_SCAN_OP: scan_op(out, n); return true;
    default: return false;
    }
}
