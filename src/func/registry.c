/*
 * registry.c -- the rows of every built-in, generated from
 * func/builtins.def (see registry.h), and lookups by name and spelling.
 */
#include "func/registry.h"

#include <string.h>

#include "func/kernel.h"

/* The rows of functions the binder replaces by what they compute
 * (column_ifexists() by the column or its default; bind/builtin_rules.c)
 * have no kernel: nothing ever runs them. */
#define k_bound_by_binder NULL

static const AiqFuncDef defs[AIQ_FN_ID_COUNT] = {
    {AIQ_FN_NONE, "", 0, 0, 0, "", AIQ_NAME_NONE, NULL, -1, 0, NULL}, /* never looked up */
#define AIQ_FUNC(id, name, lo, hi, ret, args, naming, prefix, flags, kernel) \
    {AIQ_FN_##id, name, lo, hi, ret, args, AIQ_NAME_##naming, prefix, -1, flags, kernel},
#define AIQ_OPER(id, name, lo, hi, ret, args, flags, kernel) \
    {AIQ_FN_##id, name, lo, hi, ret, args, AIQ_NAME_NONE, NULL, -1, flags, kernel},
#define AIQ_AGGR(id, name, lo, hi, ret, args, naming, prefix, kind) \
    {AIQ_FN_##id, name, lo, hi, ret, args, AIQ_NAME_##naming, prefix, kind, AIQ_FN_AGGREGATE, NULL},
#include "func/builtins.def"
#undef AIQ_FUNC
#undef AIQ_OPER
#undef AIQ_AGGR
};

static const char *const agg_names[AIQ_AGG_COUNT_KINDS] = {
#define AIQ_AGG_NAME(id, name) name,
    AIQ_AGG_KINDS(AIQ_AGG_NAME)
#undef AIQ_AGG_NAME
};

const char *aiq_agg_name(AiqAggKind k)
{
    return (unsigned)k < AIQ_AGG_COUNT_KINDS ? agg_names[k] : "?";
}

const AiqFuncDef *aiq_func_def(AiqFuncId id)
{
    return &defs[id];
}

/* Functions first, then operators: a function and an operator never share
 * a name, but the order the old table had is kept for the suggestions. */
static const AiqFuncDef *lookup_exact(const char *name)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = AIQ_FN_NONE + 1; i < AIQ_FN_ID_COUNT; i++)
            if (aiq_func_is_operator(&defs[i]) == (pass == 1) && strcmp(defs[i].name, name) == 0)
                return &defs[i];
    return NULL;
}

/* Legacy spellings and the modern names they stand for (builtins.def). */
static const char *const aliases[][2] = {
#define AIQ_ALIAS(legacy, modern) {legacy, modern},
#define AIQ_FUNC(...)
#define AIQ_OPER(...)
#define AIQ_AGGR(...)
#include "func/builtins.def"
#undef AIQ_FUNC
#undef AIQ_OPER
#undef AIQ_AGGR
#undef AIQ_ALIAS
};

const char *aiq_func_modern_name(const char *name)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i][0], name) == 0)
            return aliases[i][1];
    return NULL;
}

const AiqFuncDef *aiq_func_lookup(const char *name)
{
    const AiqFuncDef *f = lookup_exact(name);
    const char *modern;
    if (!f && (modern = aiq_func_modern_name(name)))
        f = lookup_exact(modern);
    return f;
}

/* The overload of name that takes nargs arguments, else the first of that
 * name (its arity error is then the one reported); legacy spellings too. */
const AiqFuncDef *aiq_func_lookup_call(const char *name, int nargs)
{
    const char *modern = lookup_exact(name) ? NULL : aiq_func_modern_name(name);
    if (modern)
        name = modern;
    const AiqFuncDef *first = NULL;
    for (int i = AIQ_FN_NONE + 1; i < AIQ_FN_ID_COUNT; i++) {
        const AiqFuncDef *f = &defs[i];
        if (aiq_func_is_operator(f) || strcmp(f->name, name) != 0)
            continue;
        if (nargs >= f->min_args && (f->max_args < 0 || nargs <= f->max_args))
            return f;
        if (!first)
            first = f;
    }
    return first;
}

const AiqFuncDef *aiq_func_operator(const char *s, size_t n)
{
    for (int i = AIQ_FN_NONE + 1; i < AIQ_FN_ID_COUNT; i++)
        if (aiq_func_is_operator(&defs[i]) && strlen(defs[i].name) == n && memcmp(defs[i].name, s, n) == 0)
            return &defs[i];
    return NULL;
}

const char *const *aiq_func_names(size_t *n)
{
    static const char *names[AIQ_FN_ID_COUNT];
    size_t k = 0;
    for (int i = AIQ_FN_NONE + 1; i < AIQ_FN_ID_COUNT; i++)
        if (!aiq_func_is_operator(&defs[i]))
            names[k++] = defs[i].name;
    *n = k;
    return names;
}

bool aiq_func_cmp_op(AiqFuncId id, AiqCmpOp *op)
{
    switch (id) {
    case AIQ_FN_LT: *op = AIQ_CMP_LT; return true;
    case AIQ_FN_LE: *op = AIQ_CMP_LE; return true;
    case AIQ_FN_GT: *op = AIQ_CMP_GT; return true;
    case AIQ_FN_GE: *op = AIQ_CMP_GE; return true;
    case AIQ_FN_EQ: *op = AIQ_CMP_EQ; return true;
    case AIQ_FN_NE: *op = AIQ_CMP_NE; return true;
    default: return false;
    }
}
