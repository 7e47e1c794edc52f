/*
 * chart_canvas.h -- a grid of terminal cells that the terminal renderer
 * draws into before it writes the lines out: text, braille dots (2 x 4 per
 * cell, so a line is drawn at eight times the resolution of characters),
 * and the colour of each cell. Written out with ANSI colours or without,
 * and in pure ASCII when the terminal is not UTF-8.
 */
#ifndef AIQ_CHART_CANVAS_H
#define AIQ_CHART_CANVAS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Inks: 0 is the terminal's default, 1 .. AIQ_CHART_PALETTE the series
 * colours (palette index + 1), then these. */
enum {
    AIQ_CHART_INK_DEFAULT = 0,
    AIQ_CHART_INK_ANOMALY = 11, /* red: anomaly markers */
    AIQ_CHART_INK_AXIS = 12,    /* grey: axes, tick labels, notes */
};

enum { AIQ_CHART_STYLE_BOLD = 1 };

typedef struct AiqChartCell {
    uint32_t cp;    /* code point; 0 = right half of a wide character before it */
    uint8_t fg, bg; /* inks */
    uint8_t style;
    uint8_t dots; /* braille dots drawn here (the cell shows U+2800 + dots) */
    uint8_t fill; /* eighths a bar filled from the cell's near edge, so that the
                     next stacked segment can take the rest as background */
} AiqChartCell;

typedef struct AiqChartCanvas {
    int w, h;
    bool utf8;
    AiqChartCell *cells;
} AiqChartCanvas;

/* A blank w x h canvas; free with aiq_chart_canvas_free. */
void aiq_chart_canvas_init(AiqChartCanvas *cv, int w, int h, bool utf8);
void aiq_chart_canvas_free(AiqChartCanvas *cv);
/* The cell at (col, row), or NULL outside the canvas. */
AiqChartCell *aiq_chart_canvas_at(AiqChartCanvas *cv, int col, int row);
/* Sets one cell's character and ink (clearing its dots). */
void aiq_chart_canvas_put(AiqChartCanvas *cv, int col, int row, uint32_t cp, uint8_t fg,
                          uint8_t style);
/* Writes UTF-8 text from (col, row), clipped at the canvas edge (controls
 * become spaces; a wide character takes two cells); returns the columns used. */
int aiq_chart_canvas_text(AiqChartCanvas *cv, int col, int row, const char *s, uint8_t fg,
                          uint8_t style);
/* Sets the braille dot at dot coordinates (px, py): two dots across and four
 * down per cell. The cell takes the ink of its latest dot. On an ASCII
 * canvas the whole cell shows ascii_mark instead. Cells holding other text
 * keep it. Out-of-range dots are ignored. */
void aiq_chart_canvas_dot(AiqChartCanvas *cv, int px, int py, uint8_t ink, char ascii_mark);
/* Draws a straight line of dots from (x0, y0) to (x1, y1), both ends included. */
void aiq_chart_canvas_line(AiqChartCanvas *cv, int x0, int y0, int x1, int y1, uint8_t ink,
                           char ascii_mark);
/* Appends the canvas as text lines (trailing blanks trimmed, each ending in
 * '\n'); with color, inks and styles as ANSI SGR sequences (256 colours). */
void aiq_chart_canvas_write(const AiqChartCanvas *cv, bool color, AiqStrBuf *out);

#endif
