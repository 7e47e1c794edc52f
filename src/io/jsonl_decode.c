/*
 * jsonl_decode.c -- magic numbers and the zstd/gzip decoders (see
 * jsonl_decode.h). A file is what its first bytes say, whatever its name:
 * rotated logs are often app.log.2.gz, and a .jsonl may hold anything.
 */
#include "io/jsonl_decode.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "util/mem.h"

static bool starts_with(const unsigned char *head, size_t n, const char *magic, size_t len)
{
    return n >= len && memcmp(head, magic, len) == 0;
}

JlCodec jl_codec_of(const unsigned char *head, size_t n)
{
    if (starts_with(head, n, "\x28\xB5\x2F\xFD", 4))
        return JL_ZSTD;
    if (starts_with(head, n, "\x1F\x8B", 2))
        return JL_GZIP;
    return JL_PLAIN;
}

const char *jl_unreadable_format(const unsigned char *head, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *what;
    } formats[] = {
        {"BZh", 3, "a bzip2-compressed file"},
        {"\xFD\x37\x7A\x58\x5A\x00", 6, "an xz-compressed file"}, /* (FD "7zXZ" 00) */
        {"\x04\x22\x4D\x18", 4, "an lz4-compressed file"},
        {"\xFF\x06\x00\x00sNaPpY", 10, "a snappy-compressed file"},
        {"PAR1", 4, "a Parquet file"},
        {"ORC", 3, "an ORC file"},
        {"Obj\x01", 4, "an Avro file"},
        {"PK\x03\x04", 4, "a zip archive"},
        {"7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive"},
        {"SQLite format 3", 16, "an SQLite database"},
        {"\x7F\x45\x4C\x46", 4, "an executable (ELF)"}, /* (7F "ELF") */
        {"%PDF", 4, "a PDF document"},
        {"\x89PNG", 4, "a PNG image"},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (starts_with(head, n, formats[i].magic, formats[i].len))
            return formats[i].what;
    return NULL;
}

bool jl_check_format(const unsigned char *head, size_t n, const char *path, AiqError *err)
{
    const char *what = jl_unreadable_format(head, n);
    if (what)
        return aiq_error_set(
            err, AIQ_ERR_IO, -1, 1,
            "%s: %s, not JSON lines: aiq reads JSON lines, plain or compressed with zstd or gzip",
            path, what);
    return true;
}

const char *jl_codec_name(JlCodec codec)
{
    return codec == JL_ZSTD ? "zstd" : codec == JL_GZIP ? "gzip" : "plain";
}

struct JlDecoder {
    JlCodec codec;
    ZSTD_DStream *zs;
    size_t zret; /* the last ZSTD_decompressStream result: 0 at a frame's end */
    z_stream gz;
    bool gz_end;     /* inflate ended a gzip member */
    size_t consumed; /* compressed bytes consumed so far, for error messages */
};

/* zlib allocates through aiq's allocator, so --max-memory counts it */
static voidpf gz_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return aiq_xcalloc(items, size);
}

static void gz_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    aiq_xfree(p);
}

JlDecoder *jl_decoder_new(JlCodec codec)
{
    JlDecoder *d = aiq_xcalloc(1, sizeof *d);
    d->codec = codec;
    if (codec == JL_ZSTD) {
        d->zs = ZSTD_createDStream();
        ZSTD_initDStream(d->zs);
    } else {
        d->gz.zalloc = gz_alloc;
        d->gz.zfree = gz_free;
        /* 15 + 16: a gzip header, not zlib's; it fails only for want of
         * memory, which aiq_xcalloc has already ended in */
        inflateInit2(&d->gz, 15 + 16);
    }
    return d;
}

void jl_decoder_free(JlDecoder *d)
{
    if (!d)
        return;
    if (d->codec == JL_ZSTD)
        ZSTD_freeDStream(d->zs);
    else
        inflateEnd(&d->gz);
    aiq_xfree(d);
}

static bool decode_zstd(JlDecoder *d, JlInput *in, char *out, size_t cap, size_t *produced,
                        const char *path, AiqError *err)
{
    ZSTD_outBuffer ob = {out, cap, 0};
    ZSTD_inBuffer ib = {in->src, in->size, in->pos};
    d->zret = ZSTD_decompressStream(d->zs, &ob, &ib);
    d->consumed += ib.pos - in->pos;
    in->pos = ib.pos;
    *produced = ob.pos;
    if (ZSTD_isError(d->zret))
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: corrupt zstd data at byte %zu: %s", path,
                             d->consumed, ZSTD_getErrorName(d->zret));
    return true;
}

static bool decode_gzip(JlDecoder *d, JlInput *in, char *out, size_t cap, size_t *produced,
                        const char *path, AiqError *err)
{
    *produced = 0;
    if (d->gz_end && in->pos < in->size) { /* another member follows (cat a.gz b.gz) */
        inflateReset(&d->gz);
        d->gz_end = false;
    }
    if (d->gz_end)
        return true;
    /* (zlib counts in uInt: feed it at most 1 GB at a time) */
    size_t avail = in->size - in->pos;
    d->gz.next_in = (Bytef *)in->src + in->pos;
    d->gz.avail_in = (uInt)(avail < (1u << 30) ? avail : 1u << 30);
    d->gz.next_out = (Bytef *)out;
    d->gz.avail_out = (uInt)(cap < (1u << 30) ? cap : 1u << 30);
    uInt before_in = d->gz.avail_in, before_out = d->gz.avail_out;
    int rc = inflate(&d->gz, Z_NO_FLUSH);
    size_t used = before_in - d->gz.avail_in;
    in->pos += used;
    d->consumed += used;
    *produced = before_out - d->gz.avail_out;
    if (rc == Z_STREAM_END)
        d->gz_end = true;
    else if (rc != Z_OK &&
             rc != Z_BUF_ERROR) /* (Z_BUF_ERROR: no progress possible now, not an error) */
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: corrupt gzip data at byte %zu: %s", path,
                             d->consumed, d->gz.msg ? d->gz.msg : "invalid data");
    return true;
}

bool jl_decode(JlDecoder *d, JlInput *in, char *out, size_t cap, size_t *produced, const char *path,
               AiqError *err)
{
    return d->codec == JL_ZSTD ? decode_zstd(d, in, out, cap, produced, path, err)
                               : decode_gzip(d, in, out, cap, produced, path, err);
}

bool jl_decoder_at_end(const JlDecoder *d)
{
    return d->codec == JL_ZSTD ? d->zret == 0 : d->gz_end;
}

bool jl_truncated_error(const JlDecoder *d, const char *path, AiqError *err)
{
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                         "%s: truncated %s file (the last %s is incomplete)", path,
                         jl_codec_name(d->codec), d->codec == JL_ZSTD ? "frame" : "member");
}

/* Whether head[0..n) holds bytes no text has: NUL, other control bytes
 * than blanks, or invalid UTF-8 (a sequence cut at n is fine). */
static bool looks_binary(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            return true;
        if (c < 0x80)
            continue;
        size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len)
            return true;
        for (size_t k = 1; k < len && i + k < n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return true;
        i += len - 1;
    }
    return false;
}

/* Occurrences of c in s[0..n). */
static int count_char(const char *s, size_t n, char c)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

bool jl_not_logs_error(AiqError *err, const char *path, const char *head, size_t n, JlCodec codec,
                       const char *first_reason)
{
    size_t k = 0;
    while (k < n && (head[k] == ' ' || head[k] == '\t' || head[k] == '\r' || head[k] == '\n'))
        k++;
    const char *line = head + k;
    const char *nl = memchr(line, '\n', n - k);
    size_t len = nl ? (size_t)(nl - line) : n - k;
    if (len && line[len - 1] == '\r')
        len--;
    const char *what;
    if (looks_binary((const unsigned char *)head, n))
        what = "binary data";
    else if (k == n) /* nothing but blanks: line points one past the end */
        what = "blank lines";
    else if (*line == '{' || *line == '[')
        what = "JSON, but not one object per line";
    else if (*line == '<')
        what = "XML or HTML";
    else if (count_char(line, len, ',') >= 2)
        what = "CSV";
    else if (count_char(line, len, '\t') >= 2)
        what = "tab-separated text";
    else
        what = "plain text";
    aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                  "%s: not JSON lines (no line is a JSON object): it looks like %s%s%s", path,
                  codec == JL_PLAIN ? "" : jl_codec_name(codec),
                  codec == JL_PLAIN ? "" : "-compressed ", what);
    /* the first line as an example, cut short on a character boundary */
    size_t shown = len > 40 ? 40 : len;
    while (shown && shown < len && ((unsigned char)line[shown] & 0xC0) == 0x80)
        shown--;
    if (shown && !looks_binary((const unsigned char *)head, n))
        aiq_error_append(err, ", starting \"%.*s%s\"", (int)shown, line, shown < len ? "..." : "");
    if (first_reason && (*line == '{' || *line == '['))
        aiq_error_append(err, " (first malformed line: %s)", first_reason);
    return false;
}
