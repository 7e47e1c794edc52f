/*
 * chart_svg.c -- draws a chart model as a self-contained SVG document (see
 * chart.h): no scripts, no external fonts or stylesheets, every text
 * escaped, so that the file opens the same in any browser or viewer.
 *
 * The look follows a dashboard's defaults: white card, a bold title and a
 * legend of swatches above the plot, light horizontal gridlines with grey
 * tick labels, 2 px lines, translucent areas, columns with gaps, anomaly
 * markers as red circles with a white ring. Each series is one
 * <g class="series" data-series="NAME"> holding a <title> (the tooltip)
 * and its <path>; hovering a series fades the others.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart.h"
#include "chart/chart_axis.h"
#include "chart/chart_util.h"

#define PAD 20.0
#define TITLE_H 30.0
#define LEGEND_ROW_H 20.0
#define TICK_FONT 11.0
#define LABEL_FONT 12.0
#define PANEL_GAP 36.0
#define MAX_LEGEND_ROWS 3
#define MAX_SLICES 10 /* a pie's slices beyond these are one grey "other" */

static const char *const palette_hex[AIQ_CHART_PALETTE] = {
#define AIQ_CHART_HEX(hex, xterm) hex,
    AIQ_CHART_PALETTE_COLORS(AIQ_CHART_HEX)
#undef AIQ_CHART_HEX
};

typedef struct Svg {
    const AiqChart *c;
    AiqStrBuf *out;
    double w, h;
    AiqArena arena; /* clipped texts */
} Svg;

/* Box of one plot panel, in pixels. */
typedef struct Box {
    double x, y, w, h;
} Box;

/* Writes text with &, <, >, " and ' escaped; controls become spaces and bad
 * UTF-8 becomes U+FFFD, so the document always parses. */
static void put_escaped(AiqStrBuf *out, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp = aiq_chart_utf8_next(s, n, &i);
        switch (cp) {
        case '&':
            aiq_sb_puts(out, "&amp;");
            break;
        case '<':
            aiq_sb_puts(out, "&lt;");
            break;
        case '>':
            aiq_sb_puts(out, "&gt;");
            break;
        case '"':
            aiq_sb_puts(out, "&quot;");
            break;
        case '\'':
            aiq_sb_puts(out, "&#39;");
            break;
        default: {
            char enc[4];
            if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                cp = cp < 0x20 ? ' ' : 0xFFFD;
            aiq_sb_append(out, enc, (size_t)aiq_chart_utf8_put(cp, enc));
        }
        }
    }
}

/* Rough width of text in pixels: no font metrics here, so an average
 * system-ui glyph (0.58 em), twice that for wide characters. */
static double text_px(const char *s, double font)
{
    return aiq_chart_text_width(s) * font * 0.58;
}

/* s cut with an ellipsis to about px pixels of font; the arena owns it. */
static const char *clip_px(Svg *g, const char *s, double font, double px)
{
    /* (rounded: px is often text_px() of s itself, and the division must
     * give its width back, not one character less) */
    int chars = (int)(px / (font * 0.58) + 1e-6);
    return aiq_chart_text_clip(&g->arena, s, chars > 1 ? chars : 1, true);
}

static void text(Svg *g, double x, double y, const char *cls, const char *anchor, const char *s)
{
    aiq_sb_printf(g->out, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\"", cls, x, y);
    if (anchor)
        aiq_sb_printf(g->out, " text-anchor=\"%s\"", anchor);
    aiq_sb_puts(g->out, ">");
    put_escaped(g->out, s);
    aiq_sb_puts(g->out, "</text>\n");
}

static void text_rotated(Svg *g, double x, double y, const char *cls, const char *s)
{
    aiq_sb_printf(g->out,
                  "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                  "transform=\"rotate(-90 %.1f %.1f)\">",
                  cls, x, y, x, y);
    put_escaped(g->out, s);
    aiq_sb_puts(g->out, "</text>\n");
}

static const char *series_color(const AiqChartSeries *s)
{
    return palette_hex[s->color % AIQ_CHART_PALETTE];
}

/* Opens a series group: <g class="series" data-series="NAME"><title>NAME</title>. */
static void open_series(Svg *g, const char *name, int index, const char *extra_class)
{
    aiq_sb_printf(g->out, "<g class=\"series s%d%s%s\" data-series=\"", index,
                  extra_class ? " " : "", extra_class ? extra_class : "");
    put_escaped(g->out, name);
    aiq_sb_puts(g->out, "\"><title>");
    put_escaped(g->out, name);
    aiq_sb_puts(g->out, "</title>");
}

static void write_head(Svg *g)
{
    const AiqChart *c = g->c;
    aiq_sb_printf(g->out,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" role=\"img\" font-family=\"system-ui, "
                  "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif\" "
                  "font-size=\"12\">\n",
                  g->w, g->h, g->w, g->h);
    aiq_sb_puts(g->out, "<title>");
    put_escaped(g->out, c->title ? c->title : aiq_chart_type_name(c->type));
    aiq_sb_puts(g->out, "</title>\n");
    if (c->nnotes) { /* what the chart left out, for whoever reads the file */
        aiq_sb_puts(g->out, "<desc>");
        for (int i = 0; i < c->nnotes; i++) {
            aiq_sb_puts(g->out, i ? "; " : "");
            put_escaped(g->out, c->notes[i]);
        }
        aiq_sb_puts(g->out, "</desc>\n");
    }
    aiq_sb_puts(g->out,
                "<style>\n"
                ".bg{fill:#ffffff}\n"
                ".title{fill:#111827;font-size:18px;font-weight:600}\n"
                ".axis-title{fill:#374151;font-size:12px;font-weight:500}\n"
                ".tick{fill:#6b7280;font-size:11px}\n"
                ".grid{stroke:#e5e7eb;stroke-width:1;shape-rendering:crispEdges}\n"
                ".axis{stroke:#9ca3af;stroke-width:1;shape-rendering:crispEdges}\n"
                ".label{fill:#374151;font-size:12px}\n"
                ".note{fill:#9ca3af;font-size:11px}\n"
                ".line path{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}\n"
                ".area .edge{fill:none;stroke-width:1.5;stroke-linejoin:round}\n"
                ".series{transition:opacity .15s}\n"
                "svg:has(.series:hover) .series:not(:hover){opacity:.3}\n"
                ".line:hover path{stroke-width:3}\n"
                ".anomaly{fill:" AIQ_CHART_ANOMALY_HEX ";stroke:#ffffff;stroke-width:1.5}\n"
                ".slice-label{fill:#ffffff;font-size:12px;font-weight:600}\n"
                ".empty{fill:#9ca3af;font-size:14px}\n"
                "</style>\n"
                "<rect class=\"bg\" width=\"100%\" height=\"100%\" rx=\"8\"/>\n");
}

/* ---- legend ------------------------------------------------------------ */

static bool line_like(AiqChartType t)
{
    return t == AIQ_CHART_TIMECHART || t == AIQ_CHART_LINECHART || t == AIQ_CHART_ANOMALYCHART;
}

static bool has_anomalies(const AiqChart *c)
{
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].nanomalies)
            return true;
    return false;
}

static void swatch(Svg *g, double x, double y, const char *color, bool line, bool circle)
{
    if (circle)
        aiq_sb_printf(g->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>", x + 6, y - 4,
                      color);
    else if (line)
        aiq_sb_printf(g->out,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"3\" rx=\"1.5\" "
                      "fill=\"%s\"/>",
                      x, y - 5.5, color);
    else
        aiq_sb_printf(g->out,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" rx=\"3\" "
                      "fill=\"%s\"/>",
                      x, y - 10, color);
}

/* Lays the legend items out from (x, y) in rows up to width; draws when
 * draw. Returns the rows used. */
static int legend(Svg *g, double x, double y, double width, bool draw)
{
    const AiqChart *c = g->c;
    if (!c->legend || c->nseries == 0 || c->type == AIQ_CHART_PIECHART)
        return 0;
    int rows = 1;
    double cx = x;
    bool anomalies = has_anomalies(c);
    int items = c->nseries + (anomalies ? 1 : 0);
    if (draw)
        aiq_sb_puts(g->out, "<g class=\"legend\">\n");
    for (int i = 0; i < items; i++) {
        bool is_anomaly = i == c->nseries;
        if (!is_anomaly && aiq_chart_legend_repeat(c, i))
            continue;
        const char *name = is_anomaly ? "anomaly" : c->series[i].name;
        double iw = 20 + text_px(name, LABEL_FONT) + 18;
        if (iw > width)
            iw = width;
        if (cx > x && cx + iw > x + width) {
            if (rows == MAX_LEGEND_ROWS) {
                if (draw) {
                    char more[32];
                    snprintf(more, sizeof more, "+%d more",
                             aiq_chart_legend_left(c, i) + (anomalies ? 1 : 0));
                    text(g, cx, y + (rows - 1) * LEGEND_ROW_H, "tick", NULL, more);
                }
                break;
            }
            rows++;
            cx = x;
        }
        if (draw) {
            double ty = y + (rows - 1) * LEGEND_ROW_H;
            const char *color = is_anomaly ? AIQ_CHART_ANOMALY_HEX : series_color(&c->series[i]);
            swatch(g, cx, ty, color, line_like(c->type) && !is_anomaly,
                   is_anomaly || c->type == AIQ_CHART_SCATTERCHART);
            text(g, cx + 20, ty, "label", NULL, clip_px(g, name, LABEL_FONT, iw - 38));
        }
        cx += iw;
    }
    if (draw)
        aiq_sb_puts(g->out, "</g>\n");
    return rows;
}

/* ---- axes -------------------------------------------------------------- */

static double px_x(const Box *b, double f)
{
    return b->x + f * b->w;
}

static double px_y(const Box *b, double f)
{
    return b->y + (1 - f) * b->h;
}

static double x_frac(const AiqChart *c, const AiqChartTicks *xt, double x)
{
    if (c->x.kind == AIQ_CHART_AXIS_CATEGORY)
        return c->ncategories > 0 ? (x + 0.5) / c->ncategories : 0.5;
    return aiq_chart_axis_frac(xt, x);
}

/* Horizontal gridlines and y labels of a panel (right axis: labels only). */
static void draw_y_grid(Svg *g, const Box *b, const AiqChartTicks *t, int side)
{
    for (int i = 0; i < t->n; i++) {
        double y = px_y(b, aiq_chart_axis_frac(t, t->v[i]));
        if (side == 0)
            aiq_sb_printf(g->out,
                          "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                          t->v[i] == 0 && t->lo < 0 ? "axis" : "grid", b->x, y, b->x + b->w, y);
        if (side == 0)
            text(g, b->x - 8, y + 4, "tick", "end", t->label[i]);
        else
            text(g, b->x + b->w + 8, y + 4, "tick", "start", t->label[i]);
    }
}

/* Tick labels along the bottom of box b: continuous ticks, or every m-th
 * category so that labels do not collide. */
static void draw_x_labels(Svg *g, const Box *b, const AiqChartTicks *xt)
{
    const AiqChart *c = g->c;
    double y = b->y + b->h;
    aiq_sb_printf(g->out,
                  "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", b->x,
                  y, b->x + b->w, y);
    if (c->x.kind != AIQ_CHART_AXIS_CATEGORY) {
        double last_end = -1e9;
        for (int i = 0; i < xt->n; i++) {
            double x = px_x(b, aiq_chart_axis_frac(xt, xt->v[i]));
            double lw = text_px(xt->label[i], TICK_FONT);
            aiq_sb_printf(
                g->out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                x, y, x, y + 4);
            if (x - lw / 2 > last_end + 6) {
                text(g, x, y + 18, "tick", "middle", xt->label[i]);
                last_end = x + lw / 2;
            }
        }
        return;
    }
    int n = c->ncategories;
    if (n == 0)
        return;
    double group = b->w / n, widest = 0;
    AiqChartTicks ct;
    if (aiq_chart_category_time_ticks(c, (int)(b->w / 90) + 1, &ct)) {
        /* datetimes: labels at round times, as on a time axis */
        for (int i = 0; i < ct.n; i++) {
            double x = b->x + (ct.v[i] + 0.5) * group;
            aiq_sb_printf(
                g->out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                x, y, x, y + 4);
            text(g, x, y + 18, "tick", "middle", ct.label[i]);
        }
        return;
    }
    for (int k = 0; k < n; k++)
        widest = fmax(widest, fmin(text_px(c->categories[k], TICK_FONT), 120));
    int m = (int)ceil((widest + 8) / group);
    m = m < 1 ? 1 : m;
    AiqArena tmp;
    aiq_arena_init(&tmp, 0);
    int room = (int)((m * group - 8) / (TICK_FONT * 0.58));
    for (int k = 0; k < n; k += m) {
        double x = b->x + (k + 0.5) * group;
        text(g, x, y + 18, "tick", "middle",
             aiq_chart_text_clip(&tmp, c->categories[k], room > 1 ? room : 1, true));
    }
    aiq_arena_free(&tmp);
}

/* ---- series ------------------------------------------------------------ */

/* Writes the points [from, to) of a run without gaps, keeping per pixel
 * column only the first, lowest, highest and last point (M4 aggregation):
 * the drawn line is the same, and a million points do not make a 12 MB file. */
static void write_m4(Svg *g, const Box *b, const AiqChartTicks *xt, const AiqChartTicks *yt,
                     const AiqChartSeries *s, int from, int to)
{
    const AiqChart *c = g->c;
    bool pen = false;
    int i = from;
    while (i < to) {
        double col = floor(px_x(b, x_frac(c, xt, s->x[i])));
        int lo = i, hi = i, last = i, j = i;
        for (; j < to && floor(px_x(b, x_frac(c, xt, s->x[j]))) == col; j++) {
            lo = s->y[j] < s->y[lo] ? j : lo;
            hi = s->y[j] > s->y[hi] ? j : hi;
            last = j;
        }
        int pick[4] = {i, lo < hi ? lo : hi, lo < hi ? hi : lo, last};
        for (int k = 0; k < 4; k++) {
            if (k > 0 && pick[k] == pick[k - 1])
                continue;
            int p = pick[k];
            aiq_sb_printf(g->out, "%s%.1f %.1f", pen ? "L" : "M", px_x(b, x_frac(c, xt, s->x[p])),
                          px_y(b, aiq_chart_axis_frac(yt, s->y[p])));
            pen = true;
        }
        i = j;
    }
}

static void draw_line(Svg *g, const Box *b, const AiqChartTicks *xt, const AiqChartTicks *yt,
                      const AiqChartSeries *s, int index)
{
    const AiqChart *c = g->c;
    open_series(g, s->name, index, "line");
    aiq_sb_printf(g->out, "<path stroke=\"%s\" d=\"", series_color(s));
    if (s->npoints > 4 * (int)b->w) {
        for (int i = 0; i < s->npoints;) {
            while (i < s->npoints && isnan(aiq_chart_axis_frac(yt, s->y[i])))
                i++;
            int start = i;
            while (i < s->npoints && !isnan(aiq_chart_axis_frac(yt, s->y[i])))
                i++;
            if (i > start)
                write_m4(g, b, xt, yt, s, start, i);
        }
        aiq_sb_puts(g->out, "\"/></g>\n");
        return;
    }
    bool pen = false;
    for (int i = 0; i < s->npoints; i++) {
        double fy = aiq_chart_axis_frac(yt, s->y[i]);
        if (isnan(fy)) {
            pen = false;
            continue;
        }
        double x = px_x(b, x_frac(c, xt, s->x[i])), y = px_y(b, fy);
        bool lone = !pen && (i + 1 >= s->npoints || isnan(s->y[i + 1]));
        aiq_sb_printf(g->out, "%s%.1f %.1f", pen ? "L" : "M", x, y);
        if (lone) /* a point between gaps still shows, as a round dot */
            aiq_sb_puts(g->out, "h0.01");
        pen = true;
    }
    aiq_sb_puts(g->out, "\"/></g>\n");
}

static void draw_scatter(Svg *g, const Box *b, const AiqChartTicks *xt, const AiqChartTicks *yt,
                         const AiqChartSeries *s, int index)
{
    open_series(g, s->name, index, "points");
    aiq_sb_printf(g->out, "<path fill=\"%s\" fill-opacity=\"0.8\" d=\"", series_color(s));
    for (int i = 0; i < s->npoints; i++) {
        double fy = aiq_chart_axis_frac(yt, s->y[i]);
        if (isnan(fy))
            continue;
        double x = px_x(b, x_frac(g->c, xt, s->x[i])), y = px_y(b, fy);
        aiq_sb_printf(g->out, "M%.1f %.1fa3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0", x - 3.5, y);
    }
    aiq_sb_puts(g->out, "\"/></g>\n");
}

/* The y of a base value: 0 (or the bottom of a log axis) unless stacked. */
static double base_y(const Box *b, const AiqChartTicks *yt, const AiqChartSeries *s, int i)
{
    double f = aiq_chart_axis_frac(yt, s->base ? s->base[i] : 0);
    if (isnan(f))
        f = 0;
    return px_y(b, fmin(fmax(f, 0), 1));
}

static void draw_area(Svg *g, const Box *b, const AiqChartTicks *xt, const AiqChartTicks *yt,
                      const AiqChartSeries *s, int index)
{
    const AiqChart *c = g->c;
    bool stacked = c->stacking != AIQ_CHART_UNSTACKED;
    open_series(g, s->name, index, "area");
    AiqStrBuf edge;
    aiq_sb_init(&edge);
    aiq_sb_printf(g->out, "<path fill=\"%s\" fill-opacity=\"%s\" stroke=\"none\" d=\"",
                  series_color(s), stacked ? "0.85" : "0.22");
    /* one closed shape per run of points without gaps: along the values,
     * back along the base */
    int i = 0;
    while (i < s->npoints) {
        while (i < s->npoints && isnan(aiq_chart_axis_frac(yt, s->y[i])))
            i++;
        int start = i;
        while (i < s->npoints && !isnan(aiq_chart_axis_frac(yt, s->y[i])))
            i++;
        if (i == start)
            break;
        for (int k = start; k < i; k++) {
            double x = px_x(b, x_frac(c, xt, s->x[k]));
            double y = px_y(b, aiq_chart_axis_frac(yt, s->y[k]));
            aiq_sb_printf(g->out, "%s%.1f %.1f", k == start ? "M" : "L", x, y);
            aiq_sb_printf(&edge, "%s%.1f %.1f", k == start ? "M" : "L", x, y);
        }
        for (int k = i - 1; k >= start; k--)
            aiq_sb_printf(g->out, "L%.1f %.1f", px_x(b, x_frac(c, xt, s->x[k])),
                          base_y(b, yt, s, k));
        aiq_sb_puts(g->out, "Z");
    }
    aiq_sb_printf(g->out, "\"/><path class=\"edge\" stroke=\"%s\" d=\"%s\"/></g>\n",
                  series_color(s), aiq_sb_str(&edge));
    aiq_sb_free(&edge);
}

/* Columns (vertical) or bars (horizontal) of one series as one path of rectangles. */
static void draw_blocks(Svg *g, const Box *b, const AiqChartTicks *vt, const AiqChartSeries *s,
                        int index, int slot, int nslots, bool horizontal)
{
    const AiqChart *c = g->c;
    int n = c->ncategories > 0 ? c->ncategories : 1;
    double group = (horizontal ? b->h : b->w) / n;
    double inner = group * (nslots > 1 ? 0.8 : 0.7), thick = inner / nslots;
    open_series(g, s->name, index, horizontal ? "bars" : "columns");
    aiq_sb_printf(g->out, "<path fill=\"%s\" d=\"", series_color(s));
    for (int i = 0; i < s->npoints; i++) {
        double f1 = aiq_chart_axis_frac(vt, s->y[i]);
        if (isnan(f1))
            continue;
        double f0 = aiq_chart_axis_frac(vt, s->base ? s->base[i] : 0);
        f0 = isnan(f0) ? 0 : fmin(fmax(f0, 0), 1);
        f1 = fmin(fmax(f1, 0), 1);
        double lo = fmin(f0, f1), hi = fmax(f0, f1);
        double off = s->x[i] * group + (group - inner) / 2 + slot * thick;
        if (horizontal) {
            double y = b->y + off, x = b->x + lo * b->w, len = (hi - lo) * b->w;
            aiq_sb_printf(g->out, "M%.1f %.1fh%.1fv%.1fh%.1fZ", x, y, len, thick * 0.92, -len);
        } else {
            double x = b->x + off, y = px_y(b, hi), len = (hi - lo) * b->h;
            aiq_sb_printf(g->out, "M%.1f %.1fh%.1fv%.1fh%.1fZ", x, y, thick * 0.92, len,
                          -thick * 0.92);
        }
    }
    aiq_sb_puts(g->out, "\"/></g>\n");
}

static void draw_anomalies(Svg *g, const Box *b, const AiqChartTicks *xt, const AiqChartTicks *yt,
                           const AiqChartSeries *s)
{
    const AiqChart *c = g->c;
    for (int i = 0; i < s->npoints; i++) {
        double fy = aiq_chart_axis_frac(yt, s->y[i]);
        if (!s->anomaly[i] || isnan(fy) || fy < 0 || fy > 1)
            continue;
        char xs[48], ys[48];
        aiq_chart_format_value(c->x.kind == AIQ_CHART_AXIS_CATEGORY ? AIQ_CHART_AXIS_NUMBER
                                                                    : c->x.kind,
                               s->x[i], xs, sizeof xs);
        if (c->x.kind == AIQ_CHART_AXIS_CATEGORY && (int)s->x[i] < c->ncategories)
            snprintf(xs, sizeof xs, "%s", c->categories[(int)s->x[i]]);
        aiq_chart_format_value(c->panels[s->panel].y[s->axis].kind, s->y[i], ys, sizeof ys);
        aiq_sb_printf(g->out, "<circle class=\"anomaly\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"><title>",
                      px_x(b, x_frac(c, xt, s->x[i])), px_y(b, fy));
        put_escaped(g->out, s->name);
        aiq_sb_printf(g->out, ": %s at %s: ", s->anomaly[i] > 0 ? "spike" : "dip", xs);
        put_escaped(g->out, ys);
        aiq_sb_puts(g->out, "</title></circle>\n");
    }
}

/* ---- whole charts ------------------------------------------------------ */

static bool has_points(const AiqChart *c)
{
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->series[s].npoints; i++)
            if (!isnan(c->series[s].y[i]))
                return true;
    return false;
}

/* Title and legend; returns where the plot may start. */
static double draw_header(Svg *g)
{
    double y = PAD;
    if (g->c->title) {
        /* bold glyphs run wider than the estimate: a little margin */
        text(g, PAD, y + 18, "title", NULL, clip_px(g, g->c->title, 18, (g->w - 2 * PAD) * 0.92));
        y += TITLE_H;
    }
    int rows = legend(g, PAD, y + 12, g->w - 2 * PAD, true);
    return y + rows * LEGEND_ROW_H + (rows ? 6 : 0);
}

static int count_slots(const AiqChart *c, int panel)
{
    if (c->stacking != AIQ_CHART_UNSTACKED)
        return 1;
    int n = 0;
    for (int s = 0; s < c->nseries; s++)
        n += c->series[s].panel == panel;
    return n ? n : 1;
}

static void draw_panel_series(Svg *g, const Box *b, const AiqChartTicks *xt,
                              const AiqChartTicks *yt, int panel)
{
    const AiqChart *c = g->c;
    int slot = 0, nslots = count_slots(c, panel);
    aiq_sb_printf(g->out, "<g clip-path=\"url(#aiq-clip-%d)\">\n", panel);
    for (int s = 0; s < c->nseries; s++) {
        const AiqChartSeries *cs = &c->series[s];
        if (cs->panel != panel)
            continue;
        const AiqChartTicks *t = &yt[cs->axis];
        switch (c->type) {
        case AIQ_CHART_AREACHART:
            draw_area(g, b, xt, t, cs, s);
            break;
        case AIQ_CHART_COLUMNCHART:
            draw_blocks(g, b, t, cs, s, c->stacking != AIQ_CHART_UNSTACKED ? 0 : slot, nslots,
                        false);
            break;
        case AIQ_CHART_SCATTERCHART:
            draw_scatter(g, b, xt, t, cs, s);
            break;
        default:
            draw_line(g, b, xt, t, cs, s);
        }
        slot++;
    }
    aiq_sb_puts(g->out, "</g>\n");
    for (int s = 0; s < c->nseries; s++)
        if (c->series[s].panel == panel && c->series[s].anomaly)
            draw_anomalies(g, b, xt, &yt[c->series[s].axis], &c->series[s]);
}

static void clip_rect(Svg *g, int id, const Box *b)
{
    /* a little slack so that 2 px lines on the edge are not cut in half */
    aiq_sb_printf(g->out,
                  "<clipPath id=\"aiq-clip-%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\"/></clipPath>\n",
                  id, b->x - 3, b->y - 3, b->w + 6, b->h + 6);
}

static void x_title(Svg *g, const Box *b, double y, const AiqChartTicks *xt)
{
    const AiqChart *c = g->c;
    char buf[512];
    AiqChartTicks ct;
    const char *context = c->x.kind == AIQ_CHART_AXIS_TIME ? xt->context
                          : aiq_chart_category_time_ticks(c, (int)(b->w / 90) + 1, &ct) ? ct.context
                          : c->x.kind == AIQ_CHART_AXIS_CATEGORY ? c->x.context
                                                                 : NULL;
    if (aiq_chart_x_title(c->x.title, context, buf, sizeof buf)[0])
        text(g, b->x + b->w / 2, y, "axis-title", "middle", clip_px(g, buf, LABEL_FONT, b->w));
}

static void draw_xy(Svg *g, double top)
{
    const AiqChart *c = g->c;
    int np = c->npanels;
    double bottom = g->h - PAD - 20 - (c->x.title ? 20 : 0);
    double ph = (bottom - top - 8 - PANEL_GAP * (np - 1)) / np;
    int maxticks = (int)(ph / 36) + 1;
    maxticks = maxticks < 2 ? 2 : maxticks > 8 ? 8 : maxticks;
    AiqChartTicks yt[AIQ_CHART_MAX_PANELS][2];
    double ylw = 0, rlw = 0;
    bool ytitles = false, rtitles = false;
    for (int p = 0; p < np; p++)
        for (int a = 0; a < c->panels[p].naxes; a++) {
            aiq_chart_axis_ticks(&c->panels[p].y[a], maxticks, &yt[p][a]);
            double w = 0;
            for (int i = 0; i < yt[p][a].n; i++)
                w = fmax(w, text_px(yt[p][a].label[i], TICK_FONT));
            if (a == 0) {
                ylw = fmax(ylw, w);
                ytitles = ytitles || c->panels[p].y[0].title;
            } else {
                rlw = fmax(rlw, w);
                rtitles = rtitles || c->panels[p].y[1].title;
            }
        }
    double left = PAD + (ytitles ? 22 : 0) + ylw + 10;
    double right = g->w - PAD - (rlw > 0 ? rlw + 10 + (rtitles ? 22 : 0) : 0);
    double pw = right - left;
    AiqChartTicks xt;
    memset(&xt, 0, sizeof xt);
    if (c->x.kind != AIQ_CHART_AXIS_CATEGORY) {
        int xmax = (int)(pw / 90) + 1;
        aiq_chart_axis_ticks(&c->x, xmax, &xt);
        double lw = 0;
        for (int i = 0; i < xt.n; i++)
            lw = fmax(lw, text_px(xt.label[i], TICK_FONT));
        if (xt.n * (lw + 16) > pw)
            aiq_chart_axis_ticks(&c->x, (int)(pw / (lw + 16)), &xt);
    }
    Box last = {0};
    for (int p = 0; p < np; p++) {
        Box b = {left, top + 8 + p * (ph + PANEL_GAP), pw, ph};
        const AiqChartPanel *panel = &c->panels[p];
        aiq_sb_printf(g->out, "<g class=\"panel\" data-panel=\"%d\">\n", p);
        clip_rect(g, p, &b);
        draw_y_grid(g, &b, &yt[p][0], 0);
        if (panel->naxes == 2)
            draw_y_grid(g, &b, &yt[p][1], 1);
        if (panel->y[0].title)
            text_rotated(g, PAD + 10, b.y + b.h / 2, "axis-title", panel->y[0].title);
        if (panel->naxes == 2 && panel->y[1].title)
            text_rotated(g, g->w - PAD - 6, b.y + b.h / 2, "axis-title", panel->y[1].title);
        draw_panel_series(g, &b, &xt, yt[p], p);
        if (p < np - 1) /* the last panel's baseline comes with the x labels */
            aiq_sb_printf(
                g->out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                b.x, b.y + b.h, b.x + b.w, b.y + b.h);
        aiq_sb_puts(g->out, "</g>\n");
        last = b;
    }
    draw_x_labels(g, &last, &xt);
    x_title(g, &last, last.y + last.h + 40, &xt);
}

/* Horizontal bars: categories down the left, values along the bottom. */
static void draw_barchart(Svg *g, double top)
{
    const AiqChart *c = g->c;
    int np = c->npanels;
    double widest = 0;
    for (int k = 0; k < c->ncategories; k++)
        widest = fmax(widest, text_px(c->categories[k], TICK_FONT));
    widest = fmin(widest, g->w * 0.3);
    bool xtitle = c->x.title != NULL;
    double left = PAD + (xtitle ? 22 : 0) + widest + 10, right = g->w - PAD;
    double bottom = g->h - PAD - 20 - 20;
    double ph = (bottom - top - 8 - PANEL_GAP * (np - 1)) / np;
    AiqArena tmp;
    aiq_arena_init(&tmp, 0);
    int room = (int)(widest / (TICK_FONT * 0.58));
    for (int p = 0; p < np; p++) {
        Box b = {left, top + 8 + p * (ph + PANEL_GAP), right - left, ph};
        const AiqChartPanel *panel = &c->panels[p];
        AiqChartTicks vt;
        aiq_chart_axis_ticks(&panel->y[0], (int)(b.w / 80) + 1, &vt);
        aiq_sb_printf(g->out, "<g class=\"panel\" data-panel=\"%d\">\n", p);
        for (int i = 0; i < vt.n; i++) {
            double x = px_x(&b, aiq_chart_axis_frac(&vt, vt.v[i]));
            aiq_sb_printf(g->out,
                          "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                          vt.v[i] == 0 ? "axis" : "grid", x, b.y, x, b.y + b.h);
            text(g, x, b.y + b.h + 18, "tick", "middle", vt.label[i]);
        }
        double group = c->ncategories ? b.h / c->ncategories : b.h;
        for (int k = 0; k < c->ncategories; k++)
            text(g, left - 8, b.y + (k + 0.5) * group + 4, "tick", "end",
                 aiq_chart_text_clip(&tmp, c->categories[k], room > 1 ? room : 1, true));
        int slot = 0, nslots = count_slots(c, p);
        for (int s = 0; s < c->nseries; s++)
            if (c->series[s].panel == p) {
                draw_blocks(g, &b, &vt, &c->series[s], s,
                            c->stacking != AIQ_CHART_UNSTACKED ? 0 : slot, nslots, true);
                slot++;
            }
        if (panel->y[0].title)
            text(g, b.x + b.w / 2, b.y + b.h + 40, "axis-title", "middle", panel->y[0].title);
        aiq_sb_puts(g->out, "</g>\n");
    }
    if (xtitle)
        text_rotated(g, PAD + 10, top + 8 + (bottom - top - 8) / 2, "axis-title", c->x.title);
    aiq_arena_free(&tmp);
}

/* A pie's slices: the positive values in order, those beyond MAX_SLICES - 1
 * summed into one grey "other" slice. */
typedef struct Slice {
    const char *label;
    double value;
    const char *color;
} Slice;

static int pie_slices(Svg *g, AiqArena *arena, Slice **out, double *total)
{
    const AiqChartSeries *s = &g->c->series[0];
    int npos = 0;
    for (int i = 0; i < s->npoints; i++)
        npos += s->y[i] > 0;
    int shown = npos > MAX_SLICES ? MAX_SLICES - 1 : npos, n = 0;
    Slice *slices = aiq_arena_alloc(arena, sizeof *slices * (size_t)(shown + 1));
    *total = 0;
    for (int i = 0; i < s->npoints; i++) {
        if (!(s->y[i] > 0))
            continue;
        *total += s->y[i];
        if (n < shown) {
            slices[n] = (Slice){g->c->categories[(int)s->x[i]], s->y[i],
                                palette_hex[n % AIQ_CHART_PALETTE]};
            n++;
        } else if (n == shown) {
            slices[n++] = (Slice){NULL, s->y[i], "#9ca3af"};
        } else {
            slices[shown].value += s->y[i];
        }
    }
    if (n > shown)
        slices[shown].label = aiq_arena_printf(arena, "other (%d)", npos - shown);
    *out = slices;
    return n;
}

/* One slice from angle a0 sweeping clockwise, as a series with its tooltip. */
static void pie_slice(Svg *g, const Slice *sl, int index, double cx, double cy, double r, double a0,
                      double sweep)
{
    double a1 = a0 + sweep;
    open_series(g, sl->label, index, "slice");
    if (sweep >= 2 * M_PI - 1e-9) /* one slice: a full circle needs two arcs */
        aiq_sb_printf(g->out,
                      "<path fill=\"%s\" d=\"M%.1f %.1fa%.1f %.1f 0 1 0 %.1f 0a%.1f %.1f 0 1 0 "
                      "%.1f 0Z\"/>",
                      sl->color, cx - r, cy, r, r, 2 * r, r, r, -2 * r);
    else
        aiq_sb_printf(g->out,
                      "<path fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1.5\" "
                      "d=\"M%.1f %.1fL%.1f %.1fA%.1f %.1f 0 %d 1 %.1f %.1fZ\"/>",
                      sl->color, cx, cy, cx + r * cos(a0), cy + r * sin(a0), r, r,
                      sweep > M_PI ? 1 : 0, cx + r * cos(a1), cy + r * sin(a1));
    aiq_sb_puts(g->out, "</g>\n");
}

/* A pie on the left, a legend of label, value and share on the right. */
static void draw_pie(Svg *g, double top)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    Slice *slices;
    double total;
    int n = pie_slices(g, &arena, &slices, &total);
    if (n == 0) {
        text(g, g->w / 2, top + (g->h - top) / 2, "empty", "middle", "No positive values to chart");
        aiq_arena_free(&arena);
        return;
    }
    double legend_w = fmin(g->w * 0.4, 320);
    double avail_w = g->w - 2 * PAD - legend_w, avail_h = g->h - top - PAD;
    double r = fmin(avail_w, avail_h) / 2 - 8;
    double cx = PAD + avail_w / 2, cy = top + avail_h / 2;
    double angle = -M_PI / 2; /* the first slice starts at twelve o'clock */
    double lx = g->w - PAD - legend_w + 16, ly = top + 24;
    for (int i = 0; i < n; i++) {
        double sweep = slices[i].value / total * 2 * M_PI;
        pie_slice(g, &slices[i], i, cx, cy, r, angle, sweep);
        char pct[32], v[48];
        snprintf(pct, sizeof pct, "%.1f%%", slices[i].value / total * 100);
        if (sweep > 0.3) { /* room for the share inside */
            double mid = angle + sweep / 2;
            text(g, cx + r * 0.65 * cos(mid), cy + r * 0.65 * sin(mid) + 4, "slice-label", "middle",
                 pct);
        }
        if (ly < g->h - PAD) {
            swatch(g, lx, ly, slices[i].color, false, false);
            text(g, lx + 20, ly, "label", NULL,
                 aiq_chart_text_clip(&arena, slices[i].label, (int)((legend_w - 150) / 7), true));
            aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, slices[i].value, v, sizeof v);
            text(g, g->w - PAD - 56, ly, "tick", "end", v);
            text(g, g->w - PAD, ly, "tick", "end", pct);
            ly += 22;
        }
        angle += sweep;
    }
    aiq_arena_free(&arena);
}

void aiq_chart_render_svg(const AiqChart *c, const AiqChartSvgOptions *opt, AiqStrBuf *out)
{
    Svg g = {.c = c, .out = out};
    aiq_arena_init(&g.arena, 0);
    g.w = opt && opt->width > 0 ? opt->width : 960;
    g.h = opt && opt->height > 0 ? opt->height : 540;
    g.w = fmax(g.w, 240);
    g.h = fmax(g.h, 160);
    write_head(&g);
    double top = draw_header(&g);
    if (!has_points(c) || (c->type == AIQ_CHART_PIECHART && c->nseries == 0))
        text(&g, g.w / 2, top + (g.h - top) / 2, "empty", "middle", "No data to chart");
    else if (c->type == AIQ_CHART_PIECHART)
        draw_pie(&g, top);
    else if (c->type == AIQ_CHART_BARCHART)
        draw_barchart(&g, top);
    else
        draw_xy(&g, top);
    aiq_sb_puts(out, "</svg>\n");
    aiq_arena_free(&g.arena);
}
