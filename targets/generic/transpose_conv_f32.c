/* TRANSPOSE_CONV, float32: each input pixel scatters x * w into the output pixels its filter
   taps reach (w laid out [oc][fy][fx][ic]), accumulated in y itself; then the bias and the
   activation clamp. TFLite's kernels sum in other orders (reference: per input channel;
   optimized: a GEMM then col2im), so results agree to float reassociation error. */
static void transpose_conv_$S(int batches, int in_h, int in_w, int in_d, int out_h, int out_w,
                              int out_d, int k_h, int k_w, int stride_h, int stride_w, int pad_h,
                              int pad_w, const float *x, const float *w, const float *bias,
                              float *y, float act_min, float act_max) {
  const size_t n = (size_t)batches * out_h * out_w * out_d;
  for (size_t i = 0; i < n; i++) y[i] = 0.0f;
  for (int b = 0; b < batches; b++) {
    for (int iy = 0; iy < in_h; iy++) {
      const int oy0 = iy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(oy0, 1, k_h, out_h, &fy0, &fy1);
      for (int ix = 0; ix < in_w; ix++) {
        const int ox0 = ix * stride_w - pad_w;
        int fx0, fx1;
        mc_taps(ox0, 1, k_w, out_w, &fx0, &fx1);
        const float *xp = x + (((size_t)b * in_h + iy) * in_w + ix) * in_d;
        for (int fy = fy0; fy < fy1; fy++) {
          for (int fx = fx0; fx < fx1; fx++) {
            float *yp = y + (((size_t)b * out_h + oy0 + fy) * out_w + ox0 + fx) * out_d;
            for (int oc = 0; oc < out_d; oc++) {
              const float *wp = w + (((size_t)oc * k_h + fy) * k_w + fx) * in_d;
              float sum = 0.0f;
              for (int ic = 0; ic < in_d; ic++) sum += xp[ic] * wp[ic];
              yp[oc] += sum;
            }
          }
        }
      }
    }
  }
  for (size_t i = 0, oc = 0; i < n; i++) {
    float v = y[i];
    if (bias) v += bias[oc];
    y[i] = mc_clamp_f32(v, act_min, act_max);
    if (++oc == (size_t)out_d) oc = 0;
  }
}
