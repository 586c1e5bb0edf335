/* CONV_2D (groups == 1) and FULLY_CONNECTED (as a 1x1 convolution over its batch rows) for
   aarch64 NEON, int8 (per-channel weights) and uint8 (per-tensor weights with a zero point), as
   a GEMM of 8-bit rows. Exact, and bit-identical to conv_q and fully_connected_q:
   - a pixel's receptive field is laid out as one row of raw input values in the order of the
     flattened filter (fy, fx, ic) (im2col), padded to kp, a multiple of 16, with the input's
     zero point zp_x: a tap outside the input holds zp_x, so its (x + x_offset) is 0, the real
     zero the generic kernel gets by skipping it. A 1x1, stride-1 convolution over a depth that
     is a multiple of 16 (and a fully connected layer over one) reads the input rows in place;
   - the emitter packed the weights as rows of the same flattened filter, one per output channel
     (channels padded to a multiple of 4), the padding holding zp_w so that (w + w_offset) is 0;
   - sum (x + xo)(w + wo) = sum x w + xo sum w + wo sum x + kp xo wo, exact integer algebra
     that also holds modulo 2^32. The emitter folded bias + xo sum w + kp xo wo into the bias
     table; sum x w is $DOT (SMULL + SADALP, or SDOT with --cpu's dotprod); wo sum x is one row
     sum per pixel, needed only for uint8 weights with a zero point;
   - int32 addition wraps the same in any order, so the accumulator is the generic kernel's to
     the bit, and neon_out_* requantizes it with the generic kernel's arithmetic.
   Tiles: 4 pixels x 4 channels, 16 accumulators of 4 partial sums each, reduced by pairwise
   adds at the end. Rows are built mb at a time and every 4-channel block of weights (4 * kp
   bytes) is applied to all of them while it sits in L1. */
#if MC_NEON
MC_NEON_INLINE $TGT void conv_neon_tile_$S(const $X *a, int P, const $X *w, int kp,
                                           const int32_t *bias, const int32_t *rsum,
                                           int32_t w_offset, int n, const $QM *mult,
                                           const int32_t *shift, int32_t y_offset, int32_t lo,
                                           int32_t hi, $Y *y, int out_d) {
  int32x4_t acc[4][4];
#pragma GCC unroll 4
  for (int r = 0; r < P; r++)
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) acc[r][j] = vdupq_n_s32(0);
  for (int i = 0; i < kp; i += 16) {
    mc_neon_v16_$T wv[4];
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) wv[j] = mc_neon_ld_$T(w + (size_t)j * kp + i);
#pragma GCC unroll 4
    for (int r = 0; r < P; r++) {
      mc_neon_v16_$T xv = mc_neon_ld_$T(a + (size_t)r * kp + i);
#pragma GCC unroll 4
      for (int j = 0; j < 4; j++) acc[r][j] = $DOT(acc[r][j], xv, wv[j]);
    }
  }
  const int32x4_t b = vld1q_s32(bias);  /* padded to the 4-channel blocks */
#pragma GCC unroll 4
  for (int r = 0; r < P; r++) {
    int32x4_t s = vpaddq_s32(vpaddq_s32(acc[r][0], acc[r][1]), vpaddq_s32(acc[r][2], acc[r][3]));
    s = vaddq_s32(s, b);
    if (w_offset) s = vaddq_s32(s, vdupq_n_s32((int32_t)((uint32_t)w_offset * (uint32_t)rsum[r])));
    neon_out_$S(s, n, mult, shift, y_offset, lo, hi, y + (size_t)r * out_d);
  }
}

#else
/* The same tile in portable C. */
static inline void conv_neon_tile_$S(const $X *a, int P, const $X *w, int kp,
                                     const int32_t *bias, const int32_t *rsum, int32_t w_offset,
                                     int n, const $QM *mult, const int32_t *shift,
                                     int32_t y_offset, int32_t lo, int32_t hi, $Y *y, int out_d) {
  for (int r = 0; r < P; r++)
    for (int j = 0; j < n; j++) {
      uint32_t acc = (uint32_t)bias[j];
      for (int i = 0; i < kp; i++)
        acc += (uint32_t)((int32_t)a[(size_t)r * kp + i] * (int32_t)w[(size_t)j * kp + i]);
      if (w_offset) acc += (uint32_t)w_offset * (uint32_t)rsum[r];
      neon_out1_$S((int32_t)acc, mult[j], shift[j], y_offset, lo, hi, y + (size_t)r * out_d + j);
    }
}

#endif

/* a: mb rows of kp values (unused when direct); rsum: mb int32 (uint8 with a weight zero point
   only). x_zp is the input's zero point, the value of every padding tap. */
MC_NEON_INLINE $TGT void conv_neon_$S(const $X *x, $Y *y, const $X *w, const int32_t *bias,
                                      const $QM *mult, const int32_t *shift, int batches,
                                      int in_h, int in_w, int in_d, int out_h, int out_w,
                                      int out_d, int k_h, int k_w, int stride_h, int stride_w,
                                      int dil_h, int dil_w, int pad_h, int pad_w, int32_t x_zp,
                                      int32_t w_offset, int32_t y_offset, int32_t lo,
                                      int32_t hi, int kp, int direct, int mb, $X *a,
                                      int32_t *rsum) {
  const int K = k_h * k_w * in_d, ocp = (out_d + 3) / 4 * 4;
  const int64_t M = (int64_t)batches * out_h * out_w;
  const unsigned char zp = (unsigned char)x_zp;  /* the byte of zp_x in the input's type */
  for (int64_t p0 = 0; p0 < M; p0 += mb) {
    const int nrow = (int)(M - p0 < mb ? M - p0 : mb);
    const $X *rows = a;
    if (direct) {
      rows = x + (size_t)p0 * in_d;
    } else {
      for (int r = 0; r < nrow; r++) {
        const int64_t p = p0 + r;
        const int ox = (int)(p % out_w), oy = (int)(p / out_w % out_h), b = (int)(p / out_w / out_h);
        const int iy0 = oy * stride_h - pad_h, ix0 = ox * stride_w - pad_w;
        $X *row = a + (size_t)r * kp;
        for (int fy = 0; fy < k_h; fy++) {
          const int iy = iy0 + fy * dil_h;
          $X *dst = row + (size_t)fy * k_w * in_d;
          if (iy < 0 || iy >= in_h) {
            memset(dst, zp, (size_t)k_w * in_d * sizeof *dst);
            continue;
          }
          const $X *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
          if (dil_w == 1 && ix0 >= 0 && ix0 + k_w <= in_w) {  /* one contiguous run */
            memcpy(dst, src + (size_t)ix0 * in_d, (size_t)k_w * in_d * sizeof *dst);
            continue;
          }
          for (int fx = 0; fx < k_w; fx++) {
            const int ix = ix0 + fx * dil_w;
            if (ix < 0 || ix >= in_w) memset(dst + (size_t)fx * in_d, zp, (size_t)in_d * sizeof *dst);
            else memcpy(dst + (size_t)fx * in_d, src + (size_t)ix * in_d, (size_t)in_d * sizeof *dst);
          }
        }
        if (K < kp) memset(row + K, zp, (size_t)(kp - K) * sizeof *row);
      }
    }
    if (w_offset)
      for (int r = 0; r < nrow; r++) rsum[r] = mc_neon_rowsum_$T(rows + (size_t)r * kp, kp);
    $Y *yb = y + (size_t)p0 * out_d;
    for (int c = 0; c < ocp; c += 4) {
      const $X *wc = w + (size_t)c * kp;
      const int n = out_d - c < 4 ? out_d - c : 4;
      int r = 0;
      for (; r + 4 <= nrow; r += 4)
        conv_neon_tile_$S(rows + (size_t)r * kp, 4, wc, kp, bias + c, rsum + r, w_offset, n,
                          mult + c, shift + c, y_offset, lo, hi, yb + (size_t)r * out_d + c, out_d);
      for (; r < nrow; r++)
        conv_neon_tile_$S(rows + (size_t)r * kp, 1, wc, kp, bias + c, rsum + r, w_offset, n,
                          mult + c, shift + c, y_offset, lo, hi, yb + (size_t)r * out_d + c, out_d);
    }
  }
}
