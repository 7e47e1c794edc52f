/*
 * progress.h -- how far the reading of input has got, process-wide: the
 * bytes and rows the readers have read, added as they go (from any
 * thread) and read by whoever shows progress (the session's progress
 * line on a terminal). Counts only grow; a reader of them takes the
 * difference from a start.
 */
#ifndef AIQ_UTIL_PROGRESS_H
#define AIQ_UTIL_PROGRESS_H

#include <stdint.h>

/* Adds bytes (as stored: compressed bytes of a compressed file) and rows
 * read. Safe from any thread, and cheap: readers call it per block. */
void aiq_progress_add(int64_t bytes, int64_t rows);
/* The totals so far. */
void aiq_progress_totals(int64_t *bytes, int64_t *rows);

#endif
