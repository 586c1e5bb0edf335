/* A small JSON (RFC 8259) parser for the tests: it reads a whole document into a malloc'd tree.
   Numbers keep their source text beside the double, so a test can compare exactly what a tool
   printed; strings are decoded to UTF-8 (escapes resolved, \u0000 kept, length in `len`). */
#ifndef MODELC_TEST_JSON_PARSE_H
#define MODELC_TEST_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting of arrays and objects accepted: the parser recurses once per level. */
#define JSON_MAX_DEPTH 64

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonType;

typedef struct JsonNode {
  JsonType type;
  bool boolean;            /* JSON_BOOL */
  double number;           /* JSON_NUMBER: the text read by strtod */
  char *text;              /* JSON_NUMBER: source text; JSON_STRING: decoded bytes + NUL */
  size_t len;              /* JSON_STRING: bytes in text; JSON_ARRAY/OBJECT: children */
  struct JsonNode **items; /* JSON_ARRAY: elements; JSON_OBJECT: values, in document order */
  char **keys;             /* JSON_OBJECT: decoded keys, parallel to items */
} JsonNode;

/* Parses text[0..n) as one JSON value (surrounding whitespace allowed). On failure returns NULL
   and writes a message with the byte offset into err (when errsize > 0). */
JsonNode *json_parse(const char *text, size_t n, char *err, size_t errsize);
/* Frees a tree from json_parse; NULL is allowed. */
void json_free(JsonNode *node);

/* The value of the first member named key, or NULL (also when obj is NULL or not an object). */
JsonNode *json_get(const JsonNode *obj, const char *key);
/* Element i of an array, or NULL (out of range, NULL or not an array). */
JsonNode *json_at(const JsonNode *arr, size_t i);
/* Number of elements of an array or members of an object; 0 for anything else and NULL. */
size_t json_len(const JsonNode *node);

#endif
