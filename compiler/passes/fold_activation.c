/* fold-activation: a standalone RELU/RELU6/RELU_N1_TO_1 whose input only it reads, produced by an
   operator with a fused activation, becomes that operator's activation; legal because with equal
   input and output quantization the standalone op is a clamp (its requantization by exactly 1 is
   the identity), and the producer's new clamp range is computed and checked to equal its old
   clamp followed by the standalone one. */
#include <math.h>

#include "compiler/passes/passes.h"

/* Producers whose emitters clamp every output element with their fused activation's range
   (quant_act_range / quant_act_range_f32, NaN-preserving compares), activation NONE included.
   CONCATENATION (no clamp without an activation) and the recurrent ops are left out. */
static bool folds_into(OpKind k) {
  switch (k) {
  case OP_CONV_2D: case OP_DEPTHWISE_CONV_2D: case OP_FULLY_CONNECTED: case OP_TRANSPOSE_CONV:
  case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_AVERAGE_POOL_2D: case OP_MAX_POOL_2D:
    return true;
  default:
    return false;
  }
}

/* [lo, hi] of the standalone op on x's type, exactly as codegen/ops/relu.c computes it. */
static void relu_range_q(OpKind k, const Tensor *y, int32_t *qlo, int32_t *qhi) {
  float lo = 0.0f, hi = INFINITY;
  if (k == OP_RELU6) hi = 6.0f;
  if (k == OP_RELU_N1_TO_1) lo = -1.0f, hi = 1.0f;
  int32_t tlo, thi;
  quant_type_range(y->type, &tlo, &thi);
  float ys = y->q.scale[0];
  int32_t zp = y->q.zero_point[0];
  *qlo = zp + (int32_t)roundf(lo / ys);
  *qhi = isinf(hi) ? thi : zp + (int32_t)roundf(hi / ys);
  if (*qlo < tlo) *qlo = tlo;
  if (*qhi > thi) *qhi = thi;
}

static void relu_range_f(OpKind k, float *lo, float *hi) {
  *lo = 0.0f, *hi = INFINITY;
  if (k == OP_RELU6) *hi = 6.0f;
  if (k == OP_RELU_N1_TO_1) *lo = -1.0f, *hi = 1.0f;
}

/* The clamp the XNNPACK forms of int8/uint8 ADD, SUB and MUL use (codegen/ops/binary_q.c's
   xnn_act_range, chosen under single rounding when the scales allow): the float bounds over the
   scale plus the zero point, rounded to nearest even. */
static int xnn_act_range(const Tensor *y, int act, int32_t *lo, int32_t *hi) {
  float tlo = y->type == TFL_UINT8 ? 0.0f : -128.0f, thi = y->type == TFL_UINT8 ? 255.0f : 127.0f;
  float flo = -INFINITY, fhi = INFINITY;
  if (act == ACT_RELU) flo = 0.0f;
  else if (act == ACT_RELU6) flo = 0.0f, fhi = 6.0f;
  else if (act == ACT_RELU_N1_TO_1) flo = -1.0f, fhi = 1.0f;
  else if (act != ACT_NONE) return -1;
  float s = y->q.scale[0], zp = (float)y->q.zero_point[0];
  *lo = (int32_t)lrintf(fminf(fmaxf(flo / s + zp, tlo), thi));
  *hi = (int32_t)lrintf(fminf(fmaxf(fhi / s + zp, tlo), thi));
  return 0;
}

typedef int (*RangeFn)(const Tensor *y, int act, int32_t *lo, int32_t *hi);

/* Whether, with clamps computed by `range`, activation `cand` on x clamps as the producer's
   activation `act` followed by the standalone op does. */
static bool same_clamp(RangeFn range, const Op *relu, int act, int cand, const Tensor *x) {
  int32_t plo, phi, rlo, rhi, a, b;
  if (range(x, act, &plo, &phi) || range(x, cand, &a, &b)) return false;
  relu_range_q(relu->kind, x, &rlo, &rhi);
  int32_t lo = plo > rlo ? plo : rlo, hi = phi < rhi ? phi : rhi;
  return lo <= hi && a == lo && b == hi;
}

/* The activation whose clamp on x is the producer's clamp followed by the standalone op's, or -1. */
static int fused_act(const Op *p, const Op *relu, int act, const Tensor *x) {
  static const int acts[] = {ACT_NONE, ACT_RELU, ACT_RELU_N1_TO_1, ACT_RELU6};
  enum { NACTS = sizeof acts / sizeof acts[0] };
  if (x->type == TFL_FLOAT32) {
    float plo, phi, rlo, rhi, lo, hi;
    if (quant_act_range_f32(act, &plo, &phi)) return -1;
    relu_range_f(relu->kind, &rlo, &rhi);
    lo = plo > rlo ? plo : rlo, hi = phi < rhi ? phi : rhi;
    if (lo > hi) return -1;
    for (unsigned i = 0; i < NACTS; i++) {
      float a, b;
      if (!quant_act_range_f32(acts[i], &a, &b) && a == lo && b == hi) return acts[i];
    }
    return -1;
  }
  /* Which clamp an int8/uint8 ADD, SUB or MUL gets depends on its scales and the rounding: the
     rewrite must hold for both. */
  bool xnn = (p->kind == OP_ADD || p->kind == OP_SUB || p->kind == OP_MUL) &&
             (x->type == TFL_INT8 || x->type == TFL_UINT8);
  for (unsigned i = 0; i < NACTS; i++)
    if (same_clamp(quant_act_range, relu, act, acts[i], x) &&
        (!xnn || same_clamp(xnn_act_range, relu, act, acts[i], x)))
      return acts[i];
  return -1;
}

int pass_fold_activation(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *r = &g->ops[i];
    if (c->dead[i] || (r->kind != OP_RELU && r->kind != OP_RELU6 && r->kind != OP_RELU_N1_TO_1) ||
        r->nin != 1 || r->nout != 1 || r->in[0] < 0)
      continue;
    int32_t xi = r->in[0], yi = r->out[0];
    Tensor *x = &g->t[xi], *y = &g->t[yi];
    if (pass_pinned(x) || x->nconsumers != 1 || x->producer < 0 || c->dead[x->producer] ||
        y->is_variable || !pass_same_tensor(x, y))
      continue;
    bool fl = x->type == TFL_FLOAT32 && !x->q.n;
    bool q = (x->type == TFL_INT8 || x->type == TFL_UINT8 || x->type == TFL_INT16) && x->q.n == 1;
    if (!fl && !q) continue;
    if (q) {  /* the standalone op's requantization (by 1, double rounding) gives back v */
      int32_t lo, hi;
      quant_type_range(x->type, &lo, &hi);
      bool id = true;
      for (int32_t v = lo; v <= hi && id; v++) id = pass_sim_requantize(x, y, ROUND_DOUBLE, v) == v;
      if (!id) continue;
    }
    Op *p = &g->ops[x->producer];
    /* A fused ADD's activation is not the convolution's field (fuse-residual-add). */
    if (!folds_into(p->kind) || p->fadd.on || p->nout != 1 || p->out[0] != xi || !pass_act_field((TflOptions *)p->opt, p))
      continue;
    int act = fused_act(p, r, pass_act_of(p), x);
    if (act < 0) continue;
    TflOptions *o = pass_own_options(p, c->m->a);
    if (!o) return errf(err, -1, "out of memory");
    *pass_act_field(o, p) = (int8_t)act;
    p->out[0] = yi;
    c->dead[i] = true;
    ++*changes;
    /* Later folds in this sweep read producers and consumers: keep them current. */
    if (pass_relink(g, c->m->a, c->dead, err)) return -1;
  }
  return 0;
}
