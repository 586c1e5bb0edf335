/* The part of the full TFLite runtime's behaviour that comes from its XNNPACK delegate: for
   int8/uint8 LEAKY_RELU and same-type QUANTIZE it replaces TFLite's kernel whenever the scale
   ratios are in the range XNNPACK accepts, requantizing with Q8 multipliers. The oracle build
   (--rounding single) follows it; TFLite Micro (--rounding double) has no delegate. */
#ifndef MODELC_OPS_XNN_REQUANT_H
#define MODELC_OPS_XNN_REQUANT_H

#include "codegen/emit.h"

/* Emits the call y = requant8(x) with Q8 multipliers for pos_ratio (x >= zero point) and
   neg_ratio (below). Returns 1 if XNNPACK would refuse these ratios (nothing emitted), 0 when
   emitted, -1 on error. */
int xnn_requant8(Emit *e, const Tensor *x, const Tensor *y, float pos_ratio, float neg_ratio);

#endif
