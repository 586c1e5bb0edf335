/* SOFTMAX on floats over the last dimension: exp((x - max) * beta) / sum, as TFLite's reference
   kernel computes it. */
static void softmax_$S(int outer, int depth, const float *x, float *y, float beta) {
  for (int i = 0; i < outer; i++, x += depth, y += depth) {
    float mx = x[0];
    for (int j = 1; j < depth; j++) mx = x[j] > mx ? x[j] : mx;
    float sum = 0.0f;
    for (int j = 0; j < depth; j++) sum += expf((x[j] - mx) * beta);
    for (int j = 0; j < depth; j++) y[j] = expf((x[j] - mx) * beta) / sum;
  }
}
