/* The pass driver and the graph surgery every pass shares: the pass table, relinking producers
   and consumers, deleting operators (renumbering the rest), bypassing identity operators, and the
   invariant check run after the passes. */
#include "compiler/passes/passes.h"

#include <stdio.h>
#include <string.h>

const PassInfo pass_info[PASS_COUNT] = {
#define PASS(id, name, summary) {name, summary},
#include "compiler/passes/passes.def"
#undef PASS
};

/* PassOptions.disabled has a bit per pass. */
_Static_assert(PASS_COUNT <= 32, "more passes than bits in PassOptions.disabled");

typedef int (*PassFn)(PassCtx *c, Graph *g, uint32_t *changes, Err *err);
static const PassFn pass_fn[PASS_COUNT] = {
#define PASS(id, name, summary) pass_##id,
#include "compiler/passes/passes.def"
#undef PASS
};

int pass_find(const char *name) {
  for (int i = 0; i < PASS_COUNT; i++)
    if (strcmp(pass_info[i].name, name) == 0) return i;
  return -1;
}

bool pass_same_quant(const Quant *a, const Quant *b) {
  if (a->n != b->n) return false;
  if (a->n > 1 && a->dim != b->dim) return false;
  for (uint32_t i = 0; i < a->n; i++)
    if (a->scale[i] != b->scale[i] || a->zero_point[i] != b->zero_point[i]) return false;
  return true;
}

bool pass_same_tensor(const Tensor *a, const Tensor *b) {
  if (a->type != b->type || a->rank != b->rank || !a->shape_known || !b->shape_known) return false;
  for (int d = 0; d < a->rank; d++)
    if (a->dims[d] != b->dims[d]) return false;
  return pass_same_quant(&a->q, &b->q);
}

bool pass_pinned(const Tensor *t) { return t->is_input || t->is_output || t->is_variable; }

static void replace_inputs(Graph *g, const bool *dead, int32_t from, int32_t to) {
  for (uint32_t i = 0; i < g->nops; i++) {
    if (dead[i]) continue;
    Op *op = &g->ops[i];
    for (uint32_t k = 0; k < op->nin; k++)
      if (op->in[k] == from) op->in[k] = to;
  }
}

bool pass_bypass(PassCtx *c, Graph *g, Op *op, int32_t x, int32_t y) {
  Tensor *tx = &g->t[x], *ty = &g->t[y];
  if (x == y || ty->is_variable || tx->is_variable || ty->is_input) return false;
  if (!ty->is_output) {
    c->dead[op->index] = true;
    replace_inputs(g, c->dead, y, x);
    return true;
  }
  /* y must stay the tensor the caller reads: have x's producer write y directly, and x's other
     readers read y, which then holds the same values from the same point of the schedule. */
  if (tx->producer < 0 || tx->is_output || tx->is_input || tx->data) return false;
  Op *p = &g->ops[tx->producer];
  if (c->dead[p->index]) return false;
  c->dead[op->index] = true;
  for (uint32_t k = 0; k < p->nout; k++)
    if (p->out[k] == x) p->out[k] = y;
  replace_inputs(g, c->dead, x, y);
  return true;
}

TflOptions *pass_own_options(Op *op, Arena *a) {
  TflOptions *o = arena_alloc(a, sizeof *o);
  if (!o) return NULL;
  *o = *op->opt;
  op->opt = o;
  return o;
}

int8_t *pass_act_field(TflOptions *o, const Op *op) {
  switch (op->kind) {
  case OP_CONV_2D: return &o->Conv2DOptions.fused_activation_function;
  case OP_DEPTHWISE_CONV_2D: return &o->DepthwiseConv2DOptions.fused_activation_function;
  case OP_FULLY_CONNECTED: return &o->FullyConnectedOptions.fused_activation_function;
  case OP_TRANSPOSE_CONV: return &o->TransposeConvOptions.fused_activation_function;
  case OP_ADD: return &o->AddOptions.fused_activation_function;
  case OP_SUB: return &o->SubOptions.fused_activation_function;
  case OP_MUL: return &o->MulOptions.fused_activation_function;
  case OP_DIV: return &o->DivOptions.fused_activation_function;
  case OP_AVERAGE_POOL_2D: case OP_MAX_POOL_2D: case OP_L2_POOL_2D:
    return &o->Pool2DOptions.fused_activation_function;
  case OP_CONCATENATION: return &o->ConcatenationOptions.fused_activation_function;
  default: return NULL;
  }
}

int pass_act_of(const Op *op) {
  int8_t *f = pass_act_field((TflOptions *)op->opt, op);
  return f ? *f : ACT_NONE;
}

int pass_relink(Graph *g, Arena *a, const bool *dead, Err *err) {
  uint32_t *uses = arena_array(a, g->ntensors ? g->ntensors : 1, sizeof *uses);
  if (!uses) return errf(err, -1, "out of memory relinking subgraph %u", g->index);
  size_t total = 0;
  for (uint32_t i = 0; i < g->ntensors; i++) g->t[i].producer = -1, g->t[i].nconsumers = 0;
  for (uint32_t i = 0; i < g->nops; i++) {
    if (dead && dead[i]) continue;
    const Op *op = &g->ops[i];
    for (uint32_t k = 0; k < op->nin; k++)
      if (op->in[k] >= 0) uses[op->in[k]]++, total++;
    for (uint32_t k = 0; k < op->nout; k++) g->t[op->out[k]].producer = (int32_t)i;
  }
  uint32_t *pool = arena_array(a, total ? total : 1, sizeof *pool);
  if (!pool) return errf(err, -1, "out of memory relinking subgraph %u", g->index);
  for (uint32_t i = 0; i < g->ntensors; i++) g->t[i].consumers = pool, pool += uses[i];
  for (uint32_t i = 0; i < g->nops; i++) {
    if (dead && dead[i]) continue;
    const Op *op = &g->ops[i];
    for (uint32_t k = 0; k < op->nin; k++) {
      if (op->in[k] < 0) continue;
      Tensor *t = &g->t[op->in[k]];
      if (t->nconsumers && t->consumers[t->nconsumers - 1] == i) continue;  /* x * x reads once */
      t->consumers[t->nconsumers++] = i;
    }
  }
  return 0;
}

/* Drops dead operators, keeping the order of the rest, and relinks. */
static int compact(Graph *g, Arena *a, bool *dead, Err *err) {
  uint32_t n = 0, was = g->nops;
  for (uint32_t i = 0; i < was; i++) {
    if (dead[i]) continue;
    if (n != i) g->ops[n] = g->ops[i];
    g->ops[n].index = n;
    n++;
  }
  g->nops = n;
  memset(dead, 0, was * sizeof *dead);
  return pass_relink(g, a, NULL, err);
}

static int check_graph(const Graph *g, Err *err) {
  char lbl[300];
  for (uint32_t i = 0; i < g->ntensors; i++)
    if (g->t[i].index != i) return errf(err, -1, "tensor %u has index %u", i, g->t[i].index);
  for (uint32_t i = 0; i < g->nops; i++) {
    const Op *op = &g->ops[i];
    if (op->index != i) return errf(err, -1, "operator %u has index %u", i, op->index);
    for (uint32_t k = 0; k < op->nin + op->nout; k++) {
      int32_t t = k < op->nin ? op->in[k] : op->out[k - op->nin];
      if (t < (k < op->nin ? -1 : 0) || t >= (int32_t)g->ntensors)
        return errf(err, -1, "operator %u (%s): operand %u is tensor %d of %u", i, ir_op_name(op),
                    k, t, g->ntensors);
    }
    for (uint32_t k = 0; k < op->nout; k++) {
      const Tensor *t = &g->t[op->out[k]];
      if (t->producer != (int32_t)i)
        return errf(err, -1, "operator %u (%s) writes %s, whose producer is %d", i, ir_op_name(op),
                    ir_tensor_label(t, lbl, sizeof lbl), t->producer);
      if (t->data) return errf(err, -1, "operator %u (%s) writes constant %s", i, ir_op_name(op),
                               ir_tensor_label(t, lbl, sizeof lbl));
    }
    for (uint32_t k = 0; k < op->nin; k++) {
      if (op->in[k] < 0) continue;
      const Tensor *t = &g->t[op->in[k]];
      bool found = false;
      for (uint32_t u = 0; u < t->nconsumers && !found; u++) found = t->consumers[u] == i;
      if (!found) return errf(err, -1, "operator %u (%s) reads %s but is not among its consumers",
                              i, ir_op_name(op), ir_tensor_label(t, lbl, sizeof lbl));
      if (!t->is_input && !t->data && !t->is_variable &&
          (t->producer < 0 || (uint32_t)t->producer >= i))
        return errf(err, -1, "operator %u (%s) reads %s, written by operator %d", i,
                    ir_op_name(op), ir_tensor_label(t, lbl, sizeof lbl), t->producer);
    }
  }
  for (uint32_t i = 0; i < g->ntensors; i++) {
    const Tensor *t = &g->t[i];
    if (t->producer >= (int32_t)g->nops) return errf(err, -1, "tensor %u: producer %d", i, t->producer);
    for (uint32_t u = 0; u < t->nconsumers; u++) {
      const Op *op = t->consumers[u] < g->nops ? &g->ops[t->consumers[u]] : NULL;
      bool reads = false;
      for (uint32_t k = 0; op && k < op->nin && !reads; k++) reads = op->in[k] == (int32_t)i;
      if (!reads || (u && t->consumers[u] <= t->consumers[u - 1]))
        return errf(err, -1, "%s: consumer list is stale", ir_tensor_label(t, lbl, sizeof lbl));
    }
  }
  for (uint32_t k = 0; k < g->nout; k++) {
    const Tensor *t = &g->t[g->out[k]];
    if (!t->is_output || (t->producer < 0 && !t->is_input && !t->data && !t->is_variable))
      return errf(err, -1, "output %u %s is never written", k, ir_tensor_label(t, lbl, sizeof lbl));
  }
  return 0;
}

int passes_check(const Model *m, Err *err) {
  for (uint32_t i = 0; i < m->ngraphs; i++)
    if (check_graph(&m->g[i], err)) return err_ctx(err, "subgraph %u", i);
  return 0;
}

const char *passes_op_list(const Graph *g, char *buf, size_t n) {
  size_t at = 0;
  if (n) buf[0] = 0;
  for (uint32_t i = 0; i < g->nops && at < n; i++)
    at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? " " : "", ir_op_name(&g->ops[i]));
  return buf;
}

/* ir_stats accumulates: clear what it fills, then measure the rewritten graphs. */
static int restat(Model *m, Err *err) {
  m->buffer_bytes = 0;
  for (uint32_t gi = 0; gi < m->ngraphs; gi++) {
    Graph *g = &m->g[gi];
    g->macs = g->weight_bytes = g->constant_bytes = g->state_bytes = g->peak_bytes = 0;
    g->peak_op = 0;
    for (uint32_t i = 0; i < g->nops; i++) g->ops[i].weight_bytes = 0;
  }
  return ir_stats(m, err);
}

enum { MAX_ROUNDS = 8 };  /* each round shrinks the graph; real models settle in two */

int passes_run(Model *m, const PassOptions *o, PassReport *r, Err *err) {
  PassReport local;
  if (!r) r = &local;
  memset(r, 0, sizeof *r);
  r->ops_before = r->ops_after = m->ngraphs ? m->g[0].nops : 0;
  for (uint32_t gi = 0; gi < m->ngraphs; gi++) {
    Graph *g = &m->g[gi];
    bool *dead = arena_array(m->a, g->nops ? g->nops : 1, sizeof *dead);
    if (!dead) return errf(err, -1, "out of memory");
    for (int round = 0; round < MAX_ROUNDS; round++) {
      uint32_t total = 0;
      for (int id = 0; id < PASS_COUNT; id++) {
        if (o->disabled & (1u << id)) continue;
        PassCtx c = {m, o, dead};
        uint32_t n = 0;
        if (pass_fn[id](&c, g, &n, err) || compact(g, m->a, dead, err))
          return err_ctx(err, "subgraph %u: pass %s", gi, pass_info[id].name);
#ifndef NDEBUG
        /* Debug builds check the invariants after every pass, so a broken rewrite is caught by
           the pass that made it rather than by the code it miscompiles. */
        if (check_graph(g, err)) return err_ctx(err, "subgraph %u: after pass %s", gi, pass_info[id].name);
#endif
        r->changes[id] += n;
        total += n;
      }
      if (!total) break;
    }
  }
  if (m->ngraphs) r->ops_after = m->g[0].nops;
  if (restat(m, err)) return -1;
  /* Cheap enough to always run: a pass bug becomes an error, never wrong code. */
  if (passes_check(m, err) || ir_verify(m, err)) return err_ctx(err, "after the graph passes");
#ifndef NDEBUG
  if (ir_shapes(m, err)) return err_ctx(err, "after the graph passes");
#endif
  return 0;
}
