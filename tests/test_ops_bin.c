/* Elementwise binary operators (ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM, SQUARED_DIFFERENCE) and
   pooling (AVERAGE_POOL_2D, MAX_POOL_2D) on single-operator models built here: every dtype the
   kernels handle, broadcasting in several patterns (scalar, per-channel, outer products, 5D),
   constant operands, scale ratios inside and outside the range TFLite's XNNPACK delegate takes,
   the int16 power-of-two path, fused activations, pooling windows clipped at the borders
   (SAME), strides and batches. Each model runs through modelc and through real TensorFlow Lite
   (tests/oracle/diff.js) on seeded random inputs; integer outputs must be identical. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/opmodel.h"
#include "tests/util.h"

static OmTensor ten(const char *name, int type, int rank, const int32_t *dims, float scale, int zp) {
  OmTensor t = {.name = name, .type = type, .rank = rank};
  memcpy(t.dims, dims, sizeof(int32_t) * (size_t)rank);
  if (scale > 0) t.nq = 1, t.scale[0] = scale, t.zp[0] = zp;
  return t;
}

/* Runs diff.js on the model with modelc's default target, or `target` when not NULL: every output
   must agree with TFLite. With `kernel` too, the code for `target` must use that kernel (the
   generic one would pass as well). */
static void check_on(const OmSpec *s, const char *name, const char *target, const char *kernel) {
  /* MODELC_OP_MODELS=DIR keeps the models there, to inspect or rerun by hand. */
  const char *keep = getenv("MODELC_OP_MODELS");
  char path[512], cmd[4096], line[4096];
  if (keep) snprintf(path, sizeof path, "%s/%s.tflite", keep, name);
  else snprintf(path, sizeof path, "/tmp/modelc-bin-%s-%d.tflite", name, (int)getpid());
  cr_assert_eq(om_write(s, path), 0, "cannot write %s", path);
  snprintf(cmd, sizeof cmd, "node '%s/oracle/diff.js' --modelc '%s'%s%s --seeds 1,2,3 '%s' 2>&1",
           MODELC_TESTS_DIR, modelc_bin(), target ? " --target " : "", target ? target : "", path);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  while (fgets(line, sizeof line, p)) cr_log_info("%s: %s", name, line);
  int st = pclose(p), used = 0;
  if (kernel) {
    snprintf(cmd, sizeof cmd, "d=$(mktemp -d) && '%s' compile '%s' --target %s -o \"$d\" --name m "
             ">/dev/null && grep -q '%s' \"$d/m.c\"; st=$?; rm -rf \"$d\"; exit $st",
             modelc_bin(), path, target, kernel);
    used = system(cmd);
  }
  if (!keep) unlink(path);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: modelc%s%s and TFLite differ", name,
            target ? " --target " : "", target ? target : "");
  cr_assert(WIFEXITED(used) && WEXITSTATUS(used) == 0, "%s: not the %s kernel: %s", name, kernel, cmd);
}

static void check(const OmSpec *s, const char *name) { check_on(s, name, NULL, NULL); }

/* ---- binary operators ---- */

typedef struct Operand {
  int rank;
  int32_t dims[6];
  float scale;
  int zp;
} Operand;

static int options_of(int code) {
  switch (code) {
  case TFL_OP_ADD: return TFL_OPTS_AddOptions;
  case TFL_OP_SUB: return TFL_OPTS_SubOptions;
  case TFL_OP_MUL: return TFL_OPTS_MulOptions;
  case TFL_OP_DIV: return TFL_OPTS_DivOptions;
  case TFL_OP_SQUARED_DIFFERENCE: return TFL_OPTS_SquaredDifferenceOptions;
  default: return TFL_OPTS_MaximumMinimumOptions;
  }
}

/* y = a (op) b; b constant (seeded values over the type's range) when b_const. pot: the ADD/SUB
   pot_scale_int16 option. */
static void binary(const char *name, int code, int type, Operand a, Operand b, Operand y, int act,
                   bool pot, bool b_const) {
  static uint8_t bdata[4096 * 4];
  OmSpec s = {.code = code, .version = 1, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = ten("a", type, a.rank, a.dims, a.scale, a.zp);
  s.t[1] = ten("b", type, b.rank, b.dims, b.scale, b.zp);
  s.t[2] = ten("y", type, y.rank, y.dims, y.scale, y.zp);
  if (b_const) {
    int64_t n = om_elems(&s.t[1]);
    size_t sz = type == TFL_FLOAT32 || type == TFL_INT32 ? 4 : type == TFL_INT16 ? 2 : 1;
    cr_assert_leq((size_t)n * sz, sizeof bdata);
    if (type == TFL_FLOAT32) om_fill_f32((float *)bdata, (size_t)n, 5, -2.0f, 2.0f);
    else om_fill_i8((int8_t *)bdata, (size_t)n * sz, 5, -128, 127);
    s.t[1].data = bdata, s.t[1].size = (size_t)n * sz;
  }
  om_options(&s, options_of(code));
  switch (code) {
  case TFL_OP_ADD:
    s.options.AddOptions.fused_activation_function = (int8_t)act;
    s.options.AddOptions.pot_scale_int16 = pot;
    break;
  case TFL_OP_SUB:
    s.options.SubOptions.fused_activation_function = (int8_t)act;
    s.options.SubOptions.pot_scale_int16 = pot;
    break;
  case TFL_OP_MUL: s.options.MulOptions.fused_activation_function = (int8_t)act; break;
  case TFL_OP_DIV: s.options.DivOptions.fused_activation_function = (int8_t)act; break;
  default: break;
  }
  check(&s, name);
}

#define SHAPE4(n, h, w, c) {4, {n, h, w, c}, 0, 0}
static Operand q(Operand o, float scale, int zp) {
  o.scale = scale, o.zp = zp;
  return o;
}

static const Operand full = SHAPE4(2, 5, 6, 9), chan = {1, {9}, 0, 0}, scalar = {1, {1}, 0, 0},
                     mid = SHAPE4(1, 5, 1, 9), col = {3, {5, 6, 1}, 0, 0},
                     row = {4, {2, 1, 1, 9}, 0, 0};
static const Operand p5a = {5, {2, 1, 3, 1, 4}, 0, 0}, p5b = {5, {1, 2, 1, 5, 4}, 0, 0},
                     p5y = {5, {2, 2, 3, 5, 4}, 0, 0};

/* Every operator and float dtype: broadcasting patterns. */
static void float_all(int code, const char *tag) {
  char nm[64];
  int act = code == TFL_OP_ADD || code == TFL_OP_SUB || code == TFL_OP_MUL || code == TFL_OP_DIV ? 1 : 0;
  snprintf(nm, sizeof nm, "%s_f32_same", tag);
  binary(nm, code, TFL_FLOAT32, full, full, full, 0, false, false);
  snprintf(nm, sizeof nm, "%s_f32_chan", tag);
  binary(nm, code, TFL_FLOAT32, full, chan, full, act, false, false);
  snprintf(nm, sizeof nm, "%s_f32_outer", tag);
  binary(nm, code, TFL_FLOAT32, row, col, full, 0, false, false);
  snprintf(nm, sizeof nm, "%s_f32_scalar_first", tag);
  binary(nm, code, TFL_FLOAT32, scalar, full, full, act ? 3 : 0, false, false);
  snprintf(nm, sizeof nm, "%s_f32_5d", tag);
  binary(nm, code, TFL_FLOAT32, p5a, p5b, p5y, 0, false, false);
  snprintf(nm, sizeof nm, "%s_f32_const", tag);
  binary(nm, code, TFL_FLOAT32, full, mid, full, act ? 2 : 0, false, true);
}

Test(ops_bin, add_float, .timeout = 240) { float_all(TFL_OP_ADD, "add"); }
Test(ops_bin, sub_float, .timeout = 240) { float_all(TFL_OP_SUB, "sub"); }
Test(ops_bin, mul_float, .timeout = 240) { float_all(TFL_OP_MUL, "mul"); }
Test(ops_bin, div_float, .timeout = 240) { float_all(TFL_OP_DIV, "div"); }
Test(ops_bin, minimum_float, .timeout = 240) { float_all(TFL_OP_MINIMUM, "minimum"); }
Test(ops_bin, maximum_float, .timeout = 240) { float_all(TFL_OP_MAXIMUM, "maximum"); }
Test(ops_bin, squared_difference_float, .timeout = 240) {
  float_all(TFL_OP_SQUARED_DIFFERENCE, "sqdiff");
}

/* Quantized ADD/SUB: scale ratios the delegate takes and ones it refuses (a / y < 2^-10),
   broadcasting, constants, activations. */
static void add_sub_q(int code, int type, const char *tag) {
  char nm[64];
  int z = type == TFL_UINT8 ? 128 : 0;
  snprintf(nm, sizeof nm, "%s_%d_same", tag, type);
  binary(nm, code, type, q(full, 0.05f, z + 3), q(full, 0.03f, z - 7), q(full, 0.07f, z - 2), 0, false, false);
  snprintf(nm, sizeof nm, "%s_%d_pow2_ties", tag, type);
  binary(nm, code, type, q(full, 0.125f, z + 1), q(full, 0.25f, z - 3), q(full, 0.5f, z), 0, false, false);
  snprintf(nm, sizeof nm, "%s_%d_relu6_chan", tag, type);
  binary(nm, code, type, q(full, 0.02f, z - 10), q(chan, 0.04f, z + 5), q(full, 0.05f, z - 100), 3, false, false);
  snprintf(nm, sizeof nm, "%s_%d_relu_outer", tag, type);
  binary(nm, code, type, q(row, 0.1f, z), q(col, 0.003f, z + 20), q(full, 0.09f, z + 9), 1, false, false);
  snprintf(nm, sizeof nm, "%s_%d_const_first_bcast", tag, type);
  binary(nm, code, type, q(mid, 0.01f, z + 1), q(full, 0.01f, z + 1), q(full, 0.02f, z), 0, false, false);
  snprintf(nm, sizeof nm, "%s_%d_const", tag, type);
  binary(nm, code, type, q(full, 0.3f, z - 4), q(mid, 0.2f, z + 11), q(full, 0.4f, z + 2), 2, false, true);
  snprintf(nm, sizeof nm, "%s_%d_tiny_ratio", tag, type);
  binary(nm, code, type, q(full, 0.0001f, z + 3), q(full, 0.5f, z - 1), q(full, 1.0f, z), 0, false, false);
  snprintf(nm, sizeof nm, "%s_%d_5d", tag, type);
  binary(nm, code, type, q(p5a, 0.05f, z + 3), q(p5b, 0.06f, z), q(p5y, 0.08f, z - 1), 0, false, false);
}

Test(ops_bin, add_int8, .timeout = 300) { add_sub_q(TFL_OP_ADD, TFL_INT8, "add"); }
Test(ops_bin, add_uint8, .timeout = 300) { add_sub_q(TFL_OP_ADD, TFL_UINT8, "add"); }
Test(ops_bin, sub_int8, .timeout = 300) { add_sub_q(TFL_OP_SUB, TFL_INT8, "sub"); }
Test(ops_bin, sub_uint8, .timeout = 300) { add_sub_q(TFL_OP_SUB, TFL_UINT8, "sub"); }

static void add_sub_s16(int code, const char *tag) {
  char nm[64];
  snprintf(nm, sizeof nm, "%s_s16_general", tag);
  binary(nm, code, TFL_INT16, q(full, 0.0005f, 0), q(full, 0.0003f, 0), q(full, 0.0007f, 0), 0, false, false);
  snprintf(nm, sizeof nm, "%s_s16_general_potflag", tag);
  binary(nm, code, TFL_INT16, q(full, 0.0005f, 0), q(full, 0.0003f, 0), q(full, 0.0007f, 0), 1, true, false);
  snprintf(nm, sizeof nm, "%s_s16_general_bcast", tag);
  binary(nm, code, TFL_INT16, q(row, 0.001f, 0), q(col, 0.002f, 0), q(full, 0.002f, 0), 0, false, false);
  snprintf(nm, sizeof nm, "%s_s16_pot_flag_off", tag);
  binary(nm, code, TFL_INT16, q(full, 1.0f / 1024, 0), q(full, 1.0f / 4096, 0), q(full, 1.0f / 1024, 0), 0, false, false);
  snprintf(nm, sizeof nm, "%s_s16_pot_shift2", tag);
  binary(nm, code, TFL_INT16, q(full, 1.0f / 1024, 0), q(full, 1.0f / 4096, 0), q(full, 1.0f / 1024, 0), 0, true, false);
  snprintf(nm, sizeof nm, "%s_s16_pot_shift1", tag);
  binary(nm, code, TFL_INT16, q(full, 1.0f / 8192, 0), q(full, 1.0f / 2048, 0), q(full, 1.0f / 2048, 0), 3, true, false);
}

Test(ops_bin, add_int16, .timeout = 300) { add_sub_s16(TFL_OP_ADD, "add"); }
Test(ops_bin, sub_int16, .timeout = 300) { add_sub_s16(TFL_OP_SUB, "sub"); }

static void mul_q(int type) {
  char nm[64];
  int z = type == TFL_UINT8 ? 128 : 0;
  snprintf(nm, sizeof nm, "mul_%d_same", type);
  binary(nm, TFL_OP_MUL, type, q(full, 0.05f, z + 3), q(full, 0.03f, z - 7), q(full, 0.07f, z - 2), 0, false, false);
  snprintf(nm, sizeof nm, "mul_%d_pow2_ties", type);
  binary(nm, TFL_OP_MUL, type, q(full, 0.125f, z + 1), q(full, 0.25f, z - 3), q(full, 0.5f, z), 0, false, false);
  snprintf(nm, sizeof nm, "mul_%d_relu6_chan", type);
  binary(nm, TFL_OP_MUL, type, q(full, 0.02f, z - 10), q(chan, 0.04f, z + 5), q(full, 0.005f, z - 100), 3, false, false);
  snprintf(nm, sizeof nm, "mul_%d_outer_const", type);
  binary(nm, TFL_OP_MUL, type, q(full, 0.1f, z), q(mid, 0.3f, z + 20), q(full, 0.9f, z + 9), 1, false, true);
  snprintf(nm, sizeof nm, "mul_%d_tiny_ratio", type);
  binary(nm, TFL_OP_MUL, type, q(full, 0.001f, z + 3), q(full, 0.001f, z - 1), q(full, 1.0f, z), 0, false, false);
  snprintf(nm, sizeof nm, "mul_%d_big_ratio", type);
  binary(nm, TFL_OP_MUL, type, q(full, 1.0f, z + 3), q(full, 2.0f, z - 1), q(full, 0.001f, z), 0, false, false);
}

Test(ops_bin, mul_int8, .timeout = 300) { mul_q(TFL_INT8); }
Test(ops_bin, mul_uint8, .timeout = 300) { mul_q(TFL_UINT8); }
Test(ops_bin, mul_int16, .timeout = 300) {
  binary("mul_s16", TFL_OP_MUL, TFL_INT16, q(full, 0.0005f, 0), q(full, 0.0003f, 0), q(full, 0.00002f, 0), 0, false, false);
  binary("mul_s16_bcast_relu", TFL_OP_MUL, TFL_INT16, q(row, 0.001f, 0), q(col, 0.002f, 0), q(full, 0.0001f, 0), 1, false, false);
}

static void minmax_q(int code, const char *tag) {
  char nm[64];
  int types[] = {TFL_INT8, TFL_UINT8, TFL_INT16, TFL_INT32};
  for (int i = 0; i < 4; i++) {
    snprintf(nm, sizeof nm, "%s_%d_same", tag, types[i]);
    binary(nm, code, types[i], q(full, 0.05f, 1), q(full, 0.05f, 1), q(full, 0.05f, 1), 0, false, false);
    snprintf(nm, sizeof nm, "%s_%d_bcast", tag, types[i]);
    binary(nm, code, types[i], q(row, 0.05f, 1), q(col, 0.05f, 1), q(full, 0.05f, 1), 0, false, false);
  }
}

Test(ops_bin, minimum_quant, .timeout = 300) { minmax_q(TFL_OP_MINIMUM, "minimum"); }
Test(ops_bin, maximum_quant, .timeout = 300) { minmax_q(TFL_OP_MAXIMUM, "maximum"); }

Test(ops_bin, add_sub_mul_int32, .timeout = 300) {
  binary("add_s32", TFL_OP_ADD, TFL_INT32, full, full, full, 0, false, false);
  binary("add_s32_bcast_relu", TFL_OP_ADD, TFL_INT32, row, col, full, 1, false, false);
  binary("sub_s32_const_relu6", TFL_OP_SUB, TFL_INT32, full, mid, full, 3, false, true);
  binary("mul_s32_bcast", TFL_OP_MUL, TFL_INT32, row, col, full, 0, false, false);
}

Test(ops_bin, squared_difference_int8, .timeout = 300) {
  binary("sqdiff_s8", TFL_OP_SQUARED_DIFFERENCE, TFL_INT8, q(full, 0.05f, 3), q(full, 0.03f, -7), q(full, 0.2f, -100), 0, false, false);
  binary("sqdiff_s8_bcast", TFL_OP_SQUARED_DIFFERENCE, TFL_INT8, q(row, 0.01f, 0), q(col, 0.02f, 10), q(full, 0.01f, -128), 0, false, false);
}

/* ---- pooling ---- */

static void pool(const char *name, int code, int type, int n, int h, int w, int c, int fh, int fw,
                 int sh, int sw, int padding, int act, float scale, int zp) {
  int oh = padding == 0 ? (h + sh - 1) / sh : (h - fh + sh) / sh;
  int ow = padding == 0 ? (w + sw - 1) / sw : (w - fw + sw) / sw;
  int32_t xd[] = {n, h, w, c}, yd[] = {n, oh, ow, c};
  OmSpec s = {.code = code, .version = 1, .nt = 2, .nin = 1, .in = {0}, .nout = 1, .out = {1}};
  s.t[0] = ten("x", type, 4, xd, scale, zp);
  s.t[1] = ten("y", type, 4, yd, scale, zp);
  om_options(&s, TFL_OPTS_Pool2DOptions);
  s.options.Pool2DOptions.padding = (int8_t)padding;
  s.options.Pool2DOptions.stride_h = sh, s.options.Pool2DOptions.stride_w = sw;
  s.options.Pool2DOptions.filter_height = fh, s.options.Pool2DOptions.filter_width = fw;
  s.options.Pool2DOptions.fused_activation_function = (int8_t)act;
  check(&s, name);
  /* The AVX2 average pool of int8/uint8 (avg_pool_avx2_q.c) against TFLite too. */
  if (code != TFL_OP_AVERAGE_POOL_2D || (type != TFL_INT8 && type != TFL_UINT8)) return;
  if (cpu_has_avx2())
    check_on(&s, name, "x86-64-avx2", "avg_pool_avx2_");
  else
    cr_log_warn("%s: target x86-64-avx2 not run: this CPU lacks AVX2 or FMA", name);
}

static void pool_all(int code, int type, const char *tag) {
  char nm[64];
  bool f = type == TFL_FLOAT32;
  float sc = f ? 0 : type == TFL_INT16 ? 0.0005f : 0.05f;
  int zp = type == TFL_UINT8 ? 130 : type == TFL_INT8 ? -5 : 0;
  snprintf(nm, sizeof nm, "%s_%d_global", tag, type);
  pool(nm, code, type, 1, 8, 8, 16, 8, 8, 1, 1, 1, 0, sc, zp);
  snprintf(nm, sizeof nm, "%s_%d_same_3x3_s2", tag, type);
  pool(nm, code, type, 2, 9, 10, 3, 3, 3, 2, 2, 0, 0, sc, zp);
  snprintf(nm, sizeof nm, "%s_%d_same_2x4_s1_relu6", tag, type);
  pool(nm, code, type, 1, 7, 6, 5, 2, 4, 1, 1, 0, 3, sc, zp);
  snprintf(nm, sizeof nm, "%s_%d_valid_3x2_s2x3_relu", tag, type);
  pool(nm, code, type, 1, 11, 13, 4, 3, 2, 2, 3, 1, 1, sc, zp);
  snprintf(nm, sizeof nm, "%s_%d_same_5x5_s3", tag, type);
  pool(nm, code, type, 1, 10, 10, 2, 5, 5, 3, 3, 0, 2, sc, zp);
  snprintf(nm, sizeof nm, "%s_%d_kws_like", tag, type);
  pool(nm, code, type, 1, 25, 5, 64, 25, 5, 2, 2, 1, 0, sc, zp);
  /* More channels than the average pool sums at a time (64), not a multiple of it. */
  snprintf(nm, sizeof nm, "%s_%d_same_3x3_s2_c150", tag, type);
  pool(nm, code, type, 1, 5, 6, 150, 3, 3, 2, 2, 0, 0, sc, zp);
}

Test(ops_bin, avg_pool_float, .timeout = 300) { pool_all(TFL_OP_AVERAGE_POOL_2D, TFL_FLOAT32, "avg"); }
Test(ops_bin, avg_pool_int8, .timeout = 300) { pool_all(TFL_OP_AVERAGE_POOL_2D, TFL_INT8, "avg"); }
Test(ops_bin, avg_pool_uint8, .timeout = 300) { pool_all(TFL_OP_AVERAGE_POOL_2D, TFL_UINT8, "avg"); }
Test(ops_bin, avg_pool_int16, .timeout = 300) { pool_all(TFL_OP_AVERAGE_POOL_2D, TFL_INT16, "avg"); }
Test(ops_bin, max_pool_float, .timeout = 300) { pool_all(TFL_OP_MAX_POOL_2D, TFL_FLOAT32, "max"); }
Test(ops_bin, max_pool_int8, .timeout = 300) { pool_all(TFL_OP_MAX_POOL_2D, TFL_INT8, "max"); }
Test(ops_bin, max_pool_uint8, .timeout = 300) { pool_all(TFL_OP_MAX_POOL_2D, TFL_UINT8, "max"); }
Test(ops_bin, max_pool_int16, .timeout = 300) { pool_all(TFL_OP_MAX_POOL_2D, TFL_INT16, "max"); }
