/* Built and run by tests/test_targets.c (avx2_ops::requant_lanes): the AVX2 requantization of
   targets/x86-64-avx2/avx2_requant.c against the generic scalar functions it stands for, lane by
   lane, on random accumulators, multipliers, shifts, scales and clamps (with the edges: INT32_MIN,
   INT32_MAX, the largest multiplier, every shift in [-31, 30]); the unclamped fp32 form through
   avx2_out's packs, byte by byte. Prints the mismatches; exit 0 when there are none.
   cc -O2 -I<source dir> avx2_requant_check.c */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int mc_threads = 1;
#include "targets/generic/common.c"
/* requant_double.c and requant_single.c both define mc_requant: one of them under another name */
#include "targets/generic/requant_double.c"
static inline int32_t rq_single(int32_t x, int32_t multiplier, int shift) {
  int total = 31 - shift;
  int64_t r = (int64_t)x * multiplier + ((int64_t)1 << (total - 1));
  return (int32_t)(r >> total);
}
#include "targets/x86-64-avx2/avx2_common.c"
#include "targets/x86-64-avx2/avx2_requant.c"

static uint64_t state = 88172645463325252ull;
static uint64_t rnd(void) {
  state ^= state << 13, state ^= state >> 7, state ^= state << 17;
  return state;
}

MC_AVX2 static long run(long iters) {
  long bad = 0;
  for (long it = 0; it < iters; it++) {
    int32_t acc[8], m[8], sh[8], out[8];
    float sc[8];
    const int mode = (int)(it % 4);
    for (int j = 0; j < 8; j++) {
      uint64_t r = rnd();
      acc[j] = mode == 0 ? (int32_t)r : (int32_t)((int64_t)(r % 2000001) - 1000000);
      if (r % 97 == 0) acc[j] = INT32_MIN;
      if (r % 89 == 0) acc[j] = INT32_MAX;
      m[j] = (int32_t)((1u << 30) + (uint32_t)(rnd() % (1u << 30)));
      if (rnd() % 50 == 0) m[j] = INT32_MAX;
      sh[j] = mode == 3 ? -(int)(rnd() % 32) : (int)(rnd() % 62) - 31;
      uint32_t b = ((uint32_t)rnd() & 0x007FFFFF) | (uint32_t)(100 + rnd() % 40) << 23;
      memcpy(&sc[j], &b, 4);
    }
    const int32_t lo = -100000000, hi = 100000000;
    const __m256i va = _mm256_loadu_si256((const __m256i *)(const void *)acc);
    _mm256_storeu_si256((__m256i *)(void *)out, avx2_rq_dbl(va, m, sh, 8, lo, hi));
    for (int j = 0; j < 8; j++) bad += out[j] != mc_clamp_i32(mc_requant(acc[j], m[j], sh[j]), lo, hi);
    if (mode == 3) {
      _mm256_storeu_si256((__m256i *)(void *)out, avx2_rq_dbl_right(va, m, sh, 8, lo, hi));
      for (int j = 0; j < 8; j++) bad += out[j] != mc_clamp_i32(mc_requant(acc[j], m[j], sh[j]), lo, hi);
    }
    /* fp32, with an output type's clamp around a zero point */
    const int zp = (int)(rnd() % 384) - 128, qlo = zp < 0 ? -128 : 0, qhi = zp < 0 ? 127 : 255;
    _mm256_storeu_si256((__m256i *)(void *)out, avx2_rq_fp32(va, sc, sh, 8, qlo - zp, qhi - zp));
    for (int j = 0; j < 8; j++)
      bad += out[j] + zp != mc_clamp_i32(mc_requant_fp32(acc[j], sc[j], 0) + zp, qlo, qhi);
    /* fp32 unclamped, with scales below 0.25 and the whole type's range: avx2_out's int16 and
       byte packs (saturating; unsigned for uint8) and its saturating zero-point add clamp */
    float sq[8];
    for (int j = 0; j < 8; j++) {
      uint32_t b;
      memcpy(&b, &sc[j], 4);
      b = (b & 0x807FFFFF) | (uint32_t)(100 + rnd() % 25) << 23;
      memcpy(&sq[j], &b, 4);
    }
    const __m256i uq = avx2_rq_fp32_unclamped(va, sq, sh, 8, 0, 0);
    const __m128i p16 = _mm_adds_epi16(_mm_packs_epi32(_mm256_castsi256_si128(uq), _mm256_extracti128_si256(uq, 1)),
                                       _mm_set1_epi16((int16_t)zp));
    uint8_t bytes[16];
    _mm_storeu_si128((__m128i *)(void *)bytes, zp < 0 ? _mm_packs_epi16(p16, p16) : _mm_packus_epi16(p16, p16));
    for (int j = 0; j < 8; j++) {
      const int32_t want = mc_clamp_i32(mc_requant_fp32(acc[j], sq[j], 0) + zp, qlo, qhi);
      bad += (zp < 0 ? (int32_t)(int8_t)bytes[j] : (int32_t)bytes[j]) != want;
    }
    /* single rounding, where its scalar result is defined (fits int32) */
    for (int j = 0; j < 8; j++)
      if (sh[j] > 0) acc[j] >>= sh[j] + 1;
    _mm256_storeu_si256((__m256i *)(void *)out,
                        avx2_rq_sgl(_mm256_loadu_si256((const __m256i *)(const void *)acc), m, sh, 8, lo, hi));
    for (int j = 0; j < 8; j++) bad += out[j] != mc_clamp_i32(rq_single(acc[j], m[j], sh[j]), lo, hi);
  }
  return bad;
}

int main(void) {
  (void)mc_threads;
  long bad = run(2000000);
  printf("%ld mismatches\n", bad);
  return bad != 0;
}
