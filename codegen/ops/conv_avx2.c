/* CONV_2D for x86-64-avx2: int8 (per-channel) and uint8 (per-tensor) with groups == 1. The
   weights are packed here into the layout conv_avx2_q reads; the requantization is conv_quant's,
   the same tables and function as the generic kernel, so the output is bit-identical to it. One
   wrapper per layer passes every shape as a literal to the always-inlined kernel. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"

typedef struct ConvGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w;
  int ring_rows, ring_w;
} ConvGeom;

static void geometry(const Emit *e, const Op *op, ConvGeom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[0];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  g->pad_h = conv_padding(o->padding, o->stride_h, o->dilation_h_factor, g->in_h, g->k_h, NULL);
  g->pad_w = conv_padding(o->padding, o->stride_w, o->dilation_w_factor, g->in_w, g->k_w, NULL);
  /* Rows a window spans are distinct modulo its extent (or the input height). */
  int extent = (g->k_h - 1) * o->dilation_h_factor + 1;
  g->ring_rows = extent < g->in_h ? extent : g->in_h;
  int need = (g->out_w - 1) * o->stride_w + (g->k_w - 1) * o->dilation_w_factor + 1;
  g->ring_w = need > g->in_w + g->pad_w ? need : g->in_w + g->pad_w;
}

bool conv_avx2_eligible(Emit *e, const Op *op) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (x->rank != 4 || w->rank != 4 || y->rank != 4) return false;
  if (!avx2_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  if (w->dims[3] != x->dims[3] || y->dims[3] != w->dims[0]) return false;  /* groups == 1 */
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  if (o->stride_h < 1 || o->stride_w < 1 || o->dilation_h_factor < 1 || o->dilation_w_factor < 1)
    return false;
  ConvGeom g;
  geometry(e, op, &g);
  if (g.k_h > 64 || g.ring_rows < 1 || g.out_w < 1) return false;
  int64_t ring = (int64_t)g.ring_rows * g.ring_w * ((g.in_d + 1) / 2) * 2 * 2;
  return ring <= AVX2_STACK_MAX;
}

int gen_conv_avx2(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  ConvGeom g;
  geometry(e, op, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, g.out_d, &q)) return -1;
  if (avx2_kernel(e, "conv_avx2_q", x, &q)) return -1;
  /* [block of 8 outputs][fy][fx][in_d / 2][8][2], w + w_offset, zero-padded. */
  const int kp = (g.in_d + 1) / 2, nblk = (g.out_d + 7) / 8;
  const size_t n = (size_t)nblk * g.k_h * g.k_w * kp * 16;
  int16_t *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < g.out_d; oc++)
    for (int fy = 0; fy < g.k_h; fy++)
      for (int fx = 0; fx < g.k_w; fx++)
        for (int ic = 0; ic < g.in_d; ic++) {
          int64_t src = (((int64_t)oc * g.k_h + fy) * g.k_w + fx) * g.in_d + ic;
          size_t dst = ((((size_t)(oc / 8) * g.k_h + fy) * g.k_w + fx) * kp + ic / 2) * 16 +
                       (size_t)(oc % 8) * 2 + ic % 2;
          pk[dst] = (int16_t)(avx2_weight(w, src) + q.w_offset);
        }
  const char *wn = avx2_i16_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_bias_table(e, b, g.out_d, nblk * 8);
  if (!bn) return -1;
  size_t ring = (size_t)g.ring_rows * g.ring_w * kp * 2;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_conv_avx2(const %s *x, %s *y) {\n"
              "  int16_t ring[%zu];\n  int tag[%d];\n"
              "  conv_avx2_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, ring, %d, %d, tag);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type), ring, g.ring_rows, q.inst, wn,
              bn, q.mult, q.shift, x->dims[0], g.in_h, g.in_w, g.in_d, g.out_h, g.out_w, g.out_d,
              g.k_h, g.k_w, o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor,
              g.pad_h, g.pad_w, q.x_offset, q.y_offset, q.act_min, q.act_max, g.ring_rows,
              g.ring_w);
  ef(e, "  op%u_conv_avx2(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
