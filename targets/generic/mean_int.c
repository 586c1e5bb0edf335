/* MEAN's last step when input and output are quantized alike: TFLite's reference Mean divides the
   integer sum by the count, truncating toward zero. */
static void mean_int_$S(const int32_t *sum, $T *y, size_t n, int32_t count) {
  for (size_t i = 0; i < n; i++) y[i] = ($T)(sum[i] / count);
}
