/*
 * explain.c -- plan pretty-printer (see explain.h).
 */
#include "explain.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "exec/pushdown.h"
#include "func/registry.h"
#include "plan/columns.h"
#include "parse/ast.h"
#include "util/mem.h"
#include "util/timefmt.h"

/* ORDER PLANS */
static const char *const plan_names[AIQ_P_KIND_COUNT] = {
    "scan", "values", "range", "filter", "project", "summarize", "sort", "top", "take",
    "join", "union", "mv-expand", "parse", "shared",
};

const char *aiq_plan_kind_name(AiqPlanKind k)
{
    return (unsigned)k < AIQ_P_KIND_COUNT ? plan_names[k] : "?";
}

static void value(AiqStrBuf *out, const AiqValue *v)
{
    char buf[64];
    if (v->isnull) {
        aiq_sb_printf(out, "%s(null)", aiq_type_name(v->type));
        return;
    }
    switch (v->type) {
    case AIQ_TYPE_BOOL: aiq_sb_puts(out, v->i64 ? "true" : "false"); break;
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: aiq_sb_printf(out, "%" PRId64, v->i64); break;
    case AIQ_TYPE_REAL:
        aiq_real_format(v->f64, buf);
        aiq_sb_printf(out, "%s%s", buf, strpbrk(buf, ".eEnI") ? "" : ".0");
        break;
    case AIQ_TYPE_STRING: aiq_sb_printf(out, "\"%.*s\"", (int)v->str.len, v->str.ptr); break;
    case AIQ_TYPE_DATETIME: aiq_datetime_format(v->i64, buf); aiq_sb_printf(out, "datetime(%s)", buf); break;
    case AIQ_TYPE_TIMESPAN: aiq_timespan_format(v->i64, buf); aiq_sb_printf(out, "time(%s)", buf); break;
    case AIQ_TYPE_DYNAMIC: {
        char *s = aiq_json_dumps(v->dyn, 0); /* (NULL for NULL) */
        aiq_sb_printf(out, "dynamic(%s)", s ? s : "null");
        aiq_xfree(s);
        break;
    }
    default: aiq_sb_puts(out, "?");
    }
}

void aiq_explain_expr(AiqStrBuf *out, const AiqExpr *e, const AiqSchema *schema)
{
    switch (e->kind) {
    case AIQ_E_COLUMN:
        if (schema && e->col < schema->ncols && schema->cols[e->col].name[0] != '\x01')
            aiq_sb_puts(out, schema->cols[e->col].name);
        else
            aiq_sb_printf(out, "#%d", e->col);
        break;
    case AIQ_E_CONST: value(out, &e->value); break;
    case AIQ_E_CALL: {
        const char *name = e->fn ? e->fn->name : "?";
        bool infix = e->nargs == 2 && aiq_func_is_operator(e->fn) && strcmp(name, "[]") != 0;
        if (strcmp(name, "[]") == 0) {
            aiq_explain_expr(out, e->args[0], schema);
            aiq_sb_putc(out, '[');
            aiq_explain_expr(out, e->args[1], schema);
            aiq_sb_putc(out, ']');
        } else if (infix) {
            aiq_sb_putc(out, '(');
            aiq_explain_expr(out, e->args[0], schema);
            aiq_sb_printf(out, " %s ", name);
            aiq_explain_expr(out, e->args[1], schema);
            aiq_sb_putc(out, ')');
        } else {
            aiq_sb_printf(out, "%s(", strcmp(name, "neg") == 0 ? "-" : name);
            for (int i = 0; i < e->nargs; i++) {
                if (i)
                    aiq_sb_puts(out, ", ");
                aiq_explain_expr(out, e->args[i], schema);
            }
            aiq_sb_putc(out, ')');
        }
        break;
    }
    }
}

static void columns(AiqStrBuf *out, const AiqSchema *s)
{
    aiq_sb_puts(out, " -> (");
    for (int i = 0; i < s->ncols; i++) {
        if (i)
            aiq_sb_puts(out, ", ");
        if (s->cols[i].name[0] == '\x01')
            aiq_sb_printf(out, "#%d", i);
        else
            aiq_sb_puts(out, s->cols[i].name);
        aiq_sb_printf(out, ":%s", aiq_type_name(s->cols[i].type));
    }
    aiq_sb_puts(out, ")\n");
}

static void indent(AiqStrBuf *out, int depth)
{
    for (int i = 0; i < depth; i++)
        aiq_sb_puts(out, "  ");
}

/* ", reads: A, B, D[k1,k2]" for a scan, from the pushdown analysis. */
static void scan_reads(AiqStrBuf *out, const AiqPlan *p, const AiqScanNeeds *needs, int nneeds)
{
    for (int i = 0; i < nneeds; i++) {
        if (strcmp(needs[i].table, p->table) != 0 || needs[i].ncols != p->schema.ncols)
            continue;
        int n = 0;
        aiq_sb_puts(out, " reads (");
        for (int c = 0; c < p->schema.ncols; c++) {
            if (!needs[i].needed[c])
                continue;
            aiq_sb_printf(out, "%s%s", n++ ? ", " : "", p->schema.cols[c].name);
            const AiqKeyFilter *f = &needs[i].keys[c];
            if (p->schema.cols[c].type == AIQ_TYPE_DYNAMIC && aiq_key_filter_text_only(f)) {
                aiq_sb_puts(out, " as text"); /* passed to the result, never parsed */
            } else if (p->schema.cols[c].type == AIQ_TYPE_DYNAMIC && !f->all && !f->output) {
                aiq_sb_putc(out, '[');
                for (int k = 0; k < f->nkeys; k++)
                    aiq_sb_printf(out, "%s\"%s\"", k ? "," : "", f->keys[k]);
                aiq_sb_putc(out, ']');
            }
        }
        aiq_sb_putc(out, ')');
    }
}

/* " [reader tests: A, B]": the conjuncts of a where that the reader tests
 * on each line (exec/pushdown.h decides, for the executor too). */
static void pushed_preds(AiqStrBuf *out, const AiqPlan *p, const AiqSchema *in)
{
    if (!aiq_pushdown_filter(p))
        return;
    AiqRowPred *preds = NULL;
    int n = 0, cap = 0;
    aiq_pushdown_preds(p->exprs[0], &preds, &n, &cap);
    for (int i = 0; i < n; i++) {
        aiq_sb_puts(out, i ? ", " : " [reader tests: ");
        aiq_explain_expr(out, preds[i].conjunct, in);
    }
    if (n)
        aiq_sb_putc(out, ']');
    aiq_xfree(preds);
}

static void node(AiqStrBuf *out, const AiqPlan *p, int depth, const AiqScanNeeds *needs, int nneeds)
{
    indent(out, depth);
    aiq_sb_puts(out, aiq_plan_kind_name(p->kind));
    const AiqSchema *in = p->input ? &p->input->schema : NULL;
    switch (p->kind) {
    case AIQ_P_SCAN:
        aiq_sb_printf(out, " %s", p->table);
        scan_reads(out, p, needs, nneeds);
        break;
    case AIQ_P_VALUES: aiq_sb_printf(out, " %lld row%s", (long long)p->nrows, p->nrows == 1 ? "" : "s"); break;
    case AIQ_P_FILTER:
        aiq_sb_putc(out, ' ');
        aiq_explain_expr(out, p->exprs[0], in);
        pushed_preds(out, p, in);
        break;
    case AIQ_P_PROJECT:
        for (int i = 0; i < p->nexprs; i++) {
            aiq_sb_puts(out, i ? ", " : " ");
            const AiqExpr *e = p->exprs[i];
            if (e->kind == AIQ_E_COLUMN && in && strcmp(in->cols[e->col].name, p->schema.cols[i].name) == 0)
                aiq_sb_puts(out, p->schema.cols[i].name);
            else {
                aiq_sb_printf(out, "%s=", p->schema.cols[i].name);
                aiq_explain_expr(out, e, in);
            }
        }
        break;
    case AIQ_P_SUMMARIZE:
        for (int i = 0; i < p->naggs; i++) {
            const AiqAgg *a = &p->aggs[i];
            aiq_sb_printf(out, "%s%s(", i ? ", " : " ", aiq_agg_name(a->kind));
            if (a->arg)
                aiq_explain_expr(out, a->arg, in);
            if (a->pred) {
                if (a->arg)
                    aiq_sb_puts(out, ", ");
                aiq_explain_expr(out, a->pred, in);
            }
            for (int k = 0; k < a->npcts; k++)
                aiq_sb_printf(out, ", %g", a->pcts[k]);
            for (int k = 0; k < a->nextra; k++) {
                aiq_sb_puts(out, (a->arg || k) ? ", " : "");
                aiq_explain_expr(out, a->extra[k], in);
            }
            aiq_sb_putc(out, ')');
        }
        if (p->nexprs) {
            aiq_sb_puts(out, " by ");
            for (int i = 0; i < p->nexprs; i++) {
                if (i)
                    aiq_sb_puts(out, ", ");
                aiq_explain_expr(out, p->exprs[i], in);
            }
        }
        break;
    case AIQ_P_SORT:
    case AIQ_P_TOP:
        if (p->kind == AIQ_P_TOP)
            aiq_sb_printf(out, " %lld", (long long)p->limit);
        aiq_sb_puts(out, " by ");
        for (int i = 0; i < p->nexprs; i++) {
            if (i)
                aiq_sb_puts(out, ", ");
            aiq_explain_expr(out, p->exprs[i], in);
            aiq_sb_puts(out, p->sort_flags[i] & AIQ_SORT_ASC ? " asc" : " desc");
            aiq_sb_puts(out, p->sort_flags[i] & AIQ_SORT_NULLS_FIRST ? " nulls first" : " nulls last");
        }
        AiqTopHint *hint = aiq_pushdown_top_hint(p);
        if (hint) /* the executor hands the same hint to the reader */
            aiq_sb_printf(out, " [reader skips rows that cannot enter the top %lld]", (long long)p->limit);
        aiq_xfree(hint);
        break;
    case AIQ_P_TAKE: aiq_sb_printf(out, " %lld", (long long)p->limit); break;
    case AIQ_P_JOIN:
        aiq_sb_printf(out, " kind=%s on ", aiq_join_kind_names[p->join_kind]);
        for (int i = 0; i < p->nkeys; i++)
            aiq_sb_printf(out, "%s$left.%s == $right.%s", i ? ", " : "", p->input->schema.cols[p->left_keys[i]].name, p->right->schema.cols[p->right_keys[i]].name);
        break;
    case AIQ_P_PARSE: aiq_sb_printf(out, " regex=/%s/", p->regex); break;
    case AIQ_P_SHARED: aiq_sb_printf(out, " #%d (evaluated once)", p->shared_id); break;
    default: break;
    }
    columns(out, &p->schema);
    if (p->input)
        node(out, p->input, depth + 1, needs, nneeds);
    if (p->right)
        node(out, p->right, depth + 1, needs, nneeds);
    for (int i = 0; i < p->ninputs; i++)
        node(out, p->inputs[i], depth + 1, needs, nneeds);
}

void aiq_explain_plan(AiqStrBuf *out, const AiqPlan *plan)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    int nneeds;
    AiqScanNeeds *needs = aiq_plan_needed_columns(plan, &arena, &nneeds);
    node(out, plan, 0, needs, nneeds);
    aiq_arena_free(&arena);
}
