/* Requantization, TFLite's single-rounding build (TFLITE_SINGLE_ROUNDING): one 64-bit multiply,
   add half, shift. multiplier is Q31 in [2^30, 2^31), shift in [-31, 30]. */
static inline int32_t mc_requant(int32_t x, int32_t multiplier, int shift) {
  int total = 31 - shift;
  int64_t r = (int64_t)x * multiplier + ((int64_t)1 << (total - 1));
  return (int32_t)(r >> total);
}
