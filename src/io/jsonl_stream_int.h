/*
 * jsonl_stream_int.h -- the streaming reader's own state, shared by its two
 * files: jsonl_stream.c (the chunk ring, its workers, taking batches in
 * order) and jsonl_open.c (opening each file or range: mapped, read or
 * decoded, or read whole when it is one JSON value). Not an interface.
 */
#ifndef AIQ_IO_JSONL_STREAM_INT_H
#define AIQ_IO_JSONL_STREAM_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "io/jsonl.h"
#include "io/jsonl_decode.h"
#include "io/jsonl_map.h"
#include "io/jsonl_rows.h"
#include "io/jsonl_source.h"

/*
 * The file is cut into chunks of whole lines (about CHUNK_BYTES each). The
 * calling thread reads and decompresses, cuts, and takes the batches; worker
 * threads (opts.threads > 1) turn chunks into batches in parallel and hand
 * each batch out as soon as it is built; batches are taken strictly in file
 * order, so results do not depend on the thread count. With one thread the
 * caller parses each chunk itself. A compressed file among several is a
 * file task: a worker decodes, cuts and parses it whole (decoding is its
 * cost, and one thread decodes one file), the same chunks as the caller
 * would cut, so the same batches.
 * Memory stays bounded: at most RING_PER_THREAD chunks per worker, and
 * RING_SLACK more, are in flight, and the batches built but not yet taken
 * are bounded (HEAD_BYTES for the chunk being taken, AHEAD_BYTES for the
 * others together).
 */

#define CHUNK_BYTES AIQ_KEEP_CHUNK_BYTES /* text read (and decoded): copied, so memory */
/* a view of a mapped file: no copy, and two workers fault in pages of one
 * page table less often (count -j2 0.105 -> 0.094 s against 512 KB) */
#define MAP_CHUNK_BYTES (2 << 20)
#define MAP_MIN (64 << 10) /* smaller files are read: mapping them costs more than the copy */
#define RING_PER_THREAD 2
/* Chunks more of a mapped file, for every worker count. The caller cuts
 * and takes on one of the cores the workers parse on, so it stops one of
 * them now and then, holding up the chunk to be taken next; the others run
 * ahead, and with RING_PER_THREAD each alone they ran out of chunks (p95
 * by bin at -j2: workers idle 20-45 ms of 0.19 s; with 4 more, 0-5 ms).
 * A parsed chunk's pages stay resident until it is taken: count -j2 peaks
 * at 21 MB resident (12 MB without; 29 MB at -j4). Chunks of text read or
 * decoded, and open compressed files handed to workers, hold memory of
 * their own: they keep to RING_PER_THREAD (with 4 more, the 8 .gz files of
 * compressed_files.sh ran out of --max-memory 24M under TSan, whose slow
 * threads let open files pile up). */
#define RING_SLACK 4
/* Slots more for the chunks of small mapped files, which are cut one a
 * file: within the bytes of RING_SLACK's chunks (a directory of 1,000
 * files of 420 KB, count -j2: 0.104 -> 0.099 s with 12 more slots). */
#define RING_SMALL 24
#define AHEAD_BYTES (32 << 20) /* batches the chunks after the one taken may hold, together */
#define HEAD_BYTES (4 << 20)   /* and the one taken (its consumer may be slower than it) */

typedef enum { CHUNK_FREE, CHUNK_READY, CHUNK_BUSY, CHUNK_DONE } ChunkState;

typedef struct Chunk {
    ChunkState state;
    AiqStrBuf text;      /* whole lines, from text_off on */
    size_t text_off;
    const char *view;    /* or, from a mapped file, view_len bytes of it */
    size_t view_len;
    void *unmap;         /* the last chunk of a mapped file unmaps it */
    size_t unmap_len;
    int unmap_seg;      /* its segment of the stream's region, or -1: mapped on its own */
    int64_t line0;       /* number of the line before the first one (0 with workers: see renumber) */
    int64_t nlines;      /* lines parsed */
    bool first_of_file;  /* its lines are numbered from the file's first */
    bool numbered;       /* renumber has run */
    const char *path;
    JlCodec codec;       /* how the file was compressed (for a report on what it looks like) */
    bool last_of_file;   /* the file's report follows this chunk */
    int range;           /* the range (or file) it is from, for opts.reads */
    int64_t file_line0;  /* first_of_file: the lines of the file before the range */
    int64_t used;        /* last_of_file: the byte after the range's last whole line */
    struct Batch {
        AiqTable *t;
        size_t bytes;    /* what it counts against the budgets (aiq_table_bytes_held), once */
    } *tables;           /* the batches, in order (with workers, each handed out as it is
                            built: tables, ntables, taken and held are under the stream's lock) */
    int ntables, captables, taken;
    FileStats fs;
    Misfits mf;
    AiqError err;        /* set (code != AIQ_OK) when parsing failed */
    bool broken;         /* err: a row did not fit the guessed schema verified */
    Rows *seen;          /* schema inference: the chunk's columns, in order, and their kinds */
    /* a file task: the rest of a compressed file, which a worker decodes,
     * cuts and parses itself (run_file_task) */
    JlSource *src;
    int64_t seq;         /* its place in the ring's order */
    size_t held;         /* bytes of its batches not yet taken */
    char head[JL_HEAD_BYTES]; /* its file's first bytes (merge_stats) */
    size_t head_len;
} Chunk;

struct AiqJsonlStream {
    AiqCatalogTable *t;
    AiqReadOptions opts;
    int ipath;          /* next file (or range) to open */
    int range;          /* the open one */
    int64_t range_line0; /* lines before it */
    JlSource src;       /* the open file's bytes */
    const char *map;    /* a plain file mapped whole (NULL: read block by block) */
    size_t map_len, map_pos;
    int map_seg;       /* its segment of region, or -1: mapped on its own */
    size_t view_bytes;  /* bytes of the mapped chunks in flight (ring_has_room) */
    bool last_fill_view; /* the last chunk filled was one */
    JlMapRegion region; /* where small files among several are mapped (jl_region_map) */
    bool input_done;    /* no more files */
    int64_t lineno;     /* one thread: lines of the open file parsed so far */
    bool fresh_file;    /* the next chunk is the open file's first */
    int64_t taken_lines; /* workers: lines of the file in the chunks taken so far */
    FileStats fs;       /* the report of the file being merged, from its chunks in order */
    char head[JL_HEAD_BYTES]; /* that file's first bytes, to say what it looks like if it is not logs */
    size_t head_len;
    JlCodec head_codec;
    Misfits mf;         /* every file's misfits, reported at the end */
    AiqTable *whole;    /* a whole-file JSON value, returned as one batch */
    /* schema inference (aiq_jsonl_infer_schema): no batches, only columns */
    bool infer;
    Rows *whole_seen;   /* a whole-file value's columns, for the next chunk */
    Rows columns;       /* every column met so far, in order, and their kinds */
    /* the chunk ring and its workers */
    Chunk *ring;
    int nring, nworkers;
    int64_t seq_fill, seq_parse, seq_take; /* next chunk to fill, to parse, to hand out */
    pthread_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_cond_t room; /* a worker waiting for room may hand out more batches */
    size_t held;        /* bytes of the batches in chunks being parsed, not yet taken */
    bool taker_waits;   /* the consumer waits for a batch (done) */
    int pushers_wait;   /* workers waiting for room */
    size_t ahead_room, head_room; /* AHEAD_BYTES and HEAD_BYTES, within --max-memory */
    bool stop;
    bool broken;        /* stopped: a row did not fit the guessed schema (opts.verify) */
    bool tail_only;     /* the file being merged is read from past its start only: no judging it */
    int64_t table_bytes; /* its files' bytes as stored (file_task_fits; -1: not yet counted) */
};

/* jsonl_open.c */

/* Opens the next file (or range); a top-level array or a pretty-printed
 * export is read whole into s->whole. Returns false at the end of the files
 * or on error. */
bool jl_stream_open_next(AiqJsonlStream *s, AiqError *err);
/* Whether range r is the first one read of its file (every file is, without
 * ranges): a file read in several ranges counts, and is judged, once. */
bool jl_stream_file_starts(const AiqJsonlStream *s, int r);
/* Whether the open (compressed) file goes to a worker whole (a file task). */
bool jl_stream_file_task_fits(AiqJsonlStream *s);
/* Closes the open file, unmapping it if it is mapped. */
void jl_stream_close_file(AiqJsonlStream *s);
/* Unmaps a file jl_stream_open_next mapped, in s->region (seg >= 0) or on its own. */
void jl_stream_unmap(AiqJsonlStream *s, const char *map, size_t len, int seg);

/* jsonl_stream.c */

/* The error that stops a stream verifying a guessed schema. */
bool jl_guess_broken_error(AiqError *err, const char *path);
/* A store for a chunk's rows, with the stream's declared columns. */
void jl_stream_rows_begin(const AiqJsonlStream *s, Rows *rows);

#endif
