/*
 * external.c -- externaldata's reader (see external.h). The file is read
 * whole (externaldata is for reference lists and small lookups, which
 * Kusto itself caps), decompressed by magic number, then split into
 * records by its format: delimited text with RFC 4180 quoting (csv, tsv,
 * psv, scsv, sohsv; tsve with backslash escapes), one record per line
 * (txt) or per file (raw), or JSON values (json: one a line, multijson:
 * any layout, an array's elements each a record).
 */
#include "io/external.h"

#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "core/json_text.h"
#include "func/kernel.h"
#include "io/jsonl_decode.h"
#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

const char *const aiq_external_format_names[AIQ_EXT_FORMAT_COUNT] = {
    "csv", "tsv", "tsve", "psv", "scsv", "sohsv", "txt", "raw", "json", "multijson",
};

int aiq_external_format_from_name(const char *name)
{
    for (int i = 0; i < AIQ_EXT_FORMAT_COUNT; i++)
        if (strcasecmp(name, aiq_external_format_names[i]) == 0)
            return i;
    return -1;
}

AiqExternalFormat aiq_external_format_of_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    static const char *const zips[] = {".gz", ".zst", ".zstd", NULL};
    for (int i = 0; zips[i]; i++) {
        size_t z = strlen(zips[i]);
        if (n > z && strcasecmp(base + n - z, zips[i]) == 0)
            n -= z;
    }
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++)
        if (base[i] == '.')
            dot = base + i;
    if (dot) {
        char ext[16];
        size_t len = (size_t)(base + n - dot - 1);
        if (len < sizeof ext) {
            memcpy(ext, dot + 1, len);
            ext[len] = '\0';
            int f = aiq_external_format_from_name(ext);
            if (f >= 0)
                return (AiqExternalFormat)f;
            if (strcasecmp(ext, "jsonl") == 0 || strcasecmp(ext, "ndjson") == 0)
                return AIQ_EXT_JSON;
        }
    }
    return AIQ_EXT_CSV;
}

/* ---- one value into the table ------------------------------------------ */

/* Stores the text s of a field in column c of row r, converted to the
 * column's type; a string column takes it as it is, an empty field or a
 * value not of the type is null. */
static void store_text(AiqTable *t, int c, int64_t r, AiqStr s)
{
    AiqType ty = t->schema.cols[c].type;
    AiqVector sv = {.type = AIQ_TYPE_STRING, .is_const = true, .data.str = &s};
    if (ty == AIQ_TYPE_STRING) {
        aiq_table_set(t, c, r, &sv, 0);
        return;
    }
    if (s.len == 0)
        return; /* the row is null already */
    int64_t i64 = 0;
    double f64 = 0;
    AiqVector v = {.type = ty, .is_const = true, .data.i64 = &i64};
    bool ok;
    switch (ty) {
    case AIQ_TYPE_REAL:
        v.data.f64 = &f64;
        ok = aiq_conv_real(&sv, 0, &f64);
        break;
    case AIQ_TYPE_BOOL: ok = aiq_conv_bool(&sv, 0, &i64); break;
    case AIQ_TYPE_DATETIME: ok = aiq_conv_datetime(&sv, 0, &i64); break;
    case AIQ_TYPE_TIMESPAN: ok = aiq_conv_timespan(&sv, 0, &i64); break;
    case AIQ_TYPE_DYNAMIC: {
        json_t *j = json_loadb(s.ptr, s.len, JSON_DECODE_ANY, NULL);
        if (!j)
            j = json_stringn(s.ptr, s.len);
        v.data.dyn = &j;
        aiq_table_set(t, c, r, &v, 0);
        json_decref(j);
        return;
    }
    default: ok = aiq_conv_long(&sv, 0, &i64); break;
    }
    if (ok)
        aiq_table_set(t, c, r, &v, 0);
}

/* Stores a JSON value in column c of row r: a string column takes a JSON
 * string's text and any other value's JSON text; other columns convert
 * what they can read (a number, a bool, a datetime's text). */
static void store_json(AiqTable *t, int c, int64_t r, json_t *j)
{
    AiqType ty = t->schema.cols[c].type;
    if (!j || json_is_null(j))
        return;
    if (ty == AIQ_TYPE_DYNAMIC) {
        AiqVector v = {.type = ty, .is_const = true, .data.dyn = &j};
        aiq_table_set(t, c, r, &v, 0);
        return;
    }
    if (json_is_string(j)) {
        store_text(t, c, r, (AiqStr){json_string_value(j), (uint32_t)json_string_length(j)});
        return;
    }
    char *text = aiq_json_dumps(j, 0);
    if (text) {
        store_text(t, c, r, (AiqStr){text, (uint32_t)strlen(text)});
        aiq_xfree(text);
    }
}

/* ---- delimited text ------------------------------------------------------ */

typedef struct Fields {
    AiqStrBuf text;    /* every field's bytes, one after another */
    size_t *ends;      /* field k is text[ends[k-1] .. ends[k]) */
    int n, cap;
} Fields;

static void end_field(Fields *f)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->ends = aiq_xrealloc(f->ends, sizeof *f->ends * (size_t)f->cap);
    }
    f->ends[f->n++] = f->text.len;
}

static AiqStr field(const Fields *f, int k)
{
    size_t start = k ? f->ends[k - 1] : 0;
    return (AiqStr){f->text.data ? f->text.data + start : "", (uint32_t)(f->ends[k] - start)};
}

/* tsve's escapes: \t \n \r \\ and \" stand for the character. */
static char unescape(char c) { return c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c; }

/* Splits the record at data[*pos..len) into f; a quoted field may hold the
 * separator, newlines and "" for a quote. Returns false at the end. */
static bool next_record(const char *data, size_t len, size_t *pos, char sep, bool escapes, Fields *f)
{
    size_t i = *pos;
    if (i >= len)
        return false;
    aiq_sb_clear(&f->text);
    f->n = 0;
    bool quoted = false, at_start = true;
    for (; i < len; i++) {
        char c = data[i];
        if (quoted) {
            if (c == '"' && i + 1 < len && data[i + 1] == '"') {
                aiq_sb_putc(&f->text, '"');
                i++;
            } else if (c == '"') {
                quoted = false;
            } else {
                aiq_sb_putc(&f->text, c);
            }
            continue;
        }
        if (c == '"' && at_start) {
            quoted = true;
            at_start = false;
        } else if (c == sep) {
            end_field(f);
            at_start = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
                i++;
            i++;
            break;
        } else if (escapes && c == '\\' && i + 1 < len) {
            aiq_sb_putc(&f->text, unescape(data[++i]));
            at_start = false;
        } else {
            aiq_sb_putc(&f->text, c);
            at_start = false;
        }
    }
    end_field(f);
    *pos = i;
    return true;
}

static bool blank_record(const Fields *f) { return f->n == 1 && f->ends[0] == 0; }

/* Every 4096 records: false with the error once past --max-memory. */
static bool memory_ok(const AiqTable *t, const char *path, AiqError *err)
{
    if ((t->nrows & 4095) != 0 || !aiq_mem_exceeded())
        return true;
    return aiq_error_set(err, AIQ_ERR_LIMIT, -1, 1, "%s: memory limit (--max-memory) reached while reading externaldata", path);
}

static bool read_delimited(AiqTable *t, const char *path, const char *data, size_t len, char sep, bool escapes,
                           bool ignore_first, AiqError *err)
{
    Fields f = {0};
    aiq_sb_init(&f.text);
    size_t pos = 0;
    bool first = true;
    while (next_record(data, len, &pos, sep, escapes, &f)) {
        if (blank_record(&f))
            continue; /* an empty line (a trailing newline's) is no record */
        if (first && ignore_first) {
            first = false;
            continue;
        }
        first = false;
        int64_t r = aiq_table_add_null_row(t);
        for (int c = 0; c < t->schema.ncols && c < f.n; c++)
            store_text(t, c, r, field(&f, c));
        if (!memory_ok(t, path, err))
            break;
    }
    aiq_sb_free(&f.text);
    aiq_xfree(f.ends);
    return err->code == AIQ_OK;
}

/* txt: each line is a record of one field; raw: the whole file is one. */
static bool read_lines(AiqTable *t, const char *path, const char *data, size_t len, bool whole, bool ignore_first,
                       AiqError *err)
{
    size_t pos = 0;
    bool first = true;
    while (pos < len) {
        size_t end = pos;
        while (!whole && end < len && data[end] != '\n')
            end++;
        if (whole)
            end = len;
        size_t n = end - pos;
        if (n && data[pos + n - 1] == '\r' && !whole)
            n--;
        if (!(first && ignore_first)) {
            int64_t r = aiq_table_add_null_row(t);
            if (t->schema.ncols)
                store_text(t, 0, r, (AiqStr){data + pos, (uint32_t)n});
            if (!memory_ok(t, path, err))
                return false;
        }
        first = false;
        pos = end + 1;
    }
    return true;
}

/* ---- JSON ------------------------------------------------------------------ */

/* One record from an object: its properties by column name. */
static void add_json_record(AiqTable *t, json_t *obj)
{
    int64_t r = aiq_table_add_null_row(t);
    if (!json_is_object(obj)) {
        if (t->schema.ncols)
            store_json(t, 0, r, obj);
        return;
    }
    for (int c = 0; c < t->schema.ncols; c++)
        store_json(t, c, r, json_object_get(obj, t->schema.cols[c].name));
}

/* json and multijson: JSON values one after another in any layout (one a
 * line is a special case); a top-level array's elements are records each. */
static bool read_json(AiqTable *t, const char *path, const char *data, size_t len, bool ignore_first, AiqError *err)
{
    size_t pos = 0;
    bool first = true;
    while (pos < len) {
        while (pos < len && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' || data[pos] == '\r'))
            pos++;
        if (pos >= len)
            break;
        json_error_t je;
        json_t *v = json_loadb(data + pos, len - pos, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
        if (!v)
            return aiq_error_set(err, AIQ_ERR_IO, -1, 1, "%s: not JSON at byte %zu: %s", path, pos + (size_t)je.position, je.text);
        pos += je.position;
        if (json_is_array(v)) {
            size_t i;
            json_t *el;
            json_array_foreach(v, i, el) {
                if (!(first && ignore_first))
                    add_json_record(t, el);
                first = false;
            }
        } else {
            if (!(first && ignore_first))
                add_json_record(t, v);
            first = false;
        }
        json_decref(v);
        if (!memory_ok(t, path, err))
            return false;
    }
    return true;
}

bool aiq_external_read(AiqTable *t, const char *path, AiqExternalFormat format, bool ignore_first, AiqError *err)
{
    AiqStrBuf buf;
    aiq_sb_init(&buf);
    if (!aiq_read_decoded(path, &buf, err)) {
        aiq_sb_free(&buf);
        return false;
    }
    const char *data = buf.data ? buf.data : "";
    size_t len = buf.len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte order mark */
        data += 3;
        len -= 3;
    }
    bool ok = true;
    switch (format) {
    case AIQ_EXT_CSV: ok = read_delimited(t, path, data, len, ',', false, ignore_first, err); break;
    case AIQ_EXT_TSV: ok = read_delimited(t, path, data, len, '\t', false, ignore_first, err); break;
    case AIQ_EXT_TSVE: ok = read_delimited(t, path, data, len, '\t', true, ignore_first, err); break;
    case AIQ_EXT_PSV: ok = read_delimited(t, path, data, len, '|', false, ignore_first, err); break;
    case AIQ_EXT_SCSV: ok = read_delimited(t, path, data, len, ';', false, ignore_first, err); break;
    case AIQ_EXT_SOHSV: ok = read_delimited(t, path, data, len, '\x01', false, ignore_first, err); break;
    case AIQ_EXT_TXT: ok = read_lines(t, path, data, len, false, ignore_first, err); break;
    case AIQ_EXT_RAW: ok = read_lines(t, path, data, len, true, false, err); break;
    case AIQ_EXT_JSON:
    case AIQ_EXT_MULTIJSON: ok = read_json(t, path, data, len, ignore_first, err); break;
    case AIQ_EXT_FORMAT_COUNT: break;
    }
    aiq_sb_free(&buf);
    return ok;
}
