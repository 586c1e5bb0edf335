/* FULLY_CONNECTED for cortex-m: int8 and uint8, over the raw batch rows
   (fully_connected_cm_q: read in place when the depth is a multiple of the tile's step, 4 or
   16 on Helium). The multipliers are emit_channel_quant's and the requantization mc_requant, as
   in the generic emitter, so the output is bit-identical. */
#include "codegen/ops/cortexm.h"
#include "codegen/ops/quant_params.h"

bool fully_connected_cm_eligible(Emit *e, const Op *op) {
  if (!fully_connected_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!cm_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  const int step = cm_gemm_kp(e, 1);  /* the tile's step: rows padded to a multiple of it */
  return ((int64_t)w->dims[1] + step - 1) / step * step * 2 <= CM_STACK_MAX;
}

int gen_fully_connected_cm(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const int in_d = w->dims[1], out_d = w->dims[0], kp = cm_gemm_kp(e, in_d);
  const int batches = (int)(x->elems / in_d);
  ConvQuant q;
  if (fully_connected_quant(e, op, &q)) return -1;
  const char *tile = cm_mve(e) ? "cm_mve_tile" : "fully_connected_cm_tile";
  if (cm_kernel(e, "fully_connected_cm_q", tile, x, &q)) return -1;
  const char *wn, *bn;
  if (cm_gemm_tables(e, w, b, out_d, in_d, kp, q.x_offset, q.w_offset, false, &wn, &bn)) return -1;
  const char *ct = emit_ctype(x->type);
  text_printf(&e->consts,
              "static void op%u_fully_connected_cm(const %s *x, %s *y) {\n"
              "  %s a[%d];\n"
              "  fully_connected_cm_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "a);\n}\n",
              op->index, ct, emit_ctype(y->type), ct, kp == in_d ? 4 : 2 * kp, q.inst, wn, bn,
              q.mult, q.shift, batches, in_d, out_d, -q.x_offset, q.w_offset, q.y_offset, q.act_min,
              q.act_max, kp);
  ef(e, "  op%u_fully_connected_cm(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
