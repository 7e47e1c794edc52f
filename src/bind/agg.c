/*
 * agg.c -- summarize, count and distinct: aggregate calls are pulled out
 * into AiqAgg entries named as Kusto names them, and an item that computes
 * over aggregates becomes a projection after the summarize, so
 * `round(100.0 * countif(p) / count(), 2)` works as in Kusto.
 */
#include "bind/bind_internal.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* ---- aggregates ------------------------------------------------------ */

static AiqColumn *sink_add_col(Binder *b, AggSink *s, const char *name, AiqType t)
{
    s->cols = aiq_arena_grow(b->arena, s->cols, s->ncols, &s->capcols, sizeof *s->cols, 8);
    s->cols[s->ncols].name = name;
    s->cols[s->ncols].type = t;
    s->ncols++;
    bind_index_added(b, &s->names, s->cols, s->ncols);
    return &s->cols[s->ncols - 1];
}

/* The summarize's columns so far as a list, for naming (read only). */
static ColList sink_names(const AggSink *s)
{
    return (ColList){.cols = s->cols, .n = s->ncols, .names = s->names};
}

static AiqAgg *sink_add_agg(Binder *b, AggSink *s)
{
    s->aggs = aiq_arena_grow(b->arena, s->aggs, s->naggs, &s->cap, sizeof *s->aggs, 8);
    AiqAgg *a = &s->aggs[s->naggs++];
    memset(a, 0, sizeof *a);
    a->limit = 1048576;
    return a;
}

/* Percentile text in a column name: 95 -> "95", 99.9 -> "99_9". */
static const char *pct_text(Binder *b, double p)
{
    char *s = aiq_arena_printf(b->arena, "%.15g", p);
    for (char *c = s; *c; c++)
        if (*c == '.')
            *c = '_';
    return s;
}

static bool const_number(const AiqExpr *e, double *out)
{
    if (!is_const(e) || e->value.isnull)
        return false;
    if (e->type == AIQ_TYPE_REAL)
        *out = e->value.f64;
    else if (e->type == AIQ_TYPE_LONG || e->type == AIQ_TYPE_INT)
        *out = (double)e->value.i64;
    else
        return false;
    return true;
}

/* Kusto's name for argument i of take_any() or any() when the item has
 * none: take_any(x) -> x, any(x) -> any_x; an expression without a name is
 * any_argI, or any_ when it is the only argument of any(). */
static const char *carried_name(Binder *b, const AiqFuncDef *f, const AiqNode *arg, int i, int nargs)
{
    bool any = f->id == AIQ_FN_ANY || f->id == AIQ_FN_ANYIF;
    const char *prefix = f->id == AIQ_FN_ANYIF ? "anyif" : "any";
    const char *nm = arg->kind == AIQ_N_STAR ? NULL : bind_expr_name(b, arg);
    if (nm)
        return any ? aiq_arena_printf(b->arena, "%s_%s", prefix, nm) : nm;
    return any && nargs == 1 ? aiq_arena_printf(b->arena, "%s_", prefix) : aiq_arena_printf(b->arena, "any_arg%d", i);
}

/* Whether input column c is a plain `by` key of the summarize being bound:
 * take_any(*) and arg_max(x, *) leave those out (`by x = Col` too, but not
 * `by bin(Col, 1h)`, as Kusto does). */
static bool is_plain_key(const AggSink *s, int c)
{
    for (int k = 0; k < s->nkeys; k++)
        if (s->key_exprs[k]->kind == AIQ_E_COLUMN && s->key_exprs[k]->col == c)
            return true;
    return false;
}

/* arg_max(x, cols), arg_min(x, cols), take_any(cols), any(cols): one output
 * column per carried column. '*' stands for every input column but the
 * plain by keys and the columns the call names itself, in Kusto's order: a
 * column appears once, where it first comes (take_any(*, a) -> a, b, ...;
 * take_any(b, *) -> b, a, ...), while a column named twice without a '*'
 * gives two (take_any(a, a) -> a, a1). */
static AiqExpr *bind_carried(Binder *b, AggSink *s, const AiqNode *n, const AiqFuncDef *f, AiqAgg *a, AiqExpr **args)
{
    int na = n->nitems, first = a->kind == AIQ_AGG_TAKE_ANY ? 0 : 1;
    bool take_any = a->kind == AIQ_AGG_TAKE_ANY;
    if (!take_any) {
        a->arg = args[0];
        if (args[0]->type == AIQ_TYPE_DYNAMIC)
            return FAILF(b, n->items[0], AIQ_ERR_TYPE, "the first argument of %s() must be orderable, found dynamic", f->name);
    }
    bool has_star = false;
    for (int i = first; i < na; i++)
        has_star |= args[i] == NULL;
    /* covered[c]: input column c is already an output of this call, or a key */
    bool *covered = aiq_arena_calloc(b->arena, sizeof *covered * (size_t)(s->input->ncols + 1));
    for (int c = 0; has_star && c < s->input->ncols; c++)
        covered[c] = is_plain_key(s, c);
    if (has_star && a->arg && a->arg->kind == AIQ_E_COLUMN)
        covered[a->arg->col] = true;
    ColList carried = {0}; /* the carried columns: name, type, expression */
    bool *from_star = aiq_arena_calloc(b->arena, sizeof *from_star * (size_t)(s->input->ncols + 1));
    for (int i = first; i < na; i++) {
        if (args[i]) {
            int c = args[i]->kind == AIQ_E_COLUMN ? args[i]->col : -1;
            if (has_star && c >= 0 && covered[c] && (from_star[c] || is_plain_key(s, c) ||
                                                      (a->arg && a->arg->kind == AIQ_E_COLUMN && a->arg->col == c)))
                continue; /* a '*' before it, a key or the first argument has it */
            if (c >= 0)
                covered[c] = true;
            const char *nm = take_any ? carried_name(b, f, n->items[i], i, na) : bind_expr_name(b, n->items[i]);
            bind_cols_push(b, &carried, nm, args[i]->type, args[i]);
            continue;
        }
        for (int c = 0; c < s->input->ncols; c++) {
            if (covered[c])
                continue;
            covered[c] = from_star[c] = true;
            const char *cn = s->input->cols[c].name;
            bind_cols_push(b, &carried, take_any && f->id == AIQ_FN_ANY ? aiq_arena_printf(b->arena, "any_%s", cn) : cn,
                      s->input->cols[c].type, bind_column_expr(b, c, s->input->cols[c].type, n));
        }
    }
    a->nextra = carried.n;
    a->extra = carried.exprs;
    ColList names = {0};
    /* the legacy argmax(x, c)/argmin give max_x, max_x_c (min_...) where
     * arg_max gives x, c */
    const char *legacy = f->id == AIQ_FN_ARGMAX || f->id == AIQ_FN_ARGMIN ? f->name_prefix : NULL;
    const char *arg_name = a->arg ? bind_expr_name(b, n->items[0]) : NULL;
    if (a->arg) {
        const char *nm = s->item_name ? s->item_name : arg_name;
        if (legacy && !s->item_name)
            nm = aiq_arena_printf(b->arena, "%s_%s", legacy, arg_name ? arg_name : "");
        names = sink_names(s);
        if (!nm)
            nm = bind_column_n(b, &names);
        sink_add_col(b, s, bind_unique_name(b, &names, nm), a->arg->type);
    }
    for (int i = 0; i < carried.n; i++) {
        const char *nm = carried.cols[i].name;
        if (legacy && nm)
            nm = aiq_arena_printf(b->arena, "%s_%s_%s", legacy, arg_name ? arg_name : "", nm);
        names = sink_names(s);
        if (!nm)
            nm = bind_column_n(b, &names);
        if (s->item_name && !a->arg && i == 0) /* x = take_any(a, b): x, b */
            nm = s->item_name;
        sink_add_col(b, s, bind_unique_name(b, &names, nm), carried.cols[i].type);
    }
    AiqType t = a->arg ? a->arg->type : carried.n ? carried.cols[0].type : AIQ_TYPE_LONG;
    return bind_column_expr(b, a->out_col, t, n);
}

/* The percentiles of a percentile aggregate: the constant arguments from
 * `first` on, or for an _array form one constant dynamic array of them;
 * each between 0 and 100. */
static bool bind_percentiles(Binder *b, const AiqNode *n, AiqAgg *a, AiqExpr **args, int first)
{
    int na = n->nitems;
    json_t *list = a->pct_array && na == first + 1 && is_const(args[first]) && args[first]->type == AIQ_TYPE_DYNAMIC
                       ? args[first]->value.dyn : NULL;
    a->npcts = list ? (int)json_array_size(list) : na - first;
    a->pcts = aiq_arena_alloc(b->arena, sizeof *a->pcts * (size_t)(a->npcts ? a->npcts : 1));
    for (int i = 0; i < a->npcts; i++) {
        json_t *el = list ? json_array_get(list, (size_t)i) : NULL;
        double p;
        bool ok = list ? json_is_number(el) : const_number(args[first + i], &p);
        if (list && ok)
            p = json_number_value(el);
        if (!ok || p < 0 || p > 100)
            return FAILF(b, n->items[list ? first : first + i], AIQ_ERR_TYPE, "a percentile must be a constant between 0 and 100") != NULL;
        a->pcts[i] = p;
    }
    if (a->npcts == 0)
        return FAILF(b, n, AIQ_ERR_BIND, "%s() needs at least one percentile", n->str) != NULL;
    return true;
}

AiqExpr *bind_aggregate(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx)
{
    AggSink *s = cx->sink;
    ExprCtx in = {.schema = s->input, .scope = cx->scope};
    int na = n->nitems;
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * (size_t)(na ? na : 1));
    size_t ncls = strlen(f->args);
    for (int i = 0; i < na; i++) {
        char cls = f->args[(size_t)i < ncls ? (size_t)i : ncls - 1];
        if (n->items[i]->kind == AIQ_N_STAR) {
            /* any(*) stands alone (Kusto's KS191); take_any and arg_max mix it with columns */
            if (cls == '*' && f->id == AIQ_FN_ANY && na > 1)
                return bind_fail(b, n->items[i], AIQ_ERR_BIND, "'*' must be the only argument of any(); take_any(*, ...) mixes it with columns");
            if (cls != '*' || (f->agg != AIQ_AGG_TAKE_ANY && i == 0))
                return FAILF(b, n->items[i], AIQ_ERR_BIND, "'*' is not allowed here in %s()", f->name);
            args[i] = NULL;
            continue;
        }
        if (!(args[i] = bind_expr(b, n->items[i], &in)))
            return NULL;
        /* Aggregates take dynamic values only where any type fits (Kusto
         * rejects sum(dynamic)); predicates still convert. */
        if (cls == 'b')
            args[i] = bind_coerce_dynamic(b, args[i], AIQ_TYPE_BOOL);
        if (cls == 'o' && args[i]->type == AIQ_TYPE_DYNAMIC)
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be orderable (a number, string, datetime, timespan or bool), found dynamic; convert it with tolong(), todouble() or tostring()", i + 1, f->name);
        if (!bind_arg_class_ok(cls, args[i]->type))
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be %s, found %s",
                         i + 1, f->name, bind_class_desc(cls), aiq_type_name(args[i]->type));
        if (cls == 'K' && !is_const(args[i]))
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be a constant number", i + 1, f->name);
    }
    if ((f->id == AIQ_FN_DCOUNT || f->id == AIQ_FN_DCOUNTIF) && na == f->max_args) {
        /* The accuracy level picks the error of Kusto's estimate; aiq counts
         * exactly, which any level allows, but the level must be one Kusto takes. */
        double level;
        if (!const_number(args[na - 1], &level) || level != floor(level) || level < 0 || level > 4)
            return FAILF(b, n->items[na - 1], AIQ_ERR_TYPE, "the accuracy of %s() must be 0, 1, 2, 3 or 4", f->name);
    }
    AiqAgg *a = sink_add_agg(b, s);
    a->kind = (AiqAggKind)f->agg;
    a->out_col = s->ncols;
    const char *auto_name = bind_expr_name(b, n);
    AiqType t = na && args[0] ? bind_ret_type(f, args, na) : AIQ_TYPE_LONG; /* (take_any(*): no args[0]) */
    ColList names = sink_names(s);
    switch (a->kind) {
    case AIQ_AGG_COUNT:
        if (na == 1) { /* count(predicate): Kusto's older spelling of countif */
            a->kind = AIQ_AGG_COUNTIF;
            a->pred = args[0];
        }
        t = AIQ_TYPE_LONG;
        break;
    case AIQ_AGG_COUNTIF: a->pred = args[0]; t = AIQ_TYPE_LONG; break;
    case AIQ_AGG_SUMIF: case AIQ_AGG_AVGIF: case AIQ_AGG_MINIF: case AIQ_AGG_MAXIF:
    case AIQ_AGG_STDEVIF: case AIQ_AGG_VARIANCEIF:
        a->arg = args[0];
        a->pred = args[1];
        break;
    case AIQ_AGG_DCOUNTIF: a->arg = args[0]; a->pred = args[1]; break;
    case AIQ_AGG_MAKE_LIST: case AIQ_AGG_MAKE_SET: case AIQ_AGG_MAKE_LIST_NULLS: case AIQ_AGG_MAKE_BAG: {
        /* make_*_if(x, predicate [, limit]) */
        int at = 1;
        a->arg = args[0];
        if (na > 1 && f->args[1] == 'b')
            a->pred = args[at++];
        if (f->id == AIQ_FN_MAKE_DICTIONARY)
            a->limit = 128; /* the legacy form's default (make_bag's page) */
        double lim;
        if (na > at) {
            if (!const_number(args[at], &lim) || lim < 1)
                return FAILF(b, n->items[at], AIQ_ERR_TYPE, "the size limit of %s() must be a positive constant", f->name);
            a->limit = (int64_t)lim;
        }
        break;
    }
    case AIQ_AGG_PERCENTILE: case AIQ_AGG_PERCENTILEW: {
        /* percentile(s)(x, p...), percentilew/percentilesw(x, weight, p...), and
         * their _array forms, whose percentiles may come as a dynamic array */
        int first = a->kind == AIQ_AGG_PERCENTILEW ? 2 : 1;
        a->arg = args[0];
        a->arg2 = first == 2 ? args[1] : NULL;
        a->pct_array = f->ret == 'y';
        if (!bind_percentiles(b, n, a, args, first))
            return NULL;
        if (t == AIQ_TYPE_INT)
            t = AIQ_TYPE_LONG;
        if (a->pct_array)
            break;
        const char *base = bind_expr_name(b, n->items[0]);
        for (int i = 0; i < a->npcts; i++) {
            const char *nm;
            if (s->item_name && a->npcts == 1)
                nm = s->item_name;
            else
                nm = aiq_arena_printf(b->arena, "percentile_%s_%s", base ? base : "", pct_text(b, a->pcts[i]));
            names = sink_names(s);
            sink_add_col(b, s, bind_unique_name(b, &names, nm), t);
        }
        if (a->npcts > 1 && s->item_name)
            return FAILF(b, n, AIQ_ERR_BIND, "percentiles() with several percentiles gives several columns; it cannot take a single name");
        return bind_column_expr(b, a->out_col, t, n);
    }
    case AIQ_AGG_TAKE_ANY:
        if (f->id == AIQ_FN_TAKE_ANYIF || f->id == AIQ_FN_ANYIF) {
            /* take_anyif(x, predicate): take_any(x) of the rows the predicate holds for */
            AiqNode one = *n;
            one.nitems = 1;
            a->pred = args[1];
            return bind_carried(b, s, &one, f, a, args);
        }
        return bind_carried(b, s, n, f, a, args);
    case AIQ_AGG_ARG_MAX: case AIQ_AGG_ARG_MIN:
        return bind_carried(b, s, n, f, a, args);
    case AIQ_AGG_COVARIANCE: case AIQ_AGG_COVARIANCEP: case AIQ_AGG_TDIGEST:
        /* covariance(x, y [, predicate]), tdigest(x [, weight]) */
        a->arg = args[0];
        a->arg2 = na > 1 ? args[1] : NULL;
        a->pred = na > 2 ? args[2] : NULL;
        break;
    default:
        /* the rest take the value first; an *if form its predicate next */
        a->arg = args[0];
        if (na > 1 && f->args[1] == 'b')
            a->pred = args[1];
        break;
    }
    if ((a->kind == AIQ_AGG_SUM || a->kind == AIQ_AGG_SUMIF) && t == AIQ_TYPE_DATETIME)
        return FAILF(b, n->items[0], AIQ_ERR_TYPE, "sum() cannot add datetimes");
    const char *nm = s->item_name ? s->item_name : auto_name;
    names = sink_names(s);
    if (!nm)
        nm = bind_column_n(b, &names);
    sink_add_col(b, s, bind_unique_name(b, &names, nm), t);
    return bind_column_expr(b, a->out_col, t, n);
}

/* Binds one grouping key of summarize ... by or distinct: not dynamic,
 * named by its assignment or by Kusto's rules, unique among the keys.
 * Appends it to keys (with the expression) and returns it. */
static AiqExpr *bind_group_key(Binder *b, const AiqNode *it, AiqPlan *in, Binding *scope, ColList *keys,
                               const char *what, const char **name_out)
{
    const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
    AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!e)
        return NULL;
    if (e->type == AIQ_TYPE_DYNAMIC)
        return FAILF(b, ex, AIQ_ERR_TYPE, "a dynamic value cannot be %s; convert it with tostring(), tolong() or todouble()", what);
    const char *name = it->kind == AIQ_N_ASSIGN ? it->str : bind_expr_name(b, ex);
    if (!name)
        name = bind_column_n(b, keys);
    else if (it->kind == AIQ_N_ASSIGN && bind_cols_find(keys, name) >= 0)
        return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already %s", name, what);
    name = bind_unique_name(b, keys, name);
    bind_cols_push(b, keys, name, e->type, e);
    *name_out = name;
    return e;
}

/* (a, b, ...) = an aggregate of several columns: the given names replace
 * the names of its first columns, from column first of the sink on. */
static bool name_tuple(Binder *b, const AiqNode *it, AggSink *s, int first)
{
    int got = s->ncols - first;
    if (it->nitems > got)
        return FAILF(b, it, AIQ_ERR_BIND, "'(...) =' gives %d names to %s(), which gives %d column%s", it->nitems,
                     it->lhs->str, got, got == 1 ? "" : "s") != NULL;
    for (int k = 0; k < it->nitems; k++) {
        const char *name = it->items[k]->str;
        for (int c = 0; c < s->ncols; c++)
            if (c != first + k && strcmp(s->cols[c].name, name) == 0)
                return FAILF(b, it->items[k], AIQ_ERR_BIND, "column '%s' is already defined in this summarize", name) != NULL;
        if (s->names.cap)
            aiq_names_remove(&s->names, s->cols, first + k);
        s->cols[first + k].name = name;
        if (s->names.cap)
            aiq_names_add(&s->names, s->cols, first + k, s->ncols, b->arena);
    }
    return true;
}

/* summarize aggs by keys -> SUMMARIZE (keys, then aggregate columns)
 * followed by a PROJECT that names the results and computes expressions
 * over aggregates. */
AiqPlan *bind_summarize(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AggSink sink = {.input = &in->schema};
    AiqPlan *sp = bind_new_plan(b, AIQ_P_SUMMARIZE, in);
    sp->nexprs = n->nitems2;
    sp->exprs = aiq_arena_alloc(b->arena, sizeof *sp->exprs * (size_t)(n->nitems2 ? n->nitems2 : 1));
    ColList names = {0};
    for (int i = 0; i < n->nitems2; i++) {
        const char *name = NULL;
        AiqExpr *e = bind_group_key(b, n->items2[i], in, scope, &names, "a 'by' key", &name);
        if (!e)
            return NULL;
        sink_add_col(b, &sink, name, e->type);
        sp->exprs[i] = e;
    }
    sink.nkeys = n->nitems2;
    sink.key_exprs = sp->exprs;
    /* aggregate items */
    AiqExpr **results = aiq_arena_alloc(b->arena, sizeof *results * (size_t)(n->nitems + 1));
    const char **result_names = aiq_arena_alloc(b->arena, sizeof *result_names * (size_t)(n->nitems + 1));
    int *first_col = aiq_arena_alloc(b->arena, sizeof *first_col * (size_t)(n->nitems + 1));
    int *ncols_of = aiq_arena_alloc(b->arena, sizeof *ncols_of * (size_t)(n->nitems + 1));
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        const AiqFuncDef *called = ex->kind == AIQ_N_CALL ? aiq_func_lookup_call(ex->str, ex->nitems) : NULL;
        bool direct = called && called->agg >= 0 && !bind_find_binding(scope, ex->str);
        sink.item_name = NULL;
        bool tuple = it->kind == AIQ_N_ASSIGN && it->nitems > 0; /* (a, b) = arg_max(...) */
        if (tuple && !direct)
            return FAILF(b, it, AIQ_ERR_BIND, "'(%s, ...) =' names the columns of one aggregate, such as arg_max() or percentiles()", it->str);
        if (direct && it->kind == AIQ_N_ASSIGN && !tuple) {
            ColList cur = sink_names(&sink);
            if (bind_cols_find(&cur, it->str) >= 0)
                return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already defined in this summarize", it->str);
            sink.item_name = it->str;
        }
        int before = sink.ncols;
        AiqSchema empty = {0};
        AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &in->schema, .scope = scope, .agg_ok = true, .sink = &sink});
        (void)empty;
        if (!e)
            return NULL;
        first_col[i] = before;
        ncols_of[i] = sink.ncols - before;
        if (tuple && !name_tuple(b, it, &sink, before))
            return NULL;
        results[i] = direct ? NULL : e;
        if (!direct) {
            /* an item with no aggregate in it (Source = "x", ago(1d) - ago(2d))
             * is a constant: it names no input column, which would need one */
            const char *name = it->kind == AIQ_N_ASSIGN ? it->str : NULL;
            /* hide the helper aggregate columns under internal names */
            for (int c = before; c < sink.ncols; c++) {
                if (sink.names.cap)
                    aiq_names_remove(&sink.names, sink.cols, c);
                sink.cols[c].name = aiq_arena_printf(b->arena, "\001agg%d", c);
                if (sink.names.cap)
                    aiq_names_add(&sink.names, sink.cols, c, sink.ncols, b->arena);
            }
            result_names[i] = name;
        }
    }
    sp->aggs = sink.aggs;
    sp->naggs = sink.naggs;
    sp->schema.ncols = sink.ncols;
    sp->schema.cols = sink.cols;
    /* the projection: keys, then each item's columns or computed value */
    ColList out = {0};
    for (int k = 0; k < n->nitems2; k++)
        bind_cols_push(b, &out, sink.cols[k].name, sink.cols[k].type, bind_column_expr(b, k, sink.cols[k].type, NULL));
    bool needs_project = false;
    for (int i = 0; i < n->nitems; i++) {
        if (!results[i]) {
            for (int c = first_col[i]; c < first_col[i] + ncols_of[i]; c++)
                bind_cols_push(b, &out, sink.cols[c].name, sink.cols[c].type, bind_column_expr(b, c, sink.cols[c].type, NULL));
            continue;
        }
        needs_project = true;
        const char *name = result_names[i];
        if (!name)
            name = bind_expr_name(b, n->items[i]);
        if (!name)
            name = bind_column_n(b, &out);
        if (bind_cols_find(&out, name) >= 0)
            name = bind_unique_name(b, &out, name);
        bind_cols_push(b, &out, name, results[i]->type, results[i]);
    }
    if (!needs_project)
        return sp;
    return bind_project_plan(b, sp, &out);
}

AiqPlan *bind_count(Binder *b, AiqPlan *in, const char *name)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_SUMMARIZE, in);
    p->naggs = 1;
    p->aggs = aiq_arena_calloc(b->arena, sizeof *p->aggs);
    p->aggs[0].kind = AIQ_AGG_COUNT;
    p->schema.ncols = 1;
    p->schema.cols = aiq_arena_alloc(b->arena, sizeof *p->schema.cols);
    p->schema.cols[0].name = name;
    p->schema.cols[0].type = AIQ_TYPE_LONG;
    return p;
}

AiqPlan *bind_distinct(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_SUMMARIZE, in);
    ColList cols = {0};
    if (n->nitems == 1 && n->items[0]->kind == AIQ_N_STAR) {
        for (int c = 0; c < in->schema.ncols; c++) {
            if (in->schema.cols[c].type == AIQ_TYPE_DYNAMIC)
                return FAILF(b, n->items[0], AIQ_ERR_TYPE, "distinct * cannot group by the dynamic column '%s'", in->schema.cols[c].name);
            bind_cols_push(b, &cols, in->schema.cols[c].name, in->schema.cols[c].type, bind_column_expr(b, c, in->schema.cols[c].type, NULL));
        }
    } else {
        for (int i = 0; i < n->nitems; i++) {
            const char *name;
            if (!bind_group_key(b, n->items[i], in, scope, &cols, "a distinct key", &name))
                return NULL;
        }
    }
    p->schema = bind_schema_of(&cols);
    p->exprs = cols.exprs;
    p->nexprs = cols.n;
    return p;
}
