/* FULLY_CONNECTED, quantized (int8, uint8, and 16x8): TFLite's reference integer kernel.
   y[b][o] = clamp(zp_y + requant(bias[o] + sum_i (x[b][i] - zp_x) * (w[o][i] - zp_w))).
   Per-channel models pass one multiplier and shift per output; per-tensor ones the same value
   repeated. */
static void fully_connected_$S(int batches, int in_depth, int out_depth, const $X *x,
                               int32_t x_offset, const $W *w, int32_t w_offset, const $B *bias,
                               $Y *y, int32_t y_offset, const int32_t *mult, const int32_t *shift,
                               int32_t act_min, int32_t act_max, int part, int nparts) {
  /* part `part` of `nparts`: outputs [o0, o1) of every batch */
  const int o0 = (int)((int64_t)out_depth * part / nparts);
  const int o1 = (int)((int64_t)out_depth * (part + 1) / nparts);
  for (int b = 0; b < batches; b++) {
    for (int o = o0; o < o1; o++) {
      $ACC acc = 0;
      const $W *wr = w + (size_t)o * in_depth;
      const $X *xr = x + (size_t)b * in_depth;
      for (int i = 0; i < in_depth; i++) acc += ($ACC)(xr[i] + x_offset) * (wr[i] + w_offset);
      if (bias) acc += bias[o];
      int32_t v = $REQUANT(acc, mult[o], shift[o]);
      y[(size_t)b * out_depth + o] = ($Y)mc_clamp_offset(v, y_offset, act_min, act_max);
    }
  }
}
