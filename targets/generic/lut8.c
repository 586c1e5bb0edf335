/* An 8-bit to 8-bit function by table lookup (TFLite's LOGISTIC and TANH for int8/uint8, QUANTIZE
   between int8 and uint8): the table, computed at compile time, holds the output for each of the
   256 input bytes. */
static void lut8_$S(int64_t n, const $X *x, $Y *y, const $Y *table) {
  for (int64_t i = 0; i < n; i++) y[i] = table[(uint8_t)x[i]];
}
