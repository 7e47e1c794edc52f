/*
 * keymap.c -- key encoding and the byte-key -> dense id map used by
 * summarize, distinct, join, dcount and make_set (see keymap.h).
 */
#include "core/keymap.h"

#include <jansson.h>
#include <string.h>

#include "core/json_text.h"
#include "util/hash.h"
#include "util/mem.h"

void aiq_key_append(AiqStrBuf *key, const AiqVector *v, uint32_t i)
{
    uint32_t j = aiq_vidx(v, i);
    if (aiq_vec_is_null(v, i)) {
        aiq_sb_putc(key, 'N');
        return;
    }
    switch (v->type) {
    case AIQ_TYPE_STRING: {
        AiqStr s = v->data.str[j];
        aiq_sb_putc(key, 'S');
        aiq_sb_append(key, (const char *)&s.len, sizeof s.len);
        aiq_sb_append(key, s.ptr, s.len);
        break;
    }
    case AIQ_TYPE_REAL: {
        double d = v->data.f64[j];
        if (d == 0)
            d = 0; /* -0.0 and 0.0 are one key */
        aiq_sb_putc(key, 'R');
        aiq_sb_append(key, (const char *)&d, sizeof d);
        break;
    }
    case AIQ_TYPE_DYNAMIC: {
        char *s = aiq_dyn_dumps(v->data.dyn[j], JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        uint32_t n = s ? (uint32_t)strlen(s) : 0;
        aiq_sb_putc(key, 'D');
        aiq_sb_append(key, (const char *)&n, sizeof n);
        aiq_sb_append(key, s ? s : "", n);
        aiq_xfree(s);
        break;
    }
    default:
        aiq_sb_putc(key, 'I');
        aiq_sb_append(key, (const char *)&v->data.i64[j], sizeof(int64_t));
        break;
    }
}


void aiq_keymap_init(AiqKeyMap *m)
{
    memset(m, 0, sizeof *m);
    aiq_arena_init(&m->keys, 256 * 1024);
}

void aiq_keymap_free(AiqKeyMap *m)
{
    aiq_xfree(m->hashes);
    aiq_xfree(m->ids);
    aiq_xfree(m->key_ptr);
    aiq_xfree(m->key_len);
    aiq_arena_free(&m->keys);
    memset(m, 0, sizeof *m);
}

static void grow(AiqKeyMap *m)
{
    int64_t cap = m->cap ? m->cap * 2 : 64; /* small maps are the common case (a batch's columns) */
    uint64_t *h = aiq_xmalloc(sizeof *h * (size_t)cap);
    int64_t *ids = aiq_xmalloc(sizeof *ids * (size_t)cap);
    for (int64_t i = 0; i < cap; i++)
        ids[i] = -1;
    for (int64_t i = 0; i < m->cap; i++) {
        if (m->ids[i] < 0)
            continue;
        int64_t s = (int64_t)(m->hashes[i] & (uint64_t)(cap - 1));
        while (ids[s] >= 0)
            s = (s + 1) & (cap - 1);
        ids[s] = m->ids[i];
        h[s] = m->hashes[i];
    }
    aiq_xfree(m->hashes);
    aiq_xfree(m->ids);
    m->hashes = h;
    m->ids = ids;
    m->cap = cap;
}

static int64_t probe(const AiqKeyMap *m, const char *key, uint32_t len, uint64_t h, int64_t *slot)
{
    int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));
    for (;;) {
        int64_t id = m->ids[s];
        if (id < 0) {
            *slot = s;
            return -1;
        }
        if (m->hashes[s] == h && m->key_len[id] == len && memcmp(m->key_ptr[id], key, len) == 0) {
            *slot = s;
            return id;
        }
        s = (s + 1) & (m->cap - 1);
    }
}

/* Whether a map past half full may wait to double, as the doubled arrays
 * would not fit under --max-memory: it works fuller (longer probes); past
 * 7/8 the limit is reached, and the rows its operator has left in the
 * batch fit in the sixteenth it keeps free. */
static bool may_wait(const AiqKeyMap *m)
{
    if (m->cap < 65536 || (m->n + 1) * 16 > m->cap * 15 ||
        aiq_mem_room((size_t)m->cap * 2 * (sizeof *m->hashes + sizeof *m->ids)))
        return false;
    if ((m->n + 1) * 8 > m->cap * 7)
        aiq_mem_reached();
    return true;
}

int64_t aiq_keymap_get(AiqKeyMap *m, const char *key, uint32_t len, bool *added)
{
    if ((m->n + 1) * 2 > m->cap && !may_wait(m))
        grow(m);
    uint64_t h = aiq_hash_bytes(key, len);
    int64_t slot;
    int64_t id = probe(m, key, len, h, &slot);
    *added = id < 0;
    if (id >= 0)
        return id;
    if (m->n == m->key_cap) {
        m->key_cap = m->key_cap ? aiq_mem_grow_cap(m->key_cap, m->n + 1, sizeof *m->key_ptr + sizeof *m->key_len) : 32;
        m->key_ptr = aiq_xrealloc(m->key_ptr, sizeof *m->key_ptr * (size_t)m->key_cap);
        m->key_len = aiq_xrealloc(m->key_len, sizeof *m->key_len * (size_t)m->key_cap);
    }
    char *copy = aiq_arena_alloc(&m->keys, len ? len : 1);
    memcpy(copy, key, len);
    id = m->n++;
    m->key_ptr[id] = copy;
    m->key_len[id] = len;
    m->ids[slot] = id;
    m->hashes[slot] = h;
    return id;
}

int64_t aiq_keymap_find(const AiqKeyMap *m, const char *key, uint32_t len)
{
    if (!m->cap)
        return -1;
    int64_t slot;
    return probe(m, key, len, aiq_hash_bytes(key, len), &slot);
}

