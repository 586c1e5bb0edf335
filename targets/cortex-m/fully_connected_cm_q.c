/* FULLY_CONNECTED for Cortex-M, int8 and uint8 (a weight zero point allowed), over raw 8-bit
   rows: no widened copy of the input, so a layer needs no stack for it when its depth is a
   multiple of the tile's step (4 for the DSP extension, 16 for Helium; else two padded rows,
   2 kp bytes). Exact, and bit-identical to fully_connected_q, by the algebra of conv_cm_q:
   - a batch row is kp raw values, padded with the input's zero point zp_x (x + x_offset = 0);
   - the emitter packed the weights as rows of kp raw values in their own order, padded with
     zeros and to an even number of channels with a zero row;
   - the tile the template names (2 rows x 2 channels: cm_dsp.c's fully_connected_cm_tile, SMLAD
     on SXTB16-widened pairs of rows and weights alike, or cm_mve.c's cm_mve_tile, VMLADAVA on
     16 bytes) sums x w exactly, modulo 2^32; bias + xo sum w + kp xo wo is folded into the bias
     table and wo sum x is one row sum per batch row, needed only with a weight zero point;
   - cm_out requantizes with the generic kernel's function. */

/* Batch row r of x as kp values: in place when in_d == kp, else copied into buf and padded. */
MC_CM_INLINE const $X *fully_connected_cm_row_$S(const $X *x, int64_t r, int in_d, int kp,
                                                 int32_t x_zp, $X *buf) {
  if (in_d == kp) return x + (size_t)r * in_d;
  memcpy(buf, x + (size_t)r * in_d, (size_t)in_d * sizeof *buf);
  for (int i = in_d; i < kp; i++) buf[i] = ($X)x_zp;
  return buf;
}

MC_CM_INLINE uint32_t fully_connected_cm_zterm_$S(const $X *row, int kp, int32_t w_offset) {
  if (!w_offset) return 0;
  int32_t s = 0;  /* |sum| <= 255 kp: exact */
  for (int i = 0; i < kp; i++) s += row[i];
  return (uint32_t)w_offset * (uint32_t)s;  /* wo sum x, modulo 2^32 */
}

/* a: 2 rows of kp values (unused when in_d == kp). */
MC_CM_INLINE void fully_connected_cm_$S(const $X *x, $Y *y, const $X *w, const int32_t *bias,
                                        const $QM *mult, const int32_t *shift, int batches,
                                        int in_d, int out_d, int32_t x_zp, int32_t w_offset,
                                        int32_t y_offset, int32_t lo, int32_t hi, int kp,
                                        $X *a) {
  for (int64_t r = 0; r < batches; r += 2) {
    const int two = batches - r >= 2;  /* a last single row runs as a pair with itself */
    const $X *r0 = fully_connected_cm_row_$S(x, r, in_d, kp, x_zp, a);
    const $X *r1 = two ? fully_connected_cm_row_$S(x, r + 1, in_d, kp, x_zp, a + kp) : r0;
    const uint32_t z0 = fully_connected_cm_zterm_$S(r0, kp, w_offset);
    const uint32_t z1 = two ? fully_connected_cm_zterm_$S(r1, kp, w_offset) : z0;
    $Y *y0 = y + (size_t)r * out_d, *y1 = y0 + out_d;
    for (int c = 0; c < out_d; c += 2) {
      const uint32_t b0 = (uint32_t)bias[c], b1 = (uint32_t)bias[c + 1];  /* padded to even */
      int32_t acc[4] = {(int32_t)(b0 + z0), (int32_t)(b1 + z0), (int32_t)(b0 + z1),
                        (int32_t)(b1 + z1)};
      $TILE(r0, r1, w + (size_t)c * kp, w + (size_t)(c + 1) * kp, kp, acc);
      cm_out_tile_$S(acc, mult, shift, c, out_d, two, y_offset, lo, hi, y0, y1);
    }
  }
}
