/*
 * repl.c -- the interactive session (see repl.h). It reads lines with
 * readline's callback interface, so that Ctrl-C at a prompt is handled in
 * the loop, outside the signal handler, where the half-typed query can be
 * thrown away safely; a Ctrl-C while a query runs asks it to stop.
 */
#include "repl/repl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "core/table.h"
#include "func/registry.h"
#include "out/output.h"
#include "parse/parser.h"
#include "util/interrupt.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

/* The session: readline's callbacks take no argument, so it is static. */
typedef struct Repl {
    const AiqQueryParams *params;
    AiqStrBuf query;   /* the lines typed so far of a query not yet complete */
    AiqStrBuf last;    /* the last query run, for .save */
    char *history;     /* the history file */
    bool now_pinned;   /* .now TIME or --now: else now() is read per query */
    bool quit;
} Repl;

static AiqRunOptions *session;
static Repl repl;
static volatile sig_atomic_t running;     /* a query runs: Ctrl-C stops it */
static volatile sig_atomic_t interrupted; /* Ctrl-C at a prompt, for the loop */
static sigset_t waiting_mask;             /* the signal mask while waiting for a key */

static void on_sigint(int sig)
{
    (void)sig;
    if (running)
        aiq_interrupt_request(); /* the query stops at its next chunk */
    else
        interrupted = 1; /* readline is not async-signal-safe: the loop acts */
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
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_query_format_create_table(&sb, t->name, &t->schema);
    fputs(aiq_sb_str(&sb), stdout);
    aiq_sb_free(&sb);
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

/* Drops a table's cached rows, so that the next query reads its files. */
static void forget_table_data(AiqCatalogTable *t)
{
    aiq_table_free(t->data);
    t->data = NULL;
    t->loaded = NULL; /* catalog arena memory */
}

/* A table whose files changed since they were read (a log that grew, one
 * rotated or rewritten) is read again by the next query, which would
 * otherwise answer from the old rows. The stamp is taken before the read,
 * so a change during it is seen next time. */
static void forget_changed_tables(void)
{
    AiqCatalog *c = session->catalog;
    for (int i = 0; i < c->ntables; i++) {
        AiqCatalogTable *t = &c->tables[i];
        uint64_t stamp = aiq_catalog_files_stamp(t);
        if (t->data && stamp != t->files_stamp)
            forget_table_data(t);
        t->files_stamp = stamp;
    }
}

static void run_text(const char *name, const char *text, size_t len)
{
    if (!repl.now_pinned)
        session->now = aiq_datetime_now(); /* now() is read per query, as on the command line */
    forget_changed_tables();
    aiq_interrupt_clear();
    running = 1;
    sigset_t blocked;
    sigprocmask(SIG_SETMASK, &waiting_mask, &blocked); /* Ctrl-C may stop the query */
    aiq_query_run(session, repl.params, name, text, len, false, stdout);
    sigprocmask(SIG_SETMASK, &blocked, NULL);
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

/* .now shows now(); .now TIME pins it; .now off lets it follow the clock. */
static void dot_now(const char *arg)
{
    int64_t t;
    char buf[64];
    if (!*arg) {
        aiq_datetime_format(repl.now_pinned ? session->now : aiq_datetime_now(), buf);
        printf("now() = %s (%s)\n", buf, repl.now_pinned ? "pinned; .now off follows the clock" : "the clock, read per query");
    } else if (strcmp(arg, "off") == 0) {
        repl.now_pinned = false;
    } else if (aiq_datetime_parse(arg, strlen(arg), &t)) {
        session->now = t;
        repl.now_pinned = true;
    } else {
        fprintf(stderr, "aiq: .now expects an ISO 8601 time such as 2026-11-21T12:00:00Z, or off\n");
    }
}

static void dot_format(const char *arg)
{
    AiqFormat fmt;
    if (aiq_format_from_name(arg, &fmt))
        session->format = aiq_format_name(fmt);
    else
        fprintf(stderr, "usage: .format FMT, one of " AIQ_FORMAT_CHOICES "\n");
}

static void dot_load(char *arg)
{
    AiqCatalog *c = session->catalog;
    char *eq = strchr(arg, '=');
    AiqError err = {0};
    if (!eq || eq == arg) {
        fprintf(stderr, "usage: .load NAME=PATH\n");
        return;
    }
    *eq = '\0';
    AiqCatalogTable *old = aiq_catalog_find(c, arg);
    if (old) { /* a reload replaces the files and the cached data */
        forget_table_data(old);
        old->npaths = 0;
    }
    if (!aiq_catalog_add_path(c, arg, eq + 1, &err))
        fprintf(stderr, "aiq: %s\n", err.msg);
    aiq_catalog_names(c);
}

/* Runs a dot-command. */
static void dot_command(char *line)
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
    forget_changed_tables(); /* .tables and .schema show the files as they are */
    if (strcmp(line, ".quit") == 0 || strcmp(line, ".exit") == 0) {
        repl.quit = true;
    } else if (strcmp(line, ".help") == 0) {
        puts("Type a KQL query; it runs at an empty line or at a ';' that completes it.\n"
             "Ctrl-C throws away the query being typed, or stops the one running.\n"
             ".tables              tables and their files\n"
             ".schema [TABLE]      column types, as .create table\n"
             ".load NAME=PATH      bind a table to a file, glob or directory\n"
             ".format FMT          table, csv, tsv, json, ndjson (jsonl), markdown (md)\n"
             ".timing on|off       time per query on stderr\n"
             ".now [TIME|off]      show now(), pin it (ISO 8601), or follow the clock again\n"
             ".run FILE.kql        run a saved query\n"
             ".save FILE.kql       save the last query\n"
             ".quit                leave (or Ctrl-D)\n"
             "A table whose file changed (a growing log) is read again by the next query.");
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
        dot_load(arg);
    } else if (strcmp(line, ".format") == 0 || strcmp(line, ".mode") == 0) {
        dot_format(arg);
    } else if (strcmp(line, ".timing") == 0) {
        if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
            session->timing = strcmp(arg, "on") == 0;
        else
            fprintf(stderr, "usage: .timing on|off\n");
    } else if (strcmp(line, ".now") == 0) {
        dot_now(arg);
    } else if (strcmp(line, ".run") == 0 || strcmp(line, ".read") == 0) {
        size_t len;
        char *text = *arg ? read_text_file(arg, &len) : NULL;
        if (!text)
            fprintf(stderr, "aiq: %s: %s\n", *arg ? arg : "(no file)", *arg ? strerror(errno) : "usage: .run FILE.kql");
        else
            run_text(arg, text, len);
        aiq_xfree(text);
    } else if (strcmp(line, ".save") == 0) {
        FILE *f = *arg ? fopen(arg, "w") : NULL;
        if (!f || !repl.last.len) {
            fprintf(stderr, "aiq: %s\n", !repl.last.len ? "no query to save yet" : *arg ? strerror(errno) : "usage: .save FILE.kql");
        } else {
            fputs(aiq_sb_str(&repl.last), f);
            fputc('\n', f);
        }
        if (f && fclose(f) != 0)
            fprintf(stderr, "aiq: %s: %s\n", arg, strerror(errno));
    } else {
        fprintf(stderr, "aiq: unknown command '%s'; .help lists them\n", line);
    }
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

static void remember(const char *entry)
{
    add_history(entry);
    append_history(1, repl.history);
}

/* Takes one line from readline: a dot-command, or a line of the query,
 * which runs at an empty line or at a ';' that completes it. Readline
 * passes NULL at Ctrl-D. */
static void on_line(char *line)
{
    if (!line) {
        printf("\n");
        repl.quit = true;
        return;
    }
    bool blank = strspn(line, " \t") == strlen(line);
    if (!repl.query.len && line[0] == '.') {
        remember(line);
        dot_command(line);
    } else {
        if (!blank) {
            if (repl.query.len)
                aiq_sb_putc(&repl.query, '\n');
            aiq_sb_puts(&repl.query, line);
        }
        if (repl.query.len && (blank || complete_with_semicolon(&repl.query))) {
            remember(repl.query.data);
            aiq_sb_clear(&repl.last);
            aiq_sb_append(&repl.last, repl.query.data, repl.query.len);
            aiq_sb_clear(&repl.query);
            run_text("query", repl.last.data, repl.last.len);
        }
    }
    free(line);
    rl_set_prompt(repl.query.len ? "...> " : "aiq> ");
}

/* Ctrl-C at a prompt: the line being typed, and the lines of the query
 * before it, are thrown away, and a fresh primary prompt is shown. As in
 * a shell, the discarded line stays on the screen, marked ^C. */
static void discard_typing(void)
{
    rl_point = rl_end;
    rl_redisplay();
    fputs("^C\n", rl_outstream);
    fflush(rl_outstream);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_callback_handler_remove();
    aiq_sb_clear(&repl.query);
    rl_callback_handler_install("aiq> ", on_line);
}

int aiq_repl_run(AiqRunOptions *ro, const AiqQueryParams *params, bool now_pinned)
{
    session = ro;
    repl = (Repl){.params = params, .now_pinned = now_pinned};
    aiq_sb_init(&repl.query);
    aiq_sb_init(&repl.last);
    ro->keep_tables = true; /* parsed once, fast on the next query */
    if (!ro->format)
        ro->format = "table";
    repl.history = history_path();
    using_history();
    FILE *hf = fopen(repl.history, "a"); /* append_history needs the file to exist */
    if (hf)
        fclose(hf);
    read_history(repl.history);
    rl_attempted_completion_function = complete;
    rl_catch_signals = 0;
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    /* SIGINT is blocked but while pselect() waits for a key (or a query
     * runs), so a Ctrl-C is never noticed late: it ends the wait at once. */
    sigset_t sigint;
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    sigprocmask(SIG_BLOCK, &sigint, &waiting_mask);
    sigdelset(&waiting_mask, SIGINT);
    printf("aiq %s -- KQL over JSON-lines logs. .help for help, Ctrl-D to quit.\n", AIQ_VERSION);
    if (ro->catalog->sample)
        printf("No data given: this is the bundled sample data (%s). Open your logs with aiq FILE..., -t NAME=PATH or -d DIR.\n",
               ro->catalog->sample);
    printf("tables:");
    for (int i = 0; i < ro->catalog->ntables; i++)
        printf(" %s", ro->catalog->tables[i].name);
    printf("\n");
    fflush(stdout);
    rl_callback_handler_install("aiq> ", on_line);
    while (!repl.quit) {
        if (interrupted) {
            interrupted = 0;
            discard_typing();
        }
        fd_set in;
        FD_ZERO(&in);
        FD_SET(fileno(rl_instream), &in);
        int ready = pselect(fileno(rl_instream) + 1, &in, NULL, NULL, NULL, &waiting_mask);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready > 0)
            rl_callback_read_char();
    }
    rl_callback_handler_remove();
    sigprocmask(SIG_SETMASK, &waiting_mask, NULL);
    history_truncate_file(repl.history, 5000);
    aiq_xfree(repl.history);
    aiq_xfree(cands);
    aiq_sb_free(&repl.query);
    aiq_sb_free(&repl.last);
    return 0;
}
