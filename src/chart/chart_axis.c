/*
 * chart_axis.c -- tick choice and tick labels for value, log, duration and
 * time axes (see chart_axis.h). Both renderers ask for at most as many
 * ticks as their labels have room for, so the choice lives here once.
 */
#include "chart/chart_axis.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_util.h"
#include "util/timefmt.h"

#define TICK_MS AIQ_TICKS_PER_MS
#define TICK_S AIQ_TICKS_PER_SECOND
#define TICK_MIN AIQ_TICKS_PER_MINUTE
#define TICK_H AIQ_TICKS_PER_HOUR
#define TICK_D AIQ_TICKS_PER_DAY

/* Steps of whole time units, shared by time and duration axes. */
static const int64_t unit_steps[] = {
    TICK_MS,       2 * TICK_MS,   5 * TICK_MS,   10 * TICK_MS, 20 * TICK_MS, 50 * TICK_MS,
    100 * TICK_MS, 200 * TICK_MS, 500 * TICK_MS, TICK_S,       2 * TICK_S,   5 * TICK_S,
    10 * TICK_S,   15 * TICK_S,   30 * TICK_S,   TICK_MIN,     2 * TICK_MIN, 5 * TICK_MIN,
    10 * TICK_MIN, 15 * TICK_MIN, 30 * TICK_MIN, TICK_H,       2 * TICK_H,   3 * TICK_H,
    6 * TICK_H,    12 * TICK_H,   TICK_D,        2 * TICK_D,
};
#define NUNIT_STEPS ((int)(sizeof unit_steps / sizeof unit_steps[0]))

static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int clamp_maxticks(int maxticks)
{
    return maxticks < 2 ? 2 : maxticks > AIQ_CHART_MAX_TICKS ? AIQ_CHART_MAX_TICKS : maxticks;
}

/* Gives a degenerate range room: empty becomes 0..1, a single value gets
 * half its size on each side that is not fixed. */
static void open_range(double *lo, double *hi, bool fixed_lo, bool fixed_hi)
{
    if (!(*lo <= *hi)) {
        *lo = 0;
        *hi = 1;
    }
    if (*lo == *hi) {
        double pad = *lo == 0 ? 1 : fabs(*lo) * 0.5;
        if (!fixed_lo)
            *lo -= pad;
        if (!fixed_hi || fixed_lo)
            *hi += pad;
    }
}

/* Spreads ticks k*step over lo..hi, first widening each unfixed end to a
 * multiple of step. Returns false (t untouched) when more than maxticks
 * would be needed. */
static bool fit_step(double lo, double hi, double step, int maxticks, bool fixed_lo, bool fixed_hi,
                     AiqChartTicks *t)
{
    /* the 1e-9 keeps 0.30000000000000004 / 0.1 from counting as past 3 */
    double nlo = fixed_lo ? lo : floor(lo / step + 1e-9) * step;
    double nhi = fixed_hi ? hi : ceil(hi / step - 1e-9) * step;
    double k0 = ceil(nlo / step - 1e-9), k1 = floor(nhi / step + 1e-9);
    if (k1 - k0 + 1 > maxticks)
        return false;
    t->lo = nlo;
    t->hi = nhi;
    t->step = step;
    t->log = false;
    t->n = 0;
    /* an end fixed by ymin/ymax is labelled too, unless a tick is close to it */
    if (fixed_lo && k0 * step - nlo > step / 2)
        t->v[t->n++] = nlo;
    for (double k = k0; k <= k1; k++) {
        double v = k * step;
        t->v[t->n++] = fabs(v) < step * 1e-9 ? 0 : v; /* no "-0" */
    }
    if (fixed_hi && nhi - k1 * step > step / 2)
        t->v[t->n++] = nhi;
    return true;
}

/* Labels value ticks: k, M, G, T from 10,000 up, and as many decimals as
 * the step needs, so 0.5-steps read 0, 0.5, 1 and 2500-steps read 0, 2.5k. */
static void label_numbers(AiqChartTicks *t)
{
    double maxabs = fmax(fabs(t->lo), fabs(t->hi));
    static const char *const suffix[] = {"", "k", "M", "G", "T"};
    int si = 0;
    double div = 1;
    if (maxabs >= 1e4)
        while (si < 4 && maxabs / div >= 1e3) {
            div *= 1e3;
            si++;
        }
    double s = t->step / div;
    int decimals = s >= 1 ? 0 : (int)ceil(-log10(s) - 1e-9);
    if (decimals > 10)
        decimals = 10;
    for (int i = 0; i < t->n; i++) {
        double v = t->v[i] / div;
        if (fabs(v) < s * 1e-9)
            v = 0;
        /* a fixed end (ymax=97.5) off the step's grid keeps its digits, up to 3 */
        int d = decimals;
        while (d < 3 && fabs(v * pow(10, d) - round(v * pow(10, d))) > 1e-6)
            d++;
        snprintf(t->label[i], AIQ_CHART_LABEL_SIZE, "%.*f%s", d, v, v == 0 ? "" : suffix[si]);
    }
}

void aiq_chart_nice_ticks(double lo, double hi, int maxticks, bool fixed_lo, bool fixed_hi,
                          AiqChartTicks *t)
{
    maxticks = clamp_maxticks(maxticks);
    open_range(&lo, &hi, fixed_lo, fixed_hi);
    t->context[0] = '\0';
    double rough = (hi - lo) / (maxticks - 1);
    double mag = pow(10, floor(log10(rough)));
    static const double mult[] = {1, 2, 5, 10, 20, 50, 100};
    bool done = false;
    for (size_t i = 0; i < sizeof mult / sizeof mult[0] && !done; i++)
        done = fit_step(lo, hi, mult[i] * mag, maxticks, fixed_lo, fixed_hi, t);
    if (!done) /* unreachable for finite ranges; keep the axis usable */
        fit_step(lo, hi, hi - lo, 2, true, true, t);
    label_numbers(t);
}

void aiq_chart_duration_ticks(double lo, double hi, int maxticks, bool fixed_lo, bool fixed_hi,
                              AiqChartTicks *t)
{
    maxticks = clamp_maxticks(maxticks);
    if (!(lo <= hi)) {
        lo = 0;
        hi = (double)TICK_S;
    }
    open_range(&lo, &hi, fixed_lo, fixed_hi);
    bool done = false;
    if ((hi - lo) / (maxticks - 1) >= (double)TICK_MS / 2) {
        for (int i = 0; i < NUNIT_STEPS && !done; i++)
            done = fit_step(lo, hi, (double)unit_steps[i], maxticks, fixed_lo, fixed_hi, t);
        /* beyond two days: round numbers of days */
        for (double d = 5; !done && d < 1e9; d *= 10)
            done = fit_step(lo, hi, d * TICK_D, maxticks, fixed_lo, fixed_hi, t) ||
                   fit_step(lo, hi, 2 * d * TICK_D, maxticks, fixed_lo, fixed_hi, t) ||
                   fit_step(lo, hi, 4 * d * TICK_D, maxticks, fixed_lo, fixed_hi, t);
    }
    if (!done) /* sub-millisecond: plain round numbers of ticks */
        aiq_chart_nice_ticks(lo, hi, maxticks, fixed_lo, fixed_hi, t);
    t->context[0] = '\0';
    for (int i = 0; i < t->n; i++)
        aiq_chart_format_duration(t->v[i], t->label[i], AIQ_CHART_LABEL_SIZE);
}

void aiq_chart_log_ticks(double lo, double hi, int maxticks, AiqChartTicks *t)
{
    maxticks = clamp_maxticks(maxticks);
    if (!(lo > 0) || !(hi >= lo)) {
        lo = 1;
        hi = 10;
    }
    int e0 = (int)floor(log10(lo) + 1e-9), e1 = (int)ceil(log10(hi) - 1e-9);
    if (e1 <= e0)
        e1 = e0 + 1;
    int decades = e1 - e0;
    int stride = (decades + maxticks - 2) / (maxticks - 1); /* ceil(decades / (maxticks - 1)) */
    if (stride < 1)
        stride = 1;
    e1 = e0 + (decades + stride - 1) / stride * stride;
    t->lo = pow(10, e0);
    t->hi = pow(10, e1);
    t->step = pow(10, stride);
    t->log = true;
    t->n = 0;
    t->context[0] = '\0';
    for (int e = e0; e <= e1 && t->n < AIQ_CHART_MAX_TICKS; e += stride) {
        double v = pow(10, e);
        if (decades == 1 && e == e0 && maxticks >= 4) {
            t->v[t->n++] = v;
            t->v[t->n++] = 2 * v;
            t->v[t->n++] = 5 * v;
        } else {
            t->v[t->n++] = v;
        }
    }
    for (int i = 0; i < t->n; i++) {
        /* label each power as a value axis would, with its own decimals */
        AiqChartTicks one = {.lo = t->v[i], .hi = t->v[i], .step = t->v[i], .n = 1};
        one.v[0] = t->v[i];
        label_numbers(&one);
        memcpy(t->label[i], one.label[0], AIQ_CHART_LABEL_SIZE);
    }
}

/* ---- time axes --------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void civil(int64_t ticks, int64_t *y, unsigned *m, unsigned *d)
{
    aiq_civil_from_days(floor_div(ticks, TICK_D), y, m, d);
}

/* A step on a time axis: a fixed number of ticks, or whole months. */
typedef struct TimeStep {
    int64_t ticks;  /* fixed steps */
    int64_t origin; /* where fixed steps are counted from (weeks start on Sunday) */
    int months;     /* month and year steps when ticks == 0 */
} TimeStep;

/* Writes the ticks of step s inside lo..hi into t (at most max + 1, so that
 * the caller can tell "too many"); returns how many there were. */
static int time_step_ticks(int64_t lo, int64_t hi, TimeStep s, int max, AiqChartTicks *t)
{
    int n = 0;
    if (s.ticks) {
        int64_t k = floor_div(lo - s.origin, s.ticks);
        if (s.origin + k * s.ticks < lo)
            k++;
        for (int64_t v = s.origin + k * s.ticks; v <= hi && n <= max; v += s.ticks)
            t->v[n++] = (double)v;
        return n;
    }
    int64_t y;
    unsigned m, d;
    civil(lo, &y, &m, &d);
    int64_t mi = y * 12 + (m - 1); /* months since year 0 */
    mi = (mi + s.months - 1) / s.months * s.months;
    for (;; mi += s.months) {
        int64_t v = aiq_days_from_civil(mi / 12, (unsigned)(mi % 12) + 1, 1) * TICK_D;
        if (v < lo)
            continue;
        if (v > hi || n > max)
            break;
        t->v[n++] = (double)v;
    }
    return n;
}

static void label_time(AiqChartTicks *t, TimeStep s, bool spans_days)
{
    for (int i = 0; i < t->n; i++) {
        /* back to exact ticks: a double holds ticks of today only to 128 */
        int64_t v = llround(t->v[i] / TICK_MS) * TICK_MS, y;
        unsigned m, d;
        civil(v, &y, &m, &d);
        int64_t in_day = v - floor_div(v, TICK_D) * TICK_D;
        int64_t sec = in_day / TICK_S;
        char *out = t->label[i];
        if (s.months >= 12 || (s.months && m == 1))
            snprintf(out, AIQ_CHART_LABEL_SIZE, "%lld", (long long)y);
        else if (s.months)
            snprintf(out, AIQ_CHART_LABEL_SIZE, "%s", month_names[m - 1]);
        else if (s.ticks >= TICK_D || (spans_days && in_day == 0))
            snprintf(out, AIQ_CHART_LABEL_SIZE, "%s %u", month_names[m - 1], d);
        else if (s.ticks >= TICK_MIN)
            snprintf(out, AIQ_CHART_LABEL_SIZE, "%02d:%02d", (int)(sec / 3600),
                     (int)(sec / 60 % 60));
        else if (s.ticks >= TICK_S)
            snprintf(out, AIQ_CHART_LABEL_SIZE, "%02d:%02d:%02d", (int)(sec / 3600),
                     (int)(sec / 60 % 60), (int)(sec % 60));
        else {
            int digits = s.ticks >= 100 * TICK_MS ? 1 : s.ticks >= 10 * TICK_MS ? 2 : 3;
            int64_t frac = in_day % TICK_S;
            char f[16];
            snprintf(f, sizeof f, "%07lld", (long long)frac);
            snprintf(out, AIQ_CHART_LABEL_SIZE, "%02d:%02d:%02d.%.*s", (int)(sec / 3600),
                     (int)(sec / 60 % 60), (int)(sec % 60), digits, f);
        }
    }
}

/* What the labels of step s leave out: the day (or days) under a day, the
 * year for day steps; always that the times are UTC. */
static void time_context(int64_t lo, int64_t hi, TimeStep s, char *out, size_t size)
{
    int64_t y0, y1;
    unsigned m0, d0, m1, d1;
    civil(lo, &y0, &m0, &d0);
    civil(hi, &y1, &m1, &d1);
    if (s.ticks && s.ticks < TICK_D) {
        if (y0 == y1 && m0 == m1 && d0 == d1)
            snprintf(out, size, "%04lld-%02u-%02u UTC", (long long)y0, m0, d0);
        else
            snprintf(out, size, "%04lld-%02u-%02u .. %04lld-%02u-%02u UTC", (long long)y0, m0, d0,
                     (long long)y1, m1, d1);
    } else if (s.ticks) {
        if (y0 == y1)
            snprintf(out, size, "%04lld UTC", (long long)y0);
        else
            snprintf(out, size, "%04lld .. %04lld UTC", (long long)y0, (long long)y1);
    } else {
        snprintf(out, size, "UTC");
    }
}

void aiq_chart_time_ticks(double lo, double hi, int maxticks, AiqChartTicks *t)
{
    maxticks = clamp_maxticks(maxticks);
    if (!(lo <= hi)) {
        lo = 0;
        hi = (double)TICK_D;
    }
    if (lo == hi) { /* a single instant: an hour around it */
        lo -= 30.0 * TICK_MIN;
        hi += 30.0 * TICK_MIN;
    }
    int64_t ilo = (int64_t)ceil(lo), ihi = (int64_t)floor(hi);
    t->lo = lo;
    t->hi = hi;
    t->log = false;
    TimeStep chosen = {0};
    bool found = false;
    for (int i = 0; i < NUNIT_STEPS + 1 && !found; i++) {
        /* the extra round is weeks, which start on Sunday as in Kusto's startofweek */
        TimeStep s = i < NUNIT_STEPS ? (TimeStep){unit_steps[i], 0, 0}
                                     : (TimeStep){7 * TICK_D, 6 * TICK_D, 0};
        if (time_step_ticks(ilo, ihi, s, maxticks, t) <= maxticks) {
            chosen = s;
            found = true;
        }
    }
    static const int month_steps[] = {1, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000};
    for (size_t i = 0; i < sizeof month_steps / sizeof month_steps[0] && !found; i++) {
        TimeStep s = {0, 0, month_steps[i]};
        if (time_step_ticks(ilo, ihi, s, maxticks, t) <= maxticks) {
            chosen = s;
            found = true;
        }
    }
    if (!found) { /* wider than 600 millennia: just the ends */
        t->n = 2;
        t->v[0] = lo;
        t->v[1] = hi;
        chosen = (TimeStep){0, 0, 12};
    } else {
        t->n = time_step_ticks(ilo, ihi, chosen, maxticks, t);
    }
    t->step = chosen.ticks ? (double)chosen.ticks : chosen.months * 30.0 * TICK_D;
    int64_t ylo, yhi;
    unsigned mlo, dlo, mhi, dhi;
    civil(ilo, &ylo, &mlo, &dlo);
    civil(ihi, &yhi, &mhi, &dhi);
    bool spans_days = ylo != yhi || mlo != mhi || dlo != dhi;
    label_time(t, chosen, spans_days);
    time_context(ilo, ihi, chosen, t->context, sizeof t->context);
}

bool aiq_chart_category_time_ticks(const AiqChart *c, int maxticks, AiqChartTicks *t)
{
    const double *v = c->category_values;
    int n = c->ncategories;
    if (!v || c->category_kind != AIQ_CHART_AXIS_TIME || n < 2)
        return false;
    aiq_chart_time_ticks(v[0], v[n - 1], maxticks, t);
    int k = 0;
    for (int i = 0; i < t->n; i++) {
        while (k < n - 2 && v[k + 1] <= t->v[i])
            k++;
        /* between categories k and k + 1, in proportion to the time */
        t->v[i] = k + (t->v[i] - v[k]) / (v[k + 1] - v[k]);
    }
    t->lo = 0;
    t->hi = n - 1;
    return true;
}

void aiq_chart_axis_ticks(const AiqChartAxis *axis, int maxticks, AiqChartTicks *t)
{
    if (axis->kind == AIQ_CHART_AXIS_TIME)
        aiq_chart_time_ticks(axis->lo, axis->hi, maxticks, t);
    else if (axis->scale == AIQ_CHART_LOG)
        aiq_chart_log_ticks(axis->lo, axis->hi, maxticks, t);
    else if (axis->kind == AIQ_CHART_AXIS_DURATION)
        aiq_chart_duration_ticks(axis->lo, axis->hi, maxticks, axis->fixed_lo, axis->fixed_hi, t);
    else
        aiq_chart_nice_ticks(axis->lo, axis->hi, maxticks, axis->fixed_lo, axis->fixed_hi, t);
}

double aiq_chart_axis_frac(const AiqChartTicks *t, double v)
{
    if (isnan(v))
        return NAN;
    if (t->log) {
        if (v <= 0)
            return NAN;
        return (log10(v) - log10(t->lo)) / (log10(t->hi) - log10(t->lo));
    }
    return t->hi > t->lo ? (v - t->lo) / (t->hi - t->lo) : 0.5;
}

int aiq_chart_ticks_width(const AiqChartTicks *t)
{
    int w = 0;
    for (int i = 0; i < t->n; i++) {
        int lw = aiq_chart_text_width(t->label[i]);
        if (lw > w)
            w = lw;
    }
    return w;
}
