/* FULLY_CONNECTED with AVX2, int8 and uint8. Exact, and bit-identical to fully_connected_q: each
   input row is widened to int16 (x + x_offset, zero-padded to an even depth), the emitter packed
   the weights (w + w_offset, int16) as blocks of 8 outputs with input pairs interleaved
   ([block][in_d / 2][8][2]); _mm256_madd_epi16 multiplies the pairs into int32 exactly
   (|x|, |w| <= 255), int32 addition does not depend on the order, and $OUT requantizes each
   accumulator with the generic kernel's arithmetic (avx2_out.c). Four blocks (32 outputs) at a
   time; part `part` of `nparts` (threads) computes its own range of the blocks, and no value
   depends on the split. */
/* nb blocks of 8 outputs from block ob, bias to output; nb is a literal at every call and the
   unroll pragmas keep the accumulators in registers. */
MC_AVX2_INLINE void fully_connected_avx2_tile_$S(const int16_t *xw, int kp, int nb,
                                                 const int16_t *w, const int32_t *bias, int ob,
                                                 int out_d, const int32_t *mult,
                                                 const int32_t *shift, int32_t y_offset,
                                                 int32_t act_min, int32_t act_max, $Y *y) {
  __m256i acc[4];
#pragma GCC unroll 4
  for (int k = 0; k < nb; k++)
    acc[k] = _mm256_loadu_si256((const __m256i *)(const void *)(bias + 8 * (ob + k)));
  for (int i = 0; i < kp; i++) {
    __m256i xv = _mm256_set1_epi32(mc_avx2_pair(xw + 2 * i));
#pragma GCC unroll 4
    for (int k = 0; k < nb; k++) {
      __m256i wv = _mm256_loadu_si256((const __m256i *)(const void *)(w + ((size_t)k * kp + i) * 16));
      acc[k] = _mm256_add_epi32(acc[k], _mm256_madd_epi16(xv, wv));
    }
  }
#pragma GCC unroll 4
  for (int k = 0; k < nb; k++) {
    const int c = (ob + k) * 8, cnt = mc_avx2_width(out_d - c, 8, out_d % 8 == 0);
    $OUT(acc[k], cnt, mult + c, shift + c, y_offset, act_min, act_max, y + c);
  }
}

MC_AVX2_INLINE void fully_connected_avx2_$S(const $X *x, $Y *y, const int16_t *w,
                                            const int32_t *bias, const int32_t *mult,
                                            const int32_t *shift, int batches, int in_d,
                                            int out_d, int32_t x_offset, int32_t y_offset,
                                            int32_t act_min, int32_t act_max, int16_t *xw,
                                            int part, int nparts) {
  const int kp = (in_d + 1) / 2, nblk = (out_d + 7) / 8, nq = (nblk + 3) / 4;
  const int ob0 = (int)((int64_t)nq * part / nparts) * 4;
  const int ob1 = (int)((int64_t)nq * (part + 1) / nparts) * 4;
  if (ob0 >= ob1 || ob0 >= nblk) return;
  xw[2 * kp - 1] = 0;
  for (int b = 0; b < batches; b++) {
    $WIDEN(x + (size_t)b * in_d, in_d, x_offset, xw);
    $Y *yb = y + (size_t)b * out_d;
    for (int ob = ob0; ob < ob1 && ob < nblk;) {
      const int nb = nblk - ob >= 4 ? 4 : 1;
      const int16_t *wb = w + (size_t)ob * kp * 16;
      if (nb == 4)
        fully_connected_avx2_tile_$S(xw, kp, 4, wb, bias, ob, out_d, mult, shift, y_offset, act_min,
                                     act_max, yb);
      else
        fully_connected_avx2_tile_$S(xw, kp, 1, wb, bias, ob, out_d, mult, shift, y_offset, act_min,
                                     act_max, yb);
      ob += nb;
    }
  }
}
