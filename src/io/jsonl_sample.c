/*
 * jsonl_sample.c -- a table's columns guessed from the first block of its
 * first file: for the REPL's tab completion (a Tab must answer at once,
 * before and without reading a 5 GB log whole), and as the schema a query
 * reads a table with on its first run (aiq_jsonl_guess_schema), each row
 * then verified against the guess so that the answer is the one every
 * row's types give (session/guess.c says what happens when it is not).
 */
#include "io/jsonl.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "io/jsonl_decode.h"
#include "io/jsonl_rows.h"
#include "util/mem.h"

/* How much of the file is read: enough for a few hundred typical rows. */
enum { SAMPLE_RAW_BYTES = 256 * 1024, SAMPLE_TEXT_BYTES = 1024 * 1024 };

/* Reads the start of path into text (decoded when compressed), at most
 * SAMPLE_TEXT_BYTES; returns its length, 0 when nothing could be read. */
static size_t read_head(const char *path, char *text)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    char *raw = aiq_xmalloc(SAMPLE_RAW_BYTES);
    ssize_t n = read(fd, raw, SAMPLE_RAW_BYTES);
    close(fd);
    size_t len = 0;
    JlCodec codec = n > 0 ? jl_codec_of((const unsigned char *)raw, (size_t)n) : JL_PLAIN;
    if (n > 0 && codec == JL_PLAIN) {
        len = (size_t)n;
        memcpy(text, raw, len);
    } else if (n > 0) {
        JlDecoder *d = jl_decoder_new(codec);
        JlInput in = {raw, (size_t)n, 0};
        AiqError ignored = {0}; /* a cut frame ends the sample; a corrupt file shows when read */
        while (in.pos < in.size && len < SAMPLE_TEXT_BYTES) {
            size_t got = 0;
            if (!jl_decode(d, &in, text + len, SAMPLE_TEXT_BYTES - len, &got, path, &ignored) || got == 0)
                break;
            len += got;
        }
        jl_decoder_free(d);
    }
    aiq_xfree(raw);
    return len;
}

bool aiq_jsonl_sample_schema(const AiqCatalogTable *t, AiqSchema *out, AiqArena *arena)
{
    if (t->npaths == 0 || strcmp(t->paths[0], "-") == 0) /* stdin cannot be read twice */
        return false;
    char *text = aiq_xmalloc(SAMPLE_TEXT_BYTES);
    size_t len = read_head(t->paths[0], text);
    while (len > 0 && text[len - 1] != '\n') /* whole lines only */
        len--;
    bool ok = false;
    if (len > 0) {
        AiqCatalogTable guess = {.name = t->name}; /* undeclared: the schema comes from the rows */
        AiqError ignored = {0};
        AiqTable *rows = aiq_jsonl_load_buffer(&guess, t->paths[0], text, len, &(AiqReadOptions){0}, arena, &ignored);
        ok = rows != NULL && guess.schema.ncols > 0;
        if (ok)
            *out = guess.schema;
        aiq_table_free(rows);
    }
    aiq_xfree(text);
    return ok;
}

void aiq_jsonl_guess_fits_only(const uint8_t *fits, const bool *checked, int ncols, uint8_t *out)
{
    enum { ANY = JL_FIT_INT | JL_FIT_REAL | JL_FIT_BOOL | JL_FIT_TEXT | JL_FIT_DATE | JL_FIT_NESTED };
    for (int c = 0; c < ncols; c++) /* (any kind: the verifier's first test passes, nothing is scanned) */
        out[c] = checked[c] ? fits[c] : ANY;
}

bool aiq_jsonl_guess_schema(const AiqCatalogTable *t, AiqSchema *out, uint8_t **fits, AiqArena *arena)
{
    if (t->npaths == 0 || strcmp(t->paths[0], "-") == 0)
        return false;
    char *text = aiq_xmalloc(SAMPLE_TEXT_BYTES);
    size_t len = read_head(t->paths[0], text);
    while (len > 0 && text[len - 1] != '\n') /* whole lines only */
        len--;
    Rows rows;
    jl_rows_init(&rows);
    rows.kinds_only = true; /* the kinds of values are all a guess needs, as for inference */
    FileStats fs = {0};
    AiqError err = {0};
    bool ok = len > 0 && jl_parse_text(t->paths[0], text, len, &rows, &fs, &(AiqReadOptions){0}, &err) &&
              rows.ncols > 0 && rows.ncols < 4096;
    if (ok) {
        out->ncols = rows.ncols;
        out->cols = aiq_arena_alloc(arena, sizeof *out->cols * (size_t)rows.ncols);
        *fits = aiq_arena_alloc(arena, (size_t)rows.ncols);
        for (int c = 0; c < rows.ncols; c++) {
            out->cols[c].name = aiq_arena_strndup(arena, rows.cols[c].name, strlen(rows.cols[c].name));
            out->cols[c].type = jl_infer(rows.cols[c].seen);
            (*fits)[c] = (uint8_t)jl_fits_of(rows.cols[c].seen);
        }
    }
    jl_rows_free(&rows);
    aiq_xfree(text);
    return ok;
}
