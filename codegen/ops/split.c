/* SPLIT and SPLIT_V: output k is the slab of the input along the axis at the running offset, one
   strided copy each. The axis is input 0 for SPLIT and input 2 for SPLIT_V; output shapes come
   from shape inference. */
#include <string.h>

#include "codegen/emit.h"
#include "codegen/ops/movement.h"

int gen_split(Emit *e, const Op *op) {
  bool v = op->kind == OP_SPLIT_V;
  const Tensor *x = emit_tin(e, v ? 0 : 1), *ax = emit_tin(e, v ? 2 : 0);
  if (!ax || !ax->data || ax->elems != 1 || (ax->type != TFL_INT32 && ax->type != TFL_INT64))
    return emit_unsupported(e, "the axis is not a constant");
  int64_t a;
  if (ax->type == TFL_INT32) {
    int32_t a32;
    memcpy(&a32, ax->data, 4);
    a = a32;
  } else {
    memcpy(&a, ax->data, 8);
  }
  int r = x->rank;
  if (a < 0) a += r;
  if (a < 0 || a >= r) return emit_unsupported(e, "axis out of range");
  int axis = (int)a;
  int64_t outer = dims_prod(x, 0, axis), inner = dims_prod(x, axis + 1, r);
  int64_t in_row = (int64_t)x->dims[axis] * inner, at = 0;
  const char *src = emit_in(e, v ? 0 : 1);
  for (uint32_t k = 0; k < op->nout; k++) {
    const Tensor *y = emit_tout(e, (int)k);
    if (y->type != x->type || y->rank != r) return emit_unsupported(e, "output %u differs from the input", k);
    int64_t row = (int64_t)y->dims[axis] * inner;
    int64_t n[2] = {outer, row}, ss[2] = {in_row, 1}, ds[2] = {row, 1};
    char dst[16];
    snprintf(dst, sizeof dst, "out%u", k);
    if (emit_copy_box(e, x->type, dst, 0, src, at, 2, n, ss, ds)) return -1;
    at += row;
  }
  if (at != in_row) return emit_unsupported(e, "outputs do not add up to the input");
  ef(e, "  return 0;\n");
  return 0;
}
