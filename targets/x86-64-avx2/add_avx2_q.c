/* int8/uint8 ADD and SUB for x86-64-avx2 on operands of the output's shape: the generic element
   functions 8 lanes at a time, bit-identical to them for every input pair (tests/test_targets.c
   tries all 65536 byte pairs, both forms, several parameter sets):
   add_avx2_$S runs $VEC, one of:
   - add_avx2_xnn8_$S is add_xnn's q[0] + a * q[1] + b * q[2] with _mm256_mullo_epi32 (the low 32
     bits of the product, which is the int32 product: |a * q| < 2^29 for 8-bit a and XNNPACK's
     21-bit multipliers), the arithmetic shift by q[3] with _mm256_sra_epi32, then + q[4] and the
     clamp;
   - add_avx2_dbl8_$S is add_q's two inputs shifted left by q[2] (_mm256_sllv_epi32 on the 32-bit
     pattern, as (uint32_t)x << n), each requantized with avx2_rq_dbl (mc_requant_dbl lane for
     lane, see avx2_requant.c: the emitter passes only multipliers >= 0 and shifts in
     [-31, 31]), summed or subtracted by q[12], requantized, + q[9], clamped; the clamps of
     avx2_rq_dbl are INT32_MIN and INT32_MAX there, so they change nothing.
   Results are inside [q[lo], q[hi]], inside the output type, so the saturating packs to 8 bits
   are exact. q: the 16 constants, then add_q's multipliers and shifts as avx2_rq_dbl's six
   tables of 8 (the emitter's add_avx2_consts); restrict, since y is bytes that could otherwise
   alias it. Part `part` of `nparts` computes blocks of 8 [nb * part / nparts, ...) of the n / 8;
   the last part also the n % 8 tail with the scalar $ELEM. y may be a or b: each block is loaded
   before it is stored. */

MC_AVX2_INLINE __m256i add_avx2_load_$S(const $T *p) {
  return $CVT(_mm_loadl_epi64((const __m128i *)(const void *)p));
}

MC_AVX2_INLINE void add_avx2_store_$S($T *p, __m256i v) {
  __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64((__m128i *)(void *)p, $PACK(w, w));
}

MC_AVX2_INLINE __m256i add_avx2_xnn8_$S(__m256i a, __m256i b, const int32_t *q,
                                        const int32_t tab[6][8]) {
  (void)tab;
  __m256i acc = _mm256_add_epi32(_mm256_set1_epi32(q[0]),
                                 _mm256_add_epi32(_mm256_mullo_epi32(a, _mm256_set1_epi32(q[1])),
                                                  _mm256_mullo_epi32(b, _mm256_set1_epi32(q[2]))));
  __m256i v = _mm256_add_epi32(_mm256_sra_epi32(acc, _mm_cvtsi32_si128(q[3])), _mm256_set1_epi32(q[4]));
  return avx2_clamp_i32(v, q[5], q[6]);
}

MC_AVX2_INLINE __m256i add_avx2_dbl8_$S(__m256i a, __m256i b, const int32_t *q,
                                        const int32_t tab[6][8]) {
  const __m256i left = _mm256_set1_epi32(q[2]);
  __m256i sa = _mm256_sllv_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(q[0])), left);
  __m256i sb = _mm256_sllv_epi32(_mm256_add_epi32(b, _mm256_set1_epi32(q[1])), left);
  __m256i ra = avx2_rq_dbl(sa, tab[0], tab[1], 8, INT32_MIN, INT32_MAX);
  __m256i rb = avx2_rq_dbl(sb, tab[2], tab[3], 8, INT32_MIN, INT32_MAX);
  __m256i sum = q[12] > 0 ? _mm256_add_epi32(ra, rb) : _mm256_sub_epi32(ra, rb);
  __m256i r = avx2_rq_dbl(sum, tab[4], tab[5], 8, INT32_MIN, INT32_MAX);
  return avx2_clamp_i32(_mm256_add_epi32(r, _mm256_set1_epi32(q[9])), q[10], q[11]);
}

/* The block range of a part, and whether it takes the tail. */
MC_AVX2_INLINE void add_avx2_range_$S(int64_t n, int part, int nparts, int64_t *i0, int64_t *i1,
                                      int64_t *end) {
  int64_t nb = n / 8;
  *i0 = nb * part / nparts * 8, *i1 = nb * (part + 1) / nparts * 8;
  *end = part == nparts - 1 ? n : *i1;
}

/* Inline only in name: a layer whose convolution took the ADD into its tiles instantiates this
   file for the element functions above and never calls this one, which gcc then leaves unused
   without a warning. */
MC_AVX2 static inline void add_avx2_$S(const $T *a, const $T *b, $T *y, int64_t n,
                                       const int32_t *restrict q, int part, int nparts) {
  const int32_t(*tab)[8] = (const int32_t(*)[8])(q + 16);
  int64_t i, i1, end;
  add_avx2_range_$S(n, part, nparts, &i, &i1, &end);
  for (; i < i1; i += 8)
    add_avx2_store_$S(y + i, $VEC(add_avx2_load_$S(a + i), add_avx2_load_$S(b + i), q, tab));
  for (; i < end; i++) y[i] = ($T)$ELEM(a[i], b[i], q, 0);
}
