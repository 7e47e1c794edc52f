/*
 * ops_more.c -- binding issue 14's operators that are other operators in
 * disguise, and the dispatch to the rest: lookup (a join that keeps the
 * right side's key columns out), invoke (a call of a tabular function with
 * the pipe's input as its first argument), parse-where (parse that drops
 * rows it cannot parse), sample and sample-distinct. search, externaldata,
 * mv-apply, evaluate, top-nested, parse-kv and the window functions bind in
 * their own files.
 */
#include "bind/bind_internal.h"

#include <string.h>
#include <strings.h>

#include "io/external.h"

/* lookup: Kusto's dimension-table join. The result is every left column,
 * then the right columns that are not keys (a key's value is the left
 * one's); kind=leftouter (the default) keeps left rows with no match, with
 * nulls on the right, kind=inner drops them. A right row matching several
 * times repeats the left row, as a join does. */
static AiqPlan *bind_lookup(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqNode join = *n;
    join.kind = AIQ_N_JOIN;
    AiqPlan *p = bind_join(b, &join, in, scope);
    if (!p)
        return NULL;
    const AiqSchema *right = &p->right->schema;
    ColList cols = {0};
    for (int c = 0; c < in->schema.ncols; c++)
        bind_cols_push(b, &cols, in->schema.cols[c].name, in->schema.cols[c].type, NULL);
    p->nright_cols = 0;
    for (int c = 0; c < right->ncols; c++) {
        bool key = false;
        for (int k = 0; k < p->nkeys; k++)
            key |= p->right_keys[k] == c;
        if (key)
            continue;
        bind_cols_push(b, &cols, bind_unique_name(b, &cols, right->cols[c].name), right->cols[c].type, NULL);
        p->right_cols[p->nright_cols++] = c;
    }
    p->schema = bind_schema_of(&cols);
    return p;
}

/* T | invoke f(a, b) is f(T, a, b): the input binds to the function's first
 * (tabular) parameter under a name no query can spell. */
static AiqPlan *bind_invoke(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    const AiqNode *call = n->rhs;
    Binding *fb = bind_find_binding(scope, call->str);
    if (!fb || fb->kind != BIND_FUNC) {
        if (fb)
            return FAILF(b, call, AIQ_ERR_BIND, "'%s' is not a function; invoke calls a tabular function", call->str);
        return bind_unknown_function(b, call, scope);
    }
    const AiqNode *def = fb->def;
    if (def->nparams == 0 || def->params[0]->op != 1)
        return FAILF(b, call, AIQ_ERR_BIND,
                     "invoke passes its input as the first argument of '%s', which needs a tabular first parameter such as (T:(*))",
                     call->str);
    static const char input_name[] = "$invoke-input";
    Binding *x = bind_push_binding(b, scope, input_name, BIND_TABULAR);
    x->plan = in;
    AiqNode *arg = aiq_arena_calloc(b->arena, sizeof *arg);
    arg->kind = AIQ_N_TABLE;
    arg->str = input_name;
    arg->off = n->off;
    arg->len = n->len;
    AiqNode *full = aiq_arena_alloc(b->arena, sizeof *full);
    *full = *call;
    full->items = aiq_arena_alloc(b->arena, sizeof *full->items * (size_t)(call->nitems + 1));
    full->items[0] = arg;
    for (int i = 0; i < call->nitems; i++)
        full->items[i + 1] = call->items[i];
    full->nitems = call->nitems + 1;
    return bind_tabular_call(b, full, fb, x);
}

/* sample N: N rows of the input at random (all of them when it has fewer). */
static AiqPlan *bind_sample(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    if (!bind_check_hints(b, n))
        return NULL;
    AiqPlan *p = bind_new_plan(b, AIQ_P_SAMPLE, in);
    return bind_const_count(b, n->rhs, scope, &p->limit, n->kind == AIQ_N_SAMPLE ? "sample" : "sample-distinct") ? p : NULL;
}

/* sample-distinct N of C: N distinct values of C at random: the distinct
 * values first, then a sample of them. */
static AiqPlan *bind_sample_distinct(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqNode d = {.kind = AIQ_N_DISTINCT, .off = n->off, .len = n->len, .items = (AiqNode **)&n->extra, .nitems = 1};
    AiqPlan *values = bind_distinct(b, &d, in, scope);
    return values ? bind_sample(b, n, values, scope) : NULL;
}

/* externaldata's with-properties: format= (Kusto's format names) and
 * ignoreFirstRecord=; others Kusto has (ingestionMapping, ...) are said
 * to be unsupported rather than ignored. */
static bool external_props(Binder *b, const AiqNode *n, AiqPlan *p)
{
    p->ext_format = -1;
    for (int i = 0; i < n->nitems2; i++) {
        const AiqNode *prm = n->items2[i];
        AiqExpr *v = bind_expr(b, prm->lhs, &(ExprCtx){0});
        if (!v)
            return false;
        if (strcasecmp(prm->str, "format") == 0) {
            int f = v->kind == AIQ_E_CONST && v->type == AIQ_TYPE_STRING ? aiq_external_format_from_name(v->value.str.ptr) : -1;
            if (f < 0)
                return bind_fail(b, prm->lhs, AIQ_ERR_BIND, "unknown externaldata format (aiq reads csv, tsv, tsve, psv, scsv, sohsv, txt, raw, json and multijson)") != NULL;
            p->ext_format = f;
        } else if (strcasecmp(prm->str, "ignoreFirstRecord") == 0) {
            if (v->kind != AIQ_E_CONST || v->type != AIQ_TYPE_BOOL)
                return bind_fail(b, prm->lhs, AIQ_ERR_TYPE, "ignoreFirstRecord takes true or false") != NULL;
            p->ext_ignore_first = v->value.i64 != 0;
        } else {
            return FAILF(b, prm, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: the externaldata property '%s'", prm->str) != NULL;
        }
    }
    return true;
}

/* externaldata (cols) [paths] with (...): local paths and file:// URLs.
 * A query naming a URL is valid KQL and binds (aiq check accepts it); it is
 * when it runs that aiq says to download the file first. */
static AiqPlan *bind_externaldata(Binder *b, const AiqNode *n)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_EXTERNAL, NULL);
    ColList cols = {0};
    for (int i = 0; i < n->nparams; i++) {
        if (bind_cols_find(&cols, n->params[i]->str) >= 0)
            return FAILF(b, n->params[i], AIQ_ERR_BIND, "column '%s' is declared twice", n->params[i]->str);
        bind_cols_push(b, &cols, n->params[i]->str, n->params[i]->type, NULL);
    }
    p->schema = bind_schema_of(&cols);
    p->paths = aiq_arena_alloc(b->arena, sizeof *p->paths * (size_t)n->nitems);
    p->path_spans = aiq_arena_alloc(b->arena, sizeof *p->path_spans * 2 * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *u = n->items[i];
        const char *s = u->str;
        if (strlen(s) != u->slen || u->slen == 0)
            return bind_fail(b, u, AIQ_ERR_IO, "externaldata needs a file path here");
        if (strncasecmp(s, "file://", 7) == 0)
            s += 7;
        p->path_spans[2 * p->npaths] = u->off;
        p->path_spans[2 * p->npaths + 1] = u->len;
        p->paths[p->npaths++] = s; /* a URL (http://...) is refused when it runs (op_external.c) */
    }
    p->table_off = n->off;
    p->table_len = n->len;
    return external_props(b, n, p) ? p : NULL;
}

/* parse-kv's with-properties into spec; false after an error. */
static bool kv_props(Binder *b, const AiqNode *n, AiqKvSpec *spec, AiqPlan *p)
{
    spec->mode = AIQ_KV_ANY;
    bool pair = false, kv = false;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        AiqExpr *v = bind_expr(b, prm->lhs, &(ExprCtx){0});
        if (!v)
            return false;
        bool is_greedy = strcmp(prm->str, "greedy") == 0;
        if (!is_const(v) || v->type != (is_greedy ? AIQ_TYPE_BOOL : AIQ_TYPE_STRING))
            return FAILF(b, prm->lhs, AIQ_ERR_TYPE, "parse-kv's %s takes a constant %s", prm->str, is_greedy ? "bool" : "string") != NULL;
        AiqStr s = v->value.str;
        if (strcmp(prm->str, "pair_delimiter") == 0 || strcmp(prm->str, "kv_delimiter") == 0) {
            if (s.len == 0)
                return FAILF(b, prm->lhs, AIQ_ERR_BIND, "parse-kv's %s cannot be empty", prm->str) != NULL;
            *(prm->str[0] == 'p' ? &spec->pair : &spec->kv) = s;
            *(prm->str[0] == 'p' ? &pair : &kv) = true;
        } else if (strcmp(prm->str, "quote") == 0) {
            if ((s.len != 1 && s.len != 2) || spec->nquotes == 8)
                return bind_fail(b, prm->lhs, AIQ_ERR_BIND, "parse-kv's quote is one character, or two: the opening and the closing one") != NULL;
            spec->quotes[spec->nquotes][0] = s.ptr[0];
            spec->quotes[spec->nquotes++][1] = s.ptr[s.len - 1];
        } else if (strcmp(prm->str, "escape") == 0) {
            if (s.len != 1 || spec->nescapes == 8)
                return bind_fail(b, prm->lhs, AIQ_ERR_BIND, "parse-kv's escape is one character") != NULL;
            spec->escapes[spec->nescapes++] = s.ptr[0];
        } else if (is_greedy) {
            spec->greedy = v->value.i64 != 0;
        } else if (strcmp(prm->str, "regex") == 0) {
            spec->mode = AIQ_KV_REGEX;
            p->regex = s.ptr;
            p->regex_len = s.len;
        } else {
            return FAILF(b, prm, AIQ_ERR_BIND, "parse-kv has no property '%s' (it has pair_delimiter, kv_delimiter, quote, escape, greedy and regex)", prm->str) != NULL;
        }
    }
    if (pair != kv)
        return bind_fail(b, n, AIQ_ERR_BIND, "parse-kv needs both pair_delimiter and kv_delimiter, or neither") != NULL;
    if (pair && spec->mode == AIQ_KV_REGEX)
        return bind_fail(b, n, AIQ_ERR_BIND, "parse-kv takes delimiters or a regex, not both") != NULL;
    if (pair)
        spec->mode = AIQ_KV_DELIMITED;
    return true;
}

/* parse-kv Expr as (Key:type, ...) with (...): the input's columns, then a
 * column per key (as parse does, the text is a hidden column below). */
static AiqPlan *bind_parse_kv(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqExpr *src = bind_expr(b, n->rhs, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!src)
        return NULL;
    src = bind_as_string(b, src);
    ColList below = {0};
    bind_passthrough(b, &below, &in->schema);
    bind_cols_push(b, &below, "\001parse_kv_source", AIQ_TYPE_STRING, src);
    AiqPlan *p = bind_new_plan(b, AIQ_P_PARSE_KV, bind_project_plan(b, in, &below));
    AiqKvSpec *spec = aiq_arena_calloc(b->arena, sizeof *spec);
    if (!kv_props(b, n, spec, p))
        return NULL;
    ColList out = {0};
    bind_passthrough(b, &out, &in->schema);
    spec->keys = aiq_arena_alloc(b->arena, sizeof *spec->keys * (size_t)n->nitems);
    p->expand_cols = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *k = n->items[i];
        int at = bind_cols_find(&out, k->str);
        if (at < 0) {
            bind_cols_push(b, &out, k->str, k->type, NULL);
            at = out.n - 1;
        } else {
            out.cols[at].type = k->type;
        }
        spec->keys[i] = k->str;
        p->expand_cols[i] = at;
    }
    p->nexpand = n->nitems;
    p->kv = spec;
    p->limit = in->schema.ncols; /* the hidden source column */
    p->schema = bind_schema_of(&out);
    return p;
}

AiqPlan *bind_step_more(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    switch (n->kind) {
    case AIQ_N_LOOKUP: return bind_lookup(b, n, in, scope);
    case AIQ_N_INVOKE: return bind_invoke(b, n, in, scope);
    case AIQ_N_SAMPLE: return bind_sample(b, n, in, scope);
    case AIQ_N_SAMPLE_DISTINCT: return bind_sample_distinct(b, n, in, scope);
    case AIQ_N_EXTERNALDATA: return bind_externaldata(b, n);
    case AIQ_N_SEARCH: return bind_search(b, n, in, scope);
    case AIQ_N_MV_APPLY: return bind_mv_apply(b, n, in, scope);
    case AIQ_N_EVALUATE: return bind_evaluate(b, n, in, scope);
    case AIQ_N_TOP_NESTED: return bind_top_nested(b, n, in, scope);
    case AIQ_N_PARSE_KV: return bind_parse_kv(b, n, in, scope);
    case AIQ_N_SCAN_OP: return bind_scan_op(b, n, in, scope);
    case AIQ_N_PARSE_WHERE: {
        AiqPlan *p = bind_parse(b, n, in, scope);
        if (p)
            p->parse_where = true;
        return p;
    }
    default:
        return bind_fail(b, n, AIQ_ERR_BIND, "expected a table expression (a table name, or a query such as T | where ...)");
    }
}
