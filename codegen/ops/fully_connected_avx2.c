/* FULLY_CONNECTED for x86-64-avx2: int8 and uint8. The weights are packed here as blocks of 8
   outputs with input pairs interleaved; the multipliers are emit_channel_quant's and the
   requantization mc_requant's arithmetic (avx2_out.c), as in the generic emitter, so the output is
   bit-identical. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/quant_params.h"

bool fully_connected_avx2_eligible(Emit *e, const Op *op) {
  if (!fully_connected_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  return (int64_t)w->dims[1] * 2 + 2 <= AVX2_STACK_MAX;
}

int gen_fully_connected_avx2(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  int in_d = w->dims[1], out_d = w->dims[0];
  int64_t batches = x->elems / in_d;
  ConvQuant q;
  if (fully_connected_quant(e, op, &q)) return -1;
  char kinst[AVX2_INST_MAX];
  if (avx2_kernel(e, "fully_connected_avx2_q", x, w, y, out_d, &q, NULL, NULL, NULL, NULL, kinst))
    return -1;
  const int kp = (in_d + 1) / 2, nblk = (out_d + 7) / 8;
  const size_t n = (size_t)nblk * kp * 16;
  int16_t *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < out_d; oc++)
    for (int i = 0; i < in_d; i++)
      pk[(((size_t)(oc / 8) * kp + i / 2) * 8 + oc % 8) * 2 + i % 2] =
          (int16_t)(pack_weight(w, (int64_t)oc * in_d + i) + q.w_offset);
  const char *wn = pack_i16_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_bias_table(e, b, out_d, nblk * 8);
  if (!bn) return -1;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_fully_connected_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  int16_t xw[%d];\n"
              "  fully_connected_avx2_%s(x, y, %s, %s, %s, %s, %lld, %d, %d, %d, %d, %d, %d, xw, part, nparts);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type), 2 * kp, kinst, wn, bn, q.mult,
              q.shift, (long long)batches, in_d, out_d, q.x_offset, q.y_offset, q.act_min,
              q.act_max);
  emit_parallel(e, (nblk + 3) / 4, batches * in_d * out_d * EMIT_WORK_AVX2_OTHER,
                "op%u_fully_connected_avx2(%s, out0, t_, n_)",
                op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
