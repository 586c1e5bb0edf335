/* The .tflite reader: walks the FlatBuffer from the root Model table, checking every object with
   schema/fb.c and every index between tables, and fills a TflModel. Field ids follow the TFLite
   schema (tensorflow/lite/schema/schema.fbs); a union takes two ids (type, then value). */
#include <stdio.h>

#include "fb.h"
#include "tflite.h"

typedef struct Rd {
  FbReader fb;
  Arena *a;
  Err *err;
  TflModel *m;
  size_t file_size;
} Rd;

/* ---- tables of names ---- */

static const struct { const char *name; unsigned size; } types[] = {
#define TYPE(NAME, code, str, size) [code] = {str, size},
#include "types.def"
#undef TYPE
};

const char *tfl_type_name(int t) {
  return t >= 0 && t < TFL_TYPE_COUNT ? types[t].name : NULL;
}

unsigned tfl_type_size(int t) { return t >= 0 && t < TFL_TYPE_COUNT ? types[t].size : 0; }

const char *tfl_op_name(int32_t code) {
  switch (code) {
#define OP(NAME, code, opts, imin, imax, omin, omax, shape) case code: return #NAME;
#include "ops.def"
#undef OP
  }
  return NULL;
}

const char *tfl_options_name(int type) {
  switch (type) {
#define OPTS(Name, tag, fields) case tag: return #Name;
#define OPTS0(Name, tag) case tag: return #Name;
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
  }
  return NULL;
}

/* Scalars take the schema default; vectors and strings default to empty (zeroed). */
#define DEF_I8(v, def) v = (int8_t)(def);
#define DEF_BOOL(v, def) v = (def) != 0;
#define DEF_I32(v, def) v = (int32_t)(def);
#define DEF_U32(v, def) v = (uint32_t)(def);
#define DEF_I64(v, def) v = (int64_t)(def);
#define DEF_F32(v, def) v = (float)(def);
#define DEF_IVEC(v, def)
#define DEF_FVEC(v, def)
#define DEF_STR(v, def)

void tfl_options_defaults(int type, TflOptions *o) {
  memset(o, 0, sizeof *o);
  switch (type) {
#define F(name, id, kind, def) DEF_##kind(x->name, def)
#define OPTS(Name, tag, fields) case tag: { Tfl##Name *x = &o->Name; (void)x; fields } break;
#define OPTS0(Name, tag)
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
#undef F
  }
}

/* ---- typed field readers: rd_KIND(r, table, id, default, out) ---- */

static int rd_I8(FbReader *r, const FbTable *t, unsigned id, double def, int8_t *out) {
  uint64_t v;
  if (fb_scalar(r, t, id, 1, (uint8_t)(int8_t)def, &v)) return -1;
  *out = (int8_t)(uint8_t)v;
  return 0;
}
static int rd_U8(FbReader *r, const FbTable *t, unsigned id, double def, uint8_t *out) {
  uint64_t v;
  if (fb_scalar(r, t, id, 1, (uint8_t)def, &v)) return -1;
  *out = (uint8_t)v;
  return 0;
}
static int rd_BOOL(FbReader *r, const FbTable *t, unsigned id, double def, bool *out) {
  uint8_t v;
  if (rd_U8(r, t, id, def, &v)) return -1;
  *out = v != 0;
  return 0;
}
static int rd_I32(FbReader *r, const FbTable *t, unsigned id, double def, int32_t *out) {
  uint64_t v;
  if (fb_scalar(r, t, id, 4, (uint32_t)(int32_t)def, &v)) return -1;
  *out = (int32_t)(uint32_t)v;
  return 0;
}
static int rd_U32(FbReader *r, const FbTable *t, unsigned id, double def, uint32_t *out) {
  uint64_t v;
  if (fb_scalar(r, t, id, 4, (uint32_t)def, &v)) return -1;
  *out = (uint32_t)v;
  return 0;
}
static int rd_I64(FbReader *r, const FbTable *t, unsigned id, double def, int64_t *out) {
  uint64_t v;
  if (fb_scalar(r, t, id, 8, (uint64_t)(int64_t)def, &v)) return -1;
  *out = (int64_t)v;
  return 0;
}
static int rd_U64(FbReader *r, const FbTable *t, unsigned id, double def, uint64_t *out) {
  return fb_scalar(r, t, id, 8, (uint64_t)def, out);
}
static int rd_F32(FbReader *r, const FbTable *t, unsigned id, double def, float *out) {
  float d = (float)def;
  uint32_t bits;
  uint64_t v;
  memcpy(&bits, &d, 4);
  if (fb_scalar(r, t, id, 4, bits, &v)) return -1;
  bits = (uint32_t)v;
  memcpy(out, &bits, 4);
  return 0;
}
static int rd_vec(FbReader *r, const FbTable *t, unsigned id, unsigned elem, TflVec *out) {
  FbVec v;
  if (fb_vec(r, t, id, elem, &v)) return -1;
  out->p = v.n ? r->p + v.pos : NULL;
  out->n = v.n;
  return 0;
}
static int rd_IVEC(FbReader *r, const FbTable *t, unsigned id, double def, TflVec *out) {
  (void)def;
  return rd_vec(r, t, id, 4, out);
}
static int rd_FVEC(FbReader *r, const FbTable *t, unsigned id, double def, TflVec *out) {
  (void)def;
  return rd_vec(r, t, id, 4, out);
}
static int rd_STR(FbReader *r, const FbTable *t, unsigned id, double def, const char **out) {
  (void)def;
  return fb_str(r, t, id, out);
}

/* ---- helpers ---- */

static void *alloc(Rd *r, size_t n, size_t size, uint32_t off) {
  void *p = arena_array(r->a, n ? n : 1, size);
  if (!p)
    errf(r->err, off, "out of memory: %zu objects of %zu bytes exceed the reader's %zu-byte limit",
         n, size, r->a->limit);
  return p;
}

/* Every entry of an int32 index vector must lie in [lo, n). */
static int check_indices(Rd *r, TflVec v, int32_t lo, uint32_t n, const char *what,
                         const char *of) {
  for (uint32_t i = 0; i < v.n; i++) {
    int32_t x = tfl_i32(v, i);
    if (x < lo || (x >= 0 && (uint32_t)x >= n))
      return errf(r->err, (long)(v.p - r->fb.p) + 4 * i, "%s %u is %d: out of range (%u %s)",
                  what, i, x, n, of);
  }
  return 0;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

/* ---- tables, leaves first ---- */

static int read_options(Rd *r, TflOperator *op, const FbTable *t) {
  FbReader *fb = &r->fb;
  switch (op->options_type) {
#define F(name, id, kind, def) if (rd_##kind(fb, t, id, def, &x->name)) return -1;
#define OPTS(Name, tag, fields) case tag: { Tfl##Name *x = &op->options.Name; fields } break;
#define OPTS0(Name, tag) case tag: break;
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
#undef F
    default: return 0;  /* a member added to the schema after this reader: kept undecoded */
  }
  op->options_decoded = true;
  return 0;
}

static int read_quant(Rd *r, const FbTable *t, TflQuant *q) {
  FbReader *fb = &r->fb;
  if (rd_vec(fb, t, 0, 4, &q->min) || rd_vec(fb, t, 1, 4, &q->max) ||
      rd_vec(fb, t, 2, 4, &q->scale) || rd_vec(fb, t, 3, 8, &q->zero_point) ||
      rd_U8(fb, t, 4, 0, &q->details_type) || rd_I32(fb, t, 6, 0, &q->quantized_dimension))
    return -1;
  FbTable d;
  bool has;
  if (fb_sub(fb, t, 5, &d, &has)) return -1;
  if (q->details_type > 1)
    return errf(r->err, t->pos, "quantization details type %u is unknown", q->details_type);
  if (has && q->details_type == 1 && rd_vec(fb, &d, 0, 1, &q->custom)) return -1;
  if (q->quantized_dimension < 0)
    return errf(r->err, t->pos, "quantized_dimension %d is negative", q->quantized_dimension);
  return 0;
}

static int read_index_vector(Rd *r, const FbTable *t, unsigned id, uint8_t type, TflVec *v) {
  static const unsigned elem[] = {0, 4, 2, 1};
  FbTable iv;
  bool has;
  if (fb_sub(&r->fb, t, id + 1, &iv, &has)) return -1;
  if (type > 3) return errf(r->err, t->pos, "sparse index vector type %u is unknown", type);
  if (has && type) return rd_vec(&r->fb, &iv, 0, elem[type], v);
  return 0;
}

static int read_sparsity(Rd *r, const FbTable *t, TflSparsity *s) {
  FbReader *fb = &r->fb;
  FbVec dims;
  if (rd_vec(fb, t, 0, 4, &s->traversal_order) || rd_vec(fb, t, 1, 4, &s->block_map) ||
      fb_vec(fb, t, 2, 4, &dims))
    return -1;
  s->ndim = dims.n;
  if (!(s->dim = alloc(r, dims.n, sizeof *s->dim, t->pos))) return -1;
  for (uint32_t i = 0; i < dims.n; i++) {
    TflDimMeta *d = &s->dim[i];
    FbTable dt;
    if (fb_vec_table(fb, dims, i, &dt) || rd_I8(fb, &dt, 0, 0, &d->format) ||
        rd_I32(fb, &dt, 1, 0, &d->dense_size) || rd_U8(fb, &dt, 2, 0, &d->segments_type) ||
        read_index_vector(r, &dt, 2, d->segments_type, &d->segments) ||
        rd_U8(fb, &dt, 4, 0, &d->indices_type) ||
        read_index_vector(r, &dt, 4, d->indices_type, &d->indices))
      return err_ctx(r->err, "dim_metadata %u", i);
  }
  return 0;
}

static int read_tensor(Rd *r, const FbTable *t, TflTensor *x) {
  FbReader *fb = &r->fb;
  FbTable sub;
  bool has;
  x->off = t->pos;
  if (fb_str(fb, t, 3, &x->name)) return -1;
  x->name = or_empty(x->name);
  if (rd_vec(fb, t, 0, 4, &x->shape) || rd_I8(fb, t, 1, 0, &x->type) ||
      rd_U32(fb, t, 2, 0, &x->buffer) || rd_BOOL(fb, t, 5, 0, &x->is_variable) ||
      rd_vec(fb, t, 7, 4, &x->shape_signature) || rd_BOOL(fb, t, 8, 0, &x->has_rank))
    return -1;
  uint32_t pos;
  if (fb_field(fb, t, 7, 4, &pos)) return -1;
  x->has_shape_signature = pos != 0;
  if (!tfl_type_name(x->type))
    return errf(r->err, t->pos, "type %d is not a TFLite TensorType", x->type);
  if (x->buffer >= r->m->nbuffers)
    return errf(r->err, t->pos, "buffer %u out of range (%u buffers)", x->buffer, r->m->nbuffers);
  for (uint32_t i = 0; i < x->shape.n; i++)
    if (tfl_i32(x->shape, i) < -1)
      return errf(r->err, t->pos, "dimension %u is %d", i, tfl_i32(x->shape, i));
  if (fb_sub(fb, t, 4, &sub, &has)) return -1;
  if (has) {
    x->has_quant = true;
    if (read_quant(r, &sub, &x->quant)) return err_ctx(r->err, "quantization");
  }
  if (fb_sub(fb, t, 6, &sub, &has)) return -1;
  if (has) {
    if (!(x->sparsity = alloc(r, 1, sizeof *x->sparsity, t->pos))) return -1;
    if (read_sparsity(r, &sub, x->sparsity)) return err_ctx(r->err, "sparsity");
  }
  FbVec var;
  if (fb_vec(fb, t, 9, 4, &var)) return -1;
  for (uint32_t i = 0; i < var.n; i++) {
    FbTable vt;
    TflVec shape;
    int8_t type;
    if (fb_vec_table(fb, var, i, &vt) || rd_vec(fb, &vt, 0, 4, &shape) ||
        rd_I8(fb, &vt, 1, 0, &type))
      return err_ctx(r->err, "variant_tensors %u", i);
  }
  x->nvariant = var.n;
  return 0;
}

static int read_operator(Rd *r, const FbTable *t, const TflSubgraph *sg, TflOperator *op) {
  FbReader *fb = &r->fb;
  op->off = t->pos;
  if (rd_U32(fb, t, 0, 0, &op->opcode_index) || rd_vec(fb, t, 1, 4, &op->inputs) ||
      rd_vec(fb, t, 2, 4, &op->outputs) || rd_U8(fb, t, 3, 0, &op->options_type) ||
      rd_vec(fb, t, 5, 1, &op->custom_options) || rd_I8(fb, t, 6, 0, &op->custom_options_format) ||
      rd_vec(fb, t, 7, 1, &op->mutating_variable_inputs) ||
      rd_vec(fb, t, 8, 4, &op->intermediates) ||
      rd_U64(fb, t, 9, 0, &op->large_custom_options_offset) ||
      rd_U64(fb, t, 10, 0, &op->large_custom_options_size) ||
      rd_U8(fb, t, 11, 0, &op->options2_type))
    return -1;
  if (op->opcode_index >= r->m->nopcodes)
    return errf(r->err, t->pos, "opcode_index %u out of range (%u operator codes)",
                op->opcode_index, r->m->nopcodes);
  if (check_indices(r, op->inputs, -1, sg->ntensors, "input", "tensors") ||
      check_indices(r, op->outputs, 0, sg->ntensors, "output", "tensors") ||
      check_indices(r, op->intermediates, 0, sg->ntensors, "intermediate", "tensors"))
    return -1;
  if (op->large_custom_options_offset > 1 &&
      (op->large_custom_options_offset > r->file_size ||
       op->large_custom_options_size > r->file_size - op->large_custom_options_offset))
    return errf(r->err, t->pos, "large custom options at %llu (+%llu bytes) lie outside the file",
                (unsigned long long)op->large_custom_options_offset,
                (unsigned long long)op->large_custom_options_size);
  FbTable sub;
  bool has;
  if (fb_sub(fb, t, 4, &sub, &has)) return -1;
  tfl_options_defaults(op->options_type, &op->options);
  if (has && op->options_type && read_options(r, op, &sub))
    return err_ctx(r->err, "%s", tfl_options_name(op->options_type));
  if (!has && op->options_type) op->options_decoded = tfl_options_name(op->options_type) != NULL;
  if (fb_sub(fb, t, 12, &sub, &has)) return -1;  /* BuiltinOptions2: checked as a table only */
  return 0;
}

static int read_subgraph(Rd *r, const FbTable *t, TflSubgraph *sg) {
  FbReader *fb = &r->fb;
  FbVec tensors, ops;
  sg->off = t->pos;
  if (fb_str(fb, t, 4, &sg->name) || fb_vec(fb, t, 0, 4, &tensors) ||
      rd_vec(fb, t, 1, 4, &sg->inputs) || rd_vec(fb, t, 2, 4, &sg->outputs) ||
      fb_vec(fb, t, 3, 4, &ops))
    return -1;
  sg->name = or_empty(sg->name);
  sg->ntensors = tensors.n;
  sg->nops = ops.n;
  if (!(sg->tensors = alloc(r, tensors.n, sizeof *sg->tensors, t->pos)) ||
      !(sg->ops = alloc(r, ops.n, sizeof *sg->ops, t->pos)))
    return -1;
  for (uint32_t i = 0; i < tensors.n; i++) {
    FbTable tt;
    if (fb_vec_table(fb, tensors, i, &tt)) return err_ctx(r->err, "tensor %u", i);
    if (read_tensor(r, &tt, &sg->tensors[i])) {
      const char *name = sg->tensors[i].name;
      return name && *name ? err_ctx(r->err, "tensor %u '%s'", i, name)
                           : err_ctx(r->err, "tensor %u", i);
    }
  }
  if (check_indices(r, sg->inputs, 0, sg->ntensors, "input", "tensors") ||
      check_indices(r, sg->outputs, 0, sg->ntensors, "output", "tensors"))
    return -1;
  for (uint32_t i = 0; i < ops.n; i++) {
    FbTable ot;
    sg->ops[i].opcode_index = UINT32_MAX;  /* an unreadable table names no kind */
    if (fb_vec_table(fb, ops, i, &ot) || read_operator(r, &ot, sg, &sg->ops[i])) {
      const TflOperator *op = &sg->ops[i];
      const char *name = op->opcode_index < r->m->nopcodes
                             ? tfl_op_name(r->m->opcodes[op->opcode_index].code) : NULL;
      return name ? err_ctx(r->err, "operator %u (%s)", i, name) : err_ctx(r->err, "operator %u", i);
    }
  }
  return 0;
}

static int read_opcode(Rd *r, const FbTable *t, TflOpcode *c) {
  FbReader *fb = &r->fb;
  c->off = t->pos;
  if (rd_I8(fb, t, 0, 0, &c->deprecated_builtin_code) || fb_str(fb, t, 1, &c->custom_code) ||
      rd_I32(fb, t, 2, 1, &c->version) || rd_I32(fb, t, 3, 0, &c->builtin_code))
    return -1;
  c->code = c->builtin_code > c->deprecated_builtin_code ? c->builtin_code
                                                          : c->deprecated_builtin_code;
  if (c->code < 0) return errf(r->err, t->pos, "builtin code %d is negative", c->code);
  return 0;
}

static int read_buffer(Rd *r, const FbTable *t, TflBuffer *b) {
  FbReader *fb = &r->fb;
  TflVec data;
  uint64_t offset, size;
  b->off = t->pos;
  if (rd_vec(fb, t, 0, 1, &data) || rd_U64(fb, t, 1, 0, &offset) || rd_U64(fb, t, 2, 0, &size))
    return -1;
  if (offset > 1) {
    if (data.n)
      return errf(r->err, t->pos, "buffer has both inline data and an external offset");
    if (offset > r->file_size || size > r->file_size - offset)
      return errf(r->err, t->pos,
                  "external data at offset %llu (+%llu bytes) lies outside the %zu-byte file",
                  (unsigned long long)offset, (unsigned long long)size, r->file_size);
    b->external = true;
    b->data = size ? r->fb.p + offset : NULL;
    b->size = size;
  } else {
    b->data = data.p;
    b->size = data.n;
  }
  return 0;
}

static int read_tensor_maps(Rd *r, const FbTable *t, unsigned id, uint32_t *n, TflTensorMap **out,
                            uint32_t ntensors, const char *what) {
  FbVec v;
  if (fb_vec(&r->fb, t, id, 4, &v)) return -1;
  *n = v.n;
  if (!(*out = alloc(r, v.n, sizeof **out, t->pos))) return -1;
  for (uint32_t i = 0; i < v.n; i++) {
    FbTable mt;
    TflTensorMap *m = &(*out)[i];
    if (fb_vec_table(&r->fb, v, i, &mt) || fb_str(&r->fb, &mt, 0, &m->name) ||
        rd_U32(&r->fb, &mt, 1, 0, &m->tensor_index))
      return err_ctx(r->err, "%s %u", what, i);
    m->name = or_empty(m->name);
    if (m->tensor_index >= ntensors)
      return errf(r->err, mt.pos, "%s %u '%s': tensor %u out of range (%u tensors)", what, i,
                  m->name, m->tensor_index, ntensors);
  }
  return 0;
}

static int read_signature(Rd *r, const FbTable *t, TflSignature *s) {
  const char *tag;
  if (fb_str(&r->fb, t, 2, &s->key) || fb_str(&r->fb, t, 3, &tag) ||
      rd_U32(&r->fb, t, 4, 0, &s->subgraph_index))
    return -1;
  s->key = or_empty(s->key);
  if (s->subgraph_index >= r->m->nsubgraphs)
    return errf(r->err, t->pos, "subgraph %u out of range (%u subgraphs)", s->subgraph_index,
                r->m->nsubgraphs);
  uint32_t nt = r->m->subgraphs[s->subgraph_index].ntensors;
  return read_tensor_maps(r, t, 0, &s->ninputs, &s->inputs, nt, "input") ||
         read_tensor_maps(r, t, 1, &s->noutputs, &s->outputs, nt, "output");
}

/* Reads vector field `id` of the model as n tables of T, calling fn on each. */
#define READ_ALL(r, t, id, cnt, arr, fn, what)                                   \
  do {                                                                         \
    FbVec v_;                                                                  \
    if (fb_vec(&(r)->fb, (t), (id), 4, &v_)) return err_ctx((r)->err, what "s"); \
    (cnt) = v_.n;                                                              \
    if (!((arr) = alloc((r), v_.n, sizeof *(arr), (t)->pos))) return -1;       \
    for (uint32_t i_ = 0; i_ < v_.n; i_++) {                                   \
      FbTable e_;                                                              \
      if (fb_vec_table(&(r)->fb, v_, i_, &e_) || fn((r), &e_, &(arr)[i_]))     \
        return err_ctx((r)->err, what " %u", i_);                              \
    }                                                                          \
  } while (0)

static int read_metadata(Rd *r, const FbTable *t, TflMetadata *md) {
  if (fb_str(&r->fb, t, 0, &md->name) || rd_U32(&r->fb, t, 1, 0, &md->buffer)) return -1;
  md->name = or_empty(md->name);
  if (md->buffer >= r->m->nbuffers)
    return errf(r->err, t->pos, "'%s': buffer %u out of range (%u buffers)", md->name, md->buffer,
                r->m->nbuffers);
  return 0;
}

int tfl_read(const uint8_t *buf, size_t n, Arena *a, TflModel *m, Err *err) {
  Rd r = {.a = a, .err = err, .m = m, .file_size = n};
  FbTable t;
  memset(m, 0, sizeof *m);
  m->file_size = n;
  err->off = -1;
  if (fb_init(&r.fb, buf, n, err) || fb_root(&r.fb, "TFL3", &t)) return -1;
  if (rd_U32(&r.fb, &t, 0, 0, &m->version) || fb_str(&r.fb, &t, 3, &m->description))
    return -1;
  if (m->version != 3)
    return errf(err, t.pos, "schema version %u is not 3, the only one TFLite reads", m->version);
  /* Buffers and operator codes first: tensors and operators index into them. */
  READ_ALL(&r, &t, 4, m->nbuffers, m->buffers, read_buffer, "buffer");
  READ_ALL(&r, &t, 1, m->nopcodes, m->opcodes, read_opcode, "operator code");
  READ_ALL(&r, &t, 2, m->nsubgraphs, m->subgraphs, read_subgraph, "subgraph");
  READ_ALL(&r, &t, 6, m->nmetadata, m->metadata, read_metadata, "metadata");
  READ_ALL(&r, &t, 7, m->nsignatures, m->signatures, read_signature, "signature");
  if (rd_vec(&r.fb, &t, 5, 4, &m->metadata_buffer) ||
      check_indices(&r, m->metadata_buffer, 0, m->nbuffers, "metadata_buffer", "buffers"))
    return -1;
  if (m->nsubgraphs == 0) return errf(err, t.pos, "model has no subgraphs");
  return 0;
}
