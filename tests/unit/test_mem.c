/*
 * test_mem.c -- the --max-memory limit (util/mem.c): measured on what the
 * process holds, a big block judged before it is used, the default taken
 * from a cgroup's limit, and the exit when the system refuses memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util/mem.h"

/* The limit is on resident memory: a block that is never touched costs
 * nothing; writing it does. */
static void test_limit_on_resident(void)
{
    size_t base = aiq_mem_resident();
    CHECK(!AIQ_MEM_RESIDENT_MEASURED || base > 0); /* Linux: /proc/self/statm */
    if (!base)
        base = aiq_mem_live(); /* (under ASan the count stands in) */
    aiq_mem_set_limit(base + (64u << 20));
    CHECK(!aiq_mem_exceeded());
    size_t n = 48u << 20;
    char *p = aiq_xmalloc(n);
    CHECK(!aiq_mem_exceeded());
    CHECK(aiq_mem_room(1 << 20));
    /* touched in small steps: the growth is measured when polled */
    char *q = aiq_xmalloc(n);
    memset(p, 1, n);
    memset(q, 1, n);
    for (int i = 0; i < 64 && !aiq_mem_exceeded(); i++)
        aiq_xfree(aiq_xmalloc(1 << 20)); /* (moves the count past a probe point) */
    CHECK(aiq_mem_exceeded());
    CHECK(!aiq_mem_room(1));
    aiq_xfree(p);
    aiq_xfree(q);
    /* a block as large as the limit is judged at once, untouched */
    base = aiq_mem_resident();
    aiq_mem_set_limit((base ? base : aiq_mem_live()) + (64u << 20));
    CHECK(!aiq_mem_exceeded());
    p = aiq_xmalloc(96u << 20);
    CHECK(aiq_mem_exceeded());
    aiq_xfree(p);
    char text[96];
    aiq_mem_set_limit(256u << 20);
    CHECK_EQ_STR(aiq_mem_limit_text(text, sizeof text), "--max-memory 256 MiB");
    aiq_mem_set_limit(0);
    CHECK(!aiq_mem_exceeded());
    CHECK(aiq_mem_room((size_t)1 << 50));
    CHECK_EQ_STR(aiq_mem_limit_text(text, sizeof text), "none");
}

/* Writes text to dir/rel, making the directories on the way. */
static void put(const char *dir, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* A fake /proc and /sys under a temporary directory. */
static void test_cgroup_limit(void)
{
    char root[] = "/tmp/aiq-cgroup-XXXXXX";
    if (!mkdtemp(root)) {
        CHECK(!"mkdtemp");
        return;
    }
    size_t v = 0;
    CHECK(!aiq_mem_cgroup_limit(root, &v)); /* no /proc at all */
    /* v2: the lowest of the cgroup and its parents; "max" is none */
    put(root, "proc/self/cgroup", "0::/user.slice/aiq.scope\n");
    put(root, "proc/self/mountinfo",
        "22 1 0:21 / /proc rw - proc proc rw\n"
        "30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
    put(root, "sys/fs/cgroup/user.slice/aiq.scope/memory.max", "max\n");
    CHECK(!aiq_mem_cgroup_limit(root, &v));
    put(root, "sys/fs/cgroup/user.slice/memory.max", "536870912\n");
    CHECK(aiq_mem_cgroup_limit(root, &v));
    CHECK_EQ_I64(v, 536870912);
    put(root, "sys/fs/cgroup/user.slice/aiq.scope/memory.max", "268435456\n");
    CHECK(aiq_mem_cgroup_limit(root, &v));
    CHECK_EQ_I64(v, 268435456);
    /* in a cgroup namespace the mount's root is the path's start */
    put(root, "proc/self/mountinfo", "30 22 0:26 /user.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    put(root, "proc/self/cgroup", "0::/user.slice/aiq.scope\n");
    put(root, "sys/fs/cgroup/aiq.scope/memory.max", "134217728\n");
    CHECK(aiq_mem_cgroup_limit(root, &v));
    CHECK_EQ_I64(v, 134217728);
    /* v1: the memory controller's hierarchy; a huge value is no limit */
    put(root, "proc/self/cgroup", "5:devices:/\n4:memory:/docker/abc\n0::/\n");
    put(root, "proc/self/mountinfo",
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n");
    put(root, "sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n");
    CHECK(!aiq_mem_cgroup_limit(root, &v));
    put(root, "sys/fs/cgroup/memory/docker/memory.limit_in_bytes", "1073741824\n");
    CHECK(aiq_mem_cgroup_limit(root, &v));
    CHECK_EQ_I64(v, 1073741824);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
}

/* The system refusing memory is exit 4 with a message, not abort(). */
static void test_out_of_memory_exit(void)
{
    int fd[2];
    if (pipe(fd) != 0) {
        CHECK(!"pipe");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        aiq_mem_set_limit(256u << 20);
        aiq_xmalloc((size_t)-1 - 8); /* more than any system has */
        _exit(0);
    }
    close(fd[1]);
    char msg[512] = "";
    ssize_t got = 0, r;
    while (got < (ssize_t)sizeof msg - 1 && (r = read(fd[0], msg + got, sizeof msg - 1 - (size_t)got)) > 0)
        got += r;
    msg[got > 0 ? got : 0] = '\0';
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK_EQ_I64(WEXITSTATUS(status), 4);
    CHECK(strstr(msg, "aiq: out of memory: the system refused") != NULL);
    CHECK(strstr(msg, "(limit: --max-memory 256 MiB)") != NULL);
}

void test_mem(void)
{
    test_limit_on_resident();
    test_cgroup_limit();
    test_out_of_memory_exit();
}
