/* RELU, RELU6, RELU_N1_TO_1: a clamp on floats; on int8/uint8/int16 a requantization from the
   input's scale to the output's followed by the clamp, as TFLite's QuantizedReluX. Its
   MultiplyByQuantizedMultiplier is TFLite's own, which rounds twice (gemmlowp) in the oracle
   build as in TFLite Micro, so the multiplier is applied that way whatever --rounding says. */
#include <math.h>

#include "codegen/emit.h"

int gen_relu(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  float lo = 0.0f, hi = INFINITY;
  if (op->kind == OP_RELU6) hi = 6.0f;
  if (op->kind == OP_RELU_N1_TO_1) lo = -1.0f, hi = 1.0f;
  if (x->type != y->type) return emit_unsupported(e, "%s input, %s output", tfl_type_name(x->type), tfl_type_name(y->type));
  if (x->type == TFL_FLOAT32) {
    if (emit_kernel(e, "relu_f32", "f32", NULL)) return -1;
    ef(e, "  relu_f32_f32(%lld, %s, out0, %s, %s);\n  return 0;\n", (long long)y->elems, emit_in(e, 0),
       emit_f32(e, lo), emit_f32(e, hi));
    return 0;
  }
  if (x->type != TFL_INT8 && x->type != TFL_UINT8 && x->type != TFL_INT16)
    return emit_unsupported(e, "%s", tfl_type_name(x->type));
  if (!x->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  int32_t tlo, thi;
  quant_type_range(y->type, &tlo, &thi);
  float ys = y->q.scale[0];
  int32_t zp = y->q.zero_point[0];
  int32_t qlo = zp + (int32_t)roundf(lo / ys);
  int32_t qhi = isinf(hi) ? thi : zp + (int32_t)roundf(hi / ys);
  if (qlo < tlo) qlo = tlo;
  if (qhi > thi) qhi = thi;
  int32_t mult;
  int shift;
  float real = x->q.scale[0] / y->q.scale[0];  /* float, as TFLite divides */
  quant_multiplier((double)real, ROUND_DOUBLE, &mult, &shift);
  const char *s = emit_tsuffix(x->type);
  char inst[24], X[24], Y[24];
  snprintf(inst, sizeof inst, "%s_%s", s, s);
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(y->type));
  if (emit_kernel(e, "requantize", inst, X, Y, NULL)) return -1;
  ef(e, "  requantize_%s(%lld, %s, %d, out0, %d, %d, %d, %d, %d);\n  return 0;\n", inst,
     (long long)y->elems, emit_in(e, 0), x->q.zero_point[0], zp, mult, shift, qlo, qhi);
  return 0;
}
