/* 8-bit requantization as XNNPACK runs it (the full TFLite runtime delegates int8/uint8
   LEAKY_RELU and same-type QUANTIZE to XNNPACK): the scale ratio is a Q8 multiplier, one for
   x >= zero point and one below (equal for QUANTIZE), and
   y = clamp(floor(((x - x_zp) * m + y_zp * 256 + 128) / 256)). */
static void xnn_requant8_$S(int64_t n, const $T *x, int32_t x_zp, $T *y, int32_t y_zp,
                            int32_t m_pos, int32_t m_neg, int32_t lo, int32_t hi) {
  const int32_t bias = y_zp * 256 + 0x80;
  for (int64_t i = 0; i < n; i++) {
    int32_t v = (int32_t)x[i] - x_zp;
    int32_t acc = bias + v * (v >= 0 ? m_pos : m_neg);
    int32_t q = acc >= 0 ? acc / 256 : -((-acc + 255) / 256);  /* floor, as an arithmetic shift */
    y[i] = ($T)mc_clamp_i32(q, lo, hi);
  }
}
