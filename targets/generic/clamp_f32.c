/* A fused activation applied in place to n floats (CONCATENATION with RELU and the like). */
static void clamp_f32_$S(float *p, size_t n, float lo, float hi) {
  for (size_t i = 0; i < n; i++) p[i] = mc_clamp_f32(p[i], lo, hi);
}
