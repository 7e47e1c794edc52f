/*
 * op_parse.c -- the parse operator: the binder made its pattern one PCRE2
 * regex with a named group per extracted column (bind/sources.c); each
 * row's text is matched and the groups converted to the columns' types.
 * A row that does not match, or (but in kind=relaxed) one with a value not
 * of its column's type, gets null in every extracted column ("" for
 * strings, which are never null). parse-where drops such rows instead,
 * through the chunk's selection vector.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "exec/op.h"

#include <jansson.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "func/kernel.h"
#include "util/mem.h"

typedef struct Parse {
    AiqOp base;
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    int *groups;         /* capture k's group number in re */
} Parse;

/* Stores the text t of a parse column in row i of v, converted to v's
 * type; false (and null) when it is not a value of that type. */
static bool parse_store(Parse *ps, AiqVector *v, uint32_t i, AiqStr t)
{
    AiqVector tv = {.type = AIQ_TYPE_STRING, .is_const = true, .data.str = &t};
    bool ok;
    switch (v->type) {
    case AIQ_TYPE_STRING: v->data.str[i] = t; return true;
    case AIQ_TYPE_REAL: ok = aiq_conv_real(&tv, 0, &v->data.f64[i]); break;
    case AIQ_TYPE_BOOL: ok = aiq_conv_bool(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_DATETIME: ok = aiq_conv_datetime(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_TIMESPAN: ok = aiq_conv_timespan(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_DYNAMIC: {
        json_t *j = json_loadb(t.ptr, t.len, JSON_DECODE_ANY, NULL);
        v->data.dyn[i] = aiq_eval_own(&ps->base.ev, j ? j : json_stringn(t.ptr, t.len));
        return true;
    }
    default: ok = aiq_conv_long(&tv, 0, &v->data.i64[i]); break;
    }
    if (!ok)
        aiq_vec_set_null(v, i, &ps->base.ev.arena);
    return ok;
}

/* Row i of every extracted column: "" for strings, else null. */
static void parse_blank(Parse *ps, AiqVector **caps, uint32_t i)
{
    for (int k = 0; k < ps->base.p->ncaptures; k++) {
        if (caps[k]->type == AIQ_TYPE_STRING)
            caps[k]->data.str[i] = (AiqStr){"", 0};
        else
            aiq_vec_set_null(caps[k], i, &ps->base.ev.arena);
    }
}

/* Parses row i's text s into caps: 1 when it matched, 0 when not (caps
 * blanked), -1 on a regex resource limit (with the error set). */
static int parse_row(Parse *ps, AiqVector **caps, uint32_t i, AiqStr s)
{
    const AiqPlan *p = ps->base.p;
    int rc = pcre2_match(ps->re, (PCRE2_SPTR)s.ptr, s.len, 0, 0, ps->md, ps->mc);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
    {
        aiq_error_set(ps->base.ex->err, AIQ_ERR_LIMIT, -1, 1, "parse: regex match limit exceeded");
        return -1;
    }
    if (rc < 0) {
        parse_blank(ps, caps, i);
        return 0;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ps->md);
    bool all_typed = true;
    for (int k = 0; k < p->ncaptures; k++) {
        int g = ps->groups[k];
        bool have = g > 0 && g < rc && ov[2 * g] != PCRE2_UNSET; /* (g < 0: no such group) */
        AiqStr t = have ? (AiqStr){s.ptr + ov[2 * g], (uint32_t)(ov[2 * g + 1] - ov[2 * g])} : (AiqStr){"", 0};
        if (have)
            all_typed &= parse_store(ps, caps[k], i, t);
        else if (caps[k]->type == AIQ_TYPE_STRING)
            caps[k]->data.str[i] = t;
        else
            aiq_vec_set_null(caps[k], i, &ps->base.ev.arena);
    }
    /* simple and regex are strict: a value not of its column's type fails the row */
    if (!all_typed && p->parse_kind != AIQ_PARSE_RELAXED) {
        parse_blank(ps, caps, i);
        return 0;
    }
    return 1;
}

static AiqChunk *parse_next(AiqOp *op)
{
    Parse *ps = (Parse *)op;
    AiqChunk *c = aiq_op_next(op->input);
    if (!c)
        return NULL;
    aiq_eval_reset(&op->ev);
    const AiqPlan *p = op->p;
    int base = p->input->schema.ncols - 1; /* input columns without the hidden source */
    for (int j = 0; j < p->schema.ncols; j++)
        op->cols[j] = j < base ? c->cols[j] : NULL;
    AiqVector **caps = aiq_arena_alloc(&op->ev.arena, sizeof *caps * (size_t)(p->ncaptures + 1));
    for (int k = 0; k < p->ncaptures; k++) {
        int j = p->expand_cols[k];
        caps[k] = aiq_vec_new(&op->ev.arena, p->schema.cols[j].type, c->nrows ? c->nrows : 1);
        op->cols[j] = caps[k];
    }
    AiqVector *src = c->cols[(int)p->limit];
    uint32_t *kept = p->parse_where ? aiq_arena_alloc(&op->ev.arena, sizeof *kept * (c->count + 1)) : NULL;
    uint32_t nkept = 0;
    for (uint32_t kk = 0; kk < c->count; kk++) {
        uint32_t i = aiq_row(c, kk);
        int m = parse_row(ps, caps, i, src->data.str[aiq_vidx(src, i)]);
        if (m < 0)
            return NULL;
        if (kept && m)
            kept[nkept++] = i;
    }
    op->out = *c;
    if (kept) { /* parse-where: only the rows that matched */
        op->out.sel = kept;
        op->out.count = nkept;
    }
    op->out.ncols = p->schema.ncols;
    op->out.cols = op->cols;
    return &op->out;
}

static void parse_release(AiqOp *op)
{
    Parse *ps = (Parse *)op;
    pcre2_match_data_free(ps->md);
    pcre2_match_context_free(ps->mc);
    pcre2_code_free(ps->re);
    aiq_xfree(ps->groups);
}

static const AiqOpVtable parse_vt = {.next = parse_next, .release = parse_release, .eval = true};

/* PCRE2 options of a parse pattern. simple and relaxed columns take any
 * text, newlines included; in kind=regex '.' stops at a newline unless
 * flags= has s, as in Kusto's RE2. */
static uint32_t parse_regex_options(const AiqPlan *p)
{
    uint32_t o = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (p->parse_kind != AIQ_PARSE_REGEX)
        return o | PCRE2_DOTALL;
    for (const char *f = p->regex_flags; *f; f++)
        o |= *f == 'i' ? PCRE2_CASELESS : *f == 'm' ? PCRE2_MULTILINE : *f == 's' ? PCRE2_DOTALL : PCRE2_UNGREEDY;
    return o;
}

AiqOp *aiq_op_parse(AiqExecCtx *ex, const AiqPlan *p)
{
    Parse *ps = aiq_op_new_over(ex, &parse_vt, sizeof *ps, p);
    if (!ps)
        return NULL;
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)p->regex, p->regex_len, parse_regex_options(p), &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "parse: invalid pattern: %s", (const char *)msg);
        aiq_op_free(&ps->base);
        return NULL;
    }
    if (!getenv("AIQ_PCRE2_NO_JIT")) /* valgrind cannot see into JIT code */
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    ps->re = re;
    ps->md = pcre2_match_data_create_from_pattern(re, NULL);
    ps->mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(ps->mc, 10000000u);
    aiq_op_out_cols(&ps->base, p->schema.ncols);
    ps->groups = aiq_xcalloc((size_t)p->ncaptures + 1, sizeof *ps->groups);
    for (int k = 0; k < p->ncaptures; k++) {
        char name[32];
        snprintf(name, sizeof name, "aiq%d", k);
        ps->groups[k] = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
    }
    return &ps->base;
}
