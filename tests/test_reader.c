/* Reader and IR rules on models built in C: effective operator codes, schema defaults, lenient
   quantized_dimension, external buffers, shape inference, topology errors. Each model is written
   with tfl_write and read back, so the bytes are a real FlatBuffer. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/ir.h"
#include "tests/util.h"

/* A one-subgraph CONV_2D model: input [1,4,4,2] int8 -> conv 1x1, 3 filters -> [1,4,4,3]. */
typedef struct Conv {
  TflModel m;
  TflSubgraph sg;
  TflTensor t[4];
  TflOperator op[1];
  TflOpcode code[1];
  TflBuffer buf[3];
  int32_t in_shape[4], w_shape[4], b_shape[1], out_shape[4];
  int32_t op_in[3], op_out[1], sg_in[1], sg_out[1];
  float act_scale[1], w_scale[3], b_scale[3];
  int64_t zp1[1], zp3[3];
  int8_t w[6];
  int32_t b[3];
} Conv;

static void conv_model(Conv *c) {
  memset(c, 0, sizeof *c);
  const int32_t in_shape[] = {1, 4, 4, 2}, w_shape[] = {3, 1, 1, 2}, out_shape[] = {1, 4, 4, 3};
  memcpy(c->in_shape, in_shape, sizeof in_shape);
  memcpy(c->w_shape, w_shape, sizeof w_shape);
  memcpy(c->out_shape, out_shape, sizeof out_shape);
  c->b_shape[0] = 3;
  c->act_scale[0] = 0.5f;
  for (int i = 0; i < 3; i++) c->w_scale[i] = 0.01f * (float)(i + 1), c->b_scale[i] = 0.005f * (float)(i + 1);
  for (int i = 0; i < 6; i++) c->w[i] = (int8_t)(i - 3);
  for (int i = 0; i < 3; i++) c->b[i] = 100 * i;
  c->buf[1] = (TflBuffer){.data = (const uint8_t *)c->w, .size = sizeof c->w};
  c->buf[2] = (TflBuffer){.data = (const uint8_t *)c->b, .size = sizeof c->b};
  TflQuant act = {.scale = tfl_vec(c->act_scale, 1), .zero_point = tfl_vec(c->zp1, 1)};
  c->t[0] = (TflTensor){.name = "input", .shape = tfl_vec(c->in_shape, 4), .type = TFL_INT8,
                        .has_quant = true, .quant = act};
  c->t[1] = (TflTensor){.name = "weights", .shape = tfl_vec(c->w_shape, 4), .type = TFL_INT8,
                        .buffer = 1, .has_quant = true,
                        .quant = {.scale = tfl_vec(c->w_scale, 3), .zero_point = tfl_vec(c->zp3, 3)}};
  c->t[2] = (TflTensor){.name = "bias", .shape = tfl_vec(c->b_shape, 1), .type = TFL_INT32,
                        .buffer = 2, .has_quant = true,
                        .quant = {.scale = tfl_vec(c->b_scale, 3), .zero_point = tfl_vec(c->zp3, 3)}};
  c->t[3] = (TflTensor){.name = "output", .shape = tfl_vec(c->out_shape, 4), .type = TFL_INT8,
                        .has_quant = true, .quant = act};
  c->op_in[0] = 0, c->op_in[1] = 1, c->op_in[2] = 2, c->op_out[0] = 3;
  c->op[0] = (TflOperator){.inputs = tfl_vec(c->op_in, 3), .outputs = tfl_vec(c->op_out, 1),
                           .options_type = TFL_OPTS_Conv2DOptions, .options_decoded = true};
  tfl_options_defaults(TFL_OPTS_Conv2DOptions, &c->op[0].options);
  c->op[0].options.Conv2DOptions.stride_w = c->op[0].options.Conv2DOptions.stride_h = 1;
  c->code[0] = (TflOpcode){.deprecated_builtin_code = 3, .builtin_code = 3, .version = 1, .code = 3};
  c->sg_in[0] = 0, c->sg_out[0] = 3;
  c->sg = (TflSubgraph){.name = "main", .ntensors = 4, .nops = 1, .tensors = c->t, .ops = c->op,
                        .inputs = tfl_vec(c->sg_in, 1), .outputs = tfl_vec(c->sg_out, 1)};
  c->m = (TflModel){.version = 3, .description = "test", .nopcodes = 1, .nsubgraphs = 1,
                    .nbuffers = 3, .opcodes = c->code, .subgraphs = &c->sg, .buffers = c->buf};
}

typedef struct Loaded {
  uint8_t *bytes;
  size_t n;
  Arena a;
  TflModel src;
  Model m;
  Err err;
  int status;
  char msg[ERR_MSG_MAX + 64];
} Loaded;

/* Writes m, then loads the bytes through the whole pipeline. */
static void roundtrip(const TflModel *m, Loaded *l) {
  Err werr = {.off = -1};
  char msg[ERR_MSG_MAX + 64];
  cr_assert_eq(tfl_write(m, &l->bytes, &l->n, &werr), 0, "write: %s", err_str(&werr, msg, sizeof msg));
  arena_init(&l->a, 64u << 20);
  l->err.off = -1;
  l->status = ir_load(l->bytes, l->n, &l->a, &l->src, &l->m, &l->err);
  err_str(&l->err, l->msg, sizeof l->msg);
}

static void unload(Loaded *l) {
  arena_free(&l->a);
  free(l->bytes);
}

Test(reader, conv_model_loads_with_options_and_per_channel_quant) {
  Conv c;
  Loaded l;
  conv_model(&c);
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  const Graph *g = &l.m.g[0];
  cr_expect_eq(g->ops[0].kind, OP_CONV_2D);
  cr_expect_eq(g->ops[0].opt->Conv2DOptions.dilation_w_factor, 1, "schema default");
  cr_expect_eq(g->t[1].q.n, 3);
  cr_expect_float_eq(g->t[1].q.scale[2], 0.03f, 0);
  cr_expect_eq(g->ops[0].macs, 16 * 3 * 2);
  cr_expect_eq(g->ops[0].weight_bytes, 6 + 12);
  cr_expect_eq(memcmp(g->t[1].data, c.w, 6), 0);
  unload(&l);
}

Test(reader, effective_code_is_the_larger_of_the_two_fields) {
  Conv c;
  Loaded l;
  conv_model(&c);
  /* Old files: only the int8 field. */
  c.code[0] = (TflOpcode){.deprecated_builtin_code = 3, .builtin_code = 0, .version = 1};
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  cr_expect_eq(l.src.opcodes[0].code, TFL_OP_CONV_2D);
  unload(&l);
  /* New files: codes past 127 live only in the int32 field; the int8 one holds the placeholder. */
  c.code[0] = (TflOpcode){.deprecated_builtin_code = 127, .builtin_code = TFL_OP_GELU, .version = 1};
  c.op[0].options_type = TFL_OPTS_GeluOptions;
  tfl_options_defaults(TFL_OPTS_GeluOptions, &c.op[0].options);
  c.op[0].inputs.n = 1;
  c.out_shape[3] = 2;
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  cr_expect_eq(l.src.opcodes[0].code, TFL_OP_GELU);
  cr_expect_eq(l.m.g[0].ops[0].kind, OP_GELU);
  unload(&l);
}

Test(reader, quantized_dimension_past_rank_is_read_as_tflm_does) {
  Conv c;
  Loaded l;
  conv_model(&c);
  /* As in the published person-detection model: rank-1 bias, quantized_dimension 3. */
  c.t[2].quant.quantized_dimension = 3;
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  cr_expect_eq(l.m.g[0].t[2].q.dim, 0);
  cr_assert_eq(l.m.nnotes, 1);
  cr_expect(strstr(l.m.notes[0], "tensor 2 'bias': quantized_dimension 3 exceeds rank 1"), "%s",
            l.m.notes[0]);
  unload(&l);
  /* Ambiguous: 2 scales on a rank-1 tensor of 3 elements. */
  c.t[2].quant.scale.n = c.t[2].quant.zero_point.n = 2;
  roundtrip(&c.m, &l);
  cr_expect_neq(l.status, 0);
  cr_expect(strstr(l.msg, "tensor 2 'bias': quantized_dimension 3 is outside its rank-1 shape"),
            "%s", l.msg);
  unload(&l);
}

Test(reader, external_buffers_are_read_from_after_the_flatbuffer) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.buf[1].external = true;
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  cr_expect(l.src.buffers[1].external);
  cr_expect_eq(l.src.buffers[1].size, 6);
  cr_expect_eq(memcmp(l.m.g[0].t[1].data, c.w, 6), 0);
  unload(&l);
}

Test(reader, missing_activation_shape_is_inferred) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.t[3].shape.n = 0;  /* older converters: intermediate shapes left empty */
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  const Tensor *y = &l.m.g[0].t[3];
  cr_expect(y->shape_known);
  cr_expect_eq(y->rank, 4);
  cr_expect_eq(y->dims[3], 3);
  cr_expect_eq(y->bytes, 48);
  unload(&l);
}

Test(reader, batch_minus_one_is_read_as_one_and_noted) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.in_shape[0] = -1;
  c.out_shape[0] = -1;
  roundtrip(&c.m, &l);
  cr_assert_eq(l.status, 0, "%s", l.msg);
  cr_expect_eq(l.m.g[0].t[0].dims[0], 1);
  cr_expect_eq(l.m.g[0].t[3].dims[0], 1);
  cr_assert_eq(l.m.nnotes, 1);
  cr_expect(strstr(l.m.notes[0], "batch dimension -1 read as 1"), "%s", l.m.notes[0]);
  unload(&l);
  c.in_shape[1] = -1;  /* an unknown spatial dimension cannot be compiled statically */
  roundtrip(&c.m, &l);
  cr_expect_neq(l.status, 0);
  cr_expect(strstr(l.msg, "input tensor 0 'input': dimension 1 is unknown"), "%s", l.msg);
  unload(&l);
}

Test(reader, output_shape_contradicting_inputs_is_an_error) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.out_shape[2] = 5;
  roundtrip(&c.m, &l);
  cr_expect_neq(l.status, 0);
  cr_expect(strstr(l.msg, "operator 0 (CONV_2D): output tensor 3 'output' has shape [1, 4, 5, 3] "
                          "in the file, but its inputs give [1, 4, 4, 3]"), "%s", l.msg);
  unload(&l);
}

Test(reader, reading_a_tensor_before_it_is_written_is_an_error) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.sg_in[0] = 3;  /* the input is no longer a graph input: nothing writes it */
  c.sg_out[0] = 0;
  roundtrip(&c.m, &l);
  cr_expect_neq(l.status, 0);
  cr_expect(strstr(l.msg, "input 0 tensor 0 'input' is never written"), "%s", l.msg);
  unload(&l);
}

Test(reader, wrong_options_type_is_an_error) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.op[0].options_type = TFL_OPTS_Pool2DOptions;
  tfl_options_defaults(TFL_OPTS_Pool2DOptions, &c.op[0].options);
  roundtrip(&c.m, &l);
  cr_expect_neq(l.status, 0);
  cr_expect(strstr(l.msg, "options are Pool2DOptions, expected Conv2DOptions"), "%s", l.msg);
  unload(&l);
}

Test(reader, buffer_index_out_of_range_names_the_tensor) {
  Conv c;
  Loaded l;
  conv_model(&c);
  c.t[1].buffer = 99;
  Err werr = {.off = -1};
  /* The writer writes what it is given; the reader must refuse it. */
  cr_assert_eq(tfl_write(&c.m, &l.bytes, &l.n, &werr), 0);
  arena_init(&l.a, 1u << 20);
  cr_expect_neq(tfl_read(l.bytes, l.n, &l.a, &l.src, &l.err), 0);
  err_str(&l.err, l.msg, sizeof l.msg);
  cr_expect(strstr(l.msg, "offset 0x") == l.msg, "%s", l.msg);
  cr_expect(strstr(l.msg, "subgraph 0: tensor 1 'weights': buffer 99 out of range (3 buffers)"),
            "%s", l.msg);
  unload(&l);
}
