/*
 * chart.h -- the chart engine behind KQL's `render`: a result table and the
 * render request go in, a chart model comes out (chart_build.c), and the
 * model is drawn either into a terminal (chart_term.c: braille lines, block
 * columns and bars, a text pie) or into a self-contained SVG (chart_svg.c).
 *
 * The module is a leaf: it sees neither vectors nor the AST nor jansson.
 * The engine maps its result table onto an AiqChartTable (one flat array per
 * column, the executor's validity convention), hands over the properties of
 * `render KIND with (...)` one by one through aiq_chart_request_set(), and
 * turns any AiqError that comes back into a query error. Every model string
 * and array lives in the arena passed to aiq_chart_build().
 *
 * The rules follow Kusto's render operator: x is the first column that fits
 * the chart (the first datetime column for timechart and anomalychart), y are
 * the numeric columns, and the remaining columns split the rows into series;
 * each of these can be named instead with xcolumn=, ycolumns= and series=.
 * A table from make-series (one row per series, arrays of x and y values)
 * draws one series per row and array column.
 *
 * Use: aiq_chart_request_init() with the visualization's name, then
 * aiq_chart_request_set() for each `with` property, aiq_chart_build() with
 * the result table, and aiq_chart_render_term() or aiq_chart_render_svg()
 * (--chart FILE.svg). tools/chart_demo.c does exactly this.
 */
#ifndef AIQ_CHART_H
#define AIQ_CHART_H

#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* ---- the input: a result table ---------------------------------------- */

typedef enum AiqChartColKind {
    AIQ_CHART_COL_NUMBER,   /* int, long, real, decimal: num[] or i64[] (NaN counts as null) */
    AIQ_CHART_COL_DATETIME, /* ticks[]: 100 ns ticks since 0001-01-01 UTC */
    AIQ_CHART_COL_TIMESPAN, /* ticks[]: 100 ns ticks */
    AIQ_CHART_COL_STRING,   /* str[]: UTF-8 (guid, and other dynamic values as text) */
    AIQ_CHART_COL_BOOL,     /* boolean[]: 0 or 1 */
    AIQ_CHART_COL_ARRAY     /* arr[]: per row an array of elem-kind values (make-series) */
} AiqChartColKind;

/* One row's array in an ARRAY column. Element nulls are NaN in num and
 * INT64_MIN in ticks. */
typedef struct AiqChartArray {
    int32_t n;            /* elements (0 for a null or empty array) */
    const double *num;    /* elements when the column's elem is NUMBER */
    const int64_t *ticks; /* elements when the column's elem is DATETIME or TIMESPAN */
} AiqChartArray;

typedef struct AiqChartColumn {
    const char *name;
    AiqChartColKind kind;
    AiqChartColKind elem;     /* ARRAY only: NUMBER, DATETIME or TIMESPAN */
    const uint64_t *validity; /* bit i set = row i not null; NULL = no nulls (as AiqVector) */
    const double *num;        /* NUMBER as reals */
    const int64_t *i64;       /* NUMBER as integers, when num is NULL (long and int columns) */
    const int64_t *ticks;     /* DATETIME, TIMESPAN */
    const AiqStr *str;        /* STRING: slices, not NUL-terminated (as an AiqVector holds them) */
    const uint8_t *boolean;   /* BOOL */
    const AiqChartArray *arr; /* ARRAY */
} AiqChartColumn;

typedef struct AiqChartTable {
    int ncols;
    int64_t nrows;
    const AiqChartColumn *cols; /* borrowed for the duration of aiq_chart_build() */
} AiqChartTable;

/* ---- the request: `render KIND with (...)` ---------------------------- */

/* ORDER TYPES: names in chart_props.c follow this order. */
typedef enum AiqChartType {
    AIQ_CHART_TIMECHART,
    AIQ_CHART_LINECHART,
    AIQ_CHART_AREACHART,
    AIQ_CHART_COLUMNCHART,
    AIQ_CHART_BARCHART,
    AIQ_CHART_PIECHART,
    AIQ_CHART_SCATTERCHART,
    AIQ_CHART_ANOMALYCHART,
    AIQ_CHART_TABLE, /* `render table`: the engine shows the table; no chart is built */
    AIQ_CHART_TYPE_COUNT
} AiqChartType;

typedef enum AiqChartStacking {
    AIQ_CHART_UNSTACKED, /* kind=default or kind=unstacked */
    AIQ_CHART_STACKED,   /* kind=stacked */
    AIQ_CHART_STACKED100 /* kind=stacked100: each x stretched to 100% */
} AiqChartStacking;

typedef enum AiqChartSplit {
    AIQ_CHART_SPLIT_NONE,  /* one y axis for everything */
    AIQ_CHART_SPLIT_AXES,  /* first y column on the left axis, the others on a right one */
    AIQ_CHART_SPLIT_PANELS /* one panel per y column, at most AIQ_CHART_MAX_PANELS */
} AiqChartSplit;

typedef enum AiqChartScale { AIQ_CHART_LINEAR, AIQ_CHART_LOG } AiqChartScale;

#define AIQ_CHART_MAX_PANELS 5

/* The render properties; X(id, name). */
#define AIQ_CHART_PROPS(X)                                                                         \
    X(ACCUMULATE, "accumulate")                                                                    \
    X(ANOMALYCOLUMNS, "anomalycolumns")                                                            \
    X(KIND, "kind")                                                                                \
    X(LEGEND, "legend")                                                                            \
    X(SERIES, "series")                                                                            \
    X(TITLE, "title")                                                                              \
    X(XAXIS, "xaxis")                                                                              \
    X(XCOLUMN, "xcolumn")                                                                          \
    X(XTITLE, "xtitle")                                                                            \
    X(YAXIS, "yaxis")                                                                              \
    X(YCOLUMNS, "ycolumns")                                                                        \
    X(YMAX, "ymax")                                                                                \
    X(YMIN, "ymin")                                                                                \
    X(YSPLIT, "ysplit")                                                                            \
    X(YTITLE, "ytitle")

typedef enum AiqChartProp {
#define AIQ_CHART_PROP_ENUM(id, name) AIQ_CHART_PROP_##id,
    AIQ_CHART_PROPS(AIQ_CHART_PROP_ENUM)
#undef AIQ_CHART_PROP_ENUM
        AIQ_CHART_PROP_COUNT
} AiqChartProp;

/* Where a property was written in the query, so that an error about it
 * underlines it; offset -1 when unknown. */
typedef struct AiqChartSpan {
    int32_t offset, length;
} AiqChartSpan;

typedef struct AiqChartRequest {
    AiqChartType type;
    AiqChartSpan type_span;              /* the chart kind's name in the query */
    const char *title, *xtitle, *ytitle; /* NULL = the default */
    const char *xcolumn;                 /* NULL = chosen by the chart's rule */
    const char **ycolumns;               /* NULL when nycolumns == 0: every numeric column */
    int nycolumns;
    const char **series; /* NULL when nseries == 0: every other non-numeric column */
    int nseries;
    const char **anomalycolumns;
    int nanomalycolumns;
    AiqChartStacking stacking;
    bool kind_set; /* kind= was given (ignored, with a note, where it means nothing) */
    AiqChartSplit ysplit;
    bool legend_hidden;
    bool accumulate;
    AiqChartScale xaxis, yaxis;
    bool has_ymin, has_ymax;
    double ymin, ymax;
    AiqChartSpan spans[AIQ_CHART_PROP_COUNT];
} AiqChartRequest;

/* Looks up a visualization name (`timechart`, ...; `stackedareachart` is an
 * areachart with kind=stacked) and prepares *req for it with every property
 * at its default. span is where the name stands in the query. Returns false
 * with err set (AIQ_ERR_BIND) for unknown names and for Kusto's other
 * visualizations (card, ladderchart, ...) that aiq does not draw. */
bool aiq_chart_request_init(AiqChartRequest *req, const char *name, AiqChartSpan span,
                            AiqError *err);
/* Sets one property from its text in the query: a string property's decoded
 * text, a column list as "a, b", a number as written ("1e3", "-5"). Names are
 * lowercase, as Kusto's parser requires. Strings are copied into arena.
 * Returns false with err set (AIQ_ERR_BIND, at span) for an unknown property
 * or a value it cannot take. */
bool aiq_chart_request_set(AiqChartRequest *req, AiqArena *arena, const char *name,
                           const char *value, AiqChartSpan span, AiqError *err);
/* The name of a chart type ("timechart"). */
const char *aiq_chart_type_name(AiqChartType type);

/* ---- the model --------------------------------------------------------- */

typedef enum AiqChartAxisKind {
    AIQ_CHART_AXIS_NUMBER,   /* plain numbers */
    AIQ_CHART_AXIS_TIME,     /* datetime ticks, labelled in UTC */
    AIQ_CHART_AXIS_DURATION, /* timespan ticks, labelled as 1m30s */
    AIQ_CHART_AXIS_CATEGORY  /* indexes into AiqChart.categories */
} AiqChartAxisKind;

typedef struct AiqChartAxis {
    AiqChartAxisKind kind;
    AiqChartScale scale;
    const char *title;       /* NULL = none */
    double lo, hi;           /* extent of the data (with ymin/ymax applied); lo > hi when empty */
    bool fixed_lo, fixed_hi; /* set by ymin/ymax: the renderers do not round them outward */
    bool from_zero;          /* bars and areas: the range includes 0 */
    const char *context;     /* what category labels leave out ("2026-01-05 UTC"), or NULL */
} AiqChartAxis;

typedef struct AiqChartPanel {
    AiqChartAxis y[2]; /* [1] is the right axis under ysplit=axes */
    int naxes;         /* 1 or 2 */
} AiqChartPanel;

typedef struct AiqChartSeries {
    const char *name;
    int panel; /* index into AiqChart.panels */
    int axis;  /* 0 = left, 1 = right */
    int color; /* palette index, 0 .. AIQ_CHART_PALETTE-1 */
    int npoints;
    const double *x;    /* ascending for time/line/area charts; a category index for categories */
    const double *y;    /* the value as drawn (accumulated, percent under stacked100); NaN = gap */
    const double *base; /* stacked: where each segment starts; NULL = from 0 (the bottom
                           of a log axis) */
    const int8_t *anomaly; /* NULL, or per point +1 (spike), -1 (dip), 0 */
    int nanomalies;
} AiqChartSeries;

typedef struct AiqChart {
    AiqChartType type;
    AiqChartStacking stacking; /* only for area, column and bar charts */
    const char *title;         /* NULL = none */
    AiqChartAxis x;
    const char **categories; /* labels of a category x axis (and pie slices) */
    int ncategories;
    const double *category_values;  /* sorted numbers, datetimes or timespans behind the
                                       categories; NULL when they are text */
    AiqChartAxisKind category_kind; /* what category_values hold */
    AiqChartPanel *panels;
    int npanels;
    AiqChartSeries *series;
    int nseries;
    bool legend;
    const char **notes; /* what the chart left out or changed, for the user to know */
    int nnotes;
} AiqChart;

#define AIQ_CHART_PALETTE 10

/* Builds the chart that `render` with req shows for table t. Everything
 * returned is owned by arena. Returns NULL with err set (AIQ_ERR_BIND at
 * the span of the offending property, or of the chart kind) when the
 * request cannot be drawn: a named column that does not exist or has the
 * wrong kind, a timechart without a datetime column, no numeric column. */
AiqChart *aiq_chart_build(const AiqChartTable *t, const AiqChartRequest *req, AiqArena *arena,
                          AiqError *err);

/* ---- renderers --------------------------------------------------------- */

typedef struct AiqChartTermOptions {
    int width, height; /* terminal cells for the whole chart, title and legend included;
                          at least 24 x 8 */
    bool color;        /* ANSI colours (off under NO_COLOR and in pipes) */
    bool utf8;         /* braille and block characters; false = pure ASCII */
} AiqChartTermOptions;

/* Appends the chart drawn for a terminal to out: lines ending in '\n', none
 * wider than width, at most height of them (notes and legend rows give way
 * first), and one more when columns or bars had to be left out for room. */
void aiq_chart_render_term(const AiqChart *c, const AiqChartTermOptions *opt, AiqStrBuf *out);

typedef struct AiqChartSvgOptions {
    int width, height; /* pixels; 0 = 960 x 540 */
} AiqChartSvgOptions;

/* Appends a complete, self-contained SVG document for the chart to out;
 * opt may be NULL for the default size. */
void aiq_chart_render_svg(const AiqChart *c, const AiqChartSvgOptions *opt, AiqStrBuf *out);

#endif
