/*
 * chart_util.h -- what the chart builder and both renderers share: the
 * colour palette, UTF-8 text measuring and clipping, and the spelling of
 * values in labels, tooltips and legends.
 */
#ifndef AIQ_CHART_UTIL_H
#define AIQ_CHART_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart/chart.h"

/* The series colours: X(svg hex, xterm-256 index). Ten hues that stay apart
 * for colour-blind readers too, in the order the first series take them;
 * red is kept out of it because anomalies are red. */
#define AIQ_CHART_PALETTE_COLORS(X)                                                                \
    X("#2563eb", 33)  /* blue */                                                                   \
    X("#f59e0b", 214) /* amber */                                                                  \
    X("#059669", 35)  /* green */                                                                  \
    X("#db2777", 162) /* pink */                                                                   \
    X("#7c3aed", 99)  /* violet */                                                                 \
    X("#0891b2", 37)  /* cyan */                                                                   \
    X("#65a30d", 70)  /* lime */                                                                   \
    X("#ea580c", 202) /* orange */                                                                 \
    X("#475569", 60)  /* slate */                                                                  \
    X("#a16207", 136) /* brown */

#define AIQ_CHART_ANOMALY_HEX "#dc2626"
#define AIQ_CHART_ANOMALY_XTERM 196

/* Decodes one UTF-8 code point at s[*i] (advancing *i); an invalid byte
 * decodes as U+FFFD so that no input can stall a loop. */
uint32_t aiq_chart_utf8_next(const char *s, size_t n, size_t *i);
/* Appends the UTF-8 encoding of cp to buf (at least 4 bytes); returns its length. */
int aiq_chart_utf8_put(uint32_t cp, char *buf);
/* Terminal columns a code point takes: 2 for East Asian wide and emoji,
 * 0 for combining marks and controls, else 1. */
int aiq_chart_cp_width(uint32_t cp);
/* Terminal columns of a NUL-terminated UTF-8 string. */
int aiq_chart_text_width(const char *s);
/* Returns s cut to at most maxw terminal columns, ending in an ellipsis
 * ("…", or "~" when !utf8) when it had to be cut; arena owns the result
 * (or it is s itself when it fits). Controls become spaces. */
const char *aiq_chart_text_clip(AiqArena *arena, const char *s, int maxw, bool utf8);

/* Writes a value the way a tooltip or legend shows it into buf (size >= 48):
 * numbers with thousands separators and at most 4 significant decimals,
 * datetimes as ISO 8601 UTC, timespans as 1h30m or 250ms. Returns buf. */
const char *aiq_chart_format_value(AiqChartAxisKind kind, double v, char *buf, size_t size);
/* Writes a timespan of ticks compactly (2d6h, 1h30m, 1m30s, 1.5s, 250ms,
 * 20us) into buf; returns buf. */
const char *aiq_chart_format_duration(double ticks, char *buf, size_t size);

/* True when series s repeats an earlier one's legend entry (same name and
 * colour: one key drawn in several panels), so that legends list it once. */
bool aiq_chart_legend_repeat(const AiqChart *c, int s);
/* The legend entries of series from, from+1, ... that are not repeats. */
int aiq_chart_legend_left(const AiqChart *c, int from);
/* Writes the x axis title followed by what its labels leave out, in
 * parentheses: "TimeGenerated (2026-01-05 UTC)"; "UTC" is not repeated when
 * the title already says it. title and context may be NULL. Returns buf. */
const char *aiq_chart_x_title(const char *title, const char *context, char *buf, size_t size);

#endif
