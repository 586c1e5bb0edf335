/* The sums behind MEAN's general case: input element (i0..i5) of the box n adds to sum[offset],
   offset = sum of i_k * os[k] (os[k] 0 on reduced dimensions), visiting the input in row-major
   order as TFLite's reference Reduce does (so float sums round identically). x and sum never
   overlap: sum is the layer's scratch. */
static void mean_sum_$S(const int32_t *n, const int32_t *os, const $T *restrict x,
                        $ACC *restrict sum, size_t nsum) {
  for (size_t i = 0; i < nsum; i++) sum[i] = 0;
  for (int32_t a = 0; a < n[0]; a++)
    for (int32_t b = 0; b < n[1]; b++)
      for (int32_t c = 0; c < n[2]; c++)
        for (int32_t d = 0; d < n[3]; d++)
          for (int32_t e = 0; e < n[4]; e++) {
            $ACC *s = sum + (size_t)a * os[0] + (size_t)b * os[1] + (size_t)c * os[2] +
                      (size_t)d * os[3] + (size_t)e * os[4];
            if (os[5] == 1) /* the innermost dimension kept (channels): one vector loop */
              for (int32_t f = 0; f < n[5]; f++) s[f] += ($ACC)x[f];
            else
              for (int32_t f = 0; f < n[5]; f++) s[(size_t)f * os[5]] += ($ACC)x[f];
            x += n[5];
          }
}
