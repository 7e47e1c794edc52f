/*
 * jsonl_map.c -- mapped data files and SIGBUS (see jsonl_map.h).
 *
 * A mapping is registered in a small table the signal handler can read
 * without locks. On SIGBUS at an address inside a registered mapping, the
 * handler maps a page of zeros over the missing one, marks the faulting
 * thread, and returns: the read completes, and the reader, which checks
 * the mark after each stretch of mapped bytes it reads, reports the file
 * as shrunk instead of the process dying (a REPL session, a cron run that
 * can read the file again). A SIGBUS anywhere else is not aiq's to
 * handle: the default action is restored and the fault happens again.
 */
#include "io/jsonl_map.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Mappings live at once: a stream maps one file at a time (and holds the
 * last one until its last chunk is parsed); a few streams run at once. */
enum { MAX_MAPPINGS = 256 };

static struct {
    _Atomic uintptr_t base; /* 0: a free slot */
    _Atomic size_t len;
} mappings[MAX_MAPPINGS];

static size_t page_size;
static _Thread_local volatile sig_atomic_t faulted; /* (SIGBUS goes to the thread that faulted) */

static bool registered(uintptr_t a)
{
    for (int i = 0; i < MAX_MAPPINGS; i++) {
        uintptr_t base = atomic_load(&mappings[i].base);
        if (base && a >= base && a - base < atomic_load(&mappings[i].len))
            return true;
    }
    return false;
}

static void on_sigbus(int sig, siginfo_t *si, void *context)
{
    (void)context;
    uintptr_t a = (uintptr_t)si->si_addr;
    if (registered(a)) {
        /* mmap is not on POSIX's list of async-signal-safe functions, but
         * it is a plain system call on Linux and touches no lock of libc */
        void *page = (void *)(a & ~(uintptr_t)(page_size - 1));
        if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED) {
            faulted = 1;
            return;
        }
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL); /* the faulting access runs again, now fatal */
}

static void install_handler(void)
{
    static atomic_flag installed = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&installed))
        return;
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

/* A free slot of the table, claimed (with a base of 1, which matches no
 * address, until the mapping is known); -1 when all are taken. */
static int claim_slot(void)
{
    install_handler();
    for (int i = 0; i < MAX_MAPPINGS; i++) {
        uintptr_t free_slot = 0;
        if (atomic_compare_exchange_strong(&mappings[i].base, &free_slot, (uintptr_t)1))
            return i;
    }
    return -1;
}

/* Maps the file into slot's entry, at addr when it is not NULL (a place
 * of the caller's reserved space); frees the slot when it cannot. */
static const char *map_into_slot(int slot, int fd, size_t len, void *addr)
{
    void *m = mmap(addr, len, PROT_READ, MAP_PRIVATE | (addr ? MAP_FIXED : 0), fd, 0);
    if (m == MAP_FAILED) {
        atomic_store(&mappings[slot].base, 0);
        return NULL;
    }
    atomic_store(&mappings[slot].len, len);
    atomic_store(&mappings[slot].base, (uintptr_t)m);
    return m;
}

static void unregister(const char *map)
{
    for (int i = 0; i < MAX_MAPPINGS; i++)
        if (atomic_load(&mappings[i].base) == (uintptr_t)map) {
            atomic_store(&mappings[i].len, 0); /* (a claimed slot matches no address until mapped) */
            atomic_store(&mappings[i].base, 0);
            break;
        }
}

const char *jl_map_file(int fd, size_t len)
{
    int slot = claim_slot();
    return slot < 0 ? NULL : map_into_slot(slot, fd, len, NULL); /* (no slot: the file is read) */
}

void jl_unmap_file(const char *map, size_t len)
{
    unregister(map);
    munmap((void *)map, len);
}

/* Makes segment i of the region reserved space again: the files mapped in
 * it go, with their pages, in one call (one TLB shootdown). */
static void give_back(JlMapRegion *r, int i)
{
    if (mmap(r->base + (size_t)i * JL_REGION_SEGMENT, JL_REGION_SEGMENT, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED) {
        /* (an older kernel may have left a hole, which another mapping may
         * take: the region is not unmapped whole any more) */
        r->abandoned = true;
        return;
    }
    r->dirty[i] = false;
}

void jl_region_init(JlMapRegion *r, size_t window)
{
    *r = (JlMapRegion){0};
    size_t n = window / JL_REGION_SEGMENT + 2;
    r->nseg = n < JL_REGION_MAX_SEGMENTS ? (int)n : JL_REGION_MAX_SEGMENTS;
}

const char *jl_region_map(JlMapRegion *r, int fd, size_t len, int *seg)
{
    install_handler(); /* (which learns the page size) */
    size_t need = (len + page_size - 1) & ~(page_size - 1);
    if (!r->nseg || r->abandoned || !len || need > JL_REGION_SEGMENT)
        return NULL;
    if (!r->base) {
        void *b = mmap(NULL, (size_t)r->nseg * JL_REGION_SEGMENT, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (b == MAP_FAILED)
            return NULL;
        r->base = b;
    }
    if (r->used + need > JL_REGION_SEGMENT) { /* the next segment, once every file in it is done with */
        int next = (r->filling + 1) % r->nseg, old = r->filling;
        if (r->live[next] || r->dirty[next])
            return NULL; /* its files are not all taken yet: this one is mapped on its own */
        r->filling = next;
        r->used = 0;
        if (!r->live[old] && r->dirty[old])
            give_back(r, old);
        if (r->abandoned)
            return NULL;
    }
    int slot = claim_slot();
    if (slot < 0)
        return NULL;
    const char *m = map_into_slot(slot, fd, len, r->base + (size_t)r->filling * JL_REGION_SEGMENT + r->used);
    if (!m) { /* (MAP_FIXED over our own reservation: only the kernel's failure; as give_back's) */
        r->abandoned = true;
        return NULL;
    }
    r->used += need;
    r->live[r->filling]++;
    r->dirty[r->filling] = true;
    *seg = r->filling;
    return m;
}

void jl_region_unmap(JlMapRegion *r, const char *map, size_t len, int seg)
{
    unregister(map);
    r->live[seg]--;
    if (r->abandoned)
        munmap((void *)map, len); /* (its own place is known to be the file's) */
    else if (!r->live[seg] && seg != r->filling && r->dirty[seg])
        give_back(r, seg);
}

void jl_region_free(JlMapRegion *r)
{
    if (r->base && !r->abandoned)
        munmap(r->base, (size_t)r->nseg * JL_REGION_SEGMENT);
    *r = (JlMapRegion){0};
}

bool jl_map_faulted(void)
{
    bool was = faulted;
    faulted = 0;
    return was;
}

bool jl_map_shrank_error(AiqError *err, const char *path)
{
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                         "%s: the file shrank while it was read (truncated in place, as logrotate's copytruncate does)",
                         path);
}
