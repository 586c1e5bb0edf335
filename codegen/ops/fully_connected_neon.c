/* FULLY_CONNECTED for aarch64-neon: int8 and uint8, as a 1x1 convolution over the batch rows
   (conv_neon_q: rows in place when the depth is a multiple of 16). The multipliers are
   emit_channel_quant's and the requantization mc_requant, as in the generic emitter, so the
   output is bit-identical. */
#include "codegen/ops/neon.h"
#include "codegen/ops/quant_params.h"

bool fully_connected_neon_eligible(Emit *e, const Op *op) {
  if (!fully_connected_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!neon_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  return ((int64_t)w->dims[1] + 15) / 16 * 16 * 4 <= NEON_STACK_MAX;
}

int gen_fully_connected_neon(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const int in_d = w->dims[1], out_d = w->dims[0], kp = (in_d + 15) / 16 * 16;
  const int batches = (int)(x->elems / in_d);
  ConvQuant q;
  if (fully_connected_quant(e, op, &q)) return -1;
  if (neon_kernel(e, "conv_neon_q", x, &q)) return -1;
  const char *wn, *bn;
  if (neon_gemm_tables(e, w, b, out_d, in_d, kp, q.x_offset, q.w_offset, &wn, &bn)) return -1;
  const int direct = kp == in_d, mb = batches < 4 ? 4 : batches < 64 ? (batches + 3) / 4 * 4 : 64;
  const char *ct = emit_ctype(x->type);
  text_printf(&e->consts,
              "static %s void op%u_fully_connected_neon(const %s *x, %s *y) {\n"
              "  %s a[%d];\n  int32_t rsum[%d];\n"
              "  conv_neon_%s(x, y, %s, %s, %s, %s, 1, 1, %d, %d, 1, %d, %d, 1, 1, 1, 1, 1, 1, 0, 0, "
              "%d, %d, %d, %d, %d, %d, %d, %d, a, rsum);\n}\n",
              neon_fn_attr(e), op->index, ct, emit_ctype(y->type), ct, direct ? 1 : mb * kp, mb,
              q.inst, wn, bn, q.mult, q.shift, batches, in_d, batches, out_d, -q.x_offset, q.w_offset,
              q.y_offset, q.act_min, q.act_max, kp, direct, mb);
  ef(e, "  op%u_fully_connected_neon(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
