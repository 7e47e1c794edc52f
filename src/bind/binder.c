/*
 * binder.c -- the binder's entry (see binder.h): statements (let,
 * declare query_parameters), pipelines bound source first, table names
 * looked up through the caller, tabular user functions, table().
 */
#include "bind/bind_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/table.h"
#include "util/suggest.h"
#include "util/timefmt.h"

static void *unknown_table(Binder *b, const AiqNode *n, Binding *scope)
{
    size_t nc = 0, room = (size_t)b->opts->ntable_names + bind_count_bindings(scope);
    const char **cands = aiq_arena_alloc(b->arena, sizeof *cands * (room + 1));
    for (int i = 0; i < b->opts->ntable_names; i++)
        cands[nc++] = b->opts->table_names[i];
    for (Binding *x = scope; x; x = x->next)
        if (x->kind == BIND_TABULAR)
            cands[nc++] = x->name;
    const char *s = aiq_suggest(n->str, strlen(n->str), cands, nc);
    if (s)
        return FAILF(b, n, AIQ_ERR_BIND, "unknown table '%s'; did you mean '%s'?", n->str, s);
    /* no near name: say which tables there are, and how to bind one (CLI.md) */
    FAILF(b, n, AIQ_ERR_BIND, "unknown table '%s'; %s", n->str, b->opts->ntable_names ? "the tables are" : "no table is bound");
    for (int i = 0; i < b->opts->ntable_names; i++) {
        if (strlen(b->err->msg) >= 150) {
            aiq_error_append(b->err, ", ...");
            break;
        }
        aiq_error_append(b->err, "%s %s", i ? "," : "", b->opts->table_names[i]);
    }
    aiq_error_append(b->err, "; bind one with -t %s=PATH", n->str);
    return NULL;
}

/* Calls a user function whose body is tabular: tabular parameters bind to
 * the argument tables, scalar ones to the argument values. Arguments bind in
 * the caller's scope, the body in the definition's. */
AiqPlan *bind_tabular_call(Binder *b, const AiqNode *n, Binding *fb, Binding *caller)
{
    const AiqNode *def = fb->def;
    if (!(n = bind_user_args_in_order(b, n, def)))
        return NULL;
    if (!bind_check_user_call(b, n, def))
        return NULL;
    Binding *scope = bind_push_call_scope(b, fb);
    for (int i = 0; i < def->nparams; i++) {
        const AiqNode *prm = def->params[i];
        Binding *x;
        if (prm->op == 1) {
            if (i >= n->nitems || n->items[i]->kind == AIQ_N_PARAM)
                return FAILF(b, n, AIQ_ERR_BIND, "missing table argument '%s'", prm->str);
            AiqPlan *arg = bind_tabular(b, n->items[i], caller);
            if (!arg)
                return NULL;
            x = bind_push_binding(b, scope, prm->str, BIND_TABULAR);
            x->plan = arg;
        } else {
            AiqExpr *a = bind_scalar_argument(b, n, i, fb, &(ExprCtx){.scope = caller});
            if (!a)
                return NULL;
            x = bind_push_binding(b, scope, prm->str, BIND_SCALAR);
            x->expr = a;
        }
        scope = x;
    }
    bind_push_call(b, def);
    AiqPlan *result = NULL;
    for (int i = 0; i < def->nitems; i++) {
        const AiqNode *s = def->items[i];
        if (i + 1 < def->nitems) {
            if (s->kind != AIQ_N_LET)
                continue;
            AiqPlan *tp = NULL;
            Binding *x;
            bool tabular = (s->rhs->kind != AIQ_N_FUNC_DEF && s->rhs->kind != AIQ_N_LITERAL &&
                            s->rhs->kind != AIQ_N_BINARY && s->rhs->kind != AIQ_N_CALL) ||
                           bind_is_materialize(s->rhs);
            if (tabular && (tp = bind_tabular(b, s->rhs, scope))) {
                x = bind_push_binding(b, scope, s->str, BIND_TABULAR);
                x->plan = tp;
            } else {
                b->err->code = AIQ_OK;
                AiqExpr *v = bind_expr(b, s->rhs, &(ExprCtx){.scope = scope});
                if (!v)
                    break;
                x = bind_push_binding(b, scope, s->str, BIND_SCALAR);
                x->expr = v;
            }
            scope = x;
        } else {
            result = bind_tabular(b, s, scope);
        }
    }
    b->call_depth--;
    return result;
}

/* The error for valid KQL that aiq does not run yet (parse/parse_skip.c). */
static void *bind_skipped(Binder *b, const AiqNode *n)
{
    return FAILF(b, n, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: %s", n->str);
}

/* A set statement (a SKIPPED node whose rhs is the option, parse_skip.c).
 * aiq honours the request properties whose meaning it can keep: notruncation
 * (aiq never truncates a result, so either value changes nothing) and
 * query_take_max_records = N (the query's result is cut to N rows, as by a
 * final take, *take_max). Other properties are valid KQL aiq cannot honour
 * yet: an error rather than a result that ignores them. */
static bool bind_set_option(Binder *b, const AiqNode *set, int64_t *take_max)
{
    const AiqNode *opt = set->rhs;
    if (!opt) {
        bind_skipped(b, set);
        return false;
    }
    const AiqNode *v = opt->rhs;
    if (strcmp(opt->str, "notruncation") == 0) {
        if (!v || (v->kind == AIQ_N_NAME && (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0)))
            return true;
        FAILF(b, v, AIQ_ERR_TYPE, "set notruncation takes true or false");
        return false;
    }
    if (strcmp(opt->str, "query_take_max_records") == 0) {
        if (v && v->kind == AIQ_N_LITERAL && v->type == AIQ_TYPE_LONG && v->i64 >= 0) {
            *take_max = v->i64;
            return true;
        }
        FAILF(b, v ? v : opt, AIQ_ERR_TYPE, "set query_take_max_records takes a number of records, such as 1000");
        return false;
    }
    FAILF(b, opt, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: set %s", opt->str);
    return false;
}

/* "cluster" or "database" when n names a table of another database or
 * cluster (cluster("c").database("d").T, database("d").T), else NULL. */
static const char *cross_database(const AiqNode *n)
{
    while (n->kind == AIQ_N_MEMBER || (n->kind == AIQ_N_CALL && n->lhs))
        n = n->lhs;
    if (n->kind == AIQ_N_CALL && (strcmp(n->str, "cluster") == 0 || strcmp(n->str, "database") == 0))
        return n->str;
    return NULL;
}

/* Whether n is an operator applied to the table its lhs gives (T | op). */
static bool pipes_from_left(const AiqNode *n)
{
    return n->lhs && (n->kind >= AIQ_N_WHERE || n->kind == AIQ_N_UNION);
}

static AiqPlan *bind_step(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope);

/* The data scopes table()'s second argument may name; aiq reads files and
 * has no cache policy, so each means all the rows. */
static const char *const table_data_scopes[] = {"hotcache", "all", "default", NULL};

/* The string a table() argument must be: a constant, or a name bound to
 * one (a let, or a parameter of the function being called). */
static const char *table_arg_string(Binder *b, const AiqNode *arg, Binding *scope, const char *what)
{
    AiqExpr *e = bind_expr(b, arg, &(ExprCtx){.scope = scope});
    if (!e)
        return NULL;
    if (!is_const(e) || e->type != AIQ_TYPE_STRING || e->value.isnull)
        return FAILF(b, arg, AIQ_ERR_TYPE, "table(): the %s must be a constant string", what);
    return aiq_arena_strndup(b->arena, e->value.str.ptr, e->value.str.len);
}

/* table(Name [, DataScope]): the table called Name, found as a name in the
 * query's source position would be (a bound table, a let table, or a
 * function without parameters), which is how Kusto's table() page resolves
 * it. The name is evaluated once, so it may come from a let or a parameter. */
static AiqPlan *bind_table_function(Binder *b, const AiqNode *n, Binding *scope)
{
    if (n->nitems < 1 || n->nitems > 2)
        return FAILF(b, n, AIQ_ERR_BIND, "table() takes a table name and an optional data scope, found %d arguments", n->nitems);
    const char *name = table_arg_string(b, n->items[0], scope, "table name");
    if (!name)
        return NULL;
    if (n->nitems == 2) {
        const char *data_scope = table_arg_string(b, n->items[1], scope, "data scope");
        if (!data_scope)
            return NULL;
        int k = 0;
        while (table_data_scopes[k] && strcmp(table_data_scopes[k], data_scope) != 0)
            k++;
        if (!table_data_scopes[k])
            return FAILF(b, n->items[1], AIQ_ERR_BIND, "table(): the data scope must be 'hotcache', 'all' or 'default', found '%s'", data_scope);
    }
    AiqNode *ref = aiq_arena_alloc(b->arena, sizeof *ref);
    *ref = (AiqNode){.kind = AIQ_N_TABLE, .str = name, .slen = (uint32_t)strlen(name),
                     .off = n->items[0]->off, .len = n->items[0]->len}; /* errors point at the argument */
    return bind_step(b, ref, NULL, scope);
}

/* where: the predicate over in's rows (window.c calls it too, after the
 * window functions in it became columns). */
AiqPlan *bind_where(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqExpr *e = bind_expr(b, n->rhs, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!e)
        return NULL;
    e = bind_coerce_dynamic(b, e, AIQ_TYPE_BOOL);
    if (e->type != AIQ_TYPE_BOOL) {
        const char *hint = n->rhs->kind == AIQ_N_NAME || e->type == AIQ_TYPE_STRING ? "; compare it, e.g. with == or isnotempty()" : "";
        return FAILF(b, n->rhs, AIQ_ERR_TYPE, "the 'where' predicate must be bool, found %s%s", aiq_type_name(e->type), hint);
    }
    return bind_filter_chain(b, in, e);
}

/* Binds source or operator n; in is the plan of its input (n->lhs). */
static AiqPlan *bind_step(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    if ((n->kind == AIQ_N_EXTEND || n->kind == AIQ_N_PROJECT || n->kind == AIQ_N_SERIALIZE || n->kind == AIQ_N_WHERE) &&
        bind_has_window(n))
        return bind_windowed(b, n, in, scope); /* row_number(), prev(), ...: window.c */
    switch (n->kind) {
    case AIQ_N_TABLE:
    case AIQ_N_NAME: {
        Binding *x = bind_find_binding(scope, n->str);
        if (x && x->kind == BIND_TABULAR)
            return x->plan;
        if (x && x->kind == BIND_SCALAR)
            return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a scalar value, not a table", n->str);
        const AiqNode *call;
        if (x && x->kind == BIND_FUNC && (call = bind_call_without_parens(b, n, x)))
            return bind_tabular_call(b, call, x, scope);
        if (x && x->kind == BIND_FUNC)
            return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a function; call it as %s()", n->str, n->str);
        AiqSchema s;
        if (!b->opts->lookup || !b->opts->lookup(b->opts->lookup_ud, n->str, &s, b->err)) {
            if (b->err->code != AIQ_OK) {
                if (b->err->offset < 0) {
                    b->err->offset = n->off;
                    b->err->length = n->len;
                }
                return NULL;
            }
            return unknown_table(b, n, scope);
        }
        AiqPlan *p = bind_new_plan(b, AIQ_P_SCAN, NULL);
        p->table = n->str;
        p->table_off = n->off;
        p->table_len = n->len;
        p->schema = s;
        return p;
    }
    case AIQ_N_MEMBER:
        if (cross_database(n))
            return FAILF(b, n, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: %s()", cross_database(n));
        return bind_fail(b, n, AIQ_ERR_BIND, "expected a table expression (a table name, or a query such as T | where ...)");
    case AIQ_N_CALL: {
        if (cross_database(n))
            return FAILF(b, n, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: %s()", cross_database(n));
        Binding *x = bind_find_binding(scope, n->str);
        if (x && x->kind == BIND_FUNC)
            return bind_tabular_call(b, n, x, scope);
        if (bind_is_materialize(n))
            return bind_materialize(b, n, scope);
        if (!x && strcmp(n->str, "table") == 0)
            return bind_table_function(b, n, scope);
        if (aiq_func_lookup(n->str))
            return FAILF(b, n, AIQ_ERR_BIND, "'%s()' is a scalar function; a query must start with a table", n->str);
        return bind_unknown_function(b, n, scope);
    }
    case AIQ_N_PRINT: return bind_print(b, n, scope);
    case AIQ_N_DATATABLE: return bind_datatable(b, n, scope);
    case AIQ_N_RANGE: return bind_range(b, n, scope);
    case AIQ_N_UNION: return bind_union(b, n, in, scope);
    case AIQ_N_WHERE: return bind_where(b, n, in, scope);
    case AIQ_N_EXTEND: return bind_extend(b, n, in, scope);
    case AIQ_N_SERIALIZE: return n->nitems ? bind_extend(b, n, in, scope) : in;
    case AIQ_N_PROJECT: return bind_project(b, n, in, scope);
    case AIQ_N_PROJECT_AWAY:
    case AIQ_N_PROJECT_KEEP:
    case AIQ_N_PROJECT_REORDER: return bind_project_patterns(b, n, in);
    case AIQ_N_PROJECT_RENAME: return bind_rename(b, n, in);
    case AIQ_N_SUMMARIZE: return bind_check_hints(b, n) ? bind_summarize(b, n, in, scope) : NULL;
    case AIQ_N_COUNT: return bind_count(b, in, "Count");
    case AIQ_N_DISTINCT: return bind_check_hints(b, n) ? bind_distinct(b, n, in, scope) : NULL;
    case AIQ_N_SORT: {
        AiqPlan *p = bind_new_plan(b, AIQ_P_SORT, in);
        return bind_check_hints(b, n) && bind_sort_keys(b, n, p, scope) ? p : NULL;
    }
    case AIQ_N_TOP: {
        AiqPlan *p = bind_new_plan(b, AIQ_P_TOP, in);
        if (!bind_check_hints(b, n))
            return NULL;
        if (!bind_const_count(b, n->rhs, scope, &p->limit, "top"))
            return NULL;
        return bind_sort_keys(b, n, p, scope) ? p : NULL;
    }
    case AIQ_N_TAKE: {
        AiqPlan *p = bind_new_plan(b, AIQ_P_TAKE, in);
        return bind_const_count(b, n->rhs, scope, &p->limit, "take") ? p : NULL;
    }
    case AIQ_N_JOIN: return bind_join(b, n, in, scope);
    case AIQ_N_MV_EXPAND: return bind_mv_expand(b, n, in, scope);
    case AIQ_N_PARSE: return bind_parse(b, n, in, scope);
    case AIQ_N_AS: return bind_check_hints(b, n) ? in : NULL;
    case AIQ_N_RENDER: return bind_check_render(b, n) ? in : NULL;
    case AIQ_N_GETSCHEMA: return bind_getschema(b, in);
    case AIQ_N_SKIPPED: return bind_skipped(b, n);
    case AIQ_N_MAKE_SERIES: return bind_make_series(b, n, in, scope);
    default:
        return bind_step_more(b, n, in, scope); /* issue 14's operators: ops_more.c */
    }
}

/* p, or the error "query too deep" when it ends a chain of more operators
 * than the executor may nest (each pulls from the one below it). */
static AiqPlan *plan_shallow_enough(Binder *b, const AiqNode *n, AiqPlan *p)
{
    if (p && p->depth > AIQ_MAX_PLAN_DEPTH)
        return FAILF(b, n, AIQ_ERR_BIND, "query too deep (limit %d): more than %d operators in a row",
                     AIQ_MAX_PLAN_DEPTH, AIQ_MAX_PLAN_DEPTH);
    return p;
}

/* A pipeline is a chain through lhs as long as the query: its source binds
 * first, then each operator on the plan below it, in a loop. */
AiqPlan *bind_tabular(Binder *b, const AiqNode *n, Binding *scope)
{
    int len = 0;
    const AiqNode *source = n;
    for (; pipes_from_left(source); source = source->lhs)
        len++;
    const AiqNode **ops = aiq_arena_alloc(b->arena, sizeof *ops * (size_t)(len + 1));
    int k = len;
    for (const AiqNode *x = n; x != source; x = x->lhs)
        ops[--k] = x;
    AiqPlan *p = plan_shallow_enough(b, source, bind_step(b, source, NULL, scope));
    for (int i = 0; p && i < len; i++) {
        p = plan_shallow_enough(b, ops[i], bind_step(b, ops[i], p, scope));
        if (p && ops[i]->kind == AIQ_N_AS) {
            /* T | as X | join (X | ...): the rest of the pipeline sees X, the
             * rows so far, computed once like a tabular let */
            AiqPlan *shared = bind_new_plan(b, AIQ_P_SHARED, p);
            shared->shared_id = b->nshared++;
            Binding *x = bind_push_binding(b, scope, ops[i]->str, BIND_TABULAR);
            x->plan = shared;
            scope = x;
            p = shared;
        }
    }
    return p;
}

/* Converts a --param text to a constant of the declared type. */
static bool param_value(Binder *b, const AiqNode *prm, const char *text, AiqExpr **out)
{
    AiqExpr *e = bind_const_expr(b, prm->type, prm);
    size_t n = strlen(text);
    char *end;
    errno = 0;
    bool ok = true;
    switch (prm->type) {
    case AIQ_TYPE_STRING:
        e->value.str.ptr = aiq_arena_strndup(b->arena, text, n);
        e->value.str.len = (uint32_t)n;
        break;
    case AIQ_TYPE_INT: case AIQ_TYPE_LONG:
        e->value.i64 = strtoll(text, &end, 10);
        ok = n && !*end && errno != ERANGE;
        break;
    case AIQ_TYPE_REAL:
        e->value.f64 = strtod(text, &end);
        ok = n && !*end;
        break;
    case AIQ_TYPE_BOOL:
        ok = strcmp(text, "true") == 0 || strcmp(text, "false") == 0;
        e->value.i64 = strcmp(text, "true") == 0;
        break;
    case AIQ_TYPE_DATETIME: ok = aiq_datetime_parse(text, n, &e->value.i64); break;
    case AIQ_TYPE_TIMESPAN: ok = aiq_timespan_parse(text, n, &e->value.i64); break;
    case AIQ_TYPE_DYNAMIC: {
        json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
        ok = j != NULL;
        if (j) {
            bind_own_json(b, j);
            e->value.dyn = j;
        }
        break;
    }
    default: ok = false;
    }
    if (!ok) {
        aiq_error_set(b->err, AIQ_ERR_USAGE, prm->off, prm->len,
                      "--param %s=%s: the value is not a valid %s", prm->str, text, aiq_type_name(prm->type));
        return false;
    }
    *out = e;
    return true;
}

/* aiq check without values: a parameter that has neither a value nor a
 * default is typed as declared and given a stand-in value that passes the
 * checks constants get at bind time (a take count, a bin size, a list for
 * has_any), so that the query is type-checked as Kusto's analyzer does
 * with a declared parameter. Nothing runs with it. */
static bool param_stand_in(Binder *b, const AiqNode *prm, AiqExpr **out)
{
    static const char *const text[AIQ_TYPE_COUNT] = {
        [AIQ_TYPE_BOOL] = "true", [AIQ_TYPE_INT] = "1", [AIQ_TYPE_LONG] = "1", [AIQ_TYPE_REAL] = "1",
        [AIQ_TYPE_STRING] = "", [AIQ_TYPE_DATETIME] = "2000-01-01T00:00:00Z", [AIQ_TYPE_TIMESPAN] = "1s",
        [AIQ_TYPE_DYNAMIC] = "[\"\"]",
    };
    return param_value(b, prm, prm->type < AIQ_TYPE_COUNT && text[prm->type] ? text[prm->type] : "", out);
}

AiqPlan *aiq_bind_query(const AiqNode *query, const AiqBindOptions *opts, AiqArena *arena, AiqError *err)
{
    Binder b = {.opts = opts, .arena = arena, .err = err};
    Binding *scope = NULL;
    AiqPlan *root = NULL;
    int64_t take_max = -1; /* set query_take_max_records */
    for (int i = 0; i < query->nitems; i++) {
        const AiqNode *s = query->items[i];
        if (s->kind == AIQ_N_LET) {
            Binding *x;
            if (s->rhs->kind == AIQ_N_FUNC_DEF) {
                x = bind_push_binding(&b, scope, s->str, BIND_FUNC);
                x->def = s->rhs;
                x->def_scope = scope;
            } else if (bind_is_tabular(&b, s->rhs, scope)) {
                AiqPlan *p = bind_tabular(&b, s->rhs, scope);
                if (!p)
                    goto bind_fail;
                AiqPlan *shared = bind_new_plan(&b, AIQ_P_SHARED, p);
                shared->shared_id = b.nshared++;
                x = bind_push_binding(&b, scope, s->str, BIND_TABULAR);
                x->plan = shared;
            } else {
                AiqExpr *v = bind_expr(&b, s->rhs, &(ExprCtx){.scope = scope});
                if (!v)
                    goto bind_fail;
                x = bind_push_binding(&b, scope, s->str, BIND_SCALAR);
                x->expr = v;
            }
            scope = x;
        } else if (s->kind == AIQ_N_DECLARE) {
            for (int k = 0; k < s->nitems; k++) {
                const AiqNode *prm = s->items[k];
                AiqExpr *v = NULL;
                const char *given = NULL;
                for (int j = 0; j < opts->nparams; j++)
                    if (strcmp(opts->param_names[j], prm->str) == 0)
                        given = opts->param_values[j];
                if (prm->op == 1) {
                    aiq_error_set(err, AIQ_ERR_BIND, prm->off, prm->len, "tabular query parameters are not supported");
                    goto bind_fail;
                }
                if (given) {
                    if (!param_value(&b, prm, given, &v))
                        goto bind_fail;
                } else if (prm->rhs) {
                    if (!(v = bind_expr(&b, prm->rhs, &(ExprCtx){.scope = scope})))
                        goto bind_fail;
                    if (v->type != prm->type && !(is_num(v->type) && is_num(prm->type))) {
                        FAILF(&b, prm->rhs, AIQ_ERR_TYPE, "the default of '%s' must be %s, found %s", prm->str, aiq_type_name(prm->type), aiq_type_name(v->type));
                        goto bind_fail;
                    }
                } else if (opts->params_stand_in) {
                    if (!param_stand_in(&b, prm, &v))
                        goto bind_fail;
                } else {
                    FAILF(&b, prm, AIQ_ERR_USAGE, "query parameter '%s' has no value; pass --param %s=VALUE", prm->str, prm->str);
                    goto bind_fail;
                }
                Binding *x = bind_push_binding(&b, scope, prm->str, BIND_SCALAR);
                x->expr = v;
                scope = x;
            }
        } else if (s->kind == AIQ_N_SKIPPED && !s->lhs && i + 1 != query->nitems && strcmp(s->str, "set") == 0) {
            if (!bind_set_option(&b, s, &take_max))
                goto bind_fail;
        } else if (s->kind == AIQ_N_SKIPPED && !s->lhs && i + 1 != query->nitems) {
            bind_skipped(&b, s); /* a statement: alias, declare pattern, ... */
            goto bind_fail;
        } else {
            if (i + 1 != query->nitems) {
                bind_fail(&b, s, AIQ_ERR_BIND, "only the last statement can be a query; end the others with 'let'");
                goto bind_fail;
            }
            root = bind_tabular(&b, s, scope);
            if (!root)
                goto bind_fail;
            if (take_max >= 0) { /* set query_take_max_records = N */
                root = bind_new_plan(&b, AIQ_P_TAKE, root);
                root->limit = take_max;
            }
            /* a trailing render is kept for the REPL's charts */
            const AiqNode *last = s;
            if (last->kind == AIQ_N_RENDER) {
                AiqPlan *copy = aiq_arena_alloc(arena, sizeof *copy);
                *copy = *root;
                root = copy;
                bind_render_spec(&b, last, root);
            }
        }
    }
    if (!root) { /* only lets: they bound, there is nothing to run */
        const AiqNode *last = query->items[query->nitems - 1];
        root = bind_new_plan(&b, AIQ_P_VALUES, NULL);
        root->lets_only_end = last->off + last->len;
    }
    if (root->kind == AIQ_P_SCAN || root->kind == AIQ_P_SHARED || root->kind == AIQ_P_VALUES) {
        /* give the root its own node so the fields below never alias a shared one */
        AiqPlan *copy = aiq_arena_alloc(arena, sizeof *copy);
        *copy = *root;
        root = copy;
    }
    root = bind_wrap_subqueries(&b, root); /* toscalar() and tabular `in` run first */
    root->nshared = b.nshared;
    root->nslots = b.nslots;
    root->owned_json = b.owned;
    root->nowned_json = b.nowned;
    root->computed_tables = b.computed;
    root->ncomputed = b.ncomputed;
    return root;
bind_fail:
    for (int i = 0; i < b.nowned; i++)
        json_decref(b.owned[i]);
    for (int i = 0; i < b.ncomputed; i++)
        aiq_table_free(b.computed[i]);
    return NULL;
}

void aiq_plan_release(AiqPlan *plan)
{
    if (!plan)
        return;
    for (int i = 0; i < plan->nowned_json; i++)
        json_decref(plan->owned_json[i]);
    plan->nowned_json = 0;
    for (int i = 0; i < plan->ncomputed; i++)
        aiq_table_free(plan->computed_tables[i]);
    plan->ncomputed = 0;
}
