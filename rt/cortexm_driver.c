/* The driver `modelc run --target cortex-m` builds around a generated model $N for a bare-metal
   Cortex-M under qemu-system-arm (with rt/cortexm_start.c and newlib's semihosting librdimon):
   the host driver's protocol (rt/driver.c), so the same inputs give the same files. Reads raw
   inputs through semihosting file I/O (or makes the same seeded random ones), invokes the model,
   writes raw outputs. The buffers come from the board's PSRAM (__pool_start, __pool_end in the
   linker script), never from malloc, and the arena too (the model is built with
   $N_NO_STATIC_ARENA). ITERS > 0 times invocations, and a --profile model's layers, with
   semihosting SYS_ELAPSED: the host's clock through the emulator, not the speed of a real core.
   usage: driver OUTDIR SEED ITERS [INPUT.bin ...] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "$N.h"

extern unsigned char __pool_start[], __pool_end[];
static unsigned char *pool_next = __pool_start;

/* 64-byte aligned bytes from the pool; NULL when it is exhausted. */
static void *pool_alloc(size_t n) {
  uintptr_t p = ((uintptr_t)pool_next + 63) & ~(uintptr_t)63;
  if (p > (uintptr_t)__pool_end || n > (uintptr_t)__pool_end - p) return NULL;
  pool_next = (unsigned char *)(p + (n ? n : 1));
  return (void *)p;
}

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

uint64_t cm_host_ns(void);  /* rt/cortexm_start.c */
static double now_ms(void) { return (double)cm_host_ns() * 1e-6; }

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 4) return fprintf(stderr, "usage: driver OUTDIR SEED ITERS [INPUT.bin...]\n"), 2;
  const char *outdir = argv[1];
  rng_state = strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
  int iters = atoi(argv[3]);
  void *in[$N_NUM_INPUTS + 1], *out[$N_NUM_OUTPUTS + 1];
  for (int i = 0; i < $N_NUM_INPUTS; i++) {
    const $N_tensor_info *t = &$N_inputs[i];
    if (!(in[i] = pool_alloc(t->bytes))) return fprintf(stderr, "out of board memory\n"), 1;
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
    if (!(out[i] = pool_alloc($N_outputs[i].bytes)))
      return fprintf(stderr, "out of board memory\n"), 1;
  void *arena = pool_alloc($N_ARENA_SIZE);
  if (!arena) return fprintf(stderr, "out of board memory: arena of %lu bytes\n",
                             (unsigned long)$N_ARENA_SIZE), 1;
  $N_reset(arena);
  int rc = $N_invoke(arena, (const void *const *)in, out);
  if (rc) return fprintf(stderr, "$N_invoke failed: %d\n", rc), 3;
#ifdef $N_PROFILE
  if (iters > 0) $N_profile_reset();  /* profile the timed invocations, not the cold first one */
#endif
  for (int i = 0; i < $N_NUM_OUTPUTS; i++)
    if (write_file(outdir, "output", i, out[i], $N_outputs[i].bytes)) return 1;
  if (iters > 0) {
    static double ms[1000];
    if (iters > 1000) iters = 1000;
    for (int k = 0; k < iters; k++) {
      double t0 = now_ms();
      $N_invoke(arena, (const void *const *)in, out);
      ms[k] = now_ms() - t0;
    }
    qsort(ms, (size_t)iters, sizeof *ms, cmp_double);
    printf("median_ms %.4f (host time under the emulator, not a Cortex-M's)\n", ms[iters / 2]);
  }
#ifdef $N_PROFILE
  /* Per layer, in execution order: emulated time (the host's clock), not a core's cycles. */
  static $N_profile_entry e[$N_NUM_LAYERS > 0 ? $N_NUM_LAYERS : 1];
  int n = $N_profile_report(e, $N_NUM_LAYERS);
  uint64_t all = 0;
  for (int i = 0; i < n; i++) all += e[i].total;
  printf("profile: %d layers, times in ms under qemu-system-arm (the host's clock, not a "
         "Cortex-M's)\n%7s  %-24s %8s %12s %8s  %s\n", n, "[layer]", "[node type]", "[count]",
         "[avg ms]", "[%]", "[name]");
  for (int i = 0; i < n; i++)
    printf("%7d  %-24s %8llu %12.4f %7.3f%%  %s\n", e[i].layer, e[i].op,
           (unsigned long long)e[i].calls,
           e[i].calls ? (double)e[i].total * 1e-6 / (double)e[i].calls : 0.0,
           all ? 100.0 * (double)e[i].total / (double)all : 0.0, e[i].function);
#endif
  return 0;
}
