/* The SIMD targets against the generic target and TensorFlow Lite. Integer outputs of
   `modelc run --target x86-64-avx2` must be byte-identical to `--target generic` on the same
   seeded random input: the integer kernels are exact. Float outputs are not: the float32 AVX2
   kernels sum in the generic kernels' order but with FMA (one rounding per multiply-add instead
   of two), so they are checked against real TensorFlow Lite through tests/oracle/diff.js
   --target x86-64-avx2, under its float tolerance, as the generic target is (test_models.c).
   Both for every shared model and for single-operator models built here for the edges of the
   AVX2 kernels (channel counts that are not multiples of 8 or 16, strides, SAME borders, 1x1,
   dilation, depth multipliers, uint8 weight zero points, both roundings; for float32 also
   every activation and no bias). On a CPU without AVX2 and FMA the tests report the target by
   name as not run. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/kcase.h"
#include "tests/opmodel.h"
#include "tests/util.h"
#include "tests/xtarget.h"

static void need_avx2(void) {
  if (cpu_has_avx2()) return;
  cr_skip_test("target x86-64-avx2 not run: this CPU lacks AVX2 or FMA");
}

/* modelc run on model with one target into dir; true on success. */
static bool run_target(const char *model, const char *target, const char *rounding, int seed,
                       const char *dir) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s' run '%s' --target %s --rounding %s --seed %d --output-dir '%s' 2>&1",
           modelc_bin(), model, target, rounding, seed, dir);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run modelc");
  char line[1024];
  while (fgets(line, sizeof line, p)) cr_log_info("%s: %s", target, line);
  int st = pclose(p);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The model through modelc run --target x86-64-avx2 and TensorFlow Lite on seeds 1, 2 and 3
   (tests/oracle/diff.js: integer outputs identical, float within its tolerance). */
static void matches_tflite(const char *model, const char *rounding) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "node '%s/oracle/diff.js' --modelc '%s' --target x86-64-avx2 "
           "--rounding %s --seeds 1,2,3 '%s' 2>&1", MODELC_TESTS_DIR, modelc_bin(), rounding, model);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run node");
  char line[4096];
  while (fgets(line, sizeof line, p)) cr_log_info("tflite: %s", line);
  int st = pclose(p);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: x86-64-avx2 differs from TFLite: %s", model,
            cmd);
}

/* Runs both targets on seed and rounding; asserts every integer output file is byte-identical
   (float outputs are matches_tflite's). */
static void same_outputs(const char *model, const char *rounding, int seed) {
  int types[XT_MAX_OUTPUTS];
  const int ntypes = xt_output_types(model, types);
  char dir[] = "/tmp/modelc-targets-XXXXXX";
  cr_assert(mkdtemp(dir), "cannot make a folder");
  char gdir[64], adir[64];
  snprintf(gdir, sizeof gdir, "%s/generic", dir);
  snprintf(adir, sizeof adir, "%s/avx2", dir);
  cr_assert(run_target(model, "generic", rounding, seed, gdir), "%s: generic failed", model);
  cr_assert(run_target(model, "x86-64-avx2", rounding, seed, adir), "%s: x86-64-avx2 failed", model);
  int outputs = 0;
  for (;; outputs++) {
    char gp[128], ap[128];
    snprintf(gp, sizeof gp, "%s/output_%d.bin", gdir, outputs);
    snprintf(ap, sizeof ap, "%s/output_%d.bin", adir, outputs);
    size_t gn, an;
    uint8_t *g = read_file(gp, &gn);
    if (!g) break;
    uint8_t *a = read_file(ap, &an);
    cr_assert(a, "%s: x86-64-avx2 wrote no output %d", model, outputs);
    if (outputs < ntypes && types[outputs] == TFL_FLOAT32) {
      cr_expect(gn == an, "%s: output %d has %zu bytes, not %zu", model, outputs, an, gn);
      free(g);
      free(a);
      continue;
    }
    size_t first = 0;
    while (first < gn && first < an && g[first] == a[first]) first++;
    cr_expect(gn == an && first == gn,
              "%s (%s rounding, seed %d): output %d differs at byte %zu of %zu", model, rounding,
              seed, outputs, first, gn);
    free(g);
    free(a);
  }
  cr_assert_gt(outputs, 0, "%s: no outputs", model);
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

/* ---- every shared model ---- */

static void shared_model(const char *rel) {
  need_avx2();
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", shared, rel);
  same_outputs(path, "single", 1);
  same_outputs(path, "double", 2);
  int types[XT_MAX_OUTPUTS];
  bool f32 = false;
  for (int k = 0, n = xt_output_types(path, types); k < n; k++) f32 = f32 || types[k] == TFL_FLOAT32;
  if (f32) matches_tflite(path, "single");  /* float kernels have no requantization to round */
}

#define SHARED_MODEL(test, path) \
  Test(avx2_models, test, .timeout = 900) { shared_model(path); }
#include "tests/shared_models.def"
#undef SHARED_MODEL

Test(avx2_models, every_shared_model_listed) { shared_models_listed(); }

/* ---- built single-operator models ---- */

/* name, op, dtype, batch, h, w, cin, cout, kh, kw, stride, dilation, padding, act */
static const KCase cases[] = {
  {"conv_s8_odd_same_s2", CONV, TFL_INT8, 1, 11, 9, 5, 13, 3, 3, 2, 1, SAME, RELU, 0},
  {"conv_s8_1x1_c19", CONV, TFL_INT8, 1, 7, 6, 37, 19, 1, 1, 1, 1, SAME, RELU6, 0},
  {"conv_s8_1x1_s2_c40", CONV, TFL_INT8, 2, 9, 9, 16, 40, 1, 1, 2, 1, VALID, NONE, 0},
  {"conv_s8_5x5_same_c3", CONV, TFL_INT8, 1, 10, 13, 3, 8, 5, 5, 1, 1, SAME, NONE, 0},
  {"conv_s8_even_k_s2", CONV, TFL_INT8, 1, 8, 8, 6, 24, 4, 2, 2, 1, SAME, RELU_N1_TO_1, 0},
  {"conv_s8_dil2", CONV, TFL_INT8, 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, NONE, 0},
  {"conv_s8_pot", CONV, TFL_INT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, SAME, NONE, POT},
  {"conv_s8_tiny", CONV, TFL_INT8, 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, 0},
  {"conv_u8_zp_same_s2", CONV, TFL_UINT8, 1, 10, 9, 7, 17, 3, 3, 2, 1, SAME, RELU6, 0},
  {"conv_u8_1x1_c24", CONV, TFL_UINT8, 1, 5, 5, 40, 24, 1, 1, 1, 1, SAME, RELU, 0},
  {"conv_u8_dil3_valid", CONV, TFL_UINT8, 2, 12, 12, 3, 10, 3, 3, 1, 3, VALID, NONE, 0},
  {"conv_u8_pot", CONV, TFL_UINT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, SAME, NONE, POT},
  /* conv_avx2_direct_q (short filter rows, small weights): batches, stride 2, a 1-channel 10x4
     filter as kws's, VALID; conv_s8_odd_same_s2, conv_s8_5x5_same_c3 and conv_s8_even_k_s2 above
     take it too. */
  {"conv_u8_c3_s2_b2", CONV, TFL_UINT8, 2, 13, 11, 3, 10, 3, 3, 2, 1, SAME, RELU6, 0},
  {"conv_s8_c1_10x4_s2", CONV, TFL_INT8, 1, 15, 9, 1, 12, 10, 4, 2, 1, SAME, NONE, 0},
  {"conv_s8_c2_valid", CONV, TFL_INT8, 1, 9, 14, 2, 20, 3, 3, 1, 1, VALID, NONE, 0},
  {"dw_s8_c7_same_s2", DW, TFL_INT8, 1, 11, 10, 7, 7, 3, 3, 2, 1, SAME, RELU6, 0},
  {"dw_s8_c40_same", DW, TFL_INT8, 2, 8, 9, 40, 40, 3, 3, 1, 1, SAME, RELU, 0},
  {"dw_s8_mult3", DW, TFL_INT8, 1, 9, 8, 5, 15, 3, 3, 1, 1, SAME, NONE, 0},
  {"dw_s8_5x5_dil2", DW, TFL_INT8, 1, 13, 12, 9, 9, 5, 5, 1, 2, SAME, RELU_N1_TO_1, 0},
  {"dw_s8_even_k_valid", DW, TFL_INT8, 1, 9, 9, 16, 16, 4, 2, 2, 1, VALID, NONE, 0},
  {"dw_s8_10x8", DW, TFL_INT8, 1, 20, 16, 8, 8, 10, 8, 2, 1, SAME, RELU, 0},
  {"dw_s8_pot", DW, TFL_INT8, 1, 9, 9, 6, 6, 3, 3, 1, 1, SAME, NONE, POT},
  {"dw_u8_zp_c24_s2", DW, TFL_UINT8, 1, 11, 9, 24, 24, 3, 3, 2, 1, SAME, RELU6, 0},
  {"dw_u8_mult2_nobias", DW, TFL_UINT8, 2, 6, 6, 3, 6, 3, 3, 1, 1, VALID, NONE, NO_BIAS},
  {"dw_u8_pot", DW, TFL_UINT8, 1, 9, 9, 6, 6, 3, 3, 1, 1, SAME, NONE, POT},
  /* output rows of 6 (one tile), 7 (4 + 3) and 10 (4 + 4 + 2) */
  {"dw_s8_w6_c20", DW, TFL_INT8, 1, 7, 6, 20, 20, 3, 3, 1, 1, SAME, RELU, 0},
  {"dw_u8_w7_c33_valid", DW, TFL_UINT8, 1, 8, 9, 33, 33, 3, 3, 1, 1, VALID, NONE, 0},
  {"dw_s8_w10_c16", DW, TFL_INT8, 2, 5, 10, 16, 16, 3, 3, 1, 1, SAME, RELU6, 0},
  /* tiles keep entries in registers when they fit (5x5_dil2 does not; 1x17: nine weight pairs) */
  {"dw_s8_1x17_c24", DW, TFL_INT8, 1, 3, 21, 24, 24, 1, 17, 1, 1, SAME, NONE, 0},
  {"fc_s8_odd", FC, TFL_INT8, 3, 1, 1, 37, 13, 1, 1, 1, 1, 0, RELU, 0},
  {"fc_s8_wide", FC, TFL_INT8, 1, 1, 1, 250, 70, 1, 1, 1, 1, 0, NONE, 0},
  {"fc_u8_zp", FC, TFL_UINT8, 2, 1, 1, 33, 41, 1, 1, 1, 1, 0, RELU6, 0},
  {"fc_u8_nobias", FC, TFL_UINT8, 1, 1, 1, 8, 3, 1, 1, 1, 1, 0, NONE, NO_BIAS},
  /* float32 (against TFLite): 6-, 4-, 2- and 1-pixel tiles, 16-channel pairs of blocks with an
     odd last block, in place (no horizontal padding) and through the padded ring. The oracle's
     TFLite refuses CONV_2D without a bias, so only the other two omit it. */
  {"conv_f32_odd_same_s2", CONV, TFL_FLOAT32, 1, 11, 9, 5, 13, 3, 3, 2, 1, SAME, RELU, 0},
  {"conv_f32_1x1_c19", CONV, TFL_FLOAT32, 1, 7, 6, 37, 19, 1, 1, 1, 1, SAME, RELU6, 0},
  {"conv_f32_1x1_s2_c40", CONV, TFL_FLOAT32, 2, 9, 9, 16, 40, 1, 1, 2, 1, VALID, NONE, 0},
  {"conv_f32_5x5_same_c3", CONV, TFL_FLOAT32, 1, 10, 13, 3, 8, 5, 5, 1, 1, SAME, NONE, 0},
  {"conv_f32_even_k_s2", CONV, TFL_FLOAT32, 1, 8, 8, 6, 24, 4, 2, 2, 1, SAME, RELU_N1_TO_1, 0},
  {"conv_f32_dil2", CONV, TFL_FLOAT32, 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, RELU6, 0},
  {"conv_f32_dil3_valid", CONV, TFL_FLOAT32, 2, 12, 12, 3, 10, 3, 3, 1, 3, VALID, NONE, 0},
  {"conv_f32_w20_c70", CONV, TFL_FLOAT32, 1, 5, 20, 24, 70, 3, 3, 1, 1, SAME, RELU, 0},
  {"conv_f32_tiny", CONV, TFL_FLOAT32, 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, 0},
  {"dw_f32_c7_same_s2", DW, TFL_FLOAT32, 1, 11, 10, 7, 7, 3, 3, 2, 1, SAME, RELU6, 0},
  {"dw_f32_c40_same", DW, TFL_FLOAT32, 2, 8, 9, 40, 40, 3, 3, 1, 1, SAME, RELU, 0},
  {"dw_f32_mult3", DW, TFL_FLOAT32, 1, 9, 8, 5, 15, 3, 3, 1, 1, SAME, NONE, 0},
  {"dw_f32_5x5_dil2", DW, TFL_FLOAT32, 1, 13, 12, 9, 9, 5, 5, 1, 2, SAME, RELU_N1_TO_1, 0},
  {"dw_f32_even_k_valid", DW, TFL_FLOAT32, 1, 9, 9, 16, 16, 4, 2, 2, 1, VALID, NONE, 0},
  {"dw_f32_w19_c24", DW, TFL_FLOAT32, 1, 5, 19, 24, 24, 3, 3, 1, 1, SAME, RELU6, 0},
  {"dw_f32_mult2_nobias", DW, TFL_FLOAT32, 2, 6, 6, 3, 6, 3, 3, 1, 1, VALID, NONE, NO_BIAS},
  {"fc_f32_odd", FC, TFL_FLOAT32, 3, 1, 1, 37, 13, 1, 1, 1, 1, 0, RELU, 0},
  {"fc_f32_wide", FC, TFL_FLOAT32, 1, 1, 1, 250, 70, 1, 1, 1, 1, 0, NONE, 0},
  {"fc_f32_c100_relu6", FC, TFL_FLOAT32, 2, 1, 1, 33, 100, 1, 1, 1, 1, 0, RELU6, 0},
  {"fc_f32_nobias", FC, TFL_FLOAT32, 1, 1, 1, 8, 3, 1, 1, 1, 1, 0, RELU_N1_TO_1, NO_BIAS},
};

ParameterizedTestParameters(avx2_ops, cases) {
  return cr_make_param_array(KCase, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(const KCase *c, avx2_ops, cases, .timeout = 300) {
  need_avx2();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-targets-%s-%d.tflite", c->name, (int)getpid());
  kcase_build(c, path);
  if (c->type == TFL_FLOAT32) {
    matches_tflite(path, "single");
  } else {
    same_outputs(path, "single", 3);
    same_outputs(path, "double", 4);
  }
  unlink(path);
}

/* ---- hybrid CONV_2D (float32 input and output, int8 weights with float scales) ----
   The AVX2 kernel computes the generic kernel's exact int32 sums and its float epilogue in the
   same order (no FMA), so here the float outputs too must be byte-identical to generic, at 1
   and 2 threads. */

typedef struct HybCase {
  char name[32];
  int batch, h, w, cin, cout, kh, kw, stride, dil, padding, act;
  int flags;  /* NO_BIAS; HYB_PER_TENSOR (one scale: symmetric input); HYB_EQUAL (equal
                 per-channel scales: TFLite's legacy scale 0) */
} HybCase;

enum { HYB_PER_TENSOR = 8, HYB_EQUAL = 16 };

static void build_hybrid(const HybCase *c, const char *path) {
  static int8_t w8[65536];
  static float bf[512];
  const size_t nw = (size_t)c->cout * c->kh * c->kw * c->cin;
  cr_assert_leq(nw, sizeof w8);
  cr_assert_leq(c->cout, 512);
  om_fill_i8(w8, nw, 11, -128, 127);  /* -128 too: the kernel's bound takes |w| <= 128 */
  om_fill_f32(bf, (size_t)c->cout, 13, -1, 1);
  OmSpec s = {.code = TFL_OP_CONV_2D, .version = 2, .nout = 1, .nt = 3};
  const int eh = (c->kh - 1) * c->dil + 1, ew = (c->kw - 1) * c->dil + 1;
  const int oh = c->padding == SAME ? (c->h + c->stride - 1) / c->stride : (c->h - eh) / c->stride + 1;
  const int ow = c->padding == SAME ? (c->w + c->stride - 1) / c->stride : (c->w - ew) / c->stride + 1;
  s.t[0] = (OmTensor){.name = "x", .type = TFL_FLOAT32, .rank = 4,
                      .dims = {c->batch, c->h, c->w, c->cin}};
  s.t[1] = (OmTensor){.name = "w", .type = TFL_INT8, .rank = 4,
                      .dims = {c->cout, c->kh, c->kw, c->cin}, .data = w8, .size = nw};
  s.t[2] = (OmTensor){.name = "y", .type = TFL_FLOAT32, .rank = 4,
                      .dims = {c->batch, oh, ow, c->cout}};
  if (c->flags & HYB_PER_TENSOR) {
    s.t[1].nq = 1, s.t[1].scale[0] = 0.0123f;
  } else {
    cr_assert_leq(c->cout, OM_MAX_Q, "%s: per-channel scales for %d channels", c->name, c->cout);
    s.t[1].nq = c->cout, s.t[1].qdim = 0;
    for (int i = 0; i < c->cout; i++)
      s.t[1].scale[i] = (c->flags & HYB_EQUAL) ? 0.01f : 0.004f + 0.012f * (float)(i % 5) / 4.0f;
  }
  s.in[s.nin++] = 0, s.in[s.nin++] = 1;
  if (!(c->flags & NO_BIAS)) {
    s.t[3] = (OmTensor){.name = "b", .type = TFL_FLOAT32, .rank = 1, .dims = {c->cout},
                        .data = bf, .size = (size_t)c->cout * 4};
    s.in[s.nin++] = 3;
    s.nt = 4;
  }
  s.out[0] = 2;
  om_options(&s, TFL_OPTS_Conv2DOptions);
  TflConv2DOptions *o = &s.options.Conv2DOptions;
  o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
  o->dilation_h_factor = o->dilation_w_factor = c->dil;
  o->fused_activation_function = (int8_t)c->act;
  cr_assert_eq(om_write(&s, path), 0, "cannot write %s", path);
}

/* name, batch, h, w, cin, cout, kh, kw, stride, dilation, padding, act, flags: odd channel
   counts (a last partial block of 8, a single block after the pairs), 1x1, 3x3, 5x5 and kws's
   10x4 stride 2 with its uneven SAME padding, VALID, batches (each quantized on its own), no
   bias, every activation, both input quantizations, and enough work to split into threads. */
static const HybCase hyb_cases[] = {
  {"hyb_3x3_s2_same_c5_13", 1, 11, 9, 5, 13, 3, 3, 2, 1, SAME, RELU, 0},
  {"hyb_1x1_c37_19", 1, 7, 6, 37, 19, 1, 1, 1, 1, SAME, RELU6, 0},
  {"hyb_1x1_c64_70_sym", 1, 25, 5, 64, 70, 1, 1, 1, 1, SAME, NONE, HYB_PER_TENSOR},
  {"hyb_10x4_s2_kws", 1, 49, 10, 1, 64, 10, 4, 2, 1, SAME, RELU, HYB_PER_TENSOR},
  {"hyb_10x4_c3_19", 1, 20, 11, 3, 19, 10, 4, 1, 1, SAME, RELU_N1_TO_1, 0},
  {"hyb_3x3_valid_b2", 2, 9, 8, 6, 19, 3, 3, 1, 1, VALID, RELU_N1_TO_1, 0},
  {"hyb_1x1_s2_b2_sym", 2, 9, 9, 16, 40, 1, 1, 2, 1, VALID, RELU6, HYB_PER_TENSOR},
  {"hyb_3x3_nobias_c37_13", 1, 6, 7, 37, 13, 3, 3, 1, 1, SAME, NONE, NO_BIAS},
  {"hyb_nobias_sym_relu", 1, 5, 5, 8, 16, 3, 3, 1, 1, SAME, RELU, NO_BIAS | HYB_PER_TENSOR},
  {"hyb_equal_scales", 1, 6, 6, 5, 13, 3, 3, 1, 1, SAME, RELU6, HYB_EQUAL},
  {"hyb_5x5_s2_valid_c3_17", 1, 13, 12, 3, 17, 5, 5, 2, 1, VALID, RELU6, 0},
  {"hyb_tiny", 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, 0},
  {"hyb_threads_c16_40", 1, 20, 20, 16, 40, 3, 3, 1, 1, SAME, RELU, 0},
  {"hyb_threads_b2_c37_70", 2, 12, 10, 37, 70, 3, 3, 1, 1, SAME, NONE, HYB_PER_TENSOR},
};

ParameterizedTestParameters(avx2_ops, hybrid) {
  return cr_make_param_array(HybCase, hyb_cases, sizeof hyb_cases / sizeof hyb_cases[0]);
}

ParameterizedTest(const HybCase *c, avx2_ops, hybrid, .timeout = 300) {
  need_avx2();
  char dir[] = "/tmp/modelc-hybrid-XXXXXX", path[128], cmd[1024];
  cr_assert(mkdtemp(dir), "cannot make a folder");
  snprintf(path, sizeof path, "%s/%s.tflite", dir, c->name);
  build_hybrid(c, path);
  static const char *const variants[][2] = {
    {"single", "--target x86-64-avx2"},
    {"single", "--target x86-64-avx2 --threads 2"},
    {NULL, NULL},
  };
  for (int seed = 1; seed <= 3; seed++) xt_compare(path, seed, variants);
  /* The AVX2 kernel, not the generic one, made those outputs. */
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx2 --name m >/dev/null && "
           "grep -qF 'conv_hybrid_avx2_s8(' '%s/m.c' && ! grep -qF 'conv_hybrid_asym(' '%s/m.c' && "
           "! grep -qF 'conv_hybrid_sym(' '%s/m.c'", modelc_bin(), path, dir, dir, dir, dir);
  int st = system(cmd);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: not the AVX2 hybrid kernel: %s", c->name,
            cmd);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* A dilated hybrid convolution is refused on both targets (TFLite's per-channel hybrid kernel
   drops the dilation), so the AVX2 path never meets one. */
Test(avx2_ops, hybrid_dilation_refused) {
  char dir[] = "/tmp/modelc-hybrid-XXXXXX", path[128], cmd[1024];
  cr_assert(mkdtemp(dir), "cannot make a folder");
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  const HybCase c = {"hyb_dil2", 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, NONE, 0};
  build_hybrid(&c, path);
  for (int t = 0; t < 2; t++) {
    snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target %s 2>&1 | grep -q 'dilated hybrid'",
             modelc_bin(), path, dir, t ? "x86-64-avx2" : "generic");
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "dilated hybrid convolution not refused: %s",
              cmd);
  }
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* The generated file builds with plain C99 and no -mavx2: the SIMD code carries target
   attributes. */
Test(avx2_ops, builds_without_mavx2) {
  char path[128], dir[] = "/tmp/modelc-targets-XXXXXX";
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  KCase c = {"build", CONV, TFL_INT8, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, NONE, 0};
  kcase_build(&c, path);
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx2 --name m >/dev/null && "
           "cc -std=c99 -O2 -Wall -Wextra -Werror -Wno-unused-function -c '%s/m.c' -o '%s/m.o'",
           modelc_bin(), path, dir, dir, dir);
  int st = system(cmd);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the x86-64-avx2 file does not build: %s", cmd);
  snprintf(cmd, sizeof cmd, "grep -q 'conv_avx2_s8_f' '%s/m.c'", dir);
  cr_expect(system(cmd) == 0, "the model did not use the AVX2 convolution");
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* The same for the float32 kernels, one model per operator, each of which must use its AVX2
   kernel (the generic fallback would pass the TFLite comparison too). */
Test(avx2_ops, float_builds_without_mavx2) {
  static const KCase fc[] = {
    {"conv", CONV, TFL_FLOAT32, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, RELU, 0},
    {"dw", DW, TFL_FLOAT32, 1, 6, 6, 5, 10, 3, 3, 1, 1, SAME, RELU6, NO_BIAS},
    {"fc", FC, TFL_FLOAT32, 2, 1, 1, 13, 9, 1, 1, 1, 1, 0, NONE, 0},
  };
  static const char *const kernel[] = {"conv_avx2_f32(", "depthwise_conv_avx2_f32(",
                                       "fully_connected_avx2_f32("};
  for (int i = 0; i < 3; i++) {
    char path[128], dir[] = "/tmp/modelc-targets-XXXXXX";
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.tflite", dir);
    kcase_build(&fc[i], path);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx2 --name m >/dev/null && "
             "cc -std=c99 -O2 -Wall -Wextra -Werror -Wno-unused-function -c '%s/m.c' -o '%s/m.o'",
             modelc_bin(), path, dir, dir, dir);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the x86-64-avx2 file does not build: %s", cmd);
    snprintf(cmd, sizeof cmd, "grep -qF '%s' '%s/m.c'", kernel[i], dir);
    cr_expect(system(cmd) == 0, "%s: the model did not use %s", fc[i].name, kernel[i]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
  }
}

/* ---- threads ---- */

/* modelc run with --threads n (built with -fopenmp when n > 1) into dir; true on success. */
static bool run_threads(const char *model, const char *target, int n, const char *dir) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s' run '%s' --target %s --threads %d --seed 7 --output-dir '%s' 2>&1",
           modelc_bin(), model, target, n, dir);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run modelc");
  char line[1024];
  while (fgets(line, sizeof line, p)) cr_log_info("%s, %d threads: %s", target, n, line);
  int st = pclose(p);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Outputs with 1, 2 and 3 threads byte-identical (floats included: each output is computed by
   one thread with the same arithmetic whatever the split). */
static void same_for_threads(const char *model, const char *target) {
  char dir[] = "/tmp/modelc-threads-XXXXXX";
  cr_assert(mkdtemp(dir), "cannot make a folder");
  for (int n = 1; n <= 3; n++) {
    char d[64];
    snprintf(d, sizeof d, "%s/t%d", dir, n);
    cr_assert(run_threads(model, target, n, d), "%s: %s with %d threads failed", model, target, n);
  }
  int outputs = 0;
  for (;; outputs++) {
    char p1[128];
    snprintf(p1, sizeof p1, "%s/t1/output_%d.bin", dir, outputs);
    size_t n1;
    uint8_t *o1 = read_file(p1, &n1);
    if (!o1) break;
    for (int n = 2; n <= 3; n++) {
      char pn[128];
      snprintf(pn, sizeof pn, "%s/t%d/output_%d.bin", dir, n, outputs);
      size_t nn;
      uint8_t *on = read_file(pn, &nn);
      cr_assert(on, "%s: %s with %d threads wrote no output %d", model, target, n, outputs);
      cr_expect(nn == n1 && memcmp(o1, on, n1) == 0,
                "%s: %s output %d differs between 1 and %d threads", model, target, outputs, n);
      free(on);
    }
    free(o1);
  }
  cr_assert_gt(outputs, 0, "%s: no outputs", model);
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

#define THREAD_MODELS(M) \
  M(mobilenet_v1_0_25_128_quant, "coral/mobilenet_v1_0.25_128_quant.tflite") \
  M(vww_96_int8, "mlperf_tiny/vww_96_int8.tflite") \
  M(pretrainedResnet_quant, "mlperf_tiny/pretrainedResnet_quant.tflite") \
  M(kws_ref_model_float32, "mlperf_tiny/kws_ref_model_float32.tflite") \
  M(vww_96_float, "mlperf_tiny/vww_96_float.tflite") \
  M(ad01_fp32, "mlperf_tiny/ad01_fp32.tflite") \
  M(ad01_int8, "mlperf_tiny/ad01_int8.tflite")

#define THREAD_TEST(test, path) \
  Test(threads, test, .timeout = 900) { \
    const char *shared = shared_dir(); \
    if (!shared) cr_skip_test("no shared data"); \
    char p[4096]; \
    snprintf(p, sizeof p, "%s/models/%s", shared, path); \
    same_for_threads(p, "generic"); \
    need_avx2(); \
    same_for_threads(p, "x86-64-avx2"); \
  }
THREAD_MODELS(THREAD_TEST)
#undef THREAD_TEST

/* Few pixels, many channels: the AVX2 kernels split channel blocks instead of rows; and a
   depthwise layer too wide for one ring row on the stack (its channel blocks go in chunks). Each
   against generic too. */
Test(threads, channel_split, .timeout = 600) {
  static const KCase cs[] = {
    {"conv", CONV, TFL_UINT8, 1, 3, 3, 200, 200, 1, 1, 1, 1, SAME, RELU, 0},
    {"dw", DW, TFL_UINT8, 1, 3, 30, 256, 256, 3, 3, 1, 1, SAME, RELU6, 0},
    {"fc", FC, TFL_UINT8, 4, 1, 1, 120, 500, 1, 1, 1, 1, 0, NONE, 0},
    {"dw_wide", DW, TFL_UINT8, 1, 9, 40, 512, 512, 3, 3, 1, 2, SAME, NONE, 0},
  };
  for (int i = 0; i < 4; i++) {
    char path[512];
    snprintf(path, sizeof path, "/tmp/modelc-threads-%s-%d.tflite", cs[i].name, (int)getpid());
    kcase_build(&cs[i], path);
    same_for_threads(path, "generic");
    need_avx2();
    same_for_threads(path, "x86-64-avx2");
    same_outputs(path, "single", 5);
    same_outputs(path, "double", 6);
    unlink(path);
  }
}

/* ---- RESIZE_BILINEAR and ARG_MAX (int8/uint8 AVX2 kernels) ---- */

typedef struct MovCase {
  char name[32];
  int code;      /* TFL_OP_RESIZE_BILINEAR or TFL_OP_ARG_MAX */
  int type;      /* TFL_INT8 or TFL_UINT8 */
  int out_type;  /* ARG_MAX: TFL_INT32 or TFL_INT64 */
  int b, h, w, c, oh, ow;  /* ARG_MAX: [b, h, w, c] over the last axis */
  bool align, half;
} MovCase;

static void build_mov(const MovCase *c, const char *path) {
  static int32_t size[2], axis = 3;
  OmSpec s = {.code = c->code, .version = 3, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = (OmTensor){.name = "x", .type = c->type, .rank = 4, .dims = {c->b, c->h, c->w, c->c},
                      .nq = 1, .scale = {0.05f}, .zp = {c->type == TFL_UINT8 ? 128 : -4}};
  if (c->code == TFL_OP_RESIZE_BILINEAR) {
    size[0] = c->oh, size[1] = c->ow;
    s.t[1] = (OmTensor){.name = "size", .type = TFL_INT32, .rank = 1, .dims = {2}, .data = size,
                        .size = sizeof size};
    s.t[2] = s.t[0];
    s.t[2].name = "y", s.t[2].dims[1] = c->oh, s.t[2].dims[2] = c->ow;
    om_options(&s, TFL_OPTS_ResizeBilinearOptions);
    s.options.ResizeBilinearOptions.align_corners = c->align;
    s.options.ResizeBilinearOptions.half_pixel_centers = c->half;
  } else {
    s.version = 2;
    s.t[1] = (OmTensor){.name = "axis", .type = TFL_INT32, .rank = 1, .dims = {1}, .data = &axis,
                        .size = sizeof axis};
    s.t[2] = (OmTensor){.name = "y", .type = c->out_type, .rank = 3, .dims = {c->b, c->h, c->w}};
    om_options(&s, TFL_OPTS_ArgMaxOptions);
    s.options.ArgMaxOptions.output_type = (int8_t)c->out_type;
  }
  cr_assert_eq(om_write(&s, path), 0, "cannot write %s", path);
}

#define RB TFL_OP_RESIZE_BILINEAR
#define AM TFL_OP_ARG_MAX
/* Upscales (cached source rows reused), downscales, the same size, 1x1 sources, depths that are
   not multiples of 8 or 32, column chunks (70 channels x 400 columns), every flag combination
   XNNPACK's form takes; ARG_MAX from 2 to 32 values, positions near the input's end (the scalar
   loop), both index types. The larger ones split into parts (threads). */
static const MovCase mov_cases[] = {
  {"rb_u8_align_c21", RB, TFL_UINT8, 0, 1, 9, 9, 21, 129, 129, true, false},
  {"rb_s8_half_c5", RB, TFL_INT8, 0, 2, 5, 7, 5, 17, 23, false, true},
  {"rb_u8_half_up", RB, TFL_UINT8, 0, 1, 6, 5, 3, 41, 37, false, true},
  {"rb_s8_plain_down", RB, TFL_INT8, 0, 1, 13, 11, 3, 5, 4, false, false},
  {"rb_u8_plain_down", RB, TFL_UINT8, 0, 2, 13, 11, 9, 6, 5, false, false},
  {"rb_s8_same_c40", RB, TFL_INT8, 0, 1, 6, 6, 40, 6, 6, true, false},
  {"rb_u8_1x1_c256", RB, TFL_UINT8, 0, 1, 1, 1, 256, 9, 9, false, false},
  {"rb_u8_chunks_c70", RB, TFL_UINT8, 0, 1, 4, 200, 70, 8, 400, false, false},
  {"rb_s8_c1", RB, TFL_INT8, 0, 1, 3, 4, 1, 10, 37, true, false},
  {"rb_u8_threads", RB, TFL_UINT8, 0, 1, 20, 20, 3, 300, 300, false, true},
  {"am_u8_s64_c21", AM, TFL_UINT8, TFL_INT64, 1, 100, 100, 21, 0, 0, false, false},
  {"am_s8_s32_c32", AM, TFL_INT8, TFL_INT32, 1, 7, 9, 32, 0, 0, false, false},
  {"am_u8_s32_c2", AM, TFL_UINT8, TFL_INT32, 3, 5, 1, 2, 0, 0, false, false},
  {"am_s8_s64_c17", AM, TFL_INT8, TFL_INT64, 1, 60, 60, 17, 0, 0, false, false},
  {"am_u8_s32_c31", AM, TFL_UINT8, TFL_INT32, 2, 3, 4, 31, 0, 0, false, false},
};
#undef RB
#undef AM

ParameterizedTestParameters(avx2_mov, cases) {
  return cr_make_param_array(MovCase, mov_cases, sizeof mov_cases / sizeof mov_cases[0]);
}

ParameterizedTest(const MovCase *c, avx2_mov, cases, .timeout = 300) {
  need_avx2();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-targets-%s-%d.tflite", c->name, (int)getpid());
  build_mov(c, path);
  /* It must use the AVX2 kernel (the generic one would pass too), and build warning-free. */
  char dir[] = "/tmp/modelc-targets-XXXXXX", cmd[2048];
  cr_assert(mkdtemp(dir));
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx2 --name m >/dev/null && "
           "cc -std=c99 -O2 -Wall -Wextra -Werror -Wno-unused-function -c '%s/m.c' -o '%s/m.o' && "
           "grep -q '%s' '%s/m.c'; st=$?; rm -rf '%s'; exit $st", modelc_bin(), path, dir, dir, dir,
           c->code == TFL_OP_ARG_MAX ? "arg_max_avx2_" : "resize_bilinear_q11_avx2_", dir, dir);
  int st = system(cmd);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: no AVX2 kernel or does not build: %s",
            c->name, cmd);
  same_outputs(path, "single", 3);
  same_outputs(path, "double", 4);
  same_for_threads(path, "x86-64-avx2");
  unlink(path);
}

/* The float32 kernels split output pixels (conv, depthwise; a 1x1 convolution's single run of
   pixels too, mid-row splits included) and blocks of 8 outputs (fully connected): byte-identical
   for 1, 2 and 3 threads, and the layers do split. */
Test(threads, float_split, .timeout = 600) {
  static const KCase cs[] = {
    {"conv1x1", CONV, TFL_FLOAT32, 1, 15, 13, 32, 40, 1, 1, 1, 1, SAME, RELU, 0},
    {"conv3x3", CONV, TFL_FLOAT32, 2, 11, 9, 8, 24, 3, 3, 1, 1, SAME, RELU6, 0},
    {"dw", DW, TFL_FLOAT32, 1, 33, 31, 24, 24, 3, 3, 1, 1, SAME, NONE, 0},
    {"fc", FC, TFL_FLOAT32, 3, 1, 1, 300, 130, 1, 1, 1, 1, 0, NONE, 0},
  };
  need_avx2();
  for (int i = 0; i < 4; i++) {
    char path[512], dir[] = "/tmp/modelc-threads-XXXXXX", cmd[2048];
    snprintf(path, sizeof path, "/tmp/modelc-threads-f32%s-%d.tflite", cs[i].name, (int)getpid());
    kcase_build(&cs[i], path);
    cr_assert(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target x86-64-avx2 --threads 2 --name m "
             ">/dev/null && grep -q 't_ += mc_team_size()' '%s/m.c'; st=$?; rm -rf '%s'; exit $st",
             modelc_bin(), path, dir, dir, dir);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: the layer does not split", cs[i].name);
    same_for_threads(path, "x86-64-avx2");
    unlink(path);
  }
}

/* A layer that fails at run time inside the team: split convolutions around a GATHER whose
   indices are a graph input (an out-of-range one makes it return NAME_ERR_SHAPE). With 2 threads
   every thread must stop at the GATHER (a thread that went on into the next convolution's omp
   for alone would hang the team) and invoke must return the error; good indices give one
   thread's outputs, before and after the failed call. */
Test(threads, error_inside_team, .timeout = 300) {
  static int8_t w1[32 * 9 * 32], w2[32 * 9 * 32];
  static int32_t b1[32], b2[32];
  om_fill_i8(w1, sizeof w1, 11, -127, 127), om_fill_i8(w2, sizeof w2, 12, -127, 127);
  om_fill_i32(b1, 32, 13, -3000, 3000), om_fill_i32(b2, 32, 14, -3000, 3000);
  const int32_t xd[] = {1, 24, 24, 32}, wd[] = {32, 3, 3, 32}, bd[] = {32}, id[] = {24};
  OmGraph g = {0};
  OmTensor t[8] = {
    om_act("x", TFL_INT8, 4, xd, 0.05f, -3), om_act("idx", TFL_INT32, 1, id, 0, 0),
    om_cst("w1", TFL_INT8, 4, wd, w1, sizeof w1), om_cst("b1", TFL_INT32, 1, bd, b1, sizeof b1),
    om_act("c1", TFL_INT8, 4, xd, 0.2f, 4), om_act("g1", TFL_INT8, 4, xd, 0.2f, 4),
    om_cst("w2", TFL_INT8, 4, wd, w2, sizeof w2), om_act("y", TFL_INT8, 4, xd, 0.3f, -7)};
  t[2].nq = t[6].nq = 1, t[2].scale[0] = t[6].scale[0] = 0.01f;
  t[3].nq = 1, t[3].scale[0] = 0.0005f;
  for (int i = 0; i < 8; i++) g.t[g.nt++] = t[i];
  const int32_t in1[3] = {0, 2, 3}, ing[2] = {4, 1}, in2[3] = {5, 6, 3};
  const int32_t c1 = 4, g1 = 5, y = 7;
  OmOp *o = om_add_op(&g, TFL_OP_CONV_2D, TFL_OPTS_Conv2DOptions, 3, in1, 1, &c1);
  o->version = 3, o->options.Conv2DOptions.stride_h = o->options.Conv2DOptions.stride_w = 1;
  o = om_add_op(&g, TFL_OP_GATHER, TFL_OPTS_GatherOptions, 2, ing, 1, &g1);
  o->options.GatherOptions.axis = 1;
  o = om_add_op(&g, TFL_OP_CONV_2D, TFL_OPTS_Conv2DOptions, 3, in2, 1, &y);
  o->version = 3, o->options.Conv2DOptions.stride_h = o->options.Conv2DOptions.stride_w = 1;
  g.nin = 2, g.in[0] = 0, g.in[1] = 1, g.nout = 1, g.out[0] = y;
  char dir[] = "/tmp/modelc-threads-XXXXXX", path[128], cmd[2048];
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  cr_assert_eq(om_write_graph(&g, path), 0);
  snprintf(path, sizeof path, "%s/main.c", dir);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  fputs("#include \"m.h\"\n#include <string.h>\n"
        "static int8_t x[m_INPUT0_SIZE], y1[m_OUTPUT0_SIZE], y2[m_OUTPUT0_SIZE];\n"
        "static int32_t good[24], bad[24];\n"
        "int main(void) {\n"
        "  for (int i = 0; i < m_INPUT0_SIZE; i++) x[i] = (int8_t)(i * 37 % 251);\n"
        "  for (int i = 0; i < 24; i++) good[i] = bad[i] = (i * 7) % 24;\n"
        "  bad[17] = 24;\n"
        "  const void *in[2] = {x, good}, *in_bad[2] = {x, bad};\n"
        "  void *o1[1] = {y1}, *o2[1] = {y2};\n"
        "  m_set_threads(1);\n  if (m_invoke(0, in, o1) != 0) return 2;\n"
        "  m_set_threads(2);\n  if (m_invoke(0, in_bad, o2) != m_ERR_SHAPE) return 3;\n"
        "  if (m_invoke(0, in, o2) != 0) return 4;\n"
        "  return memcmp(y1, y2, sizeof y1) != 0 ? 5 : 0;\n}\n", f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "cd '%s' && '%s' compile m.tflite -o . --target x86-64-avx2 --name m "
           ">/dev/null && grep -q 't_ += mc_team_size()' m.c && cc -std=c99 -O2 -fopenmp -I. main.c m.c -o main "
           "&& OMP_NUM_THREADS=2 ./main; st=$?; cd / && rm -rf '%s'; exit $st", dir, modelc_bin(), dir);
  need_avx2();
  int st = system(cmd);
  cr_assert(WIFEXITED(st), "did not exit: %s", cmd);
  cr_assert_eq(WEXITSTATUS(st), 0, "exit %d (2: one thread failed, 3: no ERR_SHAPE with 2, 4: "
               "good indices failed after it, 5: outputs differ): %s", WEXITSTATUS(st), cmd);
}

/* A --threads file builds warning-free both without OpenMP (no unknown pragma) and with it, with
   gcc and with clang. */
Test(threads, builds_with_and_without_openmp) {
  char path[128], dir[] = "/tmp/modelc-threads-XXXXXX";
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  KCase c = {"build", CONV, TFL_INT8, 1, 16, 16, 32, 64, 3, 3, 1, 1, SAME, NONE, 0};
  kcase_build(&c, path);
  static const char *const targets[] = {"generic", "x86-64-avx2"}, *const ccs[] = {"cc", "clang-16"};
  for (int k = 0; k < 4; k++)
    for (int omp = 0; omp < 2; omp++) {
      char cmd[1024];
      snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target %s --threads 2 --name m "
               ">/dev/null && %s -std=c99 -O2 -Wall -Wextra -Werror %s -c '%s/m.c' -o '%s/m.o' && "
               "grep -q 't_ += mc_team_size()' '%s/m.c'", modelc_bin(), path, dir, targets[k % 2],
               ccs[k / 2], omp ? "-fopenmp" : "", dir, dir, dir);
      int st = system(cmd);
      cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "does not build: %s", cmd);
    }
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* The vectorised requantization lane by lane against the scalar functions (random and edge
   values, tests/data/avx2_requant_check.c). */
Test(avx2_ops, requant_lanes, .timeout = 300) {
  need_avx2();
  char dir[] = "/tmp/modelc-requant-XXXXXX";
  cr_assert(mkdtemp(dir));
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cc -std=c99 -O2 -Wall -Wextra -Werror -I'%s/..' '%s/data/avx2_requant_check.c' "
           "-o '%s/check' && '%s/check'", MODELC_TESTS_DIR, MODELC_TESTS_DIR, dir, dir);
  int st = system(cmd);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "AVX2 requantization differs from scalar: %s", cmd);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

/* ---- ADD (targets/x86-64-avx2/add_avx2_q.c) ---- */

typedef struct AddCase {
  int type;
  float sa, sb, sy;
  int za, zb, zy, act;
} AddCase;

/* Every (a, b) byte pair once, then 5 more elements (a tail shorter than a vector): ADD through
   the generic target, x86-64-avx2, and x86-64-avx2 on 2 threads, byte-identical; both roundings,
   so both of binary_q.c's forms (add_xnn, add_q) are the AVX2 kernel's on some set. */
static void add_all_pairs(const AddCase *c, int k) {
  need_avx2();
  enum { N = 65536 + 5 };
  char dir[] = "/tmp/modelc-add-XXXXXX";
  cr_assert(mkdtemp(dir));
  char model[128], fa[128], fb[128];
  snprintf(model, sizeof model, "%s/add%d.tflite", dir, k);
  OmSpec s = {.code = TFL_OP_ADD, .version = 2, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  om_options(&s, TFL_OPTS_AddOptions);
  s.options.AddOptions.fused_activation_function = (int8_t)c->act;
  const float sc[3] = {c->sa, c->sb, c->sy};
  const int zp[3] = {c->za, c->zb, c->zy};
  for (int i = 0; i < 3; i++)
    s.t[i] = (OmTensor){.name = i == 0 ? "a" : i == 1 ? "b" : "y", .type = c->type, .rank = 2,
                        .dims = {1, N}, .nq = 1, .scale = {sc[i]}, .zp = {zp[i]}};
  cr_assert_eq(om_write(&s, model), 0);
  static uint8_t a[N], b[N];
  for (int i = 0; i < N; i++) a[i] = (uint8_t)(i & 255), b[i] = (uint8_t)((i >> 8) & 255);
  a[N - 1] = 0x80, b[N - 1] = 0x7f;
  snprintf(fa, sizeof fa, "%s/a.bin", dir);
  snprintf(fb, sizeof fb, "%s/b.bin", dir);
  FILE *f = fopen(fa, "wb");
  cr_assert(f && fwrite(a, 1, N, f) == N && fclose(f) == 0);
  f = fopen(fb, "wb");
  cr_assert(f && fwrite(b, 1, N, f) == N && fclose(f) == 0);
  static const char *const roundings[] = {"single", "double"};
  static const char *const runs[] = {"--target generic", "--target x86-64-avx2",
                                     "--target x86-64-avx2 --threads 2"};
  for (int r = 0; r < 2; r++) {
    uint8_t *ref = NULL;
    size_t nref = 0;
    for (int t = 0; t < 3; t++) {
      char out[160], cmd[1024];
      snprintf(out, sizeof out, "%s/%s%d", dir, roundings[r], t);
      snprintf(cmd, sizeof cmd, "'%s' run '%s' %s --rounding %s --input '%s' --input '%s' "
               "--output-dir '%s' >/dev/null 2>&1", modelc_bin(), model, runs[t], roundings[r], fa,
               fb, out);
      int st = system(cmd);
      cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "failed: %s", cmd);
      char op[200];
      snprintf(op, sizeof op, "%s/output_0.bin", out);
      size_t n;
      uint8_t *o = read_file(op, &n);
      cr_assert(o && n == N, "%s: no output", cmd);
      if (!ref) {
        ref = o, nref = n;
        continue;
      }
      size_t first = 0;
      while (first < n && o[first] == ref[first]) first++;
      cr_expect(first == nref, "set %d, %s rounding, %s: element %zu (a %d, b %d) is %d, generic %d",
                k, roundings[r], runs[t], first, first < n ? a[first] : 0, first < n ? b[first] : 0,
                first < n ? o[first] : 0, first < n ? ref[first] : 0);
      free(o);
    }
    free(ref);
  }
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

static const AddCase add_cases[] = {
    {TFL_INT8, 0.05f, 0.02f, 0.06f, -3, 7, -5, 0},
    {TFL_INT8, 0.1f, 0.1f, 0.01f, 10, -128, 0, 3},        /* RELU6 */
    {TFL_UINT8, 0.02f, 0.03f, 0.04f, 128, 100, 130, 1},   /* RELU */
    {TFL_UINT8, 1.0f, 0.001f, 0.002f, 0, 255, 0, 0},      /* ratio 500: add_q under single too */
    {TFL_INT8, 0.0078125f, 0.0078125f, 0.015625f, -128, 127, -1, 0},  /* ties */
};

Test(avx2_ops, add_every_byte_pair, .timeout = 900) {
  for (int k = 0; k < (int)(sizeof add_cases / sizeof add_cases[0]); k++) add_all_pairs(&add_cases[k], k);
}
