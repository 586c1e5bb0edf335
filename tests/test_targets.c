/* The SIMD targets against the generic target: the same seeded random input through `modelc run
   --target generic` and `--target x86-64-avx2` must give byte-identical output files, for every
   shared model (float outputs too: what the target does not change runs the same code) and for
   single-operator models built here for the edges of the AVX2 kernels (channel counts that are
   not multiples of 8 or 16, strides, SAME borders, 1x1, dilation, depth multipliers, uint8 weight
   zero points, both roundings). On a CPU without AVX2 and FMA the tests report the target by
   name as not run. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/opmodel.h"
#include "tests/util.h"

static void need_avx2(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return;
#endif
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

/* Runs both targets on seed and rounding; asserts every output file is byte-identical. */
static void same_outputs(const char *model, const char *rounding, int seed) {
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

#define MODELS(M) \
  M(deeplabv3_mnv2_dm05_pascal_quant, "coral/deeplabv3_mnv2_dm05_pascal_quant.tflite") \
  M(mobilenet_v1_0_25_128_quant, "coral/mobilenet_v1_0.25_128_quant.tflite") \
  M(mobilenet_v2_1_0_224_quant, "coral/mobilenet_v2_1.0_224_quant.tflite") \
  M(tf2_mobilenet_v2_1_0_224_ptq, "coral/tf2_mobilenet_v2_1.0_224_ptq.tflite") \
  M(ad01_fp32, "mlperf_tiny/ad01_fp32.tflite") \
  M(ad01_int8, "mlperf_tiny/ad01_int8.tflite") \
  M(kws_ref_model, "mlperf_tiny/kws_ref_model.tflite") \
  M(kws_ref_model_float32, "mlperf_tiny/kws_ref_model_float32.tflite") \
  M(pretrainedResnet, "mlperf_tiny/pretrainedResnet.tflite") \
  M(pretrainedResnet_quant, "mlperf_tiny/pretrainedResnet_quant.tflite") \
  M(vww_96_float, "mlperf_tiny/vww_96_float.tflite") \
  M(vww_96_int8, "mlperf_tiny/vww_96_int8.tflite") \
  M(hello_world_float, "tflm/hello_world_float.tflite") \
  M(hello_world_int8, "tflm/hello_world_int8.tflite") \
  M(keyword_scrambled, "tflm/keyword_scrambled.tflite") \
  M(keyword_scrambled_8bit, "tflm/keyword_scrambled_8bit.tflite") \
  M(micro_speech_quantized, "tflm/micro_speech_quantized.tflite") \
  M(simple_add_model, "tflm/simple_add_model.tflite") \
  M(trained_lstm, "tflm/trained_lstm.tflite") \
  M(trained_lstm_int8, "tflm/trained_lstm_int8.tflite")

#define PATH(test, path) path,
static const char *const listed[] = {MODELS(PATH)};
#undef PATH

static void shared_model(const char *rel) {
  need_avx2();
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", shared, rel);
  same_outputs(path, "single", 1);
  same_outputs(path, "double", 2);
}

#define MODEL_TEST(test, path) \
  Test(avx2_models, test, .timeout = 900) { shared_model(path); }
MODELS(MODEL_TEST)
#undef MODEL_TEST

/* A model added to ../shared/models must be added to MODELS, so none goes untested. */
Test(avx2_models, every_shared_model_listed) {
  size_t n;
  char **all = shared_models(&n);
  if (!shared_dir()) cr_skip_test("no shared data");
  for (size_t i = 0; i < n; i++) {
    const char *rel = strstr(all[i], "/models/");
    if (!rel) continue;  /* testdata/seanet */
    bool found = false;
    for (size_t k = 0; k < sizeof listed / sizeof listed[0]; k++)
      found = found || strcmp(rel + 8, listed[k]) == 0;
    cr_expect(found, "%s is not in MODELS of tests/test_targets.c", all[i]);
  }
}

/* ---- built single-operator models ---- */

typedef struct Case {
  char name[32];  /* inline: Criterion copies parameters into fresh processes */
  int code;       /* TFL_OP_CONV_2D, TFL_OP_DEPTHWISE_CONV_2D, TFL_OP_FULLY_CONNECTED */
  int type;       /* TFL_INT8 or TFL_UINT8 */
  int batch, h, w, cin, cout, kh, kw, stride, dil, padding, act;
  bool no_bias, pot;
} Case;

static int out_size(const Case *c, int in, int k) {
  int eff = (k - 1) * c->dil + 1;
  return c->padding == 0 ? (in + c->stride - 1) / c->stride : (in - eff) / c->stride + 1;
}

static void build_case(const Case *c, const char *path) {
  static int8_t w8[65536];
  static int32_t b32[512];
  bool u8 = c->type == TFL_UINT8, dw = c->code == TFL_OP_DEPTHWISE_CONV_2D;
  bool fc = c->code == TFL_OP_FULLY_CONNECTED;
  OmSpec s = {.code = c->code, .version = 2, .nin = 0, .nout = 1};
  int32_t wd[4] = {c->cout, c->kh, c->kw, c->cin};
  if (dw) wd[0] = 1, wd[3] = c->cout;
  size_t nw = fc ? (size_t)c->cout * c->cin : (size_t)wd[0] * wd[1] * wd[2] * wd[3];
  cr_assert_leq(nw, sizeof w8);
  cr_assert_leq(c->cout, 512);
  om_fill_i8(w8, nw, 7, u8 ? 0 : -127, 127);
  if (u8) for (size_t i = 0; i < nw; i++) w8[i] = (int8_t)(uint8_t)(w8[i] + 128);
  om_fill_i32(b32, (size_t)c->cout, 9, -3000, 3000);
  OmTensor *x = &s.t[0], *wt = &s.t[1], *y = &s.t[2];
  if (fc) {
    *x = (OmTensor){.name = "x", .type = c->type, .rank = 2, .dims = {c->batch, c->cin}};
    *wt = (OmTensor){.name = "w", .type = c->type, .rank = 2, .dims = {c->cout, c->cin}};
    *y = (OmTensor){.name = "y", .type = c->type, .rank = 2, .dims = {c->batch, c->cout}};
  } else {
    *x = (OmTensor){.name = "x", .type = c->type, .rank = 4, .dims = {c->batch, c->h, c->w, c->cin}};
    *wt = (OmTensor){.name = "w", .type = c->type, .rank = 4};
    memcpy(wt->dims, wd, sizeof wd);
    *y = (OmTensor){.name = "y", .type = c->type, .rank = 4,
                    .dims = {c->batch, out_size(c, c->h, c->kh), out_size(c, c->w, c->kw), c->cout}};
  }
  wt->data = w8, wt->size = nw;
  s.nt = 3;
  s.in[s.nin++] = 0, s.in[s.nin++] = 1;
  if (!c->no_bias) {
    s.t[3] = (OmTensor){.name = "b", .type = TFL_INT32, .rank = 1, .dims = {c->cout}, .data = b32,
                        .size = (size_t)c->cout * 4};
    s.in[s.nin++] = 3;
    s.nt = 4;
  }
  s.out[0] = 2;
  x->nq = y->nq = 1;
  x->scale[0] = c->pot ? 0.5f : 0.05f, x->zp[0] = u8 ? 128 : -3;
  y->scale[0] = c->pot ? 8.0f : 0.25f, y->zp[0] = u8 ? 100 : 5;
  if (u8 || fc) {
    wt->nq = 1, wt->scale[0] = c->pot ? 0.5f : 0.02f, wt->zp[0] = u8 ? 120 : 0;
  } else {
    wt->nq = c->cout, wt->qdim = dw ? 3 : 0;
    for (int i = 0; i < c->cout; i++)
      wt->scale[i] = c->pot ? 0.5f : 0.004f + 0.012f * (float)(i % 5) / 4.0f;
  }
  if (!c->no_bias) {
    s.t[3].nq = wt->nq;
    for (int i = 0; i < wt->nq; i++) s.t[3].scale[i] = x->scale[0] * wt->scale[i];
  }
  if (c->code == TFL_OP_CONV_2D) {
    om_options(&s, TFL_OPTS_Conv2DOptions);
    TflConv2DOptions *o = &s.options.Conv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->fused_activation_function = (int8_t)c->act;
  } else if (dw) {
    om_options(&s, TFL_OPTS_DepthwiseConv2DOptions);
    TflDepthwiseConv2DOptions *o = &s.options.DepthwiseConv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->depth_multiplier = c->cout / c->cin;
    o->fused_activation_function = (int8_t)c->act;
  } else {
    om_options(&s, TFL_OPTS_FullyConnectedOptions);
    s.options.FullyConnectedOptions.fused_activation_function = (int8_t)c->act;
  }
  cr_assert_eq(om_write(&s, path), 0, "cannot write %s", path);
}

enum { SAME = 0, VALID = 1, NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3 };
#define CONV TFL_OP_CONV_2D
#define DW TFL_OP_DEPTHWISE_CONV_2D
#define FC TFL_OP_FULLY_CONNECTED

/* name, op, dtype, batch, h, w, cin, cout, kh, kw, stride, dilation, padding, act */
static const Case cases[] = {
  {"conv_s8_odd_same_s2", CONV, TFL_INT8, 1, 11, 9, 5, 13, 3, 3, 2, 1, SAME, RELU, false, false},
  {"conv_s8_1x1_c19", CONV, TFL_INT8, 1, 7, 6, 37, 19, 1, 1, 1, 1, SAME, RELU6, false, false},
  {"conv_s8_1x1_s2_c40", CONV, TFL_INT8, 2, 9, 9, 16, 40, 1, 1, 2, 1, VALID, NONE, false, false},
  {"conv_s8_5x5_same_c3", CONV, TFL_INT8, 1, 10, 13, 3, 8, 5, 5, 1, 1, SAME, NONE, false, false},
  {"conv_s8_even_k_s2", CONV, TFL_INT8, 1, 8, 8, 6, 24, 4, 2, 2, 1, SAME, RELU_N1_TO_1, false, false},
  {"conv_s8_dil2", CONV, TFL_INT8, 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, NONE, false, false},
  {"conv_s8_pot", CONV, TFL_INT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, SAME, NONE, .pot = true},
  {"conv_s8_tiny", CONV, TFL_INT8, 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, false, false},
  {"conv_u8_zp_same_s2", CONV, TFL_UINT8, 1, 10, 9, 7, 17, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"conv_u8_1x1_c24", CONV, TFL_UINT8, 1, 5, 5, 40, 24, 1, 1, 1, 1, SAME, RELU, false, false},
  {"conv_u8_dil3_valid", CONV, TFL_UINT8, 2, 12, 12, 3, 10, 3, 3, 1, 3, VALID, NONE, false, false},
  {"conv_u8_pot", CONV, TFL_UINT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, SAME, NONE, .pot = true},
  {"dw_s8_c7_same_s2", DW, TFL_INT8, 1, 11, 10, 7, 7, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"dw_s8_c40_same", DW, TFL_INT8, 2, 8, 9, 40, 40, 3, 3, 1, 1, SAME, RELU, false, false},
  {"dw_s8_mult3", DW, TFL_INT8, 1, 9, 8, 5, 15, 3, 3, 1, 1, SAME, NONE, false, false},
  {"dw_s8_5x5_dil2", DW, TFL_INT8, 1, 13, 12, 9, 9, 5, 5, 1, 2, SAME, RELU_N1_TO_1, false, false},
  {"dw_s8_even_k_valid", DW, TFL_INT8, 1, 9, 9, 16, 16, 4, 2, 2, 1, VALID, NONE, false, false},
  {"dw_s8_10x8", DW, TFL_INT8, 1, 20, 16, 8, 8, 10, 8, 2, 1, SAME, RELU, false, false},
  {"dw_s8_pot", DW, TFL_INT8, 1, 9, 9, 6, 6, 3, 3, 1, 1, SAME, NONE, .pot = true},
  {"dw_u8_zp_c24_s2", DW, TFL_UINT8, 1, 11, 9, 24, 24, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"dw_u8_mult2_nobias", DW, TFL_UINT8, 2, 6, 6, 3, 6, 3, 3, 1, 1, VALID, NONE, .no_bias = true},
  {"dw_u8_pot", DW, TFL_UINT8, 1, 9, 9, 6, 6, 3, 3, 1, 1, SAME, NONE, .pot = true},
  {"fc_s8_odd", FC, TFL_INT8, 3, 1, 1, 37, 13, 1, 1, 1, 1, 0, RELU, false, false},
  {"fc_s8_wide", FC, TFL_INT8, 1, 1, 1, 250, 70, 1, 1, 1, 1, 0, NONE, false, false},
  {"fc_u8_zp", FC, TFL_UINT8, 2, 1, 1, 33, 41, 1, 1, 1, 1, 0, RELU6, false, false},
  {"fc_u8_nobias", FC, TFL_UINT8, 1, 1, 1, 8, 3, 1, 1, 1, 1, 0, NONE, .no_bias = true},
};

ParameterizedTestParameters(avx2_ops, cases) {
  return cr_make_param_array(Case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(const Case *c, avx2_ops, cases, .timeout = 300) {
  need_avx2();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-targets-%s-%d.tflite", c->name, (int)getpid());
  build_case(c, path);
  same_outputs(path, "single", 3);
  same_outputs(path, "double", 4);
  unlink(path);
}

/* The generated file builds with plain C99 and no -mavx2: the SIMD code carries target
   attributes. */
Test(avx2_ops, builds_without_mavx2) {
  char path[128], dir[] = "/tmp/modelc-targets-XXXXXX";
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  Case c = {"build", CONV, TFL_INT8, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, NONE, false, false};
  build_case(&c, path);
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
