/*
 * schema_file.c -- `.create table` declarations (see schema_file.h), read
 * with the KQL lexer so names, brackets and comments behave as in queries.
 */
#include "io/schema_file.h"

#include <string.h>

#include "lex/lexer.h"

typedef struct SP {
    const char *text;
    AiqLexer lx;
    AiqToken tok;
    AiqError *err;
    AiqArena *arena;
} SP;

static bool next(SP *p) { return aiq_lex_next(&p->lx, &p->tok, p->err); }

static bool is_word(SP *p, const char *w)
{
    return p->tok.kind == AIQ_TK_IDENT && (size_t)p->tok.len == strlen(w) &&
           strncmp(p->text + p->tok.off, w, (size_t)p->tok.len) == 0;
}

static bool fail(SP *p, const char *msg)
{
    return aiq_error_set(p->err, AIQ_ERR_USAGE, p->tok.off, p->tok.len, "%s", msg);
}

static char *name_of(SP *p)
{
    if (p->tok.kind == AIQ_TK_IDENT)
        return aiq_arena_strndup(p->arena, p->text + p->tok.off, (size_t)p->tok.len);
    if (p->tok.kind == AIQ_TK_BRACKET_ID) { /* ['x'] -> x, escapes decoded (aiq schema writes ['it\'s']) */
        char *name = aiq_arena_alloc(p->arena, (size_t)p->tok.len + 1);
        int32_t n = aiq_lex_bracket_name(p->text, &p->tok, name);
        if (n < 0)
            return NULL;
        name[n] = '\0';
        return name;
    }
    return NULL;
}

int aiq_schema_parse(const char *text, size_t len, AiqArena *arena, AiqTableDecl **out, AiqError *err)
{
    SP p = {.text = text, .err = err, .arena = arena};
    aiq_lex_init(&p.lx, text, len);
    int n = 0, cap = 8;
    AiqTableDecl *decls = aiq_arena_alloc(arena, sizeof *decls * (size_t)cap);
    if (!next(&p))
        return -1;
    while (p.tok.kind != AIQ_TK_EOF) {
        if (p.tok.kind == AIQ_TK_SEMI) {
            if (!next(&p))
                return -1;
            continue;
        }
        if (p.tok.kind != AIQ_TK_DOT)
            return fail(&p, "expected '.create table Name (Column:type, ...)'"), -1;
        if (!next(&p))
            return -1;
        if (!is_word(&p, "create"))
            return fail(&p, "expected 'create' after '.'"), -1;
        if (!next(&p))
            return -1;
        if (p.tok.kind == AIQ_TK_MINUS) { /* .create-merge */
            if (!next(&p))
                return -1;
            if (!is_word(&p, "merge"))
                return fail(&p, "expected '.create table' or '.create-merge table'"), -1;
            if (!next(&p))
                return -1;
        }
        if (!is_word(&p, "table"))
            return fail(&p, "expected 'table' after '.create'"), -1;
        if (!next(&p))
            return -1;
        char *tname = name_of(&p);
        if (!tname)
            return fail(&p, "expected a table name"), -1;
        if (!next(&p))
            return -1;
        if (p.tok.kind != AIQ_TK_LPAREN)
            return fail(&p, "expected '(' and the columns"), -1;
        int nc = 0, capc = 16;
        AiqColumn *cols = aiq_arena_alloc(arena, sizeof *cols * (size_t)capc);
        for (;;) {
            if (!next(&p))
                return -1;
            char *cname = name_of(&p);
            if (!cname)
                return fail(&p, "expected a column name"), -1;
            if (!next(&p))
                return -1;
            if (p.tok.kind != AIQ_TK_COLON)
                return fail(&p, "expected ':' and a type after the column name"), -1;
            if (!next(&p))
                return -1;
            AiqType t = p.tok.kind == AIQ_TK_IDENT ? aiq_type_from_name(text + p.tok.off, p.tok.len) : AIQ_TYPE_UNKNOWN;
            if (t == AIQ_TYPE_UNKNOWN)
                return fail(&p, "expected a type (bool, int, long, real, string, datetime, timespan, dynamic, guid, decimal)"), -1;
            for (int i = 0; i < nc; i++)
                if (strcmp(cols[i].name, cname) == 0)
                    return fail(&p, "column declared twice"), -1;
            if (nc == capc) {
                AiqColumn *c2 = aiq_arena_alloc(arena, sizeof *c2 * (size_t)capc * 2);
                memcpy(c2, cols, sizeof *c2 * (size_t)nc);
                cols = c2;
                capc *= 2;
            }
            cols[nc].name = cname;
            cols[nc].type = t;
            nc++;
            if (!next(&p))
                return -1;
            if (p.tok.kind == AIQ_TK_COMMA)
                continue;
            if (p.tok.kind == AIQ_TK_RPAREN)
                break;
            return fail(&p, "expected ',' or ')'"), -1;
        }
        if (n == cap) {
            AiqTableDecl *d2 = aiq_arena_alloc(arena, sizeof *d2 * (size_t)cap * 2);
            memcpy(d2, decls, sizeof *d2 * (size_t)n);
            decls = d2;
            cap *= 2;
        }
        decls[n].name = tname;
        decls[n].schema.ncols = nc;
        decls[n].schema.cols = cols;
        n++;
        if (!next(&p))
            return -1;
    }
    *out = decls;
    return n;
}
