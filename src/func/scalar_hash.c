/*
 * scalar_hash.c -- hash(), hash_xxhash64(), hash_md5(), hash_sha1(),
 * hash_sha256() over any scalar (util/digest.c computes them). What bytes
 * a value hashes as is worked out from the examples of Kusto's pages:
 * hash("World") is the xxHash64 of its UTF-8 bytes and
 * hash(datetime(2015-01-01)) that of the ticks as 8 little-endian bytes;
 * hash_sha256(datetime(2020-01-01)) is the SHA-256 of its text
 * "2020-01-01T00:00:00.0000000Z", tostring()'s.
 */
#include "core/json_text.h"
#include "func/kernel.h"
#include "util/digest.h"
#include "util/mem.h"

/* The xxHash64 of row i of v over the bytes hash() reads: a string's UTF-8
 * bytes; a number, bool, datetime or timespan as its 8 little-endian bytes
 * (a real as its IEEE 754 bits); a dynamic value as its JSON text (a
 * string unquoted). hll() hashes values the same way. */
uint64_t aiq_hash_value(const AiqVector *v, uint32_t i)
{
    uint64_t x;
    switch (v->type) {
    case AIQ_TYPE_STRING: {
        AiqStr s = STR(v, i);
        return aiq_xxh64(s.ptr, s.len, 0);
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *d = DYN(v, i);
        if (json_is_string(d))
            return aiq_xxh64(json_string_value(d), json_string_length(d), 0);
        char *text = aiq_dyn_dumps(d, 0);
        uint64_t h = aiq_xxh64(text ? text : "", text ? strlen(text) : 0, 0);
        aiq_xfree(text);
        return h;
    }
    case AIQ_TYPE_REAL: {
        double d = F64(v, i);
        memcpy(&x, &d, sizeof x);
        break;
    }
    default: x = (uint64_t)I64(v, i); break;
    }
    unsigned char buf[8];
    for (int k = 0; k < 8; k++)
        buf[k] = (unsigned char)(x >> (8 * k));
    return aiq_xxh64(buf, 8, 0);
}

/* hash(source [, mod]) and hash_xxhash64(source [, mod]): the xxHash64 of
 * the value (seed 0) as a long; with mod, the unsigned hash modulo mod
 * (hash("World", 100) is 51), null for a mod below 1. */
KERNEL(k_hash)
{
    FOR_ROWS(i) {
        uint64_t h = aiq_hash_value(a[0], i);
        if (e->nargs < 2) {
            out->data.i64[i] = (int64_t)h;
            continue;
        }
        int64_t mod = I64(a[1], i);
        if (mod < 1)
            SETNULL(ctx, out, i);
        else
            out->data.i64[i] = (int64_t)(h % (uint64_t)mod);
    }
}

/* hash_md5, hash_sha1, hash_sha256: the digest of the value's text, in
 * lower-case hex. */
KERNEL(k_hash_digest)
{
    AiqFuncId id = e->fn->id;
    size_t len = id == AIQ_FN_HASH_MD5 ? 16 : id == AIQ_FN_HASH_SHA1 ? 20 : 32;
    static const char digits[] = "0123456789abcdef";
    FOR_ROWS(i) {
        AiqStr t = aiq_conv_string(ctx, a[0], i);
        unsigned char d[32];
        if (id == AIQ_FN_HASH_MD5)
            aiq_md5(t.ptr, t.len, d);
        else if (id == AIQ_FN_HASH_SHA1)
            aiq_sha1(t.ptr, t.len, d);
        else
            aiq_sha256(t.ptr, t.len, d);
        char hex[64];
        for (size_t k = 0; k < len; k++) {
            hex[2 * k] = digits[d[k] >> 4];
            hex[2 * k + 1] = digits[d[k] & 15];
        }
        out->data.str[i] = aiq_eval_str(ctx, hex, 2 * len);
    }
}
