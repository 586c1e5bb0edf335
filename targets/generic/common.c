/* ---- modelc runtime helpers (targets/generic/common.c) ---- */
/* The parts a layer's work of `units` parts runs as: up to mc_threads (NAME_set_threads, defined
   before this file) when built with OpenMP, else 1. */
static inline int mc_nparts(int64_t units) {
#ifdef _OPENMP
  return units < mc_threads ? (units < 1 ? 1 : (int)units) : mc_threads;
#else
  (void)units;
  return 1;
#endif
}
/* An OpenMP directive that compiles away without OpenMP, with no unknown-pragma warning. */
#ifdef _OPENMP
#define MC_OMP(directive) _Pragma(#directive)
#else
#define MC_OMP(directive)
#endif
/* The barrier between NAME_invoke's split layers (the team is the invocation's own, on its
   stack, so invocations on different arenas may run at once). A counter and a generation word
   spun on: on the 2-core Zen 3 host 0.1 us a barrier where libgomp's (an omp for's end) took
   0.55, which over 30 layers is 4-6% of a small model's 2-thread latency (vww_96_int8, kws).
   The last to arrive resets the count, then publishes the next generation with a release store
   that the acquire loads of the waiters pair with, so every write before the barrier (through
   the arrivals' acq_rel increments) is seen after it. A waiter that spins long yields its core.
   A team larger than the machine's processors, whose spinning waiters would keep the threads
   still working off their cores (3 threads on the 2-core host ran mobilenet_v1_0.25 at 0.03 of
   one thread's speed, 0.21 at OpenMP's barrier), and compilers
   without GCC's atomics wait at OpenMP's barrier instead, which sleeps. */
#if defined(__GNUC__) || defined(__clang__)
#define MC_OWN_LINE __attribute__((aligned(64))) /* a cache line of its own */
#else
#define MC_OWN_LINE
#endif
typedef struct mc_team {
  MC_OWN_LINE int arrived;
  MC_OWN_LINE int generation;
  MC_OWN_LINE int sleep; /* the team is larger than the processors: wait at omp barrier */
} mc_team;
#ifdef _OPENMP
/* OpenMP's own functions (<omp.h>, declared here so that no compiler needs its header). */
int omp_get_thread_num(void);
int omp_get_num_threads(void);
int omp_get_num_procs(void);
static inline int mc_team_rank(void) { return omp_get_thread_num(); }
static inline int mc_team_size(void) { return omp_get_num_threads(); }
/* The team NAME_invoke starts for `threads` threads (omp_get_num_procs is a system call: once
   an invocation). */
static inline mc_team mc_team_for(int threads) {
  mc_team t = {0, 0, threads > 1 && threads > omp_get_num_procs()};
  return t;
}
#if defined(__GNUC__) || defined(__clang__)
#if defined(__unix__) || defined(__APPLE__)
int sched_yield(void); /* POSIX <sched.h>, which -std=c99 hides */
#define MC_YIELD() sched_yield()
#else
#define MC_YIELD() ((void)0)
#endif
static inline void mc_team_wait(mc_team *team) {
  const int n = omp_get_num_threads();
  if (n == 1) return;
  if (team->sleep) {
    MC_OMP(omp barrier)
    return;
  }
  const int g = __atomic_load_n(&team->generation, __ATOMIC_ACQUIRE);
  if (__atomic_add_fetch(&team->arrived, 1, __ATOMIC_ACQ_REL) == n) {
    __atomic_store_n(&team->arrived, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&team->generation, g + 1, __ATOMIC_RELEASE);
    return;
  }
  for (unsigned spins = 0; __atomic_load_n(&team->generation, __ATOMIC_ACQUIRE) == g; spins++) {
    if (spins >= 1u << 14) MC_YIELD();
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
  }
}
#else
static inline void mc_team_wait(mc_team *team) {
  (void)team;
  MC_OMP(omp barrier)
}
#endif
#else
static inline int mc_team_rank(void) { return 0; }
static inline int mc_team_size(void) { return 1; }
static inline mc_team mc_team_for(int threads) {
  mc_team t = {0, 0, 0};
  (void)threads;
  return t;
}
static inline void mc_team_wait(mc_team *team) { (void)team; }
#endif
static inline int32_t mc_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }
static inline int32_t mc_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mc_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : x > hi ? hi : x;
}
/* clamp(r + zp, lo, hi) without forming r + zp, which overflows when a hostile model's multiplier
   saturates r: for integers it is clamp(r, lo - zp, hi - zp) + zp (zp, lo, hi within int16). */
static inline int32_t mc_clamp_offset(int32_t r, int32_t zp, int32_t lo, int32_t hi) {
  return mc_clamp_i32(r, lo - zp, hi - zp) + zp;
}
static inline float mc_clamp_f32(float x, float lo, float hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

/* gemmlowp's fixed-point primitives, which TFLite's quantized kernels are defined by. */
static inline int32_t mc_srdhm(int32_t a, int32_t b) { /* SaturatingRoundingDoublingHighMul */
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / (1ll << 31));
}
static inline int32_t mc_rdbpot(int32_t x, int exponent) { /* RoundingDivideByPOT */
  int32_t mask = (int32_t)((1ll << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
/* x * 2^exponent, saturated (SaturatingRoundingMultiplyByPOT for exponent >= 0). */
static inline int32_t mc_sat_shl(int32_t x, int exponent) {
  if (exponent <= 0) return mc_rdbpot(x, -exponent);
  int64_t v = (int64_t)x * ((int64_t)1 << exponent);
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* The 64-bit accumulator form used by 16x8 kernels: the multiplier is first reduced to Q15, the
   same in both TFLite builds. */
static inline int32_t mc_requant64(int64_t x, int32_t multiplier, int shift) {
  int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  int total = 15 - (shift > 14 ? 14 : shift);  /* TFLite takes shift < 8; no shift by 0 or less */
  int64_t r = x * reduced + ((int64_t)1 << (total - 1));
  return (int32_t)(r >> total);
}

/* The taps [*lo, *hi) of a window of k taps, dilation dil, starting at origin, that fall inside
   [0, size): convolution kernels skip the others (zero padding), so bounds are checked once per
   row or column instead of per multiply. */
static inline void mc_taps(int origin, int dil, int k, int size, int *lo, int *hi) {
  int a = origin >= 0 ? 0 : (-origin + dil - 1) / dil;
  int b = size - origin <= 0 ? 0 : (size - origin + dil - 1) / dil;
  *lo = a;
  *hi = b < k ? b : k;
  if (*hi < *lo) *hi = *lo;
}

/* MultiplyByQuantizedMultiplier as TFLite's own kernels run it in the oracle build and in TFLite
   Micro: gemmlowp's double rounding, whatever --rounding selects for mc_requant (which follows
   ruy, where TFLite's convolutions and fully-connected layers requantize with single rounding). */
static inline int32_t mc_requant_dbl(int32_t x, int32_t multiplier, int shift) {
  int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  return mc_rdbpot(mc_srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}

/* XNNPACK's fp32 requantization, which TensorFlow Lite's XNNPACK delegate (the oracle's) runs for
   int8/uint8 convolutions instead of the fixed-point multiply: the accumulator converted to
   float, times the float scale s_x * s_w / s_y, rounded to nearest with ties to even. Rounds
   with integer steps (no math.h, no reliance on the FP rounding mode): below 2^24 the fraction
   v - trunc(v) is exact. */
static inline int32_t mc_requant_fp32(int32_t acc, float scale, int32_t unused) {
  float v = (float)acc * scale;
  (void)unused;
  v = v < -16777216.0f ? -16777216.0f : v > 16777216.0f ? 16777216.0f : v;
  int32_t i = (int32_t)v;
  float frac = v - (float)i;
  if (frac > 0.5f || (frac == 0.5f && (i & 1))) i++;
  else if (frac < -0.5f || (frac == -0.5f && (i & 1))) i--;
  return i;
}
