/*
 * op_parse_kv.c -- parse-kv: each row's text is split into keys and values
 * (bind/ops_more.c says how: given delimiters, any non-alphanumeric run,
 * or a regex), and the first value of each key the query names goes to its
 * column, converted to the column's type (a value that is not of the type,
 * or a key that is missing, is null; "" for strings). Chunk by chunk, as
 * parse does.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "exec/op.h"

#include <ctype.h>
#include <jansson.h>
#include <pcre2.h>
#include <string.h>

#include "func/kernel.h"
#include "util/mem.h"

typedef struct ParseKv {
    AiqOp base;
    pcre2_code *re;
    pcre2_match_data *md;
    AiqStr *found;  /* per key: its value in the current row (ptr NULL: not found) */
} ParseKv;

/* Trims spaces at both ends. */
static AiqStr trim(AiqStr s)
{
    while (s.len && isspace((unsigned char)s.ptr[0]))
        s.ptr++, s.len--;
    while (s.len && isspace((unsigned char)s.ptr[s.len - 1]))
        s.len--;
    return s;
}

static bool at_str(const char *p, const char *end, AiqStr d)
{
    return (size_t)(end - p) >= d.len && memcmp(p, d.ptr, d.len) == 0;
}

/* The closing quote of an opening one at *p, or 0 when *p opens none. */
static char closing_quote(const AiqKvSpec *kv, char c)
{
    for (int i = 0; i < kv->nquotes; i++)
        if (kv->quotes[i][0] == c)
            return kv->quotes[i][1];
    return 0;
}

static bool is_escape(const AiqKvSpec *kv, char c)
{
    return memchr(kv->escapes, c, (size_t)kv->nescapes) != NULL;
}

/* A quoted text starting at *pp (on its opening quote): its content, with
 * escapes taken out (copied to the arena then); *pp moves past it. */
static AiqStr quoted(ParseKv *s, const AiqKvSpec *kv, const char **pp, const char *end, char close)
{
    const char *p = *pp + 1, *start = p;
    bool escaped = false;
    while (p < end && *p != close) {
        if (is_escape(kv, *p) && p + 1 < end) {
            escaped = true;
            p++;
        }
        p++;
    }
    AiqStr v = {start, (uint32_t)(p - start)};
    *pp = p < end ? p + 1 : p;
    if (!escaped)
        return v;
    char *buf = aiq_arena_alloc(&s->base.ev.arena, v.len + 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        if (is_escape(kv, v.ptr[i]) && i + 1 < v.len)
            i++;
        buf[n++] = v.ptr[i];
    }
    return (AiqStr){buf, n};
}

/* Records value v of key k when the query names k and it has none yet. */
static void found_pair(ParseKv *s, const AiqKvSpec *kv, AiqStr k, AiqStr v)
{
    k = trim(k);
    for (int i = 0; i < s->base.p->nexpand; i++)
        if (!s->found[i].ptr && strlen(kv->keys[i]) == k.len && memcmp(kv->keys[i], k.ptr, k.len) == 0) {
            v = trim(v);
            s->found[i] = (AiqStr){v.ptr ? v.ptr : "", v.len};
        }
}

/* Where an unquoted greedy value ends: before the pair delimiter that
 * precedes the next key (the next kv delimiter), or at the end. */
static const char *greedy_end(const AiqKvSpec *kv, const char *p, const char *end)
{
    const char *next_kv = NULL;
    for (const char *q = p; q < end && !next_kv; q++)
        if (at_str(q, end, kv->kv))
            next_kv = q;
    if (!next_kv)
        return end;
    const char *last_pair = NULL;
    for (const char *q = p; q < next_kv; q++)
        if (at_str(q, end, kv->pair))
            last_pair = q;
    return last_pair ? last_pair : end;
}

static void split_delimited(ParseKv *s, const AiqKvSpec *kv, const char *p, const char *end)
{
    while (p < end) {
        while (p < end && isspace((unsigned char)*p) && !at_str(p, end, kv->pair))
            p++;
        AiqStr key;
        char close = p < end ? closing_quote(kv, *p) : 0;
        if (close) {
            key = quoted(s, kv, &p, end, close);
        } else {
            const char *k0 = p;
            while (p < end && !at_str(p, end, kv->kv) && !at_str(p, end, kv->pair))
                p++;
            key = (AiqStr){k0, (uint32_t)(p - k0)};
        }
        while (p < end && isspace((unsigned char)*p) && !at_str(p, end, kv->kv) && !at_str(p, end, kv->pair))
            p++;
        if (!at_str(p, end, kv->kv)) { /* no value: on to the next pair */
            while (p < end && !at_str(p, end, kv->pair))
                p++;
            p += p < end ? kv->pair.len : 0;
            continue;
        }
        p += kv->kv.len;
        while (p < end && *p == ' ' && !at_str(p, end, kv->pair))
            p++;
        AiqStr val;
        close = p < end ? closing_quote(kv, *p) : 0;
        if (close) {
            val = quoted(s, kv, &p, end, close);
        } else {
            const char *v0 = p, *v1 = kv->greedy ? greedy_end(kv, p, end) : NULL;
            while (p < end && (v1 ? p < v1 : !at_str(p, end, kv->pair)))
                p++;
            val = (AiqStr){v0, (uint32_t)(p - v0)};
        }
        found_pair(s, kv, key, val);
        while (p < end && !at_str(p, end, kv->pair))
            p++;
        p += p < end ? kv->pair.len : 0;
    }
}

static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* No delimiters given: words (or quoted texts), a key followed by its value. */
static void split_words(ParseKv *s, const AiqKvSpec *kv, const char *p, const char *end)
{
    AiqStr prev = {0};
    bool have_prev = false;
    while (p < end) {
        char close = closing_quote(kv, *p);
        AiqStr w;
        if (close) {
            w = quoted(s, kv, &p, end, close);
        } else if (word_char(*p)) {
            const char *w0 = p;
            while (p < end && word_char(*p))
                p++;
            w = (AiqStr){w0, (uint32_t)(p - w0)};
        } else {
            p++;
            continue;
        }
        if (have_prev) {
            bool before = false;
            for (int i = 0; i < s->base.p->nexpand; i++)
                before |= !s->found[i].ptr && strlen(kv->keys[i]) == prev.len && memcmp(kv->keys[i], prev.ptr, prev.len) == 0;
            if (before) {
                found_pair(s, kv, prev, w);
                have_prev = false;
                continue;
            }
        }
        prev = w;
        have_prev = true;
    }
}

/* kind=regex: each match's two groups are a key and its value. */
static bool split_regex(ParseKv *s, const AiqKvSpec *kv, const char *text, size_t len)
{
    PCRE2_SIZE at = 0;
    while (at <= len) {
        int rc = pcre2_match(s->re, (PCRE2_SPTR)text, len, at, 0, s->md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            return true;
        if (rc < 0)
            return aiq_error_set(s->base.ex->err, AIQ_ERR_LIMIT, -1, 1, "parse-kv: regex match limit exceeded");
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        if (rc >= 3 && ov[2] != PCRE2_UNSET && ov[4] != PCRE2_UNSET)
            found_pair(s, kv, (AiqStr){text + ov[2], (uint32_t)(ov[3] - ov[2])}, (AiqStr){text + ov[4], (uint32_t)(ov[5] - ov[4])});
        at = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    return true;
}

/* Stores text t in row i of v, converted to v's type (null when it is not one). */
static void store(ParseKv *s, AiqVector *v, uint32_t i, AiqStr t)
{
    AiqVector tv = {.type = AIQ_TYPE_STRING, .is_const = true, .data.str = &t};
    bool ok = true;
    switch (v->type) {
    case AIQ_TYPE_STRING: v->data.str[i] = t; return;
    case AIQ_TYPE_REAL: ok = aiq_conv_real(&tv, 0, &v->data.f64[i]); break;
    case AIQ_TYPE_BOOL: ok = aiq_conv_bool(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_DATETIME: ok = aiq_conv_datetime(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_TIMESPAN: ok = aiq_conv_timespan(&tv, 0, &v->data.i64[i]); break;
    case AIQ_TYPE_DYNAMIC: {
        json_t *j = json_loadb(t.ptr, t.len, JSON_DECODE_ANY, NULL);
        v->data.dyn[i] = aiq_eval_own(&s->base.ev, j ? j : json_stringn(t.ptr, t.len));
        return;
    }
    default: ok = aiq_conv_long(&tv, 0, &v->data.i64[i]); break;
    }
    if (!ok || t.len == 0)
        aiq_vec_set_null(v, i, &s->base.ev.arena);
}

static AiqChunk *parse_kv_next(AiqOp *op)
{
    ParseKv *s = (ParseKv *)op;
    const AiqPlan *p = op->p;
    const AiqKvSpec *kv = p->kv;
    AiqChunk *c = aiq_op_next(op->input);
    if (!c)
        return NULL;
    aiq_eval_reset(&op->ev);
    int base = p->input->schema.ncols - 1;
    for (int j = 0; j < p->schema.ncols; j++)
        op->cols[j] = j < base ? c->cols[j] : NULL;
    AiqVector **keys = aiq_arena_alloc(&op->ev.arena, sizeof *keys * (size_t)(p->nexpand + 1));
    for (int k = 0; k < p->nexpand; k++) {
        int j = p->expand_cols[k];
        keys[k] = aiq_vec_new(&op->ev.arena, p->schema.cols[j].type, c->nrows ? c->nrows : 1);
        op->cols[j] = keys[k];
    }
    AiqVector *src = c->cols[(int)p->limit];
    for (uint32_t kk = 0; kk < c->count; kk++) {
        uint32_t i = aiq_row(c, kk);
        AiqStr text = src->data.str[aiq_vidx(src, i)];
        memset(s->found, 0, sizeof *s->found * (size_t)p->nexpand);
        const char *t = text.ptr ? text.ptr : "";
        if (kv->mode == AIQ_KV_DELIMITED)
            split_delimited(s, kv, t, t + text.len);
        else if (kv->mode == AIQ_KV_ANY)
            split_words(s, kv, t, t + text.len);
        else if (!split_regex(s, kv, t, text.len))
            return NULL;
        for (int k = 0; k < p->nexpand; k++)
            store(s, keys[k], i, s->found[k].ptr ? s->found[k] : (AiqStr){"", 0});
    }
    op->out = *c;
    op->out.ncols = p->schema.ncols;
    op->out.cols = op->cols;
    return &op->out;
}

static void parse_kv_release(AiqOp *op)
{
    ParseKv *s = (ParseKv *)op;
    pcre2_match_data_free(s->md);
    pcre2_code_free(s->re);
    aiq_xfree(s->found);
}

static const AiqOpVtable parse_kv_vt = {.next = parse_kv_next, .release = parse_kv_release, .eval = true};

AiqOp *aiq_op_parse_kv(AiqExecCtx *ex, const AiqPlan *p)
{
    ParseKv *s = aiq_op_new_over(ex, &parse_kv_vt, sizeof *s, p);
    if (!s)
        return NULL;
    aiq_op_out_cols(&s->base, p->schema.ncols);
    s->found = aiq_xcalloc((size_t)p->nexpand + 1, sizeof *s->found);
    if (p->kv->mode == AIQ_KV_REGEX) {
        int code;
        PCRE2_SIZE off;
        s->re = pcre2_compile((PCRE2_SPTR)p->regex, p->regex_len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
        if (!s->re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(code, msg, sizeof msg);
            aiq_error_set(ex->err, AIQ_ERR_RUNTIME, -1, 1, "parse-kv: invalid regex: %s", (const char *)msg);
            aiq_op_free(&s->base);
            return NULL;
        }
        s->md = pcre2_match_data_create_from_pattern(s->re, NULL);
    }
    return &s->base;
}
