/* DEPTHWISE_CONV_2D with AVX2, depth multiplier 1, int8 (per-channel) and uint8 (per-tensor with
   a weight zero point). Exact, and bit-identical to depthwise_conv_q:
   - Horizontal tap pairs. Each input row the taps need is copied once with its horizontal
     padding as the input zero point (so x + x_offset is 0 there: the real zero the generic
     kernel gets by skipping the tap), then stored as pairs: entry j of channel c is
     (x[j][c] + x_offset, x[j + dil_w][c] + x_offset) as int16, for the column positions j the
     taps (fx, fx + 1) of some output start at (multiples of g, see the emitter). _mm_unpack*_epi8
     interleave the two columns' bytes and one widening makes the pairs, in channel order, in a
     ring of `ring_rows` rows: [16-channel block][j / g][16 channels][2].
   - The emitter packed the weights as int16 (w + w_offset) pairs (w[fy][2t], w[fy][2t + 1]),
     the second 0 for an odd filter width: [block][fy][t][16][2]. _mm256_madd_epi16 multiplies a
     pair of taps into int32 exactly (|x + x_offset|, |w + w_offset| <= 255); rows outside the
     input are skipped as the generic kernel skips them.
   - int32 addition wraps the same in any order, so each accumulator, bias included, is the
     generic kernel's; $OUT2 requantizes it with the generic kernel's arithmetic (avx2_out.c).
   Tiles: 4 to 6 output pixels x 16 channels. Part `part` of `nparts` (threads) computes
   either a range of output rows or a range of channel blocks, with its own ring; no value
   depends on the split. Rows unless blocks balance clearly better: a thread then reads mostly
   the pixels its own part of the previous layer wrote (the convolutions split by pixels), from
   its own cache. */

/* Makes ring entry row `iy` (batch b) for channel blocks [cb0, cb1), block cb at dst's block
   cb - cb0. xr: a padded byte row. */
MC_AVX2_INLINE void depthwise_conv_avx2_row_$S(const $X *src, int in_w, int C, int cp, int pad_w,
                                               int dil_w, int g, int nj, int xr_w, int32_t x_zp,
                                               int32_t x_offset, int cb0, int cb1, $X *xr,
                                               int16_t *dst) {
  if (cp == C) {  /* the input row as it is, between its padding columns */
    memset(xr, (int)($X)x_zp, (size_t)pad_w * cp);
    memcpy(xr + (size_t)pad_w * cp, src, (size_t)in_w * C);
    memset(xr + (size_t)(in_w + pad_w) * cp, (int)($X)x_zp, (size_t)(xr_w - in_w - pad_w) * cp);
  } else {
    memset(xr, (int)($X)x_zp, (size_t)xr_w * cp);
    for (int ix = 0; ix < in_w; ix++)
      memcpy(xr + (size_t)(ix + pad_w) * cp, src + (size_t)ix * C, (size_t)C);
  }
  const __m256i off = _mm256_set1_epi16((int16_t)x_offset);
  for (int cb = cb0; cb < cb1; cb++) {
    int16_t *d = dst + (size_t)(cb - cb0) * nj * 32;
    const $X *s = xr + (size_t)cb * 16;
    for (int jj = 0; jj < nj; jj++) {
      const size_t j = (size_t)jj * g;
      __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + j * cp));
      __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + (j + dil_w) * cp));
      __m256i lo = _mm256_add_epi16($CVT(_mm_unpacklo_epi8(a, b)), off);
      _mm256_storeu_si256((__m256i *)(void *)(d + (size_t)jj * 32), lo);
      if (C <= 8) continue;  /* channels 8 to 15: padding the tiles skip */
      __m256i hi = _mm256_add_epi16($CVT(_mm_unpackhi_epi8(a, b)), off);
      _mm256_storeu_si256((__m256i *)(void *)(d + (size_t)jj * 32 + 16), hi);
    }
  }
}

/* NP output pixels from column ox, channel block cb (block cbl of the ring rows), filter rows
   [fy0, fy1) (the others are outside the input: skipped, as the generic kernel skips them). */
MC_AVX2_INLINE void depthwise_conv_avx2_tile_$S(const int16_t *const *rows, int fy0, int fy1,
                                                int T, int NP, int ox, int stride_w, int dil_w,
                                                int g, int nj, int cbl, int cb, int k_h,
                                                const int16_t *w, const int32_t *bias, int C,
                                                const $QM *mult, const int32_t *shift,
                                                int32_t y_offset, int32_t act_min,
                                                int32_t act_max, $Y *y) {
  const int c = cb * 16;
  __m256i acc[6][2];
  const int16_t *wc = w + (size_t)cb * k_h * T * 32;
  /* One half of the 16 channels at a time: up to 6 accumulators and one weight vector live in
     the multiply loop, so GCC keeps them all in registers. */
#pragma GCC unroll 2
  for (int h = 0; h < 2; h++) {
    if (h == 1 && C <= 8) {  /* the layer's one block has no second half to compute */
#pragma GCC unroll 6
      for (int n = 0; n < NP; n++) acc[n][1] = _mm256_setzero_si256();
      break;
    }
    const __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(bias + c + 8 * h));
#pragma GCC unroll 6
    for (int n = 0; n < NP; n++) acc[n][h] = b;
    for (int fy = fy0; fy < fy1; fy++) {
      const int16_t *rp = rows[fy] + (size_t)cbl * nj * 32 + 16 * h;
      /* Pixel n's tap pair t is ring entry (ox + n) * sa + t * ta (g divides both steps): entry
         p = n * sa + t * ta of rx. */
      const int sa = stride_w / g, ta = 2 * dil_w / g, npos = (NP - 1) * sa + (T - 1) * ta + 1;
      __m256i wv[64], xv[16];  /* the emitter keeps k_w <= 128, so T <= 64 */
      /* Weights in registers, not memory operands of every multiply: the loads, two a
         multiply otherwise, would bound the loop. */
#pragma GCC unroll 64
      for (int t = 0; t < T; t++) {
        wv[t] = _mm256_loadu_si256(
            (const __m256i *)(const void *)(wc + ((size_t)fy * T + t) * 32 + 16 * h));
        __asm__("" : "+x"(wv[t]));
      }
      /* The entries too when they fit, each loaded once for every tap using it. */
      const int cached = NP + npos + T <= 16;
      const int16_t *rx = rp + (size_t)ox * sa * 32;
      if (cached)
#pragma GCC unroll 16
        for (int p = 0; p < npos; p++)
          xv[p] = _mm256_loadu_si256((const __m256i *)(const void *)(rx + (size_t)p * 32));
#pragma GCC unroll 8
      for (int t = 0; t < T; t++)
#pragma GCC unroll 6
        for (int n = 0; n < NP; n++) {
          const int p = n * sa + t * ta;
          const __m256i e =
              cached ? xv[p] : _mm256_loadu_si256((const __m256i *)(const void *)(rx + (size_t)p * 32));
          acc[n][h] = _mm256_add_epi32(acc[n][h], _mm256_madd_epi16(e, wv[t]));
        }
    }
  }
  const int n16 = mc_avx2_width(C - c, 16, C % 16 == 0);
#pragma GCC unroll 6
  for (int n = 0; n < NP; n++)
    $OUT2(acc[n][0], acc[n][1], n16, mult + c, shift + c, y_offset, act_min, act_max,
          y + (size_t)(ox + n) * C + c);
}

/* One output row of channel block cb: every column, 4 at a time and the rest in one narrower
   tile; a row of 5 or 6 is one tile. A tile's multiply-accumulates are independent chains, so a
   tile of 1 takes about as long as one of 4: fewer, wider tiles. The emitter wraps it in a
   function of the layer's own (not inlined, every shape a literal), which the kernel calls as
   `strip`: inlined into the kernel's loops, the compiler keeps the accumulators in memory. */
MC_AVX2_INLINE void depthwise_conv_avx2_strip_$S(const int16_t *const *rows, int fy0, int fy1,
                                                 int cbl, int cb, int out_w, int k_w,
                                                 int stride_w,
                                                 int dil_w, int g, int nj, int k_h,
                                                 const int16_t *w, const int32_t *bias, int C,
                                                 const $QM *mult, const int32_t *shift,
                                                 int32_t y_offset, int32_t act_min,
                                                 int32_t act_max, $Y *yr) {
  const int T = (k_w + 1) / 2, np = out_w == 5 || out_w == 6 ? out_w : 4;
  const int full = out_w / np * np, rest = out_w - full;
  for (int ox = 0; ox < full; ox += np)
    depthwise_conv_avx2_tile_$S(rows, fy0, fy1, T, np, ox, stride_w, dil_w, g, nj, cbl, cb, k_h,
                                w, bias, C, mult, shift, y_offset, act_min, act_max, yr);
  if (rest)
    depthwise_conv_avx2_tile_$S(rows, fy0, fy1, T, rest, full, stride_w, dil_w, g, nj, cbl, cb,
                                k_h, w, bias, C, mult, shift, y_offset, act_min, act_max, yr);
}
typedef void (*depthwise_conv_avx2_strip_fn_$S)(const int16_t *const *rows, int fy0, int fy1,
                                                int cbl, int cb, $Y *yr);

/* ring: ring_rows rows of cbc * nj * 32 int16, channel blocks taken cbc at a time (a wide layer's
   rows would not fit the stack); xr: xr_w * cp bytes. */
MC_AVX2_INLINE void depthwise_conv_avx2_$S(const $X *x, $Y *y, int batches, int in_h, int in_w,
                                           int C, int out_h, int out_w, int k_h, int stride_h,
                                           int dil_h, int dil_w, int pad_h, int pad_w,
                                           int32_t x_offset, int g, int nj, int xr_w,
                                           int cbc, int16_t *ring, int ring_rows, int *ring_tag,
                                           $X *xr,
                                           depthwise_conv_avx2_strip_fn_$S strip, int part,
                                           int nparts) {
  const int cp = (C + 15) / 16 * 16, ncb = cp / 16;
  const size_t row_len = (size_t)cbc * nj * 32;
  const int nrows = batches * out_h;
  int r0 = 0, r1 = nrows, cb0 = 0, cb1 = ncb;
  /* The larger share of rows x blocks either split leaves one part; rows within 25%. */
  const int64_t by_rows = (int64_t)(nrows + nparts - 1) / nparts * ncb;
  const int64_t by_cb = (int64_t)(ncb + nparts - 1) / nparts * nrows;
  if (by_rows * 4 <= by_cb * 5) {
    r0 = (int)((int64_t)nrows * part / nparts), r1 = (int)((int64_t)nrows * (part + 1) / nparts);
  } else {
    cb0 = (int)((int64_t)ncb * part / nparts), cb1 = (int)((int64_t)ncb * (part + 1) / nparts);
  }
  if (r0 >= r1 || cb0 >= cb1) return;
  for (int cbase = cb0; cbase < cb1; cbase += cbc) {
  const int cend = cb1 - cbase < cbc ? cb1 : cbase + cbc;
  int cur_b = -1;
  for (int r = r0; r < r1; r++) {
    const int b = r / out_h, oy = r % out_h;
    if (b != cur_b) {
      cur_b = b;
      for (int s = 0; s < ring_rows; s++) ring_tag[s] = -1;
    }
    const int iy0 = oy * stride_h - pad_h;
    int fy0, fy1;
    mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
    const int16_t *rows[64];  /* the emitter keeps k_h <= 64 */
    for (int fy = fy0; fy < fy1; fy++) {
      const int iy = iy0 + fy * dil_h, slot = iy % ring_rows;
      int16_t *dst = ring + (size_t)slot * row_len;
      if (ring_tag[slot] != iy) {
        ring_tag[slot] = iy;
        depthwise_conv_avx2_row_$S(x + ((size_t)b * in_h + iy) * in_w * C, in_w, C, cp, pad_w,
                                   dil_w, g, nj, xr_w, -x_offset, x_offset, cbase, cend, xr,
                                   dst);
      }
      rows[fy] = dst;
    }
    $Y *yr = y + (size_t)r * out_w * C;
    for (int cb = cbase; cb < cend; cb++) strip(rows, fy0, fy1, cb - cbase, cb, yr);
  }
  }
}
