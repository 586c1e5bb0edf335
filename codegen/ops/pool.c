/* AVERAGE_POOL_2D and MAX_POOL_2D (NHWC; float32, int8, uint8, int16). The window is clipped at
   the input's borders: SAME padding contributes no values and, for the average, is not counted
   in the divisor. Padding as TFLite's ComputePaddingHeightWidth: half the overhang, rounded
   down. Quantized pooling works on raw values: TFLite requires (and the models have) the same
   scale and zero point on input and output. */
#include "codegen/emit.h"
#include "codegen/ops/avx2.h"

static int pool_pad(int stride, int in, int k, int out) {
  int total = (out - 1) * stride + k - in;
  return total > 0 ? total / 2 : 0;
}

int gen_pool(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  const TflPool2DOptions *o = &op->opt->Pool2DOptions;
  bool avg = op->kind == OP_AVERAGE_POOL_2D;
  if (x->rank != 4 || y->rank != 4) return emit_unsupported(e, "rank %d input", x->rank);
  if (x->type != y->type) return emit_unsupported(e, "%s input, %s output", tfl_type_name(x->type), tfl_type_name(y->type));
  int t = x->type;
  if (t != TFL_FLOAT32 && t != TFL_INT8 && t != TFL_UINT8 && t != TFL_INT16)
    return emit_unsupported(e, "%s", tfl_type_name(t));
  int act = o->fused_activation_function;
  char lo[48], hi[48];
  if (t == TFL_FLOAT32) {
    float flo, fhi;
    if (quant_act_range_f32(act, &flo, &fhi)) return emit_unsupported(e, "activation %d", act);
    snprintf(lo, sizeof lo, "%s", emit_f32(e, flo));
    snprintf(hi, sizeof hi, "%s", emit_f32(e, fhi));
  } else {
    if (!x->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
    if (x->q.zero_point[0] != y->q.zero_point[0] || x->q.scale[0] != y->q.scale[0])
      return emit_unsupported(e, "input and output quantization differ");
    int32_t ilo, ihi;
    if (quant_act_range(y, act, &ilo, &ihi)) return emit_unsupported(e, "activation %d", act);
    snprintf(lo, sizeof lo, "%d", ilo);
    snprintf(hi, sizeof hi, "%d", ihi);
  }
  int n = x->dims[0], ih = x->dims[1], iw = x->dims[2], c = x->dims[3];
  int oh = y->dims[1], ow = y->dims[2];
  if (y->dims[0] != n || y->dims[3] != c) return emit_unsupported(e, "output shape %s", emit_shape(e, y));
  int fh = o->filter_height, fw = o->filter_width, sh = o->stride_h, sw = o->stride_w;
  int ph = pool_pad(sh, ih, fh, oh), pw = pool_pad(sw, iw, fw, ow);
  if (op->pad_explicit) ph = op->pad[0], pw = op->pad[1];  /* fold-pad's (MAX_POOL_2D only) */
  char geom[160];  /* the kernels' shape arguments, batches to pad_w */
  snprintf(geom, sizeof geom, "%d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d", n, ih, iw, c, oh, ow,
           fh, fw, sh, sw, ph, pw);
  if (avg && avg_pool_avx2_eligible(e, t))  /* --target x86-64-avx2 */
    return gen_avg_pool_avx2(e, geom, (int64_t)n * oh, (int64_t)n * oh * ow * c * fh * fw, lo, hi);
  const char *s = emit_tsuffix(t), *ct = emit_ctype(t);
  char T[32], ACC[32], DIV[32];
  snprintf(T, sizeof T, "T=%s", ct);
  if (avg) {
    snprintf(ACC, sizeof ACC, "ACC=%s", t == TFL_FLOAT32 ? "float" : "int32_t");
    snprintf(DIV, sizeof DIV, "DIV=%s", t == TFL_FLOAT32 ? "pool_div_f32" : "pool_div_round");
    if (emit_kernel(e, "pool_div", "all", NULL) ||
        emit_kernel(e, "avg_pool", s, T, ACC, DIV, NULL))
      return -1;
  } else if (emit_kernel(e, "max_pool", s, T, NULL)) {
    return -1;
  }
  ef(e, "  %s_pool_%s(%s, %s, out0, %s, %s);\n  return 0;\n", avg ? "avg" : "max", s, geom,
     emit_in(e, 0), lo, hi);
  return 0;
}
