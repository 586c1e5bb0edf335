/* fold-quantize-chain: a QUANTIZE or DEQUANTIZE reading another's output becomes nothing (when the
   pair gives back its input) or one QUANTIZE/DEQUANTIZE from the first one's input; legal because
   the first input is 8- or 16-bit, so every value is tried through both forms with the kernels'
   own arithmetic and the rewrite is made only when all agree bit for bit. */
#include <string.h>

#include "compiler/passes/passes.h"

static bool is_q(const Op *op) { return op->kind == OP_QUANTIZE || op->kind == OP_DEQUANTIZE; }

static bool is_int8_16(int t) { return t == TFL_INT8 || t == TFL_UINT8 || t == TFL_INT16; }

/* The value op computes from v (an integer, or a float's bits when from_float), as the generated
   code does; false for the cases the pass does not model. */
static bool step(const Op *op, const Tensor *in, const Tensor *out, Rounding r, bool from_float,
                 float f, int32_t v, float *fo, int32_t *vo, bool *to_float) {
  if (op->kind == OP_DEQUANTIZE) {
    if (from_float || in->q.n != 1 || out->type != TFL_FLOAT32) return false;
    *fo = pass_sim_dequantize(in, v), *to_float = true;
    return true;
  }
  if (out->q.n != 1 || !is_int8_16(out->type)) return false;
  *to_float = false;
  if (from_float) {
    if (in->type != TFL_FLOAT32) return false;
    *vo = pass_sim_quantize_f32(out, f);
    return true;
  }
  if (in->q.n != 1 || !is_int8_16(in->type)) return false;
  *vo = pass_sim_requantize(in, out, r, v);
  return true;
}

static bool same(bool af, float a, int32_t ai, bool bf, float b, int32_t bi) {
  if (af != bf) return false;
  return af ? memcmp(&a, &b, sizeof a) == 0 : ai == bi;
}

int pass_fold_quantize_chain(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  (void)err;
  Rounding r = c->o->rounding;
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *b = &g->ops[i];
    if (c->dead[i] || !is_q(b) || b->nin != 1 || b->nout != 1 || b->in[0] < 0) continue;
    int32_t yi = b->in[0], zi = b->out[0];
    Tensor *y = &g->t[yi], *z = &g->t[zi];
    if (y->producer < 0 || c->dead[y->producer]) continue;
    Op *a = &g->ops[y->producer];
    if (!is_q(a) || a->nin != 1 || a->nout != 1 || a->in[0] < 0) continue;
    int32_t xi = a->in[0];
    Tensor *x = &g->t[xi];
    if (!pass_enumerable(x) || x->is_variable || y->is_variable || z->is_variable) continue;
    if (x->rank != z->rank || memcmp(x->dims, z->dims, sizeof(int32_t) * (size_t)(x->rank > 0 ? x->rank : 0)))
      continue;
    /* Candidates: nothing (z == x), or b alone reading x. */
    bool can_id = pass_same_tensor(x, z), can_one = true;
    int32_t lo, hi;
    quant_type_range(x->type, &lo, &hi);
    for (int32_t v = lo; v <= hi && (can_id || can_one); v++) {
      float f1 = 0, f2 = 0, f3 = 0;
      int32_t v1 = 0, v2 = 0, v3 = 0;
      bool t1, t2, t3;
      if (!step(a, x, y, r, false, 0, v, &f1, &v1, &t1) ||
          !step(b, y, z, r, t1, f1, v1, &f2, &v2, &t2)) {
        can_id = can_one = false;
        break;
      }
      if (can_id && (t2 || v2 != v)) can_id = false;
      if (can_one && (!step(b, x, z, r, false, 0, v, &f3, &v3, &t3) || !same(t2, f2, v2, t3, f3, v3)))
        can_one = false;
    }
    bool only_reader = y->nconsumers == 1 && !pass_pinned(y);
    if (can_id && pass_bypass(c, g, b, xi, zi)) {
      if (only_reader) c->dead[a->index] = true;
      ++*changes;
    } else if (can_one) {
      b->in[0] = xi;
      if (only_reader) c->dead[a->index] = true;
      ++*changes;
    }
  }
  return 0;
}
