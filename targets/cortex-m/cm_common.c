/* ---- Cortex-M DSP-extension and Helium support (targets/cortex-m/cm_common.c) ----
   The inner loops of this target for the M4 and M7 (cm_dsp.c) are written on four DSP
   instructions (ACLE <arm_acle.h>, present when the -mcpu has the DSP extension: Cortex-M4, M7,
   M33 with DSP, M55):
     SXTB16 / UXTB16: bytes 0 and 2 of a word widened to the two int16 halves of a word;
                      with the word rotated by 8 first, bytes 1 and 3;
     SMLAD:           acc + lo(a) * lo(b) + hi(a) * hi(b), the products exact (16 x 16 bits), the
                      sum wrapping modulo 2^32 like the int32 sums of the generic kernels;
     SMLABB / SMLATT: acc + one such product (bottom or top halves).
   Built for anything else (plain `cc -std=c99 -O2 -c` on x86-64, or a Cortex-M0/M3) MC_CM_DSP
   is 0 and each helper is the same integer function in portable C, so the kernels compute the
   same values everywhere. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define MC_CM_DSP 1
#include <arm_acle.h>
#else
#define MC_CM_DSP 0
#endif
/* Helium (the M-profile vector extension, integer at least: __ARM_FEATURE_MVE bit 0), present
   when the -mcpu is a Cortex-M55 (or M85): the kernels of --cpu cortex-m55 use its 8-bit
   multiply-accumulate-across-vector VMLADAVA and predicated widening loads (ACLE <arm_mve.h>).
   Without it MC_CM_MVE is 0 and those kernels run the same integer arithmetic in portable C. */
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#define MC_CM_MVE 1
#include <arm_mve.h>
#else
#define MC_CM_MVE 0
#endif
#if defined(__GNUC__) || defined(__clang__)
#define MC_CM_INLINE static inline __attribute__((always_inline))
#else
#define MC_CM_INLINE static inline
#endif

/* A 32-bit load from any address: memcpy, which gcc turns into one LDR (Cortex-M3 and up allow
   unaligned LDR). */
MC_CM_INLINE uint32_t mc_cm_ld32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Bytes 0 and 2 (even) and 1 and 3 (odd) of v as int16 halves, sign- or zero-extended. */
MC_CM_INLINE void mc_cm_ext_s8(uint32_t v, uint32_t *even, uint32_t *odd) {
#if MC_CM_DSP
  *even = (uint32_t)__sxtb16((int32_t)v);
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(*odd) : "r"(v));  /* ACLE has no rotated form */
#else
  *even = ((uint32_t)(uint16_t)(int16_t)(int8_t)(v & 0xff)) |
          ((uint32_t)(uint16_t)(int16_t)(int8_t)((v >> 16) & 0xff) << 16);
  *odd = ((uint32_t)(uint16_t)(int16_t)(int8_t)((v >> 8) & 0xff)) |
         ((uint32_t)(uint16_t)(int16_t)(int8_t)(v >> 24) << 16);
#endif
}
MC_CM_INLINE void mc_cm_ext_u8(uint32_t v, uint32_t *even, uint32_t *odd) {
#if MC_CM_DSP
  *even = __uxtb16(v);
  __asm__("uxtb16 %0, %1, ror #8" : "=r"(*odd) : "r"(v));
#else
  *even = v & 0x00ff00ffu;
  *odd = (v >> 8) & 0x00ff00ffu;
#endif
}

MC_CM_INLINE int32_t mc_cm_lo16(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v & 0xffff); }
MC_CM_INLINE int32_t mc_cm_hi16(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v >> 16); }

/* acc + lo(a) lo(b) + hi(a) hi(b), modulo 2^32. */
MC_CM_INLINE int32_t mc_cm_smlad(uint32_t a, uint32_t b, int32_t acc) {
#if MC_CM_DSP
  return __smlad((int32_t)a, (int32_t)b, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(mc_cm_lo16(a) * mc_cm_lo16(b)) +
                   (uint32_t)(mc_cm_hi16(a) * mc_cm_hi16(b)));
#endif
}
/* acc + lo(a) lo(b), and acc + hi(a) hi(b), modulo 2^32. */
MC_CM_INLINE int32_t mc_cm_smlabb(uint32_t a, uint32_t b, int32_t acc) {
#if MC_CM_DSP
  return __smlabb((int32_t)a, (int32_t)b, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(mc_cm_lo16(a) * mc_cm_lo16(b)));
#endif
}
MC_CM_INLINE int32_t mc_cm_smlatt(uint32_t a, uint32_t b, int32_t acc) {
#if MC_CM_DSP
  return __smlatt((int32_t)a, (int32_t)b, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(mc_cm_hi16(a) * mc_cm_hi16(b)));
#endif
}

/* Both int16 halves of v plus the same int16 o (SADD16): exact when every sum stays inside
   int16, as x + x_offset does for an 8-bit x and an 8-bit zero point ([-255, 255]). */
MC_CM_INLINE uint32_t mc_cm_add16(uint32_t v, uint32_t o2) {
#if MC_CM_DSP
  return (uint32_t)__sadd16((int32_t)v, (int32_t)o2);
#else
  return ((v + o2) & 0xffffu) | ((((v >> 16) + (o2 >> 16)) & 0xffffu) << 16);
#endif
}

#if MC_CM_MVE
/* 16 bytes as one vector, by dtype (the kernels pick one by their T suffix). */
typedef int8x16_t mc_cm_v16_s8;
typedef uint8x16_t mc_cm_v16_u8;
/* acc + the sum of the 16 lane products a[i] b[i], modulo 2^32 (VMLADAVA.S8 / .U8). */
MC_CM_INLINE int32_t mc_cm_dot16_s8(int32_t acc, int8x16_t a, int8x16_t b) {
  return vmladavaq_s8(acc, a, b);
}
MC_CM_INLINE int32_t mc_cm_dot16_u8(int32_t acc, uint8x16_t a, uint8x16_t b) {
  return (int32_t)vmladavaq_u8((uint32_t)acc, a, b);
}
/* The first n (0 to 4; more counts as 4) values at p, each widened to an int32 lane, 0 in the
   other lanes, whose bytes are not read (a predicated VLDRB). */
MC_CM_INLINE int32x4_t mc_cm_ld4_s8(const int8_t *p, int n) {
  return vldrbq_z_s32(p, vctp32q((uint32_t)n));
}
MC_CM_INLINE int32x4_t mc_cm_ld4_u8(const uint8_t *p, int n) {
  return vreinterpretq_s32_u32(vldrbq_z_u32(p, vctp32q((uint32_t)n)));
}
#endif
