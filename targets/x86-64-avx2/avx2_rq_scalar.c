/* Requantizes and clamps channels [0, n) of acc with the very scalar function the generic kernel calls
   ($REQUANT), lane by lane: the fallback for multipliers and shifts outside what avx2_rq_dbl and
   avx2_rq_sgl take (none that TFLite's QuantizeMultiplier gives for a valid model). */
MC_AVX2_INLINE __m256i avx2_rq_scalar_$S(__m256i acc, const $QM *mult, const int32_t *shift,
                                         int n, int32_t lo, int32_t hi) {
  int32_t a[8];
  _mm256_storeu_si256((__m256i *)(void *)a, acc);
  for (int j = 0; j < n; j++) a[j] = mc_clamp_i32($REQUANT(a[j], mult[j], shift[j]), lo, hi);
  return _mm256_loadu_si256((const __m256i *)(const void *)a);
}
