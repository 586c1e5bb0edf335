/* TANH int16 (output Q0.15), TFLite's table kernel (reference_integer_ops::Tanh): tanh(x) =
   2 sigmoid(2x) - 1 interpolated in mc_sigmoid_table_u16, the input brought to units of
   1/(3 * 4096) by mult and shift. */
static void tanh_lut_$S(int64_t n, const int16_t *x, int16_t *y, int32_t mult, int shift) {
  int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
  for (int64_t i = 0; i < n; i++) {
    int32_t v = (x[i] * mult + round) >> shift;
    uint32_t a = (uint32_t)(v < 0 ? -v : v);
    uint32_t uh = a >> 8;
    int32_t r;
    if (uh >= 255) {
      r = 0xFFFF << 8;
    } else {
      uint32_t ua = mc_sigmoid_table_u16[uh], ub = mc_sigmoid_table_u16[uh + 1];
      r = (int32_t)((ua << 8) + (uint8_t)(a & 0xFF) * (ub - ua));
    }
    r = v >= 0 ? r - (1 << (14 + 9)) + (1 << (9 - 2)) : -r + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
    y[i] = (int16_t)(r >> (9 - 1));
  }
}
