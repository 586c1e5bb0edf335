/* DEPTHWISE_CONV_2D with AVX2 and FMA, float32, any depth multiplier. Each output channel is
   summed in depthwise_conv_f32's order, tap row then tap column, from 0.0f, with the bias added
   after the sum and mc_clamp_f32's clamp (avx2_store_f32), so the only difference from the
   generic kernel is that every multiply-add rounds once (FMA) instead of twice:
   - each input row the taps need is copied once into a ring of `ring_rows` rows, one value per
     output channel (input channel oc / depth_mult), cp = out_d rounded up to 8 channels, with
     zero columns for the horizontal padding: fma(0, w, acc) == acc exactly for finite w, the
     same sum the generic kernel gets by skipping the tap; rows outside the input are skipped as
     it skips them;
   - the emitter packed the weights as [tap][cp], zero-padded channels;
   - tiles of 4 output pixels x 16 channels: 8 independent sums (what FMA latency 4 at 2 per
     cycle needs), each weight vector loaded once for 4 pixels. */
/* np output pixels from the pixel rows[] point at x nc blocks of 8 channels from channel c; np
   and nc are literals at every call, so the accumulators live in registers. */
MC_AVX2_INLINE void depthwise_conv_avx2_tile_$S(const float *const *rows, int fy0, int fy1,
                                                int k_w, int cp, int stride_w, int dil_w, int np,
                                                int nc, const float *w, const float *bias, int c,
                                                int out_d, float lo, float hi, float *y) {
  __m256 acc[4][2];
#pragma GCC unroll 4
  for (int n = 0; n < np; n++)
#pragma GCC unroll 2
    for (int k = 0; k < nc; k++) acc[n][k] = _mm256_setzero_ps();
  for (int fy = fy0; fy < fy1; fy++) {
    const float *xr = rows[fy] + c;
    const float *wr = w + (size_t)fy * k_w * cp + c;
    for (int fx = 0; fx < k_w; fx++) {
      __m256 wv[2];
#pragma GCC unroll 2
      for (int k = 0; k < nc; k++) {
        wv[k] = _mm256_loadu_ps(wr + (size_t)fx * cp + 8 * k);
        __asm__("" : "+x"(wv[k]));  /* a register, not a memory operand of each of 4 FMAs */
      }
#pragma GCC unroll 4
      for (int n = 0; n < np; n++) {
        const float *xp = xr + ((size_t)n * stride_w + (size_t)fx * dil_w) * cp;
#pragma GCC unroll 2
        for (int k = 0; k < nc; k++)
          acc[n][k] = _mm256_fmadd_ps(_mm256_loadu_ps(xp + 8 * k), wv[k], acc[n][k]);
      }
    }
  }
#pragma GCC unroll 4
  for (int n = 0; n < np; n++)
#pragma GCC unroll 2
    for (int k = 0; k < nc; k++) {
      const int ck = c + 8 * k, cnt = mc_avx2_width(out_d - ck, 8, out_d % 8 == 0);
      avx2_store_f32(acc[n][k], bias ? bias + ck : 0, cnt, lo, hi, y + (size_t)n * out_d + ck);
    }
}

MC_AVX2_INLINE void depthwise_conv_avx2_$S(const float *x, float *y, const float *w,
                                           const float *bias, int batches, int in_h, int in_w,
                                           int in_d, int out_h, int out_w, int depth_mult,
                                           int k_h, int k_w, int stride_h, int stride_w,
                                           int dil_h, int dil_w, int pad_h, int pad_w, float lo,
                                           float hi, float *ring, int ring_rows, int ring_w,
                                           int *ring_tag, int part, int nparts) {
  const int out_d = in_d * depth_mult, cp = (out_d + 7) / 8 * 8;
  const size_t row_len = (size_t)ring_w * cp;
  /* Part `part` of `nparts` (threads): output pixels [p0, p1) in (batch, row, column) order.
     Each pixel's sums do not depend on the tile it falls in, so neither on the split. */
  const int64_t npix = (int64_t)batches * out_h * out_w;
  const int64_t p0 = npix * part / nparts, p1 = npix * (part + 1) / nparts;
  if (p0 >= p1) return;
  memset(ring, 0, (size_t)ring_rows * row_len * sizeof *ring);
  int cur_b = -1;
  for (int64_t r = p0 / out_w; r <= (p1 - 1) / out_w; r++) {
    const int b = (int)(r / out_h), oy = (int)(r % out_h);
    const int ox_lo = r * out_w < p0 ? (int)(p0 - r * out_w) : 0;
    const int ox_hi = (r + 1) * out_w > p1 ? (int)(p1 - r * out_w) : out_w;
    if (b != cur_b)
      for (int k = 0; k < ring_rows; k++) ring_tag[k] = -1;
    cur_b = b;
    {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      const float *rows[64];  /* the emitter keeps k_h <= 64 */
      for (int fy = fy0; fy < fy1; fy++) {
        const int iy = iy0 + fy * dil_h, slot = iy % ring_rows;
        float *dst = ring + (size_t)slot * row_len;
        if (ring_tag[slot] != iy) {
          ring_tag[slot] = iy;
          const float *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
          for (int ix = 0; ix < in_w; ix++) {
            float *d = dst + (size_t)(ix + pad_w) * cp;
            if (depth_mult == 1) {
              memcpy(d, src + (size_t)ix * in_d, (size_t)in_d * sizeof *d);
            } else {
              for (int oc = 0; oc < out_d; oc++) d[oc] = src[(size_t)ix * in_d + oc / depth_mult];
            }
          }
        }
        rows[fy] = dst;
      }
      float *yr = y + ((size_t)b * out_h + oy) * out_w * out_d;
      for (int ox = ox_lo; ox < ox_hi;) {
        const int np = ox_hi - ox >= 4 ? 4 : 1;
        const float *tr[64];
        for (int fy = fy0; fy < fy1; fy++) tr[fy] = rows[fy] + (size_t)ox * stride_w * cp;
        float *yp = yr + (size_t)ox * out_d;
        for (int c = 0; c < cp; c += 16) {
          const int nc = cp - c >= 16 ? 2 : 1;
#define MC_DW_F32_TILE(NP, NC)                                                                    \
  depthwise_conv_avx2_tile_$S(tr, fy0, fy1, k_w, cp, stride_w, dil_w, NP, NC, w, bias, c, out_d,  \
                              lo, hi, yp)
          if (np == 4 && nc == 2) MC_DW_F32_TILE(4, 2);
          else if (np == 4) MC_DW_F32_TILE(4, 1);
          else if (nc == 2) MC_DW_F32_TILE(1, 2);
          else MC_DW_F32_TILE(1, 1);
#undef MC_DW_F32_TILE
        }
        ox += np;
      }
    }
  }
}
