/*
 * interrupt.c -- the cancel flag (see interrupt.h).
 *
 * The flag is set by a signal handler on the main thread and read by the
 * thread that runs the query (exec runs on a thread of its own with a deep
 * stack), so it is a lock-free atomic: safe in a handler and free of data
 * races between threads. Relaxed order is enough: nothing else is published
 * through it.
 */
#include "util/interrupt.h"

#include <stdatomic.h>

#if ATOMIC_INT_LOCK_FREE != 2
#error "the cancel flag must be a lock-free atomic to be set from a signal handler"
#endif

static atomic_int requested;

void aiq_interrupt_request(void) { atomic_store_explicit(&requested, 1, memory_order_relaxed); }
void aiq_interrupt_clear(void) { atomic_store_explicit(&requested, 0, memory_order_relaxed); }
bool aiq_interrupt_pending(void) { return atomic_load_explicit(&requested, memory_order_relaxed) != 0; }
