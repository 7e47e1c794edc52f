/*
 * test_main.c -- runs every unit test and prints "unit: N passed, N failed".
 */
#include "check.h"

int aiq_test_passed, aiq_test_failed;

void test_lexer(void);
void test_parser(void);
void test_binder(void);
void test_util(void);
void test_jsonl(void);

int main(void)
{
    test_lexer();
    test_parser();
    test_binder();
    test_util();
    test_jsonl();
    printf("unit: %d passed, %d failed\n", aiq_test_passed, aiq_test_failed);
    return aiq_test_failed ? 1 : 0;
}
