/* DEPTHWISE_CONV_2D for Cortex-M, int8 (per-channel) and uint8 (per-tensor with a weight zero
   point), depth multiplier 1. Exact, and bit-identical to depthwise_conv_q:
   - taps outside the input are skipped, as the generic kernel skips them (mc_taps);
   - the channels of an output pixel go in blocks of CB (4 for the DSP extension, 8 for Helium;
     the emitter packed the weights [tap][channel padded to a multiple of CB], raw bytes, so
     flash holds one byte per weight), each through the block function the template names
     (cm_dsp.c's depthwise_conv_cm_block: SXTB16 + SMLABB/SMLATT on int16 halves; cm_mve.c's
     depthwise_conv_cm_mve_block: VMUL and VADD on int32 lanes): bias + sum (x + xo)(w + wo),
     every product exact and int32 addition independent of the order, so the accumulator is
     the generic kernel's;
   - cm_out requantizes it with the generic kernel's function. */
MC_CM_INLINE void depthwise_conv_cm_$S(const $X *x, $Y *y, const $X *w, const int32_t *bias,
                                       const $QM *mult, const int32_t *shift, int batches,
                                       int in_h, int in_w, int in_d, int out_h, int out_w,
                                       int k_h, int k_w, int stride_h, int stride_w, int dil_h,
                                       int dil_w, int pad_h, int pad_w, int32_t x_offset,
                                       int32_t w_offset, int32_t y_offset, int32_t lo,
                                       int32_t hi) {
  const int cp = (in_d + $CB - 1) / $CB * $CB;
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
        for (int c = 0; c < cp; c += $CB) {
          const int n = in_d - c < $CB ? in_d - c : $CB;
          int32_t acc[$CB];
          $TILE(xb + c, w + c, bias + c, iy0, ix0, fy0, fy1, fx0, fx1, dil_h, dil_w, in_w, in_d,
                k_w, cp, n, x_offset, w_offset, acc);
          for (int j = 0; j < n; j++)
            cm_out_$S(acc[j], mult[c + j], shift[c + j], y_offset, lo, hi, yp + c + j);
        }
      }
    }
  }
}
