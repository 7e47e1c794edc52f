/*
 * fuzz_init.h -- what every fuzz target does once before its first input:
 * jansson allocates through aiq's accounting (so leaks and --max-memory see
 * it), as in the aiq binary. Included by exactly one file per target.
 */
#ifndef AIQ_FUZZ_INIT_H
#define AIQ_FUZZ_INIT_H

#include "util/mem.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    aiq_mem_hook_jansson();
    return 0;
}

#endif
