/* Hybrid (dynamic-range) operators, symmetric input quantization: TFLite's SymmetricQuantizeFloats
   over the n floats of one batch. range = max(|min x|, |max x|), scale = range / 127 and
     q = clamp(round(x * (127 / range)), -127, 127)
   in float, rounded half away from zero; the zero point is 0. All zeros: scale 1. */
static void hybrid_quant_sym_$S(int64_t n, const float *x, int8_t *q, float *scale,
                                int32_t *zp) {
  float lo = 0.0f, hi = 0.0f;
  if (n > 0) {
    lo = hi = x[0];
    for (int64_t i = 1; i < n; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
  }
  const float alo = lo < 0.0f ? -lo : lo, ahi = hi < 0.0f ? -hi : hi;
  const float range = alo > ahi ? alo : ahi;
  *zp = 0;
  if (range == 0.0f) {
    for (int64_t i = 0; i < n; i++) q[i] = 0;
    *scale = 1.0f;
    return;
  }
  *scale = range / 127.0f;
  const float inv = 127.0f / range;
  for (int64_t i = 0; i < n; i++) {
    float v = x[i] * inv;
    v = v >= -256.0f ? (v <= 256.0f ? v : 256.0f) : -256.0f;  /* NaN: -256 */
    int32_t r = (int32_t)v;
    float f = v - (float)r;
    if (f >= 0.5f) r++;
    else if (f <= -0.5f) r--;
    q[i] = (int8_t)(r < -127 ? -127 : r > 127 ? 127 : r);
  }
}
