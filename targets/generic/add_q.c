/* Quantized ADD and SUB (int8, uint8, int16 with general scales), TFLite's AddElementwise: both
   inputs rescaled to a common scale with left_shift bits of headroom, summed, requantized.
   q: input offsets (-zero points) [0], [1]; left_shift [2]; multiplier and shift of input 1 [3],
   [4] and input 2 [5], [6]; output multiplier, shift [7], [8]; output zero point [9]; clamp [10],
   [11]; [12] +1 to add the scaled second input, -1 to subtract it (SUB in TFLite Micro; TFLite's
   SUB negates the second multiplier instead, which rounds differently). */
static inline int32_t add_q_$S(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  int32_t sa = (int32_t)((uint32_t)(a + q[0]) << q[2]);
  int32_t sb = (int32_t)((uint32_t)(b + q[1]) << q[2]);
  int32_t ra = $RQ(sa, q[3], q[4]);
  int32_t rb = $RQ(sb, q[5], q[6]);
  int32_t sum = q[12] > 0 ? ra + rb : ra - rb;
  return mc_clamp_i32($RQ(sum, q[7], q[8]) + q[9], q[10], q[11]);
}
