/* LOGISTIC and TANH. float32: math.h. int8/uint8: a 256-entry table computed here exactly as
   TFLite's Prepare fills it (dequantize in float, transform with expf/tanhf, requantize with
   rounding half away from zero). int16 (zero points 0, output scale 2^-15): TFLite's table
   kernel with an input multiplier; for power-of-two input scales the full runtime instead runs
   gemmlowp's fixed-point functions, which the single-rounding (TFLite) build follows and the
   double-rounding (TFLite Micro) build does not. */
#include <math.h>

#include "codegen/emit.h"
#include "codegen/ops/act_tables.h"

static float sigmoid_f(float v) { return 1.0f / (1.0f + expf(-v)); }

static int gen_8bit(Emit *e, const Op *op, const Tensor *x, const Tensor *y) {
  bool logistic = op->kind == OP_LOGISTIC;
  if (logistic && y->q.scale[0] != 1.0 / 256)
    return emit_unsupported(e, "LOGISTIC output scale %g, TFLite requires 1/256", (double)y->q.scale[0]);
  int32_t lo, hi, table[256];
  quant_type_range(x->type, &lo, &hi);
  const float inverse_scale = 1 / y->q.scale[0];
  for (int32_t v = lo; v <= hi; v++) {
    const float dequantized = x->q.scale[0] * (float)(v - x->q.zero_point[0]);
    const float transformed = logistic ? sigmoid_f(dequantized) : tanhf(dequantized);
    const float rescaled = roundf(transformed * inverse_scale);
    int32_t q = (int32_t)(rescaled + (float)y->q.zero_point[0]);
    table[(uint8_t)v] = q < lo ? lo : q > hi ? hi : q;
  }
  return emit_lut8(e, x, y, table);
}

static int gen_16bit(Emit *e, const Op *op, const Tensor *x, const Tensor *y) {
  bool logistic = op->kind == OP_LOGISTIC;
  const char *name = logistic ? "logistic" : "tanh";
  if (x->q.zero_point[0] != 0 || y->q.zero_point[0] != 0)
    return emit_unsupported(e, "int16 %s with nonzero zero points", name);
  int in_log2, out_log2;
  if (!act_checked_log2(y->q.scale[0], &out_log2) || out_log2 != -15)
    return emit_unsupported(e, "int16 %s output scale %g, TFLite requires 2^-15", name, (double)y->q.scale[0]);
  bool pot = act_checked_log2(x->q.scale[0], &in_log2);
  int shift = 12 + in_log2;  /* (15 - 3 integer bits) + log2(scale) */
  pot = pot && (logistic ? shift == 0 : (shift == 0 || shift == 1));
  int32_t mult = 0;
  if (!pot) {
    /* Bring the input to units of 1/(3 * 4096), as the table expects. */
    double m = (double)x->q.scale[0] * 4096.0 * 3.0;
    shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) shift++, m *= 2.0;
    mult = (int32_t)m;
  }
  if (pot && e->o.rounding == ROUND_SINGLE) {
    const char *k = logistic ? "logistic_fx" : "tanh_fx";
    if (emit_kernel(e, "fx16", "s16", NULL) || emit_kernel(e, k, "s16", NULL)) return -1;
    if (logistic) ef(e, "  logistic_fx_s16(%lld, %s, out0);\n", (long long)y->elems, emit_in(e, 0));
    else ef(e, "  tanh_fx_s16(%lld, %s, out0, %d);\n", (long long)y->elems, emit_in(e, 0), shift);
    ef(e, "  return 0;\n");
    return 0;
  }
  if (pot) mult = 3 << shift, shift = 0;  /* the table kernel's power-of-two case */
  const char *k = logistic ? "logistic_lut" : "tanh_lut";
  if (emit_kernel(e, "sigmoid_table16", "u16", NULL) || emit_kernel(e, k, "s16", NULL)) return -1;
  ef(e, "  %s_s16(%lld, %s, out0, %d, %d);\n  return 0;\n", k, (long long)y->elems, emit_in(e, 0), mult,
     shift);
  return 0;
}

int gen_logistic_tanh(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (x->type != y->type) return emit_unsupported(e, "%s input, %s output", tfl_type_name(x->type), tfl_type_name(y->type));
  if (x->type == TFL_FLOAT32) {
    e->need_math = true;
    if (op->kind == OP_LOGISTIC) {
      if (emit_kernel(e, "logistic_f32", "f32", NULL)) return -1;
      ef(e, "  logistic_f32(%lld, %s, out0);\n  return 0;\n", (long long)y->elems, emit_in(e, 0));
    } else {
      if (emit_kernel(e, "unary_f32", "tanh", "FN=tanhf", NULL)) return -1;
      ef(e, "  unary_f32_tanh(%lld, %s, out0);\n  return 0;\n", (long long)y->elems, emit_in(e, 0));
    }
    return 0;
  }
  if (!x->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  if (x->type == TFL_INT8 || x->type == TFL_UINT8) return gen_8bit(e, op, x, y);
  if (x->type == TFL_INT16) return gen_16bit(e, op, x, y);
  return emit_unsupported(e, "%s", tfl_type_name(x->type));
}
