/* An 8-bit activation by table lookup (TFLite's LOGISTIC and TANH for int8/uint8): the table,
   computed at compile time, holds the output for each of the 256 input bytes. */
static void lut8_$S(int64_t n, const $T *x, $T *y, const $T *table) {
  for (int64_t i = 0; i < n; i++) y[i] = table[(uint8_t)x[i]];
}
