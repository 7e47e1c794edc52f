/*
 * repl.c -- the interactive session (see repl.h). It reads lines with
 * readline's callback interface, so that Ctrl-C at a prompt is handled in
 * the loop, outside the signal handler, where the half-typed query can be
 * thrown away safely; a Ctrl-C while a query runs asks it to stop.
 */
#include "repl/repl.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "repl/screen.h"
#include "util/interrupt.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/timefmt.h"

/* The REPL's state: readline's callbacks take no argument, so it is static. */
typedef struct Repl {
    AiqSession *session;
    AiqStrBuf query;   /* the lines typed so far of a query not yet complete */
    AiqStrBuf last;    /* the last query run, for .save */
    char *history;     /* the history file */
    bool now_pinned;   /* .now TIME or --now: else now() is read per query */
    bool quit;
    FILE *output;      /* .output/.once FILE: where results go; NULL: the screen */
    char *output_path;
    bool once;         /* .once: the output goes back to the screen after one result */
} Repl;

static Repl repl;
static volatile sig_atomic_t running;     /* a query runs: Ctrl-C stops it */
static volatile sig_atomic_t interrupted; /* Ctrl-C at a prompt, for the loop */
static sigset_t waiting_mask;             /* the signal mask while waiting for a key */

/* The read end wakes the prompt loop's pselect() when a Ctrl-C arrives.
 * The signal mask alone is not enough where the handler can run after
 * pselect() has returned and been entered again (ThreadSanitizer defers
 * handlers): a byte in the pipe cannot be missed. */
static int wake_pipe[2] = {-1, -1};

static void on_sigint(int sig)
{
    (void)sig;
    if (running) {
        aiq_interrupt_request(); /* the query stops at its next chunk */
        return;
    }
    interrupted = 1; /* readline is not async-signal-safe: the loop acts */
    if (wake_pipe[1] >= 0) {
        int saved = errno;
        ssize_t w = write(wake_pipe[1], "", 1); /* full pipe: a wake-up is pending anyway */
        (void)w;
        errno = saved;
    }
}

/* Empties the wake-up pipe after the loop has seen what it says. */
static void drain_wake_pipe(void)
{
    char buf[64];
    while (read(wake_pipe[0], buf, sizeof buf) > 0)
        ;
}

/* ---- completion ------------------------------------------------------------ */

static const char *const *cands;
static size_t ncands;

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

/* The dot-commands' names and aliases, for completion (the same as in
 * dot_commands below). */
static const char *const dot_names[] = {".help", ".tables", ".schema", ".load", ".reload", ".format", ".mode",
                                        ".headers", ".output", ".once", ".timing", ".now", ".run", ".read",
                                        ".save", ".quit", ".exit"};
static const size_t ndot_names = sizeof dot_names / sizeof dot_names[0];
static const char *const on_off_words[] = {"on", "off"};

/* Completion on a dot-command line: the commands, then what each takes
 * (file paths, formats, tables, on|off). NULL: readline's file names. */
static char **complete_dot(const char *text, int start)
{
    static const char *const formats[] = {"table", "csv", "tsv", "json", "ndjson", "markdown"};
    const char *line = rl_line_buffer;
    size_t cmd = strcspn(line, " \t");
    if ((size_t)start <= cmd) {
        cands = dot_names;
        ncands = ndot_names;
    } else if (strncmp(line, ".format", cmd) == 0 || strncmp(line, ".mode", cmd) == 0) {
        cands = formats;
        ncands = sizeof formats / sizeof formats[0];
    } else if (strncmp(line, ".headers", cmd) == 0 || strncmp(line, ".timing", cmd) == 0) {
        cands = on_off_words;
        ncands = 2;
    } else if (strncmp(line, ".schema", cmd) == 0) {
        static const char *tables[256];
        ncands = 0;
        for (int i = 0; i < aiq_session_ntables(repl.session) && ncands < 256; i++)
            tables[ncands++] = aiq_session_table(repl.session, i).name;
        cands = tables;
    } else {
        /* .run, .read, .save, .output, .once, .load NAME=: a path */
        rl_attempted_completion_over = 0;
        return rl_completion_matches(text, rl_filename_completion_function);
    }
    return rl_completion_matches(text, generator);
}

/* Tab: on a dot-command line, complete_dot; in a query, the session's
 * candidates in context, over the whole query typed so far (its earlier
 * lines tell the table and the pipeline). */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1; /* never readline's file names in a query */
    if (!repl.query.len && rl_line_buffer[0] == '.')
        return complete_dot(text, start);
    AiqStrBuf typed;
    aiq_sb_init(&typed);
    if (repl.query.len) {
        aiq_sb_append(&typed, repl.query.data, repl.query.len);
        aiq_sb_putc(&typed, '\n');
    }
    size_t offset = typed.len;
    aiq_sb_append(&typed, rl_line_buffer, (size_t)start);
    cands = aiq_session_completions(repl.session, typed.data, offset + (size_t)start, &ncands);
    char **matches = rl_completion_matches(text, generator);
    aiq_sb_free(&typed);
    return matches;
}

/* ---- dot-commands ------------------------------------------------------------- */

/* Reports err on stderr the way the command line does for its arguments. */
static void say_error(const AiqError *err) { fprintf(stderr, "aiq: %s\n", err->msg); }

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

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends .output/.once: results go to the screen again. */
static void close_output(void)
{
    if (repl.output && fclose(repl.output) != 0)
        fprintf(stderr, "aiq: %s: %s\n", repl.output_path, strerror(errno));
    repl.output = NULL;
    aiq_xfree(repl.output_path);
    repl.output_path = NULL;
    repl.once = false;
}

/* Whether stream f (stdout, stderr) gets colour: a terminal, NO_COLOR
 * unset, --color not never. */
static bool colour_on(FILE *f)
{
    const AiqOptions *o = aiq_session_options(repl.session);
    return isatty(fileno(f)) && !getenv("NO_COLOR") && !(o->color && strcmp(o->color, "never") == 0);
}

/* Prints a query's error like the command line (aiq_error_print), with
 * "error" and the caret line in red on a terminal in colour. */
static void print_error(AiqError *err, const char *name, const char *text, size_t len)
{
    aiq_error_locate(err, text, len);
    if (!colour_on(stderr)) {
        aiq_error_print(stderr, err, name, text, len);
        return;
    }
    char *msg = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&msg, &n);
    aiq_error_print(m, err, name, text, len);
    fclose(m);
    char *word = strstr(msg, " error: ");
    char *caret_line = strrchr(msg, '^'); /* the caret line: the last '^', back to its line's start */
    while (caret_line && caret_line > msg && caret_line[-1] != '\n')
        caret_line--;
    if (caret_line && caret_line < (word ? word : msg))
        caret_line = NULL; /* no caret line: the message itself has a '^' */
    for (char *p = msg; *p; p++) {
        if (p == word + 1)
            fputs("\033[1;31m", stderr);
        if (caret_line && p == caret_line)
            fputs("\033[31m", stderr);
        fputc(*p, stderr);
        if (word && p == word + 6)
            fputs("\033[0m", stderr);
    }
    if (caret_line)
        fputs("\033[0m", stderr);
    free(msg);
}

/* Shows a result rendered into memory on the screen (screen.h), with its
 * footer; or, under .output/.once, says where it went. */
static void show_result(const char *text, size_t len, int64_t nrows, double seconds, int rows, bool color)
{
    char footer[96];
    aiq_screen_footer(footer, sizeof footer, nrows, seconds);
    if (repl.output) {
        printf("%s written to %s\n", footer, repl.output_path);
        return;
    }
    aiq_screen_show(stdout, text, len, footer, rows, nrows, color);
}

/* Runs one query into out, the REPL's way: now() read afresh unless
 * pinned, tables whose files changed read again first (a log that grew,
 * one rotated), Ctrl-C able to stop it. The result's rows, or -1 with err;
 * *chart: it ends in a render of a chart (drawn to fit the screen). */
static int64_t run_query_into(FILE *out, const char *text, size_t len, bool *chart, AiqError *err)
{
    AiqSession *ses = repl.session;
    AiqOptions *o = aiq_session_options(ses);
    if (!repl.now_pinned)
        o->now = aiq_datetime_now(); /* now() is read per query, as on the command line */
    aiq_session_refresh(ses);
    aiq_interrupt_clear();
    running = 1;
    sigset_t blocked;
    sigprocmask(SIG_SETMASK, &waiting_mask, &blocked); /* Ctrl-C may stop the query */
    int64_t nrows = -1;
    AiqQuery *q = aiq_session_prepare(ses, text, len, false, err);
    *chart = q && aiq_query_render(q) && strcmp(aiq_query_render(q), "table") != 0;
    if (q && aiq_query_run(q, out, err) == 0)
        nrows = aiq_query_result_rows(q);
    aiq_query_free(q);
    sigprocmask(SIG_SETMASK, &blocked, NULL);
    running = 0;
    aiq_interrupt_clear();
    return nrows;
}

/* Runs a query and shows its result: rendered into memory for the screen
 * (fitted to its width, so that it can be paged), or written to the
 * .output file as the command line would write it (no colour, no
 * fitting). Its error is rendered like the command line's. */
static void run_text(const char *name, const char *text, size_t len)
{
    AiqOptions *o = aiq_session_options(repl.session);
    int cols = 0, rows = 0;
    char *shown = NULL;
    size_t shown_len = 0;
    FILE *out = repl.output;
    if (!out) {
        aiq_screen_size(stdout, &cols, &rows);
        out = open_memstream(&shown, &shown_len);
    }
    o->term_cols = cols;
    o->term_rows = rows;
    double t0 = seconds_now();
    AiqError err = {0};
    bool chart = false;
    int64_t nrows = run_query_into(out, text, len, &chart, &err);
    double seconds = seconds_now() - t0;
    o->term_cols = o->term_rows = 0;
    if (!repl.output)
        fclose(out);
    else
        fflush(out);
    if (err.code != AIQ_OK) {
        print_error(&err, name, text, len);
    } else {
        /* the footer dim where the result has colour; a chart is drawn to fit, never paged */
        bool color = cols > 0 && colour_on(stdout);
        show_result(shown ? shown : "", shown_len, nrows, seconds, chart ? 0 : rows, color);
    }
    free(shown); /* open_memstream's buffer is malloc'd */
    if (repl.once)
        close_output();
    fflush(stdout);
}

/* .now shows now(); .now TIME pins it; .now off lets it follow the clock. */
static void dot_now(char *arg)
{
    int64_t t;
    char buf[64];
    AiqOptions *o = aiq_session_options(repl.session);
    if (!*arg) {
        aiq_datetime_format(repl.now_pinned ? o->now : aiq_datetime_now(), buf);
        printf("now() = %s (%s)\n", buf, repl.now_pinned ? "pinned; .now off follows the clock" : "the clock, read per query");
    } else if (strcmp(arg, "off") == 0) {
        repl.now_pinned = false;
    } else if (aiq_datetime_parse(arg, strlen(arg), &t)) {
        o->now = t;
        repl.now_pinned = true;
    } else {
        fprintf(stderr, "aiq: .now expects an ISO 8601 time such as 2026-11-21T12:00:00Z, or off\n");
    }
}

static void dot_format(char *arg)
{
    const char *name = aiq_format_canonical(arg);
    if (name)
        aiq_session_options(repl.session)->format = name;
    else
        fprintf(stderr, "usage: .format FMT, one of " AIQ_FORMAT_CHOICES "\n");
}

/* Whether path (a file, directory or glob) names something that exists:
 * .load binds nothing otherwise, so that a typo leaves no phantom table
 * (and an earlier binding of the name stays). */
static bool path_exists(const char *path)
{
    glob_t g;
    int rc = glob(path, GLOB_NOSORT, NULL, &g);
    if (rc == 0)
        globfree(&g);
    return rc == 0;
}

/* .load NAME=PATH: binds (or binds again) a table; a reload replaces the
 * files and what was cached of them. */
static void dot_load(char *arg)
{
    char *eq = strchr(arg, '=');
    AiqError err = {0};
    if (!eq || eq == arg || !eq[1]) {
        fprintf(stderr, "usage: .load NAME=PATH\n");
        return;
    }
    *eq = '\0';
    if (!path_exists(eq + 1)) {
        fprintf(stderr, "aiq: %s: no such file, directory or glob match; table %s not %s\n", eq + 1, arg,
                aiq_session_find_table(repl.session, arg) >= 0 ? "changed" : "loaded");
        return;
    }
    if (!aiq_session_bind_table(repl.session, arg, eq + 1, &err))
        say_error(&err);
}

/* A size in bytes as people read it: 512 B, 3.4 KB, 285.1 MB. */
static void human_size(char *buf, size_t n, double bytes)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* The TABLE view of .tables: the files of t (the one, or the first and
 * how many more) and their size on disk together. */
static void table_files(const AiqTableInfo *t, char *files, size_t nf, char *size, size_t ns)
{
    double bytes = 0;
    for (int f = 0; f < t->nfiles; f++) {
        struct stat st;
        if (stat(t->paths[f], &st) == 0)
            bytes += (double)st.st_size;
    }
    if (t->bind_error)
        snprintf(files, nf, "(%s)", t->bind_error);
    else if (t->nfiles == 0)
        snprintf(files, nf, "(declared, no files)");
    else if (t->nfiles == 1)
        snprintf(files, nf, "%s", t->paths[0]);
    else
        snprintf(files, nf, "%s and %d more", t->paths[0], t->nfiles - 1);
    if (t->nfiles)
        human_size(size, ns, bytes);
    else
        snprintf(size, ns, "-");
}

/* .tables: each table with its files, their size, and what is cached of
 * it (rows held for the next query, or not read yet), as aligned columns. */
static void dot_tables(char *arg)
{
    (void)arg;
    int n = aiq_session_ntables(repl.session);
    char (*files)[512] = aiq_xcalloc((size_t)n + 1, sizeof *files);
    char (*size)[32] = aiq_xcalloc((size_t)n + 1, sizeof *size);
    int wname = 5, wfiles = 5, wsize = 4;
    for (int i = 0; i < n; i++) {
        AiqTableInfo t = aiq_session_table(repl.session, i);
        table_files(&t, files[i], sizeof files[i], size[i], sizeof size[i]);
        wname = (int)strlen(t.name) > wname ? (int)strlen(t.name) : wname;
        wfiles = (int)strlen(files[i]) > wfiles ? (int)strlen(files[i]) : wfiles;
        wsize = (int)strlen(size[i]) > wsize ? (int)strlen(size[i]) : wsize;
    }
    printf("%-*s  %-*s  %*s  %s\n", wname, "table", wfiles, "files", wsize, "size", "cached");
    for (int i = 0; i < n; i++) {
        AiqTableInfo t = aiq_session_table(repl.session, i);
        char cached[160], held[32];
        if (t.cached_rows >= 0 && t.cached_columns >= 0) {
            human_size(held, sizeof held, t.cached_bytes);
            snprintf(cached, sizeof cached, "%lld rows, %d of %d columns in memory (%s)%s", (long long)t.cached_rows,
                     t.cached_columns, t.ncolumns, held, t.appended ? "; lines appended since, for the next query" : "");
        } else if (t.cached_rows >= 0)
            snprintf(cached, sizeof cached, "%lld rows in memory", (long long)t.cached_rows);
        else
            snprintf(cached, sizeof cached, "not read yet");
        printf("%-*s  %-*s  %*s  %s\n", wname, t.name, wfiles, files[i], wsize, size[i], cached);
    }
    aiq_xfree(files);
    aiq_xfree(size);
}

/* .schema [TABLE]: each table's columns and types as a result table (run
 * as `T | getschema`, so that it fits the screen like any result). */
static void dot_schema(char *arg)
{
    AiqSession *ses = repl.session;
    if (*arg && aiq_session_find_table(ses, arg) < 0) {
        AiqError err = {0};
        aiq_session_unknown_table(ses, arg, &err);
        say_error(&err);
        return;
    }
    AiqStrBuf q;
    aiq_sb_init(&q);
    for (int i = 0; i < aiq_session_ntables(ses); i++) {
        const char *name = aiq_session_table(ses, i).name;
        if (*arg && strcmp(arg, name) != 0)
            continue;
        if (!*arg)
            printf("%s\n", name);
        aiq_sb_clear(&q);
        aiq_sb_puts(&q, "['");
        for (const char *p = name; *p; p++) {
            if (*p == '\'' || *p == '\\')
                aiq_sb_putc(&q, '\\');
            aiq_sb_putc(&q, *p);
        }
        aiq_sb_puts(&q, "'] | getschema | project Column = ColumnName, Type = ColumnType");
        run_text(name, q.data, q.len);
    }
    aiq_sb_free(&q);
}

/* .output [FILE] and .once FILE: results go to FILE (created or emptied),
 * every one or the next one only; .output alone: to the screen again. */
static void dot_output(const char *arg, bool once)
{
    close_output();
    if (!*arg) {
        if (once)
            fprintf(stderr, "usage: .once FILE\n");
        return;
    }
    repl.output = fopen(arg, "w");
    if (!repl.output) {
        fprintf(stderr, "aiq: %s: %s\n", arg, strerror(errno));
        return;
    }
    repl.output_path = aiq_xstrndup(arg, strlen(arg));
    repl.once = once;
}

/* An on|off argument into *flag; false (after the usage) when it is neither. */
static bool on_off(const char *cmd, const char *arg, bool *flag)
{
    if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0) {
        fprintf(stderr, "usage: %s on|off\n", cmd);
        return false;
    }
    *flag = strcmp(arg, "on") == 0;
    return true;
}

static void dot_quit(char *arg) { (void)arg; repl.quit = true; }
static void dot_help(char *arg);
static void dot_output_cmd(char *arg) { dot_output(arg, false); }
static void dot_once_cmd(char *arg) { dot_output(arg, true); }

static void dot_timing(char *arg)
{
    bool on;
    if (on_off(".timing", arg, &on))
        aiq_session_options(repl.session)->timing = on;
}

static void dot_headers(char *arg)
{
    bool on;
    if (on_off(".headers", arg, &on))
        aiq_session_options(repl.session)->no_header = !on;
}

static void dot_reload(char *arg)
{
    (void)arg;
    aiq_session_drop_cache(repl.session);
    printf("cached rows dropped: the next query reads the files again\n");
}

static void dot_run(char *arg)
{
    size_t len;
    char *text = *arg ? aiq_read_text_file(arg, 0, &len) : NULL;
    if (!text)
        fprintf(stderr, "aiq: %s: %s\n", *arg ? arg : "(no file)", *arg ? strerror(errno) : "usage: .run FILE.kql");
    else
        run_text(arg, text, len);
    aiq_xfree(text);
}

static void dot_save(char *arg)
{
    FILE *f = *arg && repl.last.len ? fopen(arg, "w") : NULL;
    if (!f) {
        fprintf(stderr, "aiq: %s\n", !*arg ? "usage: .save FILE.kql" : !repl.last.len ? "no query to save yet" : strerror(errno));
        return;
    }
    fputs(aiq_sb_str(&repl.last), f);
    fputc('\n', f);
    if (fclose(f) != 0)
        fprintf(stderr, "aiq: %s: %s\n", arg, strerror(errno));
}

/* The dot-commands: what .help lists, what "did you mean" picks from, and
 * what runs each. An alias (sqlite3's word for the same thing) shares the
 * line of the command it stands for. */
typedef struct DotCommand {
    const char *name, *alias, *usage, *help;
    void (*run)(char *arg);
} DotCommand;

static const DotCommand dot_commands[] = {
    {".help", NULL, ".help", "this list", dot_help},
    {".tables", NULL, ".tables", "tables, their files and sizes, what is cached", dot_tables},
    {".schema", NULL, ".schema [TABLE]", "columns and their types", dot_schema},
    {".load", NULL, ".load NAME=PATH", "bind a table to a file, glob or directory", dot_load},
    {".reload", NULL, ".reload", "drop the cached rows: the next query reads the files", dot_reload},
    {".format", ".mode", ".format FMT", "table, csv, tsv, json, ndjson (jsonl), markdown (md)", dot_format},
    {".headers", NULL, ".headers on|off", "the header row of table, csv and tsv", dot_headers},
    {".output", NULL, ".output [FILE]", "results to FILE from now on; alone: to the screen", dot_output_cmd},
    {".once", NULL, ".once FILE", "the next result to FILE", dot_once_cmd},
    {".timing", NULL, ".timing on|off", "time per query on stderr", dot_timing},
    {".now", NULL, ".now [TIME|off]", "show now(), pin it (ISO 8601), or follow the clock again", dot_now},
    {".run", ".read", ".run FILE.kql", "run a saved query", dot_run},
    {".save", NULL, ".save FILE.kql", "save the last query", dot_save},
    {".quit", ".exit", ".quit", "leave; Ctrl-D, exit and quit too", dot_quit},
};
#define NDOT (sizeof dot_commands / sizeof dot_commands[0])


static void dot_help(char *arg)
{
    (void)arg;
    puts("Type a KQL query; it runs at an empty line or at a ';' that completes it.\n"
         "Ctrl-C throws away the query being typed, or stops the one running. Tab completes.");
    for (size_t i = 0; i < NDOT; i++) {
        const DotCommand *d = &dot_commands[i];
        char also[32] = "";
        if (d->alias)
            snprintf(also, sizeof also, " (also %s)", d->alias);
        printf("%-18s %s%s\n", d->usage, d->help, also);
    }
    puts("A result taller than the screen goes through $PAGER (less -RSX when unset; PAGER= shows the first screenful).\n"
         "A table whose file changed (a growing log) is read again by the next query.");
}

/* The dot-command named name (or its alias), or NULL. */
static const DotCommand *find_dot_command(const char *name)
{
    for (size_t i = 0; i < NDOT; i++)
        if (strcmp(name, dot_commands[i].name) == 0 || (dot_commands[i].alias && strcmp(name, dot_commands[i].alias) == 0))
            return &dot_commands[i];
    return NULL;
}

/* An unknown dot-command: said so, with the closest known one. */
static void unknown_dot_command(const char *name)
{
    const char *names[2 * NDOT];
    size_t n = 0;
    for (size_t i = 0; i < NDOT; i++) {
        names[n++] = dot_commands[i].name;
        if (dot_commands[i].alias)
            names[n++] = dot_commands[i].alias;
    }
    const char *near = aiq_suggest(name, strlen(name), names, n);
    if (near)
        fprintf(stderr, "aiq: unknown command '%s'; did you mean '%s'? .help lists them\n", name, near);
    else
        fprintf(stderr, "aiq: unknown command '%s'; .help lists them\n", name);
}

/* Runs a dot-command line: the command, then its argument trimmed. */
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
    aiq_session_refresh(repl.session); /* .tables and .schema show the files as they are */
    const DotCommand *d = find_dot_command(line);
    if (d)
        d->run(arg);
    else
        unknown_dot_command(line);
}

/* Whether line is `exit` or `quit` alone (a ';' allowed), the words people
 * type to leave a shell: not KQL, so they cannot mean a query. */
static bool is_quit_word(const char *line)
{
    size_t b = strspn(line, " \t"), n = strlen(line);
    while (n > b && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == ';'))
        n--;
    return (n - b == 4 && strncmp(line + b, "exit", 4) == 0) || (n - b == 4 && strncmp(line + b, "quit", 4) == 0);
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
    } else if (!repl.query.len && is_quit_word(line)) {
        repl.quit = true;
    } else {
        if (!blank) {
            if (repl.query.len)
                aiq_sb_putc(&repl.query, '\n');
            aiq_sb_puts(&repl.query, line);
        }
        if (repl.query.len && (blank || aiq_query_complete(repl.query.data, repl.query.len))) {
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

int aiq_repl_run(AiqSession *session, bool now_pinned)
{
    repl = (Repl){.session = session, .now_pinned = now_pinned};
    aiq_sb_init(&repl.query);
    aiq_sb_init(&repl.last);
    AiqOptions *o = aiq_session_options(session);
    o->keep_tables = true; /* parsed once, fast on the next query */
    if (!o->format)
        o->format = "table";
    repl.history = history_path();
    using_history();
    FILE *hf = fopen(repl.history, "a"); /* append_history needs the file to exist */
    if (hf)
        fclose(hf);
    read_history(repl.history);
    rl_attempted_completion_function = complete;
    /* words break where KQL's names end; not at '-' (project-away), '.'
     * (.run, paths), '/' (paths), '[' and quotes (['odd name']) */
    rl_completer_word_break_characters = " \t\n|(),=<>!+*%;{}";
    rl_catch_signals = 0;
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        wake_pipe[0] = wake_pipe[1] = -1;
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
    if (aiq_session_sample(session))
        printf("No data given: this is the bundled sample data (%s). Open your logs with aiq FILE..., -t NAME=PATH or -d DIR.\n",
               aiq_session_sample(session));
    printf("tables:");
    for (int i = 0; i < aiq_session_ntables(session); i++)
        printf(" %s", aiq_session_table(session, i).name);
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
        int fd = fileno(rl_instream), nfds = fd + 1;
        FD_SET(fd, &in);
        if (wake_pipe[0] >= 0) {
            FD_SET(wake_pipe[0], &in);
            nfds = wake_pipe[0] >= nfds ? wake_pipe[0] + 1 : nfds;
        }
        int ready = pselect(nfds, &in, NULL, NULL, NULL, &waiting_mask);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready > 0 && wake_pipe[0] >= 0 && FD_ISSET(wake_pipe[0], &in))
            drain_wake_pipe(); /* interrupted is set: the loop's top acts on it */
        if (ready > 0 && FD_ISSET(fd, &in))
            rl_callback_read_char();
    }
    rl_callback_handler_remove();
    sigprocmask(SIG_SETMASK, &waiting_mask, NULL);
    if (wake_pipe[0] >= 0) {
        close(wake_pipe[0]);
        close(wake_pipe[1]);
        wake_pipe[0] = wake_pipe[1] = -1;
    }
    close_output();
    history_truncate_file(repl.history, 5000);
    aiq_xfree(repl.history);
    aiq_sb_free(&repl.query);
    aiq_sb_free(&repl.last);
    return 0;
}
