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

#include "base/arena.h"
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

enum { MAX_OUTPUTS = 16 };

/* The dtypes of graph 0's outputs (at most MAX_OUTPUTS); their number. */
static int output_types(const char *model, int *types) {
  size_t n;
  uint8_t *data = read_file(model, &n);
  cr_assert(data, "cannot read %s", model);
  Arena a;
  arena_init(&a, (size_t)1 << 30);
  TflModel m;
  Err err = {.off = -1};
  cr_assert_eq(tfl_read(data, n, &a, &m, &err), 0, "%s: %s", model, err.msg);
  const TflSubgraph *g = &m.subgraphs[0];
  int k = 0;
  for (; k < (int)g->outputs.n && k < MAX_OUTPUTS; k++) {
    int32_t ti;
    memcpy(&ti, g->outputs.p + 4 * (size_t)k, 4);
    types[k] = g->tensors[ti].type;
  }
  arena_free(&a);
  free(data);
  return k;
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
  int types[MAX_OUTPUTS];
  const int ntypes = output_types(model, types);
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
  int types[MAX_OUTPUTS];
  bool f32 = false;
  for (int k = 0, n = output_types(path, types); k < n; k++) f32 = f32 || types[k] == TFL_FLOAT32;
  if (f32) matches_tflite(path, "single");  /* float kernels have no requantization to round */
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
  int type;       /* TFL_INT8, TFL_UINT8 or TFL_FLOAT32 (float weights and bias) */
  int batch, h, w, cin, cout, kh, kw, stride, dil, padding, act;
  bool no_bias, pot;
} Case;

static int out_size(const Case *c, int in, int k) {
  int eff = (k - 1) * c->dil + 1;
  return c->padding == 0 ? (in + c->stride - 1) / c->stride : (in - eff) / c->stride + 1;
}

/* The quantization of an integer case: x, w, y and the bias (if any), per tensor or per channel. */
static void quantize_case(const Case *c, OmSpec *s) {
  bool u8 = c->type == TFL_UINT8, dw = c->code == TFL_OP_DEPTHWISE_CONV_2D;
  bool fc = c->code == TFL_OP_FULLY_CONNECTED;
  s->t[0].nq = s->t[2].nq = 1;
  s->t[0].scale[0] = c->pot ? 0.5f : 0.05f, s->t[0].zp[0] = u8 ? 128 : -3;
  s->t[2].scale[0] = c->pot ? 8.0f : 0.25f, s->t[2].zp[0] = u8 ? 100 : 5;
  if (u8 || fc) {
    s->t[1].nq = 1, s->t[1].scale[0] = c->pot ? 0.5f : 0.02f, s->t[1].zp[0] = u8 ? 120 : 0;
  } else {
    s->t[1].nq = c->cout, s->t[1].qdim = dw ? 3 : 0;
    for (int i = 0; i < c->cout; i++)
      s->t[1].scale[i] = c->pot ? 0.5f : 0.004f + 0.012f * (float)(i % 5) / 4.0f;
  }
  if (!c->no_bias) {
    s->t[3].nq = s->t[1].nq;
    for (int i = 0; i < s->t[1].nq; i++) s->t[3].scale[i] = s->t[0].scale[0] * s->t[1].scale[i];
  }
}

/* The operator's options: padding, strides, dilation, depth multiplier, activation. */
static void options_case(const Case *c, OmSpec *s) {
  bool dw = c->code == TFL_OP_DEPTHWISE_CONV_2D;
  if (c->code == TFL_OP_CONV_2D) {
    om_options(s, TFL_OPTS_Conv2DOptions);
    TflConv2DOptions *o = &s->options.Conv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->fused_activation_function = (int8_t)c->act;
  } else if (dw) {
    om_options(s, TFL_OPTS_DepthwiseConv2DOptions);
    TflDepthwiseConv2DOptions *o = &s->options.DepthwiseConv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = o->stride_w = c->stride;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->depth_multiplier = c->cout / c->cin;
    o->fused_activation_function = (int8_t)c->act;
  } else {
    om_options(s, TFL_OPTS_FullyConnectedOptions);
    s->options.FullyConnectedOptions.fused_activation_function = (int8_t)c->act;
  }
}

static void build_case(const Case *c, const char *path) {
  static int8_t w8[65536];
  static int32_t b32[512];
  static float wf[65536], bf[512];
  bool u8 = c->type == TFL_UINT8, dw = c->code == TFL_OP_DEPTHWISE_CONV_2D;
  bool f32 = c->type == TFL_FLOAT32;
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
  om_fill_f32(wf, nw, 7, -1, 1);
  om_fill_f32(bf, (size_t)c->cout, 9, -1, 1);
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
  wt->data = f32 ? (const void *)wf : w8, wt->size = nw * (f32 ? 4 : 1);
  s.nt = 3;
  s.in[s.nin++] = 0, s.in[s.nin++] = 1;
  if (!c->no_bias) {
    s.t[3] = (OmTensor){.name = "b", .type = f32 ? TFL_FLOAT32 : TFL_INT32, .rank = 1,
                        .dims = {c->cout}, .data = f32 ? (const void *)bf : b32,
                        .size = (size_t)c->cout * 4};
    s.in[s.nin++] = 3;
    s.nt = 4;
  }
  s.out[0] = 2;
  if (!f32) quantize_case(c, &s);
  options_case(c, &s);
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
  /* float32 (against TFLite): 6-, 4-, 2- and 1-pixel tiles, 16-channel pairs of blocks with an
     odd last block, in place (no horizontal padding) and through the padded ring. The oracle's
     TFLite refuses CONV_2D without a bias, so only the other two omit it. */
  {"conv_f32_odd_same_s2", CONV, TFL_FLOAT32, 1, 11, 9, 5, 13, 3, 3, 2, 1, SAME, RELU, false, false},
  {"conv_f32_1x1_c19", CONV, TFL_FLOAT32, 1, 7, 6, 37, 19, 1, 1, 1, 1, SAME, RELU6, false, false},
  {"conv_f32_1x1_s2_c40", CONV, TFL_FLOAT32, 2, 9, 9, 16, 40, 1, 1, 2, 1, VALID, NONE, false, false},
  {"conv_f32_5x5_same_c3", CONV, TFL_FLOAT32, 1, 10, 13, 3, 8, 5, 5, 1, 1, SAME, NONE, false, false},
  {"conv_f32_even_k_s2", CONV, TFL_FLOAT32, 1, 8, 8, 6, 24, 4, 2, 2, 1, SAME, RELU_N1_TO_1, false, false},
  {"conv_f32_dil2", CONV, TFL_FLOAT32, 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, RELU6, false, false},
  {"conv_f32_dil3_valid", CONV, TFL_FLOAT32, 2, 12, 12, 3, 10, 3, 3, 1, 3, VALID, NONE, false, false},
  {"conv_f32_w20_c70", CONV, TFL_FLOAT32, 1, 5, 20, 24, 70, 3, 3, 1, 1, SAME, RELU, false, false},
  {"conv_f32_tiny", CONV, TFL_FLOAT32, 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, false, false},
  {"dw_f32_c7_same_s2", DW, TFL_FLOAT32, 1, 11, 10, 7, 7, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"dw_f32_c40_same", DW, TFL_FLOAT32, 2, 8, 9, 40, 40, 3, 3, 1, 1, SAME, RELU, false, false},
  {"dw_f32_mult3", DW, TFL_FLOAT32, 1, 9, 8, 5, 15, 3, 3, 1, 1, SAME, NONE, false, false},
  {"dw_f32_5x5_dil2", DW, TFL_FLOAT32, 1, 13, 12, 9, 9, 5, 5, 1, 2, SAME, RELU_N1_TO_1, false, false},
  {"dw_f32_even_k_valid", DW, TFL_FLOAT32, 1, 9, 9, 16, 16, 4, 2, 2, 1, VALID, NONE, false, false},
  {"dw_f32_w19_c24", DW, TFL_FLOAT32, 1, 5, 19, 24, 24, 3, 3, 1, 1, SAME, RELU6, false, false},
  {"dw_f32_mult2_nobias", DW, TFL_FLOAT32, 2, 6, 6, 3, 6, 3, 3, 1, 1, VALID, NONE, .no_bias = true},
  {"fc_f32_odd", FC, TFL_FLOAT32, 3, 1, 1, 37, 13, 1, 1, 1, 1, 0, RELU, false, false},
  {"fc_f32_wide", FC, TFL_FLOAT32, 1, 1, 1, 250, 70, 1, 1, 1, 1, 0, NONE, false, false},
  {"fc_f32_c100_relu6", FC, TFL_FLOAT32, 2, 1, 1, 33, 100, 1, 1, 1, 1, 0, RELU6, false, false},
  {"fc_f32_nobias", FC, TFL_FLOAT32, 1, 1, 1, 8, 3, 1, 1, 1, 1, 0, RELU_N1_TO_1, .no_bias = true},
};

ParameterizedTestParameters(avx2_ops, cases) {
  return cr_make_param_array(Case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(const Case *c, avx2_ops, cases, .timeout = 300) {
  need_avx2();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-targets-%s-%d.tflite", c->name, (int)getpid());
  build_case(c, path);
  if (c->type == TFL_FLOAT32) {
    matches_tflite(path, "single");
  } else {
    same_outputs(path, "single", 3);
    same_outputs(path, "double", 4);
  }
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

/* The same for the float32 kernels, one model per operator, each of which must use its AVX2
   kernel (the generic fallback would pass the TFLite comparison too). */
Test(avx2_ops, float_builds_without_mavx2) {
  static const Case fc[] = {
    {"conv", CONV, TFL_FLOAT32, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, RELU, false, false},
    {"dw", DW, TFL_FLOAT32, 1, 6, 6, 5, 10, 3, 3, 1, 1, SAME, RELU6, .no_bias = true},
    {"fc", FC, TFL_FLOAT32, 2, 1, 1, 13, 9, 1, 1, 1, 1, 0, NONE, false, false},
  };
  static const char *const kernel[] = {"conv_avx2_f32(", "depthwise_conv_avx2_f32(",
                                       "fully_connected_avx2_f32("};
  for (int i = 0; i < 3; i++) {
    char path[128], dir[] = "/tmp/modelc-targets-XXXXXX";
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.tflite", dir);
    build_case(&fc[i], path);
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
  static const Case cs[] = {
    {"conv", CONV, TFL_UINT8, 1, 3, 3, 200, 200, 1, 1, 1, 1, SAME, RELU, false, false},
    {"dw", DW, TFL_UINT8, 1, 3, 30, 256, 256, 3, 3, 1, 1, SAME, RELU6, false, false},
    {"fc", FC, TFL_UINT8, 4, 1, 1, 120, 500, 1, 1, 1, 1, 0, NONE, false, false},
    {"dw_wide", DW, TFL_UINT8, 1, 9, 40, 512, 512, 3, 3, 1, 2, SAME, NONE, false, false},
  };
  for (int i = 0; i < 4; i++) {
    char path[512];
    snprintf(path, sizeof path, "/tmp/modelc-threads-%s-%d.tflite", cs[i].name, (int)getpid());
    build_case(&cs[i], path);
    same_for_threads(path, "generic");
    need_avx2();
    same_for_threads(path, "x86-64-avx2");
    same_outputs(path, "single", 5);
    same_outputs(path, "double", 6);
    unlink(path);
  }
}

/* A --threads file builds warning-free both without OpenMP (no unknown pragma) and with it. */
Test(threads, builds_with_and_without_openmp) {
  char path[128], dir[] = "/tmp/modelc-threads-XXXXXX";
  cr_assert(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.tflite", dir);
  Case c = {"build", CONV, TFL_INT8, 1, 16, 16, 32, 64, 3, 3, 1, 1, SAME, NONE, false, false};
  build_case(&c, path);
  static const char *const targets[] = {"generic", "x86-64-avx2"};
  for (int t = 0; t < 2; t++)
    for (int omp = 0; omp < 2; omp++) {
      char cmd[1024];
      snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' --target %s --threads 2 --name m "
               ">/dev/null && cc -std=c99 -O2 -Wall -Wextra -Werror %s -c '%s/m.c' -o '%s/m.o' && "
               "grep -q 'omp parallel' '%s/m.c'", modelc_bin(), path, dir, targets[t],
               omp ? "-fopenmp" : "", dir, dir, dir);
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
