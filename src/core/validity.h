/*
 * validity.h -- validity bitmaps a 64-row word at a time (STYLE.md §5):
 * bit i set = row i is not null, a NULL bitmap = no nulls. Loops over rows
 * use AIQ_FOR_ROWS_IN: for each word, all rows valid runs a tight loop, no
 * row valid skips the word, a mixed word visits its set bits; the ragged
 * last word is masked.
 */
#ifndef AIQ_CORE_VALIDITY_H
#define AIQ_CORE_VALIDITY_H

#include <stdbool.h>
#include <stdint.h>

#define AIQ_WORD_ALL (~(uint64_t)0)

/* The bits of the word of rows base .. base+63 that are rows below n. */
static inline uint64_t aiq_word_in_range(uint32_t base, uint32_t n)
{
    return n - base >= 64 ? AIQ_WORD_ALL : ((uint64_t)1 << (n - base)) - 1;
}

static inline bool aiq_bit(const uint64_t *bits, int64_t i) { return bits[i >> 6] >> (i & 63) & 1; }
static inline void aiq_bit_set(uint64_t *bits, int64_t i) { bits[i >> 6] |= (uint64_t)1 << (i & 63); }
static inline void aiq_bit_clear(uint64_t *bits, int64_t i) { bits[i >> 6] &= ~((uint64_t)1 << (i & 63)); }

/* Runs body with i set to each row below n whose bit in mask is set (mask:
 * a bitmap of rows 0..n-1, or NULL for all of them), in order. */
#define AIQ_FOR_ROWS_IN(mask, n, i, body)                                                      \
    do {                                                                                       \
        const uint64_t *mask_ = (mask);                                                        \
        uint32_t n_ = (n);                                                                     \
        for (uint32_t base_ = 0; base_ < n_; base_ += 64) {                                    \
            uint64_t w_ = (mask_ ? mask_[base_ >> 6] : AIQ_WORD_ALL) & aiq_word_in_range(base_, n_); \
            if (w_ == AIQ_WORD_ALL) {                                                          \
                for (uint32_t i = base_; i < base_ + 64; i++) {                                \
                    body;                                                                      \
                }                                                                              \
            } else {                                                                           \
                for (; w_; w_ &= w_ - 1) {                                                     \
                    uint32_t i = base_ + (uint32_t)__builtin_ctzll(w_);                        \
                    body;                                                                      \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    } while (0)

/* Writes bits 0..n-1 of src (NULL: all set) at bits dst_off .. dst_off+n-1
 * of dst, whose words must cover them; the other bits of dst stay. */
static inline void aiq_bits_copy(uint64_t *dst, int64_t dst_off, const uint64_t *src, uint32_t n)
{
    for (uint32_t k = 0; k < n; k += 64) {
        uint32_t m = n - k < 64 ? n - k : 64;
        uint64_t keep = m == 64 ? AIQ_WORD_ALL : ((uint64_t)1 << m) - 1;
        uint64_t w = (src ? src[k >> 6] : AIQ_WORD_ALL) & keep;
        int64_t p = dst_off + k;
        unsigned sh = (unsigned)(p & 63);
        uint64_t *q = &dst[p >> 6];
        q[0] = (q[0] & ~(keep << sh)) | (w << sh);
        if (sh && sh + m > 64)
            q[1] = (q[1] & ~(keep >> (64 - sh))) | (w >> (64 - sh));
    }
}

/* Whether bits 0..n-1 of bits (NULL: all set) are all set. */
static inline bool aiq_bits_all(const uint64_t *bits, uint32_t n)
{
    if (!bits)
        return true;
    for (uint32_t base = 0; base < n; base += 64) {
        uint64_t in = aiq_word_in_range(base, n);
        if ((bits[base >> 6] & in) != in)
            return false;
    }
    return true;
}

#endif
