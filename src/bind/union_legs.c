/*
 * union_legs.c -- what a union reads and the columns it gives, as Kusto's
 * union page says: table name patterns (`union *`, `union App*`,
 * `union withsource=T Device*Events`) stand for every table of the
 * catalog and every view in scope whose name matches, in the catalog's
 * order, views after; a column that two inputs give with different types
 * becomes one column per type, named name_type (x_long, x_string), all
 * at the place where the name first appears; a name met twice that way
 * (x_long made for x, and an input's own x_long) takes a number, x_long1.
 */
#include "bind/bind_internal.h"

#include <string.h>

/* Whether name matches pattern, where '*' stands for any run of characters. */
static bool glob_match(const char *pattern, const char *name)
{
    const char *star = NULL, *resume = NULL;
    while (*name) {
        if (*pattern == '*') {
            star = pattern++;
            resume = name;
        } else if (*pattern == *name) {
            pattern++;
            name++;
        } else if (star) {
            pattern = star + 1;
            name = ++resume;
        } else {
            return false;
        }
    }
    while (*pattern == '*')
        pattern++;
    return !*pattern;
}

static bool is_view(const Binding *x)
{
    return x->kind == BIND_FUNC && x->def->op == 1;
}

static bool is_pattern(const AiqNode *leg)
{
    return leg->kind == AIQ_N_TABLE && strchr(leg->str, '*') != NULL;
}

/* A table node naming name, where pattern leg stood. */
static AiqNode *named_leg(Binder *b, const AiqNode *leg, const char *name)
{
    AiqNode *t = aiq_arena_alloc(b->arena, sizeof *t);
    *t = *leg;
    t->str = name;
    return t;
}

bool bind_union_expand(Binder *b, const AiqNode *n, Binding *scope, const AiqNode ***legs, int *nlegs)
{
    int cap = n->nitems, k = 0;
    for (int i = 0; i < n->nitems; i++)
        if (is_pattern(n->items[i]))
            cap += b->opts->ntable_names + (int)bind_count_bindings(scope);
    const AiqNode **out = aiq_arena_alloc(b->arena, sizeof *out * (size_t)(cap + 1));
    for (int i = 0; i < n->nitems; i++) {
        const AiqNode *leg = n->items[i];
        if (!is_pattern(leg)) {
            out[k++] = leg;
            continue;
        }
        int before = k;
        for (int t = 0; t < b->opts->ntable_names; t++)
            if (glob_match(leg->str, b->opts->table_names[t]))
                out[k++] = named_leg(b, leg, b->opts->table_names[t]);
        /* views (let v = view () {...}) take part; other lets do not. The
         * scope lists the latest first: they go in backwards, to keep the
         * order they were written in. */
        int nviews = 0;
        for (Binding *x = scope; x; x = x->next)
            nviews += is_view(x) && glob_match(leg->str, x->name);
        int at = k + nviews;
        for (Binding *x = scope; x; x = x->next)
            if (is_view(x) && glob_match(leg->str, x->name))
                out[--at] = named_leg(b, leg, x->name);
        k += nviews;
        if (k == before)
            return FAILF(b, leg, AIQ_ERR_BIND, "no table or view matches '%s'", leg->str) != NULL;
    }
    *legs = out;
    *nlegs = k;
    return true;
}

/* Whether input i of p has column name with type t; its index or -1. */
static int input_column(Binder *b, const AiqPlan *p, int i, const char *name, AiqType t)
{
    int c = bind_schema_find(b, &p->inputs[i]->schema, name);
    return c >= 0 && p->inputs[i]->schema.cols[c].type == t ? c : -1;
}

void bind_union_columns(Binder *b, AiqPlan *p, const char *withsource, bool inner)
{
    /* every distinct (name, type), grouped by name in the order names
     * first appear, types in the order they appear */
    ColList names = {0}; /* one entry per name: its first type */
    for (int i = 0; i < p->ninputs; i++)
        for (int c = 0; c < p->inputs[i]->schema.ncols; c++) {
            const AiqColumn *col = &p->inputs[i]->schema.cols[c];
            if (bind_cols_find(&names, col->name) < 0)
                bind_cols_push(b, &names, col->name, col->type, NULL);
        }
    ColList cols = {0};
    if (withsource) {
        bind_cols_push(b, &cols, withsource, AIQ_TYPE_STRING, NULL);
        p->source_col = 0;
    }
    int first_typed = cols.n;
    const char **from = aiq_arena_alloc(b->arena, sizeof *from * (size_t)(names.n * AIQ_TYPE_COUNT + 1));
    AiqType *types = aiq_arena_alloc(b->arena, sizeof *types * (size_t)(AIQ_TYPE_COUNT + 1));
    for (int k = 0; k < names.n; k++) {
        const char *name = names.cols[k].name;
        int ntypes = 0;
        for (int i = 0; i < p->ninputs; i++) {
            int c = bind_schema_find(b, &p->inputs[i]->schema, name);
            if (c < 0)
                continue;
            AiqType t = p->inputs[i]->schema.cols[c].type;
            bool seen = false;
            for (int j = 0; j < ntypes; j++)
                seen |= types[j] == t;
            if (!seen)
                types[ntypes++] = t;
        }
        for (int j = 0; j < ntypes; j++) {
            bool everywhere = true;
            for (int i = 0; inner && i < p->ninputs; i++)
                everywhere &= input_column(b, p, i, name, types[j]) >= 0;
            if (!everywhere)
                continue; /* kind=inner keeps the columns every input has */
            const char *out = ntypes > 1 ? aiq_arena_printf(b->arena, "%s_%s", name, aiq_type_name(types[j])) : name;
            from[cols.n - first_typed] = name; /* the inputs' name of it */
            /* x_long made for x may meet a column an input calls x_long:
             * the later one becomes x_long1, as Kusto names them */
            bind_cols_push(b, &cols, bind_unique_name(b, &cols, out), types[j], NULL);
        }
    }
    p->schema = bind_schema_of(&cols);
    p->maps = aiq_arena_alloc(b->arena, sizeof *p->maps * (size_t)p->ninputs);
    for (int i = 0; i < p->ninputs; i++) {
        p->maps[i] = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)(cols.n + 1));
        for (int c = 0; c < cols.n; c++)
            p->maps[i][c] = c < first_typed ? -1 : input_column(b, p, i, from[c - first_typed], cols.cols[c].type);
    }
}
