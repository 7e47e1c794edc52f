/*
 * complete.c -- the REPL's tab completion in context (aiq.h,
 * aiq_session_completions). The text before the cursor is scanned to find
 * the pipeline the cursor is in; the part of that pipeline before its last
 * '|' is bound, as a query of its own, and the columns it yields are those
 * offered: after `extend x = ...` x is there, after `project a` only a,
 * and another table's columns never. Tables are not read for a Tab: a
 * table's columns are its declared or inferred schema, the one remembered
 * from an earlier run, or a guess from the first block of its first file.
 */
#include "session/session_internal.h"

#include <ctype.h>
#include <string.h>

#include "func/registry.h"
#include "lex/lexer.h"
#include "parse/ast.h"
#include "parse/parser.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Where the cursor is, as the scan of the text before it found it. */
typedef struct Context {
    size_t segment;   /* where the pipeline holding the cursor starts */
    size_t last_pipe; /* its last '|' before the cursor; (size_t)-1: none */
    size_t lets_end;  /* the end of the top-level statements before the cursor's */
} Context;

enum { MAX_DEPTH = 64 };

/* Scans text[0..end): strings and comments skipped, parentheses and
 * brackets nested; the cursor's pipeline starts after the '(' it is in,
 * or after the last top-level ';'. */
static Context scan_context(const char *text, size_t end)
{
    size_t seg[MAX_DEPTH], pipe[MAX_DEPTH];
    int depth = 0;
    seg[0] = 0;
    pipe[0] = (size_t)-1;
    size_t lets_end = 0;
    for (size_t i = 0; i < end; i++) {
        char c = text[i];
        if (c == '"' || c == '\'') {
            for (i++; i < end && text[i] != c; i++)
                if (text[i] == '\\')
                    i++;
        } else if (c == '/' && i + 1 < end && text[i + 1] == '/') {
            while (i < end && text[i] != '\n')
                i++;
        } else if ((c == '(' || c == '[') && depth + 1 < MAX_DEPTH) {
            depth++;
            seg[depth] = i + 1;
            pipe[depth] = (size_t)-1;
        } else if ((c == ')' || c == ']') && depth > 0) {
            depth--;
        } else if (c == '|') {
            pipe[depth] = i;
        } else if (c == ';' && depth == 0) {
            seg[0] = lets_end = i + 1;
            pipe[0] = (size_t)-1;
        }
    }
    return (Context){seg[depth], pipe[depth], depth == 0 ? lets_end : 0};
}

static void add_word(AiqSession *s, const char *w)
{
    if (s->nwords == s->capwords) {
        s->capwords = s->capwords ? s->capwords * 2 : 256;
        s->words = aiq_xrealloc(s->words, sizeof *s->words * s->capwords);
    }
    s->words[s->nwords++] = w;
}

static void add_list(AiqSession *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n && words[i]; i++)
        add_word(s, words[i]);
}

/* A column name as it would be typed: bracket-quoted when it is not a
 * plain identifier (['odd name']). */
static void add_column(AiqSession *s, const char *name)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_lex_quote_name(&sb, name);
    add_word(s, aiq_arena_strndup(&s->words_arena, sb.data, sb.len));
    aiq_sb_free(&sb);
}

bool aiq_session_guess_schema(AiqSession *s, AiqCatalogTable *t, AiqSchema *out)
{
    if (t->schema.ncols > 0 || t->declared) {
        *out = t->schema;
        return true;
    }
    return aiq_schema_cache_load(t, out, &s->words_arena) || aiq_jsonl_sample_schema(t, out, &s->words_arena);
}

/* Binds text[0..len) for its columns with the tables' guessed schemas
 * (s->completing), nothing printed, nothing run; adds them. false when it
 * does not bind. */
static bool add_bound_columns(AiqSession *s, const char *text, size_t len)
{
    AiqOptions saved = s->opts;
    s->opts.diag = NULL;
    s->opts.bind_only = true;
    s->opts.progress = false; /* a Tab reads nothing worth a progress line */
    s->opts.params_declared = false;
    s->opts.params_optional = true;
    s->completing = true;
    AiqError err = {0};
    AiqQuery *q = aiq_session_prepare(s, text, len, false, &err);
    s->completing = false;
    s->opts = saved;
    if (!q)
        return false;
    for (int i = 0; i < aiq_query_ncols(q); i++)
        add_column(s, aiq_query_col_name(q, i));
    aiq_query_free(q);
    return true;
}

/* The columns of every table named in text[from..to) (when the part
 * before the cursor does not bind: a half-written expression). */
static void add_named_tables_columns(AiqSession *s, const char *text, size_t from, size_t to)
{
    for (int i = 0; i < s->catalog.ntables; i++) {
        AiqCatalogTable *t = &s->catalog.tables[i];
        size_t n = strlen(t->name);
        const char *p = text + from;
        bool named = false;
        while (!named && (p = memmem(p, (size_t)(text + to - p), t->name, n)) != NULL) {
            bool start = p == text + from || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            bool end = p + n >= text + to || !(isalnum((unsigned char)p[n]) || p[n] == '_');
            named = start && end;
            p += n;
        }
        AiqSchema sc;
        if (named && aiq_session_guess_schema(s, t, &sc))
            for (int c = 0; c < sc.ncols; c++)
                add_column(s, sc.cols[c].name);
    }
}

/* The names of the let statements in text[0..end). */
static void add_let_names(AiqSession *s, const char *text, size_t end)
{
    for (size_t i = 0; i + 4 < end; i++) {
        if (strncmp(text + i, "let", 3) != 0 || (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_')) ||
            !isspace((unsigned char)text[i + 3]))
            continue;
        size_t b = i + 3;
        while (b < end && isspace((unsigned char)text[b]))
            b++;
        size_t e = b;
        while (e < end && (isalnum((unsigned char)text[e]) || text[e] == '_'))
            e++;
        if (e > b)
            add_word(s, aiq_arena_strndup(&s->words_arena, text + b, e - b));
    }
}

/* Whether text[0..end) ends with `kind` and `=` (blanks between). */
static bool after_kind_equals(const char *text, size_t end)
{
    while (end > 0 && isspace((unsigned char)text[end - 1]))
        end--;
    if (end == 0 || text[end - 1] != '=')
        return false;
    end--;
    while (end > 0 && isspace((unsigned char)text[end - 1]))
        end--;
    return end >= 4 && strncmp(text + end - 4, "kind", 4) == 0;
}

static const char *const keywords[] = {"by", "on", "kind", "with", "asc", "desc", "and", "or", "not",
                                       "between", "has", "contains", "startswith", "endswith", "in",
                                       "let", "true", "false", NULL};

/* An expression or a name: the columns of the pipeline at the cursor (or,
 * where the pipeline has no '|' yet, the tables), let names, functions
 * and aggregates, keywords. */
static void add_expression_words(AiqSession *s, const char *text, const Context *cx)
{
    if (cx->last_pipe == (size_t)-1) {
        for (int i = 0; i < s->catalog.ntables; i++)
            add_word(s, s->catalog.tables[i].name);
    } else {
        /* the lets before the statement, then the pipeline up to its last '|' */
        AiqStrBuf q;
        aiq_sb_init(&q);
        aiq_sb_append(&q, text, cx->lets_end);
        aiq_sb_putc(&q, '\n');
        aiq_sb_append(&q, text + cx->segment, cx->last_pipe - cx->segment);
        if (!add_bound_columns(s, q.data, q.len))
            add_named_tables_columns(s, text, cx->segment, cx->last_pipe);
        aiq_sb_free(&q);
    }
    add_let_names(s, text, cx->segment);
    size_t nf;
    const char *const *functions = aiq_func_names(&nf); /* (before nf is read) */
    add_list(s, functions, nf);
    add_list(s, keywords, (size_t)-1);
}

const char *const *aiq_session_completions(AiqSession *s, const char *text, size_t start, size_t *n)
{
    s->nwords = 0;
    aiq_arena_reset(&s->words_arena);
    Context cx = scan_context(text, start);
    size_t k = start;
    while (k > 0 && isspace((unsigned char)text[k - 1]))
        k--;
    if (k > 0 && text[k - 1] == '|')
        add_list(s, aiq_parse_operator_names, (size_t)-1);
    else if (after_kind_equals(text, start))
        add_list(s, aiq_join_kind_names, AIQ_JOIN_KIND_COUNT);
    else
        add_expression_words(s, text, &cx);
    *n = s->nwords;
    return s->words;
}
