/* modelc run's build and execution steps (compiler/run.c). */
#ifndef MODELC_RUN_H
#define MODELC_RUN_H

#include "base/err.h"

/* Writes DIR/driver.c for model NAME (generated in DIR) and builds DIR/run with CC CFLAGS. */
int run_build(const char *dir, const char *name, const char *cc, const char *cflags, Err *err);
/* Runs DIR/run: inputs from files (or seeded random), outputs into OUTDIR, ITERS timed runs. */
int run_exec(const char *dir, const char *outdir, unsigned long seed, int iters,
             const char *const *inputs, int ninputs, Err *err);

#endif
