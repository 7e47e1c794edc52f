/*
 * canon.h -- the parser tests' one helper: a query's canonical text (parse,
 * then print), or "ERROR line:col msg" when it does not parse. The round-trip
 * tests (test_parser.c, test_parser_more.c, test_series_parse.c) compare it.
 */
#ifndef AIQ_TESTS_CANON_H
#define AIQ_TESTS_CANON_H
#include <string.h>

#include "parse/parser.h"
#include "parse/printer.h"
#include "util/arena.h"
#include "util/strbuf.h"

static inline const char *canon(const char *query, AiqArena *arena)
{
    AiqError err = {0};
    AiqNode *q = aiq_parse_query(query, strlen(query), arena, &err);
    if (!q) {
        aiq_error_locate(&err, query, strlen(query));
        return aiq_arena_printf(arena, "ERROR %d:%d %s", err.line, err.col, err.msg);
    }
    AiqStrBuf sb;
    aiq_sb_init(&sb);
    aiq_print_node(&sb, q);
    char *s = aiq_arena_strndup(arena, aiq_sb_str(&sb), sb.len);
    aiq_sb_free(&sb);
    return s;
}
#endif
