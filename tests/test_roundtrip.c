/* The writer (schema/tflite_write.c, schema/fbb.c) against the reader: every shared model read,
   written and read again must give the same TflModel, and writing is deterministic; models built
   here in C must survive the same trip; what the reader did not decode must be refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/fb.h"
#include "schema/fbb.h"
#include "schema/tflite.h"
#include "util.h"

enum { WHY_MAX = 1024, AT_MAX = 256 };
static const size_t READ_LIMIT = (size_t)1 << 30;

/* ---- deep comparison: at the first difference, `why` says where and the helper returns false.
   File offsets (off, file_size) are left out: they describe a file, not the model. ---- */

#define SAME(cond, ...)                            \
  do {                                             \
    if (!(cond)) {                                 \
      snprintf(why, WHY_MAX, __VA_ARGS__);         \
      return false;                                \
    }                                              \
  } while (0)

static bool vec_eq(TflVec a, TflVec b, unsigned elem) {
  return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, (size_t)a.n * elem) == 0);
}

static bool str_eq(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

#define EQ_I8(x, y) ((x) == (y))
#define EQ_BOOL(x, y) ((x) == (y))
#define EQ_I32(x, y) ((x) == (y))
#define EQ_U32(x, y) ((x) == (y))
#define EQ_I64(x, y) ((x) == (y))
#define EQ_F32(x, y) (memcmp(&(x), &(y), sizeof(float)) == 0)  /* by bits: -0.0 is not 0.0 */
#define EQ_IVEC(x, y) vec_eq(x, y, 4)
#define EQ_FVEC(x, y) vec_eq(x, y, 4)
#define EQ_STR(x, y) str_eq(x, y)

static bool options_eq(const TflOperator *a, const TflOperator *b, const char *at, char *why) {
  switch (a->options_type) {
#define F(name, id, kind, def)                                                        \
  SAME(EQ_##kind(x->name, y->name), "%s: %s.%s differs", at,                        \
       tfl_options_name(a->options_type), #name);
#define OPTS(Name, tag, fields) \
  case tag: { const Tfl##Name *x = &a->options.Name, *y = &b->options.Name; fields } break;
#define OPTS0(Name, tag) case tag: break;
#include "schema/tflite_options.def"
#undef OPTS
#undef OPTS0
#undef F
  }
  return true;
}

static bool quant_eq(const TflQuant *a, const TflQuant *b, const char *at, char *why) {
  SAME(vec_eq(a->min, b->min, 4), "%s: quantization min differs", at);
  SAME(vec_eq(a->max, b->max, 4), "%s: quantization max differs", at);
  SAME(vec_eq(a->scale, b->scale, 4), "%s: quantization scale differs", at);
  SAME(vec_eq(a->zero_point, b->zero_point, 8), "%s: quantization zero_point differs", at);
  SAME(a->quantized_dimension == b->quantized_dimension, "%s: quantized_dimension differs", at);
  SAME(a->details_type == b->details_type, "%s: quantization details_type differs", at);
  SAME(vec_eq(a->custom, b->custom, 1), "%s: custom quantization differs", at);
  return true;
}

static unsigned index_elem(uint8_t type) { return type == 1 ? 4 : type == 2 ? 2 : 1; }

static bool sparsity_eq(const TflSparsity *a, const TflSparsity *b, const char *at, char *why) {
  SAME(!a == !b, "%s: sparsity present in one model only", at);
  if (!a) return true;
  SAME(vec_eq(a->traversal_order, b->traversal_order, 4), "%s: traversal_order differs", at);
  SAME(vec_eq(a->block_map, b->block_map, 4), "%s: block_map differs", at);
  SAME(a->ndim == b->ndim, "%s: dim_metadata count differs", at);
  for (uint32_t i = 0; i < a->ndim; i++) {
    const TflDimMeta *x = &a->dim[i], *y = &b->dim[i];
    SAME(x->format == y->format && x->dense_size == y->dense_size, "%s: dim %u differs", at, i);
    SAME(x->segments_type == y->segments_type && x->indices_type == y->indices_type,
         "%s: dim %u index types differ", at, i);
    SAME(vec_eq(x->segments, y->segments, index_elem(x->segments_type)),
         "%s: dim %u segments differ", at, i);
    SAME(vec_eq(x->indices, y->indices, index_elem(x->indices_type)),
         "%s: dim %u indices differ", at, i);
  }
  return true;
}

static bool tensor_eq(const TflTensor *a, const TflTensor *b, const char *at, char *why) {
  SAME(str_eq(a->name, b->name), "%s: name differs", at);
  SAME(vec_eq(a->shape, b->shape, 4), "%s: shape differs", at);
  SAME(a->has_shape_signature == b->has_shape_signature, "%s: has_shape_signature differs", at);
  SAME(vec_eq(a->shape_signature, b->shape_signature, 4), "%s: shape_signature differs", at);
  SAME(a->type == b->type, "%s: type differs", at);
  SAME(a->buffer == b->buffer, "%s: buffer differs", at);
  SAME(a->has_quant == b->has_quant, "%s: has_quant differs", at);
  SAME(a->is_variable == b->is_variable, "%s: is_variable differs", at);
  SAME(a->has_rank == b->has_rank, "%s: has_rank differs", at);
  SAME(a->nvariant == b->nvariant, "%s: nvariant differs", at);
  return quant_eq(&a->quant, &b->quant, at, why) &&
         sparsity_eq(a->sparsity, b->sparsity, at, why);
}

static bool operator_eq(const TflOperator *a, const TflOperator *b, const char *at, char *why) {
  SAME(a->opcode_index == b->opcode_index, "%s: opcode_index differs", at);
  SAME(vec_eq(a->inputs, b->inputs, 4), "%s: inputs differ", at);
  SAME(vec_eq(a->outputs, b->outputs, 4), "%s: outputs differ", at);
  SAME(vec_eq(a->intermediates, b->intermediates, 4), "%s: intermediates differ", at);
  SAME(vec_eq(a->mutating_variable_inputs, b->mutating_variable_inputs, 1),
       "%s: mutating_variable_inputs differ", at);
  SAME(a->options_type == b->options_type, "%s: options_type differs", at);
  SAME(a->options_decoded == b->options_decoded, "%s: options_decoded differs", at);
  SAME(vec_eq(a->custom_options, b->custom_options, 1), "%s: custom_options differ", at);
  SAME(a->custom_options_format == b->custom_options_format, "%s: custom_options_format differs",
       at);
  SAME(a->large_custom_options_offset == b->large_custom_options_offset &&
           a->large_custom_options_size == b->large_custom_options_size,
       "%s: large custom options differ", at);
  SAME(a->options2_type == b->options2_type, "%s: options2_type differs", at);
  return options_eq(a, b, at, why);
}

static bool subgraph_eq(const TflSubgraph *a, const TflSubgraph *b, unsigned s, char *why) {
  char at[AT_MAX];
  SAME(str_eq(a->name, b->name), "subgraph %u: name differs", s);
  SAME(vec_eq(a->inputs, b->inputs, 4), "subgraph %u: inputs differ", s);
  SAME(vec_eq(a->outputs, b->outputs, 4), "subgraph %u: outputs differ", s);
  SAME(a->ntensors == b->ntensors, "subgraph %u: %u vs %u tensors", s, a->ntensors, b->ntensors);
  SAME(a->nops == b->nops, "subgraph %u: %u vs %u operators", s, a->nops, b->nops);
  for (uint32_t i = 0; i < a->ntensors; i++) {
    snprintf(at, sizeof at, "subgraph %u tensor %u '%s'", s, i, a->tensors[i].name);
    if (!tensor_eq(&a->tensors[i], &b->tensors[i], at, why)) return false;
  }
  for (uint32_t i = 0; i < a->nops; i++) {
    snprintf(at, sizeof at, "subgraph %u operator %u", s, i);
    if (!operator_eq(&a->ops[i], &b->ops[i], at, why)) return false;
  }
  return true;
}

static bool opcode_eq(const TflOpcode *a, const TflOpcode *b, unsigned i, char *why) {
  SAME(a->deprecated_builtin_code == b->deprecated_builtin_code &&
           a->builtin_code == b->builtin_code && a->code == b->code,
       "operator code %u: builtin codes differ", i);
  SAME(a->version == b->version, "operator code %u: version differs", i);
  SAME(str_eq(a->custom_code, b->custom_code), "operator code %u: custom_code differs", i);
  return true;
}

static bool buffer_eq(const TflBuffer *a, const TflBuffer *b, unsigned i, char *why) {
  SAME(a->external == b->external, "buffer %u: external differs", i);
  SAME(a->size == b->size, "buffer %u: %llu vs %llu bytes", i, (unsigned long long)a->size,
       (unsigned long long)b->size);
  SAME(a->size == 0 || memcmp(a->data, b->data, (size_t)a->size) == 0, "buffer %u: data differs",
       i);
  return true;
}

static bool signature_eq(const TflSignature *a, const TflSignature *b, unsigned i, char *why) {
  SAME(str_eq(a->key, b->key) && a->subgraph_index == b->subgraph_index,
       "signature %u: key or subgraph differs", i);
  SAME(a->ninputs == b->ninputs && a->noutputs == b->noutputs, "signature %u: counts differ", i);
  for (uint32_t j = 0; j < a->ninputs; j++)
    SAME(str_eq(a->inputs[j].name, b->inputs[j].name) &&
             a->inputs[j].tensor_index == b->inputs[j].tensor_index,
         "signature %u: input %u differs", i, j);
  for (uint32_t j = 0; j < a->noutputs; j++)
    SAME(str_eq(a->outputs[j].name, b->outputs[j].name) &&
             a->outputs[j].tensor_index == b->outputs[j].tensor_index,
         "signature %u: output %u differs", i, j);
  return true;
}

static bool model_eq(const TflModel *a, const TflModel *b, char *why) {
  SAME(a->version == b->version, "version differs");
  SAME(str_eq(a->description, b->description), "description differs");
  SAME(a->nopcodes == b->nopcodes && a->nsubgraphs == b->nsubgraphs && a->nbuffers == b->nbuffers &&
           a->nmetadata == b->nmetadata && a->nsignatures == b->nsignatures,
       "table counts differ");
  SAME(vec_eq(a->metadata_buffer, b->metadata_buffer, 4), "metadata_buffer differs");
  for (uint32_t i = 0; i < a->nopcodes; i++)
    if (!opcode_eq(&a->opcodes[i], &b->opcodes[i], i, why)) return false;
  for (uint32_t i = 0; i < a->nbuffers; i++)
    if (!buffer_eq(&a->buffers[i], &b->buffers[i], i, why)) return false;
  for (uint32_t i = 0; i < a->nsubgraphs; i++)
    if (!subgraph_eq(&a->subgraphs[i], &b->subgraphs[i], i, why)) return false;
  for (uint32_t i = 0; i < a->nmetadata; i++)
    SAME(str_eq(a->metadata[i].name, b->metadata[i].name) &&
             a->metadata[i].buffer == b->metadata[i].buffer,
         "metadata %u differs", i);
  for (uint32_t i = 0; i < a->nsignatures; i++)
    if (!signature_eq(&a->signatures[i], &b->signatures[i], i, why)) return false;
  return true;
}

/* ---- helpers ---- */

static const char *msg(const Err *e) {
  static char buf[2 * ERR_MSG_MAX];
  return err_str(e, buf, sizeof buf);
}

/* Writes m, reads the file back into *back (living in a and the returned file) and checks that it
   equals m and that writing it again gives the same bytes. The caller frees the file. */
static uint8_t *write_read_check(const TflModel *m, Arena *a, TflModel *back, size_t *n,
                                 const char *name) {
  Err err;
  char why[WHY_MAX];
  uint8_t *file, *again;
  size_t again_n;
  cr_assert_eq(tfl_write(m, &file, n, &err), 0, "%s: write: %s", name, msg(&err));
  cr_assert_eq(tfl_read(file, *n, a, back, &err), 0, "%s: reading what was written: %s", name,
               msg(&err));
  cr_assert(model_eq(m, back, why), "%s: written and read back differs: %s", name, why);
  cr_assert_eq(tfl_write(back, &again, &again_n, &err), 0, "%s: second write: %s", name, msg(&err));
  cr_assert(again_n == *n && memcmp(again, file, *n) == 0,
            "%s: writing the read-back model gives other bytes (%zu vs %zu)", name, again_n, *n);
  free(again);
  return file;
}

/* (a) ---- every shared model ---- */

static void roundtrip_file(const char *path) {
  size_t n, written_n;
  uint8_t *orig = read_file(path, &n);
  cr_assert(orig, "cannot read %s", path);
  Arena a1, a2;
  TflModel m, back;
  Err err;
  arena_init(&a1, READ_LIMIT);
  arena_init(&a2, READ_LIMIT);
  cr_assert_eq(tfl_read(orig, n, &a1, &m, &err), 0, "%s: %s", path, msg(&err));
  uint8_t *written = write_read_check(&m, &a2, &back, &written_n, path);
  free(written);
  arena_free(&a2);
  arena_free(&a1);
  free(orig);
}

Test(roundtrip, shared_models) {
  if (!shared_dir()) cr_skip_test("shared data not found");
  size_t n;
  char **paths = shared_models(&n);
  cr_assert_gt(n, 0, "no .tflite models under %s", shared_dir());
  for (size_t i = 0; i < n; i++) roundtrip_file(paths[i]);
  for (size_t i = 0; i < n; i++) free(paths[i]);
  free(paths);
}

/* (b) ---- models built in C ---- */

static const int32_t shape_nhwc[] = {1, 4, 4, 2};
static const float scale_one[] = {0.25f};
static const int64_t zero_point_one[] = {-3};

static TflTensor int8_tensor(const char *name, TflVec shape, uint32_t buffer) {
  return (TflTensor){
      .name = name, .shape = shape, .type = TFL_INT8, .buffer = buffer, .has_quant = true,
      .quant = {.scale = tfl_vec(scale_one, 1), .zero_point = tfl_vec(zero_point_one, 1)}};
}

static TflOpcode builtin(int32_t code, int32_t version) {
  return (TflOpcode){.deprecated_builtin_code = (int8_t)(code < 127 ? code : 127),
                     .builtin_code = code, .version = version, .code = code};
}

/* Writes m, reads it back and checks both trips; returns the file for further checks. */
static uint8_t *check_model(const TflModel *m, Arena *a, TflModel *back, size_t *n,
                            const char *name) {
  arena_init(a, READ_LIMIT);
  return write_read_check(m, a, back, n, name);
}

Test(roundtrip, add_int8) {
  static const int32_t in[] = {0, 1}, out[] = {2};
  TflTensor tensors[] = {int8_tensor("a", tfl_vec(shape_nhwc, 4), 0),
                         int8_tensor("b", tfl_vec(shape_nhwc, 4), 0),
                         int8_tensor("sum", tfl_vec(shape_nhwc, 4), 0)};
  TflOperator op = {.inputs = tfl_vec(in, 2), .outputs = tfl_vec(out, 1),
                    .options_type = TFL_OPTS_AddOptions, .options_decoded = true};
  tfl_options_defaults(TFL_OPTS_AddOptions, &op.options);
  op.options.AddOptions.fused_activation_function = 1;
  op.options.AddOptions.pot_scale_int16 = false;  /* differs from the default true */
  TflOpcode code = builtin(TFL_OP_ADD, 2);
  TflBuffer empty = {0};
  TflSubgraph sg = {.name = "main", .ntensors = 3, .nops = 1, .tensors = tensors, .ops = &op,
                    .inputs = tfl_vec(in, 2), .outputs = tfl_vec(out, 1)};
  TflModel m = {.version = 3, .description = "add", .nopcodes = 1, .nsubgraphs = 1,
                .nbuffers = 1, .opcodes = &code, .subgraphs = &sg, .buffers = &empty};
  Arena a;
  TflModel back;
  size_t n;
  uint8_t *file = check_model(&m, &a, &back, &n, "add_int8");
  cr_assert_eq(back.subgraphs[0].ops[0].options.AddOptions.pot_scale_int16, false);
  free(file);
  arena_free(&a);
}

Test(roundtrip, conv2d_per_channel) {
  static const int32_t in_shape[] = {1, 5, 5, 2}, w_shape[] = {4, 3, 3, 2}, b_shape[] = {4},
                       out_shape[] = {1, 2, 2, 4};
  static const float w_scale[] = {0.5f, 0.25f, 0.125f, 1.0f}, b_scale[] = {0.125f, 0.0625f,
                                                                             0.03125f, 0.25f};
  static const int64_t zeros[] = {0, 0, 0, 0};
  static const int32_t in[] = {0, 1, 2}, out[] = {3}, bias[] = {100, -200, 300, -400};
  int8_t weights[72];
  for (int i = 0; i < 72; i++) weights[i] = (int8_t)(i * 7 - 100);
  TflTensor tensors[4] = {int8_tensor("input", tfl_vec(in_shape, 4), 0),
                          int8_tensor("filter", tfl_vec(w_shape, 4), 1),
                          {.name = "bias", .shape = tfl_vec(b_shape, 1), .type = TFL_INT32,
                           .buffer = 2, .has_quant = true,
                           .quant = {.scale = tfl_vec(b_scale, 4),
                                     .zero_point = tfl_vec(zeros, 4)}},
                          int8_tensor("output", tfl_vec(out_shape, 4), 0)};
  tensors[1].quant = (TflQuant){.scale = tfl_vec(w_scale, 4), .zero_point = tfl_vec(zeros, 4),
                                .quantized_dimension = 0};
  tensors[3].quant.quantized_dimension = 3;
  TflOperator op = {.inputs = tfl_vec(in, 3), .outputs = tfl_vec(out, 1),
                    .options_type = TFL_OPTS_Conv2DOptions, .options_decoded = true};
  tfl_options_defaults(TFL_OPTS_Conv2DOptions, &op.options);
  op.options.Conv2DOptions.padding = 1;
  op.options.Conv2DOptions.stride_w = op.options.Conv2DOptions.stride_h = 2;
  op.options.Conv2DOptions.fused_activation_function = 3;
  op.options.Conv2DOptions.dilation_h_factor = 2;
  TflOpcode code = builtin(TFL_OP_CONV_2D, 3);
  TflBuffer buffers[3] = {{0}, {.data = (const uint8_t *)weights, .size = sizeof weights},
                          {.data = (const uint8_t *)bias, .size = sizeof bias}};
  TflSubgraph sg = {.name = "conv", .ntensors = 4, .nops = 1, .tensors = tensors, .ops = &op,
                    .inputs = tfl_vec(in, 1), .outputs = tfl_vec(out, 1)};
  TflModel m = {.version = 3, .nopcodes = 1, .nsubgraphs = 1, .nbuffers = 3, .opcodes = &code,
                .subgraphs = &sg, .buffers = buffers};
  Arena a;
  TflModel back;
  size_t n;
  uint8_t *file = check_model(&m, &a, &back, &n, "conv2d_per_channel");
  for (uint32_t i = 1; i < 3; i++)  /* Buffer.data is declared force_align 16 */
    cr_assert_eq((back.buffers[i].data - file) % 16, 0, "buffer %u data is not 16-aligned", i);
  free(file);
  arena_free(&a);
}

/* Every kind of options field: vectors, strings (absent and present), 64-bit, unsigned, and a
   float whose bits (-0.0) a comparison by value would lose. */
Test(roundtrip, options_of_every_kind) {
  static const int32_t shape[] = {2, 3}, io[] = {0}, new_shape[] = {3, -1};
  static const float boundaries[] = {-1.5f, 0.0f, 2.5f};
  TflTensor t = {.name = "x", .shape = tfl_vec(shape, 2), .type = TFL_FLOAT32};
  TflOperator ops[6];
  int types[6] = {TFL_OPTS_ReshapeOptions, TFL_OPTS_BucketizeOptions, TFL_OPTS_VarHandleOptions,
                  TFL_OPTS_RandomOptions, TFL_OPTS_SoftmaxOptions, TFL_OPTS_CallOptions};
  for (int i = 0; i < 6; i++) {
    ops[i] = (TflOperator){.opcode_index = (uint32_t)i, .inputs = tfl_vec(io, 1),
                           .outputs = tfl_vec(io, 1), .options_type = (uint8_t)types[i],
                           .options_decoded = true};
    tfl_options_defaults(types[i], &ops[i].options);
  }
  ops[0].options.ReshapeOptions.new_shape = tfl_vec(new_shape, 2);
  ops[1].options.BucketizeOptions.boundaries = tfl_vec(boundaries, 3);
  ops[2].options.VarHandleOptions.shared_name = "var";  /* container stays absent (NULL) */
  ops[3].options.RandomOptions.seed = INT64_MIN;
  ops[3].options.RandomOptions.seed2 = 0x123456789abLL;
  ops[4].options.SoftmaxOptions.beta = -0.0f;
  ops[5].options.CallOptions.subgraph = 0xfffffff0u;
  TflOpcode codes[6] = {builtin(TFL_OP_RESHAPE, 1), builtin(TFL_OP_BUCKETIZE, 1),
                        builtin(TFL_OP_VAR_HANDLE, 1), builtin(TFL_OP_RANDOM_UNIFORM, 1),
                        builtin(TFL_OP_SOFTMAX, 1), builtin(TFL_OP_CALL, 1)};
  TflBuffer empty = {0};
  TflSubgraph sg = {.name = "", .ntensors = 1, .nops = 6, .tensors = &t, .ops = ops,
                    .inputs = tfl_vec(io, 1), .outputs = tfl_vec(io, 1)};
  TflModel m = {.version = 3, .nopcodes = 6, .nsubgraphs = 1, .nbuffers = 1, .opcodes = codes,
                .subgraphs = &sg, .buffers = &empty};
  Arena a;
  TflModel back;
  size_t n;
  uint8_t *file = check_model(&m, &a, &back, &n, "options_of_every_kind");
  cr_assert_null(back.subgraphs[0].ops[2].options.VarHandleOptions.container);
  cr_assert_str_eq(back.subgraphs[0].ops[2].options.VarHandleOptions.shared_name, "var");
  free(file);
  arena_free(&a);
}

Test(roundtrip, external_buffers) {
  static const int32_t shape[] = {40}, io[] = {0}, out[] = {1};
  uint8_t big[160], small[] = {1, 2, 3};
  for (int i = 0; i < 160; i++) big[i] = (uint8_t)(i * 13);
  TflTensor tensors[2] = {{.name = "in", .shape = tfl_vec(shape, 1), .type = TFL_FLOAT32,
                           .buffer = 1},
                          {.name = "out", .shape = tfl_vec(shape, 1), .type = TFL_FLOAT32,
                           .buffer = 3}};
  TflOperator op = {.inputs = tfl_vec(io, 1), .outputs = tfl_vec(out, 1)};
  TflOpcode code = builtin(TFL_OP_FLOOR, 1);
  TflBuffer buffers[5] = {{0},
                          {.data = big, .size = sizeof big, .external = true},
                          {.data = small, .size = sizeof small},
                          {.external = true},  /* external and empty */
                          {.data = small, .size = sizeof small, .external = true}};
  TflSubgraph sg = {.name = "main", .ntensors = 2, .nops = 1, .tensors = tensors, .ops = &op,
                    .inputs = tfl_vec(io, 1), .outputs = tfl_vec(out, 1)};
  TflModel m = {.version = 3, .nopcodes = 1, .nsubgraphs = 1, .nbuffers = 5, .opcodes = &code,
                .subgraphs = &sg, .buffers = buffers};
  Arena a;
  TflModel back;
  size_t n;
  uint8_t *file = check_model(&m, &a, &back, &n, "external_buffers");
  const uint8_t *big_at = back.buffers[1].data, *last_at = back.buffers[4].data;
  cr_assert_eq((big_at - file) % 16, 0, "external data must start 16-aligned");
  cr_assert_eq((last_at - file) % 16, 0, "external data must start 16-aligned");
  cr_assert(last_at > big_at && (size_t)(last_at - file) + sizeof small == n,
            "external buffers follow the FlatBuffer in order and end the file");
  free(file);
  arena_free(&a);
}

/* An external buffer with no bytes still needs its offset: it alone makes the buffer external. */
Test(roundtrip, only_an_empty_external_buffer) {
  static const int32_t io[] = {0};
  TflTensor t = {.name = "t", .type = TFL_FLOAT32};
  TflOperator op = {.inputs = tfl_vec(io, 1), .outputs = tfl_vec(io, 1)};
  TflOpcode code = builtin(TFL_OP_RELU, 1);
  TflBuffer bufs[2] = {{0}, {.external = true}};
  TflSubgraph sg = {.name = "g", .ntensors = 1, .nops = 1, .tensors = &t, .ops = &op};
  TflModel m = {.version = 3, .nopcodes = 1, .nsubgraphs = 1, .nbuffers = 2, .opcodes = &code,
                .subgraphs = &sg, .buffers = bufs};
  for (uint32_t pad = 0; pad < 4; pad++) {  /* description lengths move the FlatBuffer's end */
    char description[8] = "abcd";
    description[pad] = 0;
    m.description = description;
    Arena a;
    TflModel back;
    size_t n;
    free(check_model(&m, &a, &back, &n, "only_an_empty_external_buffer"));
    arena_free(&a);
  }
}

/* Two subgraphs (the first calls the second), a signature, metadata and a metadata_buffer. */
Test(roundtrip, two_subgraphs_and_signature) {
  static const int32_t shape[] = {1, 3}, io0[] = {0}, io1[] = {1}, meta_buffers[] = {1};
  static const char version_str[] = "1.14.0";
  TflTensor t0[2] = {{.name = "x", .shape = tfl_vec(shape, 2), .type = TFL_FLOAT32},
                     {.name = "y", .shape = tfl_vec(shape, 2), .type = TFL_FLOAT32}};
  TflTensor t1[2] = {{.name = "a", .shape = tfl_vec(shape, 2), .type = TFL_FLOAT32},
                     {.name = "b", .shape = tfl_vec(shape, 2), .type = TFL_FLOAT32}};
  TflOperator call = {.inputs = tfl_vec(io0, 1), .outputs = tfl_vec(io1, 1),
                      .options_type = TFL_OPTS_CallOptions, .options_decoded = true};
  tfl_options_defaults(TFL_OPTS_CallOptions, &call.options);
  call.options.CallOptions.subgraph = 1;
  TflOperator relu = {.opcode_index = 1, .inputs = tfl_vec(io0, 1), .outputs = tfl_vec(io1, 1)};
  TflOpcode codes[2] = {builtin(TFL_OP_CALL, 1), builtin(TFL_OP_RELU, 1)};
  TflSubgraph sgs[2] = {{.name = "main", .ntensors = 2, .nops = 1, .tensors = t0, .ops = &call,
                         .inputs = tfl_vec(io0, 1), .outputs = tfl_vec(io1, 1)},
                        {.name = "body", .ntensors = 2, .nops = 1, .tensors = t1, .ops = &relu,
                         .inputs = tfl_vec(io0, 1), .outputs = tfl_vec(io1, 1)}};
  TflBuffer buffers[2] = {{0}, {.data = (const uint8_t *)version_str, .size = sizeof version_str}};
  TflMetadata meta = {.name = "min_runtime_version", .buffer = 1};
  TflTensorMap in = {.name = "input_x", .tensor_index = 0}, out = {.name = "", .tensor_index = 1};
  TflSignature sig = {.key = "serving_default", .subgraph_index = 0, .ninputs = 1,
                      .noutputs = 1, .inputs = &in, .outputs = &out};
  TflModel m = {.version = 3, .description = "two subgraphs", .nopcodes = 2, .nsubgraphs = 2,
                .nbuffers = 2, .nmetadata = 1, .nsignatures = 1, .opcodes = codes,
                .subgraphs = sgs, .buffers = buffers, .metadata = &meta, .signatures = &sig,
                .metadata_buffer = tfl_vec(meta_buffers, 1)};
  Arena a;
  TflModel back;
  size_t n;
  free(check_model(&m, &a, &back, &n, "two_subgraphs_and_signature"));
  arena_free(&a);
}

/* The rarely used fields: sparsity with every index vector width, custom quantization, shape
   signatures (one empty), rank, variables, intermediates, custom operators and large opcodes. */
Test(roundtrip, rare_fields) {
  static const int32_t shape[] = {4, 4}, sig[] = {-1, 4}, order[] = {0, 1}, io[] = {0, 1},
                       out[] = {2}, inter[] = {3};
  static const uint8_t segments[] = {0, 2, 3, 3, 5}, custom_quant[] = {9, 8, 7},
                       custom_opts[] = {0xde, 0xad, 0xbe, 0xef, 0}, mutating[] = {1, 0};
  static const uint16_t indices[] = {0, 3, 1, 2, 3};
  static const int32_t indices32[] = {1, 2};
  static const float mins[] = {-1.0f}, maxs[] = {1.0f};
  TflDimMeta dims[3] = {{.format = 0, .dense_size = 4},
                        {.format = 1, .segments_type = 3, .segments = tfl_vec(segments, 5),
                         .indices_type = 2, .indices = tfl_vec(indices, 5)},
                        {.format = 1, .segments_type = 1, .segments = tfl_vec(indices32, 2),
                         .indices_type = 1}};
  TflSparsity sparsity = {.traversal_order = tfl_vec(order, 2), .ndim = 3, .dim = dims};
  TflTensor tensors[4] = {
      {.name = "sparse", .shape = tfl_vec(shape, 2), .type = TFL_FLOAT32, .sparsity = &sparsity,
       .shape_signature = tfl_vec(sig, 2), .has_shape_signature = true, .has_rank = true},
      {.name = "state", .shape = tfl_vec(shape, 2), .type = TFL_INT16, .is_variable = true,
       .has_shape_signature = true, .has_quant = true,
       .quant = {.min = tfl_vec(mins, 1), .max = tfl_vec(maxs, 1), .details_type = 1,
                 .custom = tfl_vec(custom_quant, 3)}},
      {.name = "out", .shape = tfl_vec(shape, 0), .type = TFL_BFLOAT16, .has_rank = true},
      {.name = "scratch", .shape = tfl_vec(shape, 2), .type = TFL_UINT16}};
  TflOperator ops[2] = {
      {.inputs = tfl_vec(io, 2), .outputs = tfl_vec(out, 1), .intermediates = tfl_vec(inter, 1),
       .mutating_variable_inputs = tfl_vec(mutating, 2), .custom_options = tfl_vec(custom_opts, 5),
       .custom_options_format = 0, .large_custom_options_offset = 1},
      {.opcode_index = 1, .inputs = tfl_vec(out, 1), .outputs = tfl_vec(out, 1)}};
  TflOpcode codes[2] = {{.deprecated_builtin_code = TFL_OP_CUSTOM, .builtin_code = TFL_OP_CUSTOM,
                         .version = 1, .custom_code = "MyCustomOp", .code = TFL_OP_CUSTOM},
                        builtin(TFL_OP_STABLEHLO_ADD, 1)};
  TflBuffer empty = {0};
  TflSubgraph sg = {.name = "rare", .ntensors = 4, .nops = 2, .tensors = tensors, .ops = ops,
                    .inputs = tfl_vec(io, 2), .outputs = tfl_vec(out, 1)};
  TflModel m = {.version = 3, .nopcodes = 2, .nsubgraphs = 1, .nbuffers = 1, .opcodes = codes,
                .subgraphs = &sg, .buffers = &empty};
  Arena a;
  TflModel back;
  size_t n;
  uint8_t *file = check_model(&m, &a, &back, &n, "rare_fields");
  cr_assert(back.subgraphs[0].tensors[1].has_shape_signature, "empty shape_signature is kept");
  cr_assert_eq(back.opcodes[1].deprecated_builtin_code, 127);
  free(file);
  arena_free(&a);
}

/* The comparison itself must see a difference in any corner, or the trips above prove nothing. */
Test(roundtrip, comparison_notices_differences) {
  static const int32_t io[] = {0}, shape[] = {2};
  static const uint8_t data[] = {1, 2, 3, 4}, other[] = {1, 2, 3, 5};
  TflTensor t = {.name = "t", .shape = tfl_vec(shape, 1), .buffer = 1};
  TflOperator op = {.inputs = tfl_vec(io, 1), .outputs = tfl_vec(io, 1),
                    .options_type = TFL_OPTS_SoftmaxOptions, .options_decoded = true};
  TflOpcode code = builtin(TFL_OP_SOFTMAX, 1);
  TflBuffer bufs[2] = {{0}, {.data = data, .size = sizeof data}};
  TflSubgraph sg = {.name = "g", .ntensors = 1, .nops = 1, .tensors = &t, .ops = &op};
  TflModel a = {.version = 3, .nopcodes = 1, .nsubgraphs = 1, .nbuffers = 2, .opcodes = &code,
                .subgraphs = &sg, .buffers = bufs};
  char why[WHY_MAX];
  cr_assert(model_eq(&a, &a, why), "%s", why);

  TflModel b = a;
  TflSubgraph sg2 = sg;
  TflOperator op2 = op;
  TflTensor t2 = t;
  TflBuffer bufs2[2] = {bufs[0], bufs[1]};
  b.subgraphs = &sg2;
  b.buffers = bufs2;
  sg2.ops = &op2;
  sg2.tensors = &t2;
  op2.options.SoftmaxOptions.beta = -0.0f;
  cr_assert(!model_eq(&a, &b, why) && strstr(why, "SoftmaxOptions.beta"), "%s", why);
  op2 = op;
  bufs2[1].data = other;
  cr_assert(!model_eq(&a, &b, why) && strstr(why, "buffer 1: data"), "%s", why);
  bufs2[1] = bufs[1];
  t2.has_shape_signature = true;
  cr_assert(!model_eq(&a, &b, why) && strstr(why, "has_shape_signature"), "%s", why);
}

/* (c) ---- what cannot be written ---- */

/* A one-operator model whose operator and tensor the caller may spoil. */
typedef struct Small {
  int32_t io[1];
  TflTensor tensor;
  TflOperator op;
  TflOpcode code;
  TflBuffer empty;
  TflSubgraph sg;
  TflModel m;
} Small;

static void small_model(Small *s) {
  memset(s, 0, sizeof *s);
  s->tensor = (TflTensor){.name = "t", .type = TFL_FLOAT32};
  s->op = (TflOperator){.inputs = tfl_vec(s->io, 1), .outputs = tfl_vec(s->io, 1)};
  s->code = builtin(TFL_OP_RELU, 1);
  s->sg = (TflSubgraph){.name = "main", .ntensors = 1, .nops = 1, .tensors = &s->tensor,
                        .ops = &s->op};
  s->m = (TflModel){.version = 3, .nopcodes = 1, .nsubgraphs = 1, .nbuffers = 1,
                    .opcodes = &s->code, .subgraphs = &s->sg, .buffers = &s->empty};
}

static void expect_refused(const Small *s, const char *words) {
  uint8_t *out = (uint8_t *)"unchanged";
  size_t n = 1;
  Err err;
  cr_assert_eq(tfl_write(&s->m, &out, &n, &err), -1, "expected an error mentioning '%s'", words);
  cr_assert_null(out);
  cr_assert_eq(n, 0);
  cr_assert(strstr(err.msg, words), "message '%s' lacks '%s'", err.msg, words);
}

Test(refused, undecoded_options) {
  Small s;
  small_model(&s);
  s.op.options_type = TFL_OPTS_Pool2DOptions;
  s.op.options_decoded = false;
  expect_refused(&s, "not decoded");
  s.op.options_type = 200;  /* beyond the union this reader knows */
  expect_refused(&s, "not decoded");
  s.op.options_decoded = true;
  expect_refused(&s, "not in the BuiltinOptions table");
}

Test(refused, options2_variants_and_large_custom_options) {
  Small s;
  small_model(&s);
  s.op.options2_type = 3;
  expect_refused(&s, "builtin_options_2");
  small_model(&s);
  s.tensor.nvariant = 1;
  expect_refused(&s, "variant_tensors");
  small_model(&s);
  s.op.large_custom_options_offset = 4096;
  s.op.large_custom_options_size = 16;
  expect_refused(&s, "large custom options");
}

/* The whole way: a file whose operator carries an options type this reader does not know reads
   fine (kept undecoded) and is then refused by the writer. */
Test(refused, undecoded_options_from_a_file) {
  Small s;
  small_model(&s);
  s.op.options_type = TFL_OPTS_PadOptions;
  s.op.options_decoded = true;
  uint8_t *file;
  size_t n;
  Err err;
  cr_assert_eq(tfl_write(&s.m, &file, &n, &err), 0, "%s", msg(&err));
  FbReader r;
  FbTable root, sg, op;
  FbVec subgraphs, ops;
  uint32_t type_at;
  cr_assert_eq(fb_init(&r, file, n, &err) || fb_root(&r, "TFL3", &root) ||
                   fb_vec(&r, &root, 2, 4, &subgraphs) || fb_vec_table(&r, subgraphs, 0, &sg) ||
                   fb_vec(&r, &sg, 3, 4, &ops) || fb_vec_table(&r, ops, 0, &op) ||
                   fb_field(&r, &op, 3, 1, &type_at),
               0, "%s", msg(&err));
  cr_assert_eq(file[type_at], TFL_OPTS_PadOptions);
  file[type_at] = 250;
  Arena a;
  TflModel m;
  arena_init(&a, READ_LIMIT);
  cr_assert_eq(tfl_read(file, n, &a, &m, &err), 0, "%s", msg(&err));
  cr_assert(!m.subgraphs[0].ops[0].options_decoded);
  uint8_t *out;
  size_t out_n;
  cr_assert_eq(tfl_write(&m, &out, &out_n, &err), -1);
  cr_assert(strstr(err.msg, "type 250 were not decoded"), "%s", err.msg);
  arena_free(&a);
  free(file);
}

/* ---- the builder itself ---- */

static uint8_t *finish(Fbb *b, FbbRef root, size_t *n, Err *err) {
  uint8_t *out;
  cr_assert_eq(fbb_finish(b, root, "TEST", &out, n), 0, "%s", msg(err));
  cr_assert_eq(memcmp(out + 4, "TEST", 4), 0);
  return out;
}

Test(fbb, defaults_left_out_unless_forced) {
  Err err;
  Fbb b;
  FbbRef root;
  int32_t zero = 0;
  fbb_init(&b, &err);
  cr_assert_eq(fbb_table_start(&b) || fbb_i32(&b, 0, 7, 7) || fbb_field(&b, 1, &zero, 4) ||
                   fbb_f32(&b, 2, -0.0f, 0.0f) || fbb_table_end(&b, &root),
               0, "%s", msg(&err));
  size_t n;
  uint8_t *buf = finish(&b, root, &n, &err);
  FbReader r;
  FbTable t;
  uint32_t pos[3];
  cr_assert_eq(fb_init(&r, buf, n, &err) || fb_root(&r, "TEST", &t) ||
                   fb_field(&r, &t, 0, 4, &pos[0]) || fb_field(&r, &t, 1, 4, &pos[1]) ||
                   fb_field(&r, &t, 2, 4, &pos[2]),
               0, "%s", msg(&err));
  cr_assert_eq(pos[0], 0, "a default value is not written");
  cr_assert_neq(pos[1], 0, "a forced default is written");
  cr_assert_neq(pos[2], 0, "-0.0 differs from the default 0.0 by its bits");
  free(buf);
  fbb_free(&b);
}

Test(fbb, alignment_and_shared_vtables) {
  Err err;
  Fbb b;
  static const int64_t longs[] = {1, -2, 3};
  static const uint8_t bytes[] = {1, 2, 3, 4, 5};
  FbbRef v8, v16, s, t1, t2, tables[2], vec;
  fbb_init(&b, &err);
  cr_assert_eq(fbb_vec(&b, longs, 3, 8, 0, &v8) || fbb_string(&b, "odd", &s) ||
                   fbb_vec(&b, bytes, 5, 1, 16, &v16) || fbb_table_start(&b) ||
                   fbb_u8(&b, 0, 1, 0) || fbb_ref(&b, 1, v8) || fbb_table_end(&b, &t1) ||
                   fbb_table_start(&b) || fbb_u8(&b, 0, 2, 0) || fbb_ref(&b, 1, v16) ||
                   fbb_table_end(&b, &t2),
               0, "%s", msg(&err));
  tables[0] = t1;
  tables[1] = t2;
  cr_assert_eq(fbb_vec_refs(&b, tables, 2, &vec) || fbb_table_start(&b) || fbb_ref(&b, 0, vec) ||
                   fbb_ref(&b, 1, s) || fbb_table_end(&b, &t1),
               0, "%s", msg(&err));
  size_t n;
  uint8_t *buf = finish(&b, t1, &n, &err);
  FbReader r;
  FbTable root, a, c;
  FbVec tv, longs_v, bytes_v;
  const char *str;
  cr_assert_eq(fb_init(&r, buf, n, &err) || fb_root(&r, "TEST", &root) ||
                   fb_vec(&r, &root, 0, 4, &tv) || fb_str(&r, &root, 1, &str) ||
                   fb_vec_table(&r, tv, 0, &a) || fb_vec_table(&r, tv, 1, &c) ||
                   fb_vec(&r, &a, 1, 8, &longs_v) || fb_vec(&r, &c, 1, 1, &bytes_v),
               0, "%s", msg(&err));
  cr_assert_str_eq(str, "odd");
  cr_assert_eq(longs_v.n, 3);
  cr_assert_eq(longs_v.pos % 8, 0);
  cr_assert_eq(bytes_v.pos % 16, 0, "force_align 16 puts the bytes on a 16-byte boundary");
  cr_assert_eq(memcmp(buf + bytes_v.pos, bytes, 5), 0);
  cr_assert_eq(a.vt, c.vt, "tables of the same layout share one vtable");
  cr_assert_eq(n % 16, 0, "the buffer is padded to its largest alignment");
  free(buf);
  fbb_free(&b);
}

Test(fbb, errors_are_values_and_sticky) {
  Err err;
  Fbb b;
  static uint8_t data[300];
  FbbRef v, t;
  fbb_init(&b, &err);
  b.max_size = 256;  /* stands in for the 2 GB limit */
  cr_assert_eq(fbb_vec(&b, data, sizeof data, 1, 0, &v), -1);
  cr_assert(strstr(err.msg, "exceed 256 bytes"), "%s", err.msg);
  cr_assert_eq(fbb_table_start(&b), -1, "a failed builder stays failed");
  uint8_t *out;
  size_t n;
  cr_assert_eq(fbb_finish(&b, 0, NULL, &out, &n), -1);
  cr_assert_null(out);
  fbb_free(&b);

  fbb_init(&b, &err);
  cr_assert_eq(fbb_i32(&b, 0, 1, 0), -1, "a field outside a table is an error");
  fbb_free(&b);
  fbb_init(&b, &err);
  cr_assert_eq(fbb_table_start(&b) || fbb_u8(&b, 2, 1, 0), 0);
  cr_assert_eq(fbb_u8(&b, 2, 1, 0), -1, "a field set twice is an error");
  cr_assert(strstr(err.msg, "twice"), "%s", err.msg);
  cr_assert_eq(fbb_table_end(&b, &t), -1);
  fbb_free(&b);
  fbb_init(&b, &err);
  cr_assert_eq(fbb_table_start(&b), 0);
  cr_assert_eq(fbb_table_start(&b), -1, "tables do not nest: children are built first");
  fbb_free(&b);
}
