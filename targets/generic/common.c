/* ---- modelc runtime helpers (targets/generic/common.c) ---- */
static inline int32_t mc_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t mc_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mc_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : x > hi ? hi : x;
}
static inline float mc_clamp_f32(float x, float lo, float hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

/* gemmlowp's fixed-point primitives, which TFLite's quantized kernels are defined by. */
static inline int32_t mc_srdhm(int32_t a, int32_t b) { /* SaturatingRoundingDoublingHighMul */
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / (1ll << 31));
}
static inline int32_t mc_rdbpot(int32_t x, int exponent) { /* RoundingDivideByPOT */
  int32_t mask = (int32_t)((1ll << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
/* x * 2^exponent, saturated (SaturatingRoundingMultiplyByPOT for exponent >= 0). */
static inline int32_t mc_sat_shl(int32_t x, int exponent) {
  if (exponent <= 0) return mc_rdbpot(x, -exponent);
  int64_t v = (int64_t)x * ((int64_t)1 << exponent);
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* The 64-bit accumulator form used by 16x8 kernels: the multiplier is first reduced to Q15, the
   same in both TFLite builds. */
static inline int32_t mc_requant64(int64_t x, int32_t multiplier, int shift) {
  int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  int total = 15 - shift;
  int64_t r = x * reduced + ((int64_t)1 << (total - 1));
  return (int32_t)(r >> total);
}
