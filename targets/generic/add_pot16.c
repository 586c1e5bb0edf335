/* int16 ADD and SUB with power-of-two scales and zero points 0 (TFLite's path for LSTM-style
   quantization, pot_scale_int16): the input whose scale is finer than the output's is shifted
   right with rounding, the other is taken as is, and the two are added with int16 saturation.
   q: [0] 1 if input 1 is the shifted one, 0 if input 2 is; [1] the right shift; [2] -1 to
   subtract input 2, 1 to add it; clamp [3], [4]. */
static inline int32_t add_pot16_$S(int32_t a, int32_t b, const int32_t *q, const float *f) {
  (void)f;
  int32_t shifted = mc_rdbpot(q[0] ? a : b, q[1]);
  int32_t other = q[0] ? b : a;
  int32_t sum = q[0] ? shifted + other : other + shifted;
  if (q[2] < 0) sum = q[0] ? shifted - other : other - shifted;
  sum = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
  return mc_clamp_i32(sum, q[3], q[4]);
}
