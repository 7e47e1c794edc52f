/*
 * interrupt.h -- a cancel request shared by every long loop (reader,
 * operators). The REPL's SIGINT handler sets it; loops poll it between
 * chunks and stop the query with an error, keeping the session alive.
 */
#ifndef AIQ_UTIL_INTERRUPT_H
#define AIQ_UTIL_INTERRUPT_H

#include <stdbool.h>

/* Asks the running query to stop (async-signal-safe). */
void aiq_interrupt_request(void);
/* Clears a request before the next query. */
void aiq_interrupt_clear(void);
/* True when a stop was requested. */
bool aiq_interrupt_pending(void);

#endif
