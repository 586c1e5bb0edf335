/* Data-movement, reduction and resize operators on small models built here: PAD/PADV2,
   STRIDED_SLICE, CONCATENATION, SPLIT/SPLIT_V, TRANSPOSE, MEAN, RESIZE_BILINEAR,
   RESIZE_NEAREST_NEIGHBOR, ARG_MAX and GATHER over the dtypes, masks, sizes and flags the shared
   models do not reach. Each model runs through modelc and real TensorFlow Lite
   (tests/oracle/diff.js) on seeded random inputs; integer outputs must be identical. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/opmodel.h"
#include "tests/util.h"

/* A quantized activation of `type` with typical parameters for it (none for float). */
static OmTensor qact(const char *name, int type, int rank, const int32_t *dims, float scale, int zp) {
  if (type == TFL_FLOAT32 || type == TFL_INT32) return om_act(name, type, rank, dims, 0, 0);
  return om_act(name, type, rank, dims, scale, type == TFL_INT16 ? 0 : zp);
}

static void check(const OmSpec *s, const char *name) {
  /* MODELC_OP_MODELS=DIR keeps the models there, to inspect or rerun by hand. */
  const char *keep = getenv("MODELC_OP_MODELS");
  char path[512];
  if (keep) snprintf(path, sizeof path, "%s/%s.tflite", keep, name);
  else snprintf(path, sizeof path, "/tmp/modelc-mov-%s-%d.tflite", name, (int)getpid());
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

/* ---- PAD, PADV2 ---- */
static void pad_case(const char *name, int type, bool v2, int rank, const int32_t *xd,
                     const int32_t *pads) {
  static int8_t cv8;
  static int16_t cv16;
  static float cvf;
  int32_t yd[6], pd[] = {rank, 2}, one[] = {1};
  for (int i = 0; i < rank; i++) yd[i] = xd[i] + pads[2 * i] + pads[2 * i + 1];
  OmSpec s = {.code = v2 ? TFL_OP_PADV2 : TFL_OP_PAD, .nt = v2 ? 4 : 3, .nin = v2 ? 3 : 2,
              .in = {0, 1, 2}, .nout = 1, .out = {v2 ? 3 : 2}};
  s.t[0] = qact("x", type, rank, xd, 0.05f, type == TFL_UINT8 ? 140 : -9);
  s.t[1] = om_cst("p", TFL_INT32, 2, pd, pads, sizeof(int32_t) * 2 * (size_t)rank);
  if (v2) {
    cv8 = type == TFL_UINT8 ? (int8_t)200 : (int8_t)-100, cv16 = -1234, cvf = -2.5f;
    const void *d = type == TFL_FLOAT32 ? (const void *)&cvf : type == TFL_INT16 ? (const void *)&cv16 : (const void *)&cv8;
    size_t n = type == TFL_FLOAT32 ? 4 : type == TFL_INT16 ? 2 : 1;
    s.t[2] = om_cst("c", type, 1, one, d, n);
    if (type != TFL_FLOAT32) s.t[2].nq = 1, s.t[2].scale[0] = s.t[0].scale[0], s.t[2].zp[0] = s.t[0].zp[0];
  }
  s.t[s.nt - 1] = qact("y", type, rank, yd, 0.05f, type == TFL_UINT8 ? 140 : -9);
  check(&s, name);
}
static const int32_t pad_x4[] = {2, 3, 4, 5}, pad_p4[] = {0, 1, 2, 0, 1, 1, 0, 3};
static const int32_t pad_x3[] = {3, 1, 6}, pad_p3[] = {1, 2, 0, 0, 3, 1};
Test(mov, pad_uint8_zero_point, .timeout = 120) { pad_case("pad_u8", TFL_UINT8, false, 4, pad_x4, pad_p4); }
Test(mov, pad_int16_3d, .timeout = 120) { pad_case("pad_s16", TFL_INT16, false, 3, pad_x3, pad_p3); }
Test(mov, pad_float, .timeout = 120) { pad_case("pad_f32", TFL_FLOAT32, false, 4, pad_x4, pad_p4); }
Test(mov, padv2_int8_constant, .timeout = 120) { pad_case("padv2_s8", TFL_INT8, true, 4, pad_x4, pad_p4); }
Test(mov, padv2_uint8_constant, .timeout = 120) { pad_case("padv2_u8", TFL_UINT8, true, 3, pad_x3, pad_p3); }
Test(mov, padv2_float_constant, .timeout = 120) { pad_case("padv2_f32", TFL_FLOAT32, true, 3, pad_x3, pad_p3); }

/* ---- STRIDED_SLICE ---- */
static void slice_case(const char *name, int type, int rank, const int32_t *xd, const int32_t *b,
                       const int32_t *en, const int32_t *st, int bm, int em, int sm,
                       int yrank, const int32_t *yd) {
  int32_t vd[] = {rank};
  OmSpec s = {.code = TFL_OP_STRIDED_SLICE, .version = 4, .nt = 5, .nin = 4, .in = {0, 1, 2, 3},
              .nout = 1, .out = {4}};
  s.t[0] = qact("x", type, rank, xd, 0.02f, 3);
  s.t[1] = om_cst("begin", TFL_INT32, 1, vd, b, sizeof(int32_t) * (size_t)rank);
  s.t[2] = om_cst("end", TFL_INT32, 1, vd, en, sizeof(int32_t) * (size_t)rank);
  s.t[3] = om_cst("strides", TFL_INT32, 1, vd, st, sizeof(int32_t) * (size_t)rank);
  s.t[4] = qact("y", type, yrank, yd, 0.02f, 3);
  om_options(&s, TFL_OPTS_StridedSliceOptions);
  s.options.StridedSliceOptions.begin_mask = bm;
  s.options.StridedSliceOptions.end_mask = em;
  s.options.StridedSliceOptions.shrink_axis_mask = sm;
  check(&s, name);
}
Test(mov, strided_slice_int16_negative_stride_masks, .timeout = 120) {
  /* dim 1: 1,3,5; dim 2: 5,3,1 (begin -1, end mask, stride -2); dim 3 shrunk at 2. */
  slice_case("ss_s16", TFL_INT16, 4, (const int32_t[]){2, 7, 6, 3}, (const int32_t[]){0, 1, -1, 2},
             (const int32_t[]){0, 7, 0, 3}, (const int32_t[]){1, 2, -2, 1}, 1, 1 | 4, 8, 3,
             (const int32_t[]){2, 3, 3});
}
Test(mov, strided_slice_int8_clamped_and_negative_end, .timeout = 120) {
  /* dim 0: -5..-1 clamps to 0..4 step 3 -> 0,3; dim 1: 10..-20 stride -4 -> 5,1. */
  slice_case("ss_s8", TFL_INT8, 2, (const int32_t[]){5, 6}, (const int32_t[]){-7, 10},
             (const int32_t[]){-1, -20}, (const int32_t[]){3, -4}, 0, 0, 0, 2,
             (const int32_t[]){2, 2});
}
Test(mov, strided_slice_float_shrink_negative_begin, .timeout = 120) {
  slice_case("ss_f32", TFL_FLOAT32, 3, (const int32_t[]){4, 5, 6}, (const int32_t[]){-1, 0, 1},
             (const int32_t[]){0, 5, 5}, (const int32_t[]){1, 1, 2}, 0, 0, 1, 2,
             (const int32_t[]){5, 2});
}

/* ---- CONCATENATION ---- */
static void concat_case(const char *name, int type, int rank, int axis, const int32_t *a,
                        const int32_t *b, const int32_t *c) {
  int32_t yd[6];
  int ax = axis < 0 ? axis + rank : axis;
  for (int i = 0; i < rank; i++) yd[i] = i == ax ? a[i] + b[i] + c[i] : a[i];
  OmSpec s = {.code = TFL_OP_CONCATENATION, .nt = 4, .nin = 3, .in = {0, 1, 2}, .nout = 1, .out = {3}};
  s.t[0] = qact("a", type, rank, a, 0.1f, 7);
  s.t[1] = qact("b", type, rank, b, 0.1f, 7);
  s.t[2] = qact("c", type, rank, c, 0.1f, 7);
  s.t[3] = qact("y", type, rank, yd, 0.1f, 7);
  om_options(&s, TFL_OPTS_ConcatenationOptions);
  s.options.ConcatenationOptions.axis = axis;
  check(&s, name);
}
Test(mov, concat_float_last_axis_negative, .timeout = 120) {
  concat_case("cat_f32", TFL_FLOAT32, 4, -1, (const int32_t[]){2, 3, 4, 1}, (const int32_t[]){2, 3, 4, 5},
              (const int32_t[]){2, 3, 4, 2});
}
Test(mov, concat_int16_axis0, .timeout = 120) {
  concat_case("cat_s16", TFL_INT16, 3, 0, (const int32_t[]){1, 3, 4}, (const int32_t[]){2, 3, 4},
              (const int32_t[]){3, 3, 4});
}
Test(mov, concat_uint8_axis2, .timeout = 120) {
  concat_case("cat_u8", TFL_UINT8, 4, 2, (const int32_t[]){1, 3, 1, 8}, (const int32_t[]){1, 3, 2, 8},
              (const int32_t[]){1, 3, 5, 8});
}

/* ---- SPLIT, SPLIT_V ---- */
Test(mov, split_int8_axis1_three, .timeout = 120) {
  static const int32_t xd[] = {2, 6, 5}, yd[] = {2, 2, 5}, one[] = {1}, axis[] = {1};
  OmSpec s = {.code = TFL_OP_SPLIT, .nt = 5, .nin = 2, .in = {0, 1}, .nout = 3, .out = {2, 3, 4}};
  s.t[0] = om_cst("axis", TFL_INT32, 1, one, axis, sizeof axis);
  s.t[0].rank = 0;
  s.t[1] = qact("x", TFL_INT8, 3, xd, 0.1f, 2);
  for (int k = 0; k < 3; k++) s.t[2 + k] = qact(k == 0 ? "y0" : k == 1 ? "y1" : "y2", TFL_INT8, 3, yd, 0.1f, 2);
  om_options(&s, TFL_OPTS_SplitOptions);
  s.options.SplitOptions.num_splits = 3;
  check(&s, "split_s8");
}
Test(mov, split_v_float_inferred_size, .timeout = 120) {
  static const int32_t xd[] = {3, 4, 9}, sd[] = {3}, sizes[] = {2, -1, 3}, one[] = {1}, axis[] = {-1};
  OmSpec s = {.code = TFL_OP_SPLIT_V, .nt = 6, .nin = 3, .in = {0, 1, 2}, .nout = 3, .out = {3, 4, 5}};
  s.t[0] = om_act("x", TFL_FLOAT32, 3, xd, 0, 0);
  s.t[1] = om_cst("sizes", TFL_INT32, 1, sd, sizes, sizeof sizes);
  s.t[2] = om_cst("axis", TFL_INT32, 1, one, axis, sizeof axis);
  s.t[2].rank = 0;
  s.t[3] = om_act("y0", TFL_FLOAT32, 3, (const int32_t[]){3, 4, 2}, 0, 0);
  s.t[4] = om_act("y1", TFL_FLOAT32, 3, (const int32_t[]){3, 4, 4}, 0, 0);
  s.t[5] = om_act("y2", TFL_FLOAT32, 3, (const int32_t[]){3, 4, 3}, 0, 0);
  om_options(&s, TFL_OPTS_SplitVOptions);
  s.options.SplitVOptions.num_splits = 3;
  check(&s, "splitv_f32");
}

/* ---- TRANSPOSE ---- */
static void transpose_case(const char *name, int type, int rank, const int32_t *xd, const int32_t *perm) {
  int32_t yd[6], pd[] = {rank};
  for (int i = 0; i < rank; i++) yd[i] = xd[perm[i]];
  OmSpec s = {.code = TFL_OP_TRANSPOSE, .version = 5, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = qact("x", type, rank, xd, 0.1f, 1);
  s.t[1] = om_cst("perm", TFL_INT32, 1, pd, perm, sizeof(int32_t) * (size_t)rank);
  s.t[2] = qact("y", type, rank, yd, 0.1f, 1);
  check(&s, name);
}
Test(mov, transpose_float_5d, .timeout = 120) {
  transpose_case("tr_f32", TFL_FLOAT32, 5, (const int32_t[]){2, 3, 1, 4, 5}, (const int32_t[]){4, 1, 3, 0, 2});
}
Test(mov, transpose_int16_3d, .timeout = 120) {
  transpose_case("tr_s16", TFL_INT16, 3, (const int32_t[]){4, 7, 3}, (const int32_t[]){2, 0, 1});
}
Test(mov, transpose_uint8_nhwc_to_nchw, .timeout = 120) {
  transpose_case("tr_u8", TFL_UINT8, 4, (const int32_t[]){1, 5, 6, 7}, (const int32_t[]){0, 3, 1, 2});
}

/* ---- MEAN ---- */
static void mean_case(const char *name, int type, int rank, const int32_t *xd, int naxes,
                      const int32_t *axes, bool keep, float sx, int zx, float sy, int zy) {
  static int32_t axis_data[8];
  int32_t yd[6], ad[] = {naxes}, yr = 0;
  memcpy(axis_data, axes, sizeof(int32_t) * (size_t)naxes);
  for (int i = 0; i < rank; i++) {
    bool red = false;
    for (int k = 0; k < naxes; k++) red |= axes[k] == i || axes[k] + rank == i;
    if (!red) yd[yr++] = xd[i];
    else if (keep) yd[yr++] = 1;
  }
  OmSpec s = {.code = TFL_OP_MEAN, .version = 2, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = qact("x", type, rank, xd, sx, zx);
  s.t[1] = om_cst("axes", TFL_INT32, 1, ad, axis_data, sizeof(int32_t) * (size_t)naxes);
  s.t[2] = qact("y", type, yr, yd, sy, zy);
  om_options(&s, TFL_OPTS_ReducerOptions);
  s.options.ReducerOptions.keep_dims = keep;
  check(&s, name);
}
/* mobilenet_v2's global pool: 7x7 window, input and output scales differ. */
Test(mov, mean_int8_7x7_keepdims_rescaled, .timeout = 120) {
  mean_case("mean_s8_hw", TFL_INT8, 4, (const int32_t[]){1, 7, 7, 40}, 2, (const int32_t[]){1, 2},
            true, 0.07f, -20, 0.013f, -128);
}
Test(mov, mean_uint8_hw_rescaled, .timeout = 120) {
  mean_case("mean_u8_hw", TFL_UINT8, 4, (const int32_t[]){2, 5, 3, 6}, 2, (const int32_t[]){2, 1},
            true, 0.1f, 120, 0.03f, 5);
}
Test(mov, mean_int8_negative_axis_no_keep, .timeout = 120) {
  mean_case("mean_s8_last", TFL_INT8, 3, (const int32_t[]){3, 4, 37}, 1, (const int32_t[]){-1},
            false, 0.05f, 10, 0.04f, -3);
}
Test(mov, mean_uint8_axis0_same_scale, .timeout = 120) {
  mean_case("mean_u8_ax0", TFL_UINT8, 3, (const int32_t[]){6, 4, 5}, 1, (const int32_t[]){0},
            false, 0.1f, 128, 0.1f, 128);
}
Test(mov, mean_int16_two_axes, .timeout = 120) {
  mean_case("mean_s16", TFL_INT16, 4, (const int32_t[]){2, 3, 4, 5}, 2, (const int32_t[]){0, 2},
            true, 0.001f, 0, 0.0007f, 0);
}
Test(mov, mean_float_axes_0_2, .timeout = 120) {
  mean_case("mean_f32_02", TFL_FLOAT32, 3, (const int32_t[]){4, 3, 6}, 2, (const int32_t[]){0, 2},
            false, 0, 0, 0, 0);
}

/* ---- RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR ---- */
static void resize_case(const char *name, int code, int type, int b, int ih, int iw, int c, int oh,
                        int ow, bool align, bool half) {
  static int32_t size[2];
  int32_t xd[] = {b, ih, iw, c}, yd[] = {b, oh, ow, c}, sd[] = {2};
  size[0] = oh, size[1] = ow;
  OmSpec s = {.code = code, .version = 3, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = qact("x", type, 4, xd, 0.05f, type == TFL_UINT8 ? 128 : -4);
  s.t[1] = om_cst("size", TFL_INT32, 1, sd, size, sizeof size);
  s.t[2] = qact("y", type, 4, yd, 0.05f, type == TFL_UINT8 ? 128 : -4);
  if (code == TFL_OP_RESIZE_BILINEAR) {
    om_options(&s, TFL_OPTS_ResizeBilinearOptions);
    s.options.ResizeBilinearOptions.align_corners = align;
    s.options.ResizeBilinearOptions.half_pixel_centers = half;
  } else {
    om_options(&s, TFL_OPTS_ResizeNearestNeighborOptions);
    s.options.ResizeNearestNeighborOptions.align_corners = align;
    s.options.ResizeNearestNeighborOptions.half_pixel_centers = half;
  }
  check(&s, name);
}
#define RB TFL_OP_RESIZE_BILINEAR
#define RN TFL_OP_RESIZE_NEAREST_NEIGHBOR
/* deeplab's shapes: 1x1 -> 33x33, 33x33 -> 33x33 and a 16x upsampling with aligned corners. */
Test(mov, rb_uint8_from_1x1, .timeout = 120) { resize_case("rb_u8_1x1", RB, TFL_UINT8, 1, 1, 1, 16, 9, 9, false, false); }
Test(mov, rb_uint8_align_16x, .timeout = 120) { resize_case("rb_u8_align", RB, TFL_UINT8, 1, 5, 4, 3, 65, 49, true, false); }
Test(mov, rb_uint8_same_size, .timeout = 120) { resize_case("rb_u8_same", RB, TFL_UINT8, 1, 6, 6, 5, 6, 6, true, false); }
Test(mov, rb_uint8_half_pixel_down, .timeout = 120) { resize_case("rb_u8_half", RB, TFL_UINT8, 2, 9, 7, 3, 4, 5, false, true); }
Test(mov, rb_uint8_plain_up, .timeout = 120) { resize_case("rb_u8_up", RB, TFL_UINT8, 1, 4, 5, 2, 11, 13, false, false); }
Test(mov, rb_int8_half_pixel, .timeout = 120) { resize_case("rb_s8_half", RB, TFL_INT8, 2, 5, 4, 3, 9, 11, false, true); }
Test(mov, rb_int8_align, .timeout = 120) { resize_case("rb_s8_align", RB, TFL_INT8, 1, 6, 5, 4, 17, 9, true, false); }
Test(mov, rb_int16_plain, .timeout = 120) { resize_case("rb_s16", RB, TFL_INT16, 1, 3, 4, 2, 7, 10, false, false); }
Test(mov, rb_float_half_pixel, .timeout = 120) { resize_case("rb_f32_half", RB, TFL_FLOAT32, 1, 5, 6, 3, 12, 7, false, true); }
Test(mov, rb_float_2x, .timeout = 120) { resize_case("rb_f32_2x", RB, TFL_FLOAT32, 1, 4, 3, 5, 8, 6, false, false); }
/* 14 -> 46 is a ratio where 16.16 fixed point and float pick different rows. */
Test(mov, rn_uint8_fixed_point_ratio, .timeout = 120) { resize_case("rn_u8", RN, TFL_UINT8, 1, 14, 14, 2, 46, 46, false, false); }
Test(mov, rn_int8_fixed_point_ratio, .timeout = 120) { resize_case("rn_s8", RN, TFL_INT8, 1, 14, 14, 2, 46, 46, false, false); }
Test(mov, rn_int16_align, .timeout = 120) { resize_case("rn_s16_align", RN, TFL_INT16, 1, 5, 7, 3, 12, 9, true, false); }
Test(mov, rn_float_half_pixel, .timeout = 120) { resize_case("rn_f32_half", RN, TFL_FLOAT32, 2, 5, 7, 3, 12, 4, false, true); }
Test(mov, rn_uint8_half_pixel, .timeout = 120) { resize_case("rn_u8_half", RN, TFL_UINT8, 1, 14, 14, 2, 46, 30, false, true); }

/* ---- ARG_MAX ---- */
static void argmax_case(const char *name, int type, int out_type, int rank, const int32_t *xd, int axis) {
  static int32_t axis_data;
  int32_t yd[6], yr = 0, one[] = {1};
  axis_data = axis;
  for (int i = 0; i < rank; i++)
    if (i != (axis < 0 ? axis + rank : axis)) yd[yr++] = xd[i];
  OmSpec s = {.code = TFL_OP_ARG_MAX, .version = 2, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = qact("x", type, rank, xd, 0.5f, 3);
  s.t[1] = om_cst("axis", TFL_INT32, 1, one, &axis_data, sizeof axis_data);
  s.t[2] = om_act("y", out_type, yr, yd, 0, 0);
  om_options(&s, TFL_OPTS_ArgMaxOptions);
  s.options.ArgMaxOptions.output_type = (int8_t)out_type;
  check(&s, name);
}
/* Ties are common among 21 random bytes at a coarse scale: the first maximum must win. (int64
   outputs, as deeplab's, reach the oracle through tests/oracle/int64.js.) */
Test(mov, argmax_uint8_last_axis, .timeout = 120) {
  argmax_case("am_u8", TFL_UINT8, TFL_INT32, 4, (const int32_t[]){1, 9, 8, 21}, 3);
}
Test(mov, argmax_int8_middle_axis_int32, .timeout = 120) {
  argmax_case("am_s8", TFL_INT8, TFL_INT32, 3, (const int32_t[]){4, 6, 5}, 1);
}
Test(mov, argmax_float_axis0, .timeout = 120) {
  argmax_case("am_f32", TFL_FLOAT32, TFL_INT32, 2, (const int32_t[]){7, 5}, -2);
}

/* ---- GATHER ---- */
Test(mov, gather_float_axis1_const_indices, .timeout = 120) {
  static const int32_t xd[] = {3, 5, 4}, id[] = {4}, idx[] = {4, 0, 0, 2}, yd[] = {3, 4, 4};
  OmSpec s = {.code = TFL_OP_GATHER, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("x", TFL_FLOAT32, 3, xd, 0, 0);
  s.t[1] = om_cst("idx", TFL_INT32, 1, id, idx, sizeof idx);
  s.t[2] = om_act("y", TFL_FLOAT32, 3, yd, 0, 0);
  om_options(&s, TFL_OPTS_GatherOptions);
  s.options.GatherOptions.axis = 1;
  check(&s, "gather_f32");
}
Test(mov, gather_int8_axis0_2d_indices, .timeout = 120) {
  static const int32_t xd[] = {6, 3}, id[] = {2, 2}, yd[] = {2, 2, 3};
  static const int64_t idx[] = {5, 1, 1, 3};
  OmSpec s = {.code = TFL_OP_GATHER, .nt = 3, .nin = 2, .in = {0, 1}, .nout = 1, .out = {2}};
  s.t[0] = om_act("x", TFL_INT8, 2, xd, 0.1f, 1);
  s.t[1] = om_cst("idx", TFL_INT64, 2, id, idx, sizeof idx);
  s.t[2] = om_act("y", TFL_INT8, 3, yd, 0.1f, 1);
  om_options(&s, TFL_OPTS_GatherOptions);
  check(&s, "gather_s8");
}
/* Means of two values land on halves: how ties round tells the kernels apart. */
Test(mov, mean_int8_pairs_ties, .timeout = 120) {
  mean_case("mean_s8_ties", TFL_INT8, 4, (const int32_t[]){1, 1, 2, 64}, 2, (const int32_t[]){1, 2},
            true, 0.05f, 0, 0.05f, 0);
}
Test(mov, mean_uint8_pairs_ties, .timeout = 120) {
  mean_case("mean_u8_ties", TFL_UINT8, 4, (const int32_t[]){1, 2, 1, 64}, 2, (const int32_t[]){1, 2},
            true, 0.05f, 128, 0.05f, 128);
}
/* tf2_mobilenet_v2_1.0_224_ptq's global pool, shapes and quantization as in the model. */
Test(mov, mean_int8_mobilenet_v2_global_pool, .timeout = 120) {
  mean_case("mean_s8_mnv2", TFL_INT8, 4, (const int32_t[]){1, 7, 7, 1280}, 2, (const int32_t[]){1, 2},
            true, 0.0235294122f, -128, 0.0190778319f, -128);
}
/* deeplabv3_mnv2_dm05_pascal_quant's resizes (uint8, align_corners): 1x1x256 -> 33x33 and
   33x33x21 -> 513x513. */
Test(mov, rb_uint8_deeplab_1_to_33, .timeout = 300) {
  resize_case("rb_u8_33", RB, TFL_UINT8, 1, 1, 1, 256, 33, 33, true, false);
}
Test(mov, rb_uint8_deeplab_33_to_513, .timeout = 300) {
  resize_case("rb_u8_513", RB, TFL_UINT8, 1, 33, 33, 21, 513, 513, true, false);
}
