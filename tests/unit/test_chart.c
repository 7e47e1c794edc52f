/*
 * test_chart.c -- the chart engine (src/chart/): render properties, the
 * model-building rules (x, y and series choice, make-series arrays, sort,
 * stacking, accumulate, panels, errors), nice ticks and time labels, value
 * spelling, braille plotting into a small grid, the terminal layout, and
 * the structure of the SVG (series, labels, escaping, anomaly markers).
 */
#include <math.h>
#include <string.h>

#include "chart/chart.h"
#include "chart/chart_axis.h"
#include "chart/chart_canvas.h"
#include "chart/chart_util.h"
#include "check.h"
#include "util/timefmt.h"

/* A string column value from a literal. */
#define S(lit)                                                                                     \
    {                                                                                              \
        lit, sizeof(lit) - 1                                                                       \
    }

#define CHECK_NEAR(a, b) CHECK(fabs((double)(a) - (double)(b)) < 1e-9)

/* Block and box characters of the expected terminal output. */
#define FULL2 "\xE2\x96\x88\xE2\x96\x88"
#define FULL8 FULL2 FULL2 FULL2 FULL2
#define HALF2 "\xE2\x96\x84\xE2\x96\x84"
#define HALF8 HALF2 HALF2 HALF2 HALF2
#define H1 "\xE2\x94\x80"
#define H4 H1 H1 H1 H1
#define H5 H4 H1

static const AiqChartSpan no_span = {-1, 0};

static int64_t at(const char *iso)
{
    int64_t t = 0;
    aiq_datetime_parse(iso, strlen(iso), &t);
    return t;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Builds a request from "name=value" pairs; NULL-terminated list. */
static bool request(AiqChartRequest *req, AiqArena *a, const char *kind, const char *const *props,
                    AiqError *err)
{
    if (!aiq_chart_request_init(req, kind, (AiqChartSpan){7, (int32_t)strlen(kind)}, err))
        return false;
    for (int i = 0; props && props[i]; i += 2)
        if (!aiq_chart_request_set(req, a, props[i], props[i + 1], (AiqChartSpan){100 + i, 5}, err))
            return false;
    return true;
}

static AiqChart *build(const AiqChartTable *t, const char *kind, const char *const *props,
                       AiqArena *a, AiqError *err)
{
    AiqChartRequest req;
    if (!request(&req, a, kind, props, err))
        return NULL;
    return aiq_chart_build(t, &req, a, err);
}

static const AiqChartSeries *series_named(const AiqChart *c, const char *name)
{
    for (int i = 0; i < c->nseries; i++)
        if (strcmp(c->series[i].name, name) == 0)
            return &c->series[i];
    return NULL;
}

/* ---- properties -------------------------------------------------------- */

static void test_request_names(void)
{
    AiqChartRequest req;
    AiqError err = {0};
    CHECK(aiq_chart_request_init(&req, "anomalychart", no_span, &err));
    CHECK_EQ_I64(req.type, AIQ_CHART_ANOMALYCHART);
    CHECK(aiq_chart_request_init(&req, "stackedareachart", no_span, &err));
    CHECK_EQ_I64(req.type, AIQ_CHART_AREACHART);
    CHECK_EQ_I64(req.stacking, AIQ_CHART_STACKED);
    CHECK_EQ_STR(aiq_chart_type_name(AIQ_CHART_SCATTERCHART), "scatterchart");

    CHECK(!aiq_chart_request_init(&req, "timechrt", (AiqChartSpan){9, 8}, &err));
    CHECK_EQ_I64(err.code, AIQ_ERR_BIND);
    CHECK_EQ_I64(err.offset, 9);
    CHECK_EQ_I64(err.length, 8);
    CHECK_EQ_STR(err.msg, "unknown visualization 'timechrt' after 'render'; did you mean "
                          "'timechart'?");
    err = (AiqError){0};
    CHECK(!aiq_chart_request_init(&req, "card", no_span, &err));
    CHECK_EQ_STR(err.msg, "valid KQL but not supported by aiq yet: render card");
}

static void test_request_properties(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqChartRequest req;
    AiqError err = {0};
    CHECK(aiq_chart_request_init(&req, "columnchart", no_span, &err));
    CHECK(aiq_chart_request_set(&req, &a, "ycolumns", " a, b ", no_span, &err));
    CHECK_EQ_I64(req.nycolumns, 2);
    CHECK_EQ_STR(req.ycolumns[0], "a");
    CHECK_EQ_STR(req.ycolumns[1], "b");
    CHECK(aiq_chart_request_set(&req, &a, "kind", "stacked100", no_span, &err));
    CHECK_EQ_I64(req.stacking, AIQ_CHART_STACKED100);
    CHECK(aiq_chart_request_set(&req, &a, "ymin", "-5", no_span, &err));
    CHECK(aiq_chart_request_set(&req, &a, "ymax", "1e3", no_span, &err));
    CHECK(req.has_ymin && req.has_ymax && req.ymin == -5 && req.ymax == 1000);
    CHECK(aiq_chart_request_set(&req, &a, "legend", "hidden", no_span, &err));
    CHECK(req.legend_hidden);
    CHECK(aiq_chart_request_set(&req, &a, "yaxis", "log", no_span, &err));
    CHECK_EQ_I64(req.yaxis, AIQ_CHART_LOG);
    CHECK(aiq_chart_request_set(&req, &a, "title", "a <b>", no_span, &err));
    CHECK_EQ_STR(req.title, "a <b>");
    CHECK_EQ_I64(err.code, AIQ_OK);

    CHECK(!aiq_chart_request_set(&req, &a, "kind", "bogus", (AiqChartSpan){40, 10}, &err));
    CHECK_EQ_STR(err.msg, "render property kind cannot be 'bogus'; expected default, unstacked, "
                          "stacked or stacked100");
    CHECK_EQ_I64(err.offset, 40);
    err = (AiqError){0};
    CHECK(!aiq_chart_request_set(&req, &a, "ycolumns", "a,,b", no_span, &err));
    CHECK_EQ_STR(err.msg, "render property ycolumns cannot be 'a,,b'; expected column names "
                          "separated by commas");
    err = (AiqError){0};
    CHECK(!aiq_chart_request_set(&req, &a, "ymax", "abc", no_span, &err));
    CHECK_EQ_STR(err.msg, "render property ymax cannot be 'abc'; expected a number");
    err = (AiqError){0};
    CHECK(!aiq_chart_request_set(&req, &a, "ymax", "-10", no_span, &err));
    CHECK_EQ_STR(err.msg, "render property ymin (-5) must be below ymax (-10)");
    err = (AiqError){0};
    CHECK(!aiq_chart_request_set(&req, &a, "ytitel", "x", no_span, &err));
    CHECK_EQ_STR(err.msg, "unknown render property 'ytitel'; did you mean 'ytitle'?");
    err = (AiqError){0};
    CHECK(!aiq_chart_request_set(&req, &a, "accumulate", "yes", no_span, &err));
    CHECK_EQ_STR(err.msg, "render property accumulate cannot be 'yes'; expected true or false");
    err = (AiqError){0};
    CHECK(!aiq_chart_request_set(&req, &a, "ysplit", "rows", no_span, &err));
    CHECK_EQ_STR(err.msg, "render property ysplit cannot be 'rows'; expected none, axes or "
                          "panels");
    aiq_arena_free(&a);
}

/* ---- ticks, labels, values ---------------------------------------------- */

static void test_nice_ticks(void)
{
    AiqChartTicks t;
    aiq_chart_nice_ticks(0, 97, 6, false, false, &t);
    CHECK_EQ_I64(t.n, 6);
    CHECK_NEAR(t.step, 20);
    CHECK_NEAR(t.hi, 100);
    CHECK_EQ_STR(t.label[0], "0");
    CHECK_EQ_STR(t.label[5], "100");

    /* with 5 ticks, 0.2-steps would need 6 (0 to 1): 0.5-steps */
    aiq_chart_nice_ticks(0.13, 0.87, 5, false, false, &t);
    CHECK_NEAR(t.step, 0.5);
    aiq_chart_nice_ticks(0.13, 0.87, 6, false, false, &t);
    CHECK_NEAR(t.step, 0.2);
    CHECK_NEAR(t.lo, 0);
    CHECK_NEAR(t.hi, 1);
    CHECK_EQ_STR(t.label[1], "0.2");

    aiq_chart_nice_ticks(0, 25000, 6, false, false, &t);
    CHECK_EQ_I64(t.n, 6);
    CHECK_EQ_STR(t.label[1], "5k");
    CHECK_EQ_STR(t.label[5], "25k");

    aiq_chart_nice_ticks(0, 1.5e6, 4, false, false, &t);
    CHECK_EQ_STR(t.label[1], "0.5M");
    CHECK_EQ_STR(t.label[3], "1.5M");

    /* step 2 would need 7 ticks from -4 to 8: too many for 6 */
    aiq_chart_nice_ticks(-3, 7, 6, false, false, &t);
    CHECK_NEAR(t.step, 5);
    CHECK_NEAR(t.lo, -5);
    CHECK_NEAR(t.hi, 10);
    CHECK_EQ_STR(t.label[0], "-5");

    /* a fixed end (ymax=97) is kept as it is, and labelled */
    aiq_chart_nice_ticks(0, 97, 6, false, true, &t);
    CHECK_NEAR(t.hi, 97);
    CHECK_NEAR(t.v[t.n - 2], 80);
    CHECK_EQ_STR(t.label[t.n - 1], "97");
    aiq_chart_nice_ticks(0, 88, 6, false, true, &t); /* too close to 80 for a label */
    CHECK_NEAR(t.v[t.n - 1], 80);
    aiq_chart_nice_ticks(2.5, 10, 5, true, false, &t);
    CHECK_EQ_STR(t.label[0], "2.5");
    CHECK_EQ_STR(t.label[1], "4");

    aiq_chart_nice_ticks(5, 5, 5, false, false, &t);
    CHECK(t.lo < 5 && t.hi > 5);
    aiq_chart_nice_ticks(1, 0, 5, false, false, &t); /* empty */
    CHECK_NEAR(t.lo, 0);
    CHECK_NEAR(t.hi, 1);

    aiq_chart_log_ticks(3, 4200, 6, &t);
    CHECK_NEAR(t.lo, 1);
    CHECK_NEAR(t.hi, 10000);
    CHECK_EQ_I64(t.n, 5);
    CHECK_EQ_STR(t.label[3], "1000");
    CHECK_EQ_STR(t.label[4], "10k");
    CHECK_NEAR(aiq_chart_axis_frac(&t, 100), 0.5);
    CHECK(isnan(aiq_chart_axis_frac(&t, 0)));

    aiq_chart_duration_ticks(0, 95.0 * AIQ_TICKS_PER_SECOND, 5, false, false, &t);
    CHECK_NEAR(t.step, 30.0 * AIQ_TICKS_PER_SECOND);
    CHECK_EQ_STR(t.label[1], "30s");
    CHECK_EQ_STR(t.label[3], "1m30s");
}

static void test_time_ticks(void)
{
    AiqChartTicks t;
    aiq_chart_time_ticks((double)at("2026-01-05T00:00:00Z"), (double)at("2026-01-05T06:00:00Z"), 7,
                         &t);
    CHECK_EQ_I64(t.n, 7);
    CHECK_EQ_STR(t.label[0], "00:00");
    CHECK_EQ_STR(t.label[6], "06:00");
    CHECK_EQ_STR(t.context, "2026-01-05 UTC");

    /* 45 minutes, at most 5 labels: ten-minute marks, not the ends */
    aiq_chart_time_ticks((double)at("2026-01-05T00:07:00Z"), (double)at("2026-01-05T00:52:00Z"), 5,
                         &t);
    CHECK_EQ_I64(t.n, 5);
    CHECK_EQ_STR(t.label[0], "00:10");
    CHECK_EQ_STR(t.label[4], "00:50");

    /* two days: every six hours, midnights named by their date */
    aiq_chart_time_ticks((double)at("2026-01-05T00:00:00Z"), (double)at("2026-01-07T00:00:00Z"), 9,
                         &t);
    CHECK_EQ_I64(t.n, 9);
    CHECK_EQ_STR(t.label[0], "Jan 5");
    CHECK_EQ_STR(t.label[1], "06:00");
    CHECK_EQ_STR(t.label[4], "Jan 6");
    CHECK_EQ_STR(t.context, "2026-01-05 .. 2026-01-07 UTC");

    /* a month: weeks, which start on Sunday (2026-01-04) */
    aiq_chart_time_ticks((double)at("2026-01-01T00:00:00Z"), (double)at("2026-02-01T00:00:00Z"), 6,
                         &t);
    CHECK_EQ_I64(t.n, 5);
    CHECK_EQ_STR(t.label[0], "Jan 4");
    CHECK_EQ_STR(t.label[4], "Feb 1");
    CHECK_EQ_STR(t.context, "2026 UTC");

    /* across a new year: months, January as its year */
    aiq_chart_time_ticks((double)at("2025-11-15T00:00:00Z"), (double)at("2026-02-15T00:00:00Z"), 4,
                         &t);
    CHECK_EQ_I64(t.n, 3);
    CHECK_EQ_STR(t.label[0], "Dec");
    CHECK_EQ_STR(t.label[1], "2026");
    CHECK_EQ_STR(t.label[2], "Feb");

    aiq_chart_time_ticks((double)at("2026-01-05T10:00:00Z"), (double)at("2026-01-05T10:00:02Z"), 5,
                         &t);
    CHECK_EQ_STR(t.label[1], "10:00:00.5");
}

static void test_value_format(void)
{
    char buf[64];
    CHECK_EQ_STR(aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, 1234567, buf, sizeof buf),
                 "1,234,567");
    CHECK_EQ_STR(aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, 1234.5678, buf, sizeof buf),
                 "1,234.57");
    CHECK_EQ_STR(aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, 0.0125, buf, sizeof buf), "0.0125");
    CHECK_EQ_STR(aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, -42, buf, sizeof buf), "-42");
    CHECK_EQ_STR(aiq_chart_format_value(AIQ_CHART_AXIS_NUMBER, NAN, buf, sizeof buf), "null");
    CHECK_EQ_STR(aiq_chart_format_value(AIQ_CHART_AXIS_TIME, (double)at("2026-01-05T10:30:00Z"),
                                        buf, sizeof buf),
                 "2026-01-05T10:30:00Z");
    CHECK_EQ_STR(aiq_chart_format_duration(0, buf, sizeof buf), "0");
    CHECK_EQ_STR(aiq_chart_format_duration(1.5 * AIQ_TICKS_PER_SECOND, buf, sizeof buf), "1.5s");
    CHECK_EQ_STR(aiq_chart_format_duration(90.0 * AIQ_TICKS_PER_SECOND, buf, sizeof buf), "1m30s");
    CHECK_EQ_STR(aiq_chart_format_duration(250.0 * AIQ_TICKS_PER_MS, buf, sizeof buf), "250ms");
    CHECK_EQ_STR(aiq_chart_format_duration(54.0 * AIQ_TICKS_PER_HOUR, buf, sizeof buf), "2d6h");
    CHECK_EQ_STR(aiq_chart_format_duration(200, buf, sizeof buf), "20us");
    CHECK_EQ_STR(aiq_chart_x_title("t", "2026-01-05 UTC", buf, sizeof buf), "t (2026-01-05 UTC)");
    CHECK_EQ_STR(aiq_chart_x_title("hour (UTC)", "2026-01-05 UTC", buf, sizeof buf),
                 "hour (UTC) (2026-01-05)");
    CHECK_EQ_STR(aiq_chart_x_title("hour (UTC)", "UTC", buf, sizeof buf), "hour (UTC)");
}

static void test_text_clip(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    CHECK_EQ_I64(aiq_chart_text_width("h\xC3\xA9llo"), 5);
    CHECK_EQ_I64(aiq_chart_text_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4); /* two wide characters */
    CHECK_EQ_STR(aiq_chart_text_clip(&a, "deployment", 6, true), "deplo\xE2\x80\xA6");
    CHECK_EQ_STR(aiq_chart_text_clip(&a, "deployment", 6, false), "deplo~");
    CHECK_EQ_STR(aiq_chart_text_clip(&a, "short", 6, true), "short");
    CHECK_EQ_STR(aiq_chart_text_clip(&a, "a\tb", 6, true), "a b");
    CHECK_EQ_STR(aiq_chart_text_clip(&a, "\xE6\x97\xA5\xE6\x9C\xAC\xE6\x97\xA5", 5, true),
                 "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
    aiq_arena_free(&a);
}

/* ---- the canvas ---------------------------------------------------------- */

static const char *canvas_text(AiqChartCanvas *cv, bool color, AiqStrBuf *sb)
{
    aiq_sb_clear(sb);
    aiq_chart_canvas_write(cv, color, sb);
    return aiq_sb_str(sb);
}

static void test_braille(void)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    AiqChartCanvas cv;
    /* a diagonal over 4 x 2 cells (8 x 8 dots), bottom left to top right:
     * each cell gets the dots (0,3)+(1,2) = U+2860 or (0,1)+(1,0) = U+280A */
    aiq_chart_canvas_init(&cv, 4, 2, true);
    aiq_chart_canvas_line(&cv, 0, 7, 7, 0, 1, '*');
    CHECK_EQ_STR(canvas_text(&cv, false, &sb), "  \xE2\xA1\xA0\xE2\xA0\x8A\n"
                                               "\xE2\xA1\xA0\xE2\xA0\x8A\n");
    aiq_chart_canvas_free(&cv);

    /* a flat line along the top dots, and a vertical one down the right column */
    aiq_chart_canvas_init(&cv, 3, 1, true);
    aiq_chart_canvas_line(&cv, 0, 0, 5, 0, 1, '*');
    CHECK_EQ_STR(canvas_text(&cv, false, &sb), "\xE2\xA0\x89\xE2\xA0\x89\xE2\xA0\x89\n");
    aiq_chart_canvas_line(&cv, 5, 0, 5, 3, 1, '*');
    CHECK_EQ_STR(canvas_text(&cv, false, &sb), "\xE2\xA0\x89\xE2\xA0\x89\xE2\xA2\xB9\n");
    /* with colour: the cell's ink as a 256-colour SGR, reset at the line end */
    CHECK_EQ_STR(canvas_text(&cv, true, &sb), "\x1b[0;38;5;33m\xE2\xA0\x89\xE2\xA0\x89\xE2\xA2\xB9"
                                              "\x1b[0m\n");
    aiq_chart_canvas_free(&cv);

    /* ASCII: each cell the line passes through shows the series' mark */
    aiq_chart_canvas_init(&cv, 4, 2, false);
    aiq_chart_canvas_line(&cv, 0, 7, 7, 0, 1, '*');
    CHECK_EQ_STR(canvas_text(&cv, false, &sb), "  **\n**\n");
    aiq_chart_canvas_free(&cv);

    /* text keeps its cells; a dot does not overwrite it */
    aiq_chart_canvas_init(&cv, 4, 1, true);
    aiq_chart_canvas_text(&cv, 0, 0, "ab", 0, 0);
    aiq_chart_canvas_dot(&cv, 0, 0, 1, '*');
    aiq_chart_canvas_dot(&cv, 5, 3, 1, '*');
    aiq_chart_canvas_dot(&cv, 99, 99, 1, '*');                      /* outside: ignored */
    CHECK_EQ_STR(canvas_text(&cv, false, &sb), "ab\xE2\xA2\x80\n"); /* dot (5,3): cell 2 */
    aiq_chart_canvas_free(&cv);
    aiq_sb_free(&sb);
}

/* ---- building the model ---------------------------------------------------- */

/* Deployment, TimeGenerated (out of order), p95 with a null, and an extra string. */
static int64_t lat_t[6];
static double lat_v[6] = {10, 20, NAN, 40, 50, 60};
static AiqStr lat_dep[6] = {S("b"), S("a"), S("a"), S("b"), S("a"), S("b")};
static AiqStr lat_region[6] = {S("eu"), S("us"), S("us"), S("eu"), S("us"), S("eu")};
static AiqChartColumn lat_cols[4];

static AiqChartTable latency_table(void)
{
    lat_t[0] = at("2026-01-05T02:00:00Z");
    lat_t[1] = at("2026-01-05T01:00:00Z");
    lat_t[2] = at("2026-01-05T02:00:00Z");
    lat_t[3] = at("2026-01-05T01:00:00Z");
    lat_t[4] = at("2026-01-05T00:00:00Z");
    lat_t[5] = at("2026-01-05T00:00:00Z");
    lat_cols[0] =
        (AiqChartColumn){.name = "Deployment", .kind = AIQ_CHART_COL_STRING, .str = lat_dep};
    lat_cols[1] =
        (AiqChartColumn){.name = "TimeGenerated", .kind = AIQ_CHART_COL_DATETIME, .ticks = lat_t};
    lat_cols[2] = (AiqChartColumn){.name = "p95", .kind = AIQ_CHART_COL_NUMBER, .num = lat_v};
    lat_cols[3] =
        (AiqChartColumn){.name = "Region", .kind = AIQ_CHART_COL_STRING, .str = lat_region};
    return (AiqChartTable){4, 6, lat_cols};
}

static void test_build_timechart(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = latency_table();
    t.ncols = 3;
    AiqChart *c = build(&t, "timechart", NULL, &a, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    /* x is the first datetime column, not the first column */
    CHECK_EQ_I64(c->x.kind, AIQ_CHART_AXIS_TIME);
    CHECK_EQ_STR(c->x.title, "TimeGenerated");
    CHECK_EQ_I64(c->nseries, 2);
    CHECK_EQ_STR(c->series[0].name, "b"); /* in order of first appearance */
    const AiqChartSeries *sa = series_named(c, "a");
    CHECK(sa && sa->npoints == 3);
    if (sa) { /* sorted by time; the null stays as a gap */
        CHECK_NEAR(sa->x[0], (double)at("2026-01-05T00:00:00Z"));
        CHECK_NEAR(sa->y[0], 50);
        CHECK_NEAR(sa->y[1], 20);
        CHECK(isnan(sa->y[2]));
    }
    CHECK_EQ_STR(c->panels[0].y[0].title, "p95");
    CHECK_NEAR(c->panels[0].y[0].lo, 10);
    CHECK_NEAR(c->panels[0].y[0].hi, 60);
    CHECK_EQ_I64(c->nnotes, 0);

    /* two key columns combine; ycolumns and series name them explicitly */
    t.ncols = 4;
    c = build(&t, "timechart", NULL, &a, &err);
    CHECK(c && c->nseries == 2 && strcmp(c->series[0].name, "b, eu") == 0);
    const char *props[] = {"series", "Region", "ycolumns", "p95", NULL};
    c = build(&t, "linechart", props, &a, &err);
    CHECK(c && c->nseries == 2 && strcmp(c->series[0].name, "eu") == 0);
    CHECK(c && c->nnotes == 1 && strcmp(c->notes[0], "column not drawn: Deployment") == 0);
    aiq_arena_free(&a);
}

static void test_build_errors(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = latency_table();
    AiqChartColumn nodate[2] = {lat_cols[0], lat_cols[2]};
    AiqChartTable t2 = {2, 6, nodate};
    CHECK(build(&t2, "timechart", NULL, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "render timechart needs a datetime column for the x axis; the result "
                          "has none (Deployment:string, p95:number)");
    CHECK_EQ_I64(err.offset, 7); /* the chart kind's span */

    err = (AiqError){0};
    const char *bad_y[] = {"ycolumns", "p59", NULL};
    CHECK(build(&t, "timechart", bad_y, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "unknown column 'p59' in render property ycolumns; did you mean 'p95'?");
    CHECK_EQ_I64(err.offset, 100); /* the property's span */

    err = (AiqError){0};
    const char *string_y[] = {"ycolumns", "Region", NULL};
    CHECK(build(&t, "timechart", string_y, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "ycolumns: 'Region' is a string column; y values must be numbers");

    err = (AiqError){0};
    const char *num_x[] = {"xcolumn", "p95", NULL};
    CHECK(build(&t, "anomalychart", num_x, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "render anomalychart needs a datetime x column, but xcolumn 'p95' is a "
                          "number");

    err = (AiqError){0};
    AiqChartColumn strings[2] = {lat_cols[0], lat_cols[3]};
    AiqChartTable t3 = {2, 6, strings};
    CHECK(build(&t3, "columnchart", NULL, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "render columnchart needs a numeric column for the y axis besides x "
                          "'Deployment'; the result has none (Deployment:string, Region:string)");

    err = (AiqError){0};
    const char *no_series[] = {"series", "Regoin", NULL};
    CHECK(build(&t, "timechart", no_series, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "unknown column 'Regoin' in render property series; did you mean "
                          "'Region'?");

    err = (AiqError){0};
    AiqChartRequest req;
    CHECK(aiq_chart_request_init(&req, "table", no_span, &err));
    CHECK(aiq_chart_build(&t, &req, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "render table shows the table; there is no chart to build");
    aiq_arena_free(&a);
}

/* State, count: the first column is x for column, bar and pie charts. */
static AiqStr cat_state[5] = {S("TX"), S("KS"), S("TX"), S("NE"), S("KS")};
static AiqStr cat_kind[5] = {S("hail"), S("hail"), S("wind"), S("wind"), S("wind")};
static double cat_n[5] = {1, 3, 2, 4, 5};
static AiqChartColumn cat_cols[3];

static AiqChartTable category_table(void)
{
    cat_cols[0] = (AiqChartColumn){.name = "State", .kind = AIQ_CHART_COL_STRING, .str = cat_state};
    cat_cols[1] = (AiqChartColumn){.name = "Kind", .kind = AIQ_CHART_COL_STRING, .str = cat_kind};
    cat_cols[2] = (AiqChartColumn){.name = "n", .kind = AIQ_CHART_COL_NUMBER, .num = cat_n};
    return (AiqChartTable){3, 5, cat_cols};
}

static void test_build_stacked(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = category_table();
    const char *stacked[] = {"kind", "stacked", NULL};
    AiqChart *c = build(&t, "columnchart", stacked, &a, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_EQ_I64(c->x.kind, AIQ_CHART_AXIS_CATEGORY);
    CHECK_EQ_I64(c->ncategories, 3);
    CHECK_EQ_STR(c->categories[0], "TX");
    CHECK_EQ_STR(c->categories[2], "NE");
    const AiqChartSeries *hail = series_named(c, "hail"), *wind = series_named(c, "wind");
    CHECK(hail && wind);
    if (hail && wind) {
        /* every series on the same categories; a missing one adds 0 */
        CHECK_EQ_I64(hail->npoints, 3);
        CHECK_EQ_I64(wind->npoints, 3);
        CHECK_NEAR(hail->y[0], 1); /* TX */
        CHECK_NEAR(wind->base[0], 1);
        CHECK_NEAR(wind->y[0], 3);
        CHECK_NEAR(hail->y[2], 0); /* NE has no hail */
        CHECK_NEAR(wind->y[2], 4);
        CHECK_NEAR(wind->y[1], 8); /* KS: 3 + 5 */
    }
    CHECK_NEAR(c->panels[0].y[0].lo, 0);
    CHECK_NEAR(c->panels[0].y[0].hi, 8);

    const char *pct[] = {"kind", "stacked100", NULL};
    c = build(&t, "barchart", pct, &a, &err);
    hail = c ? series_named(c, "hail") : NULL;
    wind = c ? series_named(c, "wind") : NULL;
    CHECK(hail && wind);
    if (hail && wind) {
        CHECK_NEAR(hail->y[1], 37.5); /* KS: 3 of 8 */
        CHECK_NEAR(wind->y[1], 100);
        CHECK_NEAR(wind->base[1], 37.5);
        CHECK_EQ_STR(c->panels[0].y[0].title, "%");
    }

    /* a pie: slices from x, sized by the first y column; repeated x added up */
    AiqChartColumn pie_cols[2] = {cat_cols[0], cat_cols[2]};
    AiqChartTable pt = {2, 5, pie_cols};
    c = build(&pt, "piechart", NULL, &a, &err);
    CHECK(c && c->nseries == 1 && c->ncategories == 3 && c->series[0].npoints == 3);
    if (c && c->series[0].npoints == 3) {
        CHECK_NEAR(c->series[0].y[0], 3); /* TX: 1 + 2 */
        CHECK_NEAR(c->series[0].y[1], 8);
    }
    aiq_arena_free(&a);
}

static void test_build_options(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = latency_table();
    t.ncols = 3;
    const char *acc[] = {"accumulate", "true", "ymin", "0", "ymax", "200", NULL};
    AiqChart *c = build(&t, "timechart", acc, &a, &err);
    const AiqChartSeries *sb = c ? series_named(c, "b") : NULL;
    CHECK(sb && sb->npoints == 3);
    if (sb) { /* b: 60, 40, 10 in time order, accumulated */
        CHECK_NEAR(sb->y[0], 60);
        CHECK_NEAR(sb->y[1], 100);
        CHECK_NEAR(sb->y[2], 110);
    }
    CHECK(c && c->panels[0].y[0].fixed_lo && c->panels[0].y[0].fixed_hi);
    CHECK(c && c->panels[0].y[0].hi == 200);

    /* two y columns split into panels */
    static double other[6] = {1, 2, 3, 4, 5, 6};
    AiqChartColumn cols[4] = {
        lat_cols[1], lat_cols[2], {.name = "errors", .kind = AIQ_CHART_COL_NUMBER, .num = other}};
    AiqChartTable t2 = {3, 6, cols};
    const char *panels[] = {"ysplit", "panels", NULL};
    c = build(&t2, "timechart", panels, &a, &err);
    CHECK(c && c->npanels == 2 && c->nseries == 2);
    if (c && c->nseries == 2) {
        CHECK_EQ_STR(c->series[1].name, "errors");
        CHECK_EQ_I64(c->series[1].panel, 1);
        CHECK_EQ_STR(c->panels[1].y[0].title, "errors");
        CHECK_NEAR(c->panels[1].y[0].hi, 6);
    }
    /* with a series column, a key keeps its name and colour in every panel,
     * and the legend lists it once */
    AiqChartColumn kcols[4] = {lat_cols[1], lat_cols[2], cols[2], lat_cols[0]};
    AiqChartTable tk = {4, 6, kcols};
    c = build(&tk, "timechart", panels, &a, &err);
    CHECK(c && c->nseries == 4);
    if (c && c->nseries == 4) {
        const AiqChartSeries *b0 = &c->series[0], *b1 = &c->series[1];
        CHECK_EQ_STR(b0->name, "b");
        CHECK_EQ_STR(b1->name, "b");
        CHECK(b0->panel == 0 && b1->panel == 1 && b0->color == b1->color);
        CHECK(c->series[2].color != b0->color);
        AiqStrBuf out;
        aiq_sb_init(&out);
        aiq_chart_render_svg(c, NULL, &out);
        const char *legend = strstr(aiq_sb_str(&out), "<g class=\"legend\">");
        const char *legend_end = legend ? strstr(legend, "</g>") : NULL;
        CHECK(legend_end && count_of(legend, ">b</text>") - count_of(legend_end, ">b</text>") == 1);
        aiq_sb_clear(&out);
        AiqChartTermOptions o = {60, 20, false, true};
        aiq_chart_render_term(c, &o, &out);
        CHECK(strstr(aiq_sb_str(&out), "\xE2\x97\x8F b   \xE2\x96\xA0 a\n") != NULL);
        aiq_sb_free(&out);
    }
    const char *axes[] = {"ysplit", "axes", NULL};
    c = build(&t2, "timechart", axes, &a, &err);
    CHECK(c && c->npanels == 1 && c->panels[0].naxes == 2 && c->series[1].axis == 1);

    /* log axis: values <= 0 cannot be drawn and are noted */
    static double logv[3] = {10, 0, 1000};
    static int64_t logt[3];
    logt[0] = at("2026-01-05T00:00:00Z");
    logt[1] = logt[0] + AIQ_TICKS_PER_HOUR;
    logt[2] = logt[1] + AIQ_TICKS_PER_HOUR;
    AiqChartColumn lc[2] = {{.name = "t", .kind = AIQ_CHART_COL_DATETIME, .ticks = logt},
                            {.name = "v", .kind = AIQ_CHART_COL_NUMBER, .num = logv}};
    AiqChartTable lt = {2, 3, lc};
    const char *logp[] = {"yaxis", "log", NULL};
    c = build(&lt, "timechart", logp, &a, &err);
    CHECK(c && isnan(c->series[0].y[1]) && c->panels[0].y[0].scale == AIQ_CHART_LOG);
    CHECK(c && c->nnotes == 1 && strcmp(c->notes[0], "yaxis=log: 1 value <= 0 not drawn") == 0);

    /* a null x cannot be placed: the row is left out */
    static const uint64_t valid = 0x5; /* rows 0 and 2 */
    lc[0].validity = &valid;
    c = build(&lt, "timechart", NULL, &a, &err);
    CHECK(c && c->series[0].npoints == 2);

    /* line chart: x is the first number or time column that leaves a y column */
    static AiqStr names[3] = {S("p"), S("q"), S("p")};
    static double xs[3] = {3, 1, 2}, ys[3] = {30, 10, 20};
    AiqChartColumn nc[3] = {{.name = "Name", .kind = AIQ_CHART_COL_STRING, .str = names},
                            {.name = "x", .kind = AIQ_CHART_COL_NUMBER, .num = xs},
                            {.name = "y", .kind = AIQ_CHART_COL_NUMBER, .num = ys}};
    AiqChartTable nt = {3, 3, nc};
    c = build(&nt, "linechart", NULL, &a, &err);
    CHECK(c && c->x.kind == AIQ_CHART_AXIS_NUMBER && strcmp(c->x.title, "x") == 0);
    const AiqChartSeries *sp = c ? series_named(c, "p") : NULL;
    CHECK(sp && sp->npoints == 2 && sp->x[0] == 2 && sp->y[1] == 30);

    /* integer numbers without a copy to doubles; a NUL inside a name is a space */
    static int64_t counts[3] = {7, 8, 9};
    static AiqStr nul_names[3] = {{"a\0b", 3}, {"a\0b", 3}, S("c")};
    AiqChartColumn ic[3] = {nc[1],
                            {.name = "n", .kind = AIQ_CHART_COL_NUMBER, .i64 = counts},
                            {.name = "who", .kind = AIQ_CHART_COL_STRING, .str = nul_names}};
    AiqChartTable it = {3, 3, ic};
    c = build(&it, "linechart", NULL, &a, &err);
    CHECK(c && c->nseries == 2 && strcmp(c->series[0].name, "a b") == 0);
    CHECK(c && c->series[0].npoints == 2 && c->series[0].y[1] == 7); /* x 3 after x 2 */

    /* an empty result is a chart without series, not an error */
    AiqChartTable empty = {3, 0, nc};
    c = build(&empty, "linechart", NULL, &a, &err);
    CHECK(c && c->nseries == 0);
    CHECK_EQ_I64(err.code, AIQ_OK);
    aiq_arena_free(&a);
}

/* make-series output: one row per deployment, arrays for time, value, anomalies. */
static int64_t ms_t[2][4];
static double ms_v[2][4] = {{1, 2, 9, 3}, {5, NAN, 6, 7}};
static double ms_an[2][4] = {{0, 0, 1, 0}, {0, 0, 0, -1}};
static AiqChartArray ms_arr[3][2];
static AiqStr ms_key[2] = {S("east"), S("west")};
static AiqChartColumn ms_cols[4];

static AiqChartTable make_series_table(void)
{
    for (int r = 0; r < 2; r++) {
        for (int i = 0; i < 4; i++)
            ms_t[r][i] = at("2026-01-05T00:00:00Z") + i * AIQ_TICKS_PER_HOUR;
        ms_arr[0][r] = (AiqChartArray){4, NULL, ms_t[r]};
        ms_arr[1][r] = (AiqChartArray){4, ms_v[r], NULL};
        ms_arr[2][r] = (AiqChartArray){4, ms_an[r], NULL};
    }
    ms_cols[0] = (AiqChartColumn){.name = "sid", .kind = AIQ_CHART_COL_STRING, .str = ms_key};
    ms_cols[1] = (AiqChartColumn){
        .name = "num", .kind = AIQ_CHART_COL_ARRAY, .elem = AIQ_CHART_COL_NUMBER, .arr = ms_arr[1]};
    ms_cols[2] = (AiqChartColumn){.name = "TimeStamp",
                                  .kind = AIQ_CHART_COL_ARRAY,
                                  .elem = AIQ_CHART_COL_DATETIME,
                                  .arr = ms_arr[0]};
    ms_cols[3] = (AiqChartColumn){.name = "anomalies",
                                  .kind = AIQ_CHART_COL_ARRAY,
                                  .elem = AIQ_CHART_COL_NUMBER,
                                  .arr = ms_arr[2]};
    return (AiqChartTable){4, 2, ms_cols};
}

static void test_build_make_series(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = make_series_table();
    const char *props[] = {"anomalycolumns", "anomalies", NULL};
    AiqChart *c = build(&t, "anomalychart", props, &a, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_EQ_I64(c->x.kind, AIQ_CHART_AXIS_TIME);
    CHECK_EQ_I64(c->nseries, 2); /* the anomaly column is markers, not a series */
    const AiqChartSeries *e = series_named(c, "east"), *w = series_named(c, "west");
    CHECK(e && w && e->npoints == 4 && w->npoints == 4);
    if (e && w) {
        CHECK_NEAR(e->y[2], 9);
        CHECK(isnan(w->y[1]));
        CHECK(e->anomaly && e->anomaly[2] == 1 && e->nanomalies == 1);
        CHECK(w->anomaly && w->anomaly[3] == -1);
    }
    /* without anomalycolumns, the flags are one more series per row */
    c = build(&t, "timechart", NULL, &a, &err);
    CHECK(c && c->nseries == 4 && series_named(c, "east:anomalies") != NULL);
    /* arrays with nothing numeric to draw against them: the scalar columns are the chart */
    static double totals[2] = {15, 18};
    AiqChartColumn sc[3] = {
        ms_cols[0], ms_cols[2], {.name = "total", .kind = AIQ_CHART_COL_NUMBER, .num = totals}};
    AiqChartTable st = {3, 2, sc};
    c = build(&st, "columnchart", NULL, &a, &err);
    CHECK(c && c->ncategories == 2 && strcmp(c->categories[1], "west") == 0);
    CHECK(c && c->nnotes == 1 && strcmp(c->notes[0], "column not drawn: TimeStamp") == 0);
    /* a single number as y beside array x cannot be drawn */
    static double scalar[2] = {1, 2};
    AiqChartColumn cols[5] = {ms_cols[0],
                              ms_cols[1],
                              ms_cols[2],
                              ms_cols[3],
                              {.name = "slope", .kind = AIQ_CHART_COL_NUMBER, .num = scalar}};
    AiqChartTable t2 = {5, 2, cols};
    const char *bad[] = {"ycolumns", "slope", NULL};
    err = (AiqError){0};
    CHECK(build(&t2, "timechart", bad, &a, &err) == NULL);
    CHECK_EQ_STR(err.msg, "ycolumns: 'slope' is a single number, but the x column 'TimeStamp' is "
                          "an array (make-series): y columns must be numeric arrays");
    aiq_arena_free(&a);
}

/* ---- renderers ------------------------------------------------------------- */

/* Every line of s is at most width terminal columns (no colour in s). */
static bool lines_fit(const char *s, int width)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    bool ok = true;
    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        ok = ok && aiq_chart_text_width(aiq_arena_strndup(&a, p, n)) <= width;
        p += n + (nl ? 1 : 0);
    }
    aiq_arena_free(&a);
    return ok;
}

static bool only_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || *s == '\x1b')
            return false;
    return true;
}

static void test_term_render(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = make_series_table();
    const char *props[] = {"anomalycolumns", "anomalies", "title", "p95 <ms>", NULL};
    AiqChart *c = build(&t, "anomalychart", props, &a, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    AiqChartTermOptions o = {60, 16, false, true};
    aiq_chart_render_term(c, &o, &sb);
    const char *s = aiq_sb_str(&sb);
    CHECK(strncmp(s, "                          p95 <ms>\n", 35) == 0); /* centred: (60-8)/2 */
    CHECK(strstr(s, "\xE2\xA0") || strstr(s, "\xE2\xA1") || strstr(s, "\xE2\xA2") ||
          strstr(s, "\xE2\xA3"));             /* braille */
    CHECK(strstr(s, "\xE2\x96\xB2") != NULL); /* the spike's marker */
    CHECK(strstr(s, "\xE2\x96\xBC") != NULL); /* the dip's marker */
    CHECK(strstr(s, "00:00") && strstr(s, "03:00"));
    CHECK(strstr(s, "TimeStamp (2026-01-05 UTC)") != NULL);
    CHECK(strstr(s, "east") && strstr(s, "west") && strstr(s, "anomaly"));
    CHECK(strchr(s, '\x1b') == NULL);
    CHECK(lines_fit(s, 60));
    CHECK_EQ_I64(count_of(s, "\n"), 16);

    aiq_sb_clear(&sb);
    o.utf8 = false;
    aiq_chart_render_term(c, &o, &sb);
    CHECK(only_ascii(aiq_sb_str(&sb)));
    CHECK(strstr(aiq_sb_str(&sb), "^") != NULL);

    aiq_sb_clear(&sb);
    o.color = true;
    o.utf8 = true;
    aiq_chart_render_term(c, &o, &sb);
    CHECK(strstr(aiq_sb_str(&sb), "\x1b[0;1;38;5;196m\xE2\x96\xB2") != NULL); /* red, bold */
    CHECK(strstr(aiq_sb_str(&sb), "38;5;33m") != NULL); /* the first series' blue */

    /* columns: block heights by eighths; the tallest reaches the top */
    static AiqStr cats[2] = {S("lo"), S("hi")};
    static double vals[2] = {3, 8};
    AiqChartColumn cc[2] = {{.name = "k", .kind = AIQ_CHART_COL_STRING, .str = cats},
                            {.name = "v", .kind = AIQ_CHART_COL_NUMBER, .num = vals}};
    AiqChartTable ct = {2, 2, cc};
    const char *legend[] = {"legend", "hidden", "ymax", "8", NULL};
    c = build(&ct, "columnchart", legend, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartTermOptions small = {24, 8, false, true};
    aiq_chart_render_term(c, &small, &sb);
    s = aiq_sb_str(&sb);
    /* 4 plot rows (32 eighths) over 0..8: 3 is 12 eighths, a full row and a
     * half block; ticks 0 and 5, and the fixed ymax 8 */
    CHECK_EQ_STR(s, "v\n"
                    "8 \xE2\x94\xA4           " FULL8 "\n"
                    "5 \xE2\x94\xA4           " FULL8 "\n"
                    "  \xE2\x94\x82 " HALF8 "  " FULL8 "\n"
                    "0 \xE2\x94\xA4 " FULL8 "  " FULL8 "\n"
                    "  \xE2\x94\x94" H5 "\xE2\x94\xAC" H5 H4 "\xE2\x94\xAC" H4 "\n"
                    "       lo        hi\n"
                    "            k\n");

    /* a pie in text: shares and bars */
    AiqChartColumn pc[2] = {cc[0], cc[1]};
    AiqChartTable pt = {2, 2, pc};
    c = build(&pt, "piechart", NULL, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartTermOptions wide = {50, 10, false, true};
    aiq_chart_render_term(c, &wide, &sb);
    s = aiq_sb_str(&sb);
    /* 29 cells of bar for the largest; 3/8 of that is 10 cells and 7/8 */
    CHECK(strstr(s, "lo     3   27.3%  " FULL8 FULL2 "\xE2\x96\x89\n") != NULL);
    CHECK(strstr(s, "hi     8   72.7%  ") != NULL);

    /* more slices than rows: the smallest go into one "other" row */
    static AiqStr many[12] = {S("a"), S("b"), S("c"), S("d"), S("e"), S("f"),
                              S("g"), S("h"), S("i"), S("j"), S("k"), S("l")};
    static double sizes[12] = {12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    AiqChartColumn mc[2] = {{.name = "k", .kind = AIQ_CHART_COL_STRING, .str = many},
                            {.name = "v", .kind = AIQ_CHART_COL_NUMBER, .num = sizes}};
    AiqChartTable mt = {2, 12, mc};
    c = build(&mt, "piechart", NULL, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartTermOptions eight = {50, 8, false, true};
    aiq_chart_render_term(c, &eight, &sb);
    s = aiq_sb_str(&sb);
    CHECK_EQ_I64(count_of(s, "\n"), 8);
    CHECK(strstr(s, "\xC2\xB7 other (5)  15   19.2%") != NULL); /* 5+4+3+2+1 of 78 */
    CHECK(strstr(s, "g") != NULL && strstr(s, " h ") == NULL);

    /* nothing to draw */
    AiqChartTable empty = {2, 0, cc};
    c = build(&empty, "columnchart", NULL, &a, &err);
    aiq_sb_clear(&sb);
    aiq_chart_render_term(c, &wide, &sb);
    CHECK(strstr(aiq_sb_str(&sb), "(no data to chart)") != NULL);
    aiq_sb_free(&sb);
    aiq_arena_free(&a);
}

static void test_svg_render(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = make_series_table();
    const char *props[] = {"anomalycolumns", "anomalies", "title", "p95 <ms> & \"tail\"",
                           "ytitle",         "ms",        NULL};
    AiqChart *c = build(&t, "anomalychart", props, &a, &err);
    CHECK(c != NULL);
    if (!c)
        return;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_chart_render_svg(c, NULL, &sb);
    const char *s = aiq_sb_str(&sb);
    const char *head = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"540\" "
                       "viewBox=\"0 0 960 540\"";
    CHECK(strncmp(s, head, strlen(head)) == 0);
    CHECK(strstr(s, "font-family=\"system-ui") != NULL);
    CHECK_EQ_I64(count_of(s, "<g class=\"series "), 2);
    CHECK(strstr(s, "data-series=\"east\"><title>east</title><path") != NULL);
    CHECK_EQ_I64(count_of(s, "<circle class=\"anomaly\""), 2);
    CHECK(strstr(s, "east: spike at 2026-01-05T02:00:00Z: 9</title>") != NULL);
    CHECK(strstr(s, "p95 &lt;ms&gt; &amp; &quot;tail&quot;") != NULL);
    CHECK(strstr(s, "<ms>") == NULL);
    CHECK(strstr(s, ">ms</text>") != NULL); /* y title */
    CHECK(strstr(s, ">TimeStamp (2026-01-05 UTC)</text>") != NULL);
    CHECK(strstr(s, ">00:00</text>") != NULL);
    CHECK_EQ_I64(count_of(s, "<g"), count_of(s, "</g>"));
    CHECK(strcmp(s + sb.len - 7, "</svg>\n") == 0);
    /* the null in west splits its line in two */
    const char *west = strstr(s, "data-series=\"west\"");
    const char *d = west ? strstr(west, " d=\"") : NULL;
    CHECK(d && count_of(d, "M") >= 2);

    /* stacked columns: one rectangle per category and series, tops at the sums */
    AiqChartTable ct = category_table();
    const char *stacked[] = {"kind", "stacked", "title", "x", NULL};
    c = build(&ct, "columnchart", stacked, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartSvgOptions size = {400, 300};
    aiq_chart_render_svg(c, &size, &sb);
    s = aiq_sb_str(&sb);
    CHECK(strstr(s, "viewBox=\"0 0 400 300\"") != NULL);
    CHECK_EQ_I64(count_of(s, "<g class=\"series "), 2);
    const char *wind = strstr(s, "data-series=\"wind\"");
    const char *path_end = wind ? strstr(wind, "</g>") : NULL;
    int rects = 0;
    for (const char *p = wind; p && p < path_end; p++)
        rects += *p == 'Z';
    CHECK_EQ_I64(rects, 3);
    CHECK(strstr(s, ">TX</text>") && strstr(s, ">NE</text>"));

    /* pie: one slice per category, each a series with its label */
    AiqChartColumn pc[2] = {cat_cols[0], cat_cols[2]};
    AiqChartTable pt = {2, 5, pc};
    c = build(&pt, "piechart", NULL, &a, &err);
    aiq_sb_clear(&sb);
    aiq_chart_render_svg(c, NULL, &sb);
    s = aiq_sb_str(&sb);
    CHECK_EQ_I64(count_of(s, "<g class=\"series "), 3);
    CHECK(strstr(s, "data-series=\"KS\"") != NULL);
    CHECK(strstr(s, ">53.3%</text>") != NULL); /* KS: 8 of 15 */

    /* a title longer than a small chart is cut on the card, whole in <title> */
    const char *long_title[] = {"title", "p95 latency anomalies of every deployment", NULL};
    c = build(&pt, "piechart", long_title, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartSvgOptions narrow = {300, 200};
    aiq_chart_render_svg(c, &narrow, &sb);
    s = aiq_sb_str(&sb);
    CHECK(strstr(s, "<title>p95 latency anomalies of every deployment</title>") != NULL);
    CHECK(strstr(s, ">p95 latency anomalies\xE2\x80\xA6</text>") != NULL);

    /* an empty result still gives a valid document */
    AiqChartTable empty = {2, 0, pc};
    c = build(&empty, "columnchart", NULL, &a, &err);
    aiq_sb_clear(&sb);
    aiq_chart_render_svg(c, NULL, &sb);
    CHECK(strstr(aiq_sb_str(&sb), "No data to chart") != NULL);
    aiq_sb_free(&sb);
    aiq_arena_free(&a);
}

/* Many points: the SVG keeps 4 per pixel column and still reaches the spike. */
static void test_svg_decimation(void)
{
    enum { N = 20000 };
    static int64_t ts[N];
    static double vs[N];
    for (int i = 0; i < N; i++) {
        ts[i] = at("2026-01-05T00:00:00Z") + (int64_t)i * AIQ_TICKS_PER_SECOND;
        vs[i] = i % 7 == 0 ? 1 : 0;
    }
    vs[12345] = 100;
    AiqChartColumn cols[2] = {{.name = "t", .kind = AIQ_CHART_COL_DATETIME, .ticks = ts},
                              {.name = "v", .kind = AIQ_CHART_COL_NUMBER, .num = vs}};
    AiqChartTable t = {2, N, cols};
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    const char *props[] = {"ymax", "100", NULL};
    AiqChart *c = build(&t, "timechart", props, &a, &err);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    AiqChartSvgOptions size = {500, 300};
    aiq_chart_render_svg(c, &size, &sb);
    const char *s = aiq_sb_str(&sb);
    const char *d = strstr(s, "<path stroke=");
    d = d ? strstr(d, " d=\"") : NULL;
    CHECK(d != NULL);
    if (d) {
        int points = count_of(d, "L") + 1;
        CHECK(points < 4 * 500);
        /* the highest point of the line is the top gridline, where "100" is */
        const char *label = strstr(s, ">100</text>");
        const char *yattr = label ? label : s;
        while (yattr > s && strncmp(yattr, " y=\"", 4) != 0)
            yattr--;
        double label_y = 0, min_y = 1e9;
        sscanf(yattr, " y=\"%lf\"", &label_y);
        for (const char *p = d + 4; *p && *p != '"'; p++)
            if (*p == 'M' || *p == 'L') {
                double x, y;
                if (sscanf(p + 1, "%lf %lf", &x, &y) == 2 && y < min_y)
                    min_y = y;
            }
        CHECK_NEAR(min_y, label_y - 4); /* labels sit 4 px below their gridline */
    }
    aiq_sb_free(&sb);
    aiq_arena_free(&a);
}

/* Timespan y columns get a duration axis; number categories are written as numbers. */
static void test_units_and_labels(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    static int64_t ts[3], durations[3] = {0, 45 * AIQ_TICKS_PER_SECOND, 90 * AIQ_TICKS_PER_SECOND};
    for (int i = 0; i < 3; i++)
        ts[i] = at("2026-01-05T00:00:00Z") + i * AIQ_TICKS_PER_HOUR;
    AiqChartColumn cols[2] = {
        {.name = "t", .kind = AIQ_CHART_COL_DATETIME, .ticks = ts},
        {.name = "latency", .kind = AIQ_CHART_COL_TIMESPAN, .ticks = durations}};
    AiqChartTable t = {2, 3, cols};
    AiqChart *c = build(&t, "timechart", NULL, &a, &err);
    CHECK(c && c->panels[0].y[0].kind == AIQ_CHART_AXIS_DURATION);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    AiqChartTermOptions o = {60, 14, false, true};
    aiq_chart_render_term(c, &o, &sb);
    CHECK(strstr(aiq_sb_str(&sb), "1m30s \xE2\x94\xA4") != NULL);

    static double years[3] = {2026, 2024, 2025}, counts[3] = {5, 7, 6};
    AiqChartColumn yc[2] = {{.name = "year", .kind = AIQ_CHART_COL_NUMBER, .num = years},
                            {.name = "n", .kind = AIQ_CHART_COL_NUMBER, .num = counts}};
    AiqChartTable yt = {2, 3, yc};
    c = build(&yt, "columnchart", NULL, &a, &err);
    CHECK(c && c->ncategories == 3);
    if (c && c->ncategories == 3) { /* sorted, and no "2,024" */
        CHECK_EQ_STR(c->categories[0], "2024");
        CHECK_EQ_STR(c->categories[2], "2026");
        CHECK_NEAR(c->series[0].y[0], 7);
    }

    /* hourly columns over two days: labelled at round times, not every category */
    static int64_t hours[48];
    static double ones[48];
    for (int i = 0; i < 48; i++) {
        hours[i] = at("2026-01-05T00:00:00Z") + i * AIQ_TICKS_PER_HOUR;
        ones[i] = 1;
    }
    AiqChartColumn hc[2] = {{.name = "t", .kind = AIQ_CHART_COL_DATETIME, .ticks = hours},
                            {.name = "n", .kind = AIQ_CHART_COL_NUMBER, .num = ones}};
    AiqChartTable ht = {2, 48, hc};
    c = build(&ht, "columnchart", NULL, &a, &err);
    AiqChartTicks ticks;
    CHECK(c && aiq_chart_category_time_ticks(c, 5, &ticks));
    CHECK_EQ_I64(ticks.n, 4);
    CHECK_EQ_STR(ticks.label[0], "Jan 5");
    CHECK_EQ_STR(ticks.label[1], "12:00");
    CHECK_EQ_STR(ticks.label[2], "Jan 6");
    CHECK_NEAR(ticks.v[1], 12); /* at the 13th column */
    CHECK_NEAR(ticks.v[3], 36);
    CHECK(c && !aiq_chart_category_time_ticks(build(&yt, "columnchart", NULL, &a, &err), 5,
                                              &ticks)); /* years are numbers */
    aiq_sb_free(&sb);
    aiq_arena_free(&a);
}

/* A short terminal keeps the plot and gives up notes, then legend rows. */
static void test_term_fits(void)
{
    AiqArena a;
    aiq_arena_init(&a, 0);
    AiqError err = {0};
    AiqChartTable t = latency_table();
    const char *props[] = {"series", "Deployment", "title", "t", NULL}; /* Region: noted */
    AiqChart *c = build(&t, "timechart", props, &a, &err);
    CHECK(c && c->nnotes == 1);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    for (int h = 8; h <= 12; h++) {
        aiq_sb_clear(&sb);
        AiqChartTermOptions o = {40, h, false, true};
        aiq_chart_render_term(c, &o, &sb);
        CHECK_EQ_I64(count_of(aiq_sb_str(&sb), "\n"), h);
        CHECK(lines_fit(aiq_sb_str(&sb), 40));
    }
    CHECK(strstr(aiq_sb_str(&sb), "note: column not drawn: Region") != NULL); /* room at 12 */

    /* bars, columns and pies stay within their height too (one more line
     * only to say that categories were left out) */
    AiqChartTable ct = category_table();
    const char *kinds[] = {"barchart", "columnchart", "piechart", "areachart", "scatterchart"};
    for (int k = 0; k < 5; k++) {
        c = build(&ct, kinds[k], NULL, &a, &err);
        for (int h = 8; h <= 14; h++) {
            aiq_sb_clear(&sb);
            AiqChartTermOptions o = {30, h, false, true};
            aiq_chart_render_term(c, &o, &sb);
            int extra = strstr(aiq_sb_str(&sb), "categories fit") ? 1 : 0;
            CHECK(count_of(aiq_sb_str(&sb), "\n") <= h + extra);
            CHECK(lines_fit(aiq_sb_str(&sb), 30));
        }
    }

    /* a narrow legend: a long name is cut so that "+N more" still fits */
    static AiqStr longs[3] = {S("gpt-4o-eastus"), S("gpt-4o-westeu"), S("o3-mini-swc")};
    static double ones[3] = {1, 2, 3};
    static int64_t when[3];
    for (int i = 0; i < 3; i++)
        when[i] = at("2026-01-05T00:00:00Z") + i * AIQ_TICKS_PER_HOUR;
    AiqChartColumn lc[3] = {{.name = "t", .kind = AIQ_CHART_COL_DATETIME, .ticks = when},
                            {.name = "d", .kind = AIQ_CHART_COL_STRING, .str = longs},
                            {.name = "v", .kind = AIQ_CHART_COL_NUMBER, .num = ones}};
    AiqChartTable lt = {3, 3, lc};
    c = build(&lt, "timechart", NULL, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartTermOptions narrow = {24, 8, false, true};
    aiq_chart_render_term(c, &narrow, &sb);
    CHECK(strstr(aiq_sb_str(&sb), " gpt-4o-ea\xE2\x80\xA6   +2 more\n") != NULL);
    CHECK(lines_fit(aiq_sb_str(&sb), 24));

    /* two axes: the right one has its own labels */
    static double small[6] = {1, 2, 3, 4, 5, 6};
    AiqChartColumn cols[3] = {
        lat_cols[1], lat_cols[2], {.name = "errors", .kind = AIQ_CHART_COL_NUMBER, .num = small}};
    AiqChartTable t2 = {3, 6, cols};
    const char *axes[] = {"ysplit", "axes", NULL};
    c = build(&t2, "timechart", axes, &a, &err);
    aiq_sb_clear(&sb);
    AiqChartTermOptions o = {50, 14, false, true};
    aiq_chart_render_term(c, &o, &sb);
    CHECK(strstr(aiq_sb_str(&sb), "\xE2\x94\x9C 6") != NULL); /* "├ 6" on the right */
    CHECK(lines_fit(aiq_sb_str(&sb), 50));
    aiq_sb_clear(&sb);
    aiq_chart_render_svg(c, NULL, &sb);
    CHECK(strstr(aiq_sb_str(&sb), "text-anchor=\"start\">6</text>") != NULL);
    aiq_sb_free(&sb);
    aiq_arena_free(&a);
}

void test_chart(void)
{
    test_request_names();
    test_request_properties();
    test_nice_ticks();
    test_time_ticks();
    test_value_format();
    test_text_clip();
    test_braille();
    test_build_timechart();
    test_build_errors();
    test_build_stacked();
    test_build_options();
    test_build_make_series();
    test_term_render();
    test_svg_render();
    test_svg_decimation();
    test_units_and_labels();
    test_term_fits();
}
