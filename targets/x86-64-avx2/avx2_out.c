/* Requantizes int32 accumulators for channels [0, n) of y with $RQ (avx2_requant.c: the generic
   kernel's requantization, lane by lane, clamped to [lo - y_offset, hi - y_offset]), adds the
   output zero point (clamp(r + zp, lo, hi) = clamp(r, lo - zp, hi - zp) + zp for integers) in
   int16, and stores n <= 8 outputs (avx2_out_$S) or n <= 16 from two accumulators
   (avx2_out2_$S). Once clamped inside the output type every value fits, and the saturating
   packs and add act on none. avx2_rq_fp32_unclamped leaves the clamp to them: a value beyond
   int16 saturates in the first pack, stays beyond the byte range on its side when the zero point
   (|zp| <= 255) is added with saturation, and the byte pack clamps it to the type's bound. */
MC_AVX2_INLINE void avx2_store_$S(__m128i p8, int n, $Y *y) {
  if (n >= 16) {
    _mm_storeu_si128((__m128i *)(void *)y, p8);
  } else {
    mc_avx2_store_bytes(y, p8, n);
  }
}

MC_AVX2_INLINE void avx2_out_$S(__m256i acc, int n, const $QM *mult, const int32_t *shift,
                                int32_t y_offset, int32_t lo, int32_t hi, $Y *y) {
  __m256i q = $RQ(acc, mult, shift, n, lo - y_offset, hi - y_offset);
  __m128i p16 = _mm_adds_epi16(_mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1)),
                              _mm_set1_epi16((int16_t)y_offset));
  avx2_store_$S($PACK(p16, p16), n < 8 ? n : 8, y);
}

MC_AVX2_INLINE void avx2_out2_$S(__m256i a0, __m256i a1, int n, const $QM *mult,
                                 const int32_t *shift, int32_t y_offset, int32_t lo, int32_t hi,
                                 $Y *y) {
  if (n <= 8) {
    avx2_out_$S(a0, n, mult, shift, y_offset, lo, hi, y);
    return;
  }
  __m256i q0 = $RQ(a0, mult, shift, 8, lo - y_offset, hi - y_offset);
  __m256i q1 = $RQ(a1, mult + 8, shift + 8, n - 8, lo - y_offset, hi - y_offset);
  /* packs works per 128-bit lane: [q0 0-3, q1 0-3 | q0 4-7, q1 4-7]; the permute restores
     channel order before the byte pack. */
  __m256i p16 = _mm256_adds_epi16(_mm256_permute4x64_epi64(_mm256_packs_epi32(q0, q1), 0xD8),
                                 _mm256_set1_epi16((int16_t)y_offset));
  avx2_store_$S($PACK(_mm256_castsi256_si128(p16), _mm256_extracti128_si256(p16, 1)), n, y);
}

/* avx2_out and avx2_out2 in the form of avx2_out_add.c's, for kernels without a fused ADD: their
   layers pass no ADD operand, so z and aq go unused. */
MC_AVX2_INLINE void avx2_out_noadd_$S(__m256i acc, int n, const $QM *mult, const int32_t *shift,
                                      int32_t y_offset, int32_t lo, int32_t hi, $Y *y,
                                      const $Y *z, const int32_t *aq) {
  (void)z, (void)aq;
  avx2_out_$S(acc, n, mult, shift, y_offset, lo, hi, y);
}

MC_AVX2_INLINE void avx2_out2_noadd_$S(__m256i a0, __m256i a1, int n, const $QM *mult,
                                       const int32_t *shift, int32_t y_offset, int32_t lo,
                                       int32_t hi, $Y *y, const $Y *z, const int32_t *aq) {
  (void)z, (void)aq;
  avx2_out2_$S(a0, a1, n, mult, shift, y_offset, lo, hi, y);
}
