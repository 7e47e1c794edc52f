/*
 * schema_cache.c -- the schemas aiq remembers between runs (issue 20.1):
 * each time the types of an undeclared table are inferred from rows, they
 * are written under $XDG_CACHE_HOME/aiq/schemas (else ~/.cache/aiq), one
 * file a path, so that when the same files hold no rows later (a log just
 * rotated to empty) a query still finds the columns it names, with their
 * types. A file is a `.create table` command, which --schema reads too,
 * after a comment naming the path it belongs to (its file name is a hash
 * of the path). It is only a cache: a file missing, unreadable or for
 * another path is as good as none, and failing to write one is not an
 * error.
 *
 * The file also notes which files it was inferred from (a stamp of each
 * file's path, device, inode, size and modification time): while they are
 * all unchanged, a query takes its types from here instead of reading the
 * files twice (issue 18.1: one pass without a schema, from the second run
 * on). A file appended to, rotated, touched or replaced changes the stamp.
 */
#include "session/session_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/schema_file.h"
#include "lex/lexer.h"
#include "util/atomic_file.h"
#include "util/mem.h"
#include "util/strbuf.h"

#define ORIGIN_LINE "// origin: "
#define STAMP_LINE "// files: "

/* The cache file of origin (a new string), or NULL when there is no cache
 * directory ($XDG_CACHE_HOME and $HOME unset) or none can be made. */
static char *cache_file(const char *origin, bool make_dirs)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    AiqStrBuf dir;
    aiq_sb_init(&dir);
    if (xdg && *xdg)
        aiq_sb_puts(&dir, xdg);
    else if (home && *home)
        aiq_sb_printf(&dir, "%s/.cache", home);
    else
        return NULL;
    if (make_dirs)
        mkdir(dir.data, 0700);
    aiq_sb_puts(&dir, "/aiq");
    if (make_dirs)
        mkdir(dir.data, 0700);
    aiq_sb_puts(&dir, "/schemas");
    if (make_dirs)
        mkdir(dir.data, 0700);
    uint64_t h = 0xCBF29CE484222325ULL; /* FNV-1a of the path */
    for (const char *p = origin; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001B3ULL;
    aiq_sb_printf(&dir, "/%016llx.kql", (unsigned long long)h);
    return dir.data;
}

/* A stamp of t's files as they are now, or 0 when one cannot be looked at
 * (or is stdin): path, device, inode, size and modification time of each,
 * in order, hashed (FNV-1a, 64 bits). */
static uint64_t files_stamp(const AiqCatalogTable *t)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (int i = 0; i < t->npaths; i++) {
        struct stat st;
        if (strcmp(t->paths[i], "-") == 0 || stat(t->paths[i], &st) != 0)
            return 0;
        uint64_t facts[6] = {(uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
                             (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec, (uint64_t)i};
        for (const char *p = t->paths[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 0x100000001B3ULL;
        for (size_t k = 0; k < sizeof facts; k++)
            h = (h ^ ((const unsigned char *)facts)[k]) * 0x100000001B3ULL;
    }
    return t->npaths ? h : 0;
}

void aiq_schema_cache_save(const AiqCatalogTable *t)
{
    if (!t->origin || strchr(t->origin, '\n') || t->schema.ncols == 0)
        return;
    char *file = cache_file(t->origin, true);
    if (!file)
        return;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_sb_puts(&sb, "// The columns aiq last inferred from the rows of this path, for when it holds no rows.\n"
                     "// (a cache: deleting it is always safe)\n" ORIGIN_LINE);
    aiq_sb_printf(&sb, "%s\n" STAMP_LINE "%016llx\n.create table ", t->origin, (unsigned long long)files_stamp(t));
    aiq_lex_quote_name(&sb, t->name);
    aiq_sb_puts(&sb, " (");
    for (int c = 0; c < t->schema.ncols; c++) {
        aiq_sb_puts(&sb, c ? ", " : "");
        aiq_lex_quote_name(&sb, t->schema.cols[c].name);
        aiq_sb_printf(&sb, ":%s", aiq_type_name(t->schema.cols[c].type));
    }
    aiq_sb_puts(&sb, ")\n");
    AiqError ignored = {0}; /* (a cache that cannot be written is no cache) */
    aiq_atomic_write(file, sb.data, sb.len, &ignored);
    aiq_sb_free(&sb);
    aiq_xfree(file);
}

/* The remembered schema of t into *out; with same_files, only when t's
 * files are the ones it was inferred from. */
static bool cache_load(const AiqCatalogTable *t, bool same_files, AiqSchema *out, AiqArena *arena)
{
    if (!t->origin)
        return false;
    char *file = cache_file(t->origin, false);
    size_t len = 0;
    char *text = file ? aiq_read_text_file(file, 1 << 20, &len) : NULL; /* (a small file: a schema) */
    aiq_xfree(file);
    if (!text)
        return false;
    /* the file is for this path (and not another with the same hash) */
    char *line = strstr(text, "\n" ORIGIN_LINE);
    size_t n = strlen(t->origin);
    bool ours = line && strncmp(line + 1 + strlen(ORIGIN_LINE), t->origin, n) == 0 &&
                line[1 + strlen(ORIGIN_LINE) + n] == '\n';
    if (ours && same_files) {
        uint64_t now = files_stamp(t);
        char want[64];
        snprintf(want, sizeof want, "\n" STAMP_LINE "%016llx\n", (unsigned long long)now);
        ours = now != 0 && strstr(text, want) != NULL;
    }
    AiqTableDecl *decls;
    AiqError ignored = {0};
    int ndecls = ours ? aiq_schema_parse(aiq_arena_strndup(arena, text, len), len, arena, &decls, &ignored) : 0;
    aiq_xfree(text);
    if (ndecls != 1 || decls[0].schema.ncols == 0)
        return false;
    *out = decls[0].schema;
    return true;
}

bool aiq_schema_cache_load(const AiqCatalogTable *t, AiqSchema *out, AiqArena *arena)
{
    return cache_load(t, false, out, arena);
}

bool aiq_schema_cache_current(const AiqCatalogTable *t, AiqSchema *out, AiqArena *arena)
{
    return cache_load(t, true, out, arena);
}
