/*
 * test_mem_size.c -- aiq_mem_parse_size (util/mem.h), the parser of
 * --max-memory: sizes with units, and the texts it must refuse rather than
 * overflow or misread.
 */
#include "check.h"
#include "util/mem.h"

static void test_sizes_accepted(void)
{
    size_t n = 0;
    CHECK(aiq_mem_parse_size("1000", &n));
    CHECK_EQ_I64(n, 1000);
    CHECK(aiq_mem_parse_size("64m", &n));
    CHECK_EQ_I64(n, 64LL << 20);
    CHECK(aiq_mem_parse_size("1.5G", &n));
    CHECK_EQ_I64(n, 3LL << 29);
    CHECK(aiq_mem_parse_size("2TiB", &n));
    CHECK_EQ_I64(n, 2LL << 40);
    CHECK(aiq_mem_parse_size("10KB", &n));
    CHECK_EQ_I64(n, 10240);
    CHECK(aiq_mem_parse_size("5B", &n));
    CHECK_EQ_I64(n, 5);
}

static void test_sizes_refused(void)
{
    static const char *const bad[] = {
        "1e30", "1E3", "99999999999T", "9999999999999999999999", "0", "0.5", "-5M", "+5M",
        "5MM", "1.5.2G", "1.G", ".5G", "G", "", "nan", "inf", "0x10", " 5M", "5 M", "5M ",
        "5Mi", "5iB", "5P",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = 12345;
        bool ok = aiq_mem_parse_size(bad[i], &n);
        if (ok)
            printf("  accepted '%s' as %zu\n", bad[i], n);
        CHECK(!ok);
        CHECK_EQ_I64(n, 12345); /* untouched on failure */
    }
    CHECK(!aiq_mem_parse_size(NULL, &(size_t){0}));
}

void test_mem_size(void)
{
    test_sizes_accepted();
    test_sizes_refused();
}
