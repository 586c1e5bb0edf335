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
