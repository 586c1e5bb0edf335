/* libFuzzer target: the whole load path (reader, import, verification, shapes, stats) on
   arbitrary bytes. Any crash, sanitizer report, leak or timeout is a bug; a rejection is not. */
#include <stddef.h>
#include <stdint.h>

#include "compiler/ir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena a;
  arena_init(&a, 64 * size + (64u << 20));  /* the CLI's limit */
  TflModel src;
  Model m;
  Err err = {.off = -1};
  (void)ir_load(data, size, &a, &src, &m, &err);
  arena_free(&a);
  return 0;
}
