/*
 * fuzz_scanner.c -- differential target: the fast JSON-lines scanner must
 * decode every input exactly as jansson does. The same bytes are loaded
 * twice, with and without the scanner, and the two tables (schema, every
 * cell, null or value) must be identical, as must success or failure.
 * Inputs starting with 'P' are read as a declared table of which only some
 * columns are needed (projection pushdown: the rest is validated, not built);
 * 'K' keeps only some keys of the dynamic column and makes their key vectors
 * (extra columns, built from their cells and compared like the rest); 'V'
 * makes only the key vectors;
 * 'T' keeps its objects as JSON text, which must print exactly as the built
 * values do.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec/vector.h"
#include "io/jsonl.h"
#include "fuzz_init.h"
#include "util/mem.h"

static bool same_cell(const AiqTable *a, const AiqTable *b, int c, int64_t r)
{
    bool na = aiq_table_is_null(a, c, r), nb = aiq_table_is_null(b, c, r);
    if (na != nb)
        return false;
    if (na)
        return true;
    const AiqColumnData *x = &a->cols[c], *y = &b->cols[c];
    switch (x->type) {
    case AIQ_TYPE_REAL: {
        double p = ((double *)x->data)[r], q = ((double *)y->data)[r];
        return p == q || (p != p && q != q);
    }
    case AIQ_TYPE_STRING: {
        AiqStr p = ((AiqStr *)x->data)[r], q = ((AiqStr *)y->data)[r];
        return p.len == q.len && memcmp(p.ptr, q.ptr, p.len) == 0;
    }
    case AIQ_TYPE_DYNAMIC: {
        json_t *p = ((json_t **)x->data)[r], *q = ((json_t **)y->data)[r];
        if (!aiq_dyn_is_text(p) && !aiq_dyn_is_text(q))
            return json_equal(p, q);
        char *ps = aiq_dyn_dumps(p, JSON_COMPACT | JSON_ENCODE_ANY), *qs = aiq_dyn_dumps(q, JSON_COMPACT | JSON_ENCODE_ANY);
        bool same = ps && qs && strcmp(ps, qs) == 0;
        aiq_xfree(ps);
        aiq_xfree(qs);
        return same;
    }
    default: return ((int64_t *)x->data)[r] == ((int64_t *)y->data)[r];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqCatalogTable fast = {.name = "T"}, slow = {.name = "T"};
    AiqReadOptions of = {0}, os = {.jansson_only = true};
    static AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}, {"d", AIQ_TYPE_DYNAMIC},
                               {"r", AIQ_TYPE_REAL}, {"t", AIQ_TYPE_DATETIME}};
    static const bool needed[] = {true, true, false, true, false};
    static const char *const kkeys[] = {"k", "x y"};
    /* K: d keeps keys "k" and "x y" and has their key vectors; V: only the
     * key vectors; T: d as text */
#define ALL_KEYS {.n = -1}
    static const AiqColumnKeys keys[] = {ALL_KEYS, ALL_KEYS, {.n = 2, .keys = kkeys, .key_vectors = true}, ALL_KEYS, ALL_KEYS};
    static const AiqColumnKeys vector_keys[] = {ALL_KEYS, ALL_KEYS, {.n = 2, .keys = kkeys, .key_vectors = true, .vectors_only = true},
                                                ALL_KEYS, ALL_KEYS};
    static const AiqColumnKeys text_keys[] = {ALL_KEYS, ALL_KEYS, {.n = 0, .text_only = true}, ALL_KEYS, ALL_KEYS};
    static const bool needed_d[] = {true, false, true, false, false};
    if (size && (data[0] == 'P' || data[0] == 'K' || data[0] == 'T' || data[0] == 'V')) {
        /* P: some columns only; K: dynamic d keeps only keys "k" and "x y"; T: d as text */
        fast.declared = slow.declared = true;
        fast.schema = slow.schema = (AiqSchema){5, cols};
        of.needed = os.needed = data[0] == 'P' ? needed : needed_d;
        if (data[0] == 'K')
            of.keys = os.keys = keys;
        if (data[0] == 'T')
            of.keys = os.keys = text_keys;
        if (data[0] == 'V')
            of.keys = os.keys = vector_keys;
        data++;
        size--;
    }
    AiqError ef = {0}, es = {0};
    AiqTable *a = aiq_jsonl_load_buffer(&fast, "f", (const char *)data, size, &of, &arena, &ef);
    AiqTable *b = aiq_jsonl_load_buffer(&slow, "f", (const char *)data, size, &os, &arena, &es);
    if ((a == NULL) != (b == NULL))
        abort();
    if (a) { /* key vectors stay cells until asked for: compare them built */
        aiq_table_build_key_vectors(a);
        aiq_table_build_key_vectors(b);
    }
    if (a) {
        if (a->nrows != b->nrows || a->schema.ncols != b->schema.ncols)
            abort();
        for (int c = 0; c < a->schema.ncols; c++) {
            if (strcmp(a->schema.cols[c].name, b->schema.cols[c].name) != 0 || a->cols[c].type != b->cols[c].type)
                abort();
            for (int64_t r = 0; r < a->nrows; r++)
                if (!same_cell(a, b, c, r))
                    abort();
        }
    }
    aiq_table_free(a);
    aiq_table_free(b);
    aiq_arena_free(&arena);
    return 0;
}
