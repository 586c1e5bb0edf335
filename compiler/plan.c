/* The memory planner. Tensors that share storage form groups (reshape-like ops alias their input;
   an elementwise op may overwrite an input that dies with it); each group is alive from its first
   write to its last read, and groups are placed greedily, largest first, at the lowest arena offset
   that overlaps no group alive at the same time (TFLite's greedy planner does the same). */
#include "plan.h"

typedef struct Group {
  int64_t bytes, off;
  uint32_t first, last;  /* operator range it is alive over */
  bool arena;            /* lives in the scratch arena */
} Group;

static uint32_t find(uint32_t *root, uint32_t t) {
  while (root[t] != t) t = root[t] = root[root[t]];
  return t;
}

static int64_t align_up(int64_t n) { return (n + PLAN_ALIGN - 1) / PLAN_ALIGN * PLAN_ALIGN; }

/* Is tensor t's storage owned by the plan (not constant, not the caller's)? */
static bool planned(const Tensor *t) { return !t->data && !t->is_input && !t->is_output; }

/* May y join x's group? Reads of a reinterpreted tensor are always safe; writes in place need
   the whole group dead after op, and only arena storage may be written. */
static bool may_join(const Graph *g, const uint32_t *root, const uint32_t *last_use, uint32_t x,
                     uint32_t y, uint32_t op, Reuse reuse) {
  const Tensor *tx = &g->t[x], *ty = &g->t[y];
  if (ty->is_input || ty->data || ty->is_variable || tx->is_variable) return false;
  if (tx->bytes != ty->bytes) return false;
  uint32_t rx = find((uint32_t *)root, x);
  bool io_or_const = false, out = ty->is_output;
  for (uint32_t i = 0; i < g->ntensors; i++)
    if (find((uint32_t *)root, i) == rx && !planned(&g->t[i])) io_or_const = true;
  if (reuse == REUSE_ALIAS) return !(out && io_or_const);
  if (io_or_const) return false;
  return last_use[rx] <= op;
}

/* Larger groups first; ties by first use, then creation order. */
static bool before(const Group *gr, uint32_t a, uint32_t b) {
  if (gr[a].bytes != gr[b].bytes) return gr[a].bytes > gr[b].bytes;
  if (gr[a].first != gr[b].first) return gr[a].first < gr[b].first;
  return a < b;
}

int plan_memory(const Graph *g, const OpNeeds *needs, Arena *a, Plan *p, Err *err) {
  uint32_t n = g->ntensors;
  p->at = arena_array(a, n ? n : 1, sizeof *p->at);
  p->scratch_off = arena_array(a, g->nops ? g->nops : 1, sizeof *p->scratch_off);
  uint32_t *root = arena_array(a, n ? n : 1, sizeof *root);
  uint32_t *last_use = arena_array(a, n ? n : 1, sizeof *last_use);
  Group *gr = arena_array(a, (size_t)n + g->nops + 1, sizeof *gr);
  if (!p->at || !p->scratch_off || !root || !last_use || !gr)
    return errf(err, -1, "out of memory planning subgraph %u", g->index);
  p->state_bytes = p->arena_bytes = 0;
  p->aliased = 0;
  for (uint32_t i = 0; i < n; i++) {
    const Tensor *t = &g->t[i];
    root[i] = i;
    last_use[i] = t->producer >= 0 ? (uint32_t)t->producer : 0;
    if (t->nconsumers && t->consumers[t->nconsumers - 1] > last_use[i])
      last_use[i] = t->consumers[t->nconsumers - 1];
  }
  /* Groups, in execution order, so a chain of reshapes collapses into one. */
  for (uint32_t o = 0; o < g->nops; o++) {
    const Op *op = &g->ops[o];
    Reuse r = needs[o].reuse;
    if (r == REUSE_NONE || op->nin < 1 || op->nout < 1 || op->in[0] < 0) continue;
    uint32_t x = (uint32_t)op->in[0], y = (uint32_t)op->out[0];
    if (!may_join(g, root, last_use, x, y, o, r)) continue;
    uint32_t rx = find(root, x);
    root[y] = rx;
    if (last_use[y] > last_use[rx]) last_use[rx] = last_use[y];
    p->aliased++;
  }
  /* Homes: a group with a constant, input or output member lives there. */
  for (uint32_t i = 0; i < n; i++) p->at[i].home = HOME_NONE;
  for (uint32_t i = 0; i < n; i++) {
    const Tensor *t = &g->t[i];
    Place *pr = &p->at[find(root, i)];
    if (t->is_variable) continue;
    if (t->data) *pr = (Place){HOME_CONST, i, 0};
    else if (t->is_input || t->is_output) {
      const int32_t *list = t->is_input ? g->in : g->out;
      uint32_t cnt = t->is_input ? g->nin : g->nout;
      for (uint32_t k = 0; k < cnt; k++)
        if ((uint32_t)list[k] == i) *pr = (Place){t->is_input ? HOME_INPUT : HOME_OUTPUT, k, 0};
    }
  }
  /* State first: it persists, so it is never shared. */
  for (uint32_t i = 0; i < n; i++) {
    const Tensor *t = &g->t[i];
    if (!t->is_variable || find(root, i) != i) continue;
    p->at[i] = (Place){HOME_STATE, 0, p->state_bytes};
    p->state_bytes = align_up(p->state_bytes + t->bytes);
  }
  /* Arena groups and per-operator scratch. */
  uint32_t ng = 0;
  uint32_t *gid = arena_array(a, n ? n : 1, sizeof *gid);
  if (!gid) return errf(err, -1, "out of memory planning subgraph %u", g->index);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t r = find(root, i);
    const Tensor *t = &g->t[i];
    if (p->at[r].home != HOME_NONE && p->at[r].home != HOME_ARENA) continue;
    if (t->producer < 0 && !t->nconsumers) continue;
    if (p->at[r].home == HOME_NONE) {
      p->at[r].home = HOME_ARENA;
      gid[r] = ng;
      gr[ng++] = (Group){.bytes = t->bytes, .first = UINT32_MAX, .last = 0, .arena = true};
    }
    Group *G = &gr[gid[r]];
    uint32_t first = t->producer >= 0 ? (uint32_t)t->producer : 0;
    if (first < G->first) G->first = first;
    if (last_use[i] > G->last) G->last = last_use[i];
    if (t->bytes > G->bytes) G->bytes = t->bytes;
  }
  uint32_t ntensor_groups = ng;
  int64_t *over = arena_array(a, g->nops ? g->nops : 1, sizeof *over);  /* group id, or -1 */
  if (!over) return errf(err, -1, "out of memory planning subgraph %u", g->index);
  for (uint32_t o = 0; o < g->nops; o++) {
    p->scratch_off[o] = -1;
    over[o] = -1;
    if (needs[o].scratch <= 0) continue;
    const Op *op = &g->ops[o];
    if (needs[o].scratch_over_in0 && op->nin > 0 && op->in[0] >= 0) {
      uint32_t r = find(root, (uint32_t)op->in[0]);
      if (p->at[r].home == HOME_ARENA && gr[gid[r]].last == o &&
          gr[gid[r]].bytes >= needs[o].scratch) {
        over[o] = gid[r];
        continue;
      }
    }
    gr[ng++] = (Group){.bytes = needs[o].scratch, .first = o, .last = o};
  }
  uint32_t *order = arena_array(a, ng ? ng : 1, sizeof *order);
  if (!order) return errf(err, -1, "out of memory planning subgraph %u", g->index);
  for (uint32_t i = 0; i < ng; i++) order[i] = i;
  for (uint32_t i = 1; i < ng; i++)  /* insertion sort: deterministic, and n is small */
    for (uint32_t j = i; j > 0 && before(gr, order[j], order[j - 1]); j--) {
      uint32_t t = order[j];
      order[j] = order[j - 1], order[j - 1] = t;
    }
  int64_t end = 0;
  for (uint32_t k = 0; k < ng; k++) {
    Group *G = &gr[order[k]];
    int64_t off = 0;
    /* Move past every placed, time-overlapping group that collides; repeat until none does. */
    for (bool moved = true; moved;) {
      moved = false;
      for (uint32_t j = 0; j < k; j++) {
        const Group *H = &gr[order[j]];
        if (H->last < G->first || G->last < H->first) continue;
        if (off < H->off + H->bytes && H->off < off + G->bytes) {
          off = align_up(H->off + H->bytes);
          moved = true;
        }
      }
    }
    G->off = off;
    if (off + G->bytes > end) end = off + G->bytes;
  }
  for (uint32_t i = 0; i < n; i++)
    if (find(root, i) == i && p->at[i].home == HOME_ARENA)
      p->at[i].off = p->state_bytes + gr[gid[i]].off;
  for (uint32_t o = 0, s = ntensor_groups; o < g->nops; o++)
    if (over[o] >= 0) p->scratch_off[o] = p->state_bytes + gr[over[o]].off;
    else if (needs[o].scratch > 0) p->scratch_off[o] = p->state_bytes + gr[s++].off;
  for (uint32_t i = 0; i < n; i++) p->at[i] = p->at[find(root, i)];
  p->arena_bytes = align_up(p->state_bytes + end);
  return 0;
}
