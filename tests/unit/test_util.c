/*
 * test_util.c -- time formats, suggestions, arena, size parsing, error layout.
 */
#include <jansson.h>
#include <stdio.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/arena.h"
#include "util/mem.h"
#include "util/suggest.h"
#include "aiq/aiq_types.h"
#include "util/timefmt.h"

static void test_datetime(void)
{
    int64_t t;
    char buf[64];
    CHECK(aiq_datetime_parse("0001-01-01T00:00:00Z", 20, &t));
    CHECK_EQ_I64(t, 0);
    CHECK(aiq_datetime_parse("1970-01-01", 10, &t));
    CHECK_EQ_I64(t, 621355968000000000LL);
    CHECK(aiq_datetime_parse("2026-11-21T09:48:46.21Z", 23, &t));
    aiq_datetime_format(t, buf);
    CHECK_EQ_STR(buf, "2026-11-21T09:48:46.21Z");
    CHECK(aiq_datetime_parse("2026-11-21T11:48:46+02:00", 25, &t));
    aiq_datetime_format(t, buf);
    CHECK_EQ_STR(buf, "2026-11-21T09:48:46Z");
    CHECK(aiq_datetime_parse("2024-02-29 23:59:59.12345678", 28, &t));
    aiq_datetime_format(t, buf);
    CHECK_EQ_STR(buf, "2024-02-29T23:59:59.1234567Z");
    CHECK(!aiq_datetime_parse("2023-02-29", 10, &t));
    CHECK(!aiq_datetime_parse("2026-11-21T25:00:00Z", 20, &t));
    CHECK(!aiq_datetime_parse("hello", 5, &t));
    CHECK(!aiq_datetime_parse("2026-11-21T10:00:00Zjunk", 24, &t));
}

static void test_timespan(void)
{
    int64_t t;
    char buf[64];
    CHECK(aiq_timespan_parse("1.02:03:04.5", 12, &t));
    aiq_timespan_format(t, buf);
    CHECK_EQ_STR(buf, "1.02:03:04.5");
    CHECK(aiq_timespan_parse("-00:00:01", 9, &t));
    CHECK_EQ_I64(t, -10000000);
    aiq_timespan_format(t, buf);
    CHECK_EQ_STR(buf, "-00:00:01");
    CHECK(aiq_timespan_parse("1.5h", 4, &t));
    CHECK_EQ_I64(t, 54000000000LL);
    CHECK(!aiq_timespan_parse("abc", 3, &t));
    CHECK(!aiq_timespan_parse("10:99", 5, &t));
}

static void test_suggest(void)
{
    const char *const cands[] = {"DurationMs", "AppRoleName", "TimeGenerated"};
    CHECK_EQ_STR(aiq_suggest("Durration", 9, cands, 3), "DurationMs");
    CHECK_EQ_STR(aiq_suggest("durationms", 10, cands, 3), "DurationMs");
    CHECK_EQ_STR(aiq_suggest("AppRoleNam", 10, cands, 3), "AppRoleName");
    CHECK(aiq_suggest("Zebra", 5, cands, 3) == NULL);
    CHECK(aiq_suggest("DurationMs", 10, cands, 3) == NULL);
}

static void test_arena(void)
{
    AiqArena a;
    aiq_arena_init(&a, 64);
    char *p = aiq_arena_alloc(&a, 10);
    memset(p, 'x', 10);
    char *big = aiq_arena_alloc(&a, 1000); /* larger than a block */
    memset(big, 'y', 1000);
    char *q = aiq_arena_alloc(&a, 10);
    CHECK(((uintptr_t)q & 7) == 0);
    CHECK(p[9] == 'x' && big[999] == 'y');
    CHECK_EQ_STR(aiq_arena_printf(&a, "%d-%s", 42, "z"), "42-z");
    aiq_arena_reset(&a);
    CHECK(aiq_arena_size(&a) <= 1000);
    aiq_arena_free(&a);
    CHECK_EQ_I64(aiq_arena_size(&a), 0);
}

static void test_sizes_and_accounting(void)
{
    size_t n;
    CHECK(aiq_mem_parse_size("512M", &n));
    CHECK_EQ_I64(n, 512LL * 1024 * 1024);
    CHECK(aiq_mem_parse_size("4G", &n));
    CHECK_EQ_I64(n, 4LL * 1024 * 1024 * 1024);
    CHECK(aiq_mem_parse_size("100KiB", &n));
    CHECK_EQ_I64(n, 102400);
    CHECK(!aiq_mem_parse_size("lots", &n));
    CHECK(!aiq_mem_parse_size("12Q", &n));
    size_t before = aiq_mem_live();
    void *p = aiq_xmalloc(500);
    p = aiq_xrealloc(p, 5000);
    aiq_xfree(p);
    CHECK_EQ_I64(aiq_mem_live(), before); /* (the limit: test_mem.c) */
}

enum { CROSS_N = 20000 };
static void *make_values(void *out)
{
    json_t **v = aiq_xmalloc(sizeof *v * CROSS_N);
    for (int i = 0; i < CROSS_N; i++)
        v[i] = json_integer(i);
    *(json_t ***)out = v;
    aiq_mem_thread_done();
    return NULL;
}

/* jansson's small blocks are cached per thread (mem.c): accounting still
 * balances, and blocks come back at the right sizes (ASan checks reuse). */
static void test_jansson_block_cache(void)
{
    aiq_mem_hook_jansson();
    size_t before = aiq_mem_live();
    for (int round = 0; round < 3; round++) {
        enum { N = 6000 }; /* more than the cache keeps */
        json_t **v = aiq_xmalloc(sizeof *v * N);
        for (int i = 0; i < N; i++) {
            char s[80];
            int len = i % 70; /* strings of every small size, and past them */
            memset(s, 'a' + i % 26, (size_t)len);
            v[i] = i % 3 ? json_stringn(s, (size_t)len) : json_integer(i);
        }
        for (int i = 0; i < N; i += 2)
            json_decref(v[i]);
        for (int i = 0; i < N; i += 2)
            v[i] = json_real(i);
        int wrong = 0;
        for (int i = 0; i < N; i++) {
            if (i % 2 == 0)
                wrong += json_real_value(v[i]) != i;
            else if (i % 3)
                wrong += (int)json_string_length(v[i]) != i % 70 || json_string_value(v[i])[0] != (i % 70 ? 'a' + i % 26 : 0);
            json_decref(v[i]);
        }
        aiq_xfree(v);
        CHECK_EQ_I64(wrong, 0);
        CHECK_EQ_I64(aiq_mem_live(), before);
    }
    aiq_mem_thread_done();
    CHECK_EQ_I64(aiq_mem_live(), before);
    /* made on one thread, freed on another (a reader's batches): the
     * freeing thread's full lists go to the shared pool and come back */
    for (int round = 0; round < 3; round++) {
        pthread_t th;
        json_t **v = NULL;
        CHECK(pthread_create(&th, NULL, make_values, &v) == 0);
        pthread_join(th, NULL);
        int wrong = 0;
        for (int i = 0; i < CROSS_N; i++) {
            wrong += json_integer_value(v[i]) != i;
            json_decref(v[i]);
        }
        aiq_xfree(v);
        CHECK_EQ_I64(wrong, 0);
        CHECK_EQ_I64(aiq_mem_live(), before);
    }
}

/* The text printf gives with the fewest fraction digits (or significant
 * digits, with an exponent) that reads back: aiq_real_format's answer,
 * found here the slow, obvious way. */
static void reference_real_format(double v, char *buf)
{
    double a = fabs(v);
    if (a == 0 || (a >= 1e-5 && a < 1e15)) {
        for (int d = 0; d <= 20; d++)
            if (snprintf(buf, 32, "%.*f", d, v), strtod(buf, NULL) == v)
                return;
    } else {
        for (int p = 1; p <= 17; p++)
            if (snprintf(buf, 32, "%.*g", p, v), strtod(buf, NULL) == v)
                return;
    }
    snprintf(buf, 32, "%.17g", v);
}

static void test_real_format(void)
{
    uint64_t s = 88172645463325252ull;
    int wrong = 0;
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double v;
        switch (i % 5) {
        case 0: memcpy(&v, &s, sizeof v); break;                               /* any bits */
        case 1: v = (double)(s % 10000000) / 1000.0; break;                    /* latencies in ms */
        case 2: v = ldexp(1.0 + (double)(s >> 62), (int)(s % 120) - 60); break; /* binade edges */
        case 3: v = (double)(s % 1000000) / 7.0 * (s & 1 ? -1 : 1); break;     /* averages */
        default: v = (double)(s % 100000) * 1e-9; break;                       /* tiny fractions */
        }
        if (isnan(v) || isinf(v))
            continue;
        char got[64], want[64];
        aiq_real_format(v, got);
        reference_real_format(v, want);
        if (strcmp(got, want) != 0 && wrong++ < 5)
            printf("%.17g: %s, want %s\n", v, got, want);
    }
    CHECK_EQ_I64(wrong, 0);
    char buf[64];
    aiq_real_format(-0.0, buf);
    CHECK(strcmp(buf, "-0") == 0);
    aiq_real_format(339.943, buf);
    CHECK(strcmp(buf, "339.943") == 0);
}

/* The log shape's quick path (2026-11-20T00:00:03.086Z) must say what the
 * general parser says: the same text with a lower-case z takes the
 * general path. Valid and invalid dates, leap years, every fraction
 * length, out-of-range fields, and the same day twice (its day number is
 * kept), in both orders. */
static void test_datetime_log_shape(void)
{
    static const char *const texts[] = {
        "2026-11-20T00:00:03.086Z", "2026-11-20T23:59:59.9999999Z", "2026-11-20T12:00:00Z", "2026-11-20T12:00:00.1Z",
        "2026-11-20T12:00:00.12Z", "2026-11-20T12:00:00.123456Z", "2024-02-29T01:02:03Z", "2023-02-29T01:02:03Z",
        "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-11-20T24:00:00Z", "2026-11-20T23:60:00Z", "2026-11-20T23:59:60Z", "2026-11-20T00:00:00.Z",
        "2026-11-2aT00:00:00Z", "2026-11-20T00:00:00.08aZ", "2026-11-20T00:00:03.086Z", "2026-11-21T00:00:03.086Z",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char general[40];
        size_t n = strlen(texts[i]);
        memcpy(general, texts[i], n);
        general[n - 1] = 'z';
        int64_t a = -1, b = -1;
        bool fa = aiq_datetime_parse(texts[i], n, &a), fb = aiq_datetime_parse(general, n, &b);
        CHECK(fa == fb);
        if (fa && fb)
            CHECK_EQ_I64(a, b);
    }
    /* every byte of the date, the time and the fraction replaced, one at a
     * time, by what a digit or separator test could let through: the
     * bytes next to '0' and '9', the other separators, a letter, a blank
     * and bytes with the top bit set (which a signed compare would take
     * for small) */
    static const char bad[] = {'/', ':', '-', 'T', '.', 'a', ' ', '0' - 1, '9' + 1, (char)0x80, (char)0xB0, (char)0xFF, '\0'};
    const char *base = "2026-11-20T13:45:07.086Z";
    size_t n = strlen(base);
    int quick_wrong = 0;
    for (size_t at = 0; at + 1 < n; at++)
        for (size_t k = 0; k < sizeof bad; k++) {
            char text[32], general[32];
            memcpy(text, base, n);
            text[at] = bad[k];
            memcpy(general, text, n);
            general[n - 1] = 'z';
            int64_t a = -1, b = -1;
            bool fa = aiq_datetime_parse(text, n, &a), fb = aiq_datetime_parse(general, n, &b);
            if ((fa != fb || (fa && a != b)) && quick_wrong++ < 5)
                printf("datetime byte %zu = 0x%02x: quick %d, general %d\n", at, (unsigned char)bad[k], fa, fb);
        }
    CHECK_EQ_I64(quick_wrong, 0);
    int64_t t;
    CHECK(aiq_datetime_parse("2024-02-29T01:02:03.5Z", 22, &t));
    CHECK_EQ_I64(t, aiq_days_from_civil(2024, 2, 29) * AIQ_TICKS_PER_DAY + 3723 * AIQ_TICKS_PER_SECOND + 5000000);
    CHECK(!aiq_datetime_parse("2023-02-29T01:02:03Z", 20, &t));
}

void test_util(void)
{
    test_real_format();
    test_datetime();
    test_datetime_log_shape();
    test_timespan();
    test_suggest();
    test_arena();
    test_sizes_and_accounting();
    test_jansson_block_cache();
}
