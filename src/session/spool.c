/*
 * spool.c -- stdin and pipes of tables without a declared schema: copied
 * as they arrive to an unlinked temporary file, which is then read like
 * any file (a first pass for the types, then the query, both streaming).
 *
 * Why: a pipe can be read once, and types come from every row, so the rows
 * used to be held whole in memory until the types were known: 300 MB on
 * stdin reached 1.7 GB. The copy costs a write to the page cache (or the
 * disk) and keeps memory bounded, as sort(1) does with its temporary
 * files. The file has no name (O_TMPFILE, or unlinked at once): nothing is
 * left behind however the process ends; it is read through
 * /proc/self/fd/N, and messages still name stdin or the pipe's path.
 */
#include "session/session_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/interrupt.h"
#include "util/mem.h"

#define COPY_BLOCK (1 << 20)

/* An unnamed file for writing and reading in dir, or -1 (errno). */
static int unnamed_file(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
#endif
    size_t n = strlen(dir) + 32;
    char *name = aiq_xmalloc(n);
    snprintf(name, n, "%s/aiq-spool-XXXXXX", dir);
    int fd2 = mkstemp(name);
    if (fd2 >= 0)
        unlink(name);
    aiq_xfree(name);
    return fd2;
}

/* Copies from to into; false with err (the input's name is shown). */
static bool copy_all(int from, int to, const char *shown, const char *dir, AiqError *err)
{
    char *buf = aiq_xmalloc(COPY_BLOCK);
    bool ok = true;
    for (;;) {
        if (aiq_interrupt_pending()) {
            ok = aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "%s: reading cancelled", shown);
            break;
        }
        ssize_t r = read(from, buf, COPY_BLOCK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            ok = aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", shown, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        for (ssize_t done = 0; done < r;) {
            ssize_t w = write(to, buf + done, (size_t)(r - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                ok = aiq_error_set(err, AIQ_ERR_IO, -1, 1,
                                   "%s: cannot copy it to a temporary file in %s to read it twice (%s); "
                                   "declare the table's schema (--schema) to read it once, or set TMPDIR",
                                   shown, dir, w < 0 ? strerror(errno) : "nothing written");
                break;
            }
            done += w;
        }
        if (!ok)
            break;
    }
    aiq_xfree(buf);
    return ok;
}

bool aiq_session_spool(AiqSession *s, AiqCatalogTable *t, AiqError *err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    for (int i = 0; i < t->npaths; i++) {
        bool is_stdin = strcmp(t->paths[i], "-") == 0;
        struct stat st;
        if (!is_stdin && (stat(t->paths[i], &st) != 0 || S_ISREG(st.st_mode)))
            continue; /* (a file, or one the reader will say is missing) */
        int to = unnamed_file(dir);
        if (to < 0) /* no temporary file: the rows are held in memory, as before */
            return true;
        int from = is_stdin ? STDIN_FILENO : open(t->paths[i], O_RDONLY);
        const char *shown = is_stdin ? "stdin" : t->paths[i];
        if (from < 0) {
            close(to);
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", shown, strerror(errno));
        }
        bool ok = copy_all(from, to, shown, dir, err);
        if (!is_stdin)
            close(from);
        if (!ok) {
            close(to);
            return false;
        }
        if (!t->bound_paths) { /* (the paths as bound, for messages) */
            t->bound_paths = aiq_arena_alloc(&s->catalog.arena, sizeof *t->bound_paths * (size_t)(t->npaths + 1));
            memcpy(t->bound_paths, t->paths, sizeof *t->bound_paths * (size_t)t->npaths);
        }
        t->paths[i] = aiq_arena_printf(&s->catalog.arena, "/proc/self/fd/%d", to);
        s->spools = aiq_grow_array(s->spools, s->nspools, &s->capspools, sizeof *s->spools);
        s->spools[s->nspools++] = to;
    }
    return true;
}

void aiq_session_spools_close(AiqSession *s)
{
    for (int i = 0; i < s->nspools; i++)
        close(s->spools[i]);
    aiq_xfree(s->spools);
    s->spools = NULL;
    s->nspools = s->capspools = 0;
}
