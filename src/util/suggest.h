/*
 * suggest.h -- "did you mean ...?" by edit distance, for tables, columns,
 * operators and functions.
 */
#ifndef AIQ_UTIL_SUGGEST_H
#define AIQ_UTIL_SUGGEST_H

#include <stddef.h>

/* Returns the candidate closest to word (case-insensitive Damerau-Levenshtein)
 * when it is close enough to be a plausible typo, else NULL. The result is
 * one of the candidates (not copied). */
const char *aiq_suggest(const char *word, size_t len, const char *const *cands, size_t ncands);

#endif
