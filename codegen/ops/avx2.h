/* The x86-64-avx2 target's emitters for int8/uint8 CONV_2D, DEPTHWISE_CONV_2D and
   FULLY_CONNECTED (kernels in targets/x86-64-avx2/). Each generic emitter asks *_avx2_eligible
   first; a case they do not cover (other dtypes, grouped convolutions, non-constant weights,
   a ring buffer too large for the stack) keeps the generic kernel. */
#ifndef MODELC_OPS_AVX2_H
#define MODELC_OPS_AVX2_H

#include "codegen/emit.h"
#include "codegen/ops/pack.h"
#include "codegen/ops/conv_common.h"
#include "codegen/ops/conv_hybrid.h"

/* A residual ADD fused into a convolution's epilogue (fuse-residual-add; conv_add.c). */
typedef struct Avx2Add {
  const char *other;  /* the ADD's other operand, a C expression */
  bool xnn;           /* binary_q.c's add_xnn form, else add_q */
  int32_t q[16];      /* its constants (add_q_form, the convolution's result first) */
  int nq;
} Avx2Add;

bool conv_avx2_eligible(Emit *e, const Op *op);
int gen_conv_avx2(Emit *e, const Op *op);
/* The same with the ADD `add` in the tiles' epilogue (op the convolution alone, writing the
   ADD's output): eligible where conv_avx2_eligible is without the direct form. */
bool conv_avx2_add_eligible(Emit *e, const Op *op);
int gen_conv_avx2_add(Emit *e, const Op *op, const Avx2Add *add);
/* The same on x86-64-avx512 with AVX-512 VNNI (conv_vnni.c), taken before the AVX2 forms. */
bool conv_vnni_eligible(Emit *e, const Op *op);
int gen_conv_vnni(Emit *e, const Op *op);
int gen_conv_vnni_add(Emit *e, const Op *op, const Avx2Add *add);
/* Hybrid CONV_2D (float32 x and y, int8 weights; conv_hybrid_avx2.c), after conv_hybrid(). */
bool conv_hybrid_avx2_eligible(Emit *e, const Op *op);
int gen_conv_hybrid_avx2(Emit *e, const Op *op, const ConvHybrid *h);
bool depthwise_conv_avx2_eligible(Emit *e, const Op *op);
int gen_depthwise_conv_avx2(Emit *e, const Op *op);
bool fully_connected_avx2_eligible(Emit *e, const Op *op);
int gen_fully_connected_avx2(Emit *e, const Op *op);
/* RESIZE_BILINEAR int8/uint8 in XNNPACK's Q11 form (resize.c builds the ys and xs tables) and
   ARG_MAX int8/uint8 over the last axis (resize_argmax_avx2.c). */
bool resize_bilinear_q11_avx2_eligible(Emit *e, int32_t depth);
int gen_resize_bilinear_q11_avx2(Emit *e, int32_t b, int32_t ih, int32_t iw, int32_t d, int32_t oh,
                                 int32_t ow, const char *ys, const char *xs);
bool arg_max_avx2_eligible(Emit *e, int64_t n, int64_t inner);
int gen_arg_max_avx2(Emit *e, int64_t outer, int32_t n);
/* AVERAGE_POOL_2D int8/uint8 (pool_avx2.c): geom, avg_pool's shape arguments (batches to pad_w)
   as pool.c formats them; rows (batches x out_h) and reads (window elements summed) size the
   split; lo, hi the activation clamp. */
bool avg_pool_avx2_eligible(Emit *e, int type);
int gen_avg_pool_avx2(Emit *e, const char *geom, int64_t rows, int64_t reads, const char *lo,
                      const char *hi);

/* ---- shared by the three (avx2_emit.c) ---- */

/* Emits avx2_common and the kernel `file` for int8/uint8 `type`, instance its dtype suffix:
   $T its C type, $CVT32 bytes widened to int32 lanes, $PACK the saturating 16-to-8-bit pack
   (256-bit when wide_pack, else 128-bit). */
int avx2_byte_kernel(Emit *e, const char *file, int type, bool wide_pack);

/* Of tile widths hi, hi - 1 and hi - 2 pixels, the one that wastes least of the last tile over m
   pixels, a narrower tile paying a little for its fewer accumulators (the GEMM tiles of
   conv_avx2 and conv_vnni). */
int avx2_tile_pixels(int64_t m, int hi);

/* The generated code keeps its per-layer buffers (widened input rows) on the stack: at most this. */
enum { AVX2_STACK_MAX = 256 * 1024 };

/* True when the target is x86-64-avx2, x, w, y are all int8 or all uint8 with quantization, w is
   constant and the bias is absent or a constant int32 vector of `channels`. */
bool avx2_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels);
/* The same for bytes, as int8_t (is_signed) or uint8_t. */
const char *avx2_u8_table(Emit *e, const char *what, const uint8_t *v, size_t n, bool is_signed);
/* The bias (zeros when b is NULL) as int32, zero-padded to `padded` entries. */
const char *avx2_bias_table(Emit *e, const Tensor *b, int channels, int padded);
/* Instantiates the kernel `file` for x's dtype with the requantization q describes (vectorised
   for the `channels` multipliers of x, w and y where exact, avx2_requant.c), and the helpers it
   calls; extra1 and extra2 (may be NULL) are more KEY=value substitutions, and suffix (may be
   NULL) names the kernel instance they make. Sets kinst to the instance suffix of the kernel's
   functions (q->inst, or more). The kernel's $OUTZ and $OUTZ2 store with a fused ADD of the
   form `add` (avx2_out_add.c; conv_avx2_q's tiles), or are $OUT and $OUT2 when add is NULL. */
enum { AVX2_INST_MAX = 48 };
int avx2_kernel(Emit *e, const char *file, const Tensor *x, const Tensor *w, const Tensor *y,
                int channels, const ConvQuant *q, const char *suffix, const char *extra1,
                const char *extra2, const Avx2Add *add, char kinst[AVX2_INST_MAX]);

#endif
