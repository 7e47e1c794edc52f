/*
 * tuple.c -- the functions whose result Kusto gives as several columns
 * (func/series_tuple.h), as items of extend, project and print:
 *
 *   extend series_fit_line(y)              -> series_fit_line_y_rsquare, ..._slope, ...
 *   extend (r2, slope) = series_fit_line(y) -> r2, slope, series_fit_line_y_variance, ...
 *   extend fit = series_stats(y)           -> fit, series_stats_y_min_idx, ...
 *   project array_sort_asc(a, b)           -> a_sorted, b_sorted
 *
 * The call is bound once, as a bag its kernel returns, and marked to be
 * computed once per chunk (a slot, as a let value used twice is); each
 * column reads its field of the bag and converts it to the field's type.
 * These names and types are the ones kqlcheck --columns gives.
 */
#include "bind/bind_internal.h"

#include <string.h>

#include "func/series_tuple.h"

/* Whether the call ex is array_sort_asc/desc of several arrays: items
 * after the first, the last one not a bool literal (nulls_last). */
static bool sorts_several(const AiqNode *ex, const AiqFuncDef *f)
{
    if (f->id != AIQ_FN_ARRAY_SORT_ASC && f->id != AIQ_FN_ARRAY_SORT_DESC)
        return false;
    int n = ex->nitems;
    if (n > 0 && ex->items[n - 1]->kind == AIQ_N_LITERAL && ex->items[n - 1]->type == AIQ_TYPE_BOOL)
        n--;
    return n >= 2;
}

/* The built-in that ex calls when it gives several columns, else NULL. */
static const AiqFuncDef *tuple_function(const AiqNode *ex, Binding *scope)
{
    if (ex->kind != AIQ_N_CALL)
        return NULL;
    Binding *ub = bind_find_binding(scope, ex->str);
    if (ub && ub->kind == BIND_FUNC)
        return NULL;
    const AiqFuncDef *f = aiq_func_lookup(ex->str);
    int n;
    return f && (aiq_func_tuple(f->id, &n) || sorts_several(ex, f)) ? f : NULL;
}

/* bag[key] for a constant key (a string, or an index when key is NULL). */
static AiqExpr *field_of(Binder *b, AiqExpr *bag, const char *key, size_t len, int64_t index, const AiqNode *src)
{
    AiqExpr *k = bind_const_expr(b, key ? AIQ_TYPE_STRING : AIQ_TYPE_LONG, src);
    if (key)
        k->value.str = (AiqStr){aiq_arena_strndup(b->arena, key, len), (uint32_t)len};
    else
        k->value.i64 = index;
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * 2);
    args[0] = bag;
    args[1] = k;
    return bind_call_expr(b, AIQ_FN_INDEX, AIQ_TYPE_DYNAMIC, src, args, 2);
}

/* The field at path ("right.slope") of bag, as type t. */
static AiqExpr *field_path(Binder *b, AiqExpr *bag, const char *path, AiqType t, const AiqNode *src)
{
    AiqExpr *e = bag;
    for (const char *p = path; *p;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        e = field_of(b, e, p, len, 0, src);
        p += len + (dot != NULL);
    }
    return bind_coerce_dynamic(b, e, t);
}

int bind_tuple_item(Binder *b, const AiqNode *it, ExprCtx *cx, const ColList *subst, TupleCols *out)
{
    memset(out, 0, sizeof *out);
    const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
    const AiqFuncDef *f = tuple_function(ex, cx->scope);
    int ngiven = it->kind == AIQ_N_ASSIGN ? (it->nitems ? it->nitems : 1) : 0;
    if (!f) {
        if (!(it->kind == AIQ_N_ASSIGN && it->nitems))
            return 0;
        FAILF(b, it, AIQ_ERR_BIND, "'(%s, ...) =' names the columns of a function that gives several, such as series_fit_line() or series_decompose_anomalies(); this expression gives one",
              it->str);
        return -1;
    }
    ExprCtx tcx = *cx;
    tcx.tuple_ok = true;
    AiqExpr *bag = bind_expr(b, ex, &tcx);
    if (!bag)
        return -1;
    if (subst)
        bag = bind_substitute(b, bag, subst);
    if (!bag->slot)
        bag->slot = ++b->nslots; /* computed once per chunk for all its columns */
    int nfields;
    const AiqTupleField *fields = aiq_func_tuple(f->id, &nfields);
    bool sort = !fields;
    if (sort) /* one column per array: the arguments but a last bool */
        nfields = bag->nargs - (bag->args[bag->nargs - 1]->type == AIQ_TYPE_BOOL);
    if (ngiven > nfields) {
        FAILF(b, it, AIQ_ERR_BIND, "%s() gives %d columns; %d names were given", f->name, nfields, ngiven);
        return -1;
    }
    out->n = nfields;
    out->names = aiq_arena_calloc(b->arena, sizeof *out->names * (size_t)nfields);
    out->given = aiq_arena_calloc(b->arena, sizeof *out->given * (size_t)nfields);
    out->exprs = aiq_arena_alloc(b->arena, sizeof *out->exprs * (size_t)nfields);
    const char *arg = ex->nitems > 0 ? bind_expr_name(b, ex->items[0]) : NULL;
    for (int k = 0; k < nfields; k++) {
        if (k < ngiven) {
            out->names[k] = it->nitems ? it->items[k]->str : it->str;
            out->given[k] = true;
        } else if (sort) {
            const char *ak = bind_expr_name(b, ex->items[k]);
            out->names[k] = ak ? aiq_arena_printf(b->arena, "%s_sorted", ak) : NULL; /* NULL: Column<n> */
        } else {
            out->names[k] = aiq_arena_printf(b->arena, "%s_%s_%s", f->name, arg ? arg : "", fields[k].name);
        }
        out->exprs[k] = sort ? field_of(b, bag, NULL, 0, k, ex)
                             : field_path(b, bag, fields[k].path, fields[k].type, ex);
    }
    return 1;
}

void *bind_tuple_misused(Binder *b, const AiqNode *n, const AiqFuncDef *f)
{
    int nf;
    const AiqTupleField *fields = aiq_func_tuple(f->id, &nf);
    return FAILF(b, n, AIQ_ERR_BIND, "%s() gives several columns (%s, %s, ...): use it alone as an extend or project item, as in 'extend (%s, %s) = %s(...)'%s",
                 f->name, fields[0].name, fields[1].name, fields[0].name, fields[1].name, f->name,
                 f->id == AIQ_FN_SERIES_STATS ? ", or series_stats_dynamic() for one bag"
                 : f->id == AIQ_FN_SERIES_FIT_LINE ? ", or series_fit_line_dynamic() for one bag"
                 : f->id == AIQ_FN_SERIES_FIT_2LINES ? ", or series_fit_2lines_dynamic() for one bag" : "");
}
