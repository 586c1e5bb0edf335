/* CONCATENATION: each input is copied into its slab of the output along the axis. Quantized
   inputs are copied as they are even when their scale or zero point differs from the output's:
   the TFLite the tests run against (tfjs-tflite's build) copies uint8 bytes unchanged in that case,
   and requires equal parameters for int8 and int16. A fused activation (which TFLite itself
   rejects) clamps the output afterwards: in the quantized domain, or in float. */
#include "codegen/emit.h"
#include "codegen/ops/movement.h"

int gen_concat(Emit *e, const Op *op) {
  const TflConcatenationOptions *o = &op->opt->ConcatenationOptions;
  const Tensor *y = emit_tout(e, 0);
  int r = y->rank, axis = o->axis < 0 ? o->axis + r : o->axis;
  if (axis < 0 || axis >= r) return emit_unsupported(e, "axis %d for rank %d", o->axis, r);
  bool quantized = y->type == TFL_INT8 || y->type == TFL_UINT8 || y->type == TFL_INT16;
  int act = o->fused_activation_function;
  int32_t lo = 0, hi = 0;
  float flo = 0, fhi = 0;
  if (quantized) {
    if (!y->q.n) return emit_unsupported(e, "output lacks quantization");
    if (quant_act_range(y, act, &lo, &hi)) return emit_unsupported(e, "activation %d", act);
  } else if (y->type == TFL_FLOAT32) {
    if (quant_act_range_f32(act, &flo, &fhi)) return emit_unsupported(e, "activation %d", act);
  } else if (act != ACT_NONE) {
    return emit_unsupported(e, "activation %d on %s", act, tfl_type_name(y->type));
  }
  int64_t outer = dims_prod(y, 0, axis), inner = dims_prod(y, axis + 1, r);
  int64_t out_row = (int64_t)y->dims[axis] * inner, at = 0;
  for (uint32_t k = 0; k < op->nin; k++) {
    const Tensor *x = emit_tin(e, (int)k);
    if (!x) return emit_unsupported(e, "input %u is missing", k);
    if (x->type != y->type || x->rank != r) return emit_unsupported(e, "input %u differs from the output", k);
    int64_t row = (int64_t)x->dims[axis] * inner;
    int64_t n[2] = {outer, row}, ss[2] = {row, 1}, ds[2] = {out_row, 1};
    if (emit_copy_box(e, y->type, "out0", at, emit_in(e, (int)k), 0, 2, n, ss, ds)) return -1;
    at += row;
  }
  if (at != out_row) return emit_unsupported(e, "inputs do not add up to the output");
  if (quantized && act != ACT_NONE) {
    if (emit_kernel(e, "clamp_q", emit_tsuffix(y->type), box_ctype_subst(e, y->type), NULL)) return -1;
    ef(e, "  clamp_q_%s(out0, %lld, %d, %d);\n", emit_tsuffix(y->type), (long long)y->elems, lo, hi);
  }
  if (y->type == TFL_FLOAT32 && act != ACT_NONE) {
    if (emit_kernel(e, "clamp_f32", "f32", NULL)) return -1;
    ef(e, "  clamp_f32_f32(out0, %lld, %s, %s);\n", (long long)y->elems, emit_f32(e, flo), emit_f32(e, fhi));
  }
  ef(e, "  return 0;\n");
  return 0;
}
