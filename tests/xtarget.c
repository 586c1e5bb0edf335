#include "tests/xtarget.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/arena.h"
#include "schema/tflite.h"
#include "tests/util.h"

int xt_output_types(const char *model, int *types) {
  size_t n;
  uint8_t *data = read_file(model, &n);
  cr_assert(data, "cannot read %s", model);
  Arena a;
  arena_init(&a, (size_t)1 << 30);
  TflModel m;
  Err err = {.off = -1};
  cr_assert_eq(tfl_read(data, n, &a, &m, &err), 0, "%s: %s", model, err.msg);
  const TflSubgraph *g = &m.subgraphs[0];
  int k = 0;
  for (; k < (int)g->outputs.n && k < XT_MAX_OUTPUTS; k++) {
    int32_t ti;
    memcpy(&ti, g->outputs.p + 4 * (size_t)k, 4);
    types[k] = g->tensors[ti].type;
  }
  arena_free(&a);
  free(data);
  return k;
}

bool have_prog(const char *prog) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
  return system(cmd) == 0;
}

void need_tools(const char *target, const char *const *progs) {
  for (; *progs; progs++) {
    if (have_prog(*progs)) continue;
    if (getenv("CI"))
      cr_assert_fail("target %s not run: %s is missing (CI is set: this is a failure; "
                     "tests/run.sh installs it)", target, *progs);
    cr_skip_test("target %s not run: %s is missing", target, *progs);
  }
}

int capture(const char *cmd, char *out, size_t cap) {
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run %s", cmd);
  size_t n = fread(out, 1, cap - 1, p);
  out[n] = 0;
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

bool xt_run(const char *model, const char *args, int seed, const char *dir) {
  char cmd[4096], out[8192];
  snprintf(cmd, sizeof cmd, "'%s' run '%s' %s --seed %d --iters 0 --output-dir '%s' 2>&1",
           modelc_bin(), model, args, seed, dir);
  int st = capture(cmd, out, sizeof out);
  if (out[0]) cr_log_info("%s: %s", args, out);
  return st == 0;
}

void xt_same_files(const char *model, const char *what, const char *a, const char *b) {
  int k = 0;
  for (;; k++) {
    char pa[4200], pb[4200];
    snprintf(pa, sizeof pa, "%s/output_%d.bin", a, k);
    snprintf(pb, sizeof pb, "%s/output_%d.bin", b, k);
    size_t na, nb;
    uint8_t *da = read_file(pa, &na);
    if (!da) break;
    uint8_t *db = read_file(pb, &nb);
    cr_assert(db, "%s: %s wrote no output %d", model, what, k);
    size_t first = 0;
    while (first < na && first < nb && da[first] == db[first]) first++;
    cr_expect(na == nb && first == na, "%s: %s: output %d differs from generic at byte %zu of %zu",
              model, what, k, first, na);
    free(da), free(db);
  }
  cr_assert_gt(k, 0, "%s: no outputs", model);
}

void xt_compare(const char *model, int seed, const char *const (*variants)[2]) {
  xt_compare_to(model, seed, "generic", variants);
}

void xt_compare_to(const char *model, int seed, const char *base,
                   const char *const (*variants)[2]) {
  char dir[] = "/tmp/modelc-xtarget-XXXXXX";
  cr_assert(mkdtemp(dir), "cannot make a folder");
  for (int r = 0; r < 2; r++) {
    const char *rounding = r ? "double" : "single";
    bool any = false;
    for (size_t v = 0; variants[v][0]; v++) any = any || strcmp(variants[v][0], rounding) == 0;
    if (!any) continue;
    char gdir[64], gargs[96];
    snprintf(gdir, sizeof gdir, "%s/base-%s", dir, rounding);
    snprintf(gargs, sizeof gargs, "--target %s --rounding %s", base, rounding);
    cr_assert(xt_run(model, gargs, seed, gdir), "%s: %s failed", model, base);
    for (size_t v = 0; variants[v][0]; v++) {
      if (strcmp(variants[v][0], rounding) != 0) continue;
      char vdir[64];
      snprintf(vdir, sizeof vdir, "%s/v%zu", dir, v);
      cr_assert(xt_run(model, variants[v][1], seed, vdir), "%s: %s failed", model, variants[v][1]);
      xt_same_files(model, variants[v][1], gdir, vdir);
    }
  }
  char rm[128];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  if (system(rm) != 0) cr_log_warn("could not remove %s", dir);
}

void shared_models_listed(void) {
  static const char *const listed[] = {
#define SHARED_MODEL(test, path) path,
#include "tests/shared_models.def"
#undef SHARED_MODEL
  };
  size_t n;
  char **all = shared_models(&n);
  if (!shared_dir()) cr_skip_test("no shared data");
  for (size_t i = 0; i < n; i++) {
    const char *rel = strstr(all[i], "/models/");
    if (!rel) continue;  /* testdata/seanet */
    bool found = false;
    for (size_t k = 0; k < sizeof listed / sizeof listed[0]; k++)
      found = found || strcmp(rel + 8, listed[k]) == 0;
    cr_expect(found, "%s is not in tests/shared_models.def", all[i]);
  }
}
