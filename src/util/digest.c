/*
 * digest.c -- MD5, SHA-1, SHA-256 and xxHash64 (see digest.h), each a
 * block function over 64-byte blocks (32 for xxHash64's stripes) and a
 * final padded block, written from the specifications.
 */
#include "util/digest.h"

#include <string.h>

static inline uint32_t rol32(uint32_t x, int r) { return x << r | x >> (32 - r); }
static inline uint32_t ror32(uint32_t x, int r) { return x >> r | x << (32 - r); }
static inline uint64_t rol64(uint64_t x, int r) { return x << r | x >> (64 - r); }

static inline uint32_t load_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline uint64_t load_le64(const unsigned char *p) { return (uint64_t)load_le32(p) | (uint64_t)load_le32(p + 4) << 32; }

/* The message's last blocks, padded as MD5 and SHA pad: a 1 bit, zeros,
 * then the length in bits (little-endian for MD5, big-endian for SHA) in
 * the last 8 bytes. Returns how many blocks (1 or 2) tail holds. */
static int pad_tail(const unsigned char *p, size_t n, unsigned char tail[128], int little_endian)
{
    size_t rest = n % 64;
    memset(tail, 0, 128);
    memcpy(tail, p + n - rest, rest);
    tail[rest] = 0x80;
    int nblocks = rest < 56 ? 1 : 2;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++)
        tail[nblocks * 64 - 8 + k] = (unsigned char)(little_endian ? bits >> (8 * k) : bits >> (56 - 8 * k));
    return nblocks;
}

/* ---- MD5 (RFC 1321) ------------------------------------------------------------- */

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const int md5_r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9,  14, 20, 5, 9,
                              14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                              4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_block(uint32_t h[4], const unsigned char *blk)
{
    uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3];
    for (int k = 0; k < 16; k++)
        m[k] = load_le32(blk + 4 * k);
    for (int k = 0; k < 64; k++) {
        uint32_t f;
        int g;
        if (k < 16) {
            f = (b & c) | (~b & d);
            g = k;
        } else if (k < 32) {
            f = (d & b) | (~d & c);
            g = (5 * k + 1) % 16;
        } else if (k < 48) {
            f = b ^ c ^ d;
            g = (3 * k + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * k) % 16;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rol32(a + f + md5_k[k] + m[g], md5_r[k]);
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void aiq_md5(const void *data, size_t n, unsigned char out[16])
{
    const unsigned char *p = data;
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    for (size_t k = 0; k + 64 <= n; k += 64)
        md5_block(h, p + k);
    unsigned char tail[128];
    int nb = pad_tail(p, n, tail, 1);
    for (int b = 0; b < nb; b++)
        md5_block(h, tail + 64 * b);
    for (int k = 0; k < 16; k++)
        out[k] = (unsigned char)(h[k / 4] >> (8 * (k % 4)));
}

/* ---- SHA-1 (FIPS 180-4) ----------------------------------------------------------- */

static void sha1_block(uint32_t h[5], const unsigned char *blk)
{
    uint32_t w[80];
    for (int k = 0; k < 16; k++)
        w[k] = load_be32(blk + 4 * k);
    for (int k = 16; k < 80; k++)
        w[k] = rol32(w[k - 3] ^ w[k - 8] ^ w[k - 14] ^ w[k - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int k = 0; k < 80; k++) {
        uint32_t f, kk;
        if (k < 20) {
            f = (b & c) | (~b & d);
            kk = 0x5a827999;
        } else if (k < 40) {
            f = b ^ c ^ d;
            kk = 0x6ed9eba1;
        } else if (k < 60) {
            f = (b & c) | (b & d) | (c & d);
            kk = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            kk = 0xca62c1d6;
        }
        uint32_t t = rol32(a, 5) + f + e + kk + w[k];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void aiq_sha1(const void *data, size_t n, unsigned char out[20])
{
    const unsigned char *p = data;
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    for (size_t k = 0; k + 64 <= n; k += 64)
        sha1_block(h, p + k);
    unsigned char tail[128];
    int nb = pad_tail(p, n, tail, 0);
    for (int b = 0; b < nb; b++)
        sha1_block(h, tail + 64 * b);
    for (int k = 0; k < 20; k++)
        out[k] = (unsigned char)(h[k / 4] >> (24 - 8 * (k % 4)));
}

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------------------- */

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(uint32_t h[8], const unsigned char *blk)
{
    uint32_t w[64];
    for (int k = 0; k < 16; k++)
        w[k] = load_be32(blk + 4 * k);
    for (int k = 16; k < 64; k++) {
        uint32_t s0 = ror32(w[k - 15], 7) ^ ror32(w[k - 15], 18) ^ (w[k - 15] >> 3);
        uint32_t s1 = ror32(w[k - 2], 17) ^ ror32(w[k - 2], 19) ^ (w[k - 2] >> 10);
        w[k] = w[k - 16] + s0 + w[k - 7] + s1;
    }
    uint32_t v[8];
    memcpy(v, h, sizeof v);
    for (int k = 0; k < 64; k++) {
        uint32_t s1 = ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + s1 + ch + sha256_k[k] + w[k];
        uint32_t s0 = ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(v + 1, v, sizeof v[0] * 7);
        v[4] += t1;
        v[0] = t1 + s0 + maj;
    }
    for (int k = 0; k < 8; k++)
        h[k] += v[k];
}

void aiq_sha256(const void *data, size_t n, unsigned char out[32])
{
    const unsigned char *p = data;
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (size_t k = 0; k + 64 <= n; k += 64)
        sha256_block(h, p + k);
    unsigned char tail[128];
    int nb = pad_tail(p, n, tail, 0);
    for (int b = 0; b < nb; b++)
        sha256_block(h, tail + 64 * b);
    for (int k = 0; k < 32; k++)
        out[k] = (unsigned char)(h[k / 4] >> (24 - 8 * (k % 4)));
}

/* ---- xxHash64 ------------------------------------------------------------------- */

#define XXH_P1 0x9E3779B185EBCA87ULL
#define XXH_P2 0xC2B2AE3D27D4EB4FULL
#define XXH_P3 0x165667B19E3779F9ULL
#define XXH_P4 0x85EBCA77C2B2AE63ULL
#define XXH_P5 0x27D4EB2F165667C5ULL

static inline uint64_t xxh_round(uint64_t acc, uint64_t in)
{
    acc += in * XXH_P2;
    return rol64(acc, 31) * XXH_P1;
}

static inline uint64_t xxh_merge(uint64_t acc, uint64_t v)
{
    acc ^= xxh_round(0, v);
    return acc * XXH_P1 + XXH_P4;
}

uint64_t aiq_xxh64(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data, *end = p + n;
    uint64_t h;
    if (n >= 32) {
        uint64_t v1 = seed + XXH_P1 + XXH_P2, v2 = seed + XXH_P2, v3 = seed, v4 = seed - XXH_P1;
        for (; p + 32 <= end; p += 32) {
            v1 = xxh_round(v1, load_le64(p));
            v2 = xxh_round(v2, load_le64(p + 8));
            v3 = xxh_round(v3, load_le64(p + 16));
            v4 = xxh_round(v4, load_le64(p + 24));
        }
        h = rol64(v1, 1) + rol64(v2, 7) + rol64(v3, 12) + rol64(v4, 18);
        h = xxh_merge(h, v1);
        h = xxh_merge(h, v2);
        h = xxh_merge(h, v3);
        h = xxh_merge(h, v4);
    } else {
        h = seed + XXH_P5;
    }
    h += (uint64_t)n;
    for (; p + 8 <= end; p += 8)
        h = rol64(h ^ xxh_round(0, load_le64(p)), 27) * XXH_P1 + XXH_P4;
    if (p + 4 <= end) {
        h = rol64(h ^ (uint64_t)load_le32(p) * XXH_P1, 23) * XXH_P2 + XXH_P3;
        p += 4;
    }
    for (; p < end; p++)
        h = rol64(h ^ (uint64_t)*p * XXH_P5, 11) * XXH_P1;
    h ^= h >> 33;
    h *= XXH_P2;
    h ^= h >> 29;
    h *= XXH_P3;
    h ^= h >> 32;
    return h;
}
