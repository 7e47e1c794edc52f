/*
 * atomic_file.h -- writing a file so that a reader sees either the old
 * contents or the whole new ones, never half of them: the bytes go to a
 * temporary file in the same directory (a rename within one file system
 * is atomic), which is flushed to disk and renamed over the target once
 * complete. On any failure the temporary file is removed and the target
 * is left as it was. Used by --output and --chart.
 *
 * The new file gets the mode a file made by `>` would get: 0666 less the
 * umask, or the mode of the file it replaces. A target that is a symbolic
 * link is followed: the file it points to is replaced, the link stays.
 */
#ifndef AIQ_UTIL_ATOMIC_FILE_H
#define AIQ_UTIL_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "aiq/aiq.h"

/* A file being written (aiq_atomic_open .. aiq_atomic_commit or abort). */
typedef struct AiqAtomicFile {
    FILE *out;       /* where to write: the temporary file */
    char *target;    /* the file to replace (a link's target, resolved) */
    char *temp;      /* the temporary file's path */
} AiqAtomicFile;

/* Starts writing path: creates the temporary file beside it and returns
 * its stream (also af->out). NULL with err (AIQ_ERR_IO, naming path and
 * the system's reason) when the directory cannot take a new file. */
FILE *aiq_atomic_open(AiqAtomicFile *af, const char *path, AiqError *err);
/* Flushes, syncs and renames the temporary file over the target, then
 * frees af. false with err (AIQ_ERR_IO) when any step fails, the
 * temporary file removed and the target untouched. */
bool aiq_atomic_commit(AiqAtomicFile *af, AiqError *err);
/* Gives up: removes the temporary file and frees af (the target is left
 * as it was). Safe on an af whose open failed. */
void aiq_atomic_abort(AiqAtomicFile *af);
/* The whole of it at once: writes data[0..len) to path atomically. false
 * with err as above. */
bool aiq_atomic_write(const char *path, const void *data, size_t len, AiqError *err);

#endif
