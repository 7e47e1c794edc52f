/*
 * chart_term.c -- draws a chart model in a terminal (see chart.h).
 *
 * Lines (time, line, anomaly charts) and scatter points are braille dots,
 * 2 x 4 per cell; areas and columns are vertical runs of eighth blocks and
 * bars horizontal ones, where the boundary between two stacked segments
 * inside one cell is drawn as a partial block in the lower colour on the
 * upper colour's background; a pie is a list of labelled shares with bars.
 * Without colour, series are told apart by glyphs (markers, shades)
 * instead; without UTF-8, everything falls back to ASCII.
 *
 * The layout, top to bottom: title, per panel a line with the y titles and
 * the plot with its y labels, the x axis with labels and title (and the
 * date the time labels leave out), the legend, notes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_axis.h"
#include "chart/chart_term_internal.h"

uint8_t term_series_ink(const AiqChartSeries *s)
{
    return (uint8_t)(s->color + 1);
}

uint32_t term_glyph(const Term *tm, uint32_t cp, char ascii)
{
    return tm->utf8 ? cp : (uint32_t)(unsigned char)ascii;
}

static bool is_bar_like(AiqChartType t)
{
    return t == AIQ_CHART_AREACHART || t == AIQ_CHART_COLUMNCHART || t == AIQ_CHART_BARCHART;
}

int term_count_panel_series(const AiqChart *c, int panel)
{
    int n = 0;
    for (int s = 0; s < c->nseries; s++)
        n += c->series[s].panel == panel;
    return n;
}

/* ---- legend and notes -------------------------------------------------- */

static bool any_anomalies(const AiqChart *c)
{
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].nanomalies)
            return true;
    return false;
}

/* Writes the swatch of series s at (col, row); returns its width. */
static int draw_swatch(Term *tm, const AiqChartSeries *s, int col, int row)
{
    uint8_t ink = term_series_ink(s);
    AiqChartType t = tm->c->type;
    int k = s->color;
    if (!tm->utf8) {
        char mark = is_bar_like(t) ? ascii_fills[k] : ascii_marks[k];
        aiq_chart_canvas_put(&tm->cv, col, row, (uint32_t)mark, ink, 0);
        aiq_chart_canvas_put(&tm->cv, col + 1, row, (uint32_t)mark, ink, 0);
        return 2;
    }
    if (is_bar_like(t)) {
        uint32_t g = tm->color ? FULL_BLOCK : shade_glyphs[k % 4];
        aiq_chart_canvas_put(&tm->cv, col, row, g, ink, 0);
        aiq_chart_canvas_put(&tm->cv, col + 1, row, g, ink, 0);
        return 2;
    }
    if (tm->color && t != AIQ_CHART_SCATTERCHART) {
        aiq_chart_canvas_put(&tm->cv, col, row, 0x2501, ink, 0); /* ━ */
        aiq_chart_canvas_put(&tm->cv, col + 1, row, 0x2501, ink, 0);
        return 2;
    }
    aiq_chart_canvas_put(&tm->cv, col, row, tm->color ? 0x25CF : marker_glyphs[k], ink, 0);
    return 1;
}

/* Lays the legend out in rows of "swatch name" items; draws it from row
 * when draw. Returns the rows it takes (at most MAX_LEGEND_ROWS; what does
 * not fit is summed up as "+N more"). */
int term_legend(Term *tm, int row, bool draw)
{
    const AiqChart *c = tm->c;
    if (!c->legend || c->nseries == 0 || tm->max_legend_rows == 0)
        return 0;
    int rows = 1, col = 1;
    int maxname = tm->width / 2 > 8 ? tm->width / 2 : 8;
    bool anomalies = any_anomalies(c);
    for (int s = 0; s < c->nseries; s++) {
        if (aiq_chart_legend_repeat(c, s))
            continue;
        const char *name = aiq_chart_text_clip(&tm->arena, c->series[s].name, maxname, tm->utf8);
        int w = 3 + aiq_chart_text_width(name);
        /* on the last row, room for a "+N more" marker after this item */
        int reserve = rows == tm->max_legend_rows && aiq_chart_legend_left(c, s) > 1 ? 10 : 0;
        if (col > 1 && col + w + reserve > tm->width) {
            if (rows == tm->max_legend_rows) {
                if (draw) {
                    char more[32];
                    snprintf(more, sizeof more, "+%d more", aiq_chart_legend_left(c, s));
                    aiq_chart_canvas_text(&tm->cv, col, row + rows - 1, more, AIQ_CHART_INK_AXIS,
                                          0);
                }
                return rows;
            }
            rows++;
            col = 1;
            reserve = rows == tm->max_legend_rows && aiq_chart_legend_left(c, s) > 1 ? 10 : 0;
        }
        if (col + w + reserve > tm->width) { /* alone on its row and still too long */
            int room = tm->width - col - 3 - reserve;
            name = aiq_chart_text_clip(&tm->arena, name, room > 1 ? room : 1, tm->utf8);
            w = 3 + aiq_chart_text_width(name);
        }
        if (draw) {
            int sw = draw_swatch(tm, &c->series[s], col, row + rows - 1);
            aiq_chart_canvas_text(&tm->cv, col + sw + 1, row + rows - 1, name, 0, 0);
        }
        col += w + 2;
    }
    if (anomalies) {
        const char *label = tm->utf8 ? "\xE2\x96\xB2\xE2\x96\xBC anomaly" : "^v anomaly";
        if (col > 1 && col + 10 > tm->width) {
            if (rows == tm->max_legend_rows)
                return rows;
            rows++;
            col = 1;
        }
        if (draw)
            aiq_chart_canvas_text(&tm->cv, col, row + rows - 1, label, AIQ_CHART_INK_ANOMALY,
                                  AIQ_CHART_STYLE_BOLD);
    }
    return rows;
}

int term_note_rows(const Term *tm)
{
    return tm->c->nnotes < tm->max_note_rows ? tm->c->nnotes : tm->max_note_rows;
}

/* In a short terminal the plot keeps its minimum: the notes go first, then
 * the legend rows after the first, the panels' y title lines (*headers
 * lines, when headers is not NULL), and at last the legend. */
void term_shrink_extras(Term *tm, int other_rows, int plot_rows, int *headers)
{
    while (other_rows + (headers ? *headers : 0) + term_legend(tm, 0, false) + term_note_rows(tm) +
               plot_rows >
           tm->height) {
        if (tm->max_note_rows > 0)
            tm->max_note_rows = 0;
        else if (tm->max_legend_rows > 1)
            tm->max_legend_rows = 1;
        else if (headers && *headers)
            *headers = 0;
        else if (tm->max_legend_rows > 0)
            tm->max_legend_rows = 0;
        else
            break;
    }
}

void term_draw_notes(Term *tm, int row)
{
    for (int i = 0; i < term_note_rows(tm); i++) {
        char buf[600];
        bool last_of_many = i == tm->max_note_rows - 1 && tm->c->nnotes > tm->max_note_rows;
        if (last_of_many)
            snprintf(buf, sizeof buf, "note: %d more notes", tm->c->nnotes - i);
        else
            snprintf(buf, sizeof buf, "note: %s", tm->c->notes[i]);
        aiq_chart_canvas_text(&tm->cv, 0, row + i,
                              aiq_chart_text_clip(&tm->arena, buf, tm->width, tm->utf8),
                              AIQ_CHART_INK_AXIS, 0);
    }
}

/* Writes text centred over columns [left, left + span). */
void term_text_centered(Term *tm, int left, int span, int row, const char *s, uint8_t ink,
                          uint8_t style)
{
    const char *t = aiq_chart_text_clip(&tm->arena, s, span > 0 ? span : 1, tm->utf8);
    int w = aiq_chart_text_width(t);
    int col = left + (span - w) / 2;
    aiq_chart_canvas_text(&tm->cv, col < 0 ? 0 : col, row, t, ink, style);
}

int term_draw_title(Term *tm, int row)
{
    if (!tm->c->title)
        return 0;
    term_text_centered(tm, 0, tm->width, row, tm->c->title, 0, AIQ_CHART_STYLE_BOLD);
    return 1;
}

/* ---- block runs (columns, areas, bars) --------------------------------- */

static AiqChartCell *lane_cell(Term *tm, Lane ln, int i)
{
    return ln.vertical ? aiq_chart_canvas_at(&tm->cv, ln.lane, ln.origin - i)
                       : aiq_chart_canvas_at(&tm->cv, ln.origin + i, ln.lane);
}

/* A block covering the near k eighths of a cell (lower or left part). */
static uint32_t near_block(bool vertical, int k)
{
    if (k >= 8)
        return FULL_BLOCK;
    return vertical ? 0x2580u + (uint32_t)k : 0x2590u - (uint32_t)k;
}

/* A block for the far part of a cell, rounded to what Unicode has. */
static uint32_t far_block(bool vertical, int n)
{
    if (n >= 6)
        return FULL_BLOCK;
    if (n >= 3)
        return vertical ? 0x2580u : 0x2590u; /* ▀ ▐ */
    return vertical ? 0x2594u : 0x2595u;     /* ▔ ▕ */
}

static void set_cell(AiqChartCell *cell, uint32_t cp, uint8_t fg, uint8_t bg, uint8_t fill)
{
    cell->cp = cp;
    cell->fg = fg;
    cell->bg = bg;
    cell->fill = fill;
    cell->dots = 0;
    cell->style = 0;
}

/* Fills eighths [a, b) of a lane in ink. glyph_index >= 0 asks for whole
 * cells of a per-series glyph (several series without colour, or ASCII). */
void term_fill_run(Term *tm, Lane ln, int a, int b, uint8_t ink, int glyph_index)
{
    if (a < 0)
        a = 0;
    for (int i = a / 8; i * 8 < b; i++) {
        AiqChartCell *cell = lane_cell(tm, ln, i);
        if (!cell)
            continue;
        int lo = (a > i * 8 ? a : i * 8) - i * 8, hi = (b < i * 8 + 8 ? b : i * 8 + 8) - i * 8;
        if (!tm->utf8 || glyph_index >= 0) {
            if (hi - lo >= 4) {
                int k = glyph_index < 0 ? 0 : glyph_index;
                uint32_t g =
                    tm->utf8 ? shade_glyphs[k % 4] : (uint32_t)(unsigned char)ascii_fills[k];
                set_cell(cell, g, ink, 0, 8);
            }
            continue;
        }
        if (lo == 0) {
            set_cell(cell, near_block(ln.vertical, hi), ink, 0, (uint8_t)hi);
        } else if (cell->fill == lo && lo < 8) {
            cell->bg = ink; /* the segment below ends here: share the cell */
            cell->fill = (uint8_t)hi;
        } else if (hi == 8) {
            set_cell(cell, far_block(ln.vertical, 8 - lo), ink, 0, 8);
        }
    }
}

/* ---- x and y mapping --------------------------------------------------- */

typedef struct Plot {
    int x0, pw;          /* first plot column, plot width in cells */
    int top, ph;         /* first row of the panel, its height in rows */
    AiqChartTicks xt;    /* x ticks (continuous axes) */
    AiqChartTicks yt[2]; /* the panel's left and right y ticks */
} Plot;

static double x_frac(const Term *tm, const Plot *p, double x)
{
    const AiqChart *c = tm->c;
    if (c->x.kind == AIQ_CHART_AXIS_CATEGORY)
        return c->ncategories > 0 ? (x + 0.5) / c->ncategories : 0.5;
    return aiq_chart_axis_frac(&p->xt, x);
}

/* Dot column of an x fraction; dot row (absolute) of a y fraction. */
static double dot_x(const Plot *p, double f)
{
    return f * (2 * p->pw - 1);
}

static double dot_y(const Plot *p, double f)
{
    return p->top * 4 + (1 - f) * (4 * p->ph - 1);
}

/* Liang-Barsky: clips the segment to the box; false when nothing is left. */
static bool clip_segment(double *x0, double *y0, double *x1, double *y1, double xmin, double xmax,
                         double ymin, double ymax)
{
    double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {*x0 - xmin, xmax - *x0, *y0 - ymin, ymax - *y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0 && r > t0)
            t0 = r;
        if (p[i] > 0 && r < t1)
            t1 = r;
    }
    if (t0 > t1)
        return false;
    double nx0 = *x0 + t0 * dx, ny0 = *y0 + t0 * dy;
    *x1 = *x0 + t1 * dx;
    *y1 = *y0 + t1 * dy;
    *x0 = nx0;
    *y0 = ny0;
    return true;
}

/* ---- series drawing ---------------------------------------------------- */

/* Draws a series as a braille line (a gap at each null), or as points: 2 x 2
 * dot squares, or the series' marker glyph when markers tell series apart. */
static void draw_line_series(Term *tm, const Plot *p, const AiqChartSeries *s, bool points_only,
                             bool markers)
{
    const AiqChartTicks *yt = &p->yt[s->axis];
    double xmax = 2 * p->pw - 1, ymin = p->top * 4, ymax = p->top * 4 + 4 * p->ph - 1;
    uint8_t ink = term_series_ink(s);
    char mark = ascii_marks[s->color];
    int dx0 = p->x0 * 2;
    bool have_prev = false;
    double px = 0, py = 0;
    for (int i = 0; i < s->npoints; i++) {
        double fy = aiq_chart_axis_frac(yt, s->y[i]), fx = x_frac(tm, p, s->x[i]);
        if (isnan(fy) || isnan(fx)) {
            have_prev = false;
            continue;
        }
        double x = dot_x(p, fx), y = dot_y(p, fy);
        if (points_only && markers) {
            if (y >= ymin && y <= ymax)
                aiq_chart_canvas_put(&tm->cv, p->x0 + (int)lround(x) / 2, (int)lround(y) / 4,
                                     marker_glyphs[s->color], ink, 0);
            continue;
        }
        if (points_only) {
            if (y >= ymin && y <= ymax)
                for (int k = 0; k < 4; k++) /* a 2 x 2 dot square reads as a point */
                    aiq_chart_canvas_dot(&tm->cv, dx0 + (int)lround(x) + k % 2,
                                         (int)lround(y) + k / 2 - (y > ymax - 1), ink, mark);
            continue;
        }
        double ax = have_prev ? px : x, ay = have_prev ? py : y, bx = x, by = y;
        if (clip_segment(&ax, &ay, &bx, &by, 0, xmax, ymin, ymax))
            aiq_chart_canvas_line(&tm->cv, dx0 + (int)lround(ax), (int)lround(ay),
                                  dx0 + (int)lround(bx), (int)lround(by), ink, mark);
        px = x;
        py = y;
        have_prev = true;
    }
}

/* Marks anomalies with a red triangle (up for a spike, down for a dip). */
static void draw_anomalies(Term *tm, const Plot *p, const AiqChartSeries *s)
{
    if (!s->anomaly)
        return;
    const AiqChartTicks *yt = &p->yt[s->axis];
    for (int i = 0; i < s->npoints; i++) {
        if (!s->anomaly[i])
            continue;
        double fy = aiq_chart_axis_frac(yt, s->y[i]), fx = x_frac(tm, p, s->x[i]);
        if (isnan(fy) || isnan(fx) || fy < 0 || fy > 1)
            continue;
        int col = p->x0 + (int)lround(dot_x(p, fx)) / 2, row = (int)lround(dot_y(p, fy)) / 4;
        uint32_t g = s->anomaly[i] > 0 ? term_glyph(tm, 0x25B2, '^') : term_glyph(tm, 0x25BC, 'v');
        aiq_chart_canvas_put(&tm->cv, col, row, g, AIQ_CHART_INK_ANOMALY, AIQ_CHART_STYLE_BOLD);
    }
}

/* Without colour, several lines are told apart by their marker at the last point. */
static void draw_end_marker(Term *tm, const Plot *p, const AiqChartSeries *s)
{
    const AiqChartTicks *yt = &p->yt[s->axis];
    for (int i = s->npoints - 1; i >= 0; i--) {
        double fy = aiq_chart_axis_frac(yt, s->y[i]), fx = x_frac(tm, p, s->x[i]);
        if (isnan(fy) || isnan(fx))
            continue;
        if (fy < 0 || fy > 1)
            return;
        int col = p->x0 + (int)lround(dot_x(p, fx)) / 2, row = (int)lround(dot_y(p, fy)) / 4;
        uint32_t g =
            tm->utf8 ? marker_glyphs[s->color] : (uint32_t)(unsigned char)ascii_marks[s->color];
        aiq_chart_canvas_put(&tm->cv, col, row, g, term_series_ink(s), AIQ_CHART_STYLE_BOLD);
        return;
    }
}

/* Eighths above the panel bottom for a value, clipped to the panel. */
static int eighths(const Plot *p, const AiqChartTicks *yt, double v)
{
    double f = aiq_chart_axis_frac(yt, v);
    if (isnan(f))
        f = 0; /* log axis: bars start at its bottom */
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return (int)lround(f * 8 * p->ph);
}

/* The value and base of series s at x by straight-line interpolation;
 * false outside its points or next to a gap. */
static bool interpolate(const AiqChartSeries *s, double x, double *y, double *base)
{
    int lo = 0, hi = s->npoints - 1;
    if (s->npoints == 0 || x < s->x[0] || x > s->x[hi])
        return false;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (s->x[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    double t = s->x[hi] > s->x[lo] ? (x - s->x[lo]) / (s->x[hi] - s->x[lo]) : 0;
    if (isnan(s->y[lo]) || isnan(s->y[hi]))
        return false;
    *y = s->y[lo] + t * (s->y[hi] - s->y[lo]);
    *base = s->base ? s->base[lo] + t * (s->base[hi] - s->base[lo]) : 0;
    return true;
}

static double series_peak(const AiqChartSeries *s)
{
    double m = -INFINITY;
    for (int i = 0; i < s->npoints; i++)
        if (!isnan(s->y[i]) && s->y[i] > m)
            m = s->y[i];
    return m;
}

static void draw_areas(Term *tm, const Plot *p, int panel)
{
    const AiqChart *c = tm->c;
    int order[256], n = 0;
    for (int s = 0; s < c->nseries && n < 256; s++)
        if (c->series[s].panel == panel)
            order[n++] = s;
    /* unstacked areas overlap: the tallest first, so that the smaller stay in sight */
    if (c->stacking == AIQ_CHART_UNSTACKED)
        for (int i = 1; i < n; i++)
            for (int j = i;
                 j > 0 && series_peak(&c->series[order[j]]) > series_peak(&c->series[order[j - 1]]);
                 j--) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
    int glyphs = (!tm->color && n > 1) || !tm->utf8;
    for (int col = 0; col < p->pw; col++) {
        double f = (col + 0.5) / p->pw;
        double x = c->x.kind == AIQ_CHART_AXIS_CATEGORY ? f * c->ncategories - 0.5
                                                        : p->xt.lo + f * (p->xt.hi - p->xt.lo);
        for (int k = 0; k < n; k++) {
            const AiqChartSeries *s = &c->series[order[k]];
            double y, base;
            if (!interpolate(s, x, &y, &base))
                continue;
            const AiqChartTicks *yt = &p->yt[s->axis];
            int e0 = eighths(p, yt, base), e1 = eighths(p, yt, y);
            Lane ln = {true, p->x0 + col, p->top + p->ph - 1};
            term_fill_run(tm, ln, e0 < e1 ? e0 : e1, e0 < e1 ? e1 : e0, term_series_ink(s),
                     glyphs ? s->color : -1);
        }
    }
}

/* Category slots of a column or bar layout. */
typedef struct Slots {
    int ncat;  /* categories drawn */
    int group; /* cells per category */
    int bar;   /* cells per bar */
    int nbars; /* bars per category (1 when stacked) */
} Slots;

static Slots column_slots(const Term *tm, int cells, int nbars)
{
    Slots sl = {tm->c->ncategories, 0, 1, nbars};
    if (sl.ncat > 0 && cells / sl.ncat < nbars)
        sl.ncat = cells / nbars; /* one cell per bar and still too many: cut */
    sl.group = sl.ncat > 0 ? cells / sl.ncat : cells;
    int gap = sl.group >= 4 ? (sl.group / 5 > 1 ? sl.group / 5 : 1) : sl.group > nbars ? 1 : 0;
    sl.bar = (sl.group - gap) / nbars;
    if (sl.bar < 1)
        sl.bar = 1;
    if (sl.bar > 12)
        sl.bar = 12;
    return sl;
}

static void draw_columns(Term *tm, const Plot *p, int panel)
{
    const AiqChart *c = tm->c;
    int npanel = term_count_panel_series(c, panel);
    bool stacked = c->stacking != AIQ_CHART_UNSTACKED;
    Slots sl = column_slots(tm, p->pw, stacked ? 1 : npanel);
    tm->visible_categories = sl.ncat;
    int glyphs = (!tm->color && npanel > 1) || !tm->utf8;
    int slot = 0;
    for (int si = 0; si < c->nseries; si++) {
        const AiqChartSeries *s = &c->series[si];
        if (s->panel != panel)
            continue;
        const AiqChartTicks *yt = &p->yt[s->axis];
        for (int i = 0; i < s->npoints; i++) {
            int k = (int)s->x[i];
            if (k >= sl.ncat || isnan(s->y[i]))
                continue;
            int left = p->x0 + k * sl.group + (sl.group - sl.nbars * sl.bar) / 2 +
                       (stacked ? 0 : slot * sl.bar);
            int e0 = eighths(p, yt, s->base ? s->base[i] : 0), e1 = eighths(p, yt, s->y[i]);
            for (int col = left; col < left + sl.bar; col++) {
                Lane ln = {true, col, p->top + p->ph - 1};
                term_fill_run(tm, ln, e0 < e1 ? e0 : e1, e0 < e1 ? e1 : e0, term_series_ink(s),
                         glyphs ? s->color : -1);
            }
        }
        slot++;
    }
}

static void draw_panel_series(Term *tm, const Plot *p, int panel)
{
    const AiqChart *c = tm->c;
    if (c->type == AIQ_CHART_AREACHART) {
        draw_areas(tm, p, panel);
        return;
    }
    if (c->type == AIQ_CHART_COLUMNCHART) {
        draw_columns(tm, p, panel);
        return;
    }
    int n = term_count_panel_series(c, panel);
    bool scatter = c->type == AIQ_CHART_SCATTERCHART;
    bool markers = !tm->color && tm->utf8 && n > 1; /* ASCII marks differ per series already */
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].panel == panel)
            draw_line_series(tm, p, &c->series[s], scatter, markers);
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].panel == panel && markers && !scatter)
            draw_end_marker(tm, p, &c->series[s]);
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].panel == panel)
            draw_anomalies(tm, p, &c->series[s]);
}

/* ---- axes -------------------------------------------------------------- */

static int tick_row(const Plot *p, const AiqChartTicks *t, int i)
{
    return (int)lround(dot_y(p, aiq_chart_axis_frac(t, t->v[i]))) / 4;
}

static void draw_y_axes(Term *tm, const Plot *p, const AiqChartPanel *panel, int ylw)
{
    uint32_t bar = term_glyph(tm, 0x2502, '|'), tick = term_glyph(tm, 0x2524, '+');
    uint32_t rtick = term_glyph(tm, 0x251C, '+');
    for (int r = 0; r < p->ph; r++) {
        aiq_chart_canvas_put(&tm->cv, p->x0 - 1, p->top + r, bar, AIQ_CHART_INK_AXIS, 0);
        if (panel->naxes == 2)
            aiq_chart_canvas_put(&tm->cv, p->x0 + p->pw, p->top + r, bar, AIQ_CHART_INK_AXIS, 0);
    }
    for (int a = 0; a < panel->naxes; a++) {
        const AiqChartTicks *t = &p->yt[a];
        for (int i = 0; i < t->n; i++) {
            int row = tick_row(p, t, i);
            int w = aiq_chart_text_width(t->label[i]);
            if (a == 0) {
                aiq_chart_canvas_text(&tm->cv, ylw - w, row, t->label[i], AIQ_CHART_INK_AXIS, 0);
                aiq_chart_canvas_put(&tm->cv, p->x0 - 1, row, tick, AIQ_CHART_INK_AXIS, 0);
            } else {
                aiq_chart_canvas_put(&tm->cv, p->x0 + p->pw, row, rtick, AIQ_CHART_INK_AXIS, 0);
                aiq_chart_canvas_text(&tm->cv, p->x0 + p->pw + 2, row, t->label[i],
                                      AIQ_CHART_INK_AXIS, 0);
            }
        }
    }
}

void term_x_label(Term *tm, XLabels *xl, int center, const char *text)
{
    int w = aiq_chart_text_width(text);
    int col = center - w / 2;
    if (col + w > xl->right)
        col = xl->right - w;
    if (col < xl->left)
        col = xl->left;
    if (col <= xl->last_end)
        return;
    aiq_chart_canvas_text(&tm->cv, col, xl->row, text, AIQ_CHART_INK_AXIS, 0);
    xl->last_end = col + w;
}

static void draw_x_axis(Term *tm, const Plot *p, int row, const Slots *sl)
{
    const AiqChart *c = tm->c;
    aiq_chart_canvas_put(&tm->cv, p->x0 - 1, row, term_glyph(tm, 0x2514, '+'), AIQ_CHART_INK_AXIS, 0);
    for (int i = 0; i < p->pw; i++)
        aiq_chart_canvas_put(&tm->cv, p->x0 + i, row, term_glyph(tm, 0x2500, '-'), AIQ_CHART_INK_AXIS,
                             0);
    XLabels xl = {row + 1, -1, 0, tm->width};
    uint32_t tick = term_glyph(tm, 0x252C, '+');
    if (c->x.kind != AIQ_CHART_AXIS_CATEGORY) {
        for (int i = 0; i < p->xt.n; i++) {
            int col = p->x0 + (int)lround(dot_x(p, aiq_chart_axis_frac(&p->xt, p->xt.v[i]))) / 2;
            aiq_chart_canvas_put(&tm->cv, col, row, tick, AIQ_CHART_INK_AXIS, 0);
            term_x_label(tm, &xl, col, p->xt.label[i]);
        }
        return;
    }
    int ncat = sl ? sl->ncat : c->ncategories;
    double group = sl ? sl->group : (double)p->pw / (ncat ? ncat : 1);
    AiqChartTicks ct;
    if (aiq_chart_category_time_ticks(c, p->pw / 8, &ct)) {
        /* datetimes: labels at round times, as on a time axis */
        for (int i = 0; i < ct.n; i++) {
            if (ct.v[i] > ncat - 0.5)
                break;
            int center = sl ? p->x0 + (int)lround((ct.v[i] + 0.5) * sl->group - 0.5)
                            : p->x0 + (int)lround(dot_x(p, (ct.v[i] + 0.5) / ncat)) / 2;
            aiq_chart_canvas_put(&tm->cv, center, row, tick, AIQ_CHART_INK_AXIS, 0);
            term_x_label(tm, &xl, center, ct.label[i]);
        }
        return;
    }
    /* other categories: every m-th label, m chosen so that the labels fit */
    int widest = 0;
    for (int k = 0; k < ncat; k++) {
        int w = aiq_chart_text_width(c->categories[k]);
        widest = w > widest ? w : widest;
    }
    widest = widest > 16 ? 16 : widest;
    int m = (int)ceil((widest + 1) / (group > 0 ? group : 1));
    m = m < 1 ? 1 : m;
    int room = (int)(m * group) - 1;
    for (int k = 0; k < ncat; k += m) {
        int center = sl ? p->x0 + k * sl->group + sl->group / 2
                        : p->x0 + (int)lround(dot_x(p, (k + 0.5) / ncat)) / 2;
        aiq_chart_canvas_put(&tm->cv, center, row, tick, AIQ_CHART_INK_AXIS, 0);
        term_x_label(tm, &xl, center,
                aiq_chart_text_clip(&tm->arena, c->categories[k], room > 1 ? room : 1, tm->utf8));
    }
}

static void draw_x_title(Term *tm, const Plot *p, int row)
{
    const AiqChart *c = tm->c;
    char buf[512];
    AiqChartTicks ct;
    const char *context = c->x.kind == AIQ_CHART_AXIS_TIME                   ? p->xt.context
                          : aiq_chart_category_time_ticks(c, p->pw / 8, &ct) ? ct.context
                          : c->x.kind == AIQ_CHART_AXIS_CATEGORY             ? c->x.context
                                                                             : NULL;
    term_text_centered(tm, p->x0, p->pw, row, aiq_chart_x_title(c->x.title, context, buf, sizeof buf), 0,
                  0);
}

/* x ticks that fit pw cells with a blank between labels. */
static void fit_x_ticks(const AiqChart *c, int pw, AiqChartTicks *xt)
{
    int maxticks = pw / 8;
    for (int round = 0; round < 4; round++) {
        aiq_chart_axis_ticks(&c->x, maxticks < 2 ? 2 : maxticks, xt);
        int need = xt->n * (aiq_chart_ticks_width(xt) + 2);
        if (need <= pw || maxticks <= 2)
            return;
        maxticks = pw / (aiq_chart_ticks_width(xt) + 2);
        if (maxticks >= xt->n)
            maxticks = xt->n - 1;
    }
}

/* ---- charts ------------------------------------------------------------ */

static bool has_points(const AiqChart *c)
{
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->series[s].npoints; i++)
            if (!isnan(c->series[s].y[i]))
                return true;
    return false;
}

void term_draw_empty(Term *tm)
{
    int rows = (tm->c->title ? 1 : 0) + 1 + term_note_rows(tm);
    aiq_chart_canvas_init(&tm->cv, tm->width, rows, tm->utf8);
    int row = term_draw_title(tm, 0);
    term_text_centered(tm, 0, tm->width, row, "(no data to chart)", AIQ_CHART_INK_AXIS, 0);
    term_draw_notes(tm, row + 1);
}

static bool any_panel_title(const AiqChart *c)
{
    for (int p = 0; p < c->npanels; p++)
        if (c->panels[p].y[0].title || (c->panels[p].naxes == 2 && c->panels[p].y[1].title))
            return true;
    return false;
}

/* The line above a panel: its left y title, and the right one under ysplit=axes. */
static void draw_panel_header(Term *tm, const AiqChartPanel *panel, int row)
{
    if (panel->y[0].title)
        aiq_chart_canvas_text(
            &tm->cv, 0, row,
            aiq_chart_text_clip(&tm->arena, panel->y[0].title, tm->width / 2, tm->utf8),
            AIQ_CHART_INK_AXIS, 0);
    if (panel->naxes == 2 && panel->y[1].title) {
        const char *t =
            aiq_chart_text_clip(&tm->arena, panel->y[1].title, tm->width / 2 - 1, tm->utf8);
        aiq_chart_canvas_text(&tm->cv, tm->width - aiq_chart_text_width(t), row, t,
                              AIQ_CHART_INK_AXIS, 0);
    }
}

/* The y ticks of every panel for panels ph rows high; returns the widest
 * left label and sets *rlw to the widest right one (0 without a right axis). */
static int y_ticks(Term *tm, Plot *plots, int ph, int *rlw)
{
    const AiqChart *c = tm->c;
    int maxticks = ph / 2 + 1 > 8 ? 8 : ph / 2 + 1; /* a blank row between labels */
    int ylw = 1;
    *rlw = 0;
    for (int i = 0; i < c->npanels; i++)
        for (int a = 0; a < c->panels[i].naxes; a++) {
            aiq_chart_axis_ticks(&c->panels[i].y[a], maxticks, &plots[i].yt[a]);
            int w = aiq_chart_ticks_width(&plots[i].yt[a]);
            int *widest = a == 0 ? &ylw : rlw;
            *widest = w > *widest ? w : *widest;
        }
    return ylw;
}

/* Time, line, area, column, scatter and anomaly charts: panels of plots
 * over one x axis. */
static void draw_xy(Term *tm)
{
    const AiqChart *c = tm->c;
    int np = c->npanels, title_rows = c->title ? 1 : 0;
    int headers = any_panel_title(c) ? np : 0;
    term_shrink_extras(tm, title_rows + 3, 3 * np, &headers);
    int header = headers ? 1 : 0, legend_rows = term_legend(tm, 0, false);
    int ph = (tm->height - title_rows - np * header - 3 - legend_rows - term_note_rows(tm)) / np;
    ph = ph < 3 ? 3 : ph;
    Plot *plots = aiq_arena_calloc(&tm->arena, sizeof *plots * (size_t)np);
    int rlw, ylw = y_ticks(tm, plots, ph, &rlw);
    int x0 = ylw + 2, pw = tm->width - x0 - (rlw ? rlw + 3 : 1);
    pw = pw < 8 ? 8 : pw;
    AiqChartTicks xt;
    memset(&xt, 0, sizeof xt);
    if (c->x.kind != AIQ_CHART_AXIS_CATEGORY)
        fit_x_ticks(c, pw, &xt);
    int rows = title_rows + np * (header + ph) + 3 + legend_rows + term_note_rows(tm);
    aiq_chart_canvas_init(&tm->cv, tm->width, rows, tm->utf8);
    int row = term_draw_title(tm, 0);
    for (int i = 0; i < np; i++) {
        Plot *p = &plots[i];
        if (header)
            draw_panel_header(tm, &c->panels[i], row++);
        p->x0 = x0;
        p->pw = pw;
        p->xt = xt;
        p->top = row;
        p->ph = ph;
        draw_y_axes(tm, p, &c->panels[i], ylw);
        draw_panel_series(tm, p, i);
        row += ph;
    }
    Slots sl = column_slots(tm, pw,
                            c->stacking != AIQ_CHART_UNSTACKED ? 1 : term_count_panel_series(c, np - 1));
    draw_x_axis(tm, &plots[np - 1], row, c->type == AIQ_CHART_COLUMNCHART ? &sl : NULL);
    draw_x_title(tm, &plots[np - 1], row + 2);
    row += 3;
    term_legend(tm, row, true);
    term_draw_notes(tm, row + legend_rows);
}

void aiq_chart_render_term(const AiqChart *c, const AiqChartTermOptions *opt, AiqStrBuf *out)
{
    Term tm = {.c = c, .color = opt->color, .utf8 = opt->utf8};
    tm.max_legend_rows = MAX_LEGEND_ROWS;
    tm.max_note_rows = MAX_NOTE_ROWS;
    tm.width = opt->width < 24 ? 24 : opt->width > 1000 ? 1000 : opt->width;
    tm.height = opt->height < 8 ? 8 : opt->height > 500 ? 500 : opt->height;
    aiq_arena_init(&tm.arena, 0);
    if (c->type == AIQ_CHART_PIECHART)
        term_draw_pie(&tm);
    else if (!has_points(c))
        term_draw_empty(&tm);
    else if (c->type == AIQ_CHART_BARCHART)
        term_draw_bars(&tm);
    else
        draw_xy(&tm);
    aiq_chart_canvas_write(&tm.cv, tm.color, out);
    if (tm.visible_categories && tm.visible_categories < c->ncategories) {
        char buf[128];
        snprintf(buf, sizeof buf, "note: %d of %d categories fit; filter or widen the terminal",
                 tm.visible_categories, c->ncategories);
        aiq_sb_puts(out, aiq_chart_text_clip(&tm.arena, buf, tm.width, tm.utf8));
        aiq_sb_putc(out, '\n');
    }
    aiq_chart_canvas_free(&tm.cv);
    aiq_arena_free(&tm.arena);
}
