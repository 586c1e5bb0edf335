/* CONV_2D for cortex-m: int8 (per-channel) and uint8 (per-tensor) with groups == 1, as the GEMM
   conv_cm_q computes. The weights are packed here into rows of the flattened filter and the
   zero-point terms folded into the bias (cm_gemm_tables); the requantization is conv_quant's,
   the same tables and function as the generic kernel, so the output is bit-identical to it. One
   wrapper per layer passes every shape as a literal to the always-inlined kernel and holds its
   two im2col rows on the stack (int16 for the DSP tile, the raw bytes for Helium's). */
#include "codegen/ops/cortexm.h"

typedef struct Geom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w, k, kp;
} Geom;

static void geometry(const Emit *e, const Op *op, const Tensor *x, const Tensor *w,
                     const Tensor *y, Geom *g) {
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[0];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  conv_pads(op, x, w, &g->pad_h, &g->pad_w);
  g->k = g->k_h * g->k_w * g->in_d;
  g->kp = cm_gemm_kp(e, g->k);
}

bool conv_cm_eligible(Emit *e, const Op *op) {
  if (!conv_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!cm_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  int64_t k = (int64_t)w->dims[1] * w->dims[2] * w->dims[3];
  return k >= 1 && (k + 3) / 4 * 4 * 4 <= CM_STACK_MAX;
}

int gen_conv_cm(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  Geom g;
  geometry(e, op, x, w, y, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, g.out_d, &q)) return -1;
  const bool mve = cm_mve(e);
  if (cm_kernel(e, "conv_cm_q", mve ? "cm_mve_tile" : "conv_cm_tile", x, &q)) return -1;
  const char *wn, *bn;
  if (cm_gemm_tables(e, w, b, g.out_d, g.k, g.kp, q.x_offset, q.w_offset, !mve, &wn, &bn))
    return -1;
  text_printf(&e->consts,
              "static void op%u_conv_cm(const %s *x, %s *y) {\n"
              "  %s a[%d];\n"
              "  conv_cm_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, %d, %d, a);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type),
              mve ? emit_ctype(x->type) : "int16_t", 2 * g.kp, q.inst, wn, bn,
              q.mult, q.shift, x->dims[0], g.in_h, g.in_w, g.in_d, g.out_h, g.out_w, g.out_d, g.k_h, g.k_w,
              o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor, g.pad_h,
              g.pad_w, -q.x_offset, q.w_offset, q.y_offset, q.act_min, q.act_max, g.kp);
  ef(e, "  op%u_conv_cm(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
