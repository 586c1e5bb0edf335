/* AVERAGE_POOL_2D int8/uint8 for x86-64-avx2 (avg_pool_avx2_q: the generic avg_pool 32 or 8
   channels at a time, bit-identical); output rows split into parts for --threads. */
#include <string.h>

#include "codegen/ops/avx2.h"

bool avg_pool_avx2_eligible(Emit *e, int type) {
  return emit_x86(e) && (type == TFL_INT8 || type == TFL_UINT8);
}

int gen_avg_pool_avx2(Emit *e, const char *geom, int64_t rows, int64_t reads, const char *lo,
                      const char *hi) {
  const Tensor *x = emit_tin(e, 0);
  const char *sfx = emit_tsuffix(x->type), *ct = emit_ctype(x->type);
  if (avx2_byte_kernel(e, "avg_pool_avx2_q", x->type, false)) return -1;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_avg_pool_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  avg_pool_avx2_%s(%s, x, y, %s, %s, part, nparts);\n}\n",
              e->op->index, ct, ct, sfx, geom, lo, hi);
  /* About a quarter of a convolution multiply-accumulate's time per element read. */
  emit_parallel(e, rows, reads * EMIT_WORK_AVX2_CONV / 4,
                "op%u_avg_pool_avx2(%s, out0, t_, n_)", e->op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
