/* ---- SDOT / UDOT (targets/aarch64-neon/neon_sdot.c), for --cpu with dotprod ----
   acc[j] += x[4j..4j+3] . w[4j..4j+3] in one instruction, exactly: four int8 (or uint8)
   products summed into a 32-bit lane, wrapping like the int32 sums of the generic kernels. */
#if MC_NEON
MC_NEON_INLINE MC_NEON_DOTPROD int32x4_t mc_neon_sdot_s8(int32x4_t acc, int8x16_t x, int8x16_t w) {
  return vdotq_s32(acc, x, w);
}
MC_NEON_INLINE MC_NEON_DOTPROD int32x4_t mc_neon_sdot_u8(int32x4_t acc, uint8x16_t x,
                                                         uint8x16_t w) {
  return vreinterpretq_s32_u32(vdotq_u32(vreinterpretq_u32_s32(acc), x, w));
}
#endif
