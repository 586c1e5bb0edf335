/* Measures each graph: multiply-accumulates and weight bytes per operator and in total, constant
   and variable-state bytes, and the peak live activation bytes of running one operator at a time
   with no in-place reuse (the floor any layer-by-layer memory plan has to meet). */
#include "ir.h"

/* [first, last] operator index across which t is alive; false when it never is. */
static bool lifetime(const Graph *g, const Tensor *t, uint32_t *first, uint32_t *last) {
  if (t->data || t->is_variable) return false;
  if (t->producer >= 0) *first = (uint32_t)t->producer;
  else if (t->is_input) *first = 0;
  else return false;
  *last = *first;
  if (t->nconsumers && t->consumers[t->nconsumers - 1] > *last)
    *last = t->consumers[t->nconsumers - 1];
  if (t->is_output && g->nops) *last = g->nops - 1;
  return true;
}

static int peak(Model *m, Graph *g, Err *err) {
  uint32_t n = g->nops ? g->nops : 1;
  int64_t *delta = arena_array(m->a, (size_t)n + 1, sizeof *delta);
  if (!delta) return errf(err, -1, "out of memory measuring subgraph %u", g->index);
  for (uint32_t i = 0; i < g->ntensors; i++) {
    uint32_t first, last;
    if (!lifetime(g, &g->t[i], &first, &last)) continue;
    /* Sizes are at most 2^44 bytes each; a hostile file's sum saturates rather than wraps. */
    delta[first] = ir_sat_add(delta[first], g->t[i].bytes);
    delta[last + 1] = ir_sat_sub(delta[last + 1], g->t[i].bytes);
  }
  int64_t live = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (delta[i] >= 0) live = ir_sat_add(live, delta[i]);
    else live = delta[i] == INT64_MIN ? 0 : ir_sat_sub(live, -delta[i]);
    if (live > g->peak_bytes) g->peak_bytes = live, g->peak_op = i;
  }
  return 0;
}

int ir_stats(Model *m, Err *err) {
  for (uint32_t i = 0; i < m->src->nbuffers; i++) m->buffer_bytes += (int64_t)m->src->buffers[i].size;
  for (uint32_t gi = 0; gi < m->ngraphs; gi++) {
    Graph *g = &m->g[gi];
    for (uint32_t i = 0; i < g->ntensors; i++) {
      const Tensor *t = &g->t[i];
      if (t->data) g->constant_bytes += (int64_t)t->data_size;
      if (t->is_variable) g->state_bytes = ir_sat_add(g->state_bytes, t->bytes);
    }
    for (uint32_t i = 0; i < g->nops; i++) {
      Op *op = &g->ops[i];
      for (uint32_t k = 0; k < op->nin; k++)
        if (op->in[k] >= 0 && g->t[op->in[k]].data)
          op->weight_bytes += (int64_t)g->t[op->in[k]].data_size;
      g->macs = ir_sat_add(g->macs, op->macs);
      g->weight_bytes = ir_sat_add(g->weight_bytes, op->weight_bytes);
    }
    if (peak(m, g, err)) return -1;
  }
  return 0;
}
