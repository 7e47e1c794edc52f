/*
 * jsonl.c -- reading JSON lines (see jsonl.h): whole files read and
 * decompressed, lines checked as UTF-8 (bad bytes replaced), each line the
 * fast scanner (jsonl_scan.c) does not take parsed by jansson (numbers
 * beyond its range kept), a top-level array or a {"records": [...]}
 * export split into rows, malformed lines counted and reported. The rows
 * go into the store (jsonl_rows.c), then become a typed table
 * (jsonl_build.c); streaming is in jsonl_stream.c.
 */
#include "io/jsonl.h"
#include "io/jsonl_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/bytescan.h"
#include "io/jsonl_decode.h"
#include "util/interrupt.h"
#include "util/mem.h"
#include "util/progress.h"
#include "util/strbuf.h"

/* ---- reading bytes --------------------------------------------------------- */

const char *jl_path_shown(const AiqCatalogTable *t, int i)
{
    const char *bound = t->bound_paths ? t->bound_paths[i] : t->paths[i];
    return strcmp(bound, "-") == 0 ? "stdin" : bound;
}

void jl_count_read(const AiqReadOptions *opts, int64_t files, int64_t bytes, int64_t rows)
{
    if (opts->stats) { /* (workers reading compressed files whole count too) */
        __atomic_fetch_add(&opts->stats->files, files, __ATOMIC_RELAXED);
        __atomic_fetch_add(&opts->stats->bytes, bytes, __ATOMIC_RELAXED);
        __atomic_fetch_add(&opts->stats->rows, rows, __ATOMIC_RELAXED);
    }
    aiq_progress_add(bytes, rows);
}

static bool read_fd(int fd, const char *path, AiqStrBuf *out, const AiqReadOptions *opts, AiqError *err)
{
    char *block = aiq_xmalloc(1 << 20);
    for (;;) {
        ssize_t r = read(fd, block, 1 << 20);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            aiq_xfree(block);
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", path, strerror(errno));
        }
        if (r == 0)
            break;
        aiq_sb_append(out, block, (size_t)r);
        jl_count_read(opts, 0, r, 0);
        if (aiq_interrupt_pending()) { /* (a pipe or a slow disk: Ctrl-C acts between blocks) */
            aiq_xfree(block);
            return jl_cancelled_error(err, path);
        }
    }
    aiq_xfree(block);
    return true;
}

/* Decompresses every frame or member of in into out; a truncated or
 * corrupt stream is an error naming the file. */
static bool decompress(const char *path, JlCodec codec, const AiqStrBuf *in, AiqStrBuf *out, AiqError *err)
{
    JlDecoder *d = jl_decoder_new(codec);
    JlInput ib = {in->data, in->len, 0};
    enum { STEP = 1 << 18 };
    bool ok = true;
    for (;;) {
        size_t produced;
        if (!(ok = jl_decode(d, &ib, aiq_sb_reserve(out, STEP), STEP, &produced, path, err)))
            break;
        aiq_sb_commit(out, produced);
        if (aiq_mem_exceeded()) {
            ok = aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while decompressing", path);
            break;
        }
        /* done when all input is consumed and the decoder has nothing more to give */
        if (ib.pos == ib.size && produced < STEP)
            break;
    }
    if (ok && !jl_decoder_at_end(d))
        ok = jl_truncated_error(d, path, err);
    jl_decoder_free(d);
    return ok;
}

/* Reads a whole file (or stdin for "-") in large blocks. */
static bool read_file(const char *path, AiqStrBuf *out, const AiqReadOptions *opts, AiqError *err)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: is a directory", path);
    }
    jl_count_read(opts, 1, 0, 0);
    bool ok = read_fd(fd, path, out, opts, err);
    if (fd != STDIN_FILENO)
        close(fd);
    return ok;
}

/* ---- UTF-8 repair ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p, or 0 when invalid. */
size_t jl_utf8_valid_len(const unsigned char *p, size_t left)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > left || (n == 2 && p[0] < 0xC2))
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    uint32_t cp = n == 3 ? (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F)
                : n == 4 ? (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F)
                         : 0x80;
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* Returns true when line is valid UTF-8; otherwise writes a repaired copy
 * (each bad byte becomes U+FFFD) to fixed. */
static bool utf8_check(const char *line, size_t len, AiqStrBuf *fixed)
{
    const unsigned char *p = (const unsigned char *)line;
    size_t k = 0;
    while (k < len) {
        k = (size_t)((const unsigned char *)aiq_scan_ascii_run(line + k, line + len) - p);
        if (k == len)
            break;
        size_t n = jl_utf8_valid_len(p + k, len - k);
        if (!n)
            break;
        k += n;
    }
    if (k == len)
        return true;
    aiq_sb_clear(fixed);
    for (k = 0; k < len;) {
        size_t n = jl_utf8_valid_len(p + k, len - k);
        if (n) {
            aiq_sb_append(fixed, line + k, n);
            k += n;
        } else {
            aiq_sb_append(fixed, "\xEF\xBF\xBD", 3);
            k++;
        }
    }
    return false;
}

/* ---- numbers beyond jansson's range ------------------------------------------ */

/* jansson refuses a number beyond its types ("too big integer", "real
 * number overflow"), and with it the whole line. CLI.md keeps the row and
 * makes the number a real: inf beyond double's range. Such a line is read
 * again from a copy in which an integer beyond 64 bits gets ".0" (jansson
 * reads it as a real) and a number beyond double's range becomes an inf
 * mark, a string that no log holds: a column's value that is a mark is
 * that inf (mark_cell); a mark deeper down becomes null, as a dynamic
 * value cannot hold inf (nor does todynamic(real(+inf))). */
#define INF_MARK_POS "\\u0000aiq+inf"
#define INF_MARK_NEG "\\u0000aiq-inf"

/* Whether the number text[0..n) is beyond 64 bits (an integer: *inf
 * false) or beyond double's range (*inf true, with its sign in *value). */
static bool number_overflows(const char *text, size_t n, bool *inf, double *value)
{
    char *num = aiq_xstrndup(text, n), *end;
    bool real = strpbrk(num, ".eE") != NULL;
    errno = 0;
    *value = strtod(num, &end);
    *inf = *end == '\0' && errno == ERANGE && isinf(*value);
    bool over = *inf;
    if (!over && !real && *end == '\0') {
        errno = 0;
        (void)strtoll(num, NULL, 10);
        over = errno == ERANGE;
    }
    aiq_xfree(num);
    return over;
}

/* Writes to out a copy of text with each overflowing number rewritten (see
 * above). Returns false, writing nothing, when no number overflows. */
static bool rewrite_overflows(const char *text, size_t len, AiqStrBuf *out)
{
    size_t copied = 0, i = 0;
    bool in_string = false;
    while (i < len) {
        char c = text[i];
        if (in_string) {
            in_string = c != '"';
            i += c == '\\' ? 2 : 1;
            continue;
        }
        if (c == '"' || (c != '-' && (c < '0' || c > '9'))) {
            in_string = c == '"';
            i++;
            continue;
        }
        size_t start = i; /* a number: outside strings nothing else starts so */
        while (i < len && text[i] && strchr("0123456789+-.eE", text[i]))
            i++;
        bool inf;
        double value;
        if (!number_overflows(text + start, i - start, &inf, &value))
            continue;
        aiq_sb_append(out, text + copied, start - copied);
        if (inf)
            aiq_sb_puts(out, value < 0 ? "\"" INF_MARK_NEG "\"" : "\"" INF_MARK_POS "\"");
        else
            aiq_sb_printf(out, "%.*s.0", (int)(i - start), text + start);
        copied = i;
    }
    if (copied)
        aiq_sb_append(out, text + copied, len - copied);
    return copied > 0;
}

/* json_loadb, but a number beyond jansson's range does not lose the value:
 * *marked says the result may hold inf marks. */
static json_t *load_json(const char *text, size_t len, size_t flags, json_error_t *je, bool *marked)
{
    *marked = false;
    json_t *v = json_loadb(text, len, flags, je);
    if (v || json_error_code(je) != json_error_numeric_overflow)
        return v;
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    if (rewrite_overflows(text, len, &fixed)) {
        v = json_loadb(fixed.data, fixed.len, flags | JSON_ALLOW_NUL, je);
        *marked = v != NULL;
    }
    aiq_sb_free(&fixed);
    return v;
}

/* Whether v is an inf mark; *inf: the value it stands for. */
static bool inf_mark(const json_t *v, double *inf)
{
    static const char pos[] = "\0aiq+inf", neg[] = "\0aiq-inf";
    if (!json_is_string(v) || json_string_length(v) != sizeof pos - 1)
        return false;
    bool is_pos = memcmp(json_string_value(v), pos, sizeof pos - 1) == 0;
    if (!is_pos && memcmp(json_string_value(v), neg, sizeof neg - 1) != 0)
        return false;
    *inf = is_pos ? INFINITY : -INFINITY;
    return true;
}

/* Turns the inf marks inside v (an object or array) into nulls. */
static void scrub_marks(json_t *v)
{
    double inf;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        void *tmp;
        json_object_foreach_safe(v, tmp, k, x) {
            if (inf_mark(x, &inf))
                json_object_set_new(v, k, json_null());
            else
                scrub_marks(x);
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *x = json_array_get(v, i);
            if (inf_mark(x, &inf))
                json_array_set_new(v, i, json_null());
            else
                scrub_marks(x);
        }
    }
}

/* Adds a row from a parsed object (takes no reference); marked: it came
 * through rewrite_overflows and may hold inf marks. */
static void rows_push_object(Rows *r, json_t *obj, int64_t line, bool marked)
{
    jl_rows_add(r, line);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        double inf;
        if (r->vallow) /* (every member, read or not, against a guessed schema) */
            jl_verify_json(r, key, v, marked && inf_mark(v, &inf));
        int c = jl_rows_column(r, key, (uint32_t)strlen(key));
        if (c < 0)
            continue;
        bool is_inf = marked && inf_mark(v, &inf);
        if (marked && !is_inf)
            scrub_marks(v);
        const AiqColumnKeys *f = r->cols[c].filter;
        if (f && f->key_vectors)
            for (int k = 0; k < f->n; k++) {
                json_t *owned = NULL;
                json_t *x = aiq_dyn_key(v, f->keys[k], strlen(f->keys[k]), &owned);
                jl_rows_set(r, r->cols[c].xfirst + k, x ? jl_cell_from_json(r, x) : (Cell){.kind = CELL_NULL});
                json_decref(owned);
            }
        if (f && f->vectors_only)
            continue; /* every read of it is served by the key vectors */
        if (f && f->n >= 0 && !f->text_only && json_is_object(v)) {
            json_t *o = jl_filtered_copy(v, f);
            jl_rows_set(r, c, jl_cell_from_json(r, o));
            json_decref(o);
        } else {
            jl_rows_set(r, c, is_inf ? (Cell){.kind = CELL_REAL, .u.f = inf} : jl_cell_from_json(r, v));
        }
    }
}


bool jl_cancelled_error(AiqError *err, const char *path)
{
    return aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "%s: reading cancelled", path);
}

bool jl_strict_error(AiqError *err, const char *path, int64_t line, const char *reason)
{
    return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s:%lld: malformed line (--strict): %s", path, (long long)line, reason);
}

static void bad_line(FileStats *fs, int64_t line, const char *reason)
{
    if (fs->malformed++ == 0) {
        fs->first_bad_line = line;
        snprintf(fs->reason, sizeof fs->reason, "%s", reason);
    }
}

/* Adds each object of an array as a row; anything else in it is counted. */
static void add_objects(Rows *rows, FileStats *fs, json_t *arr, int64_t line, const char *what, bool marked)
{
    size_t k;
    json_t *rec;
    json_array_foreach(arr, k, rec) {
        if (json_is_object(rec)) {
            rows_push_object(rows, rec, line, marked);
            fs->objects++;
        } else
            bad_line(fs, line, what);
    }
}

/* Adds the rows of one parsed JSON value (takes its reference): an object
 * is a row, except {"records": [...]} which holds rows; a top-level array
 * holds rows. marked: see rows_push_object. */
static void add_value(Rows *rows, FileStats *fs, json_t *v, int64_t line, bool top_array, bool marked)
{
    json_t *records = json_object_get(v, "records");
    if (json_is_object(v) && json_object_size(v) == 1 && json_is_array(records)) {
        add_objects(rows, fs, records, line, "a record is not a JSON object", marked);
    } else if (json_is_object(v)) {
        rows_push_object(rows, v, line, marked);
        fs->objects++;
    } else if (json_is_array(v) && top_array) {
        add_objects(rows, fs, v, line, "an array element is not a JSON object", marked);
    } else {
        bad_line(fs, line, "not a JSON object");
    }
    json_decref(v);
}

/* Adds one line that the fast path has refused as it is (jl_next_lines):
 * skipped when blank, counted when malformed (an error with --strict),
 * fast-scanned once its invalid UTF-8 is repaired, else parsed by jansson. */
static bool parse_line(Rows *rows, FileStats *fs, const char *start, size_t n, int64_t lineno, const char *path,
                       const AiqReadOptions *opts, AiqStrBuf *fixed, AiqError *err)
{
    if (n && start[n - 1] == '\r')
        n--;
    size_t k = 0;
    /* JSON's blanks: a stray CR (a CR LF file cut oddly, old Mac text) too */
    while (k < n && (start[k] == ' ' || start[k] == '\t' || start[k] == '\r'))
        k++;
    if (k == n)
        return true; /* blank line */
    /* The scanner checks UTF-8 inside strings as it goes and refuses any
     * other non-ASCII byte: a repaired line may now pass. */
    const char *line = start;
    if (!utf8_check(start, n, fixed)) {
        fs->bad_utf8++;
        line = fixed->data;
        n = fixed->len;
        if (!opts->jansson_only && jl_scan_line(rows, line, n, lineno)) {
            fs->objects++;
            return true;
        }
    }
    json_error_t je;
    bool marked;
    json_t *v = load_json(line, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je, &marked);
    if (!v) { /* (counted under --strict too: a stream renumbers its report, jsonl_stream.c) */
        bad_line(fs, lineno, je.text);
        return opts->strict ? jl_strict_error(err, path, lineno, je.text) : true;
    }
    if (!json_is_object(v) && opts->strict) {
        json_decref(v);
        bad_line(fs, lineno, "not a JSON object");
        return jl_strict_error(err, path, lineno, "not a JSON object");
    }
    add_value(rows, fs, v, lineno, false, marked);
    return true;
}

/* Every 4096 lines, on the fast path and the slow alike: the memory limit
 * and a Ctrl-C (the REPL reads a whole file this way). false with err. */
static bool reading_may_go_on(int64_t line, const char *path, AiqError *err)
{
    if ((line & 4095) != 0)
        return true;
    if (aiq_mem_exceeded())
        return aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while reading", path);
    if (aiq_interrupt_pending())
        return jl_cancelled_error(err, path);
    return true;
}

bool jl_next_lines(Rows *rows, FileStats *fs, const char *text, size_t len, size_t *pos, int64_t *lineno,
                   int64_t max_rows, const char *path, const AiqReadOptions *opts, AiqStrBuf *fixed, AiqError *err)
{
    const char *p = text + *pos, *end = text + len;
    int64_t line = *lineno;
    bool ok = true, fast = !opts->jansson_only;
    /* one loop over the lines, not a call per line: a count does little
     * else per line than this */
    while (p < end && rows->n < max_rows) {
        for (int k = 0; k < 512; k += 64)
            __builtin_prefetch(p + 512 + k);
        line++;
        if (!(ok = reading_may_go_on(line, path, err)))
            break;
        /* most lines: the fast path reads the line and finds its end at once */
        const char *stop = fast ? jl_scan_next_line(rows, p, end, line) : NULL;
        if (stop) {
            p = stop + (stop < end);
            fs->objects++;
            continue;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        ok = parse_line(rows, fs, p, n, line, path, opts, fixed, err);
        p += n + (nl ? 1 : 0);
        if (!ok)
            break;
    }
    *pos = (size_t)(p - text);
    *lineno = line;
    return ok;
}

int jl_whole_value(const char *text, size_t len, bool eof, size_t *bom, size_t *searched)
{
    size_t k = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* UTF-8 byte order mark */
    *bom = k;
    while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
        k++;
    /* (a first line longer than what was read so far is searched once) */
    size_t from = *searched > k ? *searched : k;
    const char *nl = from < len ? memchr(text + from, '\n', len - from) : NULL;
    if (!nl && !eof) {
        *searched = len;
        return -1;
    }
    size_t n = nl ? (size_t)(nl - text) : len;
    if (k < len && text[k] == '[')
        return 1;
    if (k >= len || text[k] != '{')
        return 0;
    /* a valid first line: JSON lines. The scanner validates without
     * building anything (a first line may be 500 MB); jansson decides the
     * lines it is not sure of. */
    if (jl_scan_valid(text + k, n - k))
        return 0;
    json_t *line1 = json_loadb(text + k, n - k, 0, NULL);
    json_decref(line1);
    return line1 == NULL;
}

size_t jl_unfinished_tail(const char *text, size_t len)
{
    if (len == 0 || text[len - 1] == '\n')
        return 0;
    const char *nl = memrchr(text, '\n', len);
    size_t start = nl ? (size_t)(nl - text) + 1 : 0, n = len - start;
    const char *line = text + start;
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    size_t k = 0;
    while (k < n && (line[k] == ' ' || line[k] == '\t'))
        k++;
    if (k == n || jl_scan_valid(line + k, n - k))
        return 0; /* blank, or a complete line that only lacks its newline */
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    if (!utf8_check(line + k, n - k, &fixed)) { /* (bad bytes are repaired when the line is read) */
        line = fixed.data;
        n = fixed.len;
        k = 0;
    }
    json_error_t je;
    bool marked;
    json_t *v = load_json(line + k, n - k, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je, &marked);
    /* still being written: it stops inside a JSON value (a text that is
     * not JSON at any length, a stray print, is malformed) */
    bool cut = !v && json_error_code(&je) == json_error_premature_end_of_input;
    json_decref(v);
    aiq_sb_free(&fixed);
    return cut ? len - start : 0;
}

/* Splits text into rows. */
bool jl_parse_text(const char *path, const char *text, size_t len, Rows *rows, FileStats *fs,
                   const AiqReadOptions *opts, AiqError *err)
{
    size_t pos, searched = 0;
    if (jl_whole_value(text, len, true, &pos, &searched) == 1) {
        json_error_t je;
        bool marked;
        json_t *whole = load_json(text + pos, len - pos, 0, &je, &marked);
        if (whole && (json_is_array(whole) || json_is_object(whole))) {
            add_value(rows, fs, whole, 1, true, marked);
            return true;
        }
        json_decref(whole); /* not one value after all: lines */
    }
    fs->unfinished = (int64_t)jl_unfinished_tail(text + pos, len - pos); /* (after a byte order mark, as the stream) */
    len -= (size_t)fs->unfinished;
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    int64_t lineno = 0;
    bool ok = jl_next_lines(rows, fs, text, len, &pos, &lineno, INT64_MAX, path, opts, &fixed, err);
    aiq_sb_free(&fixed);
    return ok;
}

/* Reports once per file what was skipped or repaired. */
void jl_report(const char *name, const FileStats *fs, const AiqReadOptions *opts)
{
    if (opts->warn && fs->unfinished)
        fprintf(opts->warn, "aiq: %s: the last line is not finished yet (%lld bytes, no newline): left for the next read\n",
                name, (long long)fs->unfinished);
    if (opts->warn && fs->malformed)
        fprintf(opts->warn, "aiq: %s: %lld malformed line%s skipped (first at line %lld: %s)\n", name,
                (long long)fs->malformed, fs->malformed == 1 ? "" : "s", (long long)fs->first_bad_line, fs->reason);
    if (opts->warn && fs->bad_utf8)
        fprintf(opts->warn, "aiq: %s: %lld line%s with invalid UTF-8; bad bytes replaced with U+FFFD\n", name,
                (long long)fs->bad_utf8, fs->bad_utf8 == 1 ? "" : "s");
}

bool jl_check_logs(const char *path, const FileStats *fs, const char *head, size_t n, JlCodec codec, AiqError *err)
{
    if (fs->malformed && !fs->objects)
        return jl_not_logs_error(err, path, head, n, codec, fs->reason);
    return true;
}

/* Parses one file's bytes (decompressing zstd or gzip) into rows and
 * reports what was skipped; a file that is not logs is an error. */
static bool parse_file(const char *name, AiqStrBuf *raw, Rows *rows, const AiqReadOptions *opts, AiqError *err)
{
    const char *data = raw->data ? raw->data : "";
    size_t len = raw->len;
    if (!jl_check_format((const unsigned char *)data, len, name, err))
        return false;
    JlCodec codec = jl_codec_of((const unsigned char *)data, len);
    AiqStrBuf text;
    aiq_sb_init(&text);
    bool ok = true;
    if (codec != JL_PLAIN) {
        ok = decompress(name, codec, raw, &text, err);
        data = text.data ? text.data : "";
        len = text.len;
    }
    FileStats fs = {0};
    ok = ok && jl_parse_text(name, data, len, rows, &fs, opts, err) &&
         jl_check_logs(name, &fs, data, len < JL_HEAD_BYTES ? len : JL_HEAD_BYTES, codec, err);
    aiq_sb_free(&text);
    jl_count_read(opts, 0, 0, fs.objects);
    if (ok)
        jl_report(name, &fs, opts);
    return ok;
}

AiqTable *aiq_jsonl_load(AiqCatalogTable *ct, const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    Rows rows;
    jl_rows_init(&rows);
    jl_want_declared(&rows, ct, opts);
    bool ok = true;
    for (int p = 0; p < ct->npaths && ok; p++) {
        AiqStrBuf raw;
        aiq_sb_init(&raw);
        const char *name = jl_path_shown(ct, p); /* (as messages name it) */
        ok = read_file(ct->paths[p], &raw, opts, err) && parse_file(name, &raw, &rows, opts, err);
        aiq_sb_free(&raw);
    }
    Misfits mf = {0};
    AiqTable *t = jl_build_table(ct, &rows, ok, opts, schema_arena, &mf, err);
    if (t)
        jl_report_misfits(ct, &mf, opts);
    return t;
}

AiqTable *aiq_jsonl_load_buffer(AiqCatalogTable *ct, const char *name, const char *data, size_t len,
                                const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    Rows rows;
    jl_rows_init(&rows);
    jl_want_declared(&rows, ct, opts);
    AiqStrBuf raw = {(char *)data, len, len};
    bool ok = parse_file(name, &raw, &rows, opts, err);
    Misfits mf = {0};
    AiqTable *t = jl_build_table(ct, &rows, ok, opts, schema_arena, &mf, err);
    if (t)
        jl_report_misfits(ct, &mf, opts);
    return t;
}

/* ---- a file's shape ---------------------------------------------------------- */

/* Skips blanks (and a byte order mark at the start) from p; returns where
 * the next byte is, or end. */
static const char *skip_blanks(const char *p, const char *end)
{
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* Whether text starts with {"records": [ (blanks allowed between). */
static bool starts_records(const char *p, const char *end)
{
    static const char *const tokens[] = {"{", "\"records\"", ":", "["};
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        p = skip_blanks(p, end);
        size_t n = strlen(tokens[i]);
        if ((size_t)(end - p) < n || memcmp(p, tokens[i], n) != 0)
            return false;
        p += n;
    }
    return true;
}

bool aiq_jsonl_shape(const char *path, AiqFileShape *shape)
{
    enum { HEAD = 4096 };
    memset(shape, 0, sizeof *shape);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    char raw[HEAD], text[HEAD];
    ssize_t n = read(fd, raw, sizeof raw);
    close(fd);
    if (n < 0)
        return false;
    JlCodec codec = jl_codec_of((const unsigned char *)raw, (size_t)n);
    const char *head = raw;
    size_t len = (size_t)n;
    if (codec != JL_PLAIN) {
        shape->codec = jl_codec_name(codec);
        JlDecoder *d = jl_decoder_new(codec);
        JlInput in = {raw, (size_t)n, 0};
        AiqError ignored = {0}; /* (a corrupt file shows when it is read) */
        if (!jl_decode(d, &in, text, sizeof text, &len, path, &ignored))
            len = 0;
        jl_decoder_free(d);
        head = text;
    }
    shape->records = starts_records(head, head + len);
    return true;
}

bool aiq_read_decoded(const char *path, AiqStrBuf *out, AiqError *err)
{
    AiqStrBuf raw;
    aiq_sb_init(&raw);
    bool ok = read_file(path, &raw, &(AiqReadOptions){0}, err);
    const unsigned char *head = (const unsigned char *)(raw.data ? raw.data : "");
    ok = ok && jl_check_format(head, raw.len, path, err);
    JlCodec codec = ok ? jl_codec_of(head, raw.len) : JL_PLAIN;
    if (ok && codec != JL_PLAIN) {
        ok = decompress(path, codec, &raw, out, err);
    } else if (ok) {
        *out = raw; /* plain: the bytes as read */
        return true;
    }
    aiq_sb_free(&raw);
    return ok;
}
