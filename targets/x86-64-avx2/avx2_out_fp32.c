/* Requantizes 8 int32 accumulators (channels [0, n) of y, n <= 8) with XNNPACK's fp32 scheme and
   stores them. Bit-identical to mc_requant_fp32 lane by lane: _mm256_cvtepi32_ps and
   _mm256_mul_ps round like the scalar (float)acc * scale (IEEE single, to nearest), the clamp to
   +-2^24 is the same, and _mm256_cvtps_epi32 rounds to nearest with ties to even (the default
   MXCSR mode, which the scalar float arithmetic relies on too), as the integer steps of
   mc_requant_fp32 do. No float add follows the multiply, so FMA contraction cannot change it.
   The clamp to [lo, hi] (inside the output type) comes before packing, so the packs' saturation
   never acts. */
MC_AVX2_INLINE void avx2_out_fp32_$S(__m256i acc, int n, const float *scale, const int32_t *shift,
                                     int32_t y_offset, int32_t lo, int32_t hi, $Y *y) {
  (void)shift;
  __m256 s = n == 8 ? _mm256_loadu_ps(scale) : _mm256_maskload_ps(scale, mc_avx2_mask(n));
  __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), s);
  v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-16777216.0f)), _mm256_set1_ps(16777216.0f));
  __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(v), _mm256_set1_epi32(y_offset));
  q = _mm256_min_epi32(_mm256_max_epi32(q, _mm256_set1_epi32(lo)), _mm256_set1_epi32(hi));
  __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
  __m128i p8 = $PACK(p16, p16);
  if (n == 8) {
    _mm_storel_epi64((__m128i *)(void *)y, p8);
  } else {
    uint8_t tmp[16];
    _mm_storeu_si128((__m128i *)(void *)tmp, p8);
    memcpy(y, tmp, (size_t)n);
  }
}
