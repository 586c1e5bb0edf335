/* MAX_POOL_2D (NHWC), TFLite's reference: the largest value of each window's part inside the
   input (SAME padding never counts as a value), then the activation clamp. Quantized inputs
   share the output's quantization, so raw values compare directly. */
static void max_pool_$S(int batches, int in_h, int in_w, int depth, int out_h, int out_w,
                        int fh, int fw, int sh, int sw, int pad_h, int pad_w, const $T *x, $T *y,
                        $T lo, $T hi) {
  for (int b = 0; b < batches; b++)
    for (int oy = 0; oy < out_h; oy++) {
      int y0 = oy * sh - pad_h, ky0 = y0 < 0 ? -y0 : 0, ky1 = in_h - y0 < fh ? in_h - y0 : fh;
      for (int ox = 0; ox < out_w; ox++) {
        int x0 = ox * sw - pad_w, kx0 = x0 < 0 ? -x0 : 0, kx1 = in_w - x0 < fw ? in_w - x0 : fw;
        $T *out = y + (((size_t)b * out_h + oy) * out_w + ox) * depth;
        for (int c = 0; c < depth; c++) {
          $T m = lo;
          int first = 1;
          for (int ky = ky0; ky < ky1; ky++) {
            const $T *row = x + ((ptrdiff_t)b * in_h + (y0 + ky)) * in_w * depth + c;
            for (int kx = kx0; kx < kx1; kx++) {
              $T v = row[(ptrdiff_t)(x0 + kx) * depth];
              if (first || v > m) m = v;
              first = 0;
            }
          }
          out[c] = m < lo ? lo : m > hi ? hi : m;
        }
      }
    }
}
