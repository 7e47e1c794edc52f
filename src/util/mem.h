/*
 * mem.h -- the only allocator aiq uses, with accounting for --max-memory.
 *
 * Every block carries a small header with its size so the running total of
 * live bytes is exact. The limit set by aiq_mem_set_limit() is on what the
 * process holds: its resident anonymous memory (heap, stacks; not mapped
 * input files), measured each time the live total has grown by a step of
 * about 1/128 of the limit, as the allocator's own count misses malloc's
 * and jansson's overheads (make_set of 5M ids held 1.7 times what it
 * counted) and counts capacity never touched. Past the limit the
 * allocation still succeeds but aiq_mem_exceeded() turns true; operators
 * poll it between chunks and stop the query with AIQ_ERR_LIMIT (exit 4).
 * Where the resident size cannot be read, the live total stands in for it.
 * Out of memory from the system prints "aiq: out of memory" and exits 4,
 * the only way library code ends the process (like jq's jv_mem_alloc).
 */
#ifndef AIQ_UTIL_MEM_H
#define AIQ_UTIL_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* Sets the limit --max-memory gets when not given: AIQ_MEM_DEFAULT_SHARE
 * percent of the memory the process may have, the machine's or its
 * cgroup's limit (v2 memory.max, v1 memory.limit_in_bytes) when lower. */
#define AIQ_MEM_DEFAULT_SHARE 80
void aiq_mem_set_default_limit(void);
/* The lowest memory limit on the process's cgroup and its parents (from
 * fs/proc/self/cgroup and fs/proc/self/mountinfo; fs is "" but for tests);
 * false when there is none. */
bool aiq_mem_cgroup_limit(const char *fs, size_t *out);
/* True once the process has passed the limit since the last set_limit. */
bool aiq_mem_exceeded(void);
/* Measures the process against the limit afresh, forgetting that it was
 * reached: a session's next query (or the same query again, after the
 * session gave memory back) is judged on what is held now. */
void aiq_mem_recheck(void);
/* The limit set by aiq_mem_set_limit (0 = none). */
size_t aiq_mem_limit(void);
/* Writes what the limit is, for messages: "--max-memory 256 MiB", or
 * "19283 MiB, 80% of the machine's memory"; returns buf. */
const char *aiq_mem_limit_text(char *buf, size_t n);
/* Whether n more bytes fit under the limit, counting what the process
 * holds now: a hash table waits to double while they do not (it works up
 * to 7/8 full), an array grows by less (aiq_mem_grow_cap), so that the
 * process does not pass the limit by a doubling it may never fill. */
bool aiq_mem_room(size_t n);
/* Marks the limit reached (aiq_mem_exceeded): a hash table that cannot
 * grow within it is nearly full, and its operator stops at its next poll. */
void aiq_mem_reached(void);
/* The capacity (in elements of elem bytes) to grow an array to, from cap,
 * for need: doubled, as usual; but when doubling would pass the limit,
 * need and an eighth more. Near the limit the array then grows by small
 * steps, and the limit is reached only when memory really runs out, not
 * when a doubling would have. */
int64_t aiq_mem_grow_cap(int64_t cap, int64_t need, size_t elem);
/* Under AddressSanitizer or ThreadSanitizer the resident size is mostly
 * the sanitizer's own (shadow memory, a quarantine of freed blocks): the
 * allocator's count stands in for it there, as it does where /proc cannot
 * be read. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define AIQ_MEM_RESIDENT_MEASURED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define AIQ_MEM_RESIDENT_MEASURED 0
#endif
#endif
#ifndef AIQ_MEM_RESIDENT_MEASURED
#define AIQ_MEM_RESIDENT_MEASURED 1
#endif
/* The process's resident anonymous memory in bytes, 0 when unknown (or
 * not measured: AIQ_MEM_RESIDENT_MEASURED). */
size_t aiq_mem_resident(void);
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
