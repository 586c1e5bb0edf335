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

#include "tests/opmodel.h"
#include "tests/util.h"

static bool have(const char *prog) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
  return system(cmd) == 0;
}

static void need_cross(void) {
  const char *missing = !have("aarch64-linux-gnu-gcc") ? "aarch64-linux-gnu-gcc"
                        : !have("qemu-aarch64")        ? "qemu-aarch64"
                                                       : NULL;
  if (!missing) return;
  if (getenv("CI"))
    cr_assert_fail("target aarch64-neon not run: %s is missing (CI is set: this is a failure; "
                   "tests/run.sh installs it)", missing);
  cr_skip_test("target aarch64-neon not run: %s is missing", missing);
}

/* modelc run into dir with `args` (target, cpu, rounding); true on success. */
static bool run(const char *model, const char *args, int seed, const char *dir) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s' run '%s' %s --seed %d --iters 0 --output-dir '%s' 2>&1",
           modelc_bin(), model, args, seed, dir);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run modelc");
  char line[1024];
  while (fgets(line, sizeof line, p)) cr_log_info("%s: %s", args, line);
  int st = pclose(p);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Every output file of the runs in a and b is byte-identical. */
static void same_files(const char *model, const char *what, const char *a, const char *b) {
  int k = 0;
  for (;; k++) {
    char pa[4200], pb[4200];
    snprintf(pa, sizeof pa, "%s/output_%d.bin", a, k);
    snprintf(pb, sizeof pb, "%s/output_%d.bin", b, k);
    size_t na, nb;
    uint8_t *da = read_file(pa, &na);
    if (!da) break;
    uint8_t *db = read_file(pb, &nb);
    cr_assert(db, "%s: %s wrote no output %d", model, what, k);
    size_t first = 0;
    while (first < na && first < nb && da[first] == db[first]) first++;
    cr_expect(na == nb && first == na, "%s: %s: output %d differs from generic at byte %zu of %zu",
              model, what, k, first, na);
    free(da), free(db);
  }
  cr_assert_gt(k, 0, "%s: no outputs", model);
}

/* generic on the host, then each aarch64 variant under qemu, same seed; double rounding only
   for the baseline kernels (their requantization is the generic scalar function, lane by lane,
   whatever the multiply instructions). */
static void compare(const char *model, int seed) {
  static const char *const variants[][2] = {
      {"single", "--target aarch64-neon --rounding single"},
      {"single", "--target aarch64-neon --rounding single --cpu cortex-a76"},
      {"double", "--target aarch64-neon --rounding double"},
  };
  char dir[] = "/tmp/modelc-aarch64-XXXXXX";
  cr_assert(mkdtemp(dir), "cannot make a folder");
  for (int r = 0; r < 2; r++) {
    const char *rounding = r ? "double" : "single";
    char gdir[64], gargs[64];
    snprintf(gdir, sizeof gdir, "%s/generic-%s", dir, rounding);
    snprintf(gargs, sizeof gargs, "--target generic --rounding %s", rounding);
    cr_assert(run(model, gargs, seed, gdir), "%s: generic failed", model);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
      if (strcmp(variants[v][0], rounding) != 0) continue;
      char vdir[64];
      snprintf(vdir, sizeof vdir, "%s/v%zu", dir, v);
      cr_assert(run(model, variants[v][1], seed, vdir), "%s: %s failed", model, variants[v][1]);
      same_files(model, variants[v][1], gdir, vdir);
    }
  }
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

/* ---- every shared model ----
   The largest, deeplabv3 at 513x513, takes about 15 s a run under qemu; all stay in. */

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
  need_cross();
  const char *shared = shared_dir();
  if (!shared) cr_skip_test("no shared data");
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", shared, rel);
  compare(path, 1);
}

#define MODEL_TEST(test, path) \
  Test(aarch64_models, test, .timeout = 900) { shared_model(path); }
MODELS(MODEL_TEST)
#undef MODEL_TEST

/* A model added to ../shared/models must be added to MODELS, so none goes untested. */
Test(aarch64_models, every_shared_model_listed) {
  size_t n;
  char **all = shared_models(&n);
  if (!shared_dir()) cr_skip_test("no shared data");
  for (size_t i = 0; i < n; i++) {
    const char *rel = strstr(all[i], "/models/");
    if (!rel) continue;  /* testdata/seanet */
    bool found = false;
    for (size_t k = 0; k < sizeof listed / sizeof listed[0]; k++)
      found = found || strcmp(rel + 8, listed[k]) == 0;
    cr_expect(found, "%s is not in MODELS of tests/test_aarch64.c", all[i]);
  }
}

/* ---- built single-operator models ---- */

typedef struct Case {
  char name[32];  /* inline: Criterion copies parameters into fresh processes */
  int code;       /* TFL_OP_CONV_2D, TFL_OP_DEPTHWISE_CONV_2D, TFL_OP_FULLY_CONNECTED */
  int type;       /* TFL_INT8 or TFL_UINT8 */
  int batch, h, w, cin, cout, kh, kw, stride, dil, padding, act;
  bool no_bias, fc_zp;  /* fc_zp: an int8 fully connected layer with a weight zero point */
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
  OmSpec s = {.code = c->code, .version = 2, .nout = 1};
  int32_t wd[4] = {c->cout, c->kh, c->kw, c->cin};
  if (dw) wd[0] = 1, wd[3] = c->cout;
  size_t nw = fc ? (size_t)c->cout * c->cin : (size_t)wd[0] * wd[1] * wd[2] * wd[3];
  cr_assert_leq(nw, sizeof w8);
  cr_assert_leq(c->cout, 512);
  cr_assert(fc || u8 || c->cout <= OM_MAX_Q, "per-channel scales for %d channels", c->cout);
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
  /* Zero points away from 0 exercise the folded terms; per-channel int8 convolution weights. */
  s.t[0].nq = s.t[2].nq = 1;
  s.t[0].scale[0] = 0.05f, s.t[0].zp[0] = u8 ? 128 : -3;
  s.t[2].scale[0] = 0.25f, s.t[2].zp[0] = u8 ? 100 : 5;
  if (u8 || fc) {
    s.t[1].nq = 1, s.t[1].scale[0] = 0.02f, s.t[1].zp[0] = u8 ? 120 : c->fc_zp ? 9 : 0;
  } else {
    s.t[1].nq = c->cout, s.t[1].qdim = dw ? 3 : 0;
    for (int i = 0; i < c->cout; i++) s.t[1].scale[i] = 0.004f + 0.012f * (float)(i % 5) / 4.0f;
  }
  if (!c->no_bias) {
    s.t[3].nq = s.t[1].nq;
    for (int i = 0; i < s.t[1].nq; i++) s.t[3].scale[i] = s.t[0].scale[0] * s.t[1].scale[i];
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
  {"conv_s8_1x1_direct", CONV, TFL_INT8, 2, 5, 7, 32, 19, 1, 1, 1, 1, SAME, RELU6, false, false},
  {"conv_s8_1x1_c37", CONV, TFL_INT8, 1, 7, 6, 37, 6, 1, 1, 1, 1, SAME, NONE, false, false},
  {"conv_s8_5x5_c3", CONV, TFL_INT8, 1, 10, 13, 3, 8, 5, 5, 1, 1, SAME, NONE, false, false},
  {"conv_s8_even_k_s2", CONV, TFL_INT8, 1, 8, 8, 6, 24, 4, 2, 2, 1, SAME, RELU_N1_TO_1, false, false},
  {"conv_s8_dil2", CONV, TFL_INT8, 1, 12, 11, 4, 9, 3, 3, 1, 2, SAME, NONE, false, false},
  {"conv_s8_tiny", CONV, TFL_INT8, 1, 2, 3, 1, 1, 3, 3, 1, 1, SAME, NONE, false, false},
  {"conv_u8_zp_same_s2", CONV, TFL_UINT8, 1, 10, 9, 7, 17, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"conv_u8_1x1_direct", CONV, TFL_UINT8, 1, 5, 5, 48, 24, 1, 1, 1, 1, SAME, RELU, false, false},
  {"conv_u8_dil3_valid", CONV, TFL_UINT8, 2, 12, 12, 3, 10, 3, 3, 1, 3, VALID, NONE, .no_bias = true},
  {"dw_s8_c7_same_s2", DW, TFL_INT8, 1, 11, 10, 7, 7, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"dw_s8_c40_same", DW, TFL_INT8, 2, 8, 9, 40, 40, 3, 3, 1, 1, SAME, RELU, false, false},
  {"dw_s8_5x5_dil2", DW, TFL_INT8, 1, 13, 12, 9, 9, 5, 5, 1, 2, SAME, RELU_N1_TO_1, false, false},
  {"dw_s8_mult3", DW, TFL_INT8, 1, 9, 8, 5, 15, 3, 3, 1, 1, SAME, NONE, false, false},  /* generic kernel */
  {"dw_u8_zp_c24_s2", DW, TFL_UINT8, 1, 11, 9, 24, 24, 3, 3, 2, 1, SAME, RELU6, false, false},
  {"dw_u8_c3_nobias", DW, TFL_UINT8, 2, 6, 6, 3, 3, 3, 3, 1, 1, VALID, NONE, .no_bias = true},
  {"fc_s8_odd", FC, TFL_INT8, 3, 1, 1, 37, 13, 1, 1, 1, 1, 0, RELU, false, false},
  {"fc_s8_direct_zp", FC, TFL_INT8, 5, 1, 1, 64, 10, 1, 1, 1, 1, 0, NONE, .fc_zp = true},
  {"fc_s8_wide", FC, TFL_INT8, 1, 1, 1, 250, 70, 1, 1, 1, 1, 0, NONE, false, false},
  {"fc_u8_zp", FC, TFL_UINT8, 2, 1, 1, 33, 41, 1, 1, 1, 1, 0, RELU6, false, false},
  {"fc_u8_nobias", FC, TFL_UINT8, 1, 1, 1, 8, 3, 1, 1, 1, 1, 0, NONE, .no_bias = true},
};

ParameterizedTestParameters(aarch64_ops, cases) {
  return cr_make_param_array(Case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(const Case *c, aarch64_ops, cases, .timeout = 300) {
  need_cross();
  char path[128];
  snprintf(path, sizeof path, "/tmp/modelc-aarch64-%s-%d.tflite", c->name, (int)getpid());
  build_case(c, path);
  compare(path, 3);
  unlink(path);
}

/* The generated file builds warning-free with plain C99 for aarch64 (no -march: SDOT kernels
   carry a target attribute) and on this host (the portable branch), and uses the kernels. */
Test(aarch64_ops, builds_without_flags) {
  need_cross();
  char path[512], dir[] = "/tmp/modelc-aarch64-XXXXXX";
  cr_assert(mkdtemp(dir));
  static const Case cs[] = {
    {"conv", CONV, TFL_INT8, 1, 6, 6, 5, 9, 3, 3, 1, 1, SAME, NONE, false, false},
    {"dw", DW, TFL_UINT8, 1, 6, 6, 5, 5, 3, 3, 1, 1, SAME, RELU6, false, false},
    {"fc", FC, TFL_INT8, 2, 1, 1, 13, 9, 1, 1, 1, 1, 0, NONE, false, false},
  };
  static const char *const kernel[] = {"conv_neon_s8_f(", "depthwise_conv_neon_u8_f(",
                                       "conv_neon_s8("};
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%s.tflite", dir, cs[i].name);
    build_case(&cs[i], path);
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
  if (have("aarch64-linux-gnu-gcc"))
    refused("--target aarch64-neon --cc aarch64-linux-gnu-gcc --runner /nonexistent/qemu",
            "runs under /nonexistent/qemu, which is not installed");
}
