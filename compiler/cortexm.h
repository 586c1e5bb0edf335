/* The cortex-m target's build, run and size report (compiler/cortexm.c): arm-none-eabi-gcc with
   newlib's semihosting librdimon, a bare-metal harness (rt/cortexm_start.c, and rt/driver.c built with MC_BOARD)
   and a linker script for the QEMU board of each --cpu (its CmCpu entry: mps2-an386, mps2-an500,
   mps3-an547), run under qemu-system-arm. */
#ifndef MODELC_CORTEXM_H
#define MODELC_CORTEXM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "compiler/run.h"

/* run_tools for --target cortex-m: cc (NULL: arm-none-eabi-gcc), the -mcpu flags, and the
   runner (NULL: timeout + qemu-system-arm on the board modelling cpu). */
int cm_run_tools(const char *cpu, const char *cc, const char *runner, RunTools *t, Err *err);
/* Writes DIR/driver.c, DIR/start.c, DIR/cm_clock.h (the --profile clock) and DIR/link.ld and
   links DIR/run (an ELF for the board). */
int cm_run_build(const char *dir, const char *name, const char *cpu, const char *cc,
                 const char *cflags, Err *err);
/* Runs DIR/run under the runner with the driver's arguments through semihosting; a guest that
   faults, fails or outlives the timeout is an error saying which. */
int cm_run_exec(const char *dir, const char *outdir, unsigned long seed, int iters,
                const char *const *inputs, int ninputs, const char *runner, Err *err);

/* What the generated NAME.c costs on the board, from arm-none-eabi-gcc's object (section sizes)
   and its -fcallgraph-info=su call graph (frame sizes). */
typedef struct CmSizes {
  int64_t code;      /* .text*: the model's functions and kernels */
  int64_t rodata;    /* .rodata*: weights (packed), quantization tables, I/O tables */
  int64_t data, bss; /* initialized and zeroed statics (small: the arena is the caller's) */
  int64_t stack;     /* deepest call chain from NAME_invoke, frames summed */
  bool stack_dynamic;        /* a frame on that chain has a run-time size (not expected) */
  char not_counted[256];     /* callees outside NAME.c (libc: memcpy, memset, ...) */
} CmSizes;
/* Compiles DIR/NAME.c for cpu in a temporary folder and measures it. */
int cm_sizes(const char *dir, const char *name, const char *cpu, CmSizes *s, Err *err);

#endif
