/* The modelc command line. The only place that prints errors and chooses exit codes:
   0 success, 2 a bad model or bad usage. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "compiler/cortexm.h"
#include "compiler/inspect.h"
#include "compiler/ir.h"
#include "compiler/run.h"
#include "codegen/ops/cortexm.h"
#include "codegen/ops/neon.h"

enum { EXIT_BAD = 2 };

typedef struct Command {
  const char *name;
  const char *summary;
  const char *usage;
  int (*run)(int argc, char **argv);
} Command;

static int cmd_inspect(int argc, char **argv);
static int cmd_compile(int argc, char **argv);
static int cmd_run(int argc, char **argv);
static int cmd_help(int argc, char **argv);
static const Command *find(const char *name);
static int disable_pass(const Command *c, const char *v, PassOptions *p);

static const Command commands[] = {
  {"inspect", "show a model's inputs, outputs, operators and totals",
   "usage: modelc inspect MODEL.tflite [--json] [--passes [--disable-pass NAME]...]\n"
   "\n"
   "Reads MODEL.tflite, checks it, infers missing shapes, and prints its inputs and outputs\n"
   "(name, dtype, shape, scale, zero point), one line per operator (index, op, input and output\n"
   "shapes and dtypes, MACs, weight bytes), totals (MACs, weight bytes, tensor count, peak live\n"
   "activation bytes), the operators modelc cannot compile yet, and notes on anything read\n"
   "leniently. --json prints the same as one JSON document (docs/inspect-json.md).\n"
   "--passes shows the graph after the graph passes, as compile and run compile it.\n"
   "A malformed model prints one line naming what is wrong and where, and exits with status 2.\n",
   cmd_inspect},
  {"compile", "generate self-contained C for a model",
   "usage: modelc compile MODEL.tflite -o OUTDIR [--name NAME] [--target T]\n"
   "                      [--rounding single|double] [--disable-pass NAME]... [--print-passes]\n"
   "                      [--profile] [--threads N] [--cpu CPU]\n"
   "\n"
   "Writes OUTDIR/NAME.c and OUTDIR/NAME.h (NAME defaults to the model file's stem made a C\n"
   "identifier). They need only the C library: cc -std=c99 -O2 -c NAME.c. The header gives the\n"
   "arena size, the inputs and outputs, and NAME_invoke (docs/generated-code.md).\n"
   "--rounding: TFLite's requantization rounding: single (one 64-bit multiply and shift, the\n"
   "default, as TFLite built with TFLITE_SINGLE_ROUNDING) or double (gemmlowp's, TFLite Micro's\n"
   "default). Operators or dtypes modelc cannot compile are all listed, and nothing is written.\n"
   "--target: generic (portable C, the default), x86-64-avx2 (AVX2 + FMA int8/uint8 kernels,\n"
   "bit-identical to generic), aarch64-neon (NEON int8/uint8 kernels, bit-identical to generic;\n"
   "the file still builds anywhere, with portable C in place of NEON), cortex-m (DSP-extension\n"
   "SXTB16/SMLAD int8/uint8 kernels, Helium on the M55, bit-identical to generic; prints flash\n"
   "and RAM measured with arm-none-eabi-gcc when it is installed), x86-64-avx512 (x86-64-avx2\n"
   "with AVX-512 VNNI int8/uint8 convolutions, bit-identical to generic), or native (the best of\n"
   "x86-64-avx512, x86-64-avx2 and generic this CPU runs).\n"
   "--cpu CPU (aarch64-neon): a gcc -mcpu name (cortex-a76) or architecture (armv8.2-a+dotprod);\n"
   "one with the dot-product extension gets SDOT/UDOT kernels (a target attribute, so no -m\n"
   "flag is needed to build them); without --cpu, armv8-a NEON only.\n"
   "--cpu CPU (cortex-m): cortex-m4 (default), cortex-m7 (DSP-extension kernels) or cortex-m55\n"
   "(Helium/MVE kernels: VMLADAVA, bit-identical to generic too).\n"
   "The graph passes (--print-passes lists them) rewrite the graph first, never changing an\n"
   "output bit; --disable-pass NAME switches one off (repeatable; 'all' for every one).\n"
   "--profile: time every layer (clock_gettime, or NAME_PROFILE_CLOCK) and add\n"
   "NAME_profile_report; without it the code has no timers at all.\n"
   "--threads N: NAME_set_threads' initial value (default 1): built with OpenMP (-fopenmp),\n"
   "convolutions and fully connected layers split their outputs between N threads; the\n"
   "outputs are identical for every N. Without OpenMP the code is serial.\n",
   cmd_compile},
  {"run", "compile a model, build it with the host compiler, and run it",
   "usage: modelc run MODEL.tflite [--target T] [--rounding R] [--input FILE]... [--seed S]\n"
   "                  [--output-dir DIR] [--iters N] [--cc CC] [--cflags FLAGS] [--keep]\n"
   "                  [--disable-pass NAME]... [--profile] [--threads N] [--cpu CPU]\n"
   "                  [--runner CMD]\n"
   "\n"
   "Compiles MODEL, builds it with a small driver (CC, default cc; FLAGS, default -O2), feeds\n"
   "it raw little-endian input files (exactly NAME_INPUTi_SIZE bytes each; seeded random data\n"
   "for inputs not given), and writes DIR/output_<i>.bin and DIR/input_<i>.bin (default: .).\n"
   "--iters N also times N invocations and prints the median latency; with --threads T > 1\n"
   "also N pairs of invocations alternating 1 thread and T, and the median of their ratios\n"
   "(threads_speedup). --target and --disable-pass as for compile;\n"
   "a target this CPU cannot execute is refused.\n"
   "--profile prints each layer's and each operator type's count, average time, percent and\n"
   "cumulative percent, slowest first (over the --iters invocations, else the first one).\n"
   "--threads N (as for compile) builds with -fopenmp when N > 1.\n"
   "Cross runs: --target aarch64-neon on a host that is not aarch64 builds with\n"
   "aarch64-linux-gnu-gcc (unless --cc) and runs under qemu-aarch64 (Debian gcc-aarch64-linux-gnu,\n"
   "libc6-dev-arm64-cross, qemu-user); so does --target generic --cc aarch64-linux-gnu-gcc, or any\n"
   "compiler whose -dumpmachine names another architecture than this host's (qemu-ARCH). Cross\n"
   "builds link with -static. --runner CMD runs the program under CMD instead (a shell command\n"
   "prefix, e.g. 'qemu-aarch64 -cpu cortex-a53'); the default passes qemu -cpu for a --cpu that\n"
   "qemu models (cortex-a35/a53/a57/a72/a76, neoverse-n1). aarch64 builds add\n"
   "-ffp-contract=off: gcc would otherwise fuse float a * b + c into FMA, which the generated\n"
   "code's arithmetic (as `cc -std=c99` builds it) does not do. A missing compiler or emulator,\n"
   "or a compiler for another architecture than the target's, is refused with what to install.\n"
   "--target cortex-m builds a bare-metal ELF with arm-none-eabi-gcc and newlib's semihosting\n"
   "(rdimon) and runs it under qemu-system-arm (mps2-an386 for cortex-m4, mps2-an500 for\n"
   "cortex-m7, mps3-an547 for cortex-m55; --runner replaces the qemu command before -kernel),\n"
   "files through semihosting; a guest that faults or runs over 20 minutes is stopped with an\n"
   "error.\n",
   cmd_run},
  {"help", "show help for a command", "usage: modelc help [COMMAND]\n", cmd_help},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static void usage(FILE *f) {
  fputs("usage: modelc COMMAND [ARGS]\n\n"
        "modelc compiles TensorFlow Lite models ahead of time into self-contained C.\n\n"
        "commands:\n", f);
  for (int i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fputs("\nmodelc help COMMAND shows a command's options; modelc --version its version.\n", f);
}

/* One line on stderr: "modelc: FILE: what is wrong". Control bytes from the file become '?'. */
static void report(const char *path, const Err *e) {
  char msg[ERR_MSG_MAX + 64];
  err_str(e, msg, sizeof msg);
  for (char *p = msg; *p; p++)
    if (iscntrl((unsigned char)*p)) *p = '?';
  fprintf(stderr, "modelc: %s: %s\n", path, msg);
}

/* A model file mapped read-only: large models are not copied, and the kernel, not malloc,
   decides what is resident. */
typedef struct Mapped {
  const uint8_t *p;
  size_t n;
} Mapped;

static int map_file(const char *path, Mapped *m, Err *err) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return errf(err, -1, "%s", strerror(errno));
  struct stat st;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    close(fd);
    return errf(err, -1, "not a regular file");
  }
  m->n = (size_t)st.st_size;
  m->p = NULL;
  if (m->n) {
    void *p = mmap(NULL, m->n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      close(fd);
      return errf(err, -1, "cannot map: %s", strerror(errno));
    }
    m->p = p;
  }
  close(fd);
  return 0;
}

static void unmap_file(Mapped *m) {
  if (m->p) munmap((void *)m->p, m->n);
}

/* Everything decoded from a file of n bytes stays within this many bytes of memory. */
static size_t arena_limit(size_t n) {
  return n > (SIZE_MAX - (64u << 20)) / 64 ? SIZE_MAX : 64 * n + (64u << 20);
}

static int cmd_inspect(int argc, char **argv) {
  const char *path = NULL;
  bool json = false, passes = false;
  PassOptions popt = {.rounding = ROUND_SINGLE};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) json = true;
    else if (strcmp(argv[i], "--passes") == 0) passes = true;
    else if (strcmp(argv[i], "--disable-pass") == 0 && i + 1 < argc) {
      if (disable_pass(&commands[0], argv[++i], &popt)) return EXIT_BAD;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "modelc inspect: unknown option '%s'\n%s", argv[i], commands[0].usage);
      return EXIT_BAD;
    } else if (path) {
      fprintf(stderr, "modelc inspect: one model at a time\n");
      return EXIT_BAD;
    } else {
      path = argv[i];
    }
  }
  if (!path) {
    fputs(commands[0].usage, stderr);
    return EXIT_BAD;
  }
  Err err = {.off = -1};
  Mapped file;
  if (map_file(path, &file, &err)) {
    report(path, &err);
    return EXIT_BAD;
  }
  Arena a;
  arena_init(&a, arena_limit(file.n));
  TflModel src;
  Model m;
  int status = 0;
  if (ir_load(file.p, file.n, &a, &src, &m, &err) ||
      (passes && passes_run(&m, &popt, NULL, &err))) {
    report(path, &err);
    status = EXIT_BAD;
  } else if (json) {
    inspect_json(stdout, path, &m);
  } else {
    inspect_text(stdout, path, &m);
  }
  arena_free(&a);
  unmap_file(&file);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "modelc: writing output: %s\n", strerror(errno));
    return EXIT_BAD;
  }
  return status;
}

/* Options shared by compile and run. */
typedef struct Opts {
  const char *model, *outdir, *name, *cc, *cflags, *runner;  /* cc NULL: run_tools picks */
  const char *inputs[64];
  int ninputs, iters;
  unsigned long seed;
  bool keep, print_passes;
  EmitOptions emit;
  PassOptions passes;
} Opts;

static int bad_usage(const Command *c, const char *fmt, const char *arg) {
  fprintf(stderr, "modelc %s: ", c->name);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n%s", c->usage);
  return EXIT_BAD;
}

/* --disable-pass NAME (or 'all'): 0, or a usage error naming the passes there are. */
static int disable_pass(const Command *c, const char *v, PassOptions *p) {
  if (strcmp(v, "all") == 0) {
    p->disabled = ~0u;
    return 0;
  }
  int id = pass_find(v);
  if (id < 0) {
    char names[512];
    size_t n = 0;
    for (int i = 0; i < PASS_COUNT && n < sizeof names; i++)
      n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "", pass_info[i].name);
    fprintf(stderr, "modelc %s: no pass '%s' (passes: %s, all)\n", c->name, v, names);
    return EXIT_BAD;
  }
  p->disabled |= 1u << id;
  return 0;
}

static void print_passes(void) {
  for (int i = 0; i < PASS_COUNT; i++) printf("%-20s %s\n", pass_info[i].name, pass_info[i].summary);
  /* Not a graph rewrite, so not switchable: each target's emitter lays its weights out itself. */
  printf("%-20s %s\n", "(emit) prepack",
         "per --target, weights are packed at compile time into the order its kernels read "
         "(x86-64-avx2: 16-channel tiles, depthwise taps in pairs; x86-64-avx512: VNNI quads "
         "of w ^ 0x80 in 16-channel blocks; aarch64-neon and cortex-m: "
         "rows in SDOT/SMLAD order) and zero-point terms are folded into the bias");
}

/* Whether this CPU runs the x86-64-avx2 target, and x86-64-avx512 (AVX2 and FMA, and AVX-512
   F, BW, VL and VNNI), from cpuid through the compiler's builtins. */
static bool cpu_has_avx2(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

static bool cpu_has_avx512(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

static int parse_opts(const Command *c, int argc, char **argv, Opts *o, bool run) {
  *o = (Opts){.cflags = "-O2", .outdir = run ? "." : NULL};
  o->emit.target = "generic";
  o->emit.rounding = ROUND_SINGLE;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool has = v != NULL;
    if (strcmp(a, "--keep") == 0 && run) { o->keep = true; continue; }
    if (strcmp(a, "--profile") == 0) { o->emit.profile = true; continue; }
    if (strcmp(a, "--print-passes") == 0) { o->print_passes = true; continue; }
    if (a[0] != '-' || !a[1]) {
      if (o->model) return bad_usage(c, "one model at a time ('%s')", a);
      o->model = a;
      continue;
    }
    if (!has) return bad_usage(c, "option '%s' needs a value", a);
    i++;
    if (strcmp(a, "-o") == 0 || strcmp(a, "--output-dir") == 0) o->outdir = v;
    else if (strcmp(a, "--name") == 0) o->name = v;
    else if (strcmp(a, "--disable-pass") == 0) {
      if (disable_pass(c, v, &o->passes)) return EXIT_BAD;
    }
    else if (strcmp(a, "--target") == 0) {
      if (strcmp(v, "native") == 0)
        v = cpu_has_avx512() ? "x86-64-avx512" : cpu_has_avx2() ? "x86-64-avx2" : "generic";
      if (strcmp(v, "generic") != 0 && strcmp(v, "x86-64-avx2") != 0 &&
          strcmp(v, "x86-64-avx512") != 0 && strcmp(v, "aarch64-neon") != 0 &&
          strcmp(v, "cortex-m") != 0)
        return bad_usage(c, "unknown target '%s' (targets: generic, x86-64-avx2, x86-64-avx512, "
                         "aarch64-neon, cortex-m, native)", v);
      /* Generated code checks nothing at run time: refuse what this CPU cannot execute. */
      const char *need = strcmp(v, "x86-64-avx2") == 0 && !cpu_has_avx2() ? "AVX2 and FMA"
                         : strcmp(v, "x86-64-avx512") == 0 && !cpu_has_avx512()
                             ? "AVX2, FMA and AVX-512 F, BW, VL and VNNI"
                             : NULL;
      if (run && need) {
        fprintf(stderr, "modelc run: target %s needs a CPU with %s, and this one lacks them "
                "(--target native runs here)\n", v, need);
        return EXIT_BAD;
      }
      o->emit.target = v;
    } else if (strcmp(a, "--rounding") == 0) {
      if (strcmp(v, "single") == 0) o->emit.rounding = ROUND_SINGLE;
      else if (strcmp(v, "double") == 0) o->emit.rounding = ROUND_DOUBLE;
      else return bad_usage(c, "--rounding takes single or double, not '%s'", v);
    } else if (run && strcmp(a, "--input") == 0) {
      if (o->ninputs == 64) return bad_usage(c, "at most 64 inputs%s", "");
      o->inputs[o->ninputs++] = v;
    } else if (run && strcmp(a, "--seed") == 0) o->seed = strtoul(v, NULL, 10);
    else if (run && strcmp(a, "--iters") == 0) o->iters = atoi(v);
    else if (run && strcmp(a, "--cc") == 0) o->cc = v;
    else if (run && strcmp(a, "--cflags") == 0) o->cflags = v;
    else if (run && strcmp(a, "--runner") == 0) o->runner = v;
    else if (strcmp(a, "--cpu") == 0) {
      if (neon_cpu_dotprod(v) < 0 && !cm_cpu(v)) {
        fprintf(stderr, "modelc %s: unknown --cpu '%s' (known: %s; cortex-m: %s)\n", c->name, v,
                neon_cpu_names, cm_cpu_names);
        return EXIT_BAD;
      }
      o->emit.cpu = v;
    }
    else if (strcmp(a, "--threads") == 0) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || n < 1 || n > 1024) return bad_usage(c, "--threads takes a count from 1 to 1024, not '%s'", v);
      o->emit.threads = (int)n;
    }
    else return bad_usage(c, "unknown option '%s'", a);
  }
  o->passes.rounding = o->emit.rounding;
  bool cm = strcmp(o->emit.target, "cortex-m") == 0;
  if (o->emit.cpu && (cm ? !cm_cpu(o->emit.cpu) : cm_cpu(o->emit.cpu) != NULL)) {
    fprintf(stderr, "modelc %s: --cpu %s is not for --target %s\n", c->name, o->emit.cpu,
            o->emit.target);
    return EXIT_BAD;
  }
  if (o->print_passes) return 0;
  if (!o->model) return bad_usage(c, "no model given%s", "");
  if (!o->outdir) return bad_usage(c, "no output folder (-o OUTDIR)%s", "");
  return 0;
}

/* --target cortex-m: what the build costs on the board (compiler/cortexm.c measures it). */
static void cortexm_report(const EmitOptions *eo, const char *dir, const CompileResult *res) {
  CmSizes s;
  Err err = {.off = -1};
  const char *cpu = eo->cpu ? eo->cpu : "cortex-m4";
  if (cm_sizes(dir, eo->name, eo->cpu, &s, &err)) {
    printf("%s: flash and RAM not measured: %s\n", cpu, err.msg);
    return;
  }
  int64_t flash = s.code + s.rodata + s.data, ram = res->arena_bytes + s.data + s.bss + s.stack;
  printf("%s: flash %lld bytes (code %lld + constants %lld + data %lld; weights themselves %lld), "
         "RAM %lld bytes (arena %lld + static %lld + stack %lld%s)\n",
         cpu, (long long)flash, (long long)s.code, (long long)s.rodata, (long long)s.data,
         (long long)res->weight_bytes, (long long)ram, (long long)res->arena_bytes,
         (long long)(s.data + s.bss), (long long)s.stack,
         s.stack_dynamic ? ", a frame of run-time size" : "");
  printf("%s: stack = the deepest call chain from %s_invoke, frames summed (gcc "
         "-fcallgraph-info=su); not counted: the caller's frame%s%s\n", cpu, eo->name,
         s.not_counted[0] ? ", " : "", s.not_counted);
}

/* Compiles o->model into dir; prints the sizes when verbose. */
static int compile_into(const Opts *o, const char *dir, const char *name, bool verbose) {
  Err err = {.off = -1};
  Mapped file;
  if (map_file(o->model, &file, &err)) {
    report(o->model, &err);
    return EXIT_BAD;
  }
  EmitOptions eo = o->emit;
  eo.name = name;
  const char *base = strrchr(o->model, '/');
  eo.source = base ? base + 1 : o->model;
  CompileResult res;
  int rc = compile_model(file.p, file.n, dir, &eo, &o->passes, &res, &err);
  unmap_file(&file);
  if (rc) {
    report(o->model, &err);
    return EXIT_BAD;
  }
  if (verbose)
    printf("%s/%s.c, %s/%s.h: arena %lld bytes (state %lld; peak live activations %lld), "
           "weights %lld bytes\n", dir, name, dir, name, (long long)res.arena_bytes,
           (long long)res.state_bytes, (long long)res.peak_bytes, (long long)res.weight_bytes);
  if (verbose && strcmp(eo.target, "cortex-m") == 0) cortexm_report(&eo, dir, &res);
  if (verbose) {
    const char *sep = "passes: ";
    for (int i = 0; i < PASS_COUNT; i++)
      if (res.passes.changes[i]) printf("%s%s %u", sep, pass_info[i].name, res.passes.changes[i]), sep = ", ";
    if (*sep == ',') printf(" (operators %u -> %u)\n", res.passes.ops_before, res.passes.ops_after);
  }
  return 0;
}

static bool valid_ident(const char *s) {
  if (!*s || isdigit((unsigned char)*s)) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_') return false;
  return true;
}

static int cmd_compile(int argc, char **argv) {
  const Command *c = find("compile");
  Opts o;
  if (parse_opts(c, argc, argv, &o, false)) return EXIT_BAD;
  if (o.print_passes) return print_passes(), 0;
  char name[128];
  if (o.name && !valid_ident(o.name)) return bad_usage(c, "--name '%s' is not a C identifier", o.name);
  if (o.name) snprintf(name, sizeof name, "%s", o.name);
  else compile_default_name(o.model, name, sizeof name);
  return compile_into(&o, o.outdir, name, true);
}

static int cmd_run(int argc, char **argv) {
  const Command *c = find("run");
  Opts o;
  if (parse_opts(c, argc, argv, &o, true)) return EXIT_BAD;
  if (o.print_passes) return print_passes(), 0;
  char name[128];
  if (o.name && !valid_ident(o.name)) return bad_usage(c, "--name '%s' is not a C identifier", o.name);
  if (o.name) snprintf(name, sizeof name, "%s", o.name);
  else compile_default_name(o.model, name, sizeof name);
  /* The compiler and emulator first: a cross target with neither installed is refused before
     any work. */
  RunTools tools;
  Err terr = {.off = -1};
  if (run_tools(o.emit.target, o.emit.cpu, o.cc, o.runner, &tools, &terr)) {
    fprintf(stderr, "modelc run: %s\n", terr.msg);
    return EXIT_BAD;
  }
  char dir[] = "/tmp/modelc-run-XXXXXX";
  if (!mkdtemp(dir)) {
    fprintf(stderr, "modelc run: cannot make a build folder: %s\n", strerror(errno));
    return EXIT_BAD;
  }
  int rc = compile_into(&o, dir, name, false);
  Err err = {.off = -1};
  /* More than one thread needs OpenMP (gcc's libgomp, clang's libomp). */
  char cflags[1024];
  bool board = strcmp(o.emit.target, "cortex-m") == 0;  /* one core, no OpenMP runtime */
  snprintf(cflags, sizeof cflags, "%s%s%s", o.cflags,
           o.emit.threads > 1 && !board ? " -fopenmp" : "", tools.flags);
  if (board) {  /* a bare-metal board: compiler/cortexm.c */
    if (!rc && (cm_run_build(dir, name, o.emit.cpu, tools.cc, cflags, &err) ||
                cm_run_exec(dir, o.outdir, o.seed, o.iters, o.inputs, o.ninputs, tools.runner,
                            &err))) {
      fprintf(stderr, "modelc run: %s\n", err.msg);
      rc = EXIT_BAD;
    }
  } else if (!rc && (run_build(dir, name, tools.cc, cflags, &err) ||
              run_exec(dir, o.outdir, o.seed, o.iters, o.inputs, o.ninputs, tools.runner, &err))) {
    fprintf(stderr, "modelc run: %s\n", err.msg);
    rc = EXIT_BAD;
  }
  if (o.keep) {
    fprintf(stderr, "modelc run: build kept in %s\n", dir);
  } else {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "modelc run: could not remove %s\n", dir);
  }
  return rc;
}

static const Command *find(const char *name) {
  for (int i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

static int cmd_help(int argc, char **argv) {
  if (argc < 2) {
    usage(stdout);
    return 0;
  }
  const Command *c = find(argv[1]);
  if (!c) {
    fprintf(stderr, "modelc: no command '%s'\n", argv[1]);
    return EXIT_BAD;
  }
  fputs(c->usage, stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return EXIT_BAD;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("modelc %s\n", MODELC_VERSION);
    return 0;
  }
  const Command *c = find(argv[1]);
  if (!c) {
    fprintf(stderr, "modelc: no command '%s' (modelc --help lists them)\n", argv[1]);
    return EXIT_BAD;
  }
  if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
    fputs(c->usage, stdout);
    return 0;
  }
  return c->run(argc - 1, argv + 1);
}
