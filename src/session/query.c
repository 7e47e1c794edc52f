/*
 * query.c -- a query from text to result through the stages (see
 * include/aiq/aiq.h): parse, check its --params, bind against the
 * session's tables (an undeclared table's types are inferred from its data
 * when the query names it), plan physically, run, render. The result is
 * rendered whole before it is written, so an error mid-query never leaves
 * half a table on the output.
 */
#include "session/session_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bind/binder.h"
#include "exec/run.h"
#include "out/output.h"
#include "parse/parser.h"
#include "plan/explain.h"
#include "plan/physical.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/suggest.h"

struct AiqQuery {
    AiqSession *s;
    AiqArena arena;  /* the query's: tokens, AST, plan (STYLE.md, lifetime 1) */
    const AiqNode *ast;
    AiqPlan *plan;   /* NULL when only parsed */
};

/* ---- preparing ------------------------------------------------------------------ */

/* The binder's view of a table: its declared schema, else the one inferred
 * from every row of its data. */
static bool lookup_table(void *ud, const char *name, AiqSchema *out, AiqError *err)
{
    AiqSession *s = ud;
    AiqCatalogTable *t = aiq_catalog_lookup(&s->catalog, name, err);
    if (!t || !aiq_session_table_schema(s, t, err))
        return false;
    *out = t->schema;
    return true;
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
static bool check_params_declared(const AiqNode *ast, const AiqOptions *o, AiqArena *arena, AiqError *err)
{
    int ndeclared;
    const char **declared = declared_params(ast, arena, &ndeclared);
    for (int i = 0; i < o->nparams; i++) {
        const char *name = o->param_names[i];
        bool found = false;
        for (int k = 0; k < ndeclared && !found; k++)
            found = strcmp(declared[k], name) == 0;
        if (found)
            continue;
        aiq_error_set(err, AIQ_ERR_USAGE, -1, 1, "--param %s=%s: the query declares no parameter '%s'", name,
                      o->param_values[i], name);
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

AiqQuery *aiq_session_prepare(AiqSession *s, const char *text, size_t len, bool syntax_only, AiqError *err)
{
    AiqQuery *q = aiq_xcalloc(1, sizeof *q);
    q->s = s;
    aiq_arena_init(&q->arena, 0);
    const AiqOptions *o = &s->opts;
    q->ast = aiq_parse_query(text, len, &q->arena, err);
    if (q->ast && o->params_declared && !check_params_declared(q->ast, o, &q->arena, err))
        q->ast = NULL;
    if (q->ast && !syntax_only) {
        aiq_catalog_names(&s->catalog);
        AiqBindOptions bo = {.now = o->now, .lookup = lookup_table, .lookup_ud = s,
                             .table_names = s->catalog.names, .ntable_names = s->catalog.ntables,
                             .param_names = o->param_names, .param_values = o->param_values, .nparams = o->nparams};
        q->plan = aiq_bind_query(q->ast, &bo, &q->arena, err);
        if (!q->plan)
            q->ast = NULL;
    }
    if (!q->ast) {
        aiq_query_free(q);
        return NULL;
    }
    return q;
}

void aiq_query_free(AiqQuery *q)
{
    if (!q)
        return;
    aiq_plan_release(q->plan);
    aiq_arena_free(&q->arena);
    aiq_xfree(q);
}

const char *aiq_query_render(const AiqQuery *q) { return q->plan ? q->plan->render : NULL; }
int aiq_query_ncols(const AiqQuery *q) { return q->plan ? q->plan->schema.ncols : 0; }
const char *aiq_query_col_name(const AiqQuery *q, int i) { return q->plan->schema.cols[i].name; }
AiqType aiq_query_col_type(const AiqQuery *q, int i) { return q->plan->schema.cols[i].type; }

/* ---- running ------------------------------------------------------------------ */

/* --timing's line, for a query that failed too (how close it came to the
 * memory limit is what one wants to know then): the allocator's peak
 * count and, where the limit is on resident memory, the kernel's
 * high-water mark of it (mapped input files included, as time(1) has it). */
static void print_timing(FILE *diag, double load, double run, double output, int64_t scanned, int64_t out_rows)
{
    if (!diag)
        return;
    struct rusage ru;
    char resident[64] = "", limit[96];
    if (AIQ_MEM_RESIDENT_MEASURED && getrusage(RUSAGE_SELF, &ru) == 0)
        snprintf(resident, sizeof resident, ", peak resident %.1f MiB", (double)ru.ru_maxrss / 1024); /* (KiB on Linux) */
    fprintf(diag, "aiq: timing: load+plan %.3f s, run %.3f s, output %.3f s; %lld rows scanned, %lld rows out, "
                  "peak memory %.1f MiB%s, memory limit: %s\n",
            load, run, output, (long long)scanned, (long long)out_rows, (double)aiq_mem_peak() / (1 << 20), resident,
            aiq_mem_limit_text(limit, sizeof limit));
}

/* Colour: when asked (--color=always), else on a terminal without NO_COLOR. */
static bool use_color(const AiqOptions *o, FILE *out)
{
    bool tty = isatty(fileno(out));
    return o->color ? strcmp(o->color, "always") == 0 || (strcmp(o->color, "auto") == 0 && tty && !getenv("NO_COLOR"))
                    : tty && !getenv("NO_COLOR");
}

/* How the result is rendered: the session's format; colour only for a
 * table on a terminal (or when asked), never with NO_COLOR set. */
static AiqOutputOptions output_options(const AiqOptions *o, FILE *out)
{
    AiqOutputOptions oo = {.format = AIQ_FMT_TABLE, .header = !o->no_header, .crlf = o->crlf};
    if (o->format)
        aiq_format_from_name(o->format, &oo.format);
    oo.color = use_color(o, out) && oo.format == AIQ_FMT_TABLE;
    return oo;
}

/* The result as out shows it, into sb: a trailing render's chart on a
 * terminal in the table format (the table, with a note, when it cannot be
 * drawn), else the rows in the session's format, with one note on diag
 * that render was not drawn there. With --chart the chart went to its
 * file, and out gets the rows, terminal or not. */
static void show_result(const AiqPlan *plan, const AiqTable *result, const AiqOptions *o, FILE *out, AiqStrBuf *sb)
{
    AiqOutputOptions oo = output_options(o, out);
    bool chart = plan->render && strcmp(plan->render, "table") != 0;
    if (chart && !o->chart_file && isatty(fileno(out)) && oo.format == AIQ_FMT_TABLE) {
        AiqError why = {0};
        if (aiq_session_render_term(plan, result, out, use_color(o, out), sb, &why))
            return;
        if (o->diag)
            fprintf(o->diag, "aiq: render %s: %s; the table follows\n", plan->render, why.msg);
    } else if (chart && o->diag && !o->chart_file) {
        fprintf(o->diag, "aiq: render %s not drawn: %s; the rows follow unchanged (--chart FILE.svg draws it to a file)\n",
                plan->render, isatty(fileno(out)) ? "the output format is not the table view" : "the output is not a terminal");
    }
    aiq_output_table(sb, result, &oo);
}

int aiq_query_run(AiqQuery *q, FILE *out, AiqError *err)
{
    AiqSession *s = q->s;
    const AiqOptions *o = &s->opts;
    double t0 = aiq_exec_clock();
    const AiqPlan *plan = aiq_plan_physical(q->plan, &q->arena);
    AiqScanSource source = aiq_session_scan_source(s);
    AiqExecStats stats;
    AiqTable *result = aiq_exec_plan(plan, &source, o->now, err, &stats);
    if (!result) {
        if (o->timing)
            print_timing(o->diag, stats.built - t0, aiq_exec_clock() - stats.built, 0, stats.rows_scanned, 0);
        return aiq_error_exit_code(err->code);
    }
    double t2 = aiq_exec_clock();
    if (o->chart_file && !aiq_session_render_svg(plan, result, o->chart_file, err)) {
        aiq_table_free(result); /* the chart is the job: nothing goes out without it */
        return aiq_error_exit_code(err->code);
    }
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    show_result(plan, result, o, out, &sb);
    bool written = aiq_output_write(out, aiq_sb_str(&sb), sb.len, err);
    aiq_sb_free(&sb);
    int64_t nrows = result->nrows;
    aiq_table_free(result);
    if (!written)
        return aiq_error_exit_code(err->code);
    if (o->timing)
        print_timing(o->diag, stats.built - t0, t2 - stats.built, aiq_exec_clock() - t2, stats.rows_scanned, nrows);
    return o->fail_on_rows && nrows > 0 ? 3 : 0;
}

bool aiq_query_explain(AiqQuery *q, FILE *out, AiqError *err)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_explain_plan(&sb, aiq_plan_physical(q->plan, &q->arena));
    bool ok = aiq_output_write(out, aiq_sb_str(&sb), sb.len, err);
    aiq_sb_free(&sb);
    return ok;
}

int aiq_session_query(AiqSession *s, const char *text, size_t len, FILE *out, AiqError *err)
{
    AiqQuery *q = aiq_session_prepare(s, text, len, false, err);
    if (!q)
        return aiq_error_exit_code(err->code);
    int rc = aiq_query_run(q, out, err);
    aiq_query_free(q);
    return rc;
}

bool aiq_query_complete(const char *text, size_t len)
{
    size_t n = len;
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\n' || text[n - 1] == '\t'))
        n--;
    if (!n || text[n - 1] != ';')
        return false;
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    bool ok = aiq_parse_query(text, n, &a, &err) != NULL;
    aiq_arena_free(&a);
    if (ok)
        return true;
    bool only_lets = strstr(err.msg, "only 'let' statements") != NULL;
    return !only_lets && err.offset >= 0 && (size_t)err.offset + 1 < n;
}
