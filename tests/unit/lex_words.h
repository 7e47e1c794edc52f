/*
 * lex_words.h -- the lexer tests' one helper: a text's tokens as
 * space-separated "KIND:TEXT" words, or "ERR@offset" where lexing fails.
 * KIND is the token kind's number (test_lexer.c), or with classes its
 * class (I name, N number, T timespan, S string, L typed literal, o
 * anything else: test_syntax_lex.c).
 */
#ifndef AIQ_TESTS_LEX_WORDS_H
#define AIQ_TESTS_LEX_WORDS_H
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lex/lexer.h"

static inline char lex_word_class(AiqTokKind k)
{
    return k == AIQ_TK_IDENT                         ? 'I'
           : k == AIQ_TK_LONG || k == AIQ_TK_REAL    ? 'N'
           : k == AIQ_TK_TIMESPAN                    ? 'T'
           : k == AIQ_TK_STRING                      ? 'S'
           : k == AIQ_TK_TYPED_LIT                   ? 'L'
                                                     : 'o';
}

static inline const char *lex_words(const char *text, char *out, size_t cap, bool classes)
{
    AiqLexer lx;
    AiqError err = {0};
    aiq_lex_init(&lx, text, strlen(text));
    out[0] = '\0';
    for (;;) {
        AiqToken t;
        const char *sep = out[0] ? " " : "";
        if (!aiq_lex_next(&lx, &t, &err)) {
            snprintf(out + strlen(out), cap - strlen(out), "%sERR@%d", sep, err.offset);
            return out;
        }
        if (t.kind == AIQ_TK_EOF)
            return out;
        if (classes)
            snprintf(out + strlen(out), cap - strlen(out), "%s%c:%.*s", sep, lex_word_class(t.kind), t.len, text + t.off);
        else
            snprintf(out + strlen(out), cap - strlen(out), "%s%d:%.*s", sep, (int)t.kind, t.len, text + t.off);
    }
}

#endif
