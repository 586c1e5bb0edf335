/* Requantization, gemmlowp's double rounding (TFLite Micro's default build): a saturating rounding
   doubling high multiply, then a rounding shift right. */
static inline int32_t mc_requant(int32_t x, int32_t multiplier, int shift) {
  int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  return mc_rdbpot(mc_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}
