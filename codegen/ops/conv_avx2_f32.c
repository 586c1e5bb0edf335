/* CONV_2D for x86-64-avx2, float32 with groups == 1: the weights are packed here into the layout
   conv_avx2_f32 reads ([block of 8 outputs][fy][fx][in_d][8]); one wrapper per layer passes
   every shape as a literal to the always-inlined kernel and keeps the padded-row ring on its
   stack. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/avx2_f32.h"
#include "codegen/ops/conv_common.h"

typedef struct ConvGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w;
  int ring_rows, ring_w;
  bool direct;  /* no column of any window outside the input: rows are read in place */
} ConvGeom;

static void geometry(const Emit *e, const Op *op, ConvGeom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[0];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  conv_pads(op, x, w, &g->pad_h, &g->pad_w);
  /* Rows a window spans are distinct modulo its extent (or the input height). */
  int extent = (g->k_h - 1) * o->dilation_h_factor + 1;
  g->ring_rows = extent < g->in_h ? extent : g->in_h;
  int need = (g->out_w - 1) * o->stride_w + (g->k_w - 1) * o->dilation_w_factor + 1;
  g->ring_w = need > g->in_w + g->pad_w ? need : g->in_w + g->pad_w;
  g->direct = g->pad_w == 0 && need <= g->in_w;
}

bool conv_avx2_f32_eligible(Emit *e, const Op *op) {
  if (!conv_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_f32_operands(e, x, w, b, y, w->dims[0])) return false;
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  float lo, hi;
  if (quant_act_range_f32(o->fused_activation_function, &lo, &hi)) return false;
  ConvGeom g;
  geometry(e, op, &g);
  if (g.k_h > 64 || g.ring_rows < 1 || g.out_w < 1) return false;
  return g.direct || (int64_t)g.ring_rows * g.ring_w * g.in_d * 4 <= AVX2_STACK_MAX;
}

int gen_conv_avx2_f32(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  ConvGeom g;
  geometry(e, op, &g);
  float lo, hi;
  if (conv_float(e, x, w, b, y, o->fused_activation_function, &lo, &hi)) return -1;
  if (avx2_f32_kernel(e, "conv_avx2_f32")) return -1;
  const int nblk = (g.out_d + 7) / 8;
  const size_t n = (size_t)nblk * g.k_h * g.k_w * g.in_d * 8;
  float *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < g.out_d; oc++)
    for (int t = 0; t < g.k_h * g.k_w; t++)
      for (int ic = 0; ic < g.in_d; ic++) {
        int64_t src = ((int64_t)oc * g.k_h * g.k_w + t) * g.in_d + ic;
        size_t dst = (((size_t)(oc / 8) * g.k_h * g.k_w + t) * g.in_d + ic) * 8 + oc % 8;
        pk[dst] = avx2_f32_at(w, src);
      }
  const char *wn = avx2_f32_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_f32_bias(e, b, g.out_d, nblk * 8);
  if (!bn) return -1;
  /* A 1x1 filter at stride 1 without padding reads and writes pixels in the same order: the
     batches and rows are one row of pixels, so the pixel tiles run across row ends. */
  int batches = x->dims[0];
  if (g.k_h == 1 && g.k_w == 1 && o->stride_h == 1 && o->stride_w == 1 && g.pad_h == 0 &&
      g.direct && g.out_h == g.in_h && g.out_w == g.in_w) {
    g.in_w = g.out_w = batches * g.in_h * g.in_w;
    g.in_h = g.out_h = 1, batches = 1;
  }
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_conv_avx2(const float *x, float *y, int part, int nparts) {\n",
              op->index);
  if (g.direct)
    text_printf(&e->consts, "  float *ring = 0;\n  int *tag = 0;\n");
  else
    text_printf(&e->consts, "  float ring[%zu];\n  int tag[%d];\n",
                (size_t)g.ring_rows * g.ring_w * g.in_d, g.ring_rows);
  text_printf(&e->consts,
              "  conv_avx2_f32(x, y, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %s, %s, ring, %d, %d, tag, part, nparts);\n}\n",
              wn, bn, batches, g.in_h, g.in_w, g.in_d, g.out_h, g.out_w, g.out_d, g.k_h, g.k_w,
              o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor, g.pad_h,
              g.pad_w, emit_f32(e, lo), emit_f32(e, hi), g.ring_rows, g.ring_w);
  /* FMA tiles run at about half the int8 convolution's multiply-accumulates per cycle. */
  const int64_t pixels = (int64_t)batches * g.out_h * g.out_w;
  emit_parallel(e, pixels, pixels * g.out_d * g.k_h * g.k_w * g.in_d * 2,
                "op%u_conv_avx2(%s, out0, t_, n_)", op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
