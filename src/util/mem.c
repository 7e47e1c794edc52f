/*
 * mem.c -- accounted allocation (see mem.h). A 16-byte header keeps the
 * block size so aiq_xfree can subtract it; 16 keeps payloads aligned for
 * any scalar type. The counters are atomic (relaxed): the reader's worker
 * threads allocate too; each thread settles with them every 64 KB or so.
 */
#include "mem.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 16

static _Atomic size_t live_bytes, peak_bytes;
static size_t limit_bytes; /* set before any thread starts */
static long long flush_at = 64 << 10;
static atomic_bool exceeded;
/* This thread's allocations not yet added to live_bytes: an atomic add per
 * malloc costs more than jansson's allocations themselves, so each thread
 * settles its balance once it moves by flush_at bytes either way. */
static _Thread_local long long unsettled;

static void settle(void)
{
    long long d = unsettled;
    unsettled = 0;
    /* unsigned wrap-around makes a negative d a subtraction */
    size_t now = atomic_fetch_add_explicit(&live_bytes, (size_t)d, memory_order_relaxed) + (size_t)d;
    if (d <= 0)
        return;
    size_t peak = atomic_load_explicit(&peak_bytes, memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(&peak_bytes, &peak, now, memory_order_relaxed,
                                                                memory_order_relaxed))
        ;
    if (limit_bytes && now > limit_bytes)
        atomic_store_explicit(&exceeded, true, memory_order_relaxed);
}

static inline void charge(size_t n)
{
    unsettled += (long long)n;
    if (unsettled > flush_at)
        settle();
}

static inline void discharge(size_t n)
{
    unsettled -= (long long)n;
    if (unsettled < -flush_at)
        settle();
}

static void out_of_memory(void)
{
    fputs("aiq: out of memory\n", stderr);
    abort();
}

void *aiq_xmalloc(size_t n)
{
    unsigned char *p = malloc(n + HEADER);
    if (!p)
        out_of_memory();
    memcpy(p, &n, sizeof n);
    charge(n);
    return p + HEADER;
}

void *aiq_xcalloc(size_t n, size_t size)
{
    if (size && n > ((size_t)-1 - HEADER) / size)
        out_of_memory();
    void *p = aiq_xmalloc(n * size);
    memset(p, 0, n * size);
    return p;
}

void *aiq_xrealloc(void *p, size_t n)
{
    if (!p)
        return aiq_xmalloc(n);
    unsigned char *base = (unsigned char *)p - HEADER;
    size_t old;
    memcpy(&old, base, sizeof old);
    unsigned char *q = realloc(base, n + HEADER);
    if (!q)
        out_of_memory();
    memcpy(q, &n, sizeof n);
    discharge(old);
    charge(n);
    return q + HEADER;
}

void *aiq_grow_array(void *array, int n, int *cap, size_t elem)
{
    if (n < *cap)
        return array;
    *cap = *cap ? *cap * 2 : 8;
    return aiq_xrealloc(array, elem * (size_t)*cap);
}

void aiq_xfree(void *p)
{
    if (!p)
        return;
    unsigned char *base = (unsigned char *)p - HEADER;
    size_t n;
    memcpy(&n, base, sizeof n);
    discharge(n);
    free(base);
}

char *aiq_xstrndup(const char *s, size_t n)
{
    char *p = aiq_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void aiq_mem_set_limit(size_t bytes)
{
    settle();
    limit_bytes = bytes;
    /* a small limit is checked at a finer grain */
    flush_at = bytes && bytes / 16 < (64 << 10) ? (long long)(bytes / 16) : 64 << 10;
    exceeded = bytes && live_bytes > bytes;
}

bool aiq_mem_exceeded(void) { return exceeded; }
size_t aiq_mem_limit(void) { return limit_bytes; }
size_t aiq_mem_live(void)
{
    settle();
    return live_bytes;
}
size_t aiq_mem_peak(void)
{
    settle();
    return peak_bytes;
}

/* Read by hand rather than with strtod, which would also take "1e30",
 * "0x10", "inf" and leading blanks; the bound keeps the conversion to
 * size_t defined. */
bool aiq_mem_parse_size(const char *s, size_t *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return false;
    const char *p = s;
    double v = 0;
    while (isdigit((unsigned char)*p))
        v = v * 10 + (*p++ - '0');
    if (*p == '.') {
        if (!isdigit((unsigned char)*++p))
            return false;
        for (double scale = 0.1; isdigit((unsigned char)*p); scale /= 10)
            v += (*p++ - '0') * scale;
    }
    const char *units = "KMGT", *unit = *p ? strchr(units, toupper((unsigned char)*p)) : NULL;
    if (unit) {
        for (const char *u = units; u <= unit; u++)
            v *= 1024;
        p++;
        if (*p == 'i' && (p[1] == 'B' || p[1] == 'b'))
            p++;
    }
    if (*p == 'B' || *p == 'b')
        p++;
    if (*p || !(v >= 1 && v <= (double)(SIZE_MAX / 2)))
        return false;
    *out = (size_t)v;
    return true;
}

/* jansson allocates a small block per scalar value (a json_t, a string's
 * bytes) and a batch frees thousands of them at once; glibc then spends
 * more on consolidating its bins than the reader spends on the values, and
 * more still when the batch was made on a worker thread and is freed on
 * the consumer's (each free locks the worker's arena).
 *
 * So small blocks are recycled here, in the manner of tcmalloc: sizes are
 * rounded up to a class of 16 bytes (the header then tells the class), and
 * each thread keeps a list per class. A thread whose list is full hands the
 * whole list to a shared pool, one lock per SMALL_KEEP blocks; a thread
 * whose list is empty takes one from there. Blocks of other sizes (say, a
 * string a caller made with aiq_xmalloc) go straight to free. The pool is
 * bounded, so memory kept aside stays under a few MB. */
enum { SMALL_STEP = 16, SMALL_CLASSES = 4, SMALL_KEEP = 2048, POOL_LISTS = 16 };
typedef struct SmallBlock {
    struct SmallBlock *next;
} SmallBlock;
static _Thread_local SmallBlock *small_free[SMALL_CLASSES]; /* headers of free blocks */
static _Thread_local int small_kept[SMALL_CLASSES];
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static SmallBlock *pool[SMALL_CLASSES][POOL_LISTS]; /* full lists of SMALL_KEEP blocks */
static int pool_n[SMALL_CLASSES];

static void free_list(SmallBlock *b)
{
    while (b) {
        SmallBlock *next = b->next;
        free(b);
        b = next;
    }
}

static void *json_alloc(size_t n)
{
    if (n == 0 || n > SMALL_STEP * SMALL_CLASSES)
        return aiq_xmalloc(n);
    n = (n + SMALL_STEP - 1) / SMALL_STEP * SMALL_STEP;
    int cls = (int)(n / SMALL_STEP) - 1;
    if (!small_free[cls]) {
        pthread_mutex_lock(&pool_mu);
        if (pool_n[cls]) {
            small_free[cls] = pool[cls][--pool_n[cls]];
            small_kept[cls] = SMALL_KEEP;
        }
        pthread_mutex_unlock(&pool_mu);
        if (!small_free[cls])
            return aiq_xmalloc(n);
    }
    SmallBlock *b = small_free[cls];
    small_free[cls] = b->next;
    small_kept[cls]--;
    unsigned char *base = (unsigned char *)b;
    memcpy(base, &n, sizeof n);
    charge(n);
    return base + HEADER;
}

static void json_free(void *p)
{
    if (!p)
        return;
    unsigned char *base = (unsigned char *)p - HEADER;
    size_t n;
    memcpy(&n, base, sizeof n);
    int cls = (int)(n / SMALL_STEP) - 1;
    if (n % SMALL_STEP || cls < 0 || cls >= SMALL_CLASSES) {
        aiq_xfree(p);
        return;
    }
    discharge(n);
    if (small_kept[cls] == SMALL_KEEP) { /* full: to the pool, or really freed */
        SmallBlock *full = small_free[cls];
        pthread_mutex_lock(&pool_mu);
        if (pool_n[cls] < POOL_LISTS) {
            pool[cls][pool_n[cls]++] = full;
            full = NULL;
        }
        pthread_mutex_unlock(&pool_mu);
        free_list(full);
        small_free[cls] = NULL;
        small_kept[cls] = 0;
    }
    SmallBlock *b = (SmallBlock *)(void *)base;
    b->next = small_free[cls];
    small_free[cls] = b;
    small_kept[cls]++;
}

void aiq_mem_thread_done(void)
{
    for (int c = 0; c < SMALL_CLASSES; c++) {
        free_list(small_free[c]);
        small_free[c] = NULL;
        small_kept[c] = 0;
    }
    settle();
}

/* At exit: the main thread's lists and the pool, so leak checkers see them freed. */
static void release_all(void)
{
    aiq_mem_thread_done();
    pthread_mutex_lock(&pool_mu);
    for (int c = 0; c < SMALL_CLASSES; c++)
        while (pool_n[c])
            free_list(pool[c][--pool_n[c]]);
    pthread_mutex_unlock(&pool_mu);
}

void aiq_mem_hook_jansson(void)
{
    json_set_alloc_funcs(json_alloc, json_free);
    atexit(release_all);
}
