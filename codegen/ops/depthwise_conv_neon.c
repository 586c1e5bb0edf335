/* DEPTHWISE_CONV_2D for aarch64-neon: int8 (per-channel) and uint8 (per-tensor), depth
   multiplier 1. The weights are packed here as int16 w + w_offset, [tap][channel padded to 8],
   the layout depthwise_conv_neon_q reads; the requantization is conv_quant's, the same tables
   and function as the generic kernel. */
#include <stdlib.h>

#include "codegen/ops/neon.h"

bool depthwise_conv_neon_eligible(Emit *e, const Op *op) {
  if (depthwise_simd_multiplier(e, op) != 1) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  return neon_q8_operands(e, x, w, b, y, w->dims[3]);
}

int gen_depthwise_conv_neon(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  const int in_h = x->dims[1], in_w = x->dims[2], in_d = x->dims[3];
  const int k_h = w->dims[1], k_w = w->dims[2], cp = (in_d + 7) / 8 * 8;
  int pad_h, pad_w;
  conv_pads(op, x, w, &pad_h, &pad_w);
  ConvQuant q;
  if (conv_quant(e, CONV_DEPTHWISE, x, w, b, y, o->fused_activation_function, in_d, &q))
    return -1;
  if (neon_kernel(e, "depthwise_conv_neon_q", x, &q)) return -1;
  const int taps = k_h * k_w;
  const size_t n = (size_t)taps * cp;
  int16_t *pk = calloc(n ? n : 1, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int t = 0; t < taps; t++)
    for (int c = 0; c < in_d; c++)
      pk[(size_t)t * cp + c] = (int16_t)(pack_weight(w, (int64_t)t * in_d + c) + q.w_offset);
  const char *wn = pack_i16_table(e, "wpack", pk, n);
  free(pk);
  if (!wn) return -1;
  const char *bn = neon_bias_table(e, b, in_d, cp);
  if (!bn) return -1;
  text_printf(&e->consts,
              "static void op%u_depthwise_conv_neon(const %s *x, %s *y) {\n"
              "  depthwise_conv_neon_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, %d, %d);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type), q.inst, wn, bn, q.mult,
              q.shift, x->dims[0], in_h, in_w, in_d, y->dims[1], y->dims[2], k_h, k_w,
              o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor, pad_h, pad_w,
              q.x_offset, q.y_offset, q.act_min, q.act_max);
  ef(e, "  op%u_depthwise_conv_neon(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
