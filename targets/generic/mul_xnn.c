/* Quantized MUL as TFLite's XNNPACK delegate runs it (int8, uint8): the product of the offset
   inputs converted to float, times s1 * s2 / s_out in float, rounded to nearest even.
   q: input zero points [0], [1]; output zero point [2]; clamp [3], [4]. f[0]: the scale. */
static inline int32_t mul_xnn_$S(int32_t a, int32_t b, const int32_t *q, const float *f) {
  int32_t prod = (a - q[0]) * (b - q[1]);
  return mc_clamp_offset(mc_requant_fp32(prod, f[0], 0), q[2], q[3], q[4]);
}
