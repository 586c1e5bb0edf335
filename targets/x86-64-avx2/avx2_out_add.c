/* avx2_out and avx2_out2 with a residual ADD fused into the epilogue (fuse-residual-add): the
   convolution's 8-bit result, requantized and clamped as avx2_out would store it, stays in its
   int32 lanes as the ADD's first operand; the other operand's elements at the same positions
   (z) are the second; $ADD (add_avx2_q.c) is binary_q.c's add_xnn or add_q, 8 lanes at a time
   and bit-identical to it, and only its result is stored. The two ADD forms are symmetric in
   their operands (add_q_form's constants swap with them, and the integer sum commutes), so the
   convolution's result always comes first. aq holds the ADD's 16 constants, then add_avx2_q's six
   tables of 8, with the output zero point y_offset of the convolution folded into the first
   operand's constant (add_avx2_consts), so $ADD takes $RQ's r, the requantized value before the
   zero point. $RQ is a clamped form (the emitter never leaves this clamp to packs). Sums lie inside the output type, so the
   saturating packs are exact. */

/* n <= 16 bytes of z, without reading past them. */
MC_AVX2_INLINE __m128i avx2_zload_$S(const $Y *z, int n) {
  if (n >= 16) return _mm_loadu_si128((const __m128i *)(const void *)z);
  return mc_avx2_load_bytes(z, n);
}

MC_AVX2_INLINE void avx2_outz_$S(__m256i acc, int n, const $QM *mult, const int32_t *shift,
                                 int32_t y_offset, int32_t lo, int32_t hi, $Y *y, const $Y *z,
                                 const int32_t *aq) {
  const int m = n < 8 ? n : 8;
  __m256i s = $ADD($RQ(acc, mult, shift, m, lo - y_offset, hi - y_offset),
                   $ZCVT(avx2_zload_$S(z, m)), aq, (const int32_t(*)[8])(aq + 16));
  __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  $STORE($PACK(p16, p16), m, y);
}

MC_AVX2_INLINE void avx2_outz2_$S(__m256i a0, __m256i a1, int n, const $QM *mult,
                                  const int32_t *shift, int32_t y_offset, int32_t lo, int32_t hi,
                                  $Y *y, const $Y *z, const int32_t *aq) {
  if (n <= 8) {
    avx2_outz_$S(a0, n, mult, shift, y_offset, lo, hi, y, z, aq);
    return;
  }
  const int32_t(*tab)[8] = (const int32_t(*)[8])(aq + 16);
  __m128i zb = avx2_zload_$S(z, n);
  __m256i s0 = $ADD($RQ(a0, mult, shift, 8, lo - y_offset, hi - y_offset), $ZCVT(zb), aq, tab);
  __m256i s1 = $ADD($RQ(a1, mult + 8, shift + 8, n - 8, lo - y_offset, hi - y_offset),
                    $ZCVT(_mm_srli_si128(zb, 8)), aq, tab);
  /* As in avx2_out2: packs works per 128-bit lane, the permute restores channel order. */
  __m256i p16 = _mm256_permute4x64_epi64(_mm256_packs_epi32(s0, s1), 0xD8);
  $STORE($PACK(_mm256_castsi256_si128(p16), _mm256_extracti128_si256(p16, 1)), n, y);
}
