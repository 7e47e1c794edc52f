/*
 * explain.c -- plan pretty-printer (see explain.h).
 */
#include "plan/explain.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "core/json_text.h"
#include "func/registry.h"
#include "parse/ast.h"
#include "util/mem.h"
#include "util/timefmt.h"

static const char *const plan_names[AIQ_P_KIND_COUNT] = {
#define AIQ_PLAN_NAME(id, name) name,
    AIQ_PLAN_KINDS(AIQ_PLAN_NAME)
#undef AIQ_PLAN_NAME
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

/* An expression prints at most this many bytes: a let value used twice
 * makes a DAG (let s2 = strcat(s1, s1)) whose text doubles at each level. */
#define EXPLAIN_EXPR_BYTES (1u << 20)

typedef enum { CALL_INDEX, CALL_INFIX, CALL_PREFIX } CallForm;

static CallForm call_form(const AiqExpr *e)
{
    if (e->fn->id == AIQ_FN_INDEX)
        return CALL_INDEX;
    return e->nargs == 2 && aiq_func_is_operator(e->fn) ? CALL_INFIX : CALL_PREFIX;
}

static const char *call_name(const AiqExpr *e)
{
    return e->fn->id == AIQ_FN_NEG ? "-" : e->fn->name;
}

/* Whether the budget is spent: then "..." ends the text, once. */
static bool spent(AiqStrBuf *out, size_t stop)
{
    if (out->len < stop)
        return false;
    if (out->len < 3 || memcmp(out->data + out->len - 3, "...", 3) != 0)
        aiq_sb_puts(out, "...");
    return true;
}

/* Prints e down its args[0] chain in a loop: what comes before args[0]
 * for each call from the top, the bottom, then what comes after args[0]
 * for each call from the bottom up. */
static void explain_expr(AiqStrBuf *out, const AiqExpr *e, const AiqSchema *schema, size_t stop)
{
    int n = 0;
    for (const AiqExpr *x = e; x->kind == AIQ_E_CALL && x->nargs > 0; x = x->args[0])
        n++;
    const AiqExpr **calls = aiq_xmalloc(sizeof *calls * (size_t)(n + 1));
    const AiqExpr *x = e;
    for (int j = 0; j < n; j++, x = x->args[0]) {
        calls[j] = x;
        if (spent(out, stop))
            goto done;
        switch (call_form(x)) {
        case CALL_INDEX: break;
        case CALL_INFIX: aiq_sb_putc(out, '('); break;
        case CALL_PREFIX: aiq_sb_printf(out, "%s(", call_name(x)); break;
        }
    }
    switch (x->kind) {
    case AIQ_E_COLUMN:
        if (schema && x->col < schema->ncols && schema->cols[x->col].name[0] != '\x01')
            aiq_sb_puts(out, schema->cols[x->col].name);
        else
            aiq_sb_printf(out, "#%d", x->col);
        break;
    case AIQ_E_CONST: value(out, &x->value); break;
    case AIQ_E_CALL: aiq_sb_printf(out, "%s()", call_name(x)); break;
    }
    for (int j = n - 1; j >= 0; j--) {
        const AiqExpr *c = calls[j];
        if (spent(out, stop))
            goto done;
        switch (call_form(c)) {
        case CALL_INDEX:
            aiq_sb_putc(out, '[');
            explain_expr(out, c->args[1], schema, stop);
            aiq_sb_putc(out, ']');
            break;
        case CALL_INFIX:
            aiq_sb_printf(out, " %s ", c->fn->name);
            explain_expr(out, c->args[1], schema, stop);
            aiq_sb_putc(out, ')');
            break;
        case CALL_PREFIX:
            for (int i = 1; i < c->nargs; i++) {
                aiq_sb_puts(out, ", ");
                explain_expr(out, c->args[i], schema, stop);
            }
            aiq_sb_putc(out, ')');
            break;
        }
    }
done:
    aiq_xfree(calls);
}

void aiq_explain_expr(AiqStrBuf *out, const AiqExpr *e, const AiqSchema *schema)
{
    explain_expr(out, e, schema, out->len + EXPLAIN_EXPR_BYTES);
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

/* Two spaces a level, up to MAX_INDENT levels: a pipeline as long as the
 * query would otherwise print a square of blanks. */
#define MAX_INDENT 64
static void indent(AiqStrBuf *out, int depth)
{
    for (int i = 0; i < depth && i < MAX_INDENT; i++)
        aiq_sb_puts(out, "  ");
}

/* " reads (A, B, D["k1","k2"])" for a scan, as physical planning decided. */
static void scan_reads(AiqStrBuf *out, const AiqPlan *p)
{
    const AiqScanSpec *spec = p->scan;
    if (!spec)
        return;
    int n = 0;
    aiq_sb_puts(out, " reads (");
    for (int c = 0; c < p->schema.ncols; c++) {
        if (spec->needed && !spec->needed[c])
            continue;
        aiq_sb_printf(out, "%s%s", n++ ? ", " : "", p->schema.cols[c].name);
        const AiqColumnKeys *k = spec->keys ? &spec->keys[c] : NULL;
        if (p->schema.cols[c].type != AIQ_TYPE_DYNAMIC || !k)
            continue;
        if (k->text_only) {
            aiq_sb_puts(out, " as text"); /* passed to the result, never parsed */
        } else if (k->n >= 0) {
            aiq_sb_putc(out, '[');
            for (int i = 0; i < k->n; i++)
                aiq_sb_printf(out, "%s\"%s\"", i ? "," : "", k->keys[i]);
            aiq_sb_putc(out, ']');
        }
    }
    aiq_sb_putc(out, ')');
}

/* " [reader tests: A, B]": the conjuncts of a where that its scan's reader
 * tests on each line too. */
static void pushed_preds(AiqStrBuf *out, const AiqPlan *p, const AiqSchema *in)
{
    for (int i = 0; i < p->npushed; i++) {
        aiq_sb_puts(out, i ? ", " : " [reader tests: ");
        aiq_explain_expr(out, p->pushed[i], in);
    }
    if (p->npushed)
        aiq_sb_putc(out, ']');
}

/* One line for operator p. */
static void line(AiqStrBuf *out, const AiqPlan *p, int depth)
{
    indent(out, depth);
    aiq_sb_puts(out, aiq_plan_kind_name(p->kind));
    const AiqSchema *in = p->input ? &p->input->schema : NULL;
    switch (p->kind) {
    case AIQ_P_SCAN:
        aiq_sb_printf(out, " %s", p->table);
        scan_reads(out, p);
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
                if (p->schema.cols[i].name[0] == '\x01') /* an internal column, as columns() shows it */
                    aiq_sb_printf(out, "#%d=", i);
                else
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
            if (a->arg2) {
                aiq_sb_puts(out, ", ");
                aiq_explain_expr(out, a->arg2, in);
            }
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
        if (p->kind == AIQ_P_TOP && p->input->kind == AIQ_P_SCAN && p->input->scan && p->input->scan->top)
            aiq_sb_printf(out, " [reader skips rows that cannot enter the top %lld]", (long long)p->limit);
        break;
    case AIQ_P_TAKE: aiq_sb_printf(out, " %lld", (long long)p->limit); break;
    case AIQ_P_JOIN:
        aiq_sb_printf(out, " kind=%s on ", aiq_join_kind_names[p->join_kind]);
        for (int i = 0; i < p->nkeys; i++)
            aiq_sb_printf(out, "%s$left.%s == $right.%s", i ? ", " : "", p->input->schema.cols[p->left_keys[i]].name, p->right->schema.cols[p->right_keys[i]].name);
        break;
    case AIQ_P_PARSE: aiq_sb_printf(out, " regex=/%s/", p->regex); break;
    case AIQ_P_SHARED: aiq_sb_printf(out, " #%d (evaluated once)", p->shared_id); break;
    case AIQ_P_MAKE_SERIES: {
        const AiqSeriesSpec *sp = p->series;
        if (sp->old_range) {
            aiq_sb_puts(out, " in range(");
            aiq_explain_expr(out, sp->from, in);
            aiq_sb_puts(out, ", ");
            aiq_explain_expr(out, sp->to, in);
            aiq_sb_puts(out, ", ");
        } else {
            aiq_sb_puts(out, " from ");
            if (sp->from)
                aiq_explain_expr(out, sp->from, in);
            else
                aiq_sb_puts(out, "(the data)");
            aiq_sb_puts(out, " to ");
            if (sp->to)
                aiq_explain_expr(out, sp->to, in);
            else
                aiq_sb_puts(out, "(the data)");
            aiq_sb_puts(out, " step ");
        }
        aiq_explain_expr(out, sp->step, in);
        aiq_sb_puts(out, sp->old_range ? ")" : "");
        if (sp->nonempty)
            aiq_sb_puts(out, " kind=nonempty");
        break;
    }
    default: break;
    }
    columns(out, &p->schema);
}

/* p and everything below it: each operator's line, then its input's tree,
 * then its right side and union inputs. The input chain is as long as the
 * query, so it is walked in a loop: the lines down the chain first, then
 * the other subtrees from the bottom up (the order recursion would give). */
typedef struct Explain {
    AiqStrBuf *out;
    bool *shared_shown; /* by shared id: its tree is printed already */
} Explain;

/* A tabular let shows its tree at its first use only: let t2 = union t1,
 * t1 (and t3 of t2 ...) would print it twice at every level. */
static bool stop_at(Explain *x, const AiqPlan *p)
{
    if (p->kind != AIQ_P_SHARED)
        return false;
    bool shown = x->shared_shown[p->shared_id];
    x->shared_shown[p->shared_id] = true;
    return shown;
}

static void node(Explain *x, const AiqPlan *p, int depth)
{
    int n = 0;
    for (const AiqPlan *q = p; q; q = q->input)
        n++;
    const AiqPlan **chain = aiq_xmalloc(sizeof *chain * (size_t)n);
    n = 0;
    for (const AiqPlan *q = p; q; q = q->input) {
        chain[n] = q;
        line(x->out, q, depth + n);
        n++;
        if (stop_at(x, q))
            break;
    }
    for (int j = n - 1; j >= 0; j--) {
        if (chain[j]->right)
            node(x, chain[j]->right, depth + j + 1);
        for (int i = 0; i < chain[j]->ninputs; i++)
            node(x, chain[j]->inputs[i], depth + j + 1);
    }
    aiq_xfree(chain);
}

void aiq_explain_plan(AiqStrBuf *out, const AiqPlan *plan)
{
    bool *shown = aiq_xcalloc((size_t)plan->nshared + 1, sizeof *shown);
    Explain x = {out, shown};
    node(&x, plan, 0);
    aiq_xfree(shown);
}
