/* The .tflite writer: the inverse of schema/tflite_read.c, with the same field ids (see the TFLite
   schema, tensorflow/lite/schema/schema.fbs). Children are built before their parents (fbb.h), so
   each write_X first builds X's sub-tables, then X itself. Vectors that TFLite writes even when
   empty (shapes, operator and subgraph inputs/outputs, tables of the model) are always written;
   other empty vectors, empty names, NULL strings and scalars equal to their default are left out,
   which tflite_read.c reads back as the same values. */
#include <stdint.h>
#include <stdlib.h>

#include "fb.h"
#include "fbb.h"
#include "tflite.h"

typedef struct Wr {
  Fbb b;
  Arena tmp;  /* arrays of FbbRef for vectors of tables; freed when the write ends */
  const TflModel *m;
  Err *err;
} Wr;

/* External buffers start on the boundary that Buffer.data asks for when inline. */
enum { EXTERNAL_ALIGN = 16 };
/* Buffer.data is declared (force_align: 16), for mmap-friendly weights. */
enum { BUFFER_DATA_ALIGN = 16 };
/* Stands in for an external buffer's file offset until the FlatBuffer's size is known. */
static const uint64_t OFFSET_PLACEHOLDER = 1;

/* ---- fields of the common kinds ---- */

/* A vector of scalars, left out when empty. */
static int put_vec(Fbb *b, unsigned id, TflVec v, unsigned elem) {
  FbbRef r;
  return v.n ? fbb_vec(b, v.p, v.n, elem, 0, &r) || fbb_ref(b, id, r) : 0;
}

/* A vector of scalars, written even when empty, as TFLite's converter does for these fields. */
static int put_vec_even_empty(Fbb *b, unsigned id, TflVec v, unsigned elem) {
  FbbRef r;
  return fbb_vec(b, v.p, v.n, elem, 0, &r) || fbb_ref(b, id, r);
}

static int put_str(Fbb *b, unsigned id, const char *s) {
  FbbRef r;
  return s ? fbb_string(b, s, &r) || fbb_ref(b, id, r) : 0;
}

/* A name, left out when empty: the reader reads an absent name as "". */
static int put_name(Fbb *b, unsigned id, const char *s) {
  return s && *s ? put_str(b, id, s) : 0;
}

static FbbRef *new_refs(Wr *w, uint32_t n) {
  FbbRef *refs = arena_array(&w->tmp, n, sizeof *refs);
  if (!refs) errf(w->err, -1, "out of memory for a vector of %u tables", n);
  return refs;
}

/* Writes cnt tables arr[0..cnt) with fn, then the vector of them into *out. */
#define WRITE_ALL(w, cnt, arr, fn, out, what)                                    \
  do {                                                                           \
    FbbRef *refs_ = new_refs((w), (cnt));                                        \
    if (!refs_) return -1;                                                       \
    for (uint32_t i_ = 0; i_ < (cnt); i_++)                                      \
      if (fn((w), &(arr)[i_], &refs_[i_])) return err_ctx((w)->err, what " %u", i_); \
    if (fbb_vec_refs(&(w)->b, refs_, (cnt), (out))) return -1;                   \
  } while (0)

/* ---- builtin options, from the X-macro table ---- */

#define PUT_I8(b, id, v, def) fbb_i8(b, id, v, (int8_t)(def))
#define PUT_BOOL(b, id, v, def) fbb_bool(b, id, v, (def) != 0)
#define PUT_I32(b, id, v, def) fbb_i32(b, id, v, (int32_t)(def))
#define PUT_U32(b, id, v, def) fbb_u32(b, id, v, (uint32_t)(def))
#define PUT_I64(b, id, v, def) fbb_i64(b, id, v, (int64_t)(def))
#define PUT_F32(b, id, v, def) fbb_f32(b, id, v, (float)(def))
#define PUT_IVEC(b, id, v, def) put_vec(b, id, v, 4)
#define PUT_FVEC(b, id, v, def) put_vec(b, id, v, 4)
#define PUT_STR(b, id, v, def) put_str(b, id, v)

/* The options table of op; vectors and strings are built while it is open (fbb.h allows it). */
static int write_options(Wr *w, const TflOperator *op, FbbRef *out) {
  Fbb *b = &w->b;
  if (fbb_table_start(b)) return -1;
  switch (op->options_type) {
#define F(name, id, kind, def) if (PUT_##kind(b, id, x->name, def)) return -1;
#define OPTS(Name, tag, fields) case tag: { const Tfl##Name *x = &op->options.Name; fields } break;
#define OPTS0(Name, tag) case tag: break;
#include "tflite_options.def"
#undef OPTS
#undef OPTS0
#undef F
    default:
      return errf(w->err, -1, "builtin options type %u is not in the BuiltinOptions table",
                  op->options_type);
  }
  return fbb_table_end(b, out);
}

/* ---- tables, leaves first ---- */

static int write_quant(Wr *w, const TflQuant *q, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef details = 0, custom = 0;
  if (q->details_type > 1)
    return errf(w->err, -1, "quantization details type %u is unknown", q->details_type);
  /* CustomQuantization.custom is declared (force_align: 16) like Buffer.data. */
  if (q->details_type == 1 &&
      (fbb_vec(b, q->custom.p, q->custom.n, 1, BUFFER_DATA_ALIGN, &custom) || fbb_table_start(b) ||
       fbb_ref(b, 0, custom) || fbb_table_end(b, &details)))
    return -1;
  return fbb_table_start(b) || put_vec(b, 0, q->min, 4) || put_vec(b, 1, q->max, 4) ||
         put_vec(b, 2, q->scale, 4) || put_vec(b, 3, q->zero_point, 8) ||
         fbb_u8(b, 4, q->details_type, 0) || fbb_ref(b, 5, details) ||
         fbb_i32(b, 6, q->quantized_dimension, 0) || fbb_table_end(b, out);
}

/* A SparseIndexVector union member: Int32Vector, Uint16Vector or Uint8Vector, all { values }.
   Upstream asks (force_align: 4) for the narrow ones; fbb aligns every vector to 4 at least. */
static int write_index_vector(Wr *w, uint8_t type, TflVec v, FbbRef *out) {
  static const unsigned elem[] = {0, 4, 2, 1};
  *out = 0;
  if (type == 0) return 0;
  if (type > 3) return errf(w->err, -1, "sparse index vector type %u is unknown", type);
  return fbb_table_start(&w->b) || put_vec(&w->b, 0, v, elem[type]) ||
         fbb_table_end(&w->b, out);
}

static int write_dim(Wr *w, const TflDimMeta *d, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef segments, indices;
  return write_index_vector(w, d->segments_type, d->segments, &segments) ||
         write_index_vector(w, d->indices_type, d->indices, &indices) || fbb_table_start(b) ||
         fbb_i8(b, 0, d->format, 0) || fbb_i32(b, 1, d->dense_size, 0) ||
         fbb_u8(b, 2, d->segments_type, 0) || fbb_ref(b, 3, segments) ||
         fbb_u8(b, 4, d->indices_type, 0) || fbb_ref(b, 5, indices) || fbb_table_end(b, out);
}

static int write_sparsity(Wr *w, const TflSparsity *s, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef dims;
  WRITE_ALL(w, s->ndim, s->dim, write_dim, &dims, "dim_metadata");
  return fbb_table_start(b) || put_vec(b, 0, s->traversal_order, 4) ||
         put_vec(b, 1, s->block_map, 4) || fbb_ref(b, 2, dims) || fbb_table_end(b, out);
}

static int write_tensor(Wr *w, const TflTensor *t, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef quant = 0, sparsity = 0;
  if (t->nvariant)
    return errf(w->err, -1, "'%s' has %u variant_tensors, which were not decoded: cannot write "
                "them", t->name ? t->name : "", t->nvariant);
  if (t->has_quant && write_quant(w, &t->quant, &quant)) return err_ctx(w->err, "quantization");
  if (t->sparsity && write_sparsity(w, t->sparsity, &sparsity)) return err_ctx(w->err, "sparsity");
  return fbb_table_start(b) || put_vec_even_empty(b, 0, t->shape, 4) ||
         fbb_i8(b, 1, t->type, 0) || fbb_u32(b, 2, t->buffer, 0) || put_name(b, 3, t->name) ||
         fbb_ref(b, 4, quant) || fbb_bool(b, 5, t->is_variable, false) ||
         fbb_ref(b, 6, sparsity) ||
         (t->has_shape_signature && put_vec_even_empty(b, 7, t->shape_signature, 4)) ||
         fbb_bool(b, 8, t->has_rank, false) || fbb_table_end(b, out);
}

/* What the reader keeps only as raw numbers or tags cannot be written back faithfully. */
static int check_operator_writable(Wr *w, const TflOperator *op) {
  if (op->options_type && !op->options_decoded)
    return errf(w->err, -1, "builtin options of type %u were not decoded: cannot write them",
                op->options_type);
  if (op->options2_type)
    return errf(w->err, -1, "builtin_options_2 of type %u were not decoded: cannot write them",
                op->options2_type);
  /* Large custom options live after the FlatBuffer at a file offset; TflOperator keeps the
     offset but not the bytes, so they cannot be moved to where they would lie in the new file. */
  if (op->large_custom_options_offset > 1)
    return errf(w->err, -1,
                "large custom options at file offset %llu (%llu bytes) are not held in the model: "
                "cannot write them",
                (unsigned long long)op->large_custom_options_offset,
                (unsigned long long)op->large_custom_options_size);
  return 0;
}

static int write_operator(Wr *w, const TflOperator *op, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef options = 0;
  if (check_operator_writable(w, op)) return -1;
  if (op->options_type && write_options(w, op, &options))
    return err_ctx(w->err, "%s", tfl_options_name(op->options_type));
  return fbb_table_start(b) || fbb_u32(b, 0, op->opcode_index, 0) ||
         put_vec_even_empty(b, 1, op->inputs, 4) || put_vec_even_empty(b, 2, op->outputs, 4) ||
         fbb_u8(b, 3, op->options_type, 0) || fbb_ref(b, 4, options) ||
         put_vec(b, 5, op->custom_options, 1) || fbb_i8(b, 6, op->custom_options_format, 0) ||
         put_vec(b, 7, op->mutating_variable_inputs, 1) || put_vec(b, 8, op->intermediates, 4) ||
         fbb_u64(b, 9, op->large_custom_options_offset, 0) ||
         fbb_u64(b, 10, op->large_custom_options_size, 0) || fbb_table_end(b, out);
}

static int write_subgraph(Wr *w, const TflSubgraph *sg, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef tensors, ops;
  WRITE_ALL(w, sg->ntensors, sg->tensors, write_tensor, &tensors, "tensor");
  WRITE_ALL(w, sg->nops, sg->ops, write_operator, &ops, "operator");
  return fbb_table_start(b) || fbb_ref(b, 0, tensors) || put_vec_even_empty(b, 1, sg->inputs, 4) ||
         put_vec_even_empty(b, 2, sg->outputs, 4) || fbb_ref(b, 3, ops) ||
         put_name(b, 4, sg->name) || fbb_table_end(b, out);
}

static int write_opcode(Wr *w, const TflOpcode *c, FbbRef *out) {
  Fbb *b = &w->b;
  return fbb_table_start(b) || fbb_i8(b, 0, c->deprecated_builtin_code, 0) ||
         put_str(b, 1, c->custom_code) || fbb_i32(b, 2, c->version, 1) ||
         fbb_i32(b, 3, c->builtin_code, 0) || fbb_table_end(b, out);
}

/* Inline data goes into the FlatBuffer; external data gets a placeholder offset that
   place_external patches once the FlatBuffer's size is known. */
static int write_buffer(Wr *w, const TflBuffer *buf, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef data = 0;
  if (buf->size && !buf->data) return errf(w->err, -1, "%llu bytes of data at NULL",
                                           (unsigned long long)buf->size);
  if (!buf->external && buf->size) {
    if (buf->size > FBB_MAX_SIZE)
      return errf(w->err, -1, "%llu bytes cannot be inline in a FlatBuffer: mark it external",
                  (unsigned long long)buf->size);
    if (fbb_vec(b, buf->data, (uint32_t)buf->size, 1, BUFFER_DATA_ALIGN, &data)) return -1;
  }
  return fbb_table_start(b) || fbb_ref(b, 0, data) ||
         (buf->external && fbb_field(b, 1, &OFFSET_PLACEHOLDER, 8)) ||
         (buf->external && fbb_u64(b, 2, buf->size, 0)) || fbb_table_end(b, out);
}

static int write_metadata(Wr *w, const TflMetadata *md, FbbRef *out) {
  Fbb *b = &w->b;
  return fbb_table_start(b) || put_name(b, 0, md->name) || fbb_u32(b, 1, md->buffer, 0) ||
         fbb_table_end(b, out);
}

static int write_tensor_map(Wr *w, const TflTensorMap *tm, FbbRef *out) {
  Fbb *b = &w->b;
  return fbb_table_start(b) || put_name(b, 0, tm->name) || fbb_u32(b, 1, tm->tensor_index, 0) ||
         fbb_table_end(b, out);
}

static int write_signature(Wr *w, const TflSignature *s, FbbRef *out) {
  Fbb *b = &w->b;
  FbbRef inputs, outputs;
  WRITE_ALL(w, s->ninputs, s->inputs, write_tensor_map, &inputs, "input");
  WRITE_ALL(w, s->noutputs, s->outputs, write_tensor_map, &outputs, "output");
  return fbb_table_start(b) || fbb_ref(b, 0, inputs) || fbb_ref(b, 1, outputs) ||
         put_name(b, 2, s->key) || fbb_u32(b, 4, s->subgraph_index, 0) || fbb_table_end(b, out);
}

/* Buffers first, so the bulk of the data ends up at the end of the file, after the tables. */
static int write_model(Wr *w, FbbRef *root) {
  const TflModel *m = w->m;
  Fbb *b = &w->b;
  FbbRef buffers, opcodes, subgraphs, metadata = 0, signatures = 0;
  WRITE_ALL(w, m->nbuffers, m->buffers, write_buffer, &buffers, "buffer");
  WRITE_ALL(w, m->nsubgraphs, m->subgraphs, write_subgraph, &subgraphs, "subgraph");
  WRITE_ALL(w, m->nopcodes, m->opcodes, write_opcode, &opcodes, "operator code");
  if (m->nmetadata) WRITE_ALL(w, m->nmetadata, m->metadata, write_metadata, &metadata, "metadata");
  if (m->nsignatures)
    WRITE_ALL(w, m->nsignatures, m->signatures, write_signature, &signatures, "signature");
  return fbb_table_start(b) || fbb_u32(b, 0, m->version, 0) || fbb_ref(b, 1, opcodes) ||
         fbb_ref(b, 2, subgraphs) || put_str(b, 3, m->description) || fbb_ref(b, 4, buffers) ||
         put_vec(b, 5, m->metadata_buffer, 4) || fbb_ref(b, 6, metadata) ||
         fbb_ref(b, 7, signatures) || fbb_table_end(b, root);
}

static size_t align_up(size_t x, size_t a) { return (x + a - 1) / a * a; }

static bool any_external(const TflModel *m) {
  for (uint32_t i = 0; i < m->nbuffers; i++)
    if (m->buffers[i].external) return true;
  return false;
}

/* Bytes of the whole file: the FlatBuffer, then each external buffer on its boundary. */
static int external_end(const TflModel *m, size_t fb_size, size_t *end, Err *err) {
  size_t at = fb_size;
  for (uint32_t i = 0; i < m->nbuffers; i++) {
    const TflBuffer *buf = &m->buffers[i];
    if (!buf->external) continue;
    if (at > SIZE_MAX - EXTERNAL_ALIGN || buf->size > SIZE_MAX - align_up(at, EXTERNAL_ALIGN))
      return errf(err, -1, "buffer %u: external data of %llu bytes overflows the file size", i,
                  (unsigned long long)buf->size);
    at = align_up(at, EXTERNAL_ALIGN) + (size_t)buf->size;
  }
  *end = at;
  return 0;
}

/* Appends the external buffers after the FlatBuffer *out and patches their offset fields, found
   again with the reader's primitives. Empty external buffers get an offset too: it is what marks
   them external. */
static int place_external(const TflModel *m, uint8_t **out, size_t *n, Err *err) {
  size_t fb_size = *n, total = 0;
  if (!any_external(m)) return 0;
  if (external_end(m, fb_size, &total, err)) return -1;
  uint8_t *p = total > fb_size ? realloc(*out, total) : *out;
  if (!p) return errf(err, -1, "out of memory for a %zu-byte file", total);
  *out = p;
  memset(p + fb_size, 0, total - fb_size);
  FbReader r;
  FbTable root, t;
  FbVec buffers;
  if (fb_init(&r, p, fb_size, err) || fb_root(&r, "TFL3", &root) ||
      fb_vec(&r, &root, 4, 4, &buffers))
    return -1;
  size_t at = fb_size;
  for (uint32_t i = 0; i < m->nbuffers; i++) {
    const TflBuffer *buf = &m->buffers[i];
    uint32_t field;
    if (!buf->external) continue;
    at = align_up(at, EXTERNAL_ALIGN);
    if (fb_vec_table(&r, buffers, i, &t) || fb_field(&r, &t, 1, 8, &field)) return -1;
    if (!field) return errf(err, -1, "buffer %u: its offset field was not written", i);
    uint64_t offset = at;
    memcpy(p + field, &offset, 8);
    if (buf->size) memcpy(p + at, buf->data, (size_t)buf->size);
    at += (size_t)buf->size;
  }
  *n = total;
  return 0;
}

int tfl_write(const TflModel *m, uint8_t **out, size_t *n, Err *err) {
  Wr w = {.m = m, .err = err};
  FbbRef root;
  *out = NULL;
  *n = 0;
  err->off = -1;
  if (!fb_host_ok()) return errf(err, -1, "big-endian hosts are not supported");
  fbb_init(&w.b, err);
  arena_init(&w.tmp, SIZE_MAX);
  int rc = (write_model(&w, &root) || fbb_finish(&w.b, root, "TFL3", out, n) ||
            place_external(m, out, n, err)) ? -1 : 0;
  fbb_free(&w.b);
  arena_free(&w.tmp);
  if (rc) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}
