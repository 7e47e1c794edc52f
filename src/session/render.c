/*
 * render.c -- a query's trailing `render`, drawn by the chart engine
 * (chart/chart.h): the result table handed over as the engine's columns
 * (make-series arrays as arrays), the render properties as the request,
 * then the chart either for the terminal the result goes to (sized to it,
 * in colour unless NO_COLOR or --color=never, braille where the terminal
 * takes UTF-8) or as an SVG file written whole or not at all (--chart).
 * query.c decides which, and what the user is told when render is not
 * drawn (a pipe, another output format).
 */
#include "session/session_internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chart/chart.h"
#include "core/json_text.h"
#include "util/mem.h"
#include "util/timefmt.h"

/* ---- the result table as the chart engine's columns ------------------------- */

/* What the elements of a dynamic column's arrays are: numbers, datetimes or
 * timespans (as make-series writes them); false when a row holds anything
 * else (a bag, a string that is no time, a scalar), and the column is then
 * text. */
static bool array_kind(const AiqColumnData *col, int64_t nrows, AiqChartColKind *elem)
{
    bool num = false, dt = false, ts = false, any = false;
    json_t **rows = col->data;
    for (int64_t r = 0; r < nrows; r++) {
        json_t *d = rows[r];
        if (!d)
            continue;
        if (!json_is_array(d))
            return false;
        any = true;
        for (size_t k = 0; k < json_array_size(d); k++) {
            json_t *el = json_array_get(d, k);
            int64_t ticks;
            if (json_is_null(el))
                continue;
            if (json_is_number(el))
                num = true;
            else if (json_is_string(el) && aiq_datetime_parse(json_string_value(el), json_string_length(el), &ticks))
                dt = true;
            else if (json_is_string(el) && aiq_timespan_parse(json_string_value(el), json_string_length(el), &ticks))
                ts = true;
            else
                return false;
        }
    }
    if (!any || num + dt + ts > 1)
        return false;
    *elem = dt ? AIQ_CHART_COL_DATETIME : ts ? AIQ_CHART_COL_TIMESPAN : AIQ_CHART_COL_NUMBER;
    return true;
}

/* A dynamic column whose rows are arrays, as the engine's arrays. */
static const AiqChartArray *arrays_of(const AiqColumnData *col, int64_t nrows, AiqChartColKind elem, AiqArena *arena)
{
    AiqChartArray *arr = aiq_arena_calloc(arena, sizeof *arr * (size_t)(nrows + 1));
    json_t **rows = col->data;
    for (int64_t r = 0; r < nrows; r++) {
        json_t *d = rows[r];
        int32_t n = d ? (int32_t)json_array_size(d) : 0;
        arr[r].n = n;
        if (elem == AIQ_CHART_COL_NUMBER) {
            double *v = aiq_arena_alloc(arena, sizeof *v * (size_t)(n + 1));
            for (int32_t k = 0; k < n; k++) {
                json_t *el = json_array_get(d, (size_t)k);
                v[k] = json_is_number(el) ? json_number_value(el) : NAN;
            }
            arr[r].num = v;
        } else {
            int64_t *v = aiq_arena_alloc(arena, sizeof *v * (size_t)(n + 1));
            for (int32_t k = 0; k < n; k++) {
                json_t *el = json_array_get(d, (size_t)k);
                const char *s = json_string_value(el);
                size_t len = json_string_length(el);
                bool ok = s && (elem == AIQ_CHART_COL_DATETIME ? aiq_datetime_parse(s, len, &v[k])
                                                               : aiq_timespan_parse(s, len, &v[k]));
                if (!ok)
                    v[k] = INT64_MIN;
            }
            arr[r].ticks = v;
        }
    }
    return arr;
}

/* A dynamic column that is not arrays: its values as their JSON text. */
static const AiqStr *texts_of(const AiqColumnData *col, int64_t nrows, AiqArena *arena)
{
    AiqStr *str = aiq_arena_calloc(arena, sizeof *str * (size_t)(nrows + 1));
    json_t **rows = col->data;
    for (int64_t r = 0; r < nrows; r++) {
        char *text = rows[r] ? aiq_dyn_dumps(rows[r], 0) : NULL;
        if (text) {
            size_t len = strlen(text);
            if (json_is_string(rows[r])) { /* a string is its own text, without quotes */
                str[r].ptr = aiq_arena_strndup(arena, json_string_value(rows[r]), json_string_length(rows[r]));
                str[r].len = (uint32_t)json_string_length(rows[r]);
            } else {
                str[r].ptr = aiq_arena_strndup(arena, text, len);
                str[r].len = (uint32_t)len;
            }
        } else {
            str[r].ptr = "";
        }
        aiq_xfree(text);
    }
    return str;
}

/* The engine's view of table t: its arrays borrowed, what needs converting
 * (bools to bytes, dynamic values) made in arena. */
static AiqChartTable chart_table(const AiqTable *t, AiqArena *arena)
{
    AiqChartColumn *cols = aiq_arena_calloc(arena, sizeof *cols * (size_t)(t->schema.ncols + 1));
    for (int c = 0; c < t->schema.ncols; c++) {
        const AiqColumnData *col = &t->cols[c];
        AiqChartColumn *cc = &cols[c];
        cc->name = t->schema.cols[c].name;
        cc->validity = col->validity;
        switch (t->schema.cols[c].type) {
        case AIQ_TYPE_INT:
        case AIQ_TYPE_LONG: cc->kind = AIQ_CHART_COL_NUMBER; cc->i64 = col->data; break;
        case AIQ_TYPE_REAL: cc->kind = AIQ_CHART_COL_NUMBER; cc->num = col->data; break;
        case AIQ_TYPE_DATETIME: cc->kind = AIQ_CHART_COL_DATETIME; cc->ticks = col->data; break;
        case AIQ_TYPE_TIMESPAN: cc->kind = AIQ_CHART_COL_TIMESPAN; cc->ticks = col->data; break;
        case AIQ_TYPE_BOOL: {
            uint8_t *b = aiq_arena_alloc(arena, (size_t)t->nrows + 1);
            for (int64_t r = 0; r < t->nrows; r++)
                b[r] = ((const int64_t *)col->data)[r] != 0;
            cc->kind = AIQ_CHART_COL_BOOL;
            cc->boolean = b;
            break;
        }
        case AIQ_TYPE_DYNAMIC:
            cc->validity = NULL; /* a dynamic null is a NULL value, not a bit */
            if (array_kind(col, t->nrows, &cc->elem)) {
                cc->kind = AIQ_CHART_COL_ARRAY;
                cc->arr = arrays_of(col, t->nrows, cc->elem, arena);
            } else {
                cc->kind = AIQ_CHART_COL_STRING;
                cc->str = texts_of(col, t->nrows, arena);
            }
            break;
        default: cc->kind = AIQ_CHART_COL_STRING; cc->str = col->data; cc->validity = NULL; break;
        }
    }
    return (AiqChartTable){t->schema.ncols, t->nrows, cols};
}

/* ---- the chart ------------------------------------------------------------------ */

/* The chart plan's render asks for over t, in arena; NULL with err set
 * when it cannot be drawn (a kind aiq does not draw, no datetime column
 * for a timechart, ...). */
static AiqChart *build_chart(const AiqPlan *plan, const AiqTable *t, AiqArena *arena, AiqError *err)
{
    AiqChartRequest req;
    if (!aiq_chart_request_init(&req, plan->render, (AiqChartSpan){plan->render_off, plan->render_len}, err))
        return NULL;
    if (req.type == AIQ_CHART_TABLE) {
        aiq_error_set(err, AIQ_ERR_USAGE, plan->render_off, plan->render_len,
                      "render table shows the table; there is no chart to draw");
        return NULL;
    }
    for (int i = 0; i < plan->nrender_props; i++) {
        const AiqRenderProp *p = &plan->render_props[i];
        if (strcmp(p->name, "xmin") == 0 || strcmp(p->name, "xmax") == 0)
            continue; /* the axes fit the data */
        if (!aiq_chart_request_set(&req, arena, p->name, p->value, (AiqChartSpan){p->off, p->len}, err))
            return NULL;
    }
    AiqChartTable ct = chart_table(t, arena);
    return aiq_chart_build(&ct, &req, arena, err);
}

/* Whether the terminal takes UTF-8: the locale the user set (LC_ALL,
 * LC_CTYPE, LANG, the first one set) says so, or none is set (today's
 * terminals); "C" or "POSIX" alone means ASCII. */
static bool terminal_utf8(void)
{
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
    }
    return true;
}

/* The terminal's size in cells: the tty's, else $COLUMNS and $LINES,
 * else 100 x 30. */
static void terminal_size(FILE *out, int *cols, int *rows)
{
    struct winsize ws;
    *cols = 0;
    *rows = 0;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0) {
        *cols = ws.ws_col;
        *rows = ws.ws_row;
    }
    if (*cols <= 0 && getenv("COLUMNS"))
        *cols = atoi(getenv("COLUMNS"));
    if (*rows <= 0 && getenv("LINES"))
        *rows = atoi(getenv("LINES"));
    if (*cols <= 0)
        *cols = 100;
    if (*rows <= 0)
        *rows = 30;
}

bool aiq_session_render_term(const AiqPlan *plan, const AiqTable *t, FILE *out, int term_cols, int term_rows,
                             bool color, AiqStrBuf *sb, AiqError *why)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqChart *c = build_chart(plan, t, &arena, why);
    if (c) {
        int cols = term_cols, rows = term_rows;
        if (cols <= 0 || rows <= 0)
            terminal_size(out, &cols, &rows);
        /* the whole width; a height that leaves the prompt and the command
         * in view, between a readable 12 lines and 32 */
        int height = rows - 4 < 12 ? 12 : rows - 4 > 32 ? 32 : rows - 4;
        AiqChartTermOptions o = {cols < 24 ? 24 : cols, height, color, terminal_utf8()};
        aiq_chart_render_term(c, &o, sb);
    }
    aiq_arena_free(&arena);
    return c != NULL;
}

/* Writes text[0..len) to path whole or not at all: into a temporary file
 * beside it, renamed over it once complete, so that a reader (a dashboard)
 * never sees half a chart and a failure leaves the last one. */
static bool write_atomically(const char *path, const char *text, size_t len, AiqError *err)
{
    size_t n = strlen(path);
    char *tmp = aiq_xmalloc(n + 16);
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(tmp, n + 16, "%.*s.%s.XXXXXX", (int)dir, path, path + dir);
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    /* mkstemp makes the file private; the chart gets the mode a new file
     * would (or the one it replaces has), for the web server that shows it */
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    ok = ok && fchmod(fd, stat(path, &st) == 0 ? st.st_mode & 07777 : 0666 & ~mask) == 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    int e = errno;
    if (fd >= 0 && close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        if (fd >= 0)
            unlink(tmp);
        aiq_error_set(err, AIQ_ERR_IO, -1, 1, "--chart %s: cannot write the chart: %s", path, strerror(e));
    }
    aiq_xfree(tmp);
    return ok;
}

bool aiq_session_render_svg(const AiqPlan *plan, const AiqTable *t, const char *path, AiqError *err)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqChart *c = build_chart(plan, t, &arena, err);
    bool ok = c != NULL;
    if (ok) {
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_chart_render_svg(c, NULL, &sb);
        ok = write_atomically(path, aiq_sb_str(&sb), sb.len, err);
        aiq_sb_free(&sb);
    }
    aiq_arena_free(&arena);
    return ok;
}
