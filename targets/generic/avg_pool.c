/* AVERAGE_POOL_2D (NHWC), TFLite's reference: the sum of each window's part inside the input
   divided by the number of those elements (SAME padding is not counted), then the activation
   clamp. Quantized ($ACC int32_t): the input and output share their quantization, so raw values
   are averaged, the division rounding half away from zero. Float ($ACC float): plain division. */
static void avg_pool_$S(int batches, int in_h, int in_w, int depth, int out_h, int out_w,
                        int fh, int fw, int sh, int sw, int pad_h, int pad_w, const $T *x, $T *y,
                        $ACC lo, $ACC hi) {
  for (int b = 0; b < batches; b++)
    for (int oy = 0; oy < out_h; oy++) {
      int y0 = oy * sh - pad_h, ky0 = y0 < 0 ? -y0 : 0, ky1 = in_h - y0 < fh ? in_h - y0 : fh;
      for (int ox = 0; ox < out_w; ox++) {
        int x0 = ox * sw - pad_w, kx0 = x0 < 0 ? -x0 : 0, kx1 = in_w - x0 < fw ? in_w - x0 : fw;
        int count = (ky1 - ky0) * (kx1 - kx0);
        $T *out = y + (((size_t)b * out_h + oy) * out_w + ox) * depth;
        /* Channels innermost, up to 64 sums at a time: contiguous loads the compiler can
           vectorize. Each channel still sums its window in row, then column order. */
        for (int c0 = 0; c0 < depth; c0 += 64) {
          const int nc = depth - c0 < 64 ? depth - c0 : 64;
          $ACC acc[64];
          for (int c = 0; c < nc; c++) acc[c] = 0;
          for (int ky = ky0; ky < ky1; ky++) {
            const $T *row = x + (((ptrdiff_t)b * in_h + (y0 + ky)) * in_w + x0) * depth + c0;
            for (int kx = kx0; kx < kx1; kx++)
              for (int c = 0; c < nc; c++) acc[c] += row[(ptrdiff_t)kx * depth + c];
          }
          for (int c = 0; c < nc; c++) {
            $ACC v = $DIV(acc[c], count);
            out[c0 + c] = ($T)(v < lo ? lo : v > hi ? hi : v);
          }
        }
      }
    }
}
