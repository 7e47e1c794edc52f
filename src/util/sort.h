/*
 * sort.h -- qsort for arrays that may be empty. An empty array is often a
 * NULL pointer here (nothing was ever allocated), and qsort's pointer must
 * not be NULL even for no elements (C's library clause: undefined; UBSan
 * and the fuzzers report it). Every sort in src/ goes through this.
 */
#ifndef AIQ_UTIL_SORT_H
#define AIQ_UTIL_SORT_H
#include <stdlib.h>

static inline void aiq_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}
#endif
