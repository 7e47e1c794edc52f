/*
 * vector.h -- a typed column of up to AIQ_VECTOR_SIZE rows with a
 * validity bitmap, or a constant standing for every row. Kernels read and
 * write these; chunks (chunk.h) carry them between operators.
 *
 * Ownership: a vector lives in the arena it was made from (an operator's
 * evaluation arena, a chunk's), or views a table's column (table.h).
 */
#ifndef AIQ_CORE_VECTOR_H
#define AIQ_CORE_VECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aiq/aiq_types.h"
#include "core/schema.h"
#include "util/arena.h"

#define AIQ_VECTOR_SIZE 2048 /* rows per chunk; DuckDB uses the same */
#if (AIQ_VECTOR_SIZE & (AIQ_VECTOR_SIZE - 1)) != 0
#error "AIQ_VECTOR_SIZE must be a power of two"
#endif
#if AIQ_VECTOR_SIZE % 64 != 0
#error "AIQ_VECTOR_SIZE must be a multiple of 64 (validity words)"
#endif

typedef struct AiqVector {
    AiqType type;
    bool is_const;      /* row 0 stands for every row */
    uint64_t *validity; /* bit i set = row i is not null; NULL = no nulls */
    union {
        int64_t *i64;   /* bool (0/1), int, long, datetime, timespan */
        double *f64;
        AiqStr *str;
        json_t **dyn;   /* NULL entry = null */
        void *raw;
    } data;
} AiqVector;

static inline uint32_t aiq_vidx(const AiqVector *v, uint32_t i) { return v->is_const ? 0 : i; }
static inline bool aiq_vec_is_null(const AiqVector *v, uint32_t i)
{
    if (v->type == AIQ_TYPE_DYNAMIC)
        return v->data.dyn[aiq_vidx(v, i)] == NULL;
    if (!v->validity)
        return false;
    uint32_t j = aiq_vidx(v, i);
    return !(v->validity[j >> 6] >> (j & 63) & 1);
}
/* Marks row i null, allocating the bitmap (all valid) from arena on first use. */
void aiq_vec_set_null(AiqVector *v, uint32_t i, AiqArena *arena);
/* v's validity bitmap (not dynamic or string: those have none), made all
 * valid from arena when v had none, for a caller about to clear bits. */
uint64_t *aiq_vec_validity(AiqVector *v, AiqArena *arena);
/* Returns a flat vector of type t with room for n rows, data uninitialised,
 * no nulls; memory from arena. */
AiqVector *aiq_vec_new(AiqArena *arena, AiqType t, uint32_t n);
/* Returns a constant vector holding value (typed null when value->isnull). */
AiqVector *aiq_vec_const(AiqArena *arena, const AiqValue *value);
/* Makes v constant with value in its row 0 (room for one value of its
 * type), by aiq_vec_const's rules: a null string is "" and a null dynamic
 * NULL; returns whether v must still be marked null (the other types). */
bool aiq_vec_put_const(AiqVector *v, const AiqValue *value);
/* Bytes per value of a type in a vector. */
size_t aiq_type_width(AiqType t);

#endif
