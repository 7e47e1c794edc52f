/*
 * printer.c -- canonical KQL for an AST (see printer.h). Binary expressions
 * are fully parenthesized so precedence is explicit in the output; names that
 * are not plain identifiers are written as ['...'].
 */
#include "parse/printer.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "func/registry.h"
#include "util/timefmt.h"

static void print_string(AiqStrBuf *out, const char *s, uint32_t n)
{
    aiq_sb_putc(out, '"');
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': aiq_sb_puts(out, "\\\""); break;
        case '\\': aiq_sb_puts(out, "\\\\"); break;
        case '\n': aiq_sb_puts(out, "\\n"); break;
        case '\t': aiq_sb_puts(out, "\\t"); break;
        case '\r': aiq_sb_puts(out, "\\r"); break;
        case '\0': aiq_sb_puts(out, "\\0"); break;
        default:
            if (c < 0x20)
                aiq_sb_printf(out, "\\u%04x", c);
            else
                aiq_sb_putc(out, (char)c);
        }
    }
    aiq_sb_putc(out, '"');
}

/* Words that read as something other than a name where a name can stand. */
static bool reserved(const char *name)
{
    static const char *const words[] = {"print", "datatable", "range", "union", "let", "declare",
                                        "and", "or", "true", "false", "by", "on", "with", NULL};
    for (int i = 0; words[i]; i++)
        if (strcasecmp(name, words[i]) == 0)
            return true;
    return false;
}

static void print_name(AiqStrBuf *out, const char *name)
{
    bool plain = (isalpha((unsigned char)name[0]) || name[0] == '_' || name[0] == '$') && !reserved(name);
    for (const char *c = name; *c && plain; c++)
        plain = isalnum((unsigned char)*c) || *c == '_' || (*c == '$' && c == name);
    if (plain) {
        aiq_sb_puts(out, name);
    } else {
        aiq_sb_puts(out, "[");
        print_string(out, name, (uint32_t)strlen(name));
        aiq_sb_puts(out, "]");
    }
}

/* Prints an expression operand; a tabular expression used as an operand
 * ("x + (T | count)") keeps its parentheses so it reads back the same
 * (found by fuzz_frontend). */
static void print_expr(AiqStrBuf *out, const AiqNode *n)
{
    bool tabular = n->kind >= AIQ_N_PRINT;
    if (tabular)
        aiq_sb_putc(out, '(');
    aiq_print_node(out, n);
    if (tabular)
        aiq_sb_putc(out, ')');
}

static void print_list(AiqStrBuf *out, AiqNode *const *items, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            aiq_sb_puts(out, ", ");
        print_expr(out, items[i]);
    }
}

static void print_literal(AiqStrBuf *out, const AiqNode *n)
{
    char buf[64];
    if (n->isnull) {
        aiq_sb_printf(out, "%s(null)", aiq_type_name(n->type));
        return;
    }
    switch (n->type) {
    case AIQ_TYPE_BOOL: aiq_sb_puts(out, n->i64 ? "true" : "false"); break;
    case AIQ_TYPE_INT: aiq_sb_printf(out, "int(%" PRId64 ")", n->i64); break;
    case AIQ_TYPE_LONG: aiq_sb_printf(out, "%" PRId64, n->i64); break;
    case AIQ_TYPE_REAL:
        if (!isfinite(n->f64)) {
            aiq_sb_puts(out, isnan(n->f64) ? "real(nan)" : n->f64 < 0 ? "real(-inf)" : "real(+inf)");
            break;
        }
        aiq_real_format(n->f64, buf);
        if (!strpbrk(buf, ".eEnI"))
            strcat(buf, ".0");
        aiq_sb_printf(out, "real(%s)", buf);
        break;
    case AIQ_TYPE_STRING: print_string(out, n->str, n->slen); break;
    case AIQ_TYPE_DATETIME:
        aiq_datetime_format(n->i64, buf);
        aiq_sb_printf(out, "datetime(%s)", buf);
        break;
    case AIQ_TYPE_TIMESPAN:
        aiq_timespan_format(n->i64, buf);
        aiq_sb_printf(out, "timespan(%s)", buf);
        break;
    case AIQ_TYPE_DYNAMIC: /* the raw JSON text, which may hold any byte */
        aiq_sb_puts(out, "dynamic(");
        aiq_sb_append(out, n->str, n->slen);
        aiq_sb_putc(out, ')');
        break;
    default: aiq_sb_puts(out, "?"); break;
    }
}

static void print_sort_key(AiqStrBuf *out, const AiqNode *k)
{
    aiq_print_node(out, k->lhs);
    if (k->op & AIQ_SORT_ASC)
        aiq_sb_puts(out, " asc");
    if (k->op & AIQ_SORT_DESC)
        aiq_sb_puts(out, " desc");
    if (k->op & AIQ_SORT_NULLS_FIRST)
        aiq_sb_puts(out, " nulls first");
    if (k->op & AIQ_SORT_NULLS_LAST)
        aiq_sb_puts(out, " nulls last");
}

static void print_params(AiqStrBuf *out, AiqNode *const *params, int n)
{
    for (int i = 0; i < n; i++) {
        aiq_sb_printf(out, " %s=", params[i]->str);
        aiq_print_node(out, params[i]->lhs);
    }
}

static void print_param_decl(AiqStrBuf *out, const AiqNode *prm)
{
    print_name(out, prm->str);
    aiq_sb_putc(out, ':');
    if (prm->op == 1) {
        aiq_sb_putc(out, '(');
        if (prm->nitems == 0)
            aiq_sb_putc(out, '*');
        print_list(out, prm->items, prm->nitems);
        aiq_sb_putc(out, ')');
    } else {
        aiq_sb_puts(out, aiq_type_name(prm->type));
    }
    if (prm->rhs) {
        aiq_sb_puts(out, " = ");
        aiq_print_node(out, prm->rhs);
    }
}

/* The operand of .name or [index]: a unary expression binds looser than
 * those, so (-x).y keeps its parentheses; printed bare, -(x).y would apply
 * .y to x (found by fuzz_frontend). Literals are wrapped too: a negative
 * number prints as -5, and -5.y reads as -(5.y). */
static void print_postfix_base(AiqStrBuf *out, const AiqNode *base)
{
    bool wrap = base->kind == AIQ_N_UNARY || base->kind == AIQ_N_LITERAL;
    if (wrap)
        aiq_sb_putc(out, '(');
    print_expr(out, base);
    if (wrap)
        aiq_sb_putc(out, ')');
}

/* Prints the input of a tabular operator, then " | ". */
static void print_input(AiqStrBuf *out, const AiqNode *n)
{
    if (n->lhs) {
        aiq_print_node(out, n->lhs);
        aiq_sb_puts(out, "\n| ");
    }
}

void aiq_print_node(AiqStrBuf *out, const AiqNode *n)
{
    switch (n->kind) {
    case AIQ_N_QUERY:
        for (int i = 0; i < n->nitems; i++) {
            aiq_print_node(out, n->items[i]);
            aiq_sb_puts(out, i + 1 < n->nitems ? ";\n" : "\n");
        }
        break;
    case AIQ_N_LET:
        aiq_sb_puts(out, "let ");
        print_name(out, n->str);
        aiq_sb_puts(out, " = ");
        aiq_print_node(out, n->rhs);
        break;
    case AIQ_N_DECLARE:
        aiq_sb_puts(out, "declare query_parameters(");
        for (int i = 0; i < n->nitems; i++) {
            if (i)
                aiq_sb_puts(out, ", ");
            print_param_decl(out, n->items[i]);
        }
        aiq_sb_putc(out, ')');
        break;
    case AIQ_N_FUNC_DEF:
        if (n->op == 1)
            aiq_sb_puts(out, "view ");
        aiq_sb_putc(out, '(');
        for (int i = 0; i < n->nparams; i++) {
            if (i)
                aiq_sb_puts(out, ", ");
            print_param_decl(out, n->params[i]);
        }
        aiq_sb_puts(out, ") { ");
        for (int i = 0; i < n->nitems; i++) {
            aiq_print_node(out, n->items[i]);
            aiq_sb_puts(out, i + 1 < n->nitems ? "; " : " ");
        }
        aiq_sb_putc(out, '}');
        break;
    case AIQ_N_PARAM: print_param_decl(out, n); break;
    case AIQ_N_LITERAL: print_literal(out, n); break;
    case AIQ_N_NAME:
    case AIQ_N_TABLE: print_name(out, n->str); break;
    case AIQ_N_STAR: aiq_sb_putc(out, '*'); break;
    case AIQ_N_BINARY:
        aiq_sb_putc(out, '(');
        print_expr(out, n->lhs);
        aiq_sb_printf(out, " %s ", aiq_func_def(n->op)->name);
        print_expr(out, n->rhs);
        aiq_sb_putc(out, ')');
        break;
    case AIQ_N_UNARY:
        aiq_sb_puts(out, n->op == AIQ_FN_NEG ? "-(" : "+(");
        print_expr(out, n->lhs);
        aiq_sb_putc(out, ')');
        break;
    case AIQ_N_CALL:
        if (n->lhs) { /* cluster("c").database("d") */
            print_postfix_base(out, n->lhs);
            aiq_sb_putc(out, '.');
        }
        aiq_sb_printf(out, "%s(", n->str);
        print_list(out, n->items, n->nitems);
        aiq_sb_putc(out, ')');
        break;
    case AIQ_N_MEMBER:
        print_postfix_base(out, n->lhs);
        aiq_sb_putc(out, '.');
        print_name(out, n->str);
        break;
    case AIQ_N_INDEX:
        print_postfix_base(out, n->lhs);
        aiq_sb_putc(out, '[');
        print_expr(out, n->rhs);
        aiq_sb_putc(out, ']');
        break;
    case AIQ_N_IN:
        aiq_sb_putc(out, '(');
        print_expr(out, n->lhs);
        aiq_sb_printf(out, " %s (", aiq_func_def(n->op)->name);
        print_list(out, n->items, n->nitems);
        aiq_sb_puts(out, "))");
        break;
    case AIQ_N_BETWEEN:
        aiq_sb_putc(out, '(');
        print_expr(out, n->lhs);
        aiq_sb_printf(out, " %s (", aiq_func_def(n->op)->name);
        print_expr(out, n->rhs);
        aiq_sb_puts(out, " .. ");
        print_expr(out, n->extra);
        aiq_sb_puts(out, "))");
        break;
    case AIQ_N_ASSIGN:
        if (n->nitems) { /* (a, b) = f(...) */
            aiq_sb_putc(out, '(');
            for (int i = 0; i < n->nitems; i++) {
                aiq_sb_puts(out, i ? ", " : "");
                print_name(out, n->items[i]->str);
            }
            aiq_sb_putc(out, ')');
        } else {
            print_name(out, n->str);
        }
        aiq_sb_puts(out, " = ");
        print_expr(out, n->lhs);
        if (n->type)
            aiq_sb_printf(out, " to typeof(%s)", aiq_type_name(n->type));
        break;
    case AIQ_N_SORT_KEY: print_sort_key(out, n); break;
    case AIQ_N_COLDECL:
        print_name(out, n->str);
        aiq_sb_printf(out, ":%s", aiq_type_name(n->type));
        break;
    case AIQ_N_PRINT:
        aiq_sb_puts(out, "print ");
        print_list(out, n->items, n->nitems);
        break;
    case AIQ_N_DATATABLE:
        aiq_sb_puts(out, "datatable(");
        print_list(out, n->params, n->nparams);
        aiq_sb_puts(out, ") [");
        print_list(out, n->items, n->nitems);
        aiq_sb_putc(out, ']');
        break;
    case AIQ_N_RANGE:
        aiq_sb_puts(out, "range ");
        print_name(out, n->str);
        aiq_sb_puts(out, " from ");
        aiq_print_node(out, n->lhs);
        aiq_sb_puts(out, " to ");
        aiq_print_node(out, n->rhs);
        aiq_sb_puts(out, " step ");
        aiq_print_node(out, n->extra);
        break;
    case AIQ_N_UNION:
        print_input(out, n);
        aiq_sb_puts(out, "union");
        print_params(out, n->params, n->nparams);
        for (int i = 0; i < n->nitems; i++) {
            aiq_sb_puts(out, i ? ", (" : " (");
            aiq_print_node(out, n->items[i]);
            aiq_sb_putc(out, ')');
        }
        break;
    case AIQ_N_WHERE:
        print_input(out, n);
        aiq_sb_puts(out, "where ");
        aiq_print_node(out, n->rhs);
        break;
    case AIQ_N_EXTEND:
    case AIQ_N_PROJECT:
    case AIQ_N_PROJECT_AWAY:
    case AIQ_N_PROJECT_KEEP:
    case AIQ_N_PROJECT_RENAME:
    case AIQ_N_PROJECT_REORDER:
    case AIQ_N_DISTINCT:
    case AIQ_N_SERIALIZE: {
        static const char *const names[] = {
            [AIQ_N_EXTEND] = "extend", [AIQ_N_PROJECT] = "project",
            [AIQ_N_PROJECT_AWAY] = "project-away", [AIQ_N_PROJECT_KEEP] = "project-keep",
            [AIQ_N_PROJECT_RENAME] = "project-rename", [AIQ_N_PROJECT_REORDER] = "project-reorder",
            [AIQ_N_DISTINCT] = "distinct", [AIQ_N_SERIALIZE] = "serialize",
        };
        print_input(out, n);
        aiq_sb_puts(out, names[n->kind]);
        if (n->nitems)
            aiq_sb_putc(out, ' ');
        if (n->kind == AIQ_N_PROJECT_AWAY || n->kind == AIQ_N_PROJECT_KEEP ||
            n->kind == AIQ_N_PROJECT_REORDER) {
            /* Patterns with '*' are printed raw: they are not names. */
            for (int i = 0; i < n->nitems; i++) {
                if (i)
                    aiq_sb_puts(out, ", ");
                if (strchr(n->items[i]->str, '*'))
                    aiq_sb_puts(out, n->items[i]->str);
                else
                    print_name(out, n->items[i]->str);
                if (n->items[i]->op != AIQ_REORDER_AS_IS)
                    aiq_sb_printf(out, " %s", aiq_reorder_names[n->items[i]->op]);
            }
        } else {
            print_list(out, n->items, n->nitems);
        }
        break;
    }
    case AIQ_N_SUMMARIZE:
        print_input(out, n);
        aiq_sb_puts(out, "summarize");
        if (n->nitems) {
            aiq_sb_putc(out, ' ');
            print_list(out, n->items, n->nitems);
        }
        if (n->nitems2) {
            aiq_sb_puts(out, " by ");
            print_list(out, n->items2, n->nitems2);
        }
        break;
    case AIQ_N_SORT:
        print_input(out, n);
        aiq_sb_puts(out, "sort by ");
        print_list(out, n->items, n->nitems);
        break;
    case AIQ_N_TOP:
        print_input(out, n);
        aiq_sb_puts(out, "top ");
        aiq_print_node(out, n->rhs);
        aiq_sb_puts(out, " by ");
        print_list(out, n->items, n->nitems);
        break;
    case AIQ_N_TAKE:
        print_input(out, n);
        aiq_sb_puts(out, "take ");
        aiq_print_node(out, n->rhs);
        break;
    case AIQ_N_COUNT:
        print_input(out, n);
        aiq_sb_puts(out, "count");
        break;
    case AIQ_N_JOIN:
        print_input(out, n);
        aiq_sb_printf(out, "join kind=%s", aiq_join_kind_names[n->op]);
        for (int i = 0; i < n->nparams; i++)
            if (strcmp(n->params[i]->str, "kind") != 0)
                print_params(out, &n->params[i], 1);
        aiq_sb_puts(out, " (");
        aiq_print_node(out, n->rhs);
        aiq_sb_puts(out, ") on ");
        print_list(out, n->items, n->nitems);
        break;
    case AIQ_N_MV_EXPAND:
        print_input(out, n);
        aiq_sb_puts(out, "mv-expand");
        print_params(out, n->params, n->nparams);
        aiq_sb_putc(out, ' ');
        for (int i = 0; i < n->nitems; i++) {
            if (i)
                aiq_sb_puts(out, ", ");
            aiq_print_node(out, n->items[i]);
            if (n->items[i]->type && n->items[i]->kind != AIQ_N_ASSIGN)
                aiq_sb_printf(out, " to typeof(%s)", aiq_type_name(n->items[i]->type));
        }
        if (n->rhs) {
            aiq_sb_puts(out, " limit ");
            aiq_print_node(out, n->rhs);
        }
        break;
    case AIQ_N_PARSE:
    case AIQ_N_PARSE_WHERE:
        print_input(out, n);
        aiq_sb_puts(out, n->kind == AIQ_N_PARSE ? "parse" : "parse-where");
        print_params(out, n->params, n->nparams);
        aiq_sb_putc(out, ' ');
        aiq_print_node(out, n->rhs);
        aiq_sb_puts(out, " with");
        for (int i = 0; i < n->nitems; i++) {
            aiq_sb_putc(out, ' ');
            aiq_print_node(out, n->items[i]);
        }
        break;
    case AIQ_N_AS:
        print_input(out, n);
        aiq_sb_puts(out, "as ");
        print_name(out, n->str);
        break;
    case AIQ_N_RENDER:
        print_input(out, n);
        aiq_sb_printf(out, "render %s", n->str);
        if (n->nparams) {
            aiq_sb_puts(out, " with (");
            print_list(out, n->params, n->nparams);
            aiq_sb_putc(out, ')');
        }
        break;
    case AIQ_N_GETSCHEMA:
        print_input(out, n);
        aiq_sb_puts(out, "getschema");
        break;
    case AIQ_N_SKIPPED: /* its text as written: aiq knows no more of it */
        print_input(out, n);
        aiq_sb_append(out, n->extra->str, n->extra->slen);
        break;
    case AIQ_N_LOOKUP: case AIQ_N_INVOKE: case AIQ_N_SAMPLE: case AIQ_N_SAMPLE_DISTINCT:
    case AIQ_N_PARSE_KV: case AIQ_N_MV_APPLY: case AIQ_N_EVALUATE: case AIQ_N_TOP_NESTED:
    case AIQ_N_NESTED_LEVEL: case AIQ_N_SEARCH: case AIQ_N_SEARCH_TERM: case AIQ_N_EXTERNALDATA:
    case AIQ_N_SCAN_OP: case AIQ_N_SCAN_STEP:
        aiq_print_more(out, n); /* printer_more.c */
        break;
    case AIQ_N_MAKE_SERIES:
        print_input(out, n);
        aiq_sb_puts(out, "make-series");
        print_params(out, n->params, n->nparams);
        for (int i = 0; i < n->nitems; i++) {
            aiq_sb_puts(out, i ? ", " : " ");
            print_expr(out, n->items[i]);
            if (i < n->rhs->nitems && n->rhs->items[i]) {
                aiq_sb_puts(out, " default = ");
                print_expr(out, n->rhs->items[i]);
            }
        }
        aiq_print_node(out, n->rhs);
        if (n->nitems2) {
            aiq_sb_puts(out, " by ");
            print_list(out, n->items2, n->nitems2);
        }
        break;
    case AIQ_N_SERIES_SPEC:
        aiq_sb_puts(out, " on ");
        print_expr(out, n->items2[0]);
        if (n->op == 1) {
            aiq_sb_puts(out, " in range(");
            print_expr(out, n->lhs);
            aiq_sb_puts(out, ", ");
            print_expr(out, n->rhs);
            aiq_sb_puts(out, ", ");
            print_expr(out, n->extra);
            aiq_sb_putc(out, ')');
            break;
        }
        if (n->lhs) {
            aiq_sb_puts(out, " from ");
            print_expr(out, n->lhs);
        }
        if (n->rhs) {
            aiq_sb_puts(out, " to ");
            print_expr(out, n->rhs);
        }
        aiq_sb_puts(out, " step ");
        print_expr(out, n->extra);
        break;
    case AIQ_N_KIND_COUNT: break;
    }
}
