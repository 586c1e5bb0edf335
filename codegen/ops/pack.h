/* Compile-time weight packing shared by the SIMD targets' emitters (x86-64-avx2, aarch64-neon,
   cortex-m): which 8-bit operands their integer kernels take, and the constant tables they read
   (weights reordered for the kernel, the bias with the zero-point terms folded in). What an
   interpreter would compute at every run, done once here. */
#ifndef MODELC_OPS_PACK_H
#define MODELC_OPS_PACK_H

#include "codegen/emit.h"

/* True when x, w, y are all int8 or all uint8 with quantization and zero points inside the
   dtype (the kernels widen x - zp_x and w - zp_w to int16, or pad rows with the zero points,
   exact only then), w is constant and the bias is absent or a constant int32 vector of
   `channels`. */
bool pack_q8_operands(const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
                      int channels);
/* Weight element i of an int8 or uint8 tensor. */
int pack_weight(const Tensor *w, int64_t i);
/* A static const table of n values of ctype ("int8_t", "int16_t", ...) named op<index>_<what>;
   returns its name. */
const char *pack_table(Emit *e, const char *ctype, const char *what, const int32_t *v, size_t n);
const char *pack_i16_table(Emit *e, const char *what, const int16_t *v, size_t n);

/* A GEMM weight layout: out_d rows of k weights w(oc, i), each padded to kp with `pad`, the
   rows padded to a multiple of oc_block with zero rows; within a row, value i stored at
   slot(i) (NULL: in order). */
typedef struct PackGemm {
  int out_d, k, kp, oc_block, pad;
  int (*slot)(int i);
  int x_offset, w_offset;
} PackGemm;
/* Writes the weights in p's layout and the bias with x_offset * sum(padded row) +
   kp * x_offset * w_offset folded in (modulo 2^32, as the int32 accumulator it stands for),
   zero-padded likewise; sets *wname and *bname to the tables. */
int pack_gemm_tables(Emit *e, const Tensor *w, const Tensor *b, const PackGemm *p,
                     const char **wname, const char **bname);
/* The bias table alone, for a kernel with its own weight layout (p's slot unused); NULL on
   error. */
const char *pack_gemm_bias(Emit *e, const Tensor *w, const Tensor *b, const PackGemm *p);

#endif
