/*
 * scalar_time.c -- datetime and timespan kernels: now/ago, start and end
 * of periods, parts of a date (datetime_part, week_of_year), differences
 * and sums in calendar units, making datetimes and timespans from parts,
 * Unix times, and formatting. Ticks count 100 ns from
 * 0001-01-01T00:00:00Z, which was a Monday; weeks start on Sunday as in
 * Kusto, ISO weeks on Monday.
 */
#include <stdio.h>
#include <strings.h>

#include "func/datetime.h"
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

/* startofday/week/month/year and endofday/week/month/year, with an optional offset. */
KERNEL(k_startof)
{
    AiqFuncId id = e->fn->id;
    bool end = id == AIQ_FN_ENDOFDAY || id == AIQ_FN_ENDOFWEEK || id == AIQ_FN_ENDOFMONTH || id == AIQ_FN_ENDOFYEAR;
    enum { DAY, WEEK, MONTH, YEAR } unit = id == AIQ_FN_STARTOFDAY || id == AIQ_FN_ENDOFDAY     ? DAY
                                           : id == AIQ_FN_STARTOFWEEK || id == AIQ_FN_ENDOFWEEK ? WEEK
                                           : id == AIQ_FN_STARTOFYEAR || id == AIQ_FN_ENDOFYEAR ? YEAR
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

/* unixtime_{seconds,milliseconds,microseconds,nanoseconds}_todatetime:
 * the datetime that many units after 1970-01-01. An integer count is
 * converted exactly (nanoseconds truncate to the tick, 100 ns), a real one
 * through a double; null past the range of a datetime. */
KERNEL(k_unixtime)
{
    AiqFuncId id = e->fn->id;
    int64_t per_unit = id == AIQ_FN_UNIXTIME_MILLISECONDS_TODATETIME   ? AIQ_TICKS_PER_MS
                       : id == AIQ_FN_UNIXTIME_MICROSECONDS_TODATETIME ? 10
                       : id == AIQ_FN_UNIXTIME_NANOSECONDS_TODATETIME  ? 0 /* divide by 100 */
                                                                       : AIQ_TICKS_PER_SECOND;
    bool real = a[0]->type == AIQ_TYPE_REAL;
    FOR_ROWS(i) {
        int64_t ticks;
        bool ok;
        if (real) {
            ok = aiq_real_to_long(F64(a[0], i) * (per_unit ? (double)per_unit : 0.01), &ticks);
        } else if (per_unit == 0) {
            ticks = I64(a[0], i) / 100;
            ok = true;
        } else {
            ok = !__builtin_mul_overflow(I64(a[0], i), per_unit, &ticks);
        }
        if (!ok || __builtin_add_overflow(ticks, AIQ_UNIX_EPOCH_TICKS, &out->data.i64[i]))
            SETNULL(ctx, out, i);
    }
}

/* ---- parts and makers (datetime_part, week_of_year, make_datetime, ...) ---- */

/* The ISO 8601 week of day `days` (ticks' days since 0001-01-01, a
 * Monday): weeks start on Monday, and week 1 is the one with the year's
 * first Thursday (week_of_year's page: 2020-12-31 is in week 53,
 * 2000-01-01 in week 52 of 1999). */
static int64_t iso_week(int64_t days)
{
    int64_t wday = ((days % 7) + 7) % 7; /* 0 = Monday */
    int64_t thursday = days - wday + 3;  /* the week's Thursday decides its year */
    int64_t y;
    unsigned m, d;
    aiq_civil_from_days(thursday, &y, &m, &d);
    return (thursday - aiq_days_from_civil(y, 1, 1)) / 7 + 1;
}

KERNEL(k_week_of_year)
{
    FOR_ROWS(i) out->data.i64[i] = iso_week(day_of(I64(a[0], i)));
}

/* The parts datetime_part() takes (its page), any case. */
enum { PART_YEAR, PART_QUARTER, PART_MONTH, PART_WEEK, PART_DAY, PART_DAYOFYEAR, PART_HOUR, PART_MINUTE,
       PART_SECOND, PART_MS, PART_US, PART_NS, PART_NONE };

static int datetime_part_of(AiqStr p)
{
    static const char *const names[] = {"year", "quarter", "month", "week_of_year", "day", "dayofyear", "hour",
                                        "minute", "second", "millisecond", "microsecond", "nanosecond"};
    for (int k = 0; k < PART_NONE; k++)
        if (p.len == strlen(names[k]) && strncasecmp(p.ptr, names[k], p.len) == 0)
            return k;
    if (p.len == 10 && strncasecmp(p.ptr, "weekofyear", 10) == 0)
        return PART_WEEK;
    return PART_NONE;
}

bool aiq_datetime_part_known(const char *p, size_t n)
{
    return datetime_part_of((AiqStr){p, (uint32_t)n}) != PART_NONE;
}

/* datetime_part(part, date): the part as an int. */
KERNEL(k_datetime_part)
{
    int part = datetime_part_of(STR(a[0], 0));
    FOR_ROWS(i) {
        int64_t t = I64(a[1], i), days = day_of(t), in_day = t - days * AIQ_TICKS_PER_DAY, y, r;
        unsigned m, d;
        aiq_civil_from_days(days, &y, &m, &d);
        switch (part) {
        case PART_YEAR: r = y; break;
        case PART_QUARTER: r = (m - 1) / 3 + 1; break;
        case PART_MONTH: r = m; break;
        case PART_WEEK: r = iso_week(days); break;
        case PART_DAY: r = d; break;
        case PART_DAYOFYEAR: r = days - aiq_days_from_civil(y, 1, 1) + 1; break;
        case PART_HOUR: r = in_day / AIQ_TICKS_PER_HOUR; break;
        case PART_MINUTE: r = in_day / AIQ_TICKS_PER_MINUTE % 60; break;
        case PART_SECOND: r = in_day / AIQ_TICKS_PER_SECOND % 60; break;
        case PART_MS: r = in_day % AIQ_TICKS_PER_SECOND / AIQ_TICKS_PER_MS; break;
        case PART_US: r = in_day % AIQ_TICKS_PER_SECOND / 10; break;
        default: r = in_day % AIQ_TICKS_PER_SECOND * 100; break;
        }
        out->data.i64[i] = r;
    }
}

static bool leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* make_datetime(year, month, day [, hour, minute [, second]]): null when
 * a part is out of its range (year 1 to 9999, seconds below 60 with up to
 * seven decimals). */
KERNEL(k_make_datetime)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    FOR_ROWS(i) {
        int64_t y = I64(a[0], i), m = I64(a[1], i), d = I64(a[2], i);
        int64_t h = e->nargs > 3 ? I64(a[3], i) : 0, mi = e->nargs > 4 ? I64(a[4], i) : 0;
        double sec = e->nargs > 5 ? F64(a[5], i) : 0;
        bool ok = y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
                  d <= mdays[m - 1] + (m == 2 && leap_year(y)) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
                  sec >= 0 && sec < 60;
        if (!ok) {
            SETNULL(ctx, out, i);
            continue;
        }
        out->data.i64[i] = aiq_days_from_civil(y, (unsigned)m, (unsigned)d) * AIQ_TICKS_PER_DAY + h * AIQ_TICKS_PER_HOUR +
                           mi * AIQ_TICKS_PER_MINUTE + llround(sec * AIQ_TICKS_PER_SECOND);
    }
}

/* make_timespan(hour, minute), (hour, minute, second) or (day, hour,
 * minute, second): the sum of the parts; null when it passes a timespan's
 * range. */
KERNEL(k_make_timespan)
{
    FOR_ROWS(i) {
        int base = e->nargs == 4 ? 1 : 0;
        double days = e->nargs == 4 ? F64(a[0], i) : 0, h = F64(a[base], i), m = F64(a[base + 1], i);
        double sec = e->nargs > 2 ? F64(a[base + 2], i) : 0;
        double ticks = ((days * 24 + h) * 60 + m) * 60 * AIQ_TICKS_PER_SECOND + sec * AIQ_TICKS_PER_SECOND;
        int64_t r;
        if (!aiq_real_to_long(round(ticks), &r))
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = r;
    }
}

/* ingestion_time(): null. aiq reads JSON lines, which carry no time of
 * ingestion (the README says so). */
KERNEL(k_ingestion_time)
{
    FOR_ROWS(i) SETNULL(ctx, out, i);
}

/* ---- format_timespan ---------------------------------------------------------------- */

/* The length of the run of c at fmt[k..n). */
static size_t run_of(const char *fmt, size_t n, size_t k)
{
    size_t r = 1;
    while (k + r < n && fmt[k + r] == fmt[k])
        r++;
    return r;
}

/* The longest run each element letter takes (format_timespan's page). */
static size_t max_run(char c)
{
    switch (c) {
    case 'd': return 8;
    case 'f': case 'F': return 7;
    case 'h': case 'H': case 'm': case 's': return 2;
    default: return 0;
    }
}

bool aiq_timespan_format_check(const char *fmt, size_t n, size_t *bad_off, size_t *bad_len)
{
    for (size_t k = 0; k < n;) {
        char c = fmt[k];
        size_t r = run_of(fmt, n, k);
        if (strchr(" /-:,._[]", c)) {
            k++;
            continue;
        }
        if (max_run(c) == 0 || r > max_run(c)) {
            *bad_off = k;
            *bad_len = r;
            return false;
        }
        k += r;
    }
    return true;
}

/* Appends ticks formatted with fmt (checked above); a negative timespan
 * gets a leading '-' and its parts are those of its magnitude. */
static void format_timespan(int64_t ticks, const char *fmt, size_t n, AiqStrBuf *sb)
{
    uint64_t t = ticks < 0 ? (uint64_t)0 - (uint64_t)ticks : (uint64_t)ticks;
    if (ticks < 0)
        aiq_sb_putc(sb, '-');
    uint64_t days = t / AIQ_TICKS_PER_DAY, frac = t % AIQ_TICKS_PER_SECOND;
    uint64_t hours = t / AIQ_TICKS_PER_HOUR % 24, mins = t / AIQ_TICKS_PER_MINUTE % 60, secs = t / AIQ_TICKS_PER_SECOND % 60;
    for (size_t k = 0; k < n;) {
        char c = fmt[k];
        size_t r = run_of(fmt, n, k);
        if (max_run(c) == 0) {
            aiq_sb_putc(sb, c);
            k++;
            continue;
        }
        if (r > max_run(c))
            r = max_run(c);
        char digits[16];
        switch (c) {
        case 'd': aiq_sb_printf(sb, "%0*llu", (int)r, (unsigned long long)days); break;
        case 'h': case 'H': aiq_sb_printf(sb, "%0*llu", (int)r, (unsigned long long)hours); break;
        case 'm': aiq_sb_printf(sb, "%0*llu", (int)r, (unsigned long long)mins); break;
        case 's': aiq_sb_printf(sb, "%0*llu", (int)r, (unsigned long long)secs); break;
        default: {
            /* f: the first r of the seven fraction digits; F: the same without trailing zeros */
            snprintf(digits, sizeof digits, "%07llu", (unsigned long long)frac);
            size_t len = r;
            if (c == 'F')
                while (len > 0 && digits[len - 1] == '0')
                    len--;
            aiq_sb_append(sb, digits, len);
            break;
        }
        }
        k += r;
    }
}

KERNEL(k_format_timespan)
{
    AiqStr fmt = STR(a[1], 0);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    FOR_ROWS(i) {
        aiq_sb_clear(&sb);
        format_timespan(I64(a[0], i), fmt.ptr, fmt.len, &sb);
        out->data.str[i] = aiq_eval_str(ctx, aiq_sb_str(&sb), sb.len);
    }
    aiq_sb_free(&sb);
}
