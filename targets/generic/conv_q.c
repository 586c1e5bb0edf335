/* CONV_2D, quantized (int8 with per-channel weights, uint8 with per-tensor weights and a weight
   zero point, 16x8): TFLite's reference kernel. For output pixel (b, oy, ox) and channel oc:
     acc = bias[oc] + sum over the taps inside the input of (x + x_offset) * (w + w_offset)
     y   = clamp(requant(acc, mult[oc], shift[oc]) + y_offset)
   Taps outside the input are skipped: zero padding in the real domain. A filter depth k_d below
   the input depth makes in_d / k_d groups, each with its own slice of input channels and
   out_d / groups filters. */
static void conv_$S(int batches, int in_h, int in_w, int in_d, int out_h, int out_w, int out_d,
                    int k_h, int k_w, int k_d, int stride_h, int stride_w, int dil_h, int dil_w,
                    int pad_h, int pad_w, const $X *x, int32_t x_offset, const $W *w,
                    int32_t w_offset, const $B *bias, $Y *y, int32_t y_offset,
                    const $QM *mult, const int32_t *shift, int32_t act_min, int32_t act_max,
                    int part, int nparts) {
  const int groups = in_d / k_d, per_group = out_d / groups;
  const size_t w_row = (size_t)k_w * k_d;  /* one filter row: k_w taps of k_d channels */
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
        for (int g = 0, oc = 0; g < groups; g++) {
          for (int j = 0; j < per_group; j++, oc++) {
            $ACC acc = 0;
            for (int fy = fy0; fy < fy1; fy++) {
              const $X *xr = xb + (size_t)(iy0 + fy * dil_h) * in_w * in_d + (size_t)g * k_d;
              const $W *wr = w + ((size_t)oc * k_h + fy) * w_row;
              for (int fx = fx0; fx < fx1; fx++) {
                const $X *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d;
                const $W *wp = wr + (size_t)fx * k_d;
                for (int i = 0; i < k_d; i++) acc += ($ACC)((xp[i] + x_offset) * (wp[i] + w_offset));
              }
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
