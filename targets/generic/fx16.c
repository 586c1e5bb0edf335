/* gemmlowp's 16-bit fixed-point arithmetic (fixedpoint.h, scalar int16 path), which TFLite's
   integer LSTM uses for its gate sigmoid and tanh. Raw values are int16 Qm.(15-m); every
   intermediate wraps or saturates exactly where gemmlowp's int16 operations do. */
static int16_t fx16_wrap(int32_t v) { return (int16_t)(uint16_t)(uint32_t)v; }
/* SaturatingRoundingDoublingHighMul for int16. */
static int16_t fx16_mul(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  int32_t ab = (int32_t)a * b;
  int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return fx16_wrap((ab + nudge) / (1 << 15));
}
static int16_t fx16_rdbpot(int16_t x, int exponent) {
  int16_t mask = (int16_t)((1 << exponent) - 1);
  int16_t remainder = (int16_t)(x & mask);
  int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
  return fx16_wrap((x >> exponent) + (remainder > threshold ? 1 : 0));
}
/* SaturatingRoundingMultiplyByPOT: saturating left shift or rounding right shift. */
static int16_t fx16_pot(int16_t x, int exponent) {
  if (exponent < 0) return fx16_rdbpot(x, -exponent);
  if (exponent == 0) return x;
  int32_t threshold = (1 << (15 - exponent)) - 1;
  if (x > threshold) return INT16_MAX;
  if (x < -threshold) return INT16_MIN;
  return fx16_wrap(x * (1 << exponent));
}
/* A 32-bit fixed-point constant as gemmlowp rescales it for int16 (rounding shift by 16). */
static int16_t fx16_const(int32_t v) { return (int16_t)mc_rdbpot(v, 16); }
static int16_t fx16_sat_add(int16_t a, int16_t b) {
  return (int16_t)mc_clamp_i32((int32_t)a + b, INT16_MIN, INT16_MAX);
}
static int16_t fx16_half_sum(int16_t a, int16_t b) {  /* RoundingHalfSum */
  int32_t sum = (int32_t)a + b;
  return (int16_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}
/* exp(a) for a in [-1/4, 0), Q0.15. */
static int16_t fx16_exp_quarter(int16_t a) {
  const int16_t constant_term = fx16_const(1895147668), one_third = fx16_const(715827883);
  int16_t x = fx16_wrap(a + (1 << 12));
  int16_t x2 = fx16_mul(x, x), x3 = fx16_mul(x2, x), x4 = fx16_mul(x2, x2);
  int16_t x4_over_4 = fx16_pot(x4, -2);
  int16_t poly = fx16_pot(fx16_wrap(fx16_mul(fx16_wrap(x4_over_4 + x3), one_third) + x2), -1);
  return fx16_sat_add(constant_term, fx16_mul(constant_term, fx16_wrap(x + poly)));
}
/* exp(a) for a <= 0 given with `ib` integer bits; result Q0.15. */
static int16_t fx16_exp_neg(int16_t a, int ib) {
  static const int32_t mult[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  int fb = 15 - ib;
  int16_t quarter = (int16_t)(1 << (fb - 2));
  int16_t amq = fx16_wrap((a & (quarter - 1)) - quarter);
  int16_t result = fx16_exp_quarter(fx16_pot(amq, ib));
  int16_t remainder = fx16_wrap(amq - a);
  for (int k = 0; k < 7; k++) {
    int exponent = k - 2;
    if (ib > exponent && (remainder & (1 << (fb + exponent))))
      result = fx16_mul(result, fx16_const(mult[k]));
  }
  if (ib > 5 && a < fx16_const(-(1 << (36 - ib)))) result = 0;
  return a == 0 ? INT16_MAX : result;
}
/* Newton-Raphson 1/(1+a) and (1-a)/(1+a) for a in (0, 1), Q0.15 in and out. */
static int16_t fx16_recip_q2(int16_t half_denominator) {
  int16_t x = fx16_wrap(fx16_const(1515870810) + fx16_mul(half_denominator, fx16_const(-1010580540)));
  for (int i = 0; i < 3; i++) {
    int16_t one_minus = fx16_wrap((1 << 13) - fx16_mul(half_denominator, x));
    x = fx16_wrap(x + fx16_pot(fx16_mul(x, one_minus), 2));
  }
  return x;  /* Q2.13 */
}
static int16_t fx16_logistic(int16_t a, int ib) {
  int16_t abs_a = a > 0 ? a : fx16_wrap(-a);
  int16_t e = fx16_exp_neg(fx16_wrap(-abs_a), ib);
  int16_t pos = fx16_pot(fx16_recip_q2(fx16_half_sum(e, INT16_MAX)), 1);
  if (a == 0) return fx16_const(1 << 30);
  return a > 0 ? pos : fx16_wrap(INT16_MAX - pos);
}
static int16_t fx16_tanh(int16_t a, int ib) {
  int16_t n = a < 0 ? a : fx16_wrap(-a);
  int16_t e = fx16_exp_neg(n, ib + 1);  /* exp(2n): same raw, one more integer bit */
  int16_t t = fx16_pot(fx16_wrap(fx16_recip_q2(fx16_half_sum(e, INT16_MAX)) - (1 << 13)), 2);
  if (a == 0) return 0;
  return a < 0 ? fx16_wrap(-t) : t;
}
