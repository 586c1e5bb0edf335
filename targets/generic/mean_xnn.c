/* MEAN over H and W of 4D int8/uint8 as the tests' TFLite runs it, delegated to XNNPACK's global
   average pooling: acc = sum - count * zp_in, scaled in float by s_in / (s_out * count), clamped
   in float to the output range less zp_out, rounded half to even, plus zp_out. */
static void mean_xnn_$S(const int32_t *sum, $T *y, size_t n, int32_t bias, float scale,
                        int32_t zp_out, int32_t lo, int32_t hi) {
  float fmin = (float)(lo - zp_out), fmax = (float)(hi - zp_out);
  for (size_t i = 0; i < n; i++) {
    float v = (float)(sum[i] + bias) * scale;
    v = v < fmin ? fmin : v;
    v = v > fmax ? fmax : v;
    y[i] = ($T)((int32_t)lrintf(v) + zp_out);
  }
}
