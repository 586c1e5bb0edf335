/* GATHER along one axis (batch_dims 0): for each of `outer` slabs, row k of the output is row
   idx[k] of the input, rows being `inner` elements. An index outside [0, n) is an error, as in
   TFLite. */
static int gather_$S(int32_t outer, int32_t n, int32_t inner, const $T *x, const $I *idx,
                     int32_t nidx, $T *y) {
  for (int32_t k = 0; k < nidx; k++)
    if (idx[k] < 0 || idx[k] >= n) return -1;
  for (int32_t o = 0; o < outer; o++)
    for (int32_t k = 0; k < nidx; k++)
      memcpy(y + ((size_t)o * nidx + k) * inner, x + ((size_t)o * n + (size_t)idx[k]) * inner,
             (size_t)inner * sizeof *y);
  return 0;
}
