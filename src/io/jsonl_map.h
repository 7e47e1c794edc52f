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
/* Whether this thread has read past the end of a mapped file (that shrank
 * under it) since the last call; clears the mark. Such a read does not
 * end the process: it sees zero bytes, and the reader that calls this
 * after reading mapped bytes throws away what it made of them. */
bool jl_map_faulted(void);
/* The error of a file that shrank while it was read (AIQ_ERR_IO). */
bool jl_map_shrank_error(AiqError *err, const char *path);

#endif
