/* DEQUANTIZE int8/uint8/int16/int32 -> float32: (float)(scale * (x - zero point)) with the scale
   as a double, as TFLite computes it. */
#include "codegen/emit.h"

int gen_dequantize(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (y->type != TFL_FLOAT32) return emit_unsupported(e, "%s output", tfl_type_name(y->type));
  if (x->type != TFL_INT8 && x->type != TFL_UINT8 && x->type != TFL_INT16 && x->type != TFL_INT32)
    return emit_unsupported(e, "%s input", tfl_type_name(x->type));
  if (!x->q.n) return emit_unsupported(e, "input has no quantization parameters");
  if (x->q.n != 1) return emit_unsupported(e, "per-channel dequantization");
  const char *s = emit_tsuffix(x->type);
  char X[24];
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  if (emit_kernel(e, "dequantize", s, X, NULL)) return -1;
  ef(e, "  dequantize_%s(%lld, %s, out0, %.17g, %d);\n  return 0;\n", s, (long long)y->elems,
     emit_in(e, 0), (double)x->q.scale[0], x->q.zero_point[0]);
  return 0;
}
