/* The x86-64-avx2 target's emitters for float32 CONV_2D (groups 1), DEPTHWISE_CONV_2D and
   FULLY_CONNECTED with FMA (kernels targets/x86-64-avx2/<op>_avx2_f32.c). Each generic emitter asks
   *_avx2_f32_eligible first; other cases keep the generic kernel. The kernels sum every output
   in the generic kernel's order and differ from it only by FMA's single rounding per
   multiply-add, so their results agree with TFLite within tests/oracle/diff.js's tolerance as
   the generic ones do (tests/test_targets.c checks them against TFLite, not byte for byte). */
#ifndef MODELC_OPS_AVX2_F32_H
#define MODELC_OPS_AVX2_F32_H

#include "codegen/emit.h"

bool conv_avx2_f32_eligible(Emit *e, const Op *op);
int gen_conv_avx2_f32(Emit *e, const Op *op);
bool depthwise_conv_avx2_f32_eligible(Emit *e, const Op *op);
int gen_depthwise_conv_avx2_f32(Emit *e, const Op *op);
bool fully_connected_avx2_f32_eligible(Emit *e, const Op *op);
int gen_fully_connected_avx2_f32(Emit *e, const Op *op);

/* ---- shared by the three (avx2_f32.c) ---- */

/* True when the target is x86-64-avx2, x, w, y are float32, w is constant and the bias is
   absent or a constant float32 vector of `channels`. */
bool avx2_f32_operands(Emit *e, const Tensor *x, const Tensor *w, const Tensor *b,
                       const Tensor *y, int channels);
/* Element i of a float32 constant. */
float avx2_f32_at(const Tensor *t, int64_t i);
/* A static const float table named op<index>_<what> (the packed weights). */
const char *avx2_f32_table(Emit *e, const char *what, const float *v, size_t n);
/* The bias zero-padded to `padded` entries, or "0" (a null pointer) when b is NULL. */
const char *avx2_f32_bias(Emit *e, const Tensor *b, int channels, int padded);
/* Instantiates the float kernel `file` and the helpers it calls. */
int avx2_f32_kernel(Emit *e, const char *file);

#endif
