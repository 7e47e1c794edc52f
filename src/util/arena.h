/*
 * arena.h -- bump allocation for things that die together: a query's tokens,
 * AST, plan and error text, or a chunk's string payloads. One
 * aiq_arena_free() (or aiq_arena_reset()) releases everything at once, so
 * no error path ever frees a node by hand.
 */
#ifndef AIQ_UTIL_ARENA_H
#define AIQ_UTIL_ARENA_H

#include <stddef.h>

typedef struct AiqArenaBlock AiqArenaBlock;
typedef struct AiqArena {
    AiqArenaBlock *head; /* current block; older blocks follow ->next */
    size_t used;         /* bytes used in head */
    size_t cap;          /* capacity of head */
    size_t block_size;   /* default size of a new block */
} AiqArena;

/* Prepares an empty arena; no memory is taken until the first allocation. */
void aiq_arena_init(AiqArena *a, size_t block_size);
/* Returns n bytes aligned to 8, owned by the arena; never NULL. */
void *aiq_arena_alloc(AiqArena *a, size_t n);
/* Returns zeroed bytes owned by the arena. */
void *aiq_arena_calloc(AiqArena *a, size_t n);
/* Returns a NUL-terminated copy of s[0..n) owned by the arena. */
char *aiq_arena_strndup(AiqArena *a, const char *s, size_t n);
/* Returns a printf-formatted string owned by the arena. */
char *aiq_arena_printf(AiqArena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Makes room for one more element in an arena-held array of n elements
 * with capacity *cap (doubling, from first): returns the array, moved to a
 * larger block when full (the old block stays with the arena). */
void *aiq_arena_grow(AiqArena *a, void *array, int n, int *cap, size_t elem, int first);
/* Forgets every allocation but keeps the first block for reuse. */
void aiq_arena_reset(AiqArena *a);
/* Releases all memory of the arena. */
void aiq_arena_free(AiqArena *a);
/* Bytes held by the arena's blocks. */
size_t aiq_arena_size(const AiqArena *a);

#endif
