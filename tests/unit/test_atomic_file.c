/*
 * test_atomic_file.c -- util/atomic_file: a file replaced whole or not at
 * all, with nothing left behind (the helper --output and --chart use).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "util/atomic_file.h"

/* The number of entries in dir, "." and ".." aside. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

void test_atomic_file(void)
{
    char dir[] = "/tmp/aiq-atomic-XXXXXX", path[64], buf[64];
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(path, sizeof path, "%s/out.txt", dir);
    AiqError err = {0};
    CHECK(aiq_atomic_write(path, "first\n", 6, &err));
    slurp(path, buf, sizeof buf);
    CHECK_EQ_STR(buf, "first\n");
    CHECK_EQ_I64(entries(dir), 1);

    /* given up half-way: the old contents stay, the temporary file goes */
    AiqAtomicFile af;
    FILE *f = aiq_atomic_open(&af, path, &err);
    CHECK(f != NULL);
    if (f) {
        fputs("half", f);
        CHECK_EQ_I64(entries(dir), 2); /* (the temporary file, beside the target) */
        aiq_atomic_abort(&af);
    }
    slurp(path, buf, sizeof buf);
    CHECK_EQ_STR(buf, "first\n");
    CHECK_EQ_I64(entries(dir), 1);

    /* committed: the new contents, under the same name */
    f = aiq_atomic_open(&af, path, &err);
    CHECK(f != NULL);
    if (f) {
        fputs("second\n", f);
        CHECK(aiq_atomic_commit(&af, &err));
    }
    slurp(path, buf, sizeof buf);
    CHECK_EQ_STR(buf, "second\n");
    CHECK_EQ_I64(entries(dir), 1);

    /* a directory that does not exist: an error naming the file */
    char missing[96];
    snprintf(missing, sizeof missing, "%s/no/such.txt", dir);
    err = (AiqError){0};
    CHECK(!aiq_atomic_write(missing, "x", 1, &err));
    CHECK(err.code == AIQ_ERR_IO && strstr(err.msg, "no/such.txt: No such file or directory") != NULL);

    unlink(path);
    rmdir(dir);
}
