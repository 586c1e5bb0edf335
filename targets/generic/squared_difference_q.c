/* Quantized SQUARED_DIFFERENCE (int8), TFLite's kernel: both inputs rescaled to a common scale
   with 7 bits of headroom, the difference squared, requantized by (2 max s)^2 / (2^14 s_out).
   q: input offsets [0], [1]; left shift [2]; multiplier, shift of input 1 [3], [4] and input 2
   [5], [6]; output multiplier, shift [7], [8]; output zero point [9]; clamp [10], [11]. */
static inline int32_t squared_difference_q_$S(int32_t a, int32_t b, const int32_t *q,
                                              const float *f) {
  (void)f;
  int32_t ra = $RQ((int32_t)((uint32_t)(a + q[0]) << q[2]), q[3], q[4]);
  int32_t rb = $RQ((int32_t)((uint32_t)(b + q[1]) << q[2]), q[5], q[6]);
  int32_t d = ra - rb;
  return mc_clamp_i32($RQ(d * d, q[7], q[8]) + q[9], q[10], q[11]);
}
