/*
 * test_docs_formats.c -- the text formats Kusto's reference documents, at
 * their edges: todatetime()'s datetime formats and format_datetime()'s
 * elements (util/timefmt.c), dynamic(...) literals (util/dynlit.c).
 */
#include <string.h>

#include "check.h"
#include "util/dynlit.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

/* Parses text with aiq_datetime_parse_text and formats the result as ISO
 * 8601, or "null" when it does not parse. */
static const char *iso(const char *text)
{
    static char buf[64];
    int64_t t;
    if (!aiq_datetime_parse_text(text, strlen(text), &t))
        return "null";
    aiq_datetime_format(t, buf);
    return buf;
}

static void test_datetime_rfc(void)
{
    CHECK_EQ_STR(iso("Sat, 8 Nov 14 15:05:02 GMT"), "2014-11-08T15:05:02Z");
    CHECK_EQ_STR(iso("Sat, 8 Nov 14 15:05"), "2014-11-08T15:05:00Z");
    CHECK_EQ_STR(iso("8 Nov 14 15:05 GMT"), "2014-11-08T15:05:00Z");
    CHECK_EQ_STR(iso("Saturday, 08-Nov-14 15:05:02 GMT"), "2014-11-08T15:05:02Z");
    CHECK_EQ_STR(iso("08-Nov-14 15:05"), "2014-11-08T15:05:00Z");
    CHECK_EQ_STR(iso("8 November 2014 15:05"), "2014-11-08T15:05:00Z");
    /* two-digit years: up to 29 is 20yy, from 30 on 19yy */
    CHECK_EQ_STR(iso("1 Jan 29 00:00"), "2029-01-01T00:00:00Z");
    CHECK_EQ_STR(iso("1 Jan 30 00:00"), "1930-01-01T00:00:00Z");
    /* zones move the instant to UTC */
    CHECK_EQ_STR(iso("8 Nov 14 15:05 PST"), "2014-11-08T23:05:00Z");
    CHECK_EQ_STR(iso("8 Nov 14 15:05 +05:30"), "2014-11-08T09:35:00Z");
    CHECK_EQ_STR(iso("8 Nov 14 15:05 -0100"), "2014-11-08T16:05:00Z");
    CHECK_EQ_STR(iso("8 Nov 14 15:05 XYZ"), "null");
    CHECK_EQ_STR(iso("8 Nov 14 15:05 GMT trailing"), "null");
    /* month names: three letters or whole, nothing in between */
    CHECK_EQ_STR(iso("8 Novem 14 15:05"), "null");
    CHECK_EQ_STR(iso("8 Foo 14 15:05"), "null");
}

static void test_datetime_numeric(void)
{
    CHECK_EQ_STR(iso("2014-5-9T15:05"), "2014-05-09T15:05:00Z");
    CHECK_EQ_STR(iso("2014-11-8 15:05:25 GMT"), "2014-11-08T15:05:25Z");
    CHECK_EQ_STR(iso("2025, 6, 14"), "2025-06-14T00:00:00Z");
    CHECK_EQ_STR(iso("2017 - 08 - 01"), "2017-08-01T00:00:00Z");
    CHECK_EQ_STR(iso("2015/12/31 23:59:59.9"), "2015-12-31T23:59:59.9Z");
    CHECK_EQ_STR(iso("2015-12/31"), "null"); /* one separator throughout */
    CHECK_EQ_STR(iso("02/17/2016 08:40:01"), "2016-02-17T08:40:01Z");
    CHECK_EQ_STR(iso("12-02-2022"), "2022-12-02T00:00:00Z");
    CHECK_EQ_STR(iso("2/29/2024"), "2024-02-29T00:00:00Z");
    CHECK_EQ_STR(iso("2/29/2023"), "null");
    CHECK_EQ_STR(iso("13/01/2023"), "null");
    /* the 12-hour clock */
    CHECK_EQ_STR(iso("2/7/2016 8:40 PM"), "2016-02-07T20:40:00Z");
    CHECK_EQ_STR(iso("2/7/2016 12:00 AM"), "2016-02-07T00:00:00Z");
    CHECK_EQ_STR(iso("2/7/2016 12:30 pm"), "2016-02-07T12:30:00Z");
    CHECK_EQ_STR(iso("2/7/2016 13:00 PM"), "null");
    CHECK_EQ_STR(iso("2/7/2016 24:00"), "null");
    CHECK_EQ_STR(iso("2/7/2016 8:60"), "null");
    /* blanks around the text are allowed, nothing else */
    CHECK_EQ_STR(iso(" \t02/17/2016 08:40:01\n"), "2016-02-17T08:40:01Z");
    CHECK_EQ_STR(iso(""), "null");
    CHECK_EQ_STR(iso("   "), "null");
    CHECK_EQ_STR(iso("2016"), "null");
    CHECK_EQ_STR(iso("hello"), "null");
    /* ISO 8601 still goes the strict way, fraction and offset included */
    CHECK_EQ_STR(iso("2014-11-08 15:55:55.123456Z"), "2014-11-08T15:55:55.123456Z");
    CHECK_EQ_STR(iso("2026-11-21T11:48:46+02:00"), "2026-11-21T09:48:46Z");
}

/* The JSON for a dynamic literal's text, or "error: WHY". */
static const char *dynjson(const char *text)
{
    static char buf[512];
    AiqStrBuf sb;
    const char *err = NULL;
    aiq_sb_init(&sb);
    if (aiq_dynamic_literal_json(text, strlen(text), &sb, &err))
        snprintf(buf, sizeof buf, "%s", aiq_sb_str(&sb));
    else
        snprintf(buf, sizeof buf, "error: %s", err);
    aiq_sb_free(&sb);
    return buf;
}

static void test_dynamic_literals(void)
{
    CHECK_EQ_STR(dynjson("{'a': 'b', \"c\": [1, -2.5e3, true, null]}"), "{\"a\":\"b\",\"c\":[1,-2.5e3,true,null]}");
    CHECK_EQ_STR(dynjson("[datetime(2020-01-01), datetime(\"01-01-2022\"), timespan(1d), time(00:00:03)]"),
                 "[\"2020-01-01T00:00:00.0000000Z\",\"2022-01-01T00:00:00.0000000Z\",\"1.00:00:00\",\"00:00:03\"]");
    CHECK_EQ_STR(dynjson("[long(-3), real(1.5), bool(false), guid(6b2e-x), datetime(null)]"),
                 "[-3,1.5,false,\"6b2e-x\",null]");
    /* escapes in either quote; control characters escaped for JSON */
    CHECK_EQ_STR(dynjson("['it\\'s', \"q\\\"x\", 'tab\there', 'nl\\n']"), "[\"it's\",\"q\\\"x\",\"tab\\u0009here\",\"nl\\n\"]");
    CHECK_EQ_STR(dynjson("[]"), "[]");
    CHECK_EQ_STR(dynjson(" { } "), "{}");
    CHECK_EQ_STR(dynjson("{'a' 1}"), "error: ':' expected after a key");
    CHECK_EQ_STR(dynjson("{a: 1}"), "error: a quoted key expected");
    CHECK_EQ_STR(dynjson("['open"), "error: unterminated string");
    CHECK_EQ_STR(dynjson("[1 2]"), "error: ',' or ']' expected");
    CHECK_EQ_STR(dynjson("[datetime(yesterday)]"), "error: invalid datetime inside the dynamic literal");
    CHECK_EQ_STR(dynjson("[foo(1)]"), "error: unknown literal inside the dynamic literal");
    CHECK_EQ_STR(dynjson("[1] x"), "error: unexpected text after the value");
    char deep[600];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    deep[600 - 1] = '\0';
    CHECK_EQ_STR(dynjson(deep), "error: nested too deeply");
}

static void test_format_datetime(void)
{
    size_t off = 0, len = 0;
    CHECK(aiq_datetime_format_check("yyyy-MM-ddTHH:mm:ss.fffffffZ", 28, &off, &len));
    CHECK(!aiq_datetime_format_check("dd MMM", 6, &off, &len));
    CHECK_EQ_I64(off, 3);
    CHECK_EQ_I64(len, 3);
    CHECK(!aiq_datetime_format_check("ffffffff", 8, &off, &len));
    CHECK(!aiq_datetime_format_check("HH z", 4, &off, &len));
    CHECK_EQ_I64(off, 3);
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    int64_t t;
    CHECK(aiq_datetime_parse("0009-01-02T03:04:05.0001150Z", 28, &t));
    aiq_datetime_format_custom(t, "y|yy|yyyy|FFFFFFF|fffffff|ss.F|h tt", 35, &sb);
    CHECK_EQ_STR(aiq_sb_str(&sb), "9|09|0009|000115|0001150|05|3 AM");
    aiq_sb_free(&sb);
}

void test_docs_formats(void)
{
    test_datetime_rfc();
    test_datetime_numeric();
    test_dynamic_literals();
    test_format_datetime();
}
