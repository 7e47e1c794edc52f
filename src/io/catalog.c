/*
 * catalog.c -- table name -> data files and schema (see catalog.h).
 *
 * Directory walks stat() every entry (following symbolic links) and keep
 * the device and inode of each directory entered and each file taken, so a
 * symlink loop (a -> .., a -> . plus b -> .) is entered once and a file
 * reached twice is read once.
 */
#include "io/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/keymap.h"
#include "core/keymap.h"
#include "util/mem.h"
#include "util/sort.h"

void aiq_catalog_init(AiqCatalog *c)
{
    memset(c, 0, sizeof *c);
    aiq_arena_init(&c->arena, 0);
}

/* Drops the set of files bound to t. */
static void free_file_set(AiqCatalogTable *t)
{
    if (t->files)
        aiq_keymap_free(t->files);
    aiq_xfree(t->files);
    t->files = NULL;
}

void aiq_catalog_free(AiqCatalog *c)
{
    for (int i = 0; i < c->ntables; i++)
        free_file_set(&c->tables[i]);
    aiq_xfree(c->tables);
    aiq_arena_free(&c->arena);
    memset(c, 0, sizeof *c);
}

AiqCatalogTable *aiq_catalog_find(AiqCatalog *c, const char *name)
{
    for (int i = 0; i < c->ntables; i++)
        if (strcmp(c->tables[i].name, name) == 0)
            return &c->tables[i];
    return NULL;
}

static AiqCatalogTable *get_or_add(AiqCatalog *c, const char *name)
{
    AiqCatalogTable *t = aiq_catalog_find(c, name);
    if (t)
        return t;
    c->tables = aiq_xrealloc(c->tables, sizeof *c->tables * (size_t)(c->ntables + 1));
    t = &c->tables[c->ntables++];
    memset(t, 0, sizeof *t);
    t->name = aiq_arena_strndup(&c->arena, name, strlen(name));
    return t;
}

/* Forgets t's files (and what was learnt from them: an inferred schema)
 * for a new binding; a declared schema stays. The binding number changes
 * too, which tells a cache of the rows (session/cache.c) they are stale. */
static void unbind(AiqCatalogTable *t)
{
    t->npaths = t->cappaths = 0;
    t->paths = NULL; /* (arena memory) */
    t->origin = NULL;
    free_file_set(t);
    t->bind_error = NULL;
    if (t->inferred || t->borrowed) {
        t->declared = t->inferred = t->borrowed = t->untyped = false;
        t->schema = (AiqSchema){0};
    }
}

/* Records where t's files come from, the first path bound to it, made
 * absolute (as the working directory makes it) so that a run from another
 * directory finds what was remembered of it. */
static void set_origin(AiqCatalog *c, AiqCatalogTable *t, const char *path)
{
    if (t->origin || strcmp(path, "-") == 0)
        return;
    char cwd[4096];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        t->origin = aiq_arena_strndup(&c->arena, path, strlen(path));
    else
        t->origin = aiq_arena_printf(&c->arena, "%s/%s", cwd, path[0] == '.' && path[1] == '/' ? path + 2 : path);
}

/* The table a new binding of NAME from source goes to, or NULL when -t
 * bound the NAME that -d would. Files of the same binding add up; a later
 * binding replaces an earlier one, except that files named after the same
 * stem (-t PATH, arguments: app.log app.log.1) add up too. */
static AiqCatalogTable *bind_target(AiqCatalog *c, const char *name, AiqBindSource source,
                                    int binding)
{
    AiqCatalogTable *t = get_or_add(c, name);
    if (source == AIQ_BIND_DIR && t->source > AIQ_BIND_DIR)
        return NULL;
    bool same = t->binding == binding || (source == AIQ_BIND_STEM && t->source == AIQ_BIND_STEM);
    if (!same && t->source != AIQ_BIND_NONE)
        unbind(t);
    t->source = source;
    t->binding = binding;
    return t;
}

/* Records why a path of t could not be bound (the first reason wins) and
 * sets err the same way. */
static bool bind_failed(AiqCatalog *c, AiqCatalogTable *t, AiqError *err, const char *fmt,
                        const char *path, const char *why)
{
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, fmt, path, why);
    if (!t->bind_error)
        t->bind_error = aiq_arena_strndup(&c->arena, msg, strlen(msg));
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s", msg);
}

static AiqFileId file_id(const struct stat *st)
{
    AiqFileId id;
    memset(&id, 0, sizeof id); /* (padding: the id is hashed as bytes) */
    id.dev = st->st_dev;
    id.ino = st->st_ino;
    return id;
}

/* Whether the file st is new to t (and now known). */
static bool first_bound(AiqCatalogTable *t, const struct stat *st)
{
    if (!t->files) {
        t->files = aiq_xmalloc(sizeof(AiqKeyMap));
        aiq_keymap_init(t->files);
    }
    AiqFileId id = file_id(st);
    bool added;
    aiq_keymap_get(t->files, (const char *)&id, sizeof id, &added);
    return added;
}

/* Adds path to t unless t already has that file (st: its stat; NULL for stdin). */
static void add_file(AiqCatalog *c, AiqCatalogTable *t, const char *path, const struct stat *st)
{
    if (st && !first_bound(t, st))
        return;
    t->paths = aiq_arena_grow(&c->arena, t->paths, t->npaths, &t->cappaths, sizeof *t->paths, 4);
    t->paths[t->npaths++] = aiq_arena_strndup(&c->arena, path, strlen(path));
}

/* Length of the table-name stem of a file name: up to its first '.'. */
static size_t stem_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

/* Whether a file directly in a -d DIR holds a table: NAME.jsonl, .ndjson or
 * .json, compressed (.zst, .gz) or rotated (NAME.jsonl.1, NAME.jsonl-20261121.gz). */
static bool is_table_file(const char *name)
{
    static const char *const exts[] = {"jsonl", "ndjson", "json", NULL};
    const char *dot = strchr(name, '.');
    if (!dot || dot == name)
        return false;
    for (int i = 0; exts[i]; i++) {
        size_t e = strlen(exts[i]);
        if (strncmp(dot + 1, exts[i], e) == 0 &&
            (dot[1 + e] == '\0' || dot[1 + e] == '.' || dot[1 + e] == '-'))
            return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the entries of dir (hidden ones left out) sorted by name; the
 * caller frees each and the array. On error returns NULL with *n = -1 and
 * errno set. */
static char **list_dir(const char *dir, int *n)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (!d) {
        *n = -1;
        return NULL;
    }
    char **names = NULL;
    int cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = aiq_grow_array(names, *n, &cap, sizeof *names);
        names[(*n)++] = aiq_xstrndup(e->d_name, strlen(e->d_name));
    }
    closedir(d);
    if (*n > 1)
        aiq_sort(names, (size_t)*n, sizeof *names, cmp_str);
    return names;
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++)
        aiq_xfree(names[i]);
    aiq_xfree(names);
}

/* One directory walk: the directories entered so far. */
typedef struct Walk {
    AiqKeyMap dirs;
    int files; /* regular files met (bound now or already) */
} Walk;

/* Whether the directory st is entered for the first time (a symlink loop
 * leads back to one already entered). */
static bool first_visit(Walk *w, const struct stat *st)
{
    AiqFileId id = file_id(st);
    bool added;
    aiq_keymap_get(&w->dirs, (const char *)&id, sizeof id, &added);
    return added;
}

/* Adds every regular file under dir (st: its stat), recursively, in sorted
 * order. Entries that cannot be read are bind errors naming them; other
 * kinds of files (FIFOs, sockets, devices) are not data and are left out. */
static bool add_dir_files(AiqCatalog *c, AiqCatalogTable *t, Walk *w, const char *dir,
                          const struct stat *st, AiqError *err)
{
    if (!first_visit(w, st))
        return true;
    int n;
    char **names = list_dir(dir, &n);
    if (n < 0)
        return bind_failed(c, t, err, "%s: %s", dir, strerror(errno));
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        char *path = aiq_arena_printf(&c->arena, "%s/%s", dir, names[i]);
        struct stat est;
        if (stat(path, &est) != 0) /* (readdir listed it: ENOENT is a link to nowhere) */
            ok = bind_failed(c, t, err, "%s: %s", path,
                             errno == ENOENT
                                 ? "No such file or directory (a dangling symbolic link?)"
                                 : strerror(errno));
        else if (S_ISDIR(est.st_mode))
            ok = add_dir_files(c, t, w, path, &est, err);
        else if (S_ISREG(est.st_mode)) {
            w->files++;
            add_file(c, t, path, &est);
        }
    }
    free_names(names, n);
    return ok;
}

/* Binds a directory: all its regular files. One without any is a table
 * without rows (a service's log directory before its first line). */
static bool bind_dir(AiqCatalog *c, AiqCatalogTable *t, const char *dir, const struct stat *st, AiqError *err)
{
    Walk w = {.files = 0};
    aiq_keymap_init(&w.dirs);
    bool ok = add_dir_files(c, t, &w, dir, st, err);
    aiq_keymap_free(&w.dirs);
    return ok;
}

/* Binds path (a file, directory, glob or "-") to t. */
static bool bind_path(AiqCatalog *c, AiqCatalogTable *t, const char *path, AiqError *err)
{
    set_origin(c, t, path);
    if (strcmp(path, "-") == 0) {
        add_file(c, t, "-", NULL);
        return true;
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return bind_dir(c, t, path, &st, err);
        add_file(c, t, path, &st);
        return true;
    }
    if (!strpbrk(path, "*?["))
        return bind_failed(c, t, err, "%s: %s", path, strerror(errno));
    glob_t g;
    bool ok =
        glob(path, 0, NULL, &g) == 0 || bind_failed(c, t, err, "%s: %s", path, "no file matches");
    for (size_t i = 0; ok && i < g.gl_pathc; i++) {
        const char *match = g.gl_pathv[i];
        if (stat(match, &st) != 0)
            ok = bind_failed(c, t, err, "%s: %s", match, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            ok = bind_dir(c, t, match, &st, err);
        else
            add_file(c, t, match, &st);
    }
    globfree(&g);
    return ok;
}

bool aiq_catalog_add_path(AiqCatalog *c, const char *name, const char *path, AiqError *err)
{
    AiqCatalogTable *t = bind_target(c, name, AIQ_BIND_NAMED, ++c->nbindings);
    bool ok = bind_path(c, t, path, err);
    aiq_catalog_names(c);
    return ok;
}

/* The table name a path gives (see aiq_catalog_add_file), in the arena, or
 * NULL with err. */
static char *name_from_path(AiqCatalog *c, const char *path, AiqError *err)
{
    if (strcmp(path, "-") == 0) {
        aiq_error_set(err, AIQ_ERR_USAGE, -1, 1,
                      "stdin has no file name to name a table after; bind it with -t NAME=-");
        return NULL;
    }
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') /* logs/AppRequests/ -> AppRequests */
        len--;
    const char *base = path + len;
    while (base > path && base[-1] != '/')
        base--;
    char *file = aiq_arena_strndup(&c->arena, base, len - (size_t)(base - path));
    size_t n = stem_len(file);
    if (n == 0) {
        aiq_error_set(err, AIQ_ERR_USAGE, -1, 1,
                      "%s: no table name before the first '.' of '%s'; bind it with -t NAME=%s",
                      path, file, path);
        return NULL;
    }
    file[n] = '\0';
    return file;
}

bool aiq_catalog_add_file(AiqCatalog *c, const char *path, AiqError *err)
{
    int binding = ++c->nbindings;
    glob_t g = {0};
    struct stat st;
    /* a glob names each file after itself; anything else names one table
     * (a glob matching nothing: its own name, with the error) */
    bool globbed = strpbrk(path, "*?[") && stat(path, &st) != 0;
    bool expand = globbed && glob(path, 0, NULL, &g) == 0;
    size_t n = expand ? g.gl_pathc : 1;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        const char *p = expand ? g.gl_pathv[i] : path;
        char *name = name_from_path(c, p, err);
        ok = name && bind_path(c, bind_target(c, name, AIQ_BIND_STEM, binding), p, err);
    }
    if (globbed)
        globfree(&g);
    aiq_catalog_names(c);
    return ok;
}

bool aiq_catalog_add_dir(AiqCatalog *c, const char *dir, AiqError *err)
{
    int binding = ++c->nbindings;
    int n;
    char **names = list_dir(dir, &n);
    if (n < 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", dir, strerror(errno));
    for (int i = 0; i < n; i++) {
        char *path = aiq_arena_printf(&c->arena, "%s/%s", dir, names[i]);
        struct stat st;
        bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (!is_dir && !is_table_file(names[i]))
            continue; /* schema.kql, a README...: not a table */
        char *tname = aiq_arena_strndup(&c->arena, names[i], stem_len(names[i]));
        AiqCatalogTable *t = bind_target(c, tname, AIQ_BIND_DIR, binding);
        if (!t)
            continue;           /* -t bound it */
        AiqError ignored = {0}; /* (the table keeps its error for the query that names it) */
        if (is_dir) {
            set_origin(c, t, path);
            bind_dir(c, t, path, &st, &ignored);
        } else {
            bind_path(c, t, path, &ignored);
        }
    }
    free_names(names, n);
    char *schema = aiq_arena_printf(&c->arena, "%s/schema.kql", dir);
    bool ok = access(schema, R_OK) != 0 || aiq_catalog_load_schema(c, schema, err);
    aiq_catalog_names(c);
    return ok;
}

bool aiq_catalog_load_schema(AiqCatalog *c, const char *file, AiqError *err)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", file, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            text = aiq_xrealloc(text, cap);
        }
        size_t r = fread(text + len, 1, cap - len, f);
        if (r == 0)
            break;
        len += r;
    }
    fclose(f);
    AiqTableDecl *decls;
    char *copy = aiq_arena_strndup(&c->arena, text ? text : "", len);
    aiq_xfree(text);
    int n = aiq_schema_parse(copy, len, &c->arena, &decls, err);
    if (n < 0) {
        aiq_error_locate(err, copy, len);
        char msg[sizeof err->msg + 600];
        snprintf(msg, sizeof msg, "%s:%d:%d: %s", file, err->line, err->col, err->msg);
        snprintf(err->msg, sizeof err->msg, "%.500s", msg);
        err->offset = -1;
        err->code = AIQ_ERR_USAGE;
        return false;
    }
    for (int i = 0; i < n; i++) {
        AiqCatalogTable *t = get_or_add(c, decls[i].name);
        t->declared = true;
        t->inferred = false;
        t->schema = decls[i].schema;
    }
    aiq_catalog_names(c);
    return true;
}

AiqCatalogTable *aiq_catalog_lookup(AiqCatalog *c, const char *name, AiqError *err)
{
    AiqCatalogTable *t = aiq_catalog_find(c, name);
    if (!t && c->no_data) {
        aiq_error_set(err, AIQ_ERR_USAGE, -1, 1,
                      "no data given for table '%s': name its files with -t %s=PATH, -d DIR or as "
                      "arguments (or set "
                      "AIQ_DATA)",
                      name, name);
        return NULL;
    }
    if (!t)
        return NULL;
    if (t->bind_error) {
        aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s", t->bind_error);
        return NULL;
    }
    return t;
}

bool aiq_catalog_check(const AiqCatalog *c, AiqError *err)
{
    for (int i = 0; c->strict_bindings && i < c->ntables; i++) {
        const AiqCatalogTable *t = &c->tables[i];
        if (t->bind_error && t->source >= AIQ_BIND_STEM)
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s", t->bind_error);
    }
    return true;
}

void aiq_catalog_names(AiqCatalog *c)
{
    c->names = aiq_arena_alloc(&c->arena, sizeof *c->names * (size_t)(c->ntables + 1));
    for (int i = 0; i < c->ntables; i++)
        c->names[i] = c->tables[i].name;
}

/* FNV-1a over the bytes of v. */
static uint64_t stamp_mix(uint64_t h, const void *v, size_t n)
{
    const unsigned char *b = v;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001B3ULL;
    return h;
}

uint64_t aiq_catalog_files_stamp(const AiqCatalogTable *t)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (int i = 0; i < t->npaths; i++) {
        struct stat st;
        if (strcmp(t->paths[i], "-") == 0)
            continue;
        if (stat(t->paths[i], &st) != 0) {
            int e = errno;
            h = stamp_mix(h, &e, sizeof e);
            continue;
        }
        int64_t facts[] = {(int64_t)st.st_dev, (int64_t)st.st_ino, (int64_t)st.st_size,
                           (int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec};
        h = stamp_mix(h, facts, sizeof facts);
    }
    return h;
}
