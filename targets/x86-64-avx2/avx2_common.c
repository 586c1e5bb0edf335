/* ---- AVX2 support (targets/x86-64-avx2/avx2_common.c) ----
   The SIMD kernels carry target attributes instead of needing -mavx2, so the file still builds
   with plain `cc -std=c99 -O2 -c`; modelc run refuses this target on a CPU without AVX2 and FMA.
   Kernels are always inlined into one wrapper per layer whose arguments are literals, so every
   loop bound is a compile-time constant there. */
#include <immintrin.h>
#define MC_AVX2 __attribute__((target("avx2,fma")))
#define MC_AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))

/* Two adjacent int16 values as one int32 lane for _mm256_set1_epi32 (memcpy: no aliasing). */
MC_AVX2_INLINE int32_t mc_avx2_pair(const int16_t *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* How many of `want` channels a store writes when `left` remain: `want` itself, a literal, when
   the caller knows every block of the layer is whole (`whole`: its channel count a multiple of
   the block), so the store keeps no masked or partial path. */
MC_AVX2_INLINE int mc_avx2_width(int left, int want, int whole) {
  return whole || left >= want ? want : left;
}

/* Lanes [0, n) set: masked loads of the last partial block of 8 never touch memory past it. */
MC_AVX2_INLINE __m256i mc_avx2_mask(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* The first n < 16 bytes of v to p, and n < 16 bytes from p (the rest 0), as 8-, 4-, 2- and
   1-byte moves: never past p + n, and no round trip through a stack buffer, whose variable-size
   memcpy and store-forwarding stall cost a 12-channel layer's fused ADD epilogue a third of its
   time (deeplabv3_mnv2_dm05, operator 8). */
MC_AVX2_INLINE void mc_avx2_store_bytes(void *p, __m128i v, int n) {
  unsigned char *d = (unsigned char *)p;
  if (n & 8) _mm_storel_epi64((__m128i *)(void *)d, v), v = _mm_srli_si128(v, 8), d += 8;
  if (n & 4) {
    const int32_t t = _mm_cvtsi128_si32(v);
    memcpy(d, &t, 4), v = _mm_srli_si128(v, 4), d += 4;
  }
  if (n & 2) {
    const uint16_t t = (uint16_t)_mm_cvtsi128_si32(v);
    memcpy(d, &t, 2), v = _mm_srli_si128(v, 2), d += 2;
  }
  if (n & 1) *d = (unsigned char)_mm_cvtsi128_si32(v);
}
MC_AVX2_INLINE __m128i mc_avx2_load_bytes(const void *p, int n) {
  const unsigned char *s = (const unsigned char *)p;
  __m128i v = _mm_setzero_si128();
  int i = n;  /* the highest bytes first, shifted up as the lower ones come in */
  if (n & 1) i -= 1, v = _mm_cvtsi32_si128(s[i]);
  if (n & 2) {
    uint16_t t;
    i -= 2, memcpy(&t, s + i, 2);
    v = _mm_or_si128(_mm_slli_si128(v, 2), _mm_cvtsi32_si128(t));
  }
  if (n & 4) {
    int32_t t;
    i -= 4, memcpy(&t, s + i, 4);
    v = _mm_or_si128(_mm_slli_si128(v, 4), _mm_cvtsi32_si128(t));
  }
  if (n & 8) v = _mm_or_si128(_mm_slli_si128(v, 8), _mm_loadl_epi64((const __m128i *)(const void *)s));
  return v;
}

/* The share of part `part` of `nparts` of a GEMM's M pixels in tiles of P and its `units` channel
   units: pixels [*m0, *m1) and units [*u0, *u1) (by pixel ranges when there are tiles for
   every part twice, else by channel units); false when it is empty. */
MC_AVX2_INLINE int mc_avx2_gemm_part(int64_t M, int P, int units, int part, int nparts,
                                     int64_t *m0, int64_t *m1, int *u0, int *u1) {
  const int64_t ntiles = (M + P - 1) / P;
  *m0 = 0, *m1 = M, *u0 = 0, *u1 = units;
  if (ntiles >= 2 * nparts) {
    *m0 = ntiles * part / nparts * P;
    *m1 = ntiles * (part + 1) / nparts * P;
    if (*m1 > M) *m1 = M;
    return 1;
  }
  *u0 = (int)((int64_t)units * part / nparts);
  *u1 = (int)((int64_t)units * (part + 1) / nparts);
  return *u0 < *u1;
}
