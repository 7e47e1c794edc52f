/*
 * run.h -- running a bound plan and loading catalog tables: the boundary
 * between the CLI/REPL and the executor.
 */
#ifndef AIQ_EXEC_RUN_H
#define AIQ_EXEC_RUN_H

#include <stdio.h>

#include "aiq/aiq.h"
#include "io/catalog.h"
#include "plan/plan.h"

typedef struct AiqRunOptions {
    int64_t now;          /* now() in ticks */
    bool strict;          /* malformed lines are an error */
    const char *format;   /* output format, NULL = table on a terminal, else ndjson... */
    bool no_header;
    bool crlf;            /* csv, tsv: CR LF line ends */
    const char *color;
    bool fail_on_rows;
    size_t max_memory;
    int threads;
    bool timing;
    bool keep_tables;     /* REPL: load tables whole and keep them for the next query */
    AiqCatalog *catalog;
} AiqRunOptions;

/* -j N, or one thread per online core when not given. */
int aiq_run_threads(const AiqRunOptions *ro);

/* Gives an undeclared table its schema, from every row: a first pass over
 * its files after which it streams like a declared table, or (the REPL,
 * stdin, pipes) a whole load that is kept. Declared tables: nothing to do. */
bool aiq_run_schema(AiqRunOptions *ro, AiqCatalogTable *t, AiqError *err);

/* Reads a catalog table's files, inferring its schema from every row, and
 * caches the data in t->data. For a declared table, needed (NULL: all)
 * names the columns to materialize; a cached table lacking one is read
 * again. Returns false with err set (AIQ_ERR_IO). */
bool aiq_run_load_table(AiqRunOptions *ro, AiqCatalogTable *t, const bool *needed, AiqError *err);
/* Runs plan and writes the result to out in the chosen format. Returns the
 * process exit code; on failure err is set and nothing was written (or, when
 * out refused the result, what it took is all it has). */
int aiq_run_plan(AiqRunOptions *ro, const AiqPlan *plan, FILE *out, AiqError *err);
/* Runs fn(arg) on a thread with a stack deep enough for any query the
 * binder accepts (see AIQ_MAX_PLAN_DEPTH), and waits for it; on the
 * calling thread when no thread can be made. */
void aiq_run_deep(void (*fn)(void *), void *arg);
/* Frees the tables cached in the catalog. */
void aiq_run_release_catalog(AiqCatalog *c);

#endif
