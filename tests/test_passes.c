/* The graph passes (compiler/passes/): small multi-operator models built here, each shown before
   and after (the operator kinds in order, and which pass changed what), then run through
   `modelc run` with every pass, with the pass under test disabled, and with all disabled, on the
   same seeded input, under both roundings: the output files must be byte-identical. Then every
   shared model, all passes against none, with the passes that change it logged. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compiler/passes/passes.h"
#include "tests/opmodel.h"
#include "tests/util.h"

static OmTensor act(const char *name, int type, int rank, const int32_t *dims, float scale, int zp) {
  OmTensor t = {.name = name, .type = type, .rank = rank};
  memcpy(t.dims, dims, sizeof(int32_t) * (size_t)rank);
  if (scale > 0) t.nq = 1, t.scale[0] = scale, t.zp[0] = zp;
  return t;
}

static OmTensor cst(const char *name, int type, int rank, const int32_t *dims, const void *data,
                    size_t size, float scale, int zp) {
  OmTensor t = act(name, type, rank, dims, scale, zp);
  t.data = data, t.size = size;
  return t;
}

static int add_t(OmGraph *g, OmTensor t) {
  g->t[g->nt] = t;
  return g->nt++;
}

static void op1(OmGraph *g, int32_t code, int opts, int32_t a, int32_t y) {
  om_add_op(g, code, opts, 1, &a, 1, &y);
}
static OmOp *op2(OmGraph *g, int32_t code, int opts, int32_t a, int32_t b, int32_t y) {
  int32_t in[2] = {a, b};
  return om_add_op(g, code, opts, 2, in, 1, &y);
}

typedef struct Loaded {
  Arena a;
  TflModel src;
  Model m;
  uint8_t *buf;
} Loaded;

static void load(Loaded *l, const char *path) {
  size_t n;
  Err err = {.off = -1};
  l->buf = read_file(path, &n);
  cr_assert(l->buf, "cannot read %s", path);
  arena_init(&l->a, 256u << 20);
  cr_assert_eq(ir_load(l->buf, n, &l->a, &l->src, &l->m, &err), 0, "%s: %s", path, err.msg);
}

static void unload(Loaded *l) {
  arena_free(&l->a);
  free(l->buf);
}

/* The graph before and after the passes `disabled` leaves on; logs both and the report. */
static void passes_on(const char *path, uint32_t disabled, char *before, char *after, size_t n,
                      PassReport *r) {
  Loaded l;
  load(&l, path);
  Err err = {.off = -1};
  passes_op_list(&l.m.g[0], before, n);
  PassOptions o = {.disabled = disabled, .rounding = ROUND_SINGLE};
  cr_assert_eq(passes_run(&l.m, &o, r, &err), 0, "%s: passes: %s", path, err.msg);
  cr_assert_eq(passes_check(&l.m, &err), 0, "%s: %s", path, err.msg);
  passes_op_list(&l.m.g[0], after, n);
  char changed[512] = "";
  size_t k = 0;
  for (int i = 0; i < PASS_COUNT; i++)
    if (r->changes[i])
      k += (size_t)snprintf(changed + k, sizeof changed - k, " %s=%u", pass_info[i].name, r->changes[i]);
  cr_log_info("%s\n  before: %s\n  after:  %s\n  changes:%s", path, before, after, *changed ? changed : " none");
  unload(&l);
}

static void run_modelc(const char *path, const char *args, const char *dir) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' && '%s' run '%s' --seed 7 --output-dir '%s' %s 2>&1",
           dir, modelc_bin(), path, dir, args);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  char line[4096];
  while (fgets(line, sizeof line, p)) cr_log_info("%s", line);
  int st = pclose(p);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "modelc run %s %s failed", path, args);
}

/* Outputs 0..nout-1 of dirs a and b have the same bytes, and so do the inputs both wrote (the
   same seeded data). */
static bool same_files(const char *a, const char *b, int nout, const char *what) {
  bool ok = true;
  for (int k = 0; k < (nout > 16 ? nout : 16); k++) {
    for (int inout = 0; inout < 2; inout++) {
      char pa[4096], pb[4096];
      const char *stem = inout ? "output" : "input";
      if (inout && k >= nout) continue;
      snprintf(pa, sizeof pa, "%s/%s_%d.bin", a, stem, k);
      snprintf(pb, sizeof pb, "%s/%s_%d.bin", b, stem, k);
      size_t na, nb;
      uint8_t *x = read_file(pa, &na), *y = read_file(pb, &nb);
      if (inout == 1 && (!x || !y)) {
        cr_log_error("%s: %s or %s missing", what, pa, pb);
        ok = false;
      } else if (x && y && (na != nb || memcmp(x, y, na) != 0)) {
        cr_log_error("%s: %s and %s differ", what, pa, pb);
        ok = false;
      }
      free(x), free(y);
    }
  }
  return ok;
}

/* The first line of `modelc ARGS` output containing `key`, or "" . */
static void modelc_line(const char *args, const char *key, char *line, size_t n) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", modelc_bin(), args);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  bool found = false;
  while (fgets(line, (int)n, p))
    if (strstr(line, key)) {
      found = true;
      break;
    }
  if (!found) line[0] = 0;
  char rest[4096];
  while (fgets(rest, sizeof rest, p)) {}
  pclose(p);
}

/* The command line tells the same story: inspect --passes counts the operators left, and compile
   names the pass among those that changed the graph. */
static void cli_shows(const char *path, const char *name, const char *want_after) {
  unsigned nops = *want_after ? 1 : 0;
  for (const char *c = want_after; *c; c++) nops += *c == ' ';
  char args[1200], line[4096], want[64];
  snprintf(args, sizeof args, "inspect --passes '%s'", path);
  snprintf(want, sizeof want, "': %u operators", nops);
  modelc_line(args, "subgraph 0", line, sizeof line);
  cr_expect(strstr(line, want), "inspect --passes: '%s' lacks '%s'", line, want);
  snprintf(args, sizeof args, "compile '%s' -o /tmp/modelc-pass-cli-%d", path, (int)getpid());
  modelc_line(args, "passes:", line, sizeof line);
  cr_expect(strstr(line, name), "compile's 'passes:' line '%s' lacks %s", line, name);
  snprintf(args, sizeof args, "rm -rf /tmp/modelc-pass-cli-%d", (int)getpid());
  cr_expect_eq(system(args), 0);
}

/* Extra `modelc run` arguments for check(): the target the outputs are compared on. */
static const char *check_target = "";

/* The model at path, built from g, must rewrite to `want_after` with pass `name` changing it (or
   stay as it is when want_after is NULL), and compute the same bytes with it on and off. */
static void check(const OmGraph *g, const char *case_name, const char *name, const char *want_after) {
  char path[512], before[1024], after[1024], without[1024];
  snprintf(path, sizeof path, "/tmp/modelc-pass-%s-%d.tflite", case_name, (int)getpid());
  cr_assert_eq(om_write_graph(g, path), 0, "cannot write %s", path);
  int id = pass_find(name);
  cr_assert(id >= 0, "no pass %s", name);
  PassReport r, r2;
  passes_on(path, 0, before, after, sizeof before, &r);
  if (want_after) {
    cr_expect_str_eq(after, want_after, "%s: after the passes: '%s', expected '%s'", case_name, after, want_after);
    cr_expect_gt(r.changes[id], 0, "%s: %s changed nothing", case_name, name);
    /* Without the pass under test, the graph keeps what only it removes. */
    passes_on(path, 1u << id, before, without, sizeof before, &r2);
    cr_expect_eq(r2.changes[id], 0);
    cr_expect_str_neq(without, after, "%s: the same graph with %s disabled", case_name, name);
  } else {
    cr_expect_str_eq(after, before, "%s: expected no rewrite, got '%s' from '%s'", case_name, after, before);
  }
  if (want_after) cli_shows(path, name, want_after);
  static const char *const roundings[] = {"single", "double"};
  for (int ri = 0; ri < 2; ri++) {
    char dirs[3][600], args[3][256];
    snprintf(args[0], sizeof args[0], "--rounding %s %s", roundings[ri], check_target);
    snprintf(args[1], sizeof args[1], "--rounding %s --disable-pass %s %s", roundings[ri], name, check_target);
    snprintf(args[2], sizeof args[2], "--rounding %s --disable-pass all %s", roundings[ri], check_target);
    for (int k = 0; k < 3; k++) {
      snprintf(dirs[k], sizeof dirs[k], "/tmp/modelc-pass-%s-%d-%d-%d", case_name, (int)getpid(), ri, k);
      run_modelc(path, args[k], dirs[k]);
    }
    cr_expect(same_files(dirs[0], dirs[1], g->nout, case_name), "%s: %s changes the output (%s rounding)",
              case_name, name, roundings[ri]);
    cr_expect(same_files(dirs[0], dirs[2], g->nout, case_name), "%s: the passes change the output (%s rounding)",
              case_name, roundings[ri]);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", dirs[0], dirs[1], dirs[2]);
    cr_expect_eq(system(cmd), 0);
  }
  unlink(path);
}

/* ---- fold-activation ---- */

static int8_t wts[4096];
static int32_t bias[64];

/* int8 CONV_2D (activation act) -> standalone `relu` with output scale ys, zero point yzp. */
static void conv_relu(OmGraph *g, int conv_act, int32_t relu, float ys, int yzp) {
  int32_t xd[] = {1, 8, 8, 3}, wd[] = {4, 3, 3, 3}, bd[] = {4}, yd[] = {1, 8, 8, 4};
  om_fill_i8(wts, 4 * 27, 3, -127, 127);
  om_fill_i32(bias, 4, 5, -2000, 2000);
  int x = add_t(g, act("x", TFL_INT8, 4, xd, 0.05f, -3));
  int w = add_t(g, cst("w", TFL_INT8, 4, wd, wts, 4 * 27, 0.01f, 0));
  int b = add_t(g, cst("b", TFL_INT32, 1, bd, bias, 16, 0.0005f, 0));
  int c = add_t(g, act("conv", TFL_INT8, 4, yd, 0.1f, -10));
  int y = add_t(g, act("y", TFL_INT8, 4, yd, ys, yzp));
  int32_t in[3] = {x, w, b};
  OmOp *o = om_add_op(g, TFL_OP_CONV_2D, TFL_OPTS_Conv2DOptions, 3, in, 1, &c);
  o->version = 3;
  o->options.Conv2DOptions.stride_h = o->options.Conv2DOptions.stride_w = 1;
  o->options.Conv2DOptions.fused_activation_function = (int8_t)conv_act;
  op1(g, relu, 0, c, y);
  g->nin = 1, g->in[0] = x, g->nout = 1, g->out[0] = y;
}

Test(passes, fold_activation_conv_relu6_int8, .timeout = 120) {
  OmGraph g = {0};
  conv_relu(&g, ACT_NONE, TFL_OP_RELU6, 0.1f, -10);
  check(&g, "fa_conv_relu6", "fold-activation", "CONV_2D");
}

Test(passes, fold_activation_conv_relu_then_relu6_int8, .timeout = 120) {
  OmGraph g = {0};
  conv_relu(&g, ACT_RELU, TFL_OP_RELU6, 0.1f, -10);  /* RELU then RELU6: RELU6 */
  check(&g, "fa_relu_relu6", "fold-activation", "CONV_2D");
}

Test(passes, fold_activation_keeps_requantizing_relu, .timeout = 120) {
  OmGraph g = {0};
  conv_relu(&g, ACT_NONE, TFL_OP_RELU, 0.03f, -128);  /* other scale: RELU requantizes */
  check(&g, "fa_requant", "fold-activation", NULL);
}

Test(passes, fold_activation_keeps_unrepresentable_clamp, .timeout = 120) {
  OmGraph g = {0};
  conv_relu(&g, ACT_RELU_N1_TO_1, TFL_OP_RELU, 0.1f, -10);  /* [0, 1]: no fused activation */
  check(&g, "fa_n1_relu", "fold-activation", NULL);
}

static float fw[16 * 8], fb[16];

Test(passes, fold_activation_fc_relu_float, .timeout = 120) {
  OmGraph g = {0};
  int32_t xd[] = {2, 8}, wd[] = {16, 8}, bd[] = {16}, yd[] = {2, 16};
  om_fill_f32(fw, 16 * 8, 11, -1, 1);
  om_fill_f32(fb, 16, 12, -0.5f, 0.5f);
  int x = add_t(&g, act("x", TFL_FLOAT32, 2, xd, 0, 0));
  int w = add_t(&g, cst("w", TFL_FLOAT32, 2, wd, fw, sizeof fw, 0, 0));
  int b = add_t(&g, cst("b", TFL_FLOAT32, 1, bd, fb, sizeof fb, 0, 0));
  int h = add_t(&g, act("fc", TFL_FLOAT32, 2, yd, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 2, yd, 0, 0));
  int32_t in[3] = {x, w, b};
  om_add_op(&g, TFL_OP_FULLY_CONNECTED, TFL_OPTS_FullyConnectedOptions, 3, in, 1, &h);
  op1(&g, TFL_OP_RELU, 0, h, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fa_fc_relu", "fold-activation", "FULLY_CONNECTED");
}

Test(passes, fold_activation_pool_relu_n1_float, .timeout = 120) {
  OmGraph g = {0};
  int32_t xd[] = {1, 6, 6, 2}, yd[] = {1, 3, 3, 2};
  int x = add_t(&g, act("x", TFL_FLOAT32, 4, xd, 0, 0));
  int p = add_t(&g, act("pool", TFL_FLOAT32, 4, yd, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 4, yd, 0, 0));
  OmOp *o = om_add_op(&g, TFL_OP_MAX_POOL_2D, TFL_OPTS_Pool2DOptions, 1, &x, 1, &p);
  o->options.Pool2DOptions.stride_h = o->options.Pool2DOptions.stride_w = 2;
  o->options.Pool2DOptions.filter_height = o->options.Pool2DOptions.filter_width = 2;
  op1(&g, TFL_OP_RELU_N1_TO_1, 0, p, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fa_pool", "fold-activation", "MAX_POOL_2D");
}

/* The RELU's input is also a graph output: the unclamped values are observable. */
Test(passes, fold_activation_keeps_observed_input, .timeout = 120) {
  OmGraph g = {0};
  conv_relu(&g, ACT_NONE, TFL_OP_RELU6, 0.1f, -10);
  g.nout = 2, g.out[1] = 3;
  check(&g, "fa_observed", "fold-activation", NULL);
}

/* int8 ADD with activation `add_act` of x and a constant, output quantization (s, zp). */
static int8_t addc[2048];
static int add_int8(OmGraph *g, int *x, float s, int zp, int add_act) {
  int32_t d[] = {1, 2048};
  om_fill_i8(addc, sizeof addc, 17, -128, 127);
  *x = add_t(g, act("x", TFL_INT8, 2, d, 0.05f, 0));
  int c = add_t(g, cst("c", TFL_INT8, 2, d, addc, sizeof addc, 0.02f, 3));
  int y = add_t(g, act("sum", TFL_INT8, 2, d, s, zp));
  op2(g, TFL_OP_ADD, TFL_OPTS_AddOptions, *x, c, y)->options.AddOptions.fused_activation_function = (int8_t)add_act;
  return y;
}

Test(passes, fold_activation_add_relu_int8, .timeout = 120) {
  OmGraph g = {0};
  int x, s = add_int8(&g, &x, 0.06f, -5, ACT_NONE);
  int32_t d[] = {1, 2048};
  int y = add_t(&g, act("y", TFL_INT8, 2, d, 0.06f, -5));
  op1(&g, TFL_OP_RELU, 0, s, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fa_add", "fold-activation", "ADD");
}

/* RELU6 after ADD: under single rounding the ADD clamps as XNNPACK computes it; both must agree. */
Test(passes, fold_activation_add_relu6_int8, .timeout = 120) {
  OmGraph g = {0};
  int x, s = add_int8(&g, &x, 0.06f, -5, ACT_NONE);
  int32_t d[] = {1, 2048};
  int y = add_t(&g, act("y", TFL_INT8, 2, d, 0.06f, -5));
  op1(&g, TFL_OP_RELU6, 0, s, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fa_add6", "fold-activation", "ADD");
}

/* ---- fold-pad ---- */

/* check() on every target whose convolution kernels take the padding: generic, x86-64-avx2,
   aarch64-neon when its cross compiler and qemu are installed (tests/test_aarch64.c), and
   x86-64-avx512 on a CPU with AVX-512 VNNI. */
static void check_targets(const OmGraph *g, const char *case_name, const char *name, const char *want) {
  static const char *const targets[] = {"--target generic", "--target x86-64-avx2",
                                        "--target aarch64-neon", "--target x86-64-avx512"};
  bool neon = system("command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64 >/dev/null") == 0;
  for (unsigned i = 0; i < 4; i++) {
    if (i == 2 && !neon) {
      cr_log_warn("%s: aarch64-neon not run (no cross compiler or qemu)", case_name);
      continue;
    }
    if (i == 3 && !cpu_has_avx512()) {
      cr_log_warn("%s: target x86-64-avx512 not run: this CPU lacks AVX-512 VNNI", case_name);
      continue;
    }
    check_target = targets[i];
    check(g, case_name, name, want);
  }
  check_target = "";
}

static int8_t pw[16 * 3 * 3 * 16];
static int32_t pbias[64];
static float pwf[16 * 3 * 3 * 4], pbf[64];
static int32_t pads[8];
static int8_t padv[1];
static OmTensor chan_q(OmTensor t, int n) {  /* per-channel int8 weights along qdim */
  t.nq = n;
  for (int c = 0; c < n; c++) t.scale[c] = 0.004f + 0.0005f * (float)c, t.zp[c] = 0;
  return t;
}

/* x [1, H, W, C] -> PAD (top, bottom, left, right) -> `kind` 3x3 with stride s, SAME or VALID:
   int8 (x zero point -3, per-channel weights, 16 outputs) or float32; `value` >= -128 makes it a
   PADV2 with that constant. Returns the padded tensor. */
static int pad_conv(OmGraph *g, int32_t kind, int type, int H, int W, int C, int t, int b, int l,
                    int r, int stride, int padding, int value) {
  int32_t xd[] = {1, H, W, C}, pd[] = {4, 2}, vd[] = {1};
  int32_t Hp = H + t + b, Wp = W + l + r, O = 16;
  int32_t md[] = {1, Hp, Wp, C};
  int eh = padding == 0 ? (Hp + stride - 1) / stride : (Hp - 3) / stride + 1;
  int ew = padding == 0 ? (Wp + stride - 1) / stride : (Wp - 3) / stride + 1;
  bool dw = kind == TFL_OP_DEPTHWISE_CONV_2D;
  if (dw) O = C;
  int32_t yd[] = {1, eh, ew, O}, bd[] = {O};
  int32_t wd[] = {dw ? 1 : O, 3, 3, C};
  size_t nw = (size_t)(dw ? 1 : O) * 9 * C;
  memset(pads, 0, sizeof pads);
  pads[2] = t, pads[3] = b, pads[4] = l, pads[5] = r;
  bool fl = type == TFL_FLOAT32;
  int x = add_t(g, act("x", type, 4, xd, fl ? 0 : 0.05f, -3));
  int p = add_t(g, cst("paddings", TFL_INT32, 2, pd, pads, sizeof pads, 0, 0));
  int m = add_t(g, act("padded", type, 4, md, fl ? 0 : 0.05f, -3));
  int w, bi;
  if (fl) {
    om_fill_f32(pwf, nw, 61, -1, 1);
    om_fill_f32(pbf, (size_t)O, 62, -0.5f, 0.5f);
    w = add_t(g, cst("w", type, 4, wd, pwf, sizeof(float) * nw, 0, 0));
    bi = add_t(g, cst("b", TFL_FLOAT32, 1, bd, pbf, sizeof(float) * (size_t)O, 0, 0));
  } else {
    om_fill_i8(pw, nw, 63, -127, 127);
    om_fill_i32(pbias, (size_t)O, 64, -3000, 3000);
    OmTensor wt = chan_q(cst("w", TFL_INT8, 4, wd, pw, nw, 1, 0), O);
    wt.qdim = dw ? 3 : 0;
    w = add_t(g, wt);
    OmTensor bt = chan_q(cst("b", TFL_INT32, 1, bd, pbias, 4 * (size_t)O, 1, 0), O);
    for (int c = 0; c < O; c++) bt.scale[c] *= 0.05f;
    bi = add_t(g, bt);
  }
  int y = add_t(g, act("y", type, 4, yd, fl ? 0 : 0.08f, 2));
  if (value >= -128) {
    padv[0] = (int8_t)value;
    int v = add_t(g, cst("value", type, 1, vd, padv, 1, 0.05f, -3));
    int32_t in[3] = {x, p, v};
    om_add_op(g, TFL_OP_PADV2, TFL_OPTS_PadV2Options, 3, in, 1, &m);
  } else {
    op2(g, TFL_OP_PAD, TFL_OPTS_PadOptions, x, p, m);
  }
  int32_t in[3] = {m, w, bi};
  OmOp *o = om_add_op(g, kind, dw ? TFL_OPTS_DepthwiseConv2DOptions : TFL_OPTS_Conv2DOptions, 3, in, 1, &y);
  o->version = fl ? 1 : 3;
  if (dw) {
    TflDepthwiseConv2DOptions *d = &o->options.DepthwiseConv2DOptions;
    d->stride_h = d->stride_w = stride, d->padding = (int8_t)padding, d->depth_multiplier = 1;
  } else {
    TflConv2DOptions *c = &o->options.Conv2DOptions;
    c->stride_h = c->stride_w = stride, c->padding = (int8_t)padding;
  }
  g->nin = 1, g->in[0] = x, g->nout = 1, g->out[0] = y;
  return m;
}

enum { SAME = 0, VALID = 1, NO_V2 = -1000 };

/* The TF2/Keras stride-2 export: ZeroPadding2D(((0, 1), (0, 1))) before a VALID convolution. */
Test(passes, fold_pad_conv_int8_stride2, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_CONV_2D, TFL_INT8, 12, 11, 8, 0, 1, 0, 1, 2, VALID, NO_V2);
  check_targets(&g, "fp_conv", "fold-pad", "CONV_2D");
}

/* Asymmetric the other way, into a SAME convolution (whose own padding adds to it): top 2. */
Test(passes, fold_pad_conv_int8_same, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_CONV_2D, TFL_INT8, 9, 10, 5, 1, 0, 0, 1, 1, SAME, NO_V2);
  check_targets(&g, "fp_conv_same", "fold-pad", "CONV_2D");
}

Test(passes, fold_pad_depthwise_int8, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_DEPTHWISE_CONV_2D, TFL_INT8, 13, 12, 24, 1, 1, 1, 0, 2, VALID, NO_V2);
  check_targets(&g, "fp_dw", "fold-pad", "DEPTHWISE_CONV_2D");
}

/* All padding after the input (bottom 2, right 2: a whole window's reach less one). */
Test(passes, fold_pad_depthwise_int8_after, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_DEPTHWISE_CONV_2D, TFL_INT8, 7, 9, 16, 0, 2, 0, 2, 1, VALID, NO_V2);
  check_targets(&g, "fp_dw_after", "fold-pad", "DEPTHWISE_CONV_2D");
}

/* PADV2 of the zero point folds; of any other value it must not (the kernels would read the
   zero point where the model reads 5). */
Test(passes, fold_pad_padv2_zero_point, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_CONV_2D, TFL_INT8, 8, 8, 4, 1, 1, 1, 1, 2, VALID, -3);
  check_targets(&g, "fp_v2", "fold-pad", "CONV_2D");
}

Test(passes, fold_pad_keeps_other_value, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_CONV_2D, TFL_INT8, 8, 8, 4, 1, 1, 1, 1, 2, VALID, 5);
  check_targets(&g, "fp_v2_other", "fold-pad", NULL);
}

/* Padding wider than the window's reach would leave all-padding windows: kept. */
Test(passes, fold_pad_keeps_wide_padding, .timeout = 300) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_CONV_2D, TFL_INT8, 8, 8, 4, 3, 0, 0, 0, 1, VALID, NO_V2);
  check(&g, "fp_wide", "fold-pad", NULL);
}

/* A second reader of the padded tensor (here also a graph output) keeps the PAD. */
Test(passes, fold_pad_keeps_two_consumers, .timeout = 300) {
  OmGraph g = {0};
  int m = pad_conv(&g, TFL_OP_CONV_2D, TFL_INT8, 8, 8, 4, 1, 1, 1, 1, 2, VALID, NO_V2);
  int32_t md[] = {1, 10, 10, 4};
  int y2 = add_t(&g, act("y2", TFL_INT8, 4, md, 0.05f, -3));
  op1(&g, TFL_OP_RELU, 0, m, y2);
  g.nout = 2, g.out[1] = y2;
  check(&g, "fp_two", "fold-pad", NULL);
}

Test(passes, fold_pad_conv_float, .timeout = 900) {
  OmGraph g = {0};
  pad_conv(&g, TFL_OP_CONV_2D, TFL_FLOAT32, 10, 9, 4, 0, 1, 1, 1, 2, VALID, NO_V2);
  check_targets(&g, "fp_float", "fold-pad", "CONV_2D");
}

/* MAX_POOL_2D: a PADV2 of -128 (int8's minimum) never wins a window, so it folds; the zero point
   (-3) could, so that PAD stays. */
static void pad_pool(OmGraph *g, int value) {
  int32_t xd[] = {1, 9, 9, 8}, pd[] = {4, 2}, vd[] = {1}, md[] = {1, 11, 11, 8}, yd[] = {1, 5, 5, 8};
  memset(pads, 0, sizeof pads);
  pads[2] = 1, pads[3] = 1, pads[4] = 2, pads[5] = 0;
  padv[0] = (int8_t)value;
  int x = add_t(g, act("x", TFL_INT8, 4, xd, 0.05f, -3));
  int p = add_t(g, cst("paddings", TFL_INT32, 2, pd, pads, sizeof pads, 0, 0));
  int v = add_t(g, cst("value", TFL_INT8, 1, vd, padv, 1, 0.05f, -3));
  int m = add_t(g, act("padded", TFL_INT8, 4, md, 0.05f, -3));
  int y = add_t(g, act("y", TFL_INT8, 4, yd, 0.05f, -3));
  int32_t in[3] = {x, p, v};
  om_add_op(g, TFL_OP_PADV2, TFL_OPTS_PadV2Options, 3, in, 1, &m);
  OmOp *o = om_add_op(g, TFL_OP_MAX_POOL_2D, TFL_OPTS_Pool2DOptions, 1, &m, 1, &y);
  o->options.Pool2DOptions.stride_h = o->options.Pool2DOptions.stride_w = 2;
  o->options.Pool2DOptions.filter_height = o->options.Pool2DOptions.filter_width = 3;
  o->options.Pool2DOptions.padding = VALID;
  g->nin = 1, g->in[0] = x, g->nout = 1, g->out[0] = y;
}

Test(passes, fold_pad_max_pool_type_minimum, .timeout = 300) {
  OmGraph g = {0};
  pad_pool(&g, -128);
  check(&g, "fp_pool", "fold-pad", "MAX_POOL_2D");
}

Test(passes, fold_pad_max_pool_keeps_zero_point, .timeout = 300) {
  OmGraph g = {0};
  pad_pool(&g, -3);
  check(&g, "fp_pool_zp", "fold-pad", NULL);
}

/* ---- fuse-residual-add ---- */

static int8_t rw[2][32 * 32];
static int32_t rb[2][32];

/* A 1x1 CONV_2D (or 3x3 SAME DEPTHWISE_CONV_2D) of x [1, 9, 7, C] with activation fact, type int8
   (per-channel weights) or uint8 (per-tensor, weight zero point 3): tensor y. */
static int res_conv(OmGraph *g, int k, int x, int C, int type, bool dw, int fact, const char *name,
                    float ys, int yzp) {
  int32_t wd[] = {dw ? 1 : C, dw ? 3 : 1, dw ? 3 : 1, C}, bd[] = {C}, yd[] = {1, 9, 7, C};
  size_t nw = (size_t)C * (dw ? 9 : (size_t)C);
  om_fill_i8(rw[k], nw, 70 + (uint32_t)k, type == TFL_UINT8 ? 0 : -127, 127);
  om_fill_i32(rb[k], (size_t)C, 72 + (uint32_t)k, -2000, 2000);
  OmTensor wt = cst(k ? "w1" : "w0", type, 4, wd, rw[k], nw, 0.01f, type == TFL_UINT8 ? 3 : 0);
  OmTensor bt = cst(k ? "b1" : "b0", TFL_INT32, 1, bd, rb[k], 4 * (size_t)C, 0.0005f, 0);
  if (type == TFL_INT8) {
    wt = chan_q(wt, C), wt.qdim = dw ? 3 : 0;
    bt = chan_q(bt, C);
    for (int c = 0; c < C; c++) bt.scale[c] *= 0.05f;
  }
  int w = add_t(g, wt), b = add_t(g, bt);
  int y = add_t(g, act(name, type, 4, yd, ys, yzp));
  int32_t in[3] = {x, w, b};
  OmOp *o = om_add_op(g, dw ? TFL_OP_DEPTHWISE_CONV_2D : TFL_OP_CONV_2D,
                      dw ? TFL_OPTS_DepthwiseConv2DOptions : TFL_OPTS_Conv2DOptions, 3, in, 1, &y);
  o->version = type == TFL_INT8 ? 3 : 1;
  if (dw) {
    TflDepthwiseConv2DOptions *d = &o->options.DepthwiseConv2DOptions;
    d->stride_h = d->stride_w = 1, d->depth_multiplier = 1, d->fused_activation_function = (int8_t)fact;
  } else {
    o->options.Conv2DOptions.stride_h = o->options.Conv2DOptions.stride_w = 1;
    o->options.Conv2DOptions.fused_activation_function = (int8_t)fact;
  }
  return y;
}

static int res_add(OmGraph *g, int a, int b, int type, int fact, float s, int zp) {
  int32_t yd[] = {1, 9, 7, g->t[a].dims[3]};
  int y = add_t(g, act("sum", type, 4, yd, s, zp));
  op2(g, TFL_OP_ADD, TFL_OPTS_AddOptions, a, b, y)->options.AddOptions.fused_activation_function = (int8_t)fact;
  return y;
}

/* MobileNetV2's block: x -> 1x1 conv -> ADD(conv, x). */
Test(passes, fuse_residual_add_conv_int8, .timeout = 900) {
  OmGraph g = {0};
  int32_t xd[] = {1, 9, 7, 24};
  int x = add_t(&g, act("x", TFL_INT8, 4, xd, 0.05f, -3));
  int c = res_conv(&g, 0, x, 24, TFL_INT8, false, ACT_NONE, "conv", 0.07f, 5);
  int y = res_add(&g, c, x, TFL_INT8, ACT_NONE, 0.09f, -2);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check_targets(&g, "fr_conv", "fuse-residual-add", "CONV_2D+ADD");
}

/* The other operand first and produced by an earlier layer; the ADD has an activation (RELU6)
   and the depthwise one too; uint8 with a weight zero point. */
Test(passes, fuse_residual_add_depthwise_uint8, .timeout = 900) {
  OmGraph g = {0};
  int32_t xd[] = {1, 9, 7, 20};
  int x = add_t(&g, act("x", TFL_UINT8, 4, xd, 0.05f, 128));
  int h = res_conv(&g, 0, x, 20, TFL_UINT8, false, ACT_RELU, "h", 0.04f, 0);
  int d = res_conv(&g, 1, h, 20, TFL_UINT8, true, ACT_RELU6, "dw", 0.03f, 10);
  int y = res_add(&g, h, d, TFL_UINT8, ACT_RELU6, 0.05f, 7);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check_targets(&g, "fr_dw", "fuse-residual-add", "CONV_2D DEPTHWISE_CONV_2D+ADD");
}

/* Two convolutions of x, the second scheduled later: the ADD can only become the second's
   epilogue (the first runs before the second's result exists). */
Test(passes, fuse_residual_add_into_later_conv, .timeout = 900) {
  OmGraph g = {0};
  int32_t xd[] = {1, 9, 7, 16};
  int x = add_t(&g, act("x", TFL_INT8, 4, xd, 0.05f, -3));
  int c0 = res_conv(&g, 0, x, 16, TFL_INT8, false, ACT_NONE, "c0", 0.07f, 5);
  int c1 = res_conv(&g, 1, x, 16, TFL_INT8, false, ACT_RELU, "c1", 0.06f, -128);
  int y = res_add(&g, c0, c1, TFL_INT8, ACT_NONE, 0.1f, 0);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check_targets(&g, "fr_later", "fuse-residual-add", "CONV_2D CONV_2D+ADD");
}

/* On x86-64-avx2 the ADD runs in the convolution tiles' epilogue (avx2_out_add.c): uint8 with a
   weight zero point, 31 channels (a last block of 15: the 8-, 4-, 2- and 1-byte loads and stores
   of avx2_common.c's mc_avx2_load_bytes and mc_avx2_store_bytes), the other operand first and a RELU on the
   ADD; then int8 with an input scale 500 times the output's, outside XNNPACK's range, so the
   add_q form under single rounding too. */
Test(passes, fuse_residual_add_in_tile_epilogue, .timeout = 900) {
  OmGraph g = {0};
  int32_t xd[] = {1, 9, 7, 31};
  int x = add_t(&g, act("x", TFL_UINT8, 4, xd, 0.05f, 128));
  int c = res_conv(&g, 0, x, 31, TFL_UINT8, false, ACT_NONE, "conv", 0.04f, 120);
  int y = res_add(&g, x, c, TFL_UINT8, ACT_RELU, 0.05f, 7);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check_targets(&g, "fr_epi_u8", "fuse-residual-add", "CONV_2D+ADD");
  OmGraph h = {0};
  int32_t hd[] = {1, 9, 7, 24};
  x = add_t(&h, act("x", TFL_INT8, 4, hd, 1.0f, -3));
  c = res_conv(&h, 1, x, 24, TFL_INT8, false, ACT_RELU6, "conv", 0.03f, -20);
  y = res_add(&h, c, x, TFL_INT8, ACT_NONE, 0.002f, 4);
  h.nin = 1, h.in[0] = x, h.nout = 1, h.out[0] = y;
  check_targets(&h, "fr_epi_ratio", "fuse-residual-add", "CONV_2D+ADD");
}

/* The convolution's result read twice (a graph output too): not fused. */
Test(passes, fuse_residual_add_keeps_observed_conv, .timeout = 300) {
  OmGraph g = {0};
  int32_t xd[] = {1, 9, 7, 16};
  int x = add_t(&g, act("x", TFL_INT8, 4, xd, 0.05f, -3));
  int c = res_conv(&g, 0, x, 16, TFL_INT8, false, ACT_NONE, "conv", 0.07f, 5);
  int y = res_add(&g, c, x, TFL_INT8, ACT_NONE, 0.09f, -2);
  g.nin = 1, g.in[0] = x, g.nout = 2, g.out[0] = y, g.out[1] = c;
  check(&g, "fr_observed", "fuse-residual-add", NULL);
}

/* A broadcast operand (one value per channel): not an elementwise epilogue. */
Test(passes, fuse_residual_add_keeps_broadcast, .timeout = 300) {
  OmGraph g = {0};
  int32_t xd[] = {1, 9, 7, 16}, cd[] = {1, 1, 1, 16};
  om_fill_i8(addc, 16, 18, -128, 127);
  int x = add_t(&g, act("x", TFL_INT8, 4, xd, 0.05f, -3));
  int k = add_t(&g, cst("k", TFL_INT8, 4, cd, addc, 16, 0.02f, 1));
  int c = res_conv(&g, 0, x, 16, TFL_INT8, false, ACT_NONE, "conv", 0.07f, 5);
  int y = res_add(&g, c, k, TFL_INT8, ACT_NONE, 0.09f, -2);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fr_bcast", "fuse-residual-add", NULL);
}

/* ---- remove-identity ---- */

static float fc6[4 * 5 * 6];
static const int32_t shape456[] = {1, 4, 5, 6};

Test(passes, remove_identity_reshape_to_output, .timeout = 120) {
  OmGraph g = {0};
  int32_t d[] = {1, 4, 5, 6}, sd[] = {4};
  om_fill_f32(fc6, 120, 21, -1, 1);
  int x = add_t(&g, act("x", TFL_FLOAT32, 4, d, 0, 0));
  int c = add_t(&g, cst("c", TFL_FLOAT32, 4, d, fc6, sizeof fc6, 0, 0));
  int s = add_t(&g, act("sum", TFL_FLOAT32, 4, d, 0, 0));
  int shp = add_t(&g, cst("shape", TFL_INT32, 1, sd, shape456, sizeof shape456, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 4, d, 0, 0));
  op2(&g, TFL_OP_ADD, TFL_OPTS_AddOptions, x, c, s);
  op2(&g, TFL_OP_RESHAPE, TFL_OPTS_ReshapeOptions, s, shp, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "ri_reshape", "remove-identity", "ADD");
}

static const int32_t perm_a[] = {0, 3, 1, 2}, perm_b[] = {0, 2, 3, 1};

Test(passes, remove_identity_inverse_transposes, .timeout = 120) {
  OmGraph g = {0};
  int32_t d[] = {1, 4, 5, 6}, td[] = {1, 6, 4, 5}, pd[] = {4};
  om_fill_f32(fc6, 120, 22, -1, 1);
  int x = add_t(&g, act("x", TFL_FLOAT32, 4, d, 0, 0));
  int pa = add_t(&g, cst("pa", TFL_INT32, 1, pd, perm_a, sizeof perm_a, 0, 0));
  int pb = add_t(&g, cst("pb", TFL_INT32, 1, pd, perm_b, sizeof perm_b, 0, 0));
  int t1 = add_t(&g, act("t1", TFL_FLOAT32, 4, td, 0, 0));
  int t2 = add_t(&g, act("t2", TFL_FLOAT32, 4, d, 0, 0));
  int c = add_t(&g, cst("c", TFL_FLOAT32, 4, d, fc6, sizeof fc6, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 4, d, 0, 0));
  op2(&g, TFL_OP_TRANSPOSE, TFL_OPTS_TransposeOptions, x, pa, t1);
  op2(&g, TFL_OP_TRANSPOSE, TFL_OPTS_TransposeOptions, t1, pb, t2);
  op2(&g, TFL_OP_MUL, TFL_OPTS_MulOptions, t2, c, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "ri_transpose", "remove-identity", "MUL");
}

Test(passes, remove_identity_same_quantize_int8, .timeout = 120) {
  OmGraph g = {0};
  int x, s = add_int8(&g, &x, 0.06f, -5, ACT_NONE);
  int32_t d[] = {1, 2048};
  int y = add_t(&g, act("y", TFL_INT8, 2, d, 0.06f, -5));
  op1(&g, TFL_OP_QUANTIZE, 0, s, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "ri_quantize", "remove-identity", "ADD");
}

/* A graph input passed straight to a graph output: the copy must stay. */
Test(passes, remove_identity_keeps_input_to_output, .timeout = 120) {
  OmGraph g = {0};
  int32_t d[] = {1, 300};
  int x = add_t(&g, act("x", TFL_INT8, 2, d, 0.1f, 2));
  int y = add_t(&g, act("y", TFL_INT8, 2, d, 0.1f, 2));
  op1(&g, TFL_OP_QUANTIZE, 0, x, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "ri_io", "remove-identity", NULL);
}

/* ---- remove-dead ---- */

Test(passes, remove_dead_unused_branch_and_constant, .timeout = 120) {
  OmGraph g = {0};
  int32_t xd[] = {2, 8}, wd[] = {16, 8}, bd[] = {16}, yd[] = {2, 16};
  om_fill_f32(fw, 16 * 8, 31, -1, 1);
  om_fill_f32(fb, 16, 32, -0.5f, 0.5f);
  int x = add_t(&g, act("x", TFL_FLOAT32, 2, xd, 0, 0));
  int w = add_t(&g, cst("w", TFL_FLOAT32, 2, wd, fw, sizeof fw, 0, 0));
  int b = add_t(&g, cst("b", TFL_FLOAT32, 1, bd, fb, sizeof fb, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 2, yd, 0, 0));
  int dead = add_t(&g, act("dead", TFL_FLOAT32, 2, xd, 0, 0));
  int dead2 = add_t(&g, act("dead2", TFL_FLOAT32, 2, xd, 0, 0));
  add_t(&g, cst("unused", TFL_FLOAT32, 1, bd, fb, sizeof fb, 0, 0));
  int32_t in[3] = {x, w, b};
  op2(&g, TFL_OP_MUL, TFL_OPTS_MulOptions, x, x, dead);
  om_add_op(&g, TFL_OP_FULLY_CONNECTED, TFL_OPTS_FullyConnectedOptions, 3, in, 1, &y);
  op1(&g, TFL_OP_TANH, 0, dead, dead2);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "rd", "remove-dead", "FULLY_CONNECTED");
  /* And the unused constant no longer counts. */
  char path[512];
  snprintf(path, sizeof path, "/tmp/modelc-pass-rd2-%d.tflite", (int)getpid());
  cr_assert_eq(om_write_graph(&g, path), 0);
  Loaded l;
  load(&l, path);
  int64_t before = l.m.g[0].constant_bytes;
  PassOptions o = {.rounding = ROUND_SINGLE};
  PassReport r;
  Err err = {.off = -1};
  cr_assert_eq(passes_run(&l.m, &o, &r, &err), 0, "%s", err.msg);
  cr_expect_eq(r.changes[PASS_remove_dead], 3, "2 operators and 1 constant, not %u", r.changes[PASS_remove_dead]);
  cr_expect_eq(l.m.g[0].constant_bytes, before - (int64_t)sizeof fb);
  unload(&l);
  unlink(path);
}

/* ---- fold-quantize-chain ---- */

/* int8 sum -> A (to tensor (ta, sa, za)) -> B (to tensor (tb, sb, zb)) -> output. */
static void chain(OmGraph *g, int32_t a_code, int ta, float sa, int za, int32_t b_code, int tb,
                  float sb, int zb) {
  int x, s = add_int8(g, &x, 0.05f, 0, ACT_NONE);
  int32_t d[] = {1, 2048};
  int m = add_t(g, act("mid", ta, 2, d, sa, za));
  int y = add_t(g, act("y", tb, 2, d, sb, zb));
  op1(g, a_code, 0, s, m);
  op1(g, b_code, 0, m, y);
  g->nin = 1, g->in[0] = x, g->nout = 1, g->out[0] = y;
}

Test(passes, fold_quantize_chain_dequantize_quantize_back, .timeout = 120) {
  OmGraph g = {0};
  chain(&g, TFL_OP_DEQUANTIZE, TFL_FLOAT32, 0, 0, TFL_OP_QUANTIZE, TFL_INT8, 0.05f, 0);
  check(&g, "fq_back", "fold-quantize-chain", "ADD");
}

Test(passes, fold_quantize_chain_dequantize_quantize_to_uint8, .timeout = 120) {
  OmGraph g = {0};
  chain(&g, TFL_OP_DEQUANTIZE, TFL_FLOAT32, 0, 0, TFL_OP_QUANTIZE, TFL_UINT8, 0.05f, 128);
  check(&g, "fq_u8", "fold-quantize-chain", "ADD QUANTIZE");
}

Test(passes, fold_quantize_chain_int16_round_trip, .timeout = 120) {
  OmGraph g = {0};
  chain(&g, TFL_OP_QUANTIZE, TFL_INT16, 0.05f / 128, 0, TFL_OP_QUANTIZE, TFL_INT8, 0.05f, 0);
  check(&g, "fq_s16", "fold-quantize-chain", "ADD");
}

Test(passes, fold_quantize_chain_requantize_dequantize, .timeout = 120) {
  OmGraph g = {0};
  chain(&g, TFL_OP_QUANTIZE, TFL_INT16, 0.05f / 128, 0, TFL_OP_DEQUANTIZE, TFL_FLOAT32, 0, 0);
  check(&g, "fq_deq", "fold-quantize-chain", "ADD DEQUANTIZE");
}

/* Through a coarser scale values are lost: the pair stays. */
Test(passes, fold_quantize_chain_keeps_lossy_pair, .timeout = 120) {
  OmGraph g = {0};
  chain(&g, TFL_OP_QUANTIZE, TFL_INT8, 0.2f, 0, TFL_OP_QUANTIZE, TFL_INT8, 0.05f, 0);
  check(&g, "fq_lossy", "fold-quantize-chain", NULL);
}

/* ---- fold-constants ---- */

static int8_t qw[16 * 8];

/* DEQUANTIZE'd int8 weights of a float FULLY_CONNECTED (a common converter output). */
Test(passes, fold_constants_dequantized_weights, .timeout = 120) {
  OmGraph g = {0};
  int32_t xd[] = {2, 8}, wd[] = {16, 8}, yd[] = {2, 16};
  om_fill_i8(qw, sizeof qw, 41, -127, 127);
  int x = add_t(&g, act("x", TFL_FLOAT32, 2, xd, 0, 0));
  int wq = add_t(&g, cst("wq", TFL_INT8, 2, wd, qw, sizeof qw, 0.013f, 2));
  int w = add_t(&g, act("w", TFL_FLOAT32, 2, wd, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 2, yd, 0, 0));
  op1(&g, TFL_OP_DEQUANTIZE, 0, wq, w);
  int32_t in[3] = {x, w, -1};
  om_add_op(&g, TFL_OP_FULLY_CONNECTED, TFL_OPTS_FullyConnectedOptions, 3, in, 1, &y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fc_deq", "fold-constants", "FULLY_CONNECTED");
}

static float ct[2 * 3];
static const int32_t perm10[] = {1, 0}, shape6[] = {6};
static int32_t ci[6] = {-3, 0, 7, 100000, -2147483647, 5};

/* TRANSPOSE then RESHAPE of a constant, and CAST of one, feeding arithmetic; and a constant
   RESHAPE that is itself a graph output. */
Test(passes, fold_constants_transpose_reshape_cast, .timeout = 120) {
  OmGraph g = {0};
  int32_t cd[] = {2, 3}, td[] = {3, 2}, d6[] = {6}, pd[] = {2}, sd[] = {1};
  om_fill_f32(ct, 6, 51, -2, 2);
  int x = add_t(&g, act("x", TFL_FLOAT32, 1, d6, 0, 0));
  int c = add_t(&g, cst("c", TFL_FLOAT32, 2, cd, ct, sizeof ct, 0, 0));
  int p = add_t(&g, cst("perm", TFL_INT32, 1, pd, perm10, sizeof perm10, 0, 0));
  int s = add_t(&g, cst("shape", TFL_INT32, 1, sd, shape6, sizeof shape6, 0, 0));
  int ct_ = add_t(&g, act("ct", TFL_FLOAT32, 2, td, 0, 0));
  int cr = add_t(&g, act("cr", TFL_FLOAT32, 1, d6, 0, 0));
  int sum = add_t(&g, act("sum", TFL_FLOAT32, 1, d6, 0, 0));
  int i = add_t(&g, cst("ints", TFL_INT32, 1, d6, ci, sizeof ci, 0, 0));
  int f = add_t(&g, act("f", TFL_FLOAT32, 1, d6, 0, 0));
  int y = add_t(&g, act("y", TFL_FLOAT32, 1, d6, 0, 0));
  int y2 = add_t(&g, act("y2", TFL_FLOAT32, 1, d6, 0, 0));
  op2(&g, TFL_OP_TRANSPOSE, TFL_OPTS_TransposeOptions, c, p, ct_);
  op2(&g, TFL_OP_RESHAPE, TFL_OPTS_ReshapeOptions, ct_, s, cr);
  op2(&g, TFL_OP_ADD, TFL_OPTS_AddOptions, x, cr, sum);
  op1(&g, TFL_OP_CAST, TFL_OPTS_CastOptions, i, f);
  op2(&g, TFL_OP_MUL, TFL_OPTS_MulOptions, sum, f, y);
  op2(&g, TFL_OP_RESHAPE, TFL_OPTS_ReshapeOptions, ct_, s, y2);
  g.nin = 1, g.in[0] = x, g.nout = 2, g.out[0] = y, g.out[1] = y2;
  check(&g, "fc_mixed", "fold-constants", "ADD MUL");
}

Test(passes, fold_constants_quantize, .timeout = 120) {
  OmGraph g = {0};
  int32_t d[] = {1, 2048};
  om_fill_f32(ct, 6, 52, -2, 2);
  static float cf[2048];
  om_fill_f32(cf, 2048, 53, -3, 3);
  int x = add_t(&g, act("x", TFL_INT8, 2, d, 0.05f, 0));
  int c = add_t(&g, cst("cf", TFL_FLOAT32, 2, d, cf, sizeof cf, 0, 0));
  int q = add_t(&g, act("cq", TFL_INT8, 2, d, 0.02f, -1));
  int y = add_t(&g, act("y", TFL_INT8, 2, d, 0.07f, 4));
  op1(&g, TFL_OP_QUANTIZE, 0, c, q);
  op2(&g, TFL_OP_ADD, TFL_OPTS_AddOptions, x, q, y);
  g.nin = 1, g.in[0] = x, g.nout = 1, g.out[0] = y;
  check(&g, "fc_quant", "fold-constants", "ADD");
}

/* ---- the command line ---- */

Test(passes, print_and_reject, .timeout = 60) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "'%s' compile --print-passes", modelc_bin());
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  char text[4096] = "";
  size_t n = fread(text, 1, sizeof text - 1, p);
  text[n] = 0;
  cr_assert_eq(pclose(p), 0);
  for (int i = 0; i < PASS_COUNT; i++)
    cr_expect(strstr(text, pass_info[i].name), "--print-passes lacks %s:\n%s", pass_info[i].name, text);
  snprintf(cmd, sizeof cmd, "'%s' run x.tflite --disable-pass no-such-pass 2>/dev/null", modelc_bin());
  int st = system(cmd);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "an unknown pass name is a usage error");
}

/* ---- every shared model: all passes against none ---- */

Test(passes, shared_models_unchanged_outputs, .timeout = 3600) {
  size_t n;
  char **models = shared_models(&n);
  if (!models) cr_skip_test("no shared data");
  size_t ran = 0;
  char summary[8192] = "";
  size_t at = 0;
  for (size_t k = 0; k < n; k++) {
    if (!strstr(models[k], "/models/")) continue;  /* models/DIR/NAME.tflite, not seanet's */
    char before[8192], after[8192];
    PassReport r;
    passes_on(models[k], 0, before, after, sizeof before, &r);
    const char *base = strrchr(models[k], '/') + 1;
    at += (size_t)snprintf(summary + at, at < sizeof summary ? sizeof summary - at : 0, "\n  %s:", base);
    bool any = false;
    for (int i = 0; i < PASS_COUNT; i++)
      if (r.changes[i]) {
        any = true;
        at += (size_t)snprintf(summary + at, at < sizeof summary ? sizeof summary - at : 0, " %s %u",
                               pass_info[i].name, r.changes[i]);
      }
    if (!any) at += (size_t)snprintf(summary + at, at < sizeof summary ? sizeof summary - at : 0, " unchanged");
    if (at >= sizeof summary) at = sizeof summary - 1;
    char da[600], db[600];
    snprintf(da, sizeof da, "/tmp/modelc-pass-shared-%d-a", (int)getpid());
    snprintf(db, sizeof db, "/tmp/modelc-pass-shared-%d-b", (int)getpid());
    run_modelc(models[k], "", da);
    run_modelc(models[k], "--disable-pass all", db);
    Loaded l;
    load(&l, models[k]);
    int nout = (int)l.m.g[0].nout;
    unload(&l);
    cr_expect(same_files(da, db, nout, base), "%s: outputs differ with and without the passes", base);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", da, db);
    cr_expect_eq(system(cmd), 0);
    ran++;
  }
  cr_log_info("passes per shared model:%s", summary);
  cr_expect_gt(ran, 0, "no models under %s/models", shared_dir());
}
