/* QUANTIZE float -> int8/uint8/int16 (TFLite's AffineQuantize): y = clamp(round(x / scale) + zp)
   with the division in double, as TFLite's double scale makes it, and rounding half away from
   zero. The clamp is applied before the conversion to int32, which only changes inputs whose
   conversion would be undefined. */
static void quantize_$S(int64_t n, const float *x, $Y *y, double scale, int32_t zp, int32_t lo,
                        int32_t hi) {
  for (int64_t i = 0; i < n; i++) {
    double r = round((double)x[i] / scale);
    r = r < -2147483648.0 ? -2147483648.0 : r > 2147483647.0 ? 2147483647.0 : r;
    int64_t v = (int64_t)(r != r ? 0 : r) + zp;
    y[i] = ($Y)(v < lo ? lo : v > hi ? hi : v);
  }
}
