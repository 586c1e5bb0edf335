/* HARD_SWISH, int8/uint8: TFLite's 16-bit fixed-point algorithm. The input is moved to a 2^-7
   finer scale, multiplied by a "relu-ish" factor in [0, 1] (x rescaled so that +-3 maps to the
   int16 range, then to [0, 1]) and by the output multiplier. Every step keeps gemmlowp's int16
   rounding and saturation, so intermediate values are int16 as in TFLite. */
static int16_t hard_swish_srdhm16_$S(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  int32_t ab = (int32_t)a * b;
  int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return (int16_t)((ab + nudge) / (1 << 15));
}
/* As above but truncating: SaturatingDoublingHighMul (cancels the rounding bias). */
static int16_t hard_swish_sdhm16_$S(int16_t a, int16_t b) {
  if (a == b && a == INT16_MIN) return INT16_MAX;
  return (int16_t)(((int32_t)a * b) / (1 << 15));
}
/* gemmlowp's RoundingDivideByPOT on int16 values (the mask is an int16, as there). */
static int16_t hard_swish_rdbpot16_$S(int16_t x, int exponent) {
  int16_t mask = (int16_t)((1ll << exponent) - 1);
  int16_t remainder = (int16_t)(x & mask);
  int16_t threshold = (int16_t)((mask >> 1) + (x < 0 ? 1 : 0));
  return (int16_t)((x >> exponent) + (remainder > threshold ? 1 : 0));
}
static int16_t hard_swish_satshl16_$S(int16_t x, int amount) {
  int64_t v = (int64_t)x * ((int64_t)1 << amount);
  return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}
static void hard_swish_$S(int64_t n, const $T *x, $T *y, int32_t x_zp, int32_t y_zp,
                          int16_t out_mult, int out_exp, int16_t relu_mult, int relu_exp,
                          int32_t lo, int32_t hi) {
  for (int64_t i = 0; i < n; i++) {
    int16_t in = (int16_t)(x[i] - x_zp);
    int16_t hires = (int16_t)(in * (1 << 7));
    int16_t preshift = hard_swish_srdhm16_$S(hires, out_mult);
    int16_t relu = hires;
    if (relu_exp > 0) relu = hard_swish_satshl16_$S(relu, relu_exp - 1);
    relu = hard_swish_srdhm16_$S(relu, relu_mult);
    if (relu_exp > 0) relu = hard_swish_satshl16_$S(relu, 1);
    if (relu_exp < 0) relu = hard_swish_rdbpot16_$S(relu, -relu_exp);
    relu = (int16_t)((relu + (1 << 15)) >> 1);
    int16_t out = hard_swish_sdhm16_$S(relu, preshift);
    out = hard_swish_rdbpot16_$S(out, -out_exp);
    out = (int16_t)(out + y_zp);
    y[i] = ($T)mc_clamp_i32(out, lo, hi);
  }
}
