/* Shared by the CONV_2D and DEPTHWISE_CONV_2D emitters for TensorFlow Lite's hybrid
   (dynamic-range quantized) convolutions: float32 input, output and bias, int8 weights with float
   scales. The generated kernel quantizes each batch of the input to int8 at run time (into the
   layer's scratch), accumulates in int32 and scales the sums back to float. */
#ifndef MODELC_OPS_CONV_HYBRID_H
#define MODELC_OPS_CONV_HYBRID_H

#include "codegen/emit.h"
#include "codegen/ops/conv_common.h"

/* float32 input with int8 weights: TFLite takes its hybrid path. */
bool conv_is_hybrid(const Tensor *x, const Tensor *w);

/* Scratch bytes of a hybrid convolution: one batch of the input quantized to int8 (0 when op is
   not hybrid). */
int64_t conv_hybrid_scratch(const Graph *g, const Op *op, bool *over_in0);

typedef struct ConvHybrid {
  char inst[8];          /* "asym" or "sym": the input quantization */
  char QUANT[48];        /* template value: the quantizer the kernel calls */
  const char *w_scale;   /* the float table of per-channel weight scales */
  float act_min, act_max;
} ConvHybrid;

/* Checks the operands of a hybrid convolution (kind CONV_PLAIN or CONV_DEPTHWISE, `channels`
   outputs), picks the input quantization TFLite uses for it, emits the quantizer kernel and the
   weight scale table. Returns 0, or emit_unsupported's -1. */
int conv_hybrid(Emit *e, ConvKind kind, const Tensor *x, const Tensor *w, const Tensor *b,
                const Tensor *y, int activation, int channels, ConvHybrid *h);

#endif
