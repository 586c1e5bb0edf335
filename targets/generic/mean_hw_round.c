/* MEAN's last step as reference_integer_ops::Mean computes it (TFLite Micro's kernel for 4D
   means over H and W with keep_dims): the sum less zp_in * count requantized by s_in / s_out, then
   divided by the count rounding half away from zero, plus zp_out, clamped. */
static void mean_hw_round_$S(const int32_t *sum, $T *y, size_t n, int64_t zp_sum, int32_t count,
                             int32_t mult, int shift, int32_t zp_out, int32_t lo, int32_t hi) {
  for (size_t i = 0; i < n; i++) {
    int32_t v = mc_requant((int32_t)(sum[i] - zp_sum), mult, shift);
    v = (int32_t)(v > 0 ? ((int64_t)v + count / 2) / count : ((int64_t)v - count / 2) / count);
    y[i] = ($T)mc_clamp_offset(v, zp_out, lo, hi);
  }
}
