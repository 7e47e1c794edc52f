/*
 * scalar_time.c -- datetime kernels. Ticks count 100 ns from
 * 0001-01-01T00:00:00Z, which was a Monday; weeks start on Sunday as in Kusto.
 */
#include <stdio.h>
#include <strings.h>

#include "func/kernel.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t day_of(int64_t t) { return floor_div(t, AIQ_TICKS_PER_DAY); }

/* Adds months to a datetime, clamping the day to the month's length. */
static int64_t add_months(int64_t t, int64_t months)
{
    int64_t days = day_of(t), rem = t - days * AIQ_TICKS_PER_DAY, y;
    unsigned m, d;
    aiq_civil_from_days(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    y = floor_div(total, 12);
    m = (unsigned)(total - y * 12) + 1;
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned maxd = dm[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > maxd)
        d = maxd;
    return aiq_days_from_civil(y, m, d) * AIQ_TICKS_PER_DAY + rem;
}

/* ago(t) = now() - t; now(t) = now() + t */
KERNEL(k_ago)
{
    int64_t sign = e->fn->id == AIQ_FN_AGO ? -1 : 1;
    FOR_ROWS(i) out->data.i64[i] = ctx->now + sign * I64(a[0], i);
}

/* startofday/week/month/year and endofday/week/month, with an optional offset. */
KERNEL(k_startof)
{
    AiqFuncId id = e->fn->id;
    bool end = id == AIQ_FN_ENDOFDAY || id == AIQ_FN_ENDOFWEEK || id == AIQ_FN_ENDOFMONTH;
    enum { DAY, WEEK, MONTH, YEAR } unit = id == AIQ_FN_STARTOFDAY || id == AIQ_FN_ENDOFDAY     ? DAY
                                           : id == AIQ_FN_STARTOFWEEK || id == AIQ_FN_ENDOFWEEK ? WEEK
                                           : id == AIQ_FN_STARTOFYEAR                           ? YEAR
                                                                                                : MONTH;
    FOR_ROWS(i) {
        int64_t t = I64(a[0], i), off = e->nargs > 1 && !ISNULL(a[1], i) ? I64(a[1], i) : 0;
        int64_t days = day_of(t), r;
        if (unit == DAY) {
            r = (days + off) * AIQ_TICKS_PER_DAY;
            if (end)
                r += AIQ_TICKS_PER_DAY - 1;
        } else if (unit == WEEK) {
            int64_t sunday = days - ((days + 1) % 7 + 7) % 7;
            r = (sunday + 7 * off) * AIQ_TICKS_PER_DAY;
            if (end)
                r += 7 * AIQ_TICKS_PER_DAY - 1;
        } else {
            int64_t y;
            unsigned m, d;
            aiq_civil_from_days(days, &y, &m, &d);
            int64_t first = unit == MONTH ? aiq_days_from_civil(y, m, 1) : aiq_days_from_civil(y, 1, 1);
            r = add_months(first * AIQ_TICKS_PER_DAY, (unit == MONTH ? 1 : 12) * off);
            if (end)
                r = add_months(r, unit == MONTH ? 1 : 12) - 1;
        }
        out->data.i64[i] = r;
    }
}

static int64_t unit_ticks(AiqStr part)
{
    static const struct {
        const char *name;
        int64_t ticks;
    } units[] = {
        {"day", AIQ_TICKS_PER_DAY}, {"hour", AIQ_TICKS_PER_HOUR}, {"minute", AIQ_TICKS_PER_MINUTE},
        {"second", AIQ_TICKS_PER_SECOND}, {"millisecond", AIQ_TICKS_PER_MS}, {"microsecond", 10},
        {"nanosecond", 1}, {"week", 7 * AIQ_TICKS_PER_DAY},
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (part.len == strlen(units[k].name) && strncasecmp(part.ptr, units[k].name, part.len) == 0)
            return units[k].ticks;
    return 0;
}

KERNEL(k_datetime_diff)
{
    /* difference of a and b in whole calendar units (boundaries crossed) */
    AiqStr part = STR(a[0], 0);
    FOR_ROWS(i) {
        int64_t x = I64(a[1], i), y = I64(a[2], i), r;
        if ((part.len == 4 && strncasecmp(part.ptr, "year", 4) == 0) ||
            (part.len == 5 && strncasecmp(part.ptr, "month", 5) == 0) ||
            (part.len == 7 && strncasecmp(part.ptr, "quarter", 7) == 0)) {
            int64_t yx, yy;
            unsigned mx, my, d;
            aiq_civil_from_days(day_of(x), &yx, &mx, &d);
            aiq_civil_from_days(day_of(y), &yy, &my, &d);
            if (part.len == 4)
                r = yx - yy;
            else if (part.len == 5)
                r = (yx * 12 + mx) - (yy * 12 + my);
            else
                r = (yx * 4 + (mx - 1) / 3) - (yy * 4 + (my - 1) / 3);
        } else if (part.len == 4 && strncasecmp(part.ptr, "week", 4) == 0) {
            int64_t dx = day_of(x), dy = day_of(y);
            int64_t sx = dx - ((dx + 1) % 7 + 7) % 7, sy = dy - ((dy + 1) % 7 + 7) % 7;
            r = (sx - sy) / 7;
        } else {
            int64_t u = unit_ticks(part);
            r = u == 1 ? (x - y) * 100 : floor_div(x, u) - floor_div(y, u);
        }
        out->data.i64[i] = r;
    }
}

KERNEL(k_datetime_add)
{
    AiqStr part = STR(a[0], 0);
    FOR_ROWS(i) {
        int64_t amount = I64(a[1], i), t = I64(a[2], i);
        if (part.len == 4 && strncasecmp(part.ptr, "year", 4) == 0)
            out->data.i64[i] = add_months(t, 12 * amount);
        else if (part.len == 7 && strncasecmp(part.ptr, "quarter", 7) == 0)
            out->data.i64[i] = add_months(t, 3 * amount);
        else if (part.len == 5 && strncasecmp(part.ptr, "month", 5) == 0)
            out->data.i64[i] = add_months(t, amount);
        else {
            int64_t u = unit_ticks(part);
            out->data.i64[i] = u == 1 ? t + amount / 100 : t + amount * u;
        }
    }
}

KERNEL(k_format_datetime)
{
    AiqStr fmt = STR(a[1], 0);
    AiqStrBuf sb; /* grows: a format can be long (found by fuzz_query) */
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        aiq_sb_clear(&sb);
        aiq_datetime_format_custom(I64(a[0], i), fmt.ptr, fmt.len, &sb);
        out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(&sb), sb.len);
    }
    aiq_sb_free(&sb);
}

KERNEL(k_datepart)
{
    AiqFuncId id = e->fn->id;
    FOR_ROWS(i) {
        int64_t t = I64(a[0], i), days = day_of(t), y;
        unsigned m, d;
        aiq_civil_from_days(days, &y, &m, &d);
        int64_t r;
        switch (id) {
        case AIQ_FN_DAYOFWEEK: r = (((days + 1) % 7 + 7) % 7) * AIQ_TICKS_PER_DAY; break; /* a timespan since Sunday */
        case AIQ_FN_DAYOFMONTH: r = d; break;
        case AIQ_FN_DAYOFYEAR: r = days - aiq_days_from_civil(y, 1, 1) + 1; break;
        case AIQ_FN_HOUROFDAY: r = (t - days * AIQ_TICKS_PER_DAY) / AIQ_TICKS_PER_HOUR; break;
        case AIQ_FN_GETYEAR: r = y; break;
        default: r = m; break; /* getmonth, monthofyear */
        }
        out->data.i64[i] = r;
    }
}

KERNEL(k_unixtime)
{
    bool ms = e->fn->id == AIQ_FN_UNIXTIME_MILLISECONDS_TODATETIME;
    FOR_ROWS(i) {
        double v = F64(a[0], i) * (ms ? AIQ_TICKS_PER_MS : AIQ_TICKS_PER_SECOND);
        int64_t ticks;
        if (!aiq_real_to_long(v, &ticks) ||
            __builtin_add_overflow(ticks, AIQ_UNIX_EPOCH_TICKS, &out->data.i64[i]))
            SETNULL(ctx, out, i);
    }
}
