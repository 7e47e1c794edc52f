/*
 * chart_term_internal.h -- what the terminal renderer's two files share
 * (not an interface: chart.h is): the state of one drawing, the glyphs
 * that tell series apart without colour, block runs, x labels, and the
 * parts every chart has (title, legend, notes). chart_term.c draws the x-y
 * charts and lays out the screen; chart_term_bars.c draws bars and pies.
 */
#ifndef AIQ_CHART_CHART_TERM_INTERNAL_H
#define AIQ_CHART_CHART_TERM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "chart/chart.h"
#include "chart/chart_canvas.h"
#include "chart/chart_util.h"

/* Told-apart glyphs for series when colour cannot do it. Triangles are left
 * to anomalies. */
static const uint32_t marker_glyphs[AIQ_CHART_PALETTE] = {
    0x25CF, 0x25A0, 0x25C6, 0x2605, 0x271A, 0x25CB, 0x25A1, 0x25C7, 0x2731, 0x25CE,
};
static const char ascii_marks[AIQ_CHART_PALETTE + 1] = "*+ox#@%&=~";
static const uint32_t shade_glyphs[4] = {0x2588, 0x2593, 0x2592, 0x2591}; /* █ ▓ ▒ ░ */
static const char ascii_fills[AIQ_CHART_PALETTE + 1] = "#=+:%@o*~.";

#define FULL_BLOCK 0x2588u
#define MAX_LEGEND_ROWS 3
#define MAX_NOTE_ROWS 3

typedef struct Term {
    const AiqChart *c;
    int width, height;
    bool color, utf8;
    AiqChartCanvas cv;
    AiqArena arena;                     /* clipped labels */
    int visible_categories;             /* columns and bars that fit; the rest is noted */
    int max_legend_rows, max_note_rows; /* fewer when the height is short */
} Term;

/* Where a run lies: cells along a column upward from origin (vertical) or
 * along a row rightward from origin. */
typedef struct Lane {
    bool vertical;
    int lane;   /* the column (vertical) or row */
    int origin; /* the bottom row or the left column */
} Lane;

/* Labels along x: for each candidate (column, text), left to right, drawn
 * when it does not run into the previous one. */
typedef struct XLabels {
    int row, last_end, left, right;
} XLabels;

/* chart_term.c (each described where it is defined) */
uint8_t term_series_ink(const AiqChartSeries *s);
uint32_t term_glyph(const Term *tm, uint32_t cp, char ascii);
int term_count_panel_series(const AiqChart *c, int panel);
int term_legend(Term *tm, int row, bool draw);
int term_note_rows(const Term *tm);
void term_shrink_extras(Term *tm, int other_rows, int plot_rows, int *headers);
void term_draw_notes(Term *tm, int row);
void term_text_centered(Term *tm, int left, int span, int row, const char *s, uint8_t ink,
                          uint8_t style);
int term_draw_title(Term *tm, int row);
void term_fill_run(Term *tm, Lane ln, int a, int b, uint8_t ink, int glyph_index);
void term_x_label(Term *tm, XLabels *xl, int center, const char *text);
void term_draw_empty(Term *tm);
/* chart_term_bars.c */
void term_draw_bars(Term *tm);
void term_draw_pie(Term *tm);

#endif
