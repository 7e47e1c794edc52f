/*
 * progress.c -- the process-wide counts of input read (see progress.h).
 */
#include "util/progress.h"

#include <stdatomic.h>

static _Atomic int64_t bytes_read, rows_read;

void aiq_progress_add(int64_t bytes, int64_t rows)
{
    if (bytes)
        atomic_fetch_add_explicit(&bytes_read, bytes, memory_order_relaxed);
    if (rows)
        atomic_fetch_add_explicit(&rows_read, rows, memory_order_relaxed);
}

void aiq_progress_totals(int64_t *bytes, int64_t *rows)
{
    *bytes = atomic_load_explicit(&bytes_read, memory_order_relaxed);
    *rows = atomic_load_explicit(&rows_read, memory_order_relaxed);
}
