/* fuse-residual-add: an int8/uint8 ADD of two same-shape tensors, one the result of a CONV_2D or
   DEPTHWISE_CONV_2D that only the ADD reads, becomes that convolution's epilogue (Op.fadd); legal
   because the fused layer still computes the convolution's 8-bit result with its own
   quantization (into the ADD's output) and then the ADD's arithmetic on it, element for element
   in place, so every value is what the two operators computed; the other operand must already
   exist where the convolution runs, and the ADD's output is written earlier, before any of its
   readers as before. The output never shares storage with the other operand or the
   convolution's input: the planner overlaps a convolution's output with nothing it reads. */
#include "compiler/passes/passes.h"

static bool same_dims(const Tensor *a, const Tensor *b) {
  if (a->rank != b->rank || !a->shape_known || !b->shape_known) return false;
  for (int d = 0; d < a->rank; d++)
    if (a->dims[d] != b->dims[d]) return false;
  return true;
}

static bool q8(const Tensor *t, int type) {
  return t->type == type && (type == TFL_INT8 || type == TFL_UINT8) && t->q.n == 1;
}

/* The convolution that may take ADD `add` as its epilogue, with the ADD's input `pos` its result;
   NULL if none. */
static Op *fusable(PassCtx *c, Graph *g, const Op *add, int pos) {
  const Tensor *m = &g->t[add->in[pos]], *o = &g->t[add->in[1 - pos]];
  if (m->producer < 0 || c->dead[m->producer] || pass_pinned(m) || m->nconsumers != 1) return NULL;
  Op *p = &g->ops[m->producer];
  if ((p->kind != OP_CONV_2D && p->kind != OP_DEPTHWISE_CONV_2D) || p->fadd.on || p->nout != 1 ||
      p->nin < 2 || p->in[0] < 0)
    return NULL;
  /* The fused layer reads the other operand where the convolution ran: it must be written
     before (or be an input, constant or state). */
  if (o->producer >= 0 && (c->dead[o->producer] || (uint32_t)o->producer >= p->index)) return NULL;
  /* Its 8-bit input, so the epilogue's element type is the layer's. */
  if (g->t[p->in[0]].type != m->type) return NULL;
  return p;
}

int pass_fuse_residual_add(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *add = &g->ops[i];
    if (c->dead[i] || add->kind != OP_ADD || add->nin != 2 || add->nout != 1 || add->in[0] < 0 ||
        add->in[1] < 0 || add->in[0] == add->in[1])
      continue;
    const Tensor *a = &g->t[add->in[0]], *b = &g->t[add->in[1]], *y = &g->t[add->out[0]];
    if (y->is_variable || y->is_input || !q8(a, y->type) || !q8(b, y->type) || !q8(y, y->type) ||
        !same_dims(a, y) || !same_dims(b, y))
      continue;
    int pos = 0;
    Op *p = fusable(c, g, add, 0);
    if (!p) p = fusable(c, g, add, pos = 1);
    if (!p) continue;
    int32_t *in = arena_array(c->m->a, p->nin + 1, sizeof *in);
    if (!in) return errf(err, -1, "out of memory");
    for (uint32_t k = 0; k < p->nin; k++) in[k] = p->in[k];
    in[p->nin] = add->in[1 - pos];
    p->fadd.on = true;
    p->fadd.mid = add->in[pos];
    p->fadd.mid_pos = pos;
    p->fadd.act = pass_act_of(add);
    p->in = in;
    p->nin++;
    p->out[0] = add->out[0];
    c->dead[i] = true;
    ++*changes;
    if (pass_relink(g, c->m->a, c->dead, err)) return -1;
  }
  return 0;
}
