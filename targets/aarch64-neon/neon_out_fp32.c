/* Requantizes 4 accumulators (channels [0, n) of y, n <= 4) with mc_requant_fp32's arithmetic,
   adds the output zero point, clamps to [lo, hi] and stores them:
   - SCVTF (vcvtq_f32_s32) and FMUL round like the scalar (float)acc * scale (IEEE single, to
     nearest; Linux starts processes with round-to-nearest and no flush-to-zero, which the
     scalar float arithmetic relies on too); no add follows the multiply, so no contraction;
   - the clamp to +-2^24 is mc_requant_fp32's, and below 2^24 FCVTNS (vcvtnq_s32_f32) rounds to
     nearest with ties to even, as its integer steps do.
   Without NEON, the scalar function itself. */
#if MC_NEON
MC_NEON_INLINE void neon_out_$S(int32x4_t acc, int n, const float *scale, const int32_t *shift,
                                int32_t y_offset, int32_t lo, int32_t hi, $Y *y) {
  (void)shift;
  float s[4] = {0, 0, 0, 0};
  if (n < 4) memcpy(s, scale, (size_t)n * sizeof *s), scale = s;  /* tables end at out_d */
  float32x4_t v = vmulq_f32(vcvtq_f32_s32(acc), vld1q_f32(scale));
  v = vminq_f32(vmaxq_f32(v, vdupq_n_f32(-16777216.0f)), vdupq_n_f32(16777216.0f));
  int32x4_t q = vaddq_s32(vcvtnq_s32_f32(v), vdupq_n_s32(y_offset));
  q = vminq_s32(vmaxq_s32(q, vdupq_n_s32(lo)), vdupq_n_s32(hi));
  mc_neon_store_q8(q, n, y);
}
#endif
MC_NEON_INLINE void neon_out1_$S(int32_t acc, float scale, int32_t shift, int32_t y_offset,
                                 int32_t lo, int32_t hi, $Y *y) {
  *y = ($Y)mc_clamp_offset(mc_requant_fp32(acc, scale, shift), y_offset, lo, hi);
}
