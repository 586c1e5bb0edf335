/* CONV_2D (groups == 1) and FULLY_CONNECTED (a 1x1 convolution over its batch rows) for
   Cortex-M with the DSP extension, int8 (per-channel weights) and uint8 (per-tensor weights with
   a zero point), as a GEMM of int16 rows against 8-bit weight rows. Exact, and bit-identical to
   conv_q and fully_connected_q:
   - a pixel's receptive field is one row of the raw input values, widened to int16, in the
     order of the flattened filter (fy, fx, ic) (im2col), padded to kp, a multiple of 4, with
     the input's zero point zp_x: a tap outside the input then holds zp_x, so its (x + x_offset)
     is 0, the real zero the generic kernel gets by skipping it;
   - the emitter packed the weights as rows of the same flattened filter, one per output channel,
     padded to kp with zeros and to an even number of channels with a zero row, and within each
     group of 4 stored as w0 w2 w1 w3, so that SXTB16 (UXTB16 for uint8) of the word gives the
     int16 pair (w0, w1) and, rotated by 8, (w2, w3): the pairs of the row's int16 words;
   - sum (x + xo)(w + wo) = sum x w + xo sum w + wo sum x + kp xo wo, exact integer algebra that
     also holds modulo 2^32. The emitter folded bias + xo sum w + kp xo wo into the bias table;
     sum x w is SMLAD, two exact 16 x 16 products per instruction; wo sum x is one row sum per
     pixel, needed only with a weight zero point;
   - int32 addition wraps the same in any order, so the accumulator is the generic kernel's to
     the bit, and cm_out requantizes it with the generic kernel's function.
   Tiles: 2 pixels x 2 channels, four accumulators (the registers a Cortex-M has): per 4 values
   of the row, 2 weight loads and 4 extends, 4 row loads, 8 SMLAD. The rows are widened once per
   pixel pair and live on the caller's stack (4 kp bytes); the weights stream from flash. */
MC_CM_INLINE void conv_cm_tile_$S(const int16_t *a0, const int16_t *a1, const $X *w0,
                                  const $X *w1, int kp, int32_t acc[4]) {
  int32_t s00 = acc[0], s01 = acc[1], s10 = acc[2], s11 = acc[3];
  for (int i = 0; i < kp; i += 4) {
    uint32_t p0, q0, p1, q1;  /* channel 0's (w0, w1) and (w2, w3); channel 1's */
    mc_cm_ext_$T(mc_cm_ld32(w0 + i), &p0, &q0);
    mc_cm_ext_$T(mc_cm_ld32(w1 + i), &p1, &q1);
    uint32_t x = mc_cm_ld32(a0 + i);
    s00 = mc_cm_smlad(x, p0, s00), s01 = mc_cm_smlad(x, p1, s01);
    x = mc_cm_ld32(a0 + i + 2);
    s00 = mc_cm_smlad(x, q0, s00), s01 = mc_cm_smlad(x, q1, s01);
    x = mc_cm_ld32(a1 + i);
    s10 = mc_cm_smlad(x, p0, s10), s11 = mc_cm_smlad(x, p1, s11);
    x = mc_cm_ld32(a1 + i + 2);
    s10 = mc_cm_smlad(x, q0, s10), s11 = mc_cm_smlad(x, q1, s11);
  }
  acc[0] = s00, acc[1] = s01, acc[2] = s10, acc[3] = s11;
}

/* n values of src widened to int16 at dst; returns their sum. */
MC_CM_INLINE int32_t conv_cm_widen_$S(const $X *src, int n, int16_t *dst) {
  int32_t s = 0;
  for (int i = 0; i < n; i++) dst[i] = (int16_t)src[i], s += src[i];
  return s;
}

/* Output pixel p's receptive field as kp int16 values (row); returns their sum. */
MC_CM_INLINE int32_t conv_cm_row_$S(const $X *x, int64_t p, int in_h, int in_w, int in_d,
                                    int out_h, int out_w, int k_h, int k_w, int stride_h,
                                    int stride_w, int dil_h, int dil_w, int pad_h, int pad_w,
                                    int32_t zp, int kp, int16_t *row) {
  const int K = k_h * k_w * in_d;
  const int ox = (int)(p % out_w), oy = (int)(p / out_w % out_h), b = (int)(p / out_w / out_h);
  const int iy0 = oy * stride_h - pad_h, ix0 = ox * stride_w - pad_w;
  int32_t sum = 0, pads = kp - K;  /* taps holding zp_x */
  for (int fy = 0; fy < k_h; fy++) {
    const int iy = iy0 + fy * dil_h;
    int16_t *dst = row + (size_t)fy * k_w * in_d;
    if (iy < 0 || iy >= in_h) {
      for (int i = 0; i < k_w * in_d; i++) dst[i] = (int16_t)zp;
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
      int16_t *d = dst + (size_t)fx * in_d;
      if (ix >= 0 && ix < in_w) {
        sum += conv_cm_widen_$S(src + (size_t)ix * in_d, in_d, d);
      } else {
        for (int i = 0; i < in_d; i++) d[i] = (int16_t)zp;
        pads += in_d;
      }
    }
  }
  for (int i = K; i < kp; i++) row[i] = (int16_t)zp;
  return sum + pads * zp;
}

/* a: 2 rows of kp int16. x_zp is the input's zero point, the value of every padding tap. */
MC_CM_INLINE void conv_cm_$S(const $X *x, $Y *y, const $X *w, const int32_t *bias,
                             const $QM *mult, const int32_t *shift, int batches, int in_h,
                             int in_w, int in_d, int out_h, int out_w, int out_d, int k_h,
                             int k_w, int stride_h, int stride_w, int dil_h, int dil_w, int pad_h,
                             int pad_w, int32_t x_zp, int32_t w_offset, int32_t y_offset,
                             int32_t lo, int32_t hi, int kp, int16_t *a) {
  const int64_t M = (int64_t)batches * out_h * out_w;
  for (int64_t p = 0; p < M; p += 2) {
    const int two = M - p >= 2;  /* a last single pixel runs as a pair with itself */
    const int16_t *r1 = two ? a + kp : a;
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
      conv_cm_tile_$S(a, r1, w + (size_t)c * kp, w + (size_t)(c + 1) * kp, kp, acc);
      const int pair = c + 1 < out_d;
      cm_out_$S(acc[0], mult[c], shift[c], y_offset, lo, hi, y0 + c);
      if (pair) cm_out_$S(acc[1], mult[c + 1], shift[c + 1], y_offset, lo, hi, y0 + c + 1);
      if (!two) continue;
      cm_out_$S(acc[2], mult[c], shift[c], y_offset, lo, hi, y1 + c);
      if (pair) cm_out_$S(acc[3], mult[c + 1], shift[c + 1], y_offset, lo, hi, y1 + c + 1);
    }
  }
}
