/*
 * binder.h -- AST -> typed plan. Resolves tables, columns, lets, user
 * functions and query parameters; types every expression; chooses
 * aggregate vs scalar context; names result columns exactly as Kusto does.
 * Semantic errors carry the span of the offending text.
 */
#ifndef AIQ_BIND_BINDER_H
#define AIQ_BIND_BINDER_H

#include "aiq/aiq.h"
#include "parse/ast.h"
#include "plan/plan.h"
#include "util/arena.h"

/* Supplies the schema of a catalog table. Returns false when the table is
 * unknown (without setting err) or on a read error (with err set). */
typedef bool (*AiqTableLookup)(void *ud, const char *name, AiqSchema *out, AiqError *err);

typedef struct AiqBindOptions {
    int64_t now;                     /* now() in ticks, fixed for the whole query */
    AiqTableLookup lookup;
    void *lookup_ud;
    const char *const *table_names;  /* known tables, for "did you mean" */
    int ntable_names;
    const char *const *param_names;  /* --param NAME=VALUE pairs */
    const char *const *param_values;
    int nparams;
    bool params_stand_in;            /* aiq check: a parameter without value or default is
                                        typed, not required (a stand-in value of its type) */
    /* Runs plan (not yet physically planned; nshared and nslots as the root
     * would have them) and returns its result, the caller's to free, or NULL
     * with err: for plugins whose columns depend on the data. NULL (aiq
     * check): nothing runs at bind time. */
    struct AiqTable *(*run)(void *ud, const AiqPlan *plan, int nshared, int nslots, AiqError *err);
    void *run_ud;
} AiqBindOptions;

/* Binds a parsed query. Returns the root plan (its schema is the result's)
 * or NULL with err set. The plan lives in arena; dynamic constants are
 * jansson references released by aiq_plan_release(). */
AiqPlan *aiq_bind_query(const AiqNode *query, const AiqBindOptions *opts, AiqArena *arena,
                        AiqError *err);

/* Drops the jansson references held by constants of a bound plan. */
void aiq_plan_release(AiqPlan *plan);

#endif
