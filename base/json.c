#include "json.h"

#include <math.h>

void json_init(Json *j, FILE *f) {
  j->f = f;
  j->depth = 0;
  j->need_comma[0] = false;
  j->after_key = false;
}

/* Writes the separator a new value needs at the current position. */
static void value_start(Json *j) {
  if (j->after_key) {
    j->after_key = false;
    return;
  }
  if (j->need_comma[j->depth]) fputc(',', j->f);
  j->need_comma[j->depth] = true;
}

static void open_(Json *j, char c) {
  value_start(j);
  fputc(c, j->f);
  if (j->depth + 1 < JSON_NEST_MAX) j->depth++;
  j->need_comma[j->depth] = false;
}

void json_obj(Json *j) { open_(j, '{'); }
void json_arr(Json *j) { open_(j, '['); }

void json_end(Json *j, char close) {
  fputc(close, j->f);
  if (j->depth > 0) j->depth--;
  if (j->depth == 0) fputc('\n', j->f);
}

static void write_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

void json_key(Json *j, const char *key) {
  value_start(j);
  write_string(j->f, key);
  fputc(':', j->f);
  j->after_key = true;
}

void json_str(Json *j, const char *s) {
  value_start(j);
  if (s) write_string(j->f, s);
  else fputs("null", j->f);
}

void json_int(Json *j, int64_t v) {
  value_start(j);
  fprintf(j->f, "%lld", (long long)v);
}

void json_float(Json *j, double v) {
  value_start(j);
  if (isfinite(v)) fprintf(j->f, "%.9g", v);
  else fputs("null", j->f);
}

void json_bool(Json *j, bool v) {
  value_start(j);
  fputs(v ? "true" : "false", j->f);
}

void json_null(Json *j) {
  value_start(j);
  fputs("null", j->f);
}
