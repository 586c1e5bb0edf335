/* modelc compile/run --profile: the per-layer timers and NAME_profile_report. `run --profile`
   on a shared model prints one line per layer and a per-type summary that agree with `inspect`
   (same operators, same counts, percents summing to 100) and leaves the outputs bit-identical;
   without --profile the generated code carries no trace of the timers and is deterministic; the
   report API works with a user-supplied clock, which is what a freestanding target would use. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/json_parse.h"
#include "tests/util.h"

static void rm_rf(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
}

static bool same_file(const char *a, const char *b) {
  size_t na, nb;
  uint8_t *pa = read_file(a, &na), *pb = read_file(b, &nb);
  bool same = pa && pb && na == nb && memcmp(pa, pb, na) == 0;
  free(pa), free(pb);
  return same;
}

/* The lines after the line containing `title` and its column header, up to a blank line. */
static const char *section(const char *out, const char *title) {
  const char *s = strstr(out, title);
  if (!s || !(s = strchr(s, '\n')) || !(s = strchr(s + 1, '\n'))) return NULL;
  return s + 1;
}

enum { MAXL = 512, MAXT = 64 };

typedef struct Profile {
  int nlayers, ntypes;
  struct { int layer; char op[64]; unsigned long long calls; double avg, pct, cdf; } l[MAXL];
  struct { char op[64]; int count; unsigned long long calls; double avg, pct, cdf; } t[MAXT];
} Profile;

static void parse_profile(const char *out, Profile *p) {
  memset(p, 0, sizeof *p);
  const char *s = section(out, "Operator-wise Profiling Info");
  cr_assert(s, "no per-layer table:\n%s", out);
  for (; *s && *s != '\n' && p->nlayers < MAXL; s = strchr(s, '\n') + 1) {
    char fn[256];
    int k = p->nlayers++;
    cr_assert_eq(sscanf(s, "%d %63s %llu %lf %lf%% %lf%% %255s", &p->l[k].layer, p->l[k].op,
                        &p->l[k].calls, &p->l[k].avg, &p->l[k].pct, &p->l[k].cdf, fn), 7,
                 "bad layer line: %.120s", s);
    cr_expect(strncmp(fn, "layer", 5) == 0, "%s", fn);
  }
  s = section(out, "Summary by node type");
  cr_assert(s, "no per-type table:\n%s", out);
  for (; *s && *s != '\n' && p->ntypes < MAXT; s = strchr(s, '\n') + 1) {
    int k = p->ntypes++;
    cr_assert_eq(sscanf(s, "%63s %d %lf %lf%% %lf%% %llu", p->t[k].op, &p->t[k].count, &p->t[k].avg,
                        &p->t[k].pct, &p->t[k].cdf, &p->t[k].calls), 6,
                 "bad type line: %.120s", s);
  }
}

/* `run --profile` (extra: more options) against `inspect` (iargs) of the same graph. */
static void check_profile_run(const char *model, const char *extra, const char *iargs, int iters) {
  char args[8192], d1[] = "/tmp/modelc-prof-a-XXXXXX", d2[] = "/tmp/modelc-prof-b-XXXXXX";
  cr_assert(mkdtemp(d1) && mkdtemp(d2));
  snprintf(args, sizeof args, "run '%s' %s --profile --iters %d --output-dir '%s'", model, extra,
           iters, d1);
  Run r = modelc_run(args);
  cr_assert_eq(r.status, 0, "%s\n%s", args, r.err);
  snprintf(args, sizeof args, "run '%s' %s --output-dir '%s'", model, extra, d2);
  Run plain = modelc_run(args);
  cr_assert_eq(plain.status, 0, "%s\n%s", args, plain.err);
  cr_expect(!strstr(plain.out, "Profiling"), "a run without --profile printed a profile");
  run_free(&plain);
  char a[4200], b[4200];
  snprintf(a, sizeof a, "%s/output_0.bin", d1);
  snprintf(b, sizeof b, "%s/output_0.bin", d2);
  cr_expect(same_file(a, b), "outputs differ with --profile (%s)", extra);

  snprintf(args, sizeof args, "inspect --json %s '%s'", iargs, model);
  Run ins = modelc_run(args);
  cr_assert_eq(ins.status, 0, "%s", ins.err);
  char jerr[256];
  JsonNode *doc = json_parse(ins.out, ins.nout, jerr, sizeof jerr);
  cr_assert(doc, "%s", jerr);
  const JsonNode *ops = json_get(json_at(json_get(doc, "subgraphs"), 0), "operators");
  size_t nops = json_len(ops);
  cr_assert(nops > 0 && nops <= MAXL);

  static Profile p;
  parse_profile(r.out, &p);
  cr_expect_eq((size_t)p.nlayers, nops, "one line per layer: %d lines, inspect has %zu operators",
               p.nlayers, nops);
  bool seen[MAXL] = {0};
  double sum = 0;
  for (int i = 0; i < p.nlayers; i++) {
    int L = p.l[i].layer;
    cr_assert(L >= 0 && (size_t)L < nops && !seen[L], "layer %d listed twice or out of range", L);
    seen[L] = true;
    cr_expect_str_eq(p.l[i].op, json_get(json_at(ops, (size_t)L), "op")->text, "layer %d", L);
    cr_expect_eq(p.l[i].calls, (unsigned long long)iters, "layer %d ran %llu times", L, p.l[i].calls);
    if (i) cr_expect_geq(p.l[i - 1].pct, p.l[i].pct, "layers not sorted by time at %d", i);
    sum += p.l[i].pct;
  }
  cr_expect(fabs(sum - 100) < 0.1, "layer percents sum to %f", sum);
  cr_expect(fabs(p.l[p.nlayers - 1].cdf - 100) < 0.01, "layer cdf ends at %f", p.l[p.nlayers - 1].cdf);

  /* Per type: the layer count of each op kind is inspect's. */
  sum = 0;
  int total = 0;
  for (int k = 0; k < p.ntypes; k++) {
    int want = 0;
    for (size_t i = 0; i < nops; i++)
      want += strcmp(json_get(json_at(ops, i), "op")->text, p.t[k].op) == 0;
    cr_expect_eq(p.t[k].count, want, "%s: %d layers, inspect has %d", p.t[k].op, p.t[k].count, want);
    cr_expect_eq(p.t[k].calls, (unsigned long long)want * (unsigned long long)iters, "%s", p.t[k].op);
    if (k) cr_expect_geq(p.t[k - 1].pct, p.t[k].pct, "types not sorted by time at %d", k);
    sum += p.t[k].pct;
    total += p.t[k].count;
  }
  cr_expect_eq((size_t)total, nops, "every operator in one type");
  cr_expect(fabs(sum - 100) < 0.1, "type percents sum to %f", sum);
  cr_expect(fabs(p.t[p.ntypes - 1].cdf - 100) < 0.01, "type cdf ends at %f", p.t[p.ntypes - 1].cdf);
  cr_expect(strstr(r.out, "times in ms"), "%s", r.out);

  json_free(doc);
  run_free(&ins), run_free(&r);
  rm_rf(d1), rm_rf(d2);
}

static const char *shared_model(const char *rel, char *buf, size_t cap) {
  const char *dir = shared_dir();
  if (!dir) return NULL;
  snprintf(buf, cap, "%s/models/%s", dir, rel);
  if (access(buf, R_OK) != 0) {
    if (getenv("CI")) cr_assert_fail("%s missing (CI is set: this is a failure)", buf);
    return NULL;
  }
  return buf;
}

Test(profile, run_profile_matches_inspect_and_keeps_outputs, .timeout = 600) {
  char path[4096];
  const char *m = shared_model("mlperf_tiny/vww_96_int8.tflite", path, sizeof path);
  if (!m) cr_skip_test("../shared not found");
  check_profile_run(m, "", "--passes", 3);                   /* the graph after the passes */
  check_profile_run(m, "--disable-pass all --seed 7", "", 1); /* the file's own operators */
}

Test(profile, compile_without_profile_has_no_timers_and_is_deterministic, .timeout = 300) {
  char path[4096];
  const char *m = shared_model("tflm/hello_world_int8.tflite", path, sizeof path);
  if (!m) cr_skip_test("../shared not found");
  char d[] = "/tmp/modelc-prof-c-XXXXXX", args[8192], a[4200], b[4200];
  cr_assert(mkdtemp(d));
  const char *sub[] = {"one", "two"};
  for (int i = 0; i < 2; i++) {
    snprintf(args, sizeof args, "compile '%s' --name hw -o '%s/%s'", m, d, sub[i]);
    Run r = modelc_run(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
  }
  const char *ext[] = {"c", "h"};
  for (int k = 0; k < 2; k++) {
    snprintf(a, sizeof a, "%s/one/hw.%s", d, ext[k]);
    snprintf(b, sizeof b, "%s/two/hw.%s", d, ext[k]);
    cr_expect(same_file(a, b), "hw.%s differs between two compiles", ext[k]);
    size_t n;
    char *s = read_text(a, &n);
    cr_assert(s);
    cr_expect(!strstr(s, "prof") && !strstr(s, "PROFILE") && !strstr(s, "clock_gettime") &&
                  !strstr(s, "_POSIX_C_SOURCE"),
              "hw.%s without --profile mentions the profiler", ext[k]);
    free(s);
  }
  rm_rf(d);
}

/* The report through the API, with a clock the test controls: every clock read advances it by
   one, so each layer's total is exactly its call count, and the unit is the one supplied. */
Test(profile, report_api_with_a_custom_clock, .timeout = 300) {
  char path[4096];
  const char *m = shared_model("tflm/hello_world_int8.tflite", path, sizeof path);
  if (!m) cr_skip_test("../shared not found");
  char d[] = "/tmp/modelc-prof-d-XXXXXX", args[8192];
  cr_assert(mkdtemp(d));
  snprintf(args, sizeof args, "compile '%s' --name hw --profile -o '%s'", m, d);
  Run r = modelc_run(args);
  cr_assert_eq(r.status, 0, "%s", r.err);
  run_free(&r);

  char p[4200];
  snprintf(p, sizeof p, "%s/hw.h", d);
  size_t n;
  char *h = read_text(p, &n);
  cr_assert(h);
  cr_expect(strstr(h, "int hw_profile_report(hw_profile_entry *table, int cap);") &&
            strstr(h, "#define hw_PROFILE 1") && strstr(h, "#define hw_NUM_LAYERS "), "%s", h);
  free(h);

  /* The default clock builds with plain C99 and no -D: the file defines what POSIX needs. */
  snprintf(args, sizeof args, "cd '%s' && cc -std=c99 -O2 -Wall -Wextra -Werror -Wno-unused-function -c hw.c", d);
  r = sh_run(args);
  cr_expect_eq(r.status, 0, "%s", r.err);
  run_free(&r);
  /* Freestanding without a clock is a clear compile error, not a missing <time.h>. */
  snprintf(args, sizeof args, "cd '%s' && cc -std=c99 -ffreestanding -c hw.c -o free.o", d);
  r = sh_run(args);
  cr_expect_neq(r.status, 0);
  cr_expect(strstr(r.err, "define hw_PROFILE_CLOCK"), "%s", r.err);
  run_free(&r);

  snprintf(p, sizeof p, "%s/clock.h", d);
  FILE *f = fopen(p, "w");
  cr_assert(f);
  fputs("#include <stdint.h>\nextern uint64_t test_ticks;\n", f);
  fclose(f);
  snprintf(p, sizeof p, "%s/main.c", d);
  f = fopen(p, "w");
  cr_assert(f);
  fputs("#include <stdio.h>\n#include <string.h>\n#include \"hw.h\"\n"
        "uint64_t test_ticks;\n"
        "static _Alignas(16) unsigned char arena[hw_ARENA_SIZE + 1];\n"
        "int main(void) {\n"
        "  static int8_t in[hw_INPUT0_SIZE], out[hw_OUTPUT0_SIZE];\n"
        "  const void *ins[] = {in};\n  void *outs[] = {out};\n"
        "  hw_profile_entry t[hw_NUM_LAYERS + 1];\n"
        "  hw_reset(arena);\n"
        "  for (int k = 0; k < 5; k++) if (hw_invoke(arena, ins, outs)) return 10;\n"
        "  memset(t, 0xff, sizeof t);\n"
        "  if (hw_profile_report(t, 1) != hw_NUM_LAYERS) return 11;\n"
        "  if (hw_NUM_LAYERS > 1 && t[1].calls != UINT64_MAX) return 12; /* cap respected */\n"
        "  if (hw_profile_report(t, hw_NUM_LAYERS) != hw_NUM_LAYERS) return 13;\n"
        "  for (int i = 0; i < hw_NUM_LAYERS; i++) {\n"
        "    printf(\"%d %s %s %llu %llu %s\\n\", t[i].layer, t[i].op, t[i].function,\n"
        "           (unsigned long long)t[i].calls, (unsigned long long)t[i].total, t[i].unit);\n"
        "    if (t[i].layer != i || t[i].calls != 5 || t[i].total != 5) return 14;\n"
        "    if (strcmp(t[i].unit, \"cycles\") != 0 || strncmp(t[i].function, \"layer\", 5)) return 15;\n"
        "  }\n"
        "  hw_profile_reset();\n"
        "  hw_profile_report(t, hw_NUM_LAYERS);\n"
        "  for (int i = 0; i < hw_NUM_LAYERS; i++) if (t[i].calls || t[i].total) return 16;\n"
        "  return 0;\n}\n", f);
  fclose(f);
  snprintf(args, sizeof args,
           "cd '%s' && cc -std=c11 -O2 -Wall -Wextra -Werror -Wno-unused-function -include clock.h "
           "'-Dhw_PROFILE_CLOCK=(++test_ticks)' '-Dhw_PROFILE_UNIT=\"cycles\"' hw.c main.c -o main -lm "
           "&& ./main", d);
  r = sh_run(args);
  cr_expect_eq(r.status, 0, "status %d\n%s%s", r.status, r.out, r.err);
  cr_expect(strstr(r.out, "0 FULLY_CONNECTED layer0_fully_connected"), "%s", r.out);
  run_free(&r);
  rm_rf(d);
}

Test(profile, help_mentions_profile) {
  Run r = modelc_run("help run");
  cr_expect(strstr(r.out, "--profile"), "%s", r.out);
  run_free(&r);
  r = modelc_run("help compile");
  cr_expect(strstr(r.out, "--profile"), "%s", r.out);
  run_free(&r);
}
