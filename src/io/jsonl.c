/*
 * jsonl.c -- JSON-lines reading and type inference (see jsonl.h): whole
 * loads, the store of cells lines are read into (a column per key, types
 * still open), jansson's path for every line the fast scanner
 * (jsonl_scan.c) does not take, and the conversion of the store into a
 * typed table. Streaming is in jsonl_stream.c.
 */
#include "io/jsonl.h"
#include "io/jsonl_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h> /* strncasecmp */
#include <sys/stat.h>
#include <unistd.h>

#include "io/bytescan.h"
#include "io/jsonl_decode.h"
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

void jl_rows_init(Rows *r)
{
    memset(r, 0, sizeof *r);
    aiq_keymap_init(&r->names);
    aiq_arena_init(&r->strings, 64 << 10);
}

void jl_rows_free(Rows *r)
{
    for (int g = 0; g <= JL_GUESSES; g++) {
        aiq_xfree(r->guess[g].nested);
        aiq_xfree(r->guess[g].read);
    }
    for (int c = 0; c < r->ncols; c++) {
        for (int64_t i = 0; r->cols[c].cells && i < r->cols[c].len; i++) /* (a table may have taken them) */
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
void jl_rows_drop_cells(Rows *r)
{
    for (int c = 0; c < r->ncols; c++) {
        CellCol *col = &r->cols[c];
        for (int64_t i = 0; i < col->len; i++)
            if (col->cells[i].kind == CELL_JSON)
                json_decref(col->cells[i].u.j);
        col->len = 0;
    }
    r->n = 0;
}

/* Restricts the store to the given names (projection pushdown): other keys
 * are validated and skipped, never materialized. */
static void rows_want(Rows *r, const char *const *names, const AiqColumnKeys *const *filters, int n)
{
    for (int i = 0; i < n; i++) {
        int c = jl_rows_column_add(r, names[i], (uint32_t)strlen(names[i]));
        r->cols[c].filter = filters[i];
    }
    r->fixed = true;
}

/* Doubles the room for rows (jl_rows_add); columns make room for their
 * cells as they are set. */
void jl_rows_grow(Rows *r)
{
    int64_t cap = r->cap ? r->cap * 2 : AIQ_VECTOR_SIZE; /* a streamed batch: no more */
    r->lines = aiq_xrealloc(r->lines, sizeof *r->lines * (size_t)cap);
    r->cap = cap;
}

/* Returns the column of a key, adding it (missing in earlier rows) when new. */
int jl_rows_column_add(Rows *r, const char *key, uint32_t len)
{
    bool added;
    int64_t id = aiq_keymap_get(&r->names, key, len, &added);
    if (added) {
        if (r->ncols == r->capcols) {
            r->capcols = r->capcols ? r->capcols * 2 : 16;
            r->cols = aiq_xrealloc(r->cols, sizeof *r->cols * (size_t)r->capcols);
        }
        CellCol *col = &r->cols[r->ncols++];
        memset(col, 0, sizeof *col);
        col->name = aiq_arena_strndup(&r->strings, key, len);
        col->filter = NULL;
        col->xfirst = -1;
    }
    return (int)id;
}

/* The slot of the last row's cell in col, made room for: rows between the
 * column's last cell and this one lack the key. */
static Cell *last_row_slot(Rows *r, CellCol *col)
{
    int64_t row = r->n - 1;
    if (col->len == 0)
        col->base = row;
    int64_t i = row - col->base;
    if (i >= col->cap) {
        int64_t cap = col->cap ? col->cap * 2 : 16;
        while (cap <= i)
            cap *= 2;
        col->cells = aiq_xrealloc(col->cells, sizeof(Cell) * (size_t)cap);
        col->cap = cap;
    }
    for (int64_t k = col->len; k < i; k++)
        col->cells[k].kind = CELL_MISSING;
    if (i >= col->len) {
        col->cells[i].kind = CELL_MISSING;
        col->len = i + 1;
    }
    return &col->cells[i];
}


/* The column of a key, or -1 when the store does not keep it. */
static int rows_column(Rows *r, const char *key, uint32_t len)
{
    if (r->fixed)
        return (int)aiq_keymap_find(&r->names, key, len);
    return jl_rows_column_add(r, key, len);
}


void jl_key_pattern(JlKeyPattern *kp, const char *key, uint32_t len)
{
    kp->len = len + 3 <= sizeof kp->bytes ? len + 3 : 0;
    if (!kp->len)
        return;
    memset(kp->bytes, 0, sizeof kp->bytes);
    kp->bytes[0] = '"';
    memcpy(kp->bytes + 1, key, len);
    kp->bytes[len + 1] = '"';
    kp->bytes[len + 2] = ':';
    kp->mask = kp->len == 32 ? ~0u : (1u << kp->len) - 1;
}

/* Makes name (len bytes) at column col the guess g. */
static void set_guess(struct KeyGuess *g, const char *name, uint32_t len, int col)
{
    g->name = name;
    g->len = len;
    g->col = col;
    jl_key_pattern(&g->pattern, name, len);
}

/* Looks a key up without creating a column: the column, or -1 (a key the
 * store does not keep, or, when not fixed, a key not seen yet). The caller
 * has found that the guess for pos is not this key (it compares in place,
 * without knowing the key's length yet); the key becomes the new guess. */
int jl_rows_column_at(Rows *r, int pos, const char *key, uint32_t len)
{
    struct KeyGuess *g = pos < JL_GUESSES ? &r->guess[pos] : NULL;
    int c = (int)aiq_keymap_find(&r->names, key, len);
    if (g && c >= 0) {
        set_guess(g, r->cols[c].name, len, c);
    } else if (g && r->fixed && r->guess_copies < 4096) {
        set_guess(g, aiq_arena_strndup(&r->strings, key, len), len, -1);
        r->guess_copies++;
    }
    return c;
}

/* Whether a string is a datetime for type inference: an ISO 8601 date
 * with a time of day. A date alone ("2024-08-06": an API or model version,
 * a day label) is a string (CLI.md), though todatetime() takes it. */
static bool is_timestamp(const char *s, uint32_t len)
{
    uint32_t p = 0;
    while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
        p++;
    int64_t ticks;
    return len > p + 11 && (s[p + 10] == 'T' || s[p + 10] == 't' || s[p + 10] == ' ') && s[p + 11] >= '0' &&
           s[p + 11] <= '9' && aiq_datetime_parse(s, len, &ticks);
}

/* Stores a field of the last row; a repeated key keeps the last value, as jansson does. */
void jl_rows_set(Rows *r, int c, Cell cell)
{
    CellCol *col = &r->cols[c];
    switch (cell.kind) {
    case CELL_INT: col->seen |= SEEN_INT; break;
    case CELL_REAL: col->seen |= SEEN_REAL; break;
    case CELL_FALSE:
    case CELL_TRUE: col->seen |= SEEN_BOOL; break;
    case CELL_STRING:
        col->seen |= SEEN_STRING;
        /* only inference (no declared schema) asks whether strings are dates */
        if (!r->fixed && !(col->seen & SEEN_NONDATE) && !is_timestamp(cell.u.s, cell.len))
            col->seen |= SEEN_NONDATE;
        break;
    case CELL_JSON:
    case CELL_TEXT: col->seen |= SEEN_NESTED; break;
    default: break;
    }
    if (r->kinds_only) { /* inference: the kind was all it needed */
        if (cell.kind == CELL_JSON)
            json_decref(cell.u.j);
        return;
    }
    Cell *slot = last_row_slot(r, col);
    if (slot->kind == CELL_JSON)
        json_decref(slot->u.j);
    *slot = cell;
}

Cell jl_cell_from_json(Rows *r, json_t *v)
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
        /* inference looks at the bytes only while v is alive: no copy */
        c.u.s = !c.len ? "" : r->kinds_only ? json_string_value(v) : aiq_arena_strndup(&r->strings, json_string_value(v), c.len);
        break;
    default: c.kind = CELL_JSON; c.u.j = json_incref(v); break;
    }
    return c;
}

/* Index of key in f's keys, or -1. */
int jl_wanted_key(const AiqColumnKeys *f, const char *key, size_t len)
{
    for (int i = 0; i < f->n; i++) /* the first byte rules out most keys before a strlen */
        if (f->keys[i][0] == (len ? key[0] : '\0') && strlen(f->keys[i]) == len && memcmp(f->keys[i], key, len) == 0)
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
        if (jl_wanted_key(f, key, strlen(key)) >= 0)
            json_object_set(o, key, v);
    }
    return o;
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
        int c = rows_column(r, key, (uint32_t)strlen(key));
        if (c < 0)
            continue;
        double inf;
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
            json_t *o = filtered_copy(v, f);
            jl_rows_set(r, c, jl_cell_from_json(r, o));
            json_decref(o);
        } else {
            jl_rows_set(r, c, is_inf ? (Cell){.kind = CELL_REAL, .u.f = inf} : jl_cell_from_json(r, v));
        }
    }
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
    while (k < n && (start[k] == ' ' || start[k] == '\t'))
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
    if ((lineno & 4095) == 0 && aiq_mem_exceeded())
        return aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while reading", path);
    if ((lineno & 4095) == 0 && aiq_interrupt_pending())
        return aiq_error_set(err, AIQ_ERR_RUNTIME, -1, 1, "%s: reading cancelled", path);
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
    AiqStrBuf fixed;
    aiq_sb_init(&fixed);
    int64_t lineno = 0;
    bool ok = jl_next_lines(rows, fs, text, len, &pos, &lineno, INT64_MAX, path, opts, &fixed, err);
    aiq_sb_free(&fixed);
    return ok;
}

/* ---- types ---------------------------------------------------------------------- */

AiqType jl_infer(unsigned seen)
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
        char *t = aiq_json_dumps(c->u.j, 0);
        aiq_sb_puts(sb, t ? t : "null");
        aiq_xfree(t);
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
    case AIQ_TYPE_DYNAMIC: d = aiq_cell_json(cell); break;
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
void jl_report(const char *name, const FileStats *fs, const AiqReadOptions *opts)
{
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
    if (ok)
        jl_report(name, &fs, opts);
    return ok;
}

/* The store's name for key vector k of column col: 0xFF cannot start a
 * real key (keys are valid UTF-8), so it never meets one. Returns its length. */
static uint32_t key_vector_name(char *buf, size_t size, int col, int k)
{
    return (uint32_t)snprintf(buf, size, "\xff%d\xff%d", col, k);
}

/* The columns a declared table reads (NULL: all) and the keys of its
 * dynamic columns (NULL: all), from the scan's spec. */
static const bool *needed_of(const AiqReadOptions *opts) { return opts->scan ? opts->scan->needed : NULL; }
static const AiqColumnKeys *keys_of(const AiqReadOptions *opts) { return opts->scan ? opts->scan->keys : NULL; }

/* Column c of a declared table gets key vectors (see AiqColumnKeys). */
static bool has_key_vectors(const AiqCatalogTable *ct, const AiqReadOptions *opts, int c)
{
    const bool *needed = needed_of(opts);
    const AiqColumnKeys *keys = keys_of(opts);
    return keys && keys[c].key_vectors && keys[c].n > 0 && (!needed || needed[c]) &&
           ct->schema.cols[c].type == AIQ_TYPE_DYNAMIC;
}

/* A declared table keeps only its declared columns -- and of those only the
 * ones the query reads, when the scan's spec says which. */
void jl_want_declared(Rows *rows, const AiqCatalogTable *ct, const AiqReadOptions *opts)
{
    if (!ct->declared)
        return;
    const char **names = aiq_xmalloc(sizeof *names * (size_t)(ct->schema.ncols + 1));
    const AiqColumnKeys **filters = aiq_xmalloc(sizeof *filters * (size_t)(ct->schema.ncols + 1));
    const bool *needed = needed_of(opts);
    const AiqColumnKeys *keys = keys_of(opts);
    int n = 0;
    for (int c = 0; c < ct->schema.ncols; c++)
        if (!needed || needed[c]) {
            filters[n] = keys && keys[c].n >= 0 && ct->schema.cols[c].type == AIQ_TYPE_DYNAMIC ? &keys[c] : NULL;
            names[n++] = ct->schema.cols[c].name;
        }
    rows_want(rows, names, filters, n);
    const AiqRowPred *preds = opts->scan ? opts->scan->preds : NULL;
    int npreds = opts->scan ? opts->scan->npreds : 0;
    for (int i = 0; i < npreds && rows->npreds < 16; i++) {
        const char *pname = ct->schema.cols[preds[i].col].name;
        int col = (int)aiq_keymap_find(&rows->names, pname, (uint32_t)strlen(pname));
        if (col < 0)
            continue;
        rows->preds[rows->npreds] = &preds[i];
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
        for (int k = 0; k < keys[c].n; k++) {
            int x = jl_rows_column_add(rows, name, key_vector_name(name, sizeof name, c, k));
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
    jl_rows_init(&rows);
    jl_want_declared(&rows, ct, opts);
    bool ok = true;
    for (int p = 0; p < ct->npaths && ok; p++) {
        AiqStrBuf raw;
        aiq_sb_init(&raw);
        const char *name = strcmp(ct->paths[p], "-") == 0 ? "stdin" : ct->paths[p]; /* (as messages name it) */
        ok = read_file(ct->paths[p], &raw, err) && parse_file(name, &raw, &rows, opts, err);
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

/* Turns parsed rows into the typed table (declared or inferred schema). */
void jl_report_misfits(const AiqCatalogTable *ct, const Misfits *mf, const AiqReadOptions *opts)
{
    if (mf->n && opts->warn)
        fprintf(opts->warn, "aiq: %s: %lld value%s did not fit the %s type and became null (first: column %s:%s at line %lld: %s)\n",
                ct->name, (long long)mf->n, mf->n == 1 ? "" : "s",
                ct->inferred ? "inferred (the file changed while read?)" : "declared", ct->schema.cols[mf->first_col].name,
                aiq_type_name(ct->schema.cols[mf->first_col].type), (long long)mf->first_line, mf->first_text);
}

/* Takes col's cells as an array of all n rows (missing where the column
 * has none), for a table to keep (key vectors). */
static Cell *take_all_cells(CellCol *col, int64_t n)
{
    Cell *all = col->cells;
    if (col->base != 0 || col->cap < n) {
        all = aiq_xcalloc((size_t)n + 1, sizeof *all); /* (zero: CELL_MISSING) */
        if (col->len)
            memcpy(all + col->base, col->cells, sizeof *all * (size_t)col->len);
        aiq_xfree(col->cells);
    } else {
        for (int64_t i = col->len; i < n; i++)
            all[i].kind = CELL_MISSING;
    }
    col->cells = NULL;
    col->len = col->cap = 0;
    return all;
}

/* Adds src's misfits (later rows) to dst's. */
void jl_merge_misfits(Misfits *dst, const Misfits *src)
{
    if (!dst->n && src->n)
        *dst = *src;
    else
        dst->n += src->n;
}

AiqTable *jl_build_table(AiqCatalogTable *ct, Rows *rows, bool ok, const AiqReadOptions *opts,
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
                nx += has_key_vectors(ct, opts, c) ? keys_of(opts)[c].n : 0;
            ncols = ct->schema.ncols + nx;
            src = aiq_xcalloc((size_t)ncols + 1, sizeof *src);
            if (nx) {
                xcols = aiq_xcalloc((size_t)ncols + 1, sizeof *xcols);
                xinfo = aiq_xcalloc((size_t)nx + 1, sizeof *xinfo);
                memcpy(xcols, ct->schema.cols, sizeof *xcols * (size_t)ct->schema.ncols);
            }
            for (int c = 0, x = ct->schema.ncols; c < ct->schema.ncols; c++) {
                const char *name = ct->schema.cols[c].name;
                src[c] = (int)aiq_keymap_find(&rows->names, name, (uint32_t)strlen(name));
                for (int k = 0; has_key_vectors(ct, opts, c) && k < keys_of(opts)[c].n; k++, x++) {
                    char xname[32];
                    src[x] = (int)aiq_keymap_find(&rows->names, xname, key_vector_name(xname, sizeof xname, c, k));
                    xcols[x] = (AiqColumn){"", AIQ_TYPE_DYNAMIC};
                    const char *key = keys_of(opts)[c].keys[k];
                    xinfo[x - ct->schema.ncols] = (AiqKeyVecInfo){c, key, (uint32_t)strlen(key)};
                }
            }
        } else {
            ncols = rows->ncols;
            src = aiq_xcalloc((size_t)ncols + 1, sizeof *src);
            ct->schema.ncols = ncols;
            ct->schema.cols = aiq_arena_alloc(schema_arena, sizeof *ct->schema.cols * (size_t)(ncols + 1));
            for (int c = 0; c < ncols; c++) {
                src[c] = c;
                ct->schema.cols[c].name = aiq_arena_strndup(schema_arena, rows->cols[c].name, strlen(rows->cols[c].name));
                ct->schema.cols[c].type = jl_infer(rows->cols[c].seen);
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
        for (int c = 0; c < ncols - nx; c++)
            if (src[c] < 0) /* a column the query does not read */
                aiq_table_share_nulls(t, c, rows->n);
        aiq_table_add_null_rows(t, rows->n);
        /* the strings stay where the scanner put them: the table takes the arena */
        aiq_arena_free(&t->strings);
        t->strings = rows->strings;
        aiq_arena_init(&rows->strings, 64 << 10);
        /* key vectors keep the reader's cells until they are needed as
         * dynamic values: conversions read them as they are (aiq_eval) */
        if (nx)
            t->xcells = aiq_xcalloc((size_t)nx, sizeof *t->xcells);
        for (int k = 0; k < nx; k++) {
            int from = src[ncols - nx + k];
            if (from >= 0)
                t->xcells[k] = take_all_cells(&rows->cols[from], rows->n);
        }
        /* column by column: one type decision per column, tight loops */
        for (int c = 0; c < ncols - nx && ok; c++) {
            if (src[c] < 0)
                continue;
            /* rows outside the column's cells lack the key: null, as added */
            const CellCol *col = &rows->cols[src[c]];
            AiqColumnData *cd = &t->cols[c];
            for (int64_t r = col->base; r < col->base + col->len; r++) {
                const Cell *cell = &col->cells[r - col->base];
                /* the usual pairs directly; the rest (and every misfit) through convert */
                uint8_t kind = cell->kind;
                if (cd->type == AIQ_TYPE_STRING && kind == CELL_STRING) {
                    ((AiqStr *)cd->data)[r] = (AiqStr){cell->u.s, cell->len};
                    continue;
                }
                if (cd->validity && ((cd->type == AIQ_TYPE_REAL && (kind == CELL_REAL || kind == CELL_INT)) ||
                                     (cd->type == AIQ_TYPE_LONG && kind == CELL_INT))) {
                    if (cd->type == AIQ_TYPE_REAL)
                        ((double *)cd->data)[r] = kind == CELL_REAL ? cell->u.f : (double)cell->u.i;
                    else
                        ((int64_t *)cd->data)[r] = cell->u.i;
                    cd->validity[r >> 6] |= (uint64_t)1 << (r & 63);
                    continue;
                }
                if (!convert(t, c, r, cell, &tmp, &sb) && mf->n++ == 0) {
                    mf->first_line = rows->lines[r];
                    mf->first_col = c;
                    const char *q = cell->kind == CELL_STRING ? "\"" : "";
                    snprintf(mf->first_text, sizeof mf->first_text, "%s%s%s", q, cell_text(cell, &sb), q);
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
    jl_rows_free(rows);
    if (!ok) {
        aiq_table_free(t);
        return NULL;
    }
    return t;
}
