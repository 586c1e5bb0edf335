/* TRANSPOSE_CONV, quantized (int8 per-channel, uint8 per-tensor with a weight zero point, 16x8):
   TFLite's reference kernel. Each input pixel scatters into the output pixels its filter taps
   reach, accumulated in `acc` (one $ACC per output element, the layer's scratch):
     acc[b][iy*s_h - pad_h + fy][ix*s_w - pad_w + fx][oc] += sum_ic (x + x_offset) * (w + w_offset)
   with w laid out [oc][fy][fx][ic]; then y = clamp(requant(acc + bias[oc]) + y_offset).
   Integer sums do not depend on the order, so each tap's products over ic are summed first. */
static void transpose_conv_$S(int batches, int in_h, int in_w, int in_d, int out_h, int out_w,
                              int out_d, int k_h, int k_w, int stride_h, int stride_w, int pad_h,
                              int pad_w, const $X *x, int32_t x_offset, const $W *w,
                              int32_t w_offset, const $B *bias, $Y *y, int32_t y_offset,
                              const $QM *mult, const int32_t *shift, int32_t act_min,
                              int32_t act_max, $ACC *acc) {
  const size_t n = (size_t)batches * out_h * out_w * out_d;
  for (size_t i = 0; i < n; i++) acc[i] = 0;
  for (int b = 0; b < batches; b++) {
    for (int iy = 0; iy < in_h; iy++) {
      const int oy0 = iy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(oy0, 1, k_h, out_h, &fy0, &fy1);
      for (int ix = 0; ix < in_w; ix++) {
        const int ox0 = ix * stride_w - pad_w;
        int fx0, fx1;
        mc_taps(ox0, 1, k_w, out_w, &fx0, &fx1);
        const $X *xp = x + (((size_t)b * in_h + iy) * in_w + ix) * in_d;
        for (int fy = fy0; fy < fy1; fy++) {
          for (int fx = fx0; fx < fx1; fx++) {
            $ACC *ap = acc + (((size_t)b * out_h + oy0 + fy) * out_w + ox0 + fx) * out_d;
            for (int oc = 0; oc < out_d; oc++) {
              const $W *wp = w + (((size_t)oc * k_h + fy) * k_w + fx) * in_d;
              $ACC sum = 0;
              for (int ic = 0; ic < in_d; ic++) sum += ($ACC)((xp[ic] + x_offset) * (wp[ic] + w_offset));
              ap[oc] += sum;
            }
          }
        }
      }
    }
  }
  for (size_t i = 0, oc = 0; i < n; i++) {
    $ACC v = acc[i];
    if (bias) v += bias[oc];
    int32_t q = $REQUANT(v, mult[oc], shift[oc]);
    y[i] = ($Y)mc_clamp_offset(q, y_offset, act_min, act_max);
    if (++oc == (size_t)out_d) oc = 0;
  }
}
