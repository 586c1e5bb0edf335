/* ARG_MAX: the index of the largest element along a constant axis, as int32 or int64 (the output
   dtype, which follows the option). Any numeric input dtype. */
#include <string.h>

#include "codegen/emit.h"
#include "codegen/ops/avx2.h"

int gen_arg_max(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *ax = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (!ax || !ax->data || ax->elems != 1 || (ax->type != TFL_INT32 && ax->type != TFL_INT64))
    return emit_unsupported(e, "the axis is not a constant scalar");
  if (y->type != TFL_INT32 && y->type != TFL_INT64)
    return emit_unsupported(e, "output dtype %s", tfl_type_name(y->type));
  if (x->type != TFL_FLOAT32 && x->type != TFL_INT8 && x->type != TFL_UINT8 &&
      x->type != TFL_INT16 && x->type != TFL_INT32)
    return emit_unsupported(e, "input dtype %s", tfl_type_name(x->type));
  int64_t a;
  if (ax->type == TFL_INT32) {
    int32_t v;
    memcpy(&v, ax->data, 4);
    a = v;
  } else {
    memcpy(&a, ax->data, 8);
  }
  if (a < 0) a += x->rank;
  if (a < 0 || a >= x->rank) return emit_unsupported(e, "axis out of range");
  int axis = (int)a;
  if (x->dims[axis] <= 0) return emit_unsupported(e, "empty axis");
  int64_t outer = dims_prod(x, 0, axis), inner = dims_prod(x, axis + 1, x->rank);
  if (outer * x->dims[axis] * inner > INT32_MAX) return emit_unsupported(e, "tensor too large");
  if (arg_max_avx2_eligible(e, x->dims[axis], inner))  /* --target x86-64-avx2 */
    return gen_arg_max_avx2(e, outer, x->dims[axis]);
  char inst[16], T[32], I[32];
  snprintf(inst, sizeof inst, "%s_%s", emit_tsuffix(x->type), emit_tsuffix(y->type));
  snprintf(T, sizeof T, "T=%s", emit_ctype(x->type));
  snprintf(I, sizeof I, "I=%s", emit_ctype(y->type));
  if (emit_kernel(e, "arg_max", inst, T, I, NULL)) return -1;
  ef(e, "  arg_max_%s(%lld, %d, %lld, %s, out0);\n  return 0;\n", inst, (long long)outer,
     x->dims[axis], (long long)inner, emit_in(e, 0));
  return 0;
}
