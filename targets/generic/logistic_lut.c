/* LOGISTIC int16 (output Q0.15), TFLite's table kernel (reference_integer_ops::Logistic): the
   input is brought to units of 1/(3 * 4096) (so +-2^17 is +-10.7), and sigmoid(|x|) is
   interpolated between entries of mc_sigmoid_table_u16, mirrored for negative inputs. */
static void logistic_lut_$S(int64_t n, const int16_t *x, int16_t *y, int32_t mult, int shift) {
  int32_t round = shift > 0 ? 1 << (shift - 1) : 0;
  for (int64_t i = 0; i < n; i++) {
    int32_t v = (x[i] * mult + round) >> shift;
    uint32_t a = (uint32_t)(v < 0 ? -v : v);
    uint32_t uh = a >> 9, r;
    if (uh >= 255) {
      r = 0x7FFFu << 10;
    } else {
      uint32_t ua = mc_sigmoid_table_u16[uh], ub = mc_sigmoid_table_u16[uh + 1];
      r = (ua << 9) + (a & 0x1ff) * (ub - ua);
    }
    r = v >= 0 ? r + (1u << 9) : (1u << (16 + 9)) - r + (1u << 9) - 1;
    y[i] = (int16_t)(r >> 10);
  }
}
