/*
 * lexer.h -- KQL text -> tokens. A token is a kind plus a byte span into the
 * query text; the lexer allocates nothing and never decides whether a word is
 * a keyword (KQL keywords are soft: `where` can be a column name), except for
 * the fixed hyphenated operator names such as `project-away` and `mv-expand`.
 */
#ifndef AIQ_LEX_LEXER_H
#define AIQ_LEX_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aiq/aiq.h"
#include "util/strbuf.h"

/* ORDER TOKENS: token_names[] in lexer.c follows this order. */
typedef enum AiqTokKind {
    AIQ_TK_EOF,
    AIQ_TK_IDENT,       /* where, AppRequests, project-away, $left */
    AIQ_TK_BRACKET_ID,  /* ['Column with spaces'] or ["x"] */
    AIQ_TK_STRING,      /* 'x', "x", @"raw", h"secret" */
    AIQ_TK_LONG,        /* 123, 0x1f */
    AIQ_TK_REAL,        /* 1.5, 1e3 */
    AIQ_TK_TIMESPAN,    /* 15m, 1.5h, 100ms, 10tick */
    AIQ_TK_TYPED_LIT,   /* datetime(...), time(...), timespan(...), dynamic(...) */
    AIQ_TK_PIPE,        /* | */
    AIQ_TK_COMMA,
    AIQ_TK_SEMI,
    AIQ_TK_LPAREN,
    AIQ_TK_RPAREN,
    AIQ_TK_LBRACKET,
    AIQ_TK_RBRACKET,
    AIQ_TK_LBRACE,
    AIQ_TK_RBRACE,
    AIQ_TK_DOT,
    AIQ_TK_DOTDOT,
    AIQ_TK_COLON,
    AIQ_TK_ASSIGN,      /* = */
    AIQ_TK_EQ,          /* == */
    AIQ_TK_NE,          /* != or <> */
    AIQ_TK_LT,
    AIQ_TK_LE,
    AIQ_TK_GT,
    AIQ_TK_GE,
    AIQ_TK_EQ_TILDE,    /* =~ */
    AIQ_TK_NE_TILDE,    /* !~ */
    AIQ_TK_PLUS,
    AIQ_TK_MINUS,
    AIQ_TK_STAR,
    AIQ_TK_SLASH,
    AIQ_TK_PERCENT,
    AIQ_TK_ARROW,       /* => */
    AIQ_TK_BANG_WORD,   /* !has, !contains_cs, !in, !in~, !between, !startswith ... */
    AIQ_TK_IN_TILDE,    /* in~ */
    AIQ_TK_COUNT
} AiqTokKind;

typedef struct AiqToken {
    AiqTokKind kind;
    int32_t off; /* byte offset in the query text */
    int32_t len; /* byte length */
} AiqToken;

typedef struct AiqLexer {
    const char *text;
    int32_t len;
    int32_t pos;
} AiqLexer;

/* Starts lexing text[0..len); text must outlive the tokens. A UTF-8 byte
 * order mark at the start is skipped (token offsets still count it). */
void aiq_lex_init(AiqLexer *lx, const char *text, size_t len);
/* Reads the next token into *tok. Returns false and sets err on a lexical
 * error (unterminated string, stray character); *tok then spans the bad text. */
bool aiq_lex_next(AiqLexer *lx, AiqToken *tok, AiqError *err);
/* Returns a printable name for a token kind ("'|'", "identifier", ...). */
const char *aiq_lex_token_name(AiqTokKind kind);

/* Appends name as KQL text: as it is when it is an identifier Kusto takes
 * bare, else bracketed (['odd name'], ['it\'s']) with backslash, quote and
 * control characters escaped, so that the lexer reads back exactly name. */
void aiq_lex_quote_name(AiqStrBuf *sb, const char *name);
/* Decodes the body of a string literal, s[0..n) between its quotes q:
 * the escapes of a regular string (\n \t \r \\ \' \" \uXXXX, and \0 when
 * allow_nul), or in a verbatim string (@"...") only a doubled quote. out
 * has room for n bytes (the text never grows). Returns the length written,
 * or -1 for an escape it does not know, with *bad the offset of its
 * backslash in s. The parser's strings and the bracketed names of the
 * lexer and the schema reader all decode through here. */
int32_t aiq_lex_unescape(const char *s, int32_t n, char q, bool verbatim, bool allow_nul, char *out,
                         int32_t *bad);
/* Decodes the name of an AIQ_TK_BRACKET_ID token of text (['x'], ["x"],
 * with the escapes of a string literal) into out, which has room for
 * tok->len bytes (a name is never longer than its token). Returns the
 * name's length, or -1 for an escape it does not know. */
int32_t aiq_lex_bracket_name(const char *text, const AiqToken *tok, char *out);

#endif
