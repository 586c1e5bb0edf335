/* bench/run's paired timing of two builds of one model (modelc compile --name A and --name B,
   linked into this one program): invocations alternate A, B (then B, A, so neither always runs
   second, after the other's use of the caches), so both see the same machine state, whose speed
   drifts from one run to the next on a shared host. Prints the median of the per-pair ratios B/A
   and checks that both builds wrote the same outputs.
     pair ITERS */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "A.h"
#include "B.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void *alloc64(size_t n) {
  void *p = NULL;
  if (posix_memalign(&p, 64, n ? n : 1)) return NULL;
  memset(p, 0, n ? n : 1);
  return p;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 0;
  if (iters < 1) return fprintf(stderr, "usage: pair ITERS\n"), 2;
  void *in[A_NUM_INPUTS + 1], *oa[A_NUM_OUTPUTS + 1], *ob[A_NUM_OUTPUTS + 1];
  unsigned long long s = 1;
  for (int i = 0; i < A_NUM_INPUTS; i++) {
    if (!(in[i] = alloc64(A_inputs[i].bytes))) return 1;
    for (size_t k = 0; k < A_inputs[i].bytes; k++) {  /* seeded bytes; any input will do */
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      ((unsigned char *)in[i])[k] = (unsigned char)(s >> 56);
    }
  }
  for (int i = 0; i < A_NUM_OUTPUTS; i++)
    if (!(oa[i] = alloc64(A_outputs[i].bytes)) || !(ob[i] = alloc64(B_outputs[i].bytes))) return 1;
  void *aa = alloc64(A_ARENA_SIZE), *ab = alloc64(B_ARENA_SIZE);
  double *r = malloc(sizeof *r * (size_t)iters);
  if (!aa || !ab || !r) return 1;
  A_reset(aa);
  B_reset(ab);
  const void *const *x = (const void *const *)in;
  for (int k = 0; k < 5; k++) A_invoke(aa, x, oa), B_invoke(ab, x, ob);  /* warm */
  for (int k = 0; k < iters; k++) {
    double t0 = now_ms(), ta, tb;
    if (k & 1) {
      B_invoke(ab, x, ob);
      double t1 = now_ms();
      A_invoke(aa, x, oa);
      tb = t1 - t0, ta = now_ms() - t1;
    } else {
      A_invoke(aa, x, oa);
      double t1 = now_ms();
      B_invoke(ab, x, ob);
      ta = t1 - t0, tb = now_ms() - t1;
    }
    r[k] = ta > 0 ? tb / ta : 1.0;
  }
  for (int i = 0; i < A_NUM_OUTPUTS; i++)
    if (A_outputs[i].bytes != B_outputs[i].bytes || memcmp(oa[i], ob[i], A_outputs[i].bytes))
      return printf("outputs differ\n"), 1;
  qsort(r, (size_t)iters, sizeof *r, cmp_double);
  printf("pair_ratio %.4f (B/A, median of %d pairs)\n", r[iters / 2], iters);
  return 0;
}
