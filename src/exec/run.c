/*
 * run.c -- entry points of the executor (see run.h).
 *
 * The vectorised executor is the subject of the executor issue and is not
 * in this build yet: these functions report that plainly instead of
 * pretending. The front end (parse, bind, check, explain) is complete.
 */
#include "run.h"

bool aiq_run_load_table(AiqRunOptions *ro, AiqCatalogTable *t, AiqError *err)
{
    (void)ro;
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                         "table '%s' has no declared schema and reading data is not implemented "
                         "yet; declare it with --schema FILE (.create table %s (...))",
                         t->name, t->name);
}

int aiq_run_plan(AiqRunOptions *ro, const AiqPlan *plan, FILE *out, AiqError *err)
{
    (void)ro;
    (void)plan;
    (void)out;
    aiq_error_set(err, AIQ_ERR_USAGE, -1, 1,
                  "running queries is not implemented yet in this build; "
                  "use 'aiq check' or --explain to validate a query");
    return 2;
}

void aiq_run_release_catalog(AiqCatalog *c) { (void)c; }
