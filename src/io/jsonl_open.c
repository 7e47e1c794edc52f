/*
 * jsonl_open.c -- the streaming reader opening each of a table's files (or
 * ranges of them) in turn: a plain file is mapped (a small one among
 * several into the stream's reserved region), a small or compressed one
 * read block by block, and a file that is one JSON value (an array, a
 * pretty-printed export) read whole into a single batch.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/jsonl_stream_int.h"
#include "util/mem.h"

/* Unmaps a file jl_stream_open_next mapped, in the region (seg >= 0) or on its own. */
void jl_stream_unmap(AiqJsonlStream *s, const char *map, size_t len, int seg)
{
    if (seg >= 0)
        jl_region_unmap(&s->region, map, len, seg);
    else
        jl_unmap_file(map, len);
}

void jl_stream_close_file(AiqJsonlStream *s)
{
    if (s->map)
        jl_stream_unmap(s, s->map, s->map_len, s->map_seg);
    s->map = NULL;
    jl_source_close(&s->src);
}

/* The ranges to read (the files, without ranges). */
static int range_count(const AiqJsonlStream *s)
{
    return s->opts.ranges ? s->opts.nranges : s->t->npaths;
}

/* Whether range r is the first one read of its file (every file is, without
 * ranges): a file read in several ranges counts, and is judged, once. */
bool jl_stream_file_starts(const AiqJsonlStream *s, int r)
{
    const AiqFileRange *rs = s->opts.ranges;
    return !rs || r == 0 || rs[r - 1].path != rs[r].path;
}

/* Opens the file of the next range (the next file without ranges) and
 * moves to the range's start; a range that starts after the file's first
 * byte holds plain JSON lines (AiqFileRead.appendable). */
static bool open_range(AiqJsonlStream *s, struct stat *st, AiqError *err)
{
    int n = range_count(s);
    if (s->ipath >= n)
        return false;
    s->range = s->ipath++;
    const AiqFileRange *r = s->opts.ranges ? &s->opts.ranges[s->range] : NULL;
    const char *path = s->t->paths[r ? r->path : s->range];
    bool is_stdin = strcmp(path, "-") == 0;
    s->src.path = jl_path_shown(s->t, r ? r->path : s->range); /* (as messages name it) */
    s->src.fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (s->src.fd < 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", s->src.path, strerror(errno));
    if (fstat(s->src.fd, st) == 0 && S_ISDIR(st->st_mode)) {
        jl_stream_close_file(s);
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: is a directory", s->src.path);
    }
    s->src.range_start = r ? r->start : 0;
    s->range_line0 = r ? r->line0 : 0;
    s->src.left = r && r->end ? r->end - s->src.range_start : -1;
    s->src.raw = 0;
    if (s->src.range_start && lseek(s->src.fd, (off_t)s->src.range_start, SEEK_SET) < 0) {
        aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", s->src.path, strerror(errno));
        jl_stream_close_file(s);
        return false;
    }
    return true;
}

/* The bytes of the open range when it is a regular file: to its end, or
 * to the range's end (which it must reach). */
static int64_t range_limit(const AiqJsonlStream *s, const struct stat *st)
{
    int64_t size = (int64_t)st->st_size;
    return s->src.left >= 0 ? s->src.range_start + s->src.left : size;
}

/* Opens the next file (or range); a top-level array or a pretty-printed
 * export is read whole into s->whole. Returns false at the end of the files
 * or on error. */
bool jl_stream_open_next(AiqJsonlStream *s, AiqError *err)
{
    struct stat st;
    while (open_range(s, &st, err)) {
        s->src.eof = false;
        s->lineno = s->range_line0;
        s->fresh_file = true;
        bool tail = s->src.range_start > 0; /* appended lines: no head to look at */
        int64_t limit = range_limit(s, &st);
        if (S_ISREG(st.st_mode) && limit - s->src.range_start >= MAP_MIN && !s->opts.block_size) {
            /* A plain file is parsed where the kernel keeps it: no copy.
             * (With workers, reading into chunks cost more since the
             * scanner finds line ends itself: count -j2 0.22 s vs 0.18 s.) */
            if (limit > (int64_t)st.st_size) { /* (the range is no longer there) */
                jl_stream_close_file(s);
                return jl_map_shrank_error(err, s->src.path);
            }
            /* a small file among several goes into the region, given
             * back with its neighbours in one call */
            int nfiles = range_count(s), seg = -1;
            const char *m = nfiles > 1 && limit <= MAP_CHUNK_BYTES
                                ? jl_region_map(&s->region, s->src.fd, (size_t)limit, &seg)
                                : NULL;
            if (!m)
                m = jl_map_file(s->src.fd, (size_t)limit);
            const unsigned char *head = (const unsigned char *)m;
            if (m && (tail || (jl_codec_of(head, JL_MAGIC_BYTES) == JL_PLAIN &&
                               !jl_unreadable_format(head, JL_MAGIC_BYTES)))) {
                madvise((void *)m, (size_t)limit, MADV_SEQUENTIAL);
                s->map = m;
                s->map_len = (size_t)limit;
                s->map_seg = seg;
                s->src.eof = true;
            } else if (m) {
                jl_stream_unmap(s, m, (size_t)limit, seg); /* compressed: decoded block by block */
            }
            if (jl_map_faulted()) { /* (emptied between fstat and now) */
                jl_stream_close_file(s);
                return jl_map_shrank_error(err, s->src.path);
            }
        }
        jl_count_read(&s->opts, jl_stream_file_starts(s, s->range), 0, 0);
        if (tail) {
            s->src.codec = JL_PLAIN;
            if (s->map)
                s->map_pos = (size_t)s->src.range_start;
            return true;
        }
        ssize_t r = s->map ? 0 : jl_source_read_head(&s->src, err);
        if (r > 0)
            jl_count_read(&s->opts, 0, r, 0);
        if (r < 0 || (!s->map && !jl_check_format((const unsigned char *)s->src.block, (size_t)r, s->src.path, err)))
            return false;
        s->src.codec = s->map ? JL_PLAIN : jl_codec_of((const unsigned char *)s->src.block, (size_t)r);
        if (s->src.codec != JL_PLAIN) /* by magic number, whatever the name */
            s->src.dec = jl_decoder_new(s->src.codec);
        if (r == 0) {
            s->src.eof = true;
        } else if (!s->src.dec) {
            aiq_sb_append(&s->src.pending, s->src.block, (size_t)r);
        } else {
            s->src.zin = (JlInput){s->src.block, (size_t)r, 0};
            if (!jl_source_decode(&s->src, &s->src.pending, err))
                return false;
        }
        /* look at the first line after any blanks, as parse_text does: JSON
         * lines stream, anything else is read whole */
        int whole;
        size_t bom = 0, searched = 0;
        if (s->map) {
            whole = jl_whole_value(s->map, s->map_len, true, &bom, &searched);
            s->map_pos = bom;
            jl_count_read(&s->opts, 0, (int64_t)(whole ? 0 : bom), 0); /* (chunks count the rest) */
            if (jl_map_faulted()) {
                jl_stream_close_file(s);
                return jl_map_shrank_error(err, s->src.path);
            }
        } else {
            while ((whole = jl_whole_value(s->src.pending.data, s->src.pending.len, s->src.eof, &bom, &searched)) < 0)
                if (!jl_source_fill(&s->src, &s->opts, &s->src.pending, err))
                    return false;
            if (!whole && bom) {
                memmove(s->src.pending.data, s->src.pending.data + 3, s->src.pending.len - 3);
                s->src.pending.len -= 3;
            }
        }
        if (!whole)
            return true;
        if (s->opts.verify) { /* (one value is read whole: its types are found whole too) */
            s->broken = true;
            jl_stream_close_file(s);
            return jl_guess_broken_error(err, s->src.path);
        }
        if (s->opts.reads) /* (nothing can be appended to a single value) */
            s->opts.reads[s->range] = (AiqFileRead){0};
        while (!s->map && !s->src.eof) /* a single JSON value: read it all */
            if (!jl_source_fill(&s->src, &s->opts, &s->src.pending, err))
                return false;
        Rows rows;
        jl_stream_rows_begin(s, &rows);
        FileStats fs = {0};
        const char *text = s->map ? s->map : s->src.pending.data ? s->src.pending.data : "";
        size_t len = s->map ? s->map_len : s->src.pending.len;
        bool ok = jl_parse_text(s->src.path, text, len, &rows, &fs, &s->opts, err) &&
                  jl_check_logs(s->src.path, &fs, text, len < JL_HEAD_BYTES ? len : JL_HEAD_BYTES, s->src.codec, err);
        if (s->map && jl_map_faulted())
            ok = jl_map_shrank_error(err, s->src.path);
        jl_count_read(&s->opts, 0, s->map ? (int64_t)s->map_len : 0, fs.objects);
        if (ok)
            jl_report(s->src.path, &fs, &s->opts);
        jl_stream_close_file(s);
        if (s->infer) {
            if (!ok) {
                jl_rows_free(&rows);
                return false;
            }
            jl_rows_drop_cells(&rows);
            s->whole_seen = aiq_xmalloc(sizeof *s->whole_seen);
            *s->whole_seen = rows;
            return true;
        }
        s->whole = jl_build_table(s->t, &rows, ok, &s->opts, NULL, &s->mf, err);
        return s->whole != NULL;
    }
    return false;
}

/* The bytes of the table's files (or ranges) as stored; a pipe counts 0. */
static int64_t count_table_bytes(const AiqJsonlStream *s, int n)
{
    int64_t total = 0;
    for (int r = 0; r < n; r++) {
        const AiqFileRange *range = s->opts.ranges ? &s->opts.ranges[r] : NULL;
        struct stat st;
        int64_t size = stat(s->t->paths[range ? range->path : r], &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
        if (range)
            size = range->end ? range->end - range->start : size - range->start;
        total += size > 0 ? size : 0;
    }
    return total;
}

/* Whether the open (compressed) file goes to a worker whole, as a file
 * task: decoding is the cost of a compressed file, and one thread decodes
 * a file; with several files, each worker decodes its own, which keeps
 * every core busy to the last file (2.0x at two threads on 8 .gz files,
 * 1.6x when the last was decoded here while the workers parsed it). A file
 * larger than all the others together is decoded here instead, the workers
 * parsing its chunks: alone on a worker it would be decoded and parsed on
 * one thread, while the others wait. */
bool jl_stream_file_task_fits(AiqJsonlStream *s)
{
    int n = range_count(s);
    if (s->nworkers < 2 || !s->src.dec || n < 2)
        return false;
    if (s->table_bytes < 0)
        s->table_bytes = count_table_bytes(s, n);
    struct stat st;
    int64_t size = fstat(s->src.fd, &st) == 0 ? (int64_t)st.st_size : 0;
    return size <= s->table_bytes - size;
}
