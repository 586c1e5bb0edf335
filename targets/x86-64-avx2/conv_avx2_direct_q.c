/* CONV_2D with AVX2 for layers with a short filter row (k_w * in_d <= 16: the 3-channel first
   layers of the MobileNets), without im2col: conv_avx2_q builds a row of int16 per output pixel,
   which for a 27-value receptive field costs more than its multiply-accumulates. Here each output
   row reads its k_h input rows in place, widened once per output row into a window:
   - Window row fy holds input row iy0 + fy as int16 x + x_offset, with pad_w columns of zeros
     before it and zeros after it (the real zero the generic kernel gets by skipping a tap outside
     the input; a row outside the input is all zeros), rs values long.
   - The emitter packed the filter rows each padded to an even length 2 * seg (the pad weight 0),
     so pair j of filter row fy for output column ox lies at fy * rs + ox * stride_w * in_d + 2j
     in the window: a tile of P columns reads pixel n at n * stride_w * in_d, and pair i of the
     packed filter at off[i] (the emitter's table of fy * rs + 2j). The value after an
     odd-length row is the next pixel's, times the zero weight.
   - Only int16 weights (w + w_offset, the small-weights form of conv_avx2_q): no row sums.
   The tiles are conv_avx2_q's (conv_avx2_tile with the pair offsets off), so are the
   accumulators to the bit and their requantization. Part `part` of `nparts` takes a range of
   output rows, or of channel groups when there are few rows; each part has its own window. */

/* win: k_h rows of rs int16 and 16 more (conv_avx2_widen writes past a row). */
MC_AVX2_INLINE void conv_avx2_direct_$S(const $X *x, $Y *y, const int16_t *w, int batches,
                                        int in_h, int in_w, int in_d, int out_h, int out_w,
                                        int out_d, int k_h, int stride_h, int stride_w,
                                        int pad_h, int pad_w, int32_t x_offset, int seg, int rs,
                                        int P, int Kg, conv_avx2_tile_fn_$S tile_g,
                                        conv_avx2_tile_fn_$S tile_1, int16_t *win,
                                        int part, int nparts) {
  const int nblk = (out_d + 7) / 8, nfull = nblk / Kg, units = nfull + nblk % Kg;
  const int rows = batches * out_h, head = pad_w * in_d, body = in_w * in_d;
  const int kp = k_h * seg;
  const $X *x_end = x + (size_t)batches * in_h * body;
  int r0 = 0, r1 = rows, u0 = 0, u1 = units;
  if (rows >= 2 * nparts) {
    r0 = (int)((int64_t)rows * part / nparts), r1 = (int)((int64_t)rows * (part + 1) / nparts);
  } else {
    u0 = (int)((int64_t)units * part / nparts), u1 = (int)((int64_t)units * (part + 1) / nparts);
    if (u0 == u1) return;
  }
  for (int r = r0; r < r1; r++) {
    const int b = r / out_h, iy0 = r % out_h * stride_h - pad_h;
    for (int fy = 0; fy < k_h; fy++) {
      int16_t *dst = win + (size_t)fy * rs;
      const int iy = iy0 + fy;
      if (iy < 0 || iy >= in_h) {
        memset(dst, 0, (size_t)rs * sizeof *dst);
        continue;
      }
      conv_avx2_widen_$S(x + ((size_t)b * in_h + iy) * body, body, x_offset, dst + head, x_end);
      memset(dst, 0, (size_t)head * sizeof *dst);
      memset(dst + head + body, 0, (size_t)(rs - head - body) * sizeof *dst);
    }
    $Y *yr = y + (size_t)r * out_w * out_d;
    for (int ox = 0; ox < out_w; ox += P) {
      const int np = out_w - ox < P ? out_w - ox : P;
      for (int u = u0; u < u1; u++) {
        const int ob = u < nfull ? u * Kg : nfull * Kg + (u - nfull);
        (u < nfull ? tile_g : tile_1)(win + (size_t)ox * stride_w * in_d, w + (size_t)ob * kp * 16,
                                      ob, NULL, np, yr + (size_t)ox * out_d, NULL);
      }
    }
  }
}
