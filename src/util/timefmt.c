/*
 * timefmt.c -- datetime/timespan parsing and formatting (see timefmt.h).
 * Calendar arithmetic uses Howard Hinnant's days-from-civil method, shifted
 * so day 0 is 0001-01-01.
 */
#include "util/timefmt.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "aiq/aiq_types.h"
#include "util/strbuf.h"

/* Days from 1970-01-01 to 0001-01-01 is -719162. */
#define DAYS_0001_TO_1970 719162LL

int64_t aiq_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468 + DAYS_0001_TO_1970;
}

void aiq_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t z = days - DAYS_0001_TO_1970 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static bool digits(const char *s, size_t n, size_t *pos, int count, int *out)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        if (*pos >= n || !isdigit((unsigned char)s[*pos]))
            return false;
        v = v * 10 + (s[(*pos)++] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Whether the first 16 bytes of s are `DDDD-DD-DDTDD:DD` (D a digit).
 * With SSE2 (every x86-64) one compare each for the digits and the
 * separators: the per-byte checks were over a quarter of parsing a datetime
 * column's values (callgrind, p95 by bin over 200k rows: 63 of 222
 * instructions a value). */
static bool date_hour_minute_shape(const char *s)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128((const __m128i *)s);
    const __m128i x = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    const __m128i nine = _mm_set1_epi8(9); /* (unsigned: a byte below '0' wraps above 9) */
    unsigned digit = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(x, nine), nine));
    const __m128i seps = _mm_setr_epi8(0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0);
    unsigned sep = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, seps));
    enum { SEP_AT = 1u << 4 | 1u << 7 | 1u << 10 | 1u << 13 };
    return (digit & (0xFFFFu & ~SEP_AT)) == (0xFFFFu & ~SEP_AT) && (sep & SEP_AT) == SEP_AT;
#else
    static const unsigned char digit_at[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15};
    for (size_t i = 0; i < sizeof digit_at; i++)
        if ((unsigned)(s[digit_at[i]] - '0') > 9)
            return false;
    return s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':';
#endif
}

/* The shape logs write, 2026-11-20T00:00:03.086Z (a fixed-width date and
 * time, 0 to 7 fraction digits, Z), read without the general steps below:
 * a reader tests every value of a datetime column, and the day repeats
 * from row to row (its day number is kept per thread). The same checks
 * and the same ticks as aiq_datetime_parse; 1 or 0 as it would say, -1
 * for any other shape (lower-case t or z, blanks, an offset, ...). */
static int parse_log_shape(const char *s, size_t n, int64_t *ticks)
{
    if (n < 20 || n > 28 || n == 21 || s[16] != ':' || s[n - 1] != 'Z' || (n > 20 && s[19] != '.') ||
        (unsigned)(s[17] - '0') > 9 || (unsigned)(s[18] - '0') > 9 || !date_hour_minute_shape(s))
        return -1;
    int64_t frac = 0;
    static const int64_t scale[8] = {10000000, 1000000, 100000, 10000, 1000, 100, 10, 1};
    size_t nfrac = n > 20 ? n - 21 : 0;
    for (size_t i = 20; i + 1 < n; i++) {
        if ((unsigned)(s[i] - '0') > 9)
            return -1;
        frac = frac * 10 + (s[i] - '0');
    }
    frac *= scale[nfrac];
#define D2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
    int y = D2(0) * 100 + D2(2), mo = D2(5), d = D2(8), h = D2(11), mi = D2(14), sec = D2(17);
#undef D2
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return 0;
    static _Thread_local int last_ymd = -1;
    static _Thread_local int64_t last_days;
    int ymd = (y * 100 + mo) * 100 + d;
    if (ymd != last_ymd) {
        last_days = aiq_days_from_civil(y, (unsigned)mo, (unsigned)d);
        last_ymd = ymd;
    }
    *ticks = last_days * AIQ_TICKS_PER_DAY + (int64_t)h * AIQ_TICKS_PER_HOUR + (int64_t)mi * AIQ_TICKS_PER_MINUTE +
             (int64_t)sec * AIQ_TICKS_PER_SECOND + frac;
    return 1;
}

bool aiq_datetime_parse(const char *s, size_t n, int64_t *ticks)
{
    int shaped = parse_log_shape(s, n, ticks);
    if (shaped >= 0)
        return shaped;
    size_t p = 0;
    while (p < n && isspace((unsigned char)s[p]))
        p++;
    while (n > p && isspace((unsigned char)s[n - 1]))
        n--;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    int64_t frac = 0;
    if (!digits(s, n, &p, 4, &y) || p >= n || s[p++] != '-' || !digits(s, n, &p, 2, &mo) ||
        p >= n || s[p++] != '-' || !digits(s, n, &p, 2, &d))
        return false;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return false;
    int64_t offset_minutes = 0;
    if (p < n && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
        p++;
        if (!digits(s, n, &p, 2, &h) || p >= n || s[p++] != ':' || !digits(s, n, &p, 2, &mi))
            return false;
        if (p < n && s[p] == ':') {
            p++;
            if (!digits(s, n, &p, 2, &sec))
                return false;
            if (p < n && s[p] == '.') {
                p++;
                int nd = 0;
                if (p >= n || !isdigit((unsigned char)s[p]))
                    return false;
                while (p < n && isdigit((unsigned char)s[p])) {
                    if (nd < 7) {
                        frac = frac * 10 + (s[p] - '0');
                        nd++;
                    }
                    p++;
                }
                while (nd++ < 7)
                    frac *= 10;
            }
        }
        if (h > 23 || mi > 59 || sec > 59)
            return false;
        if (p < n && (s[p] == 'Z' || s[p] == 'z')) {
            p++;
        } else if (p < n && (s[p] == '+' || s[p] == '-')) {
            int sign = s[p++] == '-' ? -1 : 1, oh, om = 0;
            if (!digits(s, n, &p, 2, &oh))
                return false;
            if (p < n && s[p] == ':')
                p++;
            if (p < n && !digits(s, n, &p, 2, &om))
                return false;
            if (oh > 23 || om > 59)
                return false;
            offset_minutes = sign * (oh * 60 + om);
        }
    } else if (p < n && (s[p] == 'Z' || s[p] == 'z')) {
        p++;
    }
    if (p != n)
        return false;
    int64_t days = aiq_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ticks = days * AIQ_TICKS_PER_DAY + (int64_t)h * AIQ_TICKS_PER_HOUR +
             (int64_t)mi * AIQ_TICKS_PER_MINUTE + (int64_t)sec * AIQ_TICKS_PER_SECOND + frac -
             offset_minutes * AIQ_TICKS_PER_MINUTE;
    return true;
}

/* ---- the other text formats of todatetime() ---------------------------- */

/* A read position in a datetime text; every reader below returns false and
 * may leave pos anywhere when the text is not what it reads. */
typedef struct DtCursor {
    const char *s;
    size_t n, pos;
} DtCursor;

static void dt_blanks(DtCursor *c)
{
    while (c->pos < c->n && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t'))
        c->pos++;
}

static bool dt_char(DtCursor *c, char ch)
{
    if (c->pos < c->n && c->s[c->pos] == ch) {
        c->pos++;
        return true;
    }
    return false;
}

/* Reads an unsigned number of min..max digits; *ndigits gets how many. */
static bool dt_number(DtCursor *c, int min, int max, int *out, int *ndigits)
{
    int v = 0, k = 0;
    while (k < max && c->pos < c->n && isdigit((unsigned char)c->s[c->pos])) {
        v = v * 10 + (c->s[c->pos++] - '0');
        k++;
    }
    if (k < min || (c->pos < c->n && isdigit((unsigned char)c->s[c->pos])))
        return false;
    *out = v;
    if (ndigits)
        *ndigits = k;
    return true;
}

/* Reads a run of letters into word (lowercased, NUL-terminated); returns its length. */
static size_t dt_word(DtCursor *c, char *word, size_t cap)
{
    size_t k = 0;
    while (c->pos < c->n && isalpha((unsigned char)c->s[c->pos])) {
        if (k + 1 < cap)
            word[k] = (char)tolower((unsigned char)c->s[c->pos]);
        k++;
        c->pos++;
    }
    word[k < cap ? k : cap - 1] = '\0';
    return k;
}

/* Reads an English month name, whole or its first three letters: 1..12, or 0. */
static int dt_month_name(DtCursor *c)
{
    static const char *const months[] = {"january", "february", "march", "april", "may", "june",
                                         "july", "august", "september", "october", "november",
                                         "december"};
    char w[16];
    size_t k = dt_word(c, w, sizeof w);
    for (int m = 0; m < 12 && k >= 3 && k < sizeof w; m++)
        if (strncmp(months[m], w, k) == 0 && (k == 3 || k == strlen(months[m])))
            return m + 1;
    return 0;
}

/* Skips a leading weekday name ("Sat," or "Saturday,"), which the RFC
 * formats allow and which says nothing the date does not. */
static bool dt_weekday(DtCursor *c)
{
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                       "saturday", "sunday"};
    size_t start = c->pos;
    char w[16];
    size_t k = dt_word(c, w, sizeof w);
    for (int d = 0; d < 7 && k >= 3 && k < sizeof w; d++)
        if (strncmp(days[d], w, k) == 0 && (k == 3 || k == strlen(days[d]))) {
            dt_blanks(c);
            dt_char(c, ',');
            dt_blanks(c);
            return true;
        }
    c->pos = start;
    return false;
}

/* Reads H[H]:MM[:SS[.fffffff]] and an optional AM/PM into ticks of the day. */
static bool dt_clock(DtCursor *c, int64_t *day_ticks)
{
    int h, mi, sec = 0;
    int64_t frac = 0;
    if (!dt_number(c, 1, 2, &h, NULL) || !dt_char(c, ':') || !dt_number(c, 2, 2, &mi, NULL))
        return false;
    if (dt_char(c, ':')) {
        if (!dt_number(c, 2, 2, &sec, NULL))
            return false;
        if (dt_char(c, '.')) {
            int nd = 0;
            if (c->pos >= c->n || !isdigit((unsigned char)c->s[c->pos]))
                return false;
            for (; c->pos < c->n && isdigit((unsigned char)c->s[c->pos]); c->pos++)
                if (nd < 7) {
                    frac = frac * 10 + (c->s[c->pos] - '0');
                    nd++;
                }
            while (nd++ < 7)
                frac *= 10;
        }
    }
    size_t before = c->pos;
    dt_blanks(c);
    char w[4];
    size_t k = dt_word(c, w, sizeof w);
    if (k == 2 && (strcmp(w, "am") == 0 || strcmp(w, "pm") == 0)) {
        if (h < 1 || h > 12)
            return false;
        h = h % 12 + (w[0] == 'p' ? 12 : 0);
    } else {
        c->pos = before;
    }
    if (h > 23 || mi > 59 || sec > 59)
        return false;
    *day_ticks = (int64_t)h * AIQ_TICKS_PER_HOUR + (int64_t)mi * AIQ_TICKS_PER_MINUTE +
                 (int64_t)sec * AIQ_TICKS_PER_SECOND + frac;
    return true;
}

/* Reads an optional time zone: Z, GMT, UT, UTC, the US zones of RFC 822, or
 * +hh[:]mm; sets the offset from UTC in minutes. */
static bool dt_zone(DtCursor *c, int *offset_minutes)
{
    static const struct { const char *name; int hours; } zones[] = {
        {"z", 0}, {"gmt", 0}, {"ut", 0}, {"utc", 0}, {"est", -5}, {"edt", -4}, {"cst", -6},
        {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7},
    };
    *offset_minutes = 0;
    dt_blanks(c);
    if (c->pos >= c->n)
        return true;
    if (c->s[c->pos] == '+' || c->s[c->pos] == '-') {
        int sign = c->s[c->pos++] == '-' ? -1 : 1, oh, om = 0;
        if (!digits(c->s, c->n, &c->pos, 2, &oh))
            return false;
        dt_char(c, ':');
        if (c->pos < c->n && !digits(c->s, c->n, &c->pos, 2, &om))
            return false;
        if (oh > 23 || om > 59)
            return false;
        *offset_minutes = sign * (oh * 60 + om);
        return true;
    }
    char w[8];
    size_t k = dt_word(c, w, sizeof w);
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++)
        if (k < sizeof w && strcmp(w, zones[z].name) == 0) {
            *offset_minutes = zones[z].hours * 60;
            return true;
        }
    return false;
}

/* Reads the part after the date: [ ('T' | blanks) clock ] [zone], to the end. */
static bool dt_time_and_zone(DtCursor *c, int64_t *day_ticks, int *offset_minutes)
{
    *day_ticks = 0;
    size_t before = c->pos;
    if (!dt_char(c, 'T') && !dt_char(c, 't'))
        dt_blanks(c);
    if (c->pos < c->n && isdigit((unsigned char)c->s[c->pos])) {
        if (!dt_clock(c, day_ticks))
            return false;
    } else {
        c->pos = before;
    }
    if (!dt_zone(c, offset_minutes))
        return false;
    dt_blanks(c);
    return c->pos == c->n;
}

/* A separator of date fields: '-', '/', '.' or ',' with blanks around it
 * ("2017 - 08 - 01", "2025, 6, 14"); returns it, or 0. */
static char dt_separator(DtCursor *c)
{
    dt_blanks(c);
    char sep = c->pos < c->n ? c->s[c->pos] : 0;
    if (sep != '-' && sep != '/' && sep != '.' && sep != ',')
        return 0;
    c->pos++;
    dt_blanks(c);
    return sep;
}

/* A two-digit year as .NET reads it: up to 29 is 20yy, else 19yy. */
static int dt_full_year(int y, int ndigits)
{
    if (ndigits > 2)
        return y;
    return y <= 29 ? 2000 + y : 1900 + y;
}

/* year-first: yyyy sep M sep d (the ISO and "sortable" formats). */
static bool dt_year_first(DtCursor *c, int *y, int *m, int *d)
{
    char s1, s2;
    return dt_number(c, 4, 4, y, NULL) && (s1 = dt_separator(c)) && dt_number(c, 1, 2, m, NULL) &&
           (s2 = dt_separator(c)) == s1 && dt_number(c, 1, 2, d, NULL);
}

/* day-first with a month name: d[-| ]Mon[-| ]yy[yy] (RFC 822 and RFC 850). */
static bool dt_day_month_name(DtCursor *c, int *y, int *m, int *d)
{
    int nd;
    if (!dt_number(c, 1, 2, d, NULL))
        return false;
    if (!dt_char(c, '-'))
        dt_blanks(c);
    if (!(*m = dt_month_name(c)))
        return false;
    if (!dt_char(c, '-'))
        dt_blanks(c);
    if (!dt_number(c, 2, 4, y, &nd) || nd == 3)
        return false;
    *y = dt_full_year(*y, nd);
    return true;
}

/* month first: M/d/yyyy or M-d-yyyy, as the invariant culture reads them. */
static bool dt_month_first(DtCursor *c, int *y, int *m, int *d)
{
    int nd;
    char sep;
    if (!dt_number(c, 1, 2, m, NULL) || (sep = c->pos < c->n ? c->s[c->pos] : 0) == 0 ||
        (sep != '/' && sep != '-'))
        return false;
    c->pos++;
    if (!dt_number(c, 1, 2, d, NULL) || !dt_char(c, sep) || !dt_number(c, 2, 4, y, &nd) || nd == 3)
        return false;
    *y = dt_full_year(*y, nd);
    return true;
}

/* month name first: Mon d[,] yyyy. */
static bool dt_month_name_first(DtCursor *c, int *y, int *m, int *d)
{
    int nd;
    if (!(*m = dt_month_name(c)))
        return false;
    dt_blanks(c);
    if (!dt_number(c, 1, 2, d, NULL))
        return false;
    dt_blanks(c);
    dt_char(c, ',');
    dt_blanks(c);
    if (!dt_number(c, 4, 4, y, &nd))
        return false;
    return true;
}

bool aiq_datetime_parse_text(const char *s, size_t n, int64_t *ticks)
{
    if (aiq_datetime_parse(s, n, ticks))
        return true;
    static bool (*const date_forms[])(DtCursor *, int *, int *, int *) = {
        dt_year_first, dt_day_month_name, dt_month_first, dt_month_name_first,
    };
    DtCursor c = {s, n, 0};
    while (c.n > 0 && isspace((unsigned char)s[c.n - 1]))
        c.n--;
    while (c.pos < c.n && isspace((unsigned char)s[c.pos]))
        c.pos++;
    dt_weekday(&c);
    size_t start = c.pos;
    for (size_t f = 0; f < sizeof date_forms / sizeof date_forms[0]; f++) {
        int y, m, d, offset;
        int64_t day_ticks;
        c.pos = start;
        if (!date_forms[f](&c, &y, &m, &d) || y < 1 || m < 1 || m > 12 || d < 1 ||
            d > days_in_month(y, m) || !dt_time_and_zone(&c, &day_ticks, &offset))
            continue;
        *ticks = aiq_days_from_civil(y, (unsigned)m, (unsigned)d) * AIQ_TICKS_PER_DAY + day_ticks -
                 (int64_t)offset * AIQ_TICKS_PER_MINUTE;
        return true;
    }
    return false;
}

/* ---- format_datetime() -------------------------------------------------- */

/* The longest run of each letter Kusto's format_datetime page documents
 * (0: not a format letter, copied as it is; a run of another length than
 * those listed below is an error). */
static int format_letter_max(char c)
{
    switch (c) {
    case 'd': case 'h': case 'H': case 'm': case 'M': case 's': return 2;
    case 'f': case 'F': return 7;
    case 'y': return 4;
    case 't': return 2;
    default: return 0;
    }
}

/* .NET's format letters that Kusto's page does not list (g era, K and z
 * time zones): a run of them, or of a listed letter at a length not listed
 * (ddd, MMM, yyy, t), is an element aiq does not know. */
static bool format_run_ok(char c, size_t run)
{
    if (strchr("gKz", c))
        return false;
    int max = format_letter_max(c);
    if (max == 0)
        return true;
    if (c == 'y')
        return run == 1 || run == 2 || run == 4;
    if (c == 't')
        return run == 2;
    return run <= (size_t)max;
}

bool aiq_datetime_format_check(const char *fmt, size_t n, size_t *bad_off, size_t *bad_len)
{
    for (size_t k = 0; k < n;) {
        size_t run = 1;
        while (k + run < n && fmt[k + run] == fmt[k])
            run++;
        if (!format_run_ok(fmt[k], run)) {
            *bad_off = k;
            *bad_len = run;
            return false;
        }
        k += run;
    }
    return true;
}

void aiq_datetime_format_custom(int64_t ticks, const char *fmt, size_t n, AiqStrBuf *out)
{
    int64_t days = ticks / AIQ_TICKS_PER_DAY, rem = ticks % AIQ_TICKS_PER_DAY, y;
    if (rem < 0) {
        rem += AIQ_TICKS_PER_DAY;
        days--;
    }
    unsigned mo, d;
    aiq_civil_from_days(days, &y, &mo, &d);
    int64_t secs = rem / AIQ_TICKS_PER_SECOND, frac = rem % AIQ_TICKS_PER_SECOND;
    int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    char digits[16];
    snprintf(digits, sizeof digits, "%07lld", (long long)frac);
    for (size_t k = 0; k < n;) {
        char c = fmt[k];
        size_t run = 1;
        while (k + run < n && fmt[k + run] == c)
            run++;
        bool two = run >= 2;
        switch (c) {
        case 'y':
            if (run >= 4)
                aiq_sb_printf(out, "%04lld", (long long)y);
            else
                aiq_sb_printf(out, two ? "%02lld" : "%lld", (long long)(y % 100));
            break;
        case 'M': aiq_sb_printf(out, two ? "%02u" : "%u", mo); break;
        case 'd': aiq_sb_printf(out, two ? "%02u" : "%u", d); break;
        case 'H': aiq_sb_printf(out, two ? "%02d" : "%d", hh); break;
        case 'h': aiq_sb_printf(out, two ? "%02d" : "%d", hh % 12 ? hh % 12 : 12); break;
        case 'm': aiq_sb_printf(out, two ? "%02d" : "%d", mi); break;
        case 's': aiq_sb_printf(out, two ? "%02d" : "%d", ss); break;
        case 'f': aiq_sb_append(out, digits, run > 7 ? 7 : run); break;
        case 'F': {
            /* only the digits up to the last non-zero one; with none, also
             * no decimal point before them (as .NET's F) */
            size_t keep = run > 7 ? 7 : run;
            while (keep > 0 && digits[keep - 1] == '0')
                keep--;
            if (keep)
                aiq_sb_append(out, digits, keep);
            else if (out->len > 0 && out->data[out->len - 1] == '.')
                out->data[--out->len] = '\0';
            break;
        }
        case 't': aiq_sb_puts(out, hh < 12 ? (two ? "AM" : "A") : (two ? "PM" : "P")); break;
        default: aiq_sb_append(out, fmt + k, run); break;
        }
        k += run;
    }
}

/* Writes v (< 10^n) as n digits, zeros first. */
static void put_digits(char *buf, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        buf[i] = (char)('0' + v % 10);
}

/* Writes ".fffffff" without trailing zeros, or nothing when frac (0 to
 * 9,999,999) is 0. */
static size_t format_fraction(int64_t frac, char *buf)
{
    if (frac == 0)
        return 0;
    buf[0] = '.';
    put_digits(buf + 1, (unsigned)frac, 7);
    size_t len = 8;
    while (buf[len - 1] == '0')
        len--;
    return len;
}

size_t aiq_datetime_format(int64_t ticks, char *buf)
{
    int64_t days = ticks / AIQ_TICKS_PER_DAY, rem = ticks % AIQ_TICKS_PER_DAY;
    if (rem < 0) {
        rem += AIQ_TICKS_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    aiq_civil_from_days(days, &y, &m, &d);
    int64_t secs = rem / AIQ_TICKS_PER_SECOND;
    size_t n = 19;
    if (y >= 0 && y <= 9999) { /* (digits by hand: printf was a fifth of a grouped result's printing) */
        memcpy(buf, "0000-00-00T00:00:00", 19);
        put_digits(buf, (unsigned)y, 4);
        put_digits(buf + 5, m, 2);
        put_digits(buf + 8, d, 2);
        put_digits(buf + 11, (unsigned)(secs / 3600), 2);
        put_digits(buf + 14, (unsigned)(secs / 60 % 60), 2);
        put_digits(buf + 17, (unsigned)(secs % 60), 2);
    } else {
        n = (size_t)snprintf(buf, 40, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d, (int)(secs / 3600),
                             (int)(secs / 60 % 60), (int)(secs % 60));
    }
    n += format_fraction(rem % AIQ_TICKS_PER_SECOND, buf + n);
    buf[n++] = 'Z';
    buf[n] = '\0';
    return n;
}

size_t aiq_datetime_format_full(int64_t ticks, char *buf)
{
    int64_t frac = (ticks % AIQ_TICKS_PER_SECOND + AIQ_TICKS_PER_SECOND) % AIQ_TICKS_PER_SECOND;
    size_t n = aiq_datetime_format(ticks - frac, buf) - 1; /* the whole seconds, without 'Z' */
    buf[n] = '.';
    put_digits(buf + n + 1, (unsigned)frac, 7);
    memcpy(buf + n + 8, "Z", 2);
    return n + 9;
}

size_t aiq_timespan_format(int64_t ticks, char *buf)
{
    size_t n = 0;
    uint64_t t;
    if (ticks < 0) {
        buf[n++] = '-';
        t = (uint64_t)0 - (uint64_t)ticks;
    } else {
        t = (uint64_t)ticks;
    }
    uint64_t days = t / (uint64_t)AIQ_TICKS_PER_DAY;
    uint64_t rem = t % (uint64_t)AIQ_TICKS_PER_DAY;
    uint64_t secs = rem / AIQ_TICKS_PER_SECOND;
    if (days)
        n += (size_t)snprintf(buf + n, 40 - n, "%llu.", (unsigned long long)days);
    n += (size_t)snprintf(buf + n, 40 - n, "%02u:%02u:%02u", (unsigned)(secs / 3600),
                          (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
    n += format_fraction((int64_t)(rem % AIQ_TICKS_PER_SECOND), buf + n);
    buf[n] = '\0';
    return n;
}

int64_t aiq_timespan_unit(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int64_t ticks;
    } units[] = {
        {"d", AIQ_TICKS_PER_DAY},           {"day", AIQ_TICKS_PER_DAY},
        {"days", AIQ_TICKS_PER_DAY},        {"h", AIQ_TICKS_PER_HOUR},
        {"hr", AIQ_TICKS_PER_HOUR},         {"hrs", AIQ_TICKS_PER_HOUR},
        {"hour", AIQ_TICKS_PER_HOUR},       {"hours", AIQ_TICKS_PER_HOUR},
        {"m", AIQ_TICKS_PER_MINUTE},        {"min", AIQ_TICKS_PER_MINUTE},
        {"minute", AIQ_TICKS_PER_MINUTE},   {"minutes", AIQ_TICKS_PER_MINUTE},
        {"s", AIQ_TICKS_PER_SECOND},        {"sec", AIQ_TICKS_PER_SECOND},
        {"second", AIQ_TICKS_PER_SECOND},   {"seconds", AIQ_TICKS_PER_SECOND},
        {"ms", AIQ_TICKS_PER_MS},           {"milli", AIQ_TICKS_PER_MS},
        {"millis", AIQ_TICKS_PER_MS},       {"millisecond", AIQ_TICKS_PER_MS},
        {"milliseconds", AIQ_TICKS_PER_MS}, {"microsecond", 10},
        {"microseconds", 10},               {"micro", 10},
        {"micros", 10},                     {"tick", 1},
        {"ticks", 1},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && strncasecmp(units[i].name, s, n) == 0)
            return units[i].ticks;
    return 0;
}

bool aiq_timespan_parse(const char *s, size_t n, int64_t *ticks)
{
    size_t p = 0;
    while (p < n && isspace((unsigned char)s[p]))
        p++;
    while (n > p && isspace((unsigned char)s[n - 1]))
        n--;
    int sign = 1;
    if (p < n && (s[p] == '-' || s[p] == '+'))
        sign = s[p++] == '-' ? -1 : 1;
    if (p >= n || !isdigit((unsigned char)s[p]))
        return false;
    /* A KQL literal: number followed by a unit (15m, 1.5h, 100ms). */
    size_t q = p;
    while (q < n && (isdigit((unsigned char)s[q]) || s[q] == '.'))
        q++;
    if (q < n && isalpha((unsigned char)s[q])) {
        int64_t unit = aiq_timespan_unit(s + q, n - q);
        if (!unit)
            return false;
        char num[64];
        if (q - p >= sizeof num)
            return false;
        memcpy(num, s + p, q - p);
        num[q - p] = '\0';
        char *end;
        double v = strtod(num, &end);
        if (*end)
            return false;
        double t = v * (double)unit;
        if (t > 9.2e18)
            return false;
        *ticks = sign * (int64_t)(t + 0.5);
        return true;
    }
    /* [d.]hh:mm[:ss[.f]] */
    int64_t parts[3] = {0, 0, 0};
    int64_t days = 0, frac = 0;
    int np = 0;
    int64_t v = 0;
    int nd = 0;
    for (;;) {
        nd = 0;
        v = 0;
        while (p < n && isdigit((unsigned char)s[p])) {
            v = v * 10 + (s[p++] - '0');
            if (++nd > 12)
                return false;
        }
        if (nd == 0)
            return false;
        if (p < n && s[p] == '.' && np == 0) {
            /* "d." before hours, or a fraction after a lone number? A lone
             * number is days in Kusto's format, so d. is days. */
            days = v;
            p++;
            continue;
        }
        parts[np++] = v;
        if (p < n && s[p] == ':' && np < 3) {
            p++;
            continue;
        }
        break;
    }
    if (p < n && s[p] == '.' && np == 3) {
        p++;
        int fd = 0;
        while (p < n && isdigit((unsigned char)s[p])) {
            if (fd < 7) {
                frac = frac * 10 + (s[p] - '0');
                fd++;
            }
            p++;
        }
        while (fd++ < 7)
            frac *= 10;
    }
    if (p != n || np < 2)
        return false;
    if (parts[1] > 59 || parts[2] > 59)
        return false;
    /* Days and hours have up to 12 digits each: the sum can leave int64. */
    int64_t d_ticks, h_ticks, sum;
    if (__builtin_mul_overflow(days, AIQ_TICKS_PER_DAY, &d_ticks) ||
        __builtin_mul_overflow(parts[0], AIQ_TICKS_PER_HOUR, &h_ticks) ||
        __builtin_add_overflow(d_ticks, h_ticks, &sum) ||
        __builtin_add_overflow(sum, parts[1] * AIQ_TICKS_PER_MINUTE +
                                        parts[2] * AIQ_TICKS_PER_SECOND + frac, &sum))
        return false;
    *ticks = sign * sum;
    return true;
}

/* Writes [-]int.frac of m / 10^d (d fraction digits) into buf. */
static size_t write_fixed(char *buf, bool neg, uint64_t m, int d)
{
    char digits[32];
    int n = 0;
    do { /* at least d + 1 digits, least significant first */
        digits[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m || n <= d);
    size_t k = 0;
    if (neg)
        buf[k++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        buf[k++] = digits[i];
        if (i == d && d > 0)
            buf[k++] = '.';
    }
    buf[k] = '\0';
    return k;
}

/* a·b exactly, as hi + lo (Dekker: each factor split in halves of 26 bits
 * whose products are exact; no fma, which baseline x86-64 lacks). */
static void exact_product(double a, double b, double *hi, double *lo)
{
    const double split = 134217729.0; /* 2^27 + 1 */
    double p = a * b;
    double t = split * a, ahi = t - (t - a), alo = a - ahi;
    t = split * b;
    double bhi = t - (t - b), blo = b - bhi;
    *hi = p;
    *lo = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo;
}

const double aiq_exact_pow10[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Reals print with the shortest text that reads back as the same double:
 * fixed notation with the fewest fraction digits between 1e-5 and 1e15,
 * else the fewest significant digits with an exponent.
 *
 * Fixed notation is found without printf while the digits fit 53 bits: for
 * m near |v|·10^d, m / 10^d is correctly rounded (both exact, one
 * division), just as strtod of the text m·10^-d is, so it reads back iff
 * that quotient is v. Trying snprintf + strtod for d = 0, 1, 2 ... took
 * 0.8 us for a latency like 339.943 and 3 us for an average, 10% of a
 * grouped query's time spent printing. Values that need 16-17 digits
 * take the printf way once those are reached. */
size_t aiq_real_format(double v, char *buf)
{
    if (isnan(v))
        return (size_t)snprintf(buf, 32, "NaN");
    if (isinf(v))
        return (size_t)snprintf(buf, 32, v < 0 ? "-Infinity" : "Infinity");
    double a = fabs(v);
    int n;
    if (a == 0 || (a >= 1e-5 && a < 1e15)) {
        int d = 0;
        for (; d <= 20; d++) {
            double hi, lo;
            exact_product(a, aiq_exact_pow10[d], &hi, &lo);
            if (hi >= 9007199254740992.0 - 2)
                break; /* 2^53: m would not be exact */
            /* m: |v|·10^d rounded to an integer as printf rounds it (half
             * to even), from the exact product hi + lo */
            double m = nearbyint(hi), r = (hi - m) + lo;
            if (r > 0.5 || (r == 0.5 && fmod(m, 2) != 0))
                m += 1;
            else if (r < -0.5 || (r == -0.5 && fmod(m, 2) != 0))
                m -= 1;
            if (m / aiq_exact_pow10[d] == a)
                return write_fixed(buf, signbit(v), (uint64_t)m, d);
        }
        for (; d <= 20; d++) { /* (fewer digits did not read back) */
            n = snprintf(buf, 32, "%.*f", d, v);
            if (strtod(buf, NULL) == v)
                return (size_t)n;
        }
    } else {
        for (int prec = 1; prec <= 17; prec++) {
            n = snprintf(buf, 32, "%.*g", prec, v);
            if (strtod(buf, NULL) == v)
                return (size_t)n;
        }
    }
    return (size_t)snprintf(buf, 32, "%.17g", v);
}

int64_t aiq_datetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return AIQ_UNIX_EPOCH_TICKS + (int64_t)ts.tv_sec * AIQ_TICKS_PER_SECOND + ts.tv_nsec / 100;
}
