/*
 * printer.h -- AST -> canonical KQL text. Used by tests (parse, print, parse
 * again gives the same tree) and by --explain. The output is valid KQL.
 */
#ifndef AIQ_PARSE_PRINTER_H
#define AIQ_PARSE_PRINTER_H

#include "parse/ast.h"
#include "util/strbuf.h"

/* Appends the canonical text of node (a query, statement, tabular or scalar
 * expression) to out. */
void aiq_print_node(AiqStrBuf *out, const AiqNode *node);

/* The same for issue 14's operators (printer_more.c); false for other nodes. */
bool aiq_print_more(AiqStrBuf *out, const AiqNode *node);

#endif
