/*
 * test_jsonl.c -- the fast scanner's number conversion must give exactly
 * what jansson (strtod/strtoll) gives: many generated numbers, read with and
 * without the scanner, compared bit for bit.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../same_table.h"
#include "check.h"
#include "core/json_text.h"
#include "core/table.h"
#include "core/vector.h"
#include "io/jsonl.h"
#include "util/mem.h"
#include "util/strbuf.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random JSON number: ints of every length, decimals with 0-20 fraction
 * digits, exponents inside and outside the exact range, negative zero. */
static void random_number(AiqStrBuf *sb)
{
    if (rng() % 2)
        aiq_sb_putc(sb, '-');
    int idigits = (int)(rng() % 20);
    if (idigits == 0) {
        aiq_sb_putc(sb, '0');
    } else {
        aiq_sb_putc(sb, (char)('1' + rng() % 9));
        for (int i = 1; i < idigits; i++)
            aiq_sb_putc(sb, (char)('0' + rng() % 10));
    }
    if (rng() % 3 == 0)
        return; /* an integer */
    int frac = (int)(rng() % 21);
    if (frac) {
        aiq_sb_putc(sb, '.');
        for (int i = 0; i < frac; i++)
            aiq_sb_putc(sb, (char)('0' + rng() % 10));
    }
    if (!frac || rng() % 3 == 0)
        aiq_sb_printf(sb, "e%s%d", rng() % 2 ? "-" : "", (int)(rng() % 40));
}

/* Loads text twice, with the fast scanner and with jansson alone, into
 * tables of the given catalog entry (declared or not) with the given read
 * options; key vectors are built, to be compared like the rest. */
static void load_both(const char *text, size_t len, AiqCatalogTable proto, AiqReadOptions opts, AiqArena *arena,
                      AiqTable **fast, AiqTable **slow)
{
    AiqTable **t[2] = {fast, slow};
    for (int k = 0; k < 2; k++) {
        AiqCatalogTable ct = proto;
        AiqError err = {0};
        opts.jansson_only = k == 1;
        *t[k] = aiq_jsonl_load_buffer(&ct, "f", text, len, &opts, arena, &err);
        if (*t[k])
            aiq_table_build_key_vectors(*t[k]);
    }
}

/* Checks that both hold the same nrows rows, and frees them. */
static void check_same_rows(AiqTable *fast, AiqTable *slow, int64_t nrows)
{
    CHECK(fast && slow && same_tables(fast, slow));
    if (fast)
        CHECK_EQ_I64(fast->nrows, nrows);
    aiq_table_free(fast);
    aiq_table_free(slow);
}

static void test_numbers_match_jansson(void)
{
    AiqStrBuf text;
    aiq_sb_init(&text);
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        aiq_sb_puts(&text, "{\"x\":");
        random_number(&text);
        aiq_sb_puts(&text, "}\n");
    }
    /* reals: x is a real column in both, so every value is compared as a double */
    aiq_sb_puts(&text, "{\"x\":0.5}\n{\"x\":-0.0}\n{\"x\":9007199254740993.0}\n{\"x\":123456789012345678}\n");
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqTable *a, *b;
    load_both(text.data, text.len, (AiqCatalogTable){.name = "T"}, (AiqReadOptions){0}, &arena, &a, &b);
    CHECK(a && b);
    if (a && b) {
        CHECK_EQ_I64(a->nrows, b->nrows);
        CHECK_EQ_I64(a->cols[0].type, b->cols[0].type);
        int mismatches = 0;
        for (int64_t r = 0; r < a->nrows && r < b->nrows; r++) {
            bool na = aiq_table_is_null(a, 0, r), nb = aiq_table_is_null(b, 0, r);
            double x = ((double *)a->cols[0].data)[r], y = ((double *)b->cols[0].data)[r];
            if (na != nb || (!na && memcmp(&x, &y, sizeof x) != 0)) {
                if (mismatches++ < 5)
                    printf("row %lld: scanner %.17g, jansson %.17g\n", (long long)r, x, y);
            }
        }
        CHECK_EQ_I64(mismatches, 0);
    }
    aiq_table_free(a);
    aiq_table_free(b);
    aiq_arena_free(&arena);
    aiq_sb_free(&text);
}

/* Integers alone make a long column: each must read exactly as jansson
 * reads it (the plain-decimal path takes up to 8 digits, loops the rest). */
static void test_integers_match_jansson(void)
{
    AiqStrBuf text;
    aiq_sb_init(&text);
    for (int i = 0; i < 5000; i++) {
        aiq_sb_printf(&text, "{\"x\":%s", rng() % 2 ? "-" : "");
        int digits = 1 + (int)(rng() % 18);
        aiq_sb_putc(&text, digits == 1 ? (char)('0' + rng() % 10) : (char)('1' + rng() % 9));
        for (int d = 1; d < digits; d++)
            aiq_sb_putc(&text, (char)('0' + rng() % 10));
        aiq_sb_puts(&text, i % 7 ? "}\n" : " }\n");
    }
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqTable *a, *b;
    load_both(text.data, text.len, (AiqCatalogTable){.name = "T"}, (AiqReadOptions){0}, &arena, &a, &b);
    CHECK(a && b && a->cols[0].type == AIQ_TYPE_LONG && same_tables(a, b));
    aiq_table_free(a);
    aiq_table_free(b);
    aiq_arena_free(&arena);
    aiq_sb_free(&text);
}

/* A number in a column the query does not read is validated, not built
 * (skip_number): the same lines must be accepted and rejected as jansson
 * does, generated numbers and broken ones alike (x is skipped, a is read). */
static void test_skipped_numbers_match_jansson(void)
{
    static const char *const broken[] = {"01", "-", "1.", ".5", "1e", "1e+", "-01", "1.5.2", "--1", "+1", "0x10",
                                         "123456789012345678901", "-9223372036854775809", "9223372036854775807",
                                         "1e400", "-1e-400", "1E5", "00", "1.0e", "2.", "-.5", "1ee2"};
    AiqStrBuf text;
    aiq_sb_init(&text);
    int n = 0;
    for (int i = 0; i < 5000; i++, n++) {
        aiq_sb_puts(&text, "{\"x\":");
        random_number(&text);
        aiq_sb_printf(&text, ",\"a\":%d}\n", n);
    }
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++, n++)
        aiq_sb_printf(&text, "{\"x\":%s,\"a\":%d}\n{\"p\":{\"x\":[%s]},\"a\":%d}\n", broken[i], n, broken[i], n);
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqTable *a, *b;
    load_both(text.data, text.len, (AiqCatalogTable){.name = "T", .declared = true, .schema = {1, cols}}, (AiqReadOptions){0},
              &arena, &a, &b);
    CHECK(a && b);
    if (a && b) {
        CHECK_EQ_I64(a->nrows, b->nrows);
        int mismatches = 0;
        for (int64_t r = 0; r < a->nrows && r < b->nrows; r++)
            mismatches += ((int64_t *)a->cols[0].data)[r] != ((int64_t *)b->cols[0].data)[r];
        CHECK_EQ_I64(mismatches, 0);
        /* of the broken ones, only these are JSON numbers: the integers
         * beyond 64 bits and 1e400 (reals, inf: the rows are kept, CLI.md),
         * 9223372036854775807, -1e-400 (0 after underflow) and 1E5, each in
         * both lines */
        static const int64_t valid[] = {5011, 5011, 5012, 5012, 5013, 5013, 5014, 5014, 5015, 5015, 5016, 5016};
        int64_t first = 0;
        while (first < a->nrows && ((int64_t *)a->cols[0].data)[first] < 5000)
            first++;
        CHECK_EQ_I64(a->nrows - first, 12);
        for (int64_t r = first; r < a->nrows && r - first < 12; r++)
            CHECK_EQ_I64(((int64_t *)a->cols[0].data)[r], valid[r - first]);
    }
    aiq_table_free(a);
    aiq_table_free(b);
    aiq_arena_free(&arena);
    aiq_sb_free(&text);
}

/* aiq_json_dumps writes what json_dumps (compact, any) writes, reals
 * aside: strings with every kind of byte, nesting, sorted keys. */
static void test_json_text(void)
{
    int mismatches = 0;
    for (int i = 0; i < 3000; i++) {
        json_t *o = json_object(), *a = json_array();
        for (int k = 0; k < (int)(rng() % 6); k++) {
            char s[24];
            size_t n = rng() % sizeof s;
            for (size_t b = 0; b < n; b++) { /* ASCII, controls, quotes, backslashes, DEL; UTF-8 é */
                unsigned r = (unsigned)(rng() % 130);
                s[b] = r < 128 ? (char)r : '"';
            }
            json_t *str = json_stringn(s, n);
            char key[16];
            snprintf(key, sizeof key, "%c%d", (char)('z' - rng() % 26), k);
            json_object_set_new(o, key, str ? str : json_null());
            json_array_append_new(a, k % 2 ? json_integer((json_int_t)rng()) : json_stringn("\xc3\xa9\n", 3));
        }
        json_object_set_new(o, "arr", a);
        json_object_set_new(o, "t", json_true());
        for (int sorted = 0; sorted < 2; sorted++) {
            size_t flags = sorted ? JSON_SORT_KEYS : 0;
            char *ours = aiq_json_dumps(o, flags), *theirs = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY | flags);
            if (!ours || !theirs || strcmp(ours, theirs) != 0) {
                if (mismatches++ < 3)
                    printf("ours:   %s\ntheirs: %s\n", ours, theirs);
            }
            aiq_xfree(ours);
            json_malloc_t jmalloc;
            json_free_t jfree;
            json_get_alloc_funcs(&jmalloc, &jfree); /* (whichever allocator jansson has now) */
            jfree(theirs);
        }
        json_decref(o);
    }
    CHECK_EQ_I64(mismatches, 0);
    /* reals: the shortest text that reads back, still a real */
    static const struct { double v; const char *text; } reals[] = {
        {3.7, "3.7"}, {100.0, "100.0"}, {-0.0, "-0.0"}, {0.1 + 0.2, "0.30000000000000004"}, {1e300, "1e+300"}, {2.5e-7, "2.5e-07"}};
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        json_t *r = json_real(reals[i].v);
        char *t = aiq_json_dumps(r, 0);
        CHECK(t && strcmp(t, reals[i].text) == 0);
        aiq_xfree(t);
        json_decref(r);
    }
}

/* Keys met in the last line's order are recognised with their quotes and
 * colon in one compare: lines that only almost repeat them (a longer or
 * shorter key, a 13-byte key filling the 16 bytes, blanks, another order,
 * escapes, a key at the very end of the text) read as jansson reads them,
 * declared or not. */
static void test_repeated_keys_match_jansson(void)
{
    static const char text[] =
        "{\"a\":1,\"TimeGenerated\":\"x\",\"ab\":2}\n"
        "{\"a\":3,\"TimeGenerated\":\"y\",\"ab\":4}\n"
        "{\"ab\":5,\"a\":6,\"TimeGenerated\":\"z\"}\n"
        "{\"a\": 7,\"TimeGeneratedX\":1,\"ab\" :8}\n"
        "{\"a\":9,\"TimeGenerate\":1,\"a\":10}\n"
        "{\"a\":11,\"TimeGenerated\":\"w\",\"ab\":12}\n"
        "{\"\\u0061\":13,\"TimeGenerated\":\"v\",\"ab\":14}\n"
        "{\"a\":15,\"TimeGenerated\":\n\"u\"}\n"
        "{\"a\":16,\"TimeGenerated\":\"t\",\"ab\":17}\n"
        "{\"a\":18,\"TimeGenerated\":\"s\",\"ab\":";
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"TimeGenerated", AIQ_TYPE_STRING}, {"ab", AIQ_TYPE_LONG}};
    for (int declared = 0; declared < 2; declared++) {
        for (size_t cut = sizeof text - 1; cut > sizeof text - 40; cut -= 7) {
            AiqArena arena;
            aiq_arena_init(&arena, 0);
            AiqCatalogTable proto = {.name = "T"};
            if (declared)
                proto = (AiqCatalogTable){.name = "T", .declared = true, .schema = {3, cols}};
            AiqTable *a, *b;
            load_both(text, cut, proto, (AiqReadOptions){0}, &arena, &a, &b);
            CHECK(a && b && same_tables(a, b));
            if (cut == sizeof text - 1 && a)
                CHECK_EQ_I64(a->nrows, 8); /* all but the object broken over two lines and the cut one */
            aiq_table_free(a);
            aiq_table_free(b);
            aiq_arena_free(&arena);
        }
    }
}

/* Columns a query does not read share one read-only run of nulls: they
 * read as null, a write makes a private copy first (the run is left as it
 * was: a second table still reads nulls), and more rows are added after. */
static void test_unread_columns_share_nulls(void)
{
    static const char text[] = "{\"a\":1,\"s\":\"x\",\"n\":5,\"d\":{\"k\":1}}\n{\"a\":2,\"s\":\"y\",\"n\":6}\n";
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}, {"n", AIQ_TYPE_LONG}, {"d", AIQ_TYPE_DYNAMIC}};
    static const bool needed[] = {true, false, false, false};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqTable *t[2];
    for (int k = 0; k < 2; k++) {
        AiqCatalogTable ct = {.name = "T", .declared = true, .schema = {4, cols}};
        AiqScanSpec spec = {.ncols = 4, .needed = needed};
        AiqReadOptions opts = {.scan = &spec};
        AiqError err = {0};
        t[k] = aiq_jsonl_load_buffer(&ct, "t", text, sizeof text - 1, &opts, &arena, &err);
        CHECK(t[k] != NULL);
    }
    if (!t[0] || !t[1])
        return;
    CHECK_EQ_I64(t[0]->nrows, 2);
    CHECK(t[0]->cols[2].shared && t[0]->cols[1].shared && t[0]->cols[3].shared);
    CHECK(aiq_table_is_null(t[0], 2, 0) && aiq_table_is_null(t[0], 3, 1));
    CHECK_EQ_I64(((AiqStr *)t[0]->cols[1].data)[1].len, 0);
    AiqValue seven = {.type = AIQ_TYPE_LONG, .i64 = 7};
    aiq_table_set(t[0], 2, 1, aiq_vec_const(&arena, &seven), 0);
    CHECK(!t[0]->cols[2].shared);
    CHECK(aiq_table_is_null(t[0], 2, 0) && !aiq_table_is_null(t[0], 2, 1));
    CHECK_EQ_I64(((int64_t *)t[0]->cols[2].data)[1], 7);
    CHECK(aiq_table_is_null(t[1], 2, 1)); /* the shared run is untouched */
    AiqValue word = {.type = AIQ_TYPE_STRING, .str = {"w", 1}};
    aiq_table_set(t[1], 1, 0, aiq_vec_const(&arena, &word), 0);
    CHECK_EQ_I64(((AiqStr *)t[1]->cols[1].data)[0].len, 1);
    CHECK_EQ_I64(((AiqStr *)t[0]->cols[1].data)[0].len, 0);
    aiq_table_add_null_rows(t[1], 100000); /* past the shared run's end */
    CHECK(aiq_table_is_null(t[1], 3, 99999) && aiq_table_is_null(t[1], 2, 100001));
    CHECK_EQ_I64(((int64_t *)t[1]->cols[0].data)[1], 2);
    aiq_table_free(t[0]);
    aiq_table_free(t[1]);
    aiq_arena_free(&arena);
}

/* A skipped nested object's keys are recognised as the last line's keys in
 * their places (quotes and colon in one compare): lines that repeat them,
 * change one by a byte or its length, reorder them, put a blank before the
 * colon, escape one, use UTF-8 or break the object must be taken and
 * refused exactly as jansson does, with P not read. */
static void test_nested_keys_match_jansson(void)
{
    static const char text[] =
        "{\"a\":1,\"P\":{\"deployment\":\"x\",\"tokens.total\":5,\"ab\":true}}\n"
        "{\"a\":2,\"P\":{\"deployment\":\"y\",\"tokens.total\":\"6\",\"ab\":false}}\n"
        "{\"a\":3,\"P\":{\"deploymenu\":\"y\",\"tokens.total\":6,\"a\":1}}\n"
        "{\"a\":4,\"P\":{\"tokens.total\":6,\"deployment\":\"z\"}}\n"
        "{\"a\":5,\"P\":{\"tokens.total\" :6,\"deployment\":\"z\"}}\n"
        "{\"a\":6,\"P\":{\"tokens.total\":6,\"deployment\":}}\n"
        "{\"a\":7,\"P\":{\"tokens.total\":6,\"deployment\":\"z\",}}\n"
        "{\"a\":8,\"P\":{\"tokens\\u002etotal\":6,\"deployment\":\"z\"}}\n"
        "{\"a\":9,\"P\":{\"tokens.total\":6,\"d\xc3\xa9ployment\":\"z\"}}\n"
        "{\"a\":10,\"P\":{\"tokens.total\":6,\"d\xc3\xa9ployment\":\"z\"}}\n"
        "{\"a\":11,\"P\":{\"tokens.total\":6,\"d\xc3\xa9ployment\":\"z\",\"k1\":1,\"k2\":2,\"k3\":3,"
        "\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7}}\n"
        "{\"a\":12,\"P\":{\"tokens.total\":6,\"d\xc3\xa9ployment\":\"z\",\"k1\":1,\"k2\":2,\"k3\":3,"
        "\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,}}\n"
        "{\"a\":13,\"P\":{\"tokens.total\":6,\"d\xc3\xa9ployment\":\"z\"\n"
        "{\"a\":14,\"P\":{\"tokens.total\":{\"tokens.total\":1},\"x\":[{\"tokens.total\":2}]}}\n"
        "{\"a\":15,\"P\":\"tokens.total\"}\n"
        "{\"a\":16,\"P\":{\"tokens.total\":6,\"deployment\":\"z\"}}\n"
        "{\"a\":17,\"P\":{\"tokens.total\",6,\"deployment\":\"z\"}}\n";
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"P", AIQ_TYPE_DYNAMIC}};
    static const bool needed[] = {true, false};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqTable *a, *b;
    load_both(text, sizeof text - 1, (AiqCatalogTable){.name = "T", .declared = true, .schema = {2, cols}},
              (AiqReadOptions){.scan = &(AiqScanSpec){.ncols = 2, .needed = needed}}, &arena, &a, &b);
    check_same_rows(a, b, 12); /* all but 6, 7, 12, 13 and 17 */
    aiq_arena_free(&arena);
}

/* The same for objects read through a key filter (d["k"] key vectors),
 * whose kept keys are known in place with their index in the filter: two
 * dynamic columns that trade places from line to line (each has its own
 * filter: what one learnt must not answer for the other), keys that move,
 * change or repeat (the last wins). */
static void test_filtered_nested_keys_match_jansson(void)
{
    static const char text[] =
        "{\"a\":1,\"P\":{\"k\":1,\"x\":2,\"z\":3},\"Q\":{\"x\":4,\"k\":5}}\n"
        "{\"a\":2,\"Q\":{\"k\":6,\"x\":7,\"z\":8},\"P\":{\"x\":9,\"k\":10}}\n"
        "{\"a\":3,\"P\":{\"k\":11,\"x\":12,\"z\":13},\"Q\":{\"x\":14,\"k\":15}}\n"
        "{\"a\":4,\"P\":{\"x\":16,\"k\":17,\"z\":18},\"Q\":{\"k\":19,\"x\":20}}\n"
        "{\"a\":5,\"P\":{\"x\":21,\"k\":22,\"k\":23},\"Q\":{\"kk\":24,\"x\":\"25\"}}\n"
        "{\"a\":6,\"P\":{\"x\":26,\"k\":27,\"k\" :28},\"Q\":{\"kk\":29,\"x\":{\"x\":30}}}\n"
        "{\"a\":7,\"P\":{\"x\":31,\"k\":32,\"k\",33},\"Q\":{\"kk\":34,\"x\":35}}\n";
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"P", AIQ_TYPE_DYNAMIC}, {"Q", AIQ_TYPE_DYNAMIC}};
    static const char *const pkeys[] = {"k", "x"}, *const qkeys[] = {"x"};
    static const AiqColumnKeys keys[] = {{.n = -1}, {.n = 2, .keys = pkeys, .key_vectors = true},
                                         {.n = 1, .keys = qkeys, .key_vectors = true}};
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqTable *a, *b;
    load_both(text, sizeof text - 1, (AiqCatalogTable){.name = "T", .declared = true, .schema = {3, cols}},
              (AiqReadOptions){.scan = &(AiqScanSpec){.ncols = 3, .keys = keys}}, &arena, &a, &b);
    check_same_rows(a, b, 6); /* all but the last */
    aiq_arena_free(&arena);
}

void test_jsonl(void)
{
    test_filtered_nested_keys_match_jansson();
    test_nested_keys_match_jansson();
    test_unread_columns_share_nulls();
    test_repeated_keys_match_jansson();
    test_json_text();
    test_numbers_match_jansson();
    test_integers_match_jansson();
    test_skipped_numbers_match_jansson();
}
