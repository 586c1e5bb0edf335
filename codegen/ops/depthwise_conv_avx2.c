/* DEPTHWISE_CONV_2D for x86-64-avx2: int8 (per-channel) and uint8 (per-tensor), any depth
   multiplier. The weights are packed here into the tap-pair layout depthwise_conv_avx2_q reads;
   the requantization is conv_quant's, the same tables and function as the generic kernel. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"

typedef struct DwGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w, ring_rows, ring_w, cp;
} DwGeom;

static void geometry(const Emit *e, const Op *op, DwGeom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[3];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  g->pad_h = conv_padding(o->padding, o->stride_h, o->dilation_h_factor, g->in_h, g->k_h, NULL);
  g->pad_w = conv_padding(o->padding, o->stride_w, o->dilation_w_factor, g->in_w, g->k_w, NULL);
  int extent = (g->k_h - 1) * o->dilation_h_factor + 1;
  g->ring_rows = extent < g->in_h ? extent : g->in_h;
  int need = (g->out_w - 1) * o->stride_w + (g->k_w - 1) * o->dilation_w_factor + 1;
  g->ring_w = need > g->in_w + g->pad_w ? need : g->in_w + g->pad_w;
  g->cp = (g->out_d + 15) / 16 * 16;
}

bool depthwise_conv_avx2_eligible(Emit *e, const Op *op) {
  if (op->nin < 2 || op->in[0] < 0 || op->in[1] < 0) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (x->rank != 4 || w->rank != 4 || y->rank != 4 || w->dims[0] != 1) return false;
  if (!avx2_q8_operands(e, x, w, b, y, w->dims[3])) return false;
  int in_d = x->dims[3], out_d = w->dims[3];
  if (in_d <= 0 || out_d % in_d || y->dims[3] != out_d) return false;
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  if (o->depth_multiplier != 0 && o->depth_multiplier != out_d / in_d) return false;
  if (o->stride_h < 1 || o->stride_w < 1 || o->dilation_h_factor < 1 || o->dilation_w_factor < 1)
    return false;
  DwGeom g;
  geometry(e, op, &g);
  if (g.k_h > 64 || (int64_t)g.k_h * g.k_w > 128 || g.ring_rows < 1 || g.out_w < 1) return false;
  int64_t ring = (int64_t)(g.ring_rows + 1) * g.ring_w * g.cp * 2;
  return ring <= AVX2_STACK_MAX;
}

int gen_depthwise_conv_avx2(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  DwGeom g;
  geometry(e, op, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_DEPTHWISE, x, w, b, y, o->fused_activation_function, g.out_d, &q))
    return -1;
  if (avx2_kernel(e, "depthwise_conv_avx2_q", x, &q)) return -1;
  /* [16-channel block][tap pair j][lo 16][hi 16]: within a 128-bit lane L, unpacklo holds
     channels 8L+0..3 and unpackhi 8L+4..7, each as (tap 2j, tap 2j+1). */
  const int taps = g.k_h * g.k_w, pairs = (taps + 1) / 2;
  const size_t n = (size_t)g.cp / 16 * pairs * 32;
  int16_t *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int c = 0; c < g.out_d; c++)
    for (int t = 0; t < taps; t++) {
      int in16 = c % 16, lane = in16 / 8, half = in16 % 8 / 4, i = in16 % 4;
      size_t dst = ((size_t)(c / 16) * pairs + t / 2) * 32 + (size_t)half * 16 + lane * 8 + i * 2 +
                   t % 2;
      pk[dst] = (int16_t)(avx2_weight(w, (int64_t)t * g.out_d + c) + q.w_offset);
    }
  const char *wn = avx2_i16_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_bias_table(e, b, g.out_d, g.cp);
  if (!bn) return -1;
  size_t ring = (size_t)(g.ring_rows + 1) * g.ring_w * g.cp;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_depthwise_conv_avx2(const %s *x, %s *y) {\n"
              "  int16_t ring[%zu];\n  int tag[%d];\n"
              "  depthwise_conv_avx2_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, ring, %d, %d, tag);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type), ring, g.ring_rows, q.inst, wn,
              bn, q.mult, q.shift, x->dims[0], g.in_h, g.in_w, g.in_d, g.out_h, g.out_w,
              g.out_d / g.in_d, g.k_h, g.k_w, o->stride_h, o->stride_w, o->dilation_h_factor,
              o->dilation_w_factor, g.pad_h, g.pad_w, q.x_offset, q.y_offset, q.act_min,
              q.act_max, g.ring_rows, g.ring_w);
  ef(e, "  op%u_depthwise_conv_avx2(%s, out0);\n  return 0;\n", op->index, emit_in(e, 0));
  return 0;
}
