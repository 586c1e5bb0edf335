/* modelc run: builds a generated model with the host C compiler around rt/driver.c and runs it. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "codegen/emit.h"
#include "compiler/compile.h"

/* Single-quotes s for /bin/sh. */
static void shell_quote(Text *t, const char *s) {
  text_put(t, "'", 1);
  for (; *s; s++) {
    if (*s == '\'') text_put(t, "'\\''", 4);
    else text_put(t, s, 1);
  }
  text_put(t, "'", 1);
}

static int sh(const char *cmd, Err *err, const char *what) {
  int st = system(cmd);
  if (st == -1) return errf(err, -1, "%s: cannot run the shell: %s", what, strerror(errno));
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return errf(err, -1, "%s failed (status %d)", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return 0;
}

int run_build(const char *dir, const char *name, const char *cc, const char *cflags, Err *err) {
  const char *src = emit_find_kernel("rt", "driver");
  if (!src) return errf(err, -1, "internal: no driver template");
  Text drv = {0}, cmd = {0};
  char nsub[160];
  snprintf(nsub, sizeof nsub, "N=%s", name);
  const char *subst[] = {nsub};
  int rc = text_template(&drv, src, name, subst, 1, err);
  char path[4096];
  snprintf(path, sizeof path, "%s/driver.c", dir);
  FILE *f = rc ? NULL : fopen(path, "w");
  if (!rc && (!f || fwrite(drv.p, 1, drv.n, f) != drv.n || fclose(f)))
    rc = errf(err, -1, "cannot write %s", path);
  free(drv.p);
  if (rc) return -1;
  text_printf(&cmd, "%s %s -I", cc, cflags);
  shell_quote(&cmd, dir);
  text_printf(&cmd, " ");
  snprintf(path, sizeof path, "%s/%s.c", dir, name);
  shell_quote(&cmd, path);
  text_printf(&cmd, " ");
  snprintf(path, sizeof path, "%s/driver.c", dir);
  shell_quote(&cmd, path);
  text_printf(&cmd, " -o ");
  snprintf(path, sizeof path, "%s/run", dir);
  shell_quote(&cmd, path);
  text_printf(&cmd, " -lm");
  rc = cmd.oom ? errf(err, -1, "out of memory") : sh(cmd.p, err, "building the model");
  free(cmd.p);
  return rc;
}

int run_exec(const char *dir, const char *outdir, unsigned long seed, int iters,
             const char *const *inputs, int ninputs, Err *err) {
  if (compile_make_dirs(outdir, err)) return -1;
  Text cmd = {0};
  char path[4096];
  snprintf(path, sizeof path, "%s/run", dir);
  shell_quote(&cmd, path);
  text_put(&cmd, " ", 1);
  shell_quote(&cmd, outdir);
  text_printf(&cmd, " %lu %d", seed, iters);
  for (int i = 0; i < ninputs; i++) {
    text_put(&cmd, " ", 1);
    shell_quote(&cmd, inputs[i]);
  }
  int rc = cmd.oom ? errf(err, -1, "out of memory") : sh(cmd.p, err, "running the model");
  free(cmd.p);
  return rc;
}
