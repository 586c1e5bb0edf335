/* Helium's inner loops for --cpu cortex-m55, in place of cm_dsp's (one per kernel, with the
   same exact integer results; the kernels and their algebra are conv_cm_q, fully_connected_cm_q
   and depthwise_conv_cm_q). Built without MVE (MC_CM_MVE 0: the M4/M7 flags, or a host
   compiler) each is the same integer function in portable C. */

/* CONV_2D and FULLY_CONNECTED: 2 rows x 2 channels of 8-bit rows (im2col rows or batch rows)
   against 8-bit weight rows in their own order, both padded to kp, a multiple of 16. Per 16
   values, 4 vector loads and 4 VMLADAVA (vmladavaq_s8 / _u8: the 16 products, each exact in 16
   bits, summed into the 32-bit accumulator, modulo 2^32). For uint8 the hardware sums unsigned
   products; as bits modulo 2^32 that is the same sum x w the int32 algebra of the kernels
   needs, so the accumulators are the DSP tiles' and the generic kernel's. */
MC_CM_INLINE void cm_mve_tile_$S(const $X *a0, const $X *a1, const $X *w0, const $X *w1, int kp,
                                 int32_t acc[4]) {
#if MC_CM_MVE
  int32_t s00 = acc[0], s01 = acc[1], s10 = acc[2], s11 = acc[3];
  for (int i = 0; i < kp; i += 16) {
    const mc_cm_v16_$T x0 = vld1q(a0 + i), x1 = vld1q(a1 + i);
    const mc_cm_v16_$T v0 = vld1q(w0 + i), v1 = vld1q(w1 + i);
    s00 = mc_cm_dot16_$T(s00, x0, v0), s01 = mc_cm_dot16_$T(s01, x0, v1);
    s10 = mc_cm_dot16_$T(s10, x1, v0), s11 = mc_cm_dot16_$T(s11, x1, v1);
  }
  acc[0] = s00, acc[1] = s01, acc[2] = s10, acc[3] = s11;
#else
  uint32_t s[4] = {(uint32_t)acc[0], (uint32_t)acc[1], (uint32_t)acc[2], (uint32_t)acc[3]};
  for (int i = 0; i < kp; i++) {
    s[0] += (uint32_t)(a0[i] * w0[i]), s[1] += (uint32_t)(a0[i] * w1[i]);
    s[2] += (uint32_t)(a1[i] * w0[i]), s[3] += (uint32_t)(a1[i] * w1[i]);
  }
  for (int j = 0; j < 4; j++) acc[j] = (int32_t)s[j];
#endif
}

/* DEPTHWISE_CONV_2D: 8 channels (n of them real, 1 to 8) of one output pixel over its taps
   fy0..fy1 x fx0..fx1, as two vectors of 4 int32 lanes: each tap's bytes of x widened by a
   predicated load (VLDRB.S32 / .U32, lanes past n zero and never read), x_offset and w_offset
   added (exact: [-255, 255]), and the exact product (|.| <= 255 * 255; VMUL, since Helium's
   VMLA takes a scalar) added lane by lane modulo 2^32. xc and wc point at channel c of the
   input and of the weights ([tap][cp], cp a multiple of 8, so the weights are read whole).
   Lanes past n hold values nobody reads. */
MC_CM_INLINE void depthwise_conv_cm_mve_block_$S(const $X *xc, const $X *wc,
                                                 const int32_t *bias, int iy0, int ix0, int fy0,
                                                 int fy1, int fx0, int fx1, int dil_h, int dil_w,
                                                 int in_w, int in_d, int k_w, int cp, int n,
                                                 int32_t x_offset, int32_t w_offset,
                                                 int32_t acc[8]) {
#if MC_CM_MVE
  const int n1 = n > 4 ? n - 4 : 0;
  int32x4_t a0 = vldrwq_s32(bias), a1 = vldrwq_s32(bias + 4);
  for (int fy = fy0; fy < fy1; fy++) {
    const $X *xr = xc + (size_t)(iy0 + fy * dil_h) * in_w * in_d;
    const $X *wr = wc + (size_t)fy * k_w * cp;
    for (int fx = fx0; fx < fx1; fx++) {
      const $X *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d, *wp = wr + (size_t)fx * cp;
      const int32x4_t x0 = vaddq_n_s32(mc_cm_ld4_$T(xp, n), x_offset);
      const int32x4_t x1 = vaddq_n_s32(mc_cm_ld4_$T(xp + 4, n1), x_offset);
      a0 = vaddq_s32(a0, vmulq_s32(x0, vaddq_n_s32(mc_cm_ld4_$T(wp, 4), w_offset)));
      a1 = vaddq_s32(a1, vmulq_s32(x1, vaddq_n_s32(mc_cm_ld4_$T(wp + 4, 4), w_offset)));
    }
  }
  vst1q_s32(acc, a0), vst1q_s32(acc + 4, a1);
#else
  uint32_t s[8];
  for (int j = 0; j < 8; j++) s[j] = (uint32_t)bias[j];
  for (int fy = fy0; fy < fy1; fy++) {
    const $X *xr = xc + (size_t)(iy0 + fy * dil_h) * in_w * in_d;
    const $X *wr = wc + (size_t)fy * k_w * cp;
    for (int fx = fx0; fx < fx1; fx++) {
      const $X *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d, *wp = wr + (size_t)fx * cp;
      for (int j = 0; j < n; j++) s[j] += (uint32_t)((xp[j] + x_offset) * (wp[j] + w_offset));
    }
  }
  for (int j = 0; j < 8; j++) acc[j] = (int32_t)s[j];
#endif
}
