/*
 * arena.c -- the bump allocator behind every query and chunk (see arena.h).
 */
#include "util/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

struct AiqArenaBlock {
    AiqArenaBlock *next;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

void aiq_arena_init(AiqArena *a, size_t block_size)
{
    a->head = NULL;
    a->used = a->cap = 0;
    a->block_size = block_size ? block_size : 64 * 1024;
}

void *aiq_arena_alloc(AiqArena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->used + n > a->cap) {
        /* blocks start at 4 KB and double up to block_size: most arenas
         * (a batch's key map, a small query) never need a large one */
        size_t grow = a->head ? a->head->cap * 2 : 4096;
        if (grow > a->block_size)
            grow = a->block_size;
        size_t cap = n > grow ? n : grow;
        AiqArenaBlock *b = aiq_xmalloc(sizeof *b + cap);
        b->cap = cap;
        /* A block bigger than the next size goes behind the head so the
         * remaining room of the head is not wasted. */
        if (a->head && n > grow) {
            b->next = a->head->next;
            a->head->next = b;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->cap = cap;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    return p;
}

void *aiq_arena_calloc(AiqArena *a, size_t n)
{
    void *p = aiq_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *aiq_arena_strndup(AiqArena *a, const char *s, size_t n)
{
    char *p = aiq_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *aiq_arena_printf(AiqArena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = aiq_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void aiq_arena_reset(AiqArena *a)
{
    if (!a->head)
        return;
    /* Keep the head block for reuse; free the rest. */
    AiqArenaBlock *b = a->head->next;
    while (b) {
        AiqArenaBlock *next = b->next;
        aiq_xfree(b);
        b = next;
    }
    a->head->next = NULL;
    a->cap = a->head->cap;
    a->used = 0;
}

void aiq_arena_free(AiqArena *a)
{
    AiqArenaBlock *b = a->head;
    while (b) {
        AiqArenaBlock *next = b->next;
        aiq_xfree(b);
        b = next;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}

size_t aiq_arena_size(const AiqArena *a)
{
    size_t n = 0;
    for (AiqArenaBlock *b = a->head; b; b = b->next)
        n += b->cap;
    return n;
}

void *aiq_arena_grow(AiqArena *a, void *array, int n, int *cap, size_t elem, int first)
{
    if (n < *cap)
        return array;
    int grown = *cap ? *cap * 2 : first;
    void *bigger = aiq_arena_alloc(a, elem * (size_t)grown);
    if (n)
        memcpy(bigger, array, elem * (size_t)n);
    *cap = grown;
    return bigger;
}
