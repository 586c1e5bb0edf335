/* libFuzzer target: the whole compile path past loading (every pass, the memory plan, code
   generation for one of the targets) on arbitrary bytes. The last byte picks the target, so a
   seed model reaches every emitter. Any crash, sanitizer report, leak or timeout is a bug; a
   rejection is not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "compiler/compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const targets[] = {"generic", "x86-64-avx2", "aarch64-neon", "cortex-m",
                                        "x86-64-avx512"};
  if (size == 0) return 0;
  Arena a;
  arena_init(&a, 64 * size + (256u << 20));  /* the CLI's limit */
  TflModel src;
  Model m;
  Plan plan;
  Err err = {.off = -1};
  EmitOptions o = {.name = "fuzz", .source = "fuzz.tflite", .target = targets[data[size - 1] % 5],
                   .rounding = data[size - 1] / 5 % 2, .threads = data[size - 1] / 10 % 2 + 1};
  PassOptions p = {.disabled = 0, .rounding = o.rounding};
  PassReport rep;
  char *c = NULL, *h = NULL;
  size_t nc = 0, nh = 0;
  if (ir_load(data, size, &a, &src, &m, &err) == 0 && passes_run(&m, &p, &rep, &err) == 0)
    (void)emit_c(&m, &o, &a, &c, &nc, &h, &nh, &plan, &err);
  free(c), free(h);
  arena_free(&a);
  return 0;
}
