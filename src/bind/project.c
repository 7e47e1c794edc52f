/*
 * project.c -- operators that compute or choose columns: extend (where a
 * column may use the ones before it), project, project-away/keep/reorder
 * with wildcards and Kusto's orders, project-rename.
 */
#include "bind/bind_internal.h"

#include <ctype.h>
#include <string.h>

#include "util/suggest.h"

static AiqExpr *subst(Binder *b, AiqExpr *e, const ColList *cols);

/* The copy of slot node e made in this pass of bind_substitute(), or NULL. */
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
    bind_set_depth(copy);
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

/* bind_substitute()'s walk: down args[0] to the first node that is not a call
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
AiqExpr *bind_substitute(Binder *b, AiqExpr *e, const ColList *cols)
{
    b->pass++;
    return subst(b, e, cols);
}

/* Adds the columns of a function that gives several (bind/tuple.c) to an
 * extend's or a project's list: a name the query gave replaces a column of
 * that name in an extend (as `x = ...` does) and clashes in a project; the
 * names Kusto makes up take a numeric suffix when taken. */
static bool add_tuple_columns(Binder *b, const AiqNode *it, ColList *cols, const TupleCols *tc, bool extend)
{
    for (int k = 0; k < tc->n; k++) {
        const char *name = tc->names[k] ? tc->names[k] : bind_column_n(b, cols);
        int at = bind_cols_find(cols, name);
        if (tc->given[k] && at >= 0 && !extend)
            return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already in the projection", name) != NULL;
        if (tc->given[k] && at >= 0) {
            cols->exprs[at] = tc->exprs[k];
            cols->cols[at].type = tc->exprs[k]->type;
            continue;
        }
        bind_cols_push(b, cols, bind_unique_name(b, cols, name), tc->exprs[k]->type, tc->exprs[k]);
    }
    return true;
}

int bind_tuple_columns(Binder *b, const AiqNode *it, ExprCtx *cx, bool extend, ColList *cols)
{
    TupleCols tc;
    int tuple = bind_tuple_item(b, it, cx, extend ? cols : NULL, &tc);
    if (tuple > 0 && !add_tuple_columns(b, it, cols, &tc, extend))
        return -1;
    return tuple;
}

AiqPlan *bind_extend(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    ColList cols = {0};
    bind_passthrough(b, &cols, &in->schema);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        AiqSchema cur = bind_schema_of(&cols);
        ExprCtx cx = {.schema = &cur, .scope = scope, .list = &cols, .ninput = in->schema.ncols};
        int tuple = bind_tuple_columns(b, it, &cx, true, &cols);
        if (tuple < 0)
            return NULL;
        if (tuple > 0)
            continue;
        AiqExpr *e = bind_expr(b, ex, &cx);
        if (!e)
            return NULL;
        e = bind_substitute(b, e, &cols);
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : bind_expr_name(b, ex);
        if (!name)
            name = bind_column_n(b, &cols);
        int at = bind_cols_find(&cols, name);
        if (at >= 0) { /* extend replaces a column of the same name */
            cols.exprs[at] = e;
            cols.cols[at].type = e->type;
        } else {
            bind_cols_push(b, &cols, name, e->type, e);
        }
    }
    return bind_project_plan(b, in, &cols);
}

AiqPlan *bind_project(Binder *b, const AiqNode *n, AiqPlan *in, Binding *scope)
{
    ColList cols = {0};
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *it = n->items[i];
        const AiqNode *ex = it->kind == AIQ_N_ASSIGN ? it->lhs : it;
        ExprCtx cx = {.schema = &in->schema, .scope = scope};
        int tuple = bind_tuple_columns(b, it, &cx, false, &cols);
        if (tuple < 0)
            return NULL;
        if (tuple > 0)
            continue;
        AiqExpr *e = bind_expr(b, ex, &cx);
        if (!e)
            return NULL;
        const char *name = it->kind == AIQ_N_ASSIGN ? it->str : bind_expr_name(b, ex);
        if (!name)
            name = bind_column_n(b, &cols);
        /* a name the query gives (a = ..., or a column itself) is the
         * query's to keep unique; one Kusto derives from an argument
         * (series_fill_linear(x) -> x) takes a suffix: x1 */
        bool given = it->kind == AIQ_N_ASSIGN || ex->kind == AIQ_N_NAME;
        if (bind_cols_find(&cols, name) >= 0 && given)
            return FAILF(b, it, AIQ_ERR_BIND, "column '%s' is already in the projection", name);
        bind_cols_push(b, &cols, bind_unique_name(b, &cols, name), e->type, e);
    }
    return bind_project_plan(b, in, &cols);
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
        int exact = strchr(pat, '*') ? -1 : bind_schema_find(b, s, pat);
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

AiqPlan *bind_project_patterns(Binder *b, const AiqNode *n, AiqPlan *in)
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
                bind_cols_push(b, &cols, s->cols[c].name, s->cols[c].type, bind_column_expr(b, c, s->cols[c].type, NULL));
    } else if (n->kind == AIQ_N_PROJECT_KEEP) {
        for (int c = 0; c < s->ncols; c++)
            if (used[c])
                bind_cols_push(b, &cols, s->cols[c].name, s->cols[c].type, bind_column_expr(b, c, s->cols[c].type, NULL));
    } else { /* reorder: listed first, in the order given, then the rest */
        for (int k = 0; k < norder; k++)
            bind_cols_push(b, &cols, s->cols[order[k]].name, s->cols[order[k]].type, bind_column_expr(b, order[k], s->cols[order[k]].type, NULL));
        for (int c = 0; c < s->ncols; c++)
            if (!used[c])
                bind_cols_push(b, &cols, s->cols[c].name, s->cols[c].type, bind_column_expr(b, c, s->cols[c].type, NULL));
    }
    return bind_project_plan(b, in, &cols);
}

AiqPlan *bind_rename(Binder *b, const AiqNode *n, AiqPlan *in)
{
    ColList cols = {0};
    bind_passthrough(b, &cols, &in->schema);
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *a = n->items[i];
        int c = bind_cols_find(&cols, a->lhs->str);
        if (c < 0) {
            ExprCtx cx = {.schema = &in->schema};
            return bind_unknown_column(b, a->lhs, &cx);
        }
        int clash = bind_cols_find(&cols, a->str);
        if (clash >= 0 && clash != c)
            return FAILF(b, a, AIQ_ERR_BIND, "cannot rename '%s' to '%s': that column exists already", a->lhs->str, a->str);
        bind_cols_rename(b, &cols, c, a->str);
    }
    return bind_project_plan(b, in, &cols);
}
