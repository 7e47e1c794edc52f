/*
 * jsonl_source.c -- the bytes of one open file (or range of one) for the
 * streaming reader: read block by block, decoded when compressed (zstd,
 * gzip), and cut into pieces of whole lines (see jsonl_source.h).
 */
#include "io/jsonl_source.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "io/jsonl_rows.h"
#include "util/mem.h"

void jl_source_init(JlSource *src)
{
    *src = (JlSource){.fd = -1, .block = aiq_xmalloc(JL_SOURCE_BLOCK)};
    aiq_sb_init(&src->pending);
}

void jl_source_close(JlSource *src)
{
    if (src->fd > 0)
        close(src->fd);
    src->fd = -1;
    jl_decoder_free(src->dec);
    src->dec = NULL;
    aiq_sb_clear(&src->pending);
    src->ppos = 0;
    src->searched = 0;
}

void jl_source_free(JlSource *src)
{
    jl_source_close(src);
    aiq_xfree(src->block);
    aiq_sb_free(&src->pending);
}

bool jl_source_decode(JlSource *src, AiqStrBuf *dst, AiqError *err)
{
    char out[1 << 16];
    size_t produced = 0, n;
    while (produced < (256u << 10)) {
        if (!jl_decode(src->dec, &src->zin, out, sizeof out, &n, src->path, err))
            return false;
        aiq_sb_append(dst, out, n);
        produced += n;
        if (src->zin.pos == src->zin.size && n < sizeof out)
            break; /* block used up and the decoder has nothing more */
    }
    return true;
}

/* Reads up to want bytes of the open range into to: 0 at its end, -1 on
 * error (errno). */
static ssize_t read_some(JlSource *src, char *to, size_t want)
{
    if (src->left >= 0 && (int64_t)want > src->left)
        want = (size_t)src->left;
    if (want == 0)
        return 0;
    ssize_t r;
    do
        r = read(src->fd, to, want);
    while (r < 0 && errno == EINTR);
    if (r > 0) {
        src->raw += r;
        if (src->left >= 0)
            src->left -= r;
    }
    return r;
}

bool jl_source_fill(JlSource *src, const AiqReadOptions *opts, AiqStrBuf *dst, AiqError *err)
{
    if (src->dec && src->zin.pos < src->zin.size)
        return jl_source_decode(src, dst, err);
    size_t want = opts->block_size ? opts->block_size : JL_SOURCE_BLOCK;
    /* plain text is read straight onto the end of dst */
    char *to = src->dec ? src->block : aiq_sb_reserve(dst, want);
    ssize_t r = read_some(src, to, want);
    if (r < 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", src->path, strerror(errno));
    jl_count_read(opts, 0, r, 0);
    if (r == 0) {
        if (src->dec && !jl_decoder_at_end(src->dec)) {
            /* mid-frame at the end of the input: flush what the decoder
             * holds; no progress means the file was cut */
            size_t before = dst->len;
            src->zin = (JlInput){src->block, 0, 0};
            if (!jl_source_decode(src, dst, err))
                return false;
            if (dst->len > before)
                return true;
            if (!jl_decoder_at_end(src->dec))
                return jl_truncated_error(src->dec, src->path, err);
        }
        src->eof = true;
        return true;
    }
    if (!src->dec) {
        aiq_sb_commit(dst, (size_t)r);
        return true;
    }
    src->zin = (JlInput){src->block, (size_t)r, 0};
    return jl_source_decode(src, dst, err);
}

ssize_t jl_source_read_head(JlSource *src, AiqError *err)
{
    size_t got = 0;
    while (got < JL_MAGIC_BYTES) {
        ssize_t r = read_some(src, src->block + got, JL_MAGIC_BYTES - got);
        if (r < 0) {
            aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", src->path, strerror(errno));
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* (Compacting before each read, so pending never grows beyond a piece and
 * a block.) */
bool jl_source_cut(JlSource *src, const AiqReadOptions *opts, size_t want, JlCut *c, AiqError *err)
{
    size_t cut;
    for (;;) {
        size_t avail = src->pending.len - src->ppos;
        const char *base = src->pending.data ? src->pending.data + src->ppos : "";
        if (src->eof) {
            cut = avail;
            break;
        }
        if (avail >= want) { /* cut at the last line end within want bytes, or the first after */
            /* a line longer than a chunk comes a block at a time: each
             * byte is searched once, not once a block (a 500 MB line) */
            const char *nl = src->searched ? NULL : memrchr(base, '\n', want);
            size_t from = src->searched > want ? src->searched : want;
            if (!nl)
                nl = memchr(base + from, '\n', avail - from);
            if (nl) {
                cut = (size_t)(nl - base) + 1;
                src->searched = 0;
                break;
            }
            src->searched = avail;
        }
        if (src->ppos) {
            memmove(src->pending.data, base, avail);
            src->pending.len = avail;
            src->ppos = 0;
        }
        if (!jl_source_fill(src, opts, &src->pending, err))
            return false;
    }
    /* Only the smaller part is copied, so each byte is copied at most once
     * however the chunk size compares with the read size. */
    size_t tail = src->pending.len - src->ppos - cut;
    aiq_sb_clear(&c->text);
    if (cut >= tail) { /* the chunk takes the buffer; the tail moves to a fresh one */
        AiqStrBuf t = c->text;
        c->text = src->pending;
        src->pending = t;
        c->text_off = src->ppos;
        if (tail)
            aiq_sb_append(&src->pending, c->text.data + src->ppos + cut, tail);
        c->text.len = src->ppos + cut;
        src->ppos = 0;
    } else { /* the chunk is copied out; the tail stays where it is */
        aiq_sb_append(&c->text, src->pending.data + src->ppos, cut);
        c->text_off = 0;
        src->ppos += cut;
    }
    c->last = src->eof && src->pending.len == src->ppos;
    if (c->last) { /* a line being written waits for the next read */
        size_t n = c->text.len - c->text_off; /* (an empty chunk may have no buffer at all) */
        c->unfinished = n ? (int64_t)jl_unfinished_tail(c->text.data + c->text_off, n) : 0;
        c->text.len -= (size_t)c->unfinished;
        c->used = src->range_start + src->raw - c->unfinished; /* (plain files: bytes are offsets) */
    }
    return true;
}
