/* The aarch64-neon target, cross-compiled with aarch64-linux-gnu-gcc and run under qemu-aarch64
   (modelc run picks both for this target on a host that is not aarch64). Every output of
   `modelc run --target aarch64-neon` must be byte-identical to `--target generic` on the host
   with the same seed: the int8/uint8 NEON kernels are exact, and float layers stay on the
   generic kernels, which aarch64 builds with -ffp-contract=off so that gcc fuses no a * b + c
   into FMA (the generic float arithmetic rounds the multiply and the add separately). The
   baseline (armv8-a: SMULL + SADALP) and the dot-product kernels (--cpu cortex-a76: SDOT/UDOT,
   run on qemu's cortex-a76 model) are both checked, on every shared model and on
   single-operator models built here for the kernels' edges (channel counts that are not
   multiples of 4, 8 or 16, strides, SAME borders, 1x1 rows read in place, dilation, uint8
   weight zero points, both roundings). Without the cross compiler or qemu the tests report
   the target by name as not run; under $CI that is a failure, since tests/run.sh installs
   them. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/kcase.h"
#include "tests/util.h"
#include "tests/xtarget.h"

static void need_cross(void) {
  static const char *const progs[] = {"aarch64-linux-gnu-gcc", "qemu-aarch64", NULL};
  need_tools("aarch64-neon", progs);
}

/* generic on the host, then each aarch64 variant under qemu, same seed; double rounding only
   for the baseline kernels (their requantization is the generic scalar function, lane by lane,
   whatever the multiply instructions). */
static void compare(const char *model, int seed) {
  static const char *const variants[][2] = {
      {"single", "--target aarch64-neon --rounding single"},
      {"single", "--target aarch64-neon --rounding single --cpu cortex-a76"},
      {"double", "--target aarch64-neon --rounding double"},
      {NULL, NULL},
  };
  xt_compare(model, seed, variants);
}

/* ---- every shared model ----
   The largest, deeplabv3 at 513x513, takes about 15 s a run under qemu; all stay in. */

static void shared_model(const char *rel) {
  need_cross();
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", shared, rel);
  compare(path, 1);
}

#define SHARED_MODEL(test, path) \
  Test(aarch64_models, test, .timeout = 900) { shared_model(path); }
#include "tests/shared_models.def"
#undef SHARED_MODEL

Test(aarch64_models, every_shared_model_listed) { shared_models_listed(); }

/* ---- built single-operator models ---- */

static const KCase cases[] = {KCASES_INT_EDGES};

ParameterizedTestParameters(aarch64_ops, cases) {
  return cr_make_param_array(KCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(const KCase *c, aarch64_ops, cases, .timeout = 300) {
  need_cross();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-aarch64-%s-%d.tflite", c->name, (int)getpid());
  kcase_build(c, path);
  compare(path, 3);
  unlink(path);
}

/* The generated file builds warning-free with plain C99 for aarch64 (no -march: SDOT kernels
   carry a target attribute) and on this host (the portable branch), and uses the kernels. */
Test(aarch64_ops, builds_without_flags) {
  need_cross();
  char path[512], dir[] = "/tmp/modelc-aarch64-XXXXXX";
  cr_assert(mkdtemp(dir));
  static const KCase cs[] = {
    {"conv", CONV, TFL_INT8, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, NONE, 0},
    {"dw", DW, TFL_UINT8, 1, 6, 6, 5, 5, 3, 3, 1, 1, SAME, RELU6, 0},
    {"fc", FC, TFL_INT8, 2, 1, 1, 13, 9, 1, 1, 1, 1, 0, NONE, 0},
  };
  static const char *const kernel[] = {"conv_neon_s8_f(", "depthwise_conv_neon_u8_f(",
                                       "conv_neon_s8("};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s.tflite", dir, cs[i].name);
    kcase_build(&cs[i], path);
    for (int dot = 0; dot < 2; dot++) {
      char cmd[2048];
      snprintf(cmd, sizeof cmd,
               "'%s' compile '%s' -o '%s' --target aarch64-neon %s --name m >/dev/null && "
               "grep -qF '%s' '%s/m.c' && "
               "aarch64-linux-gnu-gcc -std=c99 -O2 -Wall -Wextra -Werror -c '%s/m.c' -o '%s/a.o' && "
               "cc -std=c99 -O2 -Wall -Wextra -Werror -c '%s/m.c' -o '%s/h.o' && "
               "aarch64-linux-gnu-objdump -d '%s/a.o' | grep -q '%s'",
               modelc_bin(), path, dir, dot ? "--cpu armv8.2-a+dotprod" : "", kernel[i], dir, dir,
               dir, dir, dir, dir, i == 1 ? "smlal" : dot ? "sdot" : "sadalp");
      int st = system(cmd);
      cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s (dot %d): %s", cs[i].name, dot, cmd);
    }
  }
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

/* What modelc run refuses, with one clear line each. */
static void refused(const char *args, const char *expect) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "'%s' run '%s/../samples/pretrainedResnet_quant.tflite' %s "
           "--output-dir /tmp 2>&1", modelc_bin(), MODELC_TESTS_DIR, args);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  char out[8192] = "";
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = 0;
  int st = pclose(p);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "%s: status %d", args, st);
  cr_expect(strstr(out, expect), "%s: no '%s' in: %s", args, expect, out);
}

Test(aarch64_cli, refusals) {
  refused("--target aarch64-neon --cpu cortex-z9", "unknown --cpu 'cortex-z9'");
  refused("--target aarch64-neon --cc /nonexistent/gcc", "cannot run the C compiler");
#if defined(__x86_64__)
  refused("--target aarch64-neon --cc cc", "needs a compiler for aarch64");
#endif
  if (have_prog("aarch64-linux-gnu-gcc"))
    refused("--target aarch64-neon --cc aarch64-linux-gnu-gcc --runner /nonexistent/qemu",
            "runs under /nonexistent/qemu, which is not installed");
}
