/*
 * test_main.c -- runs every unit test and prints "unit: N passed, N failed".
 */
#include "check.h"

int aiq_test_passed, aiq_test_failed;

/* One entry per tests/unit/test_<name>.c, each defining void test_<name>(void);
 * the Makefile writes the list from the file names, so adding a file is all
 * it takes to add its tests. */
#define UNIT_TEST(name) void test_##name(void);
#include "unit_list.h"
#undef UNIT_TEST

int main(void)
{
#define UNIT_TEST(name) test_##name();
#include "unit_list.h"
#undef UNIT_TEST
    printf("unit: %d passed, %d failed\n", aiq_test_passed, aiq_test_failed);
    return aiq_test_failed ? 1 : 0;
}
