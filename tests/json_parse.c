#include "json_parse.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
  const char *s;
  size_t n, pos;
  char *err;
  size_t errsize;
} Parser;

/* Records the first error only: later ones are consequences of it. */
static void verror(Parser *p, const char *fmt, va_list ap) {
  if (!p->errsize || p->err[0]) return;
  int k = snprintf(p->err, p->errsize, "offset %zu: ", p->pos);
  if (k >= 0 && (size_t)k < p->errsize) vsnprintf(p->err + k, p->errsize - (size_t)k, fmt, ap);
}

/* Records an error; returns false, for functions that answer ok or not. */
static bool error(Parser *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(p, fmt, ap);
  va_end(ap);
  return false;
}

/* Records an error; returns NULL, for functions that answer a node. */
static JsonNode *fail(Parser *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(p, fmt, ap);
  va_end(ap);
  return NULL;
}

static void skip_ws(Parser *p) {
  while (p->pos < p->n) {
    char c = p->s[p->pos];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
    p->pos++;
  }
}

static int peek(const Parser *p) { return p->pos < p->n ? (unsigned char)p->s[p->pos] : -1; }

static JsonNode *new_node(Parser *p, JsonType type) {
  JsonNode *node = calloc(1, sizeof *node);
  if (!node) return fail(p, "out of memory");
  node->type = type;
  return node;
}

/* ---- strings ---- */

typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;

static bool buf_put(Buf *b, const char *bytes, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 16;
    while (cap < b->len + n + 1) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) return false;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, bytes, n);
  b->len += n;
  b->p[b->len] = '\0';
  return true;
}

static bool put_utf8(Buf *b, uint32_t cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | cp >> 6);
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | cp >> 12);
    u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | cp >> 18);
    u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return buf_put(b, u, n);
}

/* Reads the 4 hex digits after "\u". */
static bool read_hex4(Parser *p, uint32_t *out) {
  uint32_t v = 0;
  if (p->n - p->pos < 4) return false;
  for (int i = 0; i < 4; i++) {
    char c = p->s[p->pos++];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return false;
    v = v << 4 | (uint32_t)d;
  }
  *out = v;
  return true;
}

/* A \u escape, the "\u" already consumed; a UTF-16 surrogate pair makes one code point. */
static bool read_unicode_escape(Parser *p, Buf *b) {
  uint32_t cp, low;
  if (!read_hex4(p, &cp)) return error(p, "bad \\u escape");
  if (cp >= 0xDC00 && cp <= 0xDFFF) return error(p, "lone low surrogate");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (p->n - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
      return error(p, "high surrogate without its low half");
    p->pos += 2;
    if (!read_hex4(p, &low) || low < 0xDC00 || low > 0xDFFF)
      return error(p, "bad low surrogate");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  if (!put_utf8(b, cp)) return error(p, "out of memory");
  return true;
}

static bool read_escape(Parser *p, Buf *b) {
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  if (p->pos >= p->n) return error(p, "unterminated string");
  char c = p->s[p->pos++];
  if (c == 'u') return read_unicode_escape(p, b);
  const char *k = c ? strchr(from, c) : NULL;
  if (!k) return error(p, "bad escape \\%c", c);
  if (!buf_put(b, &to[k - from], 1)) return error(p, "out of memory");
  return true;
}

/* A string at p->pos (on the opening quote), decoded into a malloc'd buffer. */
static bool read_string(Parser *p, char **out, size_t *len) {
  Buf b = {0};
  p->pos++;
  if (!buf_put(&b, "", 0)) return error(p, "out of memory");
  for (;;) {
    if (p->pos >= p->n) {
      free(b.p);
      return error(p, "unterminated string");
    }
    unsigned char c = (unsigned char)p->s[p->pos];
    if (c == '"') break;
    bool ok;
    if (c == '\\') {
      p->pos++;
      ok = read_escape(p, &b);
    } else if (c < 0x20) {
      ok = error(p, "raw control character 0x%02x in a string", c);
    } else {
      /* Copies the run of plain characters up to the next quote, escape or control byte. */
      size_t start = p->pos;
      while (p->pos < p->n && p->s[p->pos] != '"' && p->s[p->pos] != '\\' &&
             (unsigned char)p->s[p->pos] >= 0x20)
        p->pos++;
      ok = buf_put(&b, p->s + start, p->pos - start) || error(p, "out of memory");
    }
    if (!ok) {
      free(b.p);
      return false;
    }
  }
  p->pos++;
  *out = b.p;
  *len = b.len;
  return true;
}

/* ---- numbers and literals ---- */

static size_t digits(const Parser *p, size_t at) {
  size_t k = 0;
  while (at + k < p->n && p->s[at + k] >= '0' && p->s[at + k] <= '9') k++;
  return k;
}

/* Checks the RFC 8259 number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static JsonNode *read_number(Parser *p) {
  size_t start = p->pos, at = p->pos, k;
  if (at < p->n && p->s[at] == '-') at++;
  k = digits(p, at);
  if (k == 0 || (k > 1 && p->s[at] == '0')) return fail(p, "bad number");
  at += k;
  if (at < p->n && p->s[at] == '.') {
    if (!(k = digits(p, at + 1))) return fail(p, "bad number: no digit after '.'");
    at += 1 + k;
  }
  if (at < p->n && (p->s[at] == 'e' || p->s[at] == 'E')) {
    at++;
    if (at < p->n && (p->s[at] == '+' || p->s[at] == '-')) at++;
    if (!(k = digits(p, at))) return fail(p, "bad number: no exponent digits");
    at += k;
  }
  JsonNode *node = new_node(p, JSON_NUMBER);
  if (!node) return NULL;
  node->len = at - start;
  if (!(node->text = malloc(node->len + 1))) {
    free(node);
    return fail(p, "out of memory");
  }
  memcpy(node->text, p->s + start, node->len);
  node->text[node->len] = '\0';
  node->number = strtod(node->text, NULL);
  p->pos = at;
  return node;
}

static JsonNode *read_literal(Parser *p) {
  static const struct { const char *word; JsonType type; bool value; } lits[] = {
      {"true", JSON_BOOL, true}, {"false", JSON_BOOL, false}, {"null", JSON_NULL, false}};
  for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
    size_t k = strlen(lits[i].word);
    if (p->n - p->pos >= k && memcmp(p->s + p->pos, lits[i].word, k) == 0) {
      JsonNode *node = new_node(p, lits[i].type);
      if (node) node->boolean = lits[i].value;
      p->pos += k;
      return node;
    }
  }
  return fail(p, "unexpected character");
}

/* ---- arrays and objects ---- */

static JsonNode *read_value(Parser *p, int depth);

/* Appends a child (and its key, for objects); takes ownership of both, also on failure. */
static bool add_child(Parser *p, JsonNode *parent, size_t *cap, char *key, JsonNode *child) {
  if (parent->len == *cap) {
    size_t n = *cap ? 2 * *cap : 8;
    JsonNode **items = realloc(parent->items, n * sizeof *items);
    if (items) parent->items = items;
    char **keys = items && parent->type == JSON_OBJECT ? realloc(parent->keys, n * sizeof *keys)
                                                       : parent->keys;
    if (keys) parent->keys = keys;
    if (!items || (parent->type == JSON_OBJECT && !keys)) {
      free(key);
      json_free(child);
      return error(p, "out of memory");
    }
    *cap = n;
  }
  if (parent->type == JSON_OBJECT) parent->keys[parent->len] = key;
  parent->items[parent->len++] = child;
  return true;
}

/* One member "key": value of an object, p->pos on the key's quote. */
static bool read_member(Parser *p, JsonNode *obj, size_t *cap, int depth) {
  char *key;
  size_t klen;
  if (peek(p) != '"') return error(p, "expected a member name");
  if (!read_string(p, &key, &klen)) return false;
  skip_ws(p);
  if (peek(p) != ':') {
    free(key);
    return error(p, "expected ':'");
  }
  p->pos++;
  JsonNode *value = read_value(p, depth + 1);
  if (!value) {
    free(key);
    return false;
  }
  return add_child(p, obj, cap, key, value);
}

/* An array or object at p->pos (on '[' or '{'). */
static JsonNode *read_container(Parser *p, int depth) {
  bool is_object = p->s[p->pos] == '{';
  char close = is_object ? '}' : ']';
  JsonNode *node = new_node(p, is_object ? JSON_OBJECT : JSON_ARRAY);
  size_t cap = 0;
  if (!node) return NULL;
  p->pos++;
  skip_ws(p);
  if (peek(p) == close) {
    p->pos++;
    return node;
  }
  for (;;) {
    skip_ws(p);
    bool ok;
    if (is_object) {
      ok = read_member(p, node, &cap, depth);
    } else {
      JsonNode *item = read_value(p, depth + 1);
      ok = item && add_child(p, node, &cap, NULL, item);
    }
    if (!ok) break;
    skip_ws(p);
    int c = peek(p);
    if (c != ',' && c != close) {
      error(p, "expected ',' or '%c'", close);
      break;
    }
    p->pos++;
    if (c == close) return node;
  }
  json_free(node);
  return NULL;
}

static JsonNode *read_value(Parser *p, int depth) {
  skip_ws(p);
  int c = peek(p);
  if (c < 0) return fail(p, "unexpected end of input");
  if (c == '{' || c == '[') {
    if (depth >= JSON_MAX_DEPTH) return fail(p, "nesting deeper than %d", JSON_MAX_DEPTH);
    return read_container(p, depth);
  }
  if (c == '"') {
    JsonNode *node = new_node(p, JSON_STRING);
    if (node && !read_string(p, &node->text, &node->len)) {
      free(node);
      return NULL;
    }
    return node;
  }
  if (c == '-' || (c >= '0' && c <= '9')) return read_number(p);
  return read_literal(p);
}

JsonNode *json_parse(const char *text, size_t n, char *err, size_t errsize) {
  Parser p = {.s = text, .n = n, .err = err, .errsize = errsize};
  if (errsize) err[0] = '\0';
  JsonNode *root = read_value(&p, 0);
  if (!root) return NULL;
  skip_ws(&p);
  if (p.pos != p.n) {
    json_free(root);
    return fail(&p, "trailing characters after the document");
  }
  return root;
}

void json_free(JsonNode *node) {
  if (!node) return;
  for (size_t i = 0; i < node->len && node->items; i++) {
    json_free(node->items[i]);
    if (node->keys) free(node->keys[i]);
  }
  free(node->items);
  free(node->keys);
  free(node->text);
  free(node);
}

JsonNode *json_get(const JsonNode *obj, const char *key) {
  if (!obj || obj->type != JSON_OBJECT) return NULL;
  for (size_t i = 0; i < obj->len; i++)
    if (strcmp(obj->keys[i], key) == 0) return obj->items[i];
  return NULL;
}

JsonNode *json_at(const JsonNode *arr, size_t i) {
  return arr && arr->type == JSON_ARRAY && i < arr->len ? arr->items[i] : NULL;
}

size_t json_len(const JsonNode *node) {
  return node && (node->type == JSON_ARRAY || node->type == JSON_OBJECT) ? node->len : 0;
}
