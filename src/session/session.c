/*
 * session.c -- the session facade (include/aiq/aiq.h): making and freeing
 * sessions, binding tables, what .tables and aiq schema show of them.
 * Queries are in query.c, the tables' rows in cache.c, the REPL's
 * completions in complete.c.
 */
#include "session/session_internal.h"

#include <stdio.h>
#include <string.h>

#include "func/registry.h"
#include "lex/lexer.h"
#include "out/output.h"
#include "parse/parser.h"
#include "util/mem.h"
#include "util/strbuf.h"

AiqSession *aiq_session_new(void)
{
    AiqSession *s = aiq_xcalloc(1, sizeof *s);
    aiq_catalog_init(&s->catalog);
    aiq_arena_init(&s->words_arena, 0);
    s->opts.diag = stderr;
    return s;
}

void aiq_session_free(AiqSession *s)
{
    if (!s)
        return;
    aiq_session_cache_free(s);
    aiq_session_spools_close(s);
    aiq_session_inputs_clear(s);
    aiq_xfree(s->inputs);
    aiq_xfree(s->progress.counted);
    aiq_catalog_free(&s->catalog);
    aiq_xfree(s->words);
    aiq_arena_free(&s->words_arena);
    aiq_xfree(s);
}

AiqOptions *aiq_session_options(AiqSession *s) { return &s->opts; }

void aiq_string_free(char *str) { aiq_xfree(str); }

bool aiq_write_all(FILE *out, const char *text, size_t len, AiqError *err)
{
    return aiq_output_write(out, text, len, err);
}

const char *aiq_format_canonical(const char *name)
{
    AiqFormat fmt;
    return name && aiq_format_from_name(name, &fmt) ? aiq_format_name(fmt) : NULL;
}

/* ---- binding --------------------------------------------------------------- */

/* A binding may replace the files of a table read before: what was cached
 * of it goes. */
static bool bound(AiqSession *s, bool ok)
{
    aiq_session_forget_rebound(s);
    return ok;
}

bool aiq_session_bind_table(AiqSession *s, const char *name, const char *path, AiqError *err)
{
    return bound(s, aiq_catalog_add_path(&s->catalog, name, path, err));
}

bool aiq_session_bind_file(AiqSession *s, const char *path, AiqError *err)
{
    return bound(s, aiq_catalog_add_file(&s->catalog, path, err));
}

bool aiq_session_bind_dir(AiqSession *s, const char *dir, AiqError *err)
{
    return bound(s, aiq_catalog_add_dir(&s->catalog, dir, err));
}

bool aiq_session_read_schema(AiqSession *s, const char *file, AiqError *err)
{
    return aiq_catalog_load_schema(&s->catalog, file, err);
}

void aiq_session_set_data_rules(AiqSession *s, bool no_data, bool strict, const char *sample)
{
    s->catalog.no_data = no_data;
    s->catalog.strict_bindings = strict;
    s->catalog.sample = sample;
}

const char *aiq_session_sample(const AiqSession *s) { return s->catalog.sample; }

bool aiq_session_check_bindings(const AiqSession *s, AiqError *err)
{
    return aiq_catalog_check(&s->catalog, err);
}

/* ---- tables ------------------------------------------------------------------ */

int aiq_session_ntables(const AiqSession *s) { return s->catalog.ntables; }

AiqTableInfo aiq_session_table(const AiqSession *s, int i)
{
    const AiqCatalogTable *t = &s->catalog.tables[i];
    const AiqCachedTable *c = i < s->ncache ? &s->cache[i] : NULL;
    int64_t rows = !c ? -1 : c->data ? c->data->nrows : c->batches.complete ? c->batches.nrows : -1;
    int held = -1;
    int64_t bytes = c && c->data ? (int64_t)aiq_table_bytes(c->data) : 0;
    if (c && !c->data && c->batches.complete) {
        held = aiq_batch_cache_columns(&c->batches);
        bytes = (int64_t)c->batches.bytes;
    }
    const char *const *paths = (const char *const *)(t->bound_paths ? t->bound_paths : t->paths);
    return (AiqTableInfo){t->name, t->npaths, rows, held, t->schema.ncols, bytes, paths,
                          t->bind_error, c && c->batches.ntails > 0};
}

int aiq_session_find_table(const AiqSession *s, const char *name)
{
    const AiqCatalogTable *t = aiq_catalog_find((AiqCatalog *)&s->catalog, name);
    return t ? (int)(t - s->catalog.tables) : -1;
}

void aiq_session_unknown_table(const AiqSession *s, const char *name, AiqError *err)
{
    if (!aiq_catalog_lookup((AiqCatalog *)&s->catalog, name, err))
        aiq_error_set(err, AIQ_ERR_USAGE, -1, 1, "unknown table '%s'", name);
}

char *aiq_session_create_table(AiqSession *s, int i, AiqError *err)
{
    AiqCatalogTable *t = &s->catalog.tables[i];
    /* a path that could not be bound is the table's error; an undeclared
     * table gets its types from its data first */
    if (t->bind_error ? !aiq_catalog_lookup(&s->catalog, t->name, err)
                      : !t->declared && t->npaths && !aiq_session_table_schema(s, t, err))
        return NULL;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_sb_puts(&sb, ".create table ");
    aiq_lex_quote_name(&sb, t->name);
    aiq_sb_puts(&sb, " (");
    for (int c = 0; c < t->schema.ncols; c++) {
        if (c)
            aiq_sb_puts(&sb, ", ");
        aiq_lex_quote_name(&sb, t->schema.cols[c].name);
        aiq_sb_printf(&sb, ":%s", aiq_type_name(t->schema.cols[c].type));
    }
    aiq_sb_puts(&sb, ")\n");
    return sb.data;
}
