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
#include <unistd.h>

#include "bind/binder.h"
#include "exec/run.h"
#include "out/output.h"
#include "parse/parser.h"
#include "plan/explain.h"
#include "plan/physical.h"
#include "util/atomic_file.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/suggest.h"

struct AiqQuery {
    AiqSession *s;
    AiqArena arena;  /* the query's: tokens, AST, plan (STYLE.md, lifetime 1) */
    const char *text; /* (a copy, in the arena: bound again when a guessed schema fails, guess.c) */
    size_t len;
    const AiqNode *ast;
    AiqPlan *plan;   /* NULL when only parsed */
    AiqTiming timing; /* --timing: the stages so far */
    int64_t result_rows; /* of the last run that wrote its result; -1: none */
};

/* ---- preparing ------------------------------------------------------------------ */

/* The binder's view of a table: its declared schema, else the one inferred
 * from every row of its data; for a completion, what is known without
 * reading it. */
static bool lookup_table(void *ud, const char *name, AiqSchema *out, AiqError *err)
{
    AiqSession *s = ud;
    AiqCatalogTable *t = aiq_catalog_lookup(&s->catalog, name, err);
    if (t && s->completing) {
        if (aiq_session_guess_schema(s, t, out))
            return true;
        return aiq_error_set(err, AIQ_ERR_BIND, -1, 1, "no columns known yet for '%s'", name);
    }
    if (t && s->opts.progress)
        aiq_progress_expect_table(s, t, aiq_session_passes(s, t));
    if (!t || !aiq_session_table_schema(s, t, err))
        return false;
    *out = t->schema;
    return true;
}

/* The binder's way to run part of a query (bind/plugins.c: a plugin whose
 * columns come from the data): plans it in the query's arena, where the
 * plan lives, and runs it over the session's tables. */
static AiqTable *run_for_binder(void *ud, const AiqPlan *plan, int nshared, int nslots, AiqError *err)
{
    AiqQuery *q = ud;
    AiqPlan *root = aiq_arena_alloc(&q->arena, sizeof *root);
    *root = *plan;
    root->nshared = nshared;
    root->nslots = nslots;
    const AiqPlan *phys = aiq_plan_physical(root, &q->arena);
    AiqScanSource source = aiq_session_scan_source(q->s);
    AiqExecStats stats = {0}; /* (no --timing for what the binder runs) */
    return aiq_exec_plan(phys, &source, q->s->opts.now, err, &stats);
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

/* Binds the parsed query into q->plan's place: the plan, or NULL with err. */
static AiqPlan *bind_query(AiqQuery *q, AiqError *err)
{
    AiqSession *s = q->s;
    const AiqOptions *o = &s->opts;
    aiq_catalog_names(&s->catalog);
    AiqBindOptions bo = {.now = o->now, .lookup = lookup_table, .lookup_ud = s,
                         .table_names = s->catalog.names, .ntable_names = s->catalog.ntables,
                         .param_names = o->param_names, .param_values = o->param_values, .nparams = o->nparams,
                         .params_stand_in = o->params_optional,
                         .run = o->bind_only ? NULL : run_for_binder, .run_ud = q};
    return aiq_session_bind(s, q->ast, q->text, q->len, &bo, &q->arena, err);
}

/* After a run (answered: it gave a result), or before an explain: settles
 * the schemas still guessed. 1: a guess was wrong and the query is bound
 * again with the types of every row (err cleared; plan it and run it
 * again); 0: nothing changed (err untouched); -1: that failed (err set). */
static int rebind_after_guess(AiqQuery *q, bool answered, AiqError *err)
{
    if (!aiq_session_has_guesses(q->s))
        return 0;
    AiqError e = {0};
    bool again = aiq_session_settle_guesses(q->s, answered, &e);
    if (e.code != AIQ_OK) {
        *err = e;
        return -1;
    }
    if (!again)
        return 0;
    memset(err, 0, sizeof *err);
    AiqPlan *plan = bind_query(q, err);
    if (!plan)
        return -1;
    aiq_plan_release(q->plan);
    q->plan = plan;
    return 1;
}

AiqQuery *aiq_session_prepare(AiqSession *s, const char *text, size_t len, bool syntax_only, AiqError *err)
{
    AiqQuery *q = aiq_xcalloc(1, sizeof *q);
    q->result_rows = -1;
    q->s = s;
    aiq_arena_init(&q->arena, 0);
    const AiqOptions *o = &s->opts;
    aiq_session_inputs_clear(s);
    aiq_progress_query_start(s);
    s->queries++; /* (the column cache's clock) */
    aiq_mem_recheck(); /* (a query that reached the limit before does not fail this one) */
    s->cache_off = false;
    aiq_session_catch_up(s); /* (lines appended to cached files since the last query) */
    /* (binding reads an undeclared table's files once for its types: that may take a while) */
    AiqProgressLine *line = aiq_progress_line_start(s, "first pass, for types");
    double t0 = aiq_exec_clock();
    q->ast = aiq_parse_query(text, len, &q->arena, err);
    double t1 = aiq_exec_clock();
    q->timing.parse = t1 - t0;
    if (q->ast && o->params_declared && !check_params_declared(q->ast, o, &q->arena, err))
        q->ast = NULL;
    q->text = aiq_arena_strndup(&q->arena, text, len);
    q->len = len;
    if (q->ast && !syntax_only) {
        /* a query that will run may read an undeclared table once, with
         * types guessed from its first rows (guess.c) */
        s->may_guess = !o->bind_only;
        q->plan = bind_query(q, err);
        /* (a part the binder ran may have found the guess wrong) */
        if (!q->plan)
            rebind_after_guess(q, false, err); /* (sets q->plan when bound again) */
        s->may_guess = false;
        if (!q->plan)
            q->ast = NULL;
        q->timing.bind = aiq_exec_clock() - t1;
        q->timing.first_pass = s->first_pass;
    }
    aiq_progress_line_stop(line);
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
int64_t aiq_query_result_rows(const AiqQuery *q) { return q->result_rows; }
int aiq_query_ncols(const AiqQuery *q) { return q->plan ? q->plan->schema.ncols : 0; }
const char *aiq_query_col_name(const AiqQuery *q, int i) { return q->plan->schema.cols[i].name; }
AiqType aiq_query_col_type(const AiqQuery *q, int i) { return q->plan->schema.cols[i].type; }

/* ---- running ------------------------------------------------------------------ */

/* Whether out is (or, term_cols set, stands for) a terminal; NULL: a file. */
static bool shown_on_terminal(const AiqOptions *o, FILE *out)
{
    return out && (o->term_cols > 0 || isatty(fileno(out)));
}

/* Colour: when asked (--color=always), else on a terminal without NO_COLOR;
 * out NULL (a file): only when asked. */
static bool use_color(const AiqOptions *o, FILE *out)
{
    bool tty = shown_on_terminal(o, out);
    return o->color ? strcmp(o->color, "always") == 0 || (strcmp(o->color, "auto") == 0 && tty && !getenv("NO_COLOR"))
                    : tty && !getenv("NO_COLOR");
}

/* How the result is rendered: the session's format; colour only for a
 * table on a terminal (or when asked), never with NO_COLOR set. out is
 * NULL for a file. */
static AiqOutputOptions output_options(const AiqOptions *o, FILE *out)
{
    AiqOutputOptions oo = {.format = AIQ_FMT_TABLE, .header = !o->no_header, .crlf = o->crlf,
                           .threads = aiq_options_threads(o)};
    if (o->format)
        aiq_format_from_name(o->format, &oo.format);
    oo.color = use_color(o, out) && oo.format == AIQ_FMT_TABLE;
    oo.width = out ? o->term_cols : 0;
    return oo;
}

/* A query of only lets checks but has no result: running it is an error
 * at its end, where the query expression is missing. */
static bool has_result(const AiqQuery *q, AiqError *err)
{
    if (q->plan->lets_only_end <= 0)
        return true;
    aiq_error_set(err, AIQ_ERR_BIND, q->plan->lets_only_end, 1,
                  "the query has only 'let' statements; it needs a final query expression such as a table name");
    return false;
}

bool aiq_query_lets_only(const AiqQuery *q)
{
    if (q->plan)
        return q->plan->lets_only_end > 0;
    const AiqNode *last = q->ast->items[q->ast->nitems - 1]; /* syntax only */
    return last->kind == AIQ_N_LET || last->kind == AIQ_N_DECLARE;
}

/* Hands a rendered result (or plan) to where the options send it: the
 * output file, replaced atomically, else the stream. false with err. */
static bool deliver(const AiqOptions *o, FILE *out, const char *text, size_t len, AiqError *err)
{
    if (o->output_file)
        return aiq_atomic_write(o->output_file, text, len, err);
    return aiq_output_write(out, text, len, err);
}

/* Whether an empty result is left unprinted: under --fail-on-rows, on the
 * stream, in the formats whose empty rendering is a header alone (json
 * keeps its [], a document a reader can parse; a file always gets the
 * whole rendering, since programs read it). */
static bool empty_unprinted(const AiqOptions *o, const AiqOutputOptions *oo, int64_t nrows)
{
    return nrows == 0 && o->fail_on_rows && !o->output_file &&
           (oo->format == AIQ_FMT_TABLE || oo->format == AIQ_FMT_CSV || oo->format == AIQ_FMT_TSV ||
            oo->format == AIQ_FMT_MARKDOWN);
}

/* The result as out shows it, into sb: a trailing render's chart on a
 * terminal in the table format (the table, with a note, when it cannot be
 * drawn), else the rows in the session's format, with one note on diag
 * that render was not drawn there. With --chart the chart went to its
 * file, and out gets the rows, terminal or not. out is NULL for a file
 * (--output). */
static void show_result(const AiqPlan *plan, const AiqTable *result, const AiqOptions *o, FILE *out, AiqStrBuf *sb)
{
    AiqOutputOptions oo = output_options(o, out);
    bool chart = plan->render && strcmp(plan->render, "table") != 0;
    bool tty = shown_on_terminal(o, out);
    if (chart && !o->chart_file && tty && oo.format == AIQ_FMT_TABLE) {
        AiqError why = {0};
        if (aiq_session_render_term(plan, result, out, o->term_cols, o->term_rows, use_color(o, out), sb, &why))
            return;
        if (o->diag)
            fprintf(o->diag, "aiq: render %s: %s; the table follows\n", plan->render, why.msg);
    } else if (chart && o->diag && !o->chart_file) {
        fprintf(o->diag, "aiq: render %s not drawn: %s; the rows follow unchanged (--chart FILE.svg draws it to a file)\n",
                plan->render, tty ? "the output format is not the table view" : "the output is not a terminal");
    }
    aiq_output_table(sb, result, &oo);
}

/* Renders the result and hands it over (deliver). false with err. */
static bool write_result(const AiqOptions *o, FILE *out, const AiqPlan *plan, const AiqTable *result, AiqError *err)
{
    AiqOutputOptions oo = output_options(o, o->output_file ? NULL : out);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    if (!empty_unprinted(o, &oo, result->nrows))
        show_result(plan, result, o, o->output_file ? NULL : out, &sb);
    bool written = deliver(o, out, aiq_sb_str(&sb), sb.len, err);
    aiq_sb_free(&sb);
    return written;
}

int aiq_query_run(AiqQuery *q, FILE *out, AiqError *err)
{
    if (!has_result(q, err))
        return aiq_error_exit_code(err->code);
    AiqSession *s = q->s;
    const AiqOptions *o = &s->opts;
    AiqTiming *tm = &q->timing;
    double t0 = aiq_exec_clock();
    const AiqPlan *plan = aiq_plan_physical(q->plan, &q->arena);
    double t1 = aiq_exec_clock();
    tm->plan = t1 - t0;
    AiqScanSource source = aiq_session_scan_source(s);
    AiqExecStats stats = {.timing = o->timing, .threads = aiq_options_threads(o)};
    /* a file rotated or truncated in place while the query read it (cron
     * at midnight) is read again, once, rather than failing the run */
    uint64_t *stamps = aiq_session_stamps(s);
    AiqProgressLine *line = aiq_progress_line_start(s, NULL);
    AiqTable *result = aiq_exec_plan(plan, &source, o->now, err, &stats);
    if (!result && aiq_session_retry_read(s, stamps, err))
        result = aiq_exec_plan(plan, &source, o->now, err, &stats);
    /* the REPL's cache gives way to a query that needs the memory */
    if (!result && aiq_session_shed_cache(s, err))
        result = aiq_exec_plan(plan, &source, o->now, err, &stats);
    /* types guessed from the first rows that the rows did not bear out
     * (or that a query reading only some rows left unproven): the types
     * of every row, and the query again with them when they differ */
    int rebound = rebind_after_guess(q, result != NULL, err);
    if (rebound) {
        aiq_table_free(result);
        result = NULL;
        aiq_xfree(stats.ops);
        stats = (AiqExecStats){.timing = o->timing};
    }
    if (rebound > 0) {
        plan = aiq_plan_physical(q->plan, &q->arena);
        result = aiq_exec_plan(plan, &source, o->now, err, &stats);
    }
    aiq_progress_line_stop(line); /* (gone before the result or the error shows) */
    aiq_xfree(stamps);
    double t2 = aiq_exec_clock();
    tm->run = t2 - t1;
    int64_t nrows = result ? result->nrows : 0;
    /* the chart is the job with --chart: nothing goes out without it */
    bool charted = result && (!o->chart_file || aiq_session_render_svg(plan, result, o->chart_file, err));
    bool written = charted && write_result(o, out, plan, result, err);
    aiq_table_free(result);
    tm->output = aiq_exec_clock() - t2;
    tm->output_done = written;
    q->result_rows = written ? nrows : -1;
    if (o->timing) /* (for a query that failed too: how far it got, how close to the memory limit) */
        aiq_session_print_timing(s, tm, plan, &stats);
    aiq_xfree(stats.ops);
    if (!written)
        return aiq_error_exit_code(err->code);
    return o->fail_on_rows && nrows > 0 ? 3 : 0;
}

bool aiq_query_explain(AiqQuery *q, FILE *out, AiqError *err)
{
    if (!has_result(q, err) || rebind_after_guess(q, false, err) < 0)
        return false;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_explain_plan(&sb, aiq_plan_physical(q->plan, &q->arena));
    bool ok = deliver(&q->s->opts, out, aiq_sb_str(&sb), sb.len, err);
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
    const AiqNode *ast = aiq_parse_query(text, n, &a, &err);
    /* lets so far: the query expression is still to come */
    bool only_lets = ast && (ast->items[ast->nitems - 1]->kind == AIQ_N_LET ||
                             ast->items[ast->nitems - 1]->kind == AIQ_N_DECLARE);
    aiq_arena_free(&a);
    if (ast)
        return !only_lets;
    return err.offset >= 0 && (size_t)err.offset + 1 < n;
}
