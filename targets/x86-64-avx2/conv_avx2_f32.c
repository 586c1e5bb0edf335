/* CONV_2D with AVX2 and FMA, float32, groups == 1. Each output channel is summed in conv_f32's
   order, tap row, tap column, input channel, from 0.0f, with the bias added after the sum and
   mc_clamp_f32's clamp (avx2_store_f32), so the only difference from the generic kernel is that
   every multiply-add rounds once (FMA) instead of twice:
   - the emitter packed the weights as blocks of 8 output channels, tap by tap:
     [block][fy][fx][in_d][8], zero-padded channels; each step broadcasts one input value and
     FMAs it into 8 channels of one output pixel;
   - rows outside the input are skipped as conv_f32 skips them; columns outside it are zeros in a
     ring of padded rows (`ring`, one copy per input row), and fma(0, w, acc) == acc exactly for
     finite w, the same sum conv_f32 gets by skipping the tap. With no horizontal padding and no
     tap past the right edge the emitter passes ring == 0 and the rows are read in place;
   - with dil_w == 1 the taps of one row and their channels are one contiguous run of
     k_w * in_d values, in input and in packed weights alike, so they are one loop.
   Tiles: up to 5 output pixels x 16 output channels: 10 accumulators, two weight vectors, a
   broadcast and the two clamp bounds (which the compiler keeps in registers) fill the 16 ymm
   registers without spilling (6 pixels spill one sum, a store-load on its chain every step);
   FMA latency 4 at 2 per cycle needs 8 independent sums. */
/* One tile: np output pixels (from the pixel rows[] point at) x nb blocks of 8 channels (from
   block ob). np and nb are literals at every call and the unroll pragmas make every acc index a
   constant, so the accumulators live in registers. */
MC_AVX2_INLINE void conv_avx2_tile_$S(const float *const *rows, int fy0, int fy1, int k_w,
                                      int in_d, int stride_w, int dil_w, int np, int nb,
                                      const float *w, size_t w_block, const float *bias, int ob,
                                      int out_d, float lo, float hi, float *y) {
  __m256 acc[5][2];
#pragma GCC unroll 5
  for (int n = 0; n < np; n++)
#pragma GCC unroll 2
    for (int k = 0; k < nb; k++) acc[n][k] = _mm256_setzero_ps();
  const int run = dil_w == 1 ? k_w * in_d : in_d, nrun = dil_w == 1 ? 1 : k_w;
  const size_t px = (size_t)stride_w * in_d;  /* floats between neighbouring output pixels */
  for (int fy = fy0; fy < fy1; fy++) {
    for (int r = 0; r < nrun; r++) {
      const float *xp = rows[fy] + (size_t)r * dil_w * in_d;
      const float *wt = w + ((size_t)fy * k_w + r) * in_d * 8;
      for (int i = 0; i < run; i++) {
        __m256 wv[2];
#pragma GCC unroll 2
        for (int k = 0; k < nb; k++) {
          wv[k] = _mm256_loadu_ps(wt + k * w_block + 8 * (size_t)i);
          __asm__("" : "+x"(wv[k]));  /* a register, not a memory operand of each pixel's FMA */
        }
#pragma GCC unroll 5
        for (int n = 0; n < np; n++) {
          const __m256 xv = _mm256_broadcast_ss(xp + n * px + i);
#pragma GCC unroll 2
          for (int k = 0; k < nb; k++) acc[n][k] = _mm256_fmadd_ps(xv, wv[k], acc[n][k]);
        }
      }
    }
  }
#pragma GCC unroll 5
  for (int n = 0; n < np; n++)
#pragma GCC unroll 2
    for (int k = 0; k < nb; k++) {
      const int c = (ob + k) * 8, cnt = mc_avx2_width(out_d - c, 8, out_d % 8 == 0);
      avx2_store_f32(acc[n][k], bias ? bias + c : 0, cnt, lo, hi, y + (size_t)n * out_d + c);
    }
}

MC_AVX2_INLINE void conv_avx2_$S(const float *x, float *y, const float *w, const float *bias,
                                 int batches, int in_h, int in_w, int in_d, int out_h, int out_w,
                                 int out_d, int k_h, int k_w, int stride_h, int stride_w,
                                 int dil_h, int dil_w, int pad_h, int pad_w, float lo, float hi,
                                 float *ring, int ring_rows, int ring_w, int *ring_tag,
                                 int part, int nparts) {
  const int nblk = (out_d + 7) / 8;
  const size_t row_len = (size_t)ring_w * in_d, w_block = (size_t)k_h * k_w * in_d * 8;
  /* Part `part` of `nparts` (threads): output pixels [p0, p1) in (batch, row, column) order.
     Each pixel's sums do not depend on the tile it falls in, so neither on the split. */
  const int64_t npix = (int64_t)batches * out_h * out_w;
  const int64_t p0 = npix * part / nparts, p1 = npix * (part + 1) / nparts;
  if (p0 >= p1) return;
  if (ring) memset(ring, 0, (size_t)ring_rows * row_len * sizeof *ring);
  int cur_b = -1;
  for (int64_t r = p0 / out_w; r <= (p1 - 1) / out_w; r++) {
    const int b = (int)(r / out_h), oy = (int)(r % out_h);
    const int ox_lo = r * out_w < p0 ? (int)(p0 - r * out_w) : 0;
    const int ox_hi = (r + 1) * out_w > p1 ? (int)(p1 - r * out_w) : out_w;
    if (ring && b != cur_b)
      for (int k = 0; k < ring_rows; k++) ring_tag[k] = -1;
    cur_b = b;
    {
      const int iy0 = oy * stride_h - pad_h;
      int fy0, fy1;
      mc_taps(iy0, dil_h, k_h, in_h, &fy0, &fy1);
      const float *rows[64];  /* the emitter keeps k_h <= 64 */
      for (int fy = fy0; fy < fy1; fy++) {
        const int iy = iy0 + fy * dil_h;
        const float *src = x + ((size_t)b * in_h + iy) * in_w * in_d;
        if (!ring) {
          rows[fy] = src;
          continue;
        }
        const int slot = iy % ring_rows;
        float *dst = ring + (size_t)slot * row_len;
        if (ring_tag[slot] != iy) {
          ring_tag[slot] = iy;
          memcpy(dst + (size_t)pad_w * in_d, src, (size_t)in_w * in_d * sizeof *src);
        }
        rows[fy] = dst;
      }
      float *yr = y + ((size_t)b * out_h + oy) * out_w * out_d;
      for (int ob = 0; ob < nblk; ob += 2) {
        const int nb = ob + 1 < nblk ? 2 : 1;
        const float *wb = w + (size_t)ob * w_block;
        for (int ox = ox_lo; ox < ox_hi;) {
          /* The fewest tiles of at most 5 pixels, as even as possible (16: 4 x 4, not 5 5 5 1):
             a narrow tile has fewer independent sums than FMA latency needs. */
          const int left = ox_hi - ox, tiles = (left + 4) / 5, np = (left + tiles - 1) / tiles;
          const float *tr[64];
          for (int fy = fy0; fy < fy1; fy++) tr[fy] = rows[fy] + (size_t)ox * stride_w * in_d;
          float *yp = yr + (size_t)ox * out_d;
#define MC_CONV_F32_TILE(NP)                                                                      \
  do {                                                                                            \
    if (nb == 2)                                                                                  \
      conv_avx2_tile_$S(tr, fy0, fy1, k_w, in_d, stride_w, dil_w, NP, 2, wb, w_block, bias, ob,   \
                        out_d, lo, hi, yp);                                                       \
    else                                                                                          \
      conv_avx2_tile_$S(tr, fy0, fy1, k_w, in_d, stride_w, dil_w, NP, 1, wb, w_block, bias, ob,   \
                        out_d, lo, hi, yp);                                                       \
  } while (0)
          switch (np) {
          case 5: MC_CONV_F32_TILE(5); break;
          case 4: MC_CONV_F32_TILE(4); break;
          case 3: MC_CONV_F32_TILE(3); break;
          case 2: MC_CONV_F32_TILE(2); break;
          default: MC_CONV_F32_TILE(1); break;
          }
#undef MC_CONV_F32_TILE
          ox += np;
        }
      }
    }
  }
}
