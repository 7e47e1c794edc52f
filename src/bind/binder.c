/*
 * binder.c -- names and types (see binder.h).
 *
 * Expressions bind against the schema of the operator's input; a column
 * reference becomes an index into it. In summarize, aggregate calls are
 * pulled out into AiqAgg entries and the item itself becomes an expression
 * over the aggregate results, so `round(100.0 * countif(p) / count(), 2)`
 * works as in Kusto: summarize computes countif and count, a projection
 * after it does the arithmetic.
 */
#include "binder.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bind/names.h"
#include "func/registry.h"
#include "util/dynlit.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/timefmt.h"

/* ---- scopes ---------------------------------------------------------- */

typedef enum { BIND_SCALAR, BIND_TABULAR, BIND_FUNC } BindingKind;

typedef struct Binding Binding;
struct Binding {
    const char *name;
    BindingKind kind;
    AiqExpr *expr;       /* BIND_SCALAR */
    AiqPlan *plan;       /* BIND_TABULAR */
    const AiqNode *def;  /* BIND_FUNC: the FUNC_DEF node */
    Binding *def_scope;  /* BIND_FUNC: scope where it was defined */
    Binding *next;
};

typedef struct Binder {
    const AiqBindOptions *opts;
    AiqArena *arena;
    AiqError *err;
    int nshared;
    json_t **owned;
    int nowned, capowned;
    int call_depth, call_cap;
    const AiqNode **call_stack; /* user functions being inlined, outermost first */
    int ninlined;               /* user function calls inlined so far */
    int nslots;                 /* AiqExpr slots given out */
    AiqExpr **subst_memo;       /* substitute(): copy made of each slot in this pass... */
    int *subst_pass;            /* ...valid when subst_pass[slot] is the current pass */
    int subst_cap, pass;
    struct SchemaIndex *indexes; /* name indexes of wide schemas, by their column array */
    int nindexes, capindexes;
} Binder;

/* The context an expression binds in. */
typedef struct ExprCtx {
    const AiqSchema *schema;   /* columns visible by name */
    Binding *scope;
    /* summarize: aggregate calls are collected here */
    bool agg_ok;
    struct AggSink *sink;
    /* join conditions: $left and $right */
    const AiqSchema *left, *right;
    const struct ColList *list; /* when set: schema's columns as a list being built, with its name index */
} ExprCtx;

typedef struct AggSink {
    const AiqSchema *input;    /* schema the aggregate arguments bind against */
    AiqAgg *aggs;
    int naggs, cap;
    AiqColumn *cols;           /* summarize output columns so far (keys, then aggs) */
    int ncols, capcols;
    AiqNameIndex names;        /* of cols, once there are AIQ_NAMES_MIN */
    const char *item_name;     /* the name the current item will get, if known */
    int nkeys;
    AiqExpr **key_exprs;       /* the by keys (nkeys) */
} AggSink;

static AiqExpr *bind_expr(Binder *b, const AiqNode *n, ExprCtx *cx);
static AiqPlan *bind_tabular(Binder *b, const AiqNode *n, Binding *scope);

static void *fail(Binder *b, const AiqNode *n, AiqErrCode code, const char *msg)
{
    aiq_error_set(b->err, code, n ? n->off : -1, n ? n->len : 1, "%s", msg);
    return NULL;
}
#define FAILF(b, n, code, ...) fail((b), (n), (code), aiq_arena_printf((b)->arena, __VA_ARGS__))

static Binding *find_binding(Binding *s, const char *name)
{
    for (; s; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

static size_t count_bindings(const Binding *s)
{
    size_t n = 0;
    for (; s; s = s->next)
        n++;
    return n;
}

static Binding *push_binding(Binder *b, Binding *scope, const char *name, BindingKind kind)
{
    Binding *x = aiq_arena_calloc(b->arena, sizeof *x);
    x->name = name;
    x->kind = kind;
    x->next = scope;
    return x;
}

static void own_json(Binder *b, json_t *j)
{
    if (b->nowned == b->capowned) {
        int cap = b->capowned ? b->capowned * 2 : 8;
        json_t **o = aiq_arena_alloc(b->arena, sizeof *o * (size_t)cap);
        if (b->nowned)
            memcpy(o, b->owned, sizeof *o * (size_t)b->nowned);
        b->owned = o;
        b->capowned = cap;
    }
    b->owned[b->nowned++] = j;
}

/* ---- schemas --------------------------------------------------------- */

/* The name index of a schema of AIQ_NAMES_MIN columns or more, made at
 * its first lookup. A schema's column array never changes once it is a
 * plan's (lists being built have their own index: ColList), so the array
 * and its length name it. */
typedef struct SchemaIndex {
    const AiqColumn *cols;
    int ncols;
    AiqNameIndex ix;
} SchemaIndex;

static const AiqNameIndex *schema_index(Binder *b, const AiqSchema *s)
{
    uint64_t h = ((uint64_t)(uintptr_t)s->cols * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)s->ncols;
    int mask = b->capindexes - 1;
    for (int k = b->capindexes ? (int)((h >> 17) & (uint64_t)mask) : 0; b->capindexes; k = (k + 1) & mask) {
        SchemaIndex *x = &b->indexes[k];
        if (!x->cols)
            break;
        if (x->cols == s->cols && x->ncols == s->ncols)
            return &x->ix;
    }
    if ((b->nindexes + 1) * 2 > b->capindexes) { /* rehash at half full */
        SchemaIndex *old = b->indexes;
        int oldcap = b->capindexes;
        b->capindexes = oldcap ? oldcap * 2 : 16;
        b->indexes = aiq_arena_calloc(b->arena, sizeof *b->indexes * (size_t)b->capindexes);
        b->nindexes = 0;
        for (int k = 0; k < oldcap; k++)
            if (old[k].cols) {
                AiqSchema os = {old[k].ncols, (AiqColumn *)old[k].cols};
                schema_index(b, &os); /* (rebuilt: only wide schemas, few of them) */
            }
    }
    mask = b->capindexes - 1;
    int k = (int)((h >> 17) & (uint64_t)mask);
    while (b->indexes[k].cols)
        k = (k + 1) & mask;
    SchemaIndex *x = &b->indexes[k];
    x->cols = s->cols;
    x->ncols = s->ncols;
    aiq_names_build(&x->ix, s->cols, s->ncols, b->arena);
    b->nindexes++;
    return &x->ix;
}

static int schema_find(Binder *b, const AiqSchema *s, const char *name)
{
    if (s && s->ncols >= AIQ_NAMES_MIN)
        return aiq_names_find(schema_index(b, s), s->cols, name);
    for (int i = 0; s && i < s->ncols; i++)
        if (strcmp(s->cols[i].name, name) == 0)
            return i;
    return -1;
}

/* A growable column list used while building a schema. */
typedef struct ColList {
    AiqColumn *cols;
    AiqExpr **exprs;
    int n, cap;
    AiqNameIndex names; /* once there are AIQ_NAMES_MIN columns */
    int next_column;    /* column_n: Column1 .. Column<this> are taken */
} ColList;

/* Keeps l->names in step with a column added at the end (index n - 1). */
static void index_added(Binder *b, AiqNameIndex *ix, const AiqColumn *cols, int n)
{
    if (ix->cap)
        aiq_names_add(ix, cols, n - 1, n, b->arena);
    else if (n >= AIQ_NAMES_MIN)
        aiq_names_build(ix, cols, n, b->arena);
}

static void cols_push(Binder *b, ColList *l, const char *name, AiqType type, AiqExpr *e)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        AiqColumn *c = aiq_arena_alloc(b->arena, sizeof *c * (size_t)cap);
        AiqExpr **x = aiq_arena_alloc(b->arena, sizeof *x * (size_t)cap);
        if (l->n) {
            memcpy(c, l->cols, sizeof *c * (size_t)l->n);
            memcpy(x, l->exprs, sizeof *x * (size_t)l->n);
        }
        l->cols = c;
        l->exprs = x;
        l->cap = cap;
    }
    l->cols[l->n].name = name;
    l->cols[l->n].type = type;
    l->exprs[l->n] = e;
    l->n++;
    index_added(b, &l->names, l->cols, l->n);
}

static int cols_find(const ColList *l, const char *name)
{
    if (l->names.cap)
        return aiq_names_find(&l->names, l->cols, name);
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->cols[i].name, name) == 0)
            return i;
    return -1;
}

/* Renames column c of l. */
static void cols_rename(Binder *b, ColList *l, int c, const char *name)
{
    if (l->names.cap)
        aiq_names_remove(&l->names, l->cols, c);
    l->cols[c].name = name;
    if (l->names.cap)
        aiq_names_add(&l->names, l->cols, c, l->n, b->arena);
}

/* Returns name, or name1, name2, ... whichever is not yet in l (Kusto's rule). */
static const char *unique_name(Binder *b, const ColList *l, const char *name)
{
    if (cols_find(l, name) < 0)
        return name;
    for (int i = 1;; i++) {
        const char *c = aiq_arena_printf(b->arena, "%s%d", name, i);
        if (cols_find(l, c) < 0)
            return c;
    }
}

/* Returns Column1, Column2, ... the first not in l. Names are only ever
 * added to a list, so the search goes on from the last answer. */
static const char *column_n(Binder *b, ColList *l)
{
    for (int i = l->next_column + 1;; i++) {
        const char *c = aiq_arena_printf(b->arena, "Column%d", i);
        if (cols_find(l, c) < 0) {
            l->next_column = i - 1;
            return c;
        }
    }
}

static AiqSchema schema_of(const ColList *l)
{
    AiqSchema s = {l->n, l->cols};
    return s;
}

/* ---- expression constructors ----------------------------------------- */

static AiqExpr *new_expr(Binder *b, AiqExprKind kind, AiqType type, const AiqNode *src)
{
    AiqExpr *e = aiq_arena_calloc(b->arena, sizeof *e);
    e->kind = kind;
    e->type = type;
    if (src) {
        e->off = src->off;
        e->len = src->len;
    }
    return e;
}

static AiqExpr *column_expr(Binder *b, int col, AiqType type, const AiqNode *src)
{
    AiqExpr *e = new_expr(b, AIQ_E_COLUMN, type, src);
    e->col = col;
    return e;
}

/* depth: the walkers iterate down args[0] and recurse into the others */
static void set_depth(AiqExpr *e)
{
    int d = e->nargs ? e->args[0]->depth : 0;
    for (int i = 1; i < e->nargs; i++)
        if (e->args[i]->depth + 1 > d)
            d = e->args[i]->depth + 1;
    e->depth = d;
}

static AiqExpr *call_expr(Binder *b, const char *fname, AiqType type, const AiqNode *src,
                          AiqExpr **args, int nargs)
{
    AiqExpr *e = new_expr(b, AIQ_E_CALL, type, src);
    e->fn = aiq_func_lookup(fname);
    e->args = args;
    e->nargs = nargs;
    set_depth(e);
    return e;
}

static AiqExpr *call1(Binder *b, const char *fname, AiqType type, AiqExpr *a)
{
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args);
    args[0] = a;
    AiqExpr *e = call_expr(b, fname, type, NULL, args, 1);
    e->off = a->off;
    e->len = a->len;
    return e;
}

static AiqExpr *const_expr(Binder *b, AiqType type, const AiqNode *src)
{
    AiqExpr *e = new_expr(b, AIQ_E_CONST, type, src);
    e->value.type = type;
    return e;
}

static bool is_const(const AiqExpr *e) { return e->kind == AIQ_E_CONST; }

/* Converts a dynamic expression to the scalar type a context needs, as Kusto
 * does implicitly (Properties.stream == true, Properties.x has "y"). */
static AiqExpr *coerce_dynamic(Binder *b, AiqExpr *e, AiqType to)
{
    if (e->type != AIQ_TYPE_DYNAMIC || to == AIQ_TYPE_DYNAMIC || to == AIQ_TYPE_UNKNOWN)
        return e;
    static const char *const conv[AIQ_TYPE_COUNT] = {
        [AIQ_TYPE_BOOL] = "tobool", [AIQ_TYPE_INT] = "toint", [AIQ_TYPE_LONG] = "tolong",
        [AIQ_TYPE_REAL] = "todouble", [AIQ_TYPE_STRING] = "tostring",
        [AIQ_TYPE_DATETIME] = "todatetime", [AIQ_TYPE_TIMESPAN] = "totimespan",
    };
    return call1(b, conv[to] ? conv[to] : "tostring", to, e);
}

/* ---- naming ---------------------------------------------------------- */

/* Kusto's name for an unnamed expression, or NULL when it has none
 * (then it is Column1, ...). Follows Kusto.Language's ResultNameKind. */
static const char *expr_name(Binder *b, const AiqNode *n)
{
    switch (n->kind) {
    case AIQ_N_NAME:
    case AIQ_N_TABLE: return n->str;
    case AIQ_N_MEMBER:
    case AIQ_N_INDEX: {
        /* d.a.b[0] is d_a_b_0: the chain can be as long as the query, so
         * it is walked, not recursed: the base first, then each suffix */
        int len = 0;
        const AiqNode *base = n;
        for (; base->kind == AIQ_N_MEMBER || base->kind == AIQ_N_INDEX; base = base->lhs)
            len++;
        const char *l = expr_name(b, base);
        if (!l)
            return NULL;
        const AiqNode **chain = aiq_arena_alloc(b->arena, sizeof *chain * (size_t)len);
        int k = len;
        for (const AiqNode *x = n; x != base; x = x->lhs)
            chain[--k] = x;
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_sb_puts(&sb, l);
        bool named = true;
        for (int i = 0; named && i < len; i++) {
            const AiqNode *part = chain[i];
            if (part->kind == AIQ_N_MEMBER)
                aiq_sb_printf(&sb, "_%s", part->str);
            else if (part->rhs->kind == AIQ_N_LITERAL && part->rhs->type == AIQ_TYPE_STRING)
                aiq_sb_printf(&sb, "_%s", part->rhs->str);
            else if (part->rhs->kind == AIQ_N_LITERAL && part->rhs->type == AIQ_TYPE_LONG)
                aiq_sb_printf(&sb, "_%lld", (long long)part->rhs->i64);
            else
                named = false;
        }
        const char *name = named ? aiq_arena_strndup(b->arena, aiq_sb_str(&sb), sb.len) : NULL;
        aiq_sb_free(&sb);
        return name;
    }
    case AIQ_N_CALL: {
        const AiqFuncDef *f = aiq_func_lookup(n->str);
        if (!f)
            return NULL;
        const char *a0 = n->nitems > 0 ? expr_name(b, n->items[0]) : NULL;
        switch (f->name_kind) {
        case AIQ_NAME_NONE: return NULL;
        case AIQ_NAME_FIRST_ARG: return a0;
        case AIQ_NAME_FUNC_ARG: return a0 ? aiq_arena_printf(b->arena, "%s_%s", f->name, a0) : NULL;
        case AIQ_NAME_PREFIX_ARG:
            return aiq_arena_printf(b->arena, "%s_%s", f->name_prefix, a0 ? a0 : "");
        }
        return NULL;
    }
    default: return NULL;
    }
}

/* ---- literals -------------------------------------------------------- */

static AiqExpr *bind_literal(Binder *b, const AiqNode *n)
{
    AiqExpr *e = const_expr(b, n->type, n);
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
        own_json(b, j);
        e->value.dyn = j;
    } else if (n->type == AIQ_TYPE_DYNAMIC) {
        e->value.dyn = NULL;
        e->value.isnull = true;
    }
    return e;
}

/* ---- operators ------------------------------------------------------- */

static bool is_num(AiqType t) { return aiq_type_is_numeric(t); }
static AiqType num_promote(AiqType a, AiqType b)
{
    return (a == AIQ_TYPE_REAL || b == AIQ_TYPE_REAL) ? AIQ_TYPE_REAL : AIQ_TYPE_LONG;
}

/* Result type of an arithmetic operator, or UNKNOWN when it does not apply. */
static AiqType arith_type(const char *op, AiqType l, AiqType r)
{
    char c = op[0];
    if (is_num(l) && is_num(r))
        return num_promote(l, r);
    if (c == '-' && l == AIQ_TYPE_DATETIME && r == AIQ_TYPE_DATETIME)
        return AIQ_TYPE_TIMESPAN;
    if ((c == '+' || c == '-') && l == AIQ_TYPE_DATETIME && r == AIQ_TYPE_TIMESPAN)
        return AIQ_TYPE_DATETIME;
    if (c == '+' && l == AIQ_TYPE_TIMESPAN && r == AIQ_TYPE_DATETIME)
        return AIQ_TYPE_DATETIME;
    if ((c == '+' || c == '-' || c == '%') && l == AIQ_TYPE_TIMESPAN && r == AIQ_TYPE_TIMESPAN)
        return AIQ_TYPE_TIMESPAN;
    if (c == '*' && ((l == AIQ_TYPE_TIMESPAN && is_num(r)) || (is_num(l) && r == AIQ_TYPE_TIMESPAN)))
        return AIQ_TYPE_TIMESPAN;
    if (c == '/' && l == AIQ_TYPE_TIMESPAN && r == AIQ_TYPE_TIMESPAN)
        return AIQ_TYPE_REAL;
    if (c == '/' && l == AIQ_TYPE_TIMESPAN && is_num(r))
        return AIQ_TYPE_TIMESPAN;
    return AIQ_TYPE_UNKNOWN;
}

static bool comparable(AiqType l, AiqType r)
{
    if (is_num(l) && is_num(r))
        return true;
    return l == r && l != AIQ_TYPE_UNKNOWN;
}

static bool is_string_op(const char *op)
{
    const char *s = op[0] == '!' ? op + 1 : op;
    static const char *const ops[] = {"has", "has_cs", "contains", "contains_cs", "startswith",
        "startswith_cs", "endswith", "endswith_cs", "hasprefix", "hasprefix_cs", "hassuffix",
        "hassuffix_cs", "=~", "~", "matches regex", "has_any", "has_all", NULL};
    for (int i = 0; ops[i]; i++)
        if (strcmp(s, ops[i]) == 0)
            return true;
    return false;
}

static AiqExpr *binary_call(Binder *b, const AiqNode *n, const char *fname, AiqType t, AiqExpr *l,
                            AiqExpr *r)
{
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * 2);
    args[0] = l;
    args[1] = r;
    return call_expr(b, fname, t, n, args, 2);
}

/* Whether values of type t are text to the string operators: strings, and
 * dynamic values (converted with tostring()). */
static bool is_text(AiqType t) { return t == AIQ_TYPE_STRING || t == AIQ_TYPE_DYNAMIC; }

/* Converts a non-string scalar operand of a string operator to string, as
 * Kusto does for `has`, `contains` and friends. */
static AiqExpr *as_string(Binder *b, AiqExpr *e)
{
    if (e->type == AIQ_TYPE_STRING)
        return e;
    return call1(b, "tostring", AIQ_TYPE_STRING, e);
}

/* lhs OP rhs, with lhs bound already (see bind_expr). */
static AiqExpr *bind_binary(Binder *b, const AiqNode *n, AiqExpr *l, ExprCtx *cx)
{
    AiqExpr *r = bind_expr(b, n->rhs, cx);
    if (!r)
        return NULL;
    const char *op = n->str;
    if (strcmp(op, "and") == 0 || strcmp(op, "or") == 0) {
        l = coerce_dynamic(b, l, AIQ_TYPE_BOOL);
        r = coerce_dynamic(b, r, AIQ_TYPE_BOOL);
        if (l->type != AIQ_TYPE_BOOL)
            return FAILF(b, n->lhs, AIQ_ERR_TYPE, "the left side of '%s' must be bool, found %s", op, aiq_type_name(l->type));
        if (r->type != AIQ_TYPE_BOOL)
            return FAILF(b, n->rhs, AIQ_ERR_TYPE, "the right side of '%s' must be bool, found %s", op, aiq_type_name(r->type));
        return binary_call(b, n, op, AIQ_TYPE_BOOL, l, r);
    }
    if (is_string_op(op)) {
        /* Kusto defines these for strings and dynamic values only: has on a
         * long is an error there, not an implicit tostring() */
        const AiqNode *bad = !is_text(l->type) ? n->lhs : !is_text(r->type) ? n->rhs : NULL;
        if (bad)
            return FAILF(b, bad, AIQ_ERR_TYPE, "operator '%s' needs strings, found %s on the %s; convert it with tostring()",
                         op, aiq_type_name(bad == n->lhs ? l->type : r->type), bad == n->lhs ? "left" : "right");
        l = as_string(b, l);
        r = as_string(b, r);
        if (strcmp(op, "matches regex") == 0 && !is_const(r))
            return fail(b, n->rhs, AIQ_ERR_TYPE, "the pattern of 'matches regex' must be a constant string");
        return binary_call(b, n, op, AIQ_TYPE_BOOL, l, r);
    }
    /* dynamic against a typed value converts to that type first */
    if (l->type == AIQ_TYPE_DYNAMIC && r->type != AIQ_TYPE_DYNAMIC)
        l = coerce_dynamic(b, l, is_num(r->type) ? AIQ_TYPE_REAL : r->type);
    else if (r->type == AIQ_TYPE_DYNAMIC && l->type != AIQ_TYPE_DYNAMIC)
        r = coerce_dynamic(b, r, is_num(l->type) ? AIQ_TYPE_REAL : l->type);
    bool cmp = strcmp(op, "==") == 0 || strcmp(op, "!=") == 0 || op[0] == '<' || op[0] == '>';
    bool equality = strcmp(op, "==") == 0 || strcmp(op, "!=") == 0;
    if (cmp) {
        /* two dynamic values compare as their text; == and != keep them
         * dynamic so that a null side stays null (k_eq) */
        if (l->type == AIQ_TYPE_DYNAMIC && r->type == AIQ_TYPE_DYNAMIC && !equality) {
            l = coerce_dynamic(b, l, AIQ_TYPE_STRING);
            r = coerce_dynamic(b, r, AIQ_TYPE_STRING);
        }
        if (!comparable(l->type, r->type))
            return FAILF(b, n, AIQ_ERR_TYPE, "cannot compare %s with %s using '%s'%s",
                         aiq_type_name(l->type), aiq_type_name(r->type), op,
                         (l->type == AIQ_TYPE_STRING || r->type == AIQ_TYPE_STRING)
                             ? "; convert one side with tostring(), tolong() or todouble()"
                             : "");
        if ((op[0] == '<' || op[0] == '>') && (l->type == AIQ_TYPE_DYNAMIC))
            return FAILF(b, n, AIQ_ERR_TYPE, "cannot order dynamic values with '%s'", op);
        return binary_call(b, n, op, AIQ_TYPE_BOOL, l, r);
    }
    AiqType t = arith_type(op, l->type, r->type);
    if (t == AIQ_TYPE_UNKNOWN) {
        const char *hint = "";
        if (op[0] == '+' && (l->type == AIQ_TYPE_STRING || r->type == AIQ_TYPE_STRING))
            hint = "; to join strings use strcat()";
        else if (l->type == AIQ_TYPE_DYNAMIC || r->type == AIQ_TYPE_DYNAMIC)
            hint = "; convert the dynamic value with tolong() or todouble() first";
        return FAILF(b, n, AIQ_ERR_TYPE, "operator '%s' cannot be applied to %s and %s%s", op,
                     aiq_type_name(l->type), aiq_type_name(r->type), hint);
    }
    return binary_call(b, n, op, t, l, r);
}

/* ---- function calls -------------------------------------------------- */

static bool arg_class_ok(char cls, AiqType t)
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
    default: return true;
    }
}

static const char *class_desc(char cls)
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
        AiqExpr *e = const_expr(b, t, src);
        if (t == AIQ_TYPE_STRING)
            e->value.str = (AiqStr){"", 0};
        else
            e->value.isnull = true;
        vals[i] = e;
    }
}

static AiqType ret_type(const AiqFuncDef *f, AiqExpr **args, int nargs)
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

static AiqExpr *bind_user_call(Binder *b, const AiqNode *n, Binding *fb, ExprCtx *cx);
static AiqExpr *bind_aggregate(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx);

/* Suggests a function name for an unknown one. */
static void *unknown_function(Binder *b, const AiqNode *n, Binding *scope)
{
    size_t nf;
    const char *const *names = aiq_func_names(&nf);
    const char *s = aiq_suggest(n->str, strlen(n->str), names, nf);
    if (!s)
        for (Binding *x = scope; x && !s; x = x->next)
            if (x->kind == BIND_FUNC)
                s = aiq_suggest(n->str, strlen(n->str), &x->name, 1);
    AiqNode span = *n;
    span.len = (int32_t)strlen(n->str);
    if (s)
        return FAILF(b, &span, AIQ_ERR_BIND, "unknown function '%s'; did you mean '%s'?", n->str, s);
    return FAILF(b, &span, AIQ_ERR_BIND, "unknown function '%s'", n->str);
}

static AiqExpr *bind_call(Binder *b, const AiqNode *n, ExprCtx *cx);

/* extract(regex, group, source, typeof(T)): the extracted text converted to
 * T, null when it does not convert (Kusto's extract page). */
static AiqExpr *bind_extract_typed(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    static const char *const conv[AIQ_TYPE_COUNT] = {
        [AIQ_TYPE_BOOL] = "tobool", [AIQ_TYPE_INT] = "toint", [AIQ_TYPE_LONG] = "tolong",
        [AIQ_TYPE_REAL] = "todouble", [AIQ_TYPE_DATETIME] = "todatetime",
        [AIQ_TYPE_TIMESPAN] = "totimespan", [AIQ_TYPE_DYNAMIC] = "todynamic",
    };
    const AiqNode *tl = n->items[3];
    AiqType t = AIQ_TYPE_UNKNOWN;
    if (tl->kind == AIQ_N_CALL && strcmp(tl->str, "typeof") == 0 && tl->nitems == 1 && tl->items[0]->kind == AIQ_N_NAME)
        t = aiq_type_from_name(tl->items[0]->str, (int)strlen(tl->items[0]->str));
    if (t == AIQ_TYPE_UNKNOWN)
        return fail(b, tl, AIQ_ERR_TYPE, "the fourth argument of extract() is a type, such as typeof(long)");
    AiqNode three = *n;
    three.nitems = 3;
    AiqExpr *text = bind_call(b, &three, cx);
    if (!text || !conv[t])
        return text;
    AiqExpr *e = call1(b, conv[t], t, text);
    e->off = n->off;
    e->len = n->len;
    return e;
}

static AiqExpr *bind_call(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    Binding *ub = find_binding(cx->scope, n->str);
    if (ub && ub->kind == BIND_FUNC)
        return bind_user_call(b, n, ub, cx);
    const AiqFuncDef *f = aiq_func_lookup(n->str);
    /* operators spelled as words (in, has, and, between) are not functions:
     * in("a", 1) must not skip the operator's type checks (found by fuzz_query) */
    if (!f || aiq_func_is_operator(f))
        return unknown_function(b, n, cx->scope);
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
    if (strcmp(f->name, "extract") == 0 && n->nitems == 4)
        return bind_extract_typed(b, n, cx);
    AiqNode reordered;
    if (strcmp(f->name, "extract_all") == 0 && n->nitems == 3) {
        /* extract_all(regex, captureGroups, source): the kernel takes the
         * source second, as in the two-argument form */
        reordered = *n;
        reordered.items = aiq_arena_alloc(b->arena, sizeof *reordered.items * 3);
        reordered.items[0] = n->items[0];
        reordered.items[1] = n->items[2];
        reordered.items[2] = n->items[1];
        n = &reordered;
    }
    if (strcmp(f->name, "now") == 0 && n->nitems == 0) {
        AiqExpr *e = const_expr(b, AIQ_TYPE_DATETIME, n);
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
        if (!(args[i] = bind_expr(b, an, cx)))
            return NULL;
        args[i] = cls == 'v' ? as_string(b, args[i]) : coerce_dynamic(b, args[i], class_target(cls));
        if (!arg_class_ok(cls, args[i]->type))
            return FAILF(b, an, AIQ_ERR_TYPE, "argument %d of %s() must be %s, found %s", i + 1,
                         f->name, class_desc(cls), aiq_type_name(args[i]->type));
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
    if (strcmp(f->name, "extract_all") == 0 && na == 3 &&
        (!is_const(args[2]) || !json_is_array(args[2]->value.dyn) || json_array_size(args[2]->value.dyn) == 0))
        return fail(b, n->items[2], AIQ_ERR_TYPE, "the capture groups of extract_all() must be a constant dynamic array of group numbers or names");
    if (strcmp(f->name, "countof") == 0 && na == 3) {
        AiqStr kind = args[2]->value.str;
        if (!(kind.len == 6 && memcmp(kind.ptr, "normal", 6) == 0) && !(kind.len == 5 && memcmp(kind.ptr, "regex", 5) == 0))
            return fail(b, n->items[2], AIQ_ERR_BIND, "the kind of countof() is 'normal' or 'regex'");
    }
    if (strcmp(f->name, "format_datetime") == 0) {
        /* an element Kusto's page does not list would come out as garbage */
        size_t off, len;
        AiqStr fmt = args[1]->value.str;
        if (!aiq_datetime_format_check(fmt.ptr, fmt.len, &off, &len))
            return FAILF(b, n->items[1], AIQ_ERR_BIND, "format_datetime(): '%.*s' is not a format element Kusto documents (d, dd, f to fffffff, F to FFFFFFF, h, hh, H, HH, m, mm, M, MM, s, ss, y, yy, yyyy, tt)",
                         (int)len, fmt.ptr + off);
    }
    AiqType t;
    if (strcmp(f->name, "iff") == 0 || strcmp(f->name, "iif") == 0) {
        t = common_type(args + 1, 2);
        if (t == AIQ_TYPE_UNKNOWN)
            return FAILF(b, n, AIQ_ERR_TYPE, "the two results of %s() must have the same type, found %s and %s",
                         f->name, aiq_type_name(args[1]->type), aiq_type_name(args[2]->type));
        retype_nulls(b, args + 1, 2, t, n);
    } else if (strcmp(f->name, "case") == 0) {
        if (na % 2 == 0)
            return FAILF(b, n, AIQ_ERR_BIND, "case() takes pairs of (predicate, value) and a final else value; got %d arguments", na);
        AiqExpr **vals = aiq_arena_alloc(b->arena, sizeof *vals * (size_t)na);
        int nv = 0;
        for (int i = 0; i < na; i++) {
            if (i % 2 == 0 && i + 1 < na) {
                args[i] = coerce_dynamic(b, args[i], AIQ_TYPE_BOOL);
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
    } else if (strcmp(f->name, "coalesce") == 0) {
        t = common_type(args, na);
        if (t == AIQ_TYPE_UNKNOWN)
            return FAILF(b, n, AIQ_ERR_TYPE, "all arguments of coalesce() must have the same type");
        retype_nulls(b, args, na, t, n);
    } else if (strcmp(f->name, "ago") == 0 || strcmp(f->name, "now") == 0) {
        /* ago(t) is now() - t and now(t) is now() + t, fixed for the query:
         * fold when t is constant */
        if (is_const(args[0]) && !args[0]->value.isnull) {
            AiqExpr *e = const_expr(b, AIQ_TYPE_DATETIME, n);
            e->value.i64 = f->name[0] == 'a' ? b->opts->now - args[0]->value.i64 : b->opts->now + args[0]->value.i64;
            return e;
        }
        t = AIQ_TYPE_DATETIME;
    } else {
        t = ret_type(f, args, na);
        if ((strcmp(f->name, "bin") == 0 || strcmp(f->name, "floor") == 0 || strcmp(f->name, "bin_at") == 0)) {
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
        } else if (strcmp(f->name, "round") == 0 && t == AIQ_TYPE_INT) {
            t = AIQ_TYPE_LONG;
        }
    }
    AiqExpr *e = call_expr(b, f->name, t, n, args, na);
    e->fn = f;
    return e;
}

/* A call of a user function with its arguments in parameter order: named
 * arguments (f(c=7, a=12)) go to their parameter's place, a gap before a
 * later argument holds the parameter node itself, meaning "its default".
 * Returns n when every argument is positional; NULL after an error. */
static const AiqNode *user_args_in_order(Binder *b, const AiqNode *n, const AiqNode *def)
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
static void push_call(Binder *b, const AiqNode *def)
{
    b->call_stack = aiq_arena_grow(b->arena, b->call_stack, b->call_depth, &b->call_cap, sizeof *b->call_stack, 16);
    b->call_stack[b->call_depth++] = def;
}

/* Checks a call of a user function: no recursion, bounded nesting, the
 * number of arguments its parameters allow. */
static bool check_user_call(Binder *b, const AiqNode *n, const AiqNode *def)
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
static const AiqNode *call_without_parens(Binder *b, const AiqNode *name, const Binding *fb)
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
static Binding *push_call_scope(Binder *b, const Binding *fb)
{
    Binding *scope = push_binding(b, fb->def_scope, fb->name, BIND_FUNC);
    scope->def = fb->def;
    scope->def_scope = fb->def_scope;
    return scope;
}

/* Binds the value of scalar parameter i of call n: the argument given (in
 * the caller's context cx) or the parameter's default (in the definition's
 * scope), converted to the declared type when it is another number. */
static AiqExpr *bind_scalar_argument(Binder *b, const AiqNode *n, int i, const Binding *fb,
                                     ExprCtx *cx)
{
    const AiqNode *prm = fb->def->params[i];
    bool given = i < n->nitems && n->items[i]->kind != AIQ_N_PARAM; /* PARAM: its default */
    AiqExpr *a = given ? bind_expr(b, n->items[i], cx)
                       : bind_expr(b, prm->rhs, &(ExprCtx){.scope = fb->def_scope});
    if (!a)
        return NULL;
    a = coerce_dynamic(b, a, prm->type);
    if (a->type != prm->type && !(is_num(a->type) && is_num(prm->type)))
        return FAILF(b, i < n->nitems ? n->items[i] : n, AIQ_ERR_TYPE,
                     "argument '%s' of '%s' must be %s, found %s", prm->str, n->str,
                     aiq_type_name(prm->type), aiq_type_name(a->type));
    if (a->type != prm->type)
        a = call1(b, prm->type == AIQ_TYPE_REAL  ? "todouble"
                     : prm->type == AIQ_TYPE_INT ? "toint"
                                                 : "tolong",
                  prm->type, a);
    return a;
}

/* Inlines a user function: parameters become bindings of the argument
 * expressions, then the body binds in that scope. */
static AiqExpr *bind_user_call(Binder *b, const AiqNode *n, Binding *fb, ExprCtx *cx)
{
    const AiqNode *def = fb->def;
    if (!(n = user_args_in_order(b, n, def)))
        return NULL;
    if (!check_user_call(b, n, def))
        return NULL;
    Binding *scope = push_call_scope(b, fb);
    for (int i = 0; i < def->nparams; i++) {
        const AiqNode *prm = def->params[i];
        if (prm->op == 1)
            return FAILF(b, n, AIQ_ERR_BIND, "function '%s' takes a table; call it as a query source", n->str);
        AiqExpr *a = bind_scalar_argument(b, n, i, fb, cx);
        if (!a)
            return NULL;
        Binding *x = push_binding(b, scope, prm->str, BIND_SCALAR);
        x->expr = a;
        scope = x;
    }
    push_call(b, def);
    for (int i = 0; i + 1 < def->nitems; i++) {
        const AiqNode *s = def->items[i];
        if (s->kind != AIQ_N_LET)
            continue;
        AiqExpr *v = bind_expr(b, s->rhs, &(ExprCtx){.schema = cx->schema, .scope = scope});
        if (!v) {
            b->call_depth--;
            return NULL;
        }
        Binding *x = push_binding(b, scope, s->str, BIND_SCALAR);
        x->expr = v;
        scope = x;
    }
    ExprCtx inner = *cx;
    inner.scope = scope;
    AiqExpr *e = bind_expr(b, def->items[def->nitems - 1], &inner);
    b->call_depth--;
    return e;
}

/* ---- aggregates ------------------------------------------------------ */

static AiqColumn *sink_add_col(Binder *b, AggSink *s, const char *name, AiqType t)
{
    s->cols = aiq_arena_grow(b->arena, s->cols, s->ncols, &s->capcols, sizeof *s->cols, 8);
    s->cols[s->ncols].name = name;
    s->cols[s->ncols].type = t;
    s->ncols++;
    index_added(b, &s->names, s->cols, s->ncols);
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
    bool any = strcmp(f->name, "any") == 0;
    const char *nm = arg->kind == AIQ_N_STAR ? NULL : expr_name(b, arg);
    if (nm)
        return any ? aiq_arena_printf(b->arena, "any_%s", nm) : nm;
    return any && nargs == 1 ? "any_" : aiq_arena_printf(b->arena, "any_arg%d", i);
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
            const char *nm = take_any ? carried_name(b, f, n->items[i], i, na) : expr_name(b, n->items[i]);
            cols_push(b, &carried, nm, args[i]->type, args[i]);
            continue;
        }
        for (int c = 0; c < s->input->ncols; c++) {
            if (covered[c])
                continue;
            covered[c] = from_star[c] = true;
            const char *cn = s->input->cols[c].name;
            cols_push(b, &carried, take_any && strcmp(f->name, "any") == 0 ? aiq_arena_printf(b->arena, "any_%s", cn) : cn,
                      s->input->cols[c].type, column_expr(b, c, s->input->cols[c].type, n));
        }
    }
    a->nextra = carried.n;
    a->extra = carried.exprs;
    ColList names = {0};
    if (a->arg) {
        const char *nm = s->item_name ? s->item_name : expr_name(b, n->items[0]);
        names = sink_names(s);
        if (!nm)
            nm = column_n(b, &names);
        sink_add_col(b, s, unique_name(b, &names, nm), a->arg->type);
    }
    for (int i = 0; i < carried.n; i++) {
        const char *nm = carried.cols[i].name;
        names = sink_names(s);
        if (!nm)
            nm = column_n(b, &names);
        if (s->item_name && !a->arg && i == 0) /* x = take_any(a, b): x, b */
            nm = s->item_name;
        sink_add_col(b, s, unique_name(b, &names, nm), carried.cols[i].type);
    }
    AiqType t = a->arg ? a->arg->type : carried.n ? carried.cols[0].type : AIQ_TYPE_LONG;
    return column_expr(b, a->out_col, t, n);
}

static AiqExpr *bind_aggregate(Binder *b, const AiqNode *n, const AiqFuncDef *f, ExprCtx *cx)
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
            if (cls == '*' && f->agg == AIQ_AGG_TAKE_ANY && strcmp(f->name, "any") == 0 && na > 1)
                return fail(b, n->items[i], AIQ_ERR_BIND, "'*' must be the only argument of any(); take_any(*, ...) mixes it with columns");
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
            args[i] = coerce_dynamic(b, args[i], AIQ_TYPE_BOOL);
        if (cls == 'o' && args[i]->type == AIQ_TYPE_DYNAMIC)
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be orderable (a number, string, datetime, timespan or bool), found dynamic; convert it with tolong(), todouble() or tostring()", i + 1, f->name);
        if (!arg_class_ok(cls, args[i]->type))
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be %s, found %s",
                         i + 1, f->name, class_desc(cls), aiq_type_name(args[i]->type));
        if (cls == 'K' && !is_const(args[i]))
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "argument %d of %s() must be a constant number", i + 1, f->name);
    }
    if ((f->agg == AIQ_AGG_DCOUNT || f->agg == AIQ_AGG_DCOUNTIF) && na == f->max_args) {
        /* The accuracy level picks the error of Kusto's estimate; aiq counts
         * exactly, which any level allows, but the level must be one Kusto takes. */
        double level;
        if (!const_number(args[na - 1], &level) || level != floor(level) || level < 0 || level > 4)
            return FAILF(b, n->items[na - 1], AIQ_ERR_TYPE, "the accuracy of %s() must be 0, 1, 2, 3 or 4", f->name);
    }
    AiqAgg *a = sink_add_agg(b, s);
    a->kind = (AiqAggKind)f->agg;
    a->out_col = s->ncols;
    const char *auto_name = expr_name(b, n);
    AiqType t = na && args[0] ? ret_type(f, args, na) : AIQ_TYPE_LONG; /* (take_any(*): no args[0]) */
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
    case AIQ_AGG_MAKE_LIST: case AIQ_AGG_MAKE_SET: {
        a->arg = args[0];
        double lim;
        if (na == 2) {
            if (!const_number(args[1], &lim) || lim < 1)
                return FAILF(b, n->items[1], AIQ_ERR_TYPE, "the size limit of %s() must be a positive constant", f->name);
            a->limit = (int64_t)lim;
        }
        break;
    }
    case AIQ_AGG_PERCENTILE: {
        a->arg = args[0];
        a->npcts = na - 1;
        a->pcts = aiq_arena_alloc(b->arena, sizeof *a->pcts * (size_t)a->npcts);
        for (int i = 1; i < na; i++) {
            double p;
            if (!const_number(args[i], &p) || p < 0 || p > 100)
                return FAILF(b, n->items[i], AIQ_ERR_TYPE, "a percentile must be a constant between 0 and 100");
            a->pcts[i - 1] = p;
        }
        if (t == AIQ_TYPE_INT)
            t = AIQ_TYPE_LONG;
        const char *base = expr_name(b, n->items[0]);
        for (int i = 0; i < a->npcts; i++) {
            const char *nm;
            if (s->item_name && a->npcts == 1)
                nm = s->item_name;
            else
                nm = aiq_arena_printf(b->arena, "percentile_%s_%s", base ? base : "", pct_text(b, a->pcts[i]));
            names = sink_names(s);
            sink_add_col(b, s, unique_name(b, &names, nm), t);
        }
        if (a->npcts > 1 && s->item_name)
            return FAILF(b, n, AIQ_ERR_BIND, "percentiles() with several percentiles gives several columns; it cannot take a single name");
        return column_expr(b, a->out_col, t, n);
    }
    case AIQ_AGG_ARG_MAX: case AIQ_AGG_ARG_MIN: case AIQ_AGG_TAKE_ANY:
        return bind_carried(b, s, n, f, a, args);
    default:
        a->arg = args[0];
        break;
    }
    if ((a->kind == AIQ_AGG_SUM || a->kind == AIQ_AGG_SUMIF) && t == AIQ_TYPE_DATETIME)
        return FAILF(b, n->items[0], AIQ_ERR_TYPE, "sum() cannot add datetimes");
    const char *nm = s->item_name ? s->item_name : auto_name;
    names = sink_names(s);
    if (!nm)
        nm = column_n(b, &names);
    sink_add_col(b, s, unique_name(b, &names, nm), t);
    return column_expr(b, a->out_col, t, n);
}

/* ---- expressions ----------------------------------------------------- */

static void *unknown_column(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    size_t nc = 0, room = (size_t)(cx->schema ? cx->schema->ncols : 0) + count_bindings(cx->scope);
    const char **cands = aiq_arena_alloc(b->arena, sizeof *cands * (room + 1));
    for (int i = 0; cx->schema && i < cx->schema->ncols; i++)
        cands[nc++] = cx->schema->cols[i].name;
    for (Binding *x = cx->scope; x; x = x->next)
        if (x->kind == BIND_SCALAR)
            cands[nc++] = x->name;
    const char *s = aiq_suggest(n->str, strlen(n->str), cands, nc);
    if (s)
        return FAILF(b, n, AIQ_ERR_BIND, "unknown column '%s'; did you mean '%s'?", n->str, s);
    if (find_binding(cx->scope, n->str) || (b->opts->lookup && false))
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a table, not a column", n->str);
    return FAILF(b, n, AIQ_ERR_BIND, "unknown column '%s'", n->str);
}

static AiqExpr *bind_name(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    if (n->str[0] == '$')
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' can only be used in a join condition, as %s.Column", n->str, n->str);
    int c = cx->list ? cols_find(cx->list, n->str) : schema_find(b, cx->schema, n->str);
    if (c >= 0) {
        if (cx->sink && cx->agg_ok)
            return FAILF(b, n, AIQ_ERR_BIND,
                         "column '%s' must be inside an aggregation function such as take_any(), or listed after 'by'", n->str);
        return column_expr(b, c, cx->schema->cols[c].type, n);
    }
    Binding *x = find_binding(cx->scope, n->str);
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
    if (x && x->kind == BIND_FUNC && (call = call_without_parens(b, n, x)))
        return bind_user_call(b, call, x, cx);
    if (x && x->kind == BIND_FUNC)
        return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a function; call it as %s()", n->str, n->str);
    if (strcmp(n->str, "null") == 0)
        return FAILF(b, n, AIQ_ERR_BIND, "a bare 'null' has no type; write a typed null such as long(null), real(null) or dynamic(null)");
    return unknown_column(b, n, cx);
}

static AiqExpr *bind_index(Binder *b, const AiqNode *n, AiqExpr *base, AiqExpr *key)
{
    if (base->type != AIQ_TYPE_DYNAMIC)
        return FAILF(b, n, AIQ_ERR_TYPE, "only dynamic values can be indexed; this is %s", aiq_type_name(base->type));
    if (key->type != AIQ_TYPE_STRING && key->type != AIQ_TYPE_LONG && key->type != AIQ_TYPE_INT)
        return FAILF(b, n->rhs ? n->rhs : n, AIQ_ERR_TYPE, "an index must be a string or an integer, found %s", aiq_type_name(key->type));
    return binary_call(b, n, "[]", AIQ_TYPE_DYNAMIC, base, key);
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
        e = const_expr(b, AIQ_TYPE_STRING, src);
        e->value.str = (AiqStr){json_string_value(j), (uint32_t)json_string_length(j)};
    } else if (json_is_integer(j)) {
        e = const_expr(b, AIQ_TYPE_LONG, src);
        e->value.i64 = json_integer_value(j);
    } else if (json_is_real(j)) {
        e = const_expr(b, AIQ_TYPE_REAL, src);
        e->value.f64 = json_real_value(j);
    } else if (json_is_boolean(j)) {
        e = const_expr(b, AIQ_TYPE_BOOL, src);
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
            c = const_expr(b, AIQ_TYPE_DYNAMIC, src);
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
        AiqExpr *key = const_expr(b, AIQ_TYPE_STRING, n);
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
        bool ci = strchr(n->str, '~') != NULL || strncmp(n->str, "has_", 4) == 0;
        if (ci && !is_text(l->type))
            return FAILF(b, n->lhs, AIQ_ERR_TYPE, "the left side of '%s' must be a string, found %s; convert it with tostring()", n->str, aiq_type_name(l->type));
        SetList set = {0};
        for (int i = 0; i < n->nitems; i++) {
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
            if (l->type == AIQ_TYPE_DYNAMIC)
                args[0] = l = coerce_dynamic(b, l, is_num(v->type) ? AIQ_TYPE_REAL : v->type);
            v = coerce_dynamic(b, v, l->type);
            if (ci) {
                l = args[0] = as_string(b, l);
                v = as_string(b, v);
            }
            if (!comparable(l->type, v->type))
                return FAILF(b, src, AIQ_ERR_TYPE, "the values of '%s' must have the type of the left side (%s), found %s", n->str, aiq_type_name(l->type), aiq_type_name(v->type));
            args[i + 1] = v;
        }
        return call_expr(b, n->str, AIQ_TYPE_BOOL, n, args, set.n + 1);
    }
    case AIQ_N_BETWEEN: {
        AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args * 3);
        args[0] = l;
        if (!(args[1] = bind_expr(b, n->rhs, cx)) || !(args[2] = bind_expr(b, n->extra, cx)))
            return NULL;
        args[0] = coerce_dynamic(b, args[0], is_num(args[1]->type) ? AIQ_TYPE_REAL : args[1]->type);
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
            args[2] = binary_call(b, n->extra, "+", AIQ_TYPE_DATETIME, args[1], args[2]);
        return call_expr(b, n->op ? "!between" : "between", AIQ_TYPE_BOOL, n, args, 3);
    }
    default: return fail(b, n, AIQ_ERR_BIND, "internal error: not a chaining expression");
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
        if (n->str[0] == '+')
            return a;
        a = coerce_dynamic(b, a, AIQ_TYPE_REAL);
        if (!is_num(a->type) && a->type != AIQ_TYPE_TIMESPAN)
            return FAILF(b, n, AIQ_ERR_TYPE, "unary '-' needs a number or timespan, found %s", aiq_type_name(a->type));
        AiqExpr *e = call1(b, "neg", a->type == AIQ_TYPE_INT ? AIQ_TYPE_LONG : a->type, a);
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
        int c = schema_find(b, s, n->str);
        if (c < 0)
            return FAILF(b, n, AIQ_ERR_BIND, "unknown column '%s' on the %s side of the join", n->str, left ? "left" : "right");
        AiqExpr *e = column_expr(b, c, s->cols[c].type, n);
        e->variant = left ? 1 : 2; /* marks the side for the join binder */
        return e;
    }
    case AIQ_N_STAR: return fail(b, n, AIQ_ERR_BIND, "'*' is not allowed here");
    case AIQ_N_ASSIGN:
        return FAILF(b, n, AIQ_ERR_BIND, "unexpected assignment to '%s' here", n->str);
    default:
        return fail(b, n, AIQ_ERR_BIND, "a table expression cannot be used as a scalar value here");
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

static AiqExpr *bind_expr(Binder *b, const AiqNode *n, ExprCtx *cx)
{
    if (!binds_left_first(n))
        return shallow_enough(b, n, bind_single(b, n, cx));
    /* a chain: bind its bottom, then each node on the one below it */
    int len = 0;
    const AiqNode *bottom = n;
    for (; binds_left_first(bottom); bottom = bottom->lhs)
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

/* ---- tabular operators ----------------------------------------------- */

static AiqPlan *new_plan(Binder *b, AiqPlanKind kind, AiqPlan *input)
{
    AiqPlan *p = aiq_arena_calloc(b->arena, sizeof *p);
    p->kind = kind;
    p->input = input;
    if (input)
        p->schema = input->schema;
    p->source_col = -1;
    p->depth = input ? input->depth + 1 : 1;
    return p;
}

/* where a and b and c -> three filters in a row: each narrows the selection
 * vector, so later conjuncts are evaluated only on rows that passed the
 * earlier ones (the result is the same: a row is kept when all are true). */
static AiqPlan *one_filter(Binder *b, AiqPlan *in, AiqExpr *pred)
{
    AiqPlan *p = new_plan(b, AIQ_P_FILTER, in);
    p->exprs = aiq_arena_alloc(b->arena, sizeof *p->exprs);
    p->exprs[0] = pred;
    p->nexprs = 1;
    return p;
}

/* The and chain is left-deep, ((a and b) and c): its bottom holds the
 * first conjunct. Past the last MAX_FILTER_SPLIT conjuncts the rest stay
 * in one filter, whose `and` narrows the rows term by term all the same: a
 * where of 100k conjuncts is a few dozen operators, not 100k. */
enum { MAX_FILTER_SPLIT = 64 };
static AiqPlan *filter_chain(Binder *b, AiqPlan *in, AiqExpr *pred)
{
    int len = 0, nand = 0;
    const AiqExpr **spine = aiq_expr_spine(pred, b->arena, &len);
    while (nand < len && spine[nand]->kind == AIQ_E_CALL && strcmp(spine[nand]->fn->name, "and") == 0)
        nand++;
    int split = nand < MAX_FILTER_SPLIT ? nand : MAX_FILTER_SPLIT;
    AiqPlan *p = one_filter(b, in, (AiqExpr *)spine[split]);
    for (int j = split - 1; j >= 0; j--)
        p = filter_chain(b, p, spine[j]->args[1]);
    return p;
}

static AiqPlan *project_plan(Binder *b, AiqPlan *input, ColList *cols)
{
    AiqPlan *p = new_plan(b, AIQ_P_PROJECT, input);
    p->schema = schema_of(cols);
    p->exprs = cols->exprs;
    p->nexprs = cols->n;
    return p;
}

/* Starts a column list holding every input column as a plain reference. */
static void passthrough(Binder *b, ColList *cols, const AiqSchema *s)
{
    for (int i = 0; i < s->ncols; i++)
        cols_push(b, cols, s->cols[i].name, s->cols[i].type, column_expr(b, i, s->cols[i].type, NULL));
}

static AiqExpr *subst(Binder *b, AiqExpr *e, const ColList *cols);

/* The copy of slot node e made in this pass of substitute(), or NULL. */
static AiqExpr *subst_done(Binder *b, const AiqExpr *e)
{
    return e->slot && e->slot < b->subst_cap && b->subst_pass[e->slot] == b->pass ? b->subst_memo[e->slot] : NULL;
}

/* A copy of call e whose args[0] is below (the rest substituted); a slot
 * node gets a new slot, being another value, and is remembered. */
static AiqExpr *subst_node(Binder *b, const AiqExpr *e, AiqExpr *below, const ColList *cols)
{
    AiqExpr *copy = aiq_arena_alloc(b->arena, sizeof *copy);
    *copy = *e;
    copy->args = aiq_arena_alloc(b->arena, sizeof *copy->args * (size_t)e->nargs);
    copy->args[0] = below;
    for (int i = 1; i < e->nargs; i++)
        copy->args[i] = subst(b, e->args[i], cols);
    set_depth(copy);
    if (e->slot) {
        copy->slot = ++b->nslots;
        if (e->slot >= b->subst_cap) {
            int cap = b->subst_cap ? b->subst_cap : 64;
            while (cap <= e->slot)
                cap *= 2;
            AiqExpr **memo = aiq_arena_alloc(b->arena, sizeof *memo * (size_t)cap);
            int *pass = aiq_arena_calloc(b->arena, sizeof *pass * (size_t)cap);
            if (b->subst_cap) {
                memcpy(memo, b->subst_memo, sizeof *memo * (size_t)b->subst_cap);
                memcpy(pass, b->subst_pass, sizeof *pass * (size_t)b->subst_cap);
            }
            b->subst_memo = memo;
            b->subst_pass = pass;
            b->subst_cap = cap;
        }
        b->subst_memo[e->slot] = copy;
        b->subst_pass[e->slot] = b->pass;
    }
    return copy;
}

/* substitute()'s walk: down args[0] to the first node that is not a call
 * (or was copied already), then copies back up. */
static AiqExpr *subst(Binder *b, AiqExpr *e, const ColList *cols)
{
    int n = 0;
    const AiqExpr **spine = aiq_expr_spine(e, b->arena, &n);
    int bottom = n - 1;
    for (int i = 0; i < n; i++)
        if (subst_done(b, spine[i])) {
            bottom = i;
            break;
        }
    const AiqExpr *last = spine[bottom];
    AiqExpr *below = subst_done(b, last);
    if (!below)
        below = last->kind == AIQ_E_COLUMN ? cols->exprs[last->col] : (AiqExpr *)last; /* (a constant, or now()) */
    for (int i = bottom - 1; i >= 0; i--)
        below = subst_node(b, spine[i], below, cols);
    return below;
}

/* Replaces references to columns of `cols` (an extend being built) with
 * their expressions, so `extend a = 1, b = a + 1` sees a. A let value used
 * twice is copied once: the copy is a DAG like the original, not a tree
 * as large as every path through it. */
static AiqExpr *substitute(Binder *b, AiqExpr *e, const ColList *cols)
{
    b->pass++;
    return subst(b, e, cols);
}

static AiqPlan *bind_extend(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    ColList cols = {0};
    passthrough(b, &cols, &in->schema);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        AiqSchema cur = schema_of(&cols);
        AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &cur, .scope = scope, .list = &cols});
        if (!e)
            return NULL;
        e = substitute(b, e, &cols);
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : expr_name(b, ex);
        if (!name)
            name = column_n(b, &cols);
        int at = cols_find(&cols, name);
        if (at >= 0) { /* extend replaces a column of the same name */
            cols.exprs[at] = e;
            cols.cols[at].type = e->type;
        } else {
            cols_push(b, &cols, name, e->type, e);
        }
    }
    return project_plan(b, in, &cols);
}

static AiqPlan *bind_project(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    ColList cols = {0};
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &in->schema, .scope = scope});
        if (!e)
            return NULL;
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : expr_name(b, ex);
        if (!name)
            name = column_n(b, &cols);
        if (cols_find(&cols, name) >= 0)
            return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already in the projection", name);
        cols_push(b, &cols, name, e->type, e);
    }
    return project_plan(b, in, &cols);
}

/* Glob match for project-away/keep/reorder patterns ('*' only). Iterative
 * with one backtrack point, so many stars cost linear time, not exponential
 * (found by fuzz_query: D*****...*turse timed out). */
static bool glob(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == *s) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return !*pat;
}

/* Compares column names as .NET's OrdinalIgnoreCase does (ASCII letters
 * folded to upper case, then code units): project-reorder's asc and desc,
 * so a, A1, b1, B2, _c come in that order. */
static int name_cmp_nocase(const char *x, size_t nx, const char *y, size_t ny)
{
    for (size_t i = 0; i < nx && i < ny; i++) {
        int a = toupper((unsigned char)x[i]), c = toupper((unsigned char)y[i]);
        if (a != c)
            return a - c;
    }
    return nx < ny ? -1 : nx > ny;
}

/* granny-asc/desc: names as runs of digits and of other characters; two
 * digit runs compare by their number of digits, then as text (so a9 < a10);
 * two other runs ignoring case; a digit against a non-digit by its code.
 * This is Kusto.Language's StringAndNumberComparer. */
static int name_cmp_granny(const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y), i = 0, j = 0;
    while (i < nx && j < ny) {
        bool dx = isdigit((unsigned char)x[i]), dy = isdigit((unsigned char)y[j]);
        if (dx != dy)
            return (unsigned char)x[i] - (unsigned char)y[j];
        size_t li = 0, lj = 0;
        while (i + li < nx && (isdigit((unsigned char)x[i + li]) != 0) == dx)
            li++;
        while (j + lj < ny && (isdigit((unsigned char)y[j + lj]) != 0) == dy)
            lj++;
        int c;
        if (dx) {
            c = li != lj ? (int)li - (int)lj : memcmp(x + i, y + j, li);
        } else {
            size_t common = li < lj ? li : lj; /* the runs' shared length, then the rest */
            c = name_cmp_nocase(x + i, common, y + j, common);
            li = lj = common;
        }
        if (c)
            return c;
        i += li;
        j += lj;
    }
    return (nx - i) > 0 ? 1 : (ny - j) > 0 ? -1 : 0;
}

static int reorder_cmp(int how, const char *x, const char *y)
{
    switch (how) {
    case AIQ_REORDER_ASC: return name_cmp_nocase(x, strlen(x), y, strlen(y));
    case AIQ_REORDER_DESC: return -name_cmp_nocase(x, strlen(x), y, strlen(y));
    case AIQ_REORDER_GRANNY_ASC: return name_cmp_granny(x, y);
    case AIQ_REORDER_GRANNY_DESC: return -name_cmp_granny(x, y);
    default: return 0;
    }
}

/* Orders cols[0..n) by name as `how` says; stable, so equal names keep
 * their input order (few columns: an insertion sort). */
static void order_columns(const AiqSchema *s, int *cols, int n, int how)
{
    for (int i = 1; i < n && how != AIQ_REORDER_AS_IS; i++) {
        int c = cols[i], k = i;
        for (; k > 0 && reorder_cmp(how, s->cols[cols[k - 1]].name, s->cols[c].name) > 0; k--)
            cols[k] = cols[k - 1];
        cols[k] = c;
    }
}

/* Marks the input columns matched by each pattern, listing them in order
 * (the input's, or the pattern's asc/desc/granny order); a plain name that
 * matches nothing is an error. */
static bool match_patterns(Binder *b, const AiqNode *n, const AiqSchema *s, int *order, int *norder, bool *used)
{
    *norder = 0;
    for (int i = 0; i < n->nitems; i++) {
        const char *pat = n->items[i]->str;
        int first = *norder;
        bool any = false;
        /* a plain name is looked up (project-away of 100k names) */
        int exact = strchr(pat, '*') ? -1 : schema_find(b, s, pat);
        if (exact >= 0) {
            any = true;
            if (!used[exact]) {
                used[exact] = true;
                order[(*norder)++] = exact;
            }
        }
        for (int c = 0; exact < 0 && strchr(pat, '*') && c < s->ncols; c++) {
            if (glob(pat, s->cols[c].name)) {
                any = true;
                if (!used[c]) {
                    used[c] = true;
                    order[(*norder)++] = c;
                }
            }
        }
        order_columns(s, order + first, *norder - first, n->items[i]->op);
        if (!any && !strchr(pat, '*')) {
            const char **cands = aiq_arena_alloc(b->arena, sizeof *cands * (size_t)(s->ncols + 1));
            size_t nc = 0;
            for (int c = 0; c < s->ncols; c++)
                cands[nc++] = s->cols[c].name;
            const char *sg = aiq_suggest(pat, strlen(pat), cands, nc);
            if (sg)
                FAILF(b, n->items[i], AIQ_ERR_BIND, "unknown column '%s'; did you mean '%s'?", pat, sg);
            else
                FAILF(b, n->items[i], AIQ_ERR_BIND, "unknown column '%s'", pat);
            return false;
        }
    }
    return true;
}

static AiqPlan *bind_project_patterns(Binder *b, const AiqNode *n, AiqPlan *in)
{
    const AiqSchema *s = &in->schema;
    int *order = aiq_arena_alloc(b->arena, sizeof *order * (size_t)(s->ncols + 1));
    bool *used = aiq_arena_calloc(b->arena, sizeof *used * (size_t)(s->ncols + 1));
    int norder;
    if (!match_patterns(b, n, s, order, &norder, used))
        return NULL;
    ColList cols = {0};
    if (n->kind == AIQ_N_PROJECT_AWAY) {
        for (int c = 0; c < s->ncols; c++)
            if (!used[c])
                cols_push(b, &cols, s->cols[c].name, s->cols[c].type, column_expr(b, c, s->cols[c].type, NULL));
    } else if (n->kind == AIQ_N_PROJECT_KEEP) {
        for (int c = 0; c < s->ncols; c++)
            if (used[c])
                cols_push(b, &cols, s->cols[c].name, s->cols[c].type, column_expr(b, c, s->cols[c].type, NULL));
    } else { /* reorder: listed first, in the order given, then the rest */
        for (int k = 0; k < norder; k++)
            cols_push(b, &cols, s->cols[order[k]].name, s->cols[order[k]].type, column_expr(b, order[k], s->cols[order[k]].type, NULL));
        for (int c = 0; c < s->ncols; c++)
            if (!used[c])
                cols_push(b, &cols, s->cols[c].name, s->cols[c].type, column_expr(b, c, s->cols[c].type, NULL));
    }
    return project_plan(b, in, &cols);
}

static AiqPlan *bind_rename(Binder *b, const AiqNode *n, AiqPlan *in)
{
    ColList cols = {0};
    passthrough(b, &cols, &in->schema);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *a = n->items[i];
        int c = cols_find(&cols, a->lhs->str);
        if (c < 0) {
            ExprCtx cx = {.schema = &in->schema};
            return unknown_column(b, a->lhs, &cx);
        }
        int clash = cols_find(&cols, a->str);
        if (clash >= 0 && clash != c)
            return FAILF(b, a, AIQ_ERR_BIND, "cannot rename '%s' to '%s': that column exists already", a->lhs->str, a->str);
        cols_rename(b, &cols, c, a->str);
    }
    return project_plan(b, in, &cols);
}

static int sort_flags(int op)
{
    bool asc = (op & AIQ_SORT_ASC) != 0;
    int f = asc ? AIQ_SORT_ASC : AIQ_SORT_DESC;
    if (op & AIQ_SORT_NULLS_FIRST)
        f |= AIQ_SORT_NULLS_FIRST;
    else if (op & AIQ_SORT_NULLS_LAST)
        f |= AIQ_SORT_NULLS_LAST;
    else
        f |= asc ? AIQ_SORT_NULLS_FIRST : AIQ_SORT_NULLS_LAST;
    return f;
}

static bool bind_sort_keys(Binder *b, const AiqNode *n, AiqPlan *p, Binding *scope)
{
    p->nexprs = n->nitems;
    p->exprs = aiq_arena_alloc(b->arena, sizeof *p->exprs * (size_t)n->nitems);
    p->sort_flags = aiq_arena_alloc(b->arena, sizeof *p->sort_flags * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        AiqExpr *e = bind_expr(b, n->items[i]->lhs, &(ExprCtx){.schema = &p->input->schema, .scope = scope});
        if (!e)
            return false;
        p->exprs[i] = e;
        p->sort_flags[i] = sort_flags(n->items[i]->op);
    }
    return true;
}

static bool const_count(Binder *b, const AiqNode *n, Binding *scope, int64_t *out, const char *what)
{
    if (n->kind == AIQ_N_NAME && !find_binding(scope, n->str)) {
        FAILF(b, n, AIQ_ERR_TYPE, "the row count of '%s' must be a constant, not the column or name '%s'", what, n->str);
        return false;
    }
    AiqExpr *e = bind_expr(b, n, &(ExprCtx){.scope = scope});
    if (!e)
        return false;
    if (!is_const(e) || (e->type != AIQ_TYPE_LONG && e->type != AIQ_TYPE_INT) || e->value.isnull || e->value.i64 < 0) {
        FAILF(b, n, AIQ_ERR_TYPE, "the row count of '%s' must be a constant non-negative integer", what);
        return false;
    }
    *out = e->value.i64;
    return true;
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
    const char *name = it->kind == AIQ_N_ASSIGN ? it->str : expr_name(b, ex);
    if (!name)
        name = column_n(b, keys);
    else if (it->kind == AIQ_N_ASSIGN && cols_find(keys, name) >= 0)
        return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already %s", name, what);
    name = unique_name(b, keys, name);
    cols_push(b, keys, name, e->type, e);
    *name_out = name;
    return e;
}

/* summarize aggs by keys -> SUMMARIZE (keys, then aggregate columns)
 * followed by a PROJECT that names the results and computes expressions
 * over aggregates. */
static AiqPlan *bind_summarize(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AggSink sink = {.input = &in->schema};
    AiqPlan *sp = new_plan(b, AIQ_P_SUMMARIZE, in);
    sp->nexprs = n->nitems2;
    sp->exprs = aiq_arena_alloc(b->arena, sizeof *sp->exprs * (size_t)(n->nitems2 ? n->nitems2 : 1));
    ColList names = {0};
    for (int i = 0; i < n->nitems2; i++) {
        const char *name;
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
        bool direct = ex->kind == AIQ_N_CALL && aiq_func_lookup(ex->str) &&
                      aiq_func_lookup(ex->str)->agg >= 0 && !find_binding(scope, ex->str);
        sink.item_name = NULL;
        if (direct && it->kind == AIQ_N_ASSIGN) {
            ColList cur = sink_names(&sink);
            if (cols_find(&cur, it->str) >= 0)
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
        results[i] = direct ? NULL : e;
        if (!direct) {
            if (sink.ncols == before)
                return FAILF(b, ex, AIQ_ERR_BIND, "a summarize item must use an aggregation function such as count() or sum()");
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
        cols_push(b, &out, sink.cols[k].name, sink.cols[k].type, column_expr(b, k, sink.cols[k].type, NULL));
    bool needs_project = false;
    for (int i = 0; i < n->nitems; i++) {
        if (!results[i]) {
            for (int c = first_col[i]; c < first_col[i] + ncols_of[i]; c++)
                cols_push(b, &out, sink.cols[c].name, sink.cols[c].type, column_expr(b, c, sink.cols[c].type, NULL));
            continue;
        }
        needs_project = true;
        const char *name = result_names[i];
        if (!name)
            name = expr_name(b, n->items[i]);
        if (!name)
            name = column_n(b, &out);
        if (cols_find(&out, name) >= 0)
            name = unique_name(b, &out, name);
        cols_push(b, &out, name, results[i]->type, results[i]);
    }
    if (!needs_project)
        return sp;
    return project_plan(b, sp, &out);
}

static AiqPlan *count_plan(Binder *b, AiqPlan *in, const char *name)
{
    AiqPlan *p = new_plan(b, AIQ_P_SUMMARIZE, in);
    p->naggs = 1;
    p->aggs = aiq_arena_calloc(b->arena, sizeof *p->aggs);
    p->aggs[0].kind = AIQ_AGG_COUNT;
    p->schema.ncols = 1;
    p->schema.cols = aiq_arena_alloc(b->arena, sizeof *p->schema.cols);
    p->schema.cols[0].name = name;
    p->schema.cols[0].type = AIQ_TYPE_LONG;
    return p;
}

static AiqPlan *bind_distinct(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqPlan *p = new_plan(b, AIQ_P_SUMMARIZE, in);
    ColList cols = {0};
    if (n->nitems == 1 && n->items[0]->kind == AIQ_N_STAR) {
        for (int c = 0; c < in->schema.ncols; c++) {
            if (in->schema.cols[c].type == AIQ_TYPE_DYNAMIC)
                return FAILF(b, n->items[0], AIQ_ERR_TYPE, "distinct * cannot group by the dynamic column '%s'", in->schema.cols[c].name);
            cols_push(b, &cols, in->schema.cols[c].name, in->schema.cols[c].type, column_expr(b, c, in->schema.cols[c].type, NULL));
        }
    } else {
        for (int i = 0; i < n->nitems; i++) {
            const char *name;
            if (!bind_group_key(b, n->items[i], in, scope, &cols, "a distinct key", &name))
                return NULL;
        }
    }
    p->schema = schema_of(&cols);
    p->exprs = cols.exprs;
    p->nexprs = cols.n;
    return p;
}

/* Hints that only tune how Kusto spreads a query over a cluster (shuffle,
 * broadcast, partitions, concurrency, caching): aiq runs on one machine and
 * has nothing to tune, so they are accepted and change nothing; the README
 * lists them. The names are those Kusto's parser knows; any other hint.*
 * is an error there too. */
static const char *const distribution_hints[] = {
    "hint.strategy", "hint.shufflekey", "hint.num_partitions", "hint.concurrency",
    "hint.spread", "hint.remote", "hint.materialized", "hint.progressive_top",
    "hint.distribution", "hint.pass_filters", "hint.pass_filters_column", NULL,
};

/* Accepts an operator parameter that is a distribution hint; any other
 * parameter the operator's binder did not take is an error. */
static bool hint_ok(Binder *b, const AiqNode *prm)
{
    for (int i = 0; distribution_hints[i]; i++)
        if (strcmp(prm->str, distribution_hints[i]) == 0)
            return true;
    if (strncmp(prm->str, "hint.", 5) == 0)
        return FAILF(b, prm, AIQ_ERR_BIND, "unknown hint '%s' (Kusto's hints: hint.strategy, hint.shufflekey, hint.num_partitions, hint.concurrency, hint.spread, hint.remote, hint.materialized, hint.progressive_top)", prm->str) != NULL;
    return FAILF(b, prm, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: %s=", prm->str) != NULL;
}

/* Checks the parameters of an operator whose only parameters are hints. */
static bool check_hints(Binder *b, const AiqNode *n)
{
    for (int i = 0; i < n->nparams; i++)
        if (!hint_ok(b, n->params[i]))
            return false;
    return true;
}

/* A named parameter whose value must be one of `values` (what: "mv-expand
 * kind", expected: "bag or array"); returns its index, -1 after an error. */
static int param_choice(Binder *b, const AiqNode *prm, const char *const *values, const char *what,
                        const char *expected)
{
    for (int i = 0; prm->lhs->kind == AIQ_N_NAME && values[i]; i++)
        if (strcmp(prm->lhs->str, values[i]) == 0)
            return i;
    if (prm->lhs->kind == AIQ_N_NAME)
        FAILF(b, prm->lhs, AIQ_ERR_BIND, "unknown %s '%s' (expected %s)", what, prm->lhs->str, expected);
    else
        FAILF(b, prm->lhs, AIQ_ERR_BIND, "%s= takes %s", prm->str, expected);
    return -1;
}

/* join's parameters besides kind= (which the parser reads): hints only. */
static bool join_params(Binder *b, const AiqNode *n)
{
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (strcmp(prm->str, "kind") == 0)
            continue;
        if (strcmp(prm->str, "withsource") == 0)
            return fail(b, prm, AIQ_ERR_BIND, "join has no withsource= parameter (union has one)") != NULL;
        if (!hint_ok(b, prm))
            return false;
    }
    return true;
}

static AiqPlan *bind_join(Binder *b, const AiqNode *n, AiqPlan *left, Binding *scope)
{
    if (!join_params(b, n))
        return NULL;
    AiqPlan *right = bind_tabular(b, n->rhs, scope);
    if (!right)
        return NULL;
    AiqPlan *p = new_plan(b, AIQ_P_JOIN, left);
    p->right = right;
    p->depth = (left->depth > right->depth ? left->depth : right->depth) + 1;
    p->join_kind = n->op;
    p->nkeys = n->nitems;
    p->left_keys = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)n->nitems);
    p->right_keys = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *c = n->items[i];
        if (c->kind == AIQ_N_NAME) {
            int l = schema_find(b, &left->schema, c->str), r = schema_find(b, &right->schema, c->str);
            if (l < 0 || r < 0)
                return FAILF(b, c, AIQ_ERR_BIND, "join key '%s' must exist on both sides of the join (missing on the %s side)", c->str, l < 0 ? "left" : "right");
            p->left_keys[i] = l;
            p->right_keys[i] = r;
        } else if (c->kind == AIQ_N_BINARY && strcmp(c->str, "==") == 0) {
            ExprCtx cx = {.scope = scope, .left = &left->schema, .right = &right->schema};
            AiqExpr *a = bind_expr(b, c->lhs, &cx), *bb = a ? bind_expr(b, c->rhs, &cx) : NULL;
            if (!bb)
                return NULL;
            if (a->kind != AIQ_E_COLUMN || bb->kind != AIQ_E_COLUMN || a->variant == bb->variant || !a->variant || !bb->variant)
                return fail(b, c, AIQ_ERR_BIND, "a join condition must compare a $left column with a $right column: $left.A == $right.B");
            if (a->variant == 2) {
                AiqExpr *t = a;
                a = bb;
                bb = t;
            }
            p->left_keys[i] = a->col;
            p->right_keys[i] = bb->col;
        } else {
            return fail(b, c, AIQ_ERR_BIND, "join keys are column names or $left.A == $right.B conditions");
        }
        AiqType lt = left->schema.cols[p->left_keys[i]].type, rt = right->schema.cols[p->right_keys[i]].type;
        if (lt != rt && !(lt == AIQ_TYPE_INT && rt == AIQ_TYPE_LONG) && !(lt == AIQ_TYPE_LONG && rt == AIQ_TYPE_INT))
            return FAILF(b, c, AIQ_ERR_TYPE, "join key types differ: %s on the left, %s on the right", aiq_type_name(lt), aiq_type_name(rt));
        if (lt == AIQ_TYPE_DYNAMIC)
            return FAILF(b, c, AIQ_ERR_TYPE, "a dynamic column cannot be a join key; convert it with tostring()");
    }
    ColList cols = {0};
    int k = n->op;
    bool left_only = k == AIQ_JOIN_LEFTANTI || k == AIQ_JOIN_LEFTSEMI;
    bool right_only = k == AIQ_JOIN_RIGHTANTI || k == AIQ_JOIN_RIGHTSEMI;
    if (!right_only)
        for (int c = 0; c < left->schema.ncols; c++)
            cols_push(b, &cols, left->schema.cols[c].name, left->schema.cols[c].type, NULL);
    p->nright_cols = 0;
    p->right_cols = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(right->schema.ncols + 1));
    if (!left_only)
        for (int c = 0; c < right->schema.ncols; c++) {
            cols_push(b, &cols, unique_name(b, &cols, right->schema.cols[c].name), right->schema.cols[c].type, NULL);
            p->right_cols[p->nright_cols++] = c;
        }
    p->schema = schema_of(&cols);
    return p;
}

/* The name withsource= gives a union leg: a table's name, the name of a
 * trailing `| as Name`, else union_argI (Kusto's rule). */
static const char *union_leg_name(Binder *b, const AiqNode *leg, int i)
{
    if (leg && (leg->kind == AIQ_N_TABLE || leg->kind == AIQ_N_AS))
        return leg->str;
    return aiq_arena_printf(b->arena, "union_arg%d", i);
}

/* union's parameters: kind= outer (the default) or inner, withsource= (or
 * with_source=) Name, isfuzzy= true or false. */
typedef struct UnionParams {
    const char *withsource;
    bool inner, fuzzy;
} UnionParams;

static bool union_params(Binder *b, const AiqNode *n, UnionParams *up)
{
    static const char *const kinds[] = {"outer", "inner", NULL};
    static const char *const bools[] = {"false", "true", NULL};
    *up = (UnionParams){0};
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        int k = 0;
        if (strcmp(prm->str, "withsource") == 0 || strcmp(prm->str, "with_source") == 0) {
            if (prm->lhs->kind != AIQ_N_NAME)
                return fail(b, prm->lhs, AIQ_ERR_BIND, "withsource= takes a column name") != NULL;
            up->withsource = prm->lhs->str;
        } else if (strcmp(prm->str, "kind") == 0) {
            if ((k = param_choice(b, prm, kinds, "union kind", "inner or outer")) < 0)
                return false;
            up->inner = k == 1;
        } else if (strcmp(prm->str, "isfuzzy") == 0) {
            if ((k = param_choice(b, prm, bools, "isfuzzy value", "true or false")) < 0)
                return false;
            up->fuzzy = k == 1;
        } else if (!hint_ok(b, prm)) {
            return false;
        }
    }
    return true;
}

/* Binds one union leg. With isfuzzy=true a leg that does not bind (a table
 * that does not exist, say) is left out, as Kusto does, and *skipped is set. */
static AiqPlan *bind_union_leg(Binder *b, const AiqNode *leg, Binding *scope, bool fuzzy, bool *skipped)
{
    AiqPlan *x = bind_tabular(b, leg, scope);
    *skipped = !x && fuzzy && (b->err->code == AIQ_ERR_BIND || b->err->code == AIQ_ERR_TYPE);
    if (*skipped)
        *b->err = (AiqError){0};
    return x;
}

/* Whether every input of p has a column named name of type t (kind=inner). */
static bool in_every_input(Binder *b, const AiqPlan *p, const char *name, AiqType t)
{
    for (int i = 0; i < p->ninputs; i++) {
        int c = schema_find(b, &p->inputs[i]->schema, name);
        if (c < 0 || p->inputs[i]->schema.cols[c].type != t)
            return false;
    }
    return true;
}

static AiqPlan *bind_union(Binder *b, const AiqNode *n, AiqPlan *first, Binding *scope)
{
    UnionParams up;
    if (!union_params(b, n, &up))
        return NULL;
    AiqPlan *p = new_plan(b, AIQ_P_UNION, NULL);
    int total = n->nitems + (first ? 1 : 0);
    p->inputs = aiq_arena_alloc(b->arena, sizeof *p->inputs * (size_t)total);
    p->source_names = aiq_arena_alloc(b->arena, sizeof *p->source_names * (size_t)total);
    int ni = 0;
    if (first) {
        p->source_names[ni] = union_leg_name(b, n->lhs, ni);
        p->inputs[ni++] = first;
    }
    for (int i = 0; i < n->nitems; i++) {
        bool skipped;
        AiqPlan *x = bind_union_leg(b, n->items[i], scope, up.fuzzy, &skipped);
        if (skipped)
            continue;
        if (!x)
            return NULL;
        p->source_names[ni] = union_leg_name(b, n->items[i], (first ? 1 : 0) + i);
        p->inputs[ni++] = x;
    }
    if (ni == 0)
        return fail(b, n, AIQ_ERR_BIND, "union isfuzzy=true: none of the union's tables exists");
    p->ninputs = ni;
    for (int i = 0; i < ni; i++)
        if (p->inputs[i]->depth + 1 > p->depth)
            p->depth = p->inputs[i]->depth + 1;
    const char *withsource = up.withsource;
    ColList cols = {0};
    if (withsource) {
        cols_push(b, &cols, withsource, AIQ_TYPE_STRING, NULL);
        p->source_col = 0;
    }
    for (int i = 0; i < ni; i++)
        for (int c = 0; c < p->inputs[i]->schema.ncols; c++) {
            const AiqColumn *col = &p->inputs[i]->schema.cols[c];
            int at = cols_find(&cols, col->name);
            if (at >= 0 && cols.cols[at].type == col->type)
                continue;
            if (up.inner && !in_every_input(b, p, col->name, col->type))
                continue; /* kind=inner keeps the columns every input has */
            if (at >= 0) /* same name, another type: Kusto keeps both as name_type */
                return FAILF(b, n, AIQ_ERR_TYPE, "column '%s' is %s in one union input and %s in another; convert one of them", col->name, aiq_type_name(cols.cols[at].type), aiq_type_name(col->type));
            cols_push(b, &cols, col->name, col->type, NULL);
        }
    p->schema = schema_of(&cols);
    p->maps = aiq_arena_alloc(b->arena, sizeof *p->maps * (size_t)ni);
    for (int i = 0; i < ni; i++) {
        p->maps[i] = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(cols.n + 1));
        for (int c = 0; c < cols.n; c++)
            p->maps[i][c] = schema_find(b, &p->inputs[i]->schema, cols.cols[c].name);
        if (withsource)
            p->maps[i][0] = -1;
    }
    return p;
}

/* mv-expand's parameters: kind= (or its older name bagexpansion=) bag or
 * array, and with_itemindex=Name. */
static bool mv_expand_params(Binder *b, const AiqNode *n, AiqPlan *p, const char **index_name)
{
    static const char *const kinds[] = {"bag", "array", NULL};
    *index_name = NULL;
    for (int i = 0; i < n->nparams; i++) {
        const AiqNode *prm = n->params[i];
        if (strcmp(prm->str, "kind") == 0 || strcmp(prm->str, "bagexpansion") == 0) {
            int k = param_choice(b, prm, kinds, "mv-expand kind", "bag or array");
            if (k < 0)
                return false;
            p->bag_pairs = k == 1;
        } else if (strcmp(prm->str, "with_itemindex") == 0) {
            if (prm->lhs->kind != AIQ_N_NAME)
                return fail(b, prm->lhs, AIQ_ERR_BIND, "with_itemindex= takes a column name") != NULL;
            *index_name = prm->lhs->str;
        } else if (!hint_ok(b, prm)) {
            return false;
        }
    }
    return true;
}

static AiqPlan *bind_mv_expand(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    ColList cols = {0};
    passthrough(b, &cols, &in->schema);
    AiqPlan *p = new_plan(b, AIQ_P_MV_EXPAND, NULL);
    const char *index_name;
    if (!mv_expand_params(b, n, p, &index_name))
        return NULL;
    p->nexpand = n->nitems;
    p->expand_cols = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)n->nitems);
    p->expand_types = aiq_arena_alloc(b->arena, sizeof(AiqType) * (size_t)n->nitems);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        AiqSchema cur = schema_of(&cols);
        AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &cur, .scope = scope, .list = &cols});
        if (!e)
            return NULL;
        e = substitute(b, e, &cols);
        if (e->type != AIQ_TYPE_DYNAMIC)
            return FAILF(b, ex, AIQ_ERR_TYPE, "mv-expand needs a dynamic array or property bag, found %s", aiq_type_name(e->type));
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : expr_name(b, ex);
        if (!name)
            name = column_n(b, &cols);
        AiqType t = it->type ? it->type : AIQ_TYPE_DYNAMIC;
        int at = cols_find(&cols, name);
        if (at >= 0) {
            cols.exprs[at] = e;
            cols.cols[at].type = t;
        } else {
            cols_push(b, &cols, name, t, e);
            at = cols.n - 1;
        }
        p->expand_cols[i] = at;
        p->expand_types[i] = t;
    }
    /* a projection computes the expanded values; mv-expand then splits rows */
    AiqPlan *proj = project_plan(b, in, &cols);
    for (int i = 0; i < p->nexpand; i++)
        proj->schema.cols[p->expand_cols[i]].type = AIQ_TYPE_DYNAMIC;
    ColList outcols = {0};
    for (int c = 0; c < cols.n; c++)
        cols_push(b, &outcols, cols.cols[c].name, cols.cols[c].type, NULL);
    for (int i = 0; i < p->nexpand; i++)
        outcols.cols[p->expand_cols[i]].type = p->expand_types[i];
    p->index_col = -1;
    if (index_name) {
        if (cols_find(&outcols, index_name) >= 0)
            return FAILF(b, n, AIQ_ERR_BIND, "with_itemindex=%s: the input has a column '%s' already", index_name, index_name);
        p->index_col = outcols.n;
        cols_push(b, &outcols, index_name, AIQ_TYPE_LONG, NULL);
    }
    p->input = proj;
    p->depth = proj->depth + 1;
    p->schema = schema_of(&outcols);
    if (n->rhs && !const_count(b, n->rhs, scope, &p->limit, "mv-expand limit"))
        return NULL;
    if (!n->rhs)
        p->limit = -1;
    return p;
}


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
            int k = param_choice(b, prm, kinds, "parse kind", "simple, regex or relaxed");
            if (k < 0)
                return false;
            p->parse_kind = k == 1 ? AIQ_PARSE_REGEX : k == 2 ? AIQ_PARSE_RELAXED : AIQ_PARSE_SIMPLE;
        } else if (strcmp(prm->str, "flags") == 0) {
            flags = prm;
        } else if (!hint_ok(b, prm)) {
            return false;
        }
    }
    p->regex_flags = "";
    if (!flags)
        return true;
    if (p->parse_kind != AIQ_PARSE_REGEX)
        return fail(b, flags, AIQ_ERR_BIND, "valid KQL but not supported by aiq yet: flags= without kind=regex") != NULL;
    if (flags->lhs->kind != AIQ_N_NAME)
        return fail(b, flags->lhs, AIQ_ERR_BIND, "flags= takes regex flags such as Ui") != NULL;
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
static AiqPlan *bind_parse(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    AiqExpr *src = bind_expr(b, n->rhs, &(ExprCtx){.schema = &in->schema, .scope = scope});
    if (!src)
        return NULL;
    src = as_string(b, src); /* parse reads a non-string as its text (Kusto's parse page) */
    ColList cols = {0};
    passthrough(b, &cols, &in->schema);
    int src_col = cols.n;
    cols_push(b, &cols, "\001parse_source", AIQ_TYPE_STRING, src);
    AiqPlan *proj = project_plan(b, in, &cols);
    AiqPlan *p = new_plan(b, AIQ_P_PARSE, proj);
    if (!parse_params(b, n, p))
        return NULL;
    int kind = p->parse_kind;
    AiqStrBuf re;
    aiq_sb_init(&re);
    aiq_sb_puts(&re, kind == AIQ_PARSE_REGEX ? "" : "^");
    ColList out = {0};
    passthrough(b, &out, &in->schema);
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
                return fail(b, part, AIQ_ERR_BIND, "'*' right after a string column is ambiguous: the column would take nothing; put a string between them");
            }
            aiq_sb_puts(&re, last ? ".*" : ".*?");
        } else {
            parse_column_regex(&re, ncap, part->type, kind, last);
            int at = cols_find(&out, part->str);
            if (at < 0) {
                cols_push(b, &out, part->str, part->type, NULL);
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
    p->schema = schema_of(&out);
    return p;
}

static AiqPlan *values_plan(Binder *b, ColList *cols, AiqValue *vals, int64_t nrows)
{
    AiqPlan *p = new_plan(b, AIQ_P_VALUES, NULL);
    p->schema = schema_of(cols);
    p->values = vals;
    p->nrows = nrows;
    return p;
}

static AiqPlan *bind_datatable(Binder *b, const AiqNode *n, Binding *scope)
{
    ColList cols = {0};
    for (int i = 0; i < n->nparams; i++) {
        if (cols_find(&cols, n->params[i]->str) >= 0)
            return FAILF(b, n->params[i], AIQ_ERR_BIND, "column '%s' is declared twice", n->params[i]->str);
        cols_push(b, &cols, n->params[i]->str, n->params[i]->type, NULL);
    }
    AiqValue *vals = aiq_arena_calloc(b->arena, sizeof *vals * (size_t)(n->nitems + 1));
    for (int i = 0; i < n->nitems; i++) {
        AiqType want = cols.cols[i % cols.n].type;
        AiqExpr *e = bind_expr(b, n->items[i], &(ExprCtx){.scope = scope});
        if (!e)
            return NULL;
        if (!is_const(e))
            return fail(b, n->items[i], AIQ_ERR_TYPE, "datatable values must be literals");
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
            own_json(b, j);
            v.dyn = j;
        } else if (e->type != want && !(aiq_type_is_numeric(e->type) && aiq_type_is_numeric(want) && want != AIQ_TYPE_REAL)) {
            return FAILF(b, n->items[i], AIQ_ERR_TYPE, "column '%s' is %s but the value is %s", cols.cols[i % cols.n].name, aiq_type_name(want), aiq_type_name(e->type));
        }
        v.type = want;
        vals[i] = v;
    }
    return values_plan(b, &cols, vals, n->nitems / (cols.n ? cols.n : 1));
}

static AiqPlan *bind_print(Binder *b, const AiqNode *n, Binding *scope)
{
    ColList none = {0};
    AiqPlan *one = values_plan(b, &none, NULL, 1);
    ColList cols = {0};
    AiqSchema empty = {0};
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        AiqExpr *e = bind_expr(b, ex, &(ExprCtx){.schema = &empty, .scope = scope});
        if (!e)
            return NULL;
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : aiq_arena_printf(b->arena, "print_%d", i);
        if (cols_find(&cols, name) >= 0)
            return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already defined", name);
        cols_push(b, &cols, name, e->type, e);
    }
    return project_plan(b, one, &cols);
}

static AiqPlan *bind_range(Binder *b, const AiqNode *n, Binding *scope)
{
    AiqExpr *from = bind_expr(b, n->lhs, &(ExprCtx){.scope = scope});
    AiqExpr *to = from ? bind_expr(b, n->rhs, &(ExprCtx){.scope = scope}) : NULL;
    AiqExpr *step = to ? bind_expr(b, n->extra, &(ExprCtx){.scope = scope}) : NULL;
    if (!step)
        return NULL;
    if (!is_const(from) || !is_const(to) || !is_const(step))
        return fail(b, n, AIQ_ERR_TYPE, "range bounds and step must be constants");
    AiqType t = from->type;
    bool ok = ((t == AIQ_TYPE_LONG || t == AIQ_TYPE_INT) && (to->type == AIQ_TYPE_LONG || to->type == AIQ_TYPE_INT) && (step->type == AIQ_TYPE_LONG || step->type == AIQ_TYPE_INT)) ||
              (t == AIQ_TYPE_DATETIME && to->type == AIQ_TYPE_DATETIME && step->type == AIQ_TYPE_TIMESPAN) ||
              (t == AIQ_TYPE_TIMESPAN && to->type == AIQ_TYPE_TIMESPAN && step->type == AIQ_TYPE_TIMESPAN);
    if (!ok)
        return fail(b, n, AIQ_ERR_TYPE, "range needs long bounds with a long step, or datetime/timespan bounds with a timespan step");
    if (step->value.i64 == 0)
        return fail(b, n->extra, AIQ_ERR_TYPE, "the step of range cannot be zero");
    AiqPlan *p = new_plan(b, AIQ_P_RANGE, NULL);
    ColList cols = {0};
    cols_push(b, &cols, n->str, t == AIQ_TYPE_INT ? AIQ_TYPE_LONG : t, NULL);
    p->schema = schema_of(&cols);
    p->values = aiq_arena_calloc(b->arena, sizeof *p->values * 3);
    p->values[0] = from->value;
    p->values[1] = to->value;
    p->values[2] = step->value;
    return p;
}

static AiqPlan *bind_getschema(Binder *b, AiqPlan *in)
{
    ColList cols = {0};
    cols_push(b, &cols, "ColumnName", AIQ_TYPE_STRING, NULL);
    cols_push(b, &cols, "ColumnOrdinal", AIQ_TYPE_LONG, NULL);
    cols_push(b, &cols, "DataType", AIQ_TYPE_STRING, NULL);
    cols_push(b, &cols, "ColumnType", AIQ_TYPE_STRING, NULL);
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

/* render: the result is the table as it is (a chart is drawn from it
 * elsewhere); the chart kind and property names must be Kusto's, which
 * rejects others. */
static bool check_render(Binder *b, const AiqNode *n)
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
    return true;
}

static void *unknown_table(Binder *b, const AiqNode *n, Binding *scope)
{
    size_t nc = 0, room = (size_t)b->opts->ntable_names + count_bindings(scope);
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
static AiqPlan *bind_tabular_call(Binder *b, const AiqNode *n, Binding *fb, Binding *caller)
{
    const AiqNode *def = fb->def;
    if (!(n = user_args_in_order(b, n, def)))
        return NULL;
    if (!check_user_call(b, n, def))
        return NULL;
    Binding *scope = push_call_scope(b, fb);
    for (int i = 0; i < def->nparams; i++) {
        const AiqNode *prm = def->params[i];
        Binding *x;
        if (prm->op == 1) {
            if (i >= n->nitems || n->items[i]->kind == AIQ_N_PARAM)
                return FAILF(b, n, AIQ_ERR_BIND, "missing table argument '%s'", prm->str);
            AiqPlan *arg = bind_tabular(b, n->items[i], caller);
            if (!arg)
                return NULL;
            x = push_binding(b, scope, prm->str, BIND_TABULAR);
            x->plan = arg;
        } else {
            AiqExpr *a = bind_scalar_argument(b, n, i, fb, &(ExprCtx){.scope = caller});
            if (!a)
                return NULL;
            x = push_binding(b, scope, prm->str, BIND_SCALAR);
            x->expr = a;
        }
        scope = x;
    }
    push_call(b, def);
    AiqPlan *result = NULL;
    for (int i = 0; i < def->nitems; i++) {
        const AiqNode *s = def->items[i];
        if (i + 1 < def->nitems) {
            if (s->kind != AIQ_N_LET)
                continue;
            AiqPlan *tp = NULL;
            Binding *x;
            bool tabular = s->rhs->kind != AIQ_N_FUNC_DEF && s->rhs->kind != AIQ_N_LITERAL &&
                           s->rhs->kind != AIQ_N_BINARY && s->rhs->kind != AIQ_N_CALL;
            if (tabular && (tp = bind_tabular(b, s->rhs, scope))) {
                x = push_binding(b, scope, s->str, BIND_TABULAR);
                x->plan = tp;
            } else {
                b->err->code = AIQ_OK;
                AiqExpr *v = bind_expr(b, s->rhs, &(ExprCtx){.scope = scope});
                if (!v)
                    break;
                x = push_binding(b, scope, s->str, BIND_SCALAR);
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

/* Whether n is an operator applied to the table its lhs gives (T | op). */
static bool pipes_from_left(const AiqNode *n)
{
    return n->lhs && (n->kind >= AIQ_N_WHERE || n->kind == AIQ_N_UNION);
}

/* Binds source or operator n; in is the plan of its input (n->lhs). */
static AiqPlan *bind_step(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    switch (n->kind) {
    case AIQ_N_TABLE:
    case AIQ_N_NAME: {
        Binding *x = find_binding(scope, n->str);
        if (x && x->kind == BIND_TABULAR)
            return x->plan;
        if (x && x->kind == BIND_SCALAR)
            return FAILF(b, n, AIQ_ERR_BIND, "'%s' is a scalar value, not a table", n->str);
        const AiqNode *call;
        if (x && x->kind == BIND_FUNC && (call = call_without_parens(b, n, x)))
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
        AiqPlan *p = new_plan(b, AIQ_P_SCAN, NULL);
        p->table = n->str;
        p->table_off = n->off;
        p->table_len = n->len;
        p->schema = s;
        return p;
    }
    case AIQ_N_CALL: {
        Binding *x = find_binding(scope, n->str);
        if (x && x->kind == BIND_FUNC)
            return bind_tabular_call(b, n, x, scope);
        if (aiq_func_lookup(n->str))
            return FAILF(b, n, AIQ_ERR_BIND, "'%s()' is a scalar function; a query must start with a table", n->str);
        return unknown_function(b, n, scope);
    }
    case AIQ_N_PRINT: return bind_print(b, n, scope);
    case AIQ_N_DATATABLE: return bind_datatable(b, n, scope);
    case AIQ_N_RANGE: return bind_range(b, n, scope);
    case AIQ_N_UNION: return bind_union(b, n, in, scope);
    case AIQ_N_WHERE: {
        AiqExpr *e = bind_expr(b, n->rhs, &(ExprCtx){.schema = &in->schema, .scope = scope});
        if (!e)
            return NULL;
        e = coerce_dynamic(b, e, AIQ_TYPE_BOOL);
        if (e->type != AIQ_TYPE_BOOL) {
            const char *hint = n->rhs->kind == AIQ_N_NAME || e->type == AIQ_TYPE_STRING ? "; compare it, e.g. with == or isnotempty()" : "";
            return FAILF(b, n->rhs, AIQ_ERR_TYPE, "the 'where' predicate must be bool, found %s%s", aiq_type_name(e->type), hint);
        }
        return filter_chain(b, in, e);
    }
    case AIQ_N_EXTEND: return bind_extend(b, n, in, scope);
    case AIQ_N_SERIALIZE: return n->nitems ? bind_extend(b, n, in, scope) : in;
    case AIQ_N_PROJECT: return bind_project(b, n, in, scope);
    case AIQ_N_PROJECT_AWAY:
    case AIQ_N_PROJECT_KEEP:
    case AIQ_N_PROJECT_REORDER: return bind_project_patterns(b, n, in);
    case AIQ_N_PROJECT_RENAME: return bind_rename(b, n, in);
    case AIQ_N_SUMMARIZE: return check_hints(b, n) ? bind_summarize(b, n, in, scope) : NULL;
    case AIQ_N_COUNT: return count_plan(b, in, "Count");
    case AIQ_N_DISTINCT: return check_hints(b, n) ? bind_distinct(b, n, in, scope) : NULL;
    case AIQ_N_SORT: {
        AiqPlan *p = new_plan(b, AIQ_P_SORT, in);
        return check_hints(b, n) && bind_sort_keys(b, n, p, scope) ? p : NULL;
    }
    case AIQ_N_TOP: {
        AiqPlan *p = new_plan(b, AIQ_P_TOP, in);
        if (!check_hints(b, n))
            return NULL;
        if (!const_count(b, n->rhs, scope, &p->limit, "top"))
            return NULL;
        return bind_sort_keys(b, n, p, scope) ? p : NULL;
    }
    case AIQ_N_TAKE: {
        AiqPlan *p = new_plan(b, AIQ_P_TAKE, in);
        return const_count(b, n->rhs, scope, &p->limit, "take") ? p : NULL;
    }
    case AIQ_N_JOIN: return bind_join(b, n, in, scope);
    case AIQ_N_MV_EXPAND: return bind_mv_expand(b, n, in, scope);
    case AIQ_N_PARSE: return bind_parse(b, n, in, scope);
    case AIQ_N_AS: return check_hints(b, n) ? in : NULL;
    case AIQ_N_RENDER: return check_render(b, n) ? in : NULL;
    case AIQ_N_GETSCHEMA: return bind_getschema(b, in);
    default:
        return fail(b, n, AIQ_ERR_BIND, "expected a table expression (a table name, or a query such as T | where ...)");
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
static AiqPlan *bind_tabular(Binder *b, const AiqNode *n, Binding *scope)
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
    for (int i = 0; p && i < len; i++)
        p = plan_shallow_enough(b, ops[i], bind_step(b, ops[i], p, scope));
    return p;
}

/* Whether a let value is a table: a tabular node, or a name/call that
 * resolves to a table or tabular function. */
static bool is_tabular(const AiqNode *n, Binding *scope, const AiqBindOptions *opts)
{
    switch (n->kind) {
    case AIQ_N_TABLE: {
        Binding *x = find_binding(scope, n->str);
        if (x && x->kind == BIND_FUNC) /* a view, or a function called by its name alone */
            return is_tabular(x->def->items[x->def->nitems - 1], x->def_scope, opts);
        if (x)
            return x->kind == BIND_TABULAR;
        return true;
    }
    case AIQ_N_CALL: {
        Binding *x = find_binding(scope, n->str);
        if (!x || x->kind != BIND_FUNC)
            return false;
        const AiqNode *body = x->def->items[x->def->nitems - 1];
        return is_tabular(body, scope, opts);
    }
    case AIQ_N_LITERAL: case AIQ_N_NAME: case AIQ_N_BINARY: case AIQ_N_UNARY: case AIQ_N_MEMBER:
    case AIQ_N_INDEX: case AIQ_N_IN: case AIQ_N_BETWEEN: return false;
    default: return n->kind >= AIQ_N_TABLE;
    }
}

/* Converts a --param text to a constant of the declared type. */
static bool param_value(Binder *b, const AiqNode *prm, const char *text, AiqExpr **out)
{
    AiqExpr *e = const_expr(b, prm->type, prm);
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
            own_json(b, j);
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

AiqPlan *aiq_bind_query(const AiqNode *query, const AiqBindOptions *opts, AiqArena *arena, AiqError *err)
{
    Binder b = {.opts = opts, .arena = arena, .err = err};
    Binding *scope = NULL;
    AiqPlan *root = NULL;
    for (int i = 0; i < query->nitems; i++) {
        const AiqNode *s = query->items[i];
        if (s->kind == AIQ_N_LET) {
            Binding *x;
            if (s->rhs->kind == AIQ_N_FUNC_DEF) {
                x = push_binding(&b, scope, s->str, BIND_FUNC);
                x->def = s->rhs;
                x->def_scope = scope;
            } else if (is_tabular(s->rhs, scope, opts)) {
                AiqPlan *p = bind_tabular(&b, s->rhs, scope);
                if (!p)
                    goto fail;
                AiqPlan *shared = new_plan(&b, AIQ_P_SHARED, p);
                shared->shared_id = b.nshared++;
                x = push_binding(&b, scope, s->str, BIND_TABULAR);
                x->plan = shared;
            } else {
                AiqExpr *v = bind_expr(&b, s->rhs, &(ExprCtx){.scope = scope});
                if (!v)
                    goto fail;
                x = push_binding(&b, scope, s->str, BIND_SCALAR);
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
                    goto fail;
                }
                if (given) {
                    if (!param_value(&b, prm, given, &v))
                        goto fail;
                } else if (prm->rhs) {
                    if (!(v = bind_expr(&b, prm->rhs, &(ExprCtx){.scope = scope})))
                        goto fail;
                    if (v->type != prm->type && !(is_num(v->type) && is_num(prm->type))) {
                        FAILF(&b, prm->rhs, AIQ_ERR_TYPE, "the default of '%s' must be %s, found %s", prm->str, aiq_type_name(prm->type), aiq_type_name(v->type));
                        goto fail;
                    }
                } else {
                    FAILF(&b, prm, AIQ_ERR_USAGE, "query parameter '%s' has no value; pass --param %s=VALUE", prm->str, prm->str);
                    goto fail;
                }
                Binding *x = push_binding(&b, scope, prm->str, BIND_SCALAR);
                x->expr = v;
                scope = x;
            }
        } else {
            if (i + 1 != query->nitems) {
                fail(&b, s, AIQ_ERR_BIND, "only the last statement can be a query; end the others with 'let'");
                goto fail;
            }
            root = bind_tabular(&b, s, scope);
            if (!root)
                goto fail;
            /* a trailing render is kept for the REPL's charts */
            const AiqNode *last = s;
            if (last->kind == AIQ_N_RENDER) {
                AiqPlan *copy = aiq_arena_alloc(arena, sizeof *copy);
                *copy = *root;
                root = copy;
                root->render = last->str;
            }
        }
    }
    if (!root) {
        aiq_error_set(err, AIQ_ERR_BIND, -1, 1, "the query has no query expression");
        goto fail;
    }
    if (root->kind == AIQ_P_SCAN || root->kind == AIQ_P_SHARED || root->kind == AIQ_P_VALUES) {
        /* give the root its own node so the fields below never alias a shared one */
        AiqPlan *copy = aiq_arena_alloc(arena, sizeof *copy);
        *copy = *root;
        root = copy;
    }
    root->nshared = b.nshared;
    root->nslots = b.nslots;
    root->owned_json = b.owned;
    root->nowned_json = b.nowned;
    return root;
fail:
    for (int i = 0; i < b.nowned; i++)
        json_decref(b.owned[i]);
    return NULL;
}

void aiq_plan_release(AiqPlan *plan)
{
    if (!plan)
        return;
    for (int i = 0; i < plan->nowned_json; i++)
        json_decref(plan->owned_json[i]);
    plan->nowned_json = 0;
}
