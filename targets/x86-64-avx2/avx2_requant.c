/* ---- AVX2 requantization, 8 channels at a time (targets/x86-64-avx2/avx2_requant.c) ----
   Each avx2_rq_* function is the generic kernels' scalar requantization applied lane by lane,
   then clamped to [lo, hi], and returns exactly the int32 results the scalar code gives (each
   function's comment says why; tests/data/avx2_requant_check.c compares them lane by lane on
   random and edge values, and tests/test_targets.c every shared model, both roundings). The
   output zero point comes after (avx2_out.c): clamp(r + zp, lo + zp, hi + zp) =
   clamp(r, lo, hi) + zp for integers. Tables are read for channels [0, n) only (masked loads),
   so none needs padding. */

/* Lanes [0, n) of p (n <= 8); the others 0. The pointer passes an empty asm: with a table of
   fewer than 16 channels, -Warray-bounds would flag the unmasked load on the path of a second
   block of 8, which the kernels never take there. */
MC_AVX2_INLINE __m256i avx2_load_i32n(const int32_t *p, int n) {
  __asm__("" : "+r"(p));
  return n >= 8 ? _mm256_loadu_si256((const __m256i *)(const void *)p)
                : _mm256_maskload_epi32((const int *)(const void *)p, mc_avx2_mask(n));
}
MC_AVX2_INLINE __m256 avx2_load_f32n(const float *p, int n) {
  __asm__("" : "+r"(p));
  return n >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mc_avx2_mask(n));
}

/* mc_requant_fp32, clamped: _mm256_cvtepi32_ps and _mm256_mul_ps round like the scalar
   (float)acc * scale (IEEE single, to nearest), and _mm256_cvtps_epi32 rounds to nearest with
   ties to even (the default MXCSR mode, which the scalar float arithmetic relies on too), as
   mc_requant_fp32's integer steps do below 2^24. The clamps move before the rounding: for
   integers lo <= hi inside [-2^24, 2^24] (the emitter's are inside the output type) and a
   monotonic rounding, clamp(round(clamp(v, -2^24, 2^24)), lo, hi) = round(clamp(v, lo, hi)).
   No add follows the multiply, so FMA contraction cannot change it. */
MC_AVX2_INLINE __m256i avx2_rq_fp32(__m256i acc, const float *scale, const int32_t *shift, int n,
                                    int32_t lo, int32_t hi) {
  (void)shift;
  __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), avx2_load_f32n(scale, n));
  v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps((float)lo)), _mm256_set1_ps((float)hi));
  return _mm256_cvtps_epi32(v);
}

/* avx2_rq_fp32 for a layer whose clamp is its output type's whole range and whose scales are all
   below 0.25 (the emitter checks both): |(float)acc * scale| < 2^30, so _mm256_cvtps_epi32 rounds
   it without overflow, and avx2_out's saturating packs and add then give what clamping first
   gives (an r beyond 2^24, where the scalar form clamps, is beyond the type on the same side). */
MC_AVX2_INLINE __m256i avx2_rq_fp32_unclamped(__m256i acc, const float *scale, const int32_t *shift,
                                              int n, int32_t lo, int32_t hi) {
  (void)shift, (void)lo, (void)hi;
  return _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_cvtepi32_ps(acc), avx2_load_f32n(scale, n)));
}

MC_AVX2_INLINE __m256i avx2_clamp_i32(__m256i v, int32_t lo, int32_t hi) {
  return _mm256_min_epi32(_mm256_max_epi32(v, _mm256_set1_epi32(lo)), _mm256_set1_epi32(hi));
}

/* Bits 31..62 of the 64-bit products a * b + 2^30 of each int32 lane pair: the even lanes from
   _mm256_mul_epi32 directly, the odd ones from the lanes shifted down. The 64-bit products and
   sums are exact (|a * b| <= 2^62, so adding 2^30 cannot overflow). */
MC_AVX2_INLINE __m256i avx2_mulhi31(__m256i a, __m256i b) {
  const __m256i half = _mm256_set1_epi64x((int64_t)1 << 30);
  __m256i even = _mm256_add_epi64(_mm256_mul_epi32(a, b), half);
  __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32)), half);
  return _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
}

/* mc_requant as gemmlowp's double rounding (requant_double.c) and mc_requant_dbl:
   - (uint32_t)x << left is _mm256_sllv_epi32 (left in [0, 31]: the emitter checks the shifts);
   - mc_srdhm(a, b) = trunc((a*b + nudge) / 2^31) with nudge 2^30 or 1 - 2^30 by the sign of a*b.
     For a*b >= 0 that is floor((a*b + 2^30) / 2^31); for a*b < 0 the sum is negative, so the
     truncation is floor((a*b + 1 - 2^30 + 2^31 - 1) / 2^31), the same expression: both are bits
     31..62 of a*b + 2^30 (avx2_mulhi31), which fit int32 except for a == b == INT32_MIN, where
     mc_srdhm saturates; the emitter uses this form only for multipliers >= 0, so that never
     happens;
   - mc_rdbpot(v, right) is (v >> right) + (remainder > threshold), with the same mask and
     threshold, per lane (_mm256_srav_epi32; right in [0, 31]).
   avx2_rq_dbl_right is the same for layers whose shifts are all <= 0 (left is 0 in every lane). */
MC_AVX2_INLINE __m256i avx2_rq_dbl_shifted(__m256i acc, const int32_t *mult, const int32_t *shift,
                                           int n, int32_t lo, int32_t hi, int has_left) {
  const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);
  __m256i sh = avx2_load_i32n(shift, n), m = avx2_load_i32n(mult, n);
  __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, sh), zero);
  __m256i a = has_left ? _mm256_sllv_epi32(acc, _mm256_max_epi32(sh, zero)) : acc;
  __m256i v = avx2_mulhi31(a, m);
  __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  __m256i rem = _mm256_and_si256(v, mask);
  /* threshold = (mask >> 1) + (v < 0): cmpgt gives -1 for true, so subtract it */
  __m256i thr = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_cmpgt_epi32(zero, v));
  return avx2_clamp_i32(_mm256_sub_epi32(_mm256_srav_epi32(v, right), _mm256_cmpgt_epi32(rem, thr)),
                        lo, hi);
}
MC_AVX2_INLINE __m256i avx2_rq_dbl(__m256i acc, const int32_t *mult, const int32_t *shift, int n,
                                   int32_t lo, int32_t hi) {
  return avx2_rq_dbl_shifted(acc, mult, shift, n, lo, hi, 1);
}
MC_AVX2_INLINE __m256i avx2_rq_dbl_right(__m256i acc, const int32_t *mult, const int32_t *shift,
                                         int n, int32_t lo, int32_t hi) {
  return avx2_rq_dbl_shifted(acc, mult, shift, n, lo, hi, 0);
}

/* mc_requant as TFLite's single rounding (requant_single.c): (x * m + 2^(t-1)) >> t with
   t = 31 - shift in [1, 62] (the emitter checks the shifts), arithmetic, then the low 32 bits.
   The 64-bit products are exact (|x * m| < 2^62) and so is the rounding add; the arithmetic
   shift is the logical one with the sign flipped before and after (s ^ ((v ^ s) >> t)). */
MC_AVX2_INLINE __m256i avx2_sra64(__m256i v, __m256i t) {
  __m256i s = _mm256_cmpgt_epi64(_mm256_setzero_si256(), v);
  return _mm256_xor_si256(_mm256_srlv_epi64(_mm256_xor_si256(v, s), t), s);
}
MC_AVX2_INLINE __m256i avx2_rq_sgl(__m256i acc, const int32_t *mult, const int32_t *shift, int n,
                                   int32_t lo, int32_t hi) {
  const __m256i one = _mm256_set1_epi64x(1);
  __m256i m = avx2_load_i32n(mult, n);
  __m256i t = _mm256_sub_epi32(_mm256_set1_epi32(31), avx2_load_i32n(shift, n));
  __m256i te = _mm256_and_si256(t, _mm256_set1_epi64x(0xFFFFFFFF)), to = _mm256_srli_epi64(t, 32);
  __m256i pe = _mm256_mul_epi32(acc, m);
  __m256i po = _mm256_mul_epi32(_mm256_srli_epi64(acc, 32), _mm256_srli_epi64(m, 32));
  pe = avx2_sra64(_mm256_add_epi64(pe, _mm256_sllv_epi64(one, _mm256_sub_epi64(te, one))), te);
  po = avx2_sra64(_mm256_add_epi64(po, _mm256_sllv_epi64(one, _mm256_sub_epi64(to, one))), to);
  return avx2_clamp_i32(_mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA), lo, hi);
}
