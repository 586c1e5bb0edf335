/* Helpers the x86-64-avx2 emitters share: operand checks, packed tables, kernel instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"

static bool is_const(const Tensor *t) { return t->data && !t->is_variable; }

bool avx2_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels) {
  if (strcmp(e->o.target, "x86-64-avx2") != 0) return false;
  bool s8 = x->type == TFL_INT8 && w->type == TFL_INT8 && y->type == TFL_INT8;
  bool u8 = x->type == TFL_UINT8 && w->type == TFL_UINT8 && y->type == TFL_UINT8;
  if (!(s8 || u8) || !x->q.n || !w->q.n || !y->q.n || !is_const(w)) return false;
  /* The kernels widen x - zp_x and w - zp_w to int16, exact only for zero points inside the
     dtype (|difference| <= 255); a model with others keeps the generic int32 arithmetic. */
  int64_t lo = s8 ? -128 : 0, hi = s8 ? 127 : 255;
  if (x->q.zero_point[0] < lo || x->q.zero_point[0] > hi || w->q.zero_point[0] < lo ||
      w->q.zero_point[0] > hi)
    return false;
  if (b && (b->type != TFL_INT32 || !is_const(b) || b->elems != channels ||
            b->data_size < (uint64_t)channels * 4))
    return false;
  return (uint64_t)w->elems <= w->data_size;
}

int avx2_weight(const Tensor *w, int64_t i) {
  return w->type == TFL_INT8 ? (int)(int8_t)w->data[i] : (int)w->data[i];
}

const char *avx2_i16_table(Emit *e, const char *what, const int16_t *v, size_t n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const int16_t %s[%zu] = {", name, n ? n : 1);
  for (size_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 16 ? "," : (i ? ",\n  " : "\n  "), v[i]);
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

const char *avx2_bias_table(Emit *e, const Tensor *b, int channels, int padded) {
  int32_t *v = arena_array(e->a, (size_t)padded, sizeof *v);
  if (!v) {
    errf(e->err, -1, "out of memory");
    return NULL;
  }
  memset(v, 0, (size_t)padded * sizeof *v);
  if (b) memcpy(v, b->data, (size_t)channels * sizeof *v);
  return emit_i32_table(e, "bias_pad", v, (uint32_t)padded);
}

int avx2_kernel(Emit *e, const char *file, const Tensor *x, const ConvQuant *q) {
  bool u8 = x->type == TFL_UINT8;
  bool fp32 = strcmp(q->REQUANT, "REQUANT=mc_requant_fp32") == 0;
  const char *ts = emit_tsuffix(x->type);
  char out[64], widen[64], OUT[72], WIDEN[72];
  snprintf(out, sizeof out, "avx2_out_%s_%s", fp32 ? "fp32" : "scalar", q->inst);
  snprintf(widen, sizeof widen, "avx2_widen_%s", ts);
  snprintf(OUT, sizeof OUT, "OUT=%s", out);
  snprintf(WIDEN, sizeof WIDEN, "WIDEN=%s", widen);
  const char *pack = u8 ? "PACK=_mm_packus_epi16" : "PACK=_mm_packs_epi16";
  if (emit_kernel(e, "avx2_common", "x", NULL) ||
      emit_kernel(e, "avx2_widen", ts, q->X,
                  u8 ? "CVT=_mm256_cvtepu8_epi16" : "CVT=_mm256_cvtepi8_epi16", NULL) ||
      emit_kernel(e, fp32 ? "avx2_out_fp32" : "avx2_out_scalar", q->inst, q->Y, q->QM, q->REQUANT,
                  pack, NULL))
    return -1;
  return emit_kernel(e, file, q->inst, q->X, q->Y, q->QM, OUT, WIDEN, NULL);
}
