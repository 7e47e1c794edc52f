/*
 * chart_demo.c -- draws sample charts with the chart engine (src/chart/),
 * for tools/chart_screenshot.sh and for looking at the terminal output by
 * hand. The tables are built here as the engine will hand them over: one
 * array per column, make-series rows as arrays.
 *
 *   chart_demo list
 *   chart_demo NAME svg [WIDTH HEIGHT]              SVG on stdout
 *   chart_demo NAME term [WIDTH HEIGHT] [color] [ascii]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "util/timefmt.h"

#define HOUR AIQ_TICKS_PER_HOUR
#define MINUTE AIQ_TICKS_PER_MINUTE
#define MAXROWS 4096

static const char *const deployments[] = {"gpt-4o-eastus", "gpt-4o-westeu", "o3-mini-swc"};

/* A small deterministic generator, so every run draws the same charts. */
static double noise(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return ((*state >> 8) & 0xFFFF) / 65535.0 - 0.5;
}

static int64_t day0(void)
{
    int64_t t;
    aiq_datetime_parse("2026-01-05T00:00:00Z", 20, &t);
    return t;
}

static AiqStr text(const char *s)
{
    return (AiqStr){s, (uint32_t)strlen(s)};
}

/* Storage for a demo table (static: the demo draws one chart per run). */
static int64_t ticks[MAXROWS];
static double num[4][MAXROWS];
static AiqStr str[2][MAXROWS];
static AiqChartColumn cols[8];

typedef struct Demo {
    const char *name, *kind;
    const char *props[8][2];
    void (*fill)(AiqChartTable *t);
} Demo;

/* p95 latency per deployment every 15 minutes over two days: a daily wave
 * and a spike on the second afternoon. */
static void fill_latency(AiqChartTable *t)
{
    unsigned st = 7;
    int n = 0;
    for (int i = 0; i < 2 * 96; i++)
        for (int d = 0; d < 3; d++) {
            double hour = fmod(i / 4.0, 24);
            double base = 420 + d * 160 + 140 * sin((hour - 9) / 24 * 2 * M_PI);
            if (d == 1 && i >= 150 && i <= 153)
                base *= 2.6;
            ticks[n] = day0() + i * 15 * MINUTE;
            str[0][n] = text(deployments[d]);
            num[0][n] = round(base + 40 * noise(&st));
            n++;
        }
    cols[0] =
        (AiqChartColumn){.name = "TimeGenerated", .kind = AIQ_CHART_COL_DATETIME, .ticks = ticks};
    cols[1] = (AiqChartColumn){.name = "Deployment", .kind = AIQ_CHART_COL_STRING, .str = str[0]};
    cols[2] = (AiqChartColumn){.name = "p95_ms", .kind = AIQ_CHART_COL_NUMBER, .num = num[0]};
    *t = (AiqChartTable){3, n, cols};
}

/* make-series output: one row per deployment, arrays of times, values,
 * anomaly flags (+1 spike, -1 dip) and a baseline. */
static int64_t ms_time[3][96];
static double ms_val[3][96], ms_an[3][96], ms_base[3][96];
static AiqChartArray arr[4][3];

static void fill_anomaly(AiqChartTable *t)
{
    unsigned st = 11;
    for (int d = 0; d < 2; d++) {
        for (int i = 0; i < 96; i++) {
            double hour = i / 4.0;
            double base = 300 + d * 250 + 120 * sin((hour - 8) / 24 * 2 * M_PI);
            double v = base + 30 * noise(&st);
            double an = 0;
            if ((d == 0 && i == 58) || (d == 1 && i == 30)) {
                v = base * 2.1;
                an = 1;
            }
            if (d == 1 && i == 75) {
                v = base * 0.25;
                an = -1;
            }
            ms_time[d][i] = day0() + i * 15 * MINUTE;
            ms_val[d][i] = round(v);
            ms_an[d][i] = an;
            ms_base[d][i] = round(base);
        }
        arr[0][d] = (AiqChartArray){96, NULL, ms_time[d]};
        arr[1][d] = (AiqChartArray){96, ms_val[d], NULL};
        arr[2][d] = (AiqChartArray){96, ms_an[d], NULL};
        arr[3][d] = (AiqChartArray){96, ms_base[d], NULL};
        str[0][d] = text(deployments[d]);
    }
    cols[0] = (AiqChartColumn){.name = "Deployment", .kind = AIQ_CHART_COL_STRING, .str = str[0]};
    cols[1] = (AiqChartColumn){
        .name = "p95", .kind = AIQ_CHART_COL_ARRAY, .elem = AIQ_CHART_COL_NUMBER, .arr = arr[1]};
    cols[2] = (AiqChartColumn){.name = "TimeGenerated",
                               .kind = AIQ_CHART_COL_ARRAY,
                               .elem = AIQ_CHART_COL_DATETIME,
                               .arr = arr[0]};
    cols[3] = (AiqChartColumn){.name = "anomalies",
                               .kind = AIQ_CHART_COL_ARRAY,
                               .elem = AIQ_CHART_COL_NUMBER,
                               .arr = arr[2]};
    cols[4] = (AiqChartColumn){.name = "baseline",
                               .kind = AIQ_CHART_COL_ARRAY,
                               .elem = AIQ_CHART_COL_NUMBER,
                               .arr = arr[3]};
    *t = (AiqChartTable){5, 2, cols};
}

/* HTTP 429 responses per deployment per hour over half a day. */
static void fill_throttled(AiqChartTable *t)
{
    unsigned st = 3;
    int n = 0;
    for (int h = 0; h < 12; h++)
        for (int d = 0; d < 3; d++) {
            ticks[n] = day0() + (h + 8) * HOUR;
            str[0][n] = text(deployments[d]);
            double peak = h >= 4 && h <= 7 ? 3.0 : 1.0;
            num[0][n] = round((20 + 15 * d) * peak * (1 + 0.6 * noise(&st)));
            n++;
        }
    cols[0] =
        (AiqChartColumn){.name = "TimeGenerated", .kind = AIQ_CHART_COL_DATETIME, .ticks = ticks};
    cols[1] = (AiqChartColumn){.name = "Deployment", .kind = AIQ_CHART_COL_STRING, .str = str[0]};
    cols[2] = (AiqChartColumn){.name = "throttled", .kind = AIQ_CHART_COL_NUMBER, .num = num[0]};
    *t = (AiqChartTable){3, n, cols};
}

/* Tokens per model: a pie and a bar chart. */
static void fill_tokens(AiqChartTable *t)
{
    static const char *const models[] = {"gpt-4o",  "gpt-4o-mini",
                                         "o3-mini", "text-embedding-3-large",
                                         "gpt-4.1", "whisper <beta> & co"};
    static const double tokens[] = {4.82e6, 2.91e6, 1.34e6, 0.86e6, 0.52e6, 0.11e6};
    static const double cost[] = {48.2, 4.4, 5.9, 0.1, 4.2, 0.6};
    for (int i = 0; i < 6; i++) {
        str[0][i] = text(models[i]);
        num[0][i] = tokens[i];
        num[1][i] = cost[i];
    }
    cols[0] = (AiqChartColumn){.name = "Model", .kind = AIQ_CHART_COL_STRING, .str = str[0]};
    cols[1] = (AiqChartColumn){.name = "Tokens", .kind = AIQ_CHART_COL_NUMBER, .num = num[0]};
    cols[2] = (AiqChartColumn){.name = "CostUSD", .kind = AIQ_CHART_COL_NUMBER, .num = num[1]};
    *t = (AiqChartTable){3, 6, cols};
}

/* GPU utilisation and temperature per node: panels, and a scatter of one against the other. */
static void fill_gpu(AiqChartTable *t)
{
    unsigned st = 5;
    int n = 0;
    for (int i = 0; i < 144; i++)
        for (int g = 0; g < 2; g++) {
            double u = 55 + 30 * sin(i / 20.0 + g) + 8 * noise(&st);
            if (g == 1 && i > 90 && i < 110)
                u = 97 + 2 * noise(&st);
            u = fmin(fmax(u, 0), 100);
            ticks[n] = day0() + i * 10 * MINUTE;
            str[0][n] = text(g ? "node-b" : "node-a");
            num[0][n] = round(u * 10) / 10;
            num[1][n] = round((38 + 0.48 * u + 3 * noise(&st)) * 10) / 10;
            n++;
        }
    cols[0] =
        (AiqChartColumn){.name = "TimeGenerated", .kind = AIQ_CHART_COL_DATETIME, .ticks = ticks};
    cols[1] = (AiqChartColumn){.name = "Node", .kind = AIQ_CHART_COL_STRING, .str = str[0]};
    cols[2] = (AiqChartColumn){.name = "GpuUtil", .kind = AIQ_CHART_COL_NUMBER, .num = num[0]};
    cols[3] = (AiqChartColumn){.name = "GpuTempC", .kind = AIQ_CHART_COL_NUMBER, .num = num[1]};
    *t = (AiqChartTable){4, n, cols};
}

static const Demo demos[] = {
    {"timechart",
     "timechart",
     {{"title", "p95 latency by deployment"}, {"ytitle", "ms"}},
     fill_latency},
    {"anomalychart",
     "anomalychart",
     {{"anomalycolumns", "anomalies"},
      {"title", "p95 latency anomalies (series_decompose_anomalies)"}},
     fill_anomaly},
    {"columns",
     "columnchart",
     {{"kind", "stacked"}, {"title", "HTTP 429 per hour"}, {"xtitle", "hour (UTC)"}},
     fill_throttled},
    {"area", "areachart", {{"kind", "stacked"}, {"title", "429s, stacked"}}, fill_throttled},
    {"pie", "piechart", {{"title", "Tokens by model"}}, fill_tokens},
    {"bars", "barchart", {{"title", "Tokens by model"}, {"ycolumns", "Tokens"}}, fill_tokens},
    {"panels",
     "timechart",
     {{"ysplit", "panels"}, {"title", "GPU utilisation and temperature"}},
     fill_gpu},
    {"scatter",
     "scatterchart",
     {{"xcolumn", "GpuUtil"},
      {"ycolumns", "GpuTempC"},
      {"title", "Temperature against utilisation"}},
     fill_gpu},
};
#define NDEMOS (int)(sizeof demos / sizeof demos[0])

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "list") == 0) {
        for (int i = 0; i < NDEMOS; i++)
            printf("%s\n", demos[i].name);
        return argc < 2 ? 2 : 0;
    }
    const Demo *d = NULL;
    for (int i = 0; i < NDEMOS; i++)
        if (strcmp(argv[1], demos[i].name) == 0)
            d = &demos[i];
    if (!d || argc < 3) {
        fprintf(stderr, "usage: chart_demo list | NAME svg|term [WIDTH HEIGHT] [color] [ascii]\n");
        return 2;
    }
    AiqChartTable t;
    d->fill(&t);
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqError err = {0};
    AiqChartRequest req;
    bool ok = aiq_chart_request_init(&req, d->kind, (AiqChartSpan){-1, 0}, &err);
    for (int i = 0; ok && i < 8 && d->props[i][0]; i++)
        ok = aiq_chart_request_set(&req, &arena, d->props[i][0], d->props[i][1],
                                   (AiqChartSpan){-1, 0}, &err);
    AiqChart *c = ok ? aiq_chart_build(&t, &req, &arena, &err) : NULL;
    if (!c) {
        fprintf(stderr, "chart_demo: %s\n", err.msg);
        return 1;
    }
    AiqStrBuf out;
    aiq_sb_init(&out);
    int w = argc > 4 ? atoi(argv[3]) : 0, h = argc > 4 ? atoi(argv[4]) : 0;
    if (strcmp(argv[2], "svg") == 0) {
        AiqChartSvgOptions o = {w, h};
        aiq_chart_render_svg(c, &o, &out);
    } else {
        AiqChartTermOptions o = {w ? w : 100, h ? h : 28, false, true};
        for (int i = 5; i < argc; i++) {
            o.color = o.color || strcmp(argv[i], "color") == 0;
            o.utf8 = o.utf8 && strcmp(argv[i], "ascii") != 0;
        }
        aiq_chart_render_term(c, &o, &out);
    }
    fwrite(aiq_sb_str(&out), 1, out.len, stdout);
    aiq_sb_free(&out);
    aiq_arena_free(&arena);
    return 0;
}
