/* CONV_2D (groups == 1) and FULLY_CONNECTED (a 1x1 convolution over its batch rows) for
   Cortex-M, int8 (per-channel weights) and uint8 (per-tensor weights with a zero point), as a
   GEMM of im2col rows against 8-bit weight rows. Exact, and bit-identical to conv_q and
   fully_connected_q:
   - a pixel's receptive field is one row of the raw input values (widened to int16 for the
     DSP extension's SMLAD, kept 8-bit for Helium's VMLADAVA: the template's row type), in the
     order of the flattened filter (fy, fx, ic) (im2col), padded to kp (a multiple of the
     tile's step: 4, or 16 on the M55) with the input's zero point zp_x: a tap outside the
     input then holds zp_x, so its (x + x_offset) is 0, the real zero the generic kernel gets by
     skipping it;
   - the emitter packed the weights as rows of the same flattened filter, one per output channel,
     padded to kp with zeros and to an even number of channels with a zero row (for the DSP
     tile, each group of 4 reordered for SXTB16: cm_dsp's conv_cm_tile);
   - sum (x + xo)(w + wo) = sum x w + xo sum w + wo sum x + kp xo wo, exact integer algebra that
     also holds modulo 2^32. The emitter folded bias + xo sum w + kp xo wo into the bias table;
     sum x w is the tile the template names (2 pixels x 2 channels, exact products summed
     modulo 2^32: cm_dsp.c's conv_cm_tile, cm_mve.c's cm_mve_tile); wo sum x is one row sum per
     pixel, needed only with a weight zero point;
   - int32 addition wraps the same in any order, so the accumulator is the generic kernel's to
     the bit, and cm_out requantizes it with the generic kernel's function.
   The rows are built once per pixel pair and live on the caller's stack (2 kp values); the
   weights stream from flash. */
/* n values of src copied (widened, for int16 rows) to dst; returns their sum. */
MC_CM_INLINE int32_t conv_cm_widen_$S(const $X *src, int n, $R *dst) {
  int32_t s = 0;
  for (int i = 0; i < n; i++) dst[i] = ($R)src[i], s += src[i];
  return s;
}

/* Output pixel p's receptive field as kp values (row); returns their sum. */
MC_CM_INLINE int32_t conv_cm_row_$S(const $X *x, int64_t p, int in_h, int in_w, int in_d,
                                    int out_h, int out_w, int k_h, int k_w, int stride_h,
                                    int stride_w, int dil_h, int dil_w, int pad_h, int pad_w,
                                    int32_t zp, int kp, $R *row) {
  const int K = k_h * k_w * in_d;
  const int ox = (int)(p % out_w), oy = (int)(p / out_w % out_h), b = (int)(p / out_w / out_h);
  const int iy0 = oy * stride_h - pad_h, ix0 = ox * stride_w - pad_w;
  int32_t sum = 0, pads = kp - K;  /* taps holding zp_x */
  for (int fy = 0; fy < k_h; fy++) {
    const int iy = iy0 + fy * dil_h;
    $R *dst = row + (size_t)fy * k_w * in_d;
    if (iy < 0 || iy >= in_h) {
      for (int i = 0; i < k_w * in_d; i++) dst[i] = ($R)zp;
      pads += k_w * in_d;
      continue;
    }
    const $X *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
    if (dil_w == 1 && ix0 >= 0 && ix0 + k_w <= in_w) {  /* one contiguous run */
      sum += conv_cm_widen_$S(src + (size_t)ix0 * in_d, k_w * in_d, dst);
      continue;
    }
    for (int fx = 0; fx < k_w; fx++) {
      const int ix = ix0 + fx * dil_w;
      $R *d = dst + (size_t)fx * in_d;
      if (ix >= 0 && ix < in_w) {
        sum += conv_cm_widen_$S(src + (size_t)ix * in_d, in_d, d);
      } else {
        for (int i = 0; i < in_d; i++) d[i] = ($R)zp;
        pads += in_d;
      }
    }
  }
  for (int i = K; i < kp; i++) row[i] = ($R)zp;
  return sum + pads * zp;
}

/* a: 2 rows of kp values. x_zp is the input's zero point, the value of every padding tap. */
MC_CM_INLINE void conv_cm_$S(const $X *x, $Y *y, const $X *w, const int32_t *bias,
                             const $QM *mult, const int32_t *shift, int batches, int in_h,
                             int in_w, int in_d, int out_h, int out_w, int out_d, int k_h,
                             int k_w, int stride_h, int stride_w, int dil_h, int dil_w, int pad_h,
                             int pad_w, int32_t x_zp, int32_t w_offset, int32_t y_offset,
                             int32_t lo, int32_t hi, int kp, $R *a) {
  const int64_t M = (int64_t)batches * out_h * out_w;
  for (int64_t p = 0; p < M; p += 2) {
    const int two = M - p >= 2;  /* a last single pixel runs as a pair with itself */
    const $R *r1 = two ? a + kp : a;
    /* wo sum x, modulo 2^32 (|sum x| <= 255 kp is exact in int32) */
    uint32_t z0 = (uint32_t)w_offset *
                  (uint32_t)conv_cm_row_$S(x, p, in_h, in_w, in_d, out_h, out_w, k_h, k_w,
                                           stride_h, stride_w, dil_h, dil_w, pad_h, pad_w, x_zp,
                                           kp, a);
    uint32_t z1 = z0;
    if (two)
      z1 = (uint32_t)w_offset *
           (uint32_t)conv_cm_row_$S(x, p + 1, in_h, in_w, in_d, out_h, out_w, k_h, k_w, stride_h,
                                    stride_w, dil_h, dil_w, pad_h, pad_w, x_zp, kp, a + kp);
    $Y *y0 = y + (size_t)p * out_d, *y1 = y0 + out_d;
    for (int c = 0; c < out_d; c += 2) {
      const uint32_t b0 = (uint32_t)bias[c], b1 = (uint32_t)bias[c + 1];  /* padded to even */
      int32_t acc[4] = {(int32_t)(b0 + z0), (int32_t)(b1 + z0), (int32_t)(b0 + z1),
                        (int32_t)(b1 + z1)};
      $TILE(a, r1, w + (size_t)c * kp, w + (size_t)(c + 1) * kp, kp, acc);
      cm_out_tile_$S(acc, mult, shift, c, out_d, two, y_offset, lo, hi, y0, y1);
    }
  }
}
