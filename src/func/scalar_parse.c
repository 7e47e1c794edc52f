/*
 * scalar_parse.c -- kernels that take text apart into dynamic values or
 * format a number as text: parse_path, parse_command_line (Windows
 * CommandLineToArgvW rules), parse_csv (one record), parse_urlquery,
 * extract_json (a JSONPath into JSON text), format_bytes. Text that does
 * not parse gives "" or null, never an error.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "func/jsonpath.h"
#include "func/kernel.h"
#include "util/strbuf.h"

static json_t *jstr(AiqStr s) { return json_stringn(s.ptr, s.len); }

/* ---- parse_path ------------------------------------------------------------------ */

static bool is_sep(char c) { return c == '/' || c == '\\'; }

/* parse_path(path): Scheme, RootPath (a drive), DirectoryPath,
 * DirectoryName, Filename, Extension and AlternateDataStreamName, as the
 * page's examples split them (a scheme's "://" and a long path's "\\?\"
 * are dropped; a share's "\\server" is part of the directory). */
KERNEL(k_parse_path)
{
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i), scheme = {"", 0}, root = {"", 0};
        const char *p = s.ptr, *end = s.ptr + s.len;
        const char *colon = memmem(p, s.len, "://", 3);
        if (colon && colon > p) {
            bool word = true;
            for (const char *c = p; c < colon; c++)
                word &= isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.';
            if (word) {
                scheme = (AiqStr){p, (uint32_t)(colon - p)};
                p = colon + 3;
            }
        }
        if (end - p >= 4 && memcmp(p, "\\\\?\\", 4) == 0)
            p += 4;
        if (end - p >= 2 && isalpha((unsigned char)p[0]) && p[1] == ':')
            root = (AiqStr){p, 2};
        const char *last = NULL; /* the last separator */
        for (const char *c = p; c < end; c++)
            if (is_sep(*c))
                last = c;
        AiqStr dir = {"", 0}, dirname = {"", 0};
        const char *file = p;
        if (last) {
            dir = (AiqStr){p, (uint32_t)(last - p)};
            file = last + 1;
            const char *d = dir.ptr + dir.len;
            while (d > dir.ptr && !is_sep(d[-1]))
                d--;
            dirname = (AiqStr){d, (uint32_t)(dir.ptr + dir.len - d)};
            if (dirname.len == 2 && dirname.ptr[1] == ':' && dirname.ptr == root.ptr)
                dirname = (AiqStr){"", 0}; /* C:\file.txt: the root is not a directory name */
        }
        const char *ads = memchr(file, ':', (size_t)(end - file));
        if (ads && file == root.ptr) /* C:file.txt */
            ads = memchr(file + 2, ':', (size_t)(end - file - 2));
        AiqStr fname = {file, (uint32_t)((ads ? ads : end) - file)}, stream = {"", 0}, ext = {"", 0};
        if (ads)
            stream = (AiqStr){ads + 1, (uint32_t)(end - ads - 1)};
        const char *dot = NULL;
        for (const char *c = fname.ptr; c < fname.ptr + fname.len; c++)
            if (*c == '.')
                dot = c;
        if (dot)
            ext = (AiqStr){dot + 1, (uint32_t)(fname.ptr + fname.len - dot - 1)};
        json_t *o = json_object();
        json_object_set_new(o, "Scheme", jstr(scheme));
        json_object_set_new(o, "RootPath", jstr(root));
        json_object_set_new(o, "DirectoryPath", jstr(dir));
        json_object_set_new(o, "DirectoryName", jstr(dirname));
        json_object_set_new(o, "Filename", jstr(fname));
        json_object_set_new(o, "Extension", jstr(ext));
        json_object_set_new(o, "AlternateDataStreamName", jstr(stream));
        out->data.dyn[i] = aiq_eval_own(ctx, o);
    }
}

/* ---- parse_command_line ---------------------------------------------------------- */

/* Splits a Windows command line as CommandLineToArgvW does: the program
 * name ends at the first blank unless quoted (no escapes in it); in the
 * arguments, 2n backslashes before a quote are n backslashes and the quote
 * opens or closes a quoted part, 2n+1 are n and a literal quote, other
 * backslashes are themselves, and "" inside quotes is a literal quote. */
static json_t *split_command_line(AiqStr s)
{
    json_t *arr = json_array();
    AiqStrBuf arg;
    aiq_sb_init(&arg);
    uint32_t k = 0;
    while (k < s.len && (s.ptr[k] == ' ' || s.ptr[k] == '\t'))
        k++;
    if (k < s.len) { /* the program name */
        if (s.ptr[k] == '"') {
            uint32_t st = ++k;
            while (k < s.len && s.ptr[k] != '"')
                k++;
            aiq_sb_append(&arg, s.ptr + st, k - st);
            if (k < s.len)
                k++;
        } else {
            uint32_t st = k;
            while (k < s.len && s.ptr[k] != ' ' && s.ptr[k] != '\t')
                k++;
            aiq_sb_append(&arg, s.ptr + st, k - st);
        }
        json_array_append_new(arr, json_stringn(aiq_sb_str(&arg), arg.len));
    }
    for (;;) {
        while (k < s.len && (s.ptr[k] == ' ' || s.ptr[k] == '\t'))
            k++;
        if (k >= s.len)
            break;
        aiq_sb_clear(&arg);
        bool quoted = false;
        while (k < s.len && (quoted || (s.ptr[k] != ' ' && s.ptr[k] != '\t'))) {
            char c = s.ptr[k];
            if (c == '\\') {
                uint32_t nb = 0;
                while (k < s.len && s.ptr[k] == '\\')
                    nb++, k++;
                if (k < s.len && s.ptr[k] == '"') {
                    for (uint32_t b = 0; b < nb / 2; b++)
                        aiq_sb_putc(&arg, '\\');
                    if (nb % 2) {
                        aiq_sb_putc(&arg, '"');
                        k++;
                    }
                } else {
                    for (uint32_t b = 0; b < nb; b++)
                        aiq_sb_putc(&arg, '\\');
                }
            } else if (c == '"') {
                if (quoted && k + 1 < s.len && s.ptr[k + 1] == '"') {
                    aiq_sb_putc(&arg, '"');
                    k += 2;
                } else {
                    quoted = !quoted;
                    k++;
                }
            } else {
                aiq_sb_putc(&arg, c);
                k++;
            }
        }
        json_array_append_new(arr, json_stringn(aiq_sb_str(&arg), arg.len));
    }
    aiq_sb_free(&arg);
    return arr;
}

/* parse_command_line(command_line, "windows") (the only parser type
 * Kusto has; the binder checks it). */
KERNEL(k_parse_command_line)
{
    FOR_ROWS(i) out->data.dyn[i] = aiq_eval_own(ctx, split_command_line(STR(a[0], i)));
}

/* ---- parse_csv -------------------------------------------------------------------- */

/* parse_csv(text): the fields of the first record, as strings; a quoted
 * field may hold commas, line ends and "" for a quote. */
KERNEL(k_parse_csv)
{
    AiqStrBuf field;
    aiq_sb_init(&field);
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        json_t *arr = json_array();
        uint32_t k = 0;
        for (;;) {
            aiq_sb_clear(&field);
            bool quoted = k < s.len && s.ptr[k] == '"';
            if (quoted) {
                for (k++; k < s.len; k++) {
                    if (s.ptr[k] != '"') {
                        aiq_sb_putc(&field, s.ptr[k]);
                    } else if (k + 1 < s.len && s.ptr[k + 1] == '"') {
                        aiq_sb_putc(&field, '"');
                        k++;
                    } else {
                        k++;
                        break;
                    }
                }
            }
            while (k < s.len && s.ptr[k] != ',' && s.ptr[k] != '\n' && s.ptr[k] != '\r')
                aiq_sb_putc(&field, s.ptr[k++]);
            json_array_append_new(arr, json_stringn(aiq_sb_str(&field), field.len));
            if (k >= s.len || s.ptr[k] != ',')
                break; /* the end of the text or of the first record */
            k++;
        }
        out->data.dyn[i] = aiq_eval_own(ctx, arr);
    }
    aiq_sb_free(&field);
}

/* ---- parse_urlquery --------------------------------------------------------------- */

/* parse_urlquery(query): {"Query Parameters": {key: value, ...}} of a
 * URL's query part ("k1=v1&k2=v2", a leading '?' allowed), values as
 * written, as parse_url() gives them. */
KERNEL(k_parse_urlquery)
{
    FOR_ROWS(i) {
        AiqStr q = STR(a[0], i);
        if (q.len && q.ptr[0] == '?')
            q = (AiqStr){q.ptr + 1, q.len - 1};
        json_t *params = json_object();
        for (const char *k = q.ptr, *end = q.ptr + q.len; q.len && k < end;) {
            const char *amp = memchr(k, '&', (size_t)(end - k));
            const char *stop = amp ? amp : end;
            const char *eq = memchr(k, '=', (size_t)(stop - k));
            if (stop > k)
                json_object_setn_new(params, k, (size_t)((eq ? eq : stop) - k),
                                     eq ? json_stringn(eq + 1, (size_t)(stop - eq - 1)) : json_string(""));
            k = amp ? amp + 1 : stop;
        }
        json_t *o = json_object();
        json_object_set_new(o, "Query Parameters", params);
        out->data.dyn[i] = aiq_eval_own(ctx, o);
    }
}

/* ---- extract_json ----------------------------------------------------------------- */

/* extract_json(path, text): the value the JSONPath leads to in the JSON
 * text, as text (a string unquoted, anything else as JSON); "" when the
 * text is not JSON or the path leads nowhere. The binder wraps the call
 * in a conversion for the typeof() form. */
KERNEL(k_extract_json)
{
    AiqJsonStep steps[AIQ_JSONPATH_MAX_STEPS];
    FOR_ROWS(i) {
        int nsteps = aiq_jsonpath_parse(STR(a[0], i), false, steps);
        AiqStr text = STR(a[1], i);
        json_t *doc = nsteps >= 0 ? json_loadb(text.ptr, text.len, JSON_DECODE_ANY, NULL) : NULL;
        json_t *v = doc ? aiq_jsonpath_get(doc, steps, nsteps) : NULL;
        out->data.str[i] = v && !json_is_null(v) ? aiq_json_text(ctx, v) : (AiqStr){"", 0};
        if (v && json_is_string(v)) /* the text is inside doc, which goes now */
            out->data.str[i] = aiq_eval_str(ctx, out->data.str[i].ptr, out->data.str[i].len);
        json_decref(doc);
    }
}

/* ---- format_bytes ----------------------------------------------------------------- */

static const char *const byte_units[] = {"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"};

/* The unit named u (Bytes, KB, ... EB; any case), -1 for "" (chosen by
 * size), -2 for a name that is none of them. */
static int byte_unit(AiqStr u)
{
    if (u.len == 0)
        return -1;
    for (int k = 0; k < 7; k++)
        if (u.len == strlen(byte_units[k]) && strncasecmp(u.ptr, byte_units[k], u.len) == 0)
            return k;
    return -2;
}

/* format_bytes(size [, precision [, units]]): the size in the unit given
 * (or the largest one it reaches, in powers of 1024), rounded to
 * precision decimals: 564 Bytes, 10.1 KB, 19 MB (the page's examples);
 * "" for a unit that is not one. */
KERNEL(k_format_bytes)
{
    FOR_ROWS(i) {
        double v = F64(a[0], i);
        int64_t prec = e->nargs > 1 ? I64(a[1], i) : 0;
        int unit = e->nargs > 2 ? byte_unit(STR(a[2], i)) : -1;
        if (unit == -2 || prec < 0 || !isfinite(v)) {
            out->data.str[i] = (AiqStr){"", 0};
            continue;
        }
        if (prec > 15)
            prec = 15;
        if (unit < 0)
            for (unit = 0; unit < 6 && fabs(v) >= pow(1024.0, unit + 1); unit++)
                ;
        char buf[64];
        int len = snprintf(buf, sizeof buf, "%.*f %s", (int)prec, v / pow(1024.0, unit), byte_units[unit]);
        out->data.str[i] = aiq_eval_str(ctx, buf, (size_t)len);
    }
}
