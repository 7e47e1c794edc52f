/*
 * query.h -- one query text from start to finish: parse, bind against the
 * session's catalog, then explain or run it, rendering any error like a
 * compiler (FILE:LINE:COL, the line, a caret). Shared by the command line
 * and the REPL so both behave the same.
 */
#ifndef AIQ_REPL_QUERY_H
#define AIQ_REPL_QUERY_H

#include "bind/binder.h"
#include "exec/run.h"
#include "util/strbuf.h"

/* --param NAME=VALUE, for `declare query_parameters(NAME:type)`. */
typedef struct AiqQueryParams {
    const char **names;
    const char **values;
    int n;
    bool only_declared; /* a name the query does not declare is a usage error (the
                           command line); the REPL gives its parameters to the
                           queries that declare them and ignores them elsewhere */
} AiqQueryParams;

/* Fills bind options that look tables up in ro->catalog (declared schemas,
 * else inferred by loading the data). */
void aiq_query_bind_options(AiqRunOptions *ro, const AiqQueryParams *params, AiqBindOptions *bo);
/* Parses (and unless syntax_only, binds) text, checking that params (may be
 * NULL) are declared when they must be. Returns the plan (or, when
 * syntax_only, a non-NULL marker) or NULL after printing the error to
 * stderr; *code is the exit code. Everything lives in arena. */
void *aiq_query_compile(const char *name, const char *text, size_t len, AiqArena *arena,
                        AiqBindOptions *bo, const AiqQueryParams *params, bool syntax_only,
                        int *code);
/* Compiles and runs (or explains) text, writing the result to out. Returns
 * the exit code of CLI.md. */
int aiq_query_run(AiqRunOptions *ro, const AiqQueryParams *params, const char *name,
                  const char *text, size_t len, bool explain, FILE *out);

/* Appends `.create table NAME (Col:type, ...)` and a newline for a schema,
 * names quoted where KQL needs it, so that --schema reads it back. */
void aiq_query_format_create_table(AiqStrBuf *sb, const char *name, const AiqSchema *schema);

#endif
