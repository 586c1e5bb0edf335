/* TANH int16 with input scale 2^-12 or 2^-11, as TFLite's optimized kernel runs it: gemmlowp's
   int16 fixed-point tanh of the input read as Q3.12, after a saturating doubling for 2^-11. */
static void tanh_fx_$S(int64_t n, const int16_t *x, int16_t *y, int left_shift) {
  (void)fx16_logistic;  /* fx16 is copied whole; this keeps its other function used */
  for (int64_t i = 0; i < n; i++) {
    int16_t v = x[i];
    if (left_shift == 1) v = (int16_t)mc_clamp_i32(2 * (int32_t)v, INT16_MIN, INT16_MAX);
    y[i] = fx16_tanh(v, 3);
  }
}
