/* modelc run: builds a generated model with the host C compiler around rt/driver.c and runs it. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "codegen/emit.h"
#include "compiler/compile.h"
#include "compiler/cortexm.h"

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

/* The first line `cmd` prints, trailing newline removed; -1 if it fails or prints nothing. */
static int first_line(const char *cmd, char *out, size_t n) {
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  bool got = fgets(out, (int)n, p) != NULL;
  int st = pclose(p);
  if (!got || st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
  out[strcspn(out, "\r\n")] = 0;
  return out[0] ? 0 : -1;
}

/* The architecture a GNU triple or uname names, as qemu-user spells it ("aarch64", "x86_64"). */
static void arch_of(const char *s, char *out, size_t n) {
  size_t k = strcspn(s, "-");
  snprintf(out, n, "%.*s", (int)k, s);
  if (strcmp(out, "arm64") == 0) snprintf(out, n, "aarch64");
  if (strcmp(out, "amd64") == 0) snprintf(out, n, "x86_64");
}

/* CPU models of qemu-aarch64 (7.2) that are also --cpu names: run under that very model. */
static bool qemu_cpu(const char *cpu) {
  static const char *const known[] = {"cortex-a35", "cortex-a53", "cortex-a57", "cortex-a72",
                                      "cortex-a76", "neoverse-n1", NULL};
  for (const char *const *k = known; cpu && *k; k++)
    if (strcmp(*k, cpu) == 0) return true;
  return false;
}

int run_tools(const char *target, const char *cpu, const char *cc, const char *runner,
              RunTools *t, Err *err) {
  struct utsname u;
  char host[64], arch[64], machine[256];
  /* A bare-metal board under qemu-system-arm: compiler/cortexm.c. */
  if (strcmp(target, "cortex-m") == 0) return cm_run_tools(cpu, cc, runner, t, err);
  if (uname(&u)) return errf(err, -1, "uname: %s", strerror(errno));
  arch_of(u.machine, host, sizeof host);
  const bool neon = strcmp(target, "aarch64-neon") == 0;
  const bool auto_cc = !cc;
  if (!cc) cc = neon && strcmp(host, "aarch64") != 0 ? "aarch64-linux-gnu-gcc" : "cc";
  snprintf(t->cc, sizeof t->cc, "%s", cc);
  t->flags[0] = t->runner[0] = 0;
  Text q = {0};
  shell_quote(&q, cc);
  text_printf(&q, " -dumpmachine 2>/dev/null");
  int rc = q.oom ? -1 : first_line(q.p, machine, sizeof machine);
  free(q.p);
  if (rc)
    return errf(err, -1, "cannot run the C compiler '%s'%s", cc,
                auto_cc && neon ? " (target aarch64-neon cross-compiles with it: apt-get install "
                                  "gcc-aarch64-linux-gnu libc6-dev-arm64-cross, or pass --cc)"
                                : "");
  arch_of(machine, arch, sizeof arch);
  const char *need = neon ? "aarch64" : strncmp(target, "x86-64-", 7) == 0 ? "x86_64" : NULL;
  if (need && strcmp(arch, need) != 0)
    return errf(err, -1, "target %s needs a compiler for %s, and '%s' builds for %s", target, need,
                cc, machine);
  /* FMA is part of aarch64, and gcc contracts a * b + c into it outside ISO C modes; the
     generated code's float arithmetic is defined without it (as cc -std=c99 builds it). */
  if (strcmp(arch, "aarch64") == 0) snprintf(t->flags, sizeof t->flags, " -ffp-contract=off");
  const bool cross = strcmp(arch, host) != 0;
  if (cross) {
    /* Static, so the emulator needs no sysroot for the dynamic loader and libc. */
    size_t n = strlen(t->flags);
    snprintf(t->flags + n, sizeof t->flags - n, " -static");
  }
  if (runner) {
    snprintf(t->runner, sizeof t->runner, "%s", runner);
  } else if (cross) {
    snprintf(t->runner, sizeof t->runner, "qemu-%s", arch);
    if (strcmp(arch, "aarch64") == 0 && qemu_cpu(cpu)) {
      size_t n = strlen(t->runner);
      snprintf(t->runner + n, sizeof t->runner - n, " -cpu %s", cpu);
    }
  }
  if (t->runner[0]) {
    /* The runner's program must exist: say so now rather than as a shell's exit status. */
    char prog[512], found[1024];
    snprintf(prog, sizeof prog, "%.*s", (int)strcspn(t->runner, " \t"), t->runner);
    Text c = {0};
    text_printf(&c, "command -v ");
    shell_quote(&c, prog);
    rc = c.oom ? -1 : first_line(c.p, found, sizeof found);
    free(c.p);
    if (rc)
      return errf(err, -1, "the %s build runs under %s, which is not installed%s", arch, prog,
                  runner ? "" : " (apt-get install qemu-user, or pass --runner)");
  }
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
             const char *const *inputs, int ninputs, const char *runner, Err *err) {
  if (compile_make_dirs(outdir, err)) return -1;
  Text cmd = {0};
  char path[4096];
  if (runner && *runner) text_printf(&cmd, "%s ", runner);  /* a command prefix, as given */
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
