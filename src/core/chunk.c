/*
 * chunk.c -- a scan chunk's key vectors: d["key"] answered from the values
 * the reader kept while the line was at hand (see chunk.h).
 */
#include "core/chunk.h"

#include <string.h>

#include "core/table.h"

static int key_vector_index(const AiqChunk *c, int col, const char *key, uint32_t len)
{
    if (!c->nx || c->xbase != c->cols)
        return -1;
    for (int k = 0; k < c->nx; k++)
        if (c->xinfo[k].col == col && c->xinfo[k].len == len && memcmp(c->xinfo[k].key, key, len) == 0)
            return k;
    return -1;
}

AiqVector *aiq_chunk_key_vector(const AiqChunk *c, int col, const char *key, uint32_t len)
{
    int k = key_vector_index(c, col, key, len);
    if (k < 0)
        return NULL;
    if (c->xtable)
        aiq_table_build_key_vector(c->xtable, k); /* the vector points at its column */
    return c->xvecs[k];
}

const AiqCell *aiq_chunk_key_cells(const AiqChunk *c, int col, const char *key, uint32_t len)
{
    int k = key_vector_index(c, col, key, len);
    if (k < 0 || !c->xtable || !c->xtable->xcells || !c->xtable->xcells[k])
        return NULL;
    return c->xtable->xcells[k] + c->xstart;
}

