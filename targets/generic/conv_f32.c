/* CONV_2D, float32: TFLite's reference kernel. For output pixel (b, oy, ox) and channel oc, the
   products over the taps inside the input, summed in filter order (row, column, channel), then
   the bias, then the activation clamp. Grouped filters as in the quantized kernel. */
static void conv_$S(int batches, int in_h, int in_w, int in_d, int out_h, int out_w, int out_d,
                    int k_h, int k_w, int k_d, int stride_h, int stride_w, int dil_h, int dil_w,
                    int pad_h, int pad_w, const float *x, const float *w, const float *bias,
                    float *y, float act_min, float act_max, int part, int nparts) {
  const int groups = in_d / k_d, per_group = out_d / groups;
  const size_t w_row = (size_t)k_w * k_d;
  const int rows = batches * out_h;  /* part `part` of `nparts`: output rows [r0, r1) */
  const int r0 = (int)((int64_t)rows * part / nparts), r1 = (int)((int64_t)rows * (part + 1) / nparts);
  for (int r = r0; r < r1; r++) {
    const int b = r / out_h, oy = r % out_h;
    const float *xb = x + (size_t)b * in_h * in_w * in_d;
    {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      for (int ox = 0; ox < out_w; ox++) {
        const int ix0 = ox * stride_w - pad_w;
        int fx0, fx1;
        mc_taps(ix0, dil_w, k_w, in_w, &fx0, &fx1);
        float *yp = y + (((size_t)b * out_h + oy) * out_w + ox) * out_d;
        for (int g = 0, oc = 0; g < groups; g++) {
          for (int j = 0; j < per_group; j++, oc++) {
            float acc = 0.0f;
            for (int fy = fy0; fy < fy1; fy++) {
              const float *xr = xb + (size_t)(iy0 + fy * dil_h) * in_w * in_d + (size_t)g * k_d;
              const float *wr = w + ((size_t)oc * k_h + fy) * w_row;
              for (int fx = fx0; fx < fx1; fx++) {
                const float *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d;
                const float *wp = wr + (size_t)fx * k_d;
                for (int i = 0; i < k_d; i++) acc += xp[i] * wp[i];
              }
            }
            if (bias) acc += bias[oc];
            yp[oc] = mc_clamp_f32(acc, act_min, act_max);
          }
        }
      }
    }
  }
}
