/* SVDF, integer: TFLite's EvalIntegerSVDF (int8 input and output, int8 feature weights, $T time
   weights and state, int32 bias). Per invocation: the state (batches x filters x memory, newest
   value last) shifts left by one element, the feature matmul writes each filter's newest value
   (requantized by scale 1 and clamped to $T), the time weights reduce each filter's memory, rank
   filters sum into a unit, bias is added and scale 2 requantizes to int8. TFLite clamps only to
   int8 here: the fused activation is not applied. scratch: batches * filters int32. */
static void svdf_$S(int batches, int input_size, int filters, int units, int rank, int memory,
                    const int8_t *x, int32_t x_zp, const int8_t *wf, const $T *wt,
                    const int32_t *bias, $T *state, int8_t *y, int32_t y_zp, int32_t mult1,
                    int shift1, int32_t mult2, int shift2, int32_t *scratch) {
  size_t n = (size_t)batches * filters * memory;
  /* One shift of the whole buffer: each filter's oldest value receives the next filter's, which the
     feature matmul then overwrites. */
  memmove(state, state + 1, (n - 1) * sizeof *state);
  for (int b = 0; b < batches; b++) {
    const int8_t *xb = x + (size_t)b * input_size;
    for (int f = 0; f < filters; f++) {
      const int8_t *wr = wf + (size_t)f * input_size;
      int32_t acc = 0;
      for (int i = 0; i < input_size; i++) acc += wr[i] * (xb[i] - x_zp);
      state[((size_t)b * filters + f) * memory + memory - 1] =
          ($T)mc_clamp_i32(mc_requant(acc, mult1, shift1), $TMIN, $TMAX);
    }
  }
  for (int b = 0; b < batches; b++)
    for (int f = 0; f < filters; f++) {
      const $T *s = state + ((size_t)b * filters + f) * memory, *w = wt + (size_t)f * memory;
      int32_t acc = 0;
      for (int m = 0; m < memory; m++) acc += w[m] * s[m];
      scratch[(size_t)b * filters + f] = acc;
    }
  for (int b = 0; b < batches; b++)
    for (int u = 0; u < units; u++) {
      const int32_t *s = scratch + (size_t)b * filters + (size_t)u * rank;
      int32_t acc = 0;
      for (int r = 0; r < rank; r++) acc += s[r];
      if (bias) acc += bias[u];
      y[(size_t)b * units + u] = (int8_t)mc_clamp_offset(mc_requant(acc, mult2, shift2), y_zp, -128, 127);
    }
}
