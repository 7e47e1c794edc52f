/*
 * repl.c -- the interactive session (see repl.h).
 */
#include "repl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "exec/vector.h"
#include "func/registry.h"
#include "parse/parser.h"
#include "util/interrupt.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

static AiqRunOptions *session;
static volatile sig_atomic_t running;

static void on_sigint(int sig)
{
    (void)sig;
    if (running) {
        aiq_interrupt_request(); /* the query stops at its next chunk */
        return;
    }
    /* at the prompt: drop the line being typed, as a shell does */
    rl_crlf();
    rl_on_new_line();
    rl_replace_line("", 0);
    rl_redisplay();
}

/* ---- completion ------------------------------------------------------------ */

static const char **cands;
static size_t ncands, capcands;

static void add_cand(const char *s)
{
    if (ncands == capcands) {
        capcands = capcands ? capcands * 2 : 256;
        cands = aiq_xrealloc(cands, sizeof *cands * capcands);
    }
    cands[ncands++] = s;
}

static char *generator(const char *text, int state)
{
    static size_t idx, len;
    if (!state) {
        idx = 0;
        len = strlen(text);
    }
    while (idx < ncands) {
        const char *c = cands[idx++];
        if (strncmp(c, text, len) == 0) {
            char *r = malloc(strlen(c) + 1); /* readline frees with free() */
            if (r)
                strcpy(r, c);
            return r;
        }
    }
    return NULL;
}

/* Candidates in context: operators right after '|', else tables, columns,
 * functions and keywords. */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    ncands = 0;
    int k = start - 1;
    while (k >= 0 && (rl_line_buffer[k] == ' ' || rl_line_buffer[k] == '\t'))
        k--;
    bool after_pipe = k >= 0 && rl_line_buffer[k] == '|';
    if (after_pipe) {
        for (int i = 0; aiq_parse_operator_names[i]; i++)
            add_cand(aiq_parse_operator_names[i]);
    } else {
        AiqCatalog *c = session->catalog;
        for (int i = 0; i < c->ntables; i++)
            add_cand(c->tables[i].name);
        for (int i = 0; i < c->ntables; i++)
            for (int j = 0; j < c->tables[i].schema.ncols; j++)
                add_cand(c->tables[i].schema.cols[j].name);
        size_t nf;
        const char *const *names = aiq_func_names(&nf);
        for (size_t i = 0; i < nf; i++)
            add_cand(names[i]);
        static const char *const kw[] = {"by", "on", "kind", "with", "asc", "desc", "and", "or", "between",
                                         "has", "contains", "startswith", "in", "let", "true", "false", NULL};
        for (int i = 0; kw[i]; i++)
            add_cand(kw[i]);
    }
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, generator);
}

/* ---- dot-commands ------------------------------------------------------------- */

static void print_schema(AiqCatalogTable *t)
{
    AiqError err = {0};
    if (!t->declared && t->npaths && !aiq_run_load_table(session, t, NULL, &err)) {
        fprintf(stderr, "aiq: %s\n", err.msg);
        return;
    }
    printf(".create table %s (", t->name);
    for (int c = 0; c < t->schema.ncols; c++)
        printf("%s%s:%s", c ? ", " : "", t->schema.cols[c].name, aiq_type_name(t->schema.cols[c].type));
    printf(")\n");
}

static char *history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    if (state && *state) {
        char *dir = aiq_xmalloc(strlen(state) + 8);
        mkdir(state, 0700); /* XDG_STATE_HOME itself may not exist yet */
        sprintf(dir, "%s/aiq", state);
        mkdir(dir, 0700);
        char *p = aiq_xmalloc(strlen(dir) + 16);
        sprintf(p, "%s/history", dir);
        aiq_xfree(dir);
        return p;
    }
    const char *home = getenv("HOME");
    char *p = aiq_xmalloc((home ? strlen(home) : 1) + 20);
    sprintf(p, "%s/.aiq_history", home ? home : ".");
    return p;
}

static void run_text(const AiqQueryParams *params, const char *name, const char *text, size_t len)
{
    aiq_interrupt_clear();
    running = 1;
    aiq_query_run(session, params, name, text, len, false, stdout);
    running = 0;
    aiq_interrupt_clear();
    fflush(stdout);
}

static char *read_text_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        aiq_sb_append(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return sb.data ? sb.data : aiq_xstrndup("", 0);
}

/* Runs a dot-command; returns false for .quit. */
static bool dot_command(char *line, const AiqQueryParams *params, const AiqStrBuf *last)
{
    char *arg = line + strcspn(line, " \t");
    if (*arg)
        *arg++ = '\0';
    while (*arg == ' ' || *arg == '\t')
        arg++;
    char *end = arg + strlen(arg);
    while (end > arg && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    AiqCatalog *c = session->catalog;
    if (strcmp(line, ".quit") == 0 || strcmp(line, ".exit") == 0)
        return false;
    if (strcmp(line, ".help") == 0) {
        puts("Type a KQL query; it runs at an empty line or at a ';' that completes it.\n"
             ".tables              tables and their files\n"
             ".schema [TABLE]      column types, as .create table\n"
             ".load NAME=PATH      bind a table to a file, glob or directory\n"
             ".format FMT          table, csv, tsv, json, ndjson, markdown\n"
             ".timing on|off       time per query on stderr\n"
             ".now TIME            pin now() (ISO 8601), or .now to show it\n"
             ".run FILE.kql        run a saved query\n"
             ".save FILE.kql       save the last query\n"
             ".quit                leave (or Ctrl-D); Ctrl-C cancels a running query");
    } else if (strcmp(line, ".tables") == 0) {
        for (int i = 0; i < c->ntables; i++) {
            AiqCatalogTable *t = &c->tables[i];
            printf("%-20s %d file%s%s", t->name, t->npaths, t->npaths == 1 ? "" : "s",
                   t->data ? "" : "  (not loaded yet)");
            if (t->data)
                printf("  %lld rows", (long long)((AiqTable *)t->data)->nrows);
            printf("\n");
        }
    } else if (strcmp(line, ".schema") == 0) {
        for (int i = 0; i < c->ntables; i++)
            if (!*arg || strcmp(arg, c->tables[i].name) == 0)
                print_schema(&c->tables[i]);
        if (*arg && !aiq_catalog_find(c, arg))
            fprintf(stderr, "aiq: unknown table '%s'\n", arg);
    } else if (strcmp(line, ".load") == 0) {
        char *eq = strchr(arg, '=');
        AiqError err = {0};
        if (!eq || eq == arg) {
            fprintf(stderr, "usage: .load NAME=PATH\n");
        } else {
            *eq = '\0';
            AiqCatalogTable *old = aiq_catalog_find(c, arg);
            if (old && old->data) { /* a reload replaces the cached data */
                aiq_table_free(old->data);
                old->data = NULL;
                old->loaded = NULL;
                old->npaths = 0;
            }
            if (!aiq_catalog_add_path(c, arg, eq + 1, &err))
                fprintf(stderr, "aiq: %s\n", err.msg);
            aiq_catalog_names(c);
        }
    } else if (strcmp(line, ".format") == 0) {
        static const char *const fmts[] = {"table", "csv", "tsv", "json", "ndjson", "markdown", NULL};
        bool ok = false;
        for (int i = 0; fmts[i]; i++)
            if (strcmp(arg, fmts[i]) == 0) {
                session->format = fmts[i];
                ok = true;
            }
        if (!ok)
            fprintf(stderr, "usage: .format table|csv|tsv|json|ndjson|markdown\n");
    } else if (strcmp(line, ".timing") == 0) {
        if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
            session->timing = strcmp(arg, "on") == 0;
        else
            fprintf(stderr, "usage: .timing on|off\n");
    } else if (strcmp(line, ".now") == 0) {
        int64_t t;
        char buf[64];
        if (!*arg) {
            aiq_datetime_format(session->now, buf);
            printf("now() = %s\n", buf);
        } else if (aiq_datetime_parse(arg, strlen(arg), &t)) {
            session->now = t;
        } else {
            fprintf(stderr, "aiq: .now expects an ISO 8601 time such as 2026-11-21T12:00:00Z\n");
        }
    } else if (strcmp(line, ".run") == 0) {
        size_t len;
        char *text = *arg ? read_text_file(arg, &len) : NULL;
        if (!text)
            fprintf(stderr, "aiq: %s: %s\n", *arg ? arg : "(no file)", *arg ? strerror(errno) : "usage: .run FILE.kql");
        else
            run_text(params, arg, text, len);
        aiq_xfree(text);
    } else if (strcmp(line, ".save") == 0) {
        FILE *f = *arg ? fopen(arg, "w") : NULL;
        if (!f || !last->len) {
            fprintf(stderr, "aiq: %s\n", !last->len ? "no query to save yet" : *arg ? strerror(errno) : "usage: .save FILE.kql");
        } else {
            fputs(aiq_sb_str(last), f);
            fputc('\n', f);
        }
        if (f)
            fclose(f);
    } else {
        fprintf(stderr, "aiq: unknown command '%s'; .help lists them\n", line);
    }
    return true;
}

/* A query ends at a ';' that closes it: it parses, or its error lies before
 * the end (run it to show the error). A ';' after only let statements, or
 * with an error at the very end (an unfinished query), waits for more. */
static bool complete_with_semicolon(const AiqStrBuf *q)
{
    size_t n = q->len;
    while (n && (q->data[n - 1] == ' ' || q->data[n - 1] == '\n' || q->data[n - 1] == '\t'))
        n--;
    if (!n || q->data[n - 1] != ';')
        return false;
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    bool ok = aiq_parse_query(q->data, n, &a, &err) != NULL;
    aiq_arena_free(&a);
    if (ok)
        return true;
    bool only_lets = strstr(err.msg, "only 'let' statements") != NULL;
    return !only_lets && err.offset >= 0 && (size_t)err.offset + 1 < n;
}

int aiq_repl_run(AiqRunOptions *ro, const AiqQueryParams *params)
{
    session = ro;
    ro->keep_tables = true; /* parsed once, fast on the next query */
    if (!ro->format)
        ro->format = "table";
    char *hist = history_path();
    using_history();
    FILE *hf = fopen(hist, "a"); /* append_history needs the file to exist */
    if (hf)
        fclose(hf);
    read_history(hist);
    rl_attempted_completion_function = complete;
    rl_catch_signals = 0;
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    printf("aiq %s -- KQL over JSON-lines logs. .help for help, Ctrl-D to quit.\n", AIQ_VERSION);
    if (ro->catalog->sample)
        printf("No data given: this is the bundled sample data (%s). Open your logs with aiq FILE..., -t NAME=PATH or -d DIR.\n",
               ro->catalog->sample);
    printf("tables:");
    for (int i = 0; i < ro->catalog->ntables; i++)
        printf(" %s", ro->catalog->tables[i].name);
    printf("\n");
    AiqStrBuf query, last;
    aiq_sb_init(&query);
    aiq_sb_init(&last);
    for (;;) {
        char *line = readline(query.len ? "...> " : "aiq> ");
        if (!line) {
            printf("\n");
            break;
        }
        bool blank = strspn(line, " \t") == strlen(line);
        if (!query.len && line[0] == '.') {
            add_history(line);
            append_history(1, hist);
            bool go_on = dot_command(line, params, &last);
            free(line);
            if (!go_on)
                break;
            continue;
        }
        if (!blank) {
            if (query.len)
                aiq_sb_putc(&query, '\n');
            aiq_sb_puts(&query, line);
        }
        free(line);
        if (query.len && (blank || complete_with_semicolon(&query))) {
            add_history(query.data);
            append_history(1, hist);
            aiq_sb_clear(&last);
            aiq_sb_append(&last, query.data, query.len);
            run_text(params, "query", query.data, query.len);
            aiq_sb_clear(&query);
        }
    }
    history_truncate_file(hist, 5000);
    aiq_xfree(hist);
    aiq_xfree(cands);
    aiq_sb_free(&query);
    aiq_sb_free(&last);
    return 0;
}
