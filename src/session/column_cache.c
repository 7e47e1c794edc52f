/*
 * column_cache.c -- encoding one column of a reader's batch for the REPL's
 * cache, and showing it to a query again (see column_cache.h).
 *
 * Why these encodings: in the logs users query, most string columns are a
 * few dozen distinct values repeated (a deployment, a result code, a role)
 * and cost 16 bytes a row as AiqStr plus their bytes; a 2-byte code into
 * the column's dictionary is an eighth of that. Ids and URLs do not repeat:
 * a dictionary would only add to them, so after a part or two the column
 * gives up on it and keeps the bytes end to end with a 4-byte offset a row.
 * Numbers are kept as the reader made them, so that a re-query reads them
 * in place; bools, 8 bytes a row in a batch, are bits; dynamic values are
 * their JSON text (a jansson object of five keys costs ~500 bytes, its
 * text ~100), parsed again for a query that reads the column whole.
 */
#include "session/column_cache.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "core/json_text.h"
#include "util/hash.h"
#include "util/mem.h"
#include "util/strbuf.h"

#define DICT_MAX 65535u    /* codes are uint16_t */
#define DICT_TRY_ROWS 8192 /* rows encoded before the dictionary must show it pays */

static size_t words(int64_t n) { return (size_t)((n + 63) / 64); }

/* ---- the dictionary ---------------------------------------------------- */

static void dict_rehash(AiqStrDict *d)
{
    uint32_t n = d->nslots ? d->nslots * 2 : 256;
    aiq_xfree(d->slots);
    d->slots = aiq_xcalloc(n, sizeof *d->slots);
    d->nslots = n;
    for (uint32_t i = 0; i < d->n; i++) {
        uint32_t h = (uint32_t)aiq_hash_bytes(d->strs[i].ptr, d->strs[i].len) & (n - 1);
        while (d->slots[h])
            h = (h + 1) & (n - 1);
        d->slots[h] = i + 1;
    }
}

/* The code of s, added when new; false when the dictionary is full. */
static bool dict_code(AiqStrDict *d, AiqStr s, uint16_t *code, size_t *bytes)
{
    if (!d->nslots)
        dict_rehash(d);
    uint32_t h = (uint32_t)aiq_hash_bytes(s.ptr, s.len) & (d->nslots - 1);
    for (; d->slots[h]; h = (h + 1) & (d->nslots - 1)) {
        const AiqStr *e = &d->strs[d->slots[h] - 1];
        if (e->len == s.len && memcmp(e->ptr, s.ptr, s.len) == 0) {
            *code = (uint16_t)(d->slots[h] - 1);
            return true;
        }
    }
    if (d->n >= DICT_MAX)
        return false;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->strs = aiq_xrealloc(d->strs, sizeof *d->strs * d->cap);
    }
    if (!d->bytes.block_size)
        aiq_arena_init(&d->bytes, 16 * 1024);
    d->strs[d->n] = (AiqStr){aiq_arena_strndup(&d->bytes, s.ptr, s.len), s.len};
    *bytes += sizeof(AiqStr) + s.len + 1;
    d->slots[h] = ++d->n;
    if (d->n * 2 > d->nslots)
        dict_rehash(d);
    *code = (uint16_t)(d->n - 1);
    return true;
}

/* ---- encoding ------------------------------------------------------------ */

static bool encode_dict(AiqCachedColumn *col, const AiqStr *s, int64_t n, AiqColPart *p, size_t *bytes)
{
    AiqStrDict *d = &col->dict;
    uint16_t *codes = aiq_xmalloc(sizeof *codes * (size_t)(n + 1));
    for (int64_t r = 0; r < n; r++)
        if (!dict_code(d, s[r], &codes[r], bytes)) {
            d->given_up = true;
            aiq_xfree(codes);
            return false;
        }
    d->rows += n;
    if (d->rows >= DICT_TRY_ROWS && (int64_t)d->n * 4 > d->rows)
        d->given_up = true; /* most values new: codes would cost more than they save */
    *p = (AiqColPart){.kind = AIQ_PART_DICT, .n = n, .data = codes};
    *bytes += sizeof *codes * (size_t)n;
    return true;
}

static void encode_text(const AiqStr *s, int64_t n, AiqColPart *p, size_t *bytes)
{
    size_t total = 0;
    for (int64_t r = 0; r < n; r++)
        total += s[r].len;
    uint32_t *off = aiq_xmalloc(sizeof *off * (size_t)(n + 1));
    char *b = aiq_xmalloc(total + 1);
    size_t at = 0;
    for (int64_t r = 0; r < n; r++) {
        off[r] = (uint32_t)at;
        memcpy(b + at, s[r].ptr, s[r].len);
        at += s[r].len;
    }
    off[n] = (uint32_t)at;
    *p = (AiqColPart){.kind = AIQ_PART_TEXT, .n = n, .data = off, .bytes = b};
    *bytes += sizeof *off * (size_t)(n + 1) + total + 1;
}

/* Dynamic values as their compact JSON text, end to end (a null: no text,
 * which no JSON value is): a jansson object costs several times its text.
 * false (nothing made) when a value would not read back the same: a real
 * that JSON cannot write (NaN, infinity). */
static bool encode_json(json_t *const *v, int64_t n, AiqColPart *p, size_t *bytes)
{
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    uint32_t *off = aiq_xmalloc(sizeof *off * (size_t)(n + 1));
    bool ok = true;
    for (int64_t r = 0; r < n && ok; r++) {
        off[r] = (uint32_t)sb.len;
        if (!v[r])
            continue;
        char *text = aiq_json_dumps(v[r], 0);
        size_t len = strlen(text);
        if (memchr(text, 'N', len) || memchr(text, 'I', len)) { /* (NaN, Infinity, or only in a string: make sure) */
            json_t *back = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
            ok = back && json_equal(back, v[r]);
            json_decref(back);
        }
        aiq_sb_append(&sb, text, len);
        aiq_xfree(text);
        ok = ok && sb.len < UINT32_MAX;
    }
    if (!ok) {
        aiq_xfree(off);
        aiq_sb_free(&sb);
        return false;
    }
    off[n] = (uint32_t)sb.len;
    *p = (AiqColPart){.kind = AIQ_PART_JSON, .n = n, .data = off, .bytes = sb.data ? sb.data : aiq_xcalloc(1, 1)};
    *bytes += sizeof *off * (size_t)(n + 1) + sb.len;
    return true;
}

AiqColPart aiq_colcache_take(AiqCachedColumn *col, AiqTable *batch, int c, size_t *bytes)
{
    AiqColumnData *cd = &batch->cols[c];
    int64_t n = batch->nrows;
    AiqColPart p = {.kind = AIQ_PART_RAW, .n = n};
    if (cd->type == AIQ_TYPE_STRING) {
        /* a batch of one part under 4 GiB of text: offsets fit 32 bits */
        if (col->dict.given_up || !encode_dict(col, cd->data, n, &p, bytes))
            encode_text(cd->data, n, &p, bytes);
        return p;
    }
    if (cd->shared) { /* (a column the reader left null: copies, the run is not ours) */
        size_t w = aiq_type_width(cd->type);
        p.data = aiq_xcalloc((size_t)n + 1, w);
        if (cd->type != AIQ_TYPE_DYNAMIC)
            p.validity = aiq_xcalloc(words(n) + 1, sizeof *p.validity);
        *bytes += w * (size_t)n + (p.validity ? words(n) * 8 : 0);
        return p;
    }
    if (cd->type == AIQ_TYPE_DYNAMIC && encode_json(cd->data, n, &p, bytes))
        return p; /* (the batch releases its values) */
    if (cd->type == AIQ_TYPE_BOOL) {
        uint64_t *bits = aiq_xcalloc(words(n) + 1, sizeof *bits);
        const int64_t *v = cd->data;
        for (int64_t r = 0; r < n; r++)
            bits[r >> 6] |= (uint64_t)(v[r] != 0) << (r & 63);
        p = (AiqColPart){.kind = AIQ_PART_BITS, .n = n, .data = bits, .validity = cd->validity};
        aiq_xfree(cd->data);
        *bytes += words(n) * 16;
    } else { /* numbers, times and dynamic values: the reader's array, as it is */
        p.data = cd->data;
        p.validity = cd->validity;
        *bytes += aiq_type_width(cd->type) * (size_t)n + (p.validity ? words(n) * 8 : 0);
        if (cd->type == AIQ_TYPE_DYNAMIC)
            for (int64_t r = 0; r < n; r++) /* jansson's object: a few hundred bytes (a guess, for the budget) */
                *bytes += ((json_t **)p.data)[r] && !json_is_string(((json_t **)p.data)[r]) ? 512 : 0;
    }
    cd->data = NULL; /* taken: the batch frees neither */
    cd->validity = NULL;
    cd->shared = true;
    return p;
}

/* ---- showing a part again ----------------------------------------------------- */

static void *scratch_for(void **scratch, size_t *cap, size_t bytes)
{
    if (*cap < bytes) {
        aiq_xfree(*scratch);
        *scratch = aiq_xmalloc(bytes);
        *cap = bytes;
    }
    return *scratch;
}

void aiq_colcache_show(const AiqCachedColumn *col, const AiqColPart *p, AiqTable *frame, int c, void **scratch,
                       size_t *scratch_cap)
{
    int64_t n = p->n;
    switch (p->kind) {
    case AIQ_PART_RAW:
        aiq_table_view_column(frame, c, p->data, p->validity);
        return;
    case AIQ_PART_BITS: {
        int64_t *v = scratch_for(scratch, scratch_cap, sizeof *v * (size_t)(n + 1));
        const uint64_t *bits = p->data;
        for (int64_t r = 0; r < n; r++)
            v[r] = (int64_t)(bits[r >> 6] >> (r & 63) & 1);
        aiq_table_view_column(frame, c, v, p->validity);
        return;
    }
    case AIQ_PART_DICT: {
        AiqStr *s = scratch_for(scratch, scratch_cap, sizeof *s * (size_t)(n + 1));
        const uint16_t *codes = p->data;
        for (int64_t r = 0; r < n; r++)
            s[r] = col->dict.strs[codes[r]];
        aiq_table_view_column(frame, c, s, NULL);
        return;
    }
    case AIQ_PART_JSON: { /* parsed again (released by aiq_colcache_unshow) */
        json_t **v = scratch_for(scratch, scratch_cap, sizeof *v * (size_t)(n + 1));
        const uint32_t *off = p->data;
        for (int64_t r = 0; r < n; r++)
            v[r] = off[r + 1] == off[r] ? NULL : json_loadb(p->bytes + off[r], off[r + 1] - off[r], JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        aiq_table_view_column(frame, c, v, NULL);
        return;
    }
    case AIQ_PART_TEXT: {
        AiqStr *s = scratch_for(scratch, scratch_cap, sizeof *s * (size_t)(n + 1));
        const uint32_t *off = p->data;
        for (int64_t r = 0; r < n; r++)
            s[r] = (AiqStr){p->bytes + off[r], off[r + 1] - off[r]};
        aiq_table_view_column(frame, c, s, NULL);
        return;
    }
    }
}

void aiq_colcache_unshow(const AiqColPart *p, void *scratch)
{
    if (p && p->kind == AIQ_PART_JSON)
        for (int64_t r = 0; r < p->n; r++)
            json_decref(((json_t **)scratch)[r]);
}

/* ---- freeing ------------------------------------------------------------------ */

void aiq_colcache_part_free(AiqType type, AiqColPart *p)
{
    if (p->kind == AIQ_PART_RAW && type == AIQ_TYPE_DYNAMIC)
        for (int64_t r = 0; r < p->n; r++)
            json_decref(((json_t **)p->data)[r]);
    aiq_xfree(p->data);
    aiq_xfree(p->validity);
    aiq_xfree(p->bytes);
    *p = (AiqColPart){0};
}

void aiq_colcache_column_clear(AiqCachedColumn *col, int nparts)
{
    for (int i = 0; col->parts && i < nparts; i++)
        aiq_colcache_part_free(col->type, &col->parts[i]);
    aiq_xfree(col->parts);
    col->parts = NULL;
    aiq_xfree(col->dict.strs);
    aiq_xfree(col->dict.slots);
    if (col->dict.bytes.block_size)
        aiq_arena_free(&col->dict.bytes);
    col->dict = (AiqStrDict){0};
    col->have = false;
    col->bytes = 0;
}
