/* DEPTHWISE_CONV_2D for x86-64-avx2: int8 (per-channel) and uint8 (per-tensor). Depth
   multiplier 1 runs depthwise_conv_avx2_q (horizontal tap pairs), others
   depthwise_conv_avx2_mult_q (tap pairs by unpacking); the weights are packed here into the
   layout each reads; the requantization is conv_quant's, the same tables and arithmetic as the
   generic kernel. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"

typedef struct DwGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w, ring_rows, ring_w, cp;
  /* multiplier 1: column positions of tap pairs are multiples of g, nj of them per row; xr_w
     columns of padded input row; ring rows of cbc 16-channel blocks */
  int g, nj, xr_w, cbc;
} DwGeom;

static int gcd(int a, int b) {
  while (b) {
    int t = a % b;
    a = b, b = t;
  }
  return a;
}

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
  g->cp = (g->out_d + 15) / 16 * 16;
  /* Output ox's pair t starts at column ox * stride_w + 2 * t * dil_w of the padded row. */
  int T = (g->k_w + 1) / 2;
  int jmax = (g->out_w - 1) * o->stride_w + 2 * (T - 1) * o->dilation_w_factor;
  g->g = gcd(o->stride_w, 2 * o->dilation_w_factor);
  g->nj = jmax / g->g + 1;
  g->xr_w = jmax + o->dilation_w_factor + 1;
  if (g->xr_w < g->in_w + g->pad_w) g->xr_w = g->in_w + g->pad_w;
  /* As many channel blocks per ring row as 192 KB of ring holds (at least one). */
  int64_t per_block = (int64_t)g->ring_rows * g->nj * 64;
  int64_t cbc = 192 * 1024 / (per_block ? per_block : 1);
  g->cbc = cbc < 1 ? 1 : cbc > g->cp / 16 ? g->cp / 16 : (int)cbc;
}

static int64_t ring_bytes(const DwGeom *g, bool mult1) {
  if (mult1) return (int64_t)g->ring_rows * g->cbc * g->nj * 64 + (int64_t)g->xr_w * g->cp;
  return (int64_t)(g->ring_rows + 1) * g->ring_w * g->cp * 2;
}

bool depthwise_conv_avx2_eligible(Emit *e, const Op *op) {
  const int mult = depthwise_simd_multiplier(e, op);
  if (!mult) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_q8_operands(e, x, w, b, y, w->dims[3])) return false;
  DwGeom g;
  geometry(e, op, &g);
  if (g.k_h > 64 || (int64_t)g.k_h * g.k_w > 128 || g.ring_rows < 1 || g.out_w < 1) return false;
  return ring_bytes(&g, mult == 1) <= AVX2_STACK_MAX;
}

/* Multiplier 1: weights [16-channel block][fy][t][16][2] as int16 w + w_offset, the second of
   each pair 0 past an odd filter width. */
static int gen_mult1(Emit *e, const Op *op, const DwGeom *g, const ConvQuant *q, const char *kinst) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  const int C = g->out_d, T = (g->k_w + 1) / 2;
  const size_t n = (size_t)g->cp / 16 * g->k_h * T * 32;
  int16_t *pk = calloc(n, sizeof *pk);
  if (!pk) return errf(e->err, -1, "out of memory");
  for (int c = 0; c < C; c++)
    for (int fy = 0; fy < g->k_h; fy++)
      for (int fx = 0; fx < g->k_w; fx++)
        pk[(((size_t)(c / 16) * g->k_h + fy) * T + fx / 2) * 32 + (size_t)(c % 16) * 2 + fx % 2] =
            (int16_t)(pack_weight(w, ((int64_t)fy * g->k_w + fx) * C + c) + q->w_offset);
  const char *wn = pack_i16_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_bias_table(e, b, C, g->cp);
  if (!bn) return -1;
  text_printf(&e->consts,
              "static __attribute__((noinline)) MC_AVX2 void op%u_dw_strip(const int16_t *const *rows, "
              "int fy0, int fy1, int cbl, int cb, %s *yr) {\n"
              "  depthwise_conv_avx2_strip_%s(rows, fy0, fy1, cbl, cb, %d, %d, %d, %d, %d, %d, %d, %s, %s, "
              "%d, %s, %s, %d, %d, %d, yr);\n}\n",
              op->index, emit_ctype(y->type), kinst, g->out_w, g->k_w, o->stride_w,
              o->dilation_w_factor, g->g, g->nj, g->k_h, wn, bn, C, q->mult, q->shift, q->y_offset,
              q->act_min, q->act_max);
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_depthwise_conv_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  int16_t ring[%lld];\n  int tag[%d];\n  %s xr[%lld];\n"
              "  depthwise_conv_avx2_%s(x, y, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, ring, %d, tag, xr, op%u_dw_strip, part, nparts);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type),
              (long long)g->ring_rows * g->cbc * g->nj * 32, g->ring_rows, emit_ctype(x->type),
              (long long)g->xr_w * g->cp, kinst, x->dims[0], g->in_h, g->in_w, C, g->out_h,
              g->out_w, g->k_h, o->stride_h, o->dilation_h_factor, o->dilation_w_factor, g->pad_h,
              g->pad_w, q->x_offset, g->g, g->nj, g->xr_w, g->cbc, g->ring_rows, op->index);
  int64_t rows = (int64_t)x->dims[0] * g->out_h, blocks = g->cp / 16;
  emit_parallel(e, rows > blocks ? rows : blocks, rows * g->out_w * C * g->k_h * g->k_w * EMIT_WORK_AVX2_OTHER,
                "op%u_depthwise_conv_avx2(%s, out0, t_, n_)", op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}

int gen_depthwise_conv_avx2(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflDepthwiseConv2DOptions *o = &op->opt->DepthwiseConv2DOptions;
  DwGeom g;
  geometry(e, op, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_DEPTHWISE, x, w, b, y, o->fused_activation_function, g.out_d, &q))
    return -1;
  char kinst[AVX2_INST_MAX];
  if (g.out_d == g.in_d) {
    if (avx2_kernel(e, "depthwise_conv_avx2_q", x, w, y, g.out_d, &q, NULL, NULL, NULL, NULL,
                    kinst))
      return -1;
    return gen_mult1(e, op, &g, &q, kinst);
  }
  if (avx2_kernel(e, "depthwise_conv_avx2_mult_q", x, w, y, g.out_d, &q, NULL, NULL, NULL, NULL,
                  kinst))
    return -1;
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
      pk[dst] = (int16_t)(pack_weight(w, (int64_t)t * g.out_d + c) + q.w_offset);
    }
  const char *wn = pack_i16_table(e, "wpack", pk, n);
  free(pk);
  const char *bn = avx2_bias_table(e, b, g.out_d, g.cp);
  if (!bn) return -1;
  size_t ring = (size_t)(g.ring_rows + 1) * g.ring_w * g.cp;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_depthwise_conv_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  int16_t ring[%zu];\n  int tag[%d];\n"
              "  depthwise_conv_avx2_mult_%s(x, y, %s, %s, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, ring, %d, %d, tag, part, nparts);\n}\n",
              op->index, emit_ctype(x->type), emit_ctype(y->type), ring, g.ring_rows, kinst, wn,
              bn, q.mult, q.shift, x->dims[0], g.in_h, g.in_w, g.in_d, g.out_h, g.out_w,
              g.out_d / g.in_d, g.k_h, g.k_w, o->stride_h, o->stride_w, o->dilation_h_factor,
              o->dilation_w_factor, g.pad_h, g.pad_w, q.x_offset, q.y_offset, q.act_min,
              q.act_max, g.ring_rows, g.ring_w);
  int64_t rows = (int64_t)x->dims[0] * g.out_h;
  emit_parallel(e, rows, rows * g.out_w * g.out_d * g.k_h * g.k_w * EMIT_WORK_AVX2_OTHER,
                "op%u_depthwise_conv_avx2(%s, out0, t_, n_)", op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
