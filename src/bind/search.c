/*
 * search.c -- binding the search operator: `search [kind=case_sensitive]
 * [in (T1, T2, App*)] predicate` over the tables it names (every table in
 * scope when it names none, or the pipe's input), then a filter. The
 * result starts with $table, the name of each row's table. Search terms
 * become string operators as Kusto's search page lays out: "x" is has,
 * "x*" hasprefix, "*x" hassuffix, "*x*" contains, "a*b" matches regex
 * \ba.*b\b; a term without a column looks in every column, and col:"x" in
 * one. Other parts of the predicate are ordinary expressions.
 */
#include "bind/bind_internal.h"

#include <string.h>

#include "util/strbuf.h"

static AiqNode *node(Binder *b, AiqNodeKind kind, const AiqNode *at)
{
    AiqNode *n = aiq_arena_calloc(b->arena, sizeof *n);
    n->kind = kind;
    n->off = at->off;
    n->len = at->len;
    return n;
}

static AiqNode *string_lit(Binder *b, const AiqNode *at, const char *s, size_t len)
{
    AiqNode *n = node(b, AIQ_N_LITERAL, at);
    n->type = AIQ_TYPE_STRING;
    n->str = aiq_arena_strndup(b->arena, s, len);
    n->slen = (uint32_t)len;
    return n;
}

static AiqNode *binary(Binder *b, const AiqNode *at, AiqFuncId op, AiqNode *l, AiqNode *r)
{
    AiqNode *n = node(b, AIQ_N_BINARY, at);
    n->op = op;
    n->lhs = l;
    n->rhs = r;
    return n;
}

/* A column by name; a column that is not text is searched as its text. */
static AiqNode *column_text(Binder *b, const AiqNode *at, const AiqColumn *col)
{
    AiqNode *name = node(b, AIQ_N_NAME, at);
    name->str = col->name;
    if (is_text(col->type))
        return name;
    AiqNode *call = node(b, AIQ_N_CALL, at);
    call->str = "tostring";
    call->items = aiq_arena_alloc(b->arena, sizeof *call->items);
    call->items[0] = name;
    call->nitems = 1;
    return call;
}

/* The operator and operand of a term by where its wildcards are. */
static AiqFuncId term_operator(Binder *b, const AiqNode *t, bool cs, AiqNode **operand)
{
    const char *s = t->str;
    size_t n = t->slen;
    bool lead = n && s[0] == '*', trail = n > 1 && s[n - 1] == '*';
    size_t in0 = lead, in1 = n - trail;
    bool inner = memchr(s + in0, '*', in1 > in0 ? in1 - in0 : 0) != NULL;
    if (inner) { /* a*b: \ba.*b\b, each part literal */
        AiqStrBuf re;
        aiq_sb_init(&re);
        aiq_sb_puts(&re, cs ? "" : "(?i)");
        aiq_sb_puts(&re, lead ? "" : "\\b");
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '*') {
                aiq_sb_puts(&re, ".*");
                continue;
            }
            if (strchr("\\^$.|?+()[]{}", s[i]))
                aiq_sb_putc(&re, '\\');
            aiq_sb_putc(&re, s[i]);
        }
        aiq_sb_puts(&re, trail ? "" : "\\b");
        *operand = string_lit(b, t, aiq_sb_str(&re), re.len);
        aiq_sb_free(&re);
        return AIQ_FN_MATCHES_REGEX;
    }
    *operand = string_lit(b, t, s + in0, in1 > in0 ? in1 - in0 : 0);
    if (lead && trail)
        return cs ? AIQ_FN_CONTAINS_CS : AIQ_FN_CONTAINS;
    if (lead)
        return cs ? AIQ_FN_HASSUFFIX_CS : AIQ_FN_HASSUFFIX;
    if (trail)
        return cs ? AIQ_FN_HASPREFIX_CS : AIQ_FN_HASPREFIX;
    return cs ? AIQ_FN_HAS_CS : AIQ_FN_HAS;
}

/* A search term as an expression over the columns of s (all but $table,
 * or the one it names). */
static AiqNode *term_expr(Binder *b, const AiqNode *t, const AiqSchema *s, bool cs)
{
    if (t->slen == 1 && t->str[0] == '*') {
        AiqNode *yes = node(b, AIQ_N_LITERAL, t);
        yes->type = AIQ_TYPE_BOOL;
        yes->i64 = 1;
        return yes;
    }
    AiqNode *operand;
    AiqFuncId op = term_operator(b, t, cs, &operand);
    if (t->lhs) {
        int c = bind_schema_find(b, s, t->lhs->str);
        if (c < 0)
            return bind_unknown_column(b, t->lhs, &(ExprCtx){.schema = s});
        return binary(b, t, op, column_text(b, t->lhs, &s->cols[c]), operand);
    }
    AiqNode *any = NULL;
    for (int c = 0; c < s->ncols; c++) {
        if (strcmp(s->cols[c].name, "$table") == 0)
            continue;
        AiqNode *one = binary(b, t, op, column_text(b, t, &s->cols[c]), operand);
        any = any ? binary(b, t, AIQ_FN_OR, any, one) : one;
    }
    if (!any) { /* no column to look in: no row matches */
        any = node(b, AIQ_N_LITERAL, t);
        any->type = AIQ_TYPE_BOOL;
    }
    return any;
}

/* The predicate with its search terms rewritten (and, or, not around them). */
static AiqNode *rewrite(Binder *b, const AiqNode *n, const AiqSchema *s, bool cs)
{
    if (n->kind == AIQ_N_SEARCH_TERM)
        return term_expr(b, n, s, cs);
    if (n->kind == AIQ_N_STAR)
        return term_expr(b, &(AiqNode){.kind = AIQ_N_SEARCH_TERM, .off = n->off, .len = n->len, .str = "*", .slen = 1}, s, cs);
    if (n->kind == AIQ_N_BINARY && (n->op == AIQ_FN_AND || n->op == AIQ_FN_OR)) {
        AiqNode *l = rewrite(b, n->lhs, s, cs), *r = l ? rewrite(b, n->rhs, s, cs) : NULL;
        return r ? binary(b, n, (AiqFuncId)n->op, l, r) : NULL;
    }
    if (n->kind == AIQ_N_CALL && strcmp(n->str, "not") == 0 && n->nitems == 1) {
        AiqNode *c = node(b, AIQ_N_CALL, n);
        *c = *n;
        c->items = aiq_arena_alloc(b->arena, sizeof *c->items);
        if (!(c->items[0] = rewrite(b, n->items[0], s, cs)))
            return NULL;
        return c;
    }
    return (AiqNode *)n;
}

/* Whether name matches a table pattern with '*' wildcards. */
static bool glob_match(const char *pat, const char *s)
{
    if (!*pat)
        return !*s;
    if (*pat == '*')
        return glob_match(pat + 1, s) || (*s && glob_match(pat, s + 1));
    return *s == *pat && glob_match(pat + 1, s + 1);
}

/* The tables searched: those `in (...)` names (patterns expanded against
 * the catalog), or every table in scope. */
static const char **search_tables(Binder *b, const AiqNode *n, int *count)
{
    int cap = b->opts->ntable_names + n->nitems + 1;
    const char **names = aiq_arena_alloc(b->arena, sizeof *names * (size_t)cap);
    *count = 0;
    if (n->nitems == 0) {
        for (int i = 0; i < b->opts->ntable_names; i++)
            names[(*count)++] = b->opts->table_names[i];
        return names;
    }
    for (int i = 0; i < n->nitems; i++) {
        const char *pat = n->items[i]->str;
        if (!strchr(pat, '*')) {
            names[(*count)++] = pat;
            continue;
        }
        for (int k = 0; k < b->opts->ntable_names && *count < cap; k++)
            if (glob_match(pat, b->opts->table_names[k]))
                names[(*count)++] = b->opts->table_names[k];
    }
    return names;
}

/* The union of the searched tables with $table first: a column on several
 * tables is one column when its type agrees, else the later one is named
 * Name_type (Kusto's rule for a union's clashing columns). */
static AiqPlan *search_union(Binder *b, const AiqNode *n, Binding *scope)
{
    int nt;
    const char **names = search_tables(b, n, &nt);
    if (nt == 0)
        return bind_fail(b, n, AIQ_ERR_BIND, n->nitems ? "search: no table matches the names in 'in (...)'" : "search: no table is bound to search");
    AiqPlan *p = bind_new_plan(b, AIQ_P_UNION, NULL);
    p->inputs = aiq_arena_alloc(b->arena, sizeof *p->inputs * (size_t)nt);
    p->source_names = names;
    p->ninputs = nt;
    p->source_col = 0;
    ColList cols = {0};
    bind_cols_push(b, &cols, "$table", AIQ_TYPE_STRING, NULL);
    int **at = aiq_arena_alloc(b->arena, sizeof *at * (size_t)nt);
    for (int i = 0; i < nt; i++) {
        const AiqNode *src = i < n->nitems && !strchr(n->items[i]->str, '*') ? n->items[i] : n;
        AiqNode *tab = node(b, AIQ_N_TABLE, src);
        tab->str = names[i];
        if (!(p->inputs[i] = bind_tabular(b, tab, scope)))
            return NULL;
        if (p->inputs[i]->depth + 1 > p->depth)
            p->depth = p->inputs[i]->depth + 1;
        const AiqSchema *s = &p->inputs[i]->schema;
        at[i] = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(s->ncols + 1));
        for (int c = 0; c < s->ncols; c++) {
            int k = bind_cols_find(&cols, s->cols[c].name);
            if (k >= 0 && cols.cols[k].type != s->cols[c].type) {
                const char *alt = aiq_arena_printf(b->arena, "%s_%s", s->cols[c].name, aiq_type_name(s->cols[c].type));
                k = bind_cols_find(&cols, alt);
                if (k < 0) {
                    bind_cols_push(b, &cols, alt, s->cols[c].type, NULL);
                    k = cols.n - 1;
                }
            } else if (k < 0) {
                bind_cols_push(b, &cols, s->cols[c].name, s->cols[c].type, NULL);
                k = cols.n - 1;
            }
            at[i][c] = k;
        }
    }
    p->schema = bind_schema_of(&cols);
    p->maps = aiq_arena_alloc(b->arena, sizeof *p->maps * (size_t)nt);
    for (int i = 0; i < nt; i++) {
        p->maps[i] = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(cols.n + 1));
        for (int c = 0; c < cols.n; c++)
            p->maps[i][c] = -1;
        for (int c = 0; c < p->inputs[i]->schema.ncols; c++)
            p->maps[i][at[i][c]] = c;
    }
    return p;
}

/* The name of the table a pipeline reads, for $table of `T | search`. */
static const char *source_table(const AiqPlan *p)
{
    while (p && p->kind != AIQ_P_SCAN && p->input)
        p = p->input;
    return p && p->kind == AIQ_P_SCAN ? p->table : "";
}

/* T | search ...: $table (T's name), then T's columns. */
static AiqPlan *search_input(Binder *b, AiqPlan *in)
{
    ColList cols = {0};
    AiqExpr *name = bind_const_expr(b, AIQ_TYPE_STRING, NULL);
    const char *t = source_table(in);
    name->value.str = (AiqStr){t, (uint32_t)strlen(t)};
    bind_cols_push(b, &cols, "$table", AIQ_TYPE_STRING, name);
    for (int c = 0; c < in->schema.ncols; c++)
        if (strcmp(in->schema.cols[c].name, "$table") != 0)
            bind_cols_push(b, &cols, in->schema.cols[c].name, in->schema.cols[c].type,
                           bind_column_expr(b, c, in->schema.cols[c].type, NULL));
    return bind_project_plan(b, in, &cols);
}

AiqPlan *bind_search(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    static const char *const kinds[] = {"case_insensitive", "case_sensitive", NULL};
    bool cs = false;
    for (int i = 0; i < n->nparams; i++) {
        int k = bind_param_choice(b, n->params[i], kinds, "search kind", "case_sensitive or case_insensitive");
        if (k < 0)
            return NULL;
        cs = k == 1;
    }
    AiqPlan *src = in ? search_input(b, in) : search_union(b, n, scope);
    if (!src)
        return NULL;
    AiqNode *pred = rewrite(b, n->rhs, &src->schema, cs);
    AiqExpr *e = pred ? bind_expr(b, pred, &(ExprCtx){.schema = &src->schema, .scope = scope}) : NULL;
    if (!e)
        return NULL;
    e = bind_coerce_dynamic(b, e, AIQ_TYPE_BOOL);
    if (e->type != AIQ_TYPE_BOOL)
        return FAILF(b, n->rhs, AIQ_ERR_TYPE, "the search predicate must be bool, found %s", aiq_type_name(e->type));
    return bind_filter_chain(b, src, e);
}
