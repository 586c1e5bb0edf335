/* CONV_2D with AVX2, int8 (per-channel weights) and uint8 (per-tensor weights with a zero
   point), groups == 1. Exact, and bit-identical to conv_q:
   - each input row the taps need is widened once to int16 (x + x_offset) in a ring of `ring_rows`
     rows, with zero columns for the horizontal padding: a zero there is the real zero the
     generic kernel gets by skipping the tap; rows outside the input are skipped as it does;
   - the emitter packed the weights (w + w_offset, int16) as blocks of 8 output channels, tap by
     tap, with input channels in pairs: [block][fy][fx][in_d / 2][8][2], zero-padded;
   - _mm256_madd_epi16 multiplies int16 pairs into int32 exactly (|x|, |w| <= 255, so a pair sum
     is at most 2 * 255^2), and int32 addition does not depend on the order: the accumulator is
     the generic kernel's, bias included;
   - $OUT requantizes with the generic kernel's own function (see avx2_out_*.c).
   Tiles: 4 output pixels x 16 output channels (8 accumulators), tails 1 pixel / 8 channels. */
/* One tile: np output pixels (from column ox) x nb blocks of 8 channels (from block ob), bias to
   output. np and nb are literals at every call, and the unroll pragmas make every acc index a
   constant, so the accumulators live in registers. */
MC_AVX2_INLINE void conv_avx2_tile_$S(const int16_t *const *rows, int fy0, int fy1, int k_w,
                                      int stride_w, int dil_w, int kp, int np, int nb,
                                      const int16_t *w, size_t w_block, const int32_t *bias,
                                      int ob, int out_d, const $QM *mult, const int32_t *shift,
                                      int32_t y_offset, int32_t act_min, int32_t act_max, $Y *y) {
  __m256i acc[4][2];
#pragma GCC unroll 4
  for (int n = 0; n < np; n++)
#pragma GCC unroll 2
    for (int k = 0; k < nb; k++)
      acc[n][k] = _mm256_loadu_si256((const __m256i *)(const void *)(bias + 8 * (ob + k)));
  for (int fy = fy0; fy < fy1; fy++) {
    for (int fx = 0; fx < k_w; fx++) {
      const int16_t *xp = rows[fy] + (size_t)fx * dil_w * 2 * kp;
      const int16_t *wt = w + ((size_t)fy * k_w + fx) * kp * 16;
      for (int i = 0; i < kp; i++) {
        __m256i wv[2];
#pragma GCC unroll 2
        for (int k = 0; k < nb; k++)
          wv[k] = _mm256_loadu_si256((const __m256i *)(const void *)(wt + k * w_block + 16 * i));
#pragma GCC unroll 4
        for (int n = 0; n < np; n++) {
          __m256i xv = _mm256_set1_epi32(mc_avx2_pair(xp + (size_t)n * stride_w * 2 * kp + 2 * i));
#pragma GCC unroll 2
          for (int k = 0; k < nb; k++)
            acc[n][k] = _mm256_add_epi32(_mm256_madd_epi16(xv, wv[k]), acc[n][k]);
        }
      }
    }
  }
#pragma GCC unroll 4
  for (int n = 0; n < np; n++)
#pragma GCC unroll 2
    for (int k = 0; k < nb; k++) {
      const int c = (ob + k) * 8, cnt = out_d - c < 8 ? out_d - c : 8;
      $OUT(acc[n][k], cnt, mult + c, shift + c, y_offset, act_min, act_max,
           y + (size_t)n * out_d + c);
    }
}

MC_AVX2_INLINE void conv_avx2_$S(const $X *x, $Y *y, const int16_t *w, const int32_t *bias,
                                 const $QM *mult, const int32_t *shift, int batches, int in_h,
                                 int in_w, int in_d, int out_h, int out_w, int out_d, int k_h,
                                 int k_w, int stride_h, int stride_w, int dil_h, int dil_w,
                                 int pad_h, int pad_w, int32_t x_offset, int32_t y_offset,
                                 int32_t act_min, int32_t act_max, int16_t *ring, int ring_rows,
                                 int ring_w, int *ring_tag) {
  const int kp = (in_d + 1) / 2, nblk = (out_d + 7) / 8;
  const size_t row_len = (size_t)ring_w * 2 * kp, w_block = (size_t)k_h * k_w * kp * 16;
  memset(ring, 0, (size_t)ring_rows * row_len * sizeof *ring);
  for (int b = 0; b < batches; b++) {
    for (int r = 0; r < ring_rows; r++) ring_tag[r] = -1;
    for (int oy = 0; oy < out_h; oy++) {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      const int16_t *rows[64];  /* the emitter keeps k_h <= 64 */
      for (int fy = fy0; fy < fy1; fy++) {
        const int iy = iy0 + fy * dil_h, slot = iy % ring_rows;
        int16_t *dst = ring + (size_t)slot * row_len;
        if (ring_tag[slot] != iy) {
          ring_tag[slot] = iy;
          const $X *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
          for (int ix = 0; ix < in_w; ix++)
            $WIDEN(src + (size_t)ix * in_d, in_d, x_offset,
                          dst + (size_t)(ix + pad_w) * 2 * kp);
        }
        rows[fy] = dst;
      }
      $Y *yr = y + ((size_t)b * out_h + oy) * out_w * out_d;
      for (int ob = 0; ob < nblk; ob += 2) {
        const int nb = ob + 1 < nblk ? 2 : 1;
        const int16_t *wb = w + (size_t)ob * w_block;
        for (int ox = 0; ox < out_w;) {
          const int np = ox + 4 <= out_w ? 4 : 1;
          const int16_t *tr[64];
          for (int fy = fy0; fy < fy1; fy++) tr[fy] = rows[fy] + (size_t)ox * stride_w * 2 * kp;
          $Y *yp = yr + (size_t)ox * out_d;
          if (np == 4 && nb == 2)
            conv_avx2_tile_$S(tr, fy0, fy1, k_w, stride_w, dil_w, kp, 4, 2, wb, w_block, bias, ob,
                              out_d, mult, shift, y_offset, act_min, act_max, yp);
          else if (np == 4)
            conv_avx2_tile_$S(tr, fy0, fy1, k_w, stride_w, dil_w, kp, 4, 1, wb, w_block, bias, ob,
                              out_d, mult, shift, y_offset, act_min, act_max, yp);
          else if (nb == 2)
            conv_avx2_tile_$S(tr, fy0, fy1, k_w, stride_w, dil_w, kp, 1, 2, wb, w_block, bias, ob,
                              out_d, mult, shift, y_offset, act_min, act_max, yp);
          else
            conv_avx2_tile_$S(tr, fy0, fy1, k_w, stride_w, dil_w, kp, 1, 1, wb, w_block, bias, ob,
                              out_d, mult, shift, y_offset, act_min, act_max, yp);
          ox += np;
        }
      }
    }
  }
}
