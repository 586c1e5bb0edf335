/* RELU, RELU6, RELU_N1_TO_1 on floats: y = min(max(x, lo), hi). */
static void relu_f32_$S(int64_t n, const float *x, float *y, float lo, float hi) {
  for (int64_t i = 0; i < n; i++) {
    float v = x[i] < lo ? lo : x[i];
    y[i] = v > hi ? hi : v;
  }
}
