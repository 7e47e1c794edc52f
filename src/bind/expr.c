/*
 * expr.c -- binding scalar expressions: literals, names, operators (typed
 * by their family in func/builtins.def), in/has_any sets, between, dynamic
 * indexing. Chains as long as the query (a + b + ..., d.a.b) are walked,
 * not recursed.
 */
#include "bind/bind_internal.h"

#include <jansson.h>
#include <string.h>

#include "util/dynlit.h"
#include "util/strbuf.h"
#include "util/suggest.h"

/* ---- literals -------------------------------------------------------- */

static AiqExpr *bind_literal(Binder *b, const AiqNode *n)
{
    AiqExpr *e = bind_const_expr(b, n->type, n);
    e->value.isnull = n->isnull;
    e->value.i64 = n->i64;
    e->value.f64 = n->f64;
    if (n->type == AIQ_TYPE_STRING) {
        e->value.str.ptr = n->str;
        e->value.str.len = n->slen;
    } else if (n->type == AIQ_TYPE_DYNAMIC && !n->isnull) {
        json_error_t jerr;
        json_t *j = json_loadb(n->str, n->slen, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!j) {
            /* Kusto's own forms: {'a': 'b'}, [datetime(2020-01-01)], ... */
            AiqStrBuf json;
            const char *why = NULL;
            aiq_sb_init(&json);
            if (aiq_dynamic_literal_json(n->str, n->slen, &json, &why))
                j = json_loadb(aiq_sb_str(&json), json.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
            aiq_sb_free(&json);
            if (!j)
                return FAILF(b, n, AIQ_ERR_SYNTAX, "invalid dynamic literal: %s", why ? why : jerr.text);
        }
        bind_own_json(b, j);
        e->value.dyn = j;
    } else if (n->type == AIQ_TYPE_DYNAMIC) {
        e->value.dyn = NULL;
        e->value.isnull = true;
    }
    return e;
}

/* ---- operators ------------------------------------------------------- */

static AiqType num_promote(AiqType a, AiqType b)
{
    return (a == AIQ_TYPE_REAL || b == AIQ_TYPE_REAL) ? AIQ_TYPE_REAL : AIQ_TYPE_LONG;
}

/* Result type of an arithmetic operator, or UNKNOWN when it does not apply. */
static AiqType arith_type(AiqFuncId op, AiqType l, AiqType r)
{
    if (is_num(l) && is_num(r))
        return num_promote(l, r);
    bool add = op == AIQ_FN_ADD, sub = op == AIQ_FN_SUB;
    if (sub && l == AIQ_TYPE_DATETIME && r == AIQ_TYPE_DATETIME)
        return AIQ_TYPE_TIMESPAN;
    if ((add || sub) && l == AIQ_TYPE_DATETIME && r == AIQ_TYPE_TIMESPAN)
        return AIQ_TYPE_DATETIME;
    if (add && l == AIQ_TYPE_TIMESPAN && r == AIQ_TYPE_DATETIME)
        return AIQ_TYPE_DATETIME;
    if ((add || sub || op == AIQ_FN_MOD) && l == AIQ_TYPE_TIMESPAN && r == AIQ_TYPE_TIMESPAN)
        return AIQ_TYPE_TIMESPAN;
    if (op == AIQ_FN_MUL && ((l == AIQ_TYPE_TIMESPAN && is_num(r)) || (is_num(l) && r == AIQ_TYPE_TIMESPAN)))
        return AIQ_TYPE_TIMESPAN;
    if (op == AIQ_FN_DIV && l == AIQ_TYPE_TIMESPAN && r == AIQ_TYPE_TIMESPAN)
        return AIQ_TYPE_REAL;
    if (op == AIQ_FN_DIV && l == AIQ_TYPE_TIMESPAN && is_num(r))
        return AIQ_TYPE_TIMESPAN;
    return AIQ_TYPE_UNKNOWN;
}

static bool comparable(AiqType l, AiqType r)
{
    if (is_num(l) && is_num(r))
        return true;
    return l == r && l != AIQ_TYPE_UNKNOWN;
}

static AiqExpr *binary_call(Binder *b, const AiqNode *n, AiqFuncId fn, AiqType t, AiqExpr *l,
                            AiqExpr *r)
{
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * 2);
    args[0] = l;
    args[1] = r;
    return bind_call_expr(b, fn, t, n, args, 2);
}

/* Whether values of type t are text to the string operators: strings, and
 * dynamic values (converted with tostring()). */

/* Converts a non-string scalar operand of a string operator to string, as
 * Kusto does for `has`, `contains` and friends. */
AiqExpr *bind_as_string(Binder *b, AiqExpr *e)
{
    if (e->type == AIQ_TYPE_STRING)
        return e;
    return bind_call1(b, AIQ_FN_TOSTRING, AIQ_TYPE_STRING, e);
}

/* lhs OP rhs, with lhs bound already (see bind_expr). */
static AiqExpr *bind_binary(Binder *b, const AiqNode *n, AiqExpr *l, ExprCtx *cx)
{
    AiqExpr *r = bind_expr(b, n->rhs, cx);
    if (!r)
        return NULL;
    const AiqFuncDef *f = aiq_func_def(n->op);
    AiqFuncId id = f->id;
    const char *op = f->name; /* for messages */
    if (f->flags & AIQ_FN_LOGIC) {
        l = bind_coerce_dynamic(b, l, AIQ_TYPE_BOOL);
        r = bind_coerce_dynamic(b, r, AIQ_TYPE_BOOL);
        if (l->type != AIQ_TYPE_BOOL)
            return FAILF(b, n->lhs, AIQ_ERR_TYPE, "the left side of '%s' must be bool, found %s", op, aiq_type_name(l->type));
        if (r->type != AIQ_TYPE_BOOL)
            return FAILF(b, n->rhs, AIQ_ERR_TYPE, "the right side of '%s' must be bool, found %s", op, aiq_type_name(r->type));
        return binary_call(b, n, id, AIQ_TYPE_BOOL, l, r);
    }
    if (f->flags & AIQ_FN_STRING_OP) {
        /* Kusto defines these for strings and dynamic values only: has on a
         * long is an error there, not an implicit tostring() */
        const AiqNode *bad = !is_text(l->type) ? n->lhs : !is_text(r->type) ? n->rhs : NULL;
        if (bad)
            return FAILF(b, bad, AIQ_ERR_TYPE, "operator '%s' needs strings, found %s on the %s; convert it with tostring()",
                         op, aiq_type_name(bad == n->lhs ? l->type : r->type), bad == n->lhs ? "left" : "right");
        l = bind_as_string(b, l);
        r = bind_as_string(b, r);
        if (id == AIQ_FN_MATCHES_REGEX && !is_const(r))
            return bind_fail(b, n->rhs, AIQ_ERR_TYPE, "the pattern of 'matches regex' must be a constant string");
        return binary_call(b, n, id, AIQ_TYPE_BOOL, l, r);
    }
    /* dynamic against a typed value converts to that type first */
    if (l->type == AIQ_TYPE_DYNAMIC && r->type != AIQ_TYPE_DYNAMIC)
        l = bind_coerce_dynamic(b, l, is_num(r->type) ? AIQ_TYPE_REAL : r->type);
    else if (r->type == AIQ_TYPE_DYNAMIC && l->type != AIQ_TYPE_DYNAMIC)
        r = bind_coerce_dynamic(b, r, is_num(l->type) ? AIQ_TYPE_REAL : l->type);
    bool equality = (f->flags & AIQ_FN_EQUALITY) != 0;
    if (f->flags & AIQ_FN_COMPARE) {
        /* two dynamic values compare as their text; == and != keep them
         * dynamic so that a null side stays null (k_eq) */
        if (l->type == AIQ_TYPE_DYNAMIC && r->type == AIQ_TYPE_DYNAMIC && !equality) {
            l = bind_coerce_dynamic(b, l, AIQ_TYPE_STRING);
            r = bind_coerce_dynamic(b, r, AIQ_TYPE_STRING);
        }
        if (!comparable(l->type, r->type))
            return FAILF(b, n, AIQ_ERR_TYPE, "cannot compare %s with %s using '%s'%s",
                         aiq_type_name(l->type), aiq_type_name(r->type), op,
                         (l->type == AIQ_TYPE_STRING || r->type == AIQ_TYPE_STRING)
                             ? "; convert one side with tostring(), tolong() or todouble()"
                             : "");
        if (!equality && l->type == AIQ_TYPE_DYNAMIC)
            return FAILF(b, n, AIQ_ERR_TYPE, "cannot order dynamic values with '%s'", op);
        return binary_call(b, n, id, AIQ_TYPE_BOOL, l, r);
    }
    AiqType t = arith_type(id, l->type, r->type);
    if (t == AIQ_TYPE_UNKNOWN) {
        const char *hint = "";
        if (id == AIQ_FN_ADD && (l->type == AIQ_TYPE_STRING || r->type == AIQ_TYPE_STRING))
            hint = "; to join strings use strcat()";
        else if (l->type == AIQ_TYPE_DYNAMIC || r->type == AIQ_TYPE_DYNAMIC)
            hint = "; convert the dynamic value with tolong() or todouble() first";
        return FAILF(b, n, AIQ_ERR_TYPE, "operator '%s' cannot be applied to %s and %s%s", op,
                     aiq_type_name(l->type), aiq_type_name(r->type), hint);
    }
    return binary_call(b, n, id, t, l, r);
}

/* ---- expressions ----------------------------------------------------- */

void *bind_unknown_column(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    size_t nc = 0, room = (size_t)(cx->schema ? cx->schema->ncols : 0) + bind_count_bindings(cx->scope);
    const char **cands = aiq_arena_alloc(b->arena, sizeof *cands * (room + 1));
    for (int i = 0; cx->schema && i < cx->schema->ncols; i++)
        cands[nc++] = cx->schema->cols[i].name;
    for (Binding *x = cx->scope; x; x = x->next)
        if (x->kind == BIND_SCALAR)
            cands[nc++] = x->name;
    const char *s = aiq_suggest(n->str, strlen(n->str), cands, nc);
    if (s)
        return FAILF(b, n, AIQ_ERR_BIND, "unknown column '%s'; did you mean '%s'?", n->str, s);
    if (bind_find_binding(cx->scope, n->str) || (b->opts->lookup && false))
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a table, not a column", n->str);
    return FAILF(b, n, AIQ_ERR_BIND, "unknown column '%s'", n->str);
}

static AiqExpr *bind_name(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    if (n->str[0] == '$' && !(cx->schema && strcmp(n->str, "$table") == 0 && bind_schema_find(b, cx->schema, n->str) >= 0))
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' can only be used in a join condition, as %s.Column", n->str, n->str);
    int c = cx->list ? bind_cols_find(cx->list, n->str) : bind_schema_find(b, cx->schema, n->str);
    if (c >= 0) {
        if (cx->sink && cx->agg_ok)
            return FAILF(b, n, AIQ_ERR_BIND,
                         "column '%s' must be inside an aggregation function such as take_any(), or listed after 'by'", n->str);
        return bind_column_expr(b, c, cx->schema->cols[c].type, n);
    }
    Binding *x = bind_find_binding(cx->scope, n->str);
    if (x && x->kind == BIND_SCALAR) {
        /* the value's node is shared by every use: a slot makes the
         * executor compute it once per chunk (let s1 = strcat(s0, s0), ...) */
        if (x->expr->kind == AIQ_E_CALL && !x->expr->slot)
            x->expr->slot = ++b->nslots;
        return x->expr;
    }
    if (x && x->kind == BIND_TABULAR)
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a table, not a scalar value", n->str);
    const AiqNode *call;
    if (x && x->kind == BIND_FUNC && (call = bind_call_without_parens(b, n, x)))
        return bind_user_call(b, call, x, cx);
    if (x && x->kind == BIND_FUNC)
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a function; call it as %s()", n->str, n->str);
    if (strcmp(n->str, "null") == 0)
        return FAILF(b, n, AIQ_ERR_BIND, "a bare 'null' has no type; write a typed null such as long(null), real(null) or dynamic(null)");
    return bind_unknown_column(b, n, cx);
}

static AiqExpr *bind_index(Binder *b, const AiqNode *n, AiqExpr *base, AiqExpr *key)
{
    if (base->type != AIQ_TYPE_DYNAMIC)
        return FAILF(b, n, AIQ_ERR_TYPE, "only dynamic values can be indexed; this is %s", aiq_type_name(base->type));
    if (key->type != AIQ_TYPE_STRING && key->type != AIQ_TYPE_LONG && key->type != AIQ_TYPE_INT)
        return FAILF(b, n->rhs ? n->rhs : n, AIQ_ERR_TYPE, "an index must be a string or an integer, found %s", aiq_type_name(key->type));
    return binary_call(b, n, AIQ_FN_INDEX, AIQ_TYPE_DYNAMIC, base, key);
}

/* The values of an `in`/`has_any` set, with the node each came from. */
typedef struct SetList {
    AiqExpr **vals;
    const AiqNode **srcs;
    int n, cap;
} SetList;

static void set_push(Binder *b, SetList *set, AiqExpr *v, const AiqNode *src)
{
    if (set->n == set->cap) {
        int cap = set->cap ? set->cap * 2 : 8;
        AiqExpr **v2 = aiq_arena_alloc(b->arena, sizeof *v2 * (size_t)cap);
        const AiqNode **s2 = aiq_arena_alloc(b->arena, sizeof *s2 * (size_t)cap);
        if (set->n) {
            memcpy(v2, set->vals, sizeof *v2 * (size_t)set->n);
            memcpy(s2, set->srcs, sizeof *s2 * (size_t)set->n);
        }
        set->vals = v2;
        set->srcs = s2;
        set->cap = cap;
    }
    set->vals[set->n] = v;
    set->srcs[set->n++] = src;
}

/* A constant of a JSON scalar's own type (string, long, real, bool), or
 * NULL for null, arrays and bags. */
static AiqExpr *json_scalar_const(Binder *b, json_t *j, const AiqNode *src)
{
    AiqExpr *e;
    if (json_is_string(j)) {
        e = bind_const_expr(b, AIQ_TYPE_STRING, src);
        e->value.str = (AiqStr){json_string_value(j), (uint32_t)json_string_length(j)};
    } else if (json_is_integer(j)) {
        e = bind_const_expr(b, AIQ_TYPE_LONG, src);
        e->value.i64 = json_integer_value(j);
    } else if (json_is_real(j)) {
        e = bind_const_expr(b, AIQ_TYPE_REAL, src);
        e->value.f64 = json_real_value(j);
    } else if (json_is_boolean(j)) {
        e = bind_const_expr(b, AIQ_TYPE_BOOL, src);
        e->value.i64 = json_is_true(j);
    } else {
        return NULL;
    }
    return e;
}

/* Adds value v to an `in` set. A constant dynamic array stands for its
 * elements (Kusto's in and has_any pages: `x in (dynamic([1, 2]))`,
 * `let states = dynamic([...]); ... has_any (states)`); an element that can
 * never equal a value of the left side's type (null, a bag, another type)
 * is left out, except that the string forms compare elements as text. */
static void set_add_values(Binder *b, SetList *set, AiqExpr *v, AiqType left, bool as_text, const AiqNode *src)
{
    if (!is_const(v) || v->type != AIQ_TYPE_DYNAMIC || !json_is_array(v->value.dyn)) {
        set_push(b, set, v, src);
        return;
    }
    size_t k;
    json_t *el;
    json_array_foreach(v->value.dyn, k, el) {
        AiqExpr *c = json_scalar_const(b, el, src);
        if (as_text && !c && !json_is_null(el)) {
            c = bind_const_expr(b, AIQ_TYPE_DYNAMIC, src);
            c->value.dyn = el; /* owned by the array, which the plan owns */
        }
        if (c && (as_text || left == AIQ_TYPE_DYNAMIC || comparable(left, c->type)))
            set_push(b, set, c, src);
    }
}

/* Whether n's left operand is bound on its own, before the rest of n: the
 * kinds that chain to the left (a + b + c, x == 1 == true, d.a.b, d[0][1],
 * x in (1) in (true)). A chain is as long as the query, so bind_expr walks
 * down it instead of recursing. */
static bool binds_left_first(const AiqNode *n)
{
    switch (n->kind) {
    case AIQ_N_BINARY:
    case AIQ_N_IN:
    case AIQ_N_BETWEEN:
    case AIQ_N_INDEX: return true;
    case AIQ_N_MEMBER: return !(n->lhs->kind == AIQ_N_NAME && n->lhs->str[0] == '$'); /* $left.X is a column */
    default: return false;
    }
}

/* Binds n of a chaining kind whose left operand is bound already (l). */
static AiqExpr *bind_on_left(Binder *b, const AiqNode *n, AiqExpr *l, ExprCtx *cx)
{
    switch (n->kind) {
    case AIQ_N_BINARY: return bind_binary(b, n, l, cx);
    case AIQ_N_MEMBER: {
        AiqExpr *key = bind_const_expr(b, AIQ_TYPE_STRING, n);
        key->value.str.ptr = n->str;
        key->value.str.len = (uint32_t)strlen(n->str);
        return bind_index(b, n, l, key);
    }
    case AIQ_N_INDEX: {
        AiqExpr *key = bind_expr(b, n->rhs, cx);
        if (!key)
            return NULL;
        return bind_index(b, n, l, key);
    }
    case AIQ_N_IN: {
        /* in~ and has_any/has_all compare as strings; their left side is text */
        const char *op = aiq_func_def(n->op)->name;
        bool ci = n->op == AIQ_FN_IN_CI || n->op == AIQ_FN_NOT_IN_CI || n->op == AIQ_FN_HAS_ANY ||
                  n->op == AIQ_FN_HAS_ALL;
        if (ci && !is_text(l->type))
            return FAILF(b, n->lhs, AIQ_ERR_TYPE, "the left side of '%s' must be a string, found %s; convert it with tostring()", op, aiq_type_name(l->type));
        SetList set = {0};
        const AiqNode **tables = aiq_arena_alloc(b->arena, sizeof *tables * (size_t)n->nitems);
        int ntables = 0;
        bool has_op = n->op == AIQ_FN_HAS_ANY || n->op == AIQ_FN_HAS_ALL;
        for (int i = 0; i < n->nitems; i++) {
            if (bind_is_tabular_value(b, n->items[i], cx)) {
                /* x in (T | project y): the set of y's values, computed once before the query */
                if (has_op)
                    return FAILF(b, n->items[i], AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: %s with a tabular expression", op);
                if (n->nitems > 1) /* as Kusto: a table stands alone there */
                    return FAILF(b, n, AIQ_ERR_TYPE, "a tabular expression must be the only value of '%s'; found %d values", op, n->nitems);
                tables[ntables++] = n->items[i];
                continue;
            }
            AiqExpr *v = bind_expr(b, n->items[i], cx);
            if (!v)
                return NULL;
            set_add_values(b, &set, v, l->type, ci, n->items[i]);
        }
        AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * (size_t)(set.n + 1));
        args[0] = l;
        for (int i = 0; i < set.n; i++) {
            AiqExpr *v = set.vals[i];
            const AiqNode *src = set.srcs[i];
            /* an array computed per row (x in (d)) stands for its elements,
             * compared with x by value (k_in) */
            bool elements = v->type == AIQ_TYPE_DYNAMIC && l->type != AIQ_TYPE_DYNAMIC && !has_op;
            if (l->type == AIQ_TYPE_DYNAMIC)
                args[0] = l = bind_coerce_dynamic(b, l, is_num(v->type) ? AIQ_TYPE_REAL : v->type);
            if (!elements)
                v = bind_coerce_dynamic(b, v, l->type);
            if (ci) {
                l = args[0] = bind_as_string(b, l);
                if (!elements)
                    v = bind_as_string(b, v);
            }
            if (!elements && !comparable(l->type, v->type))
                return FAILF(b, src, AIQ_ERR_TYPE, "the values of '%s' must have the type of the left side (%s), found %s", op, aiq_type_name(l->type), aiq_type_name(v->type));
            args[i + 1] = v;
        }
        AiqExpr *in = bind_call_expr(b, n->op, AIQ_TYPE_BOOL, n, args, set.n + 1);
        return bind_in_subqueries(b, in, tables, ntables, cx->scope) ? in : NULL;
    }
    case AIQ_N_BETWEEN: {
        AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * 3);
        args[0] = l;
        if (!(args[1] = bind_expr(b, n->rhs, cx)) || !(args[2] = bind_expr(b, n->extra, cx)))
            return NULL;
        args[0] = bind_coerce_dynamic(b, args[0], is_num(args[1]->type) ? AIQ_TYPE_REAL : args[1]->type);
        AiqType t = args[0]->type;
        bool ok = (is_num(t) || t == AIQ_TYPE_DATETIME || t == AIQ_TYPE_TIMESPAN);
        for (int i = 1; ok && i < 3; i++)
            ok = comparable(t, args[i]->type) ||
                 (t == AIQ_TYPE_DATETIME && args[i]->type == AIQ_TYPE_TIMESPAN && i == 2);
        if (!ok)
            return FAILF(b, n, AIQ_ERR_TYPE, "'between' needs numbers, datetimes or timespans of matching types; found %s between %s and %s",
                         aiq_type_name(t), aiq_type_name(args[1]->type), aiq_type_name(args[2]->type));
        /* datetime between (d .. 1h) means d .. d+1h */
        if (t == AIQ_TYPE_DATETIME && args[2]->type == AIQ_TYPE_TIMESPAN)
            args[2] = binary_call(b, n->extra, AIQ_FN_ADD, AIQ_TYPE_DATETIME, args[1], args[2]);
        return bind_call_expr(b, n->op, AIQ_TYPE_BOOL, n, args, 3);
    }
    default: return bind_fail(b, n, AIQ_ERR_BIND, "internal error: not a chaining expression");
    }
}

/* Binds an expression that does not chain to the left. */
static AiqExpr *bind_single(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    switch (n->kind) {
    case AIQ_N_LITERAL: return bind_literal(b, n);
    case AIQ_N_NAME:
    case AIQ_N_TABLE: return bind_name(b, n, cx);
    case AIQ_N_CALL: return bind_call(b, n, cx);
    case AIQ_N_UNARY: {
        AiqExpr *a = bind_expr(b, n->lhs, cx);
        if (!a)
            return NULL;
        if (n->op == AIQ_FN_ADD) /* unary plus */
            return a;
        a = bind_coerce_dynamic(b, a, AIQ_TYPE_REAL);
        if (!is_num(a->type) && a->type != AIQ_TYPE_TIMESPAN)
            return FAILF(b, n, AIQ_ERR_TYPE, "unary '-' needs a number or timespan, found %s", aiq_type_name(a->type));
        AiqExpr *e = bind_call1(b, AIQ_FN_NEG, a->type == AIQ_TYPE_INT ? AIQ_TYPE_LONG : a->type, a);
        e->off = n->off;
        e->len = n->len;
        return e;
    }
    case AIQ_N_MEMBER: { /* $left.X or $right.X (the others chain) */
        bool left = strcmp(n->lhs->str, "$left") == 0;
        if (!left && strcmp(n->lhs->str, "$right") != 0)
            return FAILF(b, n->lhs, AIQ_ERR_BIND, "'%s' can only be used in a join condition, as %s.Column", n->lhs->str, n->lhs->str);
        const AiqSchema *s = left ? cx->left : cx->right;
        if (!s)
            return FAILF(b, n, AIQ_ERR_BIND, "'%s' can only be used in a join condition", n->lhs->str);
        int c = bind_schema_find(b, s, n->str);
        if (c < 0)
            return FAILF(b, n, AIQ_ERR_BIND, "unknown column '%s' on the %s side of the join", n->str, left ? "left" : "right");
        AiqExpr *e = bind_column_expr(b, c, s->cols[c].type, n);
        e->variant = left ? 1 : 2; /* marks the side for the join binder */
        return e;
    }
    case AIQ_N_STAR: return bind_fail(b, n, AIQ_ERR_BIND, "'*' is not allowed here");
    case AIQ_N_ASSIGN:
        return FAILF(b, n, AIQ_ERR_BIND, "unexpected assignment to '%s' here", n->str);
    default:
        return bind_fail(b, n, AIQ_ERR_BIND, "a table expression cannot be used as a scalar value here");
    }
}

/* e, or the error "query too deep" when its nesting is past what the
 * walkers may recurse into (a chain of lets can nest without bound). */
static AiqExpr *shallow_enough(Binder *b, const AiqNode *n, AiqExpr *e)
{
    if (e && e->depth > AIQ_MAX_EXPR_DEPTH)
        return FAILF(b, n, AIQ_ERR_BIND, "query too deep (limit %d): an expression nests more than %d levels deep",
                     AIQ_MAX_EXPR_DEPTH, AIQ_MAX_EXPR_DEPTH);
    return e;
}

/* Whether n is `* has "x"` and the like: a string operator over every column. */
static bool is_star_predicate(const AiqNode *n)
{
    return n->kind == AIQ_N_BINARY && n->lhs->kind == AIQ_N_STAR;
}

/* `* OP x`: true when any column, as text, satisfies `column OP x` (the
 * columns or'ed together in their order); for a negated operator (!has),
 * when every column does: none has x. A table without columns has no
 * column that does. */
static AiqExpr *bind_star_predicate(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    const AiqFuncDef *f = aiq_func_def(n->op);
    if (!(f->flags & AIQ_FN_STRING_OP))
        return bind_fail(b, n->lhs, AIQ_ERR_BIND, "'*' is not allowed here");
    if (!cx->schema)
        return FAILF(b, n->lhs, AIQ_ERR_BIND, "'* %s' needs the columns of a table", f->name);
    AiqExpr *r = bind_expr(b, n->rhs, cx);
    if (!r)
        return NULL;
    if (!is_text(r->type))
        return FAILF(b, n->rhs, AIQ_ERR_TYPE, "operator '%s' needs strings, found %s on the right", f->name, aiq_type_name(r->type));
    r = bind_as_string(b, r);
    bool negated = (f->flags & AIQ_FN_NEGATED) != 0;
    AiqExpr *all = NULL;
    for (int c = 0; c < cx->schema->ncols; c++) {
        AiqExpr *col = bind_column_expr(b, c, cx->schema->cols[c].type, n->lhs);
        AiqExpr *one = binary_call(b, n, f->id, AIQ_TYPE_BOOL, bind_as_string(b, col), r);
        all = all ? binary_call(b, n, negated ? AIQ_FN_AND : AIQ_FN_OR, AIQ_TYPE_BOOL, all, one) : one;
    }
    if (!all) {
        all = bind_const_expr(b, AIQ_TYPE_BOOL, n);
        all->value.i64 = negated;
    }
    return all;
}

AiqExpr *bind_expr(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    if (is_star_predicate(n))
        return shallow_enough(b, n, bind_star_predicate(b, n, cx));
    if (!binds_left_first(n))
        return shallow_enough(b, n, bind_single(b, n, cx));
    /* a chain: bind its bottom, then each node on the one below it */
    int len = 0;
    const AiqNode *bottom = n;
    for (; binds_left_first(bottom) && !is_star_predicate(bottom); bottom = bottom->lhs)
        len++;
    const AiqNode **chain = aiq_arena_alloc(b->arena, sizeof *chain * (size_t)len);
    int k = len;
    for (const AiqNode *x = n; x != bottom; x = x->lhs)
        chain[--k] = x;
    AiqExpr *e = bind_expr(b, bottom, cx);
    for (int i = 0; e && i < len; i++)
        e = shallow_enough(b, chain[i], bind_on_left(b, chain[i], e, cx));
    return e;
}
