/* An elementwise binary operation over up to 6 dimensions with TFLite's broadcasting: dims is the
   output's shape (leading dimensions padded with 1), sa and sb each operand's element strides,
   0 along the dimensions it is broadcast in. The output is written in order; y may be a when a
   has the output's shape, since each element of a is read before the same element of y is
   written. $ELEM(a, b, q, f) computes one element from the integer and float parameters q, f. */
static void binary_$S(const int32_t *dims, const int32_t *sa, const int32_t *sb, const $T *a,
                      const $T *b, $Y *y, const int32_t *q, const float *f) {
  /* Local copies: stores through y (a character type for 8-bit outputs) could otherwise alias the
     parameters and force reloading them for every element. */
  int32_t lq[16];
  float lf[4];
  for (int i = 0; i < 16; i++) lq[i] = q ? q[i] : 0;
  for (int i = 0; i < 4; i++) lf[i] = f ? f[i] : 0.0f;
  const int32_t n = dims[5], ka = sa[5], kb = sb[5];
  size_t o = 0;
  for (int32_t i0 = 0; i0 < dims[0]; i0++)
    for (int32_t i1 = 0; i1 < dims[1]; i1++)
      for (int32_t i2 = 0; i2 < dims[2]; i2++)
        for (int32_t i3 = 0; i3 < dims[3]; i3++)
          for (int32_t i4 = 0; i4 < dims[4]; i4++) {
            const $T *pa = a + (ptrdiff_t)i0 * sa[0] + (ptrdiff_t)i1 * sa[1] +
                           (ptrdiff_t)i2 * sa[2] + (ptrdiff_t)i3 * sa[3] + (ptrdiff_t)i4 * sa[4];
            const $T *pb = b + (ptrdiff_t)i0 * sb[0] + (ptrdiff_t)i1 * sb[1] +
                           (ptrdiff_t)i2 * sb[2] + (ptrdiff_t)i3 * sb[3] + (ptrdiff_t)i4 * sb[4];
            $Y *py = y + o;
            if (ka == 1 && kb == 1)
              for (int32_t k = 0; k < n; k++) py[k] = ($Y)$ELEM(pa[k], pb[k], lq, lf);
            else
              for (int32_t k = 0; k < n; k++)
                py[k] = ($Y)$ELEM(pa[(ptrdiff_t)k * ka], pb[(ptrdiff_t)k * kb], lq, lf);
            o += (size_t)n;
          }
}
