/* PAD and PADV2 (constant padding): the output is filled with the pad value, then the input is
   copied into its interior. The pad value is, as in TFLite's pad.cc, PADV2's constant_values when
   given (it must share the output's quantization) and otherwise the output's zero point for
   quantized dtypes, 0 for the others. Any dtype; up to 6 dimensions after merging. */
#include <string.h>

#include "codegen/emit.h"
#include "codegen/ops/movement.h"

int gen_pad(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *p = emit_tin(e, 1), *cv = emit_tin(e, 2), *y = emit_tout(e, 0);
  if (x->type != y->type) return emit_unsupported(e, "input %s, output %s", tfl_type_name(x->type),
                                                  tfl_type_name(y->type));
  if (!p || !p->data || (p->type != TFL_INT32 && p->type != TFL_INT64))
    return emit_unsupported(e, "paddings are not a constant int32/int64 tensor");
  if (p->elems != 2 * (int64_t)x->rank || y->rank != x->rank)
    return emit_unsupported(e, "paddings do not match rank %d", x->rank);
  bool quantized = x->type == TFL_INT8 || x->type == TFL_UINT8 || x->type == TFL_INT16;
  if (quantized && (!x->q.n || !y->q.n)) return emit_unsupported(e, "missing quantization");
  if (quantized && (x->q.scale[0] != y->q.scale[0] || x->q.zero_point[0] != y->q.zero_point[0]))
    return emit_unsupported(e, "input and output quantization differ");
  /* The pad value: an expression, read at run time if constant_values is an activation. */
  char value[96];
  if (cv) {
    if (cv->type != x->type) return emit_unsupported(e, "constant_values is %s", tfl_type_name(cv->type));
    if (cv->elems != 1) return emit_unsupported(e, "constant_values has %lld elements", (long long)cv->elems);
    if (quantized && (!cv->q.n || cv->q.scale[0] != y->q.scale[0] ||
                      cv->q.zero_point[0] != y->q.zero_point[0]))
      return emit_unsupported(e, "constant_values quantized differently from the output");
    snprintf(value, sizeof value, "%s[0]", emit_in(e, 2));
  } else if (quantized) {
    int32_t lo, hi;
    quant_type_range(y->type, &lo, &hi);
    if (y->q.zero_point[0] < lo || y->q.zero_point[0] > hi)
      return emit_unsupported(e, "zero point outside the dtype's range");
    snprintf(value, sizeof value, "(%s)%d", emit_ctype(y->type), y->q.zero_point[0]);
  } else {
    snprintf(value, sizeof value, "(%s)0", emit_ctype(y->type) ? emit_ctype(y->type) : "int");
  }
  const char *T = box_ctype_subst(e, y->type);
  if (!T) return emit_unsupported(e, "dtype %s", tfl_type_name(y->type));
  int64_t n[IR_MAX_RANK], xs[IR_MAX_RANK], ys[IR_MAX_RANK], off = 0;
  box_strides(x->rank, x->dims, xs);
  box_strides(y->rank, y->dims, ys);
  for (int i = 0; i < x->rank; i++) {
    int64_t before = ir_const_int(p, 2 * i), after = ir_const_int(p, 2 * i + 1);
    if (before < 0 || after < 0 || x->dims[i] + before + after != y->dims[i])
      return emit_unsupported(e, "padding of dimension %d is invalid", i);
    n[i] = x->dims[i];
    off += before * ys[i];
  }
  if (y->elems > x->elems) {
    if (emit_kernel(e, "fill", emit_tsuffix(y->type), T, NULL)) return -1;
    ef(e, "  fill_%s(out0, %lld, %s);\n", emit_tsuffix(y->type), (long long)y->elems, value);
  }
  if (emit_copy_box(e, x->type, "out0", off, emit_in(e, 0), 0, x->rank, n, xs, ys)) return -1;
  ef(e, "  return 0;\n");
  return 0;
}
