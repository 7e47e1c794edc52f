/*
 * repl.h -- the interactive aiq session: readline editing and history, tab
 * completion in context (the columns of the pipeline at the cursor,
 * operators, functions, dot-commands, paths), multi-line queries (ending
 * at an empty line or a ';' that completes the query), Ctrl-C to cancel a
 * running query or throw away a half-typed one, dot-commands (.help lists
 * them). Results are fitted to the terminal's width, end with a footer of
 * rows and time, and go through $PAGER when taller than the screen
 * (screen.h); .output/.once send them to a file. Tables are loaded once
 * and kept, and read again when their files change; now() is read per
 * query unless pinned.
 */
#ifndef AIQ_REPL_REPL_H
#define AIQ_REPL_REPL_H

#include <stdbool.h>

#include "aiq/aiq.h"

/* Runs the REPL on the terminal over session until .quit or Ctrl-D;
 * returns the exit code. now_pinned: the session's now was given (--now,
 * the sample's end) and stays until .now off; otherwise now() is the
 * clock when each query starts. Its queries get the session's parameters
 * (those they do not declare are ignored). */
int aiq_repl_run(AiqSession *session, bool now_pinned);

#endif
