/*
 * chart_term_bars.c -- bar charts and pies in a terminal: bars are
 * horizontal runs of eighth blocks with the category labels on the left
 * and a value axis below (stacked: one bar a category, its segments in the
 * series' colours); a pie is a list of labelled shares with bars.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_axis.h"
#include "chart/chart_term_internal.h"

/* Where a horizontal bar chart goes. */
typedef struct BarLayout {
    bool stacked;
    int ncat;   /* categories that fit */
    int group;  /* rows per category: a bar per series (stacked: one), a blank between */
    int body;   /* rows of bars per panel */
    int lw;     /* category label width */
    int x0, pw; /* first bar column and the value axis width */
    int header; /* a title row above each panel */
} BarLayout;

static BarLayout bars_layout(Term *tm)
{
    const AiqChart *c = tm->c;
    BarLayout L = {.stacked = c->stacking != AIQ_CHART_UNSTACKED};
    int nbars = 1;
    for (int p = 0; p < c->npanels && !L.stacked; p++)
        if (term_count_panel_series(c, p) > nbars)
            nbars = term_count_panel_series(c, p);
    int gap = nbars > 1 ? 1 : 0;
    L.group = nbars + gap;
    L.header = c->npanels > 1 ? 1 : 0;
    int title_rows = c->title ? 1 : 0;
    term_shrink_extras(tm, title_rows, c->npanels * (L.header + L.group + 3), NULL);
    int avail = (tm->height - title_rows - term_legend(tm, 0, false) - term_note_rows(tm)) / c->npanels - 3 -
                L.header;
    avail = avail < L.group ? L.group : avail;
    L.ncat = c->ncategories;
    if (L.ncat * L.group - gap > avail)
        L.ncat = (avail + gap) / L.group;
    tm->visible_categories = L.ncat;
    L.body = L.ncat * L.group - (L.ncat > 0 ? gap : 0);
    L.lw = 1;
    for (int k = 0; k < L.ncat; k++) {
        int w = aiq_chart_text_width(c->categories[k]);
        L.lw = w > L.lw ? w : L.lw;
    }
    L.lw = L.lw > tm->width / 3 ? tm->width / 3 : L.lw;
    L.x0 = L.lw + 2;
    L.pw = tm->width - L.x0 - 1;
    if (!L.stacked) { /* room for the value after the longest bar */
        int vw = 0;
        char v[48];
        for (int s = 0; s < c->nseries; s++)
            for (int i = 0; i < c->series[s].npoints; i++) {
                const AiqChartAxis *ax = &c->panels[c->series[s].panel].y[0];
                int w = aiq_chart_text_width(
                    aiq_chart_format_value(ax->kind, c->series[s].y[i], v, sizeof v));
                vw = w > vw ? w : vw;
            }
        L.pw -= vw + 1;
    }
    L.pw = L.pw < 8 ? 8 : L.pw;
    return L;
}

static double clamp01(double f)
{
    return isnan(f) ? 0 : f < 0 ? 0 : f > 1 ? 1 : f;
}

/* The bars of one series in a panel whose first bar row is top. */
static void draw_bar_series(Term *tm, const BarLayout *L, const AiqChartSeries *s, int slot,
                            int top, const AiqChartTicks *vt, bool glyphs)
{
    int span = L->pw * 8;
    for (int i = 0; i < s->npoints; i++) {
        int k = (int)s->x[i];
        if (k >= L->ncat || isnan(s->y[i]))
            continue;
        int e0 = (int)lround(clamp01(aiq_chart_axis_frac(vt, s->base ? s->base[i] : 0)) * span);
        int e1 = (int)lround(clamp01(aiq_chart_axis_frac(vt, s->y[i])) * span);
        int row = top + k * L->group + (L->stacked ? 0 : slot);
        Lane ln = {false, row, L->x0};
        term_fill_run(tm, ln, e0 < e1 ? e0 : e1, e0 < e1 ? e1 : e0, term_series_ink(s),
                 glyphs ? s->color : -1);
        if (!L->stacked) {
            char v[48];
            aiq_chart_format_value(tm->c->panels[s->panel].y[0].kind, s->y[i], v, sizeof v);
            int end = L->x0 + ((e0 > e1 ? e0 : e1) + 7) / 8 + 1;
            aiq_chart_canvas_text(&tm->cv, end, row, v, AIQ_CHART_INK_AXIS, 0);
        }
    }
}

/* The value axis under a panel's bars: line, ticks, labels, title. */
static void draw_value_axis(Term *tm, const BarLayout *L, const AiqChartTicks *vt, int row,
                            const char *title)
{
    aiq_chart_canvas_put(&tm->cv, L->x0 - 1, row, term_glyph(tm, 0x2514, '+'), AIQ_CHART_INK_AXIS, 0);
    for (int i = 0; i < L->pw; i++)
        aiq_chart_canvas_put(&tm->cv, L->x0 + i, row, term_glyph(tm, 0x2500, '-'), AIQ_CHART_INK_AXIS,
                             0);
    XLabels xl = {row + 1, -1, 0, tm->width};
    for (int i = 0; i < vt->n; i++) {
        int col = L->x0 + (int)lround(aiq_chart_axis_frac(vt, vt->v[i]) * (L->pw - 1));
        aiq_chart_canvas_put(&tm->cv, col, row, term_glyph(tm, 0x252C, '+'), AIQ_CHART_INK_AXIS, 0);
        term_x_label(tm, &xl, col, vt->label[i]);
    }
    term_text_centered(tm, L->x0, L->pw, row + 2, title ? title : "", 0, 0);
}

/* Horizontal bars: a row per category (and series, unless stacked), labels
 * on the left, the value axis below; panels one under the other. */
void term_draw_bars(Term *tm)
{
    const AiqChart *c = tm->c;
    BarLayout L = bars_layout(tm);
    int legend_rows = term_legend(tm, 0, false);
    int rows =
        (c->title ? 1 : 0) + c->npanels * (L.header + L.body + 3) + legend_rows + term_note_rows(tm);
    aiq_chart_canvas_init(&tm->cv, tm->width, rows, tm->utf8);
    int row = term_draw_title(tm, 0);
    for (int p = 0; p < c->npanels; p++) {
        const AiqChartPanel *panel = &c->panels[p];
        if (L.header && panel->y[0].title)
            aiq_chart_canvas_text(&tm->cv, 0, row, panel->y[0].title, AIQ_CHART_INK_AXIS, 0);
        row += L.header;
        AiqChartTicks vt;
        aiq_chart_axis_ticks(&panel->y[0], L.pw / 8, &vt);
        for (int k = 0; k < L.ncat; k++)
            aiq_chart_canvas_text(&tm->cv, 0, row + k * L.group,
                                  aiq_chart_text_clip(&tm->arena, c->categories[k], L.lw, tm->utf8),
                                  0, 0);
        for (int r = 0; r < L.body; r++)
            aiq_chart_canvas_put(&tm->cv, L.x0 - 1, row + r, term_glyph(tm, 0x2502, '|'),
                                 AIQ_CHART_INK_AXIS, 0);
        bool glyphs = (!tm->color && term_count_panel_series(c, p) > 1) || !tm->utf8;
        int slot = 0;
        for (int s = 0; s < c->nseries; s++)
            if (c->series[s].panel == p)
                draw_bar_series(tm, &L, &c->series[s], slot++, row, &vt, glyphs);
        row += L.body;
        draw_value_axis(tm, &L, &vt, row, L.header ? NULL : panel->y[0].title);
        row += 3;
    }
    term_legend(tm, row, true);
    term_draw_notes(tm, row + legend_rows);
}

/* The rows of a text pie: the positive slices in order, those beyond the
 * height summed into one "other" row (k = -1). */
typedef struct PieRow {
    const char *label;
    double value;
    int k; /* palette index, -1 for "other" */
} PieRow;

static int pie_rows(Term *tm, int room, PieRow **out, double *total)
{
    const AiqChart *c = tm->c;
    const AiqChartSeries *s = c->nseries ? &c->series[0] : NULL;
    int npos = 0;
    for (int i = 0; s && i < s->npoints; i++)
        npos += s->y[i] > 0;
    PieRow *rows = aiq_arena_alloc(&tm->arena, sizeof *rows * (size_t)(npos ? npos : 1));
    int shown = npos > room ? room - 1 : npos, n = 0;
    *total = 0;
    for (int i = 0; s && i < s->npoints; i++) {
        if (!(s->y[i] > 0))
            continue;
        *total += s->y[i];
        if (n < shown) {
            rows[n] = (PieRow){c->categories[(int)s->x[i]], s->y[i], n % AIQ_CHART_PALETTE};
            n++;
        } else if (n == shown) {
            rows[n++] = (PieRow){NULL, s->y[i], -1};
        } else {
            rows[shown].value += s->y[i];
        }
    }
    if (n > shown)
        rows[shown].label = aiq_arena_printf(&tm->arena, "other (%d)", npos - shown);
    *out = rows;
    return n;
}

/* A pie as a list: marker, label, value, share and a bar scaled to the largest row. */
void term_draw_pie(Term *tm)
{
    const AiqChart *c = tm->c;
    int title_rows = c->title ? 1 : 0;
    int room = tm->height - title_rows - term_note_rows(tm);
    PieRow *rows;
    double total;
    int n = pie_rows(tm, room < 2 ? 2 : room, &rows, &total);
    if (n == 0) {
        term_draw_empty(tm);
        return;
    }
    int lw = 5, vw = 1;
    double largest = 0;
    char v[48];
    for (int i = 0; i < n; i++) {
        int w = aiq_chart_text_width(rows[i].label);
        lw = w > lw ? w : lw;
        w = aiq_chart_text_width(
            aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, rows[i].value, v, sizeof v));
        vw = w > vw ? w : vw;
        largest = rows[i].value > largest ? rows[i].value : largest;
    }
    lw = lw > tm->width / 3 ? tm->width / 3 : lw;
    int value_col = 2 + lw + 2, pct_col = value_col + vw + 2, bar_col = pct_col + 6 + 2;
    int bw = tm->width - bar_col - 1;
    aiq_chart_canvas_init(&tm->cv, tm->width, title_rows + n + term_note_rows(tm), tm->utf8);
    int row = term_draw_title(tm, 0);
    for (int i = 0; i < n; i++, row++) {
        const PieRow *r = &rows[i];
        uint8_t ink = r->k < 0 ? AIQ_CHART_INK_AXIS : (uint8_t)(r->k + 1);
        uint32_t mark = !tm->utf8   ? (uint32_t)(unsigned char)(r->k < 0 ? '.' : ascii_marks[r->k])
                        : r->k < 0  ? 0x00B7
                        : tm->color ? 0x25CF
                                    : marker_glyphs[r->k];
        aiq_chart_canvas_put(&tm->cv, 0, row, mark, ink, 0);
        aiq_chart_canvas_text(&tm->cv, 2, row,
                              aiq_chart_text_clip(&tm->arena, r->label, lw, tm->utf8), 0, 0);
        aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, r->value, v, sizeof v);
        aiq_chart_canvas_text(&tm->cv, value_col + vw - aiq_chart_text_width(v), row, v, 0, 0);
        char pct[16];
        snprintf(pct, sizeof pct, "%5.1f%%", r->value / total * 100);
        aiq_chart_canvas_text(&tm->cv, pct_col, row, pct, AIQ_CHART_INK_AXIS, 0);
        int e = (int)lround(r->value / largest * bw * 8);
        if (bw > 0)
            term_fill_run(tm, (Lane){false, row, bar_col}, 0, e > 0 ? e : 1, ink, -1);
    }
    term_draw_notes(tm, row);
}
