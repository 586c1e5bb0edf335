/* FULLY_CONNECTED with AVX2 and FMA, float32. Each output is summed in fully_connected_f32's
   order, input 0 to in_d - 1, from 0.0f, with the bias added after the sum and mc_clamp_f32's
   clamp (avx2_store_f32), so the only difference from the generic kernel is that every
   multiply-add rounds once (FMA) instead of twice. The emitter packed the weights as blocks of
   8 outputs, input by input ([block][in_d][8], zero-padded outputs): one broadcast input value
   FMAs into 8 outputs. Eight blocks (64 outputs) at a time keep 8 independent sums in flight,
   what FMA latency 4 at 2 per cycle needs; tails of 4 and 1 blocks. */
/* nb blocks of 8 outputs from block ob; nb is a literal at every call and the unroll pragmas
   keep the accumulators in registers. */
MC_AVX2_INLINE void fully_connected_avx2_tile_$S(const float *x, int in_d, int nb, const float *w,
                                                 const float *bias, int ob, int out_d, float lo,
                                                 float hi, float *y) {
  __m256 acc[8];
#pragma GCC unroll 8
  for (int k = 0; k < nb; k++) acc[k] = _mm256_setzero_ps();
  for (int i = 0; i < in_d; i++) {
    const __m256 xv = _mm256_broadcast_ss(x + i);
#pragma GCC unroll 8
    for (int k = 0; k < nb; k++)
      acc[k] = _mm256_fmadd_ps(xv, _mm256_loadu_ps(w + ((size_t)k * in_d + i) * 8), acc[k]);
  }
#pragma GCC unroll 8
  for (int k = 0; k < nb; k++) {
    const int c = (ob + k) * 8, cnt = mc_avx2_width(out_d - c, 8, out_d % 8 == 0);
    avx2_store_f32(acc[k], bias ? bias + c : 0, cnt, lo, hi, y + c);
  }
}

MC_AVX2_INLINE void fully_connected_avx2_$S(const float *x, float *y, const float *w,
                                            const float *bias, int batches, int in_d, int out_d,
                                            float lo, float hi, int part, int nparts) {
  const int nblk = (out_d + 7) / 8;
  /* Part `part` of `nparts` (threads): blocks [b0, b1) of every batch; each output's sum is the
     same whatever tile it falls in. */
  const int b0 = (int)((int64_t)nblk * part / nparts), b1 = (int)((int64_t)nblk * (part + 1) / nparts);
  for (int b = 0; b < batches; b++) {
    const float *xb = x + (size_t)b * in_d;
    float *yb = y + (size_t)b * out_d;
    for (int ob = b0; ob < b1;) {
      const int nb = b1 - ob >= 8 ? 8 : b1 - ob >= 4 ? 4 : 1;
      const float *wb = w + (size_t)ob * in_d * 8;
      if (nb == 8)
        fully_connected_avx2_tile_$S(xb, in_d, 8, wb, bias, ob, out_d, lo, hi, yb);
      else if (nb == 4)
        fully_connected_avx2_tile_$S(xb, in_d, 4, wb, bias, ob, out_d, lo, hi, yb);
      else
        fully_connected_avx2_tile_$S(xb, in_d, 1, wb, bias, ob, out_d, lo, hi, yb);
      ob += nb;
    }
  }
}
