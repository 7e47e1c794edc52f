/*
 * jsonl_map.h -- mapping a plain data file into memory for the streaming
 * reader (jsonl_stream.c), and surviving the file's shrinking under the
 * mapping: logrotate's copytruncate empties a log in place, and a read of
 * a page past the new end raises SIGBUS. Not a public interface.
 */
#ifndef AIQ_IO_JSONL_MAP_H
#define AIQ_IO_JSONL_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "aiq/aiq.h"

/* Maps len bytes of the file fd read-only, for reading in order. Returns
 * the mapping, or NULL when the file cannot be mapped (then it is read). */
const char *jl_map_file(int fd, size_t len);
/* Unmaps a mapping made by jl_map_file. */
void jl_unmap_file(const char *map, size_t len);
/* Address space reserved for the small files of a stream, mapped one after
 * another into a segment of it while the files of the segments before are
 * parsed and taken. Unmapping a file makes the kernel interrupt every core
 * this process runs on to drop the stale translations (a TLB shootdown);
 * with 1,000 files of 420 KB, one a file cost count -j2 about 13% of its
 * time. A segment's files are given back at once, when the last of them
 * is done with. Used by one thread (the stream's caller). */
enum { JL_REGION_SEGMENT = 4 << 20, JL_REGION_MAX_SEGMENTS = 64 };
typedef struct JlMapRegion {
    char *base;       /* nseg segments (NULL: not reserved yet) */
    int nseg;         /* 0: no region (jl_region_init) */
    int filling;      /* the segment files are mapped into */
    size_t used;      /* bytes of it mapped */
    int live[JL_REGION_MAX_SEGMENTS];   /* files mapped in each not yet done with */
    bool dirty[JL_REGION_MAX_SEGMENTS]; /* the segment holds files to give back */
    bool abandoned;   /* a call on it failed: no more files go in, none is given back whole */
} JlMapRegion;

/* Readies r for files of which up to window bytes are in use at once:
 * segments enough that the one after the filling one has been done with
 * when it is needed, so that files go in it rather than on their own. */
void jl_region_init(JlMapRegion *r, size_t window);
/* Maps len bytes of fd into r as jl_map_file does, and sets *seg for
 * jl_region_unmap. NULL when it does not fit (then map it on its own). */
const char *jl_region_map(JlMapRegion *r, int fd, size_t len, int *seg);
/* Done with a file (len bytes) jl_region_map mapped: its segment goes back
 * when it was the last. */
void jl_region_unmap(JlMapRegion *r, const char *map, size_t len, int seg);
/* Unmaps the whole region (every file in it is done with). */
void jl_region_free(JlMapRegion *r);
/* Whether this thread has read past the end of a mapped file (that shrank
 * under it) since the last call; clears the mark. Such a read does not
 * end the process: it sees zero bytes, and the reader that calls this
 * after reading mapped bytes throws away what it made of them. */
bool jl_map_faulted(void);
/* The error of a file that shrank while it was read (AIQ_ERR_IO). */
bool jl_map_shrank_error(AiqError *err, const char *path);

#endif
