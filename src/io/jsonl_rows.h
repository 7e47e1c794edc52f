/*
 * jsonl_rows.h -- what the JSON-lines reader's parts share (not a public
 * interface): the store of cells that lines are read into before types
 * are known (jsonl_rows.c), jansson's path for lines (jsonl.c), the fast
 * line scanner that fills it (jsonl_scan.c), the typed table made from it
 * (jsonl_build.c), and the chunked, threaded streaming that drives them
 * (jsonl_stream.c).
 */
#ifndef AIQ_IO_JSONL_ROWS_H
#define AIQ_IO_JSONL_ROWS_H

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "core/keymap.h"
#include "core/scan.h"
#include "core/table.h"
#include "io/jsonl.h"
#include "io/jsonl_decode.h"
#include "util/strbuf.h"

/* One field of one row, before types are known (AiqCell: key vectors keep
 * their rows in this form). Strings are unescaped into the store's arena;
 * objects and arrays are jansson values. */
typedef AiqCell Cell;
enum {
    CELL_MISSING = AIQ_CELL_MISSING, CELL_NULL = AIQ_CELL_NULL, CELL_FALSE = AIQ_CELL_FALSE, CELL_TRUE = AIQ_CELL_TRUE,
    CELL_INT = AIQ_CELL_INT, CELL_REAL = AIQ_CELL_REAL, CELL_STRING = AIQ_CELL_STRING, CELL_JSON = AIQ_CELL_JSON,
    CELL_TEXT = AIQ_CELL_TEXT, CELL_TICKS = AIQ_CELL_TICKS
};

enum { SEEN_INT = 1, SEEN_REAL = 2, SEEN_BOOL = 4, SEEN_STRING = 8, SEEN_NESTED = 16, SEEN_NONDATE = 32 };

/* The kinds of value a column of a guessed schema may still meet and keep
 * its type (AiqReadOptions.verify, jl_fits_of). Nulls always fit. */
enum { JL_FIT_INT = 1, JL_FIT_REAL = 2, JL_FIT_BOOL = 4, JL_FIT_TEXT = 8, JL_FIT_DATE = 16, JL_FIT_NESTED = 32 };

/* A column of the store. Its cells cover rows base .. base + len - 1 (the
 * rows before its first value and after its last lack the key): a key met
 * on a few lines of many costs a few cells, not a row count's worth, and
 * schema inference (kinds_only) keeps no cells at all. */
typedef struct CellCol {
    const char *name;
    Cell *cells;    /* row base + i is cells[i]; CELL_MISSING where the row lacks the key */
    int64_t base, len, cap;
    unsigned seen;  /* SEEN_* kinds met, for type inference */
    const AiqColumnKeys *filter; /* objects keep only these keys (NULL: all) */
    int xfirst;     /* with filter->key_vectors: the store column of filter->keys[0]'s vector (the rest follow) */
    bool ticks;     /* typed datetime: a plain string is parsed as it is read (CELL_TICKS) */
} CellCol;

/* `"key":` as compact JSON has it (len bytes, at most 32; 0: none), and
 * the mask of those bytes in a 32-byte compare: a key in the same place as
 * on the last line is recognised, quotes and colon too, by one or two
 * 16-byte compares (long keys are common: AppRoleInstance, properties_s). */
typedef struct JlKeyPattern {
    char bytes[32];
    uint32_t len, mask;
} JlKeyPattern;

/* Makes key (len bytes, plain: no escapes) the pattern kp, if it fits. */
void jl_key_pattern(JlKeyPattern *kp, const char *key, uint32_t len);

struct NestedRead {
    const AiqColumnKeys *filter;
    JlKeyPattern keys[8];
    int8_t kept[8];
};

enum { JL_GUESSES = 64 }; /* key positions a line's guesses cover */

typedef struct Rows {
    CellCol *cols;
    int ncols, capcols;
    int64_t n, cap;
    int64_t *lines;  /* source line of each row, for reports */
    AiqKeyMap names; /* column name -> index */
    AiqArena strings;
    bool fixed;      /* only the columns preset by rows_want are kept */
    bool kinds_only; /* schema inference: only the kinds of values are kept (objects and arrays are validated, not built) */
    const AiqTopHint *hint; /* with hint_col: rows a top above cannot take are dropped */
    int hint_col;
    int npreds;                  /* a where's conjuncts: rows one is false for are dropped */
    const AiqRowPred *preds[16];
    int pred_cols[16];           /* the store column of each */
    /* The column met at each key position of the previous line: lines of a
     * log mostly repeat their key order, so a memcmp usually replaces a
     * hash lookup. name is the column's name, or a copy for skipped keys. */
    struct KeyGuess {
        const char *name;
        uint32_t len;
        int col; /* -1: a key the store does not keep */
        int vcol; /* verifying a guessed schema: the key's column in it (-1: none) */
        JlKeyPattern pattern;
        /* the keys of the object that was this member's value, when
         * skipped: a log's nested objects (Properties) repeat theirs too */
        JlKeyPattern *nested; /* [8], allocated when first met (NULL: none yet) */
        /* the same for an object read through a key filter, with each
         * key's index in that filter (-1: not kept) */
        struct NestedRead *read;
    } guess[JL_GUESSES + 1]; /* (guess[JL_GUESSES] has no key: the guess for every later position) */
    int guess_copies; /* copies made for skipped keys, bounded */
    /* verifying a guessed schema (AiqReadOptions.verify): every member of
     * every row kept must be a column of it with a value of a kind it
     * allows; violated says one was not */
    const uint8_t *vallow; /* per column of the schema: JL_FIT_* (NULL: no verifying) */
    AiqKeyMap vnames;      /* the schema's names -> columns */
    bool violated;
    /* the last string verifying found a timestamp (its bytes start at
     * date_at; NULL: none): the value's scan takes its ticks, not parsing
     * it twice */
    const char *date_at;
    int64_t date_ticks;
} Rows;


typedef struct FileStats {
    int64_t malformed, first_bad_line, bad_utf8;
    int64_t objects; /* lines (or array elements) that were JSON objects, kept or not */
    int64_t unfinished; /* bytes of a last line still being written, left for the next read */
    char reason[160];
} FileStats;

/* Values that did not fit their declared type: counted, the first kept for the report. */
typedef struct Misfits {
    int64_t n, first_line;
    int first_col;
    char first_text[64];
} Misfits;



static inline bool same8(const char *a, const char *b)
{
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x == y;
}

/* a[0..n) == b[0..n), in words, the last one overlapping (keys are short:
 * no libc call). */
static inline bool same_bytes(const char *a, const char *b, uint32_t n)
{
    if (n >= 8) {
        for (uint32_t i = 0; i + 8 < n; i += 8)
            if (!same8(a + i, b + i))
                return false;
        return same8(a + n - 8, b + n - 8);
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Length of the valid UTF-8 sequence at p (left bytes remain), or 0 when invalid. */
size_t jl_utf8_valid_len(const unsigned char *p, size_t left);
/* Keeps only the columns names[0..n) (a declared table's needed ones), in
 * that order, objects of column i read through filters[i] (NULL: whole). */
void jl_rows_want(Rows *r, const char *const *names, const AiqColumnKeys *const *filters, int n);
/* The column of a key, or -1 when the store keeps only preset columns
 * (fixed) and this is not one; added when new otherwise. */
int jl_rows_column(Rows *r, const char *key, uint32_t len);
/* A copy of object obj with only f's keys. */
json_t *jl_filtered_copy(json_t *obj, const AiqColumnKeys *f);
/* An empty store. */
void jl_rows_init(Rows *r);
/* Frees the store and the jansson values in its cells. */
void jl_rows_free(Rows *r);
/* Forgets the rows but keeps the columns and what was seen in them. */
void jl_rows_drop_cells(Rows *r);
/* Makes room for more rows (jl_rows_add). */
void jl_rows_grow(Rows *r);
/* Starts a new row (all cells missing until set). Inline: a count does
 * little else per line. */
static inline void jl_rows_add(Rows *r, int64_t line)
{
    if (r->n == r->cap)
        jl_rows_grow(r);
    r->lines[r->n++] = line;
}
/* The cell of column col at row i (missing outside the rows it covers). */
static inline const Cell *jl_cell_at(const CellCol *col, int64_t i)
{
    static const Cell missing = {.kind = CELL_MISSING};
    return i >= col->base && i - col->base < col->len ? &col->cells[i - col->base] : &missing;
}
/* The column of a key, added (missing in earlier rows) when new. */
int jl_rows_column_add(Rows *r, const char *key, uint32_t len);
/* The column of the key at position pos of a line, or -1, when the guess
 * for pos was not it; the key becomes the guess (see KeyGuess). */
int jl_rows_column_at(Rows *r, int pos, const char *key, uint32_t len);
/* Stores a field of the last row; a repeated key keeps the last value. */
void jl_rows_set(Rows *r, int c, Cell cell);
/* The cell of a jansson value (strings copied into the store). */
Cell jl_cell_from_json(Rows *r, json_t *v);
/* Index of key in f's keys, or -1. */
int jl_wanted_key(const AiqColumnKeys *f, const char *key, size_t len);
/* A declared table keeps only its declared (and needed) columns, then its key vectors. */
void jl_want_declared(Rows *rows, const AiqCatalogTable *ct, const AiqReadOptions *opts);
/* The fast path (jsonl_scan.c): reads the plain JSON-object line starting at
 * line into the store (it ends at the first newline, or at end) and returns
 * where it ends; or returns NULL having changed nothing, and jansson decides. */
const char *jl_scan_next_line(Rows *r, const char *line, const char *end, int64_t lineno);
/* The same for a line of n bytes without its newline: whether it was read. */
bool jl_scan_line(Rows *r, const char *line, size_t n, int64_t lineno);
/* Adds the lines starting at text[*pos] (blank: skipped; malformed:
 * counted, or an error with --strict), moving *pos past each and its
 * newline and counting them in *lineno; stops at the end of the text or
 * once rows hold max_rows. */
bool jl_next_lines(Rows *rows, FileStats *fs, const char *text, size_t len, size_t *pos, int64_t *lineno,
                   int64_t max_rows, const char *path, const AiqReadOptions *opts, AiqStrBuf *fixed, AiqError *err);
/* Whether a text starting with text[0..len) is one JSON value (a top-level
 * array, or an object such as a pretty-printed {"records": [...]} export
 * that is not valid on its first line) rather than JSON lines: 1 or 0, or
 * -1 when the first line has not ended yet and !eof. *bom: 3 after a byte
 * order mark, else 0. *searched (0 at first): how far the text is known to
 * hold no end of the first line, so that calls as more text arrives
 * search each byte once. */
int jl_whole_value(const char *text, size_t len, bool eof, size_t *bom, size_t *searched);
/* Whether text[0..n) is one plainly valid JSON value, blanks around it
 * allowed (the scanner's validation: false also when it is not sure). */
bool jl_scan_valid(const char *text, size_t n);
/* The bytes at the end of text[0..len), the whole of an input, that are a
 * line still being written: no newline after them, and the text stops
 * inside a JSON value (a log's writer is mid-line; what would be malformed
 * at any length, a stray print, is not such a line). 0 when the text ends
 * with a newline, or its last line is blank, complete or malformed. That
 * line is not malformed: the next read, once the writer has finished it,
 * takes it. The rule is the same for every input, however it is read (a
 * file, mapped or not; stdin; compressed), so that reports agree. */
size_t jl_unfinished_tail(const char *text, size_t len);
/* Splits a whole text into rows (also a top-level array or one
 * pretty-printed object); an unfinished last line is left out
 * (fs->unfinished), not counted malformed. */
bool jl_parse_text(const char *path, const char *text, size_t len, Rows *rows, FileStats *fs,
                   const AiqReadOptions *opts, AiqError *err);
/* The type of a column from the kinds of values seen in it. */
AiqType jl_infer(unsigned seen);
/* The JL_FIT_* kinds a column whose first rows held the kinds seen (its
 * type jl_infer(seen)) may meet in later rows and keep that type. */
unsigned jl_fits_of(unsigned seen);
/* Whether a string is a datetime for type inference (an ISO 8601 date with
 * a time of day). */
bool jl_is_timestamp(const char *s, uint32_t len);
/* jl_is_timestamp, giving the datetime's ticks when it is one. */
bool jl_timestamp_ticks(const char *s, uint32_t len, int64_t *ticks);
/* The column of the guessed schema named key (len bytes), or -1. */
int jl_guess_column(const Rows *r, const char *key, uint32_t len);
/* Verifying a guessed schema: notes in r->violated when member key of a
 * row kept does not fit it (is_inf: a number too large for a double). */
void jl_verify_json(Rows *r, const char *key, json_t *v, bool is_inf);
/* Whether a column inferred as type from some rows keeps that type when
 * more rows bring the kinds seen: jl_infer of every row's kinds together
 * is type, whatever the first rows held (a string column that may have
 * held only nulls does not absorb dates, for one). */
bool jl_type_absorbs(AiqType type, unsigned seen);
/* Turns the store into a typed table (declared or inferred schema); takes rows. */
AiqTable *jl_build_table(AiqCatalogTable *ct, Rows *rows, bool ok, const AiqReadOptions *opts,
                             AiqArena *schema_arena, Misfits *mf, AiqError *err);
/* The error of a malformed line under --strict (exit 2). */
bool jl_strict_error(AiqError *err, const char *path, int64_t line, const char *reason);
/* The error of a read stopped by Ctrl-C; returns false. */
bool jl_cancelled_error(AiqError *err, const char *path);
/* A file that had lines but not one JSON object is not logs: false with
 * the error (exit 2) that says what head[0..n), its first decoded bytes,
 * looks like. */
bool jl_check_logs(const char *path, const FileStats *fs, const char *head, size_t n, JlCodec codec, AiqError *err);
/* Reports once per file what was skipped or repaired. */
void jl_report(const char *name, const FileStats *fs, const AiqReadOptions *opts);
/* How messages name file i of t: its path as bound, stdin as "stdin"
 * (a copy of stdin or a pipe by the path it was bound as). */
const char *jl_path_shown(const AiqCatalogTable *t, int i);
/* Counts files, bytes and rows read in opts->stats and for progress. Call
 * from the thread that hands out rows (the counts are not atomic). */
void jl_count_read(const AiqReadOptions *opts, int64_t files, int64_t bytes, int64_t rows);
/* Reports the values that did not fit their type, once per table. */
void jl_report_misfits(const AiqCatalogTable *ct, const Misfits *mf, const AiqReadOptions *opts);
/* Adds src's misfits (later rows) to dst's. */
void jl_merge_misfits(Misfits *dst, const Misfits *src);

#endif
