/*
 * in_set.h -- the values of `in` as a set: a hash set of the first column
 * of a tabular right side (`x in (T | project y)`), filled once before the
 * query runs, and membership in a dynamic array, for a right side that is
 * an array computed per row (`x in (d)`). Values are compared as `in`
 * compares them: numbers by value whatever their type (1 == 1.0),
 * strings exactly or, for in~, ASCII letters in any case, a dynamic value
 * by what it holds; values of different kinds never match.
 */
#ifndef AIQ_FUNC_IN_SET_H
#define AIQ_FUNC_IN_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vector.h"

typedef struct AiqInSet AiqInSet;

/* A new empty set; ci: strings compare ignoring ASCII case (in~). The
 * caller frees it with aiq_in_set_free. */
AiqInSet *aiq_in_set_new(bool ci);
void aiq_in_set_free(AiqInSet *s);
/* Adds row i of v (a null is remembered as such). */
void aiq_in_set_add(AiqInSet *s, const AiqVector *v, uint32_t i);
/* Whether row i of v is in the set (false for a null row). */
bool aiq_in_set_has(const AiqInSet *s, const AiqVector *v, uint32_t i);
/* Whether a null was added. */
bool aiq_in_set_has_null(const AiqInSet *s);
/* The number of distinct values added (nulls not counted). */
int64_t aiq_in_set_count(const AiqInSet *s);

/* Whether row i of x (not null) equals an element of row j of the dynamic
 * vector d (one value when it is not an array); ci as above. *null_seen
 * is set when the array holds a null. */
bool aiq_in_dynamic(const AiqVector *x, uint32_t i, const AiqVector *d, uint32_t j, bool ci, bool *null_seen);

#endif
