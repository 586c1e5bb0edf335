/* ---- aarch64 NEON support (targets/aarch64-neon/neon_common.c) ----
   NEON is part of the aarch64 base architecture, so the kernels need no -m flag; only SDOT
   (armv8.2-a+dotprod, chosen with --cpu) needs a target attribute, on the kernels that use it.
   Built anywhere else (plain `cc -std=c99 -O2 -c` on x86-64), MC_NEON is 0 and every kernel
   of this target takes its portable scalar branch, which computes the same integers. */
#if defined(__aarch64__) && defined(__ARM_NEON)
#define MC_NEON 1
#include <arm_neon.h>
#else
#define MC_NEON 0
#endif
#if defined(__GNUC__) || defined(__clang__)
#define MC_NEON_INLINE static inline __attribute__((always_inline))
#else
#define MC_NEON_INLINE static inline
#endif
#if MC_NEON
/* arm_neon.h declares vdotq_* under arch=armv8.2-a+dotprod: the callers need the same. */
#define MC_NEON_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#else
#define MC_NEON_DOTPROD
#endif

#if MC_NEON
/* 16 raw 8-bit values, by dtype suffix, for the templates. */
typedef int8x16_t mc_neon_v16_s8;
typedef uint8x16_t mc_neon_v16_u8;
MC_NEON_INLINE int8x16_t mc_neon_ld_s8(const int8_t *p) { return vld1q_s8(p); }
MC_NEON_INLINE uint8x16_t mc_neon_ld_u8(const uint8_t *p) { return vld1q_u8(p); }

/* acc[j] += x[4j..4j+3] . w[4j..4j+3] without SDOT: SMULL forms each int8 x int8 product
   exactly in int16 (|p| <= 2^14) and SADALP adds them in pairs into the int32 lanes, so no
   int16 sum of two products is ever formed (that could overflow). uint8: UMULL (<= 65025 fits
   uint16) and UADALP into uint32 lanes, which wrap like the int32 sums they stand for. */
MC_NEON_INLINE int32x4_t mc_neon_dot_s8(int32x4_t acc, int8x16_t x, int8x16_t w) {
  acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(x), vget_low_s8(w)));
  return vpadalq_s16(acc, vmull_high_s8(x, w));
}
MC_NEON_INLINE int32x4_t mc_neon_dot_u8(int32x4_t acc, uint8x16_t x, uint8x16_t w) {
  uint32x4_t a = vreinterpretq_u32_s32(acc);
  a = vpadalq_u16(a, vmull_u8(vget_low_u8(x), vget_low_u8(w)));
  return vreinterpretq_s32_u32(vpadalq_u16(a, vmull_high_u8(x, w)));
}

/* The sum of row[0, kp), kp a multiple of 16 (the uint8 weight zero point's correction term;
   an int8 fully connected layer may have a weight zero point too): exact in 32 bits for any
   kp this target accepts. */
MC_NEON_INLINE int32_t mc_neon_rowsum_s8(const int8_t *row, int kp) {
  int32x4_t s = vdupq_n_s32(0);
  for (int i = 0; i < kp; i += 16) s = vpadalq_s16(s, vpaddlq_s8(vld1q_s8(row + i)));
  return vaddvq_s32(s);
}
MC_NEON_INLINE int32_t mc_neon_rowsum_u8(const uint8_t *row, int kp) {
  uint32x4_t s = vdupq_n_u32(0);
  for (int i = 0; i < kp; i += 16) s = vpadalq_u16(s, vpaddlq_u8(vld1q_u8(row + i)));
  return (int32_t)vaddvq_u32(s);
}

/* 8 values of x as int16 x + offset: exact, an 8-bit value plus the negation of an 8-bit zero
   point lies in [-255, 255]. */
MC_NEON_INLINE int16x8_t mc_neon_widen_s8(const int8_t *p, int16x8_t off) {
  return vaddq_s16(vmovl_s8(vld1_s8(p)), off);
}
MC_NEON_INLINE int16x8_t mc_neon_widen_u8(const uint8_t *p, int16x8_t off) {
  return vaddq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(p))), off);
}

/* Stores lanes [0, n) of q (n <= 4), already clamped inside the 8-bit output type, so the
   truncating narrows keep every value. */
MC_NEON_INLINE void mc_neon_store_q8(int32x4_t q, int n, void *y) {
  int16x4_t h = vmovn_s32(q);
  uint8_t t[8];
  vst1_s8((int8_t *)t, vmovn_s16(vcombine_s16(h, h)));
  memcpy(y, t, (size_t)n);
}
#else
static inline int32_t mc_neon_rowsum_s8(const int8_t *row, int kp) {
  int32_t s = 0;
  for (int i = 0; i < kp; i++) s += row[i];
  return s;
}
static inline int32_t mc_neon_rowsum_u8(const uint8_t *row, int kp) {
  int32_t s = 0;
  for (int i = 0; i < kp; i++) s += row[i];
  return s;
}
#endif
