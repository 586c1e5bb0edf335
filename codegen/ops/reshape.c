/* RESHAPE, SQUEEZE, EXPAND_DIMS: the bytes are unchanged. The planner gives the output its input's
   storage, so this copies only where it could not (input and output both the caller's buffers). */
#include "codegen/emit.h"

int gen_reshape(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (x->bytes != y->bytes) return emit_unsupported(e, "reshape changes the byte size");
  ef(e, "  if ((const void *)out0 != (const void *)%s) memmove(out0, %s, %lld);\n  return 0;\n",
     emit_in(e, 0), emit_in(e, 0), (long long)y->bytes);
  return 0;
}
