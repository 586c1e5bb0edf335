/* remove-dead: operators none of whose outputs reaches a graph output, and that update no variable
   tensor, are deleted, and constants no remaining operator reads are emptied; legal because the
   operators modelc compiles are pure functions of their inputs apart from state updates, and
   anything it cannot compile is kept. */
#include "codegen/emit.h"
#include "compiler/passes/passes.h"

/* Kept whatever its outputs: it changes state, or modelc does not know what it does. */
static bool has_effects(const Graph *g, const Op *op) {
  if (!opgen_for(op->kind) || op->nout == 0) return true;
  for (uint32_t k = 0; k < op->nin; k++)
    if (op->in[k] >= 0 && g->t[op->in[k]].is_variable) return true;
  for (uint32_t k = 0; k < op->nout; k++)
    if (g->t[op->out[k]].is_variable) return true;
  return false;
}

int pass_remove_dead(PassCtx *c, Graph *g, uint32_t *changes, Err *err) {
  bool *live = arena_array(c->m->a, g->ntensors ? g->ntensors : 1, sizeof *live);
  if (!live) return errf(err, -1, "out of memory");
  for (uint32_t k = 0; k < g->nout; k++) live[g->out[k]] = true;
  /* Backwards: an operator is needed if it has effects or a needed output; then so are its
     inputs. Operators only read earlier ones, so one sweep settles it. */
  for (uint32_t i = g->nops; i-- > 0;) {
    const Op *op = &g->ops[i];
    bool needed = !c->dead[i] && has_effects(g, op);
    for (uint32_t k = 0; k < op->nout && !needed; k++) needed = !c->dead[i] && live[op->out[k]];
    if (!needed) {
      if (!c->dead[i]) c->dead[i] = true, ++*changes;
      continue;
    }
    for (uint32_t k = 0; k < op->nin; k++)
      if (op->in[k] >= 0) live[op->in[k]] = true;
    for (uint32_t k = 0; k < op->ninter; k++)
      if (op->inter[k] >= 0 && (uint32_t)op->inter[k] < g->ntensors) live[op->inter[k]] = true;
  }
  /* Constants nobody reads any more (a folded operator's inputs, say): drop their data so they
     count nowhere; the tensor stays in the table, inert. */
  for (uint32_t i = 0; i < g->ntensors; i++) {
    Tensor *t = &g->t[i];
    if (live[i] || !t->data || pass_pinned(t)) continue;
    t->data = NULL;
    t->data_size = 0;
    ++*changes;
  }
  return 0;
}
