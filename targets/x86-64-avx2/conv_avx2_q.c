/* CONV_2D with AVX2 as a GEMM, int8 (per-channel weights) and uint8 (per-tensor weights with a
   zero point), groups == 1. Exact, and bit-identical to conv_q:
   - A block of output pixels is laid out as rows of its receptive fields (im2col), each tap's
     input channels widened to int16 as x + x_offset, in the order of the flattened filter
     (fy, fx, ic), zero-padded to an even length 2 * kp. A tap outside the input is a row of
     zeros: the real zero the generic kernel gets by skipping it. For a 1x1 convolution a row is
     just the input pixel.
   - The emitter packed the weights as they are in the model (int8, or raw uint8), in blocks of 8
     output channels with pairs of the flattened filter interleaved: [block group][kp][Kg][8][2]
     (see conv_avx2.c), zero-padded. They are widened on load (_mm256_cvtepi8_epi16 or
     _mm256_cvtepu8_epi16), so the flash image keeps one byte per weight; layers with few
     weights keep them as int16 w + w_offset instead (|w + w_offset| <= 255), with w_zp 0.
   - _mm256_madd_epi16 multiplies int16 pairs into int32 exactly: |x + x_offset| <= 255 and
     |w| <= 255, so a pair sum is at most 2 * 255^2.
   - uint8: sum((x + xo) * (w - zw)) = sum((x + xo) * w) - zw * sum(x + xo), exact integer
     algebra; the second term is one value per pixel (its row sum), subtracted from every channel.
   - int32 addition wraps the same in any order, so the accumulator, bias included, is the
     generic kernel's to the bit; $OUTZ requantizes it with the generic kernel's arithmetic
     (avx2_out.c) and, for a layer with a fused residual ADD (z, its other operand, not NULL),
     adds z's elements of the same outputs in registers before the store (avx2_out_add.c).
   Register tiles: P pixels x Kg blocks of 8 channels (6 x 2: 12 accumulators, 2 weight vectors
   and a broadcast; 1 x 4 for a single pixel), then single blocks for an odd block count.
   Work is split into `nparts` parts (threads) by pixel ranges, or by channel groups when there
   are few pixels; every part writes only its own outputs and uses only its own buffers, and no
   value depends on the split. */

/* dst[0, n) = src[i] + offset as int16. May write up to 15 elements past dst + n (the caller's
   rows are written in increasing order and have slack, and it clears what must be zero), and
   reads 16 bytes at a time only while they lie before src_end. */
MC_AVX2_INLINE void conv_avx2_widen_$S(const $X *src, int n, int32_t offset, int16_t *dst,
                                       const $X *src_end) {
  const __m256i off = _mm256_set1_epi16((int16_t)offset);
  int i = 0;
  for (; i + 16 <= n || (i < n && src_end - (src + i) >= 16); i += 16) {
    __m256i v = $CVT(_mm_loadu_si128((const __m128i *)(const void *)(src + i)));
    _mm256_storeu_si256((__m256i *)(void *)(dst + i), _mm256_add_epi16(v, off));
  }
  for (; i < n; i++) dst[i] = (int16_t)(src[i] + offset);
}

/* 8 weight pairs as int16: widened on load ($W one byte), or as stored ($W int16_t: small layers
   keep w + w_offset as int16, which saves the widening and, for uint8, the row sums). */
MC_AVX2_INLINE __m256i conv_avx2_wload_$S(const $W *p) {
  return $WLOAD;
}

/* One tile: P pixel rows of a (row stride sa) x K blocks of 8 channels from block ob; np <= P
   rows are real and stored. Pair i of a row is at 2 * i, or at off[i] when off is not NULL
   (conv_avx2_direct_q's rows in place). P, K, off and whether z is NULL are literals at every
   call; the unroll pragmas make every acc index a constant, so the accumulators live in
   registers. z, when not NULL, is the fused ADD's other operand at y's outputs, aq its
   constants. */
MC_AVX2_INLINE void conv_avx2_tile_$S(const int16_t *a, int sa, int P, int K, const $W *w, int kp,
                                      const int32_t *off, const int32_t *bias, int ob, int out_d,
                                      const int32_t *rsum, int32_t w_zp, int np,
                                      const $QM *mult, const int32_t *shift, int32_t y_offset,
                                      int32_t act_min, int32_t act_max, $Y *y, const $Y *z,
                                      const int32_t *aq) {
  __m256i acc[6][4];
#pragma GCC unroll 6
  for (int n = 0; n < P; n++)
#pragma GCC unroll 4
    for (int k = 0; k < K; k++)
      acc[n][k] = _mm256_loadu_si256((const __m256i *)(const void *)(bias + 8 * (ob + k)));
  /* An opaque trip count: with a literal one GCC 12 gives the accumulators no fixed registers
     (a copy and a spill per iteration). */
  __asm__("" : "+r"(kp));
  for (int i = 0; i < kp; i++) {
    const int16_t *ai = a + (off ? off[i] : 2 * i);
    __m256i wv[4];
#pragma GCC unroll 4
    for (int k = 0; k < K; k++)
      wv[k] = conv_avx2_wload_$S(w + ((size_t)i * K + k) * 16);
#pragma GCC unroll 6
    for (int n = 0; n < P; n++) {
      __m256i xv = _mm256_set1_epi32(mc_avx2_pair(ai + (size_t)n * sa));
#pragma GCC unroll 4
      for (int k = 0; k < K; k++)
        acc[n][k] = _mm256_add_epi32(acc[n][k], _mm256_madd_epi16(xv, wv[k]));
    }
  }
  const int c = ob * 8, left = mc_avx2_width(out_d - c, 8 * K, out_d % 8 == 0);
  /* Constant indices only (no loop over k), so the accumulators never need memory. */
#pragma GCC unroll 6
  for (int n = 0; n < P; n++) {
    if (n < np) {
      if (w_zp) {
        const __m256i corr = _mm256_set1_epi32(w_zp * rsum[n]);
#pragma GCC unroll 4
        for (int k = 0; k < K; k++) acc[n][k] = _mm256_sub_epi32(acc[n][k], corr);
      }
      $Y *yp = y + (size_t)n * out_d + c;
      const $Y *zp = z ? z + (size_t)n * out_d + c : NULL;
      if (K == 1) {
        $OUTZ(acc[n][0], left < 8 ? left : 8, mult + c, shift + c, y_offset, act_min, act_max, yp,
              zp, aq);
      } else {
        $OUTZ2(acc[n][0], acc[n][1], left < 16 ? left : 16, mult + c, shift + c, y_offset,
               act_min, act_max, yp, zp, aq);
        if (K == 4 && left > 16)
          $OUTZ2(acc[n][2], acc[n][3], left - 16 < 16 ? left - 16 : 16, mult + c + 16,
                 shift + c + 16, y_offset, act_min, act_max, yp + 16, zp ? zp + 16 : NULL, aq);
      }
    }
  }
}

/* The emitter gives every layer its own tile functions, not inlined, with every shape a literal:
   inlined into the layer's loops, the compiler would hoist the requantization's constants out of
   them and then lack the registers for the accumulators of the inner loop. tile_g runs P x Kg
   tiles, tile_1 P x 1 (conv_avx2_tile_$S with the layer's constants). */
typedef void (*conv_avx2_tile_fn_$S)(const int16_t *a, const $W *w, int ob, const int32_t *rsum,
                                     int np, $Y *y, const $Y *z);

/* a: mb + P rows of 2 * kp int16 and 16 more; rsum: mb + P int32 (uint8 only); z: a fused ADD's
   other operand, of y's shape, or NULL. */
MC_AVX2_INLINE void conv_avx2_$S(const $X *x, $Y *y, const $Y *z, const $W *w, int batches,
                                 int in_h, int in_w, int in_d, int out_h, int out_w, int out_d, int k_h,
                                 int k_w, int stride_h, int stride_w, int dil_h, int dil_w,
                                 int pad_h, int pad_w, int32_t x_offset, int32_t w_zp, int kp,
                                 int P, int Kg, int mb, conv_avx2_tile_fn_$S tile_g,
                                 conv_avx2_tile_fn_$S tile_1, int16_t *a, int32_t *rsum,
                                 int part, int nparts) {
  const int nblk = (out_d + 7) / 8, nfull = nblk / Kg, units = nfull + nblk % Kg;
  const int K = k_h * k_w * in_d, sa = 2 * kp;
  const int64_t M = (int64_t)batches * out_h * out_w;
  const $X *x_end = x + (size_t)batches * in_h * in_w * in_d;
  int64_t m0, m1;
  int u0, u1;
  if (!mc_avx2_gemm_part(M, P, units, part, nparts, &m0, &m1, &u0, &u1)) return;
  for (int64_t p0 = m0; p0 < m1; p0 += mb) {
    const int nrow = (int)(m1 - p0 < mb ? m1 - p0 : mb), nrow_p = (nrow + P - 1) / P * P;
    /* im2col: rows in increasing order (conv_avx2_widen may write past a run). */
    for (int r = 0; r < nrow; r++) {
      const int64_t p = p0 + r;
      const int ox = (int)(p % out_w), oy = (int)(p / out_w % out_h), b = (int)(p / out_w / out_h);
      const int iy0 = oy * stride_h - pad_h, ix0 = ox * stride_w - pad_w;
      int16_t *row = a + (size_t)r * sa;
      for (int fy = 0; fy < k_h; fy++) {
        const int iy = iy0 + fy * dil_h;
        int16_t *dst = row + (size_t)fy * k_w * in_d;
        if (iy < 0 || iy >= in_h) {
          memset(dst, 0, (size_t)k_w * in_d * sizeof *dst);
          continue;
        }
        const $X *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
        if (dil_w == 1 && ix0 >= 0 && ix0 + k_w <= in_w) {  /* one contiguous run */
          conv_avx2_widen_$S(src + (size_t)ix0 * in_d, k_w * in_d, x_offset, dst, x_end);
          continue;
        }
        for (int fx = 0; fx < k_w; fx++) {
          const int ix = ix0 + fx * dil_w;
          if (ix < 0 || ix >= in_w)
            memset(dst + (size_t)fx * in_d, 0, (size_t)in_d * sizeof *dst);
          else
            conv_avx2_widen_$S(src + (size_t)ix * in_d, in_d, x_offset, dst + (size_t)fx * in_d,
                               x_end);
        }
      }
      if (K < sa) row[K] = 0;
    }
    memset(a + (size_t)nrow * sa, 0, (size_t)(nrow_p - nrow) * sa * sizeof *a);
    if (w_zp) {
      for (int r = 0; r < nrow_p; r++) {
        const int16_t *row = a + (size_t)r * sa;
        __m256i s = _mm256_setzero_si256();
        int i = 0;
        for (; i + 16 <= sa; i += 16)
          s = _mm256_add_epi32(s, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(row + i)),
                                                    _mm256_set1_epi16(1)));
        __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xB1));
        int32_t t = _mm_cvtsi128_si32(h);
        for (; i < sa; i++) t += row[i];
        rsum[r] = t;
      }
    }
    $Y *yb = y + (size_t)p0 * out_d;
    const $Y *zb = z ? z + (size_t)p0 * out_d : NULL;
    /* Small weights stay in L1 while tiles of the block pass (tile by tile); large ones are
       read once per block (channel group by group), the block staying in L2. */
    const int tiles_first = (size_t)nblk * kp * 16 <= 24 * 1024;
    const int nt = (nrow + P - 1) / P, ni = tiles_first ? nt : u1 - u0, nj = tiles_first ? u1 - u0 : nt;
    for (int i = 0; i < ni; i++) {
      for (int j = 0; j < nj; j++) {
        const int r = (tiles_first ? i : j) * P, u = u0 + (tiles_first ? j : i);
        const int np = nrow - r < P ? nrow - r : P;
        const int ob = u < nfull ? u * Kg : nfull * Kg + (u - nfull);
        (u < nfull ? tile_g : tile_1)(a + (size_t)r * sa, w + (size_t)ob * kp * 16, ob, rsum + r,
                                      np, yb + (size_t)r * out_d,
                                      zb ? zb + (size_t)r * out_d : NULL);
      }
    }
  }
}
