/* CONV_2D for aarch64-neon: int8 (per-channel) and uint8 (per-tensor) with groups == 1, as the
   GEMM conv_neon_q computes. The weights are packed here into rows of the flattened filter and
   the zero-point terms folded into the bias (neon_gemm_tables); the requantization is
   conv_quant's, the same tables and function as the generic kernel, so the output is
   bit-identical to it. One wrapper per layer passes every shape as a literal to the
   always-inlined kernel. */
#include "codegen/ops/neon.h"

typedef struct Geom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w, k, kp, direct, mb;
} Geom;

static void geometry(const Emit *e, const Op *op, Geom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[0];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  conv_pads(op, x, w, &g->pad_h, &g->pad_w);
  g->k = g->k_h * g->k_w * g->in_d;
  g->kp = (g->k + 15) / 16 * 16;
  /* The input pixels are the rows themselves: 1x1, stride 1, no padding, a depth of 16s. */
  g->direct = g->k_h == 1 && g->k_w == 1 && o->stride_h == 1 && o->stride_w == 1 &&
              g->pad_h == 0 && g->pad_w == 0 && g->kp == g->k && g->out_h == g->in_h &&
              g->out_w == g->in_w;
  /* Rows per block: about 32 KiB of them (a weight block then serves all), 4 at least. */
  int mb = 32768 / g->kp;
  g->mb = mb < 4 ? 4 : mb > 256 ? 256 : mb / 4 * 4;
}

bool conv_neon_eligible(Emit *e, const Op *op) {
  if (!conv_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!neon_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  int64_t k = (int64_t)w->dims[1] * w->dims[2] * w->dims[3];
  return k >= 1 && ((k + 15) / 16 * 16) * 4 <= NEON_STACK_MAX;
}

int gen_conv_neon(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  Geom g;
  geometry(e, op, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, g.out_d, &q)) return -1;
  if (neon_kernel(e, "conv_neon_q", x, &q)) return -1;
  const char *wn, *bn;
  if (neon_gemm_tables(e, w, b, g.out_d, g.k, g.kp, q.x_offset, q.w_offset, &wn, &bn)) return -1;
  const char *ct = emit_ctype(x->type);
  text_printf(&e->consts,
              "static %s void op%u_conv_neon(const %s *x, %s *y) {\n"
              "  %s a[%d];\n  int32_t rsum[%d];\n"
              "  conv_neon_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, a, rsum);\n}\n",
              neon_fn_attr(e), op->index, ct, emit_ctype(y->type), ct,
              g.direct ? 1 : g.mb * g.kp, g.mb, q.inst, wn, bn, q.mult, q.shift, x->dims[0],
              g.in_h, g.in_w, g.in_d, g.out_h, g.out_w, g.out_d, g.k_h, g.k_w, o->stride_h,
              o->stride_w, o->dilation_h_factor, o->dilation_w_factor, g.pad_h, g.pad_w,
              -q.x_offset, q.w_offset, q.y_offset, q.act_min, q.act_max, g.kp, g.direct, g.mb);
  ef(e, "  op%u_conv_neon(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
