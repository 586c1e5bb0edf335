/* Shared by the emitters of operators that requantize an accumulator: the per-output-channel
   multipliers and shifts TFLite computes in Prepare (GetQuantizedConvolutionMultipler and its
   per-channel form), as tables in the generated file. */
#ifndef MODELC_OPS_QUANT_PARAMS_H
#define MODELC_OPS_QUANT_PARAMS_H

#include "codegen/emit.h"

typedef struct ChannelQuant {
  const char *mult, *shift;  /* names of the generated int32 tables */
} ChannelQuant;

/* For an op with input x, weights w (per-tensor or per-channel along `channels`) and output y:
   one (multiplier, shift) per output channel, from (double)s_x * s_w[c] / s_y. */
int emit_channel_quant(Emit *e, const Tensor *x, const Tensor *w, const Tensor *y, int channels,
                       ChannelQuant *cq);

#endif
