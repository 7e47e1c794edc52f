/*
 * sources.c -- parse (its pattern as one PCRE2 regex), and the sources
 * that are not tables: datatable, print, range, getschema; and the checks
 * of render.
 */
#include "bind/bind_internal.h"

#include <jansson.h>
#include <string.h>

#include "chart/chart.h"
#include "util/strbuf.h"

/* Appends s[0..n) to a regex, escaping its metacharacters. */
static void regex_escape(AiqStrBuf *re, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            aiq_sb_puts(re, "\\x00");
            continue;
        }
        if (strchr("\\^$.|?*+()[]{}", s[i]))
            aiq_sb_putc(re, '\\');
        aiq_sb_append(re, &s[i], 1);
    }
}

/* The text a parse column of type t matches. Kusto's parse page: a long
 * matches an optionally signed run of digits, so a typed column may be
 * followed by '*'; a string, and types without a short text form, match any
 * text (lazily, or greedily in kind=regex, and to the end when last). */
static const char *parse_type_regex(AiqType t)
{
    switch (t) {
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: return "-?\\d+";
    case AIQ_TYPE_REAL: return "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";
    case AIQ_TYPE_BOOL: return "(?i:true|false)";
    default: return NULL;
    }
}

/* Appends the capture of parse column k: a named group (aiqK), so groups
 * written in kind=regex strings never shift the columns. In kind=relaxed a
 * typed column may hold other text: then it is null and the rest of the
 * pattern still matches. */
static void parse_column_regex(AiqStrBuf *re, int k, AiqType t, int kind, bool last)
{
    const char *typed = parse_type_regex(t);
    if (typed && kind == AIQ_PARSE_RELAXED)
        aiq_sb_printf(re, "(?<aiq%d>%s)?%s", k, typed, last ? ".*" : ".*?");
    else if (typed)
        aiq_sb_printf(re, "(?<aiq%d>%s)", k, typed);
    else
        aiq_sb_printf(re, "(?<aiq%d>%s)", k, kind == AIQ_PARSE_REGEX || last ? ".*" : ".*?");
}

/* parse's named parameters: kind= simple (the default), regex or relaxed;
 * flags= the regex flags of kind=regex (i, m, s, U). */
static bool parse_params(Binder *b, const AiqNode *n, AiqPlan *p)
{
    static const char *const kinds[] = {"simple", "regex", "relaxed", NULL};
    const AiqNode *flags = NULL;
    p->parse_kind = AIQ_PARSE_SIMPLE;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (strcmp(prm->str, "kind") == 0) {
            int k = bind_param_choice(b, prm, kinds, "parse kind", "simple, regex or relaxed");
            if (k < 0)
                return false;
            p->parse_kind = k == 1 ? AIQ_PARSE_REGEX : k == 2 ? AIQ_PARSE_RELAXED : AIQ_PARSE_SIMPLE;
        } else if (strcmp(prm->str, "flags") == 0) {
            flags = prm;
        } else if (!bind_hint_ok(b, prm)) {
            return false;
        }
    }
    p->regex_flags = "";
    if (!flags)
        return true;
    if (p->parse_kind != AIQ_PARSE_REGEX)
        return bind_fail(b, flags, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: flags= without kind=regex") != NULL;
    if (flags->lhs->kind != AIQ_N_NAME)
        return bind_fail(b, flags->lhs, AIQ_ERR_BIND, "flags= takes regex flags such as Ui") != NULL;
    for (const char *f = flags->lhs->str; *f; f++)
        if (!strchr("imsU", *f))
            return FAILF(b, flags->lhs, AIQ_ERR_BIND, "unknown regex flag '%c' (expected i, m, s or U)", *f) != NULL;
    p->regex_flags = flags->lhs->str;
    return true;
}

/* parse: the pattern becomes one PCRE2 regex with a named capture per
 * column. simple and relaxed: the strings match literally, from the start
 * of the text; regex: they are regex fragments, matched anywhere. A row
 * whose text does not match, or (but in relaxed) whose value is not of its
 * column's type, gets null in every column the pattern extracts. */
AiqPlan *bind_parse(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqExpr *src = bind_expr(b, n->rhs, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!src)
        return NULL;
    src = bind_as_string(b, src); /* parse reads a non-string as its text (Kusto's parse page) */
    ColList cols = {0};
    bind_passthrough(b, &cols, &in->schema);
    int src_col = cols.n;
    bind_cols_push(b, &cols, "\001parse_source", AIQ_TYPE_STRING, src);
    AiqPlan *proj = bind_project_plan(b, in, &cols);
    AiqPlan *p = bind_new_plan(b, AIQ_P_PARSE, proj);
    if (!parse_params(b, n, p))
        return NULL;
    int kind = p->parse_kind;
    AiqStrBuf re;
    aiq_sb_init(&re);
    aiq_sb_puts(&re, kind == AIQ_PARSE_REGEX ? "" : "^");
    ColList out = {0};
    bind_passthrough(b, &out, &in->schema);
    int ncap = 0;
    int *cap_cols = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(n->nitems + 1));
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *part = n->items[i];
        bool last = i + 1 == n->nitems;
        if (part->kind == AIQ_N_LITERAL) {
            if (kind == AIQ_PARSE_REGEX)
                aiq_sb_append(&re, part->str, part->slen);
            else
                regex_escape(&re, part->str, part->slen);
        } else if (part->kind == AIQ_N_STAR) {
            if (i > 0 && n->items[i - 1]->kind == AIQ_N_COLDECL && n->items[i - 1]->type == AIQ_TYPE_STRING) {
                aiq_sb_free(&re);
                return bind_fail(b, part, AIQ_ERR_BIND, "'*' right after a string column is ambiguous: the column would take nothing; put a string between them");
            }
            aiq_sb_puts(&re, last ? ".*" : ".*?");
        } else {
            parse_column_regex(&re, ncap, part->type, kind, last);
            int at = bind_cols_find(&out, part->str);
            if (at < 0) {
                bind_cols_push(b, &out, part->str, part->type, NULL);
                at = out.n - 1;
            } else {
                out.cols[at].type = part->type;
            }
            cap_cols[ncap++] = at;
        }
    }
    p->regex = aiq_arena_strndup(b->arena, aiq_sb_str(&re), re.len);
    p->regex_len = (uint32_t)re.len;
    aiq_sb_free(&re);
    p->ncaptures = ncap;
    p->expand_cols = cap_cols;
    p->nexpand = ncap;
    p->limit = src_col; /* the column holding the parsed text */
    p->schema = bind_schema_of(&out);
    return p;
}

static AiqPlan *values_plan(Binder *b, ColList *cols, AiqValue *vals, int64_t nrows)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_VALUES, NULL);
    p->schema = bind_schema_of(cols);
    p->values = vals;
    p->nrows = nrows;
    return p;
}

AiqPlan *bind_datatable(Binder *b, const AiqNode *n, Binding *scope)
{
    ColList cols = {0};
    for (int i = 0; i < n->nparams; i++) {
        if (bind_cols_find(&cols, n->params[i]->str) >= 0)
            return FAILF(b, n->params[i], AIQ_ERR_BIND, "column '%s' is declared twice", n->params[i]->str);
        bind_cols_push(b, &cols, n->params[i]->str, n->params[i]->type, NULL);
    }
    AiqValue *vals = aiq_arena_calloc(b->arena, sizeof *vals * (size_t)(n->nitems + 1));
    for (int i = 0; i < n->nitems; i++) {
        AiqType want = cols.cols[i % cols.n].type;
        AiqExpr *e = bind_expr(b, n->items[i], &(ExprCtx){.scope = scope});
        if (!e)
            return NULL;
        if (!is_const(e))
            return bind_fail(b, n->items[i], AIQ_ERR_TYPE, "datatable values must be literals");
        AiqValue v = e->value;
        if (v.isnull) {
            v.type = want;
        } else if (want == AIQ_TYPE_REAL && (e->type == AIQ_TYPE_LONG || e->type == AIQ_TYPE_INT)) {
            v.f64 = (double)v.i64;
        } else if ((want == AIQ_TYPE_LONG || want == AIQ_TYPE_INT) && e->type == AIQ_TYPE_REAL) {
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "column '%s' is %s but the value is real", cols.cols[i % cols.n].name, aiq_type_name(want));
        } else if (want == AIQ_TYPE_DYNAMIC && e->type != AIQ_TYPE_DYNAMIC) {
            json_t *j = NULL;
            switch (e->type) {
            case AIQ_TYPE_BOOL: j = json_boolean(v.i64); break;
            case AIQ_TYPE_INT: case AIQ_TYPE_LONG: j = json_integer(v.i64); break;
            case AIQ_TYPE_REAL: j = json_real(v.f64); break;
            case AIQ_TYPE_STRING: j = json_stringn(v.str.ptr, v.str.len); break;
            default: return FAILF(b, n->items[i], AIQ_ERR_TYPE, "cannot store %s in dynamic column", aiq_type_name(e->type));
            }
            bind_own_json(b, j);
            v.dyn = j;
        } else if (e->type != want && !(aiq_type_is_numeric(e->type) && aiq_type_is_numeric(want) && want != AIQ_TYPE_REAL)) {
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "column '%s' is %s but the value is %s", cols.cols[i % cols.n].name, aiq_type_name(want), aiq_type_name(e->type));
        }
        v.type = want;
        vals[i] = v;
    }
    return values_plan(b, &cols, vals, n->nitems / (cols.n ? cols.n : 1));
}

AiqPlan *bind_print(Binder *b, const AiqNode *n, Binding *scope)
{
    ColList none = {0};
    AiqPlan *one = values_plan(b, &none, NULL, 1);
    ColList cols = {0};
    AiqSchema empty = {0};
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        ExprCtx cx = {.schema = &empty, .scope = scope};
        int tuple = bind_tuple_columns(b, it, &cx, false, &cols);
        if (tuple < 0)
            return NULL;
        if (tuple > 0)
            continue;
        AiqExpr *e = bind_expr(b, ex, &cx);
        if (!e)
            return NULL;
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : aiq_arena_printf(b->arena, "print_%d", i);
        if (bind_cols_find(&cols, name) >= 0)
            return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already defined", name);
        bind_cols_push(b, &cols, name, e->type, e);
    }
    return bind_project_plan(b, one, &cols);
}

AiqPlan *bind_range(Binder *b, const AiqNode *n, Binding *scope)
{
    AiqExpr *from = bind_expr(b, n->lhs, &(ExprCtx){.scope = scope});
    AiqExpr *to = from ? bind_expr(b, n->rhs, &(ExprCtx){.scope = scope}) : NULL;
    AiqExpr *step = to ? bind_expr(b, n->extra, &(ExprCtx){.scope = scope}) : NULL;
    if (!step)
        return NULL;
    /* any expressions of no column (lets, now(), arithmetic), evaluated when
     * the range runs; numbers are long, or real when one of them is */
    AiqType t = from->type;
    bool nums = is_num(from->type) && is_num(to->type) && is_num(step->type);
    bool ok = nums || (t == AIQ_TYPE_DATETIME && to->type == AIQ_TYPE_DATETIME && step->type == AIQ_TYPE_TIMESPAN) ||
              (t == AIQ_TYPE_TIMESPAN && to->type == AIQ_TYPE_TIMESPAN && step->type == AIQ_TYPE_TIMESPAN);
    if (!ok)
        return bind_fail(b, n, AIQ_ERR_TYPE, "range needs numeric bounds with a numeric step, or datetime/timespan bounds with a timespan step");
    if (nums)
        t = from->type == AIQ_TYPE_REAL || to->type == AIQ_TYPE_REAL || step->type == AIQ_TYPE_REAL ? AIQ_TYPE_REAL : AIQ_TYPE_LONG;
    if (is_const(step) && !step->value.isnull && (step->type == AIQ_TYPE_REAL ? step->value.f64 == 0 : step->value.i64 == 0))
        return bind_fail(b, n->extra, AIQ_ERR_TYPE, "the step of range cannot be zero");
    AiqPlan *p = bind_new_plan(b, AIQ_P_RANGE, NULL);
    ColList cols = {0};
    bind_cols_push(b, &cols, n->str, t, NULL);
    p->schema = bind_schema_of(&cols);
    p->exprs = aiq_arena_alloc(b->arena, sizeof *p->exprs * 3);
    p->exprs[0] = from;
    p->exprs[1] = to;
    p->exprs[2] = step;
    p->nexprs = 3;
    return p;
}

AiqPlan *bind_getschema(Binder *b, AiqPlan *in)
{
    ColList cols = {0};
    bind_cols_push(b, &cols, "ColumnName", AIQ_TYPE_STRING, NULL);
    bind_cols_push(b, &cols, "ColumnOrdinal", AIQ_TYPE_LONG, NULL);
    bind_cols_push(b, &cols, "DataType", AIQ_TYPE_STRING, NULL);
    bind_cols_push(b, &cols, "ColumnType", AIQ_TYPE_STRING, NULL);
    int nc = in->schema.ncols;
    AiqValue *v = aiq_arena_calloc(b->arena, sizeof *v * (size_t)(nc * 4 + 1));
    static const char *const system_types[AIQ_TYPE_COUNT] = {
        "Object", "System.Boolean", "System.Int32", "System.Int64", "System.Double",
        "System.String", "System.DateTime", "System.TimeSpan", "System.Object",
    };
    for (int c = 0; c < nc; c++) {
        const AiqColumn *col = &in->schema.cols[c];
        AiqValue *r = &v[c * 4];
        r[0].type = AIQ_TYPE_STRING;
        r[0].str.ptr = col->name;
        r[0].str.len = (uint32_t)strlen(col->name);
        r[1].type = AIQ_TYPE_LONG;
        r[1].i64 = c;
        r[2].type = AIQ_TYPE_STRING;
        r[2].str.ptr = system_types[col->type];
        r[2].str.len = (uint32_t)strlen(system_types[col->type]);
        r[3].type = AIQ_TYPE_STRING;
        r[3].str.ptr = aiq_type_name(col->type);
        r[3].str.len = (uint32_t)strlen(r[3].str.ptr);
    }
    return values_plan(b, &cols, v, nc);
}

/* The text of a render property's value: a string's decoded text, a
 * name, a number or bool as written in KQL; NULL for anything else. */
static const char *render_value_text(Binder *b, const AiqNode *v)
{
    bool neg = v->kind == AIQ_N_UNARY && v->op == AIQ_FN_NEG && v->lhs->kind == AIQ_N_LITERAL;
    const AiqNode *x = neg ? v->lhs : v;
    if (x->kind == AIQ_N_NAME)
        return neg ? NULL : x->str;
    if (x->kind != AIQ_N_LITERAL || x->isnull)
        return NULL;
    switch (x->type) {
    case AIQ_TYPE_STRING: return neg ? NULL : aiq_arena_strndup(b->arena, x->str, x->slen);
    case AIQ_TYPE_BOOL: return neg ? NULL : x->i64 ? "true" : "false";
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: return aiq_arena_printf(b->arena, "%s%lld", neg ? "-" : "", (long long)x->i64);
    case AIQ_TYPE_REAL: return aiq_arena_printf(b->arena, "%s%.17g", neg ? "-" : "", x->f64);
    default: return NULL;
    }
}

/* The properties of render n as name/value pairs: a column list goes on
 * over the NAME items after its property (ycolumns=a, b). NULL after an
 * error; *np gets the count. */
static AiqRenderProp *render_props(Binder *b, const AiqNode *n, int *np)
{
    AiqRenderProp *props = aiq_arena_calloc(b->arena, sizeof *props * (size_t)(n->nparams + 1));
    *np = 0;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (prm->kind != AIQ_N_ASSIGN) {
            const char *more = prm->kind == AIQ_N_NAME ? prm->str : NULL;
            if (!*np || !more)
                return FAILF(b, prm, AIQ_ERR_BIND, "expected a render property such as title=\"...\", or a column name in a column list");
            AiqRenderProp *last = &props[*np - 1];
            last->value = aiq_arena_printf(b->arena, "%s, %s", last->value, more);
            last->len = prm->off + prm->len - last->off;
            continue;
        }
        const char *value = render_value_text(b, prm->lhs);
        if (!value)
            return FAILF(b, prm->lhs, AIQ_ERR_BIND, "the value of render property %s must be a string, a name, a number or a bool", prm->str);
        props[(*np)++] = (AiqRenderProp){prm->str, value, prm->off, prm->len};
    }
    return props;
}

/* render: the result is the table as it is (the session draws the chart);
 * the chart kind and property names must be Kusto's, which rejects others,
 * and the values of the kinds aiq draws are checked as the chart engine
 * will read them, so that `aiq check` finds a bad one. */
bool bind_check_render(Binder *b, const AiqNode *n)
{
    static const char *const kinds[] = {
        "table", "list", "barchart", "piechart", "ladderchart", "timechart", "linechart",
        "anomalychart", "pivotchart", "areachart", "stackedareachart", "scatterchart", "timepivot",
        "columnchart", "timeline", "3Dchart", "card", "treemap", "plotly", "graph", "sankey", NULL,
    };
    static const char *const props[] = {
        "accumulate", "anomalycolumns", "kind", "legend", "series", "title", "xaxis", "xcolumn",
        "xmax", "xmin", "xtitle", "yaxis", "ycolumns", "ymax", "ymin", "ysplit", "ytitle", NULL,
    };
    bool known = false;
    for (int i = 0; kinds[i]; i++)
        known |= strcmp(n->str, kinds[i]) == 0;
    if (!known)
        return FAILF(b, n, AIQ_ERR_BIND, "unknown chart kind '%s' (Kusto's: timechart, linechart, barchart, columnchart, areachart, piechart, scatterchart, table, ...)", n->str) != NULL;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (prm->kind != AIQ_N_ASSIGN)
            continue; /* the rest of a column list: ycolumns=a, b */
        known = false;
        for (int k = 0; props[k]; k++)
            known |= strcmp(prm->str, props[k]) == 0;
        if (!known)
            return FAILF(b, prm, AIQ_ERR_BIND, "unknown render property '%s'", prm->str) != NULL;
    }
    int np;
    AiqRenderProp *rp = render_props(b, n, &np);
    if (!rp)
        return false;
    AiqChartRequest req;
    AiqError ignored = {0};
    AiqChartSpan span = {n->op, (int32_t)strlen(n->str)};
    if (!aiq_chart_request_init(&req, n->str, span, &ignored))
        return true; /* a kind aiq does not draw (card, ...): the session says so when it draws */
    for (int i = 0; i < np; i++) {
        if (strcmp(rp[i].name, "xmin") == 0 || strcmp(rp[i].name, "xmax") == 0)
            continue; /* Kusto takes them; aiq's axes fit the data (noted when drawn) */
        if (!aiq_chart_request_set(&req, b->arena, rp[i].name, rp[i].value, (AiqChartSpan){rp[i].off, rp[i].len}, b->err))
            return false;
    }
    return true;
}

void bind_render_spec(Binder *b, const AiqNode *n, AiqPlan *root)
{
    int np;
    root->render = n->str;
    root->render_off = n->op;
    root->render_len = (int32_t)strlen(n->str);
    root->render_props = render_props(b, n, &np);
    root->nrender_props = root->render_props ? np : 0;
}
