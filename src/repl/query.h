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

typedef struct AiqQueryParams {
    const char **names;
    const char **values;
    int n;
} AiqQueryParams;

/* Fills bind options that look tables up in ro->catalog (declared schemas,
 * else inferred by loading the data). */
void aiq_query_bind_options(AiqRunOptions *ro, const AiqQueryParams *params, AiqBindOptions *bo);
/* Parses (and unless syntax_only, binds) text. Returns the plan (or, when
 * syntax_only, a non-NULL marker) or NULL after printing the error to stderr;
 * *code is the exit code. Everything lives in arena. */
void *aiq_query_compile(const char *name, const char *text, size_t len, AiqArena *arena,
                        AiqBindOptions *bo, bool syntax_only, int *code);
/* Compiles and runs (or explains) text, writing the result to out. Returns
 * the exit code of CLI.md. */
int aiq_query_run(AiqRunOptions *ro, const AiqQueryParams *params, const char *name,
                  const char *text, size_t len, bool explain, FILE *out);

#endif
