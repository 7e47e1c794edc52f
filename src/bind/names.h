/*
 * names.h -- finding a column by name in constant time: a hash index over
 * an array of columns, in the query arena. A wide JSON object makes a
 * schema of 100k columns, and looking each name up by a scan made binding
 * `project` of them quadratic (29 s). The binder keeps one per column list
 * it builds and one per schema it looks names up in.
 */
#ifndef AIQ_BIND_NAMES_H
#define AIQ_BIND_NAMES_H

#include "plan/plan.h"
#include "util/arena.h"

/* Lists shorter than this are scanned: the index would cost more. */
#define AIQ_NAMES_MIN 32

typedef struct AiqNameIndex {
    int *slots; /* position in the column array; -1 empty, -2 removed */
    int cap;    /* a power of two; 0 = none */
    int used;   /* slots not empty */
} AiqNameIndex;

/* Indexes cols[0..n). */
void aiq_names_build(AiqNameIndex *ix, const AiqColumn *cols, int n, AiqArena *arena);
/* The position of name in cols (which ix indexes), or -1. */
int aiq_names_find(const AiqNameIndex *ix, const AiqColumn *cols, const char *name);
/* Adds cols[i] (the array now holds n); grows the index as needed. */
void aiq_names_add(AiqNameIndex *ix, const AiqColumn *cols, int i, int n, AiqArena *arena);
/* Removes cols[i], by its current name (before a rename). */
void aiq_names_remove(AiqNameIndex *ix, const AiqColumn *cols, int i);

#endif
