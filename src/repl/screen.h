/*
 * screen.h -- how the REPL shows a result on the terminal: the text the
 * session rendered (already fitted to the width), then a footer with the
 * row count and the time; a result taller than the screen goes through
 * $PAGER (less, when unset), or, with PAGER set empty, shows its first
 * screenful and says how many rows were left out.
 */
#ifndef AIQ_REPL_SCREEN_H
#define AIQ_REPL_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The terminal's size; false (and 0 x 0) when out is not a terminal. */
bool aiq_screen_size(FILE *out, int *cols, int *rows);

/* The footer of a result: "5 rows (0.04 s)", "1 row (1.20 s)"; nrows < 0
 * (no count: a chart) gives the time alone. Into buf of size n. */
void aiq_screen_footer(char *buf, size_t n, int64_t nrows, double seconds);

/* Shows text[0..len) and footer on out, a terminal of rows lines (0: not
 * a terminal: all of it, never paged): through the pager when the text is
 * taller than the screen, else as it is. nrows (-1: unknown) words the
 * note of a result cut short. color: the footer dim. */
void aiq_screen_show(FILE *out, const char *text, size_t len, const char *footer, int rows, int64_t nrows,
                     bool color);

#endif
