/*
 * dynlit.h -- Kusto's dynamic(...) literal text as JSON text: JSON plus
 * single-quoted strings ({'a': 'b'}) and scalar literals of the other types
 * as values (datetime(2020-01-01), timespan(1h), guid(...), long(5)).
 */
#ifndef AIQ_UTIL_DYNLIT_H
#define AIQ_UTIL_DYNLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Appends the JSON for the literal text s[0..n) to out. A datetime becomes
 * the text Kusto shows for it in a dynamic value (2015-01-01T00:00:00.0000000Z),
 * a timespan [d.]hh:mm:ss. Returns false, with *err a static description,
 * when the text is not such a literal; numbers are copied for the JSON
 * reader to check. */
bool aiq_dynamic_literal_json(const char *s, size_t n, AiqStrBuf *out, const char **err);

#endif
