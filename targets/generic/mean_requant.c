/* MEAN's last step for quantized dtypes, TFLite's QuantizedMeanOrSum: the multiplier of
   s_in / s_out is pre-divided by the element count (mult, shift folded by the emitter), and each
   sum, less zp_in * count, is requantized, offset by zp_out and clamped. */
static void mean_requant_$S(const int32_t *sum, $T *y, size_t n, int64_t zp_sum, int32_t mult,
                            int shift, int32_t zp_out, int32_t lo, int32_t hi) {
  for (size_t i = 0; i < n; i++) {
    int32_t v = mc_requant((int32_t)(sum[i] - zp_sum), mult, shift);
    y[i] = ($T)mc_clamp_offset(v, zp_out, lo, hi);
  }
}
