/* modelc run's build and execution steps (compiler/run.c). */
#ifndef MODELC_RUN_H
#define MODELC_RUN_H

#include "base/err.h"

/* How modelc run builds and runs for a target: the compiler, the flags it adds, and the command
   the program runs under (empty: none). */
typedef struct RunTools {
  char cc[256];
  char flags[256];    /* " -static" for a cross build; " -ffp-contract=off" for aarch64 and
                         cortex-m, with -mcpu for the latter */
  char runner[512];
} RunTools;

/* Picks them: cc (NULL: "cc", or aarch64-linux-gnu-gcc for --target aarch64-neon on another
   host), asks it which machine it builds for (`cc -dumpmachine`), refuses a compiler that does
   not build for the target's architecture, and when that is not this host's, links statically
   and runs under runner (NULL: qemu-ARCH, with -cpu for a --cpu qemu models). Fails with a
   message naming what to install when the compiler or the runner is missing. */
int run_tools(const char *target, const char *cpu, const char *cc, const char *runner,
              RunTools *t, Err *err);
/* Writes DIR/driver.c for model NAME (generated in DIR) and builds DIR/run with CC CFLAGS. */
int run_build(const char *dir, const char *name, const char *cc, const char *cflags, Err *err);
/* Runs DIR/run under runner (a shell command prefix; NULL or "": none): inputs from files (or
   seeded random), outputs into OUTDIR, ITERS timed runs. */
int run_exec(const char *dir, const char *outdir, unsigned long seed, int iters,
             const char *const *inputs, int ninputs, const char *runner, Err *err);

#endif
