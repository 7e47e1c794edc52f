/*
 * jsonl_rows.c -- the store lines are read into before types are known: a
 * column of cells per key met (or per declared column, and per key vector
 * the scan asked for), with each line's key order remembered so that the
 * next line's keys are recognised without a lookup, and the kinds of
 * values seen in each column for type inference.
 */
#include "io/jsonl_rows.h"

#include <jansson.h>
#include <string.h>

#include "util/mem.h"
#include "util/timefmt.h"

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
    if (r->vallow)
        aiq_keymap_free(&r->vnames);
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
void jl_rows_want(Rows *r, const char *const *names, const AiqColumnKeys *const *filters, int n)
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
int jl_rows_column(Rows *r, const char *key, uint32_t len)
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

int jl_guess_column(const Rows *r, const char *key, uint32_t len)
{
    return r->vallow ? (int)aiq_keymap_find(&r->vnames, key, len) : -1;
}

/* Makes name (len bytes) at column col the guess g. */
static void set_guess(const Rows *r, struct KeyGuess *g, const char *name, uint32_t len, int col)
{
    g->name = name;
    g->len = len;
    g->col = col;
    g->vcol = jl_guess_column(r, name, len);
    jl_key_pattern(&g->pattern, name, len);
}

unsigned jl_fits_of(unsigned seen)
{
    static const unsigned kinds[][2] = {{JL_FIT_INT, SEEN_INT}, {JL_FIT_REAL, SEEN_REAL}, {JL_FIT_BOOL, SEEN_BOOL},
                                        {JL_FIT_TEXT, SEEN_STRING | SEEN_NONDATE}, {JL_FIT_DATE, SEEN_STRING},
                                        {JL_FIT_NESTED, SEEN_NESTED}};
    AiqType type = jl_infer(seen);
    unsigned fits = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) /* (the kinds that fit are closed under union) */
        if (jl_infer(seen | kinds[i][1]) == type)
            fits |= kinds[i][0];
    return fits;
}

void jl_verify_json(Rows *r, const char *key, json_t *v, bool is_inf)
{
    int vc = jl_guess_column(r, key, (uint32_t)strlen(key));
    unsigned fits = vc >= 0 ? r->vallow[vc] : 0, kind;
    switch (is_inf ? JSON_REAL : json_typeof(v)) {
    case JSON_NULL: return;
    case JSON_TRUE:
    case JSON_FALSE: kind = JL_FIT_BOOL; break;
    case JSON_INTEGER: kind = is_inf ? JL_FIT_REAL : JL_FIT_INT; break;
    case JSON_REAL: kind = JL_FIT_REAL; break;
    case JSON_STRING:
        kind = jl_is_timestamp(json_string_value(v), (uint32_t)json_string_length(v)) ? JL_FIT_DATE : JL_FIT_TEXT;
        break;
    default: kind = JL_FIT_NESTED; break;
    }
    if (!(fits & kind))
        r->violated = true;
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
        set_guess(r, g, r->cols[c].name, len, c);
    } else if (g && r->fixed && r->guess_copies < 4096) {
        set_guess(r, g, aiq_arena_strndup(&r->strings, key, len), len, -1);
        r->guess_copies++;
    }
    return c;
}

/* Whether a string is a datetime for type inference: an ISO 8601 date
 * with a time of day. A date alone ("2024-08-06": an API or model version,
 * a day label) is a string (CLI.md), though todatetime() takes it. */
bool jl_timestamp_ticks(const char *s, uint32_t len, int64_t *ticks)
{
    uint32_t p = 0;
    while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
        p++;
    return len > p + 11 && (s[p + 10] == 'T' || s[p + 10] == 't' || s[p + 10] == ' ') && s[p + 11] >= '0' &&
           s[p + 11] <= '9' && aiq_datetime_parse(s, len, ticks);
}

bool jl_is_timestamp(const char *s, uint32_t len)
{
    int64_t ticks;
    return jl_timestamp_ticks(s, len, &ticks);
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
    case CELL_TICKS: col->seen |= SEEN_STRING; break; /* (a date: only a declared or guessed datetime column has these) */
    case CELL_STRING:
        col->seen |= SEEN_STRING;
        /* only inference (no declared schema) asks whether strings are dates */
        if (!r->fixed && !(col->seen & SEEN_NONDATE) && !jl_is_timestamp(cell.u.s, cell.len))
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
json_t *jl_filtered_copy(json_t *obj, const AiqColumnKeys *f)
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
