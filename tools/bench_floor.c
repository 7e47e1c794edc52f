/*
 * bench_floor.c -- make bench's floor: the least time any reader of a JSON-lines
 * file could take to count its lines, without knowing JSON. It maps the file
 * as aiq does, and on THREADS threads takes 2 MB pieces in turn and counts
 * the newlines in each with one 16-byte compare per 16 bytes (SSE2); it
 * validates nothing. Every byte is read once: what is left is the page
 * faults of the mapping, the memory bandwidth and the process's start and
 * end. aiq's count has to do all of that and also check every line (a
 * malformed one is counted and reported), so its time is above this one;
 * the bench prints both against DuckDB's to show how far a target ratio is
 * from what the machine allows.
 *
 * Usage: bench_floor FILE THREADS. Prints the number of lines (so that the
 * bench can check it against aiq's count). Not part of aiq.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define PIECE (2u << 20) /* aiq's mapped chunk */
#define MAX_THREADS 64

static const char *text;
static size_t text_len;
static atomic_size_t next_piece;

/* The newlines in [p, end): per 16 bytes a load, a compare and a
 * subtract into byte counters, summed every 255 blocks (so that the loop
 * costs no more than reading the bytes needs). */
static uint64_t count_newlines(const char *p, const char *end)
{
    uint64_t n = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (end - p >= 16) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && end - p >= 16; k++, p += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl));
        __m128i sums = _mm_sad_epu8(acc, zero);
        n += (uint64_t)_mm_cvtsi128_si64(sums) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
    }
#endif
    for (; p < end; p++)
        n += *p == '\n';
    return n;
}

static void *count_pieces(void *arg)
{
    uint64_t *lines = arg;
    for (;;) {
        size_t at = atomic_fetch_add(&next_piece, PIECE);
        if (at >= text_len)
            break;
        size_t end = at + PIECE < text_len ? at + PIECE : text_len;
        *lines += count_newlines(text + at, text + end);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_floor FILE THREADS\n");
        return 2;
    }
    int nthreads = atoi(argv[2]);
    if (nthreads < 1 || nthreads > MAX_THREADS) {
        fprintf(stderr, "bench_floor: THREADS must be 1 to %d\n", MAX_THREADS);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 2;
    }
    text_len = (size_t)st.st_size;
    if (text_len) {
        void *m = mmap(NULL, text_len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            perror("mmap");
            return 2;
        }
        text = m;
    }
    pthread_t threads[MAX_THREADS];
    uint64_t lines[MAX_THREADS] = {0};
    for (int t = 1; t < nthreads; t++)
        if (pthread_create(&threads[t], NULL, count_pieces, &lines[t]) != 0) {
            perror("pthread_create");
            return 2;
        }
    count_pieces(&lines[0]);
    uint64_t total = lines[0];
    for (int t = 1; t < nthreads; t++) {
        pthread_join(threads[t], NULL);
        total += lines[t];
    }
    if (text_len && text[text_len - 1] != '\n')
        total++; /* (a last line without its newline) */
    printf("%llu\n", (unsigned long long)total);
    return 0;
}
