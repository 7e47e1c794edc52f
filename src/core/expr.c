/*
 * expr.c -- helpers over bound expressions shared by the binder, the
 * planner's walkers and the executor (see expr.h).
 */
#include "core/expr.h"

#include "util/arena.h"

const AiqExpr **aiq_expr_spine(const AiqExpr *e, AiqArena *arena, int *n)
{
    int len = 1;
    for (const AiqExpr *x = e; x->kind == AIQ_E_CALL && x->nargs > 0; x = x->args[0])
        len++;
    const AiqExpr **spine = aiq_arena_alloc(arena, sizeof *spine * (size_t)len);
    int k = 0;
    for (const AiqExpr *x = e;; x = x->args[0]) {
        spine[k++] = x;
        if (x->kind != AIQ_E_CALL || x->nargs == 0)
            break;
    }
    *n = k;
    return spine;
}
