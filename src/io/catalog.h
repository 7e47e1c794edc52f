/*
 * catalog.h -- the tables a session knows: their names, where their data
 * lives (files, globs, directories, stdin) and their declared schemas.
 * Built from -t NAME=PATH, -t PATH and data file arguments (named after the
 * file), -d DIR, $AIQ_DATA or the bundled sample, and --schema FILE (or
 * DIR/schema.kql next to the data). The rules are CLI.md's "Data" section.
 */
#ifndef AIQ_IO_CATALOG_H
#define AIQ_IO_CATALOG_H

#include <sys/types.h>

#include "aiq/aiq.h"
#include "io/schema_file.h"
#include "core/schema.h"
#include "util/arena.h"

/* How a table got its files: a later binding of a name replaces an earlier
 * one, except that -d never replaces -t (with -d, -t wins whatever the order). */
typedef enum AiqBindSource {
    AIQ_BIND_NONE, /* only declared by a schema: no files yet */
    AIQ_BIND_DIR,  /* -d DIR (or $AIQ_DATA, the sample): DIR/NAME.jsonl, DIR/NAME/ */
    AIQ_BIND_STEM, /* -t PATH or a data file argument: named after the file */
    AIQ_BIND_NAMED /* -t NAME=PATH, .load NAME=PATH */
} AiqBindSource;

/* A file's identity: the same file reached twice (a symlink, ./x and x, a
 * glob and a directory) is read once. */
typedef struct AiqFileId {
    dev_t dev;
    ino_t ino;
} AiqFileId;

typedef struct AiqCatalogTable {
    char *name;
    char **paths; /* files (globs and directories already expanded), "-" = stdin */
    int npaths, cappaths;
    void *files; /* AiqKeyMap of the files' AiqFileId: each file is bound once */
    AiqBindSource source;
    int binding; /* which -t, -d or argument bound it (files of one binding add up) */
    /* why a path could not be bound (a missing file, an empty directory),
     * shown when a query names the table; NULL: none */
    char *bind_error;
    bool declared; /* schema came from a .create table declaration (or a first pass: inferred) */
    bool inferred; /* the schema came from a first pass over the files, which are then streamed */
    /* the files hold no rows and no schema is declared: the schema is
     * borrowed (remembered from an earlier run, or made from the names a
     * query uses: untyped), and goes when the files change */
    bool borrowed;
    bool untyped;  /* borrowed from the query's names, not remembered (session/untyped.c) */
    char *origin;  /* the path as bound (absolute): the key of its remembered schema */
    /* stdin and pipes copied to temporary files (session/spool.c): the
     * paths as bound, for messages, paths naming the copies; NULL: none */
    char **bound_paths;
    /* the schema is a guess from the first rows (session/guess.c), until a
     * stream verifies every row (guessed goes) or a row breaks it */
    bool guessed, guess_broken;
    /* this query's streams of the guess: one verified only the types of the
     * columns its scan reads, to its end (partly); one stopped before its
     * end (short) */
    bool guess_partly, guess_short;
    uint8_t *guess_fits; /* per column: the JL_FIT_* kinds later rows may hold (catalog arena) */
    AiqSchema schema;
} AiqCatalogTable;

typedef struct AiqCatalog {
    AiqCatalogTable *tables;
    int ntables;
    AiqArena arena;
    const char **names; /* table names, for suggestions */
    int nbindings;      /* bindings made so far (AiqCatalogTable.binding) */
    bool no_data;       /* no data was given at all: naming a table is a usage error (CLI.md) */
    /* the command line: a file named with -t or as an argument that cannot
     * be bound is an error even when the query does not name its table */
    bool strict_bindings;
    const char *sample; /* the bundled sample's directory, when that is what was opened (REPL) */
} AiqCatalog;

void aiq_catalog_init(AiqCatalog *c);
/* Frees the catalog. */
void aiq_catalog_free(AiqCatalog *c);

/* -t NAME=PATH (and the REPL's .load): binds NAME to PATH (a file, a glob, a
 * directory -- every regular file inside, recursively; an empty one is a
 * table without rows -- or "-" for stdin),
 * replacing any earlier binding of NAME. Returns false with err (AIQ_ERR_IO)
 * when PATH cannot be bound; the table then keeps the error for the query
 * that names it (aiq_catalog_lookup). */
bool aiq_catalog_add_path(AiqCatalog *c, const char *name, const char *path, AiqError *err);
/* -t PATH and data file arguments: binds PATH to the table named after it,
 * the file name up to its first '.' (app.log.1 -> app; a directory: its
 * name; a glob: each file its own). Files of one name given this way add
 * up to one table (app.log app.log.1); other bindings of the name are
 * replaced. Returns false with err when no name can be made (stdin, a
 * hidden file) -- a usage error -- or, as aiq_catalog_add_path, when PATH
 * cannot be bound. */
bool aiq_catalog_add_file(AiqCatalog *c, const char *path, AiqError *err);
/* -d DIR: every DIR/NAME.jsonl[.zst|.gz] (.ndjson, .json; rotated
 * NAME.jsonl.1 too) and every DIR/NAME/ (all its regular files) becomes
 * table NAME, unless -t bound NAME. Reads DIR/schema.kql when present.
 * Returns false with err when DIR cannot be read. */
bool aiq_catalog_add_dir(AiqCatalog *c, const char *dir, AiqError *err);
/* Reads .create table declarations from a file; tables not yet bound to
 * data are added without paths. */
bool aiq_catalog_load_schema(AiqCatalog *c, const char *file, AiqError *err);

/* Finds a table by exact name, or NULL. */
AiqCatalogTable *aiq_catalog_find(AiqCatalog *c, const char *name);
/* Finds the table a query names: NULL without err when no table has that
 * name (an unknown table); NULL with err when its files could not be bound
 * (AIQ_ERR_IO) or no data was given at all (AIQ_ERR_USAGE, naming the
 * options). A table only declared (no files) is returned: its schema is
 * enough to check a query. err's offset is left at -1 for the caller. */
AiqCatalogTable *aiq_catalog_lookup(AiqCatalog *c, const char *name, AiqError *err);
/* With c->strict_bindings: false with err when a path named with -t or as
 * an argument could not be bound, whether or not a query names its table. */
bool aiq_catalog_check(const AiqCatalog *c, AiqError *err);
/* Refreshes c->names from the tables. */
void aiq_catalog_names(AiqCatalog *c);
/* A fingerprint of t's files as they are now: device, inode, size and
 * modification time of each. It changes when a file grows, is rewritten,
 * replaced (log rotation) or removed; stdin never changes. */
uint64_t aiq_catalog_files_stamp(const AiqCatalogTable *t);

#endif
