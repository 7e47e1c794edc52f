/*
 * test_names.c -- the binder's hash index of column names (bind/names.c):
 * found after building and adding, gone after removing, found under a new
 * name after a rename, and right across the rebuilds that growth makes.
 */
#include <stdio.h>

#include "bind/names.h"
#include "check.h"

void test_names(void)
{
    enum { N = 5000 };
    static AiqColumn cols[N];
    static char names[N][16];
    AiqArena a;
    aiq_arena_init(&a, 0);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        cols[i].name = names[i];
    }
    AiqNameIndex ix;
    aiq_names_build(&ix, cols, 40, &a);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "c0"), 0);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "c39"), 39);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "c40"), -1);
    for (int i = 40; i < N; i++) /* (rebuilt several times on the way) */
        aiq_names_add(&ix, cols, i, i + 1, &a);
    int found = 0;
    for (int i = 0; i < N; i++)
        found += aiq_names_find(&ix, cols, names[i]) == i;
    CHECK_EQ_I64(found, N);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "c5000"), -1);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, ""), -1);
    /* a rename: out under the old name, in under the new */
    aiq_names_remove(&ix, cols, 1234);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "c1234"), -1);
    cols[1234].name = "renamed";
    aiq_names_add(&ix, cols, 1234, N, &a);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "renamed"), 1234);
    CHECK_EQ_I64(aiq_names_find(&ix, cols, "c1235"), 1235); /* (probing past the removed slot) */
    for (int k = 0; k < 3 * N; k++) { /* removals and adds leave it whole */
        int i = k % N;
        aiq_names_remove(&ix, cols, i);
        aiq_names_add(&ix, cols, i, N, &a);
    }
    found = 0;
    for (int i = 0; i < N; i++)
        found += aiq_names_find(&ix, cols, cols[i].name) == i;
    CHECK_EQ_I64(found, N);
    aiq_arena_free(&a);
}
