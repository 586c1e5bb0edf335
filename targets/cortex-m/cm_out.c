/* Requantizes one accumulator with the very function the generic kernel calls ($REQUANT: fp32,
   or gemmlowp's / TFLite's fixed-point multiply), then adds the zero point and clamps as it
   does: the output byte is the generic kernel's whenever the accumulator is. */
MC_CM_INLINE void cm_out_$S(int32_t acc, $QM mult, int32_t shift, int32_t y_offset, int32_t lo,
                            int32_t hi, $Y *y) {
  *y = ($Y)mc_clamp_i32($REQUANT(acc, mult, shift) + y_offset, lo, hi);
}
