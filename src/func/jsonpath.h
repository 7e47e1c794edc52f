/*
 * jsonpath.h -- the subset of JSONPath Kusto's functions take (its
 * jsonpath page): $ for the root, .name and ['name'] or ["name"] for a
 * property, [n] for an array element. Wildcards, recursion, unions and
 * slices are not part of it. extract_json(), bag_has_key(),
 * bag_remove_keys() and bag_set_key() read paths with it.
 */
#ifndef AIQ_FUNC_JSONPATH_H
#define AIQ_FUNC_JSONPATH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "aiq/aiq_types.h"

/* One step of a path: a property name (a slice of the path's text) or an
 * array index. */
typedef struct AiqJsonStep {
    AiqStr key;    /* the property, when index < 0 */
    int64_t index; /* the element, or -1 */
} AiqJsonStep;

#define AIQ_JSONPATH_MAX_STEPS 64

/* Parses path into steps (at most AIQ_JSONPATH_MAX_STEPS); returns their
 * number, or -1 when path is not a JSONPath of the subset. A path that
 * does not start with '$' is one property name when bare_key_ok (the bag
 * functions take "key" for "$.key"). */
int aiq_jsonpath_parse(AiqStr path, bool bare_key_ok, AiqJsonStep *steps);

/* The value steps lead to from root (borrowed), or NULL. */
json_t *aiq_jsonpath_get(json_t *root, const AiqJsonStep *steps, int n);

#endif
