/* Copies a box of n[0] x ... x n[5] elements between two strided layouts (strides in elements,
   possibly negative): the one data-movement loop behind PAD, STRIDED_SLICE, TRANSPOSE, SPLIT and
   CONCATENATION. The emitter merges contiguous dimensions first, so rows contiguous on both sides
   are long and go through memcpy. */
static void copy_box_$S(const int32_t *n, const $T *src, const int32_t *ss, $T *dst,
                        const int32_t *ds) {
  for (int32_t a = 0; a < n[0]; a++)
    for (int32_t b = 0; b < n[1]; b++)
      for (int32_t c = 0; c < n[2]; c++)
        for (int32_t d = 0; d < n[3]; d++)
          for (int32_t e = 0; e < n[4]; e++) {
            const $T *s = src + (ptrdiff_t)a * ss[0] + (ptrdiff_t)b * ss[1] + (ptrdiff_t)c * ss[2] +
                          (ptrdiff_t)d * ss[3] + (ptrdiff_t)e * ss[4];
            $T *o = dst + (ptrdiff_t)a * ds[0] + (ptrdiff_t)b * ds[1] + (ptrdiff_t)c * ds[2] +
                    (ptrdiff_t)d * ds[3] + (ptrdiff_t)e * ds[4];
            if (ss[5] == 1 && ds[5] == 1) {
              memcpy(o, s, (size_t)n[5] * sizeof *o);
            } else {
              for (int32_t f = 0; f < n[5]; f++) o[(ptrdiff_t)f * ds[5]] = s[(ptrdiff_t)f * ss[5]];
            }
          }
}
