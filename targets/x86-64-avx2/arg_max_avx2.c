/* ARG_MAX of int8/uint8 over the last axis, 2 to 32 values per position, with AVX2:
   bit-identical to arg_max (targets/generic), which keeps the first index of the largest value.
   Each position's n values are one 32-byte load, the lanes past n set to the dtype's minimum
   (they come after every real lane, so even when they tie with the maximum the first real lane
   holding it wins); the maximum is reduced across the lanes, broadcast, compared, and the first
   equal lane is the lowest set bit of the byte mask. Positions whose load would read past the
   input's end run the generic loop. Part `part` of `nparts` (threads) computes a range of
   positions. */
MC_AVX2_INLINE void arg_max_avx2_$S(int32_t outer, int32_t n, const $T *x, $I *y, int part,
                                    int nparts) {
  const int32_t p0 = (int32_t)((int64_t)outer * part / nparts);
  const int32_t p1 = (int32_t)((int64_t)outer * (part + 1) / nparts);
  /* Positions p < nfull (p * n + 32 <= outer * n) can load 32 bytes. */
  const int64_t total = (int64_t)outer * n, nfull = total >= 32 ? (total - 32) / n + 1 : 0;
  const int32_t pv = nfull < p1 ? (int32_t)(nfull > p0 ? nfull : p0) : p1;
  const __m256i lanes = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                         17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
  const __m256i real = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)n), lanes);
  const __m256i pad = _mm256_set1_epi8((char)$MIN);
  for (int32_t p = p0; p < pv; p++) {
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(x + (size_t)p * n));
    v = _mm256_blendv_epi8(pad, v, real);
    __m128i m = $MAX(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    m = $MAX(m, _mm_srli_si128(m, 8));
    m = $MAX(m, _mm_srli_si128(m, 4));
    m = $MAX(m, _mm_srli_si128(m, 2));
    m = $MAX(m, _mm_srli_si128(m, 1));
    unsigned eq = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_broadcastb_epi8(m)));
    y[p] = ($I)__builtin_ctz(eq);
  }
  for (int32_t p = pv; p < p1; p++) {
    const $T *xo = x + (size_t)p * n;
    $T best = xo[0];
    $I at = 0;
    for (int32_t k = 1; k < n; k++)
      if (xo[k] > best) best = xo[k], at = ($I)k;
    y[p] = at;
  }
}
