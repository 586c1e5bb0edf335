/* CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV against real TensorFlow Lite
   (tests/oracle/diff.js, seeded random inputs; integer outputs must be identical):
   - every convolution of the shared models, cut out as a model of its own (real weights, scales
     and shapes), so each layer is checked even while other operators of its model are missing;
   - small models built here for what those layers lack: float and 16x8 depthwise, transpose
     convolutions in every dtype, dilation, batches, odd paddings, every fused activation. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "tests/opmodel.h"
#include "tests/util.h"

/* Runs diff.js on the models; logs its lines; true when every output matched. */
static bool diff_models(char *const *paths, int n, const char *label) {
  size_t cap = 4096 + (size_t)n * 600, len = 0;
  char *cmd = malloc(cap);
  cr_assert(cmd);
  len += (size_t)snprintf(cmd, cap, "node '%s/oracle/diff.js' --modelc '%s' --seeds 1,2", MODELC_TESTS_DIR,
                          modelc_bin());
  for (int i = 0; i < n; i++) len += (size_t)snprintf(cmd + len, cap - len, " '%s'", paths[i]);
  snprintf(cmd + len, cap - len, " 2>&1");
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  char line[4096];
  while (fgets(line, sizeof line, p)) cr_log_info("%s: %s", label, line);
  int st = pclose(p);
  free(cmd);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int32_t vec_i32(TflVec v, uint32_t i) {
  int32_t x;
  memcpy(&x, v.p + 4 * (size_t)i, 4);
  return x;
}

/* Writes operator k of subgraph 0 as a model of its own: the tensors it reads and writes, the
   buffers of its constants and its opcode. Its other inputs become the graph's inputs. */
static int extract_op(const TflModel *src, uint32_t k, const char *path) {
  enum { MAXT = 16 };
  const TflSubgraph *g = &src->subgraphs[0];
  const TflOperator *op = &g->ops[k];
  if (op->inputs.n + op->outputs.n > MAXT) return -1;
  TflTensor t[MAXT];
  TflBuffer buf[MAXT + 1] = {{0}};
  int32_t in[MAXT], out[MAXT], gin[MAXT];
  uint32_t nt = 0, nb = 1, ngin = 0;
  for (uint32_t i = 0; i < op->inputs.n; i++) {
    int32_t ti = vec_i32(op->inputs, i);
    if (ti < 0) {
      in[i] = -1;
      continue;
    }
    t[nt] = g->tensors[ti];
    const TflBuffer *b = t[nt].buffer < src->nbuffers ? &src->buffers[t[nt].buffer] : NULL;
    if (b && b->data && b->size) {
      buf[nb] = (TflBuffer){.data = b->data, .size = b->size};
      t[nt].buffer = nb++;
    } else {
      t[nt].buffer = 0;
      gin[ngin++] = (int32_t)nt;
    }
    in[i] = (int32_t)nt++;
  }
  for (uint32_t i = 0; i < op->outputs.n; i++) {
    t[nt] = g->tensors[vec_i32(op->outputs, i)];
    t[nt].buffer = 0;
    out[i] = (int32_t)nt++;
  }
  TflOperator o = *op;
  o.opcode_index = 0;
  o.inputs = tfl_vec(in, op->inputs.n);
  o.outputs = tfl_vec(out, op->outputs.n);
  o.intermediates = tfl_vec(NULL, 0);
  o.mutating_variable_inputs = tfl_vec(NULL, 0);
  TflOpcode code = src->opcodes[op->opcode_index];
  TflSubgraph sg = {.name = "main", .ntensors = nt, .nops = 1, .tensors = t, .ops = &o,
                    .inputs = tfl_vec(gin, ngin), .outputs = tfl_vec(out, op->outputs.n)};
  TflModel m = {.version = 3, .description = "modelc conv layer test", .nopcodes = 1,
                .nsubgraphs = 1, .nbuffers = nb, .opcodes = &code, .subgraphs = &sg, .buffers = buf};
  uint8_t *bytes;
  size_t n;
  Err err = {.off = -1};
  if (tfl_write(&m, &bytes, &n, &err)) return -1;
  FILE *f = fopen(path, "wb");
  int rc = f && fwrite(bytes, 1, n, f) == n ? 0 : -1;
  if (f && fclose(f)) rc = -1;
  free(bytes);
  return rc;
}

/* Every CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV of a shared model, one model each. */
static void model_layers(const char *rel) {
  const char *dir = shared_dir();
  if (!dir) cr_skip_test("shared data not found");
  char src_path[1024];
  snprintf(src_path, sizeof src_path, "%s/%s", dir, rel);
  size_t n;
  uint8_t *data = read_file(src_path, &n);
  cr_assert(data, "cannot read %s", src_path);
  Arena a;
  arena_init(&a, (size_t)1 << 30);
  TflModel m;
  Err err = {.off = -1};
  cr_assert_eq(tfl_read(data, n, &a, &m, &err), 0, "%s: %s", rel, err.msg);
  const char *keep = getenv("MODELC_OP_MODELS");
  char **paths = calloc(m.subgraphs[0].nops, sizeof *paths);
  int np = 0;
  const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
  for (uint32_t k = 0; k < m.subgraphs[0].nops; k++) {
    int32_t code = m.opcodes[m.subgraphs[0].ops[k].opcode_index].code;
    if (code != TFL_OP_CONV_2D && code != TFL_OP_DEPTHWISE_CONV_2D && code != TFL_OP_TRANSPOSE_CONV)
      continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%.*s-op%u.tflite", keep ? keep : "/tmp", (int)(strlen(base) - 7),
             base, k);
    if (!keep) snprintf(path, sizeof path, "/tmp/modelc-conv-%d-%.*s-op%u.tflite", (int)getpid(),
                        (int)(strlen(base) - 7), base, k);
    cr_assert_eq(extract_op(&m, k, path), 0, "cannot write %s", path);
    paths[np++] = strdup(path);
  }
  cr_assert_gt(np, 0, "%s has no convolutions", rel);
  bool ok = diff_models(paths, np, base);
  for (int i = 0; i < np; i++) {
    if (!keep) unlink(paths[i]);
    free(paths[i]);
  }
  free(paths);
  arena_free(&a);
  free(data);
  cr_assert(ok, "%s: a convolution differs from TFLite", rel);
}

Test(conv_layers, vww_96_int8, .timeout = 600) { model_layers("models/mlperf_tiny/vww_96_int8.tflite"); }
Test(conv_layers, vww_96_float, .timeout = 600) { model_layers("models/mlperf_tiny/vww_96_float.tflite"); }
Test(conv_layers, kws_ref_model, .timeout = 600) { model_layers("models/mlperf_tiny/kws_ref_model.tflite"); }
Test(conv_layers, resnet_quant, .timeout = 600) { model_layers("models/mlperf_tiny/pretrainedResnet_quant.tflite"); }
Test(conv_layers, resnet_float, .timeout = 600) { model_layers("models/mlperf_tiny/pretrainedResnet.tflite"); }
Test(conv_layers, mobilenet_v1_quant, .timeout = 600) { model_layers("models/coral/mobilenet_v1_0.25_128_quant.tflite"); }
Test(conv_layers, mobilenet_v2_quant, .timeout = 900) { model_layers("models/coral/mobilenet_v2_1.0_224_quant.tflite"); }
Test(conv_layers, mobilenet_v2_ptq, .timeout = 900) { model_layers("models/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite"); }
Test(conv_layers, micro_speech, .timeout = 600) { model_layers("models/tflm/micro_speech_quantized.tflite"); }
Test(conv_layers, kws_ref_model_float32, .timeout = 600) { model_layers("models/mlperf_tiny/kws_ref_model_float32.tflite"); }

/* ---- built models ---- */

typedef struct Case {
  char name[32];     /* inline: Criterion copies parameters into fresh processes */
  int code;          /* TFL_OP_CONV_2D, TFL_OP_DEPTHWISE_CONV_2D or TFL_OP_TRANSPOSE_CONV */
  int type;          /* activation dtype; weights are int8 for int16 */
  int batch, h, w, cin, cout, kh, kw, stride_h, stride_w, dil, padding, act;
  int groups;        /* CONV_2D: filter depth cin / groups */
  bool no_bias, bias32;
  bool pot;          /* power-of-two scales: requantization hits exact ties often */
} Case;

/* Hybrid convolutions (float32 activations, int8 weights) by their weight scales: one; one per
   output channel, unequal (TFLite's per-channel path); one per channel, all equal (its per-tensor
   path, with the tensor's legacy scale left 0). */
enum { HY_NONE, HY_TENSOR, HY_CHANNEL, HY_EQUAL };
typedef struct HybridCase {
  Case c;            /* type TFL_FLOAT32 */
  int scales;        /* HY_TENSOR, HY_CHANNEL or HY_EQUAL */
} HybridCase;

static int out_size(const Case *c, int in, int k, int stride) {
  if (c->code == TFL_OP_TRANSPOSE_CONV) return c->padding == 0 ? in * stride : (in - 1) * stride + k;
  int eff = (k - 1) * c->dil + 1;
  return c->padding == 0 ? (in + stride - 1) / stride : (in - eff) / stride + 1;
}

static void run_case(const Case *c, int hybrid) {
  static int8_t w8[16384];
  static float wf[16384];
  static int32_t b32[256];
  static int64_t b64[256];
  static float bf[256];
  static int32_t shape[4];
  bool f32 = c->type == TFL_FLOAT32, s16 = c->type == TFL_INT16, u8 = c->type == TFL_UINT8;
  bool dw = c->code == TFL_OP_DEPTHWISE_CONV_2D, tc = c->code == TFL_OP_TRANSPOSE_CONV;
  int oh = out_size(c, c->h, c->kh, c->stride_h), ow = out_size(c, c->w, c->kw, c->stride_w);
  int32_t xd[] = {c->batch, c->h, c->w, c->cin}, yd[] = {c->batch, oh, ow, c->cout};
  int32_t wd[4] = {c->cout, c->kh, c->kw, c->cin / (c->groups ? c->groups : 1)}, bd[] = {c->cout};
  if (dw) wd[0] = 1, wd[3] = c->cout;
  size_t nw = (size_t)wd[0] * wd[1] * wd[2] * wd[3];
  cr_assert_leq(nw, sizeof w8);
  cr_assert_leq(c->cout, 256);
  bool hy = hybrid != HY_NONE;
  int wtype = f32 && !hy ? TFL_FLOAT32 : u8 ? TFL_UINT8 : TFL_INT8;
  om_fill_i8(w8, nw, 7, u8 ? 0 : -127, 127);
  if (u8) for (size_t i = 0; i < nw; i++) w8[i] = (int8_t)(uint8_t)(w8[i] + 128);
  om_fill_f32(wf, nw, 7, -1, 1);
  om_fill_f32(bf, (size_t)c->cout, 9, -1, 1);
  om_fill_i32(b32, (size_t)c->cout, 9, -3000, 3000);
  for (int i = 0; i < c->cout; i++) b64[i] = (int64_t)b32[i] * 40;

  OmSpec s = {.code = c->code, .version = s16 || tc ? 3 : 2, .nout = 1};
  OmTensor *x, *wt, *b = NULL, *y;
  int nt = 0;
  if (tc) {
    shape[0] = yd[0], shape[1] = yd[1], shape[2] = yd[2], shape[3] = yd[3];
    s.t[nt] = (OmTensor){.name = "output_shape", .type = TFL_INT32, .rank = 1, .dims = {4},
                         .data = shape, .size = sizeof shape};
    s.in[s.nin++] = nt++;
  }
  x = &s.t[nt];
  *x = (OmTensor){.name = "x", .type = c->type, .rank = 4};
  memcpy(x->dims, xd, sizeof xd);
  int xi = nt++;
  wt = &s.t[nt];
  *wt = (OmTensor){.name = "w", .type = wtype, .rank = 4,
                   .data = wtype == TFL_FLOAT32 ? (const void *)wf : w8,
                   .size = nw * (wtype == TFL_FLOAT32 ? 4 : 1)};
  memcpy(wt->dims, wd, sizeof wd);
  int wi = nt++;
  if (tc) s.in[s.nin++] = wi, s.in[s.nin++] = xi;
  else s.in[s.nin++] = xi, s.in[s.nin++] = wi;
  if (!c->no_bias) {
    b = &s.t[nt];
    int bt = f32 ? TFL_FLOAT32 : s16 && !c->bias32 ? TFL_INT64 : TFL_INT32;
    const void *bdata = f32 ? (const void *)bf : bt == TFL_INT64 ? (const void *)b64 : b32;
    *b = (OmTensor){.name = "b", .type = bt, .rank = 1, .dims = {c->cout}, .data = bdata,
                    .size = (size_t)c->cout * tfl_type_size(bt)};
    memcpy(b->dims, bd, sizeof bd);
    s.in[s.nin++] = nt++;
  }
  y = &s.t[nt];
  *y = (OmTensor){.name = "y", .type = c->type, .rank = 4};
  memcpy(y->dims, yd, sizeof yd);
  s.out[0] = nt++;
  s.nt = nt;
  if (!f32) {
    x->nq = y->nq = 1;
    x->scale[0] = s16 ? 0.0005f : 0.05f, x->zp[0] = u8 ? 128 : s16 ? 0 : -3;
    y->scale[0] = s16 ? 0.002f : 0.25f, y->zp[0] = u8 ? 100 : s16 ? 0 : 5;
    if (c->pot) x->scale[0] = s16 ? 1.0f / 1024 : 0.5f, y->scale[0] = s16 ? 1.0f / 16 : 8.0f;
    if (u8) {
      wt->nq = 1, wt->scale[0] = c->pot ? 0.5f : 0.02f, wt->zp[0] = 120;
    } else {
      wt->nq = c->cout, wt->qdim = dw ? 3 : 0;
      for (int i = 0; i < c->cout; i++)
        wt->scale[i] = c->pot ? 0.5f : 0.004f + 0.012f * (float)(i % 5) / 4.0f;
    }
    if (b) {
      b->nq = wt->nq;
      for (int i = 0; i < wt->nq; i++) b->scale[i] = x->scale[0] * wt->scale[i];
    }
  }
  if (hy) {
    wt->nq = hybrid == HY_TENSOR ? 1 : c->cout, wt->qdim = dw ? 3 : 0;
    for (int i = 0; i < wt->nq; i++)
      wt->scale[i] = hybrid == HY_CHANNEL ? 0.004f + 0.012f * (float)(i % 5) / 4.0f : 0.0075f;
  }
  if (c->code == TFL_OP_CONV_2D) {
    om_options(&s, TFL_OPTS_Conv2DOptions);
    TflConv2DOptions *o = &s.options.Conv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = c->stride_h, o->stride_w = c->stride_w;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->fused_activation_function = (int8_t)c->act;
  } else if (dw) {
    om_options(&s, TFL_OPTS_DepthwiseConv2DOptions);
    TflDepthwiseConv2DOptions *o = &s.options.DepthwiseConv2DOptions;
    o->padding = (int8_t)c->padding, o->stride_h = c->stride_h, o->stride_w = c->stride_w;
    o->dilation_h_factor = o->dilation_w_factor = c->dil;
    o->depth_multiplier = c->cout / c->cin;
    o->fused_activation_function = (int8_t)c->act;
  } else {
    om_options(&s, TFL_OPTS_TransposeConvOptions);
    TflTransposeConvOptions *o = &s.options.TransposeConvOptions;
    o->padding = (int8_t)c->padding, o->stride_h = c->stride_h, o->stride_w = c->stride_w;
    o->fused_activation_function = (int8_t)c->act;
  }
  const char *keep = getenv("MODELC_OP_MODELS");
  char path[512];
  if (keep) snprintf(path, sizeof path, "%s/%s.tflite", keep, c->name);
  else snprintf(path, sizeof path, "/tmp/modelc-conv-%s-%d.tflite", c->name, (int)getpid());
  cr_assert_eq(om_write(&s, path), 0, "cannot write %s", path);
  char *paths[] = {path};
  bool ok = diff_models(paths, 1, c->name);
  if (!keep) unlink(path);
  cr_assert(ok, "%s: modelc and TFLite differ", c->name);
}

enum { SAME = 0, VALID = 1, NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3 };
#define CONV TFL_OP_CONV_2D
#define DW TFL_OP_DEPTHWISE_CONV_2D
#define TCONV TFL_OP_TRANSPOSE_CONV

/* The oracle's TFLite refuses CONV_2D without a bias, so only the other two omit it here; it also
   predates TRANSPOSE_CONV's fused activation (it ignores the option, newer TFLite applies it, as
   modelc does), so transpose convolutions are tested without one.
   name, op, dtype, batch, h, w, cin, cout, kh, kw, stride_h, stride_w, dilation, padding, act */
static const Case cases[] = {
  {"conv_f32_same_s2", CONV, TFL_FLOAT32, 2, 9, 7, 3, 5, 3, 3, 2, 2, 1, SAME, RELU6, 1, false, false, false},
  {"conv_f32_dil_valid", CONV, TFL_FLOAT32, 1, 11, 10, 4, 6, 3, 2, 1, 1, 2, VALID, RELU_N1_TO_1, 1, false, false, false},
  {"conv_f32_even", CONV, TFL_FLOAT32, 1, 8, 8, 2, 3, 4, 4, 1, 1, 1, SAME, NONE, 1, false, false, false},
  {"conv_s8_asym_stride", CONV, TFL_INT8, 1, 10, 9, 5, 7, 2, 3, 2, 1, 1, SAME, RELU, 1, false, false, false},
  {"conv_s8_n1to1_batch3", CONV, TFL_INT8, 3, 6, 6, 8, 4, 3, 3, 1, 1, 1, SAME, RELU_N1_TO_1, 1, false, false, false},
  {"conv_s8_dil3", CONV, TFL_INT8, 1, 12, 12, 3, 4, 3, 3, 1, 1, 3, SAME, NONE, 1, false, false, false},
  {"conv_u8_dil2_valid_relu", CONV, TFL_UINT8, 2, 9, 9, 4, 6, 3, 3, 1, 1, 2, VALID, RELU, 1, false, false, false},
  {"conv_u8_1x1_relu6", CONV, TFL_UINT8, 1, 5, 5, 40, 24, 1, 1, 1, 1, 1, SAME, RELU6, 1, false, false, false},
  {"conv_s16_stride2_relu", CONV, TFL_INT16, 2, 8, 7, 4, 6, 3, 4, 2, 2, 1, SAME, RELU, 1, false, false, false},
  {"conv_s16_dil_valid", CONV, TFL_INT16, 1, 9, 9, 3, 5, 3, 3, 1, 1, 2, VALID, NONE, 1, false, false, false},
  {"conv_s8_groups2", CONV, TFL_INT8, 1, 6, 6, 8, 6, 3, 3, 1, 1, 1, SAME, NONE, 2, false, false, false},
  {"dw_f32_mult3_s2", DW, TFL_FLOAT32, 2, 9, 8, 3, 9, 3, 3, 2, 2, 1, SAME, RELU6, 1, false, false, false},
  {"dw_f32_dil_valid", DW, TFL_FLOAT32, 1, 10, 10, 4, 4, 3, 3, 1, 1, 2, VALID, NONE, 1, false, false, false},
  {"dw_s8_batch2_even_relu", DW, TFL_INT8, 2, 8, 7, 6, 6, 4, 2, 1, 2, 1, SAME, RELU, 1, false, false, false},
  {"dw_s8_dil2_same", DW, TFL_INT8, 1, 9, 9, 5, 10, 3, 3, 1, 1, 2, SAME, RELU_N1_TO_1, 1, false, false, false},
  {"dw_u8_mult2_s2_relu6", DW, TFL_UINT8, 1, 11, 9, 4, 8, 3, 3, 2, 2, 1, SAME, RELU6, 1, false, false, false},
  {"dw_u8_nobias", DW, TFL_UINT8, 2, 6, 6, 3, 3, 3, 3, 1, 1, 1, VALID, NONE, .groups = 1, .no_bias = true, .pot = false},
  {"dw_s16_same", DW, TFL_INT16, 1, 7, 8, 4, 8, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, false},
  {"tconv_f32_same_s2", TCONV, TFL_FLOAT32, 1, 4, 5, 3, 4, 3, 3, 2, 2, 1, SAME, NONE, 1, false, false, false},
  {"tconv_f32_valid_batch2", TCONV, TFL_FLOAT32, 2, 3, 4, 5, 3, 3, 4, 1, 2, 1, VALID, NONE, 1, false, false, false},
  {"tconv_s8_same_s2", TCONV, TFL_INT8, 1, 5, 4, 6, 5, 3, 3, 2, 2, 1, SAME, NONE, 1, false, false, false},
  {"tconv_s8_valid_even", TCONV, TFL_INT8, 2, 3, 3, 4, 6, 4, 4, 2, 2, 1, VALID, NONE, 1, false, false, false},
  {"tconv_s8_nobias", TCONV, TFL_INT8, 1, 4, 4, 3, 3, 3, 3, 1, 1, 1, SAME, NONE, .groups = 1, .no_bias = true, .pot = false},
  {"tconv_u8_same_s2", TCONV, TFL_UINT8, 1, 4, 5, 4, 3, 3, 3, 2, 2, 1, SAME, NONE, 1, false, false, false},
  {"tconv_u8_valid", TCONV, TFL_UINT8, 1, 3, 4, 5, 4, 2, 3, 1, 2, 1, VALID, NONE, 1, false, false, false},
  {"tconv_s16_same_s2", TCONV, TFL_INT16, 1, 4, 4, 5, 6, 3, 4, 2, 2, 1, SAME, NONE, 1, false, false, false},
  {"tconv_s16_valid_batch2", TCONV, TFL_INT16, 2, 2, 5, 8, 4, 3, 4, 1, 2, 1, VALID, NONE, 1, false, false, false},
  {"conv_s8_pot", CONV, TFL_INT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, true},
  {"conv_s8_pot_dil", CONV, TFL_INT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, 2, SAME, NONE, 1, false, false, true},
  {"conv_u8_pot", CONV, TFL_UINT8, 1, 9, 9, 4, 6, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, true},
  {"conv_s16_pot", CONV, TFL_INT16, 1, 9, 9, 4, 6, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, true},
  {"dw_s8_pot", DW, TFL_INT8, 1, 9, 9, 6, 6, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, true},
  {"dw_u8_pot", DW, TFL_UINT8, 1, 9, 9, 6, 6, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, true},
  {"tconv_s8_pot", TCONV, TFL_INT8, 1, 5, 5, 4, 6, 3, 3, 2, 2, 1, SAME, NONE, 1, false, false, true},
  {"tconv_u8_pot", TCONV, TFL_UINT8, 1, 5, 5, 4, 6, 3, 3, 2, 2, 1, SAME, NONE, 1, false, false, true},
};

ParameterizedTestParameters(conv_built, cases) {
  return cr_make_param_array(Case, cases, sizeof cases / sizeof cases[0]);
}
ParameterizedTest(const Case *c, conv_built, cases, .timeout = 300) { run_case(c, HY_NONE); }

/* Hybrid (dynamic-range) convolutions: float32 activations and bias, int8 weights, the input
   quantized per batch at run time. TFLite has no grouped or dilated hybrid CONV_2D, and its
   hybrid DEPTHWISE_CONV_2D reads the bias unconditionally, so all have one. */
static const HybridCase hybrid_cases[] = {
  {{"conv_hy_chan_same_s2", CONV, TFL_FLOAT32, 2, 9, 7, 3, 5, 3, 3, 2, 2, 1, SAME, RELU6, 1, false, false, false}, HY_CHANNEL},
  {{"conv_hy_chan_1x1_b3", CONV, TFL_FLOAT32, 3, 5, 4, 16, 12, 1, 1, 1, 1, 1, SAME, RELU, 1, false, false, false}, HY_CHANNEL},
  {{"conv_hy_tensor_valid", CONV, TFL_FLOAT32, 1, 8, 8, 4, 6, 3, 2, 1, 1, 1, VALID, NONE, 1, false, false, false}, HY_TENSOR},
  {{"conv_hy_tensor_s2_b2", CONV, TFL_FLOAT32, 2, 10, 9, 5, 7, 4, 3, 2, 1, 1, SAME, RELU_N1_TO_1, 1, false, false, false}, HY_TENSOR},
  {{"conv_hy_equal_scales", CONV, TFL_FLOAT32, 1, 6, 6, 3, 4, 3, 3, 1, 1, 1, SAME, NONE, 1, false, false, false}, HY_EQUAL},
  {{"dw_hy_mult2_s2_b2", DW, TFL_FLOAT32, 2, 9, 8, 3, 6, 3, 3, 2, 2, 1, SAME, RELU6, 1, false, false, false}, HY_CHANNEL},
  {{"dw_hy_dil2_valid", DW, TFL_FLOAT32, 1, 10, 10, 4, 4, 3, 3, 1, 1, 2, VALID, NONE, 1, false, false, false}, HY_CHANNEL},
  {{"dw_hy_even_relu", DW, TFL_FLOAT32, 1, 8, 7, 6, 6, 4, 2, 1, 2, 1, SAME, RELU, 1, false, false, false}, HY_CHANNEL},
};

ParameterizedTestParameters(conv_hybrid, cases) {
  return cr_make_param_array(HybridCase, hybrid_cases, sizeof hybrid_cases / sizeof hybrid_cases[0]);
}
ParameterizedTest(const HybridCase *h, conv_hybrid, cases, .timeout = 300) { run_case(&h->c, h->scales); }
