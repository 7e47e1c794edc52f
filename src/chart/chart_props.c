/*
 * chart_props.c -- the request half of `render`: visualization names and
 * the `with (name = value, ...)` properties, checked one by one so that a
 * bad value is reported at the property that holds it (see chart.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart.h"
#include "util/suggest.h"

/* ORDER TYPES: AiqChartType. */
static const char *const type_names[AIQ_CHART_TYPE_COUNT] = {
    "timechart", "linechart",    "areachart",    "columnchart", "barchart",
    "piechart",  "scatterchart", "anomalychart", "table",
};

/* Kusto's other visualizations: valid KQL that aiq does not draw. */
static const char *const unsupported_names[] = {"card",      "ladderchart", "pivotchart",
                                                "timepivot", "treemap",     "plotly"};

static const char *const prop_names[AIQ_CHART_PROP_COUNT] = {
#define AIQ_CHART_PROP_NAME(id, name) name,
    AIQ_CHART_PROPS(AIQ_CHART_PROP_NAME)
#undef AIQ_CHART_PROP_NAME
};

const char *aiq_chart_type_name(AiqChartType type)
{
    return type >= 0 && type < AIQ_CHART_TYPE_COUNT ? type_names[type] : "?";
}

/* Every name `render` takes, for "did you mean". */
static const char *suggest_visualization(const char *name)
{
    const char *cands[AIQ_CHART_TYPE_COUNT + 1 + sizeof unsupported_names / sizeof(char *)];
    size_t n = 0;
    for (int i = 0; i < AIQ_CHART_TYPE_COUNT; i++)
        cands[n++] = type_names[i];
    cands[n++] = "stackedareachart";
    for (size_t i = 0; i < sizeof unsupported_names / sizeof unsupported_names[0]; i++)
        cands[n++] = unsupported_names[i];
    return aiq_suggest(name, strlen(name), cands, n);
}

bool aiq_chart_request_init(AiqChartRequest *req, const char *name, AiqChartSpan span,
                            AiqError *err)
{
    memset(req, 0, sizeof *req);
    req->type_span = span;
    for (int i = 0; i < AIQ_CHART_PROP_COUNT; i++)
        req->spans[i] = (AiqChartSpan){-1, 0};
    for (int i = 0; i < AIQ_CHART_TYPE_COUNT; i++)
        if (strcmp(name, type_names[i]) == 0) {
            req->type = (AiqChartType)i;
            return true;
        }
    if (strcmp(name, "stackedareachart") == 0) {
        req->type = AIQ_CHART_AREACHART;
        req->stacking = AIQ_CHART_STACKED;
        return true;
    }
    for (size_t i = 0; i < sizeof unsupported_names / sizeof unsupported_names[0]; i++)
        if (strcmp(name, unsupported_names[i]) == 0)
            return aiq_error_set(err, AIQ_ERR_BIND, span.offset, span.length,
                                 "valid KQL but not supported by aiq yet: render %s", name);
    aiq_error_set(err, AIQ_ERR_BIND, span.offset, span.length,
                  "unknown visualization '%s' after 'render'", name);
    const char *near = suggest_visualization(name);
    if (near)
        aiq_error_append(err, "; did you mean '%s'?", near);
    else
        aiq_error_append(err, "; expected timechart, linechart, areachart, columnchart, "
                              "barchart, piechart, scatterchart or anomalychart");
    return false;
}

/* Splits "a, b ,c" into arena-held trimmed names; false for an empty item. */
static bool split_names(AiqArena *arena, const char *value, const char ***out, int *n)
{
    int cap = 0;
    const char **names = NULL;
    *n = 0;
    const char *p = value;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && strchr(" \t\r\n", p[len - 1]))
            len--;
        if (len == 0)
            return false;
        names = aiq_arena_grow(arena, names, *n, &cap, sizeof *names, 4);
        names[(*n)++] = aiq_arena_strndup(arena, p, len);
        if (!end)
            break;
        p = end + 1;
    }
    *out = names;
    return true;
}

/* Matches value against the words of a keyword property; -1 if none. */
static int keyword(const char *value, const char *const *words, int nwords)
{
    for (int i = 0; i < nwords; i++)
        if (strcmp(value, words[i]) == 0)
            return i;
    return -1;
}

static bool bad_value(AiqError *err, AiqChartSpan span, const char *prop, const char *value,
                      const char *expected)
{
    return aiq_error_set(err, AIQ_ERR_BIND, span.offset, span.length,
                         "render property %s cannot be '%s'; expected %s", prop, value, expected);
}

static bool parse_number(const char *value, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    while (*end == ' ')
        end++;
    if (end == value || *end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool aiq_chart_request_set(AiqChartRequest *req, AiqArena *arena, const char *name,
                           const char *value, AiqChartSpan span, AiqError *err)
{
    int id = -1;
    for (int i = 0; i < AIQ_CHART_PROP_COUNT; i++)
        if (strcmp(name, prop_names[i]) == 0)
            id = i;
    if (id < 0) {
        aiq_error_set(err, AIQ_ERR_BIND, span.offset, span.length, "unknown render property '%s'",
                      name);
        const char *near = aiq_suggest(name, strlen(name), prop_names, AIQ_CHART_PROP_COUNT);
        if (near)
            aiq_error_append(err, "; did you mean '%s'?", near);
        return false;
    }
    req->spans[id] = span;
    static const char *const kinds[] = {"default", "unstacked", "stacked", "stacked100"};
    static const char *const splits[] = {"none", "axes", "panels"};
    static const char *const legends[] = {"visible", "hidden"};
    static const char *const scales[] = {"linear", "log"};
    static const char *const bools[] = {"false", "true"};
    int k;
    switch ((AiqChartProp)id) {
    case AIQ_CHART_PROP_TITLE:
        req->title = aiq_arena_strndup(arena, value, strlen(value));
        return true;
    case AIQ_CHART_PROP_XTITLE:
        req->xtitle = aiq_arena_strndup(arena, value, strlen(value));
        return true;
    case AIQ_CHART_PROP_YTITLE:
        req->ytitle = aiq_arena_strndup(arena, value, strlen(value));
        return true;
    case AIQ_CHART_PROP_XCOLUMN: {
        const char **names;
        int n;
        if (!split_names(arena, value, &names, &n) || n != 1)
            return bad_value(err, span, name, value, "one column name");
        req->xcolumn = names[0];
        return true;
    }
    case AIQ_CHART_PROP_YCOLUMNS:
        if (!split_names(arena, value, &req->ycolumns, &req->nycolumns))
            return bad_value(err, span, name, value, "column names separated by commas");
        return true;
    case AIQ_CHART_PROP_SERIES:
        if (!split_names(arena, value, &req->series, &req->nseries))
            return bad_value(err, span, name, value, "column names separated by commas");
        return true;
    case AIQ_CHART_PROP_ANOMALYCOLUMNS:
        if (!split_names(arena, value, &req->anomalycolumns, &req->nanomalycolumns))
            return bad_value(err, span, name, value, "column names separated by commas");
        return true;
    case AIQ_CHART_PROP_KIND:
        if (strcmp(value, "map") == 0)
            return aiq_error_set(err, AIQ_ERR_BIND, span.offset, span.length,
                                 "valid KQL but not supported by aiq yet: render kind=map");
        if ((k = keyword(value, kinds, 4)) < 0)
            return bad_value(err, span, name, value, "default, unstacked, stacked or stacked100");
        req->stacking = k <= 1   ? AIQ_CHART_UNSTACKED
                        : k == 2 ? AIQ_CHART_STACKED
                                 : AIQ_CHART_STACKED100;
        req->kind_set = true;
        return true;
    case AIQ_CHART_PROP_YSPLIT:
        if ((k = keyword(value, splits, 3)) < 0)
            return bad_value(err, span, name, value, "none, axes or panels");
        req->ysplit = (AiqChartSplit)k;
        return true;
    case AIQ_CHART_PROP_LEGEND:
        if ((k = keyword(value, legends, 2)) < 0)
            return bad_value(err, span, name, value, "visible or hidden");
        req->legend_hidden = k == 1;
        return true;
    case AIQ_CHART_PROP_XAXIS:
    case AIQ_CHART_PROP_YAXIS:
        if ((k = keyword(value, scales, 2)) < 0)
            return bad_value(err, span, name, value, "linear or log");
        *(id == AIQ_CHART_PROP_XAXIS ? &req->xaxis : &req->yaxis) = (AiqChartScale)k;
        return true;
    case AIQ_CHART_PROP_ACCUMULATE:
        if ((k = keyword(value, bools, 2)) < 0)
            return bad_value(err, span, name, value, "true or false");
        req->accumulate = k == 1;
        return true;
    case AIQ_CHART_PROP_YMIN:
    case AIQ_CHART_PROP_YMAX: {
        double v;
        if (!parse_number(value, &v))
            return bad_value(err, span, name, value, "a number");
        if (id == AIQ_CHART_PROP_YMIN) {
            req->ymin = v;
            req->has_ymin = true;
        } else {
            req->ymax = v;
            req->has_ymax = true;
        }
        if (req->has_ymin && req->has_ymax && req->ymin >= req->ymax)
            return aiq_error_set(err, AIQ_ERR_BIND, span.offset, span.length,
                                 "render property ymin (%g) must be below ymax (%g)", req->ymin,
                                 req->ymax);
        return true;
    }
    case AIQ_CHART_PROP_COUNT:
        break;
    }
    return false;
}
