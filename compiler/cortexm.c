/* --target cortex-m: building with arm-none-eabi-gcc, running under qemu-system-arm with
   semihosting, and measuring flash and RAM. */
#include "cortexm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codegen/emit.h"
#include "codegen/ops/cortexm.h"
#include "compiler/compile.h"

/* Seconds a guest may run before it is killed: deeplabv3 at 513x513 is the slowest shared model. */
enum { CM_TIMEOUT_S = 1200 };

/* Single-quotes s for /bin/sh. */
static void quote(Text *t, const char *s) {
  text_put(t, "'", 1);
  for (; *s; s++) {
    if (*s == '\'') text_put(t, "'\\''", 4);
    else text_put(t, s, 1);
  }
  text_put(t, "'", 1);
}

/* The exit status of /bin/sh -c cmd, or -1 when it did not exit. */
static int sh_status(const char *cmd) {
  int st = system(cmd);
  return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have(const char *prog) {
  Text c = {0};
  text_printf(&c, "command -v ");
  quote(&c, prog);
  text_printf(&c, " >/dev/null 2>&1");
  bool ok = !c.oom && sh_status(c.p) == 0;
  free(c.p);
  return ok;
}

int cm_run_tools(const char *cpu, const char *cc, const char *runner, RunTools *t, Err *err) {
  const CmCpu *c = cm_cpu(cpu);
  if (!c)
    return errf(err, -1, "target cortex-m: unknown --cpu '%s' (known: %s)", cpu, cm_cpu_names);
  snprintf(t->cc, sizeof t->cc, "%s", cc ? cc : "arm-none-eabi-gcc");
  /* -ffp-contract=off: the generic float kernels round a * b and + c separately, and gcc would
     fuse them into VFMA outside ISO C modes. */
  snprintf(t->flags, sizeof t->flags, " -mthumb %s -ffp-contract=off", c->flags);
  char prog[512];
  snprintf(prog, sizeof prog, "%.*s", (int)strcspn(t->cc, " \t"), t->cc);
  if (!have(prog))
    return errf(err, -1, "target cortex-m builds with %s, which is not installed%s", prog,
                cc ? "" : " (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi, or pass "
                          "--cc)");
  if (runner) {
    snprintf(t->runner, sizeof t->runner, "%s", runner);
  } else {
    snprintf(t->runner, sizeof t->runner,
             "timeout -k 5 %d qemu-system-arm -M %s -cpu %s -nographic -monitor none -serial none",
             CM_TIMEOUT_S, c->machine, c->name);
  }
  /* The runner's program (after a leading `timeout N`) must exist. */
  const char *r = t->runner;
  if (strncmp(r, "timeout ", 8) == 0) {
    r += 8;
    while (*r == ' ' || *r == '-' || *r == 'k' || (*r >= '0' && *r <= '9')) r++;
  }
  snprintf(prog, sizeof prog, "%.*s", (int)strcspn(r, " \t"), r);
  if (!have(prog))
    return errf(err, -1, "the cortex-m build runs under %s, which is not installed%s", prog,
                runner ? "" : " (apt-get install qemu-system-arm, or pass --runner)");
  return 0;
}

/* The harness's memory map, from the board's CmCpu entry (codegen/ops/cortexm_emit.c): the vector
   table where the core reads it at reset, code and constants in FLASH (with .data's image), the
   statics in RAM, the stack from the top of RAM down and newlib's heap (stdio buffers only) up
   to it from the end of .bss, the arena and I/O buffers in POOL. */
static const char link_script[] =
    "/* modelc run --target cortex-m on QEMU's %s. */\n"
    "MEMORY {\n"
    "  VECTORS (rx) : ORIGIN = 0x%08x, LENGTH = 0x%x\n"
    "  FLASH (rx) : ORIGIN = 0x%08x, LENGTH = 0x%x\n"
    "  RAM (rwx) : ORIGIN = 0x%08x, LENGTH = 0x%x\n"
    "  POOL (rwx) : ORIGIN = 0x%08x, LENGTH = 0x%x\n"
    "}\n"
    "SECTIONS {\n"
    "  .vectors : { KEEP(*(.vectors)) } > VECTORS\n"
    "  .text : { *(.text*) *(.rodata*) . = ALIGN(8); } > FLASH\n"
    "  .ARM.exidx : { *(.ARM.exidx*) } > FLASH\n"
    "  .data : { __data_start = .; *(.data*) . = ALIGN(4); __data_end = .; } > RAM AT > FLASH\n"
    "  __data_load = LOADADDR(.data);\n"
    "  .bss (NOLOAD) : { __bss_start = .; *(.bss*) *(COMMON) . = ALIGN(8); __bss_end = .; } > RAM\n"
    "  end = __bss_end;\n"
    "  __stack_top = ORIGIN(RAM) + LENGTH(RAM);\n"
    "  __pool_start = ORIGIN(POOL);\n"
    "  __pool_end = ORIGIN(POOL) + LENGTH(POOL);\n"
    "}\n";

static int write_text(const char *dir, const char *file, const char *p, size_t n, Err *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "w");
  if (!f || fwrite(p, 1, n, f) != n || fclose(f)) return errf(err, -1, "cannot write %s", path);
  return 0;
}

int cm_run_build(const char *dir, const char *name, const char *cpu, const char *cc,
                 const char *cflags, Err *err) {
  const CmCpu *c = cm_cpu(cpu);
  const char *drv_src = emit_find_kernel("rt", "driver");
  const char *start = emit_find_kernel("rt", "cortexm_start");
  if (!c || !drv_src || !start) return errf(err, -1, "internal: no cortex-m harness");
  Text drv = {0}, cmd = {0};
  char nsub[160], ld[2048];
  snprintf(nsub, sizeof nsub, "N=%s", name);
  const char *subst[] = {nsub};
  if (text_template(&drv, drv_src, name, subst, 1, err)) return free(drv.p), -1;
  int n = snprintf(ld, sizeof ld, link_script, c->machine, (unsigned)c->vectors.base,
                   (unsigned)c->vectors.size, (unsigned)c->flash.base, (unsigned)c->flash.size,
                   (unsigned)c->ram.base, (unsigned)c->ram.size, (unsigned)c->pool.base,
                   (unsigned)c->pool.size);
  int rc = drv.oom ? errf(err, -1, "out of memory")
                   : write_text(dir, "driver.c", drv.p, drv.n, err);
  free(drv.p);
  static const char clock_h[] = "#include <stdint.h>\nuint64_t cm_host_ns(void);\n";
  if (rc || write_text(dir, "start.c", start, strlen(start), err) ||
      write_text(dir, "cm_clock.h", clock_h, sizeof clock_h - 1, err) ||
      write_text(dir, "link.ld", ld, (size_t)n, err))
    return -1;
  /* rdimon.specs: newlib with semihosting system calls; -nostartfiles: start.c is the crt0. A
     --profile model's clock is cm_host_ns (rt/cortexm_start.c): QEMU has no DWT counter. */
  char path[4200];
  text_printf(&cmd, "%s %s -DMC_BOARD -D%s_NO_STATIC_ARENA '-D%s_PROFILE_CLOCK=cm_host_ns()' "
              "'-D%s_PROFILE_UNIT=\"ns\"' -include ", cc, cflags, name, name, name);
  snprintf(path, sizeof path, "%s/cm_clock.h", dir);
  quote(&cmd, path);
  text_printf(&cmd, " -I");
  quote(&cmd, dir);
  static const char *const files[] = {"%s.c", "driver.c", "start.c"};
  for (int i = 0; i < 3; i++) {
    char f[256];
    snprintf(f, sizeof f, files[i], name);
    snprintf(path, sizeof path, "%s/%s", dir, f);
    text_put(&cmd, " ", 1);
    quote(&cmd, path);
  }
  text_printf(&cmd, " --specs=rdimon.specs -nostartfiles -T ");
  snprintf(path, sizeof path, "%s/link.ld", dir);
  quote(&cmd, path);
  text_printf(&cmd, " -o ");
  snprintf(path, sizeof path, "%s/run", dir);
  quote(&cmd, path);
  text_printf(&cmd, " -lm");
  int st = cmd.oom ? -2 : sh_status(cmd.p);
  free(cmd.p);
  if (st == -2) return errf(err, -1, "out of memory");
  if (st != 0)
    return errf(err, -1, "building the model for the Cortex-M board failed (status %d; a model "
                "larger than the %s's %u MB of code memory fails to link, as the linker says "
                "above)", st, c->machine, (unsigned)(c->flash.size >> 20));
  return 0;
}

/* A semihosting argument: the command line reaches the guest joined by spaces, and QEMU's
   option parser takes ',' as a separator (doubled, it stands for itself). */
static int add_arg(Text *t, const char *a, Err *err) {
  if (strpbrk(a, " \t\n"))
    return errf(err, -1, "target cortex-m: '%s' has a space, which semihosting's command line "
                "cannot pass", a);
  text_printf(t, ",arg=");
  Text v = {0};
  for (const char *p = a; *p; p++) {
    if (*p == ',') text_put(&v, ",", 1);
    text_put(&v, p, 1);
  }
  if (v.oom) return free(v.p), errf(err, -1, "out of memory");
  quote(t, v.p ? v.p : "");
  free(v.p);
  return 0;
}

int cm_run_exec(const char *dir, const char *outdir, unsigned long seed, int iters,
                const char *const *inputs, int ninputs, const char *runner, Err *err) {
  Text cmd = {0};
  char path[4200], num[32];
  snprintf(path, sizeof path, "%s/run", dir);
  text_printf(&cmd, "%s -kernel ", runner);
  quote(&cmd, path);
  text_printf(&cmd, " -semihosting-config enable=on,target=native,arg=run");
  int rc = add_arg(&cmd, outdir, err);
  snprintf(num, sizeof num, "%lu", seed);
  rc = rc ? rc : add_arg(&cmd, num, err);
  snprintf(num, sizeof num, "%d", iters);
  rc = rc ? rc : add_arg(&cmd, num, err);
  for (int i = 0; !rc && i < ninputs; i++) rc = add_arg(&cmd, inputs[i], err);
  if (rc || compile_make_dirs(outdir, err)) return free(cmd.p), -1;
  int st = cmd.oom ? -2 : sh_status(cmd.p);
  free(cmd.p);
  if (st == 0) return 0;
  if (st == -2) return errf(err, -1, "out of memory");
  if (st == 124 || st == 137)
    return errf(err, -1, "the Cortex-M guest did not finish in time and was killed (the default "
                "runner allows %d s)", CM_TIMEOUT_S);
  if (st == 99) return errf(err, -1, "the Cortex-M guest faulted (HardFault or another exception)");
  return errf(err, -1, "running the model on the Cortex-M board failed (status %d)", st);
}

/* ---- sizes ---- */

typedef struct Fn {
  char name[128];
  int64_t own, total;  /* total: -1 not yet, -2 in progress */
  bool known, dynamic;
  int callees[64];
  int ncallees;
} Fn;

typedef struct Graph_ {
  Fn *f;
  int n, cap;
} CallGraph;

static int fn_index(CallGraph *g, const char *name) {
  for (int i = 0; i < g->n; i++)
    if (strcmp(g->f[i].name, name) == 0) return i;
  if (g->n == g->cap) {
    int cap = g->cap ? 2 * g->cap : 64;
    Fn *p = realloc(g->f, (size_t)cap * sizeof *p);
    if (!p) return -1;
    g->f = p, g->cap = cap;
  }
  Fn *f = &g->f[g->n];
  memset(f, 0, sizeof *f);
  snprintf(f->name, sizeof f->name, "%s", name);
  f->total = -1;
  return g->n++;
}

/* The quoted string after `key: "` in line, into out. */
static bool field(const char *line, const char *key, char *out, size_t n) {
  const char *p = strstr(line, key);
  if (!p) return false;
  p += strlen(key);
  size_t k = strcspn(p, "\"");
  snprintf(out, n, "%.*s", (int)k, p);
  return true;
}

static int64_t deepest(CallGraph *g, int i, CmSizes *s) {
  Fn *f = &g->f[i];
  if (f->total >= 0) return f->total;
  if (f->total == -2) return 0;  /* recursion: the generated code has none */
  f->total = -2;
  size_t used = strlen(s->not_counted);  /* a callee outside NAME.c: named, frame unknown */
  if (!f->known && !strstr(s->not_counted, f->name) &&
      used + strlen(f->name) + 3 < sizeof s->not_counted)
    snprintf(s->not_counted + used, sizeof s->not_counted - used, "%s%s", used ? ", " : "",
             f->name);
  int64_t m = 0;
  for (int k = 0; k < f->ncallees; k++) {
    int64_t d = deepest(g, f->callees[k], s);
    if (d > m) m = d;
  }
  f = &g->f[i];
  if (f->dynamic) s->stack_dynamic = true;
  return f->total = f->own + m;
}

/* Reads the -fcallgraph-info=su graph (VCG: one node per function with its frame, one edge per
   call) and sums the frames down the deepest path from root. */
static int stack_depth(const char *ci, const char *root, CmSizes *s, Err *err) {
  FILE *f = fopen(ci, "r");
  if (!f) return errf(err, -1, "cannot read %s", ci);
  CallGraph g = {0};
  char line[4096], a[256], b[256];
  int rc = 0;
  while (!rc && fgets(line, sizeof line, f)) {
    if (strncmp(line, "node:", 5) == 0 && field(line, "title: \"", a, sizeof a)) {
      int i = fn_index(&g, a);
      if (i < 0) { rc = errf(err, -1, "out of memory"); break; }
      const char *by = strstr(line, " bytes (");
      if (by) {
        const char *q = by;
        while (q > line && q[-1] >= '0' && q[-1] <= '9') q--;
        g.f[i].own = strtoll(q, NULL, 10), g.f[i].known = true;
        g.f[i].dynamic = strncmp(by + 8, "static", 6) != 0;
      }
    } else if (strncmp(line, "edge:", 5) == 0 && field(line, "sourcename: \"", a, sizeof a) &&
               field(line, "targetname: \"", b, sizeof b)) {
      int i = fn_index(&g, a), j = i < 0 ? -1 : fn_index(&g, b);
      if (i < 0 || j < 0) { rc = errf(err, -1, "out of memory"); break; }
      Fn *fi = &g.f[i];
      bool dup = false;
      for (int k = 0; k < fi->ncallees; k++) dup = dup || fi->callees[k] == j;
      if (!dup && fi->ncallees < 64) fi->callees[fi->ncallees++] = j;
    }
  }
  fclose(f);
  if (!rc) {
    int r = -1;
    for (int i = 0; i < g.n; i++)
      if (strcmp(g.f[i].name, root) == 0) r = i;
    if (r < 0) rc = errf(err, -1, "no %s in the call graph", root);
    else s->stack = deepest(&g, r, s);
  }
  free(g.f);
  return rc;
}

int cm_sizes(const char *dir, const char *name, const char *cpu, CmSizes *s, Err *err) {
  memset(s, 0, sizeof *s);
  const CmCpu *c = cm_cpu(cpu);
  if (!c) return errf(err, -1, "unknown --cpu '%s'", cpu);
  char src[4200], obj[4200], ci[4200];
  char adir[4096] = "";  /* the compiler runs in tmp: an absolute path */
  if (dir[0] != '/' && !getcwd(adir, sizeof adir - 1))
    return errf(err, -1, "getcwd: %s", strerror(errno));
  snprintf(adir + strlen(adir), sizeof adir - strlen(adir), "%s%s", adir[0] ? "/" : "", dir);
  snprintf(src, sizeof src, "%s/%s.c", adir, name);
  char tmp[] = "/tmp/modelc-size-XXXXXX";
  if (!mkdtemp(tmp)) return errf(err, -1, "cannot make a folder: %s", strerror(errno));
  Text cmd = {0};
  snprintf(obj, sizeof obj, "%s/%s.o", tmp, name);
  snprintf(ci, sizeof ci, "%s/%s.ci", tmp, name);
  /* As modelc run builds it, one section per function and per table; the call graph goes next
     to the object (-dumpbase places it). */
  text_printf(&cmd, "cd ");
  quote(&cmd, tmp);
  text_printf(&cmd, " && arm-none-eabi-gcc -mthumb %s -ffp-contract=off -O2 -ffunction-sections "
              "-fdata-sections -fstack-usage -fcallgraph-info=su -D%s_NO_STATIC_ARENA -c ",
              c->flags, name);
  quote(&cmd, src);
  text_printf(&cmd, " -o ");
  quote(&cmd, obj);
  text_printf(&cmd, " 2>&1 && arm-none-eabi-size -A ");
  quote(&cmd, obj);
  int rc = 0;
  FILE *p = cmd.oom ? NULL : popen(cmd.p, "r");
  free(cmd.p);
  if (!p) rc = errf(err, -1, "cannot run arm-none-eabi-gcc");
  char line[1024];
  while (p && fgets(line, sizeof line, p)) {
    char sec[512];
    long long size;
    if (sscanf(line, "%511s %lld", sec, &size) != 2) continue;
    if (strncmp(sec, ".text", 5) == 0) s->code += size;
    else if (strncmp(sec, ".rodata", 7) == 0) s->rodata += size;
    else if (strncmp(sec, ".data", 5) == 0) s->data += size;
    else if (strncmp(sec, ".bss", 4) == 0) s->bss += size;
  }
  if (p) {
    int st = pclose(p);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
      rc = errf(err, -1, "arm-none-eabi-gcc could not build %s for %s", src, c->name);
  }
  char root[160];
  snprintf(root, sizeof root, "%s_invoke", name);
  if (!rc) rc = stack_depth(ci, root, s, err);
  Text rm = {0};
  text_printf(&rm, "rm -rf ");
  quote(&rm, tmp);
  if (!rm.oom && sh_status(rm.p) != 0) rc = rc ? rc : errf(err, -1, "cannot remove %s", tmp);
  free(rm.p);
  return rc;
}
