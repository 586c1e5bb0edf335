/* RESIZE_BILINEAR for int8 and int16, TFLite's ResizeBilinearInteger: coordinates in 10-bit fixed
   point (scale10 rounded from the size ratio), the four taps weighted in 20 bits in int64, and the
   sum rounded half away from zero. */
static void resize_bilinear_int_coord(int32_t o, int32_t scale10, int half_pixel, int32_t size,
                                      int32_t *v, int32_t *lo, int32_t *hi) {
  *v = half_pixel ? o * scale10 + scale10 / 2 - (1 << 9) : o * scale10;
  int32_t l = *v / (1 << 10), h = (*v + (1 << 10) - 1) / (1 << 10);
  *lo = l > 0 ? l : 0;
  *hi = h < size - 1 ? h : size - 1;
}

static void resize_bilinear_int_$S(int32_t batches, int32_t in_h, int32_t in_w, int32_t depth,
                                   int32_t out_h, int32_t out_w, int32_t h_scale10,
                                   int32_t w_scale10, int half_pixel, const $T *x, $T *y) {
  for (int32_t b = 0; b < batches; b++) {
    const $T *xb = x + (size_t)b * in_h * in_w * depth;
    for (int32_t oy = 0; oy < out_h; oy++) {
      int32_t vy, y0, y1;
      resize_bilinear_int_coord(oy, h_scale10, half_pixel, in_h, &vy, &y0, &y1);
      int64_t wy1 = vy - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
      for (int32_t ox = 0; ox < out_w; ox++) {
        int32_t vx, x0, x1;
        resize_bilinear_int_coord(ox, w_scale10, half_pixel, in_w, &vx, &x0, &x1);
        int64_t wx1 = vx - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
        const $T *p00 = xb + ((size_t)y0 * in_w + x0) * depth;
        const $T *p01 = xb + ((size_t)y0 * in_w + x1) * depth;
        const $T *p10 = xb + ((size_t)y1 * in_w + x0) * depth;
        const $T *p11 = xb + ((size_t)y1 * in_w + x1) * depth;
        for (int32_t d = 0; d < depth; d++) {
          int64_t v = p00[d] * wy0 * wx0 + p10[d] * wy1 * wx0 + p01[d] * wy0 * wx1 +
                      p11[d] * wy1 * wx1;
          int64_t round = v > 0 ? (1 << 19) : -(1 << 19);
          *y++ = ($T)((v + round) / (1 << 20));
        }
      }
    }
  }
}
