/* AVERAGE_POOL_2D of int8/uint8 with AVX2: avg_pool (targets/generic) 32 or 8 channels at a
   time, and bit-identical to it:
   - Each window element widens to int32 ($CVT32) and adds into its channel's lane: the sums are the
     generic kernel's exact integer sums (every |x| <= 255, and the verifier bounds the window),
     in whatever order.
   - pool_div_round(acc, count) is trunc((acc +- count / 2) / count), + when acc > 0. In double
     the numerator is exact (integers below 2^53), and so is the truncated quotient: a correctly
     rounded n / c is off by at most |n / c| * 2^-53 < 1 / c, less than the distance from a
     non-integer n / c to the nearest integer, and an integer quotient is exact.
   - Then the activation clamp and the byte store; loads and stores move only each group's own
     bytes (mc_avx2_load_bytes, mc_avx2_store_bytes), so the last depth % 8 never pass the end.
   Part `part` of `nparts` (threads) computes a range of output rows (batches x out_h). */
/* pool_div_round of the 4 lanes of v. */
MC_AVX2_INLINE __m128i avg_pool_avx2_div_$S(__m256d v, int count) {
  const __m256d half = _mm256_set1_pd((double)(count / 2));
  const __m256d up = _mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_GT_OQ);
  v = _mm256_blendv_pd(_mm256_sub_pd(v, half), _mm256_add_pd(v, half), up);
  return _mm256_cvttpd_epi32(_mm256_div_pd(v, _mm256_set1_pd((double)count)));
}

MC_AVX2_INLINE void avg_pool_avx2_$S(int batches, int in_h, int in_w, int depth, int out_h,
                                     int out_w, int fh, int fw, int sh, int sw, int pad_h,
                                     int pad_w, const $T *x, $T *y, int32_t lo, int32_t hi,
                                     int part, int nparts) {
  const int rows = batches * out_h;
  const int r0 = (int)((int64_t)rows * part / nparts), r1 = (int)((int64_t)rows * (part + 1) / nparts);
  for (int r = r0; r < r1; r++) {
    const int b = r / out_h, oy = r % out_h;
    const int y0 = oy * sh - pad_h, ky0 = y0 < 0 ? -y0 : 0, ky1 = in_h - y0 < fh ? in_h - y0 : fh;
    for (int ox = 0; ox < out_w; ox++) {
      const int x0 = ox * sw - pad_w, kx0 = x0 < 0 ? -x0 : 0, kx1 = in_w - x0 < fw ? in_w - x0 : fw;
      const int count = (ky1 - ky0) * (kx1 - kx0);
      $T *out = y + ((size_t)r * out_w + ox) * depth;
      /* 32 channels at a time (4 accumulators, independent chains), then 8 at a time. */
      for (int c0 = 0; c0 < depth;) {
        const int wide = depth - c0 >= 32, ng = wide ? 4 : 1;
        const int n = wide ? 8 : depth - c0 < 8 ? depth - c0 : 8;
        __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                          _mm256_setzero_si256()};
        for (int ky = ky0; ky < ky1; ky++) {
          const $T *row = x + (((ptrdiff_t)b * in_h + (y0 + ky)) * in_w + x0) * depth + c0;
          for (int kx = kx0; kx < kx1; kx++) {
            const $T *px = row + (ptrdiff_t)kx * depth;
            if (wide) {
#pragma GCC unroll 4
              for (int g = 0; g < 4; g++)
                acc[g] = _mm256_add_epi32(acc[g], $CVT32(mc_avx2_load_bytes(px + 8 * g, 8)));
            } else {
              acc[0] = _mm256_add_epi32(acc[0], $CVT32(mc_avx2_load_bytes(px, n)));
            }
          }
        }
        for (int g = 0; g < ng; g++) {
          const __m256i a = acc[g];
          const __m128i q0 = avg_pool_avx2_div_$S(_mm256_cvtepi32_pd(_mm256_castsi256_si128(a)), count);
          const __m128i q1 = avg_pool_avx2_div_$S(_mm256_cvtepi32_pd(_mm256_extracti128_si256(a, 1)), count);
          __m256i q = _mm256_set_m128i(q1, q0);
          q = _mm256_min_epi32(_mm256_max_epi32(q, _mm256_set1_epi32(lo)), _mm256_set1_epi32(hi));
          const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
          mc_avx2_store_bytes(out + c0 + 8 * g, $PACK(p16, p16), n);
        }
        c0 += ng * n;
      }
    }
  }
}
