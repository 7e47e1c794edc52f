/*
 * repl.c -- the interactive session. It needs the executor to be useful;
 * until then it says so instead of offering a prompt that cannot answer.
 */
#include "repl.h"

#include <stdio.h>

int aiq_repl_run(AiqRunOptions *ro)
{
    (void)ro;
    fputs("aiq: the interactive REPL is not available in this build yet; run a query with\n"
          "     aiq -q 'QUERY', a file with aiq FILE.kql, or check one with aiq check FILE.kql\n",
          stderr);
    return 2;
}
