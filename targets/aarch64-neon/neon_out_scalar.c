/* Requantizes 4 accumulators (channels [0, n) of y, n <= 4) with the very scalar function the
   generic kernel calls ($REQUANT: gemmlowp's or TFLite's fixed-point multiply), lane by lane,
   then the zero point and clamp as there. The multiply is per output, not per MAC, so it is a
   small share of the work. */
MC_NEON_INLINE void neon_out1_$S(int32_t acc, int32_t mult, int32_t shift, int32_t y_offset,
                                 int32_t lo, int32_t hi, $Y *y) {
  *y = ($Y)mc_clamp_offset($REQUANT(acc, mult, shift), y_offset, lo, hi);
}
#if MC_NEON
MC_NEON_INLINE void neon_out_$S(int32x4_t acc, int n, const int32_t *mult, const int32_t *shift,
                                int32_t y_offset, int32_t lo, int32_t hi, $Y *y) {
  int32_t a[4];
  vst1q_s32(a, acc);
  for (int j = 0; j < n; j++) neon_out1_$S(a[j], mult[j], shift[j], y_offset, lo, hi, y + j);
}
#endif
