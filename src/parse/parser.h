/*
 * parser.h -- tokens -> AST. A recursive-descent parser that follows
 * grammar/kql.ebnf; every parse function carries its grammar rule.
 * All nodes live in the query arena.
 */
#ifndef AIQ_PARSE_PARSER_H
#define AIQ_PARSE_PARSER_H

#include <stddef.h>

#include "aiq/aiq.h"
#include "parse/ast.h"
#include "util/arena.h"

/* Deepest nesting of expressions and operators; deeper is an error, never a
 * stack overflow (Lua's enterlevel). */
#define AIQ_PARSE_MAX_DEPTH 200

/* Parses a whole query (statements separated by ';'). Returns the QUERY node,
 * or NULL with err set (code AIQ_ERR_SYNTAX, offset and length of the bad
 * text). text must outlive the AST. */
AiqNode *aiq_parse_query(const char *text, size_t len, AiqArena *arena, AiqError *err);

/* The tabular operator names aiq knows (for completion and suggestions);
 * NULL-terminated. */
extern const char *const aiq_parse_operator_names[];

#endif
