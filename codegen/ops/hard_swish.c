/* HARD_SWISH: x * relu6(x + 3) / 6. int8/uint8 use TFLite's int16 fixed-point algorithm with the
   two multipliers its Prepare derives (in float, then reduced to Q15). */
#include "codegen/emit.h"

/* TFLite's DownScaleInt32ToInt16Multiplier. */
static int16_t q15_multiplier(int32_t m) {
  if (m >= INT32_MAX - (1 << 15)) return INT16_MAX;
  return (int16_t)((m + (1 << 15)) >> 16);
}

int gen_hard_swish(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (x->type != y->type) return emit_unsupported(e, "%s input, %s output", tfl_type_name(x->type), tfl_type_name(y->type));
  if (x->type == TFL_FLOAT32) {
    if (emit_kernel(e, "hard_swish_f32", "f32", NULL)) return -1;
    ef(e, "  hard_swish_f32(%lld, %s, out0);\n  return 0;\n", (long long)y->elems, emit_in(e, 0));
    return 0;
  }
  if (x->type != TFL_INT8 && x->type != TFL_UINT8) return emit_unsupported(e, "%s", tfl_type_name(x->type));
  if (!x->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  const float hires_scale = (1.0f / 128.0f) * x->q.scale[0];
  const float out_real = hires_scale / y->q.scale[0];
  const float relu_real = hires_scale / (3.0f / 32768.0f);
  int32_t m;
  int out_exp, relu_exp;
  quant_multiplier((double)out_real, ROUND_DOUBLE, &m, &out_exp);
  int16_t out_mult = q15_multiplier(m);
  quant_multiplier((double)relu_real, ROUND_DOUBLE, &m, &relu_exp);
  int16_t relu_mult = q15_multiplier(m);
  if (out_exp > 0) return emit_unsupported(e, "output multiplier %g above 1 (TFLite refuses it)", (double)out_real);
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  const char *s = emit_tsuffix(x->type);
  char T[24];
  snprintf(T, sizeof T, "T=%s", emit_ctype(x->type));
  if (emit_kernel(e, "hard_swish_q", s, T, NULL)) return -1;
  ef(e, "  hard_swish_%s(%lld, %s, out0, %d, %d, %d, %d, %d, %d, %d, %d);\n  return 0;\n", s,
     (long long)y->elems, emit_in(e, 0), x->q.zero_point[0], y->q.zero_point[0], out_mult, out_exp,
     relu_mult, relu_exp, lo, hi);
  return 0;
}
