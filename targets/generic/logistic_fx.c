/* LOGISTIC int16 with input scale 2^-12, as TFLite's optimized kernel runs it: gemmlowp's int16
   fixed-point logistic of the input read as Q3.12. */
static void logistic_fx_$S(int64_t n, const int16_t *x, int16_t *y) {
  (void)fx16_tanh;  /* fx16 is copied whole; this keeps its other function used */
  for (int64_t i = 0; i < n; i++) y[i] = fx16_logistic(x[i], 3);
}
