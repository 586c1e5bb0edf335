/* x86-64-avx2 emitters for int8/uint8 RESIZE_BILINEAR in XNNPACK's Q11 form
   (resize_bilinear_q11_avx2) and int8/uint8 ARG_MAX over the last axis (arg_max_avx2). The
   generic emitters (resize.c, arg_max.c) ask these first; both kernels compute what the generic
   ones do, value for value, and split their rows or positions into parts (threads). */
#include <string.h>

#include "codegen/ops/avx2.h"

enum { RESIZE_Q11_AVX2_RB = 8192 };  /* int32 per cached row, as in the kernel */

static bool is_avx2(const Emit *e) { return emit_x86(e); }

bool resize_bilinear_q11_avx2_eligible(Emit *e, int32_t depth) {
  const Tensor *x = emit_tin(e, 0);
  return is_avx2(e) && (x->type == TFL_UINT8 || x->type == TFL_INT8) && depth >= 1 &&
         depth <= RESIZE_Q11_AVX2_RB;
}

int gen_resize_bilinear_q11_avx2(Emit *e, int32_t b, int32_t ih, int32_t iw, int32_t d, int32_t oh,
                                 int32_t ow, const char *ys, const char *xs) {
  const Tensor *x = emit_tin(e, 0);
  const char *sfx = emit_tsuffix(x->type), *ct = emit_ctype(x->type);
  if (avx2_byte_kernel(e, "resize_bilinear_q11_avx2", x->type, true)) return -1;
  int32_t cw = RESIZE_Q11_AVX2_RB / d;
  if (cw > ow) cw = ow;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_resize_bilinear_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  resize_bilinear_q11_avx2_%s(%d, %d, %d, %d, %d, %d, %d, %s, %s, x, y, part, nparts);\n}\n",
              e->op->index, ct, ct, sfx, b, ih, iw, d, oh, ow, cw, ys, xs);
  /* About one convolution multiply-accumulate's time per output value. */
  emit_parallel(e, (int64_t)b * oh, (int64_t)b * oh * ow * d * EMIT_WORK_AVX2_CONV,
                "op%u_resize_bilinear_avx2(%s, out0, t_, n_)", e->op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}

bool arg_max_avx2_eligible(Emit *e, int64_t n, int64_t inner) {
  const Tensor *x = emit_tin(e, 0);
  return is_avx2(e) && (x->type == TFL_UINT8 || x->type == TFL_INT8) && inner == 1 && n >= 2 &&
         n <= 32;
}

int gen_arg_max_avx2(Emit *e, int64_t outer, int32_t n) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  const bool u8 = x->type == TFL_UINT8;
  char inst[16], T[32], I[32];
  snprintf(inst, sizeof inst, "%s_%s", emit_tsuffix(x->type), emit_tsuffix(y->type));
  snprintf(T, sizeof T, "T=%s", emit_ctype(x->type));
  snprintf(I, sizeof I, "I=%s", emit_ctype(y->type));
  if (emit_kernel(e, "avx2_common", "x", NULL) ||
      emit_kernel(e, "arg_max_avx2", inst, T, I, u8 ? "MIN=0" : "MIN=-128",
                  u8 ? "MAX=_mm_max_epu8" : "MAX=_mm_max_epi8", NULL))
    return -1;
  text_printf(&e->consts,
              "static MC_AVX2 void op%u_arg_max_avx2(const %s *x, %s *y, int part, int nparts) {\n"
              "  arg_max_avx2_%s(%lld, %d, x, y, part, nparts);\n}\n",
              e->op->index, emit_ctype(x->type), emit_ctype(y->type), inst, (long long)outer, n);
  emit_parallel(e, outer, outer * n * EMIT_WORK_AVX2_CONV, "op%u_arg_max_avx2(%s, out0, t_, n_)",
                e->op->index, emit_in(e, 0));
  ef(e, "  return 0;\n");
  return 0;
}
