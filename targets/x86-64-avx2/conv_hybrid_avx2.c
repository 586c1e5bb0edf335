/* Hybrid CONV_2D with AVX2 (float32 input and output, int8 weights with float scales, float
   bias, groups == 1): the generic conv_hybrid's arithmetic, byte-identical to it. The layer
   quantizes each batch to int8 (xq, scale s, zero point zp) with the generic quantizer (the QUANT of conv_hybrid),
   then this kernel computes, for P = 4 output pixels at a time:
   - one int16 im2col row per pixel of (xq - zp) in the flattened filter's order (fy, fx, ic),
     zero-padded to an even length 2 * kp; a tap outside the input is zeros, which adds the same
     nothing the generic kernel gets by skipping it;
   - the weights, packed by the emitter (conv_hybrid_avx2.c) as int8 in blocks of 8 output
     channels with filter pairs interleaved ([block][kp][8][2], zero-padded), widened on load;
   - _mm256_madd_epi16 on int16 pairs into int32: |xq - zp| <= 255 and |w| <= 128, and the
     emitter admits a layer only when k_h * k_w * in_d * 255 * 128 fits in int32, so no partial
     sum overflows and the int32 total is the generic kernel's in any order;
   - the epilogue 8 channels at a time in the generic kernel's order and roundings:
     (float)acc * (w_scale[oc] * s), then + bias[oc] (only when there is a bias: adding 0.0f
     would turn -0.0f into +0.0f), then mc_clamp_f32 (MAXPS/MINPS with the bound first pass a
     NaN through as it does). An empty asm between the multiply and the add keeps the compiler
     from contracting them into an FMA under -ffp-contract=fast.
   Parts (threads) take ranges of pixel tiles; each output is computed the same way whatever
   the split. */

/* A tile: rows a (stride sa) of P = 4 pixels, np of them real, x K (1 or 2) blocks of 8 channels
   from block ob. K is a literal at every call. */
MC_AVX2_INLINE void conv_hybrid_avx2_tile_$S(const int16_t *a, int sa, int K, const int8_t *w,
                                             int kp, int ob, int out_d, int np,
                                             const float *w_scale, float s, const float *bias,
                                             float act_min, float act_max, float *y) {
  __m256i acc[4][2];
#pragma GCC unroll 4
  for (int n = 0; n < 4; n++)
#pragma GCC unroll 2
    for (int k = 0; k < K; k++) acc[n][k] = _mm256_setzero_si256();
  const int8_t *w0 = w + (size_t)ob * kp * 16;
  const size_t bstride = (size_t)kp * 16;
  /* An opaque trip count keeps the accumulators in fixed registers (as conv_avx2_q). */
  __asm__("" : "+r"(kp));
  for (int i = 0; i < kp; i++) {
    __m256i wv[2];
#pragma GCC unroll 2
    for (int k = 0; k < K; k++)
      wv[k] = _mm256_cvtepi8_epi16(
          _mm_loadu_si128((const __m128i *)(const void *)(w0 + k * bstride + (size_t)i * 16)));
#pragma GCC unroll 4
    for (int n = 0; n < 4; n++) {
      const __m256i xv = _mm256_set1_epi32(mc_avx2_pair(a + (size_t)n * sa + 2 * i));
#pragma GCC unroll 2
      for (int k = 0; k < K; k++)
        acc[n][k] = _mm256_add_epi32(acc[n][k], _mm256_madd_epi16(xv, wv[k]));
    }
  }
  const __m256 lo = _mm256_set1_ps(act_min), hi = _mm256_set1_ps(act_max);
#pragma GCC unroll 2
  for (int k = 0; k < K; k++) {
    const int c = (ob + k) * 8, nc = mc_avx2_width(out_d - c, 8, out_d % 8 == 0);
    const __m256i mask = mc_avx2_mask(nc);
    const __m256 ws = nc == 8 ? _mm256_loadu_ps(w_scale + c) : _mm256_maskload_ps(w_scale + c, mask);
    const __m256 scale = _mm256_mul_ps(ws, _mm256_set1_ps(s));
    __m256 bv = _mm256_setzero_ps();
    if (bias) bv = nc == 8 ? _mm256_loadu_ps(bias + c) : _mm256_maskload_ps(bias + c, mask);
#pragma GCC unroll 4
    for (int n = 0; n < 4; n++) {
      if (n < np) {
        __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[n][k]), scale);
        __asm__("" : "+x"(v));  /* no FMA: the product is rounded before the bias is added */
        if (bias) v = _mm256_add_ps(v, bv);
        v = _mm256_min_ps(hi, _mm256_max_ps(lo, v));
        float *yp = y + (size_t)n * out_d + c;
        if (nc == 8) _mm256_storeu_ps(yp, v);
        else _mm256_maskstore_ps(yp, mask, v);
      }
    }
  }
}

/* One batch: xq its int8 copy (zero point zp, scale s), y its output; a holds 4 rows of 2 * kp
   int16. Every shape is a literal in the emitter's per-layer wrapper. */
MC_AVX2_INLINE void conv_hybrid_avx2_$S(const int8_t *xq, int32_t zp, float s, float *y,
                                        const int8_t *w, const float *w_scale, const float *bias,
                                        int in_h, int in_w, int in_d, int out_h, int out_w,
                                        int out_d, int k_h, int k_w, int stride_h, int stride_w,
                                        int pad_h, int pad_w, int kp, float act_min,
                                        float act_max, int16_t *a, int part, int nparts) {
  const int K = k_h * k_w * in_d, sa = 2 * kp, nblk = (out_d + 7) / 8;
  const int64_t M = (int64_t)out_h * out_w, ntiles = (M + 3) / 4;
  const int64_t t0 = ntiles * part / nparts, t1 = ntiles * (part + 1) / nparts;
  const __m256i vzp = _mm256_set1_epi16((int16_t)zp);
  for (int64_t t = t0; t < t1; t++) {
    const int64_t p0 = t * 4;
    const int np = M - p0 < 4 ? (int)(M - p0) : 4;
    for (int r = 0; r < 4; r++) {
      int16_t *row = a + (size_t)r * sa;
      if (r >= np) {
        memset(row, 0, (size_t)sa * sizeof *row);
        continue;
      }
      const int64_t p = p0 + r;
      const int oy = (int)(p / out_w), ox = (int)(p % out_w);
      const int iy0 = oy * stride_h - pad_h, ix0 = ox * stride_w - pad_w;
      for (int fy = 0; fy < k_h; fy++) {
        const int iy = iy0 + fy;
        for (int fx = 0; fx < k_w; fx++) {
          const int ix = ix0 + fx;
          int16_t *dst = row + ((size_t)fy * k_w + fx) * in_d;
          if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) {
            memset(dst, 0, (size_t)in_d * sizeof *dst);
            continue;
          }
          const int8_t *src = xq + ((size_t)iy * in_w + ix) * in_d;
          int i = 0;
          for (; i + 16 <= in_d; i += 16) {
            const __m256i v = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(src + i)));
            _mm256_storeu_si256((__m256i *)(void *)(dst + i), _mm256_sub_epi16(v, vzp));
          }
          for (; i < in_d; i++) dst[i] = (int16_t)(src[i] - zp);
        }
      }
      if (K < sa) row[K] = 0;
    }
    float *yt = y + (size_t)p0 * out_d;
    int ob = 0;
    for (; ob + 2 <= nblk; ob += 2)
      conv_hybrid_avx2_tile_$S(a, sa, 2, w, kp, ob, out_d, np, w_scale, s, bias, act_min,
                               act_max, yt);
    if (ob < nblk)
      conv_hybrid_avx2_tile_$S(a, sa, 1, w, kp, ob, out_d, np, w_scale, s, bias, act_min,
                               act_max, yt);
  }
}
