/*
 * vector.c -- typed column vectors with validity bitmaps (see vector.h).
 */
#include "core/vector.h"

#include <jansson.h>
#include <string.h>

size_t aiq_type_width(AiqType t)
{
    switch (t) {
    case AIQ_TYPE_REAL: return sizeof(double);
    case AIQ_TYPE_STRING: return sizeof(AiqStr);
    case AIQ_TYPE_DYNAMIC: return sizeof(json_t *);
    default: return sizeof(int64_t);
    }
}

void aiq_vec_set_null(AiqVector *v, uint32_t i, AiqArena *arena)
{
    if (v->type == AIQ_TYPE_DYNAMIC) {
        v->data.dyn[i] = NULL;
        return;
    }
    if (v->type == AIQ_TYPE_STRING) { /* strings are never null: "" */
        v->data.str[i].ptr = "";
        v->data.str[i].len = 0;
        return;
    }
    aiq_vec_validity(v, arena)[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

uint64_t *aiq_vec_validity(AiqVector *v, AiqArena *arena)
{
    if (!v->validity) {
        v->validity = aiq_arena_alloc(arena, AIQ_VECTOR_SIZE / 8);
        memset(v->validity, 0xff, AIQ_VECTOR_SIZE / 8);
    }
    return v->validity;
}

AiqVector *aiq_vec_new(AiqArena *arena, AiqType t, uint32_t n)
{
    AiqVector *v = aiq_arena_alloc(arena, sizeof *v);
    v->type = t;
    v->is_const = false;
    v->validity = NULL;
    v->data.raw = aiq_arena_alloc(arena, aiq_type_width(t) * (n ? n : 1));
    return v;
}

bool aiq_vec_put_const(AiqVector *v, const AiqValue *value)
{
    v->is_const = true;
    switch (value->type) {
    case AIQ_TYPE_REAL: v->data.f64[0] = value->f64; break;
    case AIQ_TYPE_STRING: v->data.str[0] = value->isnull ? (AiqStr){"", 0} : value->str; return false;
    case AIQ_TYPE_DYNAMIC: v->data.dyn[0] = value->isnull ? NULL : value->dyn; return false;
    default: v->data.i64[0] = value->i64; break;
    }
    return value->isnull;
}

AiqVector *aiq_vec_const(AiqArena *arena, const AiqValue *value)
{
    AiqVector *v = aiq_vec_new(arena, value->type, 1);
    if (aiq_vec_put_const(v, value))
        aiq_vec_set_null(v, 0, arena);
    return v;
}

