/*
 * jsonl_source.h -- the bytes of one open file (or range of one) as the
 * streaming reader takes them: read block by block, decoded when the file
 * is compressed, and cut into pieces of whole lines (jsonl_stream.c cuts
 * its chunks with it; a worker reading a compressed file whole cuts its
 * own the same way, so the pieces, and the batches, are the same).
 */
#ifndef AIQ_IO_JSONL_SOURCE_H
#define AIQ_IO_JSONL_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "io/jsonl.h"
#include "io/jsonl_decode.h"
#include "util/strbuf.h"

enum { JL_SOURCE_BLOCK = 1 << 20 }; /* bytes read at a time (AiqReadOptions.block_size at most) */

typedef struct JlSource {
    int fd;             /* -1: no file open */
    const char *path;   /* as messages name it */
    JlCodec codec;      /* its compression */
    JlDecoder *dec;     /* non-NULL for a compressed file */
    JlInput zin;        /* compressed bytes of the current block not yet decoded */
    char *block;        /* JL_SOURCE_BLOCK bytes */
    int64_t range_start; /* the range's first byte in the file */
    int64_t left;       /* bytes of it still to read (-1: to the file's end) */
    int64_t raw;        /* bytes read of it from the file so far */
    AiqStrBuf pending;  /* bytes read; those from ppos on are not yet cut */
    size_t ppos;
    size_t searched;    /* bytes from ppos on known to hold no line end past a piece's size */
    bool eof;           /* the file has no more bytes */
} JlSource;

/* A piece of whole lines cut from a source (jl_source_cut). */
typedef struct JlCut {
    AiqStrBuf text;     /* the lines, from text_off on (the caller's buffer, which may be swapped) */
    size_t text_off;
    bool last;          /* they are the file's last */
    int64_t unfinished; /* last: bytes of a line being written, left for the next read */
    int64_t used;       /* last: the byte after the last whole line */
} JlCut;

/* A source with no file open, and its block and buffer. */
void jl_source_init(JlSource *src);
/* Closes the file, frees the decoder and forgets the bytes not cut. */
void jl_source_close(JlSource *src);
/* jl_source_close, and frees the block and the buffer. */
void jl_source_free(JlSource *src);
/* Reads the first bytes of the file into src->block: JL_MAGIC_BYTES, or
 * fewer at its end (a pipe may give them a few at a time). Returns the
 * count, or -1 with err. */
ssize_t jl_source_read_head(JlSource *src, AiqError *err);
/* Decodes from src->zin onto dst until about 256 KB came out or the block
 * is used up: a highly compressed block must not balloon in memory. */
bool jl_source_decode(JlSource *src, AiqStrBuf *dst, AiqError *err);
/* Reads (or decodes) more of the file onto dst; sets eof at its end. */
bool jl_source_fill(JlSource *src, const AiqReadOptions *opts, AiqStrBuf *dst, AiqError *err);
/* Cuts the next whole lines of src, about want bytes (a line longer runs
 * on), into out: the bytes read but not yet cut start it, and more are
 * read until they hold a line end past want bytes. */
bool jl_source_cut(JlSource *src, const AiqReadOptions *opts, size_t want, JlCut *out, AiqError *err);

#endif
