/* CAST float -> integer: truncation toward zero as static_cast does; values the integer type
   cannot hold (undefined in C and C++) saturate, and NaN becomes 0, so the result is defined. */
static void cast_f2i_$S(int64_t n, const float *x, $Y *y, double lo, double hi) {
  for (int64_t i = 0; i < n; i++) {
    double v = (double)x[i];
    y[i] = ($Y)(v != v ? 0 : v <= lo ? lo : v >= hi ? hi : v);
  }
}
