/* Import: TflModel -> IR. Copies shapes and quantization into IR form, links producers and
   consumers, and maps builtin codes to operator kinds. Reads leniently only where the meaning is
   unambiguous and TFLite Micro does the same; each such case becomes a note. */
#include <math.h>
#include <stdio.h>

#include "ir.h"
#include "quant.h"

typedef struct Im {
  const TflModel *src;
  Arena *a;
  Model *m;
  Err *err;
} Im;

static void *alloc(Im *im, size_t n, size_t size) {
  void *p = arena_array(im->a, n ? n : 1, size);
  if (!p) errf(im->err, -1, "out of memory importing the model (limit %zu bytes)", im->a->limit);
  return p;
}

static int import_quant(Im *im, const Graph *g, const TflTensor *src, Tensor *t) {
  const TflQuant *q = &src->quant;
  char label[300];
  if (!src->has_quant || q->scale.n == 0) return 0;
  ir_tensor_label(t, label, sizeof label);
  if (q->zero_point.n != q->scale.n)
    return errf(im->err, src->off, "%s: quantization has %u scales but %u zero points", label,
                q->scale.n, q->zero_point.n);
  Quant *d = &t->q;
  d->n = q->scale.n;
  if (!(d->scale = alloc(im, d->n, sizeof *d->scale)) ||
      !(d->zero_point = alloc(im, d->n, sizeof *d->zero_point)))
    return -1;
  /* The integer types' zero points must be values of the type and their scales positive and
     finite (a constant's may be 0: an all-zero channel), as TFLite's converter writes them: the
     emitters fold zero points times multipliers into int32 constants and divide by scales. */
  const bool integer = t->type == TFL_INT8 || t->type == TFL_UINT8 || t->type == TFL_INT16;
  int32_t zlo, zhi;
  quant_type_range(integer ? t->type : TFL_INT32, &zlo, &zhi);
  for (uint32_t i = 0; i < d->n; i++) {
    int64_t zp = tfl_i64(q->zero_point, i);
    float s = tfl_f32(q->scale, i);
    if (zp < zlo || zp > zhi)
      return errf(im->err, src->off, "%s: zero point %u is %lld, outside %s", label, i,
                  (long long)zp, integer ? tfl_type_name(t->type) : "int32");
    if (integer && !(isfinite(s) && (s > 0 || (s == 0 && t->data))))
      return errf(im->err, src->off, "%s: scale %u is %g; a quantized tensor's scales must be "
                  "positive and finite", label, i, (double)s);
    d->scale[i] = s;
    d->zero_point[i] = (int32_t)zp;
  }
  d->dim = q->quantized_dimension;
  /* TFLite rejects quantized_dimension >= rank; TFLite Micro reads such files (the published
     person-detection model gives rank-1 biases dimension 3). Where there is only one dimension the
     scales can belong to, the meaning is unambiguous: take it. */
  if (t->rank >= 0 && d->dim >= t->rank) {
    bool one_scale = d->n == 1;
    bool fits_only_dim = t->rank == 1 && t->dims[0] == (int32_t)d->n;
    if (!one_scale && !fits_only_dim)
      return errf(im->err, src->off,
                  "%s: quantized_dimension %d is outside its rank-%d shape and %u scales do not "
                  "match a dimension",
                  label, d->dim, t->rank, d->n);
    if (ir_note(im->m,
                "subgraph %u: %s: quantized_dimension %d exceeds rank %d; read as 0, as TFLite "
                "Micro does",
                g->index, label, d->dim, t->rank))
      return errf(im->err, -1, "out of memory");
    d->dim = 0;
  }
  return 0;
}

static int import_tensor(Im *im, Graph *g, uint32_t i) {
  const TflTensor *src = &im->src->subgraphs[g->index].tensors[i];
  const TflBuffer *buf = &im->src->buffers[src->buffer];
  Tensor *t = &g->t[i];
  char label[300];
  t->index = i;
  t->name = src->name;
  t->type = src->type;
  t->off = src->off;
  t->producer = -1;
  t->is_variable = src->is_variable;
  ir_tensor_label(t, label, sizeof label);
  if (src->shape.n > IR_MAX_RANK)
    return errf(im->err, src->off, "%s: rank %u exceeds modelc's limit of %d", label, src->shape.n,
                IR_MAX_RANK);
  if (src->sparsity)
    return errf(im->err, src->off, "%s: sparse tensors are not supported", label);
  if (src->nvariant || src->type == TFL_RESOURCE || src->type == TFL_VARIANT)
    return errf(im->err, src->off, "%s: %s tensors are not supported", label,
                tfl_type_name(src->type));
  t->rank = (int)src->shape.n;
  t->shape_known = true;
  for (int d = 0; d < t->rank; d++) {
    t->dims[d] = tfl_i32(src->shape, (uint32_t)d);
    if (t->dims[d] < 0) t->shape_known = false;
  }
  if (buf->data && buf->size) {
    t->data = buf->data;
    t->data_size = buf->size;
  }
  /* An activation stored with no shape and no has_rank has an unknown shape, not a scalar: older
     converters left intermediate shapes empty. Shape inference fills it in. */
  if (t->rank == 0 && !src->has_rank && !t->data && !t->is_variable) {
    t->rank = -1;
    t->shape_known = false;
  }
  return import_quant(im, g, src, t);
}

static int check_options(Im *im, const Graph *g, const Op *op, const TflOperator *src) {
  int want = op_info[op->kind].options;
  if (want <= 0 || src->options_type == 0 || src->options_type == want) return 0;
  const char *got = tfl_options_name(src->options_type);
  return errf(im->err, src->off, "subgraph %u: operator %u (%s): options are %s, expected %s",
              g->index, op->index, ir_op_name(op), got ? got : "of an unknown type",
              tfl_options_name(want));
}

/* Records op as producer of its outputs and consumer of its inputs. */
static int link(Im *im, Graph *g, Op *op, uint32_t *nuse) {
  char label[300];
  for (uint32_t k = 0; k < op->nout; k++) {
    Tensor *t = &g->t[op->out[k]];
    ir_tensor_label(t, label, sizeof label);
    if (t->producer >= 0)
      return errf(im->err, op->off, "subgraph %u: operator %u (%s): %s is already written by "
                  "operator %d", g->index, op->index, ir_op_name(op), label, t->producer);
    if (t->data)
      return errf(im->err, op->off, "subgraph %u: operator %u (%s): output %s is a constant",
                  g->index, op->index, ir_op_name(op), label);
    t->producer = (int32_t)op->index;
  }
  for (uint32_t k = 0; k < op->nin; k++)
    if (op->in[k] >= 0) nuse[op->in[k]]++;
  return 0;
}

static int import_op(Im *im, Graph *g, uint32_t i, uint32_t *nuse) {
  const TflOperator *src = &im->src->subgraphs[g->index].ops[i];
  const TflOpcode *oc = &im->src->opcodes[src->opcode_index];
  Op *op = &g->ops[i];
  op->index = op->src = i;
  op->off = src->off;
  op->code = oc->code;
  op->kind = op_kind(oc->code);
  op->custom_code = oc->custom_code;
  op->version = oc->version;
  op->options_type = src->options_type;
  op->opt = &src->options;
  op->nin = src->inputs.n;
  op->nout = src->outputs.n;
  op->ninter = src->intermediates.n;
  if (!(op->in = alloc(im, op->nin, sizeof *op->in)) ||
      !(op->out = alloc(im, op->nout, sizeof *op->out)) ||
      !(op->inter = alloc(im, op->ninter, sizeof *op->inter)))
    return -1;
  for (uint32_t k = 0; k < op->nin; k++) op->in[k] = tfl_i32(src->inputs, k);
  for (uint32_t k = 0; k < op->nout; k++) op->out[k] = tfl_i32(src->outputs, k);
  for (uint32_t k = 0; k < op->ninter; k++) op->inter[k] = tfl_i32(src->intermediates, k);
  return check_options(im, g, op, src) || link(im, g, op, nuse);
}

static int fill_consumers(Im *im, Graph *g, const uint32_t *nuse) {
  for (uint32_t i = 0; i < g->ntensors; i++)
    if (!(g->t[i].consumers = alloc(im, nuse[i], sizeof(uint32_t)))) return -1;
  for (uint32_t i = 0; i < g->nops; i++) {
    const Op *op = &g->ops[i];
    for (uint32_t k = 0; k < op->nin; k++) {
      if (op->in[k] < 0) continue;
      Tensor *t = &g->t[op->in[k]];
      /* An operator that reads a tensor twice (x * x) consumes it once. */
      if (t->nconsumers && t->consumers[t->nconsumers - 1] == i) continue;
      t->consumers[t->nconsumers++] = i;
    }
  }
  return 0;
}

static int import_graph(Im *im, uint32_t gi) {
  const TflSubgraph *sg = &im->src->subgraphs[gi];
  Graph *g = &im->m->g[gi];
  g->index = gi;
  g->name = sg->name;
  g->ntensors = sg->ntensors;
  g->nops = sg->nops;
  g->nin = sg->inputs.n;
  g->nout = sg->outputs.n;
  uint32_t *nuse;
  if (!(g->t = alloc(im, g->ntensors, sizeof *g->t)) ||
      !(g->ops = alloc(im, g->nops, sizeof *g->ops)) ||
      !(g->in = alloc(im, g->nin, sizeof *g->in)) ||
      !(g->out = alloc(im, g->nout, sizeof *g->out)) ||
      !(nuse = alloc(im, g->ntensors, sizeof *nuse)))
    return -1;
  for (uint32_t i = 0; i < g->ntensors; i++)
    if (import_tensor(im, g, i)) return -1;
  for (uint32_t i = 0; i < g->nin; i++) g->t[g->in[i] = tfl_i32(sg->inputs, i)].is_input = true;
  for (uint32_t i = 0; i < g->nout; i++) g->t[g->out[i] = tfl_i32(sg->outputs, i)].is_output = true;
  for (uint32_t i = 0; i < g->nops; i++)
    if (import_op(im, g, i, nuse)) return -1;
  return fill_consumers(im, g, nuse);
}

int ir_import(const TflModel *src, Arena *a, Model *m, Err *err) {
  Im im = {src, a, m, err};
  memset(m, 0, sizeof *m);
  m->src = src;
  m->a = a;
  m->ngraphs = src->nsubgraphs;
  if (!(m->g = alloc(&im, m->ngraphs, sizeof *m->g))) return -1;
  for (uint32_t i = 0; i < m->ngraphs; i++)
    if (import_graph(&im, i)) return -1;
  return 0;
}
