#include "tests/opmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void om_options(OmSpec *s, int options_type) {
  s->options_type = options_type;
  tfl_options_defaults(options_type, &s->options);
}

int64_t om_elems(const OmTensor *t) {
  int64_t n = 1;
  for (int i = 0; i < t->rank; i++) n *= t->dims[i];
  return n;
}

static uint32_t next(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

void om_fill_i8(int8_t *p, size_t n, uint32_t seed, int lo, int hi) {
  for (size_t i = 0; i < n; i++) p[i] = (int8_t)(lo + (int)(next(&seed) % (uint32_t)(hi - lo + 1)));
}
void om_fill_i32(int32_t *p, size_t n, uint32_t seed, int32_t lo, int32_t hi) {
  for (size_t i = 0; i < n; i++)
    p[i] = lo + (int32_t)(next(&seed) % (uint32_t)((int64_t)hi - lo + 1));
}
void om_fill_f32(float *p, size_t n, uint32_t seed, float lo, float hi) {
  for (size_t i = 0; i < n; i++) p[i] = lo + (hi - lo) * (float)next(&seed) / 16777216.0f;
}

OmOp *om_add_op(OmGraph *g, int32_t code, int options_type, int nin, const int32_t *in, int nout,
                const int32_t *out) {
  OmOp *o = &g->op[g->nops++];
  *o = (OmOp){.code = code, .options_type = options_type, .nin = nin, .nout = nout};
  tfl_options_defaults(options_type, &o->options);
  for (int k = 0; k < nin; k++) o->in[k] = in[k];
  for (int k = 0; k < nout; k++) o->out[k] = out[k];
  return o;
}

static int write_bytes(const TflModel *m, const char *path) {
  uint8_t *out;
  size_t n;
  Err err = {.off = -1};
  if (tfl_write(m, &out, &n, &err)) {
    fprintf(stderr, "om_write: %s\n", err.msg);
    return -1;
  }
  FILE *f = fopen(path, "wb");
  int rc = f && fwrite(out, 1, n, f) == n ? 0 : -1;
  if (f && fclose(f)) rc = -1;
  free(out);
  return rc;
}

OmTensor om_act(const char *name, int type, int rank, const int32_t *dims, float scale, int zp) {
  OmTensor t = {.name = name, .type = type, .rank = rank};
  memcpy(t.dims, dims, sizeof(int32_t) * (size_t)rank);
  if (scale > 0) t.nq = 1, t.scale[0] = scale, t.zp[0] = zp;
  return t;
}

OmTensor om_cst(const char *name, int type, int rank, const int32_t *dims, const void *data,
                size_t size) {
  OmTensor t = om_act(name, type, rank, dims, 0, 0);
  t.data = data, t.size = size;
  return t;
}

int om_write_graph(const OmGraph *g, const char *path) {
  TflTensor t[OM_MAX_GT] = {{0}};
  TflBuffer buf[OM_MAX_GT + 1] = {{0}};
  TflOperator ops[OM_MAX_OPS] = {{0}};
  TflOpcode codes[OM_MAX_OPS] = {{0}};
  int nb = 1, ncodes = 0;
  for (int i = 0; i < g->nt; i++) {
    const OmTensor *o = &g->t[i];
    t[i] = (TflTensor){.name = o->name, .shape = tfl_vec(o->dims, (uint32_t)o->rank),
                       .type = (int8_t)o->type};
    if (o->nq) {
      t[i].has_quant = true;
      t[i].quant = (TflQuant){.scale = tfl_vec(o->scale, (uint32_t)o->nq),
                              .zero_point = tfl_vec(o->zp, (uint32_t)o->nq),
                              .quantized_dimension = o->qdim};
    }
    if (o->data) {
      buf[nb] = (TflBuffer){.data = o->data, .size = o->size};
      t[i].buffer = (uint32_t)nb++;
    }
  }
  for (int i = 0; i < g->nops; i++) {
    const OmOp *o = &g->op[i];
    int c = 0;
    while (c < ncodes && (codes[c].code != o->code || codes[c].version != (o->version ? o->version : 1))) c++;
    if (c == ncodes)
      codes[ncodes++] = (TflOpcode){.deprecated_builtin_code = (int8_t)(o->code < 127 ? o->code : 127),
                                    .builtin_code = o->code, .version = o->version ? o->version : 1,
                                    .code = o->code};
    ops[i] = (TflOperator){.opcode_index = (uint32_t)c, .inputs = tfl_vec(o->in, (uint32_t)o->nin),
                           .outputs = tfl_vec(o->out, (uint32_t)o->nout),
                           .options_type = (uint8_t)o->options_type, .options_decoded = true,
                           .options = o->options};
  }
  TflSubgraph sg = {.name = "main", .ntensors = (uint32_t)g->nt, .nops = (uint32_t)g->nops,
                    .tensors = t, .ops = ops, .inputs = tfl_vec(g->in, (uint32_t)g->nin),
                    .outputs = tfl_vec(g->out, (uint32_t)g->nout)};
  TflModel m = {.version = 3, .description = "modelc pass test", .nopcodes = (uint32_t)ncodes,
                .nsubgraphs = 1, .nbuffers = (uint32_t)nb, .opcodes = codes, .subgraphs = &sg,
                .buffers = buf};
  return write_bytes(&m, path);
}

int om_write(const OmSpec *s, const char *path) {
  TflTensor t[OM_MAX_T] = {{0}};
  TflBuffer buf[OM_MAX_T + 1] = {{0}};
  int32_t gin[OM_MAX_T], nb = 1, ngin = 0;
  for (int i = 0; i < s->nt; i++) {
    const OmTensor *o = &s->t[i];
    t[i] = (TflTensor){.name = o->name, .shape = tfl_vec(o->dims, (uint32_t)o->rank),
                       .type = (int8_t)o->type};
    if (o->nq) {
      t[i].has_quant = true;
      t[i].quant = (TflQuant){.scale = tfl_vec(o->scale, (uint32_t)o->nq),
                              .zero_point = tfl_vec(o->zp, (uint32_t)o->nq),
                              .quantized_dimension = o->qdim};
    }
    if (o->data) {
      buf[nb] = (TflBuffer){.data = o->data, .size = o->size};
      t[i].buffer = (uint32_t)nb++;
    }
  }
  for (int k = 0; k < s->nin; k++)
    if (s->in[k] >= 0 && !s->t[s->in[k]].data) gin[ngin++] = s->in[k];
  TflOperator op = {.inputs = tfl_vec(s->in, (uint32_t)s->nin),
                    .outputs = tfl_vec(s->out, (uint32_t)s->nout),
                    .options_type = (uint8_t)s->options_type, .options_decoded = true,
                    .options = s->options};
  TflOpcode code = {.deprecated_builtin_code = (int8_t)(s->code < 127 ? s->code : 127),
                    .builtin_code = s->code, .version = s->version ? s->version : 1,
                    .code = s->code};
  TflSubgraph sg = {.name = "main", .ntensors = (uint32_t)s->nt, .nops = 1, .tensors = t,
                    .ops = &op, .inputs = tfl_vec(gin, (uint32_t)ngin),
                    .outputs = tfl_vec(s->out, (uint32_t)s->nout)};
  TflModel m = {.version = 3, .description = "modelc op test", .nopcodes = 1, .nsubgraphs = 1,
                .nbuffers = (uint32_t)nb, .opcodes = &code, .subgraphs = &sg, .buffers = buf};
  uint8_t *out;
  size_t n;
  Err err = {.off = -1};
  if (tfl_write(&m, &out, &n, &err)) {
    fprintf(stderr, "om_write: %s\n", err.msg);
    return -1;
  }
  FILE *f = fopen(path, "wb");
  int rc = f && fwrite(out, 1, n, f) == n ? 0 : -1;
  if (f && fclose(f)) rc = -1;
  free(out);
  return rc;
}
