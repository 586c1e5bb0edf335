/* CONV_2D with AVX-512 VNNI as a GEMM, int8 (per-channel weights) and uint8 (per-tensor weights
   with a zero point), groups == 1. Exact, and bit-identical to conv_q:
   - vpdpbusd multiplies unsigned by signed bytes and adds each group of four products to an
     int32 lane without saturation. The activations stay as they are in memory (uint8 the unsigned
     operand, int8 the signed one), so a 1x1 convolution reads its input pixels in place; the
     emitter stores every weight as w ^ 0x80, which is w + 128 as uint8 (int8 models) or w - 128
     as int8 (uint8 models), the other operand's type.
   - The product sums then differ from the generic kernel's sum((x + x_offset) * (w + w_offset))
     by terms exact integer algebra gives: coef * sum(x), one value per pixel from its row sum
     (coef = -128, or 128 + w_offset for uint8), and x_offset * sum(w + w_offset), one per channel,
     which the emitter folded into the bias at compile time.
   - A tap outside the input is the input zero point, so that x + x_offset = 0 there: the
     algebra above over every tap then equals the generic kernel's sum over the taps it visits.
     The filter is padded with zero weights to a multiple of 4 (rows of kq quads).
   - int32 addition wraps the same in any order, so the accumulator is the generic kernel's to the
     bit; each 16-lane accumulator is requantized as two AVX2 halves by $OUTZ2, the x86-64-avx2
     store (avx2_out.c, or avx2_out_add.c with a fused residual ADD, z not NULL).
   Register tiles: P pixels x K blocks of 16 channels (at most 24 accumulators of 32 registers),
   then single blocks for the blocks left over. Work is split into `nparts` parts (threads) by
   pixel ranges, or by channel groups when there are few pixels, as conv_avx2_q does. */

MC_VNNI_INLINE __m512i conv_vnni_dot_$S(__m512i acc, __m512i x, __m512i w) {
  return $DOT;
}

/* The sum of n bytes of row (n a multiple of 4), as x's type. */
MC_VNNI_INLINE int32_t conv_vnni_rsum_$S(const $X *row, int n) {
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i s = _mm512_setzero_si512();
  int i = 0;
  for (; i + 64 <= n; i += 64)
    s = conv_vnni_dot_$S(s, _mm512_loadu_si512((const void *)(row + i)), ones);
  if (i < n)
    s = conv_vnni_dot_$S(s, _mm512_maskz_loadu_epi8(((__mmask64)1 << (n - i)) - 1, row + i), ones);
  return _mm512_reduce_add_epi32(s);
}

/* One tile: P pixel rows of a (row stride sa bytes) x K blocks of 16 channels from block ob; np <= P
   rows are real and stored. P and K are literals at every call, and the unroll pragmas make
   every accumulator index a constant, so the accumulators live in registers. */
MC_VNNI_INLINE void conv_vnni_tile_$S(const $X *a, int sa, int P, int K, const uint8_t *w, int kq,
                                      const int32_t *bias, int ob, int out_d, const int32_t *rsum,
                                      int32_t coef, int np, const $QM *mult,
                                      const int32_t *shift, int32_t y_offset, int32_t act_min,
                                      int32_t act_max, $Y *y, const $Y *z, const int32_t *aq) {
  __m512i acc[12][4];
#pragma GCC unroll 12
  for (int n = 0; n < P; n++) {
    const __m512i corr = _mm512_set1_epi32(coef * rsum[n]);
#pragma GCC unroll 4
    for (int k = 0; k < K; k++)
      acc[n][k] = _mm512_add_epi32(_mm512_loadu_si512((const void *)(bias + 16 * (ob + k))), corr);
  }
  /* An opaque trip count: with a literal one GCC 12 gives the accumulators no fixed registers. */
  __asm__("" : "+r"(kq));
  for (int i = 0; i < kq; i++) {
    __m512i wv[4];
#pragma GCC unroll 4
    for (int k = 0; k < K; k++)
      wv[k] = _mm512_loadu_si512((const void *)(w + ((size_t)i * K + k) * 64));
#pragma GCC unroll 12
    for (int n = 0; n < P; n++) {
      const __m512i xv = _mm512_set1_epi32(mc_vnni_quad(a + (size_t)n * sa + 4 * i));
#pragma GCC unroll 4
      for (int k = 0; k < K; k++) acc[n][k] = conv_vnni_dot_$S(acc[n][k], xv, wv[k]);
    }
  }
  const int c = ob * 16, left = mc_avx2_width(out_d - c, 16 * K, out_d % 16 == 0);
#pragma GCC unroll 12
  for (int n = 0; n < P; n++) {
    if (n < np) {
      $Y *yp = y + (size_t)n * out_d + c;
      const $Y *zp = z ? z + (size_t)n * out_d + c : NULL;
#pragma GCC unroll 4
      for (int k = 0; k < K; k++)
        if (left > 16 * k)
          $OUTZ2(_mm512_castsi512_si256(acc[n][k]), _mm512_extracti64x4_epi64(acc[n][k], 1),
                 left - 16 * k < 16 ? left - 16 * k : 16, mult + c + 16 * k, shift + c + 16 * k,
                 y_offset, act_min, act_max, yp + 16 * k, zp ? zp + 16 * k : NULL, aq);
    }
  }
}

/* The emitter gives every layer its own tile functions, not inlined, every shape a literal (as
   conv_avx2_q's): tile_g runs P x Kg tiles, tile_1 P x 1. */
typedef void (*conv_vnni_tile_fn_$S)(const $X *a, const uint8_t *w, int ob, const int32_t *rsum,
                                     int np, $Y *y, const $Y *z);

/* a: mb + P rows of 4 * kq bytes; rsum: mb + P int32. `direct` (the emitter's choice: a 1x1
   convolution with stride 1, no padding and whole quads of input channels) reads the rows from x
   in place; a then holds only a last partial tile, so that no tile reads past x. */
MC_VNNI_INLINE void conv_vnni_$S(const $X *x, $Y *y, const $Y *z, const uint8_t *w, int batches,
                                 int in_h, int in_w, int in_d, int out_h, int out_w, int out_d,
                                 int k_h, int k_w, int stride_h, int stride_w, int dil_h, int dil_w,
                                 int pad_h, int pad_w, int x_zp, int kq, int direct, int P,
                                 int Kg, int mb, conv_vnni_tile_fn_$S tile_g,
                                 conv_vnni_tile_fn_$S tile_1, $X *a, int32_t *rsum, int part,
                                 int nparts) {
  const int nblk = (out_d + 15) / 16, nfull = nblk / Kg, units = nfull + nblk % Kg;
  const int K = k_h * k_w * in_d, sa = 4 * kq;
  const int64_t M = (int64_t)batches * out_h * out_w;
  int64_t m0, m1;
  int u0, u1;
  if (!mc_avx2_gemm_part(M, P, units, part, nparts, &m0, &m1, &u0, &u1)) return;
  for (int64_t p0 = m0; p0 < m1; p0 += mb) {
    const int nrow = (int)(m1 - p0 < mb ? m1 - p0 : mb), nrow_p = (nrow + P - 1) / P * P;
    const $X *rows = a;
    if (direct) {
      rows = x + (size_t)p0 * in_d;
      const int last = nrow / P * P;  /* a partial last tile: its rows to a, zero-filled */
      if (last < nrow) {
        memcpy(a, rows + (size_t)last * sa, (size_t)(nrow - last) * sa);
        memset(a + (size_t)(nrow - last) * sa, 0, (size_t)(nrow_p - nrow) * sa);
      }
      for (int r = 0; r < nrow; r++) rsum[r] = conv_vnni_rsum_$S(rows + (size_t)r * sa, sa);
    } else {
      for (int r = 0; r < nrow; r++) {
        const int64_t p = p0 + r;
        const int ox = (int)(p % out_w), oy = (int)(p / out_w % out_h), b = (int)(p / out_w / out_h);
        const int iy0 = oy * stride_h - pad_h, ix0 = ox * stride_w - pad_w;
        $X *row = a + (size_t)r * sa;
        for (int fy = 0; fy < k_h; fy++) {
          const int iy = iy0 + fy * dil_h;
          $X *dst = row + (size_t)fy * k_w * in_d;
          if (iy < 0 || iy >= in_h) {
            memset(dst, x_zp, (size_t)k_w * in_d);
            continue;
          }
          const $X *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
          if (dil_w == 1 && ix0 >= 0 && ix0 + k_w <= in_w) {  /* one contiguous run */
            memcpy(dst, src + (size_t)ix0 * in_d, (size_t)k_w * in_d);
            continue;
          }
          for (int fx = 0; fx < k_w; fx++) {
            const int ix = ix0 + fx * dil_w;
            if (ix < 0 || ix >= in_w)
              memset(dst + (size_t)fx * in_d, x_zp, (size_t)in_d);
            else
              memcpy(dst + (size_t)fx * in_d, src + (size_t)ix * in_d, (size_t)in_d);
          }
        }
        memset(row + K, 0, (size_t)(sa - K));
        rsum[r] = conv_vnni_rsum_$S(row, sa);
      }
      memset(a + (size_t)nrow * sa, 0, (size_t)(nrow_p - nrow) * sa);
    }
    for (int r = nrow; r < nrow_p; r++) rsum[r] = 0;
    $Y *yb = y + (size_t)p0 * out_d;
    const $Y *zb = z ? z + (size_t)p0 * out_d : NULL;
    /* Small weights stay in L1 while the tiles of the block pass (tile by tile); large ones are
       read once per block (channel group by group), the block staying in L2. */
    const int tiles_first = (size_t)nblk * kq * 64 <= 24 * 1024;
    const int nt = nrow_p / P, ni = tiles_first ? nt : u1 - u0, nj = tiles_first ? u1 - u0 : nt;
    for (int i = 0; i < ni; i++) {
      for (int j = 0; j < nj; j++) {
        const int r = (tiles_first ? i : j) * P, u = u0 + (tiles_first ? j : i);
        const int np = nrow - r < P ? nrow - r : P;
        const int ob = u < nfull ? u * Kg : nfull * Kg + (u - nfull);
        const $X *ar = direct && np < P ? a : rows + (size_t)r * sa;
        (u < nfull ? tile_g : tile_1)(ar, w + (size_t)ob * kq * 64, ob, rsum + r, np,
                                      yb + (size_t)r * out_d, zb ? zb + (size_t)r * out_d : NULL);
      }
    }
  }
}
