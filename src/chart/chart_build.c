/*
 * chart_build.c -- result table + render request -> chart model (see
 * chart.h). This is where Kusto's render rules live:
 *
 *   x       xcolumn=, else the first column that fits the chart: the first
 *           datetime column for timechart and anomalychart (an error when
 *           there is none), the first number, datetime or timespan column
 *           that leaves a y column for line, area and scatter charts (else
 *           the first column, as categories), the first column for column,
 *           bar and pie charts (always categories). A table with a datetime
 *           array column is make-series output and uses it as x.
 *   y       ycolumns=, else every numeric column (numeric arrays under
 *           make-series) that is not x, a series column or an anomaly column.
 *   series  series=, else every other string and bool column; the distinct
 *           combined values split the rows into series, one per y column.
 *
 * Then (chart_shape.c) each series is put in x order (time, line, area charts), values
 * are accumulated, stacked (kind=stacked, stacked100), split into panels or
 * axes (ysplit=), and the axes get their ranges (ymin=, ymax=, yaxis=log).
 * Whatever is dropped or changed on the way becomes a note for the user.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_builder.h"
#include "chart/chart_util.h"
#include "util/mem.h"
#include "util/suggest.h"
#include "util/timefmt.h"

/* ---- a string -> index map (series keys, category labels) -------------- */


static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void strmap_grow(StrMap *m, AiqArena *arena)
{
    int cap = m->cap ? m->cap * 2 : 64;
    const char **keys = aiq_arena_calloc(arena, (size_t)cap * sizeof *keys);
    int *vals = aiq_arena_alloc(arena, (size_t)cap * sizeof *vals);
    for (int i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        uint64_t j = hash_bytes(m->keys[i], strlen(m->keys[i])) & (uint64_t)(cap - 1);
        while (keys[j])
            j = (j + 1) & (uint64_t)(cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
}

/* Returns the index of s (NUL-terminated), adding it as index m->n when new. */
static int strmap_intern(StrMap *m, AiqArena *arena, const char *s, bool *added)
{
    if ((m->n + 1) * 10 > m->cap * 7)
        strmap_grow(m, arena);
    size_t len = strlen(s);
    uint64_t j = hash_bytes(s, len) & (uint64_t)(m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], s) == 0) {
            *added = false;
            return m->vals[j];
        }
        j = (j + 1) & (uint64_t)(m->cap - 1);
    }
    m->keys[j] = aiq_arena_strndup(arena, s, len);
    m->vals[j] = m->n;
    *added = true;
    return m->n++;
}


void aiq_chart_note(Builder *b, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    b->notes = aiq_arena_grow(b->arena, b->notes, b->nnotes, &b->notes_cap, sizeof *b->notes, 4);
    b->notes[b->nnotes++] = aiq_arena_strndup(b->arena, buf, strlen(buf));
}

static AiqChartSpan prop_span(const Builder *b, AiqChartProp p)
{
    AiqChartSpan s = b->req->spans[p];
    return s.offset >= 0 ? s : b->req->type_span;
}

static const char *kind_name(const AiqChartColumn *c)
{
    switch (c->kind) {
    case AIQ_CHART_COL_NUMBER:
        return "number";
    case AIQ_CHART_COL_DATETIME:
        return "datetime";
    case AIQ_CHART_COL_TIMESPAN:
        return "timespan";
    case AIQ_CHART_COL_STRING:
        return "string";
    case AIQ_CHART_COL_BOOL:
        return "bool";
    case AIQ_CHART_COL_ARRAY:
        return c->elem == AIQ_CHART_COL_DATETIME   ? "array of datetimes"
               : c->elem == AIQ_CHART_COL_TIMESPAN ? "array of timespans"
                                                   : "array of numbers";
    }
    return "?";
}

static bool is_numeric_scalar(const AiqChartColumn *c)
{
    return c->kind == AIQ_CHART_COL_NUMBER || c->kind == AIQ_CHART_COL_TIMESPAN;
}

static bool is_numeric_array(const AiqChartColumn *c)
{
    return c->kind == AIQ_CHART_COL_ARRAY &&
           (c->elem == AIQ_CHART_COL_NUMBER || c->elem == AIQ_CHART_COL_TIMESPAN);
}

static bool is_y_kind(const Builder *b, const AiqChartColumn *c)
{
    return b->array_mode ? is_numeric_array(c) : is_numeric_scalar(c);
}

static bool is_time_x(const AiqChartColumn *c)
{
    return c->kind == AIQ_CHART_COL_DATETIME ||
           (c->kind == AIQ_CHART_COL_ARRAY && c->elem == AIQ_CHART_COL_DATETIME);
}

/* "a:string, b:number" for messages that list what the result has. */
static const char *describe_columns(Builder *b)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    for (int i = 0; i < b->t->ncols; i++)
        aiq_sb_printf(&sb, "%s%s:%s", i ? ", " : "", b->t->cols[i].name, kind_name(&b->t->cols[i]));
    const char *r = aiq_arena_strndup(b->arena, aiq_sb_str(&sb), sb.len);
    aiq_sb_free(&sb);
    return r;
}

/* Finds a column named by property p; sets err (with a suggestion) when absent. */
static int find_column(Builder *b, const char *name, AiqChartProp p)
{
    for (int i = 0; i < b->t->ncols; i++)
        if (strcmp(b->t->cols[i].name, name) == 0)
            return i;
    AiqChartSpan s = prop_span(b, p);
    static const char *const prop_label[AIQ_CHART_PROP_COUNT] = {
#define AIQ_CHART_PROP_NAME(id, pname) pname,
        AIQ_CHART_PROPS(AIQ_CHART_PROP_NAME)
#undef AIQ_CHART_PROP_NAME
    };
    aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                  "unknown column '%s' in render property %s", name, prop_label[p]);
    const char **names = aiq_arena_alloc(b->arena, sizeof *names * (size_t)(b->t->ncols + 1));
    for (int i = 0; i < b->t->ncols; i++)
        names[i] = b->t->cols[i].name;
    const char *near = aiq_suggest(name, strlen(name), names, (size_t)b->t->ncols);
    if (near)
        aiq_error_append(b->err, "; did you mean '%s'?", near);
    else
        aiq_error_append(b->err, " (the result has %s)", describe_columns(b));
    return -1;
}

/* Resolves a list property into column indexes (arena array); false on error. */
static bool find_columns(Builder *b, const char **names, int n, AiqChartProp p, int **out)
{
    *out = aiq_arena_alloc(b->arena, sizeof **out * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        if (((*out)[i] = find_column(b, names[i], p)) < 0)
            return false;
    return true;
}

static bool in_list(const int *list, int n, int col)
{
    for (int i = 0; i < n; i++)
        if (list[i] == col)
            return true;
    return false;
}

/* Which columns the request names for y, series and anomalies: the x rule skips them. */
typedef struct Named {
    int *y, ny, *keys, nkeys, *an, nan;
} Named;

static bool named_elsewhere(const Named *nm, int col)
{
    return in_list(nm->y, nm->ny, col) || in_list(nm->keys, nm->nkeys, col) ||
           in_list(nm->an, nm->nan, col);
}

/* The number of columns other than x that could be y in the given mode. */
static int count_y_candidates(Builder *b, const Named *nm, int x, bool arrays)
{
    if (nm->ny)
        return nm->ny;
    int n = 0;
    for (int i = 0; i < b->t->ncols; i++) {
        const AiqChartColumn *c = &b->t->cols[i];
        if (i != x && !named_elsewhere(nm, i) &&
            (arrays ? is_numeric_array(c) : is_numeric_scalar(c)))
            n++;
    }
    return n;
}

/* x -> the chart's rule (see the file comment); sets b->xcol and b->array_mode. */
static bool choose_x(Builder *b, const Named *nm)
{
    const AiqChartTable *t = b->t;
    const char *type = aiq_chart_type_name(b->req->type);
    if (b->req->xcolumn) {
        if ((b->xcol = find_column(b, b->req->xcolumn, AIQ_CHART_PROP_XCOLUMN)) < 0)
            return false;
        const AiqChartColumn *c = &t->cols[b->xcol];
        if (b->family == FAMILY_TIME && !is_time_x(c)) {
            AiqChartSpan s = prop_span(b, AIQ_CHART_PROP_XCOLUMN);
            return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                                 "render %s needs a datetime x column, but xcolumn '%s' is a %s",
                                 type, c->name, kind_name(c));
        }
        b->array_mode = c->kind == AIQ_CHART_COL_ARRAY;
        return true;
    }
    /* make-series output: its datetime array is the x axis of every chart,
     * as long as there are numeric arrays to draw against it */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < t->ncols; i++) {
            const AiqChartColumn *c = &t->cols[i];
            if (c->kind != AIQ_CHART_COL_ARRAY || named_elsewhere(nm, i) ||
                count_y_candidates(b, nm, i, true) == 0)
                continue;
            bool fits = pass == 0 ? c->elem == AIQ_CHART_COL_DATETIME : b->family != FAMILY_TIME;
            if (fits) {
                b->xcol = i;
                b->array_mode = true;
                return true;
            }
        }
    b->xcol = -1;
    for (int i = 0; i < t->ncols && b->xcol < 0; i++) {
        const AiqChartColumn *c = &t->cols[i];
        if (c->kind == AIQ_CHART_COL_ARRAY || named_elsewhere(nm, i))
            continue;
        if (b->family == FAMILY_TIME)
            b->xcol = c->kind == AIQ_CHART_COL_DATETIME ? i : -1;
        else if (b->family == FAMILY_CATEGORY)
            b->xcol = i;
        else if ((c->kind == AIQ_CHART_COL_NUMBER || c->kind == AIQ_CHART_COL_DATETIME ||
                  c->kind == AIQ_CHART_COL_TIMESPAN) &&
                 count_y_candidates(b, nm, i, false) > 0)
            b->xcol = i;
    }
    if (b->xcol < 0 && b->family == FAMILY_CONTINUOUS) /* categories along x */
        for (int i = 0; i < t->ncols && b->xcol < 0; i++)
            if (t->cols[i].kind != AIQ_CHART_COL_ARRAY && !named_elsewhere(nm, i))
                b->xcol = i;
    if (b->xcol >= 0)
        return true;
    AiqChartSpan s = b->req->type_span;
    if (b->family == FAMILY_TIME)
        return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                             "render %s needs a datetime column for the x axis; the result has "
                             "none (%s)",
                             type, describe_columns(b));
    return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                         "render %s has no column left for the x axis (%s)", type,
                         describe_columns(b));
}

/* y -> ycolumns=, else every numeric column of the mode that is free. */
static bool choose_y(Builder *b, const Named *nm)
{
    const AiqChartTable *t = b->t;
    const char *xname = t->cols[b->xcol].name;
    if (nm->ny) {
        for (int i = 0; i < nm->ny; i++) {
            const AiqChartColumn *c = &t->cols[nm->y[i]];
            if (is_y_kind(b, c))
                continue;
            AiqChartSpan s = prop_span(b, AIQ_CHART_PROP_YCOLUMNS);
            if (b->array_mode && is_numeric_scalar(c))
                return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                                     "ycolumns: '%s' is a single %s, but the x column '%s' is "
                                     "an array (make-series): y columns must be numeric arrays",
                                     c->name, kind_name(c), xname);
            if (!b->array_mode && is_numeric_array(c))
                return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                                     "ycolumns: '%s' is an array, but the x column '%s' is not; "
                                     "use mv-expand to turn arrays into rows",
                                     c->name, xname);
            return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                                 "ycolumns: '%s' is a %s column; y values must be numbers", c->name,
                                 kind_name(c));
        }
        b->ycols = nm->y;
        b->ny = nm->ny;
    } else {
        b->ycols = aiq_arena_alloc(b->arena, sizeof *b->ycols * (size_t)t->ncols);
        for (int i = 0; i < t->ncols; i++)
            if (i != b->xcol && !named_elsewhere(nm, i) && is_y_kind(b, &t->cols[i]))
                b->ycols[b->ny++] = i;
    }
    if (b->ny == 0) {
        AiqChartSpan s = b->req->type_span;
        return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                             "render %s needs a numeric %scolumn for the y axis besides x '%s'; "
                             "the result has none (%s)",
                             aiq_chart_type_name(b->req->type), b->array_mode ? "array " : "",
                             xname, describe_columns(b));
    }
    if (b->req->type == AIQ_CHART_PIECHART)
        b->ny = 1; /* slices are sized by the first; the others are noted as not drawn */
    return true;
}

/* series -> series=, else every free string or bool column. */
static bool choose_keys(Builder *b, const Named *nm)
{
    const AiqChartTable *t = b->t;
    if (nm->nkeys) {
        for (int i = 0; i < nm->nkeys; i++) {
            const AiqChartColumn *c = &t->cols[nm->keys[i]];
            if (c->kind == AIQ_CHART_COL_ARRAY) {
                AiqChartSpan s = prop_span(b, AIQ_CHART_PROP_SERIES);
                return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                                     "series: '%s' is an array; series columns hold one value "
                                     "per row",
                                     c->name);
            }
        }
        b->keycols = nm->keys;
        b->nkeys = nm->nkeys;
        return true;
    }
    b->keycols = aiq_arena_alloc(b->arena, sizeof *b->keycols * (size_t)t->ncols);
    for (int i = 0; i < t->ncols; i++) {
        const AiqChartColumn *c = &t->cols[i];
        if (i != b->xcol && !in_list(b->ycols, b->ny, i) && !in_list(nm->an, nm->nan, i) &&
            (c->kind == AIQ_CHART_COL_STRING || c->kind == AIQ_CHART_COL_BOOL))
            b->keycols[b->nkeys++] = i;
    }
    return true;
}

static bool choose_anomalies(Builder *b, const Named *nm)
{
    for (int i = 0; i < nm->nan; i++) {
        const AiqChartColumn *c = &b->t->cols[nm->an[i]];
        if (!is_y_kind(b, c)) {
            AiqChartSpan s = prop_span(b, AIQ_CHART_PROP_ANOMALYCOLUMNS);
            return aiq_error_set(b->err, AIQ_ERR_BIND, s.offset, s.length,
                                 "anomalycolumns: '%s' is a %s column; anomaly flags must be %s",
                                 c->name, kind_name(c),
                                 b->array_mode ? "numeric arrays like the y columns" : "numbers");
        }
    }
    b->ancols = nm->an;
    b->nan = nm->nan;
    return true;
}

/* A note naming the columns that play no part, so nothing vanishes silently. */
static void note_unused(Builder *b)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    int n = 0;
    for (int i = 0; i < b->t->ncols; i++)
        if (i != b->xcol && !in_list(b->ycols, b->ny, i) && !in_list(b->keycols, b->nkeys, i) &&
            !in_list(b->ancols, b->nan, i))
            aiq_sb_printf(&sb, "%s%s", n++ ? ", " : "", b->t->cols[i].name);
    if (n)
        aiq_chart_note(b, "column%s not drawn: %s", n > 1 ? "s" : "", aiq_sb_str(&sb));
    aiq_sb_free(&sb);
}

/* ---- reading values ---------------------------------------------------- */

static bool row_valid(const AiqChartColumn *c, int64_t r)
{
    return !c->validity || ((c->validity[r >> 6] >> (r & 63)) & 1);
}

/* A scalar as a double: ticks for datetime and timespan; NaN for null. */
static double scalar_value(const AiqChartColumn *c, int64_t r)
{
    if (!row_valid(c, r))
        return NAN;
    switch (c->kind) {
    case AIQ_CHART_COL_NUMBER:
        if (!c->num)
            return (double)c->i64[r];
        return isfinite(c->num[r]) ? c->num[r] : NAN;
    case AIQ_CHART_COL_DATETIME:
    case AIQ_CHART_COL_TIMESPAN:
        return (double)c->ticks[r];
    case AIQ_CHART_COL_BOOL:
        return c->boolean[r] ? 1 : 0;
    default:
        return NAN;
    }
}

static double array_elem(const AiqChartColumn *c, const AiqChartArray *a, int i)
{
    if (c->elem == AIQ_CHART_COL_NUMBER)
        return a->num && isfinite(a->num[i]) ? a->num[i] : NAN;
    return a->ticks && a->ticks[i] != INT64_MIN ? (double)a->ticks[i] : NAN;
}

static const AiqChartArray *row_array(const AiqChartColumn *c, int64_t r)
{
    static const AiqChartArray empty = {0, NULL, NULL};
    return row_valid(c, r) && c->arr ? &c->arr[r] : &empty;
}

/* Writes a value as a category or series label into buf (size >= 64):
 * numbers as written (429, 2026, 0.5: no thousands separators in a name),
 * datetimes in ISO 8601, timespans compactly. */
const char *aiq_chart_label_text(AiqChartAxisKind kind, double v, char *buf, size_t size)
{
    if (kind == AIQ_CHART_AXIS_NUMBER && !isnan(v)) {
        aiq_real_format(v, buf);
        return buf;
    }
    return aiq_chart_format_value(kind, v, buf, size);
}

static AiqChartAxisKind kind_axis(AiqChartColKind k)
{
    return k == AIQ_CHART_COL_DATETIME   ? AIQ_CHART_AXIS_TIME
           : k == AIQ_CHART_COL_TIMESPAN ? AIQ_CHART_AXIS_DURATION
                                         : AIQ_CHART_AXIS_NUMBER;
}

/* Appends a scalar's text as a label shows it. */
static void scalar_text(const AiqChartColumn *c, int64_t r, AiqStrBuf *sb)
{
    char buf[64];
    if (c->kind == AIQ_CHART_COL_STRING) {
        AiqStr s = row_valid(c, r) ? c->str[r] : (AiqStr){NULL, 0};
        if (s.len == 0)
            aiq_sb_puts(sb, "(empty)");
        for (uint32_t i = 0; i < s.len; i++) /* a NUL would end the label early */
            aiq_sb_putc(sb, s.ptr[i] ? s.ptr[i] : ' ');
        return;
    }
    double v = scalar_value(c, r);
    if (isnan(v))
        aiq_sb_puts(sb, "null");
    else if (c->kind == AIQ_CHART_COL_BOOL)
        aiq_sb_puts(sb, v != 0 ? "true" : "false");
    else
        aiq_sb_puts(sb, aiq_chart_label_text(kind_axis(c->kind), v, buf, sizeof buf));
}

/* ---- gathering points -------------------------------------------------- */

/* The gathered series of (group, y column), created on first use with a
 * copy of its key text. */
static int series_for(Builder *b, int group, int yi, const char *key)
{
    if (group >= b->group_cap) {
        int cap = b->group_cap ? b->group_cap * 2 : 16;
        b->group_series = aiq_xrealloc(b->group_series, sizeof *b->group_series * (size_t)cap);
        for (int g = b->group_cap; g < cap; g++)
            b->group_series[g] = NULL;
        b->group_cap = cap;
    }
    if (!b->group_series[group]) {
        b->group_series[group] = aiq_arena_alloc(b->arena, sizeof(int) * (size_t)b->ny);
        for (int i = 0; i < b->ny; i++)
            b->group_series[group][i] = -1;
    }
    int *slot = &b->group_series[group][yi];
    if (*slot < 0) {
        b->gathered =
            aiq_grow_array(b->gathered, b->ngathered, &b->gathered_cap, sizeof *b->gathered);
        Gathered *g = &b->gathered[b->ngathered];
        memset(g, 0, sizeof *g);
        g->key = aiq_arena_strndup(b->arena, key, strlen(key));
        g->yi = yi;
        g->group = group;
        *slot = b->ngathered++;
    }
    return *slot;
}

static void push_point(Builder *b, int s, double x, double y, int8_t anomaly)
{
    Gathered *g = &b->gathered[s];
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->x = aiq_xrealloc(g->x, sizeof *g->x * (size_t)g->cap);
        g->y = aiq_xrealloc(g->y, sizeof *g->y * (size_t)g->cap);
        g->anomaly = aiq_xrealloc(g->anomaly, sizeof *g->anomaly * (size_t)g->cap);
    }
    g->x[g->n] = x;
    g->y[g->n] = y;
    g->anomaly[g->n] = anomaly;
    g->n++;
    g->nanomalies += anomaly != 0;
}

/* The x position of a row (or of an array element): a category index for
 * interned categories, else the raw value (mapped to categories later). */
static double category_index(Builder *b, const char *label)
{
    bool added;
    return (double)strmap_intern(&b->categories, b->arena, label, &added);
}

static int8_t anomaly_sign(double v)
{
    return isnan(v) || v == 0 ? 0 : v > 0 ? 1 : -1;
}

static double y_value(Builder *b, int yi, double v)
{
    return b->y_to_seconds[yi] ? v / AIQ_TICKS_PER_SECOND : v;
}

/* A scalar row: one point per y column at the row's x. */
static void gather_scalar_row(Builder *b, int64_t r, int group, const char *key, AiqStrBuf *label)
{
    const AiqChartTable *t = b->t;
    const AiqChartColumn *xc = &t->cols[b->xcol];
    double x;
    if (b->intern_x) {
        aiq_sb_clear(label);
        scalar_text(xc, r, label);
        if (b->req->type == AIQ_CHART_PIECHART && b->nkeys) {
            aiq_sb_puts(label, ", ");
            aiq_sb_puts(label, key);
        }
        x = category_index(b, aiq_sb_str(label));
    } else if (isnan(x = scalar_value(xc, r))) {
        return; /* a point without x has no place on the axis */
    }
    int8_t an = 0;
    for (int a = 0; a < b->nan && !an; a++)
        an = anomaly_sign(scalar_value(&t->cols[b->ancols[a]], r));
    for (int yi = 0; yi < b->ny; yi++) {
        double y = y_value(b, yi, scalar_value(&t->cols[b->ycols[yi]], r));
        push_point(b, series_for(b, group, yi, key), x, y, yi == 0 ? an : 0);
    }
}

/* The anomaly flag of element i of a make-series row (the first non-zero one). */
static int8_t array_anomaly(Builder *b, int64_t r, int i)
{
    int8_t an = 0;
    for (int a = 0; a < b->nan && !an; a++) {
        const AiqChartColumn *ac = &b->t->cols[b->ancols[a]];
        const AiqChartArray *aa = row_array(ac, r);
        if (i < aa->n)
            an = anomaly_sign(array_elem(ac, aa, i));
    }
    return an;
}

/* A make-series row: one series per y column, a point per array element. */
static void gather_array_row(Builder *b, int64_t r, int group, const char *key)
{
    const AiqChartColumn *xc = &b->t->cols[b->xcol];
    const AiqChartArray *xa = row_array(xc, r);
    for (int yi = 0; yi < b->ny; yi++) {
        const AiqChartColumn *yc = &b->t->cols[b->ycols[yi]];
        const AiqChartArray *ya = row_array(yc, r);
        int n = xa->n < ya->n ? xa->n : ya->n;
        if (xa->n != ya->n)
            b->short_arrays++;
        int s = series_for(b, group, yi, key);
        for (int i = 0; i < n; i++) {
            double x = array_elem(xc, xa, i);
            if (isnan(x))
                continue;
            if (b->intern_x) {
                char buf[64];
                x = category_index(b, aiq_chart_label_text(b->raw_x_kind, x, buf, sizeof buf));
            }
            push_point(b, s, x, y_value(b, yi, array_elem(yc, ya, i)),
                       yi == 0 ? array_anomaly(b, r, i) : 0);
        }
    }
}

static void gather_row(Builder *b, int64_t r, AiqStrBuf *key, AiqStrBuf *label)
{
    aiq_sb_clear(key);
    for (int k = 0; k < b->nkeys; k++) {
        if (k)
            aiq_sb_puts(key, ", ");
        scalar_text(&b->t->cols[b->keycols[k]], r, key);
    }
    bool added;
    /* a pie has one series; its keys go into the slice labels */
    const char *group_key = b->req->type == AIQ_CHART_PIECHART ? "" : aiq_sb_str(key);
    int group = strmap_intern(&b->groups, b->arena, group_key, &added);
    if (b->array_mode)
        gather_array_row(b, r, group, aiq_sb_str(key));
    else
        gather_scalar_row(b, r, group, aiq_sb_str(key), label);
}

/* The axis kinds of y: durations when every y column on an axis is a timespan. */
static void choose_y_units(Builder *b)
{
    const AiqChartTable *t = b->t;
    b->y_to_seconds = aiq_arena_calloc(b->arena, sizeof *b->y_to_seconds * (size_t)b->ny);
    bool panels = b->req->ysplit == AIQ_CHART_SPLIT_PANELS;
    int nspan = 0;
    for (int yi = 0; yi < b->ny; yi++) {
        const AiqChartColumn *c = &t->cols[b->ycols[yi]];
        nspan += (c->kind == AIQ_CHART_COL_ARRAY ? c->elem : c->kind) == AIQ_CHART_COL_TIMESPAN;
    }
    bool mixed = !panels && nspan > 0 && nspan < b->ny;
    for (int yi = 0; yi < b->ny; yi++) {
        const AiqChartColumn *c = &t->cols[b->ycols[yi]];
        bool span = (c->kind == AIQ_CHART_COL_ARRAY ? c->elem : c->kind) == AIQ_CHART_COL_TIMESPAN;
        b->y_to_seconds[yi] = span && mixed;
    }
    if (mixed)
        aiq_chart_note(b, "timespan columns are drawn in seconds beside the numbers");
}

static Family family_of(AiqChartType type)
{
    switch (type) {
    case AIQ_CHART_TIMECHART:
    case AIQ_CHART_ANOMALYCHART:
        return FAMILY_TIME;
    case AIQ_CHART_LINECHART:
    case AIQ_CHART_AREACHART:
    case AIQ_CHART_SCATTERCHART:
        return FAMILY_CONTINUOUS;
    default:
        return FAMILY_CATEGORY;
    }
}

static bool resolve_named(Builder *b, Named *nm)
{
    const AiqChartRequest *req = b->req;
    memset(nm, 0, sizeof *nm);
    if (!find_columns(b, req->ycolumns, req->nycolumns, AIQ_CHART_PROP_YCOLUMNS, &nm->y) ||
        !find_columns(b, req->series, req->nseries, AIQ_CHART_PROP_SERIES, &nm->keys))
        return false;
    nm->ny = req->nycolumns;
    nm->nkeys = req->nseries;
    if (req->nanomalycolumns && req->type != AIQ_CHART_ANOMALYCHART) {
        aiq_chart_note(b, "anomalycolumns applies to anomalychart only; ignored");
        return find_columns(b, NULL, 0, AIQ_CHART_PROP_ANOMALYCOLUMNS, &nm->an);
    }
    if (!find_columns(b, req->anomalycolumns, req->nanomalycolumns, AIQ_CHART_PROP_ANOMALYCOLUMNS,
                      &nm->an))
        return false;
    nm->nan = req->nanomalycolumns;
    return true;
}

/* Reads how x is drawn from the x column's kind. */
static void choose_x_axis(Builder *b)
{
    AiqChart *c = b->chart;
    const AiqChartColumn *xc = &b->t->cols[b->xcol];
    AiqChartColKind k = xc->kind == AIQ_CHART_COL_ARRAY ? xc->elem : xc->kind;
    c->x.kind = k == AIQ_CHART_COL_DATETIME   ? AIQ_CHART_AXIS_TIME
                : k == AIQ_CHART_COL_TIMESPAN ? AIQ_CHART_AXIS_DURATION
                : k == AIQ_CHART_COL_NUMBER   ? AIQ_CHART_AXIS_NUMBER
                                              : AIQ_CHART_AXIS_CATEGORY;
    b->raw_x_kind = c->x.kind == AIQ_CHART_AXIS_CATEGORY ? AIQ_CHART_AXIS_NUMBER : c->x.kind;
    b->category = b->family == FAMILY_CATEGORY || c->x.kind == AIQ_CHART_AXIS_CATEGORY;
    b->intern_x = c->x.kind == AIQ_CHART_AXIS_CATEGORY || c->type == AIQ_CHART_PIECHART;
    if (b->req->xaxis == AIQ_CHART_LOG) {
        if (c->x.kind == AIQ_CHART_AXIS_NUMBER && !b->category)
            c->x.scale = AIQ_CHART_LOG;
        else
            aiq_chart_note(b, "xaxis=log applies to a numeric x axis only; drawn linear");
    }
}

static void finish_notes(Builder *b)
{
    if (b->short_arrays)
        aiq_chart_note(b, "%lld y array%s not as long as the x array; drawn up to the shorter",
             (long long)b->short_arrays, b->short_arrays > 1 ? "s were" : " was");
    if (b->dropped_log)
        aiq_chart_note(b, "yaxis=log: %lld value%s <= 0 not drawn", (long long)b->dropped_log,
             b->dropped_log > 1 ? "s" : "");
    if (b->duplicates)
        aiq_chart_note(b, "%d point%s with a repeated x value added to the first", b->duplicates,
             b->duplicates > 1 ? "s" : "");
    b->chart->notes = b->notes;
    b->chart->nnotes = b->nnotes;
}

AiqChart *aiq_chart_build(const AiqChartTable *t, const AiqChartRequest *req, AiqArena *arena,
                          AiqError *err)
{
    if (req->type == AIQ_CHART_TABLE || req->type >= AIQ_CHART_TYPE_COUNT) {
        aiq_error_set(err, AIQ_ERR_BIND, req->type_span.offset, req->type_span.length,
                      "render table shows the table; there is no chart to build");
        return NULL;
    }
    Builder b = {.t = t, .req = req, .arena = arena, .err = err};
    b.family = family_of(req->type);
    AiqChart *c = b.chart = aiq_arena_calloc(arena, sizeof *c);
    c->type = req->type;
    c->legend = !req->legend_hidden;
    bool stackable = req->type == AIQ_CHART_AREACHART || req->type == AIQ_CHART_COLUMNCHART ||
                     req->type == AIQ_CHART_BARCHART;
    c->stacking = stackable ? req->stacking : AIQ_CHART_UNSTACKED;
    if (!stackable && req->kind_set && req->stacking != AIQ_CHART_UNSTACKED)
        aiq_chart_note(&b, "kind=stacked applies to areachart, columnchart and barchart; ignored");
    Named nm;
    if (!resolve_named(&b, &nm) || !choose_x(&b, &nm) || !choose_y(&b, &nm) ||
        !choose_keys(&b, &nm) || !choose_anomalies(&b, &nm))
        return NULL;
    note_unused(&b);
    choose_x_axis(&b);
    choose_y_units(&b);
    AiqStrBuf key, label;
    aiq_sb_init(&key);
    aiq_sb_init(&label);
    for (int64_t r = 0; r < t->nrows; r++)
        gather_row(&b, r, &key, &label);
    aiq_sb_free(&key);
    aiq_sb_free(&label);
    aiq_chart_shape(&b);
    finish_notes(&b);
    for (int s = 0; s < b.ngathered; s++) {
        aiq_xfree(b.gathered[s].x);
        aiq_xfree(b.gathered[s].y);
        aiq_xfree(b.gathered[s].anomaly);
    }
    aiq_xfree(b.gathered);
    aiq_xfree(b.group_series);
    return c;
}
