/* The driver `modelc run` builds around a generated model $N: reads raw inputs (or makes seeded
   random ones), invokes the model, writes raw outputs, and with ITERS > 0 times invocations.
   A model compiled with --profile ($N_PROFILE) also gets its per-layer and per-op-type table
   printed, in the manner of TFLite's benchmark_model.
   The same file drives a bare-metal Cortex-M under qemu-system-arm (MC_BOARD, defined by
   compiler/cortexm.c, with rt/cortexm_start.c and newlib's semihosting librdimon): files go
   through semihosting, buffers come from the board's PSRAM (__pool_start, __pool_end in the
   linker script) and the clock is the host's through the emulator, not a core's.
   usage: driver OUTDIR SEED ITERS [INPUT.bin ...] */
#define _POSIX_C_SOURCE 200112L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "$N.h"

#ifdef MC_BOARD
extern unsigned char __pool_start[], __pool_end[];
static unsigned char *pool_next = __pool_start;

/* 64-byte aligned bytes from the pool; NULL when it is exhausted. Never freed: the run is short. */
static void *alloc64(size_t n) {
  uintptr_t p = ((uintptr_t)pool_next + 63) & ~(uintptr_t)63;
  if (p > (uintptr_t)__pool_end || n > (uintptr_t)__pool_end - p) return NULL;
  pool_next = (unsigned char *)(p + (n ? n : 1));
  return (void *)p;
}
#define release(p) ((void)(p))

uint64_t cm_host_ns(void); /* rt/cortexm_start.c */
static double now_ms(void) { return (double)cm_host_ns() * 1e-6; }
#define OOM "out of board memory"
#define CLOCK_NOTE " (host time under the emulator, not a Cortex-M's)"
#else
static void *alloc64(size_t n) {
  void *p = NULL;
  return posix_memalign(&p, 64, n ? n : 1) ? NULL : p;
}
#define release(p) free(p)

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}
#define OOM "out of memory"
#define CLOCK_NOTE ""
#endif

static uint64_t rng_state;
static uint32_t rng_next(void) {  /* xorshift64*: reproducible across hosts */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static int write_file(const char *dir, const char *what, int i, const void *p, size_t n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s_%d.bin", dir, what, i);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
    fprintf(stderr, "cannot write %s\n", path);
    return -1;
  }
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

#ifdef $N_PROFILE
typedef struct OpType {
  const char *op;
  int layers;
  uint64_t calls, total;
} OpType;

static int by_total(const void *a, const void *b) {  /* slowest first; ties in layer order */
  const $N_profile_entry *x = a, *y = b;
  if (x->total != y->total) return x->total < y->total ? 1 : -1;
  return x->layer - y->layer;
}

static int by_type_total(const void *a, const void *b) {
  const OpType *x = a, *y = b;
  if (x->total != y->total) return x->total < y->total ? 1 : -1;
  return strcmp(x->op, y->op);
}

/* Prints the layers and the op types sorted by time: count, average, percent, cumulative percent.
   Times are ms when the clock counts ns, else the clock's own unit. */
static void print_profile(void) {
  static $N_profile_entry e[$N_NUM_LAYERS + 1];
  static OpType ty[$N_NUM_LAYERS + 1];
  int n = $N_profile_report(e, $N_NUM_LAYERS);
  uint64_t all = 0, runs = 0;
  int ntypes = 0;
  for (int i = 0; i < n; i++) {
    all += e[i].total;
    if (e[i].calls > runs) runs = e[i].calls;
    int k = 0;
    while (k < ntypes && strcmp(ty[k].op, e[i].op) != 0) k++;
    if (k == ntypes) ty[ntypes++].op = e[i].op;
    ty[k].layers++, ty[k].calls += e[i].calls, ty[k].total += e[i].total;
  }
  int ns = strcmp(n ? e[0].unit : "ns", "ns") == 0;
  double scale = ns ? 1e-6 : 1.0;
  const char *unit = ns ? "ms" : n ? e[0].unit : "ticks";
  double pct_of = all ? 100.0 / (double)all : 0.0;
  char avg[32];
  snprintf(avg, sizeof avg, "[avg %s]", unit);
  printf("profile: %d layers, %llu invocations, times in %s\n", n, (unsigned long long)runs, unit);
  qsort(e, (size_t)n, sizeof *e, by_total);
  printf("\n============================== Operator-wise Profiling Info (by time) ==============================\n");
  printf("%7s  %-24s %8s %12s %9s %9s  %s\n", "[layer]", "[node type]", "[count]", avg, "[%]",
         "[cdf%]", "[name]");
  double cdf = 0;
  for (int i = 0; i < n; i++) {
    double pct = (double)e[i].total * pct_of;
    cdf += pct;
    printf("%7d  %-24s %8llu %12.4f %8.3f%% %8.3f%%  %s\n", e[i].layer, e[i].op,
           (unsigned long long)e[i].calls,
           e[i].calls ? (double)e[i].total * scale / (double)e[i].calls : 0.0, pct, cdf, e[i].function);
  }
  qsort(ty, (size_t)ntypes, sizeof *ty, by_type_total);
  printf("\n============================== Summary by node type ==============================\n");
  printf("%-24s %8s %12s %9s %9s %15s\n", "[node type]", "[count]", avg, "[%]", "[cdf%]",
         "[times called]");
  cdf = 0;
  for (int k = 0; k < ntypes; k++) {
    double pct = (double)ty[k].total * pct_of;
    cdf += pct;
    /* avg: this type's time per invocation, summed over its layers (benchmark_model's "avg ms") */
    printf("%-24s %8d %12.4f %8.3f%% %8.3f%% %15llu\n", ty[k].op, ty[k].layers,
           runs ? (double)ty[k].total * scale / (double)runs : 0.0, pct, cdf,
           (unsigned long long)ty[k].calls);
  }
  printf("\ntotal %.4f %s per invocation over %d layers\n",
         runs ? (double)all * scale / (double)runs : 0.0, unit, n);
}
#endif

int main(int argc, char **argv) {
  if (argc < 4) return fprintf(stderr, "usage: driver OUTDIR SEED ITERS [INPUT.bin...]\n"), 2;
  const char *outdir = argv[1];
  rng_state = strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
  int iters = atoi(argv[3]);
  void *in[$N_NUM_INPUTS + 1], *out[$N_NUM_OUTPUTS + 1];
  for (int i = 0; i < $N_NUM_INPUTS; i++) {
    const $N_tensor_info *t = &$N_inputs[i];
    if (!(in[i] = alloc64(t->bytes))) return fprintf(stderr, OOM "\n"), 1;
    if (4 + i < argc) {
      FILE *f = fopen(argv[4 + i], "rb");
      if (!f) return fprintf(stderr, "cannot open %s\n", argv[4 + i]), 1;
      size_t got = fread(in[i], 1, t->bytes, f);
      int extra = fgetc(f);
      fclose(f);
      if (got != t->bytes || extra != EOF)
        return fprintf(stderr, "%s: input %d '%s' takes exactly %zu bytes\n", argv[4 + i], i,
                       t->name, t->bytes), 2;
    } else if (strcmp(t->dtype, "float32") == 0) {
      float *p = in[i];
      for (size_t k = 0; k < t->bytes / 4; k++) p[k] = (float)rng_next() / 2147483648.0f - 1.0f;
    } else {
      uint8_t *p = in[i];
      for (size_t k = 0; k < t->bytes; k++) p[k] = (uint8_t)(rng_next() >> 24);
    }
    if (write_file(outdir, "input", i, in[i], t->bytes)) return 1;
  }
  for (int i = 0; i < $N_NUM_OUTPUTS; i++)
    if (!(out[i] = alloc64($N_outputs[i].bytes))) return fprintf(stderr, OOM "\n"), 1;
  void *arena = alloc64($N_ARENA_SIZE);
  if (!arena)
    return fprintf(stderr, OOM ": arena of %lu bytes\n", (unsigned long)$N_ARENA_SIZE), 1;
  $N_reset(arena);
  int rc = $N_invoke(arena, (const void *const *)in, out);
  if (rc) return fprintf(stderr, "$N_invoke failed: %d\n", rc), 3;
  for (int i = 0; i < $N_NUM_OUTPUTS; i++)
    if (write_file(outdir, "output", i, out[i], $N_outputs[i].bytes)) return 1;
#ifdef $N_PROFILE
  if (iters > 0) $N_profile_reset();  /* profile the timed invocations, not the cold first one */
#endif
  if (iters > 0) {
    double *ms = alloc64(sizeof *ms * (size_t)iters);
    if (!ms) return fprintf(stderr, OOM "\n"), 1;
    for (int k = 0; k < iters; k++) {
      double t0 = now_ms();
      $N_invoke(arena, (const void *const *)in, out);
      ms[k] = now_ms() - t0;
    }
    qsort(ms, (size_t)iters, sizeof *ms, cmp_double);
    printf("median_ms %.4f%s\n", ms[iters / 2], CLOCK_NOTE);
#if defined(_OPENMP) && $N_THREADS > 1
    /* The threads' speed-up within one process: invocations alternate between 1 thread and the
       default count, so both see the same machine state (a shared host's speed drifts from one
       run to the next); the median of the pairs' ratios. */
    double *pair = alloc64(sizeof *pair * (size_t)iters);
    if (!pair) return fprintf(stderr, OOM "\n"), 1;
    for (int k = 0; k < iters; k++) {
      $N_set_threads(1);
      double t0 = now_ms();
      $N_invoke(arena, (const void *const *)in, out);
      double t1 = now_ms();
      $N_set_threads($N_THREADS);
      $N_invoke(arena, (const void *const *)in, out);
      double t2 = now_ms();
      pair[k] = t2 > t1 ? (t1 - t0) / (t2 - t1) : 0.0;
    }
    qsort(pair, (size_t)iters, sizeof *pair, cmp_double);
    printf("threads_speedup %.3f (%d threads against 1, alternating, median of %d pairs)\n",
           pair[iters / 2], $N_THREADS, iters);
    release(pair);
#endif
    release(ms);
  }
#ifdef $N_PROFILE
  print_profile();
#endif
  return 0;
}
