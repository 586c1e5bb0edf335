/* Requantizes 8 int32 accumulators (channels [0, n) of y, n <= 8) with the very scalar function
   the generic kernel calls ($REQUANT), one lane at a time: the fixed-point forms have no cheap
   bit-identical AVX2 sequence, and the accumulators are the same integers, so this is exact. */
MC_AVX2_INLINE void avx2_out_scalar_$S(__m256i acc, int n, const $QM *mult, const int32_t *shift,
                                       int32_t y_offset, int32_t lo, int32_t hi, $Y *y) {
  int32_t a[8];
  _mm256_storeu_si256((__m256i *)(void *)a, acc);
  for (int j = 0; j < n; j++) {
    int32_t v = $REQUANT(a[j], mult[j], shift[j]) + y_offset;
    y[j] = ($Y)mc_clamp_i32(v, lo, hi);
  }
}
