/* Robustness of the reader and of the whole load pipeline against malformed and hostile files.
   Every input here must either load or be rejected with a message; never a crash, a hang, an
   allocation past the arena limit or a sanitizer report (build with MODELC_SANITIZE=ON to see
   those). Inputs are truncations and random mutations of small real models, and hand-made files
   that each break one rule of the FlatBuffers layout or of the TFLite schema. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/err.h"
#include "compiler/compile.h"
#include "compiler/ir.h"
#include "compiler/quant.h"
#include "schema/tflite.h"
#include "tests/opmodel.h"
#include "tests/util.h"

/* ---- loading, with the bound every test holds the loader to ---- */

/* The arena may grow to 64 bytes per file byte plus 1 MB: what the reader and the IR need for
   any honest model, and small enough that a hostile file cannot ask for gigabytes. */
static size_t arena_limit_for(size_t n) { return 64 * n + (1u << 20); }

/* A copy of n bytes in its own exact-size allocation, so ASan reports any read past the end. */
static uint8_t *exact_copy(const uint8_t *p, size_t n) {
  uint8_t *c = malloc(n ? n : 1);
  cr_assert(c, "out of memory copying %zu bytes", n);
  if (n) memcpy(c, p, n);
  return c;
}

/* A model from ../shared/models, or NULL (the test skips) when the shared folder is missing. */
static uint8_t *load_shared(const char *rel, size_t *n) {
  const char *dir = shared_dir();
  if (!dir) return NULL;
  char path[4096];
  snprintf(path, sizeof path, "%s/models/%s", dir, rel);
  uint8_t *buf = read_file(path, n);
  cr_assert(buf, "cannot read %s", path);
  return buf;
}

#define SHARED_OR_SKIP(var, n, rel)                                     \
  uint8_t *var = load_shared(rel, &(n));                                \
  if (!var) cr_skip_test("shared models not found: skipping %s", rel)

/* ---- touching everything a successful load hands out ---- */

/* What is being loaded, for failure messages: "hello_world_int8.tflite mutant 17 (seed 0x..)". */
static char current_case[256] = "";
#define FAIL(fmt, ...) cr_assert_fail("%s: " fmt, current_case, __VA_ARGS__)

/* Sink for the values read, so the compiler cannot drop the reads ASan is meant to check. */
static volatile uint64_t sink;

typedef struct FileView {
  const uint8_t *p;
  size_t n;
} FileView;

/* Reads the first and last byte of [p, p+bytes) after checking the range lies in the file: a
   zero-copy view outside the file is a reader bug even where ASan cannot see it. */
static uint64_t touch_in_file(const FileView *f, const void *p, uint64_t bytes, const char *what) {
  if (!bytes) return 0;
  const uint8_t *b = p;
  if (!b || b < f->p || bytes > f->n || (size_t)(b - f->p) > f->n - bytes)
    FAIL("%s (%llu bytes) lies outside the %zu-byte file", what,
                   (unsigned long long)bytes, f->n);
  return b[0] + b[bytes - 1];
}

static uint64_t touch_vec(const FileView *f, TflVec v, unsigned elem, const char *what) {
  return touch_in_file(f, v.p, (uint64_t)v.n * elem, what);
}

static uint64_t touch_str(const char *s) { return s ? strlen(s) : 0; }

/* Every int32 of v must be in [lo, n): the reader promises its users indices need no check. */
static void check_indices(TflVec v, int32_t lo, uint32_t n, const char *what) {
  for (uint32_t i = 0; i < v.n; i++) {
    int32_t x = tfl_i32(v, i);
    if (x < lo || (x >= 0 && (uint32_t)x >= n))
      FAIL("reader let through %s %u = %d (of %u)", what, i, x, n);
  }
}

#define TOUCH_I8(x) (uint64_t)(uint8_t)(x)
#define TOUCH_BOOL(x) (uint64_t)(x)
#define TOUCH_I32(x) (uint64_t)(uint32_t)(x)
#define TOUCH_U32(x) (uint64_t)(x)
#define TOUCH_I64(x) (uint64_t)(x)
#define TOUCH_F32(x) (uint64_t)((x) != 0)
#define TOUCH_IVEC(x) touch_vec(f, (x), 4, "option vector")
#define TOUCH_FVEC(x) touch_vec(f, (x), 4, "option vector")
#define TOUCH_STR(x) touch_str(x)

static uint64_t touch_options(const FileView *f, const TflOperator *op) {
  uint64_t h = 0;
  if (!op->options_decoded) return 0;
  switch (op->options_type) {
#define F(name, id, kind, def) h += TOUCH_##kind(x->name);
#define OPTS(Name, tag, fields) case tag: { const Tfl##Name *x = &op->options.Name; fields } break;
#define OPTS0(Name, tag)
#include "schema/tflite_options.def"
#undef OPTS
#undef OPTS0
#undef F
  }
  return h;
}

static uint64_t touch_quant(const FileView *f, const TflQuant *q) {
  return touch_vec(f, q->min, 4, "quant min") + touch_vec(f, q->max, 4, "quant max") +
         touch_vec(f, q->scale, 4, "quant scale") +
         touch_vec(f, q->zero_point, 8, "quant zero_point") +
         touch_vec(f, q->custom, 1, "custom quantization");
}

static uint64_t touch_sparsity(const FileView *f, const TflSparsity *s) {
  static const unsigned elem[] = {0, 4, 2, 1};
  uint64_t h = touch_vec(f, s->traversal_order, 4, "traversal_order") +
               touch_vec(f, s->block_map, 4, "block_map");
  for (uint32_t i = 0; i < s->ndim; i++) {
    const TflDimMeta *d = &s->dim[i];
    if (d->segments_type > 3 || d->indices_type > 3)
      FAIL("reader let through sparse index vector type %u/%u", d->segments_type,
                     d->indices_type);
    h += touch_vec(f, d->segments, elem[d->segments_type], "segments") +
         touch_vec(f, d->indices, elem[d->indices_type], "indices") + (uint32_t)d->dense_size;
  }
  return h;
}

static uint64_t touch_tensor(const FileView *f, const TflModel *m, const TflTensor *t) {
  uint64_t h = touch_str(t->name) + touch_vec(f, t->shape, 4, "shape") +
               touch_vec(f, t->shape_signature, 4, "shape_signature");
  for (uint32_t d = 0; d < t->shape.n; d++) h += (uint32_t)tfl_i32(t->shape, d);
  if (t->buffer >= m->nbuffers)
    FAIL("reader let through buffer %u of %u", t->buffer, m->nbuffers);
  if (!tfl_type_name(t->type)) FAIL("reader let through type %d", t->type);
  if (t->has_quant) h += touch_quant(f, &t->quant);
  if (t->sparsity) h += touch_sparsity(f, t->sparsity);
  return h;
}

static uint64_t touch_operator(const FileView *f, const TflModel *m, const TflSubgraph *sg,
                               const TflOperator *op) {
  if (op->opcode_index >= m->nopcodes)
    FAIL("reader let through opcode_index %u of %u", op->opcode_index, m->nopcodes);
  check_indices(op->inputs, -1, sg->ntensors, "operator input");
  check_indices(op->outputs, 0, sg->ntensors, "operator output");
  check_indices(op->intermediates, 0, sg->ntensors, "operator intermediate");
  return touch_vec(f, op->inputs, 4, "inputs") + touch_vec(f, op->outputs, 4, "outputs") +
         touch_vec(f, op->intermediates, 4, "intermediates") +
         touch_vec(f, op->mutating_variable_inputs, 1, "mutating_variable_inputs") +
         touch_vec(f, op->custom_options, 1, "custom_options") + touch_options(f, op);
}

static uint64_t touch_subgraph(const FileView *f, const TflModel *m, const TflSubgraph *sg) {
  uint64_t h = touch_str(sg->name);
  check_indices(sg->inputs, 0, sg->ntensors, "subgraph input");
  check_indices(sg->outputs, 0, sg->ntensors, "subgraph output");
  for (uint32_t i = 0; i < sg->ntensors; i++) h += touch_tensor(f, m, &sg->tensors[i]);
  for (uint32_t i = 0; i < sg->nops; i++) h += touch_operator(f, m, sg, &sg->ops[i]);
  return h;
}

static uint64_t touch_signature(const TflModel *m, const TflSignature *s) {
  uint64_t h = touch_str(s->key);
  if (s->subgraph_index >= m->nsubgraphs)
    FAIL("reader let through signature subgraph %u", s->subgraph_index);
  uint32_t nt = m->subgraphs[s->subgraph_index].ntensors;
  for (uint32_t i = 0; i < s->ninputs + s->noutputs; i++) {
    const TflTensorMap *t = i < s->ninputs ? &s->inputs[i] : &s->outputs[i - s->ninputs];
    if (t->tensor_index >= nt) FAIL("reader let through signature tensor %u", i);
    h += touch_str(t->name);
  }
  return h;
}

/* Reads every value a loaded TflModel exposes and checks the index promises of tflite.h. */
static void touch_model(const uint8_t *buf, size_t n, const TflModel *m) {
  FileView f = {buf, n};
  uint64_t h = touch_str(m->description);
  for (uint32_t i = 0; i < m->nbuffers; i++)
    h += touch_in_file(&f, m->buffers[i].data, m->buffers[i].size, "buffer data");
  for (uint32_t i = 0; i < m->nopcodes; i++)
    h += touch_str(m->opcodes[i].custom_code) + (uint32_t)m->opcodes[i].code;
  for (uint32_t i = 0; i < m->nsubgraphs; i++) h += touch_subgraph(&f, m, &m->subgraphs[i]);
  for (uint32_t i = 0; i < m->nmetadata; i++) {
    if (m->metadata[i].buffer >= m->nbuffers) FAIL("reader let through metadata %u", i);
    h += touch_str(m->metadata[i].name);
  }
  for (uint32_t i = 0; i < m->nsignatures; i++) h += touch_signature(m, &m->signatures[i]);
  check_indices(m->metadata_buffer, 0, m->nbuffers, "metadata_buffer");
  sink += h;
}

/* Reads every value a loaded IR exposes and checks the ranges ir.h documents. */
static uint64_t touch_graph(const Graph *g) {
  uint64_t h = touch_str(g->name);
  for (uint32_t i = 0; i < g->ntensors; i++) {
    const Tensor *t = &g->t[i];
    if (t->rank < -1 || t->rank > IR_MAX_RANK) FAIL("tensor %u has rank %d", i, t->rank);
    for (int d = 0; d < t->rank; d++) h += (uint32_t)t->dims[d];
    if (t->q.n) h += (uint32_t)t->q.zero_point[t->q.n - 1] + (t->q.scale[t->q.n - 1] != 0);
    if (t->data && t->data_size) h += t->data[0] + t->data[t->data_size - 1];
    if (t->producer < -1 || t->producer >= (int32_t)g->nops)
      FAIL("tensor %u has producer %d", i, t->producer);
    for (uint32_t c = 0; c < t->nconsumers; c++)
      if (t->consumers[c] >= g->nops) FAIL("tensor %u has consumer %u", i, t->consumers[c]);
    h += touch_str(t->name);
  }
  for (uint32_t i = 0; i < g->nops; i++) {
    const Op *op = &g->ops[i];
    for (uint32_t k = 0; k < op->nin + op->nout + op->ninter; k++) {
      int32_t x = k < op->nin ? op->in[k]
                              : k < op->nin + op->nout ? op->out[k - op->nin]
                                                       : op->inter[k - op->nin - op->nout];
      if (x < (k < op->nin ? -1 : 0) || x >= (int32_t)g->ntensors)
        FAIL("operator %u refers to tensor %d of %u", i, x, g->ntensors);
    }
    h += touch_str(op->custom_code) + touch_str(ir_op_name(op));
  }
  for (uint32_t i = 0; i < g->nin + g->nout; i++) {
    int32_t x = i < g->nin ? g->in[i] : g->out[i - g->nin];
    if (x < 0 || x >= (int32_t)g->ntensors) FAIL("graph input/output %d", x);
  }
  return h;
}

static void touch_ir(const Model *m) {
  uint64_t h = 0;
  for (uint32_t i = 0; i < m->ngraphs; i++) h += touch_graph(&m->g[i]);
  for (uint32_t i = 0; i < m->nnotes; i++) h += touch_str(m->notes[i]);
  sink += h;
}

/* ---- the two loaders, each run on every input ---- */

typedef struct Outcome {
  int rc;
  char msg[2 * ERR_MSG_MAX];  /* err_str's "offset 0x..: ..." form */
  size_t used;                /* arena bytes at the end */
} Outcome;

static void finish(Outcome *o, int rc, const Err *err, const Arena *a) {
  o->rc = rc;
  o->used = a->used;
  o->msg[0] = 0;
  if (rc) err_str(err, o->msg, sizeof o->msg);
  if (rc && !err->msg[0]) FAIL("rejected (rc %d) with an empty message", rc);
  if (a->used > a->limit) FAIL("arena used %zu past its limit %zu", a->used, a->limit);
}

/* tfl_read on a private exact-size copy; touches the model when it loads. */
static Outcome try_read(const uint8_t *buf, size_t n) {
  uint8_t *copy = exact_copy(buf, n);
  Arena a;
  TflModel m;
  Err err = {0};
  Outcome o;
  arena_init(&a, arena_limit_for(n));
  int rc = tfl_read(copy, n, &a, &m, &err);
  finish(&o, rc, &err, &a);
  if (!rc) touch_model(copy, n, &m);
  arena_free(&a);
  free(copy);
  return o;
}

/* ir_load, the whole pipeline, likewise. */
static Outcome try_load(const uint8_t *buf, size_t n) {
  uint8_t *copy = exact_copy(buf, n);
  Arena a;
  TflModel src;
  Model m;
  Err err = {0};
  Outcome o;
  arena_init(&a, arena_limit_for(n));
  int rc = ir_load(copy, n, &a, &src, &m, &err);
  finish(&o, rc, &err, &a);
  if (!rc) {
    touch_model(copy, n, &src);
    touch_ir(&m);
  }
  arena_free(&a);
  free(copy);
  return o;
}

/* Both loaders must reject buf, with a message holding every key (NULL-terminated list). Reader
   errors reach the pipeline's caller unchanged, so the keys hold for both. */
static void expect_error(const uint8_t *buf, size_t n, const char *const *keys) {
  Outcome r = try_read(buf, n), l = try_load(buf, n);
  cr_assert(r.rc != 0, "tfl_read accepted the file; expected an error with '%s'", keys[0]);
  cr_assert(l.rc != 0, "ir_load accepted the file; expected an error with '%s'", keys[0]);
  for (const char *const *k = keys; *k; k++) {
    cr_assert(strstr(r.msg, *k), "tfl_read message \"%s\" lacks \"%s\"", r.msg, *k);
    cr_assert(strstr(l.msg, *k), "ir_load message \"%s\" lacks \"%s\"", l.msg, *k);
  }
}
#define EXPECT_ERROR(buf, n, ...) expect_error((buf), (n), (const char *const[]){__VA_ARGS__, NULL})

/* The pipeline must load buf or reject it with a message; returns which. */
static bool loads_or_rejects(const uint8_t *buf, size_t n) {
  Outcome r = try_read(buf, n), l = try_load(buf, n);
  cr_assert(r.rc == 0 || l.rc != 0, "ir_load accepted what tfl_read rejected: %s", r.msg);
  return l.rc == 0;
}

/* "offset 0x1a4:", the prefix err_str gives an error about file offset off. */
static const char *at_offset(char *buf, size_t size, uint32_t off) {
  snprintf(buf, size, "offset 0x%x:", (unsigned)off);
  return buf;
}

/* ---- finding fields in a valid model, independently of schema/fb.c ----
   Used only on the unmodified shared models, to learn where to patch them. */

static uint32_t get32(const uint8_t *b, uint32_t pos) { uint32_t v; memcpy(&v, b + pos, 4); return v; }
static uint16_t get16(const uint8_t *b, uint32_t pos) { uint16_t v; memcpy(&v, b + pos, 2); return v; }
static void put32(uint8_t *b, uint32_t pos, uint32_t v) { memcpy(b + pos, &v, 4); }

static uint32_t vtable_of(const uint8_t *b, uint32_t table) {
  return table - (uint32_t)(int32_t)get32(b, table);
}

/* Position of field id's value in the table, 0 when the vtable leaves it out. */
static uint32_t field_at(const uint8_t *b, uint32_t table, unsigned id) {
  uint32_t vt = vtable_of(b, table);
  if (4 + 2 * id + 2 > get16(b, vt)) return 0;
  uint16_t fo = get16(b, vt + 4 + 2 * id);
  return fo ? table + fo : 0;
}

static uint32_t follow(const uint8_t *b, uint32_t pos) { return pos + get32(b, pos); }

/* Position of the length word of vector (or string) field id; the field must be present. */
static uint32_t vec_of(const uint8_t *b, uint32_t table, unsigned id) {
  uint32_t f = field_at(b, table, id);
  cr_assert(f, "field %u missing at table 0x%x", id, table);
  return follow(b, f);
}

static uint32_t vec_table(const uint8_t *b, uint32_t vec, uint32_t i) {
  return follow(b, vec + 4 + 4 * i);
}

/* Schema field ids (tensorflow/lite/schema/schema.fbs). */
enum { MODEL_VERSION = 0, MODEL_OPCODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3 };
enum { TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3, TENSOR_QUANT = 4 };
enum { OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2 };
enum { QUANT_SCALE = 2, QUANT_ZERO_POINT = 3 };

static uint32_t model_table(const uint8_t *b) { return get32(b, 0); }
static uint32_t subgraph0(const uint8_t *b) {
  return vec_table(b, vec_of(b, model_table(b), MODEL_SUBGRAPHS), 0);
}
static uint32_t tensors_vec(const uint8_t *b) { return vec_of(b, subgraph0(b), SG_TENSORS); }
static uint32_t tensor_table(const uint8_t *b, uint32_t i) {
  return vec_table(b, tensors_vec(b), i);
}
static uint32_t operator_table(const uint8_t *b, uint32_t i) {
  return vec_table(b, vec_of(b, subgraph0(b), SG_OPERATORS), i);
}
static const char *tensor_name(const uint8_t *b, uint32_t i) {
  return (const char *)b + vec_of(b, tensor_table(b, i), TENSOR_NAME) + 4;
}
static uint32_t nbuffers(const uint8_t *b) { return get32(b, vec_of(b, model_table(b), MODEL_BUFFERS)); }

/* ---- a forward-only FlatBuffers writer for hand-made files ----
   Objects are appended in order and every uoffset points from an earlier slot to a later object,
   which is all the layout requires. Tables are written vtable first, then the table. */

typedef struct Fbb {
  uint8_t *p;
  uint32_t n, cap;
} Fbb;

static void fbb_reserve(Fbb *b, uint32_t extra) {
  if (b->n + extra <= b->cap) return;
  uint32_t cap = b->cap ? b->cap : 1024;
  while (cap < b->n + extra) cap *= 2;
  b->p = realloc(b->p, cap);
  cr_assert(b->p, "out of memory building a test file");
  memset(b->p + b->cap, 0, cap - b->cap);
  b->cap = cap;
}

/* Appends len bytes (zeros when data is NULL); returns their position. */
static uint32_t fbb_put(Fbb *b, const void *data, uint32_t len) {
  fbb_reserve(b, len);
  uint32_t pos = b->n;
  if (data) memcpy(b->p + pos, data, len);
  b->n += len;
  return pos;
}

/* Pads with zeros until (n + skew) is a multiple of align. */
static void fbb_align(Fbb *b, uint32_t align, uint32_t skew) {
  while ((b->n + skew) % align) fbb_put(b, NULL, 1);
}

static void fbb_set32(Fbb *b, uint32_t pos, uint32_t v) { put32(b->p, pos, v); }
static void fbb_set64(Fbb *b, uint32_t pos, uint64_t v) { memcpy(b->p + pos, &v, 8); }

/* Points the uoffset at slot to target, which must come later. */
static void fbb_link(Fbb *b, uint32_t slot, uint32_t target) {
  cr_assert(target >= slot, "builder: backward link");
  fbb_set32(b, slot, target - slot);
}

/* The root uoffset and the "TFL3" identifier; returns the root slot. */
static uint32_t fbb_header(Fbb *b) {
  uint32_t slot = fbb_put(b, NULL, 4);
  fbb_put(b, "TFL3", 4);
  return slot;
}

enum { FBB_MAX_FIELDS = 16 };
typedef struct FbbField {
  unsigned id, size;
} FbbField;

/* Appends a vtable and a zeroed table with the given fields (ids ascending); at[id] receives each
   field's position. The table starts 8-aligned so 8-byte fields can be aligned inside it. */
static uint32_t fbb_table(Fbb *b, unsigned nf, const FbbField *f, uint32_t at[FBB_MAX_FIELDS]) {
  unsigned nslots = nf ? f[nf - 1].id + 1 : 0;
  uint16_t fo[FBB_MAX_FIELDS] = {0};
  uint32_t size = 4;
  for (unsigned i = 0; i < nf; i++) {
    size = (size + f[i].size - 1) / f[i].size * f[i].size;
    fo[f[i].id] = (uint16_t)size;
    size += f[i].size;
  }
  fbb_align(b, 2, 0);
  uint16_t head[2 + FBB_MAX_FIELDS] = {(uint16_t)(4 + 2 * nslots), (uint16_t)size};
  memcpy(head + 2, fo, 2 * nslots);
  uint32_t vt = fbb_put(b, head, 4 + 2 * nslots);
  fbb_align(b, 8, 0);
  uint32_t pos = fbb_put(b, NULL, size);
  fbb_set32(b, pos, pos - vt);
  for (unsigned i = 0; i < FBB_MAX_FIELDS; i++) at[i] = 0;
  for (unsigned i = 0; i < nf; i++) at[f[i].id] = pos + fo[f[i].id];
  return pos;
}
#define FIELDS(...) (unsigned)(sizeof((FbbField[]){__VA_ARGS__}) / sizeof(FbbField)), \
                    (FbbField[]){__VA_ARGS__}

/* Appends a vector of n elements of elem bytes (zeros when data is NULL), its elements aligned to
   elem; links slot to it. Returns the position of element 0. */
static uint32_t fbb_vec(Fbb *b, uint32_t slot, uint32_t n, unsigned elem, const void *data) {
  fbb_align(b, elem > 4 ? elem : 4, 4);
  uint32_t len = fbb_put(b, &n, 4);
  fbb_link(b, slot, len);
  fbb_put(b, data, n * elem);
  return len + 4;
}

static void fbb_str(Fbb *b, uint32_t slot, const char *s) {
  uint32_t len = (uint32_t)strlen(s);
  fbb_vec(b, slot, len, 1, s);
  fbb_put(b, "", 1);
}

/* n int32 values, all v. */
static uint32_t fbb_vec_fill(Fbb *b, uint32_t slot, uint32_t n, int32_t v) {
  uint32_t first = fbb_vec(b, slot, n, 4, NULL);
  for (uint32_t i = 0; i < n; i++) fbb_set32(b, first + 4 * i, (uint32_t)v);
  return first;
}

/* Header and Model table (version 3); the vector slots are left for the caller. */
typedef struct ModelSlots {
  uint32_t opcodes, subgraphs, buffers;
} ModelSlots;

static ModelSlots fbb_model(Fbb *b) {
  uint32_t root = fbb_header(b), at[FBB_MAX_FIELDS];
  uint32_t model = fbb_table(b, FIELDS({MODEL_VERSION, 4}, {MODEL_OPCODES, 4},
                                       {MODEL_SUBGRAPHS, 4}, {MODEL_BUFFERS, 4}), at);
  fbb_link(b, root, model);
  fbb_set32(b, at[MODEL_VERSION], 3);
  return (ModelSlots){at[MODEL_OPCODES], at[MODEL_SUBGRAPHS], at[MODEL_BUFFERS]};
}

/* Variations of the small ADD model of build_add. */
typedef struct AddSpec {
  uint64_t buffer_offset, buffer_size;  /* Buffer 0's external data fields (0: absent) */
  uint64_t lco_offset, lco_size;        /* the operator's large_custom_options fields */
  bool misalign_zero_point;             /* put tensor 0's int64 zero points off 8-alignment */
} AddSpec;

enum { BUFFER_OFFSET = 1, BUFFER_SIZE = 2, OP_LCO_OFFSET = 9, OP_LCO_SIZE = 10 };

static void fbb_add_tensor(Fbb *b, uint32_t slot, const char *name, bool quant, bool misalign) {
  uint32_t at[FBB_MAX_FIELDS], q[FBB_MAX_FIELDS];
  /* An unset uoffset (0) would point at itself, so a field is only declared when it is linked. */
  uint32_t t = quant ? fbb_table(b, FIELDS({TENSOR_SHAPE, 4}, {TENSOR_NAME, 4}, {TENSOR_QUANT, 4}), at)
                     : fbb_table(b, FIELDS({TENSOR_SHAPE, 4}, {TENSOR_NAME, 4}), at);
  fbb_link(b, slot, t);
  int32_t shape[] = {1, 4};
  fbb_vec(b, at[TENSOR_SHAPE], 2, 4, shape);
  fbb_str(b, at[TENSOR_NAME], name);
  if (!quant) return;
  fbb_link(b, at[TENSOR_QUANT],
           fbb_table(b, FIELDS({QUANT_SCALE, 4}, {QUANT_ZERO_POINT, 4}), q));
  float scale = 0.5f;
  int64_t zero = 0;
  fbb_vec(b, q[QUANT_SCALE], 1, 4, &scale);
  if (!misalign) {
    fbb_vec(b, q[QUANT_ZERO_POINT], 1, 8, &zero);
    return;
  }
  fbb_align(b, 8, 0);  /* length word 8-aligned, so its elements start at 4 mod 8 */
  uint32_t one = 1, len = fbb_put(b, &one, 4);
  fbb_link(b, q[QUANT_ZERO_POINT], len);
  fbb_put(b, &zero, 8);
}

/* A float32 ADD of two [1,4] tensors: one operator code, one buffer, one subgraph. */
static void build_add(Fbb *b, const AddSpec *s) {
  uint32_t at[FBB_MAX_FIELDS], sg[FBB_MAX_FIELDS], op[FBB_MAX_FIELDS];
  ModelSlots ms = fbb_model(b);
  uint32_t e = fbb_vec(b, ms.buffers, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({BUFFER_OFFSET, 8}, {BUFFER_SIZE, 8}), at));
  fbb_set64(b, at[BUFFER_OFFSET], s->buffer_offset);
  fbb_set64(b, at[BUFFER_SIZE], s->buffer_size);
  e = fbb_vec(b, ms.opcodes, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({2, 4}), at));
  fbb_set32(b, at[2], 1);  /* version 1; builtin code 0 (ADD) is the default */
  e = fbb_vec(b, ms.subgraphs, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({SG_TENSORS, 4}, {SG_INPUTS, 4}, {SG_OUTPUTS, 4},
                                     {SG_OPERATORS, 4}), sg));
  int32_t ins[] = {0, 1}, outs[] = {2};
  fbb_vec(b, sg[SG_INPUTS], 2, 4, ins);
  fbb_vec(b, sg[SG_OUTPUTS], 1, 4, outs);
  e = fbb_vec(b, sg[SG_OPERATORS], 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({OP_INPUTS, 4}, {OP_OUTPUTS, 4}, {OP_LCO_OFFSET, 8},
                                     {OP_LCO_SIZE, 8}), op));
  fbb_vec(b, op[OP_INPUTS], 2, 4, ins);
  fbb_vec(b, op[OP_OUTPUTS], 1, 4, outs);
  fbb_set64(b, op[OP_LCO_OFFSET], s->lco_offset);
  fbb_set64(b, op[OP_LCO_SIZE], s->lco_size);
  e = fbb_vec(b, sg[SG_TENSORS], 3, 4, NULL);
  fbb_add_tensor(b, e, "a", true, s->misalign_zero_point);
  fbb_add_tensor(b, e + 4, "b", false, false);
  fbb_add_tensor(b, e + 8, "sum", false, false);
}

/* ---- truncations ---- */

/* Every proper prefix of a valid model cuts off something the model refers to. */
static void check_truncations(const char *rel) {
  size_t n;
  SHARED_OR_SKIP(buf, n, rel);
  cr_assert(try_read(buf, n).rc == 0, "%s itself does not load", rel);
  for (size_t len = 0; len < n; len++) {
    Outcome r = try_read(buf, len), l = try_load(buf, len);
    cr_assert(r.rc != 0, "%s cut to %zu bytes: tfl_read accepted it", rel, len);
    cr_assert(l.rc != 0, "%s cut to %zu bytes: ir_load accepted it", rel, len);
  }
  cr_log_info("%s: %zu truncations rejected", rel, n);
  free(buf);
}

Test(malformed, truncations_hello_world, .timeout = 60) {
  check_truncations("tflm/hello_world_int8.tflite");
}

Test(malformed, truncations_simple_add, .timeout = 60) {
  check_truncations("tflm/simple_add_model.tflite");
}

/* ---- random mutations ---- */

/* splitmix64: a fixed seed gives the same mutants on every machine. */
typedef struct Rng {
  uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static uint32_t rng_below(Rng *r, uint32_t n) { return (uint32_t)(rng_next(r) % n); }

/* Byte positions outside the buffers' data: the FlatBuffer structure, where a change can break
   an offset, a length or an index rather than just a weight. */
static uint32_t *structure_positions(const uint8_t *buf, size_t n, uint32_t *count) {
  Arena a;
  TflModel m;
  Err err;
  arena_init(&a, arena_limit_for(n));
  cr_assert(tfl_read(buf, n, &a, &m, &err) == 0, "the unmutated model does not load: %s", err.msg);
  uint8_t *is_data = calloc(n, 1);
  uint32_t *pos = malloc(n * sizeof *pos);
  cr_assert(is_data && pos, "out of memory");
  for (uint32_t i = 0; i < m.nbuffers; i++)
    if (m.buffers[i].data) memset(is_data + (m.buffers[i].data - buf), 1, m.buffers[i].size);
  *count = 0;
  for (uint32_t i = 0; i < n; i++)
    if (!is_data[i]) pos[(*count)++] = i;
  free(is_data);
  arena_free(&a);
  return pos;
}

/* Changes 1 to 8 bytes: mostly in the structure; to boundary values, random bytes or one bit. */
static void mutate(Rng *r, uint8_t *buf, size_t n, const uint32_t *structure, uint32_t nstructure) {
  static const uint8_t special[] = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x04, 0x08};
  unsigned changes = 1 + rng_below(r, 8);
  for (unsigned c = 0; c < changes; c++) {
    uint32_t pos = rng_below(r, 4) && nstructure ? structure[rng_below(r, nstructure)]
                                                 : rng_below(r, (uint32_t)n);
    switch (rng_below(r, 3)) {
      case 0: buf[pos] = special[rng_below(r, sizeof special)]; break;
      case 1: buf[pos] = (uint8_t)rng_next(r); break;
      default: buf[pos] ^= (uint8_t)(1u << rng_below(r, 8)); break;
    }
  }
}

/* count mutants of one model, each loaded or rejected cleanly by both loaders. */
static void check_mutants(const char *rel, uint64_t seed, unsigned count) {
  size_t n;
  SHARED_OR_SKIP(orig, n, rel);
  uint32_t nstructure;
  uint32_t *structure = structure_positions(orig, n, &nstructure);
  uint8_t *buf = malloc(n);
  cr_assert(buf, "out of memory");
  Rng r = {seed};
  unsigned loaded = 0;
  for (unsigned i = 0; i < count; i++) {
    memcpy(buf, orig, n);
    mutate(&r, buf, n, structure, nstructure);
    snprintf(current_case, sizeof current_case, "%s mutant %u (seed 0x%llx)", rel, i,
             (unsigned long long)seed);
    loaded += loads_or_rejects(buf, n);
  }
  cr_log_info("%s: %u mutants, %u loaded, %u rejected", rel, count, loaded, count - loaded);
  /* Most changes to the structure must be caught; if none were, the mutator missed it. */
  cr_assert(loaded < count, "%s: every mutant loaded", rel);
  free(buf);
  free(structure);
  free(orig);
}

Test(malformed, mutants_hello_world, .timeout = 120) {
  check_mutants("tflm/hello_world_int8.tflite", 0x4e110, 4000);
}
Test(malformed, mutants_simple_add, .timeout = 120) {
  check_mutants("tflm/simple_add_model.tflite", 0xadd, 4000);
}
Test(malformed, mutants_micro_speech, .timeout = 120) {
  check_mutants("tflm/micro_speech_quantized.tflite", 0x5eec4, 4000);
}
Test(malformed, mutants_kws, .timeout = 120) {
  check_mutants("mlperf_tiny/kws_ref_model.tflite", 0xc0ffee, 4000);
}
Test(malformed, mutants_lstm, .timeout = 120) {
  check_mutants("tflm/trained_lstm_int8.tflite", 0x1571, 4000);
}

/* ---- hand-made hostile files: the file's frame ---- */

#define HELLO "tflm/hello_world_int8.tflite"
#define SPEECH "tflm/micro_speech_quantized.tflite"

Test(malformed, empty_and_tiny_files) {
  static const uint8_t one = 0x18;
  EXPECT_ERROR(&one, 0, "offset 0x0:", "file too small (0 bytes)");
  EXPECT_ERROR(&one, 1, "offset 0x0:", "file too small (1 bytes)");
  /* A header that is whole but whose root table lies past the end. */
  static const uint8_t header[8] = {0x10, 0, 0, 0, 'T', 'F', 'L', '3'};
  EXPECT_ERROR(header, 8, "offset 0x0:", "root table", "points outside the 8-byte buffer");
}

Test(malformed, wrong_file_identifier) {
  size_t n;
  SHARED_OR_SKIP(m, n, HELLO);
  memcpy(m + 4, "TFL2", 4);
  EXPECT_ERROR(m, n, "offset 0x4:", "file identifier is not \"TFL3\"");
  free(m);
}

/* Quantization the reader accepts but no converter writes: a zero point outside the tensor's
   type, a scale that is NaN, infinite, negative or (for an activation) zero. The loader names
   the tensor and the value, before any emitter folds them into int32 constants. */
static void expect_load_error(const uint8_t *buf, size_t n, const char *const *keys) {
  Outcome l = try_load(buf, n);
  cr_assert(l.rc != 0, "ir_load accepted the file; expected an error with '%s'", keys[0]);
  for (const char *const *k = keys; *k; k++)
    cr_expect(strstr(l.msg, *k), "message '%s' lacks '%s'", l.msg, *k);
}
#define EXPECT_LOAD_ERROR(buf, n, ...) \
  expect_load_error((buf), (n), (const char *const[]){__VA_ARGS__, NULL})

Test(malformed, quantization_outside_the_type) {
  size_t n;
  SHARED_OR_SKIP(orig, n, "mlperf_tiny/kws_ref_model.tflite");
  uint8_t *m = exact_copy(orig, n);
  Arena a;
  TflModel src;
  Err err = {0};
  arena_init(&a, arena_limit_for(n));
  cr_assert(tfl_read(m, n, &a, &src, &err) == 0, "%s", err.msg);
  const TflTensor *t = &src.subgraphs[0].tensors[tfl_i32(src.subgraphs[0].inputs, 0)];
  cr_assert(t->type == TFL_INT8 && t->quant.scale.n == 1, "kws's input is per-tensor int8");
  const size_t zpos = (size_t)(t->quant.zero_point.p - m), spos = (size_t)(t->quant.scale.p - m);
  char name[128];
  snprintf(name, sizeof name, "'%s'", t->name);
  arena_free(&a);
  static const struct { int64_t zp; float scale; const char *key; } cases[] = {
      {128, 1.0f, "zero point 0 is 128, outside int8"},
      {-16121858, 1.0f, "zero point 0 is -16121858, outside int8"},
      {0, NAN, "scale 0 is nan; a quantized tensor's scales must be positive and finite"},
      {0, INFINITY, "scale 0 is inf;"},
      {0, -0.5f, "scale 0 is -0.5;"},
      {0, 0.0f, "scale 0 is 0;"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memcpy(m, orig, n);
    memcpy(m + zpos, &cases[i].zp, 8);
    memcpy(m + spos, &cases[i].scale, 4);
    EXPECT_LOAD_ERROR(m, n, name, cases[i].key);
  }
  /* The same values back in place load again. */
  memcpy(m, orig, n);
  cr_assert(try_load(m, n).rc == 0, "the unchanged copy must load");
  free(m);
  free(orig);
}

/* The compile path past the reader, as tests/fuzz/fuzz_compile.c runs it: import, verification,
   shapes, every pass and code generation for targets[target]. Returns 0 or -1 with *err set. */
static int compile_read(const TflModel *src, size_t n, int target, int rounding, int threads,
                        Err *err) {
  static const char *const targets[] = {"generic", "x86-64-avx2", "aarch64-neon", "cortex-m",
                                        "x86-64-avx512"};
  Arena a;
  Model m;
  Plan plan;
  PassReport rep;
  char *c = NULL, *h = NULL;
  size_t nc = 0, nh = 0;
  EmitOptions eo = {.name = "m", .source = "m.tflite", .target = targets[target],
                    .rounding = (Rounding)rounding, .threads = threads};
  PassOptions po = {.disabled = 0, .rounding = eo.rounding};
  arena_init(&a, arena_limit_for(n));
  int rc = ir_import(src, &a, &m, err) || ir_verify(&m, err) || ir_shapes(&m, err) ||
                   ir_stats(&m, err) || passes_run(&m, &po, &rep, err) ||
                   emit_c(&m, &eo, &a, &c, &nc, &h, &nh, &plan, err)
               ? -1
               : 0;
  free(c), free(h);
  arena_free(&a);
  return rc;
}

/* What tests/fuzz/run.sh found (tests/data/fuzz/README.md): each file through the whole compile
   path, the target picked by its last byte as fuzz_compile.c picks it, must give its error. */
Test(malformed, fuzz_findings) {
  static const struct { const char *file, *key; } found[] = {
      {"add_zero_point_outside_int8.tflite", "zero point 0 is -16121858, outside int8"},
      {"transpose_conv_stride_0.tflite", "operator 0 (TRANSPOSE_CONV): input tensor 2 'streamable_model_10/unet_0/decoder_0/conv2dtranspose_3x4/activation/LeakyRelu' has the empty shape [513,0,80,16]"},
      {"strided_slice_input_412_gb.tflite", "412316865024 bytes, more than modelc's limit"},
  };
  for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
    char path[4096];
    size_t n;
    snprintf(path, sizeof path, "%s/data/fuzz/%s", MODELC_TESTS_DIR, found[i].file);
    uint8_t *buf = read_file(path, &n);
    cr_assert(buf && n, "cannot read %s", path);
    Arena a;
    TflModel src;
    Err err = {0};
    const int pick = buf[n - 1];
    arena_init(&a, arena_limit_for(n));
    int rc = tfl_read(buf, n, &a, &src, &err);
    if (!rc) rc = compile_read(&src, n, pick % 4, pick / 4 % 2, pick / 8 % 2 + 1, &err);
    cr_expect(rc != 0, "%s compiled; expected '%s'", found[i].file, found[i].key);
    cr_expect(rc == 0 || strstr(err.msg, found[i].key), "%s: message '%s' lacks '%s'",
              found[i].file, err.msg, found[i].key);
    free(buf);
    arena_free(&a);
  }
}

/* TRANSPOSE_CONV takes its output shape from a tensor and computes its padding from it: the
   strides, the filter and the batch must still make sense before any kernel divides by a stride
   or scatters into an output of another batch. */
static Outcome load_tconv(int stride_h, int stride_w, int in_batch, int padding) {
  static const int32_t oshape[4] = {1, 8, 8, 2};
  static float w[2 * 3 * 3 * 2];
  OmSpec s = {.code = TFL_OP_TRANSPOSE_CONV, .version = 1, .nt = 4, .nin = 3, .nout = 1,
              .in = {0, 1, 2}, .out = {3}};
  s.t[0] = om_cst("output_shape", TFL_INT32, 1, (const int32_t[]){4}, oshape, sizeof oshape);
  s.t[1] = om_cst("w", TFL_FLOAT32, 4, (const int32_t[]){2, 3, 3, 2}, w, sizeof w);
  s.t[2] = om_act("x", TFL_FLOAT32, 4, (const int32_t[]){in_batch, 4, 4, 2}, 0, 0);
  s.t[3] = om_act("y", TFL_FLOAT32, 4, oshape, 0, 0);
  om_options(&s, TFL_OPTS_TransposeConvOptions);
  TflTransposeConvOptions *o = &s.options.TransposeConvOptions;
  o->padding = (int8_t)padding, o->stride_h = stride_h, o->stride_w = stride_w;
  char path[256];
  snprintf(path, sizeof path, "/tmp/modelc-malformed-tconv-%d.tflite", (int)getpid());
  cr_assert_eq(om_write(&s, path), 0, "cannot write %s", path);
  size_t n;
  uint8_t *buf = read_file(path, &n);
  unlink(path);
  cr_assert(buf, "cannot read %s", path);
  Outcome l = try_load(buf, n);
  free(buf);
  return l;
}

Test(malformed, transpose_conv_geometry) {
  cr_assert(load_tconv(2, 2, 1, 0).rc == 0, "the well-formed TRANSPOSE_CONV must load");
  static const struct { int sh, sw, batch, padding; const char *key; } cases[] = {
      {0, 2, 1, 0, "stride 0 x 2 and filter 3 x 3 must be positive"},
      {2, -1, 1, 1, "stride 2 x -1"},
      {2, 2, 3, 0, "output batch 1 differs from the input's 3"},
      {2, 2, 1, 5, "padding 5 is neither SAME nor VALID"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Outcome l = load_tconv(cases[i].sh, cases[i].sw, cases[i].batch, cases[i].padding);
    cr_expect(l.rc != 0, "case %zu loaded; expected '%s'", i, cases[i].key);
    cr_expect(strstr(l.msg, cases[i].key) && strstr(l.msg, "operator 0 (TRANSPOSE_CONV)"),
              "case %zu: message '%s' lacks '%s'", i, l.msg, cases[i].key);
  }
}

/* ---- hostile option values: every scalar option of every operator, set to extremes ---- */

/* Each option kind's extremes; the file's own value is put back after each run. */
static const int64_t int_extremes[] = {0, -1, 2, 1 << 20, INT32_MAX, INT32_MIN};
static const float f32_extremes[] = {NAN, INFINITY, -INFINITY, 0.0f, -1.0f, 1e30f};
enum { N_EXTREMES = 6 };

static void set_I8(int8_t *p, int v) { *p = (int8_t)(v % 2 ? -128 + v : 127 - v); }
static void set_BOOL(bool *p, int v) { *p = v % 2; }
static void set_I32(int32_t *p, int v) { *p = (int32_t)int_extremes[v]; }
static void set_U32(uint32_t *p, int v) { *p = (uint32_t)int_extremes[v]; }
static void set_I64(int64_t *p, int v) { *p = int_extremes[v]; }
static void set_F32(float *p, int v) { *p = f32_extremes[v]; }
static void set_IVEC(TflVec *p, int v) { (void)p, (void)v; }
static void set_FVEC(TflVec *p, int v) { (void)p, (void)v; }
static void set_STR(const char **p, int v) { (void)p, (void)v; }
#define IS_SCALAR_I8 1
#define IS_SCALAR_BOOL 1
#define IS_SCALAR_I32 1
#define IS_SCALAR_U32 1
#define IS_SCALAR_I64 1
#define IS_SCALAR_F32 1
#define IS_SCALAR_IVEC 0
#define IS_SCALAR_FVEC 0
#define IS_SCALAR_STR 0

/* Sets scalar field k of options type `type` to extreme v: 1, or 0 when there is no field k
   (vector and string fields are passed over: 2). */
static int set_option(TflOptions *opts, int type, int k, int v) {
  int i = 0;
  switch (type) {
#define F(name, id, kind, def)                                    \
  if (i++ == k) {                                                 \
    if (!IS_SCALAR_##kind) return 2;                              \
    set_##kind(&o->name, v);                                      \
    return 1;                                                     \
  }
#define OPTS(Name, tag, fields)                                   \
  case TFL_OPTS_##Name: {                                         \
    Tfl##Name *o = &opts->Name;                                   \
    (void)o;                                                      \
    fields return 0;                                              \
  }
#define OPTS0(Name, tag)
#include "schema/tflite_options.def"
#undef F
#undef OPTS
#undef OPTS0
  default: return 0;
  }
}

/* A model read once and changed in place, compiled for the target and rounding `run` picks in
   turn. A rejection is fine; a crash, a sanitizer report or a leak fails the test. */
static void compile_mutant(const TflModel *src, size_t n, int run) {
  Err err = {0};
  (void)compile_read(src, n, run % 5, run / 5 % 2, 2, &err);
}

/* One model: every operator's every scalar option at every extreme. Returns the runs made. */
static int option_extremes(uint8_t *buf, size_t n, TflModel *src, const char *path) {
  int runs = 0;
  for (uint32_t g = 0; g < src->nsubgraphs; g++)
    for (uint32_t i = 0; i < src->subgraphs[g].nops; i++) {
      TflOperator *op = &src->subgraphs[g].ops[i];
      const TflOptions saved = op->options;
      for (int k = 0;; k++) {
        int set = 1;
        for (int v = 0; v < N_EXTREMES && set == 1; v++) {
          op->options = saved;
          set = set_option(&op->options, op->options_type, k, v);
          if (set != 1) break;
          snprintf(current_case, sizeof current_case,
                   "%.160s: subgraph %u operator %u option %d = extreme %d", path, g, i, k, v);
          compile_mutant(src, n, runs++);
        }
        if (set == 0) break;
      }
      op->options = saved;
    }
  return runs;
}

/* One model: every quantized tensor's scales and zero points at the extremes its type allows
   (scales tiny or huge but positive and finite, zero points at the type's ends), which import
   accepts. The scales and zero points are the file's bytes, changed and put back. */
static int quant_extremes(uint8_t *buf, size_t n, TflModel *src, const char *path) {
  static const float scales[] = {1e-30f, 1e-7f, 1e30f};
  int runs = 0;
  for (uint32_t g = 0; g < src->nsubgraphs; g++)
    for (uint32_t t = 0; t < src->subgraphs[g].ntensors; t++) {
      const TflTensor *tt = &src->subgraphs[g].tensors[t];
      const TflQuant *q = &tt->quant;
      if (!tt->has_quant || q->scale.n == 0 || q->zero_point.n != q->scale.n) continue;
      uint8_t *sp = buf + (q->scale.p - buf), *zp = buf + (q->zero_point.p - buf);
      uint8_t saved_s[4], saved_z[8];
      memcpy(saved_s, sp, 4), memcpy(saved_z, zp, 8);
      int32_t lo, hi;
      quant_type_range(tt->type, &lo, &hi);
      for (int v = 0; v < 5; v++) {
        snprintf(current_case, sizeof current_case, "%.160s: subgraph %u tensor %u extreme %d",
                 path, g, t, v);
        if (v < 3) {
          memcpy(sp, &scales[v], 4);
        } else {
          int64_t z = tt->type == TFL_INT8 || tt->type == TFL_UINT8 ? (v == 3 ? lo : hi) : 0;
          memcpy(zp, &z, 8);
        }
        compile_mutant(src, n, runs++);
        memcpy(sp, saved_s, 4), memcpy(zp, saved_z, 8);
      }
    }
  return runs;
}

/* One model: every dimension of every tensor's shape set to 0, then to 2^16 (the file's bytes,
   put back after each run): shape inference must reject what no longer fits, and nothing may
   size a buffer from a dimension it has not checked. */
static int shape_extremes(uint8_t *buf, size_t n, TflModel *src, const char *path) {
  static const int32_t dims[] = {0, 1 << 16};
  int runs = 0;
  for (uint32_t g = 0; g < src->nsubgraphs; g++)
    for (uint32_t t = 0; t < src->subgraphs[g].ntensors; t++) {
      const TflVec sh = src->subgraphs[g].tensors[t].shape;
      for (uint32_t d = 0; d < sh.n; d++) {
        uint8_t *p = buf + (sh.p - buf) + 4 * (size_t)d, saved[4];
        memcpy(saved, p, 4);
        for (int v = 0; v < 2; v++) {
          snprintf(current_case, sizeof current_case, "%.160s: subgraph %u tensor %u dim %u = %d",
                   path, g, t, d, dims[v]);
          memcpy(p, &dims[v], 4);
          compile_mutant(src, n, runs++);
        }
        memcpy(p, saved, 4);
      }
    }
  return runs;
}

static const char *const extreme_models[] = {
      "models/mlperf_tiny/kws_ref_model.tflite", "models/mlperf_tiny/ad01_int8.tflite",
      "models/mlperf_tiny/pretrainedResnet_quant.tflite", "models/tflm/hello_world_int8.tflite",
      "models/tflm/micro_speech_quantized.tflite", "models/tflm/keyword_scrambled_8bit.tflite",
      "models/tflm/trained_lstm_int8.tflite", "models/tflm/trained_lstm.tflite",
      "testdata/seanet/add/add0.tflite", "testdata/seanet/conv/conv0.tflite",
      "testdata/seanet/leaky_relu/leaky_relu0.tflite", "testdata/seanet/pad/pad0.tflite",
      "testdata/seanet/quantize/quantize0.tflite",
      "testdata/seanet/strided_slice/strided_slice0.tflite", "testdata/seanet/sub/sub0.tflite",
      "testdata/seanet/transpose_conv/transpose_conv0.tflite"};

/* Reads each model once and hands the file's bytes (which `each` may change and put back) and
   the reader's view of them to `each`; returns the runs it made. */
static int over_extreme_models(int (*each)(uint8_t *buf, size_t n, TflModel *src,
                                           const char *path)) {
  const char *dir = shared_dir();
  if (!dir) cr_skip_test("shared models not found");
  int runs = 0;
  for (size_t i = 0; i < sizeof extreme_models / sizeof extreme_models[0]; i++) {
    char path[4096];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", dir, extreme_models[i]);
    uint8_t *buf = read_file(path, &n);
    cr_assert(buf, "cannot read %s", path);
    Arena a;
    TflModel src;
    Err err = {0};
    arena_init(&a, arena_limit_for(n));
    cr_assert(tfl_read(buf, n, &a, &src, &err) == 0, "%s: %s", path, err.msg);
    runs += each(buf, n, &src, path);
    arena_free(&a);
    free(buf);
  }
  return runs;
}

Test(malformed, option_extremes, .timeout = 600) {
  int runs = over_extreme_models(option_extremes);
  cr_log_info("%d compilations with an option at an extreme", runs);
  cr_assert(runs > 500, "only %d runs: the option table was not walked", runs);
}

Test(malformed, quantization_extremes, .timeout = 600) {
  int runs = over_extreme_models(quant_extremes);
  cr_log_info("%d compilations with a scale or zero point at an extreme", runs);
  cr_assert(runs > 500, "only %d runs: the tensors were not walked", runs);
}

Test(malformed, schema_version) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(m, n, HELLO);
  uint32_t f = field_at(m, model_table(m), MODEL_VERSION);
  put32(m, f, 4);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, model_table(m)), "schema version 4 is not 3");
  free(m);
}

/* ---- offsets ---- */

/* The subgraphs uoffset set to values that land past the end, including one that would wrap to
   just before the field if the addition were done in 32 bits. */
Test(malformed, offsets_outside_the_buffer) {
  size_t n;
  char off[32], msg[64];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint32_t slot = field_at(orig, model_table(orig), MODEL_SUBGRAPHS);
  const uint32_t bad[] = {(uint32_t)n - slot, 0x7ffffff0u, 0xfffffffcu, 0xffffffffu - slot};
  for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
    uint8_t *m = exact_copy(orig, n);
    put32(m, slot, bad[i]);
    snprintf(msg, sizeof msg, "points outside the %zu-byte buffer", n);
    EXPECT_ERROR(m, n, at_offset(off, sizeof off, slot), "subgraphs", msg);
    free(m);
  }
  free(orig);
}

/* A uoffset of 0 points at itself: uoffsets are unsigned and only go forward, so this is the one
   self-loop the layout allows. Followed, it reads the offset word as whatever it should find. */
Test(malformed, self_referencing_offsets) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  /* Root offset 0: the root "table" is at 0, its soffset 0 makes it its own vtable, of size 0. */
  put32(m, 0, 0);
  EXPECT_ERROR(m, n, "offset 0x0:", "vtable size 0 is invalid");
  /* Subgraphs vector at its own slot: its length word is the offset, 0, so no subgraphs (the
     model's signature, read before the final check, is the first to notice). */
  memcpy(m, orig, n);
  put32(m, field_at(m, model_table(m), MODEL_SUBGRAPHS), 0);
  EXPECT_ERROR(m, n, "out of range (0 subgraphs)");
  /* Tensor 2's entry in the tensors vector pointing at itself: a table that is its own vtable. */
  memcpy(m, orig, n);
  uint32_t entry = tensors_vec(m) + 4 + 2 * 4;
  put32(m, entry, 0);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, entry), "tensor 2", "vtable size 0 is invalid");
  /* Tensor 0's name at its own slot: a string of length 0, read or refused but never looped. */
  memcpy(m, orig, n);
  put32(m, field_at(m, tensor_table(m, 0), TENSOR_NAME), 0);
  loads_or_rejects(m, n);
  free(m);
  free(orig);
}

/* Offsets that land inside the buffer on a boundary their target may not have. */
Test(malformed, misaligned_offsets) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  uint32_t slot = field_at(m, model_table(m), MODEL_SUBGRAPHS);
  put32(m, slot, get32(m, slot) + 2);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, slot), "not 4-byte aligned");
  /* A table entry moved by one byte. */
  memcpy(m, orig, n);
  uint32_t entry = tensors_vec(m) + 4;
  put32(m, entry, get32(m, entry) + 1);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, entry), "tensor 0", "not 4-byte aligned");
  /* A field whose vtable entry puts it at an odd offset in its table. */
  memcpy(m, orig, n);
  uint32_t t = model_table(m), vt = vtable_of(m, t);
  m[vt + 4 + 2 * MODEL_VERSION] += 1;
  EXPECT_ERROR(m, n, "field 0 is not 4-byte aligned");
  free(m);
  free(orig);
}

/* int64 zero points must sit on an 8-byte boundary even when the length word is aligned. */
Test(malformed, misaligned_int64_vector) {
  Fbb b = {0};
  build_add(&b, &(AddSpec){.misalign_zero_point = true});
  EXPECT_ERROR(b.p, b.n, "tensor 0 'a'", "quantization", "8-byte elements is misaligned");
  free(b.p);
  b = (Fbb){0};
  build_add(&b, &(AddSpec){0});
  cr_assert(try_read(b.p, b.n).rc == 0, "the well-aligned variant must load");
  free(b.p);
}

/* ---- vtables ---- */

Test(malformed, vtable_at_the_table_itself) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  uint32_t t = tensor_table(m, 0);
  /* soffset 0: the vtable is the table; its size is the soffset's low half, 0. */
  put32(m, t, 0);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, t), "tensor 0", "vtable size 0 is invalid");
  /* soffset -4: the vtable overlaps the table's own fields. Whatever they decode to, the result
     must be checked like any other vtable. */
  memcpy(m, orig, n);
  put32(m, t, (uint32_t)-4);
  loads_or_rejects(m, n);
  /* A vtable before the start of the file. */
  memcpy(m, orig, n);
  put32(m, t, t + 8);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, t), "tensor 0", "outside the buffer");
  free(m);
  free(orig);
}

Test(malformed, vtable_larger_than_the_buffer) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  uint32_t vt = vtable_of(m, model_table(m));
  m[vt] = 0xfe, m[vt + 1] = 0xff;
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, vt), "vtable size 65534", "runs past the buffer");
  /* An odd vtable size. */
  memcpy(m, orig, n);
  m[vt] |= 1;
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, vt), "is invalid");
  /* The table's inline size running past the end. */
  memcpy(m, orig, n);
  m[vt + 2] = 0xfc, m[vt + 3] = 0xff;
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, model_table(m)), "table size 65532 runs past");
  /* A field offset past the table's inline size. */
  memcpy(m, orig, n);
  uint16_t tsize = get16(m, vt + 2);
  memcpy(m + vt + 4 + 2 * MODEL_SUBGRAPHS, &tsize, 2);
  EXPECT_ERROR(m, n, "field 2", "runs past the", "-byte table");
  free(m);
  free(orig);
}

/* ---- vectors and strings ---- */

/* Lengths whose byte size overflows 32 bits (0x40000001 * 4 wraps to 4) or is just absurd. */
Test(malformed, absurd_vector_lengths) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  const uint32_t bad[] = {0xffffffffu, 0x40000001u, 0x80000000u, (uint32_t)n};
  for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
    char count[32];
    snprintf(count, sizeof count, "vector of %u elements", bad[i]);
    memcpy(m, orig, n);
    uint32_t v = tensors_vec(m);
    put32(m, v, bad[i]);
    EXPECT_ERROR(m, n, at_offset(off, sizeof off, v), "subgraph 0", count, "runs past");
    memcpy(m, orig, n);
    v = vec_of(m, tensor_table(m, 4), TENSOR_SHAPE);
    put32(m, v, bad[i]);
    EXPECT_ERROR(m, n, at_offset(off, sizeof off, v), "tensor 4", count, "runs past");
  }
  /* A byte vector: buffer 5 holds tensor 4's weights. */
  memcpy(m, orig, n);
  uint32_t v = vec_of(m, vec_table(m, vec_of(m, model_table(m), MODEL_BUFFERS), 5), 0);
  put32(m, v, 0xffffffffu);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, v), "buffer 5", "4294967295 elements of 1 bytes");
  /* A string. */
  memcpy(m, orig, n);
  v = vec_of(m, tensor_table(m, 1), TENSOR_NAME);
  put32(m, v, 0xffffffffu);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, v), "tensor 1", "string of 4294967295");
  free(m);
  free(orig);
}

Test(malformed, string_without_nul) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  uint32_t s = vec_of(m, tensor_table(m, 3), TENSOR_NAME), len = get32(m, s);
  m[s + 4 + len] = 'X';
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, s), "tensor 3:", "is not NUL-terminated");
  /* A NUL inside the string would cut names short silently. */
  memcpy(m, orig, n);
  m[s + 4 + len / 2] = 0;
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, s), "tensor 3:", "contains a NUL byte");
  free(m);
  free(orig);
}

/* A string whose terminating NUL would be the first byte past the end of the file. */
Test(malformed, string_at_end_of_file) {
  Fbb b = {0};
  uint32_t at[FBB_MAX_FIELDS];
  uint32_t root = fbb_header(&b);
  fbb_link(&b, root, fbb_table(&b, FIELDS({MODEL_VERSION, 4}, {3, 4}), at));
  fbb_set32(&b, at[MODEL_VERSION], 3);
  fbb_str(&b, at[3], "description");
  EXPECT_ERROR(b.p, b.n - 1, "not NUL-terminated");
  free(b.p);
}

/* ---- indices between tables ---- */

/* The message names the tensor by index and name, the buffer count and the tensor's offset. */
Test(malformed, tensor_buffer_out_of_range) {
  size_t n;
  char off[32], want[512];
  SHARED_OR_SKIP(m, n, HELLO);
  uint32_t t = tensor_table(m, 3);
  put32(m, field_at(m, t, TENSOR_BUFFER), 99);
  snprintf(want, sizeof want, "offset 0x%x: subgraph 0: tensor 3 '%s': buffer 99 out of range (%u buffers)",
           t, tensor_name(m, 3), nbuffers(m));
  Outcome r = try_read(m, n);
  cr_assert_str_eq(r.msg, want);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, t), "tensor 3 'sequential/dense_1/BiasAdd/ReadVariableOp'",
               "buffer 99 out of range (13 buffers)");
  free(m);
}

Test(malformed, tensor_type_and_dimension) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  uint32_t t = tensor_table(m, 0);
  m[field_at(m, t, TENSOR_TYPE)] = 99;
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, t), "tensor 0 'serving_default_dense_input:0'",
               "type 99 is not a TFLite TensorType");
  memcpy(m, orig, n);
  put32(m, vec_of(m, t, TENSOR_SHAPE) + 4, (uint32_t)-2);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, t), "tensor 0", "dimension 0 is -2");
  free(m);
  free(orig);
}

/* micro_speech's operator 0 stores its opcode_index (hello_world's operators all use the default
   0, so the field is not in the file). */
Test(malformed, opcode_index_out_of_range) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(m, n, SPEECH);
  uint32_t op = operator_table(m, 0), f = field_at(m, op, OP_OPCODE_INDEX);
  cr_assert(f, "operator 0 of " SPEECH " should store its opcode_index");
  put32(m, f, 77);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, op), "subgraph 0: operator 0:",
               "opcode_index 77 out of range (4 operator codes)");
  put32(m, f, 0xffffffffu);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, op), "opcode_index 4294967295 out of range");
  free(m);
}

/* An operator whose table cannot be read has no known kind: the message must not borrow one
   (operator 0 of micro_speech uses operator code 1, not the default 0). */
Test(malformed, unreadable_operator_named_without_kind) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(m, n, SPEECH);
  uint32_t op = operator_table(m, 0);
  put32(m, op, 0x7ffffff0u);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, op), "subgraph 0: operator 0: table's vtable");
  free(m);
}

/* The message points at the offending element and names the operator and its kind. */
Test(malformed, operator_indices_out_of_range) {
  size_t n;
  char off[32];
  SHARED_OR_SKIP(orig, n, HELLO);
  uint8_t *m = exact_copy(orig, n);
  uint32_t ins = vec_of(m, operator_table(m, 0), OP_INPUTS);
  const int32_t bad[] = {10, -2, INT32_MIN, INT32_MAX};
  for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
    char want[64];
    memcpy(m, orig, n);
    put32(m, ins + 8, (uint32_t)bad[i]);
    snprintf(want, sizeof want, "input 1 is %d: out of range (10 tensors)", bad[i]);
    EXPECT_ERROR(m, n, at_offset(off, sizeof off, ins + 8), "operator 0 (FULLY_CONNECTED)", want);
  }
  /* -1 marks an omitted optional input; outputs have no such marker. */
  memcpy(m, orig, n);
  uint32_t outs = vec_of(m, operator_table(m, 1), OP_OUTPUTS);
  put32(m, outs + 4, (uint32_t)-1);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, outs + 4), "operator 1 (FULLY_CONNECTED)",
               "output 0 is -1: out of range");
  /* The subgraph's own inputs. */
  memcpy(m, orig, n);
  uint32_t sgin = vec_of(m, subgraph0(m), SG_INPUTS);
  put32(m, sgin + 4, 1000);
  EXPECT_ERROR(m, n, at_offset(off, sizeof off, sgin + 4), "input 0 is 1000: out of range");
  free(m);
  free(orig);
}

/* An omitted (-1) required input passes the reader; the pipeline must refuse it, not index
   tensor -1. */
Test(malformed, required_input_omitted) {
  size_t n;
  SHARED_OR_SKIP(m, n, HELLO);
  uint32_t ins = vec_of(m, operator_table(m, 0), OP_INPUTS);
  put32(m, ins + 4, (uint32_t)-1);
  cr_assert(try_read(m, n).rc == 0, "-1 is a legal input index for the reader");
  Outcome l = try_load(m, n);
  cr_assert(l.rc != 0, "ir_load accepted FULLY_CONNECTED without its input");
  cr_assert(strstr(l.msg, "operator 0"), "\"%s\" should name operator 0", l.msg);
  free(m);
}

/* Dimensions of 2^31-1: element and byte counts overflow 64 bits. The reader takes them (they are
   valid int32 dimensions); the pipeline must refuse them without signed overflow. */
Test(malformed, huge_shape) {
  size_t n;
  SHARED_OR_SKIP(orig, n, "tflm/simple_add_model.tflite");
  uint8_t *m = exact_copy(orig, n);
  for (uint32_t t = 0; t < 3; t++) {
    uint32_t v = vec_of(m, tensor_table(m, t), TENSOR_SHAPE);
    for (uint32_t d = 0; d < get32(m, v); d++) put32(m, v + 4 + 4 * d, INT32_MAX);
  }
  cr_assert(try_read(m, n).rc == 0, "the reader takes any int32 dimension >= -1");
  Outcome l = try_load(m, n);
  cr_assert(l.rc != 0, "ir_load accepted a [2^31-1]^4 tensor");
  cr_assert(strstr(l.msg, "tensor"), "\"%s\" should name the tensor", l.msg);
  /* The same in hello_world's constant weights: rank 2, so elements fit but bytes do not. */
  free(m);
  free(orig);
  SHARED_OR_SKIP(h, n, HELLO);
  uint32_t v = vec_of(h, tensor_table(h, 4), TENSOR_SHAPE);
  put32(h, v + 4, INT32_MAX);
  put32(h, v + 8, INT32_MAX);
  l = try_load(h, n);
  cr_assert(l.rc != 0, "ir_load accepted a [2^31-1, 2^31-1] constant with 256 bytes of data");
  cr_assert(strstr(l.msg, "tensor 4"), "\"%s\" should name tensor 4", l.msg);
  free(h);
}

/* ---- data stored after the FlatBuffer (offset/size fields) ---- */

/* Offsets and sizes past the file, and pairs whose sum wraps 64 bits. */
Test(malformed, external_data_outside_the_file) {
  const struct { uint64_t off, size; } bad[] = {
      {4096, 0}, {16, 4096}, {16, UINT64_MAX - 8}, {UINT64_MAX, 1}, {UINT64_MAX, UINT64_MAX}};
  for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
    Fbb b = {0};
    build_add(&b, &(AddSpec){.buffer_offset = bad[i].off, .buffer_size = bad[i].size});
    EXPECT_ERROR(b.p, b.n, "buffer 0", "external data", "lies outside the");
    free(b.p);
    b = (Fbb){0};
    build_add(&b, &(AddSpec){.lco_offset = bad[i].off, .lco_size = bad[i].size});
    EXPECT_ERROR(b.p, b.n, "operator 0", "large custom options", "lie outside the file");
    free(b.p);
  }
}

/* ---- many references to one table ----
   A FlatBuffer may point any number of slots at one object, so a small file can describe a huge
   model: n tensor entries sharing one tensor table with a long shape and quantization. Work and
   memory must stay proportional to the file, or be cut off by the arena limit, not grow as
   entries x vector length. */

typedef struct SharedSpec {
  uint32_t ntensors;  /* entries in the tensors vector, all pointing at one table */
  uint32_t rank;      /* length of its shape */
  uint32_t nquant;    /* length of its scale and zero-point vectors */
  uint32_t name_len;  /* length of its name */
  bool must_load;     /* small enough that refusing it would refuse honest models too */
} SharedSpec;

static void build_shared(Fbb *b, const SharedSpec *s) {
  uint32_t at[FBB_MAX_FIELDS], t[FBB_MAX_FIELDS], q[FBB_MAX_FIELDS];
  ModelSlots ms = fbb_model(b);
  uint32_t e = fbb_vec(b, ms.buffers, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, 0, NULL, at));
  fbb_vec(b, ms.opcodes, 0, 4, NULL);
  e = fbb_vec(b, ms.subgraphs, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({SG_TENSORS, 4}), at));
  uint32_t first = fbb_vec(b, at[SG_TENSORS], s->ntensors, 4, NULL);
  uint32_t shared = fbb_table(b, FIELDS({TENSOR_SHAPE, 4}, {TENSOR_NAME, 4}, {TENSOR_QUANT, 4}), t);
  for (uint32_t i = 0; i < s->ntensors; i++) fbb_link(b, first + 4 * i, shared);
  /* A rank-1 shape holds one dimension per quantization channel; longer shapes are all 1s. */
  fbb_vec_fill(b, t[TENSOR_SHAPE], s->rank, s->rank == 1 ? (int32_t)s->nquant : 1);
  char *name = malloc(s->name_len + 1);
  cr_assert(name, "out of memory");
  memset(name, 'n', s->name_len);
  name[s->name_len] = 0;
  fbb_str(b, t[TENSOR_NAME], name);
  free(name);
  fbb_link(b, t[TENSOR_QUANT], fbb_table(b, FIELDS({QUANT_SCALE, 4}, {QUANT_ZERO_POINT, 4}), q));
  fbb_vec_fill(b, q[QUANT_SCALE], s->nquant, 0x3f800000);  /* 1.0f */
  fbb_vec(b, q[QUANT_ZERO_POINT], s->nquant, 8, NULL);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* A linear loader takes milliseconds here; one that rescans each shared vector per reference
   takes ntensors x length steps, 10^10 for the long-shape case. */
enum { SHARED_SECONDS_MAX = 5 };

static void check_shared(const SharedSpec *s) {
  Fbb b = {0};
  build_shared(&b, s);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  Outcome r = try_read(b.p, b.n);
  double read_s = seconds_since(&t0);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  Outcome l = try_load(b.p, b.n);
  double load_s = seconds_since(&t0);
  cr_log_info("%u tensors sharing rank %u, %u channels, %u-byte name: %u-byte file; tfl_read %s "
              "in %.3f s (arena %zu); ir_load %s in %.3f s (arena %zu) %s",
              s->ntensors, s->rank, s->nquant, s->name_len, b.n, r.rc ? "failed" : "loaded",
              read_s, r.used, l.rc ? "failed" : "loaded", load_s, l.used, l.msg);
  cr_assert(r.rc == 0 || !s->must_load, "the reader must load this file: %s", r.msg);
  cr_assert(r.used <= arena_limit_for(b.n) && l.used <= arena_limit_for(b.n), "arena past bound");
  cr_assert(read_s < SHARED_SECONDS_MAX, "tfl_read took %.1f s", read_s);
  cr_assert(load_s < SHARED_SECONDS_MAX, "ir_load took %.1f s", load_s);
  free(b.p);
}

/* The timeouts cut a quadratic loader short (10^10 steps and more) so the suite stays fast. */
Test(malformed, shared_tensor_small, .timeout = 20) {
  check_shared(&(SharedSpec){.ntensors = 100000, .rank = 4, .nquant = 4, .name_len = 6,
                              .must_load = true});
}
Test(malformed, shared_tensor_long_shape, .timeout = 20) {
  check_shared(&(SharedSpec){.ntensors = 100000, .rank = 100000, .nquant = 1, .name_len = 6});
}
Test(malformed, shared_tensor_per_channel_quant, .timeout = 20) {
  check_shared(&(SharedSpec){.ntensors = 100000, .rank = 1, .nquant = 100000, .name_len = 6});
}
Test(malformed, shared_tensor_long_name, .timeout = 20) {
  check_shared(&(SharedSpec){.ntensors = 100000, .rank = 4, .nquant = 4, .name_len = 2 << 20});
}

/* n operators sharing one operator table whose inputs vector is long; each consumes and produces
   tensor 0, which the pipeline must refuse or take without n x length work. */
static void build_shared_ops(Fbb *b, uint32_t nops, uint32_t ninputs) {
  uint32_t at[FBB_MAX_FIELDS], sg[FBB_MAX_FIELDS], op[FBB_MAX_FIELDS];
  ModelSlots ms = fbb_model(b);
  uint32_t e = fbb_vec(b, ms.buffers, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, 0, NULL, at));
  e = fbb_vec(b, ms.opcodes, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({2, 4}), at));
  fbb_set32(b, at[2], 1);  /* ADD, version 1 */
  e = fbb_vec(b, ms.subgraphs, 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({SG_TENSORS, 4}, {SG_OPERATORS, 4}), sg));
  e = fbb_vec(b, sg[SG_TENSORS], 1, 4, NULL);
  fbb_link(b, e, fbb_table(b, FIELDS({TENSOR_SHAPE, 4}), at));
  fbb_vec_fill(b, at[TENSOR_SHAPE], 1, 4);
  uint32_t first = fbb_vec(b, sg[SG_OPERATORS], nops, 4, NULL);
  uint32_t shared = fbb_table(b, FIELDS({OP_INPUTS, 4}, {OP_OUTPUTS, 4}), op);
  for (uint32_t i = 0; i < nops; i++) fbb_link(b, first + 4 * i, shared);
  fbb_vec_fill(b, op[OP_INPUTS], ninputs, 0);
  fbb_vec_fill(b, op[OP_OUTPUTS], 1, 0);
}

static void check_shared_ops(uint32_t nops, uint32_t ninputs, bool must_read) {
  Fbb b = {0};
  build_shared_ops(&b, nops, ninputs);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  Outcome r = try_read(b.p, b.n), l = try_load(b.p, b.n);
  double s = seconds_since(&t0);
  cr_log_info("%u operators sharing %u inputs: %u-byte file; tfl_read %s, ir_load %s, %.3f s: %s",
              nops, ninputs, b.n, r.rc ? "failed" : "loaded", l.rc ? "failed" : "loaded", s,
              l.msg);
  cr_assert(r.rc == 0 || !must_read, "the reader must load this file: %s", r.msg);
  cr_assert(s < SHARED_SECONDS_MAX, "loading took %.1f s", s);
  free(b.p);
}

Test(malformed, shared_operator_few_inputs, .timeout = 20) { check_shared_ops(100000, 2, true); }
Test(malformed, shared_operator_long_inputs, .timeout = 20) {
  check_shared_ops(100000, 100000, false);
}

Test(malformed, shape_extremes, .timeout = 600) {
  int runs = over_extreme_models(shape_extremes);
  cr_log_info("%d compilations with a dimension at an extreme", runs);
  cr_assert(runs > 500, "only %d runs: the shapes were not walked", runs);
}
