/* Helpers the x86-64-avx2 emitters share: operand checks, packed tables, kernel instantiation. */
#include <stdlib.h>
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/binary.h"
#include "codegen/ops/pack.h"

bool avx2_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels) {
  return emit_x86(e) && pack_q8_operands(x, w, b, y, channels);
}

const char *avx2_bias_table(Emit *e, const Tensor *b, int channels, int padded) {
  int32_t *v = arena_array(e->a, (size_t)padded, sizeof *v);
  if (!v) {
    errf(e->err, -1, "out of memory");
    return NULL;
  }
  memset(v, 0, (size_t)padded * sizeof *v);
  if (b) memcpy(v, b->data, (size_t)channels * sizeof *v);
  return emit_i32_table(e, "bias_pad", v, (uint32_t)padded);
}

const char *avx2_u8_table(Emit *e, const char *what, const uint8_t *v, size_t n, bool is_signed) {
  char name[64];
  snprintf(name, sizeof name, "op%u_%s", e->op->index, what);
  text_printf(&e->consts, "static const %s %s[%zu] = {", is_signed ? "int8_t" : "uint8_t", name,
              n ? n : 1);
  for (size_t i = 0; i < n; i++)
    text_printf(&e->consts, "%s%d", i % 32 ? "," : (i ? ",\n  " : "\n  "),
                is_signed ? (int)(int8_t)v[i] : (int)v[i]);
  text_put(&e->consts, "\n};\n", 4);
  return arena_strdup(e->a, name);
}

/* Channel c's requantization scale s_x * s_w / s_y, in double as emit_channel_quant takes it. */
static double channel_scale(const Tensor *x, const Tensor *w, const Tensor *y, int c) {
  return (double)x->q.scale[0] * w->q.scale[w->q.n == 1 ? 0 : c] / (double)y->q.scale[0];
}

/* Whether every channel's fixed-point multiplier and shift (as emit_channel_quant computes them)
   lies where avx2_rq_dbl and avx2_rq_sgl are exact: multiplier >= 0, shift in [-31, 30]; sets
   *right_only when every shift is <= 0. */
static bool fixed_point_in_range(Emit *e, const Tensor *x, const Tensor *w, const Tensor *y,
                                 int channels, bool *right_only) {
  *right_only = true;
  for (int c = 0; c < channels; c++) {
    int32_t m;
    int sh;
    quant_multiplier(channel_scale(x, w, y, c), e->o.rounding, &m, &sh);
    if (m < 0 || sh < -31 || sh > 30) return false;
    if (sh > 0) *right_only = false;
  }
  return true;
}

/* Whether avx2_rq_fp32_unclamped is exact for the layer: its clamp is y's whole type range and
   every channel_scale is below 0.25 (the float scale differs from this double by far less than
   the margin to the 0.5 the overflow argument needs). */
static bool fp32_clamp_in_packs(const Tensor *x, const Tensor *w, const Tensor *y, int channels,
                                const ConvQuant *q) {
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  if (q->act_min != lo || q->act_max != hi) return false;
  for (int c = 0; c < channels; c++)
    if (channel_scale(x, w, y, c) >= 0.25) return false;
  return true;
}

int avx2_kernel(Emit *e, const char *file, const Tensor *x, const Tensor *w, const Tensor *y,
                int channels, const ConvQuant *q, const char *suffix, const char *extra1,
                const char *extra2, const Avx2Add *add, char kinst[AVX2_INST_MAX]) {
  bool u8 = x->type == TFL_UINT8;
  const char *rq = q->REQUANT + strlen("REQUANT=");
  const char *ts = emit_tsuffix(x->type);
  char out[64], out2[64], widen[64], OUT[72], OUT2[72], WIDEN[72], RQ[80], scalar[64];
  bool right_only = false;
  const bool fp32 = strcmp(rq, "mc_requant_fp32") == 0;
  bool vec = fp32 || fixed_point_in_range(e, x, w, y, channels, &right_only);
  bool dbl = strcmp(rq, "mc_requant_dbl") == 0 ||
             (strcmp(rq, "mc_requant") == 0 && e->o.rounding == ROUND_DOUBLE);
  /* A fused ADD takes the clamped result before any pack. */
  const bool unclamped = fp32 && !add && fp32_clamp_in_packs(x, w, y, channels, q);
  /* The instance names the requantization too: a layer falling back to the scalar form, with
     right shifts only, or with its clamp left to the packs gets kernels of its own. */
  char outinst[32];  /* the requantization's instance, before the kernel's suffix */
  snprintf(outinst, sizeof outinst, "%s%s", q->inst,
           !vec ? "_sc" : dbl && right_only ? "_r" : unclamped ? "_u" : "");
  snprintf(out, sizeof out, "avx2_out_%s", outinst);
  snprintf(out2, sizeof out2, "avx2_out2_%s", outinst);
  /* A fused ADD's form names the kernel's instance too. */
  const char *form = !add ? "" : add->xnn ? "_ax" : "_ad";
  snprintf(kinst, AVX2_INST_MAX, "%s%s%s", outinst, suffix ? suffix : "", form);
  snprintf(widen, sizeof widen, "avx2_widen_%s", ts);
  snprintf(OUT, sizeof OUT, "OUT=%s", out);
  snprintf(OUT2, sizeof OUT2, "OUT2=%s", out2);
  snprintf(WIDEN, sizeof WIDEN, "WIDEN=%s", widen);
  /* The vector form of the generic kernel's requantization: mc_requant is the double rounding
     or the single one as --rounding selects (requant_double.c, requant_single.c). */
  if (fp32)
    snprintf(RQ, sizeof RQ, "RQ=%s", unclamped ? "avx2_rq_fp32_unclamped" : "avx2_rq_fp32");
  else if (!vec)
    snprintf(RQ, sizeof RQ, "RQ=avx2_rq_scalar_%s", q->inst);
  else if (dbl)
    snprintf(RQ, sizeof RQ, "RQ=%s", right_only ? "avx2_rq_dbl_right" : "avx2_rq_dbl");
  else if (strcmp(rq, "mc_requant") == 0)
    snprintf(RQ, sizeof RQ, "RQ=avx2_rq_sgl");
  else
    snprintf(RQ, sizeof RQ, "RQ=avx2_rq_scalar_%s", q->inst);
  snprintf(scalar, sizeof scalar, "avx2_rq_scalar_%s", q->inst);
  const char *pack = u8 ? "PACK=_mm_packus_epi16" : "PACK=_mm_packs_epi16";
  const char *cvt = u8 ? "CVT=_mm256_cvtepu8_epi16" : "CVT=_mm256_cvtepi8_epi16";
  if (emit_kernel(e, "avx2_common", "x", NULL) || emit_kernel(e, "avx2_requant", "x", NULL) ||
      emit_kernel(e, "avx2_widen", ts, q->X, cvt, NULL) ||
      (strcmp(RQ + 3, scalar) == 0 &&
       emit_kernel(e, "avx2_rq_scalar", q->inst, q->QM, q->REQUANT, NULL)) ||
      emit_kernel(e, "avx2_out", outinst, q->Y, q->QM, RQ, pack, NULL))
    return -1;
  char OUTZ[80], OUTZ2[80];
  snprintf(OUTZ, sizeof OUTZ, "OUTZ=avx2_out_noadd_%s", outinst);
  snprintf(OUTZ2, sizeof OUTZ2, "OUTZ2=avx2_out2_noadd_%s", outinst);
  if (add) {
    char zinst[AVX2_INST_MAX + 4], addvec[AVX2_ADD_VEC_MAX], ADD[64], STORE[80];
    snprintf(zinst, sizeof zinst, "%s%s", outinst, form);
    if (add_avx2_kernels(e, y->type, add->xnn, addvec)) return -1;
    snprintf(ADD, sizeof ADD, "ADD=%s", addvec);
    snprintf(STORE, sizeof STORE, "STORE=avx2_store_%s", outinst);
    if (emit_kernel(e, "avx2_out_add", zinst, q->Y, q->QM, RQ, pack, ADD, STORE,
                    u8 ? "ZCVT=_mm256_cvtepu8_epi32" : "ZCVT=_mm256_cvtepi8_epi32", NULL))
      return -1;
    snprintf(OUTZ, sizeof OUTZ, "OUTZ=avx2_outz_%s", zinst);
    snprintf(OUTZ2, sizeof OUTZ2, "OUTZ2=avx2_outz2_%s", zinst);
  }
  return emit_kernel(e, file, kinst, q->X, q->Y, q->QM, OUT, OUT2, OUTZ, OUTZ2, WIDEN, cvt,
                     extra1 ? extra1 : "UNUSED1=", extra2 ? extra2 : "UNUSED2=", NULL);
}

int avx2_tile_pixels(int64_t m, int hi) {
  static const double eff[] = {1.0, 0.99, 0.97};
  double best = 0;
  int tp = hi;
  for (int i = 0; i < 3; i++) {
    const int c = hi - i;
    double cost = (double)((m + c - 1) / c * c) / eff[i];
    if (!i || cost < best) best = cost, tp = c;
  }
  return tp;
}

int avx2_byte_kernel(Emit *e, const char *file, int type, bool wide_pack) {
  const bool u8 = type == TFL_UINT8;
  char T[32];
  snprintf(T, sizeof T, "T=%s", emit_ctype(type));
  const char *pack = u8 ? (wide_pack ? "PACK=_mm256_packus_epi16" : "PACK=_mm_packus_epi16")
                        : (wide_pack ? "PACK=_mm256_packs_epi16" : "PACK=_mm_packs_epi16");
  if (emit_kernel(e, "avx2_common", "x", NULL) ||
      emit_kernel(e, file, emit_tsuffix(type), T,
                  u8 ? "CVT32=_mm256_cvtepu8_epi32" : "CVT32=_mm256_cvtepi8_epi32", pack, NULL))
    return -1;
  return 0;
}
