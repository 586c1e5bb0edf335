/* HARD_SWISH on floats: x * relu6(x + 3) / 6, evaluated in TFLite's reference order. */
static void hard_swish_$S(int64_t n, const float *x, float *y) {
  for (int64_t i = 0; i < n; i++) {
    float in = x[i], r = in + 3.0f;
    r = r < 0.0f ? 0.0f : r;
    r = r > 6.0f ? 6.0f : r;
    y[i] = in * r / 6.0f;
  }
}
