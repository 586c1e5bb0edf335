/* CONV_2D for x86-64-avx2: int8 (per-channel) and uint8 (per-tensor) with groups == 1, as the
   GEMM of conv_avx2_q, or for a short filter row with few weights (the 3-channel first layers)
   as conv_avx2_direct_q's GEMM on the input rows in place. The weights are packed here, one byte
   each or as int16 when few, into the layout the kernel reads; the requantization is
   conv_quant's, the same tables and arithmetic as the generic kernel, so the output is
   bit-identical to it. One wrapper per layer passes every shape as a literal to the
   always-inlined kernel. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/binary.h"

typedef struct ConvGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w;
  int64_t m;        /* output pixels */
  int k, kp;        /* filter length, its pairs (as packed) */
  int tp, kg, mb;   /* tile pixels, tile blocks of 8 channels, pixels per im2col block */
  bool direct;      /* conv_avx2_direct_q: */
  int seg, rs;      /* pairs per filter row, window row length */
} ConvGeom;

/* Bytes of im2col buffer a block may take (64 KB: with the weights it stays in L2); packed
   weights up to which they are int16; the longest filter row the direct form takes. */
enum { CONV_A_BYTES = 64 * 1024, CONV_W16_MAX = 16 * 1024, CONV_DIRECT_RUN = 16 };

/* allow_direct: whether the direct form may be chosen (its driver has no fused ADD). */
static void geometry(const Emit *e, const Op *op, bool allow_direct, ConvGeom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[0];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  conv_pads(op, x, w, &g->pad_h, &g->pad_w);
  g->m = (int64_t)x->dims[0] * g->out_h * g->out_w;
  g->k = g->k_h * g->k_w * g->in_d;
  g->kp = (g->k + 1) / 2;
  /* Tiles of 6 pixels x 16 channels keep 12 accumulators, 2 weight vectors and a broadcast in
     the 16 registers; 5 or 4 pixels when that wastes less of the last tile; one pixel (a
     matrix-vector product) takes 32 channels at a time. */
  if (g->m < 4) {
    g->tp = 1, g->kg = 4;
  } else {
    g->tp = avx2_tile_pixels(g->m, 6), g->kg = 2;
  }
  /* The direct form: filter rows padded to pairs, tiles within an output row, a window wide
     enough for the last tile's columns and every input column. */
  const int run = g->k_w * g->in_d, nblk = (g->out_d + 7) / 8;
  g->seg = (run + 1) / 2;
  g->direct = allow_direct && o->dilation_h_factor == 1 && o->dilation_w_factor == 1 &&
              g->k_h * g->k_w > 1 &&
              run <= CONV_DIRECT_RUN && g->out_w >= 4 &&
              (int64_t)nblk * g->k_h * g->seg * 16 <= CONV_W16_MAX;
  if (g->direct) {
    g->kp = g->k_h * g->seg, g->tp = avx2_tile_pixels(g->out_w, 6), g->kg = 2;
    const int last = (g->out_w - 1) / g->tp * g->tp;
    int64_t rs = (int64_t)(last + g->tp - 1) * o->stride_w * g->in_d + 2 * g->seg;
    int64_t span = (int64_t)(g->pad_w + g->in_w) * g->in_d;
    g->rs = (int)(((rs > span ? rs : span) + 1) / 2 * 2);
  }
  int64_t mb = CONV_A_BYTES / (4 * (int64_t)g->kp) / g->tp * g->tp;
  if (mb < g->tp) mb = g->tp;
  int64_t mall = (g->m + g->tp - 1) / g->tp * g->tp;
  g->mb = (int)(mb < mall ? mb : mall);
}

static bool eligible(Emit *e, const Op *op, bool allow_direct) {
  if (!conv_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  ConvGeom g;
  geometry(e, op, allow_direct, &g);
  if (g.m < 1 || g.k < 1 || g.out_d < 1) return false;
  /* The im2col block (and a tile of slack), or the window, lives on the stack. */
  if (g.direct) return ((int64_t)g.k_h * g.rs + 16) * 2 <= AVX2_STACK_MAX;
  return ((int64_t)g.mb + g.tp) * 4 * g.kp + 32 + ((int64_t)g.mb + g.tp) * 4 <= AVX2_STACK_MAX;
}

bool conv_avx2_eligible(Emit *e, const Op *op) { return eligible(e, op, true); }
bool conv_avx2_add_eligible(Emit *e, const Op *op) { return eligible(e, op, false); }

/* The direct form's layer wrapper (g.direct: int16 weights; its tiles read the window at the
   pair offsets `off`). */
static void gen_direct(Emit *e, const Op *op, const ConvGeom *g, const ConvQuant *q,
                       const char *kinst, const char *wn, int nfull, const char *yt,
                       const char *xt) {
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  const int nblk = (g->out_d + 7) / 8;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_conv_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  int16_t win[%d];\n"
              "  conv_avx2_direct_%s(x, y, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, op%u_conv_tile%d, op%u_conv_tile1, win, part, nparts);\n}\n",
              op->index, xt, yt, g->k_h * g->rs + 16, kinst, wn, (int)(g->m / g->out_h / g->out_w),
              g->in_h, g->in_w, g->in_d, g->out_h, g->out_w, g->out_d, g->k_h, o->stride_h,
              o->stride_w, g->pad_h, g->pad_w, q->x_offset, g->seg, g->rs, g->tp, g->kg,
              op->index, nfull ? g->kg : 1, op->index);
  int64_t rows = g->m / g->out_w, units = nfull + nblk % g->kg;
  emit_parallel(e, rows > units ? rows : units, g->m * g->k * g->out_d * EMIT_WORK_AVX2_CONV,
                "op%u_conv_avx2(%s, out0, t_, n_)", op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
}

static int gen(Emit *e, const Op *op, const Avx2Add *add) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  ConvGeom g;
  geometry(e, op, !add, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, g.out_d, &q)) return -1;
  bool u8 = x->type == TFL_UINT8;
  const int nblk = (g.out_d + 7) / 8, nfull = nblk / g.kg;
  const size_t n = (size_t)nblk * g.kp * 16;
  /* Few weights (up to 16 KB, so 32 KB as int16): int16 w + w_offset, no widening on load and no
     row sums; else one byte each, widened on load. */
  const bool w16 = n <= CONV_W16_MAX;
  char kinst[AVX2_INST_MAX];
  const char *W = w16 ? "W=int16_t" : u8 ? "W=uint8_t" : "W=int8_t";
  const char *WLOAD =
      w16 ? "WLOAD=_mm256_loadu_si256((const __m256i *)(const void *)p)"
      : u8 ? "WLOAD=_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)p))"
           : "WLOAD=_mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)p))";
  if (avx2_kernel(e, "conv_avx2_q", x, w, y, g.out_d, &q, w16 ? "_w16" : NULL, W, WLOAD, add,
                  kinst) ||
      (g.direct &&
       avx2_kernel(e, "conv_avx2_direct_q", x, w, y, g.out_d, &q, "_w16", W, WLOAD, NULL, kinst)))
    return -1;
  /* Blocks of 8 channels, in groups of kg as the kernel walks them ([group][kp][kg][8][2]),
     then the blocks left over one by one ([kp][8][2]); block ob starts at ob * kp * 16 either
     way. The weights keep their bytes (uint8's zero point is applied through the row sums). In
     the direct form filter value k of row fy sits at fy * 2 * seg + k % run, the pad zero. */
  const int run = g.k_w * g.in_d;
  uint8_t *pk = calloc(n ? n : 1, 1);
  int16_t *pk16 = w16 ? calloc(n ? n : 1, sizeof *pk16) : NULL;
  if (!pk || (w16 && !pk16)) return free(pk), errf(e->err, -1, "out of memory");
  for (int oc = 0; oc < g.out_d; oc++) {
    const int ob = oc / 8, grp = ob / g.kg < nfull ? g.kg : 1;
    const int first = grp == 1 ? ob : ob / g.kg * g.kg, kk = ob - first;
    for (int k = 0; k < g.k; k++) {
      const int kd = g.direct ? k / run * 2 * g.seg + k % run : k;
      size_t dst = (size_t)first * g.kp * 16 + ((size_t)(kd / 2) * grp + kk) * 16 +
                   (size_t)(oc % 8) * 2 + kd % 2;
      pk[dst] = w->data[(size_t)oc * g.k + k];
      if (w16) pk16[dst] = (int16_t)(pack_weight(w, (int64_t)oc * g.k + k) + q.w_offset);
    }
  }
  const char *wn = w16 ? pack_i16_table(e, "wpack", pk16, n) : avx2_u8_table(e, "wpack", pk, n, !u8);
  free(pk);
  free(pk16);
  const int w_zp = w16 ? 0 : -q.w_offset;
  const char *bn = avx2_bias_table(e, b, g.out_d, nblk * 8);
  if (!bn) return -1;
  const size_t abuf = ((size_t)g.mb + g.tp) * 2 * g.kp + 16;
  const char *xt = emit_ctype(x->type), *yt = emit_ctype(y->type);
  const char *wt = w16 ? "int16_t" : u8 ? "uint8_t" : "int8_t";
  /* The pairs' offsets in a row: 2 * i for im2col rows, filter row by filter row in the direct
     form's window. */
  const char *offn = "NULL";
  if (g.direct) {
    int32_t *off = malloc((size_t)g.kp * sizeof *off);
    if (!off) return errf(e->err, -1, "out of memory");
    for (int i = 0; i < g.kp; i++) off[i] = i / g.seg * g.rs + 2 * (i % g.seg);
    offn = emit_i32_table(e, "off", off, (uint32_t)g.kp);
    free(off);
  }
  const int sa = g.direct ? o->stride_w * g.in_d : 2 * g.kp;
  const char *aqn = "NULL";
  if (add) {
    /* The tiles add the requantized value before the convolution's zero point
       (avx2_out_add.c). */
    int32_t aq[AVX2_ADD_CONSTS];
    add_avx2_consts(add->q, add->nq, add->xnn, q.y_offset, aq);
    aqn = emit_i32_table(e, "addq", aq, AVX2_ADD_CONSTS);
  }
  /* No group tile when there is no full group (its wider tables reads would be out of bounds,
     unreachable but flagged by -Warray-bounds). */
  for (int k = nfull ? 0 : 1; k < 2; k++)
    text_printf(&e->consts,
                "static __attribute__((noinline)) MC_AVX2 void op%u_conv_tile%d(const int16_t *a, "
                "const %s *w, int ob, const int32_t *rsum, int np, %s *y, const %s *z) {\n%s"
                "  conv_avx2_tile_%s(a, %d, %d, %d, w, %d, %s, %s, ob, %d, rsum, %d, np, %s, %s, "
                "%d, %d, %d, y, %s, %s);\n}\n",
                op->index, k ? 1 : g.kg, wt, yt, yt, add ? "" : "  (void)z;\n", kinst, sa, g.tp,
                k ? 1 : g.kg, g.kp, offn, bn, g.out_d, w_zp, q.mult, q.shift, q.y_offset,
                q.act_min, q.act_max, add ? "z" : "NULL", aqn);
  if (g.direct) {
    gen_direct(e, op, &g, &q, kinst, wn, nfull, yt, xt);
    return 0;
  }
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_conv_avx2(const %s *x, %s *y%s%s%s, int part, int nparts) {\n"
              "  int16_t a[%zu];\n  int32_t rsum[%d];\n"
              "  conv_avx2_%s(x, y, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, op%u_conv_tile%d, op%u_conv_tile1, a, rsum, part, nparts);\n}\n",
              op->index, xt, yt, add ? ", const " : "", add ? yt : "", add ? " *z" : "", abuf,
              g.mb + g.tp, kinst, add ? "z" : "NULL", wn, x->dims[0], g.in_h, g.in_w, g.in_d,
              g.out_h, g.out_w, g.out_d, g.k_h, g.k_w, o->stride_h, o->stride_w,
              o->dilation_h_factor, o->dilation_w_factor, g.pad_h, g.pad_w, q.x_offset, w_zp,
              g.kp, g.tp, g.kg, g.mb, op->index, nfull ? g.kg : 1, op->index);
  int64_t tiles = (g.m + g.tp - 1) / g.tp, units = nfull + nblk % g.kg;
  emit_parallel(e, tiles > units ? tiles : units, g.m * g.k * g.out_d * EMIT_WORK_AVX2_CONV,
                "op%u_conv_avx2(%s, out0%s%s, t_, n_)", op->index, emit_in(e, 0), add ? ", " : "",
                add ? add->other : "");
  ef(e, "  return 0;\n");
  return 0;
}

int gen_conv_avx2(Emit *e, const Op *op) { return gen(e, op, NULL); }
int gen_conv_avx2_add(Emit *e, const Op *op, const Avx2Add *add) { return gen(e, op, add); }
