/*
 * call.c -- binding calls: built-in functions (arity, argument classes,
 * result types, the special typing rules of iff, case, coalesce, bin, now,
 * extract) and user functions, inlined with their arguments bound.
 */
#include "bind/bind_internal.h"

#include <jansson.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "func/series_tuple.h"
#include "func/unsupported.h"
#include "util/suggest.h"
#include "util/timefmt.h"

/* ---- function calls -------------------------------------------------- */

bool bind_arg_class_ok(char cls, AiqType t)
{
    switch (cls) {
    case 'a': case '*': case 'k': case 'K': case 'p': return true;
    case 'n': return is_num(t);
    case 'N': return is_num(t) || t == AIQ_TYPE_DATETIME || t == AIQ_TYPE_TIMESPAN;
    case 'o': return t != AIQ_TYPE_DYNAMIC && t != AIQ_TYPE_UNKNOWN;
    case 's': return t == AIQ_TYPE_STRING;
    case 'b': return t == AIQ_TYPE_BOOL;
    case 'd': return t == AIQ_TYPE_DATETIME;
    case 't': return t == AIQ_TYPE_TIMESPAN;
    case 'y': return t == AIQ_TYPE_DYNAMIC;
    case 'l': return t == AIQ_TYPE_LONG || t == AIQ_TYPE_INT;
    case 'L': return t == AIQ_TYPE_LONG || t == AIQ_TYPE_INT || t == AIQ_TYPE_DYNAMIC;
    case 'S': return t == AIQ_TYPE_STRING || t == AIQ_TYPE_DYNAMIC;
    default: return true;
    }
}

const char *bind_class_desc(char cls)
{
    switch (cls) {
    case 'n': return "a number";
    case 'N': return "a number, datetime or timespan";
    case 's': return "a string";
    case 'b': return "a bool";
    case 'd': return "a datetime";
    case 't': return "a timespan";
    case 'y': return "a dynamic value";
    case 'l': return "an integer";
    case 'L': return "an integer or a dynamic array of integers";
    case 'S': return "a string or a dynamic array of strings";
    case 'k': return "a constant string";
    case 'K': return "a constant number";
    default: return "a value";
    }
}

static AiqType class_target(char cls)
{
    switch (cls) {
    case 'n': case 'N': return AIQ_TYPE_REAL;
    case 's': case 'k': case 'p': return AIQ_TYPE_STRING;
    case 'b': return AIQ_TYPE_BOOL;
    case 'd': return AIQ_TYPE_DATETIME;
    case 't': return AIQ_TYPE_TIMESPAN;
    case 'l': return AIQ_TYPE_LONG;
    default: return AIQ_TYPE_UNKNOWN;
    }
}

/* Common type of the value arguments of iff/case/coalesce: all the same,
 * or all numeric (promoted). Returns UNKNOWN when they differ. */
static AiqType common_type(AiqExpr **vals, int n)
{
    AiqType t = AIQ_TYPE_UNKNOWN;
    bool any_real = false, all_num = true;
    for (int i = 0; i < n; i++) {
        AiqType v = vals[i]->type;
        if (vals[i]->kind == AIQ_E_CONST && vals[i]->value.isnull && v != AIQ_TYPE_STRING)
            continue; /* a typed null fits any type */
        any_real |= v == AIQ_TYPE_REAL;
        all_num &= is_num(v);
        if (t == AIQ_TYPE_UNKNOWN)
            t = v;
        else if (t != v && !(is_num(t) && is_num(v)))
            return AIQ_TYPE_UNKNOWN;
    }
    if (t == AIQ_TYPE_UNKNOWN && n > 0)
        return vals[0]->type;
    if (all_num && t != AIQ_TYPE_UNKNOWN)
        return any_real ? AIQ_TYPE_REAL : (t == AIQ_TYPE_INT ? AIQ_TYPE_INT : AIQ_TYPE_LONG);
    return t;
}

/* A typed null that common_type let through as fitting type t becomes a
 * null of t (an empty string for strings, which are never null): the
 * kernels read every branch as t (found by fuzz_query: iff(c, "x",
 * long(null)) read a long as a string). */
static void retype_nulls(Binder *b, AiqExpr **vals, int n, AiqType t, const AiqNode *src)
{
    for (int i = 0; i < n; i++) {
        if (vals[i]->kind != AIQ_E_CONST || !vals[i]->value.isnull || vals[i]->type == t)
            continue;
        AiqExpr *e = bind_const_expr(b, t, src);
        if (t == AIQ_TYPE_STRING)
            e->value.str = (AiqStr){"", 0};
        else
            e->value.isnull = true;
        vals[i] = e;
    }
}

AiqType bind_ret_type(const AiqFuncDef *f, AiqExpr **args, int nargs)
{
    switch (f->ret) {
    case 'b': return AIQ_TYPE_BOOL;
    case 'i': return AIQ_TYPE_INT;
    case 'l': return AIQ_TYPE_LONG;
    case 'r': return AIQ_TYPE_REAL;
    case 's': return AIQ_TYPE_STRING;
    case 'd': return AIQ_TYPE_DATETIME;
    case 't': return AIQ_TYPE_TIMESPAN;
    case 'y': return AIQ_TYPE_DYNAMIC;
    case '0': return nargs ? args[0]->type : AIQ_TYPE_UNKNOWN;
    case 'S': return args[0]->type == AIQ_TYPE_INT || args[0]->type == AIQ_TYPE_BOOL ? AIQ_TYPE_LONG : args[0]->type;
    case 'A': return args[0]->type == AIQ_TYPE_DATETIME || args[0]->type == AIQ_TYPE_TIMESPAN ? args[0]->type : AIQ_TYPE_REAL;
    default: return AIQ_TYPE_UNKNOWN;
    }
}

static const char *const datetime_parts[] = {
    "year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond",
    "microsecond", "nanosecond", NULL,
};


/* The names of the aggregates, for suggestions inside summarize: there a
 * typo of count() is not a typo of cot(). */
static const char *const *aggregate_names(size_t *n)
{
    static const char *names[AIQ_FN_ID_COUNT];
    size_t k = 0;
    for (int i = AIQ_FN_NONE + 1; i < AIQ_FN_ID_COUNT; i++)
        if (aiq_func_def((AiqFuncId)i)->agg >= 0)
            names[k++] = aiq_func_def((AiqFuncId)i)->name;
    *n = k;
    return names;
}

/* An unknown function, with a suggestion among the functions (or, in an
 * aggregate context, the aggregates) and the user's functions. An
 * operator's spelling used as a function (has("ab", "a")) gets none: no
 * function is what was meant. */
static void *unknown_function(Binder *b, const AiqNode *n, Binding *scope, bool aggregates)
{
    if (strcmp(n->str, "table") == 0) /* a tabular function (bind/binder.c) */
        return FAILF(b, n, AIQ_ERR_BIND, "table() gives a table, not a value: start a query with it, as in table('T') | take 10");
    AiqNode name_span = *n;
    name_span.len = (int32_t)strlen(n->str);
    const char *left_out = aiq_func_unsupported_reason(n->str);
    if (left_out)
        return FAILF(b, &name_span, AIQ_ERR_BIND, "%s() is valid KQL but not supported by aiq: %s", n->str, left_out);
    size_t nf;
    const char *const *names = aggregates ? aggregate_names(&nf) : aiq_func_names(&nf);
    const char *s = aiq_func_operator(n->str, strlen(n->str)) ? NULL : aiq_suggest(n->str, strlen(n->str), names, nf);
    if (!s)
        for (Binding *x = scope; x && !s; x = x->next)
            if (x->kind == BIND_FUNC)
                s = aiq_suggest(n->str, strlen(n->str), &x->name, 1);
    AiqNode span = *n;
    span.len = (int32_t)strlen(n->str);
    const char *modern = aiq_func_modern_name(n->str);
    if (modern)
        return FAILF(b, &span, AIQ_ERR_BIND, "unknown function '%s', the legacy spelling of %s(), which aiq does not have yet",
                     n->str, modern);
    if (bind_is_window_function(n->str))
        return FAILF(b, &span, AIQ_ERR_BIND, "'%s' is a window function: use it in extend, project, serialize or where, "
                     "over rows in order", n->str);
    if (s)
        return FAILF(b, &span, AIQ_ERR_BIND, "unknown function '%s'; did you mean '%s'?", n->str, s);
    return FAILF(b, &span, AIQ_ERR_BIND, "unknown function '%s'", n->str);
}

/* Suggests a function name for an unknown one. */
void *bind_unknown_function(Binder *b, const AiqNode *n, Binding *scope)
{
    return unknown_function(b, n, scope, false);
}


/* extract(regex, group, source, typeof(T)): the extracted text converted to
 * T, null when it does not convert (Kusto's extract page). */
static AiqExpr *bind_extract_typed(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    static const AiqFuncId conv[AIQ_TYPE_COUNT] = {
        [AIQ_TYPE_BOOL] = AIQ_FN_TOBOOL, [AIQ_TYPE_INT] = AIQ_FN_TOINT, [AIQ_TYPE_LONG] = AIQ_FN_TOLONG,
        [AIQ_TYPE_REAL] = AIQ_FN_TODOUBLE, [AIQ_TYPE_DATETIME] = AIQ_FN_TODATETIME,
        [AIQ_TYPE_TIMESPAN] = AIQ_FN_TOTIMESPAN, [AIQ_TYPE_DYNAMIC] = AIQ_FN_TODYNAMIC,
    };
    const AiqNode *tl = n->items[3];
    AiqType t = AIQ_TYPE_UNKNOWN;
    if (tl->kind == AIQ_N_CALL && strcmp(tl->str, "typeof") == 0 && tl->nitems == 1 && tl->items[0]->kind == AIQ_N_NAME)
        t = aiq_type_from_name(tl->items[0]->str, (int)strlen(tl->items[0]->str));
    if (t == AIQ_TYPE_UNKNOWN)
        return bind_fail(b, tl, AIQ_ERR_TYPE, "the fourth argument of extract() is a type, such as typeof(long)");
    AiqNode three = *n;
    three.nitems = 3;
    AiqExpr *text = bind_call(b, &three, cx);
    if (!text || !conv[t])
        return text;
    AiqExpr *e = bind_call1(b, conv[t], t, text);
    e->off = n->off;
    e->len = n->len;
    return e;
}

AiqExpr *bind_call(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    Binding *ub = bind_find_binding(cx->scope, n->str);
    if (ub && ub->kind == BIND_FUNC)
        return bind_user_call(b, n, ub, cx);
    if (strcmp(n->str, "toscalar") == 0)
        return bind_toscalar(b, n, cx);
    if (bind_is_materialize(n))
        return FAILF(b, n, AIQ_ERR_BIND, "materialize() gives a table, not a value; use it as a table, or toscalar(...) for its first value");
    const AiqFuncDef *f = aiq_func_lookup_call(n->str, n->nitems);
    /* operators spelled as words (in, has, and, between) are not functions:
     * in("a", 1) must not skip the operator's type checks (found by fuzz_query) */
    if (!f || aiq_func_is_operator(f))
        return unknown_function(b, n, cx->scope, cx->agg_ok);
    if (n->nitems < f->min_args || (f->max_args >= 0 && n->nitems > f->max_args)) {
        if (f->min_args == f->max_args)
            return FAILF(b, n, AIQ_ERR_BIND, "%s() takes %d argument%s, got %d", f->name,
                         f->min_args, f->min_args == 1 ? "" : "s", n->nitems);
        return FAILF(b, n, AIQ_ERR_BIND, "%s() takes %d to %d arguments, got %d", f->name,
                     f->min_args, f->max_args, n->nitems);
    }
    if (f->agg >= 0) {
        if (!cx->agg_ok)
            return FAILF(b, n, AIQ_ERR_BIND,
                         "aggregate function '%s' can only be used inside 'summarize'", f->name);
        return bind_aggregate(b, n, f, cx);
    }
    if (f->id == AIQ_FN_EXTRACT && n->nitems == 4)
        return bind_extract_typed(b, n, cx);
    int ntuple;
    if (aiq_func_tuple(f->id, &ntuple) && !cx->tuple_ok)
        return bind_tuple_misused(b, n, f);
    ExprCtx argcx = *cx; /* a call's arguments are values: no function of several columns */
    argcx.tuple_ok = false;
    AiqExpr *special;
    if (bind_builtin_before(b, n, f, &argcx, &special))
        return special;
    AiqNode reordered;
    if (f->id == AIQ_FN_EXTRACT_ALL && n->nitems == 3) {
        /* extract_all(regex, captureGroups, source): the kernel takes the
         * source second, as in the two-argument form */
        reordered = *n;
        reordered.items = aiq_arena_alloc(b->arena, sizeof *reordered.items * 3);
        reordered.items[0] = n->items[0];
        reordered.items[1] = n->items[2];
        reordered.items[2] = n->items[1];
        n = &reordered;
    }
    if (f->id == AIQ_FN_NOW && n->nitems == 0) {
        AiqExpr *e = bind_const_expr(b, AIQ_TYPE_DATETIME, n);
        e->value.i64 = b->opts->now;
        return e;
    }
    int na = n->nitems;
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * (size_t)(na ? na : 1));
    size_t ncls = strlen(f->args);
    for (int i = 0; i < na; i++) {
        const AiqNode *an = n->items[i];
        if (an->kind == AIQ_N_STAR)
            return FAILF(b, an, AIQ_ERR_BIND, "'*' is not allowed as an argument of %s()", f->name);
        if (an->kind == AIQ_N_ASSIGN)
            return FAILF(b, an, AIQ_ERR_BIND, "aiq passes the arguments of a built-in function such as %s() by position; remove '%s ='", f->name, an->str);
        /* datetime_diff('minute', ...) takes the part as a constant string */
        char cls = ncls ? f->args[(size_t)i < ncls ? (size_t)i : ncls - 1] : 'a';
        if (!(args[i] = bind_expr(b, an, &argcx)))
            return NULL;
        args[i] = cls == 'v' ? bind_as_string(b, args[i]) : bind_coerce_dynamic(b, args[i], class_target(cls));
        if (!bind_arg_class_ok(cls, args[i]->type))
            return FAILF(b, an, AIQ_ERR_TYPE, "argument %d of %s() must be %s, found %s", i + 1,
                         f->name, bind_class_desc(cls), aiq_type_name(args[i]->type));
        if ((cls == 'k' || cls == 'p') && (!is_const(args[i]) || args[i]->type != AIQ_TYPE_STRING))
            return FAILF(b, an, AIQ_ERR_TYPE, "argument %d of %s() must be a constant string", i + 1, f->name);
        if (cls == 'p') {
            bool ok = false;
            for (int k = 0; datetime_parts[k]; k++)
                ok |= args[i]->value.str.len == strlen(datetime_parts[k]) &&
                      strncasecmp(args[i]->value.str.ptr, datetime_parts[k], args[i]->value.str.len) == 0;
            if (!ok)
                return FAILF(b, an, AIQ_ERR_BIND, "unknown datetime part '%.*s' (expected year, quarter, month, week, day, hour, minute, second, millisecond, microsecond or nanosecond)",
                             (int)args[i]->value.str.len, args[i]->value.str.ptr);
        }
    }
    if (f->id == AIQ_FN_EXTRACT_ALL && na == 3 &&
        (!is_const(args[2]) || !json_is_array(args[2]->value.dyn) || json_array_size(args[2]->value.dyn) == 0))
        return bind_fail(b, n->items[2], AIQ_ERR_TYPE, "the capture groups of extract_all() must be a constant dynamic array of group numbers or names");
    if (f->id == AIQ_FN_COUNTOF && na == 3) {
        AiqStr kind = args[2]->value.str;
        if (!(kind.len == 6 && memcmp(kind.ptr, "normal", 6) == 0) && !(kind.len == 5 && memcmp(kind.ptr, "regex", 5) == 0))
            return bind_fail(b, n->items[2], AIQ_ERR_BIND, "the kind of countof() is 'normal' or 'regex'");
    }
    if (f->id == AIQ_FN_FORMAT_DATETIME) {
        /* an element Kusto's page does not list would come out as garbage */
        size_t off, len;
        AiqStr fmt = args[1]->value.str;
        if (!aiq_datetime_format_check(fmt.ptr, fmt.len, &off, &len))
            return FAILF(b, n->items[1], AIQ_ERR_BIND, "format_datetime(): '%.*s' is not a format element Kusto documents (d, dd, f to fffffff, F to FFFFFFF, h, hh, H, HH, m, mm, M, MM, s, ss, y, yy, yyyy, tt)",
                         (int)len, fmt.ptr + off);
    }
    AiqType t;
    if (f->id == AIQ_FN_IFF || f->id == AIQ_FN_IIF) {
        t = common_type(args + 1, 2);
        if (t == AIQ_TYPE_UNKNOWN)
            return FAILF(b, n, AIQ_ERR_TYPE, "the two results of %s() must have the same type, found %s and %s",
                         f->name, aiq_type_name(args[1]->type), aiq_type_name(args[2]->type));
        retype_nulls(b, args + 1, 2, t, n);
    } else if (f->id == AIQ_FN_CASE) {
        if (na % 2 == 0)
            return FAILF(b, n, AIQ_ERR_BIND, "case() takes pairs of (predicate, value) and a final else value; got %d arguments", na);
        AiqExpr **vals = aiq_arena_alloc(b->arena, sizeof *vals * (size_t)na);
        int nv = 0;
        for (int i = 0; i < na; i++) {
            if (i % 2 == 0 && i + 1 < na) {
                args[i] = bind_coerce_dynamic(b, args[i], AIQ_TYPE_BOOL);
                if (args[i]->type != AIQ_TYPE_BOOL)
                    return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of case() must be a bool predicate, found %s", i + 1, aiq_type_name(args[i]->type));
            } else {
                vals[nv++] = args[i];
            }
        }
        t = common_type(vals, nv);
        if (t == AIQ_TYPE_UNKNOWN)
            return FAILF(b, n, AIQ_ERR_TYPE, "all results of case() must have the same type");
        for (int i = 1; i < na; i += 2) /* the values: odd positions, and the last */
            retype_nulls(b, &args[i], 1, t, n);
        retype_nulls(b, &args[na - 1], 1, t, n);
    } else if (f->id == AIQ_FN_COALESCE) {
        t = common_type(args, na);
        if (t == AIQ_TYPE_UNKNOWN)
            return FAILF(b, n, AIQ_ERR_TYPE, "all arguments of coalesce() must have the same type");
        retype_nulls(b, args, na, t, n);
    } else if (f->id == AIQ_FN_AGO || f->id == AIQ_FN_NOW) {
        /* ago(t) is now() - t and now(t) is now() + t, fixed for the query:
         * fold when t is constant */
        if (is_const(args[0]) && !args[0]->value.isnull) {
            AiqExpr *e = bind_const_expr(b, AIQ_TYPE_DATETIME, n);
            e->value.i64 = f->id == AIQ_FN_AGO ? b->opts->now - args[0]->value.i64 : b->opts->now + args[0]->value.i64;
            return e;
        }
        t = AIQ_TYPE_DATETIME;
    } else {
        t = bind_ret_type(f, args, na);
        if (f->id == AIQ_FN_BIN || f->id == AIQ_FN_FLOOR || f->id == AIQ_FN_BIN_AT) {
            AiqType vt = args[0]->type, st = args[1]->type;
            bool ok = (is_num(vt) && is_num(st)) ||
                      ((vt == AIQ_TYPE_DATETIME || vt == AIQ_TYPE_TIMESPAN) && st == AIQ_TYPE_TIMESPAN);
            if (!ok)
                return FAILF(b, n->items[1], AIQ_ERR_TYPE, "the bin size of %s() must be %s, found %s",
                             f->name, is_num(vt) ? "a number" : "a timespan", aiq_type_name(st));
            if (vt == AIQ_TYPE_INT)
                t = AIQ_TYPE_LONG;
            if (is_num(vt) && st == AIQ_TYPE_REAL)
                t = AIQ_TYPE_REAL;
        } else if (f->id == AIQ_FN_ROUND && t == AIQ_TYPE_INT) {
            t = AIQ_TYPE_LONG;
        }
        if (!bind_builtin_type(b, n, f, args, na, &t))
            return NULL;
    }
    return bind_call_expr(b, f->id, t, n, args, na);
}

/* A call of a user function with its arguments in parameter order: named
 * arguments (f(c=7, a=12)) go to their parameter's place, a gap before a
 * later argument holds the parameter node itself, meaning "its default".
 * Returns n when every argument is positional; NULL after an error. */
const AiqNode *bind_user_args_in_order(Binder *b, const AiqNode *n, const AiqNode *def)
{
    bool named = false;
    for (int i = 0; i < n->nitems; i++)
        named |= n->items[i]->kind == AIQ_N_ASSIGN;
    if (!named)
        return n;
    AiqNode *c = aiq_arena_alloc(b->arena, sizeof *c);
    *c = *n;
    c->items = aiq_arena_calloc(b->arena, sizeof *c->items * (size_t)(def->nparams + 1));
    c->nitems = 0;
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *a = n->items[i]; /* by position: parameter i; by name: its parameter */
        int at = i;
        if (a->kind == AIQ_N_ASSIGN) {
            for (at = 0; at < def->nparams && strcmp(def->params[at]->str, a->str) != 0; at++)
                ;
            if (at == def->nparams)
                return FAILF(b, a, AIQ_ERR_BIND, "function '%s' has no parameter '%s'", n->str, a->str);
            a = a->lhs;
        }
        if (at >= def->nparams)
            return FAILF(b, n, AIQ_ERR_BIND, "function '%s' takes %d argument%s, got %d", n->str, def->nparams,
                         def->nparams == 1 ? "" : "s", n->nitems);
        if (c->items[at])
            return FAILF(b, n->items[i], AIQ_ERR_BIND, "parameter '%s' of '%s' is given twice", def->params[at]->str, n->str);
        c->items[at] = (AiqNode *)a;
        c->nitems = at + 1 > c->nitems ? at + 1 : c->nitems;
    }
    for (int i = 0; i < c->nitems; i++) {
        if (c->items[i])
            continue;
        if (!def->params[i]->rhs)
            return FAILF(b, n, AIQ_ERR_BIND, "function '%s' needs its parameter '%s'", n->str, def->params[i]->str);
        c->items[i] = def->params[i]; /* its default */
    }
    return c;
}

enum { MAX_INLINED_CALLS = 100000 };

/* Pushes def on the stack of functions being inlined (popped with call_depth--). */
void bind_push_call(Binder *b, const AiqNode *def)
{
    b->call_stack = aiq_arena_grow(b->arena, b->call_stack, b->call_depth, &b->call_cap, sizeof *b->call_stack, 16);
    b->call_stack[b->call_depth++] = def;
}

/* Checks a call of a user function: no recursion, bounded nesting, the
 * number of arguments its parameters allow. */
bool bind_check_user_call(Binder *b, const AiqNode *n, const AiqNode *def)
{
    for (int i = 0; i < b->call_depth; i++)
        if (b->call_stack[i] == def)
            return FAILF(b, n, AIQ_ERR_BIND, "function '%s' calls itself; recursion is not supported in KQL", n->str) != NULL;
    if (b->call_depth >= AIQ_MAX_CALL_DEPTH)
        return FAILF(b, n, AIQ_ERR_BIND, "query too deep (limit %d): user functions call one another more than %d levels deep",
                     AIQ_MAX_CALL_DEPTH, AIQ_MAX_CALL_DEPTH) != NULL;
    /* each call inlines the body: f2(x) = f1(x) + f1(x), f3 ... doubles the
     * work at every level, which only a bound on the total keeps finite */
    if (++b->ninlined > MAX_INLINED_CALLS)
        return FAILF(b, n, AIQ_ERR_BIND, "query too large (limit %d): user functions are called more than %d times once inlined",
                     MAX_INLINED_CALLS, MAX_INLINED_CALLS) != NULL;
    int required = 0;
    for (int i = 0; i < def->nparams; i++)
        required += def->params[i]->rhs == NULL;
    if (n->nitems < required || n->nitems > def->nparams)
        return FAILF(b, n, AIQ_ERR_BIND, "function '%s' takes %d argument%s, got %d", n->str, def->nparams,
                     def->nparams == 1 ? "" : "s", n->nitems) != NULL;
    return true;
}

/* Whether a user function can be called by its name alone, without
 * parentheses: a view, or any function whose parameters all have defaults
 * (Kusto's let and named-expression pages). Returns the call node to bind. */
const AiqNode *bind_call_without_parens(Binder *b, const AiqNode *name, const Binding *fb)
{
    for (int i = 0; i < fb->def->nparams; i++)
        if (!fb->def->params[i]->rhs)
            return NULL;
    AiqNode *call = aiq_arena_calloc(b->arena, sizeof *call);
    *call = *name;
    call->kind = AIQ_N_CALL;
    call->items = NULL;
    call->nitems = 0;
    return call;
}

/* The scope a user function's body binds in. The function sees itself, so
 * a recursive call is reported as such. */
Binding *bind_push_call_scope(Binder *b, const Binding *fb)
{
    Binding *scope = bind_push_binding(b, fb->def_scope, fb->name, BIND_FUNC);
    scope->def = fb->def;
    scope->def_scope = fb->def_scope;
    return scope;
}

/* Binds the value of scalar parameter i of call n: the argument given (in
 * the caller's context cx) or the parameter's default (in the definition's
 * scope), converted to the declared type when it is another number. */
AiqExpr *bind_scalar_argument(Binder *b, const AiqNode *n, int i, const Binding *fb,
                                     ExprCtx *cx)
{
    const AiqNode *prm = fb->def->params[i];
    bool given = i < n->nitems && n->items[i]->kind != AIQ_N_PARAM; /* PARAM: its default */
    AiqExpr *a = given ? bind_expr(b, n->items[i], cx)
                       : bind_expr(b, prm->rhs, &(ExprCtx){.scope = fb->def_scope});
    if (!a)
        return NULL;
    a = bind_coerce_dynamic(b, a, prm->type);
    if (a->type != prm->type && !(is_num(a->type) && is_num(prm->type)))
        return FAILF(b, i < n->nitems ? n->items[i] : n, AIQ_ERR_TYPE,
                     "argument '%s' of '%s' must be %s, found %s", prm->str, n->str,
                     aiq_type_name(prm->type), aiq_type_name(a->type));
    if (a->type != prm->type)
        a = bind_call1(b, prm->type == AIQ_TYPE_REAL  ? AIQ_FN_TODOUBLE
                     : prm->type == AIQ_TYPE_INT ? AIQ_FN_TOINT
                                                 : AIQ_FN_TOLONG,
                  prm->type, a);
    return a;
}

/* Inlines a user function: parameters become bindings of the argument
 * expressions, then the body binds in that scope. */
AiqExpr *bind_user_call(Binder *b, const AiqNode *n, Binding *fb, ExprCtx *cx)
{
    const AiqNode *def = fb->def;
    if (!(n = bind_user_args_in_order(b, n, def)))
        return NULL;
    if (!bind_check_user_call(b, n, def))
        return NULL;
    Binding *scope = bind_push_call_scope(b, fb);
    for (int i = 0; i < def->nparams; i++) {
        const AiqNode *prm = def->params[i];
        if (prm->op == 1)
            return FAILF(b, n, AIQ_ERR_BIND, "function '%s' takes a table; call it as a query source", n->str);
        AiqExpr *a = bind_scalar_argument(b, n, i, fb, cx);
        if (!a)
            return NULL;
        Binding *x = bind_push_binding(b, scope, prm->str, BIND_SCALAR);
        x->expr = a;
        scope = x;
    }
    bind_push_call(b, def);
    for (int i = 0; i + 1 < def->nitems; i++) {
        const AiqNode *s = def->items[i];
        if (s->kind != AIQ_N_LET)
            continue;
        AiqExpr *v = bind_expr(b, s->rhs, &(ExprCtx){.schema = cx->schema, .scope = scope});
        if (!v) {
            b->call_depth--;
            return NULL;
        }
        Binding *x = bind_push_binding(b, scope, s->str, BIND_SCALAR);
        x->expr = v;
        scope = x;
    }
    ExprCtx inner = *cx;
    inner.scope = scope;
    AiqExpr *e = bind_expr(b, def->items[def->nitems - 1], &inner);
    b->call_depth--;
    return e;
}
