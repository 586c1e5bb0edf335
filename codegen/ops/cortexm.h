/* The cortex-m target's emitters for int8/uint8 CONV_2D (groups 1), DEPTHWISE_CONV_2D (depth
   multiplier 1) and FULLY_CONNECTED (kernels in targets/cortex-m/, on the DSP extension's
   SXTB16 and SMLAD). Each generic emitter asks *_cm_eligible first; a case they do not cover
   (other dtypes, grouped convolutions, depth multipliers, non-constant weights, rows too large
   for a microcontroller's stack) keeps the generic kernel. */
#ifndef MODELC_OPS_CORTEXM_H
#define MODELC_OPS_CORTEXM_H

#include "codegen/emit.h"
#include "codegen/ops/conv_common.h"

bool conv_cm_eligible(Emit *e, const Op *op);
int gen_conv_cm(Emit *e, const Op *op);
bool depthwise_conv_cm_eligible(Emit *e, const Op *op);
int gen_depthwise_conv_cm(Emit *e, const Op *op);
bool fully_connected_cm_eligible(Emit *e, const Op *op);
int gen_fully_connected_cm(Emit *e, const Op *op);

/* ---- --cpu for cortex-m (cortexm_emit.c) ---- */

/* A --cpu the cortex-m target knows: cortex-m4, cortex-m7, cortex-m55. */
typedef struct CmCpu {
  const char *name;
  const char *flags;    /* arm-none-eabi-gcc's -mcpu/-mfpu/-mfloat-abi */
  const char *machine;  /* qemu-system-arm -M that runs it, NULL: none */
  uint32_t ram_base;    /* that machine's 16 MB of PSRAM, where the harness puts the arena */
} CmCpu;
/* The entry for cpu (NULL: cortex-m4), or NULL when it is not a Cortex-M this target builds. */
const CmCpu *cm_cpu(const char *cpu);
/* The --cpu names cm_cpu knows, for messages. */
extern const char cm_cpu_names[];

/* ---- shared by the three emitters (cortexm_emit.c) ---- */

/* The int16 im2col rows of a layer live on the stack: at most this many bytes (2 rows). */
enum { CM_STACK_MAX = 16 * 1024 };

/* True when the target is cortex-m, x, w, y are all int8 or all uint8 with quantization and
   zero points inside the dtype, w is constant and the bias is absent or a constant int32 vector
   of `channels`. */
bool cm_q8_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                    int channels);
/* The GEMM layout conv_cm_q (pairs: each group of 4 stored w0 w2 w1 w3) and
   fully_connected_cm_q (in order) read: rows of k raw weights per output channel, padded to kp
   with zeros and to an even channel count with a zero row; and the bias with xo * sum(row) +
   kp * xo * wo folded in (modulo 2^32), padded. Sets *wname and *bname to the tables. */
int cm_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                   int x_offset, int w_offset, bool pairs, const char **wname,
                   const char **bname);
/* The depthwise layout depthwise_conv_cm_q reads: [tap][channel padded to a multiple of 4] raw
   weights, and the bias padded likewise. */
int cm_depthwise_tables(Emit *e, const Tensor *w, const Tensor *b, int taps, int channels,
                        const char **wname, const char **bname);
/* Instantiates kernel `file` for x's dtype with the requantization q describes and its helpers. */
int cm_kernel(Emit *e, const char *file, const Tensor *x, const ConvQuant *q);

#endif
