/* The DSP extension's inner loops for --cpu cortex-m4 and cortex-m7, one per kernel (the
   kernels, with the algebra that makes them exact, are conv_cm_q, fully_connected_cm_q and
   depthwise_conv_cm_q; they take these by name, and cm_mve's on the Cortex-M55). */

/* CONV_2D: 2 pixels x 2 channels, four accumulators (the registers a Cortex-M has), over int16
   im2col rows and weight rows whose groups of 4 are stored w0 w2 w1 w3, so that SXTB16 (UXTB16
   for uint8) of the word gives the int16 pair (w0, w1) and, rotated by 8, (w2, w3): the pairs
   of the row's int16 words. Per 4 values of the row, 2 weight loads and 4 extends, 4 row loads,
   8 SMLAD, each two exact 16 x 16 products added modulo 2^32. */
MC_CM_INLINE void conv_cm_tile_$S(const int16_t *a0, const int16_t *a1, const $X *w0,
                                  const $X *w1, int kp, int32_t acc[4]) {
  int32_t s00 = acc[0], s01 = acc[1], s10 = acc[2], s11 = acc[3];
  for (int i = 0; i < kp; i += 4) {
    uint32_t p0, q0, p1, q1;  /* channel 0's (w0, w1) and (w2, w3); channel 1's */
    mc_cm_ext_$T(mc_cm_ld32(w0 + i), &p0, &q0);
    mc_cm_ext_$T(mc_cm_ld32(w1 + i), &p1, &q1);
    uint32_t x = mc_cm_ld32(a0 + i);
    s00 = mc_cm_smlad(x, p0, s00), s01 = mc_cm_smlad(x, p1, s01);
    x = mc_cm_ld32(a0 + i + 2);
    s00 = mc_cm_smlad(x, q0, s00), s01 = mc_cm_smlad(x, q1, s01);
    x = mc_cm_ld32(a1 + i);
    s10 = mc_cm_smlad(x, p0, s10), s11 = mc_cm_smlad(x, p1, s11);
    x = mc_cm_ld32(a1 + i + 2);
    s10 = mc_cm_smlad(x, q0, s10), s11 = mc_cm_smlad(x, q1, s11);
  }
  acc[0] = s00, acc[1] = s01, acc[2] = s10, acc[3] = s11;
}

/* FULLY_CONNECTED: 2 rows x 2 channels over raw 8-bit rows and weight rows in their own order:
   SXTB16 (UXTB16) widens bytes 0 and 2 of a word, and rotated by 8 bytes 1 and 3, of the row
   and of the weights alike, so each SMLAD multiplies matching values. */
MC_CM_INLINE void fully_connected_cm_tile_$S(const $X *a0, const $X *a1, const $X *w0,
                                             const $X *w1, int kp, int32_t acc[4]) {
  int32_t s00 = acc[0], s01 = acc[1], s10 = acc[2], s11 = acc[3];
  for (int i = 0; i < kp; i += 4) {
    uint32_t we0, wo0, we1, wo1, xe, xo;
    mc_cm_ext_$T(mc_cm_ld32(w0 + i), &we0, &wo0);
    mc_cm_ext_$T(mc_cm_ld32(w1 + i), &we1, &wo1);
    mc_cm_ext_$T(mc_cm_ld32(a0 + i), &xe, &xo);
    s00 = mc_cm_smlad(xe, we0, s00), s00 = mc_cm_smlad(xo, wo0, s00);
    s01 = mc_cm_smlad(xe, we1, s01), s01 = mc_cm_smlad(xo, wo1, s01);
    mc_cm_ext_$T(mc_cm_ld32(a1 + i), &xe, &xo);
    s10 = mc_cm_smlad(xe, we0, s10), s10 = mc_cm_smlad(xo, wo0, s10);
    s11 = mc_cm_smlad(xe, we1, s11), s11 = mc_cm_smlad(xo, wo1, s11);
  }
  acc[0] = s00, acc[1] = s01, acc[2] = s10, acc[3] = s11;
}

/* DEPTHWISE_CONV_2D: 4 channels (n of them real, 1 to 4) of one output pixel over its taps
   fy0..fy1 x fx0..fx1: one word of x and one of w widened by SXTB16 / UXTB16 into int16 pairs
   (channels 0 and 2, 1 and 3), x_offset and w_offset added to both halves by SADD16 (exact: an
   8-bit value plus an 8-bit zero point's negation lies in [-255, 255]), each channel's product
   added to its own accumulator by SMLABB / SMLATT. xc and wc point at channel c of the input
   and of the weights ([tap][cp]); a last group of fewer than 4 channels is read through a copy,
   never past the input. */
MC_CM_INLINE void depthwise_conv_cm_block_$S(const $X *xc, const $X *wc, const int32_t *bias,
                                             int iy0, int ix0, int fy0, int fy1, int fx0,
                                             int fx1, int dil_h, int dil_w, int in_w, int in_d,
                                             int k_w, int cp, int n, int32_t x_offset,
                                             int32_t w_offset, int32_t acc[4]) {
  const uint32_t xo2 = ((uint32_t)x_offset & 0xffffu) * 0x10001u;
  const uint32_t wo2 = ((uint32_t)w_offset & 0xffffu) * 0x10001u;
  int32_t a0 = bias[0], a1 = bias[1], a2 = bias[2], a3 = bias[3];
  for (int fy = fy0; fy < fy1; fy++) {
    const $X *xr = xc + (size_t)(iy0 + fy * dil_h) * in_w * in_d;
    const $X *wr = wc + (size_t)fy * k_w * cp;
    for (int fx = fx0; fx < fx1; fx++) {
      const $X *xp = xr + (size_t)(ix0 + fx * dil_w) * in_d;
      $X t[4] = {0, 0, 0, 0};
      if (n < 4) memcpy(t, xp, (size_t)n * sizeof *t), xp = t;
      uint32_t xe, xod, we, wod;
      mc_cm_ext_$T(mc_cm_ld32(xp), &xe, &xod);
      mc_cm_ext_$T(mc_cm_ld32(wr + (size_t)fx * cp), &we, &wod);
      xe = mc_cm_add16(xe, xo2), xod = mc_cm_add16(xod, xo2);
      if (w_offset) we = mc_cm_add16(we, wo2), wod = mc_cm_add16(wod, wo2);
      a0 = mc_cm_smlabb(xe, we, a0), a2 = mc_cm_smlatt(xe, we, a2);
      a1 = mc_cm_smlabb(xod, wod, a1), a3 = mc_cm_smlatt(xod, wod, a3);
    }
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}
