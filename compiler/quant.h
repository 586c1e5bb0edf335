/* Compile-time quantization arithmetic, as TFLite's kernels compute it in Prepare: real multipliers
   turned into a 32-bit fixed-point multiplier and a shift, and activation clamps in the quantized
   domain. Folding these here is what lets the generated code carry only integers. */
#ifndef MODELC_QUANT_H
#define MODELC_QUANT_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ir.h"

/* TFLite's two builds: one 64-bit multiply and shift, or gemmlowp's doubling high multiply
   followed by a rounding shift. */
typedef enum Rounding { ROUND_SINGLE, ROUND_DOUBLE } Rounding;

/* QuantizeMultiplier: m = q * 2^shift with q in [0.5, 1) as Q31. Multipliers below 2^-31 become 0;
   in the single-rounding build, shifts above 30 saturate. */
void quant_multiplier(double m, Rounding r, int32_t *q, int *shift);
/* The same for multipliers known to be below 1 (QuantizeMultiplierSmallerThanOneExp). */
void quant_multiplier_lt1(double m, Rounding r, int32_t *q, int *shift);

/* The fused activation clamp of a quantized output, from its scale, zero point and dtype
   (CalculateActivationRangeQuantized). act is TFLite's ActivationFunctionType. */
int quant_act_range(const Tensor *out, int act, int32_t *lo, int32_t *hi);
/* The same for float outputs. */
int quant_act_range_f32(int act, float *lo, float *hi);

/* Smallest and largest value of an integer dtype. */
void quant_type_range(int type, int32_t *lo, int32_t *hi);

enum { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU_N1_TO_1 = 2, ACT_RELU6 = 3, ACT_TANH = 4,
       ACT_SIGN_BIT = 5 };

#endif
