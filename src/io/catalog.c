/*
 * catalog.c -- table name -> data files and schema (see catalog.h).
 */
#include "catalog.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

void aiq_catalog_init(AiqCatalog *c)
{
    memset(c, 0, sizeof *c);
    aiq_arena_init(&c->arena, 0);
}

void aiq_catalog_free(AiqCatalog *c)
{
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

static void add_file(AiqCatalog *c, AiqCatalogTable *t, const char *path)
{
    char **p = aiq_arena_alloc(&c->arena, sizeof *p * (size_t)(t->npaths + 1));
    if (t->npaths)
        memcpy(p, t->paths, sizeof *p * (size_t)t->npaths);
    p[t->npaths++] = aiq_arena_strndup(&c->arena, path, strlen(path));
    t->paths = p;
}

static bool has_data_ext(const char *name)
{
    static const char *const exts[] = {".jsonl", ".ndjson", ".json", ".jsonl.zst", ".ndjson.zst", ".json.zst", NULL};
    size_t n = strlen(name);
    for (int i = 0; exts[i]; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcmp(name + n - e, exts[i]) == 0)
            return true;
    }
    return false;
}

/* Length of the table-name stem of a data file name (without extensions). */
static size_t stem_len(const char *name)
{
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the entries of dir (hidden ones left out) sorted by name; the
 * caller frees each and the array. On error returns NULL with *n = -1. */
static char **list_dir(const char *dir, int *n, AiqError *err)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (!d) {
        *n = -1;
        aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = aiq_xrealloc(names, sizeof *names * (size_t)(*n + 1));
        names[(*n)++] = aiq_xstrndup(e->d_name, strlen(e->d_name));
    }
    closedir(d);
    if (*n > 1)
        qsort(names, (size_t)*n, sizeof *names, cmp_str);
    return names;
}

/* Adds the data files under dir, recursively, in sorted order. */
static void add_dir_files(AiqCatalog *c, AiqCatalogTable *t, const char *dir, AiqError *err)
{
    int n;
    char **names = list_dir(dir, &n, err);
    if (!names && n < 0)
        return;
    for (int i = 0; i < n; i++) {
        char *path = aiq_arena_printf(&c->arena, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            add_dir_files(c, t, path, err);
        else if (has_data_ext(names[i]))
            add_file(c, t, path);
        aiq_xfree(names[i]);
    }
    aiq_xfree(names);
}

bool aiq_catalog_add_path(AiqCatalog *c, const char *name, const char *path, AiqError *err)
{
    AiqCatalogTable *t = get_or_add(c, name);
    if (strcmp(path, "-") == 0) {
        add_file(c, t, "-");
        return true;
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            int before = t->npaths;
            add_dir_files(c, t, path, err);
            if (err->code != AIQ_OK)
                return false;
            if (t->npaths == before)
                return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: directory holds no .jsonl, .ndjson or .json files", path);
        } else {
            add_file(c, t, path);
        }
        return true;
    }
    glob_t g;
    int rc = glob(path, 0, NULL, &g);
    if (rc != 0) {
        if (rc == GLOB_NOMATCH && !strpbrk(path, "*?["))
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", path, strerror(ENOENT));
        globfree(&g);
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: no file matches", path);
    }
    for (size_t i = 0; i < g.gl_pathc; i++)
        add_file(c, t, g.gl_pathv[i]);
    globfree(&g);
    return true;
}

bool aiq_catalog_add_dir(AiqCatalog *c, const char *dir, AiqError *err)
{
    int n;
    char **names = list_dir(dir, &n, err);
    if (!names && n < 0)
        return false;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        char *path = aiq_arena_printf(&c->arena, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            AiqCatalogTable *t = get_or_add(c, names[i]);
            add_dir_files(c, t, path, err);
            ok = err->code == AIQ_OK;
        } else if (has_data_ext(names[i])) {
            char *tname = aiq_arena_strndup(&c->arena, names[i], stem_len(names[i]));
            add_file(c, get_or_add(c, tname), path);
        }
    }
    for (int i = 0; i < n; i++)
        aiq_xfree(names[i]);
    aiq_xfree(names);
    char *schema = aiq_arena_printf(&c->arena, "%s/schema.kql", dir);
    if (ok && access(schema, R_OK) == 0)
        ok = aiq_catalog_load_schema(c, schema, err);
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
        t->schema = decls[i].schema;
    }
    aiq_catalog_names(c);
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
