/* Helpers shared by the Criterion tests: where ../shared is, which models it holds, file I/O. */
#ifndef MODELC_TEST_UTIL_H
#define MODELC_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* The shared data folder ($MODELC_SHARED, else the build's MODELC_SHARED_DIR), or NULL when it
   is missing. When it is missing and $CI is set, the calling test fails (cr_assert), so CI can
   never pass by skipping; locally the caller skips. */
const char *shared_dir(void);
/* All *.tflite below models/ and testdata/seanet/ of the shared folder, sorted; count in *n.
   The array and strings are malloc'd and live for the process. */
char **shared_models(size_t *n);
/* Reads a whole file (malloc'd); NULL on failure. */
uint8_t *read_file(const char *path, size_t *n);
/* The same with a NUL appended (not counted in *n), for text. */
char *read_text(const char *path, size_t *n);
/* Path of the modelc binary under test. */
const char *modelc_bin(void);
/* Whether this CPU runs --target x86-64-avx2 (AVX2 and FMA). */
int cpu_has_avx2(void);
/* Whether it runs --target x86-64-avx512 (that, and AVX-512 F, BW, VL and VNNI). */
int cpu_has_avx512(void);

/* A finished shell command: exit status (-1 if it did not exit) and its captured output. */
typedef struct Run {
  int status;
  char *out, *err; /* malloc'd, NUL-terminated */
  size_t nout, nerr;
} Run;
/* Runs a shell command line, capturing stdout and stderr separately (cr_assert on failure). */
Run sh_run(const char *cmdline);
/* Runs the modelc under test with args (a shell-quoted string). */
Run modelc_run(const char *args);
void run_free(Run *r);

#endif
