/* RESIZE_BILINEAR in float arithmetic, as TFLite's optimized kernel computes uint8 and float32
   (ResizeBilinearGenericSmallChannel / ResizeBilinearGeneric): source coordinate
   v = (o + 0.5) * scale - 0.5 with half-pixel centres, else o * scale; the four taps weighted in
   the order (y0,x0), (y0,x1), (y1,x0), (y1,x1), summed left to right, plus ROUND (0.5 for integer
   outputs, then truncated). */
static void resize_bilinear_float_coord(int32_t o, float scale, int half_pixel, int32_t size,
                                        float *v, int32_t *lo, int32_t *hi) {
  *v = half_pixel ? ((float)o + 0.5f) * scale - 0.5f : (float)o * scale;
  int32_t f = (int32_t)floorf(*v), c = (int32_t)ceilf(*v);
  *lo = f > 0 ? f : 0;
  *hi = c < size - 1 ? c : size - 1;
}

static void resize_bilinear_float_$S(int32_t batches, int32_t in_h, int32_t in_w, int32_t depth,
                                     int32_t out_h, int32_t out_w, float h_scale, float w_scale,
                                     int half_pixel, const $T *x, $T *y) {
  for (int32_t b = 0; b < batches; b++) {
    const $T *xb = x + (size_t)b * in_h * in_w * depth;
    for (int32_t oy = 0; oy < out_h; oy++) {
      float vy;
      int32_t y0, y1;
      resize_bilinear_float_coord(oy, h_scale, half_pixel, in_h, &vy, &y0, &y1);
      for (int32_t ox = 0; ox < out_w; ox++) {
        float vx;
        int32_t x0, x1;
        resize_bilinear_float_coord(ox, w_scale, half_pixel, in_w, &vx, &x0, &x1);
        const $T *p00 = xb + ((size_t)y0 * in_w + x0) * depth;
        const $T *p01 = xb + ((size_t)y0 * in_w + x1) * depth;
        const $T *p10 = xb + ((size_t)y1 * in_w + x0) * depth;
        const $T *p11 = xb + ((size_t)y1 * in_w + x1) * depth;
        float s00 = (1 - (vy - (float)y0)) * (1 - (vx - (float)x0));
        float s01 = (1 - (vy - (float)y0)) * (vx - (float)x0);
        float s10 = (vy - (float)y0) * (1 - (vx - (float)x0));
        float s11 = (vy - (float)y0) * (vx - (float)x0);
        for (int32_t d = 0; d < depth; d++)
          *y++ = ($T)((float)p00[d] * s00 + (float)p01[d] * s01 + (float)p10[d] * s10 +
                      (float)p11[d] * s11 + $ROUND);
      }
    }
  }
}
