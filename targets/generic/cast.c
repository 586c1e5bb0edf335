/* CAST between numeric dtypes: C's conversion, as TFLite's static_cast; $CVT is "($Y)" or, for
   bool outputs, "0 != ". */
static void cast_$S(int64_t n, const $X *x, $Y *y) {
  for (int64_t i = 0; i < n; i++) y[i] = $CVT(x[i]);
}
