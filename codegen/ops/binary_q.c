/* Quantized ADD, SUB, MUL and SQUARED_DIFFERENCE. Constants are derived as the runtime each
   --rounding mode stands for derives them:
   - single (TensorFlow Lite as the oracle runs it): int8/uint8 ADD, SUB and MUL go to the
     XNNPACK delegate when it accepts the scale ratios (ADD/SUB: s_in / s_out in [2^-10, 2^8);
     MUL: s1 * s2 / s_out in [2^-16, 2^8)): ADD/SUB with ~21-bit integer multipliers and one
     rounding shift (add_xnn), MUL with a float scale rounded to nearest even (mul_xnn).
     Everything else runs TFLite's own kernels, whose MultiplyByQuantizedMultiplier rounds twice
     (gemmlowp) in that build: ADD/SUB rescale both inputs with 20 (int16: 15) bits of headroom
     (add_q); int16 ADD/SUB with power-of-two scales and zero points 0 take the shift-and-saturate
     path when the op's pot_scale_int16 option is set (add_pot16); SUB negates the second
     multiplier and adds.
   - double (TensorFlow Lite Micro): the same integer kernels without a delegate and without the
     power-of-two path; SUB subtracts the second rescaled input. Multipliers come from double
     arithmetic: the seanet SUB goldens differ with the float arithmetic of the newest Micro's
     SUB. */
#include <math.h>
#include <string.h>

#include "codegen/ops/act_tables.h"
#include "codegen/ops/binary.h"

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}
static float bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* XNNPACK's quantization of the activation's float bounds (xnn_qs8_quantize and its uint8 form):
   round to nearest even after clamping to the type's range. */
static void xnn_act_range(const Tensor *y, int act, int32_t *lo, int32_t *hi) {
  float tlo = y->type == TFL_UINT8 ? 0.0f : -128.0f, thi = y->type == TFL_UINT8 ? 255.0f : 127.0f;
  float flo = -INFINITY, fhi = INFINITY;
  if (act == ACT_RELU) flo = 0.0f;
  else if (act == ACT_RELU6) flo = 0.0f, fhi = 6.0f;
  else if (act == ACT_RELU_N1_TO_1) flo = -1.0f, fhi = 1.0f;
  float s = y->q.scale[0], zp = (float)y->q.zero_point[0];
  *lo = (int32_t)lrintf(fminf(fmaxf(flo / s + zp, tlo), thi));
  *hi = (int32_t)lrintf(fminf(fmaxf(fhi / s + zp, tlo), thi));
}

static bool is_broadcast(const Tensor *a, const Tensor *b, const Tensor *y) {
  return a->elems != y->elems || b->elems != y->elems;
}

/* The double-rounding requantization (mc_requant_dbl) in every runtime these kernels model. */
static int elem_kernel(Emit *e, const char *file, char *fn, size_t n) {
  snprintf(fn, n, "%s_dbl", file);
  return emit_kernel(e, file, "dbl", "RQ=mc_requant_dbl", NULL);
}

int add_q_form(Emit *e, bool sub, bool oracle, const Tensor *a, const Tensor *b, const Tensor *y,
               int act, bool *xnn, int32_t q[13], int *nq) {
  float sa = a->q.scale[0], sb = b->q.scale[0], sy = y->q.scale[0];
  int32_t za = a->q.zero_point[0], zb = b->q.zero_point[0], zy = y->q.zero_point[0];
  int32_t lo, hi;
  if (quant_act_range(y, act, &lo, &hi)) return emit_unsupported(e, "activation %d", act);
  float ra = sa / sy, rb = sb / sy;
  *xnn = oracle && a->type != TFL_INT16 && ra >= 0x1.0p-10f && ra < 0x1.0p+8f && rb >= 0x1.0p-10f &&
         rb < 0x1.0p+8f;
  if (*xnn) {
    float mx = ra > rb ? ra : rb;
    int shift = 20 - ((int)(f32_bits(mx) >> 23) - 127);
    int32_t am = (int32_t)lrintf(bits_f32(f32_bits(ra) + ((uint32_t)shift << 23)));
    int32_t bm = (int32_t)lrintf(bits_f32(f32_bits(rb) + ((uint32_t)shift << 23)));
    if (sub) bm = -bm;
    int32_t bias = (int32_t)(1u << (shift - 1)) - am * za - bm * zb;
    int32_t xlo, xhi;
    xnn_act_range(y, act, &xlo, &xhi);
    int32_t v[7] = {bias, am, bm, shift, zy, xlo, xhi};
    memcpy(q, v, sizeof v);
    *nq = 7;
    return 0;
  }
  int left_shift = a->type == TFL_INT16 ? 15 : 20;
  double twice = 2.0 * (double)(sa > sb ? sa : sb);
  double r1 = (double)sa / twice, r2 = (double)sb / twice;
  double ro = twice / (double)((float)(1 << left_shift) * sy);
  if (!(ro < 1.0)) return emit_unsupported(e, "output scale too small for the inputs' (TFLite rejects it)");
  int32_t m1, m2, mo;
  int s1, s2, so;
  quant_multiplier(r1, ROUND_DOUBLE, &m1, &s1);
  quant_multiplier(r2, ROUND_DOUBLE, &m2, &s2);
  quant_multiplier(ro, ROUND_DOUBLE, &mo, &so);
  int sign = 1;
  if (sub && oracle) m2 = -m2;
  else if (sub) sign = -1;
  int32_t v[13] = {-za, -zb, left_shift, m1, s1, m2, s2, mo, so, zy, lo, hi, sign};
  memcpy(q, v, sizeof v);
  *nq = 13;
  return 0;
}

int binary_add_sub_q(Emit *e, const Op *op, const BinaryShape *s, int act) {
  const Tensor *a = emit_tin(e, 0), *b = emit_tin(e, 1), *y = emit_tout(e, 0);
  bool sub = op->kind == OP_SUB, oracle = e->o.rounding == ROUND_SINGLE;
  float sa = a->q.scale[0], sb = b->q.scale[0], sy = y->q.scale[0];
  int32_t za = a->q.zero_point[0], zb = b->q.zero_point[0], zy = y->q.zero_point[0];
  int32_t lo, hi;
  if (quant_act_range(y, act, &lo, &hi)) return emit_unsupported(e, "activation %d", act);
  if (a->type == TFL_INT16 && oracle &&
      (sub ? op->opt->SubOptions.pot_scale_int16 : op->opt->AddOptions.pot_scale_int16)) {
    int la, lb, ly;
    bool pot = act_checked_log2(sa, &la) & act_checked_log2(sb, &lb) & act_checked_log2(sy, &ly);
    if (pot && za == 0 && zb == 0 && zy == 0) {
      int s1 = la - ly, s2 = lb - ly;
      if ((s1 != 0 && s2 != 0) || s1 > 0 || s2 > 0)
        return emit_unsupported(e, "power-of-two int16 scales that shift both inputs or scale up");
      if (is_broadcast(a, b, y))
        return emit_unsupported(e, "broadcasting in the power-of-two int16 path");
      int32_t q[5] = {s1 != 0, s1 != 0 ? -s1 : -s2, sub ? -1 : 1, lo, hi};
      if (emit_kernel(e, "add_pot16", "s16", NULL)) return -1;
      return binary_call(e, s, NULL, NULL, "add_pot16_s16", q, 5, NULL, 0);
    }
  }
  bool xnn;
  int32_t q[13];
  int nq;
  if (add_q_form(e, sub, oracle, a, b, y, act, &xnn, q, &nq)) return -1;
  if (add_avx2_eligible(e, a, b, y, xnn, q)) {
    if (gen_add_avx2(e, y->type, xnn, q, nq, emit_in(e, 0), emit_in(e, 1), "out0", y->elems)) return -1;
    ef(e, "  return 0;\n");
    return 0;
  }
  if (xnn) {
    if (emit_kernel(e, "add_xnn", "x", NULL)) return -1;
    return binary_call(e, s, NULL, NULL, "add_xnn_x", q, 7, NULL, 0);
  }
  char fn[48];
  if (elem_kernel(e, "add_q", fn, sizeof fn)) return -1;
  return binary_call(e, s, NULL, NULL, fn, q, 13, NULL, 0);
}

int binary_mul_q(Emit *e, const Op *op, const BinaryShape *s, int act) {
  const Tensor *a = emit_tin(e, 0), *b = emit_tin(e, 1), *y = emit_tout(e, 0);
  (void)op;
  float sa = a->q.scale[0], sb = b->q.scale[0], sy = y->q.scale[0];
  int32_t za = a->q.zero_point[0], zb = b->q.zero_point[0], zy = y->q.zero_point[0];
  float ratio = sa * sb / sy;
  if (e->o.rounding == ROUND_SINGLE && a->type != TFL_INT16 && ratio >= 0x1.0p-16f &&
      ratio < 0x1.0p+8f) {
    int32_t lo, hi;
    xnn_act_range(y, act, &lo, &hi);
    int32_t q[5] = {za, zb, zy, lo, hi};
    if (emit_kernel(e, "mul_xnn", "x", NULL)) return -1;
    return binary_call(e, s, NULL, NULL, "mul_xnn_x", q, 5, &ratio, 1);
  }
  int32_t lo, hi, m;
  int sh;
  if (quant_act_range(y, act, &lo, &hi)) return emit_unsupported(e, "activation %d", act);
  quant_multiplier((double)sa * (double)sb / (double)sy, ROUND_DOUBLE, &m, &sh);
  int32_t q[7] = {-za, -zb, m, sh, zy, lo, hi};
  char fn[48];
  if (elem_kernel(e, "mul_q", fn, sizeof fn)) return -1;
  return binary_call(e, s, NULL, NULL, fn, q, 7, NULL, 0);
}

int binary_sqdiff_q(Emit *e, const Op *op, const BinaryShape *s) {
  const Tensor *a = emit_tin(e, 0), *b = emit_tin(e, 1), *y = emit_tout(e, 0);
  (void)op;
  if (a->type != TFL_INT8) return emit_unsupported(e, "%s (TFLite has int8 only)", tfl_type_name(a->type));
  float sa = a->q.scale[0], sb = b->q.scale[0], sy = y->q.scale[0];
  const int left_shift = 7;
  double twice = 2.0 * (double)(sa > sb ? sa : sb);
  double ro = twice * twice / (double)((float)(1 << (2 * left_shift)) * sy);
  int32_t m1, m2, mo;
  int s1, s2, so;
  quant_multiplier((double)sa / twice, ROUND_DOUBLE, &m1, &s1);
  quant_multiplier((double)sb / twice, ROUND_DOUBLE, &m2, &s2);
  quant_multiplier(ro, ROUND_DOUBLE, &mo, &so);
  int32_t q[12] = {-a->q.zero_point[0], -b->q.zero_point[0], left_shift, m1, s1, m2, s2,
                   mo, so, y->q.zero_point[0], -128, 127};
  char fn[48];
  if (elem_kernel(e, "squared_difference_q", fn, sizeof fn)) return -1;
  return binary_call(e, s, NULL, NULL, fn, q, 12, NULL, 0);
}

int binary_div_q(Emit *e, const Op *op, const BinaryShape *s, int act) {
  (void)op, (void)s, (void)act;
  return emit_unsupported(e, "quantized DIV");
}
