/* ---- modelc runtime helpers (targets/generic/common.c) ---- */
/* The parts a layer's work of `units` parts runs as: up to mc_threads (NAME_set_threads, defined
   before this file) when built with OpenMP, else 1. */
static inline int mc_nparts(int64_t units) {
#ifdef _OPENMP
  return units < mc_threads ? (units < 1 ? 1 : (int)units) : mc_threads;
#else
  (void)units;
  return 1;
#endif
}
/* An OpenMP directive that compiles away without OpenMP, with no unknown-pragma warning. */
#ifdef _OPENMP
#define MC_OMP(directive) _Pragma(#directive)
#else
#define MC_OMP(directive)
#endif
static inline int32_t mc_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t mc_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mc_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : x > hi ? hi : x;
}
/* clamp(r + zp, lo, hi) without forming r + zp, which overflows when a hostile model's multiplier
   saturates r: for integers it is clamp(r, lo - zp, hi - zp) + zp (zp, lo, hi within int16). */
static inline int32_t mc_clamp_offset(int32_t r, int32_t zp, int32_t lo, int32_t hi) {
  return mc_clamp_i32(r, lo - zp, hi - zp) + zp;
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
  int total = 15 - (shift > 14 ? 14 : shift);  /* TFLite takes shift < 8; no shift by 0 or less */
  int64_t r = x * reduced + ((int64_t)1 << (total - 1));
  return (int32_t)(r >> total);
}

/* The taps [*lo, *hi) of a window of k taps, dilation dil, starting at origin, that fall inside
   [0, size): convolution kernels skip the others (zero padding), so bounds are checked once per
   row or column instead of per multiply. */
static inline void mc_taps(int origin, int dil, int k, int size, int *lo, int *hi) {
  int a = origin >= 0 ? 0 : (-origin + dil - 1) / dil;
  int b = size - origin <= 0 ? 0 : (size - origin + dil - 1) / dil;
  *lo = a;
  *hi = b < k ? b : k;
  if (*hi < *lo) *hi = *lo;
}

/* MultiplyByQuantizedMultiplier as TFLite's own kernels run it in the oracle build and in TFLite
   Micro: gemmlowp's double rounding, whatever --rounding selects for mc_requant (which follows
   ruy, where TFLite's convolutions and fully-connected layers requantize with single rounding). */
static inline int32_t mc_requant_dbl(int32_t x, int32_t multiplier, int shift) {
  int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  return mc_rdbpot(mc_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}

/* XNNPACK's fp32 requantization, which TensorFlow Lite's XNNPACK delegate (the oracle's) runs for
   int8/uint8 convolutions instead of the fixed-point multiply: the accumulator converted to
   float, times the float scale s_x * s_w / s_y, rounded to nearest with ties to even. Rounds
   with integer steps (no math.h, no reliance on the FP rounding mode): below 2^24 the fraction
   v - trunc(v) is exact. */
static inline int32_t mc_requant_fp32(int32_t acc, float scale, int32_t unused) {
  float v = (float)acc * scale;
  (void)unused;
  v = v < -16777216.0f ? -16777216.0f : v > 16777216.0f ? 16777216.0f : v;
  int32_t i = (int32_t)v;
  float frac = v - (float)i;
  if (frac > 0.5f || (frac == 0.5f && (i & 1))) i++;
  else if (frac < -0.5f || (frac == -0.5f && (i & 1))) i--;
  return i;
}
