/* Quantized ADD and SUB as TFLite's XNNPACK delegate runs them (int8, uint8): each input times an
   integer multiplier (its scale over the output's, with about 21 significant bits), one
   arithmetic shift with rounding, the output zero point added, then the clamp.
   q: [0] bias (the zero points' products, negated, plus the rounding term); [1], [2] the input
   multipliers (the second negative for SUB); [3] the shift; [4] output zero point; [5], [6] the
   clamp. */
static inline int32_t add_xnn_$S(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  int32_t acc = q[0] + a * q[1] + b * q[2];
  int32_t v = (int32_t)(acc >> q[3]);  /* arithmetic shift: floor */
  return mc_clamp_i32(v + q[4], q[5], q[6]);
}
