/*
 * repl.c -- the interactive session (see repl.h). It reads lines with
 * readline's callback interface, so that Ctrl-C at a prompt is handled in
 * the loop, outside the signal handler, where the half-typed query can be
 * thrown away safely; a Ctrl-C while a query runs asks it to stop.
 */
#include "repl/repl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "util/interrupt.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

/* The REPL's state: readline's callbacks take no argument, so it is static. */
typedef struct Repl {
    AiqSession *session;
    AiqStrBuf query;   /* the lines typed so far of a query not yet complete */
    AiqStrBuf last;    /* the last query run, for .save */
    char *history;     /* the history file */
    bool now_pinned;   /* .now TIME or --now: else now() is read per query */
    bool quit;
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

/* The session's candidates in context (aiq_session_completions). */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    cands = aiq_session_completions(repl.session, rl_line_buffer, (size_t)start, &ncands);
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, generator);
}

/* ---- dot-commands ------------------------------------------------------------- */

/* Reports err on stderr the way the command line does for its arguments. */
static void say_error(const AiqError *err) { fprintf(stderr, "aiq: %s\n", err->msg); }

static void print_schema(int i)
{
    AiqError err = {0};
    char *text = aiq_session_create_table(repl.session, i, &err);
    if (!text) {
        say_error(&err);
        return;
    }
    fputs(text, stdout);
    aiq_string_free(text);
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

/* Runs a query, rendering its error like the command line. A table whose
 * files changed (a log that grew, one rotated or rewritten) is read again
 * first: the query would otherwise answer from the old rows. */
static void run_text(const char *name, const char *text, size_t len)
{
    AiqOptions *o = aiq_session_options(repl.session);
    if (!repl.now_pinned)
        o->now = aiq_datetime_now(); /* now() is read per query, as on the command line */
    aiq_session_refresh(repl.session);
    aiq_interrupt_clear();
    running = 1;
    sigset_t blocked;
    sigprocmask(SIG_SETMASK, &waiting_mask, &blocked); /* Ctrl-C may stop the query */
    AiqError err = {0};
    aiq_session_query(repl.session, text, len, stdout, &err);
    if (err.code != AIQ_OK) {
        aiq_error_locate(&err, text, len);
        aiq_error_print(stderr, &err, name, text, len);
    }
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

static void dot_format(const char *arg)
{
    const char *name = aiq_format_canonical(arg);
    if (name)
        aiq_session_options(repl.session)->format = name;
    else
        fprintf(stderr, "usage: .format FMT, one of " AIQ_FORMAT_CHOICES "\n");
}

/* .load NAME=PATH: binds (or binds again) a table; a reload replaces the
 * files and what was cached of them. */
static void dot_load(char *arg)
{
    char *eq = strchr(arg, '=');
    AiqError err = {0};
    if (!eq || eq == arg) {
        fprintf(stderr, "usage: .load NAME=PATH\n");
        return;
    }
    *eq = '\0';
    if (!aiq_session_bind_table(repl.session, arg, eq + 1, &err))
        say_error(&err);
}

/* .tables: each table, its files, and the rows held from the last query. */
static void dot_tables(void)
{
    for (int i = 0; i < aiq_session_ntables(repl.session); i++) {
        AiqTableInfo t = aiq_session_table(repl.session, i);
        printf("%-20s %d file%s%s", t.name, t.nfiles, t.nfiles == 1 ? "" : "s",
               t.cached_rows >= 0 ? "" : "  (not loaded yet)");
        if (t.cached_rows >= 0)
            printf("  %lld rows", (long long)t.cached_rows);
        printf("\n");
    }
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
    AiqSession *ses = repl.session;
    aiq_session_refresh(ses); /* .tables and .schema show the files as they are */
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
        dot_tables();
    } else if (strcmp(line, ".schema") == 0) {
        for (int i = 0; i < aiq_session_ntables(ses); i++)
            if (!*arg || strcmp(arg, aiq_session_table(ses, i).name) == 0)
                print_schema(i);
        if (*arg && aiq_session_find_table(ses, arg) < 0)
            fprintf(stderr, "aiq: unknown table '%s'\n", arg);
    } else if (strcmp(line, ".load") == 0) {
        dot_load(arg);
    } else if (strcmp(line, ".format") == 0 || strcmp(line, ".mode") == 0) {
        dot_format(arg);
    } else if (strcmp(line, ".timing") == 0) {
        if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0)
            aiq_session_options(ses)->timing = strcmp(arg, "on") == 0;
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
    history_truncate_file(repl.history, 5000);
    aiq_xfree(repl.history);
    aiq_sb_free(&repl.query);
    aiq_sb_free(&repl.last);
    return 0;
}
