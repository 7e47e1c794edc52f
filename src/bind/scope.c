/*
 * scope.c -- what every part of the binder shares: scopes of names (lets,
 * parameters, functions), schemas and the column lists operators build
 * with their name indexes, constructors of bound expressions, and
 * Kusto's names for unnamed result columns.
 */
#include "bind/bind_internal.h"

#include <jansson.h>
#include <string.h>

#include "util/strbuf.h"

void *bind_fail(Binder *b, const AiqNode *n, AiqErrCode code, const char *msg)
{
    aiq_error_set(b->err, code, n ? n->off : -1, n ? n->len : 1, "%s", msg);
    return NULL;
}

Binding *bind_find_binding(Binding *s, const char *name)
{
    for (; s; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

size_t bind_count_bindings(const Binding *s)
{
    size_t n = 0;
    for (; s; s = s->next)
        n++;
    return n;
}

Binding *bind_push_binding(Binder *b, Binding *scope, const char *name, BindingKind kind)
{
    Binding *x = aiq_arena_calloc(b->arena, sizeof *x);
    x->name = name;
    x->kind = kind;
    x->next = scope;
    return x;
}

void bind_own_json(Binder *b, json_t *j)
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

int bind_schema_find(Binder *b, const AiqSchema *s, const char *name)
{
    if (s && s->ncols >= AIQ_NAMES_MIN)
        return aiq_names_find(schema_index(b, s), s->cols, name);
    for (int i = 0; s && i < s->ncols; i++)
        if (strcmp(s->cols[i].name, name) == 0)
            return i;
    return -1;
}


/* Keeps l->names in step with a column added at the end (index n - 1). */
void bind_index_added(Binder *b, AiqNameIndex *ix, const AiqColumn *cols, int n)
{
    if (ix->cap)
        aiq_names_add(ix, cols, n - 1, n, b->arena);
    else if (n >= AIQ_NAMES_MIN)
        aiq_names_build(ix, cols, n, b->arena);
}

void bind_cols_push(Binder *b, ColList *l, const char *name, AiqType type, AiqExpr *e)
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
    bind_index_added(b, &l->names, l->cols, l->n);
}

int bind_cols_find(const ColList *l, const char *name)
{
    if (l->names.cap)
        return aiq_names_find(&l->names, l->cols, name);
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->cols[i].name, name) == 0)
            return i;
    return -1;
}

/* Renames column c of l. */
void bind_cols_rename(Binder *b, ColList *l, int c, const char *name)
{
    if (l->names.cap)
        aiq_names_remove(&l->names, l->cols, c);
    l->cols[c].name = name;
    if (l->names.cap)
        aiq_names_add(&l->names, l->cols, c, l->n, b->arena);
}

/* Returns name, or name1, name2, ... whichever is not yet in l (Kusto's rule). */
const char *bind_unique_name(Binder *b, const ColList *l, const char *name)
{
    if (bind_cols_find(l, name) < 0)
        return name;
    for (int i = 1;; i++) {
        const char *c = aiq_arena_printf(b->arena, "%s%d", name, i);
        if (bind_cols_find(l, c) < 0)
            return c;
    }
}

/* Returns Column1, Column2, ... the first not in l. Names are only ever
 * added to a list, so the search goes on from the last answer. */
const char *bind_column_n(Binder *b, ColList *l)
{
    for (int i = l->next_column + 1;; i++) {
        const char *c = aiq_arena_printf(b->arena, "Column%d", i);
        if (bind_cols_find(l, c) < 0) {
            l->next_column = i - 1;
            return c;
        }
    }
}

AiqSchema bind_schema_of(const ColList *l)
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

AiqExpr *bind_column_expr(Binder *b, int col, AiqType type, const AiqNode *src)
{
    AiqExpr *e = new_expr(b, AIQ_E_COLUMN, type, src);
    e->col = col;
    return e;
}

/* depth: the walkers iterate down args[0] and recurse into the others */
void bind_set_depth(AiqExpr *e)
{
    int d = e->nargs ? e->args[0]->depth : 0;
    for (int i = 1; i < e->nargs; i++)
        if (e->args[i]->depth + 1 > d)
            d = e->args[i]->depth + 1;
    e->depth = d;
}

AiqExpr *bind_call_expr(Binder *b, AiqFuncId fn, AiqType type, const AiqNode *src,
                          AiqExpr **args, int nargs)
{
    AiqExpr *e = new_expr(b, AIQ_E_CALL, type, src);
    e->fn = aiq_func_def(fn);
    e->args = args;
    e->nargs = nargs;
    bind_set_depth(e);
    return e;
}

AiqExpr *bind_call1(Binder *b, AiqFuncId fn, AiqType type, AiqExpr *a)
{
    AiqExpr **args = aiq_arena_alloc(b->arena, sizeof *args);
    args[0] = a;
    AiqExpr *e = bind_call_expr(b, fn, type, NULL, args, 1);
    e->off = a->off;
    e->len = a->len;
    return e;
}

AiqExpr *bind_const_expr(Binder *b, AiqType type, const AiqNode *src)
{
    AiqExpr *e = new_expr(b, AIQ_E_CONST, type, src);
    e->value.type = type;
    return e;
}


/* Converts a dynamic expression to the scalar type a context needs, as Kusto
 * does implicitly (Properties.stream == true, Properties.x has "y"). */
AiqExpr *bind_coerce_dynamic(Binder *b, AiqExpr *e, AiqType to)
{
    if (e->type != AIQ_TYPE_DYNAMIC || to == AIQ_TYPE_DYNAMIC || to == AIQ_TYPE_UNKNOWN)
        return e;
    static const AiqFuncId conv[AIQ_TYPE_COUNT] = {
        [AIQ_TYPE_BOOL] = AIQ_FN_TOBOOL, [AIQ_TYPE_INT] = AIQ_FN_TOINT, [AIQ_TYPE_LONG] = AIQ_FN_TOLONG,
        [AIQ_TYPE_REAL] = AIQ_FN_TODOUBLE, [AIQ_TYPE_STRING] = AIQ_FN_TOSTRING,
        [AIQ_TYPE_DATETIME] = AIQ_FN_TODATETIME, [AIQ_TYPE_TIMESPAN] = AIQ_FN_TOTIMESPAN,
    };
    return bind_call1(b, conv[to] ? conv[to] : AIQ_FN_TOSTRING, to, e);
}

/* ---- naming ---------------------------------------------------------- */

/* Kusto's name for an unnamed expression, or NULL when it has none
 * (then it is Column1, ...). Follows Kusto.Language's ResultNameKind. */
const char *bind_expr_name(Binder *b, const AiqNode *n)
{
    switch (n->kind) {
    case AIQ_N_NAME:
    case AIQ_N_TABLE: return n->str[0] == '\001' ? NULL : n->str; /* a window function's value (window.c): unnamed */
    case AIQ_N_MEMBER:
    case AIQ_N_INDEX: {
        /* d.a.b[0] is d_a_b_0: the chain can be as long as the query, so
         * it is walked, not recursed: the base first, then each suffix */
        int len = 0;
        const AiqNode *base = n;
        for (; base->kind == AIQ_N_MEMBER || base->kind == AIQ_N_INDEX; base = base->lhs)
            len++;
        const char *l = bind_expr_name(b, base);
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
        const AiqFuncDef *f = aiq_func_lookup_call(n->str, n->nitems);
        if (!f)
            return NULL;
        const char *a0 = n->nitems > 0 ? bind_expr_name(b, n->items[0]) : NULL;
        switch (f->name_kind) {
        case AIQ_NAME_NONE: return NULL;
        case AIQ_NAME_FIRST_ARG: return a0;
        case AIQ_NAME_FUNC_ARG: return a0 ? aiq_arena_printf(b->arena, "%s_%s", f->name, a0) : NULL;
        case AIQ_NAME_PREFIX_ARG:
            return aiq_arena_printf(b->arena, "%s_%s", f->name_prefix, a0 ? a0 : "");
        case AIQ_NAME_FIXED: return f->name_prefix;
        case AIQ_NAME_ARG_SUFFIX: return a0 ? aiq_arena_printf(b->arena, "%s_%s", a0, f->name_prefix) : NULL;
        case AIQ_NAME_IFEXISTS: return n == b->ifexists_found ? n->items[0]->str : NULL;
        }
        return NULL;
    }
    default: return NULL;
    }
}

AiqPlan *bind_new_plan(Binder *b, AiqPlanKind kind, AiqPlan *input)
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

AiqPlan *bind_project_plan(Binder *b, AiqPlan *input, ColList *cols)
{
    AiqPlan *p = bind_new_plan(b, AIQ_P_PROJECT, input);
    p->schema = bind_schema_of(cols);
    p->exprs = cols->exprs;
    p->nexprs = cols->n;
    return p;
}

/* Starts a column list holding every input column as a plain reference. */
void bind_passthrough(Binder *b, ColList *cols, const AiqSchema *s)
{
    for (int i = 0; i < s->ncols; i++)
        bind_cols_push(b, cols, s->cols[i].name, s->cols[i].type, bind_column_expr(b, i, s->cols[i].type, NULL));
}
