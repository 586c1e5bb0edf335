/* LEAKY_RELU on floats. */
static void leaky_relu_$S(int64_t n, const float *x, float *y, float alpha) {
  for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : x[i] * alpha;
}
