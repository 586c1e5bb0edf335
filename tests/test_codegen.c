/* modelc compile as a tool: deterministic output, self-contained C that builds warning-free as
   C99, the generated API's error codes, all unsupported operators listed with nothing written, a
   memory plan in which no two live tensors overlap, --rounding double checked against a
   straightforward double-rounding reference written here, and generated code with no undefined
   behaviour under UBSan for scales at the extremes import accepts. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codegen/emit.h"
#include "compiler/ir.h"
#include "tests/util.h"

static int sh(const char *fmt, const char *a, const char *b, const char *c) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, fmt, a, b, c);
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *model_path(const char *rel) {
  const char *d = shared_dir();
  if (!d) cr_skip_test("no shared data");
  char *p = malloc(4096);
  snprintf(p, 4096, "%s/models/%s", d, rel);
  return p;
}

static char *tmpdir(void) {
  char *d = strdup("/tmp/modelc-cg-XXXXXX");
  cr_assert(mkdtemp(d));
  return d;
}

static void rmtree(const char *d) { sh("rm -rf '%s'%s%s", d, "", ""); }

Test(codegen, deterministic_and_self_contained, .timeout = 120) {
  char *m = model_path("mlperf_tiny/ad01_int8.tflite");
  char *a = tmpdir(), *b = tmpdir();
  cr_assert_eq(sh("'%s' compile '%s' -o '%s' >/dev/null", modelc_bin(), m, a), 0);
  cr_assert_eq(sh("'%s' compile '%s' -o '%s' >/dev/null", modelc_bin(), m, b), 0);
  cr_assert_eq(sh("cmp -s '%s/ad01_int8.c' '%s/ad01_int8.c'%s", a, b, ""), 0, "output differs between runs");
  cr_assert_eq(sh("cmp -s '%s/ad01_int8.h' '%s/ad01_int8.h'%s", a, b, ""), 0);
  /* Only the C library: no include path but the output folder, strict C99, no warnings. */
  cr_assert_eq(sh("cc -std=c99 -pedantic -O2 -Wall -Wextra -Werror -c '%s/ad01_int8.c' -o '%s/x.o'%s",
                  a, a, ""), 0, "generated code does not build cleanly as C99");
  cr_assert_eq(sh("nm '%s/x.o' | grep -q ' [Uu] malloc'%s%s", a, "", ""), 1, "generated code calls malloc");
  rmtree(a), rmtree(b);
  free(a), free(b), free(m);
}

/* The generated API refuses NULL buffers and a misaligned arena with its documented codes. */
Test(codegen, api_error_codes, .timeout = 120) {
  char *m = model_path("mlperf_tiny/ad01_int8.tflite");
  char *d = tmpdir();
  cr_assert_eq(sh("'%s' compile '%s' -o '%s' --name net >/dev/null", modelc_bin(), m, d), 0);
  char prog[512];
  snprintf(prog, sizeof prog, "%s/main.c", d);
  FILE *f = fopen(prog, "w");
  fputs("#include \"net.h\"\n#include <stdint.h>\n"
        "static _Alignas(16) uint8_t arena[net_ARENA_SIZE + 16];\n"
        "static int8_t x[net_INPUT0_SIZE], y[net_OUTPUT0_SIZE];\n"
        "int main(void) {\n"
        "  const void *in[1] = {x}; void *out[1] = {y}; const void *none[1] = {0};\n"
        "  if (net_invoke(arena, none, out) != net_ERR_NULL) return 1;\n"
        "  if (net_invoke(arena, in, 0) != net_ERR_NULL) return 2;\n"
        "  if (net_invoke(arena + 1, in, out) != net_ERR_ALIGN) return 3;\n"
        "  if (net_invoke(arena, in, out) != 0) return 4;\n"
        "  if (net_invoke(0, in, out) != 0) return 5; /* the static arena */\n"
        "  if (net_inputs[0].bytes != net_INPUT0_SIZE || net_inputs[0].rank != 2) return 6;\n"
        "  return 0;\n}\n", f);
  fclose(f);
  cr_assert_eq(sh("cc -std=c11 -O1 -I'%s' '%s' '%s/net.c' -o main", d, prog, d), 0);
  cr_assert_eq(system("./main"), 0, "an API check failed");
  unlink("main");
  rmtree(d);
  free(d), free(m);
}

/* TRANSPOSE_CONV's output shape fed at run time (a seanet case: int32 [4] input 0) must equal
   the compiled shape: the right one runs, any other returns NAME_ERR_SHAPE. */
Test(codegen, runtime_shape_input_checked, .timeout = 120) {
  const char *sd = shared_dir();
  if (!sd) cr_skip_test("no shared data");
  char m[4096];
  snprintf(m, sizeof m, "%s/testdata/seanet/transpose_conv/transpose_conv0.tflite", sd);
  char *d = tmpdir();
  cr_assert_eq(sh("'%s' compile '%s' -o '%s' --name tc >/dev/null", modelc_bin(), m, d), 0);
  char prog[512];
  snprintf(prog, sizeof prog, "%s/main.c", d);
  FILE *f = fopen(prog, "w");
  fputs("#include \"tc.h\"\n#include <stdint.h>\n"
        "static int16_t x[tc_INPUT1_SIZE / 2], y[tc_OUTPUT0_SIZE / 2];\n"
        "int main(void) {\n"
        "  int32_t good[4] = {1, 3, 12, 64}, bad[4] = {1, 3, 13, 64};\n"
        "  const void *in[2] = {good, x}, *in_bad[2] = {bad, x}; void *out[1] = {y};\n"
        "  if (tc_inputs[0].bytes != 16 || tc_inputs[0].rank != 1) return 1;\n"
        "  if (tc_invoke(0, in, out) != 0) return 2;\n"
        "  if (tc_invoke(0, in_bad, out) != tc_ERR_SHAPE) return 3;\n"
        "  return 0;\n}\n", f);
  fclose(f);
  char exe[600];
  snprintf(exe, sizeof exe, "%s/main", d);
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "cc -std=c11 -O1 -I'%s' '%s' '%s/tc.c' -lm -o '%s'", d, prog, d, exe);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(system(exe), 0, "the runtime shape check failed");
  rmtree(d);
  free(d);
}

/* Every operator modelc cannot compile is named in one message, and nothing is written. */
Test(codegen, unsupported_ops_listed_nothing_written, .timeout = 60) {
  char *m = model_path("mlperf_tiny/ad01_int8.tflite");
  size_t n;
  uint8_t *buf = read_file(m, &n);
  cr_assert(buf);
  Arena a;
  arena_init(&a, 64u << 20);
  TflModel tm;
  Err err = {.off = -1};
  cr_assert_eq(tfl_read(buf, n, &a, &tm, &err), 0, "%s", err.msg);
  tm.opcodes[0].builtin_code = TFL_OP_HASHTABLE_LOOKUP;  /* all ten operators use opcode 0 */
  tm.opcodes[0].deprecated_builtin_code = TFL_OP_HASHTABLE_LOOKUP;
  uint8_t *out;
  size_t nout;
  cr_assert_eq(tfl_write(&tm, &out, &nout, &err), 0, "%s", err.msg);
  char *d = tmpdir();
  char path[4200], log[4200];
  snprintf(path, sizeof path, "%s/bad.tflite", d);
  snprintf(log, sizeof log, "%s/log", d);
  FILE *f = fopen(path, "wb");
  fwrite(out, 1, nout, f);
  fclose(f);
  char outdir[4200];
  snprintf(outdir, sizeof outdir, "%s/out", d);
  cr_assert_eq(sh("mkdir '%s'%s%s", outdir, "", ""), 0);
  (void)log;
  char cmd[9000];
  snprintf(cmd, sizeof cmd, "'%s' compile '%s' -o '%s' 2>&1", modelc_bin(), path, outdir);
  FILE *p = popen(cmd, "r");
  char msg[4096] = "";
  size_t got = fread(msg, 1, sizeof msg - 1, p);
  msg[got] = 0;
  int st = pclose(p);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "exit status %d", WEXITSTATUS(st));
  cr_assert(strstr(msg, "operator 0 HASHTABLE_LOOKUP") && strstr(msg, "operator 9 HASHTABLE_LOOKUP"),
            "message does not list every operator: %s", msg);
  DIR *dir = opendir(outdir);
  int files = 0;
  for (struct dirent *e; (e = readdir(dir));) files += e->d_name[0] != '.';
  closedir(dir);
  cr_assert_eq(files, 0, "output written despite the error");
  rmtree(d);
  free(d), free(out), free(buf), free(m);
  arena_free(&a);
}

/* For every shared model that compiles: no two arena tensors alive at the same operator overlap,
   and the arena is no larger than the peak of live activations (inputs and outputs are the
   caller's, so it is usually smaller). */
Test(codegen, plan_never_overlaps_live_tensors, .timeout = 300) {
  size_t nm;
  char **models = shared_models(&nm);
  if (!models) cr_skip_test("no shared data");
  int checked = 0;
  for (size_t k = 0; k < nm; k++) {
    size_t n;
    uint8_t *buf = read_file(models[k], &n);
    Arena a;
    arena_init(&a, 64 * n + (256u << 20));
    TflModel tm;
    Model m;
    Err err = {.off = -1};
    cr_assert_eq(ir_load(buf, n, &a, &tm, &m, &err), 0, "%s: %s", models[k], err.msg);
    EmitOptions o = {.name = "m", .source = "m", .target = "generic", .rounding = ROUND_SINGLE};
    char *c, *h;
    size_t nc, nh;
    Plan plan;
    if (emit_c(&m, &o, &a, &c, &nc, &h, &nh, &plan, &err) == 0) {
      const Graph *g = &m.g[0];
      for (uint32_t i = 0; i < g->ntensors; i++)
        for (uint32_t j = i + 1; j < g->ntensors; j++) {
          const Tensor *x = &g->t[i], *y = &g->t[j];
          if (plan.at[i].home != HOME_ARENA || plan.at[j].home != HOME_ARENA) continue;
          if (plan.at[i].off == plan.at[j].off && x->bytes == y->bytes) continue; /* aliased */
          int32_t xf = x->producer, yf = y->producer;
          int32_t xl = x->nconsumers ? (int32_t)x->consumers[x->nconsumers - 1] : xf;
          int32_t yl = y->nconsumers ? (int32_t)y->consumers[y->nconsumers - 1] : yf;
          if (xl < yf || yl < xf) continue;
          bool apart = plan.at[i].off + x->bytes <= plan.at[j].off ||
                       plan.at[j].off + y->bytes <= plan.at[i].off;
          cr_assert(apart, "%s: tensors %u and %u are alive together but overlap", models[k], i, j);
        }
      /* Operator scratch (TRANSPOSE_CONV's accumulator, ...) comes on top of live tensors. */
      int64_t scratch = 0;
      for (uint32_t op = 0; op < g->nops; op++) {
        const OpGen *gen = opgen_for(g->ops[op].kind);
        bool over_in0 = false;
        int64_t s = gen && gen->scratch ? gen->scratch(g, &g->ops[op], &over_in0) : 0;
        if (s > scratch) scratch = s;
        if (plan.scratch_off[op] < 0) continue;
        /* The scratch overlaps no tensor alive across op, except the input it may overlay. */
        int32_t in0 = g->ops[op].nin ? g->ops[op].in[0] : -1;
        for (uint32_t i = 0; i < g->ntensors; i++) {
          const Tensor *t = &g->t[i];
          if (plan.at[i].home != HOME_ARENA) continue;
          int32_t first = t->producer, last = t->nconsumers ? (int32_t)t->consumers[t->nconsumers - 1] : first;
          if (first > (int32_t)op || last < (int32_t)op) continue;
          if (over_in0 && in0 >= 0 && plan.at[i].off == plan.at[in0].off && last == (int32_t)op) continue;
          bool apart = plan.scratch_off[op] + s <= plan.at[i].off || plan.at[i].off + t->bytes <= plan.scratch_off[op];
          cr_assert(apart, "%s: operator %u's scratch overlaps live tensor %u", models[k], op, i);
        }
      }
      cr_assert_leq(plan.arena_bytes - plan.state_bytes, g->peak_bytes + scratch + 16 * g->ntensors,
                    "%s: arena %lld > peak %lld + scratch %lld", models[k],
                    (long long)plan.arena_bytes, (long long)g->peak_bytes, (long long)scratch);
      cr_log_info("%s: arena %lld, peak live %lld", models[k], (long long)plan.arena_bytes,
                  (long long)g->peak_bytes);
      free(c), free(h);
      checked++;
    }
    arena_free(&a);
    free(buf);
  }
  cr_assert_gt(checked, 0);
}

/* gemmlowp's arithmetic, written out independently of targets/generic. */
static int32_t ref_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * b;
  int64_t nudge = ab >= 0 ? (1 << 30) : 1 - (1 << 30);
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}
static int32_t ref_rshift_round(int32_t x, int e) {
  int32_t mask = (int32_t)(((int64_t)1 << e) - 1), rem = x & mask;
  return (x >> e) + (rem > (mask >> 1) + (x < 0)) ;
}

/* ad01_int8 (ten int8 fully connected layers) computed here with double rounding, against
   modelc run --rounding double on the same input. */
Test(codegen, double_rounding_matches_reference_fc, .timeout = 120) {
  char *mp = model_path("mlperf_tiny/ad01_int8.tflite");
  size_t n;
  uint8_t *buf = read_file(mp, &n);
  Arena a;
  arena_init(&a, 64u << 20);
  TflModel tm;
  Model m;
  Err err = {.off = -1};
  cr_assert_eq(ir_load(buf, n, &a, &tm, &m, &err), 0, "%s", err.msg);
  const Graph *g = &m.g[0];
  char *d = tmpdir();
  for (unsigned seed = 1; seed <= 3; seed++) {
    int8_t x[1024], y[1024];
    uint32_t s = seed * 2654435761u;
    for (int i = 0; i < 640; i++) s = s * 1664525u + 1013904223u, x[i] = (int8_t)(s >> 24);
    char in[4200], out[4200];
    snprintf(in, sizeof in, "%s/in.bin", d);
    FILE *f = fopen(in, "wb");
    fwrite(x, 1, 640, f);
    fclose(f);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "'%s' run '%s' --rounding double --input '%s' --output-dir '%s' >/dev/null",
             modelc_bin(), mp, in, d);
    cr_assert_eq(system(cmd), 0);
    for (uint32_t o = 0; o < g->nops; o++) {
      const Op *op = &g->ops[o];
      const Tensor *tx = &g->t[op->in[0]], *tw = &g->t[op->in[1]], *tb = &g->t[op->in[2]];
      const Tensor *ty = &g->t[op->out[0]];
      int depth = tw->dims[1], outs = tw->dims[0];
      double real = (double)tx->q.scale[0] * tw->q.scale[0] / ty->q.scale[0];
      int e;
      double frac = frexp(real, &e);
      int64_t q = (int64_t)round(frac * 2147483648.0);
      if (q == 2147483648ll) q /= 2, e++;
      int32_t lo = -128;
      if (op->opt->FullyConnectedOptions.fused_activation_function == 1)
        lo = ty->q.zero_point[0] > -128 ? ty->q.zero_point[0] : -128;
      for (int k = 0; k < outs; k++) {
        int32_t acc;
        memcpy(&acc, tb->data + 4 * k, 4);
        for (int i = 0; i < depth; i++)
          acc += ((int32_t)x[i] - tx->q.zero_point[0]) * (int8_t)tw->data[(size_t)k * depth + i];
        int32_t v = e > 0 ? ref_srdhm(acc * (1 << e), (int32_t)q)
                          : ref_rshift_round(ref_srdhm(acc, (int32_t)q), -e);
        v += ty->q.zero_point[0];
        y[k] = (int8_t)(v < lo ? lo : v > 127 ? 127 : v);
      }
      memcpy(x, y, (size_t)outs);
    }
    snprintf(out, sizeof out, "%s/output_0.bin", d);
    size_t no;
    uint8_t *got = read_file(out, &no);
    cr_assert_eq(no, 640);
    int same = 0;
    for (int i = 0; i < 640; i++) same += (int8_t)got[i] == x[i];
    cr_assert_eq(same, 640, "seed %u: %d/640 identical to the double-rounding reference", seed, same);
    free(got);
  }
  rmtree(d);
  free(d), free(buf), free(mp);
  arena_free(&a);
}

/* A quantized tensor's scale set to `scale` in a copy of the model at rel, written to dir/name:
   tensor `t` of subgraph 0, or for -1 graph input 0, for -2 the first operator's output. */
static void write_scaled(const char *rel, int t, float scale, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", shared_dir(), rel);
  size_t n;
  uint8_t *buf = read_file(path, &n);
  cr_assert(buf, "cannot read %s", path);
  Arena a;
  TflModel src;
  Err err = {0};
  arena_init(&a, 64 * n + (1u << 20));
  cr_assert(tfl_read(buf, n, &a, &src, &err) == 0, "%s", err.msg);
  const TflSubgraph *sg = &src.subgraphs[0];
  if (t == -1) t = tfl_i32(sg->inputs, 0);
  if (t == -2) t = tfl_i32(sg->ops[0].outputs, 0);
  const TflQuant *q = &sg->tensors[t].quant;
  cr_assert(q->scale.n >= 1, "%s: tensor %d is not quantized", rel, t);
  memcpy(buf + (q->scale.p - buf), &scale, 4);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  cr_assert(f && fwrite(buf, 1, n, f) == n && fclose(f) == 0, "cannot write %s", path);
  arena_free(&a);
  free(buf);
}

/* Scales no converter writes but import accepts (positive, finite) give multipliers far outside
   [2^-31, 2^31): the shift saturates (TFLite's single rounding does; TFLite Micro's double
   rounding would shift by 32 or more, undefined) and the output zero point is added inside the
   clamp, so the generated code's arithmetic stays defined. Run under UBSan, every rounding. */
Test(codegen, defined_for_extreme_scales, .timeout = 300) {
  static const struct { const char *rel; int tensor; float scale; } cases[] = {
      {"models/mlperf_tiny/ad01_int8.tflite", -1, 1e30f},       /* FULLY_CONNECTED, huge */
      {"models/mlperf_tiny/ad01_int8.tflite", -1, 1e-30f},      /* and tiny */
      {"models/mlperf_tiny/kws_ref_model.tflite", -2, 1e-30f},  /* CONV_2D output: huge */
      {"testdata/seanet/conv/conv0.tflite", -1, 1e30f},         /* int16 16x8: requant64 */
      {"models/tflm/trained_lstm_int8.tflite", 16, 1e30f},      /* LSTM gate matmuls */
  };
  if (!shared_dir()) cr_skip_test("no shared data");
  char *d = tmpdir();
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char name[64];
    snprintf(name, sizeof name, "extreme%zu.tflite", i);
    write_scaled(cases[i].rel, cases[i].tensor, cases[i].scale, d, name);
    for (int r = 0; r < 2; r++) {
      char cmd[8192];
      snprintf(cmd, sizeof cmd,
               "'%s' run '%s/%s' --target generic --rounding %s --output-dir '%s' --cflags "
               "'-O1 -fsanitize=undefined -fno-sanitize-recover=all' >'%s/log' 2>&1",
               modelc_bin(), d, name, r ? "double" : "single", d, d);
      int st = system(cmd);
      char log[4200];
      snprintf(log, sizeof log, "%s/log", d);
      size_t nlog;
      char *text = read_text(log, &nlog);
      cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s with scale %g, %s rounding: %s",
                cases[i].rel, (double)cases[i].scale, r ? "double" : "single", text ? text : "");
      free(text);
    }
  }
  rmtree(d);
  free(d);
}
