/* An elementwise float function from math.h (EXP: expf, LOG: logf), as TFLite's std::exp and
   std::log on floats. */
static void unary_f32_$S(int64_t n, const float *x, float *y) {
  for (int64_t i = 0; i < n; i++) y[i] = $FN(x[i]);
}
