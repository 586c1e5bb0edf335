/* FULLY_CONNECTED, float32: y[b][o] = clamp(bias[o] + sum_i x[b][i] * w[o][i]), summed in input
   order as TFLite's reference kernel does. */
static void fully_connected_$S(int batches, int in_depth, int out_depth, const float *x,
                               const float *w, const float *bias, float *y, float act_min,
                               float act_max, int part, int nparts) {
  /* part `part` of `nparts`: outputs [o0, o1) of every batch */
  const int o0 = (int)((int64_t)out_depth * part / nparts);
  const int o1 = (int)((int64_t)out_depth * (part + 1) / nparts);
  for (int b = 0; b < batches; b++) {
    for (int o = o0; o < o1; o++) {
      float acc = 0.0f;
      const float *wr = w + (size_t)o * in_depth;
      const float *xr = x + (size_t)b * in_depth;
      for (int i = 0; i < in_depth; i++) acc += xr[i] * wr[i];
      if (bias) acc += bias[o];
      y[(size_t)b * out_depth + o] = mc_clamp_f32(acc, act_min, act_max);
    }
  }
}
