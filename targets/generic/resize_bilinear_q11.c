/* RESIZE_BILINEAR for int8/uint8 as XNNPACK computes it (the tests' TFLite delegates these to it):
   per output row and column the emitter folds the two source indices and the fraction alpha in
   Q11 ({first, second, alpha} triples in ys and xs); each value interpolates horizontally, then
   vertically, in Q22 and rounds half up. */
static void resize_bilinear_q11_$S(int32_t batches, int32_t in_h, int32_t in_w, int32_t depth,
                                   int32_t out_h, int32_t out_w, const int32_t *ys,
                                   const int32_t *xs, const $T *x, $T *y) {
  for (int32_t b = 0; b < batches; b++) {
    const $T *xb = x + (size_t)b * in_h * in_w * depth;
    for (int32_t oy = 0; oy < out_h; oy++) {
      const $T *top = xb + (size_t)ys[3 * oy] * in_w * depth;
      const $T *bottom = xb + (size_t)ys[3 * oy + 1] * in_w * depth;
      int32_t ay = ys[3 * oy + 2];
      for (int32_t ox = 0; ox < out_w; ox++) {
        size_t l = (size_t)xs[3 * ox] * depth, r = (size_t)xs[3 * ox + 1] * depth;
        int32_t ax = xs[3 * ox + 2];
        for (int32_t d = 0; d < depth; d++) {
          int32_t tl = top[l + d], tr = top[r + d], bl = bottom[l + d], br = bottom[r + d];
          int32_t t = tl * 2048 + (tr - tl) * ax, bo = bl * 2048 + (br - bl) * ax;
          int32_t acc = t * 2048 + (bo - t) * ay;
          *y++ = ($T)((acc + (1 << 21)) >> 22);
        }
      }
    }
  }
}
