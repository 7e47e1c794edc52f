/*
 * jsonl_stream.c -- streaming a table's files in bounded memory: plain files
 * are mapped (small ones read) and cut into chunks of whole lines; worker
 * threads parse chunks into batches, handed out strictly in file order;
 * several compressed files decode at once, one whole file per worker; a
 * first pass in the same way infers an undeclared table's schema. Each
 * file is opened by jsonl_open.c; their shared state: jsonl_stream_int.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/bytescan.h"
#include "io/jsonl_stream_int.h"
#include "util/interrupt.h"
#include "util/mem.h"

/* The kernel may drop the pages of a parsed part of a mapped file: the
 * process's memory then stays bounded however large the file. Chunks are
 * cleared in file order, so the page a chunk shares with the one before is
 * done with too: pages from the one holding `from` to the one before the
 * page holding `to` go (the last is shared with the next chunk). Were a
 * page dropped too soon, it would only be read again: the mapping is
 * private and unmodified. */
static void release_pages(const char *from, const char *to)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)from & ~(page - 1), b = (uintptr_t)to & ~(page - 1);
    if (a < b)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

/* The next whole lines of src into chunk c (jl_source_cut). */
static bool cut_into(JlSource *src, const AiqReadOptions *opts, size_t want, Chunk *c, AiqError *err)
{
    JlCut cut = {.text = c->text};
    bool ok = jl_source_cut(src, opts, want, &cut, err);
    c->text = cut.text;
    c->text_off = cut.text_off;
    c->last_of_file = cut.last;
    if (cut.last) {
        c->fs.unfinished = cut.unfinished;
        c->used = cut.used;
    }
    return ok;
}

static void chunk_clear(AiqJsonlStream *s, Chunk *c)
{
    s->view_bytes -= c->view_len;
    if (c->view && !c->unmap) /* (unmapping drops the pages anyway: a second TLB shootdown for nothing) */
        release_pages(c->view, c->view + c->view_len);
    if (c->unmap)
        jl_stream_unmap(s, c->unmap, c->unmap_len, c->unmap_seg);
    c->view = NULL;
    c->view_len = 0;
    c->unmap = NULL;
    for (int i = c->taken; i < c->ntables; i++)
        aiq_table_free(c->tables[i].t);
    c->ntables = c->taken = 0;
    aiq_sb_clear(&c->text);
    c->text_off = 0;
    memset(&c->fs, 0, sizeof c->fs);
    memset(&c->mf, 0, sizeof c->mf);
    memset(&c->err, 0, sizeof c->err);
    c->last_of_file = c->first_of_file = c->numbered = false;
    c->used = c->file_line0 = 0;
    c->broken = false;
    if (c->src) {
        jl_source_free(c->src);
        aiq_xfree(c->src);
        c->src = NULL;
    }
    c->held = c->head_len = 0;
    if (c->seen) {
        jl_rows_free(c->seen);
        aiq_xfree(c->seen);
        c->seen = NULL;
    }
    c->state = CHUNK_FREE;
}

static void chunk_push(Chunk *c, AiqTable *t, size_t bytes)
{
    c->tables = aiq_grow_array(c->tables, c->ntables, &c->captables, sizeof *c->tables);
    c->tables[c->ntables++] = (struct Batch){t, bytes};
}

/* The error that stops a stream verifying a guessed schema. */
bool jl_guess_broken_error(AiqError *err, const char *path)
{
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: a row does not fit the types guessed from the first rows", path);
}

bool aiq_jsonl_guess_broken(const AiqJsonlStream *s) { return s->broken; }

/* Whether c's batches not yet taken are over their budget (under the
 * lock): more than HEAD_BYTES for the chunk being taken, more than
 * AHEAD_BYTES for those after it, together. */
static bool over_budget(const AiqJsonlStream *s, const Chunk *c)
{
    return c->seq == s->seq_take ? c->held > s->head_room : s->held > s->ahead_room;
}

/* A worker's batch is handed out at once (the caller waits for it only
 * when it is the next to take: a wake-up a batch cost 5-20%). The worker
 * then waits while its chunk is over budget (each budget at most an
 * eighth of --max-memory): files decode ahead in bounded memory (a count's
 * batches hold no columns, so it runs ahead as far as it likes; a p95's
 * hold a few files ahead). last: the chunk's last batch, whose end wakes
 * the caller anyway. False: the stream is closing. */
static bool hand_out(AiqJsonlStream *s, Chunk *c, AiqTable *t, bool last)
{
    size_t bytes = aiq_table_bytes_held(t);
    pthread_mutex_lock(&s->mu);
    chunk_push(c, t, bytes);
    c->held += bytes;
    s->held += bytes;
    if (s->taker_waits && c->seq == s->seq_take && (!last || over_budget(s, c)))
        pthread_cond_broadcast(&s->done); /* (a last batch over budget: its worker waits before the end) */
    while (!s->stop && over_budget(s, c)) {
        s->pushers_wait++;
        pthread_cond_wait(&s->room, &s->mu);
        s->pushers_wait--;
    }
    bool go_on = !s->stop;
    pthread_mutex_unlock(&s->mu);
    return go_on;
}

/* Parses lines text[0..len) into c's batches of at most AIQ_VECTOR_SIZE
 * rows, numbering them on from *lineno; ends_chunk: they are the chunk's
 * last. Runs on a worker thread (or the caller alone): touches only the
 * chunk and read-only state (workers hand batches out under the lock). */
static bool parse_lines(AiqJsonlStream *s, Chunk *c, Rows *rows, AiqStrBuf *fixed, const char *text, size_t len,
                        int64_t *lineno, bool ends_chunk)
{
    size_t pos = 0;
    bool ok = true;
    while (pos < len && ok) {
        ok = jl_next_lines(rows, &c->fs, text, len, &pos, lineno, AIQ_VECTOR_SIZE, c->path, &s->opts, fixed, &c->err);
        if (ok && rows->violated) { /* (no use reading on: the types are to be found again) */
            c->broken = true;
            ok = jl_guess_broken_error(&c->err, c->path);
        }
        if (s->infer) {
            if (rows->n >= AIQ_VECTOR_SIZE)
                jl_rows_drop_cells(rows);
        } else if (ok && (rows->n >= AIQ_VECTOR_SIZE || pos >= len) && rows->n) {
            AiqTable *t = jl_build_table(s->t, rows, true, &s->opts, NULL, &c->mf, &c->err);
            jl_rows_init(rows);
            jl_want_declared(rows, s->t, &s->opts);
            if (!t)
                ok = false;
            else if (s->nworkers)
                ok = hand_out(s, c, t, ends_chunk && pos >= len);
            else
                chunk_push(c, t, 0); /* (one thread: no budgets) */
        }
    }
    return ok;
}

/* Frees the batches of c not yet handed out. */
static void drop_batches(AiqJsonlStream *s, Chunk *c)
{
    if (s->nworkers)
        pthread_mutex_lock(&s->mu);
    for (int i = c->taken; i < c->ntables; i++)
        aiq_table_free(c->tables[i].t);
    c->ntables = c->taken;
    s->held -= c->held;
    c->held = 0;
    if (s->nworkers)
        pthread_mutex_unlock(&s->mu);
}

void jl_stream_rows_begin(const AiqJsonlStream *s, Rows *rows)
{
    jl_rows_init(rows);
    jl_want_declared(rows, s->t, &s->opts);
    rows->kinds_only = s->infer;
}

/* Schema inference keeps the columns a chunk met (and their kinds). */
static void rows_end(const AiqJsonlStream *s, Chunk *c, Rows *rows, bool ok)
{
    if (s->infer && ok && !c->seen) { /* (a whole-file value brought its own) */
        jl_rows_drop_cells(rows);
        c->seen = aiq_xmalloc(sizeof *c->seen);
        *c->seen = *rows;
    } else {
        jl_rows_free(rows);
    }
}

/* Parses a chunk's lines into its batches. */
static void parse_chunk(AiqJsonlStream *s, Chunk *c)
{
    if (c->err.code != AIQ_OK)
        return; /* (cutting it found the file shrunk) */
    jl_map_faulted(); /* (a mark left by another stream's chunk on this thread is not this one's) */
    Rows rows;
    jl_stream_rows_begin(s, &rows);
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    const char *text = c->view ? c->view : c->text.data ? c->text.data + c->text_off : "";
    size_t len = c->view ? c->view_len : c->text.len - c->text_off;
    int64_t lineno = c->line0;
    bool ok = parse_lines(s, c, &rows, &fixed, text, len, &lineno, true);
    c->nlines = lineno - c->line0;
    if (c->view && jl_map_faulted()) { /* what was read past the file's end was zeros: what is left goes */
        ok = false;
        drop_batches(s, c);
        memset(&c->err, 0, sizeof c->err);
        memset(&c->fs, 0, sizeof c->fs); /* (the zeros made malformed lines: not --strict's to report) */
        jl_map_shrank_error(&c->err, c->path);
    }
    rows_end(s, c, &rows, ok);
    aiq_sb_free(&fixed);
}

/* A file task: the rest of a compressed file, decoded, cut and parsed on
 * this worker, so several files decode at once, one per worker. Its lines
 * are cut as the calling thread would cut them: the batches are the same. */
static void run_file_task(AiqJsonlStream *s, Chunk *c)
{
    Rows rows;
    jl_stream_rows_begin(s, &rows);
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    size_t want = s->opts.chunk_size ? s->opts.chunk_size : CHUNK_BYTES;
    int64_t lineno = 0;
    bool ok = true, last = false;
    while (ok && !last) {
        pthread_mutex_lock(&s->mu);
        bool stop = s->stop;
        pthread_mutex_unlock(&s->mu);
        if (stop || aiq_interrupt_pending()) {
            ok = jl_cancelled_error(&c->err, c->path);
            break;
        }
        if (!(ok = cut_into(c->src, &s->opts, want, c, &c->err)))
            break;
        last = c->last_of_file;
        const char *text = c->text.data ? c->text.data + c->text_off : "";
        size_t len = c->text.len - c->text_off;
        if (!c->head_len) {
            c->head_len = len < sizeof c->head ? len : sizeof c->head;
            memcpy(c->head, text, c->head_len);
        }
        ok = parse_lines(s, c, &rows, &fixed, text, len, &lineno, last);
    }
    c->last_of_file = true;
    c->nlines = lineno;
    rows_end(s, c, &rows, ok);
    aiq_sb_free(&fixed);
    jl_source_close(c->src); /* (its decoder's memory goes now) */
}

static void *worker_main(void *arg)
{
    AiqJsonlStream *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->stop && s->seq_parse == s->seq_fill)
            pthread_cond_wait(&s->work, &s->mu);
        if (s->stop)
            break;
        Chunk *c = &s->ring[s->seq_parse++ % s->nring];
        c->state = CHUNK_BUSY;
        pthread_mutex_unlock(&s->mu);
        if (c->src)
            run_file_task(s, c);
        else
            parse_chunk(s, c);
        pthread_mutex_lock(&s->mu);
        c->state = CHUNK_DONE;
        pthread_cond_broadcast(&s->done);
    }
    pthread_mutex_unlock(&s->mu);
    aiq_mem_thread_done();
    return NULL;
}

/* The bytes of mapped chunks that may be in flight at once (the RING_SLACK
 * chunks more, as bytes). */
static size_t view_window(const AiqJsonlStream *s)
{
    return (size_t)(s->nworkers ? s->nworkers * RING_PER_THREAD + RING_SLACK : 1) * MAP_CHUNK_BYTES;
}

AiqJsonlStream *aiq_jsonl_open(AiqCatalogTable *t, const AiqReadOptions *opts, AiqError *err)
{
    (void)err;
    AiqJsonlStream *s = aiq_xcalloc(1, sizeof *s);
    s->t = t;
    s->opts = *opts;
    jl_source_init(&s->src);
    s->table_bytes = -1;
    s->map_seg = -1;
    size_t limit = aiq_mem_limit(); /* (an eighth of it at most waits in batches) */
    s->ahead_room = limit && limit / 8 < AHEAD_BYTES ? limit / 8 : AHEAD_BYTES;
    s->head_room = s->ahead_room < HEAD_BYTES ? s->ahead_room : HEAD_BYTES;
    if (s->opts.block_size > JL_SOURCE_BLOCK) /* (the source's block holds one read) */
        s->opts.block_size = JL_SOURCE_BLOCK;
    jl_rows_init(&s->columns);
    s->nworkers = opts->threads > 1 ? opts->threads : 0;
    s->nring = s->nworkers ? s->nworkers * RING_PER_THREAD + RING_SLACK + RING_SMALL : 1;
    s->ring = aiq_xcalloc((size_t)s->nring, sizeof *s->ring);
    if (s->nworkers) {
        pthread_mutex_init(&s->mu, NULL);
        pthread_cond_init(&s->work, NULL);
        pthread_cond_init(&s->done, NULL);
        pthread_cond_init(&s->room, NULL);
        s->workers = aiq_xcalloc((size_t)s->nworkers, sizeof *s->workers);
        for (int w = 0; w < s->nworkers; w++)
            if (pthread_create(&s->workers[w], NULL, worker_main, s) != 0) {
                s->nworkers = w; /* run with the workers that started (none: inline) */
                break;
            }
        if (!s->nworkers) {
            s->nring = 1;
            pthread_cond_destroy(&s->work);
            pthread_cond_destroy(&s->done);
            pthread_cond_destroy(&s->room);
            pthread_mutex_destroy(&s->mu);
        }
    }
    jl_region_init(&s->region, view_window(s));
    return s;
}

void aiq_jsonl_close(AiqJsonlStream *s)
{
    if (!s)
        return;
    if (s->nworkers) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->work);
        pthread_cond_broadcast(&s->room);
        pthread_mutex_unlock(&s->mu);
        for (int w = 0; w < s->nworkers; w++)
            pthread_join(s->workers[w], NULL);
        aiq_xfree(s->workers);
        pthread_cond_destroy(&s->work);
        pthread_cond_destroy(&s->done);
        pthread_cond_destroy(&s->room);
        pthread_mutex_destroy(&s->mu);
    }
    for (int i = 0; i < s->nring; i++) {
        chunk_clear(s, &s->ring[i]);
        aiq_sb_free(&s->ring[i].text);
        aiq_xfree(s->ring[i].tables);
    }
    aiq_xfree(s->ring);
    jl_rows_free(&s->columns);
    if (s->whole_seen) {
        jl_rows_free(s->whole_seen);
        aiq_xfree(s->whole_seen);
    }
    jl_stream_close_file(s);
    jl_region_free(&s->region);
    aiq_table_free(s->whole);
    jl_source_free(&s->src);
    aiq_xfree(s);
}

/* Fills chunk c with the next whole lines of input (moving on to the next
 * file as needed), or with a whole-file table. Returns false on error;
 * leaves c empty (CHUNK_FREE) at the end of the input. */
static bool fill_chunk(AiqJsonlStream *s, Chunk *c, AiqError *err)
{
    s->last_fill_view = false;
    while (s->src.fd < 0) {
        if (!jl_stream_open_next(s, err)) {
            if (err->code != AIQ_OK)
                return false;
            s->input_done = true;
            return true;
        }
        if (s->whole || s->whole_seen) { /* a whole-file value: one batch, and no lines to parse */
            if (s->whole)
                chunk_push(c, s->whole, 0); /* (counted against no budget: no worker holds it) */
            c->seen = s->whole_seen;
            s->whole = NULL;
            s->whole_seen = NULL;
            c->line0 = s->lineno = 0;
            c->range = s->range;
            c->first_of_file = true;
            s->fresh_file = false;
            c->state = CHUNK_READY;
            return true;
        }
    }
    size_t want = s->opts.chunk_size ? s->opts.chunk_size : s->map ? MAP_CHUNK_BYTES : CHUNK_BYTES;
    c->path = s->src.path;
    c->codec = s->src.codec;
    /* workers number a chunk's lines from 0; the consumer, taking chunks
     * in order, adds the lines before them (renumber): counting them here,
     * on the one thread that cuts, was a serial pass over every byte */
    c->line0 = s->nworkers ? 0 : s->lineno;
    c->first_of_file = s->fresh_file;
    c->file_line0 = s->range_line0;
    c->range = s->range;
    s->fresh_file = false;
    c->state = CHUNK_READY;
    if (s->map) { /* a mapped file: the chunk is a view up to a line end */
        size_t start = s->map_pos, end = start + want < s->map_len ? start + want : s->map_len;
        if (end < s->map_len) {
            const char *nl = memrchr(s->map + start, '\n', end - start);
            if (!nl) /* a line longer than a chunk */
                nl = memchr(s->map + end, '\n', s->map_len - end);
            end = nl ? (size_t)(nl - s->map) + 1 : s->map_len;
        }
        c->view = s->map + start;
        c->view_len = end - start;
        s->last_fill_view = true;
        s->map_pos = end;
        jl_count_read(&s->opts, 0, (int64_t)(end - start), 0);
        c->last_of_file = end == s->map_len;
        if (c->last_of_file) { /* a line being written waits for the next read */
            c->fs.unfinished = (int64_t)jl_unfinished_tail(c->view, c->view_len);
            c->view_len -= (size_t)c->fs.unfinished;
            c->used = (int64_t)s->map_len - c->fs.unfinished;
        }
        s->view_bytes += c->view_len;
        if (jl_map_faulted()) /* (the line ends searched for ran past the file's end) */
            jl_map_shrank_error(&c->err, s->src.path);
        if (c->last_of_file) { /* the chunk unmaps the file once it is done */
            c->unmap = (void *)s->map;
            c->unmap_len = s->map_len;
            c->unmap_seg = s->map_seg;
            s->map = NULL;
            jl_stream_close_file(s);
        }
        return true;
    }
    if (jl_stream_file_task_fits(s)) { /* the worker reads the rest of the file */
        c->src = aiq_xmalloc(sizeof *c->src);
        *c->src = s->src;
        jl_source_init(&s->src);
        c->last_of_file = true;
        return true;
    }
    if (!cut_into(&s->src, &s->opts, want, c, err))
        return false;
    if (c->last_of_file)
        jl_stream_close_file(s);
    return true;
}

/* Gives the line numbers a worker counted from the chunk's start their
 * place in the file: the report's first bad line, the first misfit, and
 * the line of a --strict error. Chunks come here in file order. */
static void renumber(AiqJsonlStream *s, Chunk *c)
{
    if (c->first_of_file)
        s->taken_lines = c->file_line0;
    int64_t base = s->taken_lines;
    s->taken_lines += c->nlines;
    c->numbered = true;
    if (c->fs.malformed)
        c->fs.first_bad_line += base;
    if (c->mf.n)
        c->mf.first_line += base;
    if (c->err.code == AIQ_ERR_IO && s->opts.strict && c->fs.malformed) {
        memset(&c->err, 0, sizeof c->err); /* (the first error set wins: this replaces it) */
        jl_strict_error(&c->err, c->path, c->fs.first_bad_line, c->fs.reason);
    }
}

/* Whether the range after r reads on in the same file (its report waits). */
static bool file_goes_on(const AiqJsonlStream *s, int r)
{
    const AiqFileRange *rs = s->opts.ranges;
    return rs && r + 1 < s->opts.nranges && rs[r + 1].path == rs[r].path;
}

/* Merges a parsed chunk's reports into the file's (chunks come in order);
 * at the file's end, reports it, or fails with err when it is not logs. */
static bool merge_stats(AiqJsonlStream *s, const Chunk *c, AiqError *err)
{
    bool file_first = c->first_of_file && jl_stream_file_starts(s, c->range);
    if (file_first) /* (lines appended to a file read before: its first lines said it is logs) */
        s->tail_only = s->opts.ranges && s->opts.ranges[c->range].start > 0;
    if (file_first) { /* what the file looks like, should it not be logs */
        const char *text = c->src ? c->head : c->view ? c->view : c->text.data ? c->text.data + c->text_off : "";
        size_t len = c->src ? c->head_len : c->view ? c->view_len : c->text.len - c->text_off;
        s->head_len = len < sizeof s->head ? len : sizeof s->head;
        memcpy(s->head, text, s->head_len);
        s->head_codec = c->codec;
    }
    if (!s->fs.malformed && c->fs.malformed) {
        s->fs.first_bad_line = c->fs.first_bad_line;
        memcpy(s->fs.reason, c->fs.reason, sizeof s->fs.reason);
    }
    s->fs.malformed += c->fs.malformed;
    s->fs.bad_utf8 += c->fs.bad_utf8;
    s->fs.objects += c->fs.objects;
    jl_count_read(&s->opts, 0, 0, c->fs.objects);
    s->fs.unfinished += c->fs.unfinished;
    jl_merge_misfits(&s->mf, &c->mf);
    for (int k = 0; c->seen && k < c->seen->ncols; k++) {
        const CellCol *from = &c->seen->cols[k];
        int col = jl_rows_column_add(&s->columns, from->name, (uint32_t)strlen(from->name));
        s->columns.cols[col].seen |= from->seen;
    }
    if (!c->last_of_file)
        return true;
    if (s->opts.reads) {
        AiqFileRead *fr = &s->opts.reads[c->range];
        fr->used = c->used;
        fr->lines = s->nworkers ? s->taken_lines : c->line0 + c->nlines;
        fr->appendable = c->codec == JL_PLAIN;
    }
    if (file_goes_on(s, c->range))
        return true; /* (one report per file, over all its ranges) */
    bool ok = s->tail_only || jl_check_logs(c->path, &s->fs, s->head, s->head_len, s->head_codec, err);
    if (ok)
        jl_report(c->path, &s->fs, &s->opts);
    memset(&s->fs, 0, sizeof s->fs);
    return ok;
}

/* Whether one more chunk may be in flight: RING_PER_THREAD a worker, and
 * while a mapped file is read (or was just read: the next may be one too),
 * more up to the bytes of RING_SLACK chunks more (RING_SMALL). */
static bool ring_has_room(const AiqJsonlStream *s)
{
    int64_t n = s->seq_fill - s->seq_take, base = s->nworkers * RING_PER_THREAD;
    if (n >= s->nring)
        return false;
    if (!s->nworkers || n < base)
        return true;
    return (s->map || s->last_fill_view) && s->view_bytes + MAP_CHUNK_BYTES <= view_window(s);
}

AiqTable *aiq_jsonl_next(AiqJsonlStream *s, AiqError *err)
{
    for (;;) {
        /* keep every free slot of the ring filled, so workers never wait */
        while (!s->input_done && ring_has_room(s)) {
            Chunk *c = &s->ring[s->seq_fill % s->nring];
            c->seq = s->seq_fill;
            if (!fill_chunk(s, c, err))
                return NULL;
            if (c->state == CHUNK_FREE)
                break; /* end of input */
            if (!s->nworkers) {
                s->seq_fill++;
                continue;
            }
            pthread_mutex_lock(&s->mu);
            s->seq_fill++;
            pthread_cond_signal(&s->work);
            pthread_mutex_unlock(&s->mu);
        }
        if (s->seq_take == s->seq_fill) {
            jl_report_misfits(s->t, &s->mf, &s->opts);
            memset(&s->mf, 0, sizeof s->mf);
            return NULL; /* end of input */
        }
        Chunk *c = &s->ring[s->seq_take % s->nring];
        if (!s->nworkers) {
            if (c->state == CHUNK_READY) {
                s->seq_parse++;
                parse_chunk(s, c);
                s->lineno = c->line0 + c->nlines;
                c->state = CHUNK_DONE;
            }
        } else {
            pthread_mutex_lock(&s->mu);
            while (c->state != CHUNK_DONE && c->taken == c->ntables) {
                s->taker_waits = true;
                pthread_cond_wait(&s->done, &s->mu);
                s->taker_waits = false;
            }
            if (c->state != CHUNK_DONE) { /* a batch handed out as it comes */
                struct Batch b = c->tables[c->taken++];
                c->held -= b.bytes;
                s->held -= b.bytes;
                if (s->pushers_wait)
                    pthread_cond_broadcast(&s->room);
                pthread_mutex_unlock(&s->mu);
                if (s->opts.reads)
                    s->opts.reads[c->range].nbatches++;
                return b.t;
            }
            pthread_mutex_unlock(&s->mu);
            if (!c->numbered)
                renumber(s, c);
        }
        if (c->err.code != AIQ_OK) {
            s->broken = c->broken;
            *err = c->err;
            return NULL;
        }
        if (c->taken < c->ntables) {
            if (s->opts.reads)
                s->opts.reads[c->range].nbatches++;
            return c->tables[c->taken++].t;
        }
        if (!merge_stats(s, c, err))
            return NULL;
        if (s->nworkers) { /* (a file task ahead may now be the one taken) */
            pthread_mutex_lock(&s->mu);
            s->held -= c->held;
            s->seq_take++;
            pthread_cond_broadcast(&s->room);
            pthread_mutex_unlock(&s->mu);
            /* No worker looks at a chunk once it is taken, and only this
             * thread fills the ring: the chunk is cleared outside the lock,
             * so that unmapping a file or giving back its pages (a TLB
             * shootdown that waits for every core) is not done holding it. */
            chunk_clear(s, c);
        } else {
            chunk_clear(s, c);
            s->seq_take++;
        }
        if (aiq_interrupt_pending())
            return jl_cancelled_error(err, s->src.path ? s->src.path : s->t->name), NULL;
    }
}

/* A pass over t's files (or opts' ranges of them) that keeps only the
 * columns met and their kinds (s->columns): the caller reads them, then
 * closes the stream. Reports nothing (the pass that reads the rows does). */
static AiqJsonlStream *infer_pass(AiqCatalogTable *t, const AiqReadOptions *opts, AiqError *err)
{
    AiqReadOptions quiet = *opts;
    quiet.warn = NULL;
    quiet.reads = NULL;
    AiqJsonlStream *s = aiq_jsonl_open(t, &quiet, err);
    s->infer = true;
    AiqTable *batch;
    while ((batch = aiq_jsonl_next(s, err)))
        aiq_table_free(batch); /* not reached: inference makes no batches */
    return s;
}

bool aiq_jsonl_infer_schema(AiqCatalogTable *t, const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    AiqJsonlStream *s = infer_pass(t, opts, err);
    bool ok = err->code == AIQ_OK;
    if (ok) {
        /* the same types the whole load would give (build_table) */
        int n = s->columns.ncols;
        t->schema.ncols = n;
        t->schema.cols = aiq_arena_alloc(schema_arena, sizeof *t->schema.cols * (size_t)(n + 1));
        for (int c = 0; c < n; c++) {
            const CellCol *col = &s->columns.cols[c];
            t->schema.cols[c].name = aiq_arena_strndup(schema_arena, col->name, strlen(col->name));
            t->schema.cols[c].type = jl_infer(col->seen);
        }
    }
    aiq_jsonl_close(s);
    return ok;
}

bool aiq_jsonl_rows_fit_schema(const AiqCatalogTable *t, const AiqReadOptions *opts, bool *fits, AiqError *err)
{
    AiqCatalogTable undeclared = *t; /* every column the rows hold, with its kinds */
    undeclared.declared = false;
    undeclared.schema = (AiqSchema){0};
    AiqJsonlStream *s = infer_pass(&undeclared, opts, err);
    bool ok = err->code == AIQ_OK;
    *fits = ok;
    for (int c = 0; ok && *fits && c < s->columns.ncols; c++) {
        const CellCol *col = &s->columns.cols[c];
        int k = 0;
        while (k < t->schema.ncols && strcmp(t->schema.cols[k].name, col->name) != 0)
            k++;
        *fits = k < t->schema.ncols && jl_type_absorbs(t->schema.cols[k].type, col->seen);
    }
    aiq_jsonl_close(s);
    return ok;
}
