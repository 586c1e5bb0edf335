/* The driver `modelc run` builds around a generated model $N: reads raw inputs (or makes seeded
   random ones), invokes the model, writes raw outputs, and with ITERS > 0 times invocations.
   usage: driver OUTDIR SEED ITERS [INPUT.bin ...] */
#define _POSIX_C_SOURCE 200112L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "$N.h"

static uint64_t rng_state;
static uint32_t rng_next(void) {  /* xorshift64*: reproducible across hosts */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static void *alloc16(size_t n) {
  void *p = NULL;
  return posix_memalign(&p, 64, n ? n : 1) ? NULL : p;
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

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

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
    if (!(in[i] = alloc16(t->bytes))) return fprintf(stderr, "out of memory\n"), 1;
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
    if (!(out[i] = alloc16($N_outputs[i].bytes))) return fprintf(stderr, "out of memory\n"), 1;
  void *arena = alloc16($N_ARENA_SIZE);
  if (!arena) return fprintf(stderr, "out of memory\n"), 1;
  $N_reset(arena);
  int rc = $N_invoke(arena, (const void *const *)in, out);
  if (rc) return fprintf(stderr, "$N_invoke failed: %d\n", rc), 3;
  for (int i = 0; i < $N_NUM_OUTPUTS; i++)
    if (write_file(outdir, "output", i, out[i], $N_outputs[i].bytes)) return 1;
  if (iters > 0) {
    double *ms = malloc(sizeof *ms * (size_t)iters);
    if (!ms) return 1;
    for (int k = 0; k < iters; k++) {
      double t0 = now_ms();
      $N_invoke(arena, (const void *const *)in, out);
      ms[k] = now_ms() - t0;
    }
    qsort(ms, (size_t)iters, sizeof *ms, cmp_double);
    printf("median_ms %.4f\n", ms[iters / 2]);
    free(ms);
  }
  return 0;
}
