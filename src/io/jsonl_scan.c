/*
 * jsonl_scan.c -- the fast path of the JSON-lines reader: one pass over a
 * line validates it exactly as jansson would and puts the values a query
 * reads straight into the store (jsonl_rows.h), skipping the rest without
 * building it. Anything it is not sure of (escaped keys, overflowing
 * numbers, invalid UTF-8, syntax errors) makes it give the line up,
 * unchanged, to jansson (differentially fuzzed: fuzz_scanner). It also
 * drops rows that a where or top straight above cannot take.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "io/bytescan.h" /* (and emmintrin.h with SSE2) */
#include "io/jsonl_numbers.h"
#include "io/jsonl_rows.h"
#include "util/mem.h"
#include "util/timefmt.h"

/* Blanks inside a line. A newline is not one: it ends the line, so the
 * scanner can read a line without being told where it ends (jl_scan_next_line). */
static inline const char *skip_ws(const char *p, const char *end)
{
    /* most JSON lines are compact: one compare says "not a blank" */
    while (p < end && (unsigned char)*p <= ' ' && (*p == ' ' || *p == '\t' || *p == '\r'))
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
        size_t n = jl_utf8_valid_len((const unsigned char *)p, (size_t)(end - p));
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
            size_t n = jl_utf8_valid_len((const unsigned char *)p, (size_t)(end - p));
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

/* The JSON string at p (after its opening quote) in a column typed
 * datetime: a plain one that is a datetime becomes its ticks where it lies
 * (no copy into the arena, and parsed once: verifying a guessed schema
 * has just parsed it if date_at is here); anything else is a string, for
 * the table's conversion to judge and report. */
static const char *scan_datetime(Rows *r, const char *p, const char *end, Cell *out)
{
    const char *q = aiq_scan_string_run(p, end);
    if (q < end && *q == '"') {
        if (r->date_at == p) {
            r->date_at = NULL;
            *out = (Cell){.kind = CELL_TICKS, .u.i = r->date_ticks};
            return q + 1;
        }
        int64_t ticks;
        if (aiq_datetime_parse(p, (size_t)(q - p), &ticks)) {
            *out = (Cell){.kind = CELL_TICKS, .u.i = ticks};
            return q + 1;
        }
    }
    return scan_string(r, p, end, out);
}

/* Validates the key of a skipped object's member at p (after its opening
 * quote); returns the position after its closing quote, or NULL. An
 * escaped key goes to jansson, as at the top level: it refuses some that a
 * string value may hold ("\u0000": NUL bytes in keys; found by
 * fuzz_scanner). UTF-8 is checked as in strings. */
static const char *skip_key(const char *p, const char *end)
{
    for (;;) {
        p = aiq_scan_string_run(p, end);
        if (p >= end || (unsigned char)*p < 0x80)
            return p < end && *p == '"' ? p + 1 : NULL; /* (a backslash or a control byte: NULL) */
        size_t n = jl_utf8_valid_len((const unsigned char *)p, (size_t)(end - p));
        if (!n)
            return NULL;
        p += n;
    }
}

/* The end of a nested object or array starting at p, or NULL. It stops at
 * a newline outside strings: jansson would take it for a blank and read on
 * into the next line. (One inside a string makes jansson fail, as it should.) */
static const char *skip_nested(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        char c = *p++;
        if (c == '\n')
            return NULL;
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

/* Whether the bytes at p are the key pattern kp (`"key":`). */
static inline bool pattern_at(const char *p, const char *end, const JlKeyPattern *kp)
{
#if defined(__SSE2__)
    if (!kp->len || end - p <= 32)
        return false;
    unsigned eq = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), _mm_loadu_si128((const __m128i *)kp->bytes)));
    if (kp->len > 16)
        eq |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16)),
                                                          _mm_loadu_si128((const __m128i *)(kp->bytes + 16))))
              << 16;
    return (eq & kp->mask) == kp->mask;
#else
    return kp->len && (size_t)(end - p) >= kp->len && memcmp(p, kp->bytes, kp->len) == 0;
#endif
}

/* g's patterns for the keys of a skipped object, or of one read through a
 * key filter: allocated when first met (few positions hold objects). */
static JlKeyPattern *nested_keys(struct KeyGuess *g)
{
    if (!g->nested)
        g->nested = aiq_xcalloc(8, sizeof *g->nested);
    return g->nested;
}

static struct NestedRead *nested_read(struct KeyGuess *g)
{
    if (!g->read)
        g->read = aiq_xcalloc(1, sizeof *g->read);
    return g->read;
}

static const char *skip_container(const char *p, const char *end, int depth, JlKeyPattern *keys);

/* Validates (without building anything) the JSON value at p; returns its end,
 * or NULL when it is not plainly valid (jansson then decides). Inline with
 * objects and arrays out of line: most skipped values are strings and
 * numbers. g (NULL: none) is the guess of the line member whose value this
 * is: an object's first 8 keys are looked for, and learnt, in its nested
 * patterns (the keys the object there had on the last line). */
static inline const char *skip_value(const char *p, const char *end, int depth, struct KeyGuess *g)
{
    if (p >= end || depth > 512)
        return NULL;
    switch (*p) {
    case '"': return skip_string(p + 1, end);
    case 't': return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f': return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n': return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
    case '[': return skip_container(p, end, depth, NULL);
    case '{': return skip_container(p, end, depth, g ? nested_keys(g) : NULL);
    default: return skip_number(p, end);
    }
}

/* skip_value for the object or array at p; keys: as skip_value's g says. */
static const char *skip_container(const char *p, const char *end, int depth, JlKeyPattern *keys)
{
    char close = *p == '[' ? ']' : '}';
    p = skip_ws(p + 1, end);
    if (p < end && *p == close)
        return p + 1;
    for (int member = 0;; member++) {
        JlKeyPattern *kp = keys && member < 8 ? &keys[member] : NULL;
        if (kp && pattern_at(p, end, kp)) { /* the key of the last line: quotes and colon too */
            p += kp->len;
            if (p < end && (unsigned char)*p <= ' ')
                p = skip_ws(p, end);
        } else if (close == '}') {
            const char *key = p + 1;
            if (p >= end || *p != '"' || !(p = skip_key(key, end)))
                return NULL;
            if (kp && p < end && *p == ':')
                jl_key_pattern(kp, key, (uint32_t)(p - 1 - key));
            if (end - p > 1 && p[0] == ':' && (unsigned char)p[1] > ' ') { /* compact JSON */
                p++;
            } else {
                p = skip_ws(p, end);
                if (p >= end || *p != ':')
                    return NULL;
                p = skip_ws(p + 1, end);
            }
        }
        if (!(p = skip_value(p, end, depth + 1, NULL)))
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

/* Parses the object at p keeping only the keys of f (the rest is validated
 * and skipped); returns its end or NULL when anything is off.
 * With f->vectors_only no object is built (*out stays NULL); with
 * f->key_vectors xcells[k] gets the value of f->keys[k] (a reference of
 * its own for objects and arrays). nr recognises the first 8 keys of the
 * object read here on the last line in place, with their index in f. */
static const char *scan_filtered_object(Rows *r, const AiqColumnKeys *f, const char *p, const char *end, json_t **out,
                                        Cell *xcells, struct NestedRead *nr)
{
    json_t *o = f->vectors_only ? NULL : json_object();
    if (nr && nr->filter != f) { /* another column's keys were learnt here */
        memset(nr, 0, sizeof *nr);
        nr->filter = f;
    }
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        *out = o;
        return p + 1;
    }
    for (int member = 0;; member++) {
        const char *k;
        size_t klen;
        int ki;
        JlKeyPattern *kp = nr && member < 8 ? &nr->keys[member] : NULL;
        if (kp && pattern_at(p, end, kp)) {
            k = p + 1;
            klen = kp->len - 3;
            ki = nr->kept[member];
            p = skip_ws(p + kp->len, end);
        } else {
            if (p >= end || *p != '"')
                goto bad;
            k = ++p;
            p = aiq_scan_string_run(p, end);
            if (p >= end || *p != '"')
                goto bad; /* escaped keys: jansson decides */
            klen = (size_t)(p - k);
            bool compact = end - p > 1 && p[1] == ':';
            p = skip_ws(p + 1, end);
            if (p >= end || *p != ':')
                goto bad;
            p = skip_ws(p + 1, end);
            ki = jl_wanted_key(f, k, klen);
            if (kp && compact && ki < 128) {
                jl_key_pattern(kp, k, (uint32_t)klen);
                nr->kept[member] = (int8_t)ki;
            }
        }
        if (ki < 0) {
            if (!(p = skip_value(p, end, 1, NULL)))
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
                const char *e = skip_value(p, end, 1, NULL);
                c.kind = !e ? CELL_MISSING : *p == 't' ? CELL_TRUE : *p == 'f' ? CELL_FALSE : CELL_NULL;
                p = e;
            } else {
                p = scan_number(p, end, &c);
            }
            if (!p)
                goto bad;
            if (o) {
                json_t *v = c.kind == CELL_NULL ? json_null() : aiq_cell_json(&c);
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
    uint64_t cols_seen; /* columns 0-63 staged so far: a first one needs no search */
} LineFields;

/* Keeps one field; a repeated key: the last value wins, as in jansson.
 * A key with a column (col >= 0) is known by it; only keys new to the
 * store need their names compared. */
static void stage_field(LineFields *lf, const char *k, uint32_t klen, int col, Cell c)
{
    uint64_t bit = col >= 0 && col < 64 ? (uint64_t)1 << col : 0;
    if (bit && !(lf->cols_seen & bit)) { /* the usual case: a column not met yet on this line */
        lf->cols_seen |= bit;
        lf->keys[lf->n] = k;
        lf->klens[lf->n] = klen;
        lf->cols[lf->n] = col;
        lf->cells[lf->n++] = c;
        return;
    }
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
    /* a field with a column is known by it: its name is never compared */
    for (int k = 0; k < cc->filter->n; k++)
        stage_field(lf, r->cols[cc->xfirst + k].name, 0, cc->xfirst + k, xc[k]);
}

/* The key vectors' values for a column value that is not an object (a
 * string may hold one), by the rules of d["key"]. */
static void key_cells_from_value(Rows *r, const AiqColumnKeys *f, const Cell *v, Cell *xc)
{
    json_t *d = aiq_cell_json(v);
    for (int k = 0; k < f->n; k++) {
        json_t *owned = NULL;
        json_t *x = aiq_dyn_key(d, f->keys[k], strlen(f->keys[k]), &owned);
        xc[k] = x ? jl_cell_from_json(r, x) : (Cell){.kind = CELL_NULL};
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
 * hold it, by the comparison the kernels make (core/compare.h: NaN is
 * unordered, so only != is true for it); values of any other shape (null,
 * another kind) are kept for the where to judge. Kept out of line: inlined,
 * its comparisons cost the scanner's loop registers on every line, with or
 * without a where above (5% more instructions for a count). */
__attribute__((noinline)) static bool pred_keeps(const AiqRowPred *pr, const Cell *c)
{
    switch (pr->type) {
    case AIQ_TYPE_REAL:
    case AIQ_TYPE_LONG:
        if (c->kind != CELL_INT && (c->kind != CELL_REAL || pr->type != AIQ_TYPE_REAL))
            return true;
        if (pr->real)
            return aiq_cmp_holds(pr->op, aiq_cmp_f64(c->kind == CELL_REAL ? c->u.f : (double)c->u.i, pr->f));
        return aiq_cmp_holds(pr->op, aiq_cmp_i64(c->u.i, pr->i));
    case AIQ_TYPE_DATETIME: {
        int64_t t = c->u.i;
        if (c->kind != CELL_TICKS && (c->kind != CELL_STRING || !aiq_datetime_parse(c->u.s, c->len, &t)))
            return true;
        return aiq_cmp_holds(pr->op, aiq_cmp_i64(t, pr->i));
    }
    case AIQ_TYPE_STRING:
        if (c->kind != CELL_STRING)
            return true;
        return aiq_cmp_holds(pr->op, aiq_cmp_str((AiqStr){c->u.s, c->len}, pr->s));
    default: return true;
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

/* Reads the line at line (it ends at the first newline, or at end) that
 * holds one flat-or-nested JSON object straight into the store. Returns
 * where the line ends (its newline, or end), or NULL, having changed
 * nothing, whenever the line is not plainly valid (escaped keys,
 * overflowing numbers, a "records" export, any syntax error): jansson then
 * parses it and decides. Finding the newline as it parses saves a
 * separate pass over every line (memchr took 12% of a count). */
/* Inference: whether the value starting with ch, in a column whose kinds
 * so far are seen, can be skipped with its kind taken as read: a string
 * once the column holds one that is not a date (no date test left to
 * make), a number once it holds a real (an integer changes nothing then:
 * jl_infer of reals with integers is real, with anything else dynamic). */
static inline bool kind_known(char ch, unsigned seen)
{
    if (ch == '"')
        return seen & SEEN_NONDATE;
    return (seen & SEEN_REAL) && (ch == '-' || (unsigned)(ch - '0') <= 9);
}

/* Verifying a guessed schema: whether the value at p fits column vcol of
 * it (-1: a key it lacks), by the same kinds inference would see: the
 * first byte says most; a string is tested for a date and a number for an
 * integer only when the column allows one and not the other. A value that
 * turns out malformed fits: the line is refused for it anyway. */
static bool fits_guess(Rows *r, int vcol, const char *p, const char *end)
{
    r->date_at = NULL; /* (what an earlier member left is not this one's) */
    if (vcol < 0)
        return false;
    unsigned fits = r->vallow[vcol];
    switch (*p) {
    case 'n': return true;
    case 't':
    case 'f': return fits & JL_FIT_BOOL;
    case '{':
    case '[': return fits & JL_FIT_NESTED;
    case '"': {
        if ((fits & (JL_FIT_TEXT | JL_FIT_DATE)) != JL_FIT_TEXT && (fits & (JL_FIT_TEXT | JL_FIT_DATE)) != JL_FIT_DATE)
            return fits & JL_FIT_TEXT; /* both, or neither */
        const char *q = aiq_scan_string_run(p + 1, end);
        Cell c = {.u.s = p + 1, .len = (uint32_t)(q - p - 1)};
        if ((q >= end || *q != '"') && !scan_string(r, p + 1, end, &c)) /* (escapes: decoded) */
            return true;
        if (!jl_timestamp_ticks(c.u.s, c.len, &r->date_ticks))
            return fits & JL_FIT_TEXT;
        r->date_at = c.u.s == p + 1 ? c.u.s : NULL; /* (a plain one: scan_datetime meets it where it lies) */
        return fits & JL_FIT_DATE;
    }
    default: {
        if ((fits & (JL_FIT_INT | JL_FIT_REAL)) == (JL_FIT_INT | JL_FIT_REAL))
            return true;
        Cell c;
        if (!scan_number(p, end, &c))
            return true;
        return fits & (c.kind == CELL_INT ? JL_FIT_INT : JL_FIT_REAL);
    }
    }
}

const char *jl_scan_next_line(Rows *r, const char *line, const char *end, int64_t lineno)
{
    const char *p = skip_ws(line, end);
    if (p >= end || *p != '{')
        return NULL;
    p = skip_ws(p + 1, end);
    r->date_at = NULL; /* (a line fixed up reuses the bytes of the last one) */
    LineFields lf;
    lf.n = 0;
    lf.cols_seen = 0;
    int member = 0; /* members read so far */
    struct KeyGuess *g = r->guess, *const last_guess = &r->guess[JL_GUESSES]; /* (the guess for member, kept in step) */
    const bool fixed = r->fixed;
    bool dropping = false; /* a top above cannot take this line: validate the rest only */
    bool misfit = false;   /* a member that does not fit the guessed schema being verified */
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            const char *k;
            uint32_t klen;
            int col, vcol;
            /* compact JSON whose keys come in the last line's order: one
             * compare says `"key":` (key, quotes and colon) */
            if (pattern_at(p, end, &g->pattern)) {
                k = p + 1;
                klen = g->len;
                col = g->col;
                vcol = g->vcol;
                p += g->pattern.len;
                if ((unsigned char)*p <= ' ' && (p = skip_ws(p, end)) >= end)
                    goto bad;
                goto have_key;
            }
            if (p >= end || *p != '"')
                goto bad;
            k = ++p;
            /* lines of a log repeat their keys in order: when this key is
             * the one met here on the last line, its bytes and closing quote
             * say so at once (that key was plain, so this one is too) */
            if (g->name && (size_t)(end - k) > g->len && k[g->len] == '"' && same_bytes(k, g->name, g->len)) {
                klen = g->len;
                col = g->col;
                vcol = g->vcol;
                p = k + klen;
            } else {
                p = aiq_scan_string_run(p, end);
                if (p >= end || *p != '"')
                    goto bad;
                klen = (uint32_t)(p - k);
                if (klen == 7 && memcmp(k, "records", 7) == 0)
                    goto bad; /* a diagnostic-settings export: the slow path expands it */
                col = jl_rows_column_at(r, member, k, klen);
                vcol = jl_guess_column(r, k, klen);
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
        have_key:
            if (r->vallow && !misfit && !fits_guess(r, vcol, p, end))
                misfit = true; /* (noted once the line is known to be read) */
            if (dropping && watched(r, col))
                goto bad; /* a watched key again (the last value wins): jansson's path keeps the row */
            if ((fixed && col < 0) || dropping) {
                /* a column the query does not read: validate it, build nothing */
                if (!(p = skip_value(p, end, 0, g == last_guess ? NULL : g)))
                    goto bad;
                goto next_member;
            }
            if (lf.n >= MAXF - 64)
                goto bad; /* (a line of more fields than the stage holds: jansson's) */
            Cell c = {0};
            if (r->kinds_only && (*p == '{' || *p == '[')) {
                if (!(p = skip_value(p, end, 1, NULL)))
                    goto bad;
                c.kind = CELL_TEXT; /* nested, which is all inference asks */
                c.u.s = "";
                goto have_value;
            }
            if (r->kinds_only && col >= 0 && kind_known(*p, r->cols[col].seen)) {
                /* a value whose kind adds nothing the column lacks to learn:
                 * validated, not built (a third of the first pass was
                 * building strings and numbers it then dropped) */
                c.kind = *p == '"' ? CELL_STRING : CELL_REAL;
                c.u.s = "";
                if (!(p = *p == '"' ? skip_string(p + 1, end) : skip_number(p, end)))
                    goto bad;
                goto have_value;
            }
            if (col >= 0 && r->cols[col].filter && r->cols[col].filter->text_only && (*p == '{' || *p == '[')) {
                const char *e = skip_value(p, end, 1, NULL); /* validated, not built */
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
                if (!(p = scan_filtered_object(r, kf, p, end, &j, xc, g == last_guess ? NULL : nested_read(g))))
                    goto bad;
                c.kind = j ? CELL_JSON : CELL_MISSING;
                c.u.j = j;
                if (kf->key_vectors)
                    stage_key_vectors(&lf, r, col, xc);
                goto have_value;
            }
            switch (*p) {
            case '"': p = col >= 0 && r->cols[col].ticks ? scan_datetime(r, p + 1, end, &c) : scan_string(r, p + 1, end, &c); break;
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
        next_member:
            member++;
            g += g != last_guess;
            int more = after_member(&p, end);
            if (more < 0)
                goto bad;
            if (more)
                continue;
            break;
        }
    }
    p = skip_ws(p, end);
    if (p < end && *p != '\n')
        goto bad;
    r->violated |= misfit;
    if (dropping) { /* a good line, but the operators above would not take it */
        for (int f = 0; f < lf.n; f++)
            if (lf.cells[f].kind == CELL_JSON)
                json_decref(lf.cells[f].u.j);
        return p;
    }
    jl_rows_add(r, lineno);
    for (int f = 0; f < lf.n; f++)
        jl_rows_set(r, lf.cols[f] >= 0 ? lf.cols[f] : jl_rows_column_add(r, lf.keys[f], lf.klens[f]), lf.cells[f]);
    return p;
bad:
    for (int f = 0; f < lf.n; f++)
        if (lf.cells[f].kind == CELL_JSON)
            json_decref(lf.cells[f].u.j);
    return NULL; /* strings stay in the arena until the table is built: harmless */
}

bool jl_scan_valid(const char *text, size_t n)
{
    const char *end = text + n, *p = skip_value(skip_ws(text, end), end, 0, NULL);
    return p && skip_ws(p, end) == end;
}

bool jl_scan_line(Rows *r, const char *line, size_t n, int64_t lineno)
{
    return jl_scan_next_line(r, line, line + n, lineno) != NULL;
}

