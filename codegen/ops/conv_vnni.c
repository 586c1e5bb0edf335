/* CONV_2D for x86-64-avx512: int8 (per-channel) and uint8 (per-tensor) with groups == 1, as the
   VNNI GEMM of conv_vnni_q (targets/x86-64-avx512/). The weights are packed here, each byte as
   w ^ 0x80, in blocks of 16 channels by quads of the flattened filter; the zero-point terms
   that do not depend on the pixel are folded into the bias here, at compile time, where an
   interpreter computes them on every run. The requantization is conv_quant's, through the
   x86-64-avx2 store, so the output is bit-identical to the generic kernel's. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/binary.h"

typedef struct VnniGeom {
  int in_h, in_w, in_d, out_h, out_w, out_d, k_h, k_w, pad_h, pad_w;
  int64_t m;        /* output pixels */
  int k, kq;        /* filter length, its quads */
  int tp, kg, mb;   /* tile pixels, tile blocks of 16 channels, pixels per im2col block */
  bool direct;      /* 1x1, stride 1, no padding, whole quads: rows read in place */
} VnniGeom;

/* Bytes of im2col buffer a block may take (with the weights it stays in L2). */
enum { VNNI_A_BYTES = 64 * 1024 };

static void geometry(const Emit *e, const Op *op, VnniGeom *g) {
  const Tensor *x = &e->g->t[op->in[0]], *w = &e->g->t[op->in[1]], *y = &e->g->t[op->out[0]];
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  g->in_h = x->dims[1], g->in_w = x->dims[2], g->in_d = x->dims[3];
  g->out_h = y->dims[1], g->out_w = y->dims[2], g->out_d = w->dims[0];
  g->k_h = w->dims[1], g->k_w = w->dims[2];
  conv_pads(op, x, w, &g->pad_h, &g->pad_w);
  g->m = (int64_t)x->dims[0] * g->out_h * g->out_w;
  g->k = g->k_h * g->k_w * g->in_d;
  g->kq = (g->k + 3) / 4;
  g->direct = g->k_h == 1 && g->k_w == 1 && o->stride_h == 1 && o->stride_w == 1 &&
              g->pad_h == 0 && g->pad_w == 0 && g->in_d % 4 == 0;
  /* 24 accumulators of the 32 registers, with the weight vectors and a broadcast: 6 pixels x 4
     blocks, 8 x 3 or 12 x 2, the group dividing the blocks where it can; one pixel (a
     matrix-vector product) takes 64 channels at a time. */
  const int nblk = (g->out_d + 15) / 16;
  g->kg = nblk >= 4 && nblk % 4 == 0 ? 4 : nblk % 3 == 0 ? 3 : nblk % 2 == 0 ? 2 : nblk >= 4 ? 4 : 1;
  if (g->m < 4) {
    g->tp = 1, g->kg = nblk >= 4 ? 4 : nblk;
  } else {
    g->tp = avx2_tile_pixels(g->m, g->kg == 4 ? 6 : g->kg == 3 ? 8 : 12);
  }
  int64_t mb = VNNI_A_BYTES / (4 * (int64_t)g->kq) / g->tp * g->tp;
  if (mb < g->tp) mb = g->tp;
  int64_t mall = (g->m + g->tp - 1) / g->tp * g->tp;
  g->mb = (int)(mb < mall ? mb : mall);
}

bool conv_vnni_eligible(Emit *e, const Op *op) {
  if (!emit_vnni(e) || !conv_simd_shape(e, op)) return false;
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (!avx2_q8_operands(e, x, w, b, y, w->dims[0])) return false;
  VnniGeom g;
  geometry(e, op, &g);
  if (g.m < 1 || g.k < 1 || g.out_d < 1) return false;
  /* The im2col block (or a partial tile) and its row sums live on the stack. */
  return ((int64_t)g.mb + g.tp) * (4 * g.kq + 4) <= AVX2_STACK_MAX;
}

/* The packed weights: blocks of 16 channels in groups of kg as the kernel walks them
   ([group][kq][kg][16][4]), then the blocks left over one by one ([kq][16][4]); block ob
   starts at ob * kq * 64 either way. Padding stays 0: it meets zero inputs or unstored
   channels. */
static const char *pack_weights(Emit *e, const Tensor *w, const VnniGeom *g) {
  const int nblk = (g->out_d + 15) / 16, nfull = nblk / g->kg;
  const size_t n = (size_t)nblk * g->kq * 64;
  uint8_t *pk = calloc(n, 1);
  if (!pk) {
    errf(e->err, -1, "out of memory");
    return NULL;
  }
  for (int oc = 0; oc < g->out_d; oc++) {
    const int ob = oc / 16, grp = ob / g->kg < nfull ? g->kg : 1;
    const int first = grp == 1 ? ob : ob / g->kg * g->kg, kk = ob - first;
    for (int k = 0; k < g->k; k++)
      pk[(size_t)first * g->kq * 64 + ((size_t)(k / 4) * grp + kk) * 64 + (size_t)(oc % 16) * 4 +
         k % 4] = w->data[(size_t)oc * g->k + k] ^ 0x80;
  }
  const char *name = avx2_u8_table(e, "wpack", pk, n, false);
  free(pk);
  return name;
}

static int gen(Emit *e, const Op *op, const Avx2Add *add) {
  const Tensor *x = emit_tin(e, 0), *w = emit_tin(e, 1), *b = emit_tin(e, 2), *y = emit_tout(e, 0);
  const TflConv2DOptions *o = &op->opt->Conv2DOptions;
  VnniGeom g;
  geometry(e, op, &g);
  ConvQuant q;
  if (conv_quant(e, CONV_PLAIN, x, w, b, y, o->fused_activation_function, g.out_d, &q)) return -1;
  const bool u8 = x->type == TFL_UINT8;
  char kinst[AVX2_INST_MAX];
  /* vpdpbusd's unsigned operand first: the input for uint8, the weights (w + 128) for int8. */
  const char *dot = u8 ? "DOT=_mm512_dpbusd_epi32(acc, x, w)" : "DOT=_mm512_dpbusd_epi32(acc, w, x)";
  if (emit_kernel(e, "vnni_common", "x", NULL) ||
      avx2_kernel(e, "conv_vnni_q", x, w, y, g.out_d, &q, NULL, dot, NULL, add, kinst))
    return -1;
  /* The bias plus x_offset * sum(w + w_offset) per channel (conv_vnni_q's algebra), zero-padded
     to whole blocks. */
  const PackGemm pb = {g.out_d, g.k, g.k, 16, 0, NULL, q.x_offset, q.w_offset};
  const char *wn = pack_weights(e, w, &g), *bn = wn ? pack_gemm_bias(e, w, b, &pb) : NULL;
  if (!bn) return -1;
  /* The per-pixel term's factor: the weights' stored form is w - 128 (uint8) or w + 128 (int8). */
  const int32_t coef = q.w_offset + (u8 ? 128 : -128);
  const int nblk = (g.out_d + 15) / 16, nfull = nblk / g.kg;
  const char *xt = emit_ctype(x->type), *yt = emit_ctype(y->type);
  const char *aqn = "NULL";
  if (add) {
    int32_t aq[AVX2_ADD_CONSTS];
    add_avx2_consts(add->q, add->nq, add->xnn, q.y_offset, aq);
    aqn = emit_i32_table(e, "addq", aq, AVX2_ADD_CONSTS);
  }
  /* No group tile when there is no full group (its wider table reads would be out of bounds),
     or when a group is one block. */
  for (int k = nfull && g.kg > 1 ? 0 : 1; k < 2; k++)
    text_printf(&e->consts,
                "static __attribute__((noinline)) MC_VNNI void op%u_conv_tile%d(const %s *a, "
                "const uint8_t *w, int ob, const int32_t *rsum, int np, %s *y, const %s *z) {\n%s"
                "  conv_vnni_tile_%s(a, %d, %d, %d, w, %d, %s, ob, %d, rsum, %d, np, %s, %s, %d, "
                "%d, %d, y, %s, %s);\n}\n",
                op->index, k ? 1 : g.kg, xt, yt, yt, add ? "" : "  (void)z;\n", kinst,
                4 * g.kq, g.tp, k ? 1 : g.kg, g.kq, bn, g.out_d, coef, q.mult, q.shift,
                q.y_offset, q.act_min, q.act_max, add ? "z" : "NULL", aqn);
  const size_t abuf = (size_t)(g.direct ? g.tp : g.mb + g.tp) * 4 * g.kq;
  text_printf(&e->consts,
              "static MC_VNNI void op%u_conv_vnni(const %s *x, %s *y%s%s%s, int part, int nparts) {\n"
              "  %s a[%zu];\n  int32_t rsum[%d];\n"
              "  conv_vnni_%s(x, y, %s, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, "
              "%d, %d, %d, %d, %d, %d, %d, op%u_conv_tile%d, op%u_conv_tile1, a, rsum, part, "
              "nparts);\n}\n",
              op->index, xt, yt, add ? ", const " : "", add ? yt : "", add ? " *z" : "", xt, abuf,
              g.mb + g.tp, kinst, add ? "z" : "NULL", wn, x->dims[0], g.in_h, g.in_w, g.in_d,
              g.out_h, g.out_w, g.out_d, g.k_h, g.k_w, o->stride_h, o->stride_w,
              o->dilation_h_factor, o->dilation_w_factor, g.pad_h, g.pad_w, -q.x_offset, g.kq,
              g.direct, g.tp, g.kg, g.mb, op->index, nfull ? g.kg : 1, op->index);
  int64_t tiles = (g.m + g.tp - 1) / g.tp, units = nfull + nblk % g.kg;
  emit_parallel(e, tiles > units ? tiles : units, g.m * g.k * g.out_d * EMIT_WORK_AVX2_CONV,
                "op%u_conv_vnni(%s, out0%s%s, t_, n_)", op->index, emit_in(e, 0), add ? ", " : "",
                add ? add->other : "");
  ef(e, "  return 0;\n");
  return 0;
}

int gen_conv_vnni(Emit *e, const Op *op) { return gen(e, op, NULL); }
int gen_conv_vnni_add(Emit *e, const Op *op, const Avx2Add *add) { return gen(e, op, add); }
