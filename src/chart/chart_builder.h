/*
 * chart_builder.h -- what the chart builder's two files share (not an
 * interface: chart.h is): the state of one build (chart_build.c chooses
 * the columns and gathers the points, chart_shape.c orders, stacks and
 * scales the series).
 */
#ifndef AIQ_CHART_CHART_BUILDER_H
#define AIQ_CHART_CHART_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart/chart.h"

/* A string -> index map (series keys, category labels). */
typedef struct StrMap {
    const char **keys; /* arena copies; NULL = empty slot */
    int *vals;
    int cap, n;
} StrMap;

typedef enum Family { FAMILY_TIME, FAMILY_CONTINUOUS, FAMILY_CATEGORY } Family;

/* A series while its points are gathered (heap arrays, moved to the arena at the end). */
typedef struct Gathered {
    const char *key; /* the combined series-column values */
    int yi;          /* which y column */
    int group;       /* which combination of series-column values */
    double *x, *y;
    int8_t *anomaly;
    int n, cap;
    int nanomalies;
} Gathered;

typedef struct Builder {
    const AiqChartTable *t;
    const AiqChartRequest *req;
    AiqArena *arena;
    AiqError *err;
    AiqChart *chart;
    Family family;
    bool array_mode; /* make-series: x and y are arrays, one series per row and y column */
    bool category;   /* x is a category axis */
    bool intern_x;   /* categories come from x's text (strings, bools, pie labels) */
    int xcol;
    int *ycols, ny;
    int *keycols, nkeys;
    int *ancols, nan;
    bool *y_to_seconds; /* a timespan y sharing an axis with numbers is drawn in seconds */
    StrMap categories;
    StrMap groups;      /* series key -> group */
    int **group_series; /* group -> per y column the index into gathered, -1 until seen */
    int group_cap;
    Gathered *gathered;
    int ngathered, gathered_cap;
    const char **notes;
    int nnotes, notes_cap;
    int64_t short_arrays;        /* rows whose y array was shorter than x (or longer) */
    int64_t dropped_log;         /* values <= 0 left out of a log axis */
    int duplicates;              /* category points merged */
    AiqChartAxisKind raw_x_kind; /* how x values read before they become categories */
    int *placed_yi;              /* per model series, its y column */
} Builder;

/* Adds a note for the user: what the chart left out or changed. */
void aiq_chart_note(Builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes an x value of the given kind as a category label into buf; returns buf. */
const char *aiq_chart_label_text(AiqChartAxisKind kind, double v, char *buf, size_t size);
/* Everything after the points are gathered: order, categories, stacking,
 * ranges, titles (chart_shape.c). */
void aiq_chart_shape(Builder *b);

#endif
