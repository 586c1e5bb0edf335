/* Requantizes one accumulator with the very function the generic kernel calls ($REQUANT: fp32,
   or gemmlowp's / TFLite's fixed-point multiply), then adds the zero point and clamps as it
   does: the output byte is the generic kernel's whenever the accumulator is. */
MC_CM_INLINE void cm_out_$S(int32_t acc, $QM mult, int32_t shift, int32_t y_offset, int32_t lo,
                            int32_t hi, $Y *y) {
  *y = ($Y)mc_clamp_offset($REQUANT(acc, mult, shift), y_offset, lo, hi);
}

/* A GEMM tile's four accumulators (pixels or rows 0 and 1 x channels c and c + 1, as acc[2 *
   row + channel]) to the two output rows y0 and y1: channel c + 1 only when out_d has it, row 1
   only when there are two (a last single row ran as a pair with itself). */
MC_CM_INLINE void cm_out_tile_$S(const int32_t acc[4], const $QM *mult, const int32_t *shift,
                                 int c, int out_d, int two, int32_t y_offset, int32_t lo,
                                 int32_t hi, $Y *y0, $Y *y1) {
  const int pair = c + 1 < out_d;
  cm_out_$S(acc[0], mult[c], shift[c], y_offset, lo, hi, y0 + c);
  if (pair) cm_out_$S(acc[1], mult[c + 1], shift[c + 1], y_offset, lo, hi, y0 + c + 1);
  if (!two) return;
  cm_out_$S(acc[2], mult[c], shift[c], y_offset, lo, hi, y1 + c);
  if (pair) cm_out_$S(acc[3], mult[c + 1], shift[c + 1], y_offset, lo, hi, y1 + c + 1);
}
