/* EXP and LOG on float32: expf and logf elementwise, as TFLite's std::exp and std::log. */
#include "codegen/emit.h"

int gen_exp_log(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (x->type != TFL_FLOAT32 || y->type != TFL_FLOAT32)
    return emit_unsupported(e, "%s (only float32 is supported)", tfl_type_name(x->type));
  bool is_exp = op->kind == OP_EXP;
  e->need_math = true;
  if (emit_kernel(e, "unary_f32", is_exp ? "exp" : "log", is_exp ? "FN=expf" : "FN=logf", NULL)) return -1;
  ef(e, "  unary_f32_%s(%lld, %s, out0);\n  return 0;\n", is_exp ? "exp" : "log", (long long)y->elems,
     emit_in(e, 0));
  return 0;
}
