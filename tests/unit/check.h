/*
 * check.h -- a minimal unit-test harness: CHECK prints file, line and the
 * failed condition; CHECK_EQ_* print both values. Each test_<module>.c
 * registers its tests in tests/unit/test_main.c.
 */
#ifndef AIQ_TEST_CHECK_H
#define AIQ_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

extern int aiq_test_passed, aiq_test_failed;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (cond) {                                                                     \
            aiq_test_passed++;                                                          \
        } else {                                                                        \
            aiq_test_failed++;                                                          \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                      \
        }                                                                               \
    } while (0)
#define CHECK_EQ_I64(a, b)                                                              \
    do {                                                                                \
        int64_t va_ = (int64_t)(a), vb_ = (int64_t)(b);                                 \
        if (va_ == vb_) {                                                               \
            aiq_test_passed++;                                                          \
        } else {                                                                        \
            aiq_test_failed++;                                                          \
            printf("FAIL %s:%d: %s == %s: %" PRId64 " != %" PRId64 "\n", __FILE__,      \
                   __LINE__, #a, #b, va_, vb_);                                         \
        }                                                                               \
    } while (0)
#define CHECK_EQ_STR(a, b)                                                              \
    do {                                                                                \
        const char *sa_ = (a), *sb_ = (b);                                              \
        if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                      \
            aiq_test_passed++;                                                          \
        } else {                                                                        \
            aiq_test_failed++;                                                          \
            printf("FAIL %s:%d: %s == %s:\n  got  \"%s\"\n  want \"%s\"\n", __FILE__,   \
                   __LINE__, #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");       \
        }                                                                               \
    } while (0)

#endif
