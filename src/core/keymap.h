/*
 * keymap.h -- byte keys to dense ids 0, 1, 2, ...: an open-addressing map,
 * and the self-delimiting encoding of a row's values as such a key
 * (summarize and join by dynamic keys, distinct values of dcount and
 * make_set, a reader's column names).
 */
#ifndef AIQ_CORE_KEYMAP_H
#define AIQ_CORE_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vector.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* Appends a type-tagged, self-delimiting encoding of physical row i of v. */
void aiq_key_append(AiqStrBuf *key, const AiqVector *v, uint32_t i);

typedef struct AiqKeyMap {
    uint64_t *hashes;
    int64_t *ids;       /* -1 = empty slot */
    int64_t cap, n;
    AiqArena keys;      /* key bytes */
    const char **key_ptr;
    uint32_t *key_len;
    int64_t key_cap;
} AiqKeyMap;

void aiq_keymap_init(AiqKeyMap *m);
void aiq_keymap_free(AiqKeyMap *m);
/* Returns the id of key, adding it when new (*added set). */
int64_t aiq_keymap_get(AiqKeyMap *m, const char *key, uint32_t len, bool *added);
/* Returns the id of key, or -1 when absent. */
int64_t aiq_keymap_find(const AiqKeyMap *m, const char *key, uint32_t len);

#endif
