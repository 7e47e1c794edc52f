/*
 * json_text.h -- dynamic values as text: the compact JSON aiq prints,
 * compares and gives to tostring(), and the form in which a dynamic value
 * nobody reads is kept as its JSON text.
 */
#ifndef AIQ_CORE_JSON_TEXT_H
#define AIQ_CORE_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct json_t json_t;

/* The compact JSON text of v: jansson's json_dumps with JSON_COMPACT |
 * JSON_ENCODE_ANY, but reals in their shortest round-trip text; flags may
 * add JSON_SORT_KEYS. NULL for NULL; free with aiq_xfree. */
char *aiq_json_dumps(const json_t *v, size_t flags);

/* Dynamic values kept as JSON text. A dynamic column that no expression
 * reads, only carries to the result (top 10 with every column, say), is
 * not worth building: the reader keeps each object's text in a jansson
 * string that starts with the byte 0xFF, which no real value can start
 * with (every string aiq holds is valid UTF-8). Printing, ordering and
 * hashing go through aiq_dyn_dumps, which parses such text first, so the
 * two forms can never be told apart in a result. */
json_t *aiq_dyn_text_new(const char *json, size_t len);
bool aiq_dyn_is_text(const json_t *v);
/* aiq_json_dumps(v, flags) for either form; free with aiq_xfree. NULL for NULL. */
char *aiq_dyn_dumps(const json_t *v, size_t flags);
/* d["key"]: the value (borrowed; NULL when missing or JSON null) of key in
 * object d, or in the object a string d holds as JSON text (parsed into
 * *owned, which the caller releases). */
json_t *aiq_dyn_key(json_t *d, const char *key, size_t len, json_t **owned);

#endif
