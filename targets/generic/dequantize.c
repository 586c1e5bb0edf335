/* DEQUANTIZE int -> float: y = (float)(scale * (x - zp)) with TFLite's double scale. */
static void dequantize_$S(int64_t n, const $X *x, float *y, double scale, int32_t zp) {
  for (int64_t i = 0; i < n; i++) y[i] = (float)(scale * (double)((int32_t)x[i] - zp));
}
