/* modelc compile and modelc run: a model file to NAME.c and NAME.h in a folder, and (for run) a
   driver built with the host compiler. */
#ifndef MODELC_COMPILE_H
#define MODELC_COMPILE_H

#include "codegen/emit.h"
#include "compiler/passes/passes.h"

typedef struct CompileResult {
  int64_t arena_bytes, state_bytes, peak_bytes, weight_bytes;
  uint32_t aliased;
  char name[128];
  PassReport passes;
} CompileResult;

/* A valid C identifier from a file's stem: "mobilenet_v1_0.25_128.tflite" -> "mobilenet_v1_0_25_128". */
void compile_default_name(const char *path, char *out, size_t cap);
/* mkdir -p DIR, as users expect of an output directory. */
int compile_make_dirs(const char *dir, Err *err);
/* Reads buf (the model file), runs the graph passes p allows (NULL: none), generates code and
   writes OUTDIR/NAME.c and OUTDIR/NAME.h, both or neither. */
int compile_model(const uint8_t *buf, size_t n, const char *outdir, const EmitOptions *o,
                  const PassOptions *p, CompileResult *res, Err *err);

#endif
