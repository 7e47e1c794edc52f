/*
 * jsonl.c -- JSON-lines reading and type inference (see jsonl.h).
 *
 * Files are read in large blocks (never line by line with getline); zstd
 * frames are streamed through libzstd. Each line is parsed with jansson,
 * then each column is converted once into a typed column of the table.
 */
#include "jsonl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "io/bytescan.h"
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
        k = (size_t)((const unsigned char *)aiq_scan_ascii_run(line + k, line + len) - p);
        if (k == len)
            break;
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

/* ---- rows: a column-wise store of cells ----------------------------------- */

/* One field of one row, before types are known. Strings are unescaped into
 * the store's arena; objects and arrays are jansson values. */
typedef enum { CELL_MISSING = 0, CELL_NULL, CELL_FALSE, CELL_TRUE, CELL_INT, CELL_REAL, CELL_STRING, CELL_JSON, CELL_TEXT } CellKind;

typedef struct Cell {
    uint8_t kind;
    uint32_t len; /* CELL_STRING, CELL_TEXT (an object or array kept as JSON text, in the arena) */
    union {
        int64_t i;
        double f;
        const char *s;
        json_t *j;
    } u;
} Cell;

enum { SEEN_INT = 1, SEEN_REAL = 2, SEEN_BOOL = 4, SEEN_STRING = 8, SEEN_NESTED = 16, SEEN_NONDATE = 32 };

typedef struct CellCol {
    const char *name;
    Cell *cells;    /* one per row; CELL_MISSING where the row lacks the key */
    unsigned seen;  /* SEEN_* kinds met, for type inference */
    const AiqColumnKeys *filter; /* objects keep only these keys (NULL: all) */
    int xfirst;     /* with filter->key_vectors: the store column of filter->keys[0]'s vector (the rest follow) */
} CellCol;

typedef struct Rows {
    CellCol *cols;
    int ncols, capcols;
    int64_t n, cap;
    int64_t *lines;  /* source line of each row, for reports */
    AiqKeyMap names; /* column name -> index */
    AiqArena strings;
    bool fixed;      /* only the columns preset by rows_want are kept */
    bool kinds_only; /* schema inference: objects and arrays are validated, not built */
    const AiqTopHint *hint; /* with hint_col: rows a top above cannot take are dropped */
    int hint_col;
    int npreds;                  /* a where's conjuncts: rows one is false for are dropped */
    const AiqRowPred *preds[16];
    int pred_cols[16];           /* the store column of each */
    /* The column met at each key position of the previous line: lines of a
     * log mostly repeat their key order, so a memcmp usually replaces a
     * hash lookup. name is the column's name, or a copy for skipped keys. */
    struct KeyGuess {
        const char *name;
        uint32_t len;
        int col; /* -1: a key the store does not keep */
    } guess[64];
    int guess_copies; /* copies made for skipped keys, bounded */
} Rows;

static void rows_init(Rows *r)
{
    memset(r, 0, sizeof *r);
    aiq_keymap_init(&r->names);
    aiq_arena_init(&r->strings, 64 << 10);
}

static void rows_free(Rows *r)
{
    for (int c = 0; c < r->ncols; c++) {
        for (int64_t i = 0; i < r->n; i++)
            if (r->cols[c].cells[i].kind == CELL_JSON)
                json_decref(r->cols[c].cells[i].u.j);
        aiq_xfree(r->cols[c].cells);
    }
    aiq_xfree(r->cols);
    aiq_xfree(r->lines);
    aiq_keymap_free(&r->names);
    aiq_arena_free(&r->strings);
}

/* Forgets the rows but keeps the columns and what was seen in them (schema
 * inference reads a file without keeping it). */
static void rows_drop_cells(Rows *r)
{
    for (int c = 0; c < r->ncols; c++) {
        for (int64_t i = 0; i < r->n; i++)
            if (r->cols[c].cells[i].kind == CELL_JSON)
                json_decref(r->cols[c].cells[i].u.j);
        memset(r->cols[c].cells, 0, sizeof(Cell) * (size_t)r->n);
    }
    r->n = 0;
}

static int rows_column_add(Rows *r, const char *key, uint32_t len);

/* Restricts the store to the given names (projection pushdown): other keys
 * are validated and skipped, never materialized. */
static void rows_want(Rows *r, const char *const *names, const AiqColumnKeys *const *filters, int n)
{
    for (int i = 0; i < n; i++) {
        int c = rows_column_add(r, names[i], (uint32_t)strlen(names[i]));
        r->cols[c].filter = filters[i];
    }
    r->fixed = true;
}

/* Starts a new row (all cells missing). */
static void rows_add(Rows *r, int64_t line)
{
    if (r->n == r->cap) {
        int64_t cap = r->cap ? r->cap * 2 : 4096;
        for (int c = 0; c < r->ncols; c++) {
            r->cols[c].cells = aiq_xrealloc(r->cols[c].cells, sizeof(Cell) * (size_t)cap);
            memset(r->cols[c].cells + r->cap, 0, sizeof(Cell) * (size_t)(cap - r->cap));
        }
        r->lines = aiq_xrealloc(r->lines, sizeof *r->lines * (size_t)cap);
        r->cap = cap;
    }
    r->lines[r->n++] = line;
}

/* Returns the column of a key, adding it (missing in earlier rows) when new. */
static int rows_column_add(Rows *r, const char *key, uint32_t len)
{
    bool added;
    int64_t id = aiq_keymap_get(&r->names, key, len, &added);
    if (added) {
        if (r->ncols == r->capcols) {
            r->capcols = r->capcols ? r->capcols * 2 : 16;
            r->cols = aiq_xrealloc(r->cols, sizeof *r->cols * (size_t)r->capcols);
        }
        CellCol *col = &r->cols[r->ncols++];
        col->name = aiq_arena_strndup(&r->strings, key, len);
        col->cells = aiq_xcalloc((size_t)(r->cap ? r->cap : 1), sizeof(Cell));
        col->seen = 0;
        col->filter = NULL;
        col->xfirst = -1;
    }
    return (int)id;
}


/* The column of a key, or -1 when the store does not keep it. */
static int rows_column(Rows *r, const char *key, uint32_t len)
{
    if (r->fixed)
        return (int)aiq_keymap_find(&r->names, key, len);
    return rows_column_add(r, key, len);
}

static inline bool same8(const char *a, const char *b)
{
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x == y;
}

/* a[0..n) == b[0..n), in words, the last one overlapping (keys are short:
 * no libc call). */
static inline bool same_bytes(const char *a, const char *b, uint32_t n)
{
    if (n >= 8) {
        for (uint32_t i = 0; i + 8 < n; i += 8)
            if (!same8(a + i, b + i))
                return false;
        return same8(a + n - 8, b + n - 8);
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Looks a key up without creating a column: the column, or -1 (a key the
 * store does not keep, or, when not fixed, a key not seen yet). */
static int rows_column_at(Rows *r, int pos, const char *key, uint32_t len)
{
    struct KeyGuess *g = pos < 64 ? &r->guess[pos] : NULL;
    if (g && g->name && g->len == len && same_bytes(g->name, key, len))
        return g->col;
    int c = (int)aiq_keymap_find(&r->names, key, len);
    if (g && c >= 0) {
        g->name = r->cols[c].name;
        g->len = len;
        g->col = c;
    } else if (g && r->fixed && r->guess_copies < 4096) {
        g->name = aiq_arena_strndup(&r->strings, key, len);
        g->len = len;
        g->col = -1;
        r->guess_copies++;
    }
    return c;
}

/* Stores a field of the last row; a repeated key keeps the last value, as jansson does. */
static void rows_set(Rows *r, int c, Cell cell)
{
    CellCol *col = &r->cols[c];
    Cell *slot = &col->cells[r->n - 1];
    if (slot->kind == CELL_JSON)
        json_decref(slot->u.j);
    *slot = cell;
    int64_t tmp;
    switch (cell.kind) {
    case CELL_INT: col->seen |= SEEN_INT; break;
    case CELL_REAL: col->seen |= SEEN_REAL; break;
    case CELL_FALSE:
    case CELL_TRUE: col->seen |= SEEN_BOOL; break;
    case CELL_STRING:
        col->seen |= SEEN_STRING;
        /* only inference (no declared schema) asks whether strings are dates */
        if (!r->fixed && !(col->seen & SEEN_NONDATE) && !aiq_datetime_parse(cell.u.s, cell.len, &tmp))
            col->seen |= SEEN_NONDATE;
        break;
    case CELL_JSON:
    case CELL_TEXT: col->seen |= SEEN_NESTED; break;
    default: break;
    }
}

static Cell cell_from_json(Rows *r, json_t *v)
{
    Cell c = {0};
    switch (json_typeof(v)) {
    case JSON_NULL: c.kind = CELL_NULL; break;
    case JSON_TRUE: c.kind = CELL_TRUE; break;
    case JSON_FALSE: c.kind = CELL_FALSE; break;
    case JSON_INTEGER: c.kind = CELL_INT; c.u.i = json_integer_value(v); break;
    case JSON_REAL: c.kind = CELL_REAL; c.u.f = json_real_value(v); break;
    case JSON_STRING:
        c.kind = CELL_STRING;
        c.len = (uint32_t)json_string_length(v);
        c.u.s = c.len ? aiq_arena_strndup(&r->strings, json_string_value(v), c.len) : "";
        break;
    default: c.kind = CELL_JSON; c.u.j = json_incref(v); break;
    }
    return c;
}

/* Index of key in f's keys, or -1. */
static int wanted_key(const AiqColumnKeys *f, const char *key, size_t len)
{
    for (int i = 0; i < f->n; i++)
        if (strlen(f->keys[i]) == len && memcmp(f->keys[i], key, len) == 0)
            return i;
    return -1;
}

/* An object with only the keys the query reads (a new reference). */
static json_t *filtered_copy(json_t *obj, const AiqColumnKeys *f)
{
    json_t *o = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (wanted_key(f, key, strlen(key)) >= 0)
            json_object_set(o, key, v);
    }
    return o;
}

/* Adds a row from a parsed object (takes no reference). */
static void rows_push_object(Rows *r, json_t *obj, int64_t line)
{
    rows_add(r, line);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int c = rows_column(r, key, (uint32_t)strlen(key));
        if (c < 0)
            continue;
        const AiqColumnKeys *f = r->cols[c].filter;
        if (f && f->key_vectors)
            for (int k = 0; k < f->n; k++) {
                json_t *owned = NULL;
                json_t *x = aiq_dyn_key(v, f->keys[k], strlen(f->keys[k]), &owned);
                rows_set(r, r->cols[c].xfirst + k, x ? cell_from_json(r, x) : (Cell){.kind = CELL_NULL});
                json_decref(owned);
            }
        if (f && f->vectors_only)
            continue; /* every read of it is served by the key vectors */
        if (f && f->n >= 0 && !f->text_only && json_is_object(v)) {
            json_t *o = filtered_copy(v, f);
            rows_set(r, c, cell_from_json(r, o));
            json_decref(o);
        } else {
            rows_set(r, c, cell_from_json(r, v));
        }
    }
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
/* Adds each object of an array as a row; anything else in it is counted. */
static void add_objects(Rows *rows, FileStats *fs, json_t *arr, int64_t line, const char *what)
{
    size_t k;
    json_t *rec;
    json_array_foreach(arr, k, rec) {
        if (json_is_object(rec))
            rows_push_object(rows, rec, line);
        else
            bad_line(fs, line, what);
    }
}

static void add_value(Rows *rows, FileStats *fs, json_t *v, int64_t line, bool top_array)
{
    json_t *records = json_object_get(v, "records");
    if (json_is_object(v) && json_object_size(v) == 1 && json_is_array(records))
        add_objects(rows, fs, records, line, "a record is not a JSON object");
    else if (json_is_object(v))
        rows_push_object(rows, v, line);
    else if (json_is_array(v) && top_array)
        add_objects(rows, fs, v, line, "an array element is not a JSON object");
    else
        bad_line(fs, line, "not a JSON object");
    json_decref(v);
}

/* ---- the fast path ------------------------------------------------------------ */

static inline const char *skip_ws(const char *p, const char *end)
{
    /* most JSON lines are compact: one compare says "not a blank" */
    while (p < end && (unsigned char)*p <= ' ' && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Parses a JSON string at p (after the opening quote) into the store's arena.
 * Returns the position after the closing quote, or NULL when anything is off. */
static const char *scan_string(Rows *r, const char *p, const char *end, Cell *out)
{
    const char *start = p;
    for (;;) { /* plain ASCII runs, and multi-byte UTF-8 checked as met */
        p = aiq_scan_string_run(p, end);
        if (p >= end || (unsigned char)*p < 0x80)
            break;
        size_t n = utf8_valid_len((const unsigned char *)p, (size_t)(end - p));
        if (!n)
            return NULL; /* the slow path repairs the line and counts it */
        p += n;
    }
    if (p < end && *p == '"') { /* no escapes: one copy, or none when only validating */
        out->kind = CELL_STRING;
        out->len = (uint32_t)(p - start);
        /* inference only looks at the bytes while the line is alive: no copy */
        out->u.s = !out->len || !r ? "" : r->kinds_only ? start : aiq_arena_strndup(&r->strings, start, out->len);
        return p + 1;
    }
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_sb_append(&sb, start, (size_t)(p - start));
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c < 0x20)
            goto bad;
        if (c >= 0x80) {
            size_t n = utf8_valid_len((const unsigned char *)p, (size_t)(end - p));
            if (!n)
                goto bad;
            aiq_sb_append(&sb, p, n);
            p += n;
            continue;
        }
        if (c != '\\') {
            aiq_sb_putc(&sb, (char)c);
            p++;
            continue;
        }
        if (++p >= end)
            goto bad;
        switch (*p) {
        case '"': aiq_sb_putc(&sb, '"'); break;
        case '\\': aiq_sb_putc(&sb, '\\'); break;
        case '/': aiq_sb_putc(&sb, '/'); break;
        case 'b': aiq_sb_putc(&sb, '\b'); break;
        case 'f': aiq_sb_putc(&sb, '\f'); break;
        case 'n': aiq_sb_putc(&sb, '\n'); break;
        case 'r': aiq_sb_putc(&sb, '\r'); break;
        case 't': aiq_sb_putc(&sb, '\t'); break;
        case 'u': {
            uint32_t cp = 0;
            for (int k = 1; k <= 4; k++) {
                int h = p + k < end ? hexval(p[k]) : -1;
                if (h < 0)
                    goto bad;
                cp = cp * 16 + (uint32_t)h;
            }
            p += 4;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                goto bad; /* a lone low surrogate: let jansson judge */
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo = 0;
                if (p + 6 >= end || p[1] != '\\' || p[2] != 'u')
                    goto bad;
                for (int k = 3; k <= 6; k++) {
                    int h = hexval(p[k]);
                    if (h < 0)
                        goto bad;
                    lo = lo * 16 + (uint32_t)h;
                }
                if (lo < 0xDC00 || lo > 0xDFFF)
                    goto bad;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            char u[4];
            size_t n = 0;
            if (cp < 0x80) {
                u[n++] = (char)cp;
            } else if (cp < 0x800) {
                u[n++] = (char)(0xC0 | cp >> 6);
                u[n++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                u[n++] = (char)(0xE0 | cp >> 12);
                u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
                u[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                u[n++] = (char)(0xF0 | cp >> 18);
                u[n++] = (char)(0x80 | (cp >> 12 & 0x3F));
                u[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
                u[n++] = (char)(0x80 | (cp & 0x3F));
            }
            aiq_sb_append(&sb, u, n);
            break;
        }
        default: goto bad;
        }
        p++;
    }
    if (p >= end)
        goto bad;
    out->kind = CELL_STRING;
    out->len = (uint32_t)sb.len;
    out->u.s = sb.len && r ? aiq_arena_strndup(&r->strings, sb.data, sb.len) : "";
    aiq_sb_free(&sb);
    return p + 1;
bad:
    aiq_sb_free(&sb);
    return NULL;
}

/* Validates the JSON string at p (after the opening quote) without keeping
 * it: the plain ASCII case inline, anything else through scan_string. */
static inline const char *skip_string(const char *p, const char *end)
{
    const char *q = aiq_scan_string_run(p, end);
    if (q < end && *q == '"')
        return q + 1;
    Cell c;
    return scan_string(NULL, p, end, &c);
}

/* Exact powers of ten as doubles (10^22 is the last one a double holds exactly). */
static const double pow10_exact[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parses a number with JSON's grammar; NULL when it is not one or would
 * overflow (jansson rejects those lines, and then decides). With out NULL
 * it only validates. Values are exact without strtod when the digits fit
 * 53 bits and the power of ten is exact (one correctly rounded multiply or
 * divide gives strtod's answer); anything else goes to strtod/strtoll. */
static const char *scan_number(const char *p, const char *end, Cell *out)
{
    const char *start = p;
    bool neg = false, real = false;
    uint64_t mant = 0;
    int ndigits = 0, frac = 0, exp10 = 0;
    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    if (p >= end || (unsigned)(*p - '0') > 9)
        return NULL;
    if (*p == '0') {
        p++;
    } else {
        for (; p < end && (unsigned)(*p - '0') <= 9; p++, ndigits++)
            mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (p < end && *p == '.') {
        real = true;
        if (++p >= end || (unsigned)(*p - '0') > 9)
            return NULL;
        for (; p < end && (unsigned)(*p - '0') <= 9; p++, frac++, ndigits++)
            mant = mant * 10 + (uint64_t)(*p - '0');
    }
    bool has_exp = false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = has_exp = true;
        p++;
        bool eneg = p < end && *p == '-';
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || (unsigned)(*p - '0') > 9)
            return NULL;
        for (; p < end && (unsigned)(*p - '0') <= 9; p++)
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (*p - '0');
        if (eneg)
            exp10 = -exp10;
    }
    size_t n = (size_t)(p - start);
    if (ndigits <= 18 && n < 64) { /* mant did not wrap */
        if (!real) {
            if (out) {
                out->kind = CELL_INT;
                out->u.i = neg ? -(int64_t)mant : (int64_t)mant;
            }
            return p;
        }
        int e = exp10 - frac;
        if (!out && !has_exp)
            return p; /* a plain decimal this short cannot overflow */
        if (mant <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
            if (out) {
                double v = e >= 0 ? (double)mant * pow10_exact[e] : (double)mant / pow10_exact[-e];
                out->kind = CELL_REAL;
                out->u.f = neg ? -v : v;
            }
            return p;
        }
    }
    char buf[64];
    if (n >= sizeof buf)
        return NULL;
    memcpy(buf, start, n);
    buf[n] = '\0';
    Cell scratch;
    if (!out)
        out = &scratch;
    errno = 0;
    if (real) {
        out->kind = CELL_REAL;
        out->u.f = strtod(buf, NULL);
    } else {
        out->kind = CELL_INT;
        out->u.i = strtoll(buf, NULL, 10);
    }
    return errno ? NULL : p;
}

/* The end of a nested object or array starting at p, or NULL. */
static const char *skip_nested(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        char c = *p++;
        if (c == '"') {
            for (;;) {
                p = aiq_scan_string_run(p, end);
                if (p >= end)
                    return NULL;
                if (*p == '"')
                    break;
                p += *p == '\\' ? 2 : 1; /* an escape, or a control byte jansson will judge */
            }
            p++;
        } else if (c == '{' || c == '[') {
            if (++depth > 1000)
                return NULL;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return p;
        }
    }
    return NULL;
}

/* Validates (without building anything) the JSON value at p; returns its end,
 * or NULL when it is not plainly valid (jansson then decides). */
static const char *skip_value(const char *p, const char *end, int depth)
{
    if (p >= end || depth > 512)
        return NULL;
    switch (*p) {
    case '"': return skip_string(p + 1, end);
    case 't': return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f': return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n': return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
    case '[':
    case '{': {
        char close = *p == '[' ? ']' : '}';
        p = skip_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                if (p >= end || *p != '"' || !(p = skip_string(p + 1, end)))
                    return NULL;
                if (end - p > 1 && p[0] == ':' && (unsigned char)p[1] > ' ') { /* compact JSON */
                    p++;
                } else {
                    p = skip_ws(p, end);
                    if (p >= end || *p != ':')
                        return NULL;
                    p = skip_ws(p + 1, end);
                }
            }
            if (!(p = skip_value(p, end, depth + 1)))
                return NULL;
            if (end - p > 1 && p[0] == ',' && (unsigned char)p[1] > ' ') { /* compact JSON */
                p++;
                continue;
            }
            p = skip_ws(p, end);
            if (p < end && *p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            return p < end && *p == close ? p + 1 : NULL;
        }
    }
    default: return scan_number(p, end, NULL);
    }
}

/* Parses the object at p keeping only the keys of f (the rest is validated
 * and skipped); returns its end or NULL when anything is off. */
/* The JSON value of a cell (a new reference; NULL for null or missing). */
static json_t *json_from_cell(const Cell *c)
{
    switch (c->kind) {
    case CELL_TRUE: return json_true();
    case CELL_FALSE: return json_false();
    case CELL_INT: return json_integer(c->u.i);
    case CELL_REAL: return json_real(c->u.f);
    case CELL_STRING: return json_stringn(c->u.s, c->len);
    case CELL_JSON: return json_incref(c->u.j);
    default: return NULL;
    }
}

/* With f->vectors_only no object is built (*out stays NULL); with
 * f->key_vectors xcells[k] gets the value of f->keys[k] (a reference of
 * its own for objects and arrays). */
static const char *scan_filtered_object(Rows *r, const AiqColumnKeys *f, const char *p, const char *end, json_t **out,
                                        Cell *xcells)
{
    json_t *o = f->vectors_only ? NULL : json_object();
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        *out = o;
        return p + 1;
    }
    for (;;) {
        if (p >= end || *p != '"')
            goto bad;
        const char *k = ++p;
        p = aiq_scan_string_run(p, end);
        if (p >= end || *p != '"')
            goto bad; /* escaped keys: jansson decides */
        size_t klen = (size_t)(p - k);
        p = skip_ws(p + 1, end);
        if (p >= end || *p != ':')
            goto bad;
        p = skip_ws(p + 1, end);
        int ki = wanted_key(f, k, klen);
        if (ki < 0) {
            if (!(p = skip_value(p, end, 1)))
                goto bad;
        } else {
            Cell c = {0};
            if (p < end && (*p == '{' || *p == '[')) {
                const char *e = skip_nested(p, end);
                json_t *j = e ? json_loadb(p, (size_t)(e - p), JSON_ALLOW_NUL, NULL) : NULL;
                c.kind = CELL_JSON;
                c.u.j = j;
                p = j ? e : NULL;
            } else if (p < end && *p == '"') {
                p = scan_string(r, p + 1, end, &c);
            } else if (p < end && (*p == 't' || *p == 'f' || *p == 'n')) {
                const char *e = skip_value(p, end, 1);
                c.kind = !e ? CELL_MISSING : *p == 't' ? CELL_TRUE : *p == 'f' ? CELL_FALSE : CELL_NULL;
                p = e;
            } else {
                p = scan_number(p, end, &c);
            }
            if (!p)
                goto bad;
            if (o) {
                json_t *v = c.kind == CELL_NULL ? json_null() : json_from_cell(&c);
                json_object_setn_new(o, k, klen, v); /* a repeated key: the last wins */
            }
            if (xcells && f->key_vectors) {
                if (xcells[ki].kind == CELL_JSON)
                    json_decref(xcells[ki].u.j); /* a repeated key: the last wins */
                xcells[ki] = c;
            } else if (c.kind == CELL_JSON) {
                json_decref(c.u.j);
            }
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}') {
            *out = o;
            return p + 1;
        }
        goto bad;
    }
bad:
    json_decref(o);
    for (int k = 0; xcells && f->key_vectors && k < f->n; k++)
        if (xcells[k].kind == CELL_JSON) {
            json_decref(xcells[k].u.j);
            xcells[k].kind = CELL_NULL;
        }
    return NULL;
}

/* After an object member: 1 with *pp past a ',' (another member follows),
 * 0 with *pp past the closing '}', -1 when neither comes next. */
static inline int after_member(const char **pp, const char *end)
{
    const char *p = *pp;
    if (end - p >= 2 && p[0] == ',' && p[1] == '"') { /* compact JSON */
        *pp = p + 1;
        return 1;
    }
    p = skip_ws(p, end);
    if (p < end && *p == ',') {
        *pp = skip_ws(p + 1, end);
        return 1;
    }
    if (p < end && *p == '}') {
        *pp = p + 1;
        return 0;
    }
    return -1;
}

/* The fields of a line the scanner has read, kept until the whole line is
 * known good: columns are created only then, so a line jansson rejects
 * leaves no trace (found by fuzz_scanner). */
enum { MAXF = 256 };
typedef struct LineFields {
    const char *keys[MAXF];
    uint32_t klens[MAXF];
    int cols[MAXF];
    Cell cells[MAXF];
    int n;
} LineFields;

/* Keeps one field; a repeated key: the last value wins, as in jansson.
 * A key with a column (col >= 0) is known by it; only keys new to the
 * store need their names compared. */
static void stage_field(LineFields *lf, const char *k, uint32_t klen, int col, Cell c)
{
    for (int f = 0; f < lf->n; f++)
        if (col >= 0 ? lf->cols[f] == col
                     : lf->cols[f] < 0 && lf->klens[f] == klen && memcmp(lf->keys[f], k, klen) == 0) {
            if (lf->cells[f].kind == CELL_JSON)
                json_decref(lf->cells[f].u.j);
            lf->cells[f] = c;
            return;
        }
    lf->keys[lf->n] = k;
    lf->klens[lf->n] = klen;
    lf->cols[lf->n] = col;
    lf->cells[lf->n++] = c;
}

/* Keeps the key vectors' values of column col's value (cells xc). */
static void stage_key_vectors(LineFields *lf, const Rows *r, int col, const Cell *xc)
{
    const CellCol *cc = &r->cols[col];
    for (int k = 0; k < cc->filter->n; k++) {
        const CellCol *x = &r->cols[cc->xfirst + k];
        stage_field(lf, x->name, (uint32_t)strlen(x->name), cc->xfirst + k, xc[k]);
    }
}

/* The key vectors' values for a column value that is not an object (a
 * string may hold one), by the rules of d["key"]. */
static void key_cells_from_value(Rows *r, const AiqColumnKeys *f, const Cell *v, Cell *xc)
{
    json_t *d = json_from_cell(v);
    for (int k = 0; k < f->n; k++) {
        json_t *owned = NULL;
        json_t *x = aiq_dyn_key(d, f->keys[k], strlen(f->keys[k]), &owned);
        xc[k] = x ? cell_from_json(r, x) : (Cell){.kind = CELL_NULL};
        json_decref(owned);
    }
    json_decref(d);
}

/* Whether a top above could take the line (its key as its column would
 * hold it; any other shape of value is kept for the executor to judge). */
static bool hint_keeps(const Rows *r, const LineFields *lf)
{
    for (int f = 0; f < lf->n; f++) {
        if (lf->cols[f] != r->hint_col)
            continue;
        const Cell *c = &lf->cells[f];
        if (r->hint->type == AIQ_TYPE_REAL && (c->kind == CELL_REAL || c->kind == CELL_INT))
            return aiq_top_hint_keeps(r->hint, c->kind == CELL_REAL ? c->u.f : (double)c->u.i, 0);
        if (r->hint->type == AIQ_TYPE_LONG && c->kind == CELL_INT)
            return aiq_top_hint_keeps(r->hint, 0, c->u.i);
        return true;
    }
    return true; /* no key: null, which top judges */
}

/* Whether a where's conjunct could be true for a value as its column would
 * hold it (the comparison kernels' rules: NaN is unordered, so only != is
 * true for it); values of any other shape are kept for the where to judge. */
static bool pred_keeps(const AiqRowPred *pr, const Cell *c)
{
    int cmp;
    switch (pr->type) {
    case AIQ_TYPE_REAL:
    case AIQ_TYPE_LONG: {
        if (c->kind != CELL_INT && (c->kind != CELL_REAL || pr->type != AIQ_TYPE_REAL))
            return true;
        if (pr->real) {
            double x = c->kind == CELL_REAL ? c->u.f : (double)c->u.i;
            if (isnan(x) || isnan(pr->f))
                return pr->op == AIQ_PRED_NE;
            cmp = (x > pr->f) - (x < pr->f);
        } else {
            cmp = (c->u.i > pr->i) - (c->u.i < pr->i);
        }
        break;
    }
    case AIQ_TYPE_DATETIME: {
        int64_t t;
        if (c->kind != CELL_STRING || !aiq_datetime_parse(c->u.s, c->len, &t))
            return true;
        cmp = (t > pr->i) - (t < pr->i);
        break;
    }
    case AIQ_TYPE_STRING: {
        if (c->kind != CELL_STRING)
            return true;
        bool eq = c->len == pr->s.len && memcmp(c->u.s, pr->s.ptr, c->len) == 0;
        return pr->op == AIQ_PRED_EQ ? eq : !eq;
    }
    default: return true;
    }
    switch (pr->op) {
    case AIQ_PRED_LT: return cmp < 0;
    case AIQ_PRED_LE: return cmp <= 0;
    case AIQ_PRED_GT: return cmp > 0;
    case AIQ_PRED_GE: return cmp >= 0;
    case AIQ_PRED_EQ: return cmp == 0;
    default: return cmp != 0;
    }
}

/* Column col is one an operator above watches (a where's or top's). */
static bool watched(const Rows *r, int col)
{
    if (r->hint && col == r->hint_col)
        return true;
    for (int k = 0; k < r->npreds; k++)
        if (r->pred_cols[k] == col)
            return true;
    return false;
}

/* Whether the operators above could take a line, judging by the value of
 * column col just read (c). */
static bool value_keeps(const Rows *r, const LineFields *lf, int col, const Cell *c)
{
    for (int k = 0; k < r->npreds; k++)
        if (r->pred_cols[k] == col && !pred_keeps(r->preds[k], c))
            return false;
    return !(r->hint && col == r->hint_col && !hint_keeps(r, lf));
}

/* Reads a line that holds one flat-or-nested JSON object straight into the
 * store. Returns false, having changed nothing, whenever the line is not
 * plainly valid (escaped keys, overflowing numbers, a "records" export, any
 * syntax error): jansson then parses it and decides. */
static bool scan_line(Rows *r, const char *line, size_t n, int64_t lineno)
{
    const char *p = line, *end = line + n;
    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return false;
    p = skip_ws(p + 1, end);
    LineFields lf;
    lf.n = 0;
    int nskipped = 0;
    bool dropping = false; /* a top above cannot take this line: validate the rest only */
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            if (p >= end || *p != '"' || lf.n >= MAXF - 64)
                goto bad;
            const char *k = ++p;
            uint32_t klen;
            int col;
            /* lines of a log repeat their keys in order: when this key is
             * the one met here on the last line, its bytes and closing quote
             * say so at once (that key was plain, so this one is too) */
            const struct KeyGuess *g = lf.n + nskipped < 64 ? &r->guess[lf.n + nskipped] : NULL;
            if (g && g->name && (size_t)(end - k) > g->len && k[g->len] == '"' && same_bytes(k, g->name, g->len)) {
                klen = g->len;
                col = g->col;
                p = k + klen;
            } else {
                p = aiq_scan_string_run(p, end);
                if (p >= end || *p != '"')
                    goto bad;
                klen = (uint32_t)(p - k);
                if (klen == 7 && memcmp(k, "records", 7) == 0)
                    goto bad; /* a diagnostic-settings export: the slow path expands it */
                col = rows_column_at(r, lf.n + nskipped, k, klen);
            }
            if (end - p > 2 && p[1] == ':' && (unsigned char)p[2] > ' ') { /* compact JSON */
                p += 2;
            } else {
                p = skip_ws(p + 1, end);
                if (p >= end || *p != ':')
                    goto bad;
                p = skip_ws(p + 1, end);
                if (p >= end)
                    goto bad;
            }
            if (dropping && watched(r, col))
                goto bad; /* a watched key again (the last value wins): jansson's path keeps the row */
            if ((r->fixed && col < 0) || dropping) {
                nskipped++;
                /* a column the query does not read: validate it, build nothing */
                if (!(p = *p == '"' ? skip_string(p + 1, end) : skip_value(p, end, 0)))
                    goto bad;
                goto next_member;
            }
            Cell c = {0};
            if (r->kinds_only && (*p == '{' || *p == '[')) {
                if (!(p = skip_value(p, end, 1)))
                    goto bad;
                c.kind = CELL_TEXT; /* nested, which is all inference asks */
                c.u.s = "";
                goto have_value;
            }
            if (col >= 0 && r->cols[col].filter && r->cols[col].filter->text_only && (*p == '{' || *p == '[')) {
                const char *e = skip_value(p, end, 1); /* validated, not built */
                if (!e)
                    goto bad;
                c.kind = CELL_TEXT;
                c.len = (uint32_t)(e - p);
                c.u.s = aiq_arena_strndup(&r->strings, p, c.len);
                p = e;
                goto have_value;
            }
            const AiqColumnKeys *kf = col >= 0 ? r->cols[col].filter : NULL;
            Cell xc[64]; /* key vectors' values (at most 64 keys: see want_declared) */
            if (kf && kf->key_vectors)
                for (int x = 0; x < kf->n; x++)
                    xc[x] = (Cell){.kind = CELL_NULL};
            if (kf && kf->n >= 0 && *p == '{') {
                json_t *j = NULL;
                if (!(p = scan_filtered_object(r, kf, p, end, &j, xc)))
                    goto bad;
                c.kind = j ? CELL_JSON : CELL_MISSING;
                c.u.j = j;
                if (kf->key_vectors)
                    stage_key_vectors(&lf, r, col, xc);
                goto have_value;
            }
            switch (*p) {
            case '"': p = scan_string(r, p + 1, end, &c); break;
            case 't': c.kind = CELL_TRUE; p = end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL; break;
            case 'f': c.kind = CELL_FALSE; p = end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL; break;
            case 'n': c.kind = CELL_NULL; p = end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL; break;
            case '{':
            case '[': {
                const char *e = skip_nested(p, end);
                json_t *j = e ? json_loadb(p, (size_t)(e - p), JSON_ALLOW_NUL, NULL) : NULL;
                if (!j)
                    goto bad;
                c.kind = CELL_JSON;
                c.u.j = j;
                p = e;
                break;
            }
            default: p = scan_number(p, end, &c); break;
            }
            if (!p)
                goto bad;
            if (kf && kf->key_vectors) { /* not an object: d["key"] rules */
                key_cells_from_value(r, kf, &c, xc);
                stage_key_vectors(&lf, r, col, xc);
                if (kf->vectors_only) {
                    if (c.kind == CELL_JSON)
                        json_decref(c.u.j);
                    c.kind = CELL_MISSING;
                }
            }
        have_value:
            stage_field(&lf, k, klen, col, c);
            if ((r->npreds || r->hint) && col >= 0 && !value_keeps(r, &lf, col, &c))
                dropping = true;
        next_member:;
            int more = after_member(&p, end);
            if (more < 0)
                goto bad;
            if (more)
                continue;
            break;
        }
    }
    if (skip_ws(p, end) != end)
        goto bad;
    if (dropping) { /* a good line, but the operators above would not take it */
        for (int f = 0; f < lf.n; f++)
            if (lf.cells[f].kind == CELL_JSON)
                json_decref(lf.cells[f].u.j);
        return true;
    }
    rows_add(r, lineno);
    for (int f = 0; f < lf.n; f++)
        rows_set(r, lf.cols[f] >= 0 ? lf.cols[f] : rows_column_add(r, lf.keys[f], lf.klens[f]), lf.cells[f]);
    return true;
bad:
    for (int f = 0; f < lf.n; f++)
        if (lf.cells[f].kind == CELL_JSON)
            json_decref(lf.cells[f].u.j);
    return false; /* strings stay in the arena until the table is built: harmless */
}

/* Adds one line: skipped when blank, counted when malformed (an error with
 * --strict), fast-scanned when plain, else parsed by jansson. */
static bool parse_line(Rows *rows, FileStats *fs, const char *start, size_t n, int64_t lineno, const char *path,
                       const AiqReadOptions *opts, AiqStrBuf *fixed, AiqError *err)
{
    if (n && start[n - 1] == '\r')
        n--;
    size_t k = 0;
    while (k < n && (start[k] == ' ' || start[k] == '\t'))
        k++;
    if (k == n)
        return true; /* blank line */
    /* The scanner checks UTF-8 inside strings as it goes and refuses any
     * other non-ASCII byte, so a line it accepts needed no repair. */
    if (!opts->jansson_only && scan_line(rows, start, n, lineno))
        return true; /* the fast path understood the whole line */
    const char *line = start;
    if (!utf8_check(start, n, fixed)) {
        fs->bad_utf8++;
        line = fixed->data;
        n = fixed->len;
        if (!opts->jansson_only && scan_line(rows, line, n, lineno))
            return true;
    }
    json_error_t je;
    json_t *v = json_loadb(line, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!v) {
        if (opts->strict)
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s:%lld: malformed line (--strict): %s", path, (long long)lineno, je.text);
        bad_line(fs, lineno, je.text);
        return true;
    }
    if (!json_is_object(v) && opts->strict) {
        json_decref(v);
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s:%lld: malformed line (--strict): not a JSON object", path, (long long)lineno);
    }
    add_value(rows, fs, v, lineno, false);
    if ((lineno & 4095) == 0 && aiq_mem_exceeded())
        return aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while reading", path);
    if ((lineno & 4095) == 0 && aiq_interrupt_pending())
        return aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "%s: reading cancelled", path);
    return true;
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
        if (!parse_line(rows, fs, start, n, ++lineno, path, opts, &fixed, err)) {
            aiq_sb_free(&fixed);
            return false;
        }
    }
    aiq_sb_free(&fixed);
    return true;
}

/* ---- types ---------------------------------------------------------------------- */

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

/* The JSON text of a cell, for string columns holding numbers or objects
 * and for misfit reports. Returns a buffer owned by sb. */
static const char *cell_text(const Cell *c, AiqStrBuf *sb)
{
    aiq_sb_clear(sb);
    char buf[64];
    switch (c->kind) {
    case CELL_NULL:
    case CELL_MISSING: aiq_sb_puts(sb, "null"); break;
    case CELL_TRUE: aiq_sb_puts(sb, "true"); break;
    case CELL_FALSE: aiq_sb_puts(sb, "false"); break;
    case CELL_INT: aiq_sb_printf(sb, "%lld", (long long)c->u.i); break;
    case CELL_REAL: aiq_real_format(c->u.f, buf); aiq_sb_puts(sb, buf); break;
    case CELL_STRING:
    case CELL_TEXT: aiq_sb_append(sb, c->u.s, c->len); break;
    case CELL_JSON: {
        char *t = json_dumps(c->u.j, JSON_COMPACT | JSON_ENCODE_ANY);
        aiq_sb_puts(sb, t ? t : "null");
        aiq_xfree(t); /* jansson allocates through aiq_xmalloc */
        break;
    }
    }
    return aiq_sb_str(sb);
}

/* Converts a cell into column c of row r; returns false on a misfit. */
static bool convert(AiqTable *t, int c, int64_t r, const Cell *cell, AiqVector *tmp, AiqStrBuf *sb)
{
    AiqType ty = t->cols[c].type;
    if (cell->kind == CELL_MISSING || cell->kind == CELL_NULL)
        return true; /* the row was added null */
    tmp->type = ty;
    tmp->is_const = true;
    tmp->validity = NULL;
    int64_t i64 = 0;
    double f64 = 0;
    AiqStr s = {"", 0};
    json_t *d = NULL;
    bool ok = true;
    const char *str = cell->kind == CELL_STRING ? cell->u.s : NULL;
    switch (ty) {
    case AIQ_TYPE_BOOL:
        if (cell->kind == CELL_TRUE || cell->kind == CELL_FALSE)
            i64 = cell->kind == CELL_TRUE;
        else if (cell->kind == CELL_INT && (cell->u.i == 0 || cell->u.i == 1))
            i64 = cell->u.i;
        else if (str && cell->len == 4 && strncasecmp(str, "true", 4) == 0)
            i64 = 1;
        else if (str && cell->len == 5 && strncasecmp(str, "false", 5) == 0)
            i64 = 0;
        else
            ok = false;
        break;
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG:
        if (cell->kind == CELL_INT)
            i64 = cell->u.i;
        else if (cell->kind == CELL_REAL)
            ok = aiq_real_to_long(cell->u.f, &i64) && cell->u.f == (double)i64;
        else if (str && cell->len && cell->len < 32) {
            char buf[32], *end;
            memcpy(buf, str, cell->len);
            buf[cell->len] = '\0';
            errno = 0;
            i64 = strtoll(buf, &end, 10);
            ok = *end == '\0' && errno == 0;
        } else
            ok = false;
        break;
    case AIQ_TYPE_REAL:
        if (cell->kind == CELL_INT)
            f64 = (double)cell->u.i;
        else if (cell->kind == CELL_REAL)
            f64 = cell->u.f;
        else if (str && cell->len && cell->len < 64) {
            char buf[64], *end;
            memcpy(buf, str, cell->len);
            buf[cell->len] = '\0';
            f64 = strtod(buf, &end);
            ok = *end == '\0';
        } else
            ok = false;
        break;
    case AIQ_TYPE_DATETIME: ok = str && aiq_datetime_parse(str, cell->len, &i64); break;
    case AIQ_TYPE_TIMESPAN: ok = str && aiq_timespan_parse(str, cell->len, &i64); break;
    case AIQ_TYPE_STRING:
        if (str) {
            s = (AiqStr){str, cell->len};
        } else {
            /* numbers, bools and objects in a string column keep their JSON text */
            cell_text(cell, sb);
            s = (AiqStr){aiq_sb_str(sb), (uint32_t)sb->len};
        }
        break;
    case AIQ_TYPE_DYNAMIC:
        switch (cell->kind) {
        case CELL_TRUE:
        case CELL_FALSE: d = json_boolean(cell->kind == CELL_TRUE); break;
        case CELL_INT: d = json_integer(cell->u.i); break;
        case CELL_REAL: d = json_real(cell->u.f); break;
        case CELL_STRING: d = json_stringn(cell->u.s, cell->len); break;
        case CELL_TEXT: d = aiq_dyn_text_new(cell->u.s, cell->len); break;
        default: d = json_incref(cell->u.j); break;
        }
        break;
    default: ok = false;
    }
    if (!ok)
        return false;
    switch (ty) {
    case AIQ_TYPE_REAL: tmp->data.f64 = &f64; break;
    case AIQ_TYPE_STRING: tmp->data.str = &s; break;
    case AIQ_TYPE_DYNAMIC: tmp->data.dyn = &d; break;
    default: tmp->data.i64 = &i64; break;
    }
    aiq_table_set(t, c, r, tmp, 0);
    json_decref(d); /* the table took its own reference */
    return true;
}

/* Reports once per file what was skipped or repaired. */
static void report(const char *name, const FileStats *fs, const AiqReadOptions *opts)
{
    if (opts->warn && fs->malformed)
        fprintf(opts->warn, "aiq: %s: %lld malformed line%s skipped (first at line %lld: %s)\n", name,
                (long long)fs->malformed, fs->malformed == 1 ? "" : "s", (long long)fs->first_bad_line, fs->reason);
    if (opts->warn && fs->bad_utf8)
        fprintf(opts->warn, "aiq: %s: %lld line%s with invalid UTF-8; bad bytes replaced with U+FFFD\n", name,
                (long long)fs->bad_utf8, fs->bad_utf8 == 1 ? "" : "s");
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
    if (ok)
        report(name, &fs, opts);
    return ok;
}

/* The store's name for key vector k of column col: 0xFF cannot start a
 * real key (keys are valid UTF-8), so it never meets one. Returns its length. */
static uint32_t key_vector_name(char *buf, size_t size, int col, int k)
{
    return (uint32_t)snprintf(buf, size, "\xff%d\xff%d", col, k);
}

/* Column c of a declared table gets key vectors (see AiqColumnKeys). */
static bool has_key_vectors(const AiqCatalogTable *ct, const AiqReadOptions *opts, int c)
{
    return opts->keys && opts->keys[c].key_vectors && opts->keys[c].n > 0 && (!opts->needed || opts->needed[c]) &&
           ct->schema.cols[c].type == AIQ_TYPE_DYNAMIC;
}

/* Values that did not fit their declared type: counted, the first kept for the report. */
typedef struct Misfits {
    int64_t n, first_line;
    int first_col;
    char first_text[64];
} Misfits;

static AiqTable *build_table(AiqCatalogTable *ct, Rows rows, bool ok, const AiqReadOptions *opts,
                             AiqArena *schema_arena, Misfits *mf, AiqError *err);
static void report_misfits(const AiqCatalogTable *ct, const Misfits *mf, const AiqReadOptions *opts);

/* A declared table keeps only its declared columns -- and of those only the
 * ones the query reads, when opts->needed says which. */
static void want_declared(Rows *rows, const AiqCatalogTable *ct, const AiqReadOptions *opts)
{
    if (!ct->declared)
        return;
    const char **names = aiq_xmalloc(sizeof *names * (size_t)(ct->schema.ncols + 1));
    const AiqColumnKeys **filters = aiq_xmalloc(sizeof *filters * (size_t)(ct->schema.ncols + 1));
    int n = 0;
    for (int c = 0; c < ct->schema.ncols; c++)
        if (!opts->needed || opts->needed[c]) {
            filters[n] = opts->keys && opts->keys[c].n >= 0 && ct->schema.cols[c].type == AIQ_TYPE_DYNAMIC ? &opts->keys[c] : NULL;
            names[n++] = ct->schema.cols[c].name;
        }
    rows_want(rows, names, filters, n);
    for (int i = 0; i < opts->npreds && rows->npreds < 16; i++) {
        const char *pname = ct->schema.cols[opts->preds[i].col].name;
        int col = (int)aiq_keymap_find(&rows->names, pname, (uint32_t)strlen(pname));
        if (col < 0)
            continue;
        rows->preds[rows->npreds] = &opts->preds[i];
        rows->pred_cols[rows->npreds++] = col;
    }
    if (opts->top_hint) {
        const char *hname = ct->schema.cols[opts->top_hint->col].name;
        rows->hint_col = (int)aiq_keymap_find(&rows->names, hname, (uint32_t)strlen(hname));
        rows->hint = rows->hint_col >= 0 ? opts->top_hint : NULL;
    }
    /* then the key vectors, each column's in a row */
    char name[32];
    for (int c = 0; c < ct->schema.ncols; c++) {
        if (!has_key_vectors(ct, opts, c))
            continue;
        const char *cname = ct->schema.cols[c].name;
        int col = (int)aiq_keymap_find(&rows->names, cname, (uint32_t)strlen(cname));
        for (int k = 0; k < opts->keys[c].n; k++) {
            int x = rows_column_add(rows, name, key_vector_name(name, sizeof name, c, k));
            if (k == 0)
                rows->cols[col].xfirst = x;
        }
    }
    aiq_xfree(names);
    aiq_xfree(filters);
}

AiqTable *aiq_jsonl_load(AiqCatalogTable *ct, const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    Rows rows;
    rows_init(&rows);
    want_declared(&rows, ct, opts);
    bool ok = true;
    for (int p = 0; p < ct->npaths && ok; p++) {
        AiqStrBuf raw;
        aiq_sb_init(&raw);
        ok = read_file(ct->paths[p], &raw, err) && parse_file(ct->paths[p], &raw, &rows, opts, err);
        aiq_sb_free(&raw);
    }
    Misfits mf = {0};
    AiqTable *t = build_table(ct, rows, ok, opts, schema_arena, &mf, err);
    if (t)
        report_misfits(ct, &mf, opts);
    return t;
}

AiqTable *aiq_jsonl_load_buffer(AiqCatalogTable *ct, const char *name, const char *data, size_t len,
                                const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    Rows rows;
    rows_init(&rows);
    want_declared(&rows, ct, opts);
    AiqStrBuf raw = {(char *)data, len, len};
    bool ok = parse_file(name, &raw, &rows, opts, err);
    Misfits mf = {0};
    AiqTable *t = build_table(ct, rows, ok, opts, schema_arena, &mf, err);
    if (t)
        report_misfits(ct, &mf, opts);
    return t;
}

/* Turns parsed rows into the typed table (declared or inferred schema). */
static void report_misfits(const AiqCatalogTable *ct, const Misfits *mf, const AiqReadOptions *opts)
{
    if (mf->n && opts->warn)
        fprintf(opts->warn, "aiq: %s: %lld value%s did not fit the %s type and became null (first: column %s:%s at line %lld: %s)\n",
                ct->name, (long long)mf->n, mf->n == 1 ? "" : "s",
                ct->inferred ? "inferred (the file changed while read?)" : "declared", ct->schema.cols[mf->first_col].name,
                aiq_type_name(ct->schema.cols[mf->first_col].type), (long long)mf->first_line, mf->first_text);
}

/* Adds src's misfits (later rows) to dst's. */
static void merge_misfits(Misfits *dst, const Misfits *src)
{
    if (!dst->n && src->n)
        *dst = *src;
    else
        dst->n += src->n;
}

static AiqTable *build_table(AiqCatalogTable *ct, Rows rows, bool ok, const AiqReadOptions *opts,
                             AiqArena *schema_arena, Misfits *mf, AiqError *err)
{
    AiqTable *t = NULL;
    if (ok) {
        /* the store column of each table column (-1: never present) */
        int ncols, nx = 0;
        int *src;
        AiqColumn *xcols = NULL;    /* declared + key vector columns */
        AiqKeyVecInfo *xinfo = NULL;
        if (ct->declared) {
            /* the declared columns, then any key vectors */
            nx = 0;
            for (int c = 0; c < ct->schema.ncols; c++)
                nx += has_key_vectors(ct, opts, c) ? opts->keys[c].n : 0;
            ncols = ct->schema.ncols + nx;
            src = aiq_xcalloc((size_t)ncols + 1, sizeof *src);
            if (nx) {
                xcols = aiq_xcalloc((size_t)ncols + 1, sizeof *xcols);
                xinfo = aiq_xcalloc((size_t)nx + 1, sizeof *xinfo);
                memcpy(xcols, ct->schema.cols, sizeof *xcols * (size_t)ct->schema.ncols);
            }
            for (int c = 0, x = ct->schema.ncols; c < ct->schema.ncols; c++) {
                const char *name = ct->schema.cols[c].name;
                src[c] = (int)aiq_keymap_find(&rows.names, name, (uint32_t)strlen(name));
                for (int k = 0; has_key_vectors(ct, opts, c) && k < opts->keys[c].n; k++, x++) {
                    char xname[32];
                    src[x] = (int)aiq_keymap_find(&rows.names, xname, key_vector_name(xname, sizeof xname, c, k));
                    xcols[x] = (AiqColumn){"", AIQ_TYPE_DYNAMIC};
                    xinfo[x - ct->schema.ncols] = (AiqKeyVecInfo){c, opts->keys[c].keys[k], (uint32_t)strlen(opts->keys[c].keys[k])};
                }
            }
        } else {
            ncols = rows.ncols;
            src = aiq_xcalloc((size_t)ncols + 1, sizeof *src);
            ct->schema.ncols = ncols;
            ct->schema.cols = aiq_arena_alloc(schema_arena, sizeof *ct->schema.cols * (size_t)(ncols + 1));
            for (int c = 0; c < ncols; c++) {
                src[c] = c;
                ct->schema.cols[c].name = aiq_arena_strndup(schema_arena, rows.cols[c].name, strlen(rows.cols[c].name));
                ct->schema.cols[c].type = infer(rows.cols[c].seen);
            }
        }
        AiqSchema xs = {ncols, xcols};
        t = aiq_table_new(nx ? &xs : &ct->schema);
        if (nx) { /* the keys live in the table */
            for (int k = 0; k < nx; k++)
                xinfo[k].key = aiq_arena_strndup(&t->names, xinfo[k].key, xinfo[k].len);
            AiqKeyVecInfo *kept = aiq_arena_alloc(&t->names, sizeof *kept * (size_t)nx);
            memcpy(kept, xinfo, sizeof *kept * (size_t)nx);
            t->xinfo = kept;
            t->nx = nx;
        }
        AiqVector tmp;
        AiqStrBuf sb;
        aiq_sb_init(&sb);
        aiq_table_add_null_rows(t, rows.n);
        /* the strings stay where the scanner put them: the table takes the arena */
        aiq_arena_free(&t->strings);
        t->strings = rows.strings;
        aiq_arena_init(&rows.strings, 64 << 10);
        /* column by column: one type decision per column, tight loops */
        for (int c = 0; c < ncols && ok; c++) {
            if (src[c] < 0)
                continue;
            const Cell *cells = rows.cols[src[c]].cells;
            AiqColumnData *cd = &t->cols[c];
            for (int64_t r = 0; r < rows.n; r++) {
                /* the usual pairs directly; the rest (and every misfit) through convert */
                uint8_t kind = cells[r].kind;
                if (cd->type == AIQ_TYPE_STRING && kind == CELL_STRING) {
                    ((AiqStr *)cd->data)[r] = (AiqStr){cells[r].u.s, cells[r].len};
                    continue;
                }
                if (cd->validity && ((cd->type == AIQ_TYPE_REAL && (kind == CELL_REAL || kind == CELL_INT)) ||
                                     (cd->type == AIQ_TYPE_LONG && kind == CELL_INT))) {
                    if (cd->type == AIQ_TYPE_REAL)
                        ((double *)cd->data)[r] = kind == CELL_REAL ? cells[r].u.f : (double)cells[r].u.i;
                    else
                        ((int64_t *)cd->data)[r] = cells[r].u.i;
                    cd->validity[r >> 6] |= (uint64_t)1 << (r & 63);
                    continue;
                }
                if (!convert(t, c, r, &cells[r], &tmp, &sb) && mf->n++ == 0) {
                    mf->first_line = rows.lines[r];
                    mf->first_col = c;
                    const char *q = cells[r].kind == CELL_STRING ? "\"" : "";
                    snprintf(mf->first_text, sizeof mf->first_text, "%s%s%s", q, cell_text(&cells[r], &sb), q);
                }
            }
            if (aiq_mem_exceeded())
                ok = aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "table '%s': memory limit (--max-memory) reached while loading", ct->name);
        }
        aiq_sb_free(&sb);
        aiq_xfree(src);
        aiq_xfree(xcols);
        aiq_xfree(xinfo);
    }
    rows_free(&rows);
    if (!ok) {
        aiq_table_free(t);
        return NULL;
    }
    return t;
}

/* ---- streaming ------------------------------------------------------------------ */

/*
 * The file is cut into chunks of whole lines (about CHUNK_BYTES each). The
 * calling thread reads and decompresses, numbers the lines and cuts; worker
 * threads (opts.threads > 1) turn chunks into batches in parallel; batches
 * are handed out strictly in file order, so results do not depend on the
 * thread count. With one thread the caller parses each chunk itself.
 * Memory stays bounded: at most RING_PER_THREAD chunks per worker are in
 * flight.
 */

#define STREAM_BLOCK (1 << 20)
#define CHUNK_BYTES (512 << 10)
#define MAP_MIN (1 << 20) /* smaller files are read: mapping them costs more than the copy */
#define RING_PER_THREAD 2

typedef enum { CHUNK_FREE, CHUNK_READY, CHUNK_BUSY, CHUNK_DONE } ChunkState;

typedef struct Chunk {
    ChunkState state;
    AiqStrBuf text;      /* whole lines */
    const char *view;    /* or, from a mapped file, view_len bytes of it */
    size_t view_len;
    void *unmap;         /* the last chunk of a mapped file unmaps it */
    size_t unmap_len;
    int64_t line0;       /* number of the line before the first one */
    int64_t nlines;      /* lines parsed */
    const char *path;
    bool last_of_file;   /* the file's report follows this chunk */
    AiqTable **tables;   /* the batches, in order */
    int ntables, captables, taken;
    FileStats fs;
    Misfits mf;
    AiqError err;        /* set (code != AIQ_OK) when parsing failed */
    Rows *seen;          /* schema inference: the chunk's columns, in order, and their kinds */
} Chunk;

struct AiqJsonlStream {
    AiqCatalogTable *t;
    AiqReadOptions opts;
    int ipath;          /* next file to open */
    int fd;             /* -1: no file open */
    const char *path;
    ZSTD_DStream *ds;   /* non-NULL for a zstd file */
    size_t zret;        /* last ZSTD_decompressStream result (0: at a frame end) */
    ZSTD_inBuffer zin;  /* compressed bytes of the current block not yet decoded */
    char *block;
    const char *map;    /* a plain file mapped whole (NULL: read block by block) */
    size_t map_len, map_pos;
    AiqStrBuf pending;  /* bytes read but not yet cut into a chunk */
    bool eof;           /* the open file has no more bytes */
    bool input_done;    /* no more files */
    int64_t lineno;     /* lines of the open file cut into chunks so far */
    FileStats fs;       /* the open file's report, merged from its chunks in order */
    Misfits mf;         /* every file's misfits, reported at the end */
    AiqTable *whole;    /* a whole-file JSON value, returned as one batch */
    AiqRowPred *preds;  /* our copy of opts.preds */
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
    bool stop;
};

/* The kernel may drop the pages of a parsed part of a mapped file: the
 * process's memory then stays bounded however large the file. Only whole
 * pages inside [from, to) are released, so neighbours being parsed keep theirs. */
static void release_pages(const char *from, const char *to)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)from + page - 1) & ~(page - 1), b = (uintptr_t)to & ~(page - 1);
    if (a < b)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

static void chunk_clear(Chunk *c)
{
    if (c->view)
        release_pages(c->view, c->view + c->view_len);
    if (c->unmap)
        munmap(c->unmap, c->unmap_len);
    c->view = NULL;
    c->view_len = 0;
    c->unmap = NULL;
    for (int i = c->taken; i < c->ntables; i++)
        aiq_table_free(c->tables[i]);
    c->ntables = c->taken = 0;
    aiq_sb_clear(&c->text);
    memset(&c->fs, 0, sizeof c->fs);
    memset(&c->mf, 0, sizeof c->mf);
    memset(&c->err, 0, sizeof c->err);
    c->last_of_file = false;
    if (c->seen) {
        rows_free(c->seen);
        aiq_xfree(c->seen);
        c->seen = NULL;
    }
    c->state = CHUNK_FREE;
}

static void chunk_push(Chunk *c, AiqTable *t)
{
    if (c->ntables == c->captables) {
        c->captables = c->captables ? c->captables * 2 : 8;
        c->tables = aiq_xrealloc(c->tables, sizeof *c->tables * (size_t)c->captables);
    }
    c->tables[c->ntables++] = t;
}

/* Parses a chunk's lines into batches of at most AIQ_VECTOR_SIZE rows.
 * Runs on a worker thread: touches only the chunk and read-only state. */
static void parse_chunk(const AiqJsonlStream *s, Chunk *c)
{
    Rows rows;
    rows_init(&rows);
    want_declared(&rows, s->t, &s->opts);
    rows.kinds_only = s->infer;
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    const char *text = c->view ? c->view : c->text.data ? c->text.data : "";
    size_t len = c->view ? c->view_len : c->text.len, pos = 0;
    int64_t lineno = c->line0;
    bool ok = true;
    while (pos < len && ok) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        ok = parse_line(&rows, &c->fs, start, n, ++lineno, c->path, &s->opts, &fixed, &c->err);
        if (s->infer) {
            if (rows.n == AIQ_VECTOR_SIZE)
                rows_drop_cells(&rows);
        } else if (ok && (rows.n == AIQ_VECTOR_SIZE || pos >= len) && rows.n) {
            AiqTable *t = build_table(s->t, rows, true, &s->opts, NULL, &c->mf, &c->err);
            rows_init(&rows);
            want_declared(&rows, s->t, &s->opts);
            if (!t)
                ok = false;
            else
                chunk_push(c, t);
        }
    }
    c->nlines = lineno - c->line0;
    if (s->infer && ok && !c->seen) { /* (a whole-file value brought its own) */
        rows_drop_cells(&rows);
        c->seen = aiq_xmalloc(sizeof *c->seen);
        *c->seen = rows;
    } else {
        rows_free(&rows);
    }
    aiq_sb_free(&fixed);
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
        parse_chunk(s, c);
        pthread_mutex_lock(&s->mu);
        c->state = CHUNK_DONE;
        pthread_cond_broadcast(&s->done);
    }
    pthread_mutex_unlock(&s->mu);
    aiq_mem_settle();
    return NULL;
}

AiqJsonlStream *aiq_jsonl_open(AiqCatalogTable *t, const AiqReadOptions *opts, AiqError *err)
{
    (void)err;
    AiqJsonlStream *s = aiq_xcalloc(1, sizeof *s);
    s->t = t;
    s->opts = *opts;
    s->fd = -1;
    s->block = aiq_xmalloc(STREAM_BLOCK); /* block_size is at most this */
    if (s->opts.block_size > STREAM_BLOCK)
        s->opts.block_size = STREAM_BLOCK;
    aiq_sb_init(&s->pending);
    rows_init(&s->columns);
    if (opts->npreds) { /* the where's plan may go before the stream */
        AiqRowPred *copy = aiq_xmalloc(sizeof *copy * (size_t)opts->npreds);
        memcpy(copy, opts->preds, sizeof *copy * (size_t)opts->npreds);
        s->opts.preds = s->preds = copy;
    }
    s->nworkers = opts->threads > 1 ? opts->threads : 0;
    s->nring = s->nworkers ? s->nworkers * RING_PER_THREAD : 1;
    s->ring = aiq_xcalloc((size_t)s->nring, sizeof *s->ring);
    if (s->nworkers) {
        pthread_mutex_init(&s->mu, NULL);
        pthread_cond_init(&s->work, NULL);
        pthread_cond_init(&s->done, NULL);
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
            pthread_mutex_destroy(&s->mu);
        }
    }
    return s;
}

static void close_file(AiqJsonlStream *s)
{
    if (s->map)
        munmap((void *)s->map, s->map_len);
    s->map = NULL;
    if (s->fd > 0)
        close(s->fd);
    s->fd = -1;
    if (s->ds)
        ZSTD_freeDStream(s->ds);
    s->ds = NULL;
    aiq_sb_clear(&s->pending);
}

void aiq_jsonl_close(AiqJsonlStream *s)
{
    if (!s)
        return;
    if (s->nworkers) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->work);
        pthread_mutex_unlock(&s->mu);
        for (int w = 0; w < s->nworkers; w++)
            pthread_join(s->workers[w], NULL);
        aiq_xfree(s->workers);
        pthread_cond_destroy(&s->work);
        pthread_cond_destroy(&s->done);
        pthread_mutex_destroy(&s->mu);
    }
    for (int i = 0; i < s->nring; i++) {
        chunk_clear(&s->ring[i]);
        aiq_sb_free(&s->ring[i].text);
        aiq_xfree(s->ring[i].tables);
    }
    aiq_xfree(s->ring);
    aiq_xfree(s->preds);
    rows_free(&s->columns);
    if (s->whole_seen) {
        rows_free(s->whole_seen);
        aiq_xfree(s->whole_seen);
    }
    close_file(s);
    aiq_table_free(s->whole);
    aiq_xfree(s->block);
    aiq_sb_free(&s->pending);
    aiq_xfree(s);
}

/* Decodes from s->zin onto dst until about 256 KB came out or the block is
 * used up: a highly compressed block must not balloon in memory. */
static bool decode_some(AiqJsonlStream *s, AiqStrBuf *dst, AiqError *err)
{
    char out[1 << 16];
    size_t produced = 0;
    while (produced < (256u << 10)) {
        ZSTD_outBuffer ob = {out, sizeof out, 0};
        s->zret = ZSTD_decompressStream(s->ds, &ob, &s->zin);
        if (ZSTD_isError(s->zret))
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: corrupt zstd data: %s", s->path, ZSTD_getErrorName(s->zret));
        aiq_sb_append(dst, out, ob.pos);
        produced += ob.pos;
        if (s->zin.pos == s->zin.size && ob.pos < sizeof out)
            break; /* block used up and the decoder has nothing more */
    }
    return true;
}

/* Reads (or decodes) more of the file onto dst; sets eof at its end. */
static bool fill(AiqJsonlStream *s, AiqStrBuf *dst, AiqError *err)
{
    if (s->ds && s->zin.pos < s->zin.size)
        return decode_some(s, dst, err);
    size_t want = s->opts.block_size ? s->opts.block_size : STREAM_BLOCK;
    /* plain text is read straight onto the end of dst */
    char *to = s->ds ? s->block : aiq_sb_reserve(dst, want);
    ssize_t r;
    do
        r = read(s->fd, to, want);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", s->path, strerror(errno));
    if (r == 0) {
        if (s->ds && s->zret != 0) {
            /* mid-frame at the end of the input: flush what the decoder
             * holds; no progress means the frame was cut */
            size_t before = dst->len;
            s->zin = (ZSTD_inBuffer){s->block, 0, 0};
            if (!decode_some(s, dst, err))
                return false;
            if (dst->len > before)
                return true;
            if (s->zret != 0)
                return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: truncated zstd file (the last frame is incomplete)", s->path);
        }
        s->eof = true;
        return true;
    }
    if (!s->ds) {
        aiq_sb_commit(dst, (size_t)r);
        return true;
    }
    s->zin = (ZSTD_inBuffer){s->block, (size_t)r, 0};
    return decode_some(s, dst, err);
}

/* Whether a file starting with data[0..len) is one JSON value (a top-level
 * array, or an object such as a pretty-printed export that is not valid on
 * its first line) rather than JSON lines: 1 or 0, or -1 when the first line
 * has not ended yet and !eof. *bom: 3 after a byte order mark, else 0. */
static int whole_value(const char *data, size_t len, bool eof, size_t *bom)
{
    size_t k = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    *bom = k;
    while (k < len && strchr(" \t\r\n", data[k]))
        k++;
    const char *nl = k < len ? memchr(data + k, '\n', len - k) : NULL;
    if (!nl && !eof)
        return -1;
    size_t n = nl ? (size_t)(nl - data) : len;
    if (k < len && data[k] == '[')
        return 1;
    if (k >= len || data[k] != '{' || k >= n)
        return 0;
    json_t *line1 = json_loadb(data + k, n - k, 0, NULL);
    json_decref(line1);
    return line1 == NULL;
}

/* A mapped file that shrinks while it is read faults on the missing pages
 * (SIGBUS). That is an input error, not a crash: say so and exit 2. */
static void on_sigbus(int sig)
{
    (void)sig;
    static const char msg[] = "aiq: an input file shrank while it was being read\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(2);
}

static void watch_for_sigbus(void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

/* Opens the next file; a top-level array or a pretty-printed export is read
 * whole into s->whole. Returns false at the end of the files or on error. */
static bool open_next(AiqJsonlStream *s, AiqError *err)
{
    while (s->ipath < s->t->npaths) {
        s->path = s->t->paths[s->ipath++];
        s->fd = strcmp(s->path, "-") == 0 ? STDIN_FILENO : open(s->path, O_RDONLY);
        if (s->fd < 0)
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", s->path, strerror(errno));
        struct stat st;
        if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close_file(s);
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: is a directory", s->path);
        }
        s->eof = false;
        s->lineno = 0;
        s->zret = 0;
        static const unsigned char magic[4] = {0x28, 0xB5, 0x2F, 0xFD};
        if (S_ISREG(st.st_mode) && st.st_size >= MAP_MIN && !s->opts.block_size && !s->nworkers) {
            /* One thread parses a plain file where the kernel keeps it: no
             * copy. With workers the reading thread's copy is free (it would
             * wait otherwise) while page faults in the workers contend: read. */
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
            if (m != MAP_FAILED && memcmp(m, magic, 4) != 0) {
                madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
                watch_for_sigbus();
                s->map = m;
                s->map_len = (size_t)st.st_size;
                s->eof = true;
            } else if (m != MAP_FAILED) {
                munmap(m, (size_t)st.st_size); /* zstd: decoded block by block */
            }
        }
        ssize_t r = 0;
        do
            r = s->map ? 0 : read(s->fd, s->block, 4);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: %s", s->path, strerror(errno));
        if (r == 4 && memcmp(s->block, magic, 4) == 0) { /* zstd, by magic number */
            s->ds = ZSTD_createDStream();
            ZSTD_initDStream(s->ds);
        }
        if (r == 0) {
            s->eof = true;
        } else if (!s->ds) {
            aiq_sb_append(&s->pending, s->block, (size_t)r);
        } else {
            s->zin = (ZSTD_inBuffer){s->block, (size_t)r, 0};
            if (!decode_some(s, &s->pending, err))
                return false;
        }
        /* look at the first line after any blanks, as parse_text does: JSON
         * lines stream, anything else is read whole */
        int whole;
        size_t bom = 0;
        if (s->map) {
            whole = whole_value(s->map, s->map_len, true, &bom);
            s->map_pos = bom;
        } else {
            while ((whole = whole_value(s->pending.data, s->pending.len, s->eof, &bom)) < 0)
                if (!fill(s, &s->pending, err))
                    return false;
            if (!whole && bom) {
                memmove(s->pending.data, s->pending.data + 3, s->pending.len - 3);
                s->pending.len -= 3;
            }
        }
        if (!whole)
            return true;
        while (!s->map && !s->eof) /* a single JSON value: read it all */
            if (!fill(s, &s->pending, err))
                return false;
        Rows rows;
        rows_init(&rows);
        want_declared(&rows, s->t, &s->opts);
        FileStats fs = {0};
        bool ok = s->map ? parse_text(s->path, s->map, s->map_len, &rows, &fs, &s->opts, err)
                         : parse_text(s->path, s->pending.data, s->pending.len, &rows, &fs, &s->opts, err);
        if (ok)
            report(s->path, &fs, &s->opts);
        close_file(s);
        if (s->infer) {
            if (!ok) {
                rows_free(&rows);
                return false;
            }
            rows_drop_cells(&rows);
            s->whole_seen = aiq_xmalloc(sizeof *s->whole_seen);
            *s->whole_seen = rows;
            return true;
        }
        s->whole = build_table(s->t, rows, ok, &s->opts, NULL, &s->mf, err);
        return s->whole != NULL;
    }
    return false;
}

/* Lines in text: its newlines, plus a last line without one. */
static int64_t count_lines(const char *text, size_t len)
{
    return aiq_count_newlines(text, text + len) + (len && text[len - 1] != '\n');
}

/* Fills chunk c with the next whole lines of input (moving on to the next
 * file as needed), or with a whole-file table. Returns false on error;
 * leaves c empty (CHUNK_FREE) at the end of the input. */
static bool fill_chunk(AiqJsonlStream *s, Chunk *c, AiqError *err)
{
    while (s->fd < 0) {
        if (!open_next(s, err)) {
            if (err->code != AIQ_OK)
                return false;
            s->input_done = true;
            return true;
        }
        if (s->whole || s->whole_seen) { /* a whole-file value: one batch, and no lines to parse */
            if (s->whole)
                chunk_push(c, s->whole);
            c->seen = s->whole_seen;
            s->whole = NULL;
            s->whole_seen = NULL;
            c->line0 = s->lineno = 0;
            c->state = CHUNK_READY;
            return true;
        }
    }
    size_t want = s->opts.chunk_size ? s->opts.chunk_size : CHUNK_BYTES;
    c->path = s->path;
    c->line0 = s->lineno;
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
        s->map_pos = end;
        c->last_of_file = end == s->map_len;
        if (s->nworkers)
            s->lineno += count_lines(c->view, c->view_len);
        if (c->last_of_file) { /* the chunk unmaps the file once it is done */
            c->unmap = (void *)s->map;
            c->unmap_len = s->map_len;
            s->map = NULL;
            close_file(s);
        }
        return true;
    }
    /* the bytes already read start the chunk; read on to a line end past CHUNK_BYTES */
    AiqStrBuf t = c->text;
    c->text = s->pending;
    s->pending = t;
    aiq_sb_clear(&s->pending);
    size_t cut;
    for (;;) {
        if (s->eof) {
            cut = c->text.len;
            break;
        }
        if (c->text.len >= want) { /* cut at the last line end within want bytes, or the first after */
            const char *nl = memrchr(c->text.data, '\n', want);
            if (!nl)
                nl = memchr(c->text.data + want, '\n', c->text.len - want);
            if (nl) {
                cut = (size_t)(nl - c->text.data) + 1;
                break;
            }
        }
        if (!fill(s, &c->text, err))
            return false;
    }
    aiq_sb_append(&s->pending, c->text.data + cut, c->text.len - cut);
    c->text.len = cut;
    c->last_of_file = s->eof && s->pending.len == 0;
    if (s->nworkers) /* with one thread, parsing counts as it goes */
        s->lineno += count_lines(c->text.data ? c->text.data : "", cut);
    if (c->last_of_file)
        close_file(s);
    return true;
}

/* Merges a parsed chunk's reports into the file's (chunks come in order). */
static void merge_stats(AiqJsonlStream *s, const Chunk *c)
{
    if (!s->fs.malformed && c->fs.malformed) {
        s->fs.first_bad_line = c->fs.first_bad_line;
        memcpy(s->fs.reason, c->fs.reason, sizeof s->fs.reason);
    }
    s->fs.malformed += c->fs.malformed;
    s->fs.bad_utf8 += c->fs.bad_utf8;
    merge_misfits(&s->mf, &c->mf);
    for (int k = 0; c->seen && k < c->seen->ncols; k++) {
        const CellCol *from = &c->seen->cols[k];
        int col = rows_column_add(&s->columns, from->name, (uint32_t)strlen(from->name));
        s->columns.cols[col].seen |= from->seen;
    }
    if (c->last_of_file) {
        report(c->path, &s->fs, &s->opts);
        memset(&s->fs, 0, sizeof s->fs);
    }
}

AiqTable *aiq_jsonl_next(AiqJsonlStream *s, AiqError *err)
{
    for (;;) {
        /* keep every free slot of the ring filled, so workers never wait */
        while (!s->input_done && s->seq_fill - s->seq_take < s->nring) {
            Chunk *c = &s->ring[s->seq_fill % s->nring];
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
            report_misfits(s->t, &s->mf, &s->opts);
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
            while (c->state != CHUNK_DONE)
                pthread_cond_wait(&s->done, &s->mu);
            pthread_mutex_unlock(&s->mu);
        }
        if (c->err.code != AIQ_OK) {
            *err = c->err;
            return NULL;
        }
        if (c->taken < c->ntables)
            return c->tables[c->taken++];
        merge_stats(s, c);
        chunk_clear(c);
        s->seq_take++;
        if (aiq_interrupt_pending())
            return aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "%s: reading cancelled", s->path ? s->path : s->t->name), NULL;
    }
}

bool aiq_jsonl_infer_schema(AiqCatalogTable *t, const AiqReadOptions *opts, AiqArena *schema_arena, AiqError *err)
{
    AiqReadOptions quiet = *opts;
    quiet.warn = NULL; /* the pass that reads the rows reports */
    AiqJsonlStream *s = aiq_jsonl_open(t, &quiet, err);
    s->infer = true;
    AiqTable *batch;
    while ((batch = aiq_jsonl_next(s, err)))
        aiq_table_free(batch); /* not reached: inference makes no batches */
    bool ok = err->code == AIQ_OK;
    if (ok) {
        /* the same types the whole load would give (build_table) */
        int n = s->columns.ncols;
        t->schema.ncols = n;
        t->schema.cols = aiq_arena_alloc(schema_arena, sizeof *t->schema.cols * (size_t)(n + 1));
        for (int c = 0; c < n; c++) {
            const CellCol *col = &s->columns.cols[c];
            t->schema.cols[c].name = aiq_arena_strndup(schema_arena, col->name, strlen(col->name));
            t->schema.cols[c].type = infer(col->seen);
        }
    }
    aiq_jsonl_close(s);
    return ok;
}
