/*
 * progress.c -- the progress line of a query that runs over a second, on
 * a terminal (AiqOptions.progress, which the command line sets only when
 * stderr is one): how much input is read of the total, rows, the rate and
 * the time left, redrawn in place with \r and erased before the result
 * (or an error) prints. Plain (AiqOptions.progress_plain: NO_COLOR,
 * TERM=dumb) it uses no escape sequence: the line is erased by spaces.
 *
 * A thread redraws the line a few times a second. Its figures come from
 * the readers' process-wide counts (util/progress.h), from the start of
 * the query; the total is the size of the files of the tables the query
 * names, twice for a table read once for its types and again for its
 * rows, none for one held in memory; unknown when one is a pipe. Rows
 * count from the start of the stage (the first pass, then the run), so
 * that a table read twice does not show twice its rows. While
 * the line is up, the session's notes go through a stream that erases
 * it first (the thread draws it again), so that lines never mix.
 */
#include "session/session_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/progress.h"

#define SHOW_AFTER_SECONDS 1.0
#define REDRAW_MS 200
#define RATE_SAMPLES 16 /* the rate is over the last 3 s or so */

struct AiqProgressLine {
    AiqSession *s;
    FILE *term;        /* the terminal: the session's diag before */
    FILE *notes;       /* what the session writes its notes to meanwhile */
    const char *stage; /* said after the rows ("first pass, for types"), or NULL */
    int64_t rows0;     /* the readers' rows when the stage started */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool stop;
    size_t shown;      /* columns of the line on the terminal now (0: none) */
    /* the bytes read at the last redraws, for the rate of late (reading
     * speeds up and slows down: a first pass is faster than a run) */
    struct Sample {
        double at;
        int64_t bytes;
    } samples[RATE_SAMPLES];
    int nsamples;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void aiq_progress_query_start(AiqSession *s)
{
    AiqProgressPlan *pp = &s->progress;
    pp->start = now_seconds();
    aiq_progress_totals(&pp->bytes0, &pp->rows0);
    pp->total = 0;
    pp->total_unknown = false;
    pp->ncounted = 0;
}

void aiq_progress_expect_table(AiqSession *s, const AiqCatalogTable *t, int passes)
{
    AiqProgressPlan *pp = &s->progress;
    for (int i = 0; i < pp->ncounted; i++)
        if (pp->counted[i] == t)
            return;
    pp->counted = aiq_grow_array(pp->counted, pp->ncounted, &pp->capcounted, sizeof *pp->counted);
    pp->counted[pp->ncounted++] = t;
    for (int i = 0; i < t->npaths && passes > 0; i++) {
        struct stat st;
        if (strcmp(t->paths[i], "-") == 0 || stat(t->paths[i], &st) != 0 || !S_ISREG(st.st_mode))
            pp->total_unknown = true;
        else
            pp->total += (int64_t)st.st_size * passes;
    }
}

/* "123.4 MiB" */
static void put_size(char *buf, size_t n, double bytes)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* "5 s left", "2 min 5 s left", "under a second left" (seconds < 0: unknown). */
static void put_time_left(char *buf, size_t n, double seconds)
{
    if (seconds < 0)
        snprintf(buf, n, "time left unknown");
    else if (seconds < 1)
        snprintf(buf, n, "under a second left");
    else if (seconds < 90)
        snprintf(buf, n, "%.0f s left", seconds);
    else
        snprintf(buf, n, "%.0f min %.0f s left", (double)((long long)seconds / 60), (double)((long long)seconds % 60));
}

/* The bytes per second of late: since the oldest of the samples, the
 * newest of which is (at, bytes) now. */
static double recent_rate(struct AiqProgressLine *pl, double at, int64_t bytes)
{
    if (pl->nsamples == RATE_SAMPLES) {
        memmove(pl->samples, pl->samples + 1, sizeof pl->samples[0] * (RATE_SAMPLES - 1));
        pl->nsamples--;
    }
    pl->samples[pl->nsamples++] = (struct Sample){at, bytes};
    struct Sample old = pl->samples[0];
    if (at - old.at < 0.1) /* (too soon to tell: the rate since the start) */
        old = (struct Sample){pl->s->progress.start, 0};
    return at > old.at ? (double)(bytes - old.bytes) / (at - old.at) : 0;
}

/* The line as it stands now, without \r; its length. */
static size_t format_line(struct AiqProgressLine *pl, char *line, size_t n)
{
    const AiqProgressPlan *pp = &pl->s->progress;
    int64_t bytes, rows;
    aiq_progress_totals(&bytes, &rows);
    bytes -= pp->bytes0;
    rows -= pl->rows0;
    char what[64] = "";
    if (pl->stage)
        snprintf(what, sizeof what, " (%s)", pl->stage);
    double rate = recent_rate(pl, now_seconds(), bytes);
    char done[32], total[32], speed[32];
    put_size(done, sizeof done, (double)bytes);
    put_size(total, sizeof total, (double)pp->total);
    put_size(speed, sizeof speed, rate);
    int len;
    if (!pp->total_unknown && pp->total <= 0 && bytes == 0) { /* (every table held in memory) */
        len = snprintf(line, n, "aiq: %lld rows from memory%s", (long long)rows, what);
    } else if (pp->total_unknown || pp->total <= 0) {
        len = snprintf(line, n, "aiq: %s read, %lld rows%s, %s/s", done, (long long)rows, what, speed);
    } else if (bytes >= pp->total) {
        len = snprintf(line, n, "aiq: %s read, %lld rows%s; working on the result", done, (long long)rows, what);
    } else {
        char left[32];
        put_time_left(left, sizeof left, rate > 0 ? (double)(pp->total - bytes) / rate : -1);
        len = snprintf(line, n, "aiq: %d%% of %s read, %lld rows%s, %s/s, %s",
                       (int)(100.0 * (double)bytes / (double)pp->total), total, (long long)rows, what, speed, left);
    }
    return len < 0 ? 0 : (size_t)len < n ? (size_t)len : n - 1;
}

/* The terminal's width in columns (80 when it does not say). */
static size_t term_width(FILE *term)
{
    struct winsize ws;
    if (ioctl(fileno(term), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
        return ws.ws_col;
    return 80;
}

/* Takes the line off the terminal (the caller holds mu). */
static void erase(struct AiqProgressLine *pl)
{
    if (!pl->shown)
        return;
    if (pl->s->opts.progress_plain)
        fprintf(pl->term, "\r%*s\r", (int)pl->shown, "");
    else
        fputs("\r\033[K", pl->term);
    fflush(pl->term);
    pl->shown = 0;
}

static void draw(struct AiqProgressLine *pl)
{
    char line[256];
    size_t len = format_line(pl, line, sizeof line);
    size_t width = term_width(pl->term) - 1; /* (a line that wraps cannot be taken back with \r) */
    if (len > width)
        len = width;
    if (pl->s->opts.progress_plain) /* the old line is overwritten; spaces cover what it had more */
        fprintf(pl->term, "\r%.*s%*s", (int)len, line, pl->shown > len ? (int)(pl->shown - len) : 0, "");
    else
        fprintf(pl->term, "\r\033[K%.*s", (int)len, line);
    fflush(pl->term);
    pl->shown = len;
}

static void *ticker(void *arg)
{
    struct AiqProgressLine *pl = arg;
    pthread_mutex_lock(&pl->mu);
    while (!pl->stop) {
        if (now_seconds() - pl->s->progress.start >= SHOW_AFTER_SECONDS)
            draw(pl);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += REDRAW_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&pl->wake, &pl->mu, &until);
    }
    erase(pl);
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* The notes stream: each write takes the line off first. */
static ssize_t notes_write(void *cookie, const char *buf, size_t n)
{
    struct AiqProgressLine *pl = cookie;
    pthread_mutex_lock(&pl->mu);
    erase(pl);
    size_t w = fwrite(buf, 1, n, pl->term);
    fflush(pl->term);
    pthread_mutex_unlock(&pl->mu);
    return w == n ? (ssize_t)n : -1;
}

AiqProgressLine *aiq_progress_line_start(AiqSession *s, const char *stage)
{
    if (!s->opts.progress || !s->opts.diag)
        return NULL;
    struct AiqProgressLine *pl = aiq_xcalloc(1, sizeof *pl);
    pl->s = s;
    pl->term = s->opts.diag;
    pl->stage = stage;
    int64_t bytes_now;
    aiq_progress_totals(&bytes_now, &pl->rows0);
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->wake, NULL);
    pl->notes = fopencookie(pl, "w", (cookie_io_functions_t){.write = notes_write});
    if (!pl->notes || pthread_create(&pl->thread, NULL, ticker, pl) != 0) {
        if (pl->notes)
            fclose(pl->notes);
        pthread_cond_destroy(&pl->wake);
        pthread_mutex_destroy(&pl->mu);
        aiq_xfree(pl);
        return NULL; /* no progress line: the query runs all the same */
    }
    setvbuf(pl->notes, NULL, _IOLBF, 0);
    s->opts.diag = pl->notes;
    return pl;
}

void aiq_progress_line_stop(AiqProgressLine *pl)
{
    if (!pl)
        return;
    pthread_mutex_lock(&pl->mu);
    pl->stop = true;
    pthread_cond_signal(&pl->wake);
    pthread_mutex_unlock(&pl->mu);
    pthread_join(pl->thread, NULL);
    pl->s->opts.diag = pl->term;
    fclose(pl->notes); /* (flushes what is left: the line is gone by now) */
    pthread_cond_destroy(&pl->wake);
    pthread_mutex_destroy(&pl->mu);
    aiq_xfree(pl);
}
