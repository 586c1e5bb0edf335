/* A CONV_2D or DEPTHWISE_CONV_2D with a fused residual ADD (fuse-residual-add, Op.fadd): the
   convolution's body exactly as its emitter writes it for its own result tensor (quantization,
   shape, kernel choice), but into the ADD's output buffer, then the ADD's elementwise arithmetic
   in place over that buffer and the other operand, with the constants binary_q.c computes for
   the ADD (the AVX2 kernel on x86-64-avx2, else the generic element loop), split into parts like
   any layer. The intermediate tensor has no storage of its own. On x86-64-avx2 a CONV_2D instead
   adds in its tiles' epilogue (avx2_out_add.c), so the ADD's output is written once and its
   other operand read once, with no second pass. */
#include <string.h>

#include "codegen/ops/avx2.h"
#include "codegen/ops/binary.h"
#include "codegen/ops/conv_common.h"

/* x86-64-avx2: the ADD in the CONV_2D tiles' epilogue, on the result still in registers, with
   the ADD's constants for the convolution's result first (add_q_form is symmetric in its
   operands). c is the convolution alone (e->op); 1 when this form does not apply. */
static int gen_in_tiles(Emit *e, const Op *op, const Op *c, const char *other_expr) {
  const Tensor *mid = &e->g->t[op->fadd.mid], *y = &e->g->t[op->out[0]];
  const Tensor *other = &e->g->t[op->in[op->nin - 1]];
  const bool vnni = op->kind == OP_CONV_2D && conv_vnni_eligible(e, c);
  if (op->kind != OP_CONV_2D || (!vnni && !conv_avx2_add_eligible(e, c))) return 1;
  Avx2Add add = {.other = other_expr};
  if (add_q_form(e, false, e->o.rounding == ROUND_SINGLE, mid, other, y, op->fadd.act, &add.xnn,
                 add.q, &add.nq))
    return -1;
  if (!add_avx2_eligible(e, mid, other, y, add.xnn, add.q)) return 1;
  return vnni ? gen_conv_vnni_add(e, c, &add) : gen_conv_avx2_add(e, c, &add);
}

int gen_conv_add(Emit *e, const Op *op, int (*conv)(Emit *e, const Op *op)) {
  const Tensor *mid = &e->g->t[op->fadd.mid], *y = &e->g->t[op->out[0]];
  const Tensor *other = &e->g->t[op->in[op->nin - 1]];
  /* The convolution alone: its result tensor for quantization and shape, its usual operands. */
  Op c = *op;
  int32_t out = op->fadd.mid;
  c.out = &out;
  c.nin = op->nin - 1;
  c.fadd.on = false;
  const char *pm = "out0", *po = emit_in(e, (int)op->nin - 1);
  e->op = &c;
  int rc = gen_in_tiles(e, op, &c, po);
  if (rc <= 0) return e->op = op, rc;
  size_t at = e->layers.n;
  rc = conv(e, &c);
  e->op = op;
  if (rc) return -1;
  /* Every convolution emitter ends its body with this statement: the epilogue goes before it. */
  static const char ret[] = "  return 0;\n";
  size_t nr = sizeof ret - 1;
  if (e->layers.n < at + nr || memcmp(e->layers.p + e->layers.n - nr, ret, nr) != 0)
    return errf(e->err, -1, "operator %u: convolution body without a final return", op->index);
  e->layers.n -= nr;
  const Tensor *ta = op->fadd.mid_pos == 0 ? mid : other, *tb = op->fadd.mid_pos == 0 ? other : mid;
  const char *pa = op->fadd.mid_pos == 0 ? pm : po, *pb = op->fadd.mid_pos == 0 ? po : pm;
  bool xnn;
  int32_t q[13];
  int nq;
  if (add_q_form(e, false, e->o.rounding == ROUND_SINGLE, ta, tb, y, op->fadd.act, &xnn, q, &nq))
    return -1;
  ef(e, "  /* the fused ADD, in place */\n");
  if (add_avx2_eligible(e, ta, tb, y, xnn, q)) {
    if (gen_add_avx2(e, y->type, xnn, q, nq, pa, pb, "out0", y->elems)) return -1;
  } else {
    BinaryShape s = {{1, 1, 1, 1, 1, (int32_t)y->elems}, {0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 0, 1}};
    char fn[48];
    if (xnn) {
      snprintf(fn, sizeof fn, "add_xnn_x");
      if (emit_kernel(e, "add_xnn", "x", NULL)) return -1;
    } else {
      snprintf(fn, sizeof fn, "add_q_dbl");
      if (emit_kernel(e, "add_q", "dbl", "RQ=mc_requant_dbl", NULL)) return -1;
    }
    /* binary_call_ptrs ends the body with its own return. */
    emit_once(e, NULL);
    return binary_call_ptrs(e, &s, NULL, NULL, fn, q, nq, NULL, 0, y->type, y->type, pa, pb);
  }
  ef(e, "%s", ret);
  return 0;
}
