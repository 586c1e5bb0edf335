/* DEPTHWISE_CONV_2D, quantized (int8 per-channel, uint8 per-tensor with a weight zero point,
   16x8): TFLite's reference kernel. Output channel oc = ic * depth_mult + m filters input channel
   ic alone with the weights w[0][fy][fx][oc]:
     acc = bias[oc] + sum over the taps inside the input of (x + x_offset) * (w + w_offset)
     y   = clamp(requant(acc, mult[oc], shift[oc]) + y_offset) */
static void depthwise_conv_$S(int batches, int in_h, int in_w, int in_d, int out_h, int out_w,
                              int depth_mult, int k_h, int k_w, int stride_h, int stride_w,
                              int dil_h, int dil_w, int pad_h, int pad_w, const $X *x,
                              int32_t x_offset, const $W *w, int32_t w_offset, const $B *bias,
                              $Y *y, int32_t y_offset, const $QM *mult, const int32_t *shift,
                              int32_t act_min, int32_t act_max, int part, int nparts) {
  const int out_d = in_d * depth_mult;
  const int rows = batches * out_h;  /* part `part` of `nparts`: output rows [r0, r1) */
  const int r0 = (int)((int64_t)rows * part / nparts), r1 = (int)((int64_t)rows * (part + 1) / nparts);
  for (int r = r0; r < r1; r++) {
    const int b = r / out_h, oy = r % out_h;
    const $X *xb = x + (size_t)b * in_h * in_w * in_d;
    {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      for (int ox = 0; ox < out_w; ox++) {
        const int ix0 = ox * stride_w - pad_w;
        int fx0, fx1;
        mc_taps(ix0, dil_w, k_w, in_w, &fx0, &fx1);
        $Y *yp = y + (((size_t)b * out_h + oy) * out_w + ox) * out_d;
        for (int ic = 0, oc = 0; ic < in_d; ic++) {
          for (int m = 0; m < depth_mult; m++, oc++) {
            $ACC acc = 0;
            for (int fy = fy0; fy < fy1; fy++) {
              const $X *xr = xb + (size_t)(iy0 + fy * dil_h) * in_w * in_d + ic;
              const $W *wr = w + (size_t)fy * k_w * out_d + oc;
              for (int fx = fx0; fx < fx1; fx++)
                acc += ($ACC)((xr[(size_t)(ix0 + fx * dil_w) * in_d] + x_offset) *
                              (wr[(size_t)fx * out_d] + w_offset));
            }
            if (bias) acc += bias[oc];
            int32_t v = $REQUANT(acc, mult[oc], shift[oc]);
            yp[oc] = ($Y)mc_clamp_offset(v, y_offset, act_min, act_max);
          }
        }
      }
    }
  }
}
