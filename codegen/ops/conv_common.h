/* Shared by the convolution emitters (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV): TFLite's
   padding arithmetic and the quantization setup all three do identically in Prepare. */
#ifndef MODELC_OPS_CONV_COMMON_H
#define MODELC_OPS_CONV_COMMON_H

#include "codegen/emit.h"

/* TFLite's ComputePaddingHeightWidth along one axis: the output size the padding scheme gives
   for `in`, then the padding before the first tap; *offset is the extra padding after the last
   one when the total is odd (TFLite's kernels used here ignore it: the bounds checks cover it). */
int conv_padding(int padding, int stride, int dilation, int in, int k, int *offset);

/* The padding before the first row (*pad_h) and column (*pad_w) of CONV_2D or DEPTHWISE_CONV_2D op
   with input x and filter w: fold-pad's explicit padding when the op has it, else conv_padding of
   its options. Every convolution emitter takes it from here; the padding after the last row and
   column needs no argument (the kernels' bounds checks skip those taps, as they read the zero
   point or 0.0 the padding stands for). */
void conv_pads(const Op *op, const Tensor *x, const Tensor *w, int *pad_h, int *pad_w);

/* The layer shapes the SIMD targets' kernels (x86-64-avx2, aarch64-neon, cortex-m) take, before
   their own dtype and size checks:
   - conv_simd_shape: CONV_2D with input and filter present, 4-D operands, groups 1, at least one
     input channel, strides and dilations >= 1, the input's batch and a non-empty output;
   - depthwise_simd_multiplier: DEPTHWISE_CONV_2D likewise, with a [1, kh, kw, out_d] filter;
     its depth multiplier out_d / in_d (agreeing with the option when that is set), 0 when the
     shape is not one of these;
   - fully_connected_simd_shape: FULLY_CONNECTED with a plain [out_d, k] filter, the input whole
     rows of k (at most INT32_MAX of them) and the output rows of out_d. */
bool conv_simd_shape(Emit *e, const Op *op);
int depthwise_simd_multiplier(Emit *e, const Op *op);
bool fully_connected_simd_shape(Emit *e, const Op *op);

/* The layer of a convolution with a fused residual ADD (conv_add.c): conv's body for the
   convolution's own result, then the ADD in place. */
int gen_conv_add(Emit *e, const Op *op, int (*conv)(Emit *e, const Op *op));

typedef enum ConvKind { CONV_PLAIN, CONV_DEPTHWISE, CONV_TRANSPOSE } ConvKind;

/* What an emitter passes to a quantized kernel: the instance suffix, its template values and the
   folded constants. */
typedef struct ConvQuant {
  char inst[24];                       /* "s8_f", "u8", "s16_b64", ... */
  char X[24], W[24], Y[24], B[24], ACC[24], REQUANT[32], QM[16];
  int32_t x_offset, w_offset, y_offset, act_min, act_max;
  const char *mult, *shift;            /* per-channel tables (mult: floats for fp32) */
} ConvQuant;

/* Checks the dtypes of input x, weights w, bias b (may be NULL) and output y for a quantized
   convolution (int8 / per-channel int8; uint8 / per-tensor uint8; int16 / int8 with int64 or
   int32 bias) and computes everything else, requantizing as the runtime being matched does (see
   conv_common.c). Returns 0, or emit_unsupported's -1. */
int conv_quant(Emit *e, ConvKind kind, const Tensor *x, const Tensor *w, const Tensor *b,
               const Tensor *y, int activation, int channels, ConvQuant *q);

/* FULLY_CONNECTED's quantization for the SIMD kernels (int8/uint8 operands that
   fully_connected_simd_shape and pack_q8_operands accepted): emit_channel_quant's multipliers
   with mc_requant, the activation clamp as act_min/act_max, the zero points as x_offset,
   w_offset (negated) and y_offset. Returns 0, or emit_unsupported's -1. */
int fully_connected_quant(Emit *e, const Op *op, ConvQuant *q);

/* For float32: checks the dtypes and gives the activation clamp. */
int conv_float(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
               int activation, float *lo, float *hi);

#endif
