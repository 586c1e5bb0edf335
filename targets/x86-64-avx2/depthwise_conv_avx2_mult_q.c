/* DEPTHWISE_CONV_2D with AVX2, int8 (per-channel) and uint8 (per-tensor with a weight zero
   point), depth multipliers above 1 (depthwise_conv_avx2_q.c has multiplier 1). Exact, and bit-identical to depthwise_conv_q:
   - each input row is widened once to int16 (x + x_offset) into a ring of `ring_rows` rows, one
     value per output channel (input channel oc / depth_mult), channels padded to 16, with zero
     columns for the horizontal padding and a zero row for rows outside the input: a zero there
     is the real zero the generic kernel gets by skipping the tap;
   - taps go in pairs: _mm256_unpack{lo,hi}_epi16 interleave tap 2j and 2j+1 of 16 channels and
     _mm256_madd_epi16 multiplies them by the weights the emitter packed in that order
     ([16-channel block][tap pair][lo 16][hi 16], w + w_offset, zero-padded), exactly in int32
     (|x|, |w| <= 255); int32 addition does not depend on the order, so the accumulator, bias
     included, is the generic kernel's;
   - the lane permutation of the unpacks is undone before $OUT requantizes with the generic
     kernel's own function (see avx2_out.c);
   - part `part` of `nparts` (threads) computes output rows [r0, r1) of batches * out_h with its
     own ring, and no value depends on the split. */
MC_AVX2_INLINE void depthwise_conv_avx2_mult_$S(const $X *x, $Y *y, const int16_t *w,
                                           const int32_t *bias, const $QM *mult,
                                           const int32_t *shift, int batches, int in_h, int in_w,
                                           int in_d, int out_h, int out_w, int depth_mult,
                                           int k_h, int k_w, int stride_h, int stride_w,
                                           int dil_h, int dil_w, int pad_h, int pad_w,
                                           int32_t x_offset, int32_t y_offset, int32_t act_min,
                                           int32_t act_max, int16_t *ring, int ring_rows,
                                           int ring_w, int *ring_tag, int part, int nparts) {
  const int out_d = in_d * depth_mult, cp = (out_d + 15) / 16 * 16, taps = k_h * k_w;
  const int pairs = (taps + 1) / 2;
  const size_t row_len = (size_t)ring_w * cp;
  memset(ring, 0, (size_t)(ring_rows + 1) * row_len * sizeof *ring);
  const int16_t *zero_row = ring + (size_t)ring_rows * row_len;
  const __m256i zero = _mm256_setzero_si256();
  const int r0 = (int)((int64_t)batches * out_h * part / nparts);
  const int r1 = (int)((int64_t)batches * out_h * (part + 1) / nparts);
  for (int b = r0 / out_h; b < batches && b * out_h < r1; b++) {
    for (int r = 0; r < ring_rows; r++) ring_tag[r] = -1;
    for (int oy = b * out_h < r0 ? r0 - b * out_h : 0; oy < out_h && b * out_h + oy < r1; oy++) {
      const int iy0 = oy * stride_h - pad_h;
      const int16_t *rows[64];  /* the emitter keeps k_h <= 64, k_h * k_w <= 128 */
      for (int fy = 0; fy < k_h; fy++) {
        const int iy = iy0 + fy * dil_h;
        if (iy < 0 || iy >= in_h) {
          rows[fy] = zero_row;
          continue;
        }
        const int slot = iy % ring_rows;
        int16_t *dst = ring + (size_t)slot * row_len;
        if (ring_tag[slot] != iy) {
          ring_tag[slot] = iy;
          const $X *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
          for (int ix = 0; ix < in_w; ix++) {
            int16_t *d = dst + (size_t)(ix + pad_w) * cp;
            if (depth_mult == 1) {
              $WIDEN(src + (size_t)ix * in_d, in_d, x_offset, d);
            } else {
              for (int oc = 0; oc < out_d; oc++)
                d[oc] = (int16_t)(src[(size_t)ix * in_d + oc / depth_mult] + x_offset);
            }
          }
        }
        rows[fy] = dst;
      }
      $Y *yr = y + ((size_t)b * out_h + oy) * out_w * out_d;
      for (int ox = 0; ox < out_w; ox++) {
        const int16_t *tp[128];
        for (int t = 0; t < taps; t++)
          tp[t] = rows[t / k_w] + ((size_t)ox * stride_w + (size_t)(t % k_w) * dil_w) * cp;
        for (int c = 0; c < cp; c += 16) {
          const int16_t *wc = w + (size_t)c / 16 * pairs * 32;
          __m256i lo = zero, hi = zero;
          for (int j = 0; j < pairs; j++) {
            __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(tp[2 * j] + c));
            __m256i bv = 2 * j + 1 < taps
                             ? _mm256_loadu_si256((const __m256i *)(const void *)(tp[2 * j + 1] + c))
                             : zero;
            const int16_t *wj = wc + (size_t)j * 32;
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(a, bv),
                                   _mm256_loadu_si256((const __m256i *)(const void *)wj)));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(a, bv),
                                   _mm256_loadu_si256((const __m256i *)(const void *)(wj + 16))));
          }
          /* lo holds channels c+0..3 and c+8..11, hi c+4..7 and c+12..15. */
          __m256i a0 = _mm256_permute2x128_si256(lo, hi, 0x20);
          __m256i a1 = _mm256_permute2x128_si256(lo, hi, 0x31);
          a0 = _mm256_add_epi32(a0, _mm256_loadu_si256((const __m256i *)(const void *)(bias + c)));
          a1 = _mm256_add_epi32(a1, _mm256_loadu_si256((const __m256i *)(const void *)(bias + c + 8)));
          $Y *yp = yr + (size_t)ox * out_d + c;
          const int left = mc_avx2_width(out_d - c, 16, out_d % 16 == 0);
          $OUT(a0, left < 8 ? left : 8, mult + c, shift + c, y_offset, act_min, act_max, yp);
          if (left > 8)
            $OUT(a1, left < 16 ? left - 8 : 8, mult + c + 8, shift + c + 8, y_offset, act_min,
                 act_max, yp + 8);
        }
      }
    }
  }
}
