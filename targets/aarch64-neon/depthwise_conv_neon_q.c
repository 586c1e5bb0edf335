/* DEPTHWISE_CONV_2D for aarch64 NEON, int8 (per-channel) and uint8 (per-tensor with a weight
   zero point), depth multiplier 1. Exact, and bit-identical to depthwise_conv_q:
   - taps outside the input are skipped, as the generic kernel skips them (mc_taps);
   - 8 channels at a time, x widened to int16 as x + x_offset and the weights packed by the
     emitter as int16 w + w_offset ([tap][channel, padded to 8]), both in [-255, 255]; SMLAL /
     SMLAL2 multiply them into int32 lanes exactly, and int32 addition does not depend on the
     order, so the accumulator, bias included, is the generic kernel's;
   - neon_out_* requantizes it with the generic kernel's arithmetic.
   A last block of fewer than 8 channels is read through a copy, never past the input. */
MC_NEON_INLINE void depthwise_conv_neon_$S(const $X *x, $Y *y, const int16_t *w,
                                           const int32_t *bias, const $QM *mult,
                                           const int32_t *shift, int batches, int in_h,
                                           int in_w, int in_d, int out_h, int out_w, int k_h,
                                           int k_w, int stride_h, int stride_w, int dil_h,
                                           int dil_w, int pad_h, int pad_w, int32_t x_offset,
                                           int32_t y_offset, int32_t lo, int32_t hi) {
  const int cp = (in_d + 7) / 8 * 8;
  for (int b = 0; b < batches; b++) {
    const $X *xb = x + (size_t)b * in_h * in_w * in_d;
    for (int oy = 0; oy < out_h; oy++) {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      for (int ox = 0; ox < out_w; ox++) {
        const int ix0 = ox * stride_w - pad_w;
        int fx0, fx1;
        mc_taps(ix0, dil_w, k_w, in_w, &fx0, &fx1);
        $Y *yp = y + (((size_t)b * out_h + oy) * out_w + ox) * in_d;
#if MC_NEON
        const int16x8_t off = vdupq_n_s16((int16_t)x_offset);
        for (int c = 0; c < cp; c += 8) {
          int32x4_t a0 = vld1q_s32(bias + c), a1 = vld1q_s32(bias + c + 4);
          const int tail = in_d - c < 8;
          for (int fy = fy0; fy < fy1; fy++) {
            const $X *xr = xb + ((size_t)(iy0 + fy * dil_h) * in_w) * in_d + c;
            const int16_t *wr = w + (size_t)fy * k_w * cp + c;
            for (int fx = fx0; fx < fx1; fx++) {
              const $X *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d;
              $X t[8] = {0};
              if (tail) memcpy(t, xp, (size_t)(in_d - c) * sizeof *t), xp = t;
              const int16x8_t xv = mc_neon_widen_$T(xp, off), wv = vld1q_s16(wr + (size_t)fx * cp);
              a0 = vmlal_s16(a0, vget_low_s16(xv), vget_low_s16(wv));
              a1 = vmlal_high_s16(a1, xv, wv);
            }
          }
          const int n = in_d - c;
          neon_out_$S(a0, n < 4 ? n : 4, mult + c, shift + c, y_offset, lo, hi, yp + c);
          if (n > 4)
            neon_out_$S(a1, n < 8 ? n - 4 : 4, mult + c + 4, shift + c + 4, y_offset, lo, hi,
                        yp + c + 4);
        }
#else
        for (int c = 0; c < in_d; c++) {
          int32_t acc = bias[c];
          for (int fy = fy0; fy < fy1; fy++)
            for (int fx = fx0; fx < fx1; fx++)
              acc += (xb[((size_t)(iy0 + fy * dil_h) * in_w + (ix0 + fx * dil_w)) * in_d + c] +
                      x_offset) * w[((size_t)fy * k_w + fx) * cp + c];
          neon_out1_$S(acc, mult[c], shift[c], y_offset, lo, hi, yp + c);
        }
#endif
      }
    }
  }
}
