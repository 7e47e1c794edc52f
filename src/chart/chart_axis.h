/*
 * chart_axis.h -- axis ticks for both renderers: round numbers for value
 * axes (0, 20, 40 or 0, 2.5k, 5k), powers of ten on log axes, and UTC
 * boundaries on time axes (every 15 minutes, every 6 hours, midnights,
 * first days of months) with labels that say no more than the step needs.
 */
#ifndef AIQ_CHART_AXIS_H
#define AIQ_CHART_AXIS_H

#include <stdbool.h>

#include "chart/chart.h"

#define AIQ_CHART_MAX_TICKS 24
#define AIQ_CHART_LABEL_SIZE 24

typedef struct AiqChartTicks {
    double lo, hi; /* the range the axis spans (rounded outward to a tick unless fixed) */
    double step;   /* distance between ticks (ticks on time axes, a factor on log axes) */
    bool log;      /* positions are spread by log10 */
    int n;
    /* + 3: room to find out that a step gives one too many, and for fixed ends */
    double v[AIQ_CHART_MAX_TICKS + 3];
    char label[AIQ_CHART_MAX_TICKS + 3][AIQ_CHART_LABEL_SIZE];
    char context[64]; /* time axes: what every label leaves out, "2026-01-05 UTC" */
} AiqChartTicks;

/* Ticks for a value range: at most maxticks (>= 2) round values spaced by
 * 1, 2 or 5 times a power of ten, the range widened to the outer ticks on
 * each side that is not fixed. An empty range (lo > hi) becomes 0..1 and a
 * single value gets room around it. Labels use k, M, G, T from 10,000 up. */
void aiq_chart_nice_ticks(double lo, double hi, int maxticks, bool fixed_lo, bool fixed_hi,
                          AiqChartTicks *t);
/* Ticks for a range of datetime ticks: the range is kept as is and the
 * ticks fall on UTC boundaries of the smallest step from 1 ms to years that
 * gives at most maxticks of them. Labels are "14:30" under a day, with the
 * date ("Jan 6") at midnights when the range spans days, "Jan 6" for day
 * and week steps, "Feb" (January as "2026") for months. */
void aiq_chart_time_ticks(double lo, double hi, int maxticks, AiqChartTicks *t);
/* Ticks for a range of timespan ticks (a duration value axis): steps of
 * whole time units (500ms, 15s, 5m, 6h, 2d), labels like "1m30s". */
void aiq_chart_duration_ticks(double lo, double hi, int maxticks, bool fixed_lo, bool fixed_hi,
                              AiqChartTicks *t);
/* Ticks for a log axis over lo..hi (> 0): powers of ten, with 2 and 5
 * between them when the range spans a single decade. */
void aiq_chart_log_ticks(double lo, double hi, int maxticks, AiqChartTicks *t);
/* Ticks for an axis of the model, by its kind and scale (not CATEGORY). */
void aiq_chart_axis_ticks(const AiqChartAxis *axis, int maxticks, AiqChartTicks *t);
/* Ticks for a category axis of sorted datetimes (hourly columns, say):
 * time ticks over their range as aiq_chart_time_ticks chooses them, each
 * placed between the categories (v is a fractional category index, 0 the
 * first). Returns false when the categories are not datetimes; then the
 * categories label themselves. */
bool aiq_chart_category_time_ticks(const AiqChart *c, int maxticks, AiqChartTicks *t);
/* Where v falls on the axis, 0 at lo and 1 at hi (outside for values out of
 * range); NaN for NaN, and for v <= 0 on a log axis. */
double aiq_chart_axis_frac(const AiqChartTicks *t, double v);
/* The widest label of t in terminal columns. */
int aiq_chart_ticks_width(const AiqChartTicks *t);

#endif
