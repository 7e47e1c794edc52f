/*
 * mem.h -- the only allocator aiq uses, with accounting for --max-memory.
 *
 * Every block carries a small header with its size so the running total of
 * live bytes is exact. When the total passes the limit set by
 * aiq_mem_set_limit(), the allocation still succeeds but aiq_mem_exceeded()
 * turns true; operators poll it between chunks and stop the query with
 * AIQ_ERR_LIMIT (exit 4). Out of memory from the system prints
 * "aiq: out of memory" and aborts, like jq's jv_mem_alloc.
 */
#ifndef AIQ_UTIL_MEM_H
#define AIQ_UTIL_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Returns a block of n bytes (n may be 0); never NULL. Free with aiq_xfree. */
void *aiq_xmalloc(size_t n);
/* Returns a zeroed block of n*size bytes; never NULL. */
void *aiq_xcalloc(size_t n, size_t size);
/* Resizes p (which may be NULL) to n bytes; never NULL. */
void *aiq_xrealloc(void *p, size_t n);
/* Room for one more element in a heap array of n elements with capacity
 * *cap (doubling, from 8): returns the array, reallocated when full. */
void *aiq_grow_array(void *array, int n, int *cap, size_t elem);
/* Frees a block from aiq_xmalloc/xcalloc/xrealloc; NULL is ignored. */
void aiq_xfree(void *p);
/* Returns a NUL-terminated copy of s[0..n) allocated with aiq_xmalloc. */
char *aiq_xstrndup(const char *s, size_t n);

/* Sets the limit in bytes (0 = none) and clears the exceeded flag. */
void aiq_mem_set_limit(size_t bytes);
/* True once the live total has passed the limit since the last set_limit. */
bool aiq_mem_exceeded(void);
/* The limit set by aiq_mem_set_limit (0 = none). */
size_t aiq_mem_limit(void);
/* Live bytes and the peak since start. */
size_t aiq_mem_live(void);
/* Frees this thread's cache of small blocks and adds its unsettled
 * allocations to the totals: a thread calls it before it ends. */
void aiq_mem_thread_done(void);
size_t aiq_mem_peak(void);
/* Parses "512M", "4G", "100K", "1000" into bytes; returns false when malformed. */
bool aiq_mem_parse_size(const char *s, size_t *out);
/* Routes jansson's allocations through this allocator (call once at start). */
void aiq_mem_hook_jansson(void);

#endif
