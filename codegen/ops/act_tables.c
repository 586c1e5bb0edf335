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

/* The table's constant byte offset k when table[v] is v + k modulo 256 for every byte v. */
static bool table_is_offset(const int32_t table[256], uint8_t *k) {
  *k = (uint8_t)table[0];
  for (int v = 1; v < 256; v++)
    if ((uint8_t)(table[v] - v) != *k) return false;
  return true;
}

int emit_lut8(Emit *e, const Tensor *x, const Tensor *y, const int32_t table[256]) {
  char inst[24], X[24], Y[24];
  snprintf(inst, sizeof inst, "%s_%s", emit_tsuffix(x->type), emit_tsuffix(y->type));
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(y->type));
  uint8_t k;
  if (table_is_offset(table, &k)) {
    if (emit_kernel(e, "byte_offset", inst, X, Y, NULL)) return -1;
    ef(e, "  byte_offset_%s(%lld, %s, out0, %u);\n  return 0;\n", inst, (long long)y->elems,
       emit_in(e, 0), k);
    return 0;
  }
  const char *tab = emit_int_table(e, "lut", emit_ctype(y->type), table, 256);
  if (emit_kernel(e, "lut8", inst, X, Y, NULL)) return -1;
  ef(e, "  lut8_%s(%lld, %s, out0, %s);\n  return 0;\n", inst, (long long)y->elems, emit_in(e, 0),
     tab);
  return 0;
}
