/*
 * builtin_rules.c -- the binding rules of built-in functions that one row
 * of func/builtins.def cannot say: functions that read the columns in
 * scope (column_ifexists, pack_all, bag_pack_columns, pack_array(*),
 * estimate_data_size(*)), a type argument (extract_json(..., typeof(T))),
 * result types that depend on the arguments (max_of, min_of), and the
 * checks of constant arguments a kernel would otherwise meet row by row
 * (a datetime part, a format, a zone, a JSONPath): a mistake there is an
 * error with a caret when the query is bound. call.c asks here before and
 * after it binds a call's arguments.
 */
#include "bind/bind_internal.h"

#include <string.h>
#include <strings.h>

#include "func/datetime.h"
#include "func/jsonpath.h"

/* The columns an expression in cx sees, in order. */
static void visible_columns(const ExprCtx *cx, const AiqColumn **cols, int *n)
{
    if (cx->list) {
        *cols = cx->list->cols;
        *n = cx->list->n;
    } else {
        *cols = cx->schema ? cx->schema->cols : NULL;
        *n = cx->schema ? cx->schema->ncols : 0;
    }
}

/* Whether column c of cx is one "all the columns" (pack_all(), '*') leaves
 * out: a column the binder made for itself (summarize's helpers are named
 * "\001agg<N>"), or, in an extend, one an earlier item of the same extend
 * made: pack_all() packs the input row (the page's PackedIgnoreNullEmpty
 * does not hold Packed). */
static bool hidden_column(const ExprCtx *cx, const AiqColumn *cols, int c)
{
    if (cols[c].name[0] == '\001')
        return true;
    return cx->list && cx->ninput > 0 && c >= cx->ninput;
}

/* A name node for column `name`, spanning node n, bound as a column
 * reference is (with every rule of bind_name: lists, summarize's). */
static AiqExpr *bind_column_named(Binder *b, const AiqNode *n, const char *name, ExprCtx *cx)
{
    AiqNode *ref = aiq_arena_calloc(b->arena, sizeof *ref);
    *ref = *n;
    ref->kind = AIQ_N_NAME;
    ref->str = name;
    ref->items = NULL;
    ref->nitems = 0;
    return bind_expr(b, ref, cx);
}

/* A constant string expression. */
static AiqExpr *const_string(Binder *b, const AiqNode *n, const char *s)
{
    AiqExpr *e = bind_const_expr(b, AIQ_TYPE_STRING, n);
    e->value.str = (AiqStr){s, (uint32_t)strlen(s)};
    return e;
}

/* Converts e to type t with the conversion function of t (same type: e). */
static AiqExpr *convert_to(Binder *b, AiqExpr *e, AiqType t)
{
    static const AiqFuncId conv[AIQ_TYPE_COUNT] = {
        [AIQ_TYPE_BOOL] = AIQ_FN_TOBOOL, [AIQ_TYPE_INT] = AIQ_FN_TOINT, [AIQ_TYPE_LONG] = AIQ_FN_TOLONG,
        [AIQ_TYPE_REAL] = AIQ_FN_TODOUBLE, [AIQ_TYPE_STRING] = AIQ_FN_TOSTRING,
        [AIQ_TYPE_DATETIME] = AIQ_FN_TODATETIME, [AIQ_TYPE_TIMESPAN] = AIQ_FN_TOTIMESPAN,
        [AIQ_TYPE_DYNAMIC] = AIQ_FN_TODYNAMIC,
    };
    if (e->type == t || !conv[t])
        return e;
    return bind_call1(b, conv[t], t, e);
}

/* The type a typeof(T) argument names, or UNKNOWN. */
static AiqType typeof_arg(const AiqNode *tl)
{
    if (tl->kind == AIQ_N_CALL && strcmp(tl->str, "typeof") == 0 && tl->nitems == 1 && tl->items[0]->kind == AIQ_N_NAME)
        return aiq_type_from_name(tl->items[0]->str, (int)strlen(tl->items[0]->str));
    return AIQ_TYPE_UNKNOWN;
}

/* column_ifexists(name, default): the column when the input has it, else
 * the default; of the default's type either way (kqlcheck's typing), the
 * column converted when its type differs. */
static AiqExpr *bind_column_ifexists(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx)
{
    const AiqNode *name = n->items[0];
    if (name->kind != AIQ_N_LITERAL || name->type != AIQ_TYPE_STRING || name->isnull)
        return FAILF(b, name, AIQ_ERR_TYPE, "the first argument of %s() must be a constant string, the name of a column", f->name);
    AiqExpr *dflt = bind_expr(b, n->items[1], cx);
    if (!dflt)
        return NULL;
    const AiqColumn *cols;
    int ncols;
    visible_columns(cx, &cols, &ncols);
    for (int c = 0; c < ncols; c++)
        if (cols[c].name[0] != '\001' && strcmp(cols[c].name, name->str) == 0) {
            b->ifexists_found = n; /* the result is named after the column (scope.c) */
            AiqExpr *col = bind_column_named(b, name, name->str, cx);
            return col ? convert_to(b, col, dflt->type) : NULL;
        }
    return dflt;
}

/* pack_all([ignore_null_empty]) and bag_pack_columns(c1, c2, ...): the
 * call bag_pack(name1, column1, ...) (pack_all: with its flag first) over
 * every column in scope, or the columns named. */
static AiqExpr *bind_pack_columns(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx)
{
    const AiqColumn *cols;
    int ncols;
    visible_columns(cx, &cols, &ncols);
    bool all = f->id == AIQ_FN_PACK_ALL;
    int cap = 1 + 2 * (all ? ncols : n->nitems), na = 0;
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * (size_t)cap);
    if (all) {
        AiqExpr *flag = n->nitems ? bind_expr(b, n->items[0], cx) : bind_const_expr(b, AIQ_TYPE_BOOL, n);
        if (!flag)
            return NULL;
        if (flag->type != AIQ_TYPE_BOOL)
            return FAILF(b, n->items[0], AIQ_ERR_TYPE, "the argument of pack_all() must be a bool, found %s", aiq_type_name(flag->type));
        args[na++] = flag;
        for (int c = 0; c < ncols; c++) {
            if (hidden_column(cx, cols, c))
                continue;
            args[na++] = const_string(b, n, cols[c].name);
            if (!(args[na++] = bind_column_named(b, n, cols[c].name, cx)))
                return NULL;
        }
        return bind_call_expr(b, AIQ_FN_PACK_ALL, AIQ_TYPE_DYNAMIC, n, args, na);
    }
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        if (it->kind != AIQ_N_NAME)
            return FAILF(b, it, AIQ_ERR_BIND, "the arguments of bag_pack_columns() are columns; this is an expression");
        args[na++] = const_string(b, it, it->str);
        if (!(args[na++] = bind_expr(b, it, cx)))
            return NULL;
    }
    return bind_call_expr(b, AIQ_FN_BAG_PACK, AIQ_TYPE_DYNAMIC, n, args, na);
}

/* pack_array(*) and estimate_data_size(*): '*' stands for every column in
 * scope, in order; other arguments bind as themselves. */
static AiqExpr *bind_star_args(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx)
{
    const AiqColumn *cols;
    int ncols;
    visible_columns(cx, &cols, &ncols);
    int cap = n->nitems + ncols + 1, na = 0;
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * (size_t)cap);
    for (int i = 0; i < n->nitems; i++) {
        if (n->items[i]->kind != AIQ_N_STAR) {
            if (!(args[na++] = bind_expr(b, n->items[i], cx)))
                return NULL;
            continue;
        }
        for (int c = 0; c < ncols; c++)
            if (!hidden_column(cx, cols, c) && !(args[na++] = bind_column_named(b, n->items[i], cols[c].name, cx)))
                return NULL;
    }
    if (na == 0)
        return FAILF(b, n, AIQ_ERR_BIND, "%s(*) has no columns to take here", f->name);
    return bind_call_expr(b, f->id, f->ret == 'y' ? AIQ_TYPE_DYNAMIC : AIQ_TYPE_LONG, n, args, na);
}

/* extract_json(path, text, typeof(T)) and percentile_tdigest(t, p,
 * typeof(T)): the two-argument call converted to T (null when it does not
 * convert), as extract(..., typeof(T)). */
static AiqExpr *bind_typed_call(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx)
{
    AiqType t = typeof_arg(n->items[2]);
    if (t == AIQ_TYPE_UNKNOWN)
        return FAILF(b, n->items[2], AIQ_ERR_TYPE, "the third argument of %s() is a type, such as typeof(long)", f->name);
    AiqNode two = *n;
    two.nitems = 2;
    AiqExpr *text = bind_call(b, &two, cx);
    if (!text)
        return NULL;
    if (t == AIQ_TYPE_DYNAMIC) /* the value itself, not its text */
        return bind_call1(b, AIQ_FN_TODYNAMIC, t, text);
    AiqExpr *e = convert_to(b, text, t);
    e->off = n->off;
    e->len = n->len;
    return e;
}

bool bind_builtin_before(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx, AiqExpr **out)
{
    bool star = false;
    for (int i = 0; i < n->nitems; i++)
        star |= n->items[i]->kind == AIQ_N_STAR;
    switch (f->id) {
    case AIQ_FN_COLUMN_IFEXISTS:
    case AIQ_FN_COLUMNIFEXISTS: *out = bind_column_ifexists(b, n, f, cx); return true;
    case AIQ_FN_PACK_ALL:
    case AIQ_FN_BAG_PACK_COLUMNS: *out = bind_pack_columns(b, n, f, cx); return true;
    case AIQ_FN_PACK_ARRAY:
    case AIQ_FN_ESTIMATE_DATA_SIZE:
        if (!star)
            return false;
        *out = bind_star_args(b, n, f, cx);
        return true;
    case AIQ_FN_EXTRACT_JSON:
    case AIQ_FN_EXTRACTJSON:
    case AIQ_FN_PERCENTILE_TDIGEST:
        if (n->nitems != 3)
            return false;
        *out = bind_typed_call(b, n, f, cx);
        return true;
    default: return false;
    }
}

/* The common type of max_of()'s and min_of()'s arguments: one type, or
 * numbers (real when any is real); UNKNOWN when they mix others. */
static AiqType common_of(AiqExpr **args, int na)
{
    AiqType t = AIQ_TYPE_UNKNOWN;
    bool real = false;
    for (int i = 0; i < na; i++) {
        AiqType x = args[i]->type;
        real |= x == AIQ_TYPE_REAL;
        if (t == AIQ_TYPE_UNKNOWN || t == x)
            t = x;
        else if (is_num(t) && is_num(x))
            t = AIQ_TYPE_LONG;
        else
            return AIQ_TYPE_UNKNOWN;
    }
    return real ? AIQ_TYPE_REAL : t;
}

bool bind_builtin_type(Binder *b, const AiqNode *n, const AiqFuncDef *f, AiqExpr **args, int na, AiqType *t)
{
    switch (f->id) {
    case AIQ_FN_MAX_OF:
    case AIQ_FN_MIN_OF:
        *t = common_of(args, na);
        if (*t == AIQ_TYPE_UNKNOWN || *t == AIQ_TYPE_DYNAMIC) {
            FAILF(b, n, AIQ_ERR_TYPE, "the arguments of %s() must all have one type (numbers may mix), found %s and %s",
                  f->name, aiq_type_name(args[0]->type), aiq_type_name(args[na - 1]->type));
            return false;
        }
        return true;
    case AIQ_FN_BAG_PACK:
    case AIQ_FN_PACK:
    case AIQ_FN_PACK_DICTIONARY:
        if (na % 2) {
            FAILF(b, n, AIQ_ERR_BIND, "%s() takes keys and values in pairs; got %d arguments", f->name, na);
            return false;
        }
        for (int i = 0; i < na; i += 2)
            if (args[i]->type != AIQ_TYPE_STRING) {
                FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() is a key and must be a string, found %s", i + 1,
                      f->name, aiq_type_name(args[i]->type));
                return false;
            }
        return true;
    case AIQ_FN_DATETIME_PART:
    case AIQ_FN_DATEPART: {
        AiqStr p = args[0]->value.str;
        if (!aiq_datetime_part_known(p.ptr, p.len))
            return FAILF(b, n->items[0], AIQ_ERR_BIND, "unknown datetime part '%.*s' of %s() (expected year, quarter, month, week_of_year, day, dayofyear, hour, minute, second, millisecond, microsecond or nanosecond)",
                         (int)p.len, p.ptr, f->name) != NULL;
        return true;
    }
    case AIQ_FN_FORMAT_TIMESPAN: {
        size_t off, len;
        AiqStr fmt = args[1]->value.str;
        if (!aiq_timespan_format_check(fmt.ptr, fmt.len, &off, &len))
            return FAILF(b, n->items[1], AIQ_ERR_BIND, "format_timespan(): '%.*s' is not a format element Kusto documents (d to dddddddd, f to fffffff, F to FFFFFFF, h, hh, H, HH, m, mm, s, ss; delimiters space / - : , . _ [ ])",
                         (int)len, fmt.ptr + off) != NULL;
        return true;
    }
    case AIQ_FN_PARSE_COMMAND_LINE: {
        AiqStr kind = args[1]->value.str;
        if (!(kind.len == 7 && strncasecmp(kind.ptr, "windows", 7) == 0))
            return FAILF(b, n->items[1], AIQ_ERR_BIND, "the parser type of parse_command_line() is \"windows\", the only one Kusto has") != NULL;
        return true;
    }
    case AIQ_FN_DATETIME_UTC_TO_LOCAL:
    case AIQ_FN_DATETIME_LOCAL_TO_UTC: {
        AiqStr zone = args[1]->value.str;
        if (is_const(args[1]) && !aiq_tz_known(zone.ptr, zone.len))
            return FAILF(b, n->items[1], AIQ_ERR_BIND, "unknown time zone '%.*s' (datetime_list_timezones() lists the zones of the system's database)",
                         (int)zone.len, zone.ptr) != NULL;
        return true;
    }
    case AIQ_FN_EXTRACT_JSON:
    case AIQ_FN_EXTRACTJSON: {
        AiqJsonStep steps[AIQ_JSONPATH_MAX_STEPS];
        if (is_const(args[0]) && aiq_jsonpath_parse(args[0]->value.str, false, steps) < 0)
            return FAILF(b, n->items[0], AIQ_ERR_BIND, "%s(): '%.*s' is not a JSONPath Kusto takes ($, .name, ['name'], [index])",
                         f->name, (int)args[0]->value.str.len, args[0]->value.str.ptr) != NULL;
        return true;
    }
    default: return true;
    }
}
