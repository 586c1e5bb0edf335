/* ARG_MAX over the middle dimension of [outer, n, inner]: the first index of the largest value
   (TFLite keeps the earlier index on ties, comparing with a strict greater). */
static void arg_max_$S(int32_t outer, int32_t n, int32_t inner, const $T *x, $I *y) {
  for (int32_t o = 0; o < outer; o++) {
    const $T *xo = x + (size_t)o * n * inner;
    for (int32_t i = 0; i < inner; i++) {
      $T best = xo[i];
      $I at = 0;
      for (int32_t k = 1; k < n; k++) {
        $T v = xo[(size_t)k * inner + i];
        if (v > best) best = v, at = ($I)k;
      }
      y[(size_t)o * inner + i] = at;
    }
  }
}
