/*
 * interrupt.c -- the cancel flag (see interrupt.h).
 */
#include "util/interrupt.h"

#include <signal.h>

static volatile sig_atomic_t requested;

void aiq_interrupt_request(void) { requested = 1; }
void aiq_interrupt_clear(void) { requested = 0; }
bool aiq_interrupt_pending(void) { return requested != 0; }
