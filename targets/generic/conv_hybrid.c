/* CONV_2D, hybrid: float32 input and output, int8 weights with float scales, float32 bias, as
   TensorFlow Lite runs it (optimized HybridConv / HybridConvPerChannel). Each batch of the input
   is quantized to int8 on the fly into xq (asymmetrically for per-channel weights, else
   symmetrically: the QUANT template value), giving its scale s and zero point zp; then for output pixel (b, oy, ox) and
   channel oc, over the taps inside the input (TFLite pads its im2col with zp, and subtracts the
   weights' row sums times zp, which comes to the same integer):
     acc = sum of (xq - zp) * w                                    (int32)
     y   = clamp((float)acc * (w_scale[oc] * s) + bias[oc])       (float)
   Filters span all input channels (TFLite has no grouped hybrid convolution). */
static void conv_hybrid_$S(int batches, int in_h, int in_w, int in_d, int out_h, int out_w,
                           int out_d, int k_h, int k_w, int k_d, int stride_h, int stride_w,
                           int dil_h, int dil_w, int pad_h, int pad_w, const float *x,
                           const int8_t *w, const float *w_scale, const float *bias, float *y,
                           float act_min, float act_max, int8_t *xq) {
  const int64_t in_size = (int64_t)in_h * in_w * in_d;
  const size_t w_row = (size_t)k_w * k_d;
  for (int b = 0; b < batches; b++) {
    float s;
    int32_t zp;
    $QUANT(in_size, x + (size_t)b * in_size, xq, &s, &zp);
    for (int oy = 0; oy < out_h; oy++) {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      for (int ox = 0; ox < out_w; ox++) {
        const int ix0 = ox * stride_w - pad_w;
        int fx0, fx1;
        mc_taps(ix0, dil_w, k_w, in_w, &fx0, &fx1);
        float *yp = y + (((size_t)b * out_h + oy) * out_w + ox) * out_d;
        for (int oc = 0; oc < out_d; oc++) {
          int32_t acc = 0;
          for (int fy = fy0; fy < fy1; fy++) {
            const int8_t *xr = xq + (size_t)(iy0 + fy * dil_h) * in_w * in_d;
            const int8_t *wr = w + ((size_t)oc * k_h + fy) * w_row;
            for (int fx = fx0; fx < fx1; fx++) {
              const int8_t *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d;
              const int8_t *wp = wr + (size_t)fx * k_d;
              for (int i = 0; i < k_d; i++) acc += ((int32_t)xp[i] - zp) * wp[i];
            }
          }
          const float scale = w_scale[oc] * s;
          float v = (float)acc * scale;
          if (bias) v += bias[oc];
          yp[oc] = mc_clamp_f32(v, act_min, act_max);
        }
      }
    }
  }
}
