/* dst[i] = src[i] + offset as int16, i < n: an 8-bit value plus an 8-bit zero point's negation
   lies in [-255, 255], so the sum is exact in int16 (and it is the factor the generic kernels
   multiply). */
MC_AVX2_INLINE void avx2_widen_$S(const $X *src, int n, int32_t offset, int16_t *dst) {
  const __m256i off = _mm256_set1_epi16((int16_t)offset);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i v = $CVT(_mm_loadu_si128((const __m128i *)(const void *)(src + i)));
    _mm256_storeu_si256((__m256i *)(void *)(dst + i), _mm256_add_epi16(v, off));
  }
  for (; i < n; i++) dst[i] = (int16_t)(src[i] + offset);
}
