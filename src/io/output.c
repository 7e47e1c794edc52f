/*
 * output.c -- result formats (see output.h).
 */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/timefmt.h"

bool aiq_format_from_name(const char *name, AiqFormat *out)
{
    static const char *const names[] = {"table", "csv", "tsv", "json", "ndjson", "markdown"};
    for (int i = 0; i < 6; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (AiqFormat)i;
            return true;
        }
    return false;
}

/* Appends the plain text of a value (no quoting); returns false for null. */
static bool value_text(AiqStrBuf *sb, const AiqTable *t, int c, int64_t r)
{
    const AiqColumnData *cd = &t->cols[c];
    char buf[64];
    if (cd->type != AIQ_TYPE_STRING && aiq_table_is_null(t, c, r))
        return false;
    switch (cd->type) {
    case AIQ_TYPE_BOOL: aiq_sb_puts(sb, ((int64_t *)cd->data)[r] ? "true" : "false"); break;
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG: aiq_sb_printf(sb, "%lld", (long long)((int64_t *)cd->data)[r]); break;
    case AIQ_TYPE_REAL: aiq_real_format(((double *)cd->data)[r], buf); aiq_sb_puts(sb, buf); break;
    case AIQ_TYPE_DATETIME: aiq_datetime_format(((int64_t *)cd->data)[r], buf); aiq_sb_puts(sb, buf); break;
    case AIQ_TYPE_TIMESPAN: aiq_timespan_format(((int64_t *)cd->data)[r], buf); aiq_sb_puts(sb, buf); break;
    case AIQ_TYPE_STRING: {
        AiqStr s = ((AiqStr *)cd->data)[r];
        aiq_sb_append(sb, s.ptr, s.len);
        break;
    }
    case AIQ_TYPE_DYNAMIC: {
        char *s = aiq_dyn_dumps(((json_t **)cd->data)[r], JSON_COMPACT | JSON_ENCODE_ANY);
        aiq_sb_puts(sb, s ? s : "null");
        aiq_xfree(s);
        break;
    }
    default: return false;
    }
    return true;
}

static void json_string_out(AiqStrBuf *sb, const char *s, size_t n)
{
    aiq_sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': aiq_sb_puts(sb, "\\\""); break;
        case '\\': aiq_sb_puts(sb, "\\\\"); break;
        case '\n': aiq_sb_puts(sb, "\\n"); break;
        case '\r': aiq_sb_puts(sb, "\\r"); break;
        case '\t': aiq_sb_puts(sb, "\\t"); break;
        default:
            if (c < 0x20)
                aiq_sb_printf(sb, "\\u%04x", c);
            else
                aiq_sb_putc(sb, (char)c);
        }
    }
    aiq_sb_putc(sb, '"');
}

/* Appends a value as JSON. */
static void value_json(AiqStrBuf *sb, AiqStrBuf *tmp, const AiqTable *t, int c, int64_t r)
{
    const AiqColumnData *cd = &t->cols[c];
    aiq_sb_clear(tmp);
    if (!value_text(tmp, t, c, r)) {
        aiq_sb_puts(sb, "null");
        return;
    }
    switch (cd->type) {
    case AIQ_TYPE_BOOL:
    case AIQ_TYPE_INT:
    case AIQ_TYPE_LONG:
    case AIQ_TYPE_DYNAMIC: aiq_sb_append(sb, tmp->data, tmp->len); break;
    case AIQ_TYPE_REAL: {
        double d = ((double *)cd->data)[r];
        if (d != d || d - d != 0) /* NaN and infinities are not JSON numbers */
            json_string_out(sb, tmp->data, tmp->len);
        else
            aiq_sb_append(sb, tmp->data, tmp->len);
        break;
    }
    default: json_string_out(sb, tmp->data, tmp->len); break;
    }
}

static void csv_field(AiqStrBuf *sb, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        aiq_sb_append(sb, s, n);
        return;
    }
    aiq_sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            aiq_sb_putc(sb, '"');
        aiq_sb_putc(sb, s[i]);
    }
    aiq_sb_putc(sb, '"');
}

static void tsv_field(AiqStrBuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '\t': aiq_sb_puts(sb, "\\t"); break;
        case '\n': aiq_sb_puts(sb, "\\n"); break;
        case '\r': aiq_sb_puts(sb, "\\r"); break;
        case '\\': aiq_sb_puts(sb, "\\\\"); break;
        default: aiq_sb_putc(sb, s[i]);
        }
    }
}

static void md_field(AiqStrBuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|')
            aiq_sb_puts(sb, "\\|");
        else if (s[i] == '\n')
            aiq_sb_puts(sb, "<br>");
        else
            aiq_sb_putc(sb, s[i]);
    }
}

/* Display width in code points (a fair approximation for aligned tables). */
static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

static bool right_aligned(AiqType t) { return t == AIQ_TYPE_INT || t == AIQ_TYPE_LONG || t == AIQ_TYPE_REAL; }

static void output_aligned(AiqStrBuf *out, const AiqTable *t, bool header, bool color)
{
    int nc = t->schema.ncols;
    size_t *w = aiq_xcalloc((size_t)nc + 1, sizeof *w);
    AiqStrBuf tmp;
    aiq_sb_init(&tmp);
    for (int c = 0; c < nc; c++)
        w[c] = header ? width(t->schema.cols[c].name, strlen(t->schema.cols[c].name)) : 0;
    for (int64_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < nc; c++) {
            aiq_sb_clear(&tmp);
            value_text(&tmp, t, c, r);
            size_t x = width(aiq_sb_str(&tmp), tmp.len);
            for (size_t i = 0; i < tmp.len; i++)
                if (tmp.data[i] == '\n' || tmp.data[i] == '\t')
                    x++; /* escaped below */
            if (x > w[c])
                w[c] = x;
        }
    if (header) {
        for (int c = 0; c < nc; c++) {
            const char *name = t->schema.cols[c].name;
            size_t pad = w[c] - width(name, strlen(name));
            if (c)
                aiq_sb_puts(out, "  ");
            if (color)
                aiq_sb_puts(out, "\033[1m");
            if (right_aligned(t->cols[c].type))
                for (size_t i = 0; i < pad; i++)
                    aiq_sb_putc(out, ' ');
            aiq_sb_puts(out, name);
            if (color)
                aiq_sb_puts(out, "\033[0m");
            if (!right_aligned(t->cols[c].type) && c + 1 < nc)
                for (size_t i = 0; i < pad; i++)
                    aiq_sb_putc(out, ' ');
        }
        aiq_sb_putc(out, '\n');
        for (int c = 0; c < nc; c++) {
            if (c)
                aiq_sb_puts(out, "  ");
            for (size_t i = 0; i < w[c]; i++)
                aiq_sb_putc(out, '-');
        }
        aiq_sb_putc(out, '\n');
    }
    for (int64_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < nc; c++) {
            aiq_sb_clear(&tmp);
            value_text(&tmp, t, c, r);
            AiqStrBuf esc;
            aiq_sb_init(&esc);
            tsv_field(&esc, aiq_sb_str(&tmp), tmp.len);
            size_t pad = w[c] > width(aiq_sb_str(&esc), esc.len) ? w[c] - width(aiq_sb_str(&esc), esc.len) : 0;
            if (c)
                aiq_sb_puts(out, "  ");
            if (right_aligned(t->cols[c].type))
                for (size_t i = 0; i < pad; i++)
                    aiq_sb_putc(out, ' ');
            aiq_sb_append(out, aiq_sb_str(&esc), esc.len);
            if (!right_aligned(t->cols[c].type) && c + 1 < nc)
                for (size_t i = 0; i < pad; i++)
                    aiq_sb_putc(out, ' ');
            aiq_sb_free(&esc);
        }
        aiq_sb_putc(out, '\n');
    }
    aiq_sb_free(&tmp);
    aiq_xfree(w);
}

void aiq_output_table(AiqStrBuf *out, const AiqTable *t, AiqFormat fmt, bool header, bool color)
{
    int nc = t->schema.ncols;
    AiqStrBuf tmp;
    aiq_sb_init(&tmp);
    switch (fmt) {
    case AIQ_FMT_TABLE: output_aligned(out, t, header, color); break;
    case AIQ_FMT_NDJSON:
    case AIQ_FMT_JSON:
        if (fmt == AIQ_FMT_JSON)
            aiq_sb_puts(out, t->nrows ? "[\n" : "[");
        for (int64_t r = 0; r < t->nrows; r++) {
            aiq_sb_putc(out, '{');
            for (int c = 0; c < nc; c++) {
                if (c)
                    aiq_sb_putc(out, ',');
                json_string_out(out, t->schema.cols[c].name, strlen(t->schema.cols[c].name));
                aiq_sb_putc(out, ':');
                value_json(out, &tmp, t, c, r);
            }
            aiq_sb_putc(out, '}');
            if (fmt == AIQ_FMT_JSON && r + 1 < t->nrows)
                aiq_sb_putc(out, ',');
            aiq_sb_putc(out, '\n');
        }
        if (fmt == AIQ_FMT_JSON)
            aiq_sb_puts(out, "]\n");
        break;
    case AIQ_FMT_CSV:
    case AIQ_FMT_TSV: {
        char sep = fmt == AIQ_FMT_CSV ? ',' : '\t';
        if (header) {
            for (int c = 0; c < nc; c++) {
                if (c)
                    aiq_sb_putc(out, sep);
                const char *name = t->schema.cols[c].name;
                if (fmt == AIQ_FMT_CSV)
                    csv_field(out, name, strlen(name));
                else
                    tsv_field(out, name, strlen(name));
            }
            aiq_sb_puts(out, fmt == AIQ_FMT_CSV ? "\r\n" : "\n");
        }
        for (int64_t r = 0; r < t->nrows; r++) {
            for (int c = 0; c < nc; c++) {
                if (c)
                    aiq_sb_putc(out, sep);
                aiq_sb_clear(&tmp);
                value_text(&tmp, t, c, r);
                if (fmt == AIQ_FMT_CSV)
                    csv_field(out, aiq_sb_str(&tmp), tmp.len);
                else
                    tsv_field(out, aiq_sb_str(&tmp), tmp.len);
            }
            aiq_sb_puts(out, fmt == AIQ_FMT_CSV ? "\r\n" : "\n");
        }
        break;
    }
    case AIQ_FMT_MARKDOWN:
        aiq_sb_putc(out, '|');
        for (int c = 0; c < nc; c++) {
            aiq_sb_putc(out, ' ');
            md_field(out, t->schema.cols[c].name, strlen(t->schema.cols[c].name));
            aiq_sb_puts(out, " |");
        }
        aiq_sb_puts(out, "\n|");
        for (int c = 0; c < nc; c++)
            aiq_sb_puts(out, right_aligned(t->cols[c].type) ? " ---: |" : " --- |");
        aiq_sb_putc(out, '\n');
        for (int64_t r = 0; r < t->nrows; r++) {
            aiq_sb_putc(out, '|');
            for (int c = 0; c < nc; c++) {
                aiq_sb_clear(&tmp);
                value_text(&tmp, t, c, r);
                aiq_sb_putc(out, ' ');
                md_field(out, aiq_sb_str(&tmp), tmp.len);
                aiq_sb_puts(out, " |");
            }
            aiq_sb_putc(out, '\n');
        }
        break;
    }
    aiq_sb_free(&tmp);
}
