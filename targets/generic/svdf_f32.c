/* SVDF, float32: TFLite's EvalFloatSVDF. The state shifts left by one element, the feature matmul
   writes each filter's newest value, the time weights reduce each filter's memory, rank filters sum
   into a unit, then bias and the fused activation clamp. Sums run in TFLite's order.
   scratch: batches * filters floats. */
static void svdf_$S(int batches, int input_size, int filters, int units, int rank, int memory,
                    const float *x, const float *wf, const float *wt, const float *bias,
                    float *state, float *y, float act_min, float act_max, float *scratch) {
  size_t n = (size_t)batches * filters * memory;
  memmove(state, state + 1, (n - 1) * sizeof *state);
  for (int b = 0; b < batches; b++) {
    const float *xb = x + (size_t)b * input_size;
    for (int f = 0; f < filters; f++) {
      const float *wr = wf + (size_t)f * input_size;
      float acc = 0.0f;
      for (int i = 0; i < input_size; i++) acc += wr[i] * xb[i];
      state[((size_t)b * filters + f) * memory + memory - 1] = acc;
    }
  }
  for (int b = 0; b < batches; b++)
    for (int f = 0; f < filters; f++) {
      const float *s = state + ((size_t)b * filters + f) * memory, *w = wt + (size_t)f * memory;
      float acc = 0.0f;
      for (int m = 0; m < memory; m++) acc += w[m] * s[m];
      scratch[(size_t)b * filters + f] = acc;
    }
  for (int b = 0; b < batches; b++)
    for (int u = 0; u < units; u++) {
      const float *s = scratch + (size_t)b * filters + (size_t)u * rank;
      float acc = 0.0f;
      for (int r = 0; r < rank; r++) acc += s[r];
      if (bias) acc += bias[u];
      y[(size_t)b * units + u] = mc_clamp_f32(acc, act_min, act_max);
    }
}
