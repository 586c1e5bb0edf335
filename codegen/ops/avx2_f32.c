/* Helpers the x86-64-avx2 float32 emitters share: operand checks, packed tables, kernels. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2_f32.h"

static bool is_const(const Tensor *t) { return t->data && !t->is_variable; }

bool avx2_f32_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b,
                       const Tensor *y, int channels) {
  if (!emit_x86(e)) return false;
  if (x->type != TFL_FLOAT32 || w->type != TFL_FLOAT32 || y->type != TFL_FLOAT32 || !is_const(w))
    return false;
  if (b && (b->type != TFL_FLOAT32 || !is_const(b) || b->elems != channels ||
            b->data_size < (uint64_t)channels * 4))
    return false;
  return (uint64_t)w->elems * 4 <= w->data_size;
}

float avx2_f32_at(const Tensor *t, int64_t i) {
  float v;
  memcpy(&v, t->data + (size_t)i * 4, 4);
  return v;
}

const char *avx2_f32_table(Emit *e, const char *what, const float *v, size_t n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const float %s[%zu] MODELC_ALIGN = {", name, n ? n : 1);
  for (size_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%s", i % 8 ? "," : (i ? ",\n  " : "\n  "), emit_f32(e, v[i]));
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

const char *avx2_f32_bias(Emit *e, const Tensor *b, int channels, int padded) {
  if (!b) return "0";
  float *v = calloc((size_t)padded, sizeof *v);
  if (!v) {
    errf(e->err, -1, "out of memory");
    return NULL;
  }
  for (int i = 0; i < channels; i++) v[i] = avx2_f32_at(b, i);
  const char *name = avx2_f32_table(e, "bias_pad", v, (size_t)padded);
  free(v);
  return name;
}

int avx2_f32_kernel(Emit *e, const char *file) {
  if (emit_kernel(e, "avx2_common", "x", NULL) || emit_kernel(e, "avx2_store_f32", "f32", NULL))
    return -1;
  return emit_kernel(e, file, "f32", NULL);
}
