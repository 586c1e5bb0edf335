/* ---- AVX-512 VNNI support (targets/x86-64-avx512/vnni_common.c) ----
   The x86-64-avx512 target is x86-64-avx2 plus these kernels: they carry target attributes that
   include AVX2 and FMA, so the AVX2 helpers inline into them, and the file still builds with
   plain `cc -std=c99 -O2 -c`; modelc run refuses the target on a CPU without AVX-512 F, BW, VL
   and VNNI. */
#define MC_VNNI_TARGET "avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"
#define MC_VNNI __attribute__((target(MC_VNNI_TARGET)))
#define MC_VNNI_INLINE static inline __attribute__((always_inline, target(MC_VNNI_TARGET)))

/* Four adjacent bytes as one int32 lane for _mm512_set1_epi32 (memcpy: no aliasing). */
MC_VNNI_INLINE int32_t mc_vnni_quad(const void *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}
