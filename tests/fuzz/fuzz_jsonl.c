/*
 * fuzz_jsonl.c -- libFuzzer target over the JSON-lines reader: any bytes
 * (JSON lines, arrays, records exports, broken UTF-8, zstd frames) must give
 * a table or a clean error, never a crash, leak or hang. Inputs starting
 * with 'Z' are zstd-compressed first, so valid frames around fuzzed content
 * are exercised as well as corrupt ones; inputs starting with 'S' are read
 * against a declared schema (conversions and misfits).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/table.h"
#include "io/jsonl.h"
#include "fuzz_init.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    AiqArena arena;
    aiq_arena_init(&arena, 0);
    AiqCatalogTable t = {.name = "T"};
    AiqColumn cols[] = {{"a", AIQ_TYPE_LONG}, {"s", AIQ_TYPE_STRING}, {"t", AIQ_TYPE_DATETIME},
                        {"r", AIQ_TYPE_REAL}, {"d", AIQ_TYPE_DYNAMIC}, {"b", AIQ_TYPE_BOOL}, {"p", AIQ_TYPE_TIMESPAN}};
    const char *buf = (const char *)data;
    size_t len = size;
    void *packed = NULL;
    if (size && data[0] == 'Z') {
        size_t cap = ZSTD_compressBound(size - 1);
        packed = malloc(cap ? cap : 1);
        len = ZSTD_compress(packed, cap, data + 1, size - 1, 1);
        if (ZSTD_isError(len))
            len = 0;
        buf = packed;
    } else if (size && data[0] == 'S') {
        t.declared = true;
        t.schema.ncols = (int)(sizeof cols / sizeof cols[0]);
        t.schema.cols = cols;
        buf++;
        len--;
    }
    AiqReadOptions opts = {.strict = size > 1 && data[size - 1] == '!', .warn = NULL};
    AiqError err = {0};
    AiqTable *table = aiq_jsonl_load_buffer(&t, "fuzz.jsonl", buf, len, &opts, &arena, &err);
    if (table) {
        /* every cell must be readable */
        for (int c = 0; c < table->schema.ncols; c++)
            for (int64_t r = 0; r < table->nrows; r++)
                (void)aiq_table_is_null(table, c, r);
        aiq_table_free(table);
    } else if (err.code == AIQ_OK) {
        abort(); /* a failure must say why */
    }
    free(packed);
    aiq_arena_free(&arena);
    return 0;
}
