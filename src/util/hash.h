/*
 * hash.h -- a 64-bit hash of bytes for the hash tables of summarize, join,
 * distinct and the reader's column names.
 */
#ifndef AIQ_UTIL_HASH_H
#define AIQ_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit hash of p[0..n): FNV-1a over 8-byte words with a final avalanche. */
uint64_t aiq_hash_bytes(const void *p, size_t n);

#endif
