/* The cortex-m target's emitters for int8/uint8 CONV_2D (groups 1), DEPTHWISE_CONV_2D (depth
   multiplier 1) and FULLY_CONNECTED (kernels in targets/cortex-m/: one per op, with the inner
   loops of the --cpu's instructions, the DSP extension's SXTB16 and SMLAD in cm_dsp.c, or on
   the Cortex-M55 Helium's VMLADAVA, VMUL and VADD in cm_mve.c). Each generic emitter asks
   *_cm_eligible first; a case they do not cover (other dtypes, grouped convolutions, depth
   multipliers, non-constant weights, rows too large for a microcontroller's stack) keeps the
   generic kernel. */
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

/* A range of a board's address space. */
typedef struct CmRegion {
  uint32_t base, size;
} CmRegion;

/* A --cpu the cortex-m target knows (cortex-m4, cortex-m7, cortex-m55) and the QEMU board that
   runs it, with the memory map modelc run's linker script (compiler/cortexm.c) lays out there. */
typedef struct CmCpu {
  const char *name;
  const char *flags;    /* arm-none-eabi-gcc's -mcpu/-mfpu/-mfloat-abi */
  bool mve;             /* Helium (M-profile vector extension): the MVE kernels */
  const char *machine;  /* qemu-system-arm -M that runs it */
  CmRegion vectors;     /* the vector table, where the core reads it at reset */
  CmRegion flash;       /* code, constants and .data's load image */
  CmRegion ram;         /* .data, .bss, newlib's heap (stdio buffers) and the stack at its top */
  CmRegion pool;        /* the arena and the I/O buffers (rt/driver.c's alloc64) */
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
/* True when the --cpu has Helium, whose inner loops (cm_mve.c) replace the DSP ones. */
bool cm_mve(const Emit *e);
/* The multiple a GEMM row of k values is padded to: the tile's step (4 values for SMLAD pairs,
   16 for one VMLADAVA). */
int cm_gemm_kp(const Emit *e, int k);
/* The GEMM layout conv_cm_q and fully_connected_cm_q read: rows of k raw weights per output
   channel, padded to kp with zeros and to an even channel count with a zero row (with pairs,
   for the DSP conv tile, each group of 4 stored w0 w2 w1 w3); and the bias with
   xo * sum(row) + kp * xo * wo folded in (modulo 2^32), padded. Sets *wname and *bname to the
   tables. */
int cm_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, int out_d, int k, int kp,
                   int x_offset, int w_offset, bool pairs, const char **wname,
                   const char **bname);
/* The depthwise layout depthwise_conv_cm_q reads: [tap][channel padded to a multiple of its
   block, 4 or 8 on Helium] raw weights, and the bias padded likewise. */
int cm_depthwise_tables(Emit *e, const Tensor *w, const Tensor *b, int taps, int channels,
                        const char **wname, const char **bname);
/* Instantiates kernel `file` for x's dtype with the requantization q describes, its helpers,
   and the inner loops of the --cpu (cm_dsp or cm_mve); tile names the one `file` calls there
   (without the dtype suffix). */
int cm_kernel(Emit *e, const char *file, const char *tile, const Tensor *x, const ConvQuant *q);

#endif
