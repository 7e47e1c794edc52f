/*
 * suggest.c -- nearest-name suggestions for error messages (see suggest.h).
 */
#include "util/suggest.h"

#include <ctype.h>
#include <string.h>

/* Optimal string alignment distance, case-insensitive, capped at 64 bytes. */
static int distance(const char *a, size_t la, const char *b, size_t lb)
{
    enum { MAXLEN = 64 };
    if (la > MAXLEN || lb > MAXLEN)
        return 1000;
    int d[MAXLEN + 1][MAXLEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int cost = ca == cb ? 0 : 1;
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *aiq_suggest(const char *word, size_t len, const char *const *cands, size_t ncands)
{
    const char *best = NULL;
    int best_d = 1000;
    for (size_t i = 0; i < ncands; i++) {
        size_t lc = strlen(cands[i]);
        int d = distance(word, len, cands[i], lc);
        /* A case-only difference is the most likely typo of all. */
        if (d == 0 && (lc != len || strncmp(word, cands[i], len) != 0))
            return cands[i];
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    /* Allow about one edit per three characters, at most three; names under
     * three characters only match by case (any short name is one edit away). */
    if (len < 3)
        return NULL;
    int allowed = (int)(len / 3);
    if (allowed < 1)
        allowed = 1;
    if (allowed > 3)
        allowed = 3;
    /* A prefix typo like DurationMS vs DurationMs is covered by the case rule. */
    return best_d <= allowed && best_d > 0 ? best : NULL;
}
