/*
 * scan.c -- what a reader is asked to do besides reading (see scan.h).
 */
#include "core/scan.h"

#include <string.h>

bool aiq_top_hint_keeps(const AiqTopHint *h, double xf, int64_t xi)
{
    if (!atomic_load_explicit(&h->set, memory_order_acquire))
        return true;
    int64_t bits = atomic_load_explicit(&h->bits, memory_order_relaxed);
    int c;
    if (h->type == AIQ_TYPE_REAL) {
        double t;
        memcpy(&t, &bits, sizeof t);
        c = (xf > t) - (xf < t);
    } else {
        c = (xi > bits) - (xi < bits);
    }
    return h->desc ? c > 0 : c < 0;
}
