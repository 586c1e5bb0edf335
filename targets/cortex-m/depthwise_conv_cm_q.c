/* DEPTHWISE_CONV_2D for Cortex-M with the DSP extension, int8 (per-channel) and uint8
   (per-tensor with a weight zero point), depth multiplier 1. Exact, and bit-identical to
   depthwise_conv_q:
   - taps outside the input are skipped, as the generic kernel skips them (mc_taps);
   - 4 channels at a time: one word of x and one of w (the emitter packed the weights
     [tap][channel padded to 4], raw bytes, so flash holds one byte per weight) widened by
     SXTB16 / UXTB16 into int16 pairs (channels 0 and 2, 1 and 3), x_offset and w_offset added
     to both halves by SADD16 (exact: an 8-bit value plus an 8-bit zero point's negation lies in
     [-255, 255]), each channel's product added to its own accumulator by SMLABB / SMLATT.
     Every product is exact and int32 addition does not depend on the order, so the
     accumulator, bias included, is the generic kernel's;
   - cm_out requantizes it with the generic kernel's function.
   A last group of fewer than 4 channels is read through a copy, never past the input. */
MC_CM_INLINE void depthwise_conv_cm_$S(const $X *x, $Y *y, const $X *w, const int32_t *bias,
                                       const $QM *mult, const int32_t *shift, int batches,
                                       int in_h, int in_w, int in_d, int out_h, int out_w,
                                       int k_h, int k_w, int stride_h, int stride_w, int dil_h,
                                       int dil_w, int pad_h, int pad_w, int32_t x_offset,
                                       int32_t w_offset, int32_t y_offset, int32_t lo,
                                       int32_t hi) {
  const int cp = (in_d + 3) / 4 * 4;
  const uint32_t xo2 = ((uint32_t)x_offset & 0xffffu) * 0x10001u;
  const uint32_t wo2 = ((uint32_t)w_offset & 0xffffu) * 0x10001u;
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
        for (int c = 0; c < cp; c += 4) {
          int32_t a0 = bias[c], a1 = bias[c + 1], a2 = bias[c + 2], a3 = bias[c + 3];
          const int tail = in_d - c < 4;
          for (int fy = fy0; fy < fy1; fy++) {
            const $X *xr = xb + ((size_t)(iy0 + fy * dil_h) * in_w) * in_d + c;
            const $X *wr = w + (size_t)fy * k_w * cp + c;
            for (int fx = fx0; fx < fx1; fx++) {
              const $X *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d;
              $X t[4] = {0, 0, 0, 0};
              if (tail) memcpy(t, xp, (size_t)(in_d - c) * sizeof *t), xp = t;
              uint32_t xe, xod, we, wod;
              mc_cm_ext_$T(mc_cm_ld32(xp), &xe, &xod);
              mc_cm_ext_$T(mc_cm_ld32(wr + (size_t)fx * cp), &we, &wod);
              xe = mc_cm_add16(xe, xo2), xod = mc_cm_add16(xod, xo2);
              if (w_offset) we = mc_cm_add16(we, wo2), wod = mc_cm_add16(wod, wo2);
              a0 = mc_cm_smlabb(xe, we, a0), a2 = mc_cm_smlatt(xe, we, a2);
              a1 = mc_cm_smlabb(xod, wod, a1), a3 = mc_cm_smlatt(xod, wod, a3);
            }
          }
          const int n = in_d - c;
          cm_out_$S(a0, mult[c], shift[c], y_offset, lo, hi, yp + c);
          if (n > 1) cm_out_$S(a1, mult[c + 1], shift[c + 1], y_offset, lo, hi, yp + c + 1);
          if (n > 2) cm_out_$S(a2, mult[c + 2], shift[c + 2], y_offset, lo, hi, yp + c + 2);
          if (n > 3) cm_out_$S(a3, mult[c + 3], shift[c + 3], y_offset, lo, hi, yp + c + 3);
        }
      }
    }
  }
}
