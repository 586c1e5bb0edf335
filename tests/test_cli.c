/* The modelc command line as users meet it: help, version, inspect on every shared model in both
   views, and the one-line error with exit status 2 on a malformed file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/json_parse.h"
#include "tests/util.h"

static unsigned lines(const char *s) {
  unsigned n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

Test(cli, help_and_version) {
  Run r = modelc_run("--help");
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.out, "usage: modelc COMMAND") && strstr(r.out, "inspect"));
  run_free(&r);
  r = modelc_run("help inspect");
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.out, "usage: modelc inspect MODEL.tflite [--json]"), "%s", r.out);
  run_free(&r);
  r = modelc_run("--version");
  cr_expect_eq(r.status, 0);
  cr_expect_eq(strncmp(r.out, "modelc ", 7), 0, "%s", r.out);
  run_free(&r);
  r = modelc_run("frobnicate");
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, "no command 'frobnicate'"), "%s", r.err);
  run_free(&r);
}

Test(cli, missing_file_is_one_line_and_status_2) {
  Run r = modelc_run("inspect /nonexistent/model.tflite");
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, "modelc: /nonexistent/model.tflite: No such file or directory\n");
  cr_expect_eq(r.nout, 0);
  run_free(&r);
}

Test(cli, truncated_model_is_one_line_with_offset_and_status_2) {
  const char *dir = shared_dir();
  if (!dir) cr_skip_test("../shared not found");
  char src[4096], bad[] = "/tmp/modelc-bad-XXXXXX", args[4200];
  size_t n;
  snprintf(src, sizeof src, "%s/models/tflm/hello_world_int8.tflite", dir);
  uint8_t *buf = read_file(src, &n);
  cr_assert(buf);
  int fd = mkstemp(bad);
  cr_assert(fd >= 0);
  cr_assert_eq(write(fd, buf, n / 2), (ssize_t)(n / 2));
  close(fd);
  snprintf(args, sizeof args, "inspect %s", bad);
  Run r = modelc_run(args);
  cr_expect_eq(r.status, 2);
  cr_expect_eq(lines(r.err), 1, "%s", r.err);
  char prefix[300];
  snprintf(prefix, sizeof prefix, "modelc: %s: offset 0x", bad);
  cr_expect_eq(strncmp(r.err, prefix, strlen(prefix)), 0, "%s", r.err);
  cr_expect_eq(r.nout, 0, "no partial output on stdout");
  run_free(&r);
  unlink(bad);
  free(buf);
}

Test(cli, inspect_prints_table_and_json_for_every_shared_model) {
  size_t n;
  char **models = shared_models(&n);
  if (!models) cr_skip_test("../shared not found");
  for (size_t i = 0; i < n; i++) {
    char args[4200], err[256];
    snprintf(args, sizeof args, "inspect '%s'", models[i]);
    Run r = modelc_run(args);
    cr_expect_eq(r.status, 0, "%s: %s", models[i], r.err);
    cr_expect(strstr(r.out, "\ntotals: ") && strstr(r.out, "\npeak live activations: ") &&
              strstr(r.out, "\ninputs:\n") && strstr(r.out, "\noutputs:\n"),
              "%s: table incomplete", models[i]);
    run_free(&r);
    snprintf(args, sizeof args, "inspect --json '%s'", models[i]);
    r = modelc_run(args);
    cr_expect_eq(r.status, 0, "%s: %s", models[i], r.err);
    JsonNode *doc = json_parse(r.out, r.nout, err, sizeof err);
    cr_expect(doc, "%s: JSON does not parse: %s", models[i], err);
    const JsonNode *g = json_at(json_get(doc, "subgraphs"), 0);
    cr_expect(json_get(json_get(g, "totals"), "peak_activation_bytes"), "%s", models[i]);
    cr_expect_leq(json_len(json_get(g, "unsupported")), json_len(json_get(g, "operators")));
    json_free(doc);
    run_free(&r);
  }
}
