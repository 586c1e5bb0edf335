/* The aarch64-neon target's emitters for int8/uint8 CONV_2D (groups 1), DEPTHWISE_CONV_2D
   (depth multiplier 1) and FULLY_CONNECTED (kernels in targets/aarch64-neon/). Each generic
   emitter asks *_neon_eligible first; a case they do not cover (other dtypes, grouped
   convolutions, depth multipliers, non-constant weights, rows too large for the stack) keeps
   the generic kernel. */
#ifndef MODELC_OPS_NEON_H
#define MODELC_OPS_NEON_H

#include "codegen/emit.h"
#include "codegen/ops/pack.h"
#include "codegen/ops/conv_common.h"

bool conv_neon_eligible(Emit *e, const Op *op);
int gen_conv_neon(Emit *e, const Op *op);
bool depthwise_conv_neon_eligible(Emit *e, const Op *op);
int gen_depthwise_conv_neon(Emit *e, const Op *op);
bool fully_connected_neon_eligible(Emit *e, const Op *op);
int gen_fully_connected_neon(Emit *e, const Op *op);

/* --cpu for aarch64-neon: 1 when the CPU (a -mcpu name) or architecture (armv8.N-a[+ext...],
   armv9...) has the dot-product instructions, 0 when it does not, -1 when the name is unknown.
   NULL (no --cpu) is the armv8-a baseline: 0. */
int neon_cpu_dotprod(const char *cpu);
/* The --cpu names neon_cpu_dotprod knows, for messages. */
extern const char neon_cpu_names[];

/* ---- shared by the three (neon_emit.c) ---- */

/* The generated code keeps its per-layer row buffers on the stack: at most this. */
enum { NEON_STACK_MAX = 256 * 1024 };

/* True when the target is aarch64-neon, x, w, y are all int8 or all uint8 with quantization
   and zero points inside the dtype, w is constant and the bias is absent or a constant int32
   vector of `channels`. */
bool neon_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels);
/* The GEMM layout conv_neon_q reads: rows of k values (w(oc, i), i < k) per output channel,
   padded to kp values with -w_offset and to a multiple of 4 channels with zeros; and the bias
   with xo * sum(row) + kp * xo * wo folded in (int32 arithmetic, modulo 2^32), padded. Sets
   *wname and *bname to the tables' names. */
int neon_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                     int x_offset, int w_offset, const char **wname, const char **bname);
/* The bias (zeros when b is NULL) as int32, zero-padded to `padded` entries. */
const char *neon_bias_table(Emit *e, const Tensor *b, int channels, int padded);
/* Instantiates the kernel `file` for x's dtype with the requantization q describes (fp32 or
   the scalar q->REQUANT) and the helpers it calls. */
int neon_kernel(Emit *e, const char *file, const Tensor *x, const ConvQuant *q);
/* "MC_NEON_DOTPROD" when --cpu has SDOT (the attribute the kernels' callers need), else "". */
const char *neon_fn_attr(Emit *e);

#endif
