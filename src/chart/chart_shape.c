/*
 * chart_shape.c -- the gathered series made into the chart model: each put
 * in x order (time, line and area charts), categories mapped and repeated
 * x values merged, values accumulated and stacked (kind=stacked,
 * stacked100), series placed in panels or on axes (ysplit=), values a log
 * axis cannot show left out, and the axes given their ranges, units and
 * titles.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_builder.h"
#include "chart/chart_util.h"
#include "util/mem.h"
#include "util/timefmt.h"
#include "util/sort.h"

/* ---- shaping the series ------------------------------------------------ */

typedef struct XIndex {
    double x;
    int i;
} XIndex;

static int cmp_xindex(const void *pa, const void *pb)
{
    const XIndex *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->i - b->i; /* stable: equal x keep their row order */
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Puts a series in x order, keeping rows with equal x in their order. */
static void sort_by_x(Gathered *g)
{
    XIndex *idx = aiq_xmalloc(sizeof *idx * (size_t)(g->n ? g->n : 1));
    bool sorted = true;
    for (int i = 0; i < g->n; i++) {
        idx[i] = (XIndex){g->x[i], i};
        sorted = sorted && (i == 0 || g->x[i - 1] <= g->x[i]);
    }
    if (!sorted) {
        aiq_sort(idx, (size_t)g->n, sizeof *idx, cmp_xindex);
        double *x = aiq_xmalloc(sizeof *x * (size_t)g->n),
               *y = aiq_xmalloc(sizeof *y * (size_t)g->n);
        int8_t *an = aiq_xmalloc((size_t)g->n);
        for (int i = 0; i < g->n; i++) {
            x[i] = g->x[idx[i].i];
            y[i] = g->y[idx[i].i];
            an[i] = g->anomaly[idx[i].i];
        }
        aiq_xfree(g->x);
        aiq_xfree(g->y);
        aiq_xfree(g->anomaly);
        g->x = x;
        g->y = y;
        g->anomaly = an;
    }
    aiq_xfree(idx);
}

/* Category labels for datetime values: as short as the set allows. */
static void time_category_label(double v, bool all_midnight, bool one_day, bool seconds, char *buf,
                                size_t size)
{
    char iso[48];
    aiq_datetime_format((int64_t)llround(v), iso); /* 2026-01-05T14:30:00Z */
    if (all_midnight)
        snprintf(buf, size, "%.10s", iso);
    else if (one_day)
        snprintf(buf, size, "%.*s", seconds ? 8 : 5, iso + 11);
    else
        snprintf(buf, size, "%.5s %.*s", iso + 5, seconds ? 8 : 5, iso + 11);
}

/* Turns raw x values (numbers, datetimes, timespans) into sorted categories. */
static void map_categories(Builder *b, AiqChartAxisKind raw_kind)
{
    int total = 0;
    for (int s = 0; s < b->ngathered; s++)
        total += b->gathered[s].n;
    double *all = aiq_xmalloc(sizeof *all * (size_t)(total ? total : 1));
    int n = 0;
    for (int s = 0; s < b->ngathered; s++)
        for (int i = 0; i < b->gathered[s].n; i++)
            all[n++] = b->gathered[s].x[i];
    aiq_sort(all, (size_t)n, sizeof *all, cmp_double);
    int nd = 0;
    for (int i = 0; i < n; i++)
        if (nd == 0 || all[nd - 1] != all[i])
            all[nd++] = all[i];
    bool all_midnight = true, seconds = false;
    for (int i = 0; i < nd; i++) {
        int64_t v = (int64_t)llround(all[i]);
        all_midnight = all_midnight && v % AIQ_TICKS_PER_DAY == 0;
        seconds = seconds || v % AIQ_TICKS_PER_MINUTE != 0;
    }
    bool one_day = nd > 0 && (int64_t)llround(all[0]) / AIQ_TICKS_PER_DAY ==
                                 (int64_t)llround(all[nd - 1]) / AIQ_TICKS_PER_DAY;
    const char **labels = aiq_arena_alloc(b->arena, sizeof *labels * (size_t)(nd ? nd : 1));
    for (int i = 0; i < nd; i++) {
        char buf[64];
        if (raw_kind == AIQ_CHART_AXIS_TIME)
            time_category_label(all[i], all_midnight, one_day, seconds, buf, sizeof buf);
        else
            aiq_chart_label_text(raw_kind, all[i], buf, sizeof buf);
        labels[i] = aiq_arena_strndup(b->arena, buf, strlen(buf));
    }
    for (int s = 0; s < b->ngathered; s++) {
        Gathered *g = &b->gathered[s];
        for (int i = 0; i < g->n; i++) {
            const double *hit = bsearch(&g->x[i], all, (size_t)nd, sizeof *all, cmp_double);
            g->x[i] = (double)(hit - all);
        }
    }
    double *values = aiq_arena_alloc(b->arena, sizeof *values * (size_t)(nd ? nd : 1));
    memcpy(values, all, sizeof *values * (size_t)nd);
    b->chart->categories = labels;
    b->chart->ncategories = nd;
    b->chart->category_values = values;
    b->chart->category_kind = raw_kind;
    if (raw_kind == AIQ_CHART_AXIS_TIME && !all_midnight && one_day && nd > 0) {
        char iso[48];
        aiq_datetime_format((int64_t)llround(all[0]), iso);
        b->chart->x.context = aiq_arena_printf(b->arena, "%.10s UTC", iso);
    } else if (raw_kind == AIQ_CHART_AXIS_TIME) {
        b->chart->x.context = "UTC";
    }
    aiq_xfree(all);
}

/* One point per category (in a sorted series): values of equal x are added. */
static void merge_duplicates(Builder *b, Gathered *g)
{
    int o = 0;
    for (int i = 0; i < g->n; i++) {
        if (o > 0 && g->x[o - 1] == g->x[i]) {
            if (!isnan(g->y[i]))
                g->y[o - 1] = isnan(g->y[o - 1]) ? g->y[i] : g->y[o - 1] + g->y[i];
            b->duplicates++;
            continue;
        }
        g->x[o] = g->x[i];
        g->y[o] = g->y[i];
        g->anomaly[o] = g->anomaly[i];
        o++;
    }
    g->n = o;
}

static void accumulate(Gathered *g)
{
    double sum = 0;
    for (int i = 0; i < g->n; i++)
        if (!isnan(g->y[i]))
            g->y[i] = sum += g->y[i];
}

static bool panels_by_column(const Builder *b)
{
    return b->req->ysplit == AIQ_CHART_SPLIT_PANELS && b->req->type != AIQ_CHART_PIECHART;
}

/* The legend name: the series-column values, with the y column after a
 * colon when there are several y columns on one plot. */
static const char *series_name(Builder *b, const Gathered *g)
{
    const char *yname = b->t->cols[b->ycols[g->yi]].name;
    if (b->req->type == AIQ_CHART_PIECHART || b->nkeys == 0)
        return yname;
    if (b->ny == 1 || panels_by_column(b))
        return g->key; /* each panel is one y column already */
    return aiq_arena_printf(b->arena, "%s:%s", g->key, yname);
}

/* Moves the gathered series into the model, in panels and axes. */
static void place_series(Builder *b)
{
    AiqChart *c = b->chart;
    bool panels = b->req->ysplit == AIQ_CHART_SPLIT_PANELS && c->type != AIQ_CHART_PIECHART;
    bool axes = b->req->ysplit == AIQ_CHART_SPLIT_AXES && c->type != AIQ_CHART_PIECHART;
    if (b->req->ysplit != AIQ_CHART_SPLIT_NONE && c->type == AIQ_CHART_PIECHART)
        aiq_chart_note(b, "ysplit does not apply to a piechart");
    int npanels = panels ? (b->ny < AIQ_CHART_MAX_PANELS ? b->ny : AIQ_CHART_MAX_PANELS) : 1;
    if (panels && b->ny > AIQ_CHART_MAX_PANELS)
        aiq_chart_note(b, "ysplit=panels draws at most %d panels; %d y column%s left out",
             AIQ_CHART_MAX_PANELS, b->ny - AIQ_CHART_MAX_PANELS,
             b->ny - AIQ_CHART_MAX_PANELS > 1 ? "s" : "");
    c->panels = aiq_arena_calloc(b->arena, sizeof *c->panels * (size_t)npanels);
    c->npanels = npanels;
    size_t nalloc = (size_t)(b->ngathered ? b->ngathered : 1);
    c->series = aiq_arena_calloc(b->arena, sizeof *c->series * nalloc);
    b->placed_yi = aiq_arena_alloc(b->arena, sizeof *b->placed_yi * nalloc);
    for (int s = 0; s < b->ngathered; s++) {
        Gathered *g = &b->gathered[s];
        int panel = panels ? g->yi : 0;
        if (panel >= npanels)
            continue;
        AiqChartSeries *cs = &c->series[c->nseries];
        b->placed_yi[c->nseries] = g->yi;
        cs->name = series_name(b, g);
        cs->panel = panel;
        cs->axis = axes && c->nseries > 0 ? 1 : 0;
        /* in panels, a key keeps its colour (and legend entry) across them */
        cs->color = (panels && b->nkeys ? g->group : c->nseries) % AIQ_CHART_PALETTE;
        cs->npoints = g->n;
        size_t bytes = sizeof(double) * (size_t)(g->n ? g->n : 1);
        double *x = aiq_arena_alloc(b->arena, bytes), *y = aiq_arena_alloc(b->arena, bytes);
        memcpy(x, g->x, sizeof(double) * (size_t)g->n);
        memcpy(y, g->y, sizeof(double) * (size_t)g->n);
        cs->x = x;
        cs->y = y;
        if (g->nanomalies) {
            int8_t *an = aiq_arena_alloc(b->arena, (size_t)g->n);
            memcpy(an, g->anomaly, (size_t)g->n);
            cs->anomaly = an;
            cs->nanomalies = g->nanomalies;
        }
        c->nseries++;
    }
    for (int p = 0; p < npanels; p++)
        c->panels[p].naxes = 1;
    if (axes && c->nseries >= 2)
        c->panels[0].naxes = 2;
    else if (axes)
        aiq_chart_note(b, "ysplit=axes needs two series; drawn on one axis");
    if (axes && c->nseries > 2)
        aiq_chart_note(b, "ysplit=axes: the left axis is '%s'; the other %d series share the right axis",
             c->series[0].name, c->nseries - 1);
}

/* The x values every series of a stack shares: categories, or the sorted
 * union of the series' x values. Returns the count; *grid is heap memory. */
static int stack_grid(const AiqChart *c, const int *members, int nm, double **grid)
{
    if (c->x.kind == AIQ_CHART_AXIS_CATEGORY) {
        *grid = aiq_xmalloc(sizeof **grid * (size_t)(c->ncategories ? c->ncategories : 1));
        for (int i = 0; i < c->ncategories; i++)
            (*grid)[i] = i;
        return c->ncategories;
    }
    int total = 0;
    for (int m = 0; m < nm; m++)
        total += c->series[members[m]].npoints;
    double *all = aiq_xmalloc(sizeof *all * (size_t)(total ? total : 1));
    int n = 0;
    for (int m = 0; m < nm; m++)
        for (int i = 0; i < c->series[members[m]].npoints; i++)
            all[n++] = c->series[members[m]].x[i];
    aiq_sort(all, (size_t)n, sizeof *all, cmp_double);
    int nd = 0;
    for (int i = 0; i < n; i++)
        if (nd == 0 || all[nd - 1] != all[i])
            all[nd++] = all[i];
    *grid = all;
    return nd;
}

/* Stacks the series of one panel axis: positive values upward from 0,
 * negative ones downward, each series on the grid of all their x values
 * (a series without a point at some x adds 0 there); stacked100 scales
 * every x to percentages of its total. */
static void stack_group(Builder *b, const int *members, int nm)
{
    AiqChart *c = b->chart;
    double *grid;
    int ng = stack_grid(c, members, nm, &grid);
    size_t bytes = sizeof(double) * (size_t)(ng ? ng : 1);
    double *pos = aiq_xcalloc((size_t)(ng ? ng : 1), sizeof(double));
    double *neg = aiq_xcalloc((size_t)(ng ? ng : 1), sizeof(double));
    double *total = aiq_xcalloc((size_t)(ng ? ng : 1), sizeof(double));
    double **vals = aiq_xmalloc(sizeof *vals * (size_t)nm);
    for (int m = 0; m < nm; m++) {
        const AiqChartSeries *s = &c->series[members[m]];
        vals[m] = aiq_xcalloc((size_t)(ng ? ng : 1), sizeof(double));
        int j = 0;
        for (int i = 0; i < s->npoints; i++) {
            while (j < ng && grid[j] < s->x[i])
                j++;
            if (j < ng && !isnan(s->y[i]))
                vals[m][j] += s->y[i];
        }
        for (int j2 = 0; j2 < ng; j2++)
            total[j2] += fabs(vals[m][j2]);
    }
    for (int m = 0; m < nm; m++) {
        AiqChartSeries *s = &c->series[members[m]];
        double *x = aiq_arena_alloc(b->arena, bytes), *top = aiq_arena_alloc(b->arena, bytes);
        double *base = aiq_arena_alloc(b->arena, bytes);
        for (int j = 0; j < ng; j++) {
            double v = vals[m][j];
            if (c->stacking == AIQ_CHART_STACKED100)
                v = total[j] > 0 ? v / total[j] * 100 : 0;
            double *acc = v >= 0 ? &pos[j] : &neg[j];
            x[j] = grid[j];
            base[j] = *acc;
            top[j] = *acc += v;
        }
        s->x = x;
        s->y = top;
        s->base = base;
        s->npoints = ng;
        s->anomaly = NULL; /* anomalies belong to line charts */
        s->nanomalies = 0;
        aiq_xfree(vals[m]);
    }
    aiq_xfree(vals);
    aiq_xfree(pos);
    aiq_xfree(neg);
    aiq_xfree(total);
    aiq_xfree(grid);
}

static void stack_all(Builder *b)
{
    AiqChart *c = b->chart;
    int *members = aiq_xmalloc(sizeof *members * (size_t)(c->nseries ? c->nseries : 1));
    for (int p = 0; p < c->npanels; p++)
        for (int a = 0; a < c->panels[p].naxes; a++) {
            int nm = 0;
            for (int s = 0; s < c->nseries; s++)
                if (c->series[s].panel == p && c->series[s].axis == a)
                    members[nm++] = s;
            if (nm)
                stack_group(b, members, nm);
        }
    aiq_xfree(members);
}

/* Log axes cannot show values <= 0: they become gaps, counted for a note. */
static void drop_nonpositive(Builder *b)
{
    AiqChart *c = b->chart;
    for (int s = 0; s < c->nseries; s++) {
        double *y = (double *)c->series[s].y;
        for (int i = 0; i < c->series[s].npoints; i++)
            if (y[i] <= 0) {
                y[i] = NAN;
                b->dropped_log++;
            }
    }
}

static void axis_extend(AiqChartAxis *a, double v)
{
    if (isnan(v))
        return;
    if (v < a->lo)
        a->lo = v;
    if (v > a->hi)
        a->hi = v;
}

static void set_ranges(Builder *b)
{
    AiqChart *c = b->chart;
    const AiqChartRequest *req = b->req;
    bool bars = c->type == AIQ_CHART_AREACHART || c->type == AIQ_CHART_COLUMNCHART ||
                c->type == AIQ_CHART_BARCHART;
    for (int p = 0; p < c->npanels; p++)
        for (int a = 0; a < 2; a++) {
            AiqChartAxis *ax = &c->panels[p].y[a];
            ax->lo = INFINITY;
            ax->hi = -INFINITY;
            ax->scale = req->yaxis;
            ax->from_zero = bars && req->yaxis == AIQ_CHART_LINEAR;
        }
    c->x.lo = INFINITY;
    c->x.hi = -INFINITY;
    for (int s = 0; s < c->nseries; s++) {
        const AiqChartSeries *cs = &c->series[s];
        AiqChartAxis *ax = &c->panels[cs->panel].y[cs->axis];
        for (int i = 0; i < cs->npoints; i++) {
            axis_extend(ax, cs->y[i]);
            if (cs->base)
                axis_extend(ax, cs->base[i]);
            axis_extend(&c->x, cs->x[i]);
        }
    }
    if (c->x.kind == AIQ_CHART_AXIS_CATEGORY) {
        c->x.lo = 0;
        c->x.hi = c->ncategories - 1;
    }
    for (int p = 0; p < c->npanels; p++)
        for (int a = 0; a < c->panels[p].naxes; a++) {
            AiqChartAxis *ax = &c->panels[p].y[a];
            if (ax->from_zero && ax->lo <= ax->hi) {
                axis_extend(ax, 0);
            }
            if (req->has_ymin) {
                ax->lo = req->ymin;
                ax->fixed_lo = true;
                if (ax->hi < ax->lo)
                    ax->hi = req->has_ymax ? req->ymax : ax->lo;
            }
            if (req->has_ymax) {
                ax->hi = req->ymax;
                ax->fixed_hi = true;
                if (ax->lo > ax->hi)
                    ax->lo = ax->hi;
            }
        }
}

static void set_y_kinds(Builder *b)
{
    AiqChart *c = b->chart;
    for (int p = 0; p < c->npanels; p++)
        for (int a = 0; a < 2; a++)
            c->panels[p].y[a].kind = AIQ_CHART_AXIS_NUMBER;
    /* a panel axis is a duration axis when all of its series come from timespans */
    for (int p = 0; p < c->npanels; p++)
        for (int a = 0; a < c->panels[p].naxes; a++) {
            bool any = false, all = true;
            for (int s = 0; s < c->nseries; s++) {
                const AiqChartSeries *cs = &c->series[s];
                if (cs->panel != p || cs->axis != a)
                    continue;
                int yi = b->placed_yi[s];
                const AiqChartColumn *col = &b->t->cols[b->ycols[yi]];
                AiqChartColKind k = col->kind == AIQ_CHART_COL_ARRAY ? col->elem : col->kind;
                any = true;
                all = all && k == AIQ_CHART_COL_TIMESPAN && !b->y_to_seconds[yi];
            }
            if (any && all && c->stacking != AIQ_CHART_STACKED100)
                c->panels[p].y[a].kind = AIQ_CHART_AXIS_DURATION;
        }
}

static void set_titles(Builder *b)
{
    AiqChart *c = b->chart;
    const AiqChartRequest *req = b->req;
    c->title = req->title;
    c->x.title = req->xtitle ? req->xtitle : b->t->cols[b->xcol].name;
    for (int p = 0; p < c->npanels; p++) {
        if (req->ysplit == AIQ_CHART_SPLIT_PANELS && c->type != AIQ_CHART_PIECHART)
            c->panels[p].y[0].title = b->t->cols[b->ycols[p]].name;
        else if (b->ny == 1 && c->panels[p].naxes == 1)
            c->panels[p].y[0].title = b->t->cols[b->ycols[0]].name;
    }
    if (c->npanels > 0 && c->panels[0].naxes == 2) {
        c->panels[0].y[0].title = c->series[0].name;
        c->panels[0].y[1].title = c->nseries == 2 ? c->series[1].name : NULL;
    }
    if (req->ytitle && c->npanels > 0)
        c->panels[0].y[0].title = req->ytitle;
    if (c->stacking == AIQ_CHART_STACKED100 && !req->ytitle)
        for (int p = 0; p < c->npanels; p++)
            c->panels[p].y[0].title = "%";
}

/* Everything after the points are gathered: order, categories, stacking, ranges. */
void aiq_chart_shape(Builder *b)
{
    AiqChart *c = b->chart;
    if (b->category && !b->intern_x)
        map_categories(b, b->raw_x_kind);
    else if (b->intern_x) {
        c->categories = aiq_arena_alloc(
            b->arena, sizeof *c->categories * (size_t)(b->categories.n ? b->categories.n : 1));
        for (int i = 0; i < b->categories.cap; i++)
            if (b->categories.keys[i])
                c->categories[b->categories.vals[i]] = b->categories.keys[i];
        c->ncategories = b->categories.n;
    }
    if (b->category)
        c->x.kind = AIQ_CHART_AXIS_CATEGORY;
    for (int s = 0; s < b->ngathered; s++) {
        sort_by_x(&b->gathered[s]);
        if (b->family == FAMILY_CATEGORY)
            merge_duplicates(b, &b->gathered[s]);
    }
    if (b->req->accumulate)
        for (int s = 0; s < b->ngathered; s++)
            accumulate(&b->gathered[s]);
    place_series(b);
    if (c->stacking != AIQ_CHART_UNSTACKED)
        stack_all(b);
    if (b->req->yaxis == AIQ_CHART_LOG)
        drop_nonpositive(b);
    set_y_kinds(b);
    set_ranges(b);
    set_titles(b);
}
