/* DEPTHWISE_CONV_2D, hybrid: float32 input and output, int8 weights with per-channel float scales,
   float32 bias, as TensorFlow Lite runs it (DepthwiseConvHybridPerChannel). Each batch of the
   input is quantized asymmetrically to int8 on the fly into xq, giving its scale s and
   zero point zp; then output channel oc = ic * depth_mult + m, over the taps inside the input:
     acc = sum of (xq[.., ic] - zp) * w[0][fy][fx][oc]             (int32)
     y   = clamp((float)acc * s * w_scale[oc] + bias[oc])          (float, left to right) */
static void depthwise_conv_hybrid_$S(int batches, int in_h, int in_w, int in_d, int out_h,
                                     int out_w, int depth_mult, int k_h, int k_w, int stride_h,
                                     int stride_w, int dil_h, int dil_w, int pad_h, int pad_w,
                                     const float *x, const int8_t *w, const float *w_scale,
                                     const float *bias, float *y, float act_min, float act_max,
                                     int8_t *xq) {
  const int out_d = in_d * depth_mult;
  const int64_t in_size = (int64_t)in_h * in_w * in_d;
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
        for (int ic = 0, oc = 0; ic < in_d; ic++) {
          for (int m = 0; m < depth_mult; m++, oc++) {
            int32_t acc = 0;
            for (int fy = fy0; fy < fy1; fy++) {
              const int8_t *xr = xq + (size_t)(iy0 + fy * dil_h) * in_w * in_d + ic;
              const int8_t *wr = w + (size_t)fy * k_w * out_d + oc;
              for (int fx = fx0; fx < fx1; fx++)
                acc += ((int32_t)xr[(size_t)(ix0 + fx * dil_w) * in_d] - zp) * wr[(size_t)fx * out_d];
            }
            float v = (float)acc * s;
            v = v * w_scale[oc];
            if (bias) v += bias[oc];
            yp[oc] = mc_clamp_f32(v, act_min, act_max);
          }
        }
      }
    }
  }
}
