/* CONV_2D: float32; int8 with per-channel int8 weights; uint8 with per-tensor uint8 weights;
   int16 with int8 weights and int64 (or int32) bias; hybrid: float32 with int8 weights
   (conv_hybrid.c). Strides, dilation, SAME/VALID padding, grouped filters, batches and the fused
   activation are folded into the call. */
#include "codegen/emit.h"
#include "codegen/ops/avx2.h"
#include "codegen/ops/avx2_f32.h"
#include "codegen/ops/conv_common.h"
#include "codegen/ops/conv_hybrid.h"
#include "codegen/ops/cortexm.h"
#include "codegen/ops/neon.h"

int64_t scratch_conv(const Graph *g, const Op *op, bool *over_in0) {
  return conv_hybrid_scratch(g, op, over_in0);
}

/* Multiply-accumulates of a convolution (for emit_parallel): outputs times filter size. */
static int64_t conv_macs(const Tensor *x, const Tensor *w, const Tensor *y) {
  (void)x;
  return y->elems * w->dims[1] * w->dims[2] * w->dims[3];
}

int gen_conv(Emit *e, const Op *op) {
  if (op->fadd.on) return gen_conv_add(e, op, gen_conv);  /* fuse-residual-add */
  if (conv_vnni_eligible(e, op)) return gen_conv_vnni(e, op);  /* --target x86-64-avx512 */
  if (conv_avx2_eligible(e, op)) return gen_conv_avx2(e, op);  /* --target x86-64-avx2 */
  if (conv_avx2_f32_eligible(e, op)) return gen_conv_avx2_f32(e, op);  /* float32, FMA */
  if (conv_neon_eligible(e, op)) return gen_conv_neon(e, op);  /* --target aarch64-neon */
  if (conv_cm_eligible(e, op)) return gen_conv_cm(e, op);  /* --target cortex-m */
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  int in_h = x->dims[1], in_w = x->dims[2], in_d = x->dims[3];
  int out_d = w->dims[0], k_h = w->dims[1], k_w = w->dims[2], k_d = w->dims[3];
  if (k_d <= 0 || in_d % k_d || out_d % (in_d / k_d))
    return emit_unsupported(e, "filter depth %d does not group %d input channels into %d outputs",
                            k_d, in_d, out_d);
  int pad_h, pad_w;
  conv_pads(op, x, w, &pad_h, &pad_w);
  char geom[256];
  snprintf(geom, sizeof geom, "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d",
           x->dims[0], in_h, in_w, in_d, y->dims[1], y->dims[2], out_d, k_h, k_w, k_d, o->stride_h,
           o->stride_w, o->dilation_h_factor, o->dilation_w_factor, pad_h, pad_w);
  if (conv_is_hybrid(x, w)) {
    if (k_d != in_d) return emit_unsupported(e, "grouped hybrid convolution");
    if (o->dilation_h_factor != 1 || o->dilation_w_factor != 1)
      return emit_unsupported(e, "dilated hybrid convolution");
    ConvHybrid h;
    if (conv_hybrid(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, out_d, &h)) return -1;
    if (conv_hybrid_avx2_eligible(e, op)) return gen_conv_hybrid_avx2(e, op, &h);  /* AVX2 */
    if (emit_kernel(e, "conv_hybrid", h.inst, h.QUANT, NULL)) return -1;
    ef(e, "  conv_hybrid_%s(%s,\n              %s, %s, %s, %s, out0, %s, %s, (int8_t *)scratch);\n"
       "  return 0;\n", h.inst, geom, emit_in(e, 0), emit_in(e, 1), h.w_scale,
       b ? emit_in(e, 2) : "0", emit_f32(e, h.act_min), emit_f32(e, h.act_max));
    return 0;
  }
  if (x->type == TFL_FLOAT32) {
    float lo, hi;
    if (conv_float(e, x, w, b, y, o->fused_activation_function, &lo, &hi)) return -1;
    if (emit_kernel(e, "conv_f32", "f32", NULL)) return -1;
    emit_parallel(e, (int64_t)x->dims[0] * y->dims[1], conv_macs(x, w, y) * EMIT_WORK_GENERIC,
                  "conv_f32(%s,\n             %s, %s, %s, out0, %s, %s, t_, n_)", geom,
                  emit_in(e, 0), emit_in(e, 1), b ? emit_in(e, 2) : "0", emit_f32(e, lo),
                  emit_f32(e, hi));
    ef(e, "  return 0;\n");
    return 0;
  }
  ConvQuant q;
  if (conv_quant(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, out_d, &q)) return -1;
  if (emit_kernel(e, "conv_q", q.inst, q.X, q.W, q.Y, q.B, q.ACC, q.REQUANT, q.QM, NULL)) return -1;
  emit_parallel(e, (int64_t)x->dims[0] * y->dims[1], conv_macs(x, w, y) * EMIT_WORK_GENERIC,
                "conv_%s(%s,\n           %s, %d, %s, %d, %s, out0, %d, %s, %s, %d, %d, t_, n_)",
                q.inst, geom, emit_in(e, 0), q.x_offset, emit_in(e, 1), q.w_offset,
                b ? emit_in(e, 2) : "0", q.y_offset, q.mult, q.shift, q.act_min, q.act_max);
  ef(e, "  return 0;\n");
  return 0;
}
