/* Hybrid (dynamic-range) operators, asymmetric input quantization: TFLite's
   AsymmetricQuantizeFloats (portable form, which the oracle's build runs) over the n floats of one
   batch. The range is [min(0, min x), max(0, max x)] in double, the scale (max - min) / 255 kept
   as a float, the zero point the nudged one of the endpoint with the smaller error, and
     q = clamp(round(zp + x * (1.0f / scale)), -128, 127)
   in float, rounded half away from zero. All zeros: scale 1, zero point 0. Rounds with integer
   steps (no math.h): the values rounded are clamped first to where the fraction is exact. */
static void hybrid_quant_asym_$S(int64_t n, const float *x, int8_t *q, float *scale,
                                 int32_t *zp) {
  float lo = 0.0f, hi = 0.0f;
  if (n > 0) {
    lo = hi = x[0];
    for (int64_t i = 1; i < n; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
  }
  const double rmin = lo < 0.0f ? (double)lo : 0.0, rmax = hi > 0.0f ? (double)hi : 0.0;
  if (rmin == rmax) {
    for (int64_t i = 0; i < n; i++) q[i] = 0;
    *scale = 1.0f;
    *zp = 0;
    return;
  }
  const double s = (rmax - rmin) / 255.0;
  const double zmin = -128.0 - rmin / s, zmax = 127.0 - rmax / s;
  const double emin = 128.0 + (rmin / s < 0 ? -rmin / s : rmin / s);
  const double emax = 127.0 + (rmax / s < 0 ? -rmax / s : rmax / s);
  const double z = emin < emax ? zmin : zmax;
  int32_t zi;
  if (z <= -128.0) zi = -128;
  else if (z >= 127.0) zi = 127;
  else {
    zi = (int32_t)z;                       /* toward zero; the fraction is exact */
    double f = z - (double)zi;
    if (f >= 0.5) zi++;
    else if (f <= -0.5) zi--;
  }
  *scale = (float)s;
  *zp = zi;
  const float inv = 1.0f / *scale, fz = (float)zi;
  for (int64_t i = 0; i < n; i++) {
    float v = fz + x[i] * inv;
    v = v >= -256.0f ? (v <= 256.0f ? v : 256.0f) : -256.0f;  /* NaN: -256 */
    int32_t r = (int32_t)v;
    float f = v - (float)r;
    if (f >= 0.5f) r++;
    else if (f <= -0.5f) r--;
    q[i] = (int8_t)(r < -128 ? -128 : r > 127 ? 127 : r);
  }
}
