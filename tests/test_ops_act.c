/* Activation and conversion operators (SOFTMAX, LOGISTIC, TANH, the RELU family, LEAKY_RELU,
   HARD_SWISH, QUANTIZE, DEQUANTIZE, CAST, EXP) on single-operator models built here: every dtype
   the kernels handle, scales that exercise saturation and both shift directions, power-of-two
   and general int16 scales, several rows. Each model runs through modelc and through real
   TensorFlow Lite (tests/oracle/diff.js) on seeded random inputs over the input's full range;
   integer outputs must be identical. A few cases TFLite itself rejects (int16 -> int32 QUANTIZE,
   which only TFLite Micro has) are checked against a reference computed here instead. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/opmodel.h"
#include "tests/util.h"

static const int32_t shape_rows[] = {2, 3, 37};  /* 3 x 2 rows of 37: several softmax rows */

static OmTensor act(const char *name, int type, float scale, int zp) {
  OmTensor t = {.name = name, .type = type, .rank = 3};
  memcpy(t.dims, shape_rows, sizeof shape_rows);
  if (scale > 0) t.nq = 1, t.scale[0] = scale, t.zp[0] = zp;
  return t;
}

static void model_path(const char *name, char *path, size_t n) {
  /* MODELC_OP_MODELS=DIR keeps the models there, to inspect or rerun by hand. */
  const char *keep = getenv("MODELC_OP_MODELS");
  if (keep) snprintf(path, n, "%s/%s.tflite", keep, name);
  else snprintf(path, n, "/tmp/modelc-act-%s-%d.tflite", name, (int)getpid());
}

/* Runs diff.js on the model; every output must agree with TFLite. */
static void check(const OmSpec *s, const char *name) {
  char path[512], cmd[4096], line[4096];
  model_path(name, path, sizeof path);
  cr_assert_eq(om_write(s, path), 0, "cannot write %s", path);
  snprintf(cmd, sizeof cmd, "node '%s/oracle/diff.js' --modelc '%s' --seeds 1,2,3 '%s' 2>&1",
           MODELC_TESTS_DIR, modelc_bin(), path);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  while (fgets(line, sizeof line, p)) cr_log_info("%s: %s", name, line);
  int st = pclose(p);
  if (!getenv("MODELC_OP_MODELS")) unlink(path);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: modelc and TFLite differ", name);
}

/* One input x, one output y of the same shape. */
static void unary(const char *name, int code, int opts, OmTensor x, OmTensor y, float param) {
  OmSpec s = {.code = code, .version = 1, .nt = 2, .nin = 1, .in = {0}, .nout = 1, .out = {1}};
  s.t[0] = x, s.t[1] = y;
  if (opts) om_options(&s, opts);
  if (opts == TFL_OPTS_SoftmaxOptions) s.options.SoftmaxOptions.beta = param;
  if (opts == TFL_OPTS_LeakyReluOptions) s.options.LeakyReluOptions.alpha = param;
  if (opts == TFL_OPTS_CastOptions) {
    s.options.CastOptions.in_data_type = (int8_t)x.type;
    s.options.CastOptions.out_data_type = (int8_t)y.type;
  }
  check(&s, name);
}

#define F32(n) act(n, TFL_FLOAT32, 0, 0)

/* ---- SOFTMAX ---- */

Test(ops_act, softmax_int8, .timeout = 120) {
  unary("sm_s8", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_INT8, 0.1f, 5),
        act("y", TFL_INT8, 1.0f / 256, -128), 1.0f);
}
Test(ops_act, softmax_int8_beta_small_scale, .timeout = 120) {
  unary("sm_s8_b", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_INT8, 0.0123f, -7),
        act("y", TFL_INT8, 1.0f / 256, -128), 0.37f);
}
Test(ops_act, softmax_uint8, .timeout = 120) {
  unary("sm_u8", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_UINT8, 0.05f, 120),
        act("y", TFL_UINT8, 1.0f / 256, 0), 1.0f);
}
Test(ops_act, softmax_uint8_wide, .timeout = 120) {
  unary("sm_u8_w", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_UINT8, 0.3f, 0),
        act("y", TFL_UINT8, 1.0f / 256, 0), 1.5f);
}
Test(ops_act, softmax_int8_to_int16, .timeout = 120) {
  unary("sm_s8_s16", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_INT8, 0.08f, 3),
        act("y", TFL_INT16, 1.0f / 65535, -32768), 1.0f);
}
Test(ops_act, softmax_int16, .timeout = 120) {
  unary("sm_s16", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_INT16, 0.0004f, 0),
        act("y", TFL_INT16, 1.0f / 32768, 0), 1.0f);
}
Test(ops_act, softmax_int16_wide, .timeout = 120) {
  unary("sm_s16_w", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, act("x", TFL_INT16, 0.002f, 0),
        act("y", TFL_INT16, 1.0f / 32768, 0), 0.8f);
}
Test(ops_act, softmax_float, .timeout = 120) {
  unary("sm_f32", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, F32("x"), F32("y"), 2.5f);
}

/* ---- LOGISTIC, TANH ---- */

Test(ops_act, logistic_int8, .timeout = 120) {
  unary("lg_s8", TFL_OP_LOGISTIC, 0, act("x", TFL_INT8, 0.06f, -4), act("y", TFL_INT8, 1.0f / 256, -128), 0);
}
Test(ops_act, logistic_uint8, .timeout = 120) {
  unary("lg_u8", TFL_OP_LOGISTIC, 0, act("x", TFL_UINT8, 0.02f, 128), act("y", TFL_UINT8, 1.0f / 256, 0), 0);
}
Test(ops_act, logistic_int16_pot, .timeout = 120) {
  unary("lg_s16_pot", TFL_OP_LOGISTIC, 0, act("x", TFL_INT16, 1.0f / 4096, 0), act("y", TFL_INT16, 1.0f / 32768, 0), 0);
}
Test(ops_act, logistic_int16_general, .timeout = 120) {
  unary("lg_s16_gen", TFL_OP_LOGISTIC, 0, act("x", TFL_INT16, 0.00031f, 0), act("y", TFL_INT16, 1.0f / 32768, 0), 0);
}
Test(ops_act, logistic_float, .timeout = 120) {
  unary("lg_f32", TFL_OP_LOGISTIC, 0, F32("x"), F32("y"), 0);
}
Test(ops_act, tanh_int8, .timeout = 120) {
  unary("th_s8", TFL_OP_TANH, 0, act("x", TFL_INT8, 0.03f, 0), act("y", TFL_INT8, 1.0f / 128, 0), 0);
}
Test(ops_act, tanh_uint8, .timeout = 120) {
  unary("th_u8", TFL_OP_TANH, 0, act("x", TFL_UINT8, 0.05f, 100), act("y", TFL_UINT8, 1.0f / 128, 128), 0);
}
Test(ops_act, tanh_int16_pot, .timeout = 120) {
  unary("th_s16_pot", TFL_OP_TANH, 0, act("x", TFL_INT16, 1.0f / 4096, 0), act("y", TFL_INT16, 1.0f / 32768, 0), 0);
}
Test(ops_act, tanh_int16_pot_shift1, .timeout = 120) {
  unary("th_s16_pot1", TFL_OP_TANH, 0, act("x", TFL_INT16, 1.0f / 2048, 0), act("y", TFL_INT16, 1.0f / 32768, 0), 0);
}
Test(ops_act, tanh_int16_general, .timeout = 120) {
  unary("th_s16_gen", TFL_OP_TANH, 0, act("x", TFL_INT16, 0.00047f, 0), act("y", TFL_INT16, 1.0f / 32768, 0), 0);
}
Test(ops_act, tanh_float, .timeout = 120) {
  unary("th_f32", TFL_OP_TANH, 0, F32("x"), F32("y"), 0);
}

/* ---- RELU family, LEAKY_RELU, HARD_SWISH ---- */

Test(ops_act, relu_int8, .timeout = 120) {
  unary("relu_s8", TFL_OP_RELU, 0, act("x", TFL_INT8, 0.05f, 10), act("y", TFL_INT8, 0.04f, -128), 0);
}
Test(ops_act, relu_uint8, .timeout = 120) {
  unary("relu_u8", TFL_OP_RELU, 0, act("x", TFL_UINT8, 0.05f, 130), act("y", TFL_UINT8, 0.03f, 0), 0);
}
Test(ops_act, relu6_int8, .timeout = 120) {
  unary("relu6_s8", TFL_OP_RELU6, 0, act("x", TFL_INT8, 0.07f, -3), act("y", TFL_INT8, 0.025f, -128), 0);
}
Test(ops_act, relu6_uint8, .timeout = 120) {
  unary("relu6_u8", TFL_OP_RELU6, 0, act("x", TFL_UINT8, 0.05f, 100), act("y", TFL_UINT8, 0.03f, 0), 0);
}
Test(ops_act, relu_n1_to_1_int8, .timeout = 120) {
  unary("relu1_s8", TFL_OP_RELU_N1_TO_1, 0, act("x", TFL_INT8, 0.02f, 4), act("y", TFL_INT8, 1.0f / 128, 0), 0);
}
Test(ops_act, relu_n1_to_1_uint8, .timeout = 120) {
  unary("relu1_u8", TFL_OP_RELU_N1_TO_1, 0, act("x", TFL_UINT8, 0.02f, 128), act("y", TFL_UINT8, 1.0f / 128, 128), 0);
}
Test(ops_act, relu_float, .timeout = 120) { unary("relu_f32", TFL_OP_RELU, 0, F32("x"), F32("y"), 0); }
Test(ops_act, relu6_float, .timeout = 120) { unary("relu6_f32", TFL_OP_RELU6, 0, F32("x"), F32("y"), 0); }
Test(ops_act, relu_n1_to_1_float, .timeout = 120) { unary("relu1_f32", TFL_OP_RELU_N1_TO_1, 0, F32("x"), F32("y"), 0); }

Test(ops_act, leaky_relu_int8, .timeout = 120) {
  unary("leaky_s8", TFL_OP_LEAKY_RELU, TFL_OPTS_LeakyReluOptions, act("x", TFL_INT8, 0.05f, 10),
        act("y", TFL_INT8, 0.04f, -20), 0.2f);
}
Test(ops_act, leaky_relu_uint8, .timeout = 120) {
  unary("leaky_u8", TFL_OP_LEAKY_RELU, TFL_OPTS_LeakyReluOptions, act("x", TFL_UINT8, 0.03f, 128),
        act("y", TFL_UINT8, 0.05f, 100), 0.3f);
}
Test(ops_act, leaky_relu_int16, .timeout = 120) {
  unary("leaky_s16", TFL_OP_LEAKY_RELU, TFL_OPTS_LeakyReluOptions, act("x", TFL_INT16, 0.0017f, 0),
        act("y", TFL_INT16, 0.0011f, 0), 0.1f);
}
Test(ops_act, leaky_relu_int8_tiny_alpha, .timeout = 120) {
  /* alpha * s_x / s_y below 2^-8: XNNPACK refuses it, so TFLite's own kernel runs. */
  unary("leaky_s8_t", TFL_OP_LEAKY_RELU, TFL_OPTS_LeakyReluOptions, act("x", TFL_INT8, 0.05f, 10),
        act("y", TFL_INT8, 0.04f, -20), 0.002f);
}
Test(ops_act, leaky_relu_float, .timeout = 120) {
  unary("leaky_f32", TFL_OP_LEAKY_RELU, TFL_OPTS_LeakyReluOptions, F32("x"), F32("y"), 0.15f);
}
Test(ops_act, hard_swish_int8, .timeout = 120) {
  unary("hs_s8", TFL_OP_HARD_SWISH, 0, act("x", TFL_INT8, 0.05f, 10), act("y", TFL_INT8, 0.03f, -30), 0);
}
Test(ops_act, hard_swish_int8_wide_input, .timeout = 120) {
  /* A large input scale: the relu-ish multiplier needs a left shift. */
  unary("hs_s8_w", TFL_OP_HARD_SWISH, 0, act("x", TFL_INT8, 0.4f, -5), act("y", TFL_INT8, 0.2f, -60), 0);
}
Test(ops_act, hard_swish_uint8, .timeout = 120) {
  unary("hs_u8", TFL_OP_HARD_SWISH, 0, act("x", TFL_UINT8, 0.02f, 128), act("y", TFL_UINT8, 0.015f, 20), 0);
}
Test(ops_act, hard_swish_float, .timeout = 120) { unary("hs_f32", TFL_OP_HARD_SWISH, 0, F32("x"), F32("y"), 0); }

/* ---- QUANTIZE, DEQUANTIZE, CAST, EXP ---- */

Test(ops_act, quantize_float_to_int8, .timeout = 120) {
  unary("q_f32_s8", TFL_OP_QUANTIZE, 0, F32("x"), act("y", TFL_INT8, 0.0057f, -3), 0);
}
Test(ops_act, quantize_float_to_uint8_saturating, .timeout = 120) {
  unary("q_f32_u8", TFL_OP_QUANTIZE, 0, F32("x"), act("y", TFL_UINT8, 0.0021f, 128), 0);
}
Test(ops_act, quantize_float_to_int16, .timeout = 120) {
  unary("q_f32_s16", TFL_OP_QUANTIZE, 0, F32("x"), act("y", TFL_INT16, 0.0000411f, 0), 0);
}
Test(ops_act, requantize_int8, .timeout = 120) {
  unary("q_s8_s8", TFL_OP_QUANTIZE, 0, act("x", TFL_INT8, 0.05f, 10), act("y", TFL_INT8, 0.03f, -3), 0);
}
Test(ops_act, requantize_int8_to_uint8, .timeout = 120) {
  unary("q_s8_u8", TFL_OP_QUANTIZE, 0, act("x", TFL_INT8, 0.05f, -2), act("y", TFL_UINT8, 0.05f, 126), 0);
}
Test(ops_act, requantize_uint8_to_int8, .timeout = 120) {
  unary("q_u8_s8", TFL_OP_QUANTIZE, 0, act("x", TFL_UINT8, 0.0078125f, 128), act("y", TFL_INT8, 0.0078125f, 0), 0);
}
Test(ops_act, requantize_uint8, .timeout = 120) {
  unary("q_u8_u8", TFL_OP_QUANTIZE, 0, act("x", TFL_UINT8, 0.02f, 100), act("y", TFL_UINT8, 0.07f, 90), 0);
}
Test(ops_act, requantize_uint8_large_ratio, .timeout = 120) {
  /* s_x / s_y above 2^7: outside XNNPACK's range, TFLite's Requantize runs (all saturating but
     the zero point's neighbours). */
  unary("q_u8_u8_big", TFL_OP_QUANTIZE, 0, act("x", TFL_UINT8, 0.5f, 128), act("y", TFL_UINT8, 0.0037f, 120), 0);
}
Test(ops_act, requantize_int8_small_ratio, .timeout = 120) {
  unary("q_s8_s8_small", TFL_OP_QUANTIZE, 0, act("x", TFL_INT8, 0.001f, 3), act("y", TFL_INT8, 0.3f, -1), 0);
}
Test(ops_act, requantize_int16, .timeout = 120) {
  unary("q_s16_s16", TFL_OP_QUANTIZE, 0, act("x", TFL_INT16, 0.0003f, 0), act("y", TFL_INT16, 0.0007f, 0), 0);
}
Test(ops_act, requantize_int16_to_int8, .timeout = 120) {
  unary("q_s16_s8", TFL_OP_QUANTIZE, 0, act("x", TFL_INT16, 0.0005f, 0), act("y", TFL_INT8, 0.06f, 5), 0);
}
Test(ops_act, dequantize_int8, .timeout = 120) {
  unary("dq_s8", TFL_OP_DEQUANTIZE, 0, act("x", TFL_INT8, 0.037f, -7), F32("y"), 0);
}
Test(ops_act, dequantize_uint8, .timeout = 120) {
  unary("dq_u8", TFL_OP_DEQUANTIZE, 0, act("x", TFL_UINT8, 0.011f, 130), F32("y"), 0);
}
Test(ops_act, dequantize_int16, .timeout = 120) {
  unary("dq_s16", TFL_OP_DEQUANTIZE, 0, act("x", TFL_INT16, 0.00013f, 0), F32("y"), 0);
}
Test(ops_act, cast_float_to_int32, .timeout = 120) {
  /* Inputs in [-1, 1): most truncate to 0, the rest to -1; the sign handling is what matters. */
  unary("cast_f32_s32", TFL_OP_CAST, TFL_OPTS_CastOptions, F32("x"), act("y", TFL_INT32, 0, 0), 0);
}
Test(ops_act, cast_int32_to_float, .timeout = 120) {
  unary("cast_s32_f32", TFL_OP_CAST, TFL_OPTS_CastOptions, act("x", TFL_INT32, 0, 0), F32("y"), 0);
}
Test(ops_act, cast_uint8_to_float, .timeout = 120) {
  unary("cast_u8_f32", TFL_OP_CAST, TFL_OPTS_CastOptions, act("x", TFL_UINT8, 0, 0), F32("y"), 0);
}
Test(ops_act, cast_int8_to_int32, .timeout = 120) {
  unary("cast_s8_s32", TFL_OP_CAST, TFL_OPTS_CastOptions, act("x", TFL_INT8, 0, 0), act("y", TFL_INT32, 0, 0), 0);
}
Test(ops_act, cast_int32_to_bool, .timeout = 120) {
  unary("cast_s32_b", TFL_OP_CAST, TFL_OPTS_CastOptions, act("x", TFL_INT32, 0, 0), act("y", TFL_BOOL, 0, 0), 0);
}
Test(ops_act, exp_float, .timeout = 120) { unary("exp_f32", TFL_OP_EXP, TFL_OPTS_ExpOptions, F32("x"), F32("y"), 0); }

/* ---- QUANTIZE int16 -> int32 (TFLite Micro only): against a reference computed here ---- */

Test(ops_act, requantize_int16_to_int32, .timeout = 120) {
  OmSpec s = {.code = TFL_OP_QUANTIZE, .version = 1, .nt = 2, .nin = 1, .in = {0}, .nout = 1, .out = {1}};
  s.t[0] = act("x", TFL_INT16, 1.52590219e-05f, 0);
  s.t[1] = act("y", TFL_INT32, 3.05185094e-05f, 0);
  char path[512], dir[] = "/tmp/modelc-act-q32-XXXXXX", cmd[2048];
  model_path("q_s16_s32", path, sizeof path);
  cr_assert_eq(om_write(&s, path), 0);
  cr_assert(mkdtemp(dir));
  snprintf(cmd, sizeof cmd, "'%s' run '%s' --output-dir '%s' >/dev/null 2>&1", modelc_bin(), path, dir);
  cr_assert_eq(system(cmd), 0, "modelc run failed: %s", cmd);
  char in_path[600], out_path[600];
  snprintf(in_path, sizeof in_path, "%s/input_0.bin", dir);
  snprintf(out_path, sizeof out_path, "%s/output_0.bin", dir);
  size_t nin, nout;
  uint8_t *in = read_file(in_path, &nin), *out = read_file(out_path, &nout);
  cr_assert(in && out && nin == 2 * 222 && nout == 4 * 222);
  /* TFLite Micro's Requantize: MultiplyByQuantizedMultiplier with gemmlowp's double rounding (a
     rounding doubling high multiply, then a rounding right shift), the multiplier from
     (double)s_x / (double)s_y. Here s_x / s_y is just below 0.5, so the shift is to the right. */
  int e2;
  double frac = frexp((double)1.52590219e-05f / (double)3.05185094e-05f, &e2);
  int64_t mult = llround(frac * 2147483648.0);
  cr_assert(e2 <= 0 && mult < 2147483648ll);
  for (size_t i = 0; i < 222; i++) {
    int16_t x;
    int32_t y;
    memcpy(&x, in + 2 * i, 2);
    memcpy(&y, out + 4 * i, 4);
    int64_t ab = (int64_t)x * mult;
    int64_t high = (ab + (ab >= 0 ? (1ll << 30) : 1 - (1ll << 30))) / (1ll << 31);
    int right = -e2;
    int64_t mask = (1ll << right) - 1, rem = high & mask, threshold = (mask >> 1) + (high < 0);
    int32_t want = (int32_t)((high >> right) + (rem > threshold));
    cr_expect_eq(y, want, "element %zu: x %d -> %d, expected %d", i, x, y, want);
  }
  free(in), free(out);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  (void)system(cmd);
  if (!getenv("MODELC_OP_MODELS")) unlink(path);
}
