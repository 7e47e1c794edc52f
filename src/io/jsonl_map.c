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

const char *jl_map_file(int fd, size_t len)
{
    install_handler();
    int slot = -1;
    for (int i = 0; i < MAX_MAPPINGS && slot < 0; i++) {
        uintptr_t free_slot = 0;
        /* (a slot claimed with a base of 1 until the address is known) */
        if (atomic_compare_exchange_strong(&mappings[i].base, &free_slot, (uintptr_t)1))
            slot = i;
    }
    if (slot < 0)
        return NULL; /* too many at once: read the file instead */
    void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        atomic_store(&mappings[slot].base, 0);
        return NULL;
    }
    atomic_store(&mappings[slot].len, len);
    atomic_store(&mappings[slot].base, (uintptr_t)m);
    return m;
}

void jl_unmap_file(const char *map, size_t len)
{
    for (int i = 0; i < MAX_MAPPINGS; i++)
        if (atomic_load(&mappings[i].base) == (uintptr_t)map) {
            atomic_store(&mappings[i].len, 0); /* (a claimed slot matches no address until mapped) */
            atomic_store(&mappings[i].base, 0);
            break;
        }
    munmap((void *)map, len);
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
