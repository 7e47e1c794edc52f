/*
 * timefmt.h -- datetime and timespan text <-> 100 ns ticks, the way Kusto
 * reads and writes them: ISO 8601 in, ISO 8601 UTC out with the fraction
 * only when non-zero; timespans as [-][d.]hh:mm:ss[.fffffff].
 */
#ifndef AIQ_UTIL_TIMEFMT_H
#define AIQ_UTIL_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses an ISO 8601 date or date-time (T or space; Z or +hh:mm offset;
 * up to 7 fraction digits kept) into ticks since 0001-01-01 UTC. Surrounding
 * blanks are allowed. Returns false when the text is not such a value. */
bool aiq_datetime_parse(const char *s, size_t n, int64_t *ticks);
/* Parses a datetime in any text format that Kusto's todatetime() and
 * datetime() literals read (the datetime page of its reference): ISO 8601 as
 * above; RFC 822 and RFC 850 ("Sat, 8 Nov 14 15:05:02 GMT",
 * "08-Nov-14 15:05"); year-first dates with one-digit month and day and any
 * of - / . , between the fields ("2014-5-9 15:05", "2025, 6, 14"); and the
 * month-first dates of the invariant culture ("02/17/2016 08:40:01",
 * "2/7/2016 8:40 PM", "12-02-2022"). A time zone may follow: Z, GMT, UT,
 * UTC, EST/EDT/CST/CDT/MST/MDT/PST/PDT or +hh:mm. Surrounding blanks are
 * allowed. Returns false when the text is none of these. The reader infers
 * datetime columns with aiq_datetime_parse alone, so that a log's "5-9" or
 * "Nov 8" labels stay strings. */
bool aiq_datetime_parse_text(const char *s, size_t n, int64_t *ticks);
/* Writes ISO 8601 UTC text for ticks into buf (at least 40 bytes); returns its length. */
size_t aiq_datetime_format(int64_t ticks, char *buf);
/* Writes the text Kusto's tostring() gives a datetime, ISO 8601 UTC with
 * all seven fraction digits (2017-10-15T12:00:00.0000000Z, .NET's "o"
 * format), into buf (at least 40 bytes); returns its length. */
size_t aiq_datetime_format_full(int64_t ticks, char *buf);
/* format_datetime(): checks a format against the elements Kusto's page
 * documents (d, dd, f..fffffff, F..FFFFFFF, h, hh, H, HH, m, mm, M, MM,
 * s, ss, y, yy, yyyy, tt; other characters are copied). False, with the
 * span of the first unknown element (ddd, MMM, z, ...), when it has one. */
bool aiq_datetime_format_check(const char *fmt, size_t n, size_t *bad_off, size_t *bad_len);
/* Appends ticks formatted with fmt (checked as above) to out. */
struct AiqStrBuf;
void aiq_datetime_format_custom(int64_t ticks, const char *fmt, size_t n, struct AiqStrBuf *out);
/* Returns the number of 100ns ticks of a timespan unit suffix ("h", "ms",
 * "tick", "minutes", ...; any case) or 0 when the word is not a unit: the
 * lexer's 15m and 1.5h, and timespan text. */
int64_t aiq_timespan_unit(const char *s, size_t n);
/* Parses [-][d.]hh:mm[:ss[.fffffff]] or a KQL timespan literal (15m, 1.5h).
 * Returns false when the text is neither. */
bool aiq_timespan_parse(const char *s, size_t n, int64_t *ticks);
/* Writes [-][d.]hh:mm:ss[.fffffff] into buf (at least 40 bytes); returns its length. */
size_t aiq_timespan_format(int64_t ticks, char *buf);
/* Writes the shortest text that reads back as the same double (no exponent
 * for magnitudes from 1e-5 to 1e15; nan, inf, -inf spelled out) into buf
 * (at least 32 bytes); returns its length. */
size_t aiq_real_format(double v, char *buf);
/* 10^0 .. 10^22, every power of ten a double holds exactly: with an integer
 * of at most 53 bits, one multiply or divide by them is correctly rounded
 * (the reader's number parsing and aiq_real_format rely on it). */
extern const double aiq_exact_pow10[23];
/* The wall clock now, in ticks since 0001-01-01 UTC. */
int64_t aiq_datetime_now(void);
/* Days since 0001-01-01 for a proleptic Gregorian date, and back. */
int64_t aiq_days_from_civil(int64_t y, unsigned m, unsigned d);
void aiq_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
