/*
 * query.c -- parse, bind, explain or run one query text (see query.h).
 */
#include "repl/query.h"

#include <stdio.h>
#include <string.h>

#include "out/output.h"
#include "lex/lexer.h"
#include "parse/parser.h"
#include "plan/explain.h"
#include "plan/physical.h"
#include "util/strbuf.h"
#include "util/suggest.h"

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

/* The names of the query's `declare query_parameters(...)` statements. */
static const char **declared_params(const AiqNode *ast, AiqArena *arena, int *n)
{
    int cap = 0;
    for (int i = 0; i < ast->nitems; i++)
        if (ast->items[i]->kind == AIQ_N_DECLARE)
            cap += ast->items[i]->nitems;
    const char **names = aiq_arena_alloc(arena, sizeof *names * (size_t)(cap + 1));
    *n = 0;
    for (int i = 0; i < ast->nitems; i++)
        if (ast->items[i]->kind == AIQ_N_DECLARE)
            for (int k = 0; k < ast->items[i]->nitems; k++)
                names[(*n)++] = ast->items[i]->items[k]->str;
    return names;
}

/* A --param the query does not declare would be ignored without a word, and
 * a typo in a cron job's parameter is a silent wrong answer: a usage error,
 * with the declared name it most likely meant. */
static bool check_params_declared(const AiqNode *ast, const AiqQueryParams *params, AiqArena *arena,
                                  AiqError *err)
{
    int ndeclared;
    const char **declared = declared_params(ast, arena, &ndeclared);
    for (int i = 0; i < params->n; i++) {
        const char *name = params->names[i];
        bool found = false;
        for (int k = 0; k < ndeclared && !found; k++)
            found = strcmp(declared[k], name) == 0;
        if (found)
            continue;
        aiq_error_set(err, AIQ_ERR_USAGE, -1, 1, "--param %s=%s: the query declares no parameter '%s'",
                      name, params->values[i], name);
        const char *near = aiq_suggest(name, strlen(name), declared, (size_t)ndeclared);
        if (near) {
            aiq_error_append(err, "; did you mean '%s'?", near);
        } else if (ndeclared == 0) {
            aiq_error_append(err, "; declare it with 'declare query_parameters(%s:string);'", name);
        } else {
            aiq_error_append(err, "; it declares ");
            for (int k = 0; k < ndeclared; k++)
                aiq_error_append(err, "%s%s", k ? ", " : "", declared[k]);
        }
        return false;
    }
    return true;
}

void *aiq_query_compile(const char *name, const char *text, size_t len, AiqArena *arena,
                        AiqBindOptions *bo, const AiqQueryParams *params, bool syntax_only,
                        int *code)
{
    AiqError err = {0};
    AiqNode *ast = aiq_parse_query(text, len, arena, &err);
    AiqPlan *plan = NULL;
    if (ast && params && params->only_declared && !check_params_declared(ast, params, arena, &err))
        ast = NULL;
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

void aiq_query_format_create_table(AiqStrBuf *sb, const char *name, const AiqSchema *schema)
{
    aiq_sb_puts(sb, ".create table ");
    aiq_lex_quote_name(sb, name);
    aiq_sb_puts(sb, " (");
    for (int c = 0; c < schema->ncols; c++) {
        if (c)
            aiq_sb_puts(sb, ", ");
        aiq_lex_quote_name(sb, schema->cols[c].name);
        aiq_sb_printf(sb, ":%s", aiq_type_name(schema->cols[c].type));
    }
    aiq_sb_puts(sb, ")\n");
}

int aiq_query_run(AiqRunOptions *ro, const AiqQueryParams *params, const char *name,
                  const char *text, size_t len, bool explain, FILE *out)
{
    AiqBindOptions bo;
    aiq_query_bind_options(ro, params, &bo);
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    int rc;
    AiqPlan *plan = aiq_query_compile(name, text, len, &arena, &bo, params, false, &rc);
    AiqError err = {0};
    AiqError unbound = {0};
    if (plan && !aiq_catalog_check(ro->catalog, &unbound)) { /* a bad file the query does not name */
        fprintf(stderr, "aiq: %s\n", unbound.msg);
        rc = aiq_error_exit_code(unbound.code);
    } else if (plan && explain) {
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_explain_plan(&sb, aiq_plan_physical(plan, &arena));
        if (!aiq_output_write(out, aiq_sb_str(&sb), sb.len, &err))
            rc = aiq_error_exit_code(err.code);
        aiq_sb_free(&sb);
    } else if (plan) {
        rc = aiq_run_plan(ro, plan, out, &err);
    }
    if (err.code != AIQ_OK) {
        aiq_error_locate(&err, text, len);
        aiq_error_print(stderr, &err, name, text, len);
    }
    aiq_plan_release(plan);
    aiq_arena_free(&arena);
    return rc;
}
