/*
 * datetime.h -- what the binder asks of the datetime kernels when a
 * query is bound: whether a constant zone name is in the zone database
 * (func/scalar_tz.c), and whether a constant format_timespan() format
 * holds only elements Kusto documents (func/scalar_time.c), so that a
 * mistake is an error with a caret, not rows of nulls.
 */
#ifndef AIQ_FUNC_DATETIME_H
#define AIQ_FUNC_DATETIME_H

#include <stdbool.h>
#include <stddef.h>

/* Whether name[0..n) is a zone of the system's IANA database. */
bool aiq_tz_known(const char *name, size_t n);

/* Whether fmt[0..n) is a format_timespan() format: d to dddddddd, f to
 * fffffff, F to FFFFFFF, h, hh, H, HH, m, mm, s, ss and the delimiters
 * space / - : , . _ [ ]. False, with the span of the first element that
 * is none of them, otherwise. */
bool aiq_timespan_format_check(const char *fmt, size_t n, size_t *bad_off, size_t *bad_len);

/* Whether p[0..n) is a part datetime_part() takes (year, quarter, month,
 * week_of_year, day, dayofyear, hour, minute, second, millisecond,
 * microsecond, nanosecond; any case). */
bool aiq_datetime_part_known(const char *p, size_t n);

#endif
