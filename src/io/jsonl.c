/*
 * jsonl.c -- JSON-lines reading and type inference (see jsonl.h).
 *
 * Files are read in large blocks (never line by line with getline); zstd
 * frames are streamed through libzstd. Each line is parsed with jansson,
 * then each column is converted once into a typed column of the table.
 */
#include "jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "util/interrupt.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

/* ---- reading bytes --------------------------------------------------------- */

static bool read_fd(int fd, const char *path, AiqStrBuf *out, AiqError *err)
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
    }
    aiq_xfree(block);
    return true;
}

/* Decompresses every zstd frame of in into out; a truncated or corrupt
 * stream is an error naming the file. */
static bool unzstd(const char *path, const AiqStrBuf *in, AiqStrBuf *out, AiqError *err)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    ZSTD_initDStream(ds);
    size_t cap = ZSTD_DStreamOutSize();
    char *buf = aiq_xmalloc(cap);
    ZSTD_inBuffer ib = {in->data, in->len, 0};
    size_t ret = 0;
    bool ok = true;
    for (;;) {
        ZSTD_outBuffer ob = {buf, cap, 0};
        ret = ZSTD_decompressStream(ds, &ob, &ib);
        if (ZSTD_isError(ret)) {
            ok = aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: corrupt zstd data at byte %zu: %s", path,
                               ib.pos, ZSTD_getErrorName(ret));
            break;
        }
        aiq_sb_append(out, buf, ob.pos);
        if (aiq_mem_exceeded()) {
            ok = aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while decompressing", path);
            break;
        }
        /* done when all input is consumed and the decoder has nothing more to give */
        if (ib.pos == ib.size && ob.pos < cap)
            break;
    }
    /* ret == 0 means the last frame ended exactly; anything else is a cut */
    if (ok && ret != 0)
        ok = aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: truncated zstd file (the last frame is incomplete)", path);
    aiq_xfree(buf);
    ZSTD_freeDStream(ds);
    return ok;
}

/* Reads a whole file (or stdin for "-") in large blocks. */
static bool read_file(const char *path, AiqStrBuf *out, AiqError *err)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: is a directory", path);
    }
    bool ok = read_fd(fd, path, out, err);
    if (fd != STDIN_FILENO)
        close(fd);
    return ok;
}

/* ---- UTF-8 repair ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at p, or 0 when invalid. */
static size_t utf8_valid_len(const unsigned char *p, size_t left)
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
        if (p[k] < 0x80) {
            k++;
            continue;
        }
        size_t n = utf8_valid_len(p + k, len - k);
        if (!n)
            break;
        k += n;
    }
    if (k == len)
        return true;
    aiq_sb_clear(fixed);
    for (k = 0; k < len;) {
        size_t n = utf8_valid_len(p + k, len - k);
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

/* ---- rows -------------------------------------------------------------------- */

typedef struct Rows {
    json_t **rows;
    int64_t *lines; /* source line of each row, for reports */
    int64_t n, cap;
} Rows;

static void rows_push(Rows *r, json_t *obj, int64_t line)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 4096;
        r->rows = aiq_xrealloc(r->rows, sizeof *r->rows * (size_t)r->cap);
        r->lines = aiq_xrealloc(r->lines, sizeof *r->lines * (size_t)r->cap);
    }
    r->rows[r->n] = obj;
    r->lines[r->n++] = line;
}

typedef struct FileStats {
    int64_t malformed, first_bad_line, bad_utf8;
    char reason[160];
} FileStats;

static void bad_line(FileStats *fs, int64_t line, const char *reason)
{
    if (fs->malformed++ == 0) {
        fs->first_bad_line = line;
        snprintf(fs->reason, sizeof fs->reason, "%s", reason);
    }
}

/* Adds the rows of one parsed JSON value: an object is a row, except
 * {"records": [...]} which holds rows; an array holds rows. */
static void add_value(Rows *rows, FileStats *fs, json_t *v, int64_t line, bool top_array)
{
    if (json_is_object(v)) {
        json_t *records = json_object_get(v, "records");
        if (json_object_size(v) == 1 && json_is_array(records)) {
            size_t k;
            json_t *rec;
            json_array_foreach(records, k, rec) {
                if (json_is_object(rec))
                    rows_push(rows, json_incref(rec), line);
                else
                    bad_line(fs, line, "a record is not a JSON object");
            }
            json_decref(v);
            return;
        }
        rows_push(rows, v, line);
        return;
    }
    if (json_is_array(v) && top_array) {
        size_t k;
        json_t *rec;
        json_array_foreach(v, k, rec) {
            if (json_is_object(rec))
                rows_push(rows, json_incref(rec), line);
            else
                bad_line(fs, line, "an array element is not a JSON object");
        }
        json_decref(v);
        return;
    }
    bad_line(fs, line, "not a JSON object");
    json_decref(v);
}

/* Splits text into rows. */
static bool parse_text(const char *path, const char *text, size_t len, Rows *rows, FileStats *fs,
                       const AiqReadOptions *opts, AiqError *err)
{
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* UTF-8 byte order mark */
    size_t first = pos;
    while (first < len && (text[first] == ' ' || text[first] == '\t' || text[first] == '\r' || text[first] == '\n'))
        first++;
    /* A whole-file JSON value: a top-level array, or one (pretty-printed)
     * {"records": [...]} object. */
    if (first < len && (text[first] == '[' || text[first] == '{')) {
        const char *nl = memchr(text + first, '\n', len - first);
        json_error_t je;
        json_t *line1 = text[first] == '{' ? json_loadb(text + first, (size_t)((nl ? nl : text + len) - (text + first)), 0, &je) : NULL;
        if (!line1) {
            json_t *whole = json_loadb(text + first, len - first, 0, &je);
            if (whole && (json_is_array(whole) || json_is_object(whole))) {
                add_value(rows, fs, whole, 1, true);
                return true;
            }
            json_decref(whole);
        }
        json_decref(line1);
    }
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    int64_t lineno = 0;
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        if (n && start[n - 1] == '\r')
            n--;
        size_t k = 0;
        while (k < n && (start[k] == ' ' || start[k] == '\t'))
            k++;
        if (k == n)
            continue; /* blank line */
        const char *line = start;
        if (!utf8_check(start, n, &fixed)) {
            fs->bad_utf8++;
            line = fixed.data;
            n = fixed.len;
        }
        json_error_t je;
        json_t *v = json_loadb(line, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
        if (!v) {
            if (opts->strict) {
                aiq_sb_free(&fixed);
                return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s:%lld: malformed line (--strict): %s", path, (long long)lineno, je.text);
            }
            bad_line(fs, lineno, je.text);
            continue;
        }
        if (!json_is_object(v) && opts->strict) {
            json_decref(v);
            aiq_sb_free(&fixed);
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s:%lld: malformed line (--strict): not a JSON object", path, (long long)lineno);
        }
        add_value(rows, fs, v, lineno, false);
        if ((lineno & 4095) == 0 && aiq_mem_exceeded()) {
            aiq_sb_free(&fixed);
            return aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while reading", path);
        }
        if ((lineno & 4095) == 0 && aiq_interrupt_pending()) {
            aiq_sb_free(&fixed);
            return aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "%s: reading cancelled", path);
        }
    }
    aiq_sb_free(&fixed);
    return true;
}

/* ---- types ---------------------------------------------------------------------- */

enum { SEEN_INT = 1, SEEN_REAL = 2, SEEN_BOOL = 4, SEEN_STRING = 8, SEEN_NESTED = 16, SEEN_NONDATE = 32 };

typedef struct ColInfo {
    const char *name;
    unsigned seen;
} ColInfo;

static AiqType infer(unsigned seen)
{
    unsigned kinds = seen & (SEEN_INT | SEEN_REAL | SEEN_BOOL | SEEN_STRING | SEEN_NESTED);
    if (kinds == 0)
        return AIQ_TYPE_STRING; /* only nulls: Kusto would say string too */
    if (kinds == SEEN_INT)
        return AIQ_TYPE_LONG;
    if ((kinds & ~(SEEN_INT | SEEN_REAL)) == 0)
        return AIQ_TYPE_REAL;
    if (kinds == SEEN_BOOL)
        return AIQ_TYPE_BOOL;
    if (kinds == SEEN_STRING)
        return (seen & SEEN_NONDATE) ? AIQ_TYPE_STRING : AIQ_TYPE_DATETIME;
    return AIQ_TYPE_DYNAMIC;
}

/* Converts a JSON value into column c of row r; returns false on a misfit. */
static bool convert(AiqTable *t, int c, int64_t r, json_t *v, AiqVector *tmp)
{
    AiqType ty = t->cols[c].type;
    if (!v || json_is_null(v)) {
        aiq_table_set(t, c, r, NULL, 0);
        return true;
    }
    tmp->type = ty;
    tmp->is_const = true;
    tmp->validity = NULL;
    int64_t i64 = 0;
    double f64 = 0;
    AiqStr s = {"", 0};
    json_t *d = v;
    bool ok = true;
    switch (ty) {
    case AIQ_TYPE_BOOL:
        if (json_is_boolean(v))
            i64 = json_is_true(v);
        else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
            i64 = json_integer_value(v);
        else if (json_is_string(v) && strcasecmp(json_string_value(v), "true") == 0)
            i64 = 1;
        else if (json_is_string(v) && strcasecmp(json_string_value(v), "false") == 0)
            i64 = 0;
        else
            ok = false;
        break;
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG:
        if (json_is_integer(v))
            i64 = json_integer_value(v);
        else if (json_is_real(v) && json_real_value(v) == (double)(int64_t)json_real_value(v))
            i64 = (int64_t)json_real_value(v);
        else if (json_is_string(v)) {
            char *end;
            errno = 0;
            i64 = strtoll(json_string_value(v), &end, 10);
            ok = *end == '\0' && json_string_length(v) > 0 && errno == 0;
        } else
            ok = false;
        break;
    case AIQ_TYPE_REAL:
        if (json_is_number(v))
            f64 = json_number_value(v);
        else if (json_is_string(v)) {
            char *end;
            f64 = strtod(json_string_value(v), &end);
            ok = *end == '\0' && json_string_length(v) > 0;
        } else
            ok = false;
        break;
    case AIQ_TYPE_DATETIME:
        ok = json_is_string(v) && aiq_datetime_parse(json_string_value(v), json_string_length(v), &i64);
        break;
    case AIQ_TYPE_TIMESPAN:
        ok = json_is_string(v) && aiq_timespan_parse(json_string_value(v), json_string_length(v), &i64);
        break;
    case AIQ_TYPE_STRING:
        if (json_is_string(v)) {
            s.ptr = json_string_value(v);
            s.len = (uint32_t)json_string_length(v);
        } else {
            /* numbers, bools and objects in a string column keep their JSON text */
            char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            AiqStr st = {txt ? txt : "", txt ? (uint32_t)strlen(txt) : 0};
            tmp->data.str = &st;
            aiq_table_set(t, c, r, tmp, 0);
            aiq_xfree(txt); /* jansson allocates through aiq_xmalloc */
            return true;
        }
        break;
    case AIQ_TYPE_DYNAMIC: break;
    default: ok = false;
    }
    if (!ok) {
        aiq_table_set(t, c, r, NULL, 0);
        return false;
    }
    switch (ty) {
    case AIQ_TYPE_REAL: tmp->data.f64 = &f64; break;
    case AIQ_TYPE_STRING: tmp->data.str = &s; break;
    case AIQ_TYPE_DYNAMIC: tmp->data.dyn = &d; break;
    default: tmp->data.i64 = &i64; break;
    }
    aiq_table_set(t, c, r, tmp, 0);
    return true;
}

/* Parses one file's bytes (decompressing zstd) into rows and reports what was skipped. */
static bool parse_file(const char *name, AiqStrBuf *raw, Rows *rows, const AiqReadOptions *opts, AiqError *err)
{
    static const unsigned char magic[4] = {0x28, 0xB5, 0x2F, 0xFD};
    AiqStrBuf text;
    aiq_sb_init(&text);
    bool ok = true;
    if (raw->len >= 4 && memcmp(raw->data, magic, 4) == 0)
        ok = unzstd(name, raw, &text, err);
    else
        aiq_sb_append(&text, raw->data ? raw->data : "", raw->len);
    FileStats fs = {0};
    ok = ok && parse_text(name, text.data ? text.data : "", text.len, rows, &fs, opts, err);
    aiq_sb_free(&text);
    if (ok && opts->warn && fs.malformed)
        fprintf(opts->warn, "aiq: %s: %lld malformed line%s skipped (first at line %lld: %s)\n", name,
                (long long)fs.malformed, fs.malformed == 1 ? "" : "s", (long long)fs.first_bad_line, fs.reason);
    if (ok && opts->warn && fs.bad_utf8)
        fprintf(opts->warn, "aiq: %s: %lld line%s with invalid UTF-8; bad bytes replaced with U+FFFD\n", name,
                (long long)fs.bad_utf8, fs.bad_utf8 == 1 ? "" : "s");
    return ok;
}

static AiqTable *build_table(AiqCatalogTable *ct, Rows rows, bool ok, const AiqReadOptions *opts,
                             AiqArena *schema_arena, AiqError *err);

AiqTable *aiq_jsonl_load(AiqCatalogTable *ct, const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    Rows rows = {0};
    bool ok = true;
    for (int p = 0; p < ct->npaths && ok; p++) {
        AiqStrBuf raw;
        aiq_sb_init(&raw);
        ok = read_file(ct->paths[p], &raw, err) && parse_file(ct->paths[p], &raw, &rows, opts, err);
        aiq_sb_free(&raw);
    }
    return build_table(ct, rows, ok, opts, schema_arena, err);
}

AiqTable *aiq_jsonl_load_buffer(AiqCatalogTable *ct, const char *name, const char *data, size_t len,
                                const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    Rows rows = {0};
    AiqStrBuf raw = {(char *)data, len, len};
    bool ok = parse_file(name, &raw, &rows, opts, err);
    return build_table(ct, rows, ok, opts, schema_arena, err);
}

/* Turns parsed rows into the typed table (declared or inferred schema). */
static AiqTable *build_table(AiqCatalogTable *ct, Rows rows, bool ok, const AiqReadOptions *opts,
                             AiqArena *schema_arena, AiqError *err)
{
    AiqTable *t = NULL;
    if (ok) {
        /* columns: declared, or every key in order of first appearance */
        ColInfo *info = NULL;
        int ncols = 0;
        if (ct->declared) {
            ncols = ct->schema.ncols;
            info = aiq_xcalloc((size_t)ncols + 1, sizeof *info);
            for (int c = 0; c < ncols; c++)
                info[c].name = ct->schema.cols[c].name;
        } else {
            AiqKeyMap names;
            aiq_keymap_init(&names);
            int cap = 0;
            for (int64_t r = 0; r < rows.n; r++) {
                const char *key;
                json_t *v;
                json_object_foreach(rows.rows[r], key, v) {
                    bool added;
                    int64_t id = aiq_keymap_get(&names, key, (uint32_t)strlen(key), &added);
                    if (added) {
                        if (ncols == cap) {
                            cap = cap ? cap * 2 : 16;
                            info = aiq_xrealloc(info, sizeof *info * (size_t)cap);
                        }
                        info[ncols].name = aiq_arena_strndup(schema_arena, key, strlen(key));
                        info[ncols++].seen = 0;
                    }
                    ColInfo *ci = &info[id];
                    int64_t tmp;
                    if (json_is_integer(v))
                        ci->seen |= SEEN_INT;
                    else if (json_is_real(v))
                        ci->seen |= SEEN_REAL;
                    else if (json_is_boolean(v))
                        ci->seen |= SEEN_BOOL;
                    else if (json_is_string(v)) {
                        ci->seen |= SEEN_STRING;
                        if (!(ci->seen & SEEN_NONDATE) && !aiq_datetime_parse(json_string_value(v), json_string_length(v), &tmp))
                            ci->seen |= SEEN_NONDATE;
                    } else if (json_is_object(v) || json_is_array(v))
                        ci->seen |= SEEN_NESTED;
                }
            }
            aiq_keymap_free(&names);
            ct->schema.ncols = ncols;
            ct->schema.cols = aiq_arena_alloc(schema_arena, sizeof *ct->schema.cols * (size_t)(ncols + 1));
            for (int c = 0; c < ncols; c++) {
                ct->schema.cols[c].name = info[c].name;
                ct->schema.cols[c].type = infer(info[c].seen);
            }
        }
        t = aiq_table_new(&ct->schema);
        int64_t misfits = 0, first_line = 0;
        int first_col = -1;
        char first_text[64] = "";
        AiqVector tmp;
        for (int64_t r = 0; r < rows.n; r++) {
            aiq_table_add_null_row(t);
            for (int c = 0; c < ncols; c++) {
                json_t *v = json_object_get(rows.rows[r], info[c].name);
                if (!convert(t, c, r, v, &tmp)) {
                    if (misfits++ == 0) {
                        first_line = rows.lines[r];
                        first_col = c;
                        char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                        snprintf(first_text, sizeof first_text, "%s", txt ? txt : "?");
                        aiq_xfree(txt); /* jansson allocates through aiq_xmalloc */
                    }
                }
            }
            json_decref(rows.rows[r]);
            rows.rows[r] = NULL;
            if ((r & 4095) == 0 && aiq_mem_exceeded()) {
                ok = aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "table '%s': memory limit (--max-memory) reached while loading", ct->name);
                break;
            }
        }
        if (ok && misfits && opts->warn)
            fprintf(opts->warn, "aiq: %s: %lld value%s did not fit the declared type and became null (first: column %s:%s at line %lld: %s)\n",
                    ct->name, (long long)misfits, misfits == 1 ? "" : "s", info[first_col].name,
                    aiq_type_name(t->cols[first_col].type), (long long)first_line, first_text);
        aiq_xfree(info);
    }
    for (int64_t r = 0; r < rows.n; r++)
        json_decref(rows.rows[r]);
    aiq_xfree(rows.rows);
    aiq_xfree(rows.lines);
    if (!ok) {
        aiq_table_free(t);
        return NULL;
    }
    return t;
}
