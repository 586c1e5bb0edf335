#include "codegen/ops/pack.h"

#include <stdlib.h>
#include <string.h>

static bool is_const(const Tensor *t) { return t->data && !t->is_variable; }

bool pack_q8_operands(const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels) {
  bool s8 = x->type == TFL_INT8 && w->type == TFL_INT8 && y->type == TFL_INT8;
  bool u8 = x->type == TFL_UINT8 && w->type == TFL_UINT8 && y->type == TFL_UINT8;
  if (!(s8 || u8) || !x->q.n || !w->q.n || !y->q.n || !is_const(w)) return false;
  int64_t lo = s8 ? -128 : 0, hi = s8 ? 127 : 255;
  if (x->q.zero_point[0] < lo || x->q.zero_point[0] > hi || w->q.zero_point[0] < lo ||
      w->q.zero_point[0] > hi)
    return false;
  if (b && (b->type != TFL_INT32 || !is_const(b) || b->elems != channels ||
            b->data_size < (uint64_t)channels * 4))
    return false;
  return (uint64_t)w->elems <= w->data_size;
}

int pack_weight(const Tensor *w, int64_t i) {
  return w->type == TFL_INT8 ? (int)(int8_t)w->data[i] : (int)w->data[i];
}

const char *pack_table(Emit *e, const char *ctype, const char *what, const int32_t *v, size_t n) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const %s %s[%zu] = {", ctype, name, n ? n : 1);
  for (size_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 16 ? "," : (i ? ",\n  " : "\n  "), (int)v[i]);
  if (!n) text_printf(&e->consts, "0");  /* C99 has no empty initializer */
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

const char *pack_i16_table(Emit *e, const char *what, const int16_t *v, size_t n) {
  int32_t *t = malloc((n ? n : 1) * sizeof *t);
  if (!t) return errf(e->err, -1, "out of memory"), NULL;
  for (size_t i = 0; i < n; i++) t[i] = v[i];
  const char *name = pack_table(e, "int16_t", what, t, n);
  free(t);
  return name;
}

int pack_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, const PackGemm *p,
                     const char **wname, const char **bname) {
  const int ocp = (p->out_d + p->oc_block - 1) / p->oc_block * p->oc_block;
  const size_t n = (size_t)ocp * p->kp;
  int32_t *pk = calloc(n ? n : 1, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < p->out_d; oc++)
    for (int i = 0; i < p->kp; i++)
      pk[(size_t)oc * p->kp + (p->slot ? p->slot(i) : i)] =
          i < p->k ? pack_weight(w, (int64_t)oc * p->k + i) : p->pad;
  *wname = pack_table(e, w->type == TFL_INT8 ? "int8_t" : "uint8_t", "wpack", pk, n);
  free(pk);
  *bname = pack_gemm_bias(e, w, b, p);
  return *wname && *bname ? 0 : -1;
}

const char *pack_gemm_bias(Emit *e, const Tensor *w, const Tensor *b, const PackGemm *p) {
  const int ocp = (p->out_d + p->oc_block - 1) / p->oc_block * p->oc_block;
  int32_t *bias = calloc((size_t)ocp, sizeof *bias);
  if (!bias) return errf(e->err, -1, "out of memory"), NULL;
  for (int oc = 0; oc < p->out_d; oc++) {
    int64_t sum = 0;
    for (int i = 0; i < p->kp; i++) sum += i < p->k ? pack_weight(w, (int64_t)oc * p->k + i) : p->pad;
    int32_t b0 = 0;
    if (b) memcpy(&b0, b->data + (size_t)oc * 4, 4);
    uint64_t f = (uint64_t)(int64_t)b0 + (uint64_t)((int64_t)p->x_offset * sum) +
                 (uint64_t)((int64_t)p->kp * p->x_offset * p->w_offset);
    bias[oc] = (int32_t)(uint32_t)f;
  }
  const char *name = pack_table(e, "int32_t", "bias_fold", bias, (size_t)ocp);
  free(bias);
  return name;
}
