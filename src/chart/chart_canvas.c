/*
 * chart_canvas.c -- the terminal renderer's cell grid: text, braille dots
 * and colours, written out as lines (see chart_canvas.h).
 */
#include "chart/chart_canvas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_util.h"
#include "util/mem.h"

#define BRAILLE_BASE 0x2800u

void aiq_chart_canvas_init(AiqChartCanvas *cv, int w, int h, bool utf8)
{
    cv->w = w > 0 ? w : 1;
    cv->h = h > 0 ? h : 1;
    cv->utf8 = utf8;
    size_t n = (size_t)cv->w * (size_t)cv->h;
    cv->cells = aiq_xcalloc(n, sizeof *cv->cells);
    for (size_t i = 0; i < n; i++)
        cv->cells[i].cp = ' ';
}

void aiq_chart_canvas_free(AiqChartCanvas *cv)
{
    aiq_xfree(cv->cells);
    cv->cells = NULL;
}

AiqChartCell *aiq_chart_canvas_at(AiqChartCanvas *cv, int col, int row)
{
    if (col < 0 || row < 0 || col >= cv->w || row >= cv->h)
        return NULL;
    return &cv->cells[(size_t)row * (size_t)cv->w + (size_t)col];
}

void aiq_chart_canvas_put(AiqChartCanvas *cv, int col, int row, uint32_t cp, uint8_t fg,
                          uint8_t style)
{
    AiqChartCell *c = aiq_chart_canvas_at(cv, col, row);
    if (!c)
        return;
    c->cp = cp;
    c->fg = fg;
    c->style = style;
    c->dots = 0;
}

int aiq_chart_canvas_text(AiqChartCanvas *cv, int col, int row, const char *s, uint8_t fg,
                          uint8_t style)
{
    size_t n = strlen(s), i = 0;
    int x = col;
    while (i < n) {
        uint32_t cp = aiq_chart_utf8_next(s, n, &i);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            cp = ' ';
        if (!cv->utf8 && cp >= 0x80)
            cp = '?';
        int w = aiq_chart_cp_width(cp);
        if (w == 0)
            continue; /* a combining mark has no cell of its own here */
        if (x + w > cv->w)
            break;
        aiq_chart_canvas_put(cv, x, row, cp, fg, style);
        if (w == 2)
            aiq_chart_canvas_put(cv, x + 1, row, 0, fg, style);
        x += w;
    }
    return x - col;
}

/* Bit of the braille dot at (dx, dy) within its cell: dots 1-2-3 run down
 * the left column and 4-5-6 down the right one; dots 7 and 8, the bottom
 * row, were added later and so sit at the top bits. */
static uint8_t braille_bit(int dx, int dy)
{
    static const uint8_t bits[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    return bits[dy][dx];
}

void aiq_chart_canvas_dot(AiqChartCanvas *cv, int px, int py, uint8_t ink, char ascii_mark)
{
    if (px < 0 || py < 0)
        return;
    AiqChartCell *c = aiq_chart_canvas_at(cv, px / 2, py / 4);
    if (!c)
        return;
    bool free_cell = c->cp == ' ' || (c->cp >= BRAILLE_BASE && c->cp <= BRAILLE_BASE + 0xFF) ||
                     (!cv->utf8 && c->dots);
    if (!free_cell)
        return; /* an anomaly marker or a label stays readable */
    c->dots |= braille_bit(px % 2, py % 4);
    c->cp = cv->utf8 ? BRAILLE_BASE + c->dots : (uint32_t)(unsigned char)ascii_mark;
    c->fg = ink;
}

void aiq_chart_canvas_line(AiqChartCanvas *cv, int x0, int y0, int x1, int y1, uint8_t ink,
                           char ascii_mark)
{
    /* Bresenham over dots, so steep and flat lines both stay connected */
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        aiq_chart_canvas_dot(cv, x0, y0, ink, ascii_mark);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            e += dx;
            y0 += sy;
        }
    }
}

/* The xterm-256 colour of an ink; -1 for the terminal's default. */
static int ink_color(uint8_t ink)
{
    static const int palette[] = {
#define AIQ_CHART_XTERM(hex, xterm) xterm,
        AIQ_CHART_PALETTE_COLORS(AIQ_CHART_XTERM)
#undef AIQ_CHART_XTERM
    };
    if (ink >= 1 && ink <= AIQ_CHART_PALETTE)
        return palette[ink - 1];
    if (ink == AIQ_CHART_INK_ANOMALY)
        return AIQ_CHART_ANOMALY_XTERM;
    if (ink == AIQ_CHART_INK_AXIS)
        return 244;
    return -1;
}

static bool same_look(const AiqChartCell *a, const AiqChartCell *b)
{
    return a->fg == b->fg && a->bg == b->bg && a->style == b->style;
}

/* Switches the terminal to cell c's look (from the default, every time, so
 * that no attribute lingers). */
static void emit_sgr(const AiqChartCell *c, AiqStrBuf *out)
{
    aiq_sb_puts(out, "\x1b[0");
    if (c->style & AIQ_CHART_STYLE_BOLD)
        aiq_sb_puts(out, ";1");
    int fg = ink_color(c->fg), bg = ink_color(c->bg);
    if (fg >= 0)
        aiq_sb_printf(out, ";38;5;%d", fg);
    if (bg >= 0)
        aiq_sb_printf(out, ";48;5;%d", bg);
    aiq_sb_putc(out, 'm');
}

void aiq_chart_canvas_write(const AiqChartCanvas *cv, bool color, AiqStrBuf *out)
{
    static const AiqChartCell plain = {' ', 0, 0, 0, 0, 0};
    for (int row = 0; row < cv->h; row++) {
        const AiqChartCell *line = &cv->cells[(size_t)row * (size_t)cv->w];
        int end = cv->w;
        while (end > 0 && line[end - 1].cp == ' ' && (!color || line[end - 1].bg == 0))
            end--;
        const AiqChartCell *look = &plain;
        for (int col = 0; col < end; col++) {
            const AiqChartCell *c = &line[col];
            if (c->cp == 0)
                continue;
            if (color && !same_look(c, look)) {
                emit_sgr(c, out);
                look = c;
            }
            char enc[4];
            uint32_t cp = !cv->utf8 && c->cp >= 0x80 ? '?' : c->cp;
            aiq_sb_append(out, enc, (size_t)aiq_chart_utf8_put(cp, enc));
        }
        if (color && !same_look(look, &plain))
            aiq_sb_puts(out, "\x1b[0m");
        aiq_sb_putc(out, '\n');
    }
}
