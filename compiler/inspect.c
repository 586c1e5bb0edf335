/* The two views of `modelc inspect`. Both print the same facts: inputs and outputs, one entry per
   operator (shapes, dtypes, MACs, weight bytes), totals, and what cannot be compiled yet. */
#include "inspect.h"

#include <ctype.h>

#include "base/json.h"
#include "codegen/emit.h"

/* Names come from the file: print control bytes as '?' so a hostile name cannot drive the
   terminal. */
static void put_name(FILE *f, const char *s) {
  for (; *s; s++) fputc(iscntrl((unsigned char)*s) ? '?' : *s, f);
}

static const char *dtype(int type) {
  const char *s = tfl_type_name(type);
  return s ? s : "?";
}

static void put_shape(FILE *f, const Tensor *t) {
  fputc('[', f);
  for (int i = 0; i < t->rank; i++) fprintf(f, i ? ",%d" : "%d", t->dims[i]);
  fputc(']', f);
}

/* "1,234,567": the totals are read by people comparing orders of magnitude. */
static void put_count(FILE *f, int64_t v) {
  char digits[32];
  int n = snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
  if (v < 0) fputc('-', f);
  for (int i = 0; i < n; i++) {
    fputc(digits[i], f);
    if ((n - i - 1) % 3 == 0 && i != n - 1) fputc(',', f);
  }
}

static void put_io(FILE *f, const Graph *g, const int32_t *idx, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    const Tensor *t = &g->t[idx[i]];
    fprintf(f, "  %u: tensor %u '", i, t->index);
    put_name(f, t->name);
    fprintf(f, "' %s ", dtype(t->type));
    put_shape(f, t);
    if (t->q.n) fprintf(f, " scale %.9g zero_point %d", t->q.scale[0], t->q.zero_point[0]);
    fputc('\n', f);
  }
}

static void put_operands(FILE *f, const Graph *g, const int32_t *idx, uint32_t n) {
  for (uint32_t k = 0; k < n; k++) {
    if (k) fputc(' ', f);
    if (idx[k] < 0) {
      fputs("-", f);
      continue;
    }
    fputs(dtype(g->t[idx[k]].type), f);
    put_shape(f, &g->t[idx[k]]);
  }
}

static void text_graph(FILE *f, const Graph *g) {
  fprintf(f, "subgraph %u '", g->index);
  put_name(f, g->name);
  fprintf(f, "': %u operators, %u tensors\ninputs:\n", g->nops, g->ntensors);
  put_io(f, g, g->in, g->nin);
  fputs("outputs:\n", f);
  put_io(f, g, g->out, g->nout);
  fprintf(f, "%5s  %-24s %12s %10s  %s\n", "op", "kind", "MACs", "weights", "inputs -> outputs");
  for (uint32_t i = 0; i < g->nops; i++) {
    const Op *op = &g->ops[i];
    fprintf(f, "%5u  %-24s %12lld %10lld  ", i, ir_op_name(op), (long long)op->macs,
            (long long)op->weight_bytes);
    put_operands(f, g, op->in, op->nin);
    fputs(" -> ", f);
    put_operands(f, g, op->out, op->nout);
    fputc('\n', f);
  }
  fputs("totals: ", f);
  put_count(f, g->macs);
  fputs(" MACs, ", f);
  put_count(f, g->weight_bytes);
  fputs(" weight bytes, ", f);
  put_count(f, g->constant_bytes);
  fputs(" constant bytes, ", f);
  put_count(f, g->state_bytes);
  fputs(" state bytes\npeak live activations: ", f);
  put_count(f, g->peak_bytes);
  fprintf(f, " bytes (at operator %u)\n", g->peak_op);
}

/* Operator kinds with no code generator (dtype limits are found only by compile). */
static void text_unsupported(FILE *f, const Model *m) {
  unsigned total = 0;
  for (int k = 0; k <= OP_UNKNOWN; k++) {
    unsigned n = 0;
    for (uint32_t gi = 0; gi < m->ngraphs; gi++)
      for (uint32_t i = 0; i < m->g[gi].nops; i++) n += m->g[gi].ops[i].kind == (OpKind)k;
    if (!n || opgen_for((OpKind)k)) continue;
    fprintf(f, "%s %s x%u", total ? "" : "cannot compile:", op_info[k].name, n);
    total += n;
  }
  if (total) fputc('\n', f);
}

/* The arena modelc compile would plan for subgraph 0, when every operator has a generator. */
static bool arena_of(const Graph *g, int64_t *arena, int64_t *state) {
  Arena a;
  arena_init(&a, 256u << 20);
  Plan p;
  Err err = {.off = -1};
  bool ok = emit_plan(g, &a, &p, &err) == 0;
  if (ok) *arena = p.arena_bytes, *state = p.state_bytes;
  arena_free(&a);
  return ok;
}

void inspect_text(FILE *f, const char *path, const Model *m) {
  const TflModel *src = m->src;
  fprintf(f, "model: %s (%zu bytes, schema %u, %u subgraph%s, %lld bytes in %u buffers)\n", path,
          src->file_size, src->version, m->ngraphs, m->ngraphs == 1 ? "" : "s",
          (long long)m->buffer_bytes, src->nbuffers);
  if (src->description && *src->description) {
    fputs("description: ", f);
    put_name(f, src->description);
    fputc('\n', f);
  }
  for (uint32_t i = 0; i < m->ngraphs; i++) text_graph(f, &m->g[i]);
  int64_t arena, state;
  if (m->ngraphs && arena_of(&m->g[0], &arena, &state)) {
    fputs("arena (modelc compile): ", f);
    put_count(f, arena);
    fputs(" bytes, of which state ", f);
    put_count(f, state);
    fputs("; inputs and outputs are the caller's buffers\n", f);
  }
  text_unsupported(f, m);
  for (uint32_t i = 0; i < m->nnotes; i++) {
    fputs("note: ", f);
    put_name(f, m->notes[i]);
    fputc('\n', f);
  }
}

/* ---- JSON ---- */

static void json_shape(Json *j, int rank, const int32_t *dims) {
  json_arr(j);
  for (int i = 0; i < rank; i++) json_int(j, dims[i]);
  json_end(j, ']');
}

static void json_file_shape(Json *j, TflVec v) {
  json_arr(j);
  for (uint32_t i = 0; i < v.n; i++) json_int(j, tfl_i32(v, i));
  json_end(j, ']');
}

static void json_io(Json *j, const Graph *g, const int32_t *idx, uint32_t n) {
  json_arr(j);
  for (uint32_t i = 0; i < n; i++) {
    const Tensor *t = &g->t[idx[i]];
    json_obj(j);
    json_key(j, "tensor"), json_int(j, t->index);
    json_key(j, "name"), json_str(j, t->name);
    json_key(j, "dtype"), json_str(j, dtype(t->type));
    json_key(j, "shape"), json_shape(j, t->rank, t->dims);
    if (t->q.n) {
      json_key(j, "scale"), json_float(j, t->q.scale[0]);
      json_key(j, "zero_point"), json_int(j, t->q.zero_point[0]);
    }
    json_end(j, '}');
  }
  json_end(j, ']');
}

static void json_tensor(Json *j, const Graph *g, const TflTensor *src, const Tensor *t) {
  json_obj(j);
  json_key(j, "index"), json_int(j, t->index);
  json_key(j, "name"), json_str(j, t->name);
  json_key(j, "dtype"), json_str(j, dtype(t->type));
  json_key(j, "shape"), json_file_shape(j, src->shape);
  bool inferred = src->shape.n != (uint32_t)t->rank;
  for (uint32_t d = 0; !inferred && d < src->shape.n; d++)
    inferred = tfl_i32(src->shape, d) != t->dims[d];
  if (inferred) json_key(j, "inferred_shape"), json_shape(j, t->rank, t->dims);
  if (src->has_shape_signature) json_key(j, "shape_signature"), json_file_shape(j, src->shape_signature);
  json_key(j, "buffer"), json_int(j, src->buffer);
  json_key(j, "constant"), json_bool(j, t->data != NULL);
  json_key(j, "variable"), json_bool(j, t->is_variable);
  json_key(j, "bytes"), json_int(j, t->bytes);
  if (src->has_quant && src->quant.scale.n) {
    const TflQuant *q = &src->quant;
    json_key(j, "quantization"), json_obj(j);
    json_key(j, "scale"), json_arr(j);
    for (uint32_t i = 0; i < q->scale.n; i++) json_float(j, tfl_f32(q->scale, i));
    json_end(j, ']');
    json_key(j, "zero_point"), json_arr(j);
    for (uint32_t i = 0; i < q->zero_point.n; i++) json_int(j, tfl_i64(q->zero_point, i));
    json_end(j, ']');
    json_key(j, "quantized_dimension"), json_int(j, q->quantized_dimension);
    json_end(j, '}');
  }
  (void)g;
  json_end(j, '}');
}

static void json_operands(Json *j, const Graph *g, const int32_t *idx, uint32_t n, int what) {
  json_arr(j);
  for (uint32_t k = 0; k < n; k++) {
    const Tensor *t = idx[k] >= 0 ? &g->t[idx[k]] : NULL;
    if (what == 0) json_int(j, idx[k]);
    else if (!t) json_null(j);
    else if (what == 1) json_shape(j, t->rank, t->dims);
    else json_str(j, dtype(t->type));
  }
  json_end(j, ']');
}

static void json_op(Json *j, const Graph *g, const TflOperator *src, const Op *op) {
  json_obj(j);
  json_key(j, "index"), json_int(j, op->index);
  json_key(j, "op"), json_str(j, ir_op_name(op));
  json_key(j, "opcode_index"), json_int(j, src->opcode_index);
  json_key(j, "version"), json_int(j, op->version);
  json_key(j, "inputs"), json_operands(j, g, op->in, op->nin, 0);
  json_key(j, "outputs"), json_operands(j, g, op->out, op->nout, 0);
  json_key(j, "input_shapes"), json_operands(j, g, op->in, op->nin, 1);
  json_key(j, "input_dtypes"), json_operands(j, g, op->in, op->nin, 2);
  json_key(j, "output_shapes"), json_operands(j, g, op->out, op->nout, 1);
  json_key(j, "output_dtypes"), json_operands(j, g, op->out, op->nout, 2);
  json_key(j, "macs"), json_int(j, op->macs);
  json_key(j, "weight_bytes"), json_int(j, op->weight_bytes);
  json_end(j, '}');
}

static void json_graph(Json *j, const Model *m, const Graph *g) {
  const TflSubgraph *sg = &m->src->subgraphs[g->index];
  json_obj(j);
  json_key(j, "index"), json_int(j, g->index);
  json_key(j, "name"), json_str(j, g->name);
  json_key(j, "inputs"), json_io(j, g, g->in, g->nin);
  json_key(j, "outputs"), json_io(j, g, g->out, g->nout);
  json_key(j, "tensors"), json_arr(j);
  for (uint32_t i = 0; i < g->ntensors; i++) json_tensor(j, g, &sg->tensors[i], &g->t[i]);
  json_end(j, ']');
  json_key(j, "operators"), json_arr(j);
  for (uint32_t i = 0; i < g->nops; i++) json_op(j, g, &sg->ops[g->ops[i].src], &g->ops[i]);
  json_end(j, ']');
  json_key(j, "totals"), json_obj(j);
  json_key(j, "operators"), json_int(j, g->nops);
  json_key(j, "tensors"), json_int(j, g->ntensors);
  json_key(j, "macs"), json_int(j, g->macs);
  json_key(j, "weight_bytes"), json_int(j, g->weight_bytes);
  json_key(j, "constant_bytes"), json_int(j, g->constant_bytes);
  json_key(j, "state_bytes"), json_int(j, g->state_bytes);
  json_key(j, "peak_activation_bytes"), json_int(j, g->peak_bytes);
  json_key(j, "peak_operator"), json_int(j, g->peak_op);
  int64_t arena, state;
  if (g->index == 0 && arena_of(g, &arena, &state)) {
    json_key(j, "arena_bytes"), json_int(j, arena);
    json_key(j, "arena_state_bytes"), json_int(j, state);
  }
  json_end(j, '}');
  json_key(j, "unsupported"), json_arr(j);
  for (uint32_t i = 0; i < g->nops; i++) {
    if (opgen_for(g->ops[i].kind)) continue;
    json_obj(j);
    json_key(j, "index"), json_int(j, i);
    json_key(j, "op"), json_str(j, ir_op_name(&g->ops[i]));
    json_end(j, '}');
  }
  json_end(j, ']');
  json_end(j, '}');
}

static void json_maps(Json *j, const TflTensorMap *maps, uint32_t n) {
  json_arr(j);
  for (uint32_t i = 0; i < n; i++) {
    json_obj(j);
    json_key(j, "name"), json_str(j, maps[i].name);
    json_key(j, "tensor"), json_int(j, maps[i].tensor_index);
    json_end(j, '}');
  }
  json_end(j, ']');
}

void inspect_json(FILE *f, const char *path, const Model *m) {
  const TflModel *src = m->src;
  Json j;
  json_init(&j, f);
  json_obj(&j);
  json_key(&j, "file"), json_str(&j, path);
  json_key(&j, "file_bytes"), json_int(&j, (int64_t)src->file_size);
  json_key(&j, "version"), json_int(&j, src->version);
  json_key(&j, "description"), json_str(&j, src->description);
  json_key(&j, "operator_codes"), json_arr(&j);
  for (uint32_t i = 0; i < src->nopcodes; i++) {
    const TflOpcode *c = &src->opcodes[i];
    const char *name = tfl_op_name(c->code);
    json_obj(&j);
    json_key(&j, "index"), json_int(&j, i);
    json_key(&j, "op"), json_str(&j, name ? name : "UNKNOWN");
    json_key(&j, "builtin_code"), json_int(&j, c->builtin_code);
    json_key(&j, "deprecated_builtin_code"), json_int(&j, c->deprecated_builtin_code);
    json_key(&j, "version"), json_int(&j, c->version);
    json_key(&j, "custom_code"), json_str(&j, c->custom_code);
    json_end(&j, '}');
  }
  json_end(&j, ']');
  json_key(&j, "buffers"), json_int(&j, src->nbuffers);
  json_key(&j, "buffer_bytes"), json_int(&j, m->buffer_bytes);
  json_key(&j, "subgraphs"), json_arr(&j);
  for (uint32_t i = 0; i < m->ngraphs; i++) json_graph(&j, m, &m->g[i]);
  json_end(&j, ']');
  json_key(&j, "signatures"), json_arr(&j);
  for (uint32_t i = 0; i < src->nsignatures; i++) {
    const TflSignature *s = &src->signatures[i];
    json_obj(&j);
    json_key(&j, "key"), json_str(&j, s->key);
    json_key(&j, "subgraph"), json_int(&j, s->subgraph_index);
    json_key(&j, "inputs"), json_maps(&j, s->inputs, s->ninputs);
    json_key(&j, "outputs"), json_maps(&j, s->outputs, s->noutputs);
    json_end(&j, '}');
  }
  json_end(&j, ']');
  json_key(&j, "notes"), json_arr(&j);
  for (uint32_t i = 0; i < m->nnotes; i++) json_str(&j, m->notes[i]);
  json_end(&j, ']');
  json_end(&j, '}');
}
