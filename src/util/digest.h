/*
 * digest.h -- the hash algorithms KQL's hash functions name: MD5 (RFC
 * 1321), SHA-1 (FIPS 180-4), SHA-256 (FIPS 180-4) and xxHash64 (Yann
 * Collet's specification). Small, self-contained implementations written
 * from the specifications; none is used for security, only to give the
 * values Kusto gives (hash_md5(), hash_sha1(), hash_sha256(), hash()).
 */
#ifndef AIQ_UTIL_DIGEST_H
#define AIQ_UTIL_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* Each writes the digest of p[0..n) to out (16, 20 and 32 bytes). */
void aiq_md5(const void *p, size_t n, unsigned char out[16]);
void aiq_sha1(const void *p, size_t n, unsigned char out[20]);
void aiq_sha256(const void *p, size_t n, unsigned char out[32]);
/* XXH64 of p[0..n) with the given seed. */
uint64_t aiq_xxh64(const void *p, size_t n, uint64_t seed);

#endif
