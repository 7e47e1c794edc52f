/*
 * repl.h -- the interactive aiq session (readline, history, dot-commands).
 */
#ifndef AIQ_REPL_REPL_H
#define AIQ_REPL_REPL_H

#include "exec/run.h"

/* Runs the REPL on the terminal until .quit or Ctrl-D; returns the exit code. */
int aiq_repl_run(AiqRunOptions *ro);

#endif
