/* Shared by the convolution emitters (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV): TFLite's
   padding arithmetic and the quantization setup all three do identically in Prepare. */
#ifndef MODELC_OPS_CONV_COMMON_H
#define MODELC_OPS_CONV_COMMON_H

#include "codegen/emit.h"

/* TFLite's ComputePaddingHeightWidth along one axis: the output size the padding scheme gives
   for `in`, then the padding before the first tap; *offset is the extra padding after the last
   one when the total is odd (TFLite's kernels used here ignore it: the bounds checks cover it). */
int conv_padding(int padding, int stride, int dilation, int in, int k, int *offset);

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

/* For float32: checks the dtypes and gives the activation clamp. */
int conv_float(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b, const Tensor *y,
               int activation, float *lo, float *hi);

#endif
