/*
 * query.c -- parse, bind, explain or run one query text (see query.h).
 */
#include "query.h"

#include <stdio.h>

#include "parse/parser.h"
#include "plan/explain.h"
#include "util/strbuf.h"

static bool lookup_table(void *ud, const char *name, AiqSchema *out, AiqError *err)
{
    AiqRunOptions *ro = ud;
    AiqCatalogTable *t = aiq_catalog_lookup(ro->catalog, name, err);
    if (!t)
        return false;
    /* no declaration: the schema is inferred from every row of the data */
    if (!aiq_run_schema(ro, t, err))
        return false;
    *out = t->schema;
    return true;
}

void aiq_query_bind_options(AiqRunOptions *ro, const AiqQueryParams *params, AiqBindOptions *bo)
{
    aiq_catalog_names(ro->catalog);
    *bo = (AiqBindOptions){.now = ro->now, .lookup = lookup_table, .lookup_ud = ro,
                           .table_names = ro->catalog->names, .ntable_names = ro->catalog->ntables,
                           .param_names = params ? params->names : NULL,
                           .param_values = params ? params->values : NULL,
                           .nparams = params ? params->n : 0};
}

void *aiq_query_compile(const char *name, const char *text, size_t len, AiqArena *arena,
                        AiqBindOptions *bo, bool syntax_only, int *code)
{
    AiqError err = {0};
    AiqNode *ast = aiq_parse_query(text, len, arena, &err);
    AiqPlan *plan = NULL;
    if (ast && !syntax_only)
        plan = aiq_bind_query(ast, bo, arena, &err);
    if (err.code != AIQ_OK) {
        aiq_error_locate(&err, text, len);
        aiq_error_print(stderr, &err, name, text, len);
        *code = aiq_error_exit_code(err.code);
        return NULL;
    }
    *code = 0;
    return plan ? (void *)plan : (void *)ast;
}

int aiq_query_run(AiqRunOptions *ro, const AiqQueryParams *params, const char *name,
                  const char *text, size_t len, bool explain, FILE *out)
{
    AiqBindOptions bo;
    aiq_query_bind_options(ro, params, &bo);
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    int rc;
    AiqPlan *plan = aiq_query_compile(name, text, len, &arena, &bo, false, &rc);
    AiqError unbound = {0};
    if (plan && !aiq_catalog_check(ro->catalog, &unbound)) { /* a bad file the query does not name */
        fprintf(stderr, "aiq: %s\n", unbound.msg);
        rc = aiq_error_exit_code(unbound.code);
    } else if (plan && explain) {
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_explain_plan(&sb, plan);
        fputs(aiq_sb_str(&sb), out);
        aiq_sb_free(&sb);
    } else if (plan) {
        AiqError err = {0};
        rc = aiq_run_plan(ro, plan, out, &err);
        if (err.code != AIQ_OK) {
            aiq_error_locate(&err, text, len);
            aiq_error_print(stderr, &err, name, text, len);
        }
    }
    aiq_plan_release(plan);
    aiq_arena_free(&arena);
    return rc;
}
