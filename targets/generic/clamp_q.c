/* A fused activation applied in place to n quantized values (CONCATENATION with RELU and the
   like): clamped to [lo, hi] in the quantized domain. */
static void clamp_q_$S($T *p, size_t n, int32_t lo, int32_t hi) {
  for (size_t i = 0; i < n; i++) p[i] = ($T)mc_clamp_i32(p[i], lo, hi);
}
