/*
 * names.c -- hash indexes of column names (see names.h). Open addressing
 * with linear probing over a power-of-two table kept at most 2/3 used.
 */
#include "bind/names.h"

#include <string.h>

static uint64_t name_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h ^ (h >> 32);
}

static void put(AiqNameIndex *ix, const AiqColumn *cols, int i)
{
    int mask = ix->cap - 1, s = (int)(name_hash(cols[i].name) & (uint64_t)mask);
    while (ix->slots[s] >= 0)
        s = (s + 1) & mask;
    if (ix->slots[s] == -1)
        ix->used++;
    ix->slots[s] = i;
}

void aiq_names_build(AiqNameIndex *ix, const AiqColumn *cols, int n, AiqArena *arena)
{
    int cap = 64;
    while (cap < n * 3) /* (2/3 full at most, with room to grow) */
        cap *= 2;
    ix->slots = aiq_arena_alloc(arena, sizeof *ix->slots * (size_t)cap);
    memset(ix->slots, 0xff, sizeof *ix->slots * (size_t)cap); /* -1 */
    ix->cap = cap;
    ix->used = 0;
    for (int i = 0; i < n; i++)
        put(ix, cols, i);
}

int aiq_names_find(const AiqNameIndex *ix, const AiqColumn *cols, const char *name)
{
    int mask = ix->cap - 1;
    for (int s = (int)(name_hash(name) & (uint64_t)mask);; s = (s + 1) & mask) {
        int i = ix->slots[s];
        if (i == -1)
            return -1;
        if (i >= 0 && strcmp(cols[i].name, name) == 0)
            return i;
    }
}

void aiq_names_add(AiqNameIndex *ix, const AiqColumn *cols, int i, int n, AiqArena *arena)
{
    if ((ix->used + 1) * 3 > ix->cap * 2)
        aiq_names_build(ix, cols, n, arena); /* (cols[i] included) */
    else
        put(ix, cols, i);
}

void aiq_names_remove(AiqNameIndex *ix, const AiqColumn *cols, int i)
{
    int mask = ix->cap - 1;
    for (int s = (int)(name_hash(cols[i].name) & (uint64_t)mask); ix->slots[s] != -1; s = (s + 1) & mask)
        if (ix->slots[s] == i) {
            ix->slots[s] = -2;
            return;
        }
}
