/*
 * mem.c -- accounted allocation (see mem.h). A 16-byte header keeps the
 * block size so aiq_xfree can subtract it; 16 keeps payloads aligned for
 * any scalar type. The counters are atomic (relaxed): the reader's worker
 * threads allocate too; each thread settles with them every 64 KB or so,
 * and whichever thread takes the live total past the next probe point
 * measures the resident size against the limit.
 */
#include "util/mem.h"

#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER 16

static _Atomic size_t live_bytes, peak_bytes;
static size_t limit_bytes; /* set before any thread starts */
static const char *limit_of; /* the default limit's share of what: NULL when --max-memory set it */
static long long flush_at = 64 << 10;
static atomic_bool exceeded;
static _Atomic size_t next_probe; /* the live total at which to measure the resident size next */
static atomic_bool probe_due;     /* it is past: measure at the next aiq_mem_exceeded() */
static size_t probe_step;
static int statm_fd = -1;         /* /proc/self/statm, opened at first use */
static pthread_once_t statm_once = PTHREAD_ONCE_INIT;

static void open_statm(void) { statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC); }

size_t aiq_mem_resident(void)
{
    if (!AIQ_MEM_RESIDENT_MEASURED)
        return 0;
    pthread_once(&statm_once, open_statm);
    if (statm_fd < 0)
        return 0;
    char buf[128];
    ssize_t n = pread(statm_fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    unsigned long size, resident, shared;
    if (sscanf(buf, "%lu %lu %lu", &size, &resident, &shared) != 3 || shared > resident)
        return 0;
    /* resident less file-backed pages: input files are mapped, and the
     * kernel drops their pages at will */
    return (size_t)(resident - shared) * (size_t)sysconf(_SC_PAGESIZE);
}

/* Measures the process against the limit (live: the allocator's count,
 * which stands in when the resident size is unknown). */
static void probe(size_t live)
{
    size_t used = aiq_mem_resident();
    if (!used)
        used = live;
    if (used > limit_bytes)
        atomic_store_explicit(&exceeded, true, memory_order_relaxed);
}
/* This thread's allocations not yet added to live_bytes: an atomic add per
 * malloc costs more than jansson's allocations themselves, so each thread
 * settles its balance once it moves by flush_at bytes either way. */
static _Thread_local long long unsettled;

static void rearm(size_t now);

static void settle(void)
{
    long long d = unsettled;
    unsettled = 0;
    /* unsigned wrap-around makes a negative d a subtraction */
    size_t now = atomic_fetch_add_explicit(&live_bytes, (size_t)d, memory_order_relaxed) + (size_t)d;
    if (d <= 0) {
        rearm(now);
        return;
    }
    size_t peak = atomic_load_explicit(&peak_bytes, memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(&peak_bytes, &peak, now, memory_order_relaxed,
                                                                memory_order_relaxed))
        ;
    if (!limit_bytes)
        return;
    /* measured when polled, not here: the caller has yet to touch (and so
     * make resident) the memory it just got */
    size_t at = atomic_load_explicit(&next_probe, memory_order_relaxed);
    if (now >= at && atomic_compare_exchange_strong_explicit(&next_probe, &at, now + probe_step, memory_order_relaxed,
                                                             memory_order_relaxed))
        atomic_store_explicit(&probe_due, true, memory_order_relaxed);
}

/* Frees lower the next probe point too: memory given back and taken again
 * is measured as often as new memory. */
static void rearm(size_t now)
{
    size_t at = atomic_load_explicit(&next_probe, memory_order_relaxed);
    if (limit_bytes && now + probe_step < at)
        atomic_store_explicit(&next_probe, now + probe_step, memory_order_relaxed);
}

bool aiq_mem_room(size_t n)
{
    if (!limit_bytes)
        return true;
    if (atomic_load_explicit(&exceeded, memory_order_relaxed))
        return false;
    size_t used = aiq_mem_resident();
    if (!used)
        used = atomic_load_explicit(&live_bytes, memory_order_relaxed);
    return used + n <= limit_bytes;
}

int64_t aiq_mem_grow_cap(int64_t cap, int64_t need, size_t elem)
{
    int64_t doubled = cap > 0 ? cap : 16;
    while (doubled < need)
        doubled *= 2;
    size_t more = (size_t)(doubled - cap) * elem;
    if (more < ((size_t)1 << 20) || aiq_mem_room(more))
        return doubled;
    int64_t tight = cap + cap / 8;
    return tight > need ? tight : need;
}

void aiq_mem_reached(void)
{
    if (limit_bytes)
        atomic_store_explicit(&exceeded, true, memory_order_relaxed);
}

static inline void charge(size_t n)
{
    unsettled += (long long)n;
    if (unsettled > flush_at)
        settle();
}

/* A block growing by a probe step or more is measured before it is used:
 * its caller fills it (a table growing) before anyone polls. */
static inline void judge_growth(size_t more)
{
    if (limit_bytes && more >= probe_step && !aiq_mem_room(more))
        atomic_store_explicit(&exceeded, true, memory_order_relaxed);
}

static inline void discharge(size_t n)
{
    unsettled -= (long long)n;
    if (unsettled < -flush_at)
        settle();
}

/* The system refused memory: a clear message and exit 4, a resource limit
 * (CLI.md), rather than abort()'s 134 and a core. Nothing of the result
 * has been written (results are written whole, at the end). */
static void out_of_memory(size_t n)
{
    char limit[96];
    fprintf(stderr, "aiq: out of memory: the system refused %zu MiB more (limit: %s); "
                    "a lower --max-memory stops the query with an error first\n",
            (n >> 20) + 1, aiq_mem_limit_text(limit, sizeof limit));
    _exit(4);
}

void *aiq_xmalloc(size_t n)
{
    unsigned char *p = n <= (size_t)-1 - HEADER ? malloc(n + HEADER) : NULL;
    if (!p)
        out_of_memory(n);
    memcpy(p, &n, sizeof n);
    judge_growth(n); /* (before the count has it, where the count stands in) */
    charge(n);
    return p + HEADER;
}

void *aiq_xcalloc(size_t n, size_t size)
{
    if (size && n > ((size_t)-1 - HEADER) / size)
        out_of_memory((size_t)-1);
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
        out_of_memory(n);
    memcpy(q, &n, sizeof n);
    judge_growth(n > old ? n - old : 0);
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
    limit_of = NULL;
    /* a small limit is checked at a finer grain */
    flush_at = bytes && bytes / 16 < (64 << 10) ? (long long)(bytes / 16) : 64 << 10;
    probe_step = bytes / 128;
    probe_step = probe_step < (256 << 10) ? 256 << 10 : probe_step > ((size_t)64 << 20) ? (size_t)64 << 20 : probe_step;
#ifdef M_MMAP_THRESHOLD
    /* glibc keeps a freed block below this size in the heap, resident: a
     * table doubling from 10 MB to 20 MB holds 30. Under a small limit the
     * big blocks are mapped on their own instead, and given back when freed
     * or moved (aiq's own default, 32 MB, is set at start: main.c). */
    if (bytes && bytes / 32 < ((size_t)32 << 20))
        mallopt(M_MMAP_THRESHOLD, (int)(bytes / 32 < ((size_t)1 << 20) ? (size_t)1 << 20 : bytes / 32));
#endif
    exceeded = false;
    probe_due = false;
    next_probe = live_bytes + probe_step;
    if (bytes)
        probe(live_bytes);
}

/* The first number in file path, in bytes; false when there is none
 * (cgroup v2 writes "max" for no limit). */
static bool read_bytes(const char *path, size_t *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    unsigned long long v;
    bool ok = fscanf(f, "%llu", &v) == 1;
    fclose(f);
    *out = (size_t)v;
    return ok;
}

/* Where the memory cgroup hierarchy is mounted (cgroup2, or v1's memory
 * controller), from /proc/self/mountinfo: the mount point and the cgroup
 * path it shows as its root. */
static bool cgroup_mount(const char *fs, bool v2, char *point, size_t npoint, char *root, size_t nroot)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/proc/self/mountinfo", fs);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        char mroot[1024], mpoint[1024], fstype[64], opts[1024];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", mroot, mpoint) != 2 ||
            sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2)
            continue;
        found = v2 ? strcmp(fstype, "cgroup2") == 0
                   : strcmp(fstype, "cgroup") == 0 && (strstr(opts, ",memory") || strncmp(opts, "memory", 6) == 0);
        if (found) {
            snprintf(point, npoint, "%s", mpoint);
            snprintf(root, nroot, "%s", mroot);
        }
    }
    fclose(f);
    return found;
}

bool aiq_mem_cgroup_limit(const char *fs, size_t *out)
{
    char file0[4096];
    snprintf(file0, sizeof file0, "%s/proc/self/cgroup", fs);
    FILE *f = fopen(file0, "r");
    if (!f)
        return false;
    char line[4096], path[4096] = "";
    bool v2 = false, found = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c1 = *c2 = '\0'; /* line: the hierarchy id; c1 + 1: its controllers */
        const char *ctrls = c1 + 1;
        bool is_v1_memory = strcmp(ctrls, "memory") == 0 || strstr(ctrls, "memory,") || strstr(ctrls, ",memory");
        if (is_v1_memory || (!found && strcmp(line, "0") == 0 && *ctrls == '\0')) {
            snprintf(path, sizeof path, "%s", c2 + 1);
            v2 = !is_v1_memory;
            found = true;
            if (is_v1_memory)
                break;
        }
    }
    fclose(f);
    char point[1024], root[1024];
    if (!found || !cgroup_mount(fs, v2, point, sizeof point, root, sizeof root))
        return false;
    /* inside a cgroup namespace or a bind mount the path starts with the mount's root */
    size_t nroot = strcmp(root, "/") == 0 ? 0 : strlen(root);
    const char *rel = strncmp(path, root, nroot) == 0 ? path + nroot : path;
    bool any = false;
    char top[2048], dir[8192];
    snprintf(top, sizeof top, "%s%s", fs, point);
    snprintf(dir, sizeof dir, "%s%s", top, rel);
    for (;;) {
        char file[8300];
        size_t v;
        snprintf(file, sizeof file, "%s/%s", dir, v2 ? "memory.max" : "memory.limit_in_bytes");
        /* v1 writes a huge number for no limit */
        if (read_bytes(file, &v) && v < ((size_t)1 << 60) && (!any || v < *out)) {
            *out = v;
            any = true;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || (size_t)(slash - dir) < strlen(top))
            break;
        *slash = '\0';
    }
    return any;
}

void aiq_mem_set_default_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    size_t machine = pages > 0 && page > 0 ? (size_t)pages * (size_t)page : 0, cgroup = 0;
    bool by_cgroup = aiq_mem_cgroup_limit("", &cgroup) && (!machine || cgroup < machine);
    size_t of = by_cgroup ? cgroup : machine;
    if (!of)
        return; /* nothing known: no limit */
    aiq_mem_set_limit(of / 100 * AIQ_MEM_DEFAULT_SHARE);
    limit_of = by_cgroup ? "the cgroup's memory limit" : "the machine's memory";
}

const char *aiq_mem_limit_text(char *buf, size_t n)
{
    if (!limit_bytes)
        snprintf(buf, n, "none");
    else if (limit_of)
        snprintf(buf, n, "%zu MiB, %d%% of %s", limit_bytes >> 20, AIQ_MEM_DEFAULT_SHARE, limit_of);
    else
        snprintf(buf, n, "--max-memory %zu MiB", limit_bytes >> 20);
    return buf;
}

void aiq_mem_recheck(void)
{
    settle();
    atomic_store_explicit(&exceeded, false, memory_order_relaxed);
    atomic_store_explicit(&probe_due, false, memory_order_relaxed);
    if (limit_bytes)
        probe(atomic_load_explicit(&live_bytes, memory_order_relaxed));
}

bool aiq_mem_exceeded(void)
{
    if (atomic_load_explicit(&probe_due, memory_order_relaxed) &&
        atomic_exchange_explicit(&probe_due, false, memory_order_relaxed))
        probe(atomic_load_explicit(&live_bytes, memory_order_relaxed));
    return exceeded;
}
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
