/* Quantized MUL (int8, uint8, int16), TFLite's MulElementwise: the product of the offset inputs,
   requantized by s1 * s2 / s_out. q: input offsets [0], [1]; multiplier [2], shift [3]; output
   zero point [4]; clamp [5], [6]. */
static inline int32_t mul_q_$S(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  int32_t prod = (a + q[0]) * (b + q[1]);
  return mc_clamp_i32($RQ(prod, q[2], q[3]) + q[4], q[5], q[6]);
}
