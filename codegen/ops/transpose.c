/* TRANSPOSE: output dimension i walks input dimension perm[i], so the copy reads with the input's
   strides permuted. Any dtype, any rank whose merged form has at most 6 dimensions. */
#include <string.h>

#include "codegen/emit.h"
#include "codegen/ops/movement.h"

int gen_transpose(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *p = emit_tin(e, 1), *y = emit_tout(e, 0);
  if (x->type != y->type) return emit_unsupported(e, "input and output dtypes differ");
  if (!p || !p->data || (p->type != TFL_INT32 && p->type != TFL_INT64) || p->elems != x->rank)
    return emit_unsupported(e, "the permutation is not a constant of %d elements", x->rank);
  int r = x->rank;
  int64_t xs[IR_MAX_RANK], ys[IR_MAX_RANK], ss[IR_MAX_RANK], n[IR_MAX_RANK];
  box_strides(r, x->dims, xs);
  box_strides(r, y->dims, ys);
  for (int i = 0; i < r; i++) {
    int64_t a = ir_const_int(p, i);
    if (a < 0) a += r;
    if (a < 0 || a >= r || x->dims[a] != y->dims[i]) return emit_unsupported(e, "invalid permutation");
    ss[i] = xs[a];
    n[i] = y->dims[i];
  }
  if (emit_copy_box(e, x->type, "out0", 0, emit_in(e, 0), 0, r, n, ss, ys)) return -1;
  ef(e, "  return 0;\n");
  return 0;
}
