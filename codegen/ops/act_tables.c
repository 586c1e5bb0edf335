#include "act_tables.h"

#include <math.h>

const char *emit_int_table(Emit *e, const char *what, const char *ctype, const int32_t *v, int n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const %s %s[%d] = {", ctype, name, n > 0 ? n : 1);
  for (int i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 16 ? ", " : (i ? ",\n  " : "\n  "), v[i]);
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

const char *emit_float_table(Emit *e, const char *what, const float *v, int n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const float %s[%d] = {", name, n > 0 ? n : 1);
  for (int i = 0; i < n; i++)
    text_printf(&e->consts, "%s%s", i % 8 ? ", " : (i ? ",\n  " : "\n  "), emit_f32(e, v[i]));
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

bool act_checked_log2(float x, int *log2) {
  float l = logf(x) * (1.0f / logf(2.0f));
  float r = roundf(l);
  *log2 = (int)r;
  return fabsf(l - r) < 1e-3f;
}
