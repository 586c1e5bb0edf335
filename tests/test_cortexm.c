/* The cortex-m target, built with arm-none-eabi-gcc (newlib's semihosting librdimon) and run
   bare-metal under qemu-system-arm: mps2-an386, a Cortex-M4 (modelc run picks both), and
   mps3-an547, a Cortex-M55 with Helium. Every output of `modelc run --target cortex-m` must be
   byte-identical to `--target generic` on the host with the same seed: the int8/uint8 kernels
   (DSP SXTB16 + SMLAD; Helium VMLADAVA and VMUL on the M55) are exact, and float layers stay on
   the generic kernels, which the board build compiles with -ffp-contract=off so that gcc fuses
   no a * b + c into VFMA (the generic float arithmetic rounds the multiply and the add
   separately); the FPU rounds IEEE single like the host's SSE. Checked on every shared model
   that fits the board (4 MB of code memory for code and weights, 16 MB of PSRAM for the arena;
   the others are named with their sizes, and their run must fail with the linker's overflow,
   not crash), every 8-bit one but the slowest also on the M55, and on single-operator models
   built here for the kernels' edges (odd channel counts, strides, SAME borders, 1x1 layers,
   dilation, uint8 weight zero points, both roundings, the Cortex-M7 and M55 boards too).
   Without the tools the tests report the target by name as not run; under $CI that is a
   failure, since tests/run.sh installs them. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codegen/ops/cortexm.h"
#include "tests/kcase.h"
#include "tests/opmodel.h"
#include "tests/util.h"
#include "tests/xtarget.h"

static void need_board(void) {
  static const char *const progs[] = {"arm-none-eabi-gcc", "qemu-system-arm", NULL};
  need_tools("cortex-m", progs);
}

/* What `modelc compile --target cortex-m` measured: flash, arena, stack, weights (-1: absent);
   whether the code has a cortex-m kernel (conv_cm_q, depthwise_conv_cm_q, fully_connected_cm_q:
   the M55 builds those on Helium) and whether it calls Helium's inner loops (cm_mve.c). */
typedef struct Sizes {
  long long flash, code, consts, ram, arena, stack, weights;
  bool cm, mve;
} Sizes;

static Sizes sizes(const char *model, const char *cpu) {
  char dir[] = "/tmp/modelc-cortexm-XXXXXX", cmd[4096], out[8192], key[64];
  cr_assert(mkdtemp(dir));
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target cortex-m --cpu %s --name m 2>&1",
           modelc_bin(), model, dir, cpu);
  cr_assert_eq(capture(cmd, out, sizeof out), 0, "%s: compile failed: %s", model, out);
  Sizes s = {-1, -1, -1, -1, -1, -1, -1, false, false};
  snprintf(key, sizeof key, "%s: flash ", cpu);
  const char *p = strstr(out, key);
  cr_assert(p, "%s: no sizes in: %s", model, out);
  long long data, stat;
  cr_assert_eq(sscanf(p + strlen(key), "%lld bytes (code %lld + constants %lld + data %lld; "
                      "weights themselves %lld), RAM %lld bytes (arena %lld + static %lld + "
                      "stack %lld", &s.flash, &s.code, &s.consts, &data, &s.weights, &s.ram,
                      &s.arena, &stat, &s.stack), 9, "%s: cannot read: %s", model, p);
  snprintf(cmd, sizeof cmd, "%s/m.c", dir);
  size_t n;
  char *c = read_text(cmd, &n);
  cr_assert(c, "%s: cannot read %s", model, cmd);
  s.cm = strstr(c, "conv_cm_") || strstr(c, "fully_connected_cm_");
  s.mve = strstr(c, "cm_mve_tile_") || strstr(c, "depthwise_conv_cm_mve_block_");
  free(c);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
  return s;
}

/* ---- every shared model ---- */

/* The board: 4 MB of code SSRAM, of which the harness and newlib take under 64 KB; 16 MB of
   PSRAM for the arena and the I/O buffers (well under 1 MB for every shared model). The M55's
   mps3-an547 has 8 MB of flash (QSPI) and the same 16 MB for the arena, so what fits the M4
   fits it. */
enum { FLASH_FOR_MODEL = (4 << 20) - (64 << 10), ARENA_MAX = (15 << 20) };

/* 8-bit models not run on the M55: the 224x224 MobileNets and the 513x513 deeplab take 20 to
   40 s each there (a modelc run's host wall time under QEMU, measured; about 100 s together,
   which would take this test past 4 minutes) and use no Helium kernel or dtype the smaller ones
   (kws_ref_model, vww_96_int8, pretrainedResnet_quant: int8; mobilenet_v1_0.25_128_quant:
   uint8) and the single-operator cases below do not already cover. They passed byte for byte
   when this was written (modelc run --cpu cortex-m55 against --target generic). */
static const char *const m55_slow[] = {"coral/mobilenet_v2_1.0_224_quant.tflite",
                                       "coral/tf2_mobilenet_v2_1.0_224_ptq.tflite",
                                       "coral/deeplabv3_mnv2_dm05_pascal_quant.tflite"};

static bool m55_runs(const char *rel, const Sizes *m4) {
  for (size_t i = 0; i < sizeof m55_slow / sizeof m55_slow[0]; i++)
    if (strcmp(rel, m55_slow[i]) == 0) return false;
  return m4->cm;
}

static void shared_model(const char *rel) {
  need_board();
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", shared, rel);
  Sizes s = sizes(path, "cortex-m4");
  cr_log_info("%s: flash %lld (code %lld + constants %lld), RAM %lld (arena %lld + stack %lld), "
              "weights %lld", rel, s.flash, s.code, s.consts, s.ram, s.arena, s.stack, s.weights);
  if (s.flash > FLASH_FOR_MODEL || s.arena > ARENA_MAX) {
    /* Does not fit: say so by name, and the board build must refuse it cleanly. */
    fprintf(stderr, "cortex-m: %s does not fit mps2-an386: flash %lld bytes (code %lld + "
            "constants %lld) against %d, arena %lld against %d\n", rel, s.flash, s.code, s.consts,
            FLASH_FOR_MODEL, s.arena, ARENA_MAX);
    char cmd[4600], out[16384];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --target cortex-m --output-dir /tmp 2>&1",
             modelc_bin(), path);
    cr_expect_eq(capture(cmd, out, sizeof out), 2, "%s: a model too large ran: %s", rel, out);
    cr_expect(strstr(out, "overflowed") || strstr(out, "out of board memory"),
              "%s: no clear reason in: %s", rel, out);
    return;
  }
  /* The float LSTM's sigmoid calls expf: newlib's for the Cortex-M4's single-precision FPU
     (thumb/v7e-m+fp) is the older fdlibm __ieee754_expf, which differs from glibc's in the last
     bit for about 1 input in 10 (measured over [-20, 20]), so the M4 build computes other floats
     than the host's generic build from the same code. The M7's double-precision multilib
     (v7e-m+dp) has ARM's optimized-routines expf, glibc's own, and the model is bit-exact there. */
  const bool lstm = strcmp(rel, "tflm/trained_lstm.tflite") == 0;
  const char *const v[][2] = {
      {"single", lstm ? "--target cortex-m --cpu cortex-m7" : "--target cortex-m"},
      {m55_runs(rel, &s) ? "single" : NULL, "--target cortex-m --cpu cortex-m55"},
      {NULL, NULL}};
  xt_compare(path, 1, v);
}

#define SHARED_MODEL(test, path) \
  Test(cortexm_models, test, .timeout = 1500) { shared_model(path); }
#include "tests/shared_models.def"
#undef SHARED_MODEL

Test(cortexm_models, every_shared_model_listed) { shared_models_listed(); }

/* ---- built single-operator models ----
   The edge cases every SIMD target is checked on (tests/kcase.h), plus odd channel counts around this target's blocks of 2 pixels x 2 channels (GEMM) and 4 channels
   (depthwise). */

static const KCase cases[] = {
  KCASES_INT_EDGES,
  {"conv_s8_1x1_c4_odd_px", CONV, TFL_INT8, 1, 3, 5, 4, 7, 1, 1, 1, 1, SAME, NONE, 0},
  {"conv_u8_1x1_c12", CONV, TFL_UINT8, 1, 5, 3, 12, 5, 1, 1, 1, 1, SAME, RELU, 0},
  {"dw_s8_c5_odd", DW, TFL_INT8, 1, 7, 5, 5, 5, 3, 3, 1, 1, SAME, NONE, 0},
  {"dw_u8_c6_s2", DW, TFL_UINT8, 1, 9, 7, 6, 6, 3, 3, 2, 1, VALID, RELU, 0},
  {"fc_s8_c1", FC, TFL_INT8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, NONE, 0},
  {"fc_u8_odd_b3", FC, TFL_UINT8, 3, 1, 1, 7, 5, 1, 1, 1, 1, 0, NONE, 0},
  /* around Helium's 16-value rows and 8-channel depthwise blocks (the M55 variant) */
  {"conv_u8_1x1_c16", CONV, TFL_UINT8, 1, 4, 3, 16, 6, 1, 1, 1, 1, SAME, NONE, 0},
  {"dw_s8_c12", DW, TFL_INT8, 1, 6, 5, 12, 12, 3, 3, 1, 1, SAME, NONE, 0},
  {"dw_u8_c17_s2", DW, TFL_UINT8, 1, 7, 7, 17, 17, 3, 3, 2, 1, SAME, RELU, 0},
  {"fc_u8_k17_b3", FC, TFL_UINT8, 3, 1, 1, 17, 9, 1, 1, 1, 1, 0, NONE, 0},
};

ParameterizedTestParameters(cortexm_ops, cases) {
  return cr_make_param_array(KCase, cases, sizeof cases / sizeof cases[0]);
}

/* Both roundings on the Cortex-M4 board, the Cortex-M7's (mps2-an500, double-precision FPU,
   PSRAM elsewhere in its memory map) and the Cortex-M55's (mps3-an547: the Helium kernels, and
   another memory map). */
ParameterizedTest(const KCase *c, cortexm_ops, cases, .timeout = 300) {
  need_board();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-cortexm-%s-%d.tflite", c->name, (int)getpid());
  kcase_build(c, path);
  static const char *const v[][2] = {{"single", "--target cortex-m --rounding single"},
                                     {"double", "--target cortex-m --rounding double"},
                                     {"single", "--target cortex-m --cpu cortex-m7"},
                                     {"single", "--target cortex-m --cpu cortex-m55"},
                                     {NULL, NULL}};
  xt_compare(path, 3, v);
  unlink(path);
}

/* The generated file builds warning-free with plain C99 for each --cpu (the DSP kernels under
   __ARM_FEATURE_DSP, the Helium ones under __ARM_FEATURE_MVE) and on this host (the portable
   branches), and the board build uses SMLAD / SMLABB, or on the M55 VMLADAVA / VMUL.I32, with
   no call to a libgcc helper (checked in the assembly: objdump 2.40 does not decode MVE). */
Test(cortexm_ops, builds_without_flags) {
  need_board();
  char path[512], dir[] = "/tmp/modelc-cortexm-XXXXXX";
  cr_assert(mkdtemp(dir));
  static const KCase cs[] = {
    {"conv", CONV, TFL_INT8, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, NONE, 0},
    {"dw", DW, TFL_UINT8, 1, 6, 6, 5, 5, 3, 3, 1, 1, SAME, RELU6, 0},
    {"fc", FC, TFL_INT8, 2, 1, 1, 13, 9, 1, 1, 1, 1, 0, NONE, 0},
  };
  static const char *const kernel[] = {"conv_cm_s8_f(", "depthwise_conv_cm_u8_f(",
                                       "fully_connected_cm_s8("};
  static const char *const dsp[] = {"smlad", "smlabb", "smlad"};
  static const char *const mve[] = {"vmladava.s8", "vmul.i32", "vmladava.s8"};
  static const char *const cpu[] = {"cortex-m4", "cortex-m7", "cortex-m55"};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s.tflite", dir, cs[i].name);
    kcase_build(&cs[i], path);
    for (int k = 0; k < 3; k++) {
      const CmCpu *c = cm_cpu(cpu[k]);  /* the flags modelc itself builds with */
      cr_assert(c, "%s is not in the CmCpu table", cpu[k]);
      char cmd[2048];
      snprintf(cmd, sizeof cmd,
               "'%s' compile '%s' -o '%s' --target cortex-m --cpu %s --name m >/dev/null && "
               "grep -qF '%s' '%s/m.c' && "
               "arm-none-eabi-gcc -mthumb %s -std=c99 -O2 -Wall -Wextra -Werror -S '%s/m.c' "
               "-o '%s/a.s' && "
               "cc -std=c99 -O2 -Wall -Wextra -Werror -c '%s/m.c' -o '%s/h.o' && "
               "grep -qE '[[:space:]]%s[[:space:]]' '%s/a.s' && "
               "! grep -qE 'bl[[:space:]]+__' '%s/a.s'",
               modelc_bin(), path, dir, cpu[k], kernel[i], dir, c->flags, dir, dir, dir, dir,
               c->mve ? mve[i] : dsp[i], dir, dir);
      int st = system(cmd);
      cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s (%s): %s", cs[i].name, cpu[k], cmd);
    }
  }
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

/* The size report, on the M4 and on the M55 (whose build uses the Helium kernels): flash is
   code + constants, the constants hold at least the weights, RAM is at least the arena, and
   the stack is measured (not 0). */
Test(cortexm_cli, sizes) {
  need_board();
  char path[512];
  snprintf(path, sizeof path, "%s/../samples/pretrainedResnet_quant.tflite", MODELC_TESTS_DIR);
  static const char *const cpus[] = {"cortex-m4", "cortex-m55"};
  for (int i = 0; i < 2; i++) {
    Sizes s = sizes(path, cpus[i]);
    cr_expect_eq(s.flash, s.code + s.consts, "%s", cpus[i]);
    cr_expect_geq(s.consts, s.weights, "%s", cpus[i]);
    cr_expect_geq(s.ram, s.arena + s.stack, "%s", cpus[i]);
    cr_expect_gt(s.stack, 0, "%s", cpus[i]);
    cr_expect_gt(s.code, 0, "%s", cpus[i]);
    cr_expect(s.cm, "%s", cpus[i]);
    cr_expect_eq(s.mve, i == 1, "%s", cpus[i]);
  }
}

/* What modelc refuses or reports, with one clear line each. */
static void refused(const char *cmd_args, int status, const char *expect) {
  char cmd[2048], out[8192];
  snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", modelc_bin(), cmd_args);
  int st = capture(cmd, out, sizeof out);
  cr_expect_eq(st, status, "%s: status %d: %s", cmd_args, st, out);
  cr_expect(strstr(out, expect), "%s: no '%s' in: %s", cmd_args, expect, out);
}

Test(cortexm_cli, refusals) {
  char m[512], a[1024];
  snprintf(m, sizeof m, "'%s/../samples/pretrainedResnet_quant.tflite'", MODELC_TESTS_DIR);
  snprintf(a, sizeof a, "run %s --target cortex-m --cpu cortex-a76 --output-dir /tmp", m);
  refused(a, 2, "--cpu cortex-a76 is not for --target cortex-m");
  snprintf(a, sizeof a, "run %s --target aarch64-neon --cpu cortex-m4 --output-dir /tmp", m);
  refused(a, 2, "--cpu cortex-m4 is not for --target aarch64-neon");
  snprintf(a, sizeof a, "run %s --target cortex-m --cc /nonexistent/gcc --output-dir /tmp", m);
  refused(a, 2, "builds with /nonexistent/gcc, which is not installed");
  if (!have_prog("arm-none-eabi-gcc")) return;
  snprintf(a, sizeof a, "run %s --target cortex-m --runner /nonexistent/qemu --output-dir /tmp", m);
  refused(a, 2, "runs under /nonexistent/qemu, which is not installed");
  snprintf(a, sizeof a, "run %s --target cortex-m --output-dir '/tmp/a b'", m);
  refused(a, 2, "has a space");
}

/* A guest that hangs is killed by the timeout, and one that faults is reported as such: a
   runner that stops at once (qemu -S freezes the CPU; `timeout 2` kills it). */
Test(cortexm_cli, hung_guest_killed, .timeout = 120) {
  need_board();
  char m[512], a[1024];
  snprintf(m, sizeof m, "'%s/../samples/pretrainedResnet_quant.tflite'", MODELC_TESTS_DIR);
  snprintf(a, sizeof a, "run %s --target cortex-m --output-dir /tmp/modelc-cortexm-hung "
           "--runner 'timeout 2 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic "
           "-monitor none -serial none -S'", m);
  refused(a, 2, "did not finish");
}

/* A model too large for the board: a fully connected layer with 2100 x 2100 int8 weights (4.2 MB,
   over the 4 MB of code memory). The size report says so, and the board build fails with the
   linker's overflow, clearly, instead of running. */
Test(cortexm_cli, too_large_refused, .timeout = 300) {
  need_board();
  enum { N = 2100 };
  int8_t *w = malloc((size_t)N * N);
  cr_assert(w);
  om_fill_i8(w, (size_t)N * N, 5, -127, 127);
  OmSpec s = {.code = TFL_OP_FULLY_CONNECTED, .version = 2, .nout = 1, .nt = 3};
  s.t[0] = (OmTensor){.name = "x", .type = TFL_INT8, .rank = 2, .dims = {1, N}, .nq = 1,
                      .scale = {0.05f}, .zp = {-3}};
  s.t[1] = (OmTensor){.name = "w", .type = TFL_INT8, .rank = 2, .dims = {N, N}, .nq = 1,
                      .scale = {0.02f}, .data = w, .size = (size_t)N * N};
  s.t[2] = (OmTensor){.name = "y", .type = TFL_INT8, .rank = 2, .dims = {1, N}, .nq = 1,
                      .scale = {0.25f}, .zp = {5}};
  s.in[s.nin++] = 0, s.in[s.nin++] = 1;
  s.out[0] = 2;
  om_options(&s, TFL_OPTS_FullyConnectedOptions);
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-cortexm-big-%d.tflite", (int)getpid());
  cr_assert_eq(om_write(&s, path), 0);
  free(w);
  Sizes z = sizes(path, "cortex-m4");
  cr_expect_gt(z.flash, FLASH_FOR_MODEL, "flash %lld", z.flash);
  char a[1024];
  snprintf(a, sizeof a, "run '%s' --target cortex-m --output-dir /tmp/modelc-cortexm-big", path);
  refused(a, 2, "region `FLASH' overflowed");
  unlink(path);
}
