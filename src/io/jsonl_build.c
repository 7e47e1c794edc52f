/*
 * jsonl_build.c -- from the store to a typed table: the types of an
 * undeclared table inferred from every value (CLI.md), a declared table's
 * columns (only those the scan needs, and its key vectors), each cell
 * converted to its column's type a column at a time, values that do not
 * fit counted and reported.
 */
#include "io/jsonl.h"
#include "io/jsonl_rows.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h> /* strncasecmp */

#include "util/mem.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

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

bool jl_type_absorbs(AiqType type, unsigned seen)
{
    unsigned kinds = seen & (SEEN_INT | SEEN_REAL | SEEN_BOOL | SEEN_STRING | SEEN_NESTED);
    if (kinds == 0)
        return true; /* nulls only: nothing to change */
    switch (type) {
    case AIQ_TYPE_LONG: return kinds == SEEN_INT;
    case AIQ_TYPE_REAL: return (kinds & ~(SEEN_INT | SEEN_REAL)) == 0;
    case AIQ_TYPE_BOOL: return kinds == SEEN_BOOL;
    /* the first rows held strings, or nulls only: strings that are not
     * all dates keep it a string either way */
    case AIQ_TYPE_STRING: return kinds == SEEN_STRING && (seen & SEEN_NONDATE);
    case AIQ_TYPE_DATETIME: return kinds == SEEN_STRING && !(seen & SEEN_NONDATE);
    case AIQ_TYPE_DYNAMIC: return true; /* (several kinds already, or nested values) */
    default: return false;
    }
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
    case CELL_TICKS: aiq_sb_append(sb, buf, aiq_datetime_format(c->u.i, buf)); break;
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
    case AIQ_TYPE_DATETIME:
        if (cell->kind == CELL_TICKS)
            i64 = cell->u.i;
        else
            ok = str && aiq_datetime_parse(str, cell->len, &i64);
        break;
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
    jl_rows_want(rows, names, filters, n);
    for (int c = 0; c < ct->schema.ncols; c++) /* (datetimes are parsed as read: scan_datetime) */
        if ((!needed || needed[c]) && ct->schema.cols[c].type == AIQ_TYPE_DATETIME) {
            const char *cname = ct->schema.cols[c].name;
            int64_t col = aiq_keymap_find(&rows->names, cname, (uint32_t)strlen(cname));
            if (col >= 0)
                rows->cols[col].ticks = true;
        }
    if (opts->verify) { /* every member of a row is checked against the guessed schema */
        aiq_keymap_init(&rows->vnames);
        for (int c = 0; c < ct->schema.ncols; c++)
            aiq_keymap_get(&rows->vnames, ct->schema.cols[c].name, (uint32_t)strlen(ct->schema.cols[c].name), &(bool){0});
        rows->vallow = opts->verify;
    }
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
                /* a datetime straight into the column, most parsed as read
                 * (through convert and a one-row vector it cost a third as
                 * much as parsing it) */
                int64_t ticks;
                if (cd->validity && cd->type == AIQ_TYPE_DATETIME &&
                    (kind == CELL_TICKS || (kind == CELL_STRING && aiq_datetime_parse(cell->u.s, cell->len, &ticks)))) {
                    ((int64_t *)cd->data)[r] = kind == CELL_TICKS ? cell->u.i : ticks;
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
