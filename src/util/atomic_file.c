/*
 * atomic_file.c -- replacing a file all at once (see atomic_file.h): a
 * temporary file beside the target, renamed over it when complete.
 */
#include "util/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/mem.h"

static bool fail(AiqError *err, const char *path, int e)
{
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "cannot write %s: %s", path, strerror(e));
}

/* The file a write to path replaces: path itself, or where the symbolic
 * link path points (also when that file does not exist yet). A new string. */
static char *resolve_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return aiq_xstrndup(path, strlen(path));
    char *real = realpath(path, NULL);
    if (real) { /* (realpath's result is malloc's: copy it into ours) */
        char *copy = aiq_xstrndup(real, strlen(real));
        free(real);
        return copy;
    }
    char link[PATH_MAX];
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n <= 0)
        return aiq_xstrndup(path, strlen(path));
    link[n] = '\0';
    const char *slash = strrchr(path, '/');
    if (link[0] == '/' || !slash)
        return aiq_xstrndup(link, (size_t)n);
    /* a relative link is relative to the link's directory */
    size_t dir = (size_t)(slash - path) + 1;
    char *joined = aiq_xmalloc(dir + (size_t)n + 1);
    memcpy(joined, path, dir);
    memcpy(joined + dir, link, (size_t)n + 1);
    return joined;
}

/* Creates a new file named dir/.base.XXXXXX beside target, with mode 0666
 * (less the umask, as for any file a shell redirection creates); its path
 * goes to *temp. Returns the descriptor, or -1 with errno. */
static int create_temp(const char *target, char **temp)
{
    const char *slash = strrchr(target, '/');
    size_t dir = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dir;
    size_t n = dir + strlen(base) + 16;
    *temp = aiq_xmalloc(n);
    uint64_t seed = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    seed ^= (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20);
    for (int attempt = 0; attempt < 100; attempt++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        snprintf(*temp, n, "%.*s.%s.%06x", (int)dir, target, base, (unsigned)(seed >> 40) & 0xFFFFFF);
        int fd = open(*temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

static void release(AiqAtomicFile *af)
{
    aiq_xfree(af->target);
    aiq_xfree(af->temp);
    af->target = af->temp = NULL;
    af->out = NULL;
}

FILE *aiq_atomic_open(AiqAtomicFile *af, const char *path, AiqError *err)
{
    memset(af, 0, sizeof *af);
    af->target = resolve_target(path);
    struct stat st;
    bool exists = stat(af->target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        fail(err, path, EISDIR);
        release(af);
        return NULL;
    }
    int fd = create_temp(af->target, &af->temp);
    if (fd < 0) {
        fail(err, path, errno);
        release(af);
        return NULL;
    }
    /* replacing a file keeps its permissions, as writing into it would */
    if (exists && S_ISREG(st.st_mode))
        (void)fchmod(fd, st.st_mode & 07777);
    af->out = fdopen(fd, "w");
    if (!af->out) {
        int e = errno;
        close(fd);
        unlink(af->temp);
        fail(err, path, e);
        release(af);
        return NULL;
    }
    return af->out;
}

/* Makes the rename itself last across a crash: the directory entry is
 * data of the directory. Failing that changes nothing for readers. */
static void sync_dir_of(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir = slash ? aiq_xstrndup(target, slash == target ? 1 : (size_t)(slash - target)) : aiq_xstrndup(".", 1);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    aiq_xfree(dir);
}

bool aiq_atomic_commit(AiqAtomicFile *af, AiqError *err)
{
    if (!af->out)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "cannot write: no file open");
    int e = 0;
    errno = 0;
    /* the data reaches the disk before the name does: after a crash the
     * target holds the old contents or the new, never an empty file */
    if (fflush(af->out) != 0 || ferror(af->out) || fsync(fileno(af->out)) != 0)
        e = errno ? errno : EIO;
    if (fclose(af->out) != 0 && !e)
        e = errno ? errno : EIO;
    af->out = NULL;
    if (!e && rename(af->temp, af->target) != 0)
        e = errno;
    if (e) {
        unlink(af->temp);
        fail(err, af->target, e);
        release(af);
        return false;
    }
    sync_dir_of(af->target);
    release(af);
    return true;
}

void aiq_atomic_abort(AiqAtomicFile *af)
{
    if (af->out)
        fclose(af->out);
    if (af->temp)
        unlink(af->temp);
    release(af);
}

bool aiq_atomic_write(const char *path, const void *data, size_t len, AiqError *err)
{
    AiqAtomicFile af;
    FILE *f = aiq_atomic_open(&af, path, err);
    if (!f)
        return false;
    if (len && fwrite(data, 1, len, f) != len) {
        int e = errno ? errno : EIO;
        aiq_atomic_abort(&af);
        return fail(err, path, e);
    }
    return aiq_atomic_commit(&af, err);
}
