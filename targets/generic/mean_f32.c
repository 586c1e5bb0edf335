/* MEAN, float32: each sum divided by the number of elements it adds. */
static void mean_f32_$S(const float *sum, float *y, size_t n, float count) {
  for (size_t i = 0; i < n; i++) y[i] = sum[i] / count;
}
