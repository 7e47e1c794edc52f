/*
 * expr.h -- a bound, typed expression: what the binder makes of a scalar
 * expression and what the executor evaluates and the kernels are called
 * with. Column references are indexes into the operator's input schema;
 * operators are calls of built-ins like any function. Expressions live in
 * the query arena.
 */
#ifndef AIQ_CORE_EXPR_H
#define AIQ_CORE_EXPR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/schema.h"

typedef struct AiqFuncDef AiqFuncDef;
typedef struct AiqArena AiqArena;

typedef enum AiqExprKind {
    AIQ_E_COLUMN, /* col: index into the input schema */
    AIQ_E_CONST,  /* value */
    AIQ_E_CALL,   /* fn(args); operators are built-ins too (==, has, and) */
} AiqExprKind;

/* Expressions are trees in the common case and DAGs when a `let` value is
 * used more than once: `let s1 = strcat(s0, s0)` points at s0's node twice.
 * Walkers therefore visit a node with a slot once (exec evaluates it once
 * per chunk), and they iterate down args[0] instead of recursing, so a
 * chain as long as the query (1 + 1 + ..., a or b or ..., let a2 = a1 + 1)
 * costs no stack; `depth` bounds the recursion that is left. */
typedef struct AiqExpr AiqExpr;
struct AiqExpr {
    AiqExprKind kind;
    AiqType type;
    int32_t off, len; /* source span, for run-time errors */
    int col;
    AiqValue value;
    const AiqFuncDef *fn;
    int variant;      /* which kernel of fn the binder chose (e.g. by operand types) */
    AiqExpr **args;
    int nargs;
    void *aux;        /* compiled state such as a regex, owned by the plan */
    int slot;         /* > 0: a let value used by reference (1 .. root nslots), computed once per chunk */
    int depth;        /* nesting through args other than args[0] (the walkers' recursion) */
};

/* Limits on the shape of a bound query, past which it is the error "query
 * too deep (limit N)" rather than a stack overflow: nesting that walkers
 * recurse into (expression depth), user functions inlined inside one
 * another, and operators in a row (a pipeline runs as nested calls). */
#define AIQ_MAX_EXPR_DEPTH 1000
#define AIQ_MAX_CALL_DEPTH 1000
#define AIQ_MAX_PLAN_DEPTH 10000

/* The args[0] chain below e (e included) as an array in the arena: top
 * first, ending with the first node that is not a call with arguments.
 * *n is its length. */
const AiqExpr **aiq_expr_spine(const AiqExpr *e, AiqArena *arena, int *n);

#endif
