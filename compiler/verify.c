/* Verification: operand counts from the operator table, topological order (every tensor an
   operator reads is an input, a constant, a variable, or written by an earlier operator; this
   also rules out cycles), constant data sizes, and static graph input shapes. Then shape
   inference runs the per-kind families of compiler/shape.c in execution order. */
#include <stdio.h>

#include "ir.h"

static int check_arity(const Op *op, Err *err) {
  const OpInfo *info = &op_info[op->kind];
  if ((info->imin >= 0 && op->nin < (uint32_t)info->imin) ||
      (info->imax >= 0 && op->nin > (uint32_t)info->imax + op->fadd.on))  /* + a fused ADD's */
    return errf(err, op->off, "operator %u (%s): %u inputs, expected %d to %d", op->index,
                ir_op_name(op), op->nin, info->imin, info->imax);
  if ((info->omin >= 0 && op->nout < (uint32_t)info->omin) ||
      (info->omax >= 0 && op->nout > (uint32_t)info->omax))
    return errf(err, op->off, "operator %u (%s): %u outputs, expected %d to %d", op->index,
                ir_op_name(op), op->nout, info->omin, info->omax);
  return 0;
}

static int check_order(const Graph *g, const Op *op, Err *err) {
  char label[300];
  for (uint32_t k = 0; k < op->nin; k++) {
    if (op->in[k] < 0) continue;
    const Tensor *t = &g->t[op->in[k]];
    if (t->is_input || t->data || t->is_variable) continue;
    if (t->producer < 0)
      return errf(err, op->off, "operator %u (%s): input %u %s is never written (not a graph "
                  "input, constant or variable)", op->index, ir_op_name(op), k,
                  ir_tensor_label(t, label, sizeof label));
    if ((uint32_t)t->producer >= op->index)
      return errf(err, op->off, "operator %u (%s): input %u %s is written later, by operator %d",
                  op->index, ir_op_name(op), k, ir_tensor_label(t, label, sizeof label),
                  t->producer);
  }
  return 0;
}

/* Graph inputs must have static shapes: a -1 batch is read as 1, anything else is an error. */
static int fix_input_shape(Model *m, Graph *g, Tensor *t, Err *err) {
  char label[300];
  ir_tensor_label(t, label, sizeof label);
  if (t->rank < 0)
    return errf(err, t->off, "input %s has no shape; modelc needs static input shapes", label);
  for (int d = 0; d < t->rank; d++) {
    if (t->dims[d] >= 0) continue;
    if (d != 0)
      return errf(err, t->off, "input %s: dimension %d is unknown (-1); modelc needs static "
                  "shapes", label, d);
    t->dims[0] = 1;
    if (ir_note(m, "subgraph %u: input %s: batch dimension -1 read as 1", g->index, label))
      return errf(err, -1, "out of memory");
  }
  t->shape_known = true;
  return 0;
}

static int check_constant(const Tensor *t, Err *err) {
  char label[300];
  ir_tensor_label(t, label, sizeof label);
  if (!t->shape_known)
    return errf(err, t->off, "constant %s has an unknown shape", label);
  if (t->bytes && t->data_size != (uint64_t)t->bytes && t->type != TFL_STRING)
    return errf(err, t->off, "constant %s holds %llu bytes, but its %s shape needs %lld", label,
                (unsigned long long)t->data_size, tfl_type_name(t->type), (long long)t->bytes);
  return 0;
}

static int verify_graph(Model *m, Graph *g, Err *err) {
  for (uint32_t i = 0; i < g->ntensors; i++) {
    Tensor *t = &g->t[i];
    if (t->is_input && !t->data && fix_input_shape(m, g, t, err)) return -1;
    if (t->shape_known && ir_size_tensor(t, err)) return -1;
    if (t->data && check_constant(t, err)) return -1;
  }
  for (uint32_t i = 0; i < g->nops; i++)
    if (check_arity(&g->ops[i], err) || check_order(g, &g->ops[i], err)) return -1;
  return 0;
}

int ir_verify(Model *m, Err *err) {
  for (uint32_t i = 0; i < m->ngraphs; i++)
    if (verify_graph(m, &m->g[i], err)) return err_ctx(err, "subgraph %u", i);
  return 0;
}

/* An activation with a zero dimension: the kernels divide by channel counts and size tiles from
   them, and no model modelc targets computes on empty tensors. */
static int check_not_empty(const Op *op, const Tensor *t, const char *role, Err *err) {
  if (!t->shape_known || t->data || t->rank <= 0 || t->elems > 0) return 0;
  char label[300], dims[160];
  int n = snprintf(dims, sizeof dims, "[");
  for (int d = 0; d < t->rank && n < (int)sizeof dims - 16; d++)
    n += snprintf(dims + n, sizeof dims - (size_t)n, "%s%d", d ? "," : "", t->dims[d]);
  snprintf(dims + n, sizeof dims - (size_t)n, "]");
  return errf(err, op->off, "operator %u (%s): %s %s has the empty shape %s", op->index,
              ir_op_name(op), role, ir_tensor_label(t, label, sizeof label), dims);
}

static int infer_graph(Graph *g, Err *err) {
  char label[300];
  for (uint32_t i = 0; i < g->nops; i++) {
    Op *op = &g->ops[i];
    ShapeFn fn = op_info[op->kind].shape;
    for (uint32_t k = 0; k < op->nin; k++)
      if (op->in[k] >= 0 && check_not_empty(op, &g->t[op->in[k]], "input", err)) return -1;
    if (fn && fn(g, op, err)) return -1;
    for (uint32_t k = 0; k < op->nout; k++) {
      Tensor *t = &g->t[op->out[k]];
      if (!t->shape_known)
        return errf(err, op->off, "operator %u (%s): output %s has an unknown shape that modelc "
                    "cannot infer for this operator", i, ir_op_name(op),
                    ir_tensor_label(t, label, sizeof label));
      if (check_not_empty(op, t, "output", err)) return -1;
    }
  }
  for (uint32_t i = 0; i < g->nout; i++) {
    Tensor *t = &g->t[g->out[i]];
    if (!t->shape_known)
      return errf(err, t->off, "output %s has an unknown shape",
                  ir_tensor_label(t, label, sizeof label));
  }
  return 0;
}

int ir_shapes(Model *m, Err *err) {
  for (uint32_t i = 0; i < m->ngraphs; i++)
    if (infer_graph(&m->g[i], err)) return err_ctx(err, "subgraph %u", i);
  return 0;
}
