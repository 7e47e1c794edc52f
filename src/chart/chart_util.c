/*
 * chart_util.c -- UTF-8 measuring and clipping, and value spelling, shared
 * by the chart builder and the terminal and SVG renderers (see chart_util.h).
 */
#include "chart/chart_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/timefmt.h"

uint32_t aiq_chart_utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = *i;
    uint32_t c = u[k];
    int more = c < 0x80 ? 0 : c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
    if (more == 0) {
        *i = k + 1;
        return c;
    }
    if (more < 0 || k + (size_t)more >= n) {
        *i = k + 1;
        return 0xFFFD;
    }
    c &= 0x3Fu >> more;
    for (int j = 1; j <= more; j++) {
        if ((u[k + j] & 0xC0) != 0x80) {
            *i = k + j; /* resynchronise at the byte that broke the sequence */
            return 0xFFFD;
        }
        c = (c << 6) | (u[k + j] & 0x3F);
    }
    *i = k + 1 + (size_t)more;
    return c;
}

int aiq_chart_utf8_put(uint32_t cp, char *buf)
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int aiq_chart_cp_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    /* East Asian wide and fullwidth blocks, and the emoji planes */
    static const uint32_t wide[][2] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

int aiq_chart_text_width(const char *s)
{
    size_t n = strlen(s), i = 0;
    int w = 0;
    while (i < n) {
        uint32_t cp = aiq_chart_utf8_next(s, n, &i);
        w += cp < 0x20 ? 1 : aiq_chart_cp_width(cp); /* controls print as spaces */
    }
    return w;
}

const char *aiq_chart_text_clip(AiqArena *arena, const char *s, int maxw, bool utf8)
{
    size_t n = strlen(s), i = 0;
    bool clean = true;
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)s[k] < 0x20 || (!utf8 && (unsigned char)s[k] >= 0x80))
            clean = false;
    if (clean && aiq_chart_text_width(s) <= maxw)
        return s;
    if (maxw < 1)
        return "";
    bool cut = aiq_chart_text_width(s) > maxw;
    int budget = cut ? maxw - 1 : maxw, w = 0;
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    while (i < n) {
        uint32_t cp = aiq_chart_utf8_next(s, n, &i);
        if (cp < 0x20)
            cp = ' ';
        if (!utf8 && cp >= 0x80)
            cp = '?'; /* a pure-ASCII terminal cannot show it */
        int cw = aiq_chart_cp_width(cp);
        if (w + cw > budget)
            break;
        char enc[4];
        aiq_sb_append(&sb, enc, (size_t)aiq_chart_utf8_put(cp, enc));
        w += cw;
    }
    if (cut)
        aiq_sb_puts(&sb, utf8 ? "\xE2\x80\xA6" : "~");
    char *r = aiq_arena_strndup(arena, aiq_sb_str(&sb), sb.len);
    aiq_sb_free(&sb);
    return r;
}

/* Writes the integer part of a >= 0 with a comma every three digits. */
static size_t group_digits(double a, char *buf, size_t size)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%.0f", a);
    size_t o = 0;
    for (int k = 0; k < nd && o + 2 < size; k++) {
        if (k > 0 && (nd - k) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[k];
    }
    buf[o] = '\0';
    return o;
}

/* Drops trailing zeros (and a bare point) after a decimal point. */
static void trim_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (!dot)
        return;
    char *end = s + strlen(s);
    while (end > dot + 1 && end[-1] == '0')
        end--;
    if (end == dot + 1)
        end = dot;
    *end = '\0';
}

static const char *format_number(double v, char *buf, size_t size)
{
    if (isnan(v))
        return snprintf(buf, size, "null"), buf;
    if (isinf(v))
        return snprintf(buf, size, v < 0 ? "-inf" : "inf"), buf;
    double a = fabs(v);
    size_t o = 0;
    if (signbit(v) && a != 0)
        buf[o++] = '-';
    if (a >= 1e15 || (a > 0 && a < 1e-4)) {
        snprintf(buf + o, size - o, "%.4g", a);
        return buf;
    }
    if (a < 1) {
        /* four significant digits: a latency of 0.01234 s keeps its shape */
        snprintf(buf + o, size - o, "%.*f", 3 - (int)floor(log10(a > 0 ? a : 1)), a);
        trim_zeros(buf);
        return buf;
    }
    double r = round(a * 100) / 100; /* two decimals at most from 1 up */
    double ip = floor(r);
    o += group_digits(ip, buf + o, size - o);
    if (r != ip) {
        char frac[16];
        snprintf(frac, sizeof frac, "%.2f", r - ip);
        trim_zeros(frac);
        snprintf(buf + o, size - o, "%s", frac + 1); /* frac is "0.xx" */
    }
    return buf;
}

const char *aiq_chart_format_duration(double ticks, char *buf, size_t size)
{
    if (isnan(ticks))
        return snprintf(buf, size, "null"), buf;
    const char *sign = ticks < 0 ? "-" : "";
    double t = fabs(ticks);
    double s = t / AIQ_TICKS_PER_SECOND;
    if (t == 0)
        snprintf(buf, size, "0");
    else if (s >= 86400) {
        long long d = (long long)(s / 86400), h = (long long)fmod(s / 3600, 24);
        if (h)
            snprintf(buf, size, "%s%lldd%lldh", sign, d, h);
        else
            snprintf(buf, size, "%s%lldd", sign, d);
    } else if (s >= 3600) {
        long long h = (long long)(s / 3600), m = (long long)fmod(s / 60, 60);
        if (m)
            snprintf(buf, size, "%s%lldh%lldm", sign, h, m);
        else
            snprintf(buf, size, "%s%lldh", sign, h);
    } else if (s >= 60) {
        long long m = (long long)(s / 60), sec = (long long)fmod(s, 60);
        if (sec)
            snprintf(buf, size, "%s%lldm%llds", sign, m, sec);
        else
            snprintf(buf, size, "%s%lldm", sign, m);
    } else {
        char num[32];
        const char *unit = s >= 1 ? "s" : s >= 1e-3 ? "ms" : s >= 1e-6 ? "us" : "ns";
        double scaled = s >= 1 ? s : s >= 1e-3 ? s * 1e3 : s >= 1e-6 ? s * 1e6 : t * 100;
        snprintf(num, sizeof num, "%.3f", scaled);
        trim_zeros(num);
        snprintf(buf, size, "%s%s%s", sign, num, unit);
    }
    return buf;
}

bool aiq_chart_legend_repeat(const AiqChart *c, int s)
{
    for (int i = 0; i < s; i++)
        if (c->series[i].color == c->series[s].color &&
            strcmp(c->series[i].name, c->series[s].name) == 0)
            return true;
    return false;
}

int aiq_chart_legend_left(const AiqChart *c, int from)
{
    int n = 0;
    for (int s = from; s < c->nseries; s++)
        n += !aiq_chart_legend_repeat(c, s);
    return n;
}

const char *aiq_chart_x_title(const char *title, const char *context, char *buf, size_t size)
{
    title = title ? title : "";
    if (!context || !context[0]) {
        snprintf(buf, size, "%s", title);
        return buf;
    }
    size_t n = strlen(context);
    bool says_utc = strstr(title, "UTC") != NULL;
    if (says_utc && n >= 3 && strcmp(context + n - 3, "UTC") == 0)
        n = n > 4 ? n - 4 : 0; /* drop " UTC" (or all of a bare "UTC") */
    if (n == 0)
        snprintf(buf, size, "%s", title);
    else
        snprintf(buf, size, "%s%s(%.*s)", title, title[0] ? " " : "", (int)n, context);
    return buf;
}

const char *aiq_chart_format_value(AiqChartAxisKind kind, double v, char *buf, size_t size)
{
    if (isnan(v))
        return snprintf(buf, size, "null"), buf;
    if (kind == AIQ_CHART_AXIS_TIME) {
        char tmp[48];
        aiq_datetime_format((int64_t)llround(v), tmp);
        snprintf(buf, size, "%s", tmp);
        return buf;
    }
    if (kind == AIQ_CHART_AXIS_DURATION)
        return aiq_chart_format_duration(v, buf, size);
    return format_number(v, buf, size);
}
