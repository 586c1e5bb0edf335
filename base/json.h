/* A streaming JSON writer: commas and escaping are its job, the caller's is the structure. */
#ifndef MODELC_JSON_H
#define MODELC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum { JSON_NEST_MAX = 32 };

typedef struct Json {
  FILE *f;
  int depth;
  bool need_comma[JSON_NEST_MAX];
  bool after_key;
} Json;

void json_init(Json *j, FILE *f);
void json_obj(Json *j);   /* { */
void json_arr(Json *j);   /* [ */
void json_end(Json *j, char close);  /* } or ] */
void json_key(Json *j, const char *key);
void json_str(Json *j, const char *s);  /* NULL prints null */
void json_int(Json *j, int64_t v);
void json_float(Json *j, double v);     /* %.9g: a float32 reads back exactly; NaN/Inf as null */
void json_bool(Json *j, bool v);
void json_null(Json *j);

#endif
