/* RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on NHWC tensors, matching the TFLite the tests run
   against (tfjs-tflite's WebAssembly build: XNNPACK delegate, builtin kernels without NEON):
   - bilinear int8/uint8 with identical input and output quantization: XNNPACK's Q11 kernel, its
     source indices and fractions computed here as XNNPACK's indirection setup computes them
     (legacy, align-corners or clamped half-pixel coordinates);
   - bilinear uint8 otherwise, and float32: TFLite's optimized generic kernel in float (uint8 adds
     0.5 and truncates); its 8x half-pixel uint8 special case is not reproduced (unsupported).
     Float32 runs on XNNPACK in the oracle; the results agree within float tolerance;
   - bilinear int8 otherwise, and int16: TFLite's integer kernel with 10-bit coordinates;
   - nearest: source indices computed here, in float as the reference kernel does, or in 16.16
     fixed point for uint8 without align_corners/half_pixel_centers (the optimized kernel). */
#include <math.h>
#include <stdlib.h>

#include "codegen/emit.h"
#include "codegen/ops/avx2.h"
#include "codegen/ops/movement.h"

static float float_scale(int32_t in, int32_t out, bool align) {
  return align && out > 1 ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
}

static int32_t scale10(int32_t in, int32_t out, bool align) {
  if (align && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

static int check_shapes(Emit *e, const Tensor *x, const Tensor *y) {
  if (x->rank != 4 || y->rank != 4) return emit_unsupported(e, "input is not 4D");
  if (x->type != y->type) return emit_unsupported(e, "input and output dtypes differ");
  if (x->dims[0] != y->dims[0] || x->dims[3] != y->dims[3])
    return emit_unsupported(e, "output batch or depth differs from the input");
  if (x->dims[1] <= 0 || x->dims[2] <= 0 || y->dims[1] <= 0 || y->dims[2] <= 0)
    return emit_unsupported(e, "empty image");
  if ((int64_t)x->dims[1] << 10 > INT32_MAX || (int64_t)x->dims[2] << 10 > INT32_MAX ||
      (int64_t)y->dims[1] * x->dims[1] > (INT32_MAX >> 10) ||
      (int64_t)y->dims[2] * x->dims[2] > (INT32_MAX >> 10))
    return emit_unsupported(e, "image too large for 32-bit coordinates");
  return 0;
}

/* XNNPACK's source coordinate along one axis: {first, second, alpha in Q11} per output index. */
static const char *xnn_axis(Emit *e, const char *what, int32_t in, int32_t out, bool align,
                            bool half) {
  float scale = float_scale(in, out, align);
  int32_t *t = arena_array(e->a, (size_t)out * 3, sizeof *t);
  if (!t) return NULL;
  for (int32_t o = 0; o < out; o++) {
    volatile float v = (float)o * scale;
    if (!align && half) {
      volatile float offset = 0.5f * scale - 0.5f;  /* two roundings, as XNNPACK computes it */
      v = v + offset;
      v = v < 0.0f ? 0.0f : v > (float)(in - 1) ? (float)(in - 1) : v;
    }
    int32_t first = (int32_t)v;
    int32_t second = first + 1 < in - 1 ? first + 1 : in - 1;
    volatile float alpha = v - (float)first;
    t[3 * o] = first, t[3 * o + 1] = second;
    t[3 * o + 2] = (int32_t)lrintf(alpha * 2048.0f);
  }
  return emit_i32_table(e, what, t, (uint32_t)out * 3);
}

static int gen_resize_bilinear_xnn(Emit *e, int32_t b, int32_t ih, int32_t iw, int32_t d,
                                   int32_t oh, int32_t ow, bool align, bool half) {
  const Tensor *x = emit_tin(e, 0);
  const char *ys = xnn_axis(e, "rows", ih, oh, align, half), *xs = xnn_axis(e, "cols", iw, ow, align, half);
  if (!ys || !xs) return errf(e->err, -1, "out of memory");
  if (resize_bilinear_q11_avx2_eligible(e, d))  /* --target x86-64-avx2 */
    return gen_resize_bilinear_q11_avx2(e, b, ih, iw, d, oh, ow, ys, xs);
  const char *sfx = emit_tsuffix(x->type);
  if (emit_kernel(e, "resize_bilinear_q11", sfx, box_ctype_subst(e, x->type), NULL)) return -1;
  ef(e, "  resize_bilinear_q11_%s(%d, %d, %d, %d, %d, %d, %s, %s, %s, out0);\n  return 0;\n", sfx, b,
     ih, iw, d, oh, ow, ys, xs, emit_in(e, 0));
  return 0;
}

int gen_resize_bilinear(Emit *e, const Op *op) {
  const TflResizeBilinearOptions *o = &op->opt->ResizeBilinearOptions;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (check_shapes(e, x, y)) return -1;
  bool align = o->align_corners, half = o->half_pixel_centers;
  int32_t b = x->dims[0], ih = x->dims[1], iw = x->dims[2], d = x->dims[3], oh = y->dims[1],
          ow = y->dims[2];
  const char *sfx = emit_tsuffix(x->type), *T = box_ctype_subst(e, x->type);
  bool same_q = x->q.n && y->q.n && x->q.scale[0] == y->q.scale[0] &&
                x->q.zero_point[0] == y->q.zero_point[0];
  if ((x->type == TFL_UINT8 || x->type == TFL_INT8) && same_q && !(align && half))
    return gen_resize_bilinear_xnn(e, b, ih, iw, d, oh, ow, align, half);
  if (x->type == TFL_UINT8 || x->type == TFL_FLOAT32) {
    if (x->type == TFL_UINT8 && !align && half && d % 8 == 0 && oh >= 8 && ow >= 8 &&
        ih * 8 == oh && iw * 8 == ow)
      return emit_unsupported(e, "uint8 8x half-pixel upscaling (TFLite's special kernel)");
    if (emit_kernel(e, "resize_bilinear_float", sfx, T,
                    x->type == TFL_UINT8 ? "ROUND=0.5f" : "ROUND=0.0f", NULL))
      return -1;
    e->need_math = true;
    ef(e, "  resize_bilinear_float_%s(%d, %d, %d, %d, %d, %d, %s, %s, %d, %s, out0);\n  return 0;\n",
       sfx, b, ih, iw, d, oh, ow, emit_f32(e, float_scale(ih, oh, align)),
       emit_f32(e, float_scale(iw, ow, align)), half ? 1 : 0, emit_in(e, 0));
    return 0;
  }
  if (x->type != TFL_INT8 && x->type != TFL_INT16)
    return emit_unsupported(e, "dtype %s", tfl_type_name(x->type));
  if (emit_kernel(e, "resize_bilinear_int", sfx, T, NULL)) return -1;
  ef(e, "  resize_bilinear_int_%s(%d, %d, %d, %d, %d, %d, %d, %d, %d, %s, out0);\n  return 0;\n", sfx,
     b, ih, iw, d, oh, ow, scale10(ih, oh, align), scale10(iw, ow, align), half ? 1 : 0,
     emit_in(e, 0));
  return 0;
}

/* TFLite's source index for output index o along one axis. */
static int32_t nearest(int32_t o, int32_t in, int32_t out, bool align, bool half, bool fixed) {
  if (fixed) {
    int32_t s = (int32_t)(((int64_t)in << 16) / out + 1);
    int32_t v = (int32_t)(((int64_t)o * s) >> 16);
    return v < in - 1 ? v : in - 1;
  }
  float scale = float_scale(in, out, align), off = half ? 0.5f : 0.0f;
  float v = ((float)o + off) * scale;
  int32_t i = align ? (int32_t)roundf(v) : (int32_t)floorf(v);
  if (i > in - 1) i = in - 1;
  if (half && i < 0) i = 0;
  return i;
}

int gen_resize_nearest(Emit *e, const Op *op) {
  const TflResizeNearestNeighborOptions *o = &op->opt->ResizeNearestNeighborOptions;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (check_shapes(e, x, y)) return -1;
  const char *T = box_ctype_subst(e, x->type);
  if (!T) return emit_unsupported(e, "dtype %s", tfl_type_name(x->type));
  bool align = o->align_corners, half = o->half_pixel_centers;
  bool fixed = x->type == TFL_UINT8 && !align && !half;
  int32_t b = x->dims[0], ih = x->dims[1], iw = x->dims[2], d = x->dims[3], oh = y->dims[1],
          ow = y->dims[2];
  int32_t *ys = arena_array(e->a, (size_t)oh, sizeof *ys), *xs = arena_array(e->a, (size_t)ow, sizeof *xs);
  if (!ys || !xs) return errf(e->err, -1, "out of memory");
  for (int32_t i = 0; i < oh; i++) ys[i] = nearest(i, ih, oh, align, half, fixed);
  for (int32_t i = 0; i < ow; i++) xs[i] = nearest(i, iw, ow, align, half, fixed);
  const char *yt = emit_i32_table(e, "rows", ys, (uint32_t)oh);
  const char *xt = emit_i32_table(e, "cols", xs, (uint32_t)ow);
  const char *sfx = emit_tsuffix(x->type);
  if (emit_kernel(e, "resize_nearest", sfx, T, NULL)) return -1;
  ef(e, "  resize_nearest_%s(%d, %d, %d, %d, %d, %d, %s, %s, %s, out0);\n  return 0;\n", sfx, b, ih,
     iw, d, oh, ow, yt, xt, emit_in(e, 0));
  return 0;
}
