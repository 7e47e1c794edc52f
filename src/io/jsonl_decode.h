/*
 * jsonl_decode.h -- what a data file is, told by its first bytes (magic
 * numbers, not names), and streaming decompression of the compressed forms
 * aiq reads: zstd and gzip (logrotate's default). Used by the whole-file
 * reader (jsonl.c) and the streaming one (jsonl_stream.c); not a public
 * interface.
 */
#ifndef AIQ_IO_JSONL_DECODE_H
#define AIQ_IO_JSONL_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "aiq/aiq.h"
#include "util/strbuf.h"

typedef enum JlCodec { JL_PLAIN, JL_ZSTD, JL_GZIP } JlCodec;

/* Bytes of a file's start enough to tell every format below, and the
 * decoded bytes kept to say what a file that is not logs looks like. */
enum { JL_MAGIC_BYTES = 16, JL_HEAD_BYTES = 256 };

/* The codec of a file starting with head[0..n) (plain when no magic number
 * matches). */
JlCodec jl_codec_of(const unsigned char *head, size_t n);
/* The name of a format aiq cannot read that head[0..n) starts with
 * ("a bzip2-compressed file", "a Parquet file", ...), or NULL. */
const char *jl_unreadable_format(const unsigned char *head, size_t n);

/* Whether a file starting with head[0..n) can be read: false with the
 * error (AIQ_ERR_IO) naming a format aiq does not read (bzip2, Parquet...). */
bool jl_check_format(const unsigned char *head, size_t n, const char *path, AiqError *err);

/* Reads the whole file at path ("-": stdin) into out (initialized),
 * decompressed when its magic number says zstd or gzip; false with err
 * (AIQ_ERR_IO) when it cannot be read or decoded. (jsonl.c) */
bool aiq_read_decoded(const char *path, AiqStrBuf *out, AiqError *err);

/* A decoder's input: bytes src[pos..size). */
typedef struct JlInput {
    const void *src;
    size_t size, pos;
} JlInput;

typedef struct JlDecoder JlDecoder;
/* A decoder for codec (not JL_PLAIN); never fails (allocation aborts). */
JlDecoder *jl_decoder_new(JlCodec codec);
void jl_decoder_free(JlDecoder *d);
/* Decodes from in into out[0..cap), setting *produced; consumes what it
 * can. Corrupt data is an AIQ_ERR_IO naming path (and the byte where it was
 * found). Concatenated frames (zstd) and members (gzip) follow on. */
bool jl_decode(JlDecoder *d, JlInput *in, char *out, size_t cap, size_t *produced, const char *path,
               AiqError *err);
/* Whether the data decoded so far ended exactly at the end of a frame or
 * member: at the end of the input, anything else is a truncated file. */
bool jl_decoder_at_end(const JlDecoder *d);
/* The error of a file that ends inside a frame or member. */
bool jl_truncated_error(const JlDecoder *d, const char *path, AiqError *err);
/* "zstd" or "gzip". */
const char *jl_codec_name(JlCodec codec);

/* The error for a file in which no line is a JSON object (exit 2): says
 * what the file looks like from its first (decoded) bytes head[0..n), and
 * the codec it came through. */
bool jl_not_logs_error(AiqError *err, const char *path, const char *head, size_t n, JlCodec codec,
                       const char *first_reason);

#endif
