/* SOFTMAX int16 -> int16: TFLite's SoftmaxInt16. exp(x - max) comes from a 513-entry Q0.15 table
   over [-10, 0], 1/(1 + x) from one over [0, 1], each linearly interpolated; the exponentials
   are kept in the output row until the reciprocal of their sum is known. */
static int16_t softmax_lut_$S(int16_t v, const int16_t *lut) {
  int index = 256 + (v >> 7);
  int16_t offset = (int16_t)(v & 0x7f);
  int16_t base = lut[index];
  int16_t slope = (int16_t)(lut[index + 1] - lut[index]);
  int32_t delta = ((int32_t)slope * offset + 64) >> 7;
  return (int16_t)(base + delta);
}
static void softmax_$S(int outer, int depth, const int16_t *x, int16_t *y, int32_t mult,
                       int shift, const int16_t *exp_lut, const int16_t *recip_lut) {
  for (int i = 0; i < outer; i++, x += depth, y += depth) {
    int16_t mx = INT16_MIN;
    for (int j = 0; j < depth; j++) mx = x[j] > mx ? x[j] : mx;
    int32_t sum = 0;
    for (int j = 0; j < depth; j++) {
      int32_t scaled = mc_requant_dbl((int32_t)x[j] - mx, mult, shift);
      y[j] = softmax_lut_$S((int16_t)mc_clamp_offset(scaled, 32767, -32768, 32767), exp_lut);
      sum += y[j];
    }
    int headroom_plus_one = 0;  /* leading zeros of sum, which is in (0, 2^31) */
    while (headroom_plus_one < 32 && !((uint32_t)sum & (0x80000000u >> headroom_plus_one)))
      headroom_plus_one++;
    int32_t shifted = (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    int32_t sym = shifted - ((1 << 15) + (1 << 16));
    int16_t recip = softmax_lut_$S((int16_t)mc_clamp_i32(sym, -32768, 32767), recip_lut);
    int right = 31 - headroom_plus_one;
    for (int j = 0; j < depth; j++) {
      int32_t r = (int32_t)(((int64_t)y[j] * recip + ((int64_t)1 << (right - 1))) >> right);
      y[j] = (int16_t)mc_clamp_i32(r, 0, 32767);
    }
  }
}
