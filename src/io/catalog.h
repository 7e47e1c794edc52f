/*
 * catalog.h -- the tables a session knows: their names, where their data
 * lives (files, globs, directories, stdin) and their declared schemas.
 * Built from -t NAME=PATH, -d DIR, $AIQ_DATA or the bundled testdata/, and
 * --schema FILE (or DIR/schema.kql next to the data).
 */
#ifndef AIQ_IO_CATALOG_H
#define AIQ_IO_CATALOG_H

#include "aiq/aiq.h"
#include "bind/schema_file.h"
#include "plan/plan.h"
#include "util/arena.h"

typedef struct AiqCatalogTable {
    char *name;
    char **paths;      /* files (globs and directories already expanded), "-" = stdin */
    int npaths;
    bool declared;     /* schema came from a .create table declaration (or a first pass: inferred) */
    bool inferred;     /* the schema came from a first pass over the files, which are then streamed */
    AiqSchema schema;
    void *data;        /* loaded table (exec/vector.h), cached for reuse */
    bool *loaded;      /* declared tables: the columns data holds (NULL: all) */
    uint64_t files_stamp; /* REPL: aiq_catalog_files_stamp() before data was read */
} AiqCatalogTable;

typedef struct AiqCatalog {
    AiqCatalogTable *tables;
    int ntables;
    AiqArena arena;
    const char **names; /* table names, for suggestions */
} AiqCatalog;

void aiq_catalog_init(AiqCatalog *c);
void aiq_catalog_free(AiqCatalog *c);
/* Binds NAME to PATH (file, glob, directory or "-"). Returns false with err
 * (AIQ_ERR_IO) when nothing matches. */
bool aiq_catalog_add_path(AiqCatalog *c, const char *name, const char *path, AiqError *err);
/* Adds every DIR/NAME.jsonl[.zst] (.ndjson, .json) and DIR/NAME/ as a table.
 * Reads DIR/schema.kql when present. */
bool aiq_catalog_add_dir(AiqCatalog *c, const char *dir, AiqError *err);
/* Reads .create table declarations from a file; tables not yet bound to
 * data are added without paths. */
bool aiq_catalog_load_schema(AiqCatalog *c, const char *file, AiqError *err);
/* Finds a table by exact name, or NULL. */
AiqCatalogTable *aiq_catalog_find(AiqCatalog *c, const char *name);
/* Refreshes c->names from the tables. */
void aiq_catalog_names(AiqCatalog *c);
/* A fingerprint of t's files as they are now: device, inode, size and
 * modification time of each. It changes when a file grows, is rewritten,
 * replaced (log rotation) or removed; stdin never changes. */
uint64_t aiq_catalog_files_stamp(const AiqCatalogTable *t);

#endif
