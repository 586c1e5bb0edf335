/* Per-operator tests on small models built here with the schema writer: the shapes, strides,
   dilations, paddings, per-channel scales, saturation edges and batch sizes the shared models do
   not cover. Each model runs through modelc and through real TensorFlow Lite
   (tests/oracle/diff.js) on seeded random inputs; integer outputs must be identical. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/opmodel.h"
#include "tests/util.h"

/* Per-channel symmetric quantization along qdim with scales spanning `spread` decades. */
static void per_channel(OmTensor *t, int n, int qdim, float base, float spread) {
  t->nq = n, t->qdim = qdim;
  for (int i = 0; i < n; i++) {
    float e = n > 1 ? spread * (float)i / (float)(n - 1) - spread / 2 : 0;
    t->scale[i] = base;
    for (float k = 0; k < e; k += 1) t->scale[i] *= 10;
    for (float k = 0; k > e; k -= 1) t->scale[i] /= 10;
    t->zp[i] = 0;
  }
}

static void check(const OmSpec *s, const char *name) {
  /* MODELC_OP_MODELS=DIR keeps the models there, to inspect or rerun by hand. */
  const char *keep = getenv("MODELC_OP_MODELS");
  char path[512];
  if (keep) snprintf(path, sizeof path, "%s/%s.tflite", keep, name);
  else snprintf(path, sizeof path, "/tmp/modelc-op-%s-%d.tflite", name, (int)getpid());
  cr_assert_eq(om_write(s, path), 0, "cannot write %s", path);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "node '%s/oracle/diff.js' --modelc '%s' --seeds 1,2,3 '%s' 2>&1",
           MODELC_TESTS_DIR, modelc_bin(), path);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  char line[4096];
  while (fgets(line, sizeof line, p)) cr_log_info("%s: %s", name, line);
  int st = pclose(p);
  if (!keep) unlink(path);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: modelc and TFLite differ", name);
}

/* ---- convolutions ---- */

static void conv_case(const char *name, int type, int batch, int h, int w, int cin, int cout,
                      int kh, int kw, int stride, int dil, int padding, int act_fn, float spread) {
  static int8_t wts[4096];
  static int32_t bias[64];
  static int64_t bias64[64];
  int32_t xd[] = {batch, h, w, cin}, wd[] = {cout, kh, kw, cin}, bd[] = {cout};
  int oh = padding == 0 ? (h + stride - 1) / stride : (h - (kh - 1) * dil - 1) / stride + 1;
  int ow = padding == 0 ? (w + stride - 1) / stride : (w - (kw - 1) * dil - 1) / stride + 1;
  int32_t yd[] = {batch, oh, ow, cout};
  size_t nw = (size_t)cout * kh * kw * cin;
  cr_assert_leq(nw, sizeof wts);
  om_fill_i8(wts, nw, 7, -127, 127);
  om_fill_i32(bias, (size_t)cout, 9, -3000, 3000);
  for (int i = 0; i < cout; i++) bias64[i] = (int64_t)bias[i] * 50;
  OmSpec s = {.code = TFL_OP_CONV_2D, .version = 3, .nt = 4, .nin = 3, .in = {0, 1, 2}, .nout = 1, .out = {3}};
  bool i16 = type == TFL_INT16;
  int wtype = type == TFL_UINT8 ? TFL_UINT8 : TFL_INT8;
  s.t[0] = om_act("x", type, 4, xd, i16 ? 0.0005f : 0.05f, type == TFL_UINT8 ? 128 : i16 ? 0 : -3);
  s.t[1] = om_cst("w", wtype, 4, wd, wts, nw);
  if (type == TFL_UINT8) {
    s.t[1].nq = 1, s.t[1].scale[0] = 0.02f, s.t[1].zp[0] = 120;
  } else {
    per_channel(&s.t[1], cout, 0, 0.01f, spread);
  }
  s.t[2] = i16 ? om_cst("b", TFL_INT64, 1, bd, bias64, sizeof(int64_t) * (size_t)cout)
               : om_cst("b", TFL_INT32, 1, bd, bias, sizeof(int32_t) * (size_t)cout);
  s.t[2].nq = s.t[1].nq;
  for (int i = 0; i < s.t[1].nq; i++) s.t[2].scale[i] = s.t[0].scale[0] * s.t[1].scale[i], s.t[2].zp[i] = 0;
  s.t[3] = om_act("y", type, 4, yd, i16 ? 0.002f : 0.3f, type == TFL_UINT8 ? 100 : i16 ? 0 : 5);
  om_options(&s, TFL_OPTS_Conv2DOptions);
  s.options.Conv2DOptions.padding = (int8_t)padding;
  s.options.Conv2DOptions.stride_h = s.options.Conv2DOptions.stride_w = stride;
  s.options.Conv2DOptions.dilation_h_factor = s.options.Conv2DOptions.dilation_w_factor = dil;
  s.options.Conv2DOptions.fused_activation_function = (int8_t)act_fn;
  check(&s, name);
}

Test(ops, conv_int8_stride2_same_relu6_batch2, .timeout = 120) {
  conv_case("conv_s8_a", TFL_INT8, 2, 7, 9, 3, 5, 3, 3, 2, 1, 0, 3, 2);
}
Test(ops, conv_int8_dilated_valid_extreme_scales, .timeout = 120) {
  conv_case("conv_s8_b", TFL_INT8, 1, 11, 10, 4, 6, 3, 2, 1, 2, 1, 0, 6);
}
Test(ops, conv_int8_even_kernel_same, .timeout = 120) {
  conv_case("conv_s8_c", TFL_INT8, 1, 8, 8, 2, 3, 4, 4, 1, 1, 0, 1, 0);
}
Test(ops, conv_uint8_per_tensor_stride2, .timeout = 120) {
  conv_case("conv_u8", TFL_UINT8, 1, 9, 7, 3, 4, 3, 3, 2, 1, 0, 3, 0);
}
Test(ops, conv_int16x8_same, .timeout = 120) {
  conv_case("conv_s16", TFL_INT16, 1, 6, 5, 3, 4, 3, 3, 1, 1, 0, 0, 2);
}

static void dw_case(const char *name, int type, int h, int w, int cin, int mult, int k,
                    int stride, int dil, int padding) {
  static int8_t wts[4096];
  static int32_t bias[64];
  int cout = cin * mult;
  int32_t xd[] = {1, h, w, cin}, wd[] = {1, k, k, cout}, bd[] = {cout};
  int oh = padding == 0 ? (h + stride - 1) / stride : (h - (k - 1) * dil - 1) / stride + 1;
  int ow = padding == 0 ? (w + stride - 1) / stride : (w - (k - 1) * dil - 1) / stride + 1;
  int32_t yd[] = {1, oh, ow, cout};
  size_t nw = (size_t)k * k * cout;
  om_fill_i8(wts, nw, 11, -127, 127);
  om_fill_i32(bias, (size_t)cout, 13, -2000, 2000);
  OmSpec s = {.code = TFL_OP_DEPTHWISE_CONV_2D, .version = 3, .nt = 4, .nin = 3, .in = {0, 1, 2}, .nout = 1, .out = {3}};
  s.t[0] = om_act("x", type, 4, xd, 0.04f, type == TFL_UINT8 ? 128 : 2);
  s.t[1] = om_cst("w", type, 4, wd, wts, nw);
  if (type == TFL_UINT8) s.t[1].nq = 1, s.t[1].scale[0] = 0.03f, s.t[1].zp[0] = 127;
  else per_channel(&s.t[1], cout, 3, 0.01f, 2);
  s.t[2] = om_cst("b", TFL_INT32, 1, bd, bias, sizeof(int32_t) * (size_t)cout);
  s.t[2].nq = s.t[1].nq;
  for (int i = 0; i < s.t[1].nq; i++) s.t[2].scale[i] = s.t[0].scale[0] * s.t[1].scale[i];
  s.t[3] = om_act("y", type, 4, yd, 0.2f, type == TFL_UINT8 ? 110 : -10);
  om_options(&s, TFL_OPTS_DepthwiseConv2DOptions);
  s.options.DepthwiseConv2DOptions.padding = (int8_t)padding;
  s.options.DepthwiseConv2DOptions.stride_h = s.options.DepthwiseConv2DOptions.stride_w = stride;
  s.options.DepthwiseConv2DOptions.dilation_h_factor = s.options.DepthwiseConv2DOptions.dilation_w_factor = dil;
  s.options.DepthwiseConv2DOptions.depth_multiplier = mult;
  check(&s, name);
}

Test(ops, dwconv_int8_multiplier2_stride2, .timeout = 120) { dw_case("dw_s8", TFL_INT8, 9, 8, 3, 2, 3, 2, 1, 0); }
Test(ops, dwconv_uint8_dilated_valid, .timeout = 120) { dw_case("dw_u8", TFL_UINT8, 10, 9, 4, 1, 3, 1, 2, 1); }

/* ---- fully connected: batch > 1, outputs that saturate ---- */
Test(ops, fc_int8_batch3_saturating, .timeout = 120) {
  static int8_t wts[40 * 13];
  static int32_t bias[13];
  int32_t xd[] = {3, 40}, wd[] = {13, 40}, bd[] = {13}, yd[] = {3, 13};
  om_fill_i8(wts, sizeof wts, 3, -128, 127);
  om_fill_i32(bias, 13, 5, -100000, 100000);
  OmSpec s = {.code = TFL_OP_FULLY_CONNECTED, .version = 4, .nt = 4, .nin = 3, .in = {0, 1, 2}, .nout = 1, .out = {3}};
  s.t[0] = om_act("x", TFL_INT8, 2, xd, 0.1f, 7);
  s.t[1] = om_cst("w", TFL_INT8, 2, wd, wts, sizeof wts);
  s.t[1].nq = 1, s.t[1].scale[0] = 0.05f;
  s.t[2] = om_cst("b", TFL_INT32, 1, bd, bias, sizeof bias);
  s.t[2].nq = 1, s.t[2].scale[0] = 0.005f;
  s.t[3] = om_act("y", TFL_INT8, 2, yd, 0.02f, 0);  /* small output scale: many values saturate */
  om_options(&s, TFL_OPTS_FullyConnectedOptions);
  check(&s, "fc_s8");
}

/* ---- pooling: windows clipped at the borders ---- */
static void pool_case(const char *name, int code, int type, int h, int w, int c, int k, int stride,
                      int padding, int act_fn) {
  int32_t xd[] = {2, h, w, c};
  int oh = padding == 0 ? (h + stride - 1) / stride : (h - k) / stride + 1;
  int ow = padding == 0 ? (w + stride - 1) / stride : (w - k) / stride + 1;
  int32_t yd[] = {2, oh, ow, c};
  OmSpec s = {.code = code, .nt = 2, .nin = 1, .in = {0}, .nout = 1, .out = {1}};
  float sc = type == TFL_FLOAT32 ? 0 : 0.07f;
  int zp = type == TFL_UINT8 ? 130 : type == TFL_INT8 ? -5 : 0;
  s.t[0] = om_act("x", type, 4, xd, sc, zp);
  s.t[1] = om_act("y", type, 4, yd, sc, zp);
  om_options(&s, TFL_OPTS_Pool2DOptions);
  s.options.Pool2DOptions.padding = (int8_t)padding;
  s.options.Pool2DOptions.stride_h = s.options.Pool2DOptions.stride_w = stride;
  s.options.Pool2DOptions.filter_height = s.options.Pool2DOptions.filter_width = k;
  s.options.Pool2DOptions.fused_activation_function = (int8_t)act_fn;
  check(&s, name);
}
Test(ops, avgpool_int8_same_borders, .timeout = 120) { pool_case("avg_s8", TFL_OP_AVERAGE_POOL_2D, TFL_INT8, 7, 6, 3, 3, 2, 0, 0); }
Test(ops, avgpool_uint8_valid_relu, .timeout = 120) { pool_case("avg_u8", TFL_OP_AVERAGE_POOL_2D, TFL_UINT8, 9, 9, 2, 4, 2, 1, 1); }
Test(ops, avgpool_float_same, .timeout = 120) { pool_case("avg_f32", TFL_OP_AVERAGE_POOL_2D, TFL_FLOAT32, 5, 7, 4, 3, 1, 0, 0); }
Test(ops, maxpool_int8_same_relu6, .timeout = 120) { pool_case("max_s8", TFL_OP_MAX_POOL_2D, TFL_INT8, 8, 7, 3, 2, 2, 0, 3); }
Test(ops, maxpool_uint8_valid, .timeout = 120) { pool_case("max_u8", TFL_OP_MAX_POOL_2D, TFL_UINT8, 6, 6, 5, 3, 3, 1, 0); }

/* ---- elementwise binary with broadcasting ---- */
static void binary_case(const char *name, int code, int opts, int type, const int32_t *ad, int ar,
                        const int32_t *bd, int br, const int32_t *yd, int yr, float sa, float sb,
                        float sy, int act_fn) {
  OmSpec s = {.code = code, .version = 2, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  bool q = type != TFL_FLOAT32;
  int z = type == TFL_UINT8 ? 128 : type == TFL_INT8 ? 3 : 0;
  s.t[0] = om_act("a", type, ar, ad, q ? sa : 0, z);
  s.t[1] = om_act("b", type, br, bd, q ? sb : 0, type == TFL_INT16 ? 0 : z / 3);
  s.t[2] = om_act("y", type, yr, yd, q ? sy : 0, type == TFL_INT16 ? 0 : z / 2);
  om_options(&s, opts);
  if (opts == TFL_OPTS_AddOptions) {
    s.options.AddOptions.fused_activation_function = (int8_t)act_fn;
    s.options.AddOptions.pot_scale_int16 = false;
  }
  if (opts == TFL_OPTS_SubOptions) {
    s.options.SubOptions.fused_activation_function = (int8_t)act_fn;
    s.options.SubOptions.pot_scale_int16 = false;
  }
  if (opts == TFL_OPTS_MulOptions) s.options.MulOptions.fused_activation_function = (int8_t)act_fn;
  check(&s, name);
}
static const int32_t d4[] = {2, 3, 4, 5}, d4b[] = {1, 1, 1, 5}, d4c[] = {2, 1, 4, 1};
Test(ops, add_int8_broadcast_relu, .timeout = 120) {
  binary_case("add_s8", TFL_OP_ADD, TFL_OPTS_AddOptions, TFL_INT8, d4, 4, d4b, 4, d4, 4, 0.05f, 0.02f, 0.06f, 1);
}
Test(ops, add_uint8_broadcast_both, .timeout = 120) {
  binary_case("add_u8", TFL_OP_ADD, TFL_OPTS_AddOptions, TFL_UINT8, d4b, 4, d4c, 4, (const int32_t[]){2, 1, 4, 5}, 4, 0.1f, 0.03f, 0.1f, 0);
}
Test(ops, add_int16_general_scales, .timeout = 120) {
  binary_case("add_s16", TFL_OP_ADD, TFL_OPTS_AddOptions, TFL_INT16, d4, 4, d4, 4, d4, 4, 0.0003f, 0.0007f, 0.0009f, 0);
}
Test(ops, add_float_broadcast, .timeout = 120) {
  binary_case("add_f32", TFL_OP_ADD, TFL_OPTS_AddOptions, TFL_FLOAT32, d4, 4, d4b, 4, d4, 4, 0, 0, 0, 3);
}
Test(ops, sub_int8_broadcast, .timeout = 120) {
  binary_case("sub_s8", TFL_OP_SUB, TFL_OPTS_SubOptions, TFL_INT8, d4c, 4, d4, 4, d4, 4, 0.05f, 0.04f, 0.08f, 0);
}
Test(ops, mul_int8_broadcast, .timeout = 120) {
  binary_case("mul_s8", TFL_OP_MUL, TFL_OPTS_MulOptions, TFL_INT8, d4, 4, d4b, 4, d4, 4, 0.05f, 0.04f, 0.01f, 0);
}
Test(ops, mul_uint8, .timeout = 120) {
  binary_case("mul_u8", TFL_OP_MUL, TFL_OPTS_MulOptions, TFL_UINT8, d4, 4, d4, 4, d4, 4, 0.05f, 0.04f, 0.02f, 3);
}
Test(ops, mul_int16, .timeout = 120) {
  binary_case("mul_s16", TFL_OP_MUL, TFL_OPTS_MulOptions, TFL_INT16, d4, 4, d4, 4, d4, 4, 0.0005f, 0.0004f, 0.0002f, 0);
}
Test(ops, maximum_int8_broadcast, .timeout = 120) {
  binary_case("max_s8", TFL_OP_MAXIMUM, 0, TFL_INT8, d4, 4, d4b, 4, d4, 4, 0.05f, 0.05f, 0.05f, 0);
}
Test(ops, minimum_float, .timeout = 120) {
  binary_case("min_f32", TFL_OP_MINIMUM, 0, TFL_FLOAT32, d4, 4, d4c, 4, d4, 4, 0, 0, 0, 0);
}
Test(ops, div_float_broadcast, .timeout = 120) {
  binary_case("div_f32", TFL_OP_DIV, TFL_OPTS_DivOptions, TFL_FLOAT32, d4, 4, d4b, 4, d4, 4, 0, 0, 0, 0);
}

/* ---- unary: softmax, logistic, tanh, relu family over full input ranges ---- */
static void unary_case(const char *name, int code, int opts, int type, float sx, int zx, float sy,
                       int zy) {
  static const int32_t dims[] = {3, 37};
  OmSpec s = {.code = code, .version = code == TFL_OP_HARD_SWISH ? 1 : 2, .nt = 2, .nin = 1,
              .in = {0}, .nout = 1, .out = {1}};
  s.t[0] = om_act("x", type, 2, dims, sx, zx);
  s.t[1] = om_act("y", type, 2, dims, sy, zy);
  if (opts) om_options(&s, opts);
  if (opts == TFL_OPTS_SoftmaxOptions) s.options.SoftmaxOptions.beta = 1.0f;
  if (opts == TFL_OPTS_LeakyReluOptions) s.options.LeakyReluOptions.alpha = 0.2f;
  check(&s, name);
}
Test(ops, softmax_int8, .timeout = 120) { unary_case("softmax_s8", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, TFL_INT8, 0.1f, 5, 1.0f / 256, -128); }
Test(ops, softmax_uint8, .timeout = 120) { unary_case("softmax_u8", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, TFL_UINT8, 0.05f, 120, 1.0f / 256, 0); }
Test(ops, softmax_float, .timeout = 120) { unary_case("softmax_f32", TFL_OP_SOFTMAX, TFL_OPTS_SoftmaxOptions, TFL_FLOAT32, 0, 0, 0, 0); }
Test(ops, logistic_int8, .timeout = 120) { unary_case("logistic_s8", TFL_OP_LOGISTIC, 0, TFL_INT8, 0.06f, -4, 1.0f / 256, -128); }
Test(ops, logistic_uint8, .timeout = 120) { unary_case("logistic_u8", TFL_OP_LOGISTIC, 0, TFL_UINT8, 0.06f, 128, 1.0f / 256, 0); }
Test(ops, tanh_int8, .timeout = 120) { unary_case("tanh_s8", TFL_OP_TANH, 0, TFL_INT8, 0.03f, 0, 1.0f / 128, 0); }
Test(ops, relu6_uint8, .timeout = 120) { unary_case("relu6_u8", TFL_OP_RELU6, 0, TFL_UINT8, 0.05f, 100, 0.03f, 0); }
Test(ops, relu_int8, .timeout = 120) { unary_case("relu_s8", TFL_OP_RELU, 0, TFL_INT8, 0.05f, 10, 0.04f, -128); }
Test(ops, leaky_relu_int8, .timeout = 120) { unary_case("leaky_s8", TFL_OP_LEAKY_RELU, TFL_OPTS_LeakyReluOptions, TFL_INT8, 0.05f, 10, 0.04f, -20); }
Test(ops, hard_swish_int8, .timeout = 120) { unary_case("hswish_s8", TFL_OP_HARD_SWISH, 0, TFL_INT8, 0.05f, 10, 0.03f, -30); }
Test(ops, logistic_float, .timeout = 120) { unary_case("logistic_f32", TFL_OP_LOGISTIC, 0, TFL_FLOAT32, 0, 0, 0, 0); }
Test(ops, tanh_float, .timeout = 120) { unary_case("tanh_f32", TFL_OP_TANH, 0, TFL_FLOAT32, 0, 0, 0, 0); }
Test(ops, quantize_int8_requant, .timeout = 120) { unary_case("quant_s8", TFL_OP_QUANTIZE, 0, TFL_INT8, 0.05f, 10, 0.03f, -3); }

/* ---- data movement ---- */
Test(ops, pad_int8_zero_point, .timeout = 120) {
  static const int32_t xd[] = {1, 3, 4, 2}, pd[] = {4, 2}, yd[] = {1, 6, 5, 5};
  static const int32_t pads[] = {0, 0, 1, 2, 0, 1, 1, 2};
  OmSpec s = {.code = TFL_OP_PAD, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("x", TFL_INT8, 4, xd, 0.1f, -7);
  s.t[1] = om_cst("p", TFL_INT32, 2, pd, pads, sizeof pads);
  s.t[2] = om_act("y", TFL_INT8, 4, yd, 0.1f, -7);
  check(&s, "pad_s8");
}
Test(ops, concat_uint8_rescaled, .timeout = 120) {
  static const int32_t ad[] = {1, 3, 4, 2}, bd[] = {1, 3, 4, 3}, yd[] = {1, 3, 4, 5};
  OmSpec s = {.code = TFL_OP_CONCATENATION, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("a", TFL_UINT8, 4, ad, 0.1f, 128);
  s.t[1] = om_act("b", TFL_UINT8, 4, bd, 0.07f, 100);
  s.t[2] = om_act("y", TFL_UINT8, 4, yd, 0.12f, 120);
  om_options(&s, TFL_OPTS_ConcatenationOptions);
  s.options.ConcatenationOptions.axis = 3;
  check(&s, "concat_u8");
}
Test(ops, concat_int8_axis1, .timeout = 120) {
  static const int32_t ad[] = {2, 3, 4}, bd[] = {2, 5, 4}, yd[] = {2, 8, 4};
  OmSpec s = {.code = TFL_OP_CONCATENATION, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("a", TFL_INT8, 3, ad, 0.1f, 3);
  s.t[1] = om_act("b", TFL_INT8, 3, bd, 0.1f, 3);
  s.t[2] = om_act("y", TFL_INT8, 3, yd, 0.1f, 3);
  om_options(&s, TFL_OPTS_ConcatenationOptions);
  s.options.ConcatenationOptions.axis = 1;
  check(&s, "concat_s8");
}
/* x[:, 1:7:2, -1::-2, 2] as masks: axis 0 begin- and end-masked (its begin 1 and end 0 ignored),
   axis 2 a negative stride from a negative begin, end-masked (its end 2 ignored: masked it runs
   past index 0, so 5, 3, 1; unmasked it would stop before 2), axis 3 shrunk. TFLite sizes the
   output from these, [2, 3, 3], whatever the file says; modelc checks the file agrees. */
Test(ops, strided_slice_int8_masks, .timeout = 120) {
  static const int32_t xd[] = {2, 7, 6, 3}, vd[] = {4}, yd[] = {2, 3, 3};
  static const int32_t begin[] = {1, 1, -1, 2}, end[] = {0, 7, 2, 3}, strides[] = {1, 2, -2, 1};
  OmSpec s = {.code = TFL_OP_STRIDED_SLICE, .version = 2, .nt = 5, .nin = 4, .in = {0, 1, 2, 3}, .nout = 1, .out = {4}};
  s.t[0] = om_act("x", TFL_INT8, 4, xd, 0.1f, 0);
  s.t[1] = om_cst("begin", TFL_INT32, 1, vd, begin, sizeof begin);
  s.t[2] = om_cst("end", TFL_INT32, 1, vd, end, sizeof end);
  s.t[3] = om_cst("strides", TFL_INT32, 1, vd, strides, sizeof strides);
  s.t[4] = om_act("y", TFL_INT8, 3, yd, 0.1f, 0);
  om_options(&s, TFL_OPTS_StridedSliceOptions);
  s.options.StridedSliceOptions.begin_mask = 1;
  s.options.StridedSliceOptions.end_mask = 1 | 4;
  s.options.StridedSliceOptions.shrink_axis_mask = 8;
  check(&s, "sslice_s8");
}
Test(ops, transpose_int8_4d, .timeout = 120) {
  static const int32_t xd[] = {2, 3, 4, 5}, pd[] = {4}, yd[] = {4, 2, 5, 3}, perm[] = {2, 0, 3, 1};
  OmSpec s = {.code = TFL_OP_TRANSPOSE, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("x", TFL_INT8, 4, xd, 0.1f, 0);
  s.t[1] = om_cst("perm", TFL_INT32, 1, pd, perm, sizeof perm);
  s.t[2] = om_act("y", TFL_INT8, 4, yd, 0.1f, 0);
  check(&s, "transpose_s8");
}
static void mean_case(const char *name, int type, float sx, int zx, float sy, int zy, bool keep) {
  static const int32_t xd[] = {2, 5, 7, 3}, ad[] = {2}, axes[] = {1, 2};
  int32_t yd[] = {2, 1, 1, 3}, yd2[] = {2, 3};
  OmSpec s = {.code = TFL_OP_MEAN, .version = 2, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("x", type, 4, xd, sx, zx);
  s.t[1] = om_cst("axes", TFL_INT32, 1, ad, axes, sizeof axes);
  s.t[2] = keep ? om_act("y", type, 4, yd, sy, zy) : om_act("y", type, 2, yd2, sy, zy);
  om_options(&s, TFL_OPTS_ReducerOptions);
  s.options.ReducerOptions.keep_dims = keep;
  check(&s, name);
}
Test(ops, mean_int8_hw_keepdims, .timeout = 120) { mean_case("mean_s8", TFL_INT8, 0.1f, 3, 0.05f, -2, true); }
Test(ops, mean_uint8_hw, .timeout = 120) { mean_case("mean_u8", TFL_UINT8, 0.1f, 128, 0.1f, 128, false); }
Test(ops, mean_float_hw, .timeout = 120) { mean_case("mean_f32", TFL_FLOAT32, 0, 0, 0, 0, true); }
static void resize_case(const char *name, int code, int opts, int type, bool align, bool half) {
  static const int32_t xd[] = {1, 5, 4, 3}, sd[] = {2}, size[] = {11, 7}, yd[] = {1, 11, 7, 3};
  OmSpec s = {.code = code, .version = 3, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  float sc = type == TFL_FLOAT32 ? 0 : 0.1f;
  int z = type == TFL_UINT8 ? 128 : 0;
  s.t[0] = om_act("x", type, 4, xd, sc, z);
  s.t[1] = om_cst("size", TFL_INT32, 1, sd, size, sizeof size);
  s.t[2] = om_act("y", type, 4, yd, sc, z);
  om_options(&s, opts);
  if (opts == TFL_OPTS_ResizeBilinearOptions) {
    s.options.ResizeBilinearOptions.align_corners = align;
    s.options.ResizeBilinearOptions.half_pixel_centers = half;
  } else {
    s.options.ResizeNearestNeighborOptions.align_corners = align;
    s.options.ResizeNearestNeighborOptions.half_pixel_centers = half;
  }
  check(&s, name);
}
Test(ops, resize_bilinear_uint8, .timeout = 120) { resize_case("rb_u8", TFL_OP_RESIZE_BILINEAR, TFL_OPTS_ResizeBilinearOptions, TFL_UINT8, false, false); }
Test(ops, resize_bilinear_int8_half_pixel, .timeout = 120) { resize_case("rb_s8", TFL_OP_RESIZE_BILINEAR, TFL_OPTS_ResizeBilinearOptions, TFL_INT8, false, true); }
Test(ops, resize_bilinear_float_align, .timeout = 120) { resize_case("rb_f32", TFL_OP_RESIZE_BILINEAR, TFL_OPTS_ResizeBilinearOptions, TFL_FLOAT32, true, false); }
Test(ops, resize_nearest_int8, .timeout = 120) { resize_case("rn_s8", TFL_OP_RESIZE_NEAREST_NEIGHBOR, TFL_OPTS_ResizeNearestNeighborOptions, TFL_INT8, false, true); }
Test(ops, argmax_uint8, .timeout = 120) {
  static const int32_t xd[] = {2, 4, 5, 6}, ad[] = {1}, axis[] = {3}, yd[] = {2, 4, 5};
  OmSpec s = {.code = TFL_OP_ARG_MAX, .version = 2, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("x", TFL_UINT8, 4, xd, 0.1f, 0);
  s.t[1] = om_cst("axis", TFL_INT32, 1, ad, axis, sizeof axis);
  s.t[2] = om_act("y", TFL_INT64, 3, yd, 0, 0);
  om_options(&s, TFL_OPTS_ArgMaxOptions);
  s.options.ArgMaxOptions.output_type = TFL_INT64;
  check(&s, "argmax_u8");
}
