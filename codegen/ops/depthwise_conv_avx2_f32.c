/* DEPTHWISE_CONV_2D for x86-64-avx2, float32, any depth multiplier: the weights are packed here
   as [tap][channels rounded up to 8], zero-padded; one wrapper per layer passes every shape as a
   literal to the always-inlined kernel and keeps the ring of padded, channel-expanded rows on
   its stack. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/avx2_f32.h"
#include "codegen/ops/conv_common.h"

typedef struct DwGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w, ring_rows, ring_w, cp;
} DwGeom;

static void geometry(const Emit *e, const Op *op, DwGeom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[3];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  conv_pads(op, x, w, &g->pad_h, &g->pad_w);
  int extent = (g->k_h - 1) * o->dilation_h_factor + 1;
  g->ring_rows = extent < g->in_h ? extent : g->in_h;
  int need = (g->out_w - 1) * o->stride_w + (g->k_w - 1) * o->dilation_w_factor + 1;
  g->ring_w = need > g->in_w + g->pad_w ? need : g->in_w + g->pad_w;
  g->cp = (g->out_d + 7) / 8 * 8;
}

bool depthwise_conv_avx2_f32_eligible(Emit *e, const Op *op) {
  if (!depthwise_simd_multiplier(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_f32_operands(e, x, w, b, y, w->dims[3])) return false;
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  float lo, hi;
  if (quant_act_range_f32(o->fused_activation_function, &lo, &hi)) return false;
  DwGeom g;
  geometry(e, op, &g);
  if (g.k_h > 64 || g.ring_rows < 1 || g.out_w < 1) return false;
  return (int64_t)g.ring_rows * g.ring_w * g.cp * 4 <= AVX2_STACK_MAX;
}

int gen_depthwise_conv_avx2_f32(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  DwGeom g;
  geometry(e, op, &g);
  float lo, hi;
  if (conv_float(e, x, w, b, y, o->fused_activation_function, &lo, &hi)) return -1;
  if (avx2_f32_kernel(e, "depthwise_conv_avx2_f32")) return -1;
  const int taps = g.k_h * g.k_w;
  const size_t n = (size_t)taps * g.cp;
  float *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int t = 0; t < taps; t++)
    for (int c = 0; c < g.out_d; c++) pk[(size_t)t * g.cp + c] = avx2_f32_at(w, (int64_t)t * g.out_d + c);
  const char *wn = avx2_f32_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_f32_bias(e, b, g.out_d, g.cp);
  if (!bn) return -1;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_depthwise_conv_avx2(const float *x, float *y, int part, int nparts) {\n"
              "  float ring[%zu];\n  int tag[%d];\n"
              "  depthwise_conv_avx2_f32(x, y, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %s, %s, ring, %d, %d, tag, part, nparts);\n}\n",
              op->index, (size_t)g.ring_rows * g.ring_w * g.cp, g.ring_rows, wn, bn, x->dims[0],
              g.in_h, g.in_w, g.in_d, g.out_h, g.out_w, g.out_d / g.in_d, g.k_h, g.k_w,
              o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor, g.pad_h,
              g.pad_w, emit_f32(e, lo), emit_f32(e, hi), g.ring_rows, g.ring_w);
  const int64_t pixels = (int64_t)x->dims[0] * g.out_h * g.out_w;
  emit_parallel(e, pixels, pixels * g.out_d * taps * EMIT_WORK_AVX2_OTHER,
                "op%u_depthwise_conv_avx2(%s, out0, t_, n_)", op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
