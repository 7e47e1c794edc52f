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

#include "core/table.h"
#include "io/jsonl.h"
#include "fuzz_init.h"
#include "../same_table.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqCatalogTable fast = {.name = "T"}, slow = {.name = "T"};
    AiqReadOptions of = {0}, os = {.jansson_only = true};
    AiqScanSpec spec = {.ncols = 5};
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
        spec.needed = data[0] == 'P' ? needed : needed_d;
        if (data[0] == 'K')
            spec.keys = keys;
        if (data[0] == 'T')
            spec.keys = text_keys;
        if (data[0] == 'V')
            spec.keys = vector_keys;
        of.scan = os.scan = &spec;
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
    if (a && !same_tables(a, b))
        abort();
    aiq_table_free(a);
    aiq_table_free(b);
    aiq_arena_free(&arena);
    return 0;
}
