/* LOGISTIC on floats, TFLite's reference form: 1 / (1 + exp(-x)), with exp(x) below -9 and 1
   above 16.62 where float precision makes them exact. */
static void logistic_$S(int64_t n, const float *x, float *y) {
  for (int64_t i = 0; i < n; i++) {
    float v = x[i];
    y[i] = v > 16.619047164916992188f ? 1.0f : v < -9.0f ? expf(v) : 1.0f / (1.0f + expf(-v));
  }
}
