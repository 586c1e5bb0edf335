/* SOFTMAX with int8/uint8 input (int8, uint8 or int16 output): TFLite's optimized kernel, which
   the full runtime uses. table[255 - d] = exp(-s_x * beta * d) for the distance d in [0, 255] of
   an input below its row's maximum (computed at compile time); the row's sum and the
   probabilities are float, scaled by 1 / (sum * s_y), then rounded as $ROUND does. */
static void softmax_$S(int outer, int depth, const $X *x, $Y *y, const float *table,
                       float y_scale, int32_t y_zp, int32_t lo, int32_t hi) {
  (void)y_zp;
  for (int i = 0; i < outer; i++, x += depth, y += depth) {
    int32_t mx = x[0];
    for (int j = 1; j < depth; j++) mx = x[j] > mx ? x[j] : mx;
    float sum = 0.0f;
    for (int j = 0; j < depth; j++) sum += table[255 - (mx - x[j])];
    const float inv = 1.0f / (sum * y_scale);
    for (int j = 0; j < depth; j++) {
      float p = table[255 - (mx - x[j])] * inv;
      int32_t q = $ROUND;
      y[j] = ($Y)mc_clamp_i32(q, lo, hi);
    }
  }
}
