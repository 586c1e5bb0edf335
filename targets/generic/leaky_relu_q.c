/* LEAKY_RELU, quantized (TFLite's QuantizeLeakyRelu): non-negative inputs are rescaled by
   s_x / s_y, negative ones by alpha * s_x / s_y, each with its own multiplier. */
static void leaky_relu_$S(int64_t n, const $T *x, int32_t x_zp, $T *y, int32_t y_zp,
                          int32_t mult_id, int shift_id, int32_t mult_alpha, int shift_alpha,
                          int32_t lo, int32_t hi) {
  for (int64_t i = 0; i < n; i++) {
    int32_t v = (int32_t)x[i] - x_zp;
    v = v >= 0 ? mc_requant_dbl(v, mult_id, shift_id) : mc_requant_dbl(v, mult_alpha, shift_alpha);
    y[i] = ($T)mc_clamp_offset(v, y_zp, lo, hi);
  }
}
