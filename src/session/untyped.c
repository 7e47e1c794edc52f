/*
 * untyped.c -- binding a query that names columns of a table with no rows
 * and no known schema (issue 20.1): a log rotated to empty, a service's
 * directory before its first line, with nothing declared and nothing
 * remembered from an earlier run (schema_cache.c). Such a table has the
 * columns the query names, all null, so that the query runs and answers
 * as Kusto does over an empty table: no rows, or for aggregates without
 * `by` one row (count() 0, max() null).
 *
 * The names come from the binder itself: a bind that fails on "unknown
 * column X" adds X to the untyped tables and binds again. A column starts
 * dynamic. A bind that fails on a type (a dynamic `by` key, bin_at() of a
 * dynamic, max() of one) suspects the columns the query names nearest
 * before the error first (a type reaches an error through the columns
 * made of it, further back), and keeps the first other type of the first
 * suspect that gets the bind further: to an error later in the text, or
 * to a plan. Every step gets further, so the search ends (and it is
 * bounded besides). With no rows, every typing under which the query
 * binds gives the same answer. A query that no typing binds gets the
 * binder's error, as it would anyway.
 */
#include "session/session_internal.h"

#include <string.h>

#include "lex/lexer.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The types an untyped column tries, in order: dynamic first (it takes the
 * most uses: member access, tostring(), comparisons with anything), then
 * the types whose aggregates over no rows are null (max() of a string
 * column is "" in Kusto), string and bool last. */
static const AiqType TRY_ORDER[] = {AIQ_TYPE_DYNAMIC, AIQ_TYPE_LONG, AIQ_TYPE_REAL, AIQ_TYPE_DATETIME,
                                    AIQ_TYPE_TIMESPAN, AIQ_TYPE_STRING, AIQ_TYPE_BOOL};
enum { NTRY = sizeof TRY_ORDER / sizeof TRY_ORDER[0] };

/* An untyped column, by name, across the untyped tables the query uses. */
typedef struct Guess {
    const char *name;
    int tried; /* its type: an index into TRY_ORDER */
} Guess;

typedef struct Guesses {
    Guess *g;
    int n, cap;
} Guesses;

static Guess *find_guess(Guesses *gs, const char *name)
{
    for (int i = 0; i < gs->n; i++)
        if (strcmp(gs->g[i].name, name) == 0)
            return &gs->g[i];
    return NULL;
}

/* Gives every untyped table the guessed columns with their types now. */
static void apply_guesses(AiqSession *s, const Guesses *gs)
{
    for (int i = 0; i < s->catalog.ntables; i++) {
        AiqCatalogTable *t = &s->catalog.tables[i];
        if (!t->untyped)
            continue;
        AiqColumn *cols = aiq_arena_alloc(&s->catalog.arena, sizeof *cols * (size_t)(gs->n + 1));
        for (int k = 0; k < gs->n; k++)
            cols[k] = (AiqColumn){gs->g[k].name, TRY_ORDER[gs->g[k].tried]};
        t->schema = (AiqSchema){gs->n, cols};
    }
}

static bool any_untyped(const AiqSession *s)
{
    for (int i = 0; i < s->catalog.ntables; i++)
        if (s->catalog.tables[i].untyped)
            return true;
    return false;
}

/* The name of the column err says is unknown, as the query wrote it
 * (bare, or bracketed: decoded) at err's span; NULL for another error. */
static char *unknown_column(const char *text, size_t len, const AiqError *err, AiqArena *arena)
{
    if (err->code != AIQ_ERR_BIND || strncmp(err->msg, "unknown column '", 16) != 0 ||
        strstr(err->msg, " side of the join") || err->offset < 0 || (size_t)err->offset >= len)
        return NULL;
    AiqLexer lx;
    aiq_lex_init(&lx, text, len);
    lx.pos = err->offset;
    AiqToken tok;
    AiqError ignored = {0};
    if (!aiq_lex_next(&lx, &tok, &ignored) || tok.off != err->offset)
        return NULL;
    if (tok.kind == AIQ_TK_IDENT)
        return aiq_arena_strndup(arena, text + tok.off, (size_t)tok.len);
    if (tok.kind != AIQ_TK_BRACKET_ID)
        return NULL;
    char *name = aiq_arena_alloc(arena, (size_t)tok.len + 1);
    int32_t n = aiq_lex_bracket_name(text, &tok, name);
    if (n < 0)
        return NULL;
    name[n] = '\0';
    return name;
}

/* The guessed columns in the order to suspect them of err: those the
 * query names at or before the end of the error's span, nearest first
 * (the operand whose type failed comes first in the span, or before it:
 * bin_at(TimeGenerated, 5m) fails on the 5m; a column's type reaches an
 * error through the columns made of it, further back), then those after.
 * Returns how many went into order (at most gs->n). */
static int suspects(Guesses *gs, const char *text, size_t len, const AiqError *err, AiqArena *arena, Guess **order)
{
    AiqLexer lx;
    aiq_lex_init(&lx, text, len);
    AiqToken tok;
    AiqError ignored = {0};
    int32_t end = err->offset >= 0 ? err->offset + err->length : 0;
    int nbefore = 0, n = 0;
    Guess **after = aiq_arena_alloc(arena, sizeof *after * (size_t)(gs->n + 1));
    int nafter = 0;
    while (aiq_lex_next(&lx, &tok, &ignored) && tok.kind != AIQ_TK_EOF) {
        char *name = NULL;
        if (tok.kind == AIQ_TK_IDENT) {
            name = aiq_arena_strndup(arena, text + tok.off, (size_t)tok.len);
        } else if (tok.kind == AIQ_TK_BRACKET_ID) {
            name = aiq_arena_alloc(arena, (size_t)tok.len + 1);
            int32_t k = aiq_lex_bracket_name(text, &tok, name);
            name[k < 0 ? 0 : k] = '\0';
        }
        Guess *g = name ? find_guess(gs, name) : NULL;
        if (!g)
            continue;
        if (tok.off < end) { /* (moved to the front: the nearest ends up first) */
            for (int i = 0; i < nbefore; i++)
                if (order[i] == g) {
                    memmove(&order[i], &order[i + 1], sizeof *order * (size_t)(nbefore - i - 1));
                    nbefore--;
                    break;
                }
            memmove(&order[1], &order[0], sizeof *order * (size_t)nbefore);
            order[0] = g;
            nbefore++;
        } else {
            bool seen = false;
            for (int i = 0; i < nafter && !seen; i++)
                seen = after[i] == g;
            if (!seen)
                after[nafter++] = g;
        }
    }
    n = nbefore;
    for (int i = 0; i < nafter; i++) {
        bool seen = false;
        for (int k = 0; k < nbefore && !seen; k++)
            seen = order[k] == after[i];
        if (!seen)
            order[n++] = after[i];
    }
    return n;
}

/* Tells, once per table, that its columns are nulls of guessed types. */
static void warn_untyped(const AiqSession *s, const Guesses *gs)
{
    for (int i = 0; s->opts.diag && gs->n && i < s->catalog.ntables; i++) {
        const AiqCatalogTable *t = &s->catalog.tables[i];
        if (!t->untyped)
            continue;
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        for (int k = 0; k < t->schema.ncols; k++)
            aiq_sb_printf(&sb, "%s%s:%s", k ? ", " : "", t->schema.cols[k].name, aiq_type_name(t->schema.cols[k].type));
        fprintf(s->opts.diag,
                "aiq: %s: no rows, and no schema declared or remembered from an earlier run: the columns the query "
                "names are null (%s)\n",
                t->name, aiq_sb_str(&sb));
        aiq_sb_free(&sb);
    }
}

/* Binding under the typing of the guesses now: the plan, or NULL with *e. */
typedef struct Attempt {
    AiqSession *s;
    const AiqNode *ast;
    const AiqBindOptions *bo;
    AiqArena *arena;
    int left; /* binds left before giving up: the search is bounded */
} Attempt;

static AiqPlan *try_bind(Attempt *a, const Guesses *gs, AiqError *e)
{
    apply_guesses(a->s, gs);
    memset(e, 0, sizeof *e);
    a->left--;
    return aiq_bind_query(a->ast, a->bo, a->arena, e);
}

/* Whether e' is progress over e: the bind got further (an error later in
 * the text), or found another name. */
static bool further(const AiqError *now, const AiqError *before, const char *new_name)
{
    return new_name || now->offset > before->offset;
}

AiqPlan *aiq_session_bind(AiqSession *s, const AiqNode *ast, const char *text, size_t len, const AiqBindOptions *bo,
                          AiqArena *arena, AiqError *err)
{
    Guesses gs = {0};
    Attempt a = {s, ast, bo, arena, 20000};
    AiqError e;
    AiqPlan *plan = try_bind(&a, &gs, &e); /* (another query's names do not carry over) */
    while (!plan && any_untyped(s) && a.left > 0) {
        char *name = unknown_column(text, len, &e, arena);
        if (name && !find_guess(&gs, name)) { /* a column the query names: dynamic to start with */
            gs.g = aiq_grow_array(gs.g, gs.n, &gs.cap, sizeof *gs.g);
            gs.g[gs.n++] = (Guess){aiq_arena_strndup(&s->catalog.arena, name, strlen(name)), 0};
            plan = try_bind(&a, &gs, &e);
            continue;
        }
        /* a type: the first other type of the first suspect that gets the
         * bind further is kept; none: the query's own error */
        Guess **order = aiq_arena_alloc(arena, sizeof *order * (size_t)(gs.n + 1));
        int n = name ? 0 : suspects(&gs, text, len, &e, arena, order);
        bool moved = false;
        for (int i = 0; i < n && !moved && !plan && a.left > 0; i++) {
            int was = order[i]->tried;
            for (int k = 0; k < NTRY && !moved && !plan && a.left > 0; k++) {
                if (k == was)
                    continue;
                order[i]->tried = k;
                AiqError next;
                plan = try_bind(&a, &gs, &next);
                moved = plan || further(&next, &e, unknown_column(text, len, &next, arena));
                if (moved)
                    e = next;
            }
            if (!moved && !plan)
                order[i]->tried = was;
        }
        if (!moved && !plan)
            break;
    }
    if (!plan) {
        apply_guesses(s, &gs); /* (the typing the error was found under) */
        *err = e;
    } else {
        warn_untyped(s, &gs);
    }
    for (int i = 0; i < s->catalog.ntables; i++)
        if (s->catalog.tables[i].untyped)
            aiq_session_fit_cached(s, &s->catalog.tables[i]);
    aiq_xfree(gs.g);
    return plan;
}
