/* FULLY_CONNECTED for x86-64-avx2, float32: the weights are packed here as blocks of 8 outputs,
   input by input ([block][in_d][8], zero-padded outputs); one wrapper per layer passes every
   shape as a literal to the always-inlined kernel. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2_f32.h"
#include "codegen/ops/conv_common.h"

bool fully_connected_avx2_f32_eligible(Emit *e, const Op *op) {
  if (!fully_connected_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_f32_operands(e, x, w, b, y, w->dims[0])) return false;
  const TflFullyConnectedOptions *o = &op->opt->FullyConnectedOptions;
  float lo, hi;
  return !quant_act_range_f32(o->fused_activation_function, &lo, &hi);
}

int gen_fully_connected_avx2_f32(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2);
  const TflFullyConnectedOptions *o = &op->opt->FullyConnectedOptions;
  int in_d = w->dims[1], out_d = w->dims[0];
  int64_t batches = x->elems / in_d;
  float lo, hi;
  if (quant_act_range_f32(o->fused_activation_function, &lo, &hi))
    return emit_unsupported(e, "activation %d", o->fused_activation_function);
  if (avx2_f32_kernel(e, "fully_connected_avx2_f32")) return -1;
  const int nblk = (out_d + 7) / 8;
  const size_t n = (size_t)nblk * in_d * 8;
  float *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < out_d; oc++)
    for (int i = 0; i < in_d; i++)
      pk[((size_t)(oc / 8) * in_d + i) * 8 + oc % 8] = avx2_f32_at(w, (int64_t)oc * in_d + i);
  const char *wn = avx2_f32_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_f32_bias(e, b, out_d, nblk * 8);
  if (!bn) return -1;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_fully_connected_avx2(const float *x, float *y, int part, int nparts) {\n"
              "  fully_connected_avx2_f32(x, y, %s, %s, %lld, %d, %d, %s, %s, part, nparts);\n}\n",
              op->index, wn, bn, (long long)batches, in_d, out_d, emit_f32(e, lo), emit_f32(e, hi));
  emit_parallel(e, nblk, batches * in_d * out_d * EMIT_WORK_AVX2_OTHER,
                "op%u_fully_connected_avx2(%s, out0, t_, n_)", op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
