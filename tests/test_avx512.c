/* --target x86-64-avx512 against the generic target. Its integer kernels are exact, so every
   integer output must be byte-identical to --target generic on the same seeded input, at 1 and
   2 threads and under both roundings. Its float kernels are x86-64-avx2's (checked against
   TFLite by test_targets.c), so a model with a float output must match --target x86-64-avx2
   byte for byte instead. For every shared model and for single-operator models at the edges of
   the VNNI convolution: channel counts that make every tile width (groups of 4, 3, 2 and 1
   blocks of 16, blocks left over, a last partial block), one pixel, 1x1 rows read in place with a
   partial last tile, input channels that are not whole quads, uint8 weight zero points, padding
   that reads the input zero point. On a CPU without AVX-512 VNNI the tests report the target by
   name as not run. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/kcase.h"
#include "tests/util.h"
#include "tests/xtarget.h"

static void need_avx512(void) {
  if (cpu_has_avx512()) return;
  cr_skip_test("target x86-64-avx512 not run: this CPU lacks AVX-512 F, BW, VL or VNNI");
}

/* Whether graph 0 of the model has a float32 output. */
static bool float_output(const char *model) {
  int types[XT_MAX_OUTPUTS];
  bool f32 = false;
  for (int k = 0, n = xt_output_types(model, types); k < n; k++) f32 = f32 || types[k] == TFL_FLOAT32;
  return f32;
}

static const char *const variants[][2] = {
  {"single", "--target x86-64-avx512 --rounding single"},
  {"single", "--target x86-64-avx512 --rounding single --threads 2"},
  {"double", "--target x86-64-avx512 --rounding double"},
  {NULL, NULL},
};
static const char *const variants_float[][2] = {
  {"single", "--target x86-64-avx512 --rounding single"},
  {"single", "--target x86-64-avx512 --rounding single --threads 2"},
  {NULL, NULL},
};

/* A float model's outputs against x86-64-avx2's, at 1 and 2 threads (its float kernels are
   x86-64-avx2's); any other model's against generic's, in every variant. */
static void check_model(const char *path, int seed) {
  if (float_output(path))
    xt_compare_to(path, seed, "x86-64-avx2", variants_float);
  else
    xt_compare(path, seed, variants);
}

/* ---- every shared model ---- */

static void shared_model(const char *rel) {
  need_avx512();
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", shared, rel);
  check_model(path, 1);
}

#define SHARED_MODEL(test, path) \
  Test(avx512_models, test, .timeout = 900) { shared_model(path); }
#include "tests/shared_models.def"
#undef SHARED_MODEL

Test(avx512_models, every_shared_model_listed) { shared_models_listed(); }

/* ---- built single-operator models ---- */

/* name, op, dtype, batch, h, w, cin, cout, kh, kw, stride, dilation, padding, act, flags */
static const KCase cases[] = {
  KCASES_INT_EDGES,
  /* tile groups: 4 blocks (6 pixels), 3 (8), 2 (12), 1; 5 and 7 blocks leave single blocks
     after the groups; 100 channels end in a partial block */
  {"conv_s8_c64_g4", CONV, TFL_INT8, 1, 7, 9, 16, 64, 1, 1, 1, 1, SAME, RELU6, 0},
  {"conv_u8_c48_g3", CONV, TFL_UINT8, 1, 9, 5, 24, 48, 3, 3, 1, 1, SAME, RELU, 0},
  {"conv_s8_c32_g2_s2", CONV, TFL_INT8, 2, 9, 11, 8, 32, 3, 3, 2, 1, SAME, NONE, 0},
  {"conv_u8_c16_g1", CONV, TFL_UINT8, 1, 6, 7, 12, 16, 1, 1, 1, 1, SAME, NONE, 0},
  {"conv_s8_c80_g4_1", CONV, TFL_INT8, 1, 5, 5, 20, 80, 1, 1, 1, 1, SAME, RELU, 0},
  {"conv_u8_c112_g4_3", CONV, TFL_UINT8, 1, 4, 5, 32, 112, 3, 3, 1, 1, SAME, RELU6, 0},
  {"conv_s8_c100_partial", CONV, TFL_INT8, 1, 5, 6, 9, 100, 3, 3, 1, 1, VALID, NONE, 0},
  /* one pixel (64 channels at a time), and two */
  {"conv_s8_1px_c70", CONV, TFL_INT8, 1, 1, 1, 96, 70, 1, 1, 1, 1, SAME, NONE, 0},
  {"conv_u8_2px_c33", CONV, TFL_UINT8, 1, 1, 2, 40, 33, 1, 1, 1, 1, SAME, RELU, 0},
  /* 1x1 in place with a partial last tile (7 x 5 = 35 pixels); not in place: 1x1 stride 2, 1x1
     with 6 input channels (no whole quads) */
  {"conv_u8_1x1_inplace_35", CONV, TFL_UINT8, 1, 7, 5, 64, 96, 1, 1, 1, 1, SAME, RELU6, 0},
  {"conv_s8_1x1_inplace_b2", CONV, TFL_INT8, 2, 3, 5, 8, 40, 1, 1, 1, 1, VALID, NONE, 0},
  {"conv_s8_1x1_s2_c40", CONV, TFL_INT8, 2, 9, 9, 16, 40, 1, 1, 2, 1, VALID, NONE, 0},
  {"conv_u8_1x1_c6", CONV, TFL_UINT8, 1, 7, 6, 6, 20, 1, 1, 1, 1, SAME, NONE, NO_BIAS},
  /* SAME borders on a big input, uint8 and int8 first layers (3 channels, stride 2) */
  {"conv_u8_c3_s2_first", CONV, TFL_UINT8, 1, 33, 31, 3, 32, 3, 3, 2, 1, SAME, RELU6, 0},
  {"conv_s8_c3_s2_first", CONV, TFL_INT8, 1, 32, 30, 3, 16, 3, 3, 2, 1, SAME, RELU, 0},
  {"conv_s8_pot", CONV, TFL_INT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, SAME, NONE, POT},
  {"conv_u8_pot_dil2", CONV, TFL_UINT8, 1, 12, 10, 8, 24, 3, 3, 1, 2, SAME, NONE, POT},
};

ParameterizedTestParameters(avx512_ops, cases) {
  return cr_make_param_array(KCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(const KCase *c, avx512_ops, cases, .timeout = 300) {
  need_avx512();
  char dir[] = "/tmp/modelc-avx512-XXXXXX", path[128], cmd[1024];
  cr_assert(mkdtemp(dir), "cannot make a folder");
  snprintf(path, sizeof path, "%s/%s.tflite", dir, c->name);
  kcase_build(c, path);
  check_model(path, 3);
  check_model(path, 4);
  /* The VNNI kernel, not the AVX2 or generic one, made a convolution's outputs. */
  if (c->code == CONV) {
    snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx512 --name m "
             ">/dev/null && grep -qF 'conv_vnni_%s' '%s/m.c' && ! grep -qE 'conv_avx2_(s8|u8)' '%s/m.c'",
             modelc_bin(), path, dir, c->type == TFL_UINT8 ? "u8" : "s8", dir, dir);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: not the VNNI kernel: %s", c->name, cmd);
  }
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* The generated file builds with plain C99, no -m flags (the kernels carry target attributes),
   warning-free with gcc and clang. */
Test(avx512_ops, builds_without_flags) {
  char path[128], dir[] = "/tmp/modelc-avx512-XXXXXX", cmd[2048];
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  KCase c = {"build", CONV, TFL_UINT8, 1, 6, 6, 5, 40, 3, 3, 1, 1, SAME, NONE, 0};
  kcase_build(&c, path);
  for (int k = 0; k < 2; k++) {
    const char *cc = k ? "clang-16" : "cc";
    if (k && !have_prog("clang-16")) {
      cr_expect(!getenv("CI"), "clang-16 is missing (tests/run.sh installs it)");
      continue;
    }
    snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx512 --name m >/dev/null && "
             "%s -std=c99 -O2 -Wall -Wextra -Werror -c '%s/m.c' -o '%s/m.o' && "
             "grep -qF 'conv_vnni_u8' '%s/m.c'", modelc_bin(), path, dir, cc, dir, dir, dir);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the x86-64-avx512 file: %s", cmd);
  }
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* native names the best target this CPU executes. */
Test(avx512_ops, native_picks_avx512) {
  need_avx512();
  char path[128], dir[] = "/tmp/modelc-avx512-XXXXXX", cmd[1024];
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  KCase c = {"native", CONV, TFL_INT8, 1, 6, 6, 8, 16, 1, 1, 1, 1, SAME, NONE, 0};
  kcase_build(&c, path);
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target native --name m >/dev/null && "
           "grep -qF 'x86-64-avx512' '%s/m.c' && grep -qF 'conv_vnni_s8' '%s/m.c'",
           modelc_bin(), path, dir, dir, dir);
  int st = system(cmd);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "native is not x86-64-avx512 here: %s", cmd);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}
