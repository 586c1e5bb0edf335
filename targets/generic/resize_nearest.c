/* RESIZE_NEAREST_NEIGHBOR: each output pixel copies the input pixel at (ys[oy], xs[ox]); the
   emitter computes the source rows and columns exactly as TFLite picks them. */
static void resize_nearest_$S(int32_t batches, int32_t in_h, int32_t in_w, int32_t depth,
                              int32_t out_h, int32_t out_w, const int32_t *ys, const int32_t *xs,
                              const $T *x, $T *y) {
  for (int32_t b = 0; b < batches; b++) {
    const $T *xb = x + (size_t)b * in_h * in_w * depth;
    for (int32_t oy = 0; oy < out_h; oy++)
      for (int32_t ox = 0; ox < out_w; ox++, y += depth)
        memcpy(y, xb + ((size_t)ys[oy] * in_w + xs[ox]) * depth, (size_t)depth * sizeof *y);
  }
}
