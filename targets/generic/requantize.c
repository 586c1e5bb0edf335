/* Requantization from one integer dtype and scale to another, clamped (TFLite's QUANTIZE between
   integer types, and the quantized RELU family):
   y = clamp(y_zp + requant(x - x_zp, mult, shift), lo, hi), with TFLite's own (double-rounding)
   MultiplyByQuantizedMultiplier. */
static void requantize_$S(int64_t n, const $X *x, int32_t x_zp, $Y *y, int32_t y_zp,
                          int32_t mult, int shift, int32_t lo, int32_t hi) {
  for (int64_t i = 0; i < n; i++) {
    int32_t v = mc_requant_dbl((int32_t)x[i] - x_zp, mult, shift);
    y[i] = ($Y)mc_clamp_offset(v, y_zp, lo, hi);
  }
}
