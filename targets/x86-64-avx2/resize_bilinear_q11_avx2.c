/* RESIZE_BILINEAR int8/uint8 with AVX2, XNNPACK's Q11 arithmetic: bit-identical to
   resize_bilinear_q11 (targets/generic), which computes per value
     t = tl * 2048 + (tr - tl) * ax,  b = bl * 2048 + (br - bl) * ax   (horizontal, Q11)
     out = (t * 2048 + (b - t) * ay + 2^21) >> 22                      (vertical, Q22)
   in int32. The same expressions here, in the same int32 arithmetic (shifts left by 11 are the
   multiplications by 2048, and no step overflows: |t|, |b| <= 255 * 2048 and the Q22 sum is a
   weighted mean of them times 2048, below 2^31), so every output is the generic one.
   - A source row's horizontal pass (t for every output column) depends only on the row, and an
     upscale reuses it for many output rows: each part keeps the last two in `rows` and computes
     one only when an output row needs a row it does not hold.
   - Output columns go in chunks of `cw` (the emitter picks cw * depth <= RB int32 per row), so
     the cached rows stay on the stack and in cache whatever the image width.
   - The vertical pass runs over the chunk's cw * depth values as one contiguous array, 32 at a
     time (four int32 vectors packed to bytes; the saturating packs never act, the result lies
     between the four source values).
   Part `part` of `nparts` (threads) computes a range of output rows; no value depends on the
   split. */

enum { RESIZE_Q11_AVX2_RB = 8192 };

/* t for output columns [ox0, ox1) of source row src, as cw * depth int32 from dst. */
MC_AVX2_INLINE void resize_bilinear_q11_avx2_hrow_$S(const $T *src, int32_t depth, int32_t ox0,
                                                     int32_t ox1, const int32_t *xs,
                                                     int32_t *dst) {
  for (int32_t ox = ox0; ox < ox1; ox++) {
    const $T *l = src + (size_t)xs[3 * ox] * depth, *r = src + (size_t)xs[3 * ox + 1] * depth;
    const int32_t ax = xs[3 * ox + 2];
    const __m256i a = _mm256_set1_epi32(ax);
    int32_t d = 0;
    for (; d + 8 <= depth; d += 8, dst += 8) {
      __m256i tl = $CVT32(_mm_loadl_epi64((const __m128i *)(const void *)(l + d)));
      __m256i tr = $CVT32(_mm_loadl_epi64((const __m128i *)(const void *)(r + d)));
      __m256i t = _mm256_add_epi32(_mm256_slli_epi32(tl, 11),
                                   _mm256_mullo_epi32(_mm256_sub_epi32(tr, tl), a));
      _mm256_storeu_si256((__m256i *)(void *)dst, t);
    }
    for (; d < depth; d++) *dst++ = l[d] * 2048 + (r[d] - l[d]) * ax;
  }
}

/* (t * 2048 + (b - t) * ay + 2^21) >> 22 for 8 lanes. */
MC_AVX2_INLINE __m256i resize_bilinear_q11_avx2_v8(const int32_t *t, const int32_t *b, __m256i ay) {
  __m256i vt = _mm256_loadu_si256((const __m256i *)(const void *)t);
  __m256i vb = _mm256_loadu_si256((const __m256i *)(const void *)b);
  __m256i acc = _mm256_add_epi32(_mm256_slli_epi32(vt, 11),
                                 _mm256_mullo_epi32(_mm256_sub_epi32(vb, vt), ay));
  return _mm256_srai_epi32(_mm256_add_epi32(acc, _mm256_set1_epi32(1 << 21)), 22);
}

/* One output row chunk: n values from the horizontal rows t and b, weight ay. */
MC_AVX2_INLINE void resize_bilinear_q11_avx2_vrow_$S(const int32_t *t, const int32_t *b,
                                                     int32_t ay, int32_t n, $T *y) {
  const __m256i a = _mm256_set1_epi32(ay);
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  int32_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i q0 = resize_bilinear_q11_avx2_v8(t + i, b + i, a);
    __m256i q1 = resize_bilinear_q11_avx2_v8(t + i + 8, b + i + 8, a);
    __m256i q2 = resize_bilinear_q11_avx2_v8(t + i + 16, b + i + 16, a);
    __m256i q3 = resize_bilinear_q11_avx2_v8(t + i + 24, b + i + 24, a);
    /* packs work per 128-bit lane: dwords [q0 0-3, q1 0-3, q2 0-3, q3 0-3 | the 4-7s]; the
       permute puts them back in order. */
    __m256i p = $PACK(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3));
    _mm256_storeu_si256((__m256i *)(void *)(y + i), _mm256_permutevar8x32_epi32(p, order));
  }
  for (; i < n; i++) y[i] = ($T)((t[i] * 2048 + (b[i] - t[i]) * ay + (1 << 21)) >> 22);
}

/* cw: output columns per chunk (cw * depth <= RESIZE_Q11_AVX2_RB). */
MC_AVX2_INLINE void resize_bilinear_q11_avx2_$S(int32_t batches, int32_t in_h, int32_t in_w,
                                                int32_t depth, int32_t out_h, int32_t out_w,
                                                int32_t cw, const int32_t *ys, const int32_t *xs,
                                                const $T *x, $T *y, int part, int nparts) {
  int32_t rows[2][RESIZE_Q11_AVX2_RB];
  const int64_t nrows = (int64_t)batches * out_h;
  const int64_t r0 = nrows * part / nparts, r1 = nrows * (part + 1) / nparts;
  for (int32_t ox0 = 0; ox0 < out_w; ox0 += cw) {
    const int32_t ox1 = out_w - ox0 < cw ? out_w : ox0 + cw, n = (ox1 - ox0) * depth;
    int64_t tag[2] = {-1, -1};  /* the source row (batch * in_h + row) each slot holds */
    for (int64_t r = r0; r < r1; r++) {
      const int64_t b = r / out_h, oy = r % out_h;
      const int64_t need[2] = {b * in_h + ys[3 * oy], b * in_h + ys[3 * oy + 1]};
      int slot[2];
      for (int k = 0; k < 2; k++) {
        if (tag[0] == need[k]) slot[k] = 0;
        else if (tag[1] == need[k]) slot[k] = 1;
        else {
          /* Overwrite the slot the other needed row is not in. */
          int s = k == 1 ? 1 - slot[0] : tag[0] == need[1] ? 1 : 0;
          tag[s] = need[k], slot[k] = s;
          resize_bilinear_q11_avx2_hrow_$S(x + (size_t)need[k] * in_w * depth, depth, ox0, ox1,
                                           xs, rows[s]);
        }
      }
      resize_bilinear_q11_avx2_vrow_$S(rows[slot[0]], rows[slot[1]], ys[3 * oy + 2], n,
                                       y + ((size_t)r * out_w + ox0) * depth);
    }
  }
}
