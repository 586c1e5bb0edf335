/* remove-identity: operators whose output equals their input element for element (reshapes to the
   same shape, QUANTIZE and CAST to the same dtype and parameters, TRANSPOSE by the identity or by
   the inverse of the TRANSPOSE feeding it, PAD by zeros, CONCATENATION of one input) are bypassed;
   legal because the output has the input's dtype, shape and quantization, so readers cannot tell. */
#include <string.h>

#include "compiler/passes/passes.h"

/* The permutation of a TRANSPOSE with a constant perm, normalised; false if not readable. */
static bool perm_of(const Graph *g, const Op *op, int *p, int *rank) {
  if (op->kind != OP_TRANSPOSE || op->nin != 2 || op->in[1] < 0) return false;
  const Tensor *pt = &g->t[op->in[1]], *x = &g->t[op->in[0]];
  if (!pt->data || pt->is_variable || x->rank < 1 || pt->elems != x->rank) return false;
  *rank = x->rank;
  for (int d = 0; d < x->rank; d++) {
    int64_t v;
    if (pt->type == TFL_INT32) {
      int32_t w;
      memcpy(&w, pt->data + 4 * d, 4);
      v = w;
    } else if (pt->type == TFL_INT64) {
      memcpy(&v, pt->data + 8 * d, 8);
    } else {
      return false;
    }
    if (v < 0) v += x->rank;
    if (v < 0 || v >= x->rank) return false;
    p[d] = (int)v;
  }
  return true;
}

static bool zero_constant(const Tensor *t) {
  if (!t->data || t->is_variable) return false;
  for (uint64_t i = 0; i < t->data_size; i++)
    if (t->data[i]) return false;
  return true;
}

/* The input op passes through unchanged, or -1. */
static int32_t identity_input(const Graph *g, const Op *op, const Rounding r) {
  if (op->nout != 1 || op->nin < 1 || op->in[0] < 0) return -1;
  int32_t x = op->in[0];
  const Tensor *tx = &g->t[x], *ty = &g->t[op->out[0]];
  switch (op->kind) {
  case OP_RESHAPE: case OP_SQUEEZE: case OP_EXPAND_DIMS: case OP_CAST:
    return pass_same_tensor(tx, ty) ? x : -1;
  case OP_QUANTIZE: {
    /* Same dtype and parameters: a requantization by exactly 1. Tried on every value rather
       than argued, so a change to the kernels cannot silently make this wrong. */
    if (!pass_same_tensor(tx, ty) || !pass_enumerable(tx)) return -1;
    int32_t lo, hi;
    quant_type_range(tx->type, &lo, &hi);
    for (int32_t v = lo; v <= hi; v++)
      if (pass_sim_requantize(tx, ty, r, v) != v) return -1;
    return x;
  }
  case OP_CONCATENATION:
    return op->nin == 1 && pass_act_of(op) == ACT_NONE && pass_same_tensor(tx, ty) ? x : -1;
  case OP_PAD: case OP_PADV2:
    return op->nin >= 2 && op->in[1] >= 0 && zero_constant(&g->t[op->in[1]]) &&
           pass_same_tensor(tx, ty) ? x : -1;
  case OP_TRANSPOSE: {
    int p[IR_MAX_RANK], rank;
    if (!perm_of(g, op, p, &rank)) return -1;
    bool id = true;
    for (int d = 0; d < rank; d++) id = id && p[d] == d;
    if (id) return pass_same_tensor(tx, ty) ? x : -1;
    /* T2(T1(w, p1), p2) == w when p1[p2[d]] == d for every d. */
    if (tx->producer < 0) return -1;
    const Op *first = &g->ops[tx->producer];
    int q[IR_MAX_RANK], qr;
    if (!perm_of(g, first, q, &qr) || qr != rank) return -1;
    for (int d = 0; d < rank; d++)
      if (q[p[d]] != d) return -1;
    return pass_same_tensor(&g->t[first->in[0]], ty) ? first->in[0] : -1;
  }
  default:
    return -1;
  }
}

int pass_remove_identity(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  (void)err;
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *op = &g->ops[i];
    if (c->dead[i]) continue;
    int32_t x = identity_input(g, op, c->o->rounding);
    if (x >= 0 && pass_bypass(c, g, op, x, op->out[0])) ++*changes;
  }
  return 0;
}
