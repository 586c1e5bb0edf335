/* The C emitter: one model graph -> NAME.c and NAME.h. Layout of NAME.c, top to bottom: the
   helpers and kernels the model uses (copied from targets/), its constants, one function per layer
   (named after the layer, shapes and quantization folded in), the I/O tables and NAME_invoke,
   which runs the layers in order on the statically planned arena. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#define GEN(KIND, stem, reuse, scratch) int gen_##stem(Emit *e, const Op *op);
#include "codegen/ops.def"
#undef GEN
#define GEN(KIND, stem, reuse, scratch) int64_t scratch_##scratch(const Graph *g, const Op *op, bool *over_in0);
#include "codegen/ops.def"
#undef GEN
int64_t scratch_none(const Graph *g, const Op *op, bool *over_in0) {
  (void)g, (void)op, (void)over_in0;
  return 0;
}

static const struct { OpKind kind; OpGen gen; } gens[] = {
#define GEN(KIND, stem, reuse, scratch) {OP_##KIND, {gen_##stem, REUSE_##reuse, scratch_##scratch}},
#include "codegen/ops.def"
#undef GEN
};

const OpGen *opgen_for(OpKind k) {
  for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++)
    if (gens[i].kind == k) return &gens[i].gen;
  return NULL;
}

/* "conv1/Relu6" -> "conv1_Relu6", lower-cased op kind for layer names. */
static void c_ident(char *out, size_t cap, const char *s, bool lower) {
  size_t n = 0;
  for (; *s && n + 1 < cap; s++) {
    char c = *s;
    if (lower && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (ok) out[n++] = c;
    else if (n && out[n - 1] != '_') out[n++] = '_';
  }
  while (n && out[n - 1] == '_') n--;
  out[n] = 0;
}

static const char *layer_name(Emit *e, const Op *op) {
  char kind[48], tail[40] = "", buf[128];
  c_ident(kind, sizeof kind, ir_op_name(op), true);
  if (op->nout && op->out[0] >= 0) {
    const char *nm = e->g->t[op->out[0]].name;
    if (nm) {
      const char *s = strrchr(nm, '/');
      s = s && strlen(s + 1) >= 3 ? s + 1 : nm;
      c_ident(tail, 32, s, false);
    }
  }
  snprintf(buf, sizeof buf, "layer%u_%s%s%s", op->index, kind, *tail ? "_" : "", tail);
  return arena_strdup(e->a, buf);
}

static bool is_param(const Tensor *t) { return !(t->data && !t->is_variable); }

/* The pointer expression for tensor t inside NAME_invoke. */
static void pointer_expr(Emit *e, Text *out, const Tensor *t, bool writable) {
  const Place *p = &e->plan->at[t->index];
  const char *ct = emit_ctype(t->type);
  const char *cq = writable ? "" : "const ";
  switch (p->home) {
  case HOME_INPUT: text_printf(out, "(%s%s *)inputs[%u]", cq, ct, p->index); break;
  case HOME_OUTPUT: text_printf(out, "(%s *)outputs[%u]", ct, p->index); break;
  case HOME_ARENA: case HOME_STATE: text_printf(out, "(%s *)(a + %lld)", ct, (long long)p->off); break;
  case HOME_CONST: text_printf(out, "(%s *)%s", ct, emit_weights(e, &e->g->t[p->index])); break;
  case HOME_NONE: text_printf(out, "(%s *)0", ct); break;
  }
}

/* One layer's call in NAME_invoke: "layer3_conv_2d(args)", and whether the layer splits its
   work between threads (emit_parallel). calls[i] is operator i's. */
typedef struct LayerCall {
  char *expr;
  bool split;
} LayerCall;

/* Emits one layer function and fills in its call. */
static int emit_layer(Emit *e, const Op *op, const OpGen *gen, LayerCall *lc) {
  const Graph *g = e->g;
  e->op = op;
  const char *fn = layer_name(e, op);
  ef(e, "\n/* operator %u %s:", op->index, ir_op_name(op));
  for (uint32_t k = 0; k < op->nin; k++)
    if (op->in[k] >= 0) ef(e, " '%s'", g->t[op->in[k]].name ? g->t[op->in[k]].name : "");
  ef(e, " ->");
  for (uint32_t k = 0; k < op->nout; k++) ef(e, " '%s'", g->t[op->out[k]].name ? g->t[op->out[k]].name : "");
  ef(e, " */\nstatic int %s(", fn);
  Text call = {0};
  text_printf(&call, "%s(", fn);
  bool first = true;
  for (uint32_t k = 0; k < op->nin; k++) {
    if (op->in[k] < 0) continue;
    const Tensor *t = &g->t[op->in[k]];
    if (!is_param(t)) continue;
    const char *ct = emit_ctype(t->type);
    if (!ct) return free(call.p), emit_unsupported(e, "input %u is %s", k, tfl_type_name(t->type));
    ef(e, "%s%s%s *in%u", first ? "" : ", ", t->is_variable ? "" : "const ", ct, k);
    text_printf(&call, "%s", first ? "" : ", ");
    pointer_expr(e, &call, t, t->is_variable);
    first = false;
  }
  for (uint32_t k = 0; k < op->nout; k++) {
    const Tensor *t = &g->t[op->out[k]];
    const char *ct = emit_ctype(t->type);
    if (!ct) return free(call.p), emit_unsupported(e, "output %u is %s", k, tfl_type_name(t->type));
    ef(e, "%s%s *out%u", first ? "" : ", ", ct, k);
    text_printf(&call, "%s", first ? "" : ", ");
    pointer_expr(e, &call, t, true);
    first = false;
  }
  if (e->plan->scratch_off[op->index] >= 0) {
    ef(e, "%svoid *scratch", first ? "" : ", ");
    text_printf(&call, "%sa + %lld", first ? "" : ", ", (long long)e->plan->scratch_off[op->index]);
    first = false;
  }
  /* The body first: whether the layer splits, and so takes the team, is known after it. */
  Text head = e->layers;
  e->layers = (Text){0};
  e->split = false;
  int rc = gen->emit(e, op);
  Text body = e->layers;
  e->layers = head;
  lc->split = e->split;
  if (lc->split) {
    ef(e, "%smc_team *team", first ? "" : ", ");
    text_printf(&call, "%steam", first ? "" : ", ");
  } else if (first) {
    ef(e, "void");
  }
  ef(e, ") {\n");
  text_put(&e->layers, body.p ? body.p : "", body.n);
  ef(e, "}\n");
  text_printf(&call, ")");
  lc->expr = call.oom || body.oom ? NULL : arena_strdup(e->a, call.p);
  free(call.p), free(body.p);
  if (rc) return -1;
  if (!lc->expr) return errf(e->err, -1, "out of memory");
  return 0;
}

static void io_table(Emit *e, Text *c, const char *what, const int32_t *list, uint32_t n) {
  const char *nm = e->o.name;
  text_printf(c, "\nconst %s_tensor_info %s_%s[%u] = {\n", nm, nm, what, n ? n : 1);
  for (uint32_t i = 0; i < n; i++) {
    const Tensor *t = &e->g->t[list[i]];
    text_printf(c, "  {\"");
    for (const char *s = t->name ? t->name : ""; *s; s++)
      text_printf(c, (*s == '"' || *s == '\\') ? "\\%c" : (*s < 32 || *s > 126) ? "\\%03o" : "%c",
                  (unsigned char)*s);
    text_printf(c, "\", \"%s\", %d, {", tfl_type_name(t->type), t->rank);
    for (int k = 0; k < t->rank; k++) text_printf(c, "%s%d", k ? ", " : "", t->dims[k]);
    text_printf(c, "}, %s, %d, %lld},\n", t->q.n ? emit_f32(e, t->q.scale[0]) : "0.0f",
                t->q.n ? t->q.zero_point[0] : 0, (long long)t->bytes);
  }
  if (!n) text_printf(c, "  {0, 0, 0, {0}, 0.0f, 0, 0},\n");
  text_printf(c, "};\n");
}

static void header(Emit *e, Text *h) {
  const char *nm = e->o.name;
  const Graph *g = e->g;
  char up[128];
  size_t i = 0;
  for (; nm[i] && i < sizeof up - 1; i++) up[i] = (char)(nm[i] >= 'a' && nm[i] <= 'z' ? nm[i] - 32 : nm[i]);
  up[i] = 0;
  text_printf(h,
    "/* %s.h: generated by modelc %s from %s (target %s, %s rounding). */\n"
    "#ifndef %s_H\n#define %s_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n"
    "#define %s_ARENA_SIZE %lld /* bytes of scratch RAM the caller provides, 16-byte aligned */\n"
    "#define %s_STATE_SIZE %lld /* leading arena bytes that persist across calls */\n"
    "#define %s_NUM_INPUTS %u\n#define %s_NUM_OUTPUTS %u\n",
    nm, MODELC_VERSION, e->o.source, e->o.target,
    e->o.rounding == ROUND_SINGLE ? "single" : "double", up, up, nm,
    (long long)e->plan->arena_bytes, nm, (long long)e->plan->state_bytes, nm, g->nin, nm, g->nout);
  for (uint32_t k = 0; k < g->nin; k++)
    text_printf(h, "#define %s_INPUT%u_SIZE %lld\n", nm, k, (long long)g->t[g->in[k]].bytes);
  for (uint32_t k = 0; k < g->nout; k++)
    text_printf(h, "#define %s_OUTPUT%u_SIZE %lld\n", nm, k, (long long)g->t[g->out[k]].bytes);
  text_printf(h,
    "\n#define %s_ERR_NULL (-1)  /* a NULL input or output pointer */\n"
    "#define %s_ERR_ALIGN (-2) /* arena not 16-byte aligned, or a buffer not aligned to its dtype */\n"
    "#define %s_ERR_SHAPE (-3) /* a runtime shape input differs from the compiled shape */\n\n"
    "/* One input or output: raw data in the model's dtype, row-major, as TFLite stores it. */\n"
    "typedef struct %s_tensor_info {\n  const char *name;\n  const char *dtype; /* \"int8\", \"float32\", ... */\n"
    "  int rank;\n  int dims[8];\n  float scale;      /* 0 when not quantized */\n  int zero_point;\n"
    "  size_t bytes;\n} %s_tensor_info;\n\n"
    "extern const %s_tensor_info %s_inputs[];\nextern const %s_tensor_info %s_outputs[];\n\n"
    "/* Runs the model. arena: %s_ARENA_SIZE bytes, 16-byte aligned, or NULL for a static arena in\n"
    "   %s.c (define %s_NO_STATIC_ARENA when compiling it to leave that out). Returns 0 or a\n"
    "   negative %s_ERR_ code. */\n"
    "int %s_invoke(void *arena, const void *const inputs[], void *const outputs[]);\n"
    "/* Sets the model's variable state (%s_STATE_SIZE bytes at the arena's start) to its initial\n"
    "   values; call it before the first %s_invoke on an arena. NULL: the static arena. */\n"
    "void %s_reset(void *arena);\n"
    "/* Threads %s_invoke may use (default %d, modelc --threads): with OpenMP\n"
    "   (-fopenmp) convolutions and fully connected layers split their outputs between up to n\n"
    "   threads; without it the call has no effect. Outputs are the same for every n. Not\n"
    "   thread-safe: set it while no invocation runs. */\n"
    "void %s_set_threads(int n);\n#define %s_THREADS %d /* that default */\n",
    nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm, nm,
    e->o.threads > 1 ? e->o.threads : 1, nm, nm, e->o.threads > 1 ? e->o.threads : 1);
  if (e->o.profile)
    text_printf(h,
      "\n/* Built with modelc --profile: %s_invoke times each layer. The counters are global to\n"
      "   %s.c: profile one caller at a time. */\n"
      "#define %s_PROFILE 1\n#define %s_NUM_LAYERS %u\n\n"
      "typedef struct %s_profile_entry {\n"
      "  int layer;            /* operator index, in execution order */\n"
      "  const char *function; /* the layer's function in %s.c */\n"
      "  const char *op;       /* operator kind, \"CONV_2D\" */\n"
      "  uint64_t calls;       /* completed calls since the last reset */\n"
      "  uint64_t total;       /* their summed time, in `unit`s */\n"
      "  const char *unit;     /* \"ns\" (CLOCK_MONOTONIC), or %s_PROFILE_UNIT with a custom clock */\n"
      "} %s_profile_entry;\n\n"
      "/* Fills table[0 .. min(cap, %s_NUM_LAYERS)) in execution order; returns %s_NUM_LAYERS. */\n"
      "int %s_profile_report(%s_profile_entry *table, int cap);\n"
      "/* Zeroes every layer's calls and total. */\n"
      "void %s_profile_reset(void);\n",
      nm, nm, nm, nm, g->nops, nm, nm, nm, nm, nm, nm, nm, nm, nm);
  text_printf(h, "\n#endif\n");
}

/* A C string literal for s. */
static void c_string(Text *t, const char *s) {
  text_put(t, "\"", 1);
  for (; *s; s++)
    text_printf(t, (*s == '"' || *s == '\\') ? "\\%c" : (*s < 32 || *s > 126) ? "\\%03o" : "%c",
                (unsigned char)*s);
  text_put(t, "\"", 1);
}

/* --profile, before the first system header: the default clock is POSIX's, which glibc and others
   only declare under _POSIX_C_SOURCE, and the user should not need a flag for it. */
static void profile_prologue(Emit *e, Text *c) {
  const char *n = e->o.name;
  text_printf(c, "\n/* Built with --profile. The layer clock is clock_gettime(CLOCK_MONOTONIC) in ns unless\n"
              "   %s_PROFILE_CLOCK is defined: an expression giving a tick count (a cycle counter on a\n"
              "   microcontroller), with %s_PROFILE_UNIT naming its unit (default \"ticks\"). */\n"
              "#if !defined(%s_PROFILE_CLOCK) && !defined(_POSIX_C_SOURCE)\n"
              "#define _POSIX_C_SOURCE 199309L\n#endif\n", n, n, n);
}

/* --profile: the clock, per-layer counters and names, and the report. Each layer's time runs from
   the end of the previous one, so one clock read per layer and the totals add up to the invoke. */
static void profile_section(Emit *e, Text *c) {
  const char *n = e->o.name;
  const Graph *g = e->g;
  unsigned cap = g->nops ? g->nops : 1;
  text_printf(c, "\n#ifndef %s_PROFILE_CLOCK\n"
              "#if defined(__STDC_HOSTED__) && !__STDC_HOSTED__\n"
              "#error \"freestanding build of a --profile model: define %s_PROFILE_CLOCK (and %s_PROFILE_UNIT)\"\n"
              "#endif\n#include <time.h>\n"
              "static uint64_t %s_profile_now(void) {\n  struct timespec t;\n"
              "  clock_gettime(CLOCK_MONOTONIC, &t);\n"
              "  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;\n}\n"
              "#define %s_PROFILE_CLOCK %s_profile_now()\n#define %s_PROFILE_UNIT \"ns\"\n#endif\n"
              "#ifndef %s_PROFILE_UNIT\n#define %s_PROFILE_UNIT \"ticks\"\n#endif\n\n"
              "static uint64_t %s_prof_total[%u], %s_prof_calls[%u];\n",
              n, n, n, n, n, n, n, n, n, n, cap, n, cap);
  text_printf(c, "static const char *const %s_prof_fn[%u] = {", n, cap);
  for (uint32_t i = 0; i < g->nops; i++) {
    text_printf(c, "%s\n  ", i ? "," : "");
    c_string(c, layer_name(e, &g->ops[i]));
  }
  text_printf(c, "%s};\nstatic const char *const %s_prof_op[%u] = {", g->nops ? "\n" : "0", n, cap);
  for (uint32_t i = 0; i < g->nops; i++) {
    text_printf(c, "%s\n  ", i ? "," : "");
    c_string(c, ir_op_name(&g->ops[i]));
  }
  text_printf(c, "%s};\n", g->nops ? "\n" : "0");
  text_printf(c, "\nstatic void %s_prof_note(int k, uint64_t *t) {\n"
              "  uint64_t now = (uint64_t)(%s_PROFILE_CLOCK);\n"
              "  %s_prof_total[k] += now - *t;\n  %s_prof_calls[k]++;\n  *t = now;\n}\n"
              "\nint %s_profile_report(%s_profile_entry *table, int cap) {\n"
              "  for (int i = 0; table && i < cap && i < %u; i++) {\n"
              "    table[i].layer = i;\n    table[i].function = %s_prof_fn[i];\n"
              "    table[i].op = %s_prof_op[i];\n    table[i].calls = %s_prof_calls[i];\n"
              "    table[i].total = %s_prof_total[i];\n    table[i].unit = %s_PROFILE_UNIT;\n  }\n"
              "  return %u;\n}\n"
              "\nvoid %s_profile_reset(void) {\n  memset(%s_prof_total, 0, sizeof %s_prof_total);\n"
              "  memset(%s_prof_calls, 0, sizeof %s_prof_calls);\n}\n",
              n, n, n, n, n, n, g->nops, n, n, n, n, n, g->nops, n, n, n, n, n);
}

/* NAME_layers, for a model with layers that split their work: NAME_invoke starts one OpenMP team
   for the whole invocation, since a barrier between layers costs less than starting a team for
   each. Every thread of the team runs the split layers (each thread its parts, then the team's
   barrier, mc_team_wait); thread 0 runs each run of the other layers, which the team then waits for.
   The first error goes to *rc, which every thread reads after that barrier, so all stop at the
   same layer (and thread 0 writes it again only after a later layer's barrier). */
static void layers_function(Emit *e, const LayerCall *calls, Text *t) {
  const char *n = e->o.name;
  const uint32_t nops = e->g->nops;
  text_printf(t, "\n/* The layers, run by every thread of %s_invoke's team: split layers share out their\n"
              "   parts, thread 0 runs the others while the team waits. */\n"
              "static void %s_layers(uint8_t *a, const void *const inputs[], void *const outputs[], int *rc,\n"
              "                      mc_team *team) {\n",
              n, n);
  if (e->o.profile) text_printf(t, "  uint64_t prof_t = (uint64_t)(%s_PROFILE_CLOCK); /* thread 0's */\n", n);
  for (uint32_t i = 0; i < nops;) {
    if (calls[i].split) {
      text_printf(t, "  %s;\n", calls[i].expr);
      if (e->o.profile) text_printf(t, "  MC_OMP(omp master)\n  %s_prof_note(%u, &prof_t);\n", n, i);
      i++;
      continue;
    }
    text_printf(t, "  MC_OMP(omp master)\n  {\n");
    for (; i < nops && !calls[i].split; i++) {
      text_printf(t, "    if (*rc == 0) *rc = %s;\n", calls[i].expr);
      if (e->o.profile) text_printf(t, "    %s_prof_note(%u, &prof_t);\n", n, i);
    }
    text_printf(t, "  }\n");
    if (i < nops) text_printf(t, "  mc_team_wait(team);\n  if (*rc) return;\n");  /* else the team's end waits */
  }
  text_printf(t, "  (void)a, (void)inputs, (void)outputs, (void)rc, (void)team;\n}\n");
}

int emit_plan(const Graph *g, Arena *a, Plan *plan, Err *err) {
  OpNeeds *needs = arena_array(a, g->nops ? g->nops : 1, sizeof *needs);
  if (!needs) return errf(err, -1, "out of memory");
  for (uint32_t i = 0; i < g->nops; i++) {
    const OpGen *gen = opgen_for(g->ops[i].kind);
    if (!gen) return errf(err, -1, "operator %u %s has no code generator", i, ir_op_name(&g->ops[i]));
    needs[i].reuse = gen->reuse;
    needs[i].scratch = gen->scratch ? gen->scratch(g, &g->ops[i], &needs[i].scratch_over_in0) : 0;
  }
  return plan_memory(g, needs, a, plan, err);
}

int emit_c(const Model *m, const EmitOptions *o, Arena *a, char **c_out, size_t *nc, char **h_out,
           size_t *nh, Plan *plan, Err *err) {
  if (!m->ngraphs) return errf(err, -1, "the model has no subgraph");
  const Graph *g = &m->g[0];
  /* Every operator without a generator, listed at once. */
  char missing[ERR_MSG_MAX];
  size_t nm = 0;
  missing[0] = 0;
  for (uint32_t i = 0; i < g->nops; i++) {
    const Op *op = &g->ops[i];
    if (opgen_for(op->kind)) continue;
    char lbl[96];
    const Tensor *t = op->nout ? &g->t[op->out[0]] : NULL;
    nm += (size_t)snprintf(missing + nm, nm < sizeof missing ? sizeof missing - nm : 0,
                           "%soperator %u %s (output %s)", nm ? "; " : "", i, ir_op_name(op),
                           t ? ir_tensor_label(t, lbl, sizeof lbl) : "none");
    if (nm >= sizeof missing) nm = sizeof missing - 1;
  }
  if (nm) return errf(err, -1, "cannot compile: %s", missing);
  if (emit_plan(g, a, plan, err)) return -1;

  Emit e = {.m = m, .g = g, .plan = plan, .o = *o, .a = a, .err = err};
  e.weight_name = arena_array(a, g->ntensors ? g->ntensors : 1, sizeof *e.weight_name);
  if (!e.weight_name) return errf(err, -1, "out of memory");
  LayerCall *calls = arena_array(a, g->nops ? g->nops : 1, sizeof *calls);
  if (!calls) return errf(err, -1, "out of memory");
  Text c = {0}, h = {0};
  char errors[ERR_MSG_MAX];
  size_t ne = 0;
  errors[0] = 0;
  for (uint32_t i = 0; i < g->nops; i++) {
    Err one = {.off = -1};
    e.err = &one;
    if (emit_layer(&e, &g->ops[i], opgen_for(g->ops[i].kind), &calls[i])) {
      char lbl[96];
      const Tensor *t = g->ops[i].nout ? &g->t[g->ops[i].out[0]] : NULL;
      ne += (size_t)snprintf(errors + ne, ne < sizeof errors ? sizeof errors - ne : 0,
                             "%soperator %u %s (output %s): %s", ne ? "; " : "", i,
                             ir_op_name(&g->ops[i]), t ? ir_tensor_label(t, lbl, sizeof lbl) : "none",
                             one.msg);
      if (ne >= sizeof errors) ne = sizeof errors - 1;
    }
  }
  e.err = err;
  if (ne) {
    free(e.kernels.p), free(e.consts.p), free(e.layers.p);
    return errf(err, -1, "cannot compile: %s", errors);
  }

  const char *n = o->name;
  Text inv = {0};
  /* reset */
  text_printf(&inv, "\nvoid %s_reset(void *arena) {\n  uint8_t *a = %s_arena_or_static(arena);\n", n, n);
  text_printf(&inv, "  if (!a) return;\n  memset(a, 0, %s_STATE_SIZE);\n", n);
  for (uint32_t i = 0; i < g->ntensors; i++) {
    const Tensor *t = &g->t[i];
    if (t->is_variable && t->data && plan->at[i].home == HOME_STATE)
      text_printf(&inv, "  memcpy(a + %lld, %s, %lld);\n", (long long)plan->at[i].off,
                  emit_weights(&e, t), (long long)t->bytes);
  }
  text_printf(&inv, "}\n");
  /* invoke */
  bool team = false;
  for (uint32_t i = 0; i < g->nops; i++) team |= calls[i].split;
  if (team) layers_function(&e, calls, &inv);
  text_printf(&inv, "\nint %s_invoke(void *arena, const void *const inputs[], void *const outputs[]) {\n"
              "  uint8_t *a = %s_arena_or_static(arena);\n  int rc%s;\n"
              "  if (!inputs || !outputs || (!a && %s_ARENA_SIZE > 0)) return %s_ERR_NULL;\n"
              "  if ((uintptr_t)a %% 16) return %s_ERR_ALIGN;\n", n, n, team ? " = 0" : "", n, n, n);
  if (o->profile && !team) text_printf(&inv, "  uint64_t prof_t;\n");
  for (uint32_t k = 0; k < g->nin; k++) {
    unsigned al = tfl_type_size(g->t[g->in[k]].type);
    text_printf(&inv, "  if (!inputs[%u]) return %s_ERR_NULL;\n", k, n);
    if (al > 1) text_printf(&inv, "  if ((uintptr_t)inputs[%u] %% %u) return %s_ERR_ALIGN;\n", k, al, n);
  }
  for (uint32_t k = 0; k < g->nout; k++) {
    unsigned al = tfl_type_size(g->t[g->out[k]].type);
    text_printf(&inv, "  if (!outputs[%u]) return %s_ERR_NULL;\n", k, n);
    if (al > 1) text_printf(&inv, "  if ((uintptr_t)outputs[%u] %% %u) return %s_ERR_ALIGN;\n", k, al, n);
  }
  if (team) {
    /* One thread starts no team: the layers' directives then cost a few calls into the
       OpenMP runtime, where a team of one cost 2-3 us per call (ad01_int8). */
    text_printf(&inv, "  mc_team team = mc_team_for(mc_threads);\n  if (mc_threads > 1) {\n"
                "    MC_OMP(omp parallel num_threads(mc_threads))\n"
                "    %s_layers(a, inputs, outputs, &rc, &team);\n  } else {\n"
                "    %s_layers(a, inputs, outputs, &rc, &team);\n  }\n  if (rc) return rc;\n", n, n);
  } else {
    if (o->profile) text_printf(&inv, "  prof_t = (uint64_t)(%s_PROFILE_CLOCK);\n", n);
    for (uint32_t i = 0; i < g->nops; i++) {
      text_printf(&inv, "  if ((rc = %s) != 0) return rc;\n", calls[i].expr);
      if (o->profile) text_printf(&inv, "  %s_prof_note(%u, &prof_t);\n", n, i);
    }
    if (o->profile) text_printf(&inv, "  (void)prof_t;\n");  /* a model without layers */
  }
  /* An output that is a graph input or constant needs a copy; the planner never aliases those. */
  for (uint32_t k = 0; k < g->nout; k++) {
    const Tensor *t = &g->t[g->out[k]];
    if (t->producer < 0) {
      text_printf(&inv, "  memcpy(outputs[%u], ", k);
      pointer_expr(&e, &inv, t, false);
      text_printf(&inv, ", %lld);\n", (long long)t->bytes);
    }
  }
  text_printf(&inv, "  (void)a;\n  return 0;\n}\n");
  text_printf(&inv, "\nvoid %s_set_threads(int n) { mc_threads = n < 1 ? 1 : n; }\n", n);
  text_printf(&c, "/* %s.c: generated by modelc %s from %s (target %s, %s rounding).\n"
              "   Self-contained: needs only the C library headers below. */\n",
              n, MODELC_VERSION, o->source, o->target, o->rounding == ROUND_SINGLE ? "single" : "double");
  if (o->profile) profile_prologue(&e, &c);
  text_printf(&c, "#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n%s"
              "\n#include \"%s.h\"\n\n"
              "#if defined(__GNUC__) || defined(__clang__)\n#define MODELC_ALIGN __attribute__((aligned(16)))\n"
              "#else\n#define MODELC_ALIGN\n#endif\n"
              "/* The runtime helpers below are shared by every model, and each model calls only some:\n"
              "   clang, unlike gcc, warns of an unused static inline function in a .c file. */\n"
              "#ifdef __clang__\n#pragma clang diagnostic ignored \"-Wunused-function\"\n#endif\n\n",
              e.need_math ? "#include <math.h>\n" : "", n);
  const char *common = emit_target_kernel(o->target, "common");
  const char *rq = emit_target_kernel(o->target, o->rounding == ROUND_SINGLE ? "requant_single" : "requant_double");
  if (!common || !rq) return errf(err, -1, "internal: target '%s' lacks its common kernels", o->target);
  text_printf(&c, "/* Threads for the layers that split their work (%s_set_threads). */\n"
              "static int mc_threads = %d;\n\n", n, o->threads > 1 ? o->threads : 1);
  text_printf(&c, "%s\n%s\n", common, rq);
  text_put(&c, e.kernels.p ? e.kernels.p : "", e.kernels.n);
  text_put(&c, "\n", 1);
  text_put(&c, e.consts.p ? e.consts.p : "", e.consts.n);
  text_put(&c, e.layers.p ? e.layers.p : "", e.layers.n);
  io_table(&e, &c, "inputs", g->in, g->nin);
  io_table(&e, &c, "outputs", g->out, g->nout);
  text_printf(&c, "\n#ifndef %s_NO_STATIC_ARENA\nstatic uint8_t %s_arena[%s_ARENA_SIZE > 0 ? %s_ARENA_SIZE : 1] MODELC_ALIGN;\n#endif\n",
              n, n, n, n);
  text_printf(&c, "\nstatic uint8_t *%s_arena_or_static(void *arena) {\n"
              "#ifndef %s_NO_STATIC_ARENA\n  if (!arena) return %s_arena;\n#endif\n  return (uint8_t *)arena;\n}\n",
              n, n, n);
  if (o->profile) profile_section(&e, &c);
  text_put(&c, inv.p ? inv.p : "", inv.n);
  header(&e, &h);
  bool oom = c.oom || h.oom || inv.oom || e.kernels.oom || e.consts.oom || e.layers.oom;
  free(inv.p), free(e.kernels.p), free(e.layers.p);
  if (oom) {
    free(c.p), free(h.p), free(e.consts.p);
    return errf(err, -1, "out of memory generating code");
  }
  free(e.consts.p);
  *c_out = c.p, *nc = c.n, *h_out = h.p, *nh = h.n;
  return 0;
}

