/*
 * screen.c -- results on the REPL's terminal (see screen.h). A long result
 * is paged, not dumped: at 3 AM a 10,000-row answer scrolling past the
 * prompt hides the query and the first rows, which are the ones wanted.
 */
#include "repl/screen.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Lines of the screen kept for the footer and the next prompt. */
#define RESERVED_LINES 3

bool aiq_screen_size(FILE *out, int *cols, int *rows)
{
    struct winsize ws;
    *cols = *rows = 0;
    if (!isatty(fileno(out)) || ioctl(fileno(out), TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return false;
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    return true;
}

void aiq_screen_footer(char *buf, size_t n, int64_t nrows, double seconds)
{
    if (nrows < 0)
        snprintf(buf, n, "(%.2f s)", seconds);
    else
        snprintf(buf, n, "%lld row%s (%.2f s)", (long long)nrows, nrows == 1 ? "" : "s", seconds);
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 0;
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
        n++;
    return n;
}

static void put_footer(FILE *out, const char *footer, bool color)
{
    fprintf(out, color ? "\033[2m%s\033[0m\n" : "%s\n", footer);
}

/* Sends the text and footer through the pager command; false when it
 * could not be started (then nothing was shown). less gets -R (colour),
 * -S (long lines scroll sideways, rows stay rows) and -X (the result stays
 * on the screen after q) through $LESS when the user has not set it, as
 * git does. SIGPIPE is ignored (main.c): a pager quit early ends the
 * writing, not aiq. */
static bool page(const char *pager, const char *text, size_t len, const char *footer)
{
    setenv("LESS", "RSX", 0);
    fflush(stdout);
    FILE *p = popen(pager, "w");
    if (!p)
        return false;
    fwrite(text, 1, len, p);
    fprintf(p, "%s\n", footer);
    int status = pclose(p);
    /* 127: the shell found no such command; anything else was shown */
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
}

/* The first lines of the text that fit the screen, and a note of the rest. */
static void show_head(FILE *out, const char *text, size_t len, size_t keep, size_t lines, int64_t nrows)
{
    const char *p = text;
    for (size_t i = 0; i < keep && p < text + len; i++) {
        const char *nl = memchr(p, '\n', len - (size_t)(p - text));
        p = nl ? nl + 1 : text + len;
    }
    fwrite(text, 1, (size_t)(p - text), out);
    size_t left = lines - keep;
    /* the text's lines are the rows plus the header's two, when it has one */
    if (nrows >= 0 && (size_t)nrows >= left)
        fprintf(out, "\xE2\x80\xA6 %zu more row%s (a pager shows them: set PAGER; .output FILE saves them)\n", left,
                left == 1 ? "" : "s");
    else
        fprintf(out, "\xE2\x80\xA6 %zu more line%s (set PAGER to page them)\n", left, left == 1 ? "" : "s");
}

void aiq_screen_show(FILE *out, const char *text, size_t len, const char *footer, int rows, int64_t nrows,
                     bool color)
{
    size_t lines = count_lines(text, len);
    bool tall = rows > 0 && lines + RESERVED_LINES > (size_t)rows;
    const char *pager = getenv("PAGER");
    if (tall && !(pager && !*pager) && page(pager ? pager : "less", text, len, footer))
        return;
    if (tall) {
        size_t keep = (size_t)rows > RESERVED_LINES + 1 ? (size_t)rows - RESERVED_LINES - 1 : 1;
        show_head(out, text, len, keep, lines, nrows);
    } else {
        fwrite(text, 1, len, out);
    }
    put_footer(out, footer, color);
    fflush(out);
}
