/* The quantization kernels' arithmetic, per element, at compile time: fold-constants evaluates
   with it, fold-quantize-chain proves rewrites with it, by trying every input value, and
   codegen/ops/quantize.c tabulates 8-bit to 8-bit QUANTIZE with it. It must stay the same
   computation as targets/generic/{dequantize,quantize_f32,requantize,xnn_requant8}.c;
   tests/test_passes.c runs each folded case both ways, and tests/test_ops_act.c the tabulated
   QUANTIZE against TFLite, to hold it to that. */
#include <math.h>

#include "compiler/passes/passes.h"

bool pass_enumerable(const Tensor *t) {
  return t->q.n == 1 && (t->type == TFL_INT8 || t->type == TFL_UINT8 || t->type == TFL_INT16);
}

float pass_sim_dequantize(const Tensor *x, int32_t v) {
  return (float)((double)x->q.scale[0] * (double)((int64_t)v - x->q.zero_point[0]));
}

int32_t pass_sim_quantize_f32(const Tensor *y, float f) {
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  double r = round((double)f / (double)y->q.scale[0]);
  r = r < -2147483648.0 ? -2147483648.0 : r > 2147483647.0 ? 2147483647.0 : r;
  int64_t v = (int64_t)(r != r ? 0 : r) + y->q.zero_point[0];
  return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

/* gemmlowp's SaturatingRoundingDoublingHighMul and RoundingDivideByPOT (targets/generic/common.c). */
static int32_t srdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / (1ll << 31));
}
static int32_t rdbpot(int32_t x, int exponent) {
  int32_t mask = (int32_t)((1ll << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static int32_t clamp(int64_t v, int32_t lo, int32_t hi) { return (int32_t)(v < lo ? lo : v > hi ? hi : v); }

int32_t pass_sim_requantize(const Tensor *x, const Tensor *y, Rounding r, int32_t v) {
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  int32_t d = v - x->q.zero_point[0];
  if ((x->type == TFL_INT8 || x->type == TFL_UINT8) && x->type == y->type && r == ROUND_SINGLE) {
    float ratio = x->q.scale[0] / y->q.scale[0];
    if (ratio >= 0x1.0p-8f && ratio <= 0x1.0p+7f) {  /* xnn_requant8's accepted range */
      int32_t m = (int32_t)lrintf(256.0f * ratio);
      int32_t acc = y->q.zero_point[0] * 256 + 0x80 + d * m;
      int32_t q = acc >= 0 ? acc / 256 : -((-acc + 255) / 256);
      return clamp(q, lo, hi);
    }
  }
  int32_t mult;
  int shift;
  quant_multiplier((double)x->q.scale[0] / (double)y->q.scale[0], ROUND_DOUBLE, &mult, &shift);
  int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  int32_t q = rdbpot(srdhm((int32_t)((uint32_t)d << left), mult), right);
  return clamp((int64_t)q + y->q.zero_point[0], lo, hi);
}
