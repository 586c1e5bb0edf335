/* Compile-time quantization arithmetic; see quant.h. Rounding is half away from zero, as
   TfLiteRound (std::round) does. */
#include "quant.h"

#include <float.h>
#include <math.h>

void quant_multiplier(double m, Rounding r, int32_t *q, int *shift) {
  if (m == 0.0) {
    *q = 0, *shift = 0;
    return;
  }
  int e;
  double frac = frexp(m, &e);
  int64_t fixed = (int64_t)round(frac * (double)(1ll << 31));
  if (fixed == (1ll << 31)) fixed /= 2, e++;
  if (e < -31) fixed = 0, e = 0;
  /* Single rounding saturates a shift over 30, as TFLite does. Double rounding (TFLite Micro)
     shifts the accumulator left by it, undefined there from 31 on (no real model gets near) and
     here from 32 on: saturated there, so the generated code stays defined. */
  const int max_shift = r == ROUND_SINGLE ? 30 : 31;
  if (e > max_shift) e = max_shift, fixed = (1ll << 31) - 1;
  *q = (int32_t)fixed;
  *shift = e;
}

void quant_multiplier_lt1(double m, Rounding r, int32_t *q, int *shift) {
  quant_multiplier(m, r, q, shift);
}

void quant_type_range(int type, int32_t *lo, int32_t *hi) {
  switch (type) {
  case TFL_INT8: *lo = -128, *hi = 127; break;
  case TFL_UINT8: *lo = 0, *hi = 255; break;
  case TFL_INT16: *lo = -32768, *hi = 32767; break;
  default: *lo = INT32_MIN, *hi = INT32_MAX; break;
  }
}

/* Saturated to int32 (the caller clamps to the type's range): a tiny scale makes f / scale
   larger than any int32. */
static int32_t quantize(const Tensor *t, float f) {
  double v = (double)t->q.zero_point[0] + (double)roundf(f / t->q.scale[0]);
  return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

int quant_act_range(const Tensor *out, int act, int32_t *lo, int32_t *hi) {
  quant_type_range(out->type, lo, hi);
  if (act == ACT_NONE) return 0;
  if (!out->q.n) return -1;
  int32_t a = *lo, b = *hi;
  switch (act) {
  case ACT_RELU: a = quantize(out, 0.0f); break;
  case ACT_RELU6: a = quantize(out, 0.0f), b = quantize(out, 6.0f); break;
  case ACT_RELU_N1_TO_1: a = quantize(out, -1.0f), b = quantize(out, 1.0f); break;
  default: return -1;
  }
  if (a > *lo) *lo = a;
  if (b < *hi) *hi = b;
  return 0;
}

int quant_act_range_f32(int act, float *lo, float *hi) {
  *lo = -FLT_MAX, *hi = FLT_MAX;  /* TFLite clamps even without an activation */
  switch (act) {
  case ACT_NONE: return 0;
  case ACT_RELU: *lo = 0; return 0;
  case ACT_RELU6: *lo = 0, *hi = 6; return 0;
  case ACT_RELU_N1_TO_1: *lo = -1, *hi = 1; return 0;
  default: return -1;
  }
}
