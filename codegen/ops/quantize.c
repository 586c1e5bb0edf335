/* QUANTIZE: float -> int8/uint8/int16 (round(x / scale) + zero point, the division in double as
   TFLite's double scale makes it), or a requantization between integer dtypes (int8, uint8,
   int16, int32 in any combination TFLite or TFLite Micro accept) with the multiplier
   (double)s_x / (double)s_y, applied with double rounding as TFLite's own Requantize does in both
   runtimes. Between 8-bit types the result is a function of one byte, so it is a 256-entry table
   of compile-time values (pass_sim_requantize, compiler/passes/sim.c), which in the full runtime
   (--rounding single) takes XNNPACK's arithmetic for int8 -> int8 and uint8 -> uint8 when it
   accepts the ratio, as TFLite's delegate does. */
#include "codegen/emit.h"
#include "codegen/ops/act_tables.h"
#include "compiler/passes/passes.h"

static bool is_int_q(int t) {
  return t == TFL_INT8 || t == TFL_UINT8 || t == TFL_INT16 || t == TFL_INT32;
}

static int gen_table(Emit *e, const Tensor *x, const Tensor *y) {
  int32_t lo, hi, table[256];
  quant_type_range(x->type, &lo, &hi);
  for (int32_t v = lo; v <= hi; v++)
    table[(uint8_t)v] = pass_sim_requantize(x, y, e->o.rounding, v);
  return emit_lut8(e, x, y, table);
}

int gen_quantize(Emit *e, const Op *op) {
  (void)op;
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  if (!y->q.n) return emit_unsupported(e, "output has no quantization parameters");
  if (y->q.n != 1) return emit_unsupported(e, "per-channel output quantization");
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  char Y[24];
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(y->type) ? emit_ctype(y->type) : "void");
  if (x->type == TFL_FLOAT32) {
    if (y->type != TFL_INT8 && y->type != TFL_UINT8 && y->type != TFL_INT16)
      return emit_unsupported(e, "float32 to %s", tfl_type_name(y->type));
    e->need_math = true;
    const char *s = emit_tsuffix(y->type);
    if (emit_kernel(e, "quantize_f32", s, Y, NULL)) return -1;
    /* %.17g: the double value of the float scale, exactly. */
    ef(e, "  quantize_%s(%lld, %s, out0, %.17g, %d, %d, %d);\n  return 0;\n", s, (long long)y->elems,
       emit_in(e, 0), (double)y->q.scale[0], y->q.zero_point[0], lo, hi);
    return 0;
  }
  if (!is_int_q(x->type) || !is_int_q(y->type) || (x->type == TFL_INT32 && y->type == TFL_INT32))
    return emit_unsupported(e, "%s to %s", tfl_type_name(x->type), tfl_type_name(y->type));
  if (!x->q.n) return emit_unsupported(e, "input has no quantization parameters");
  if ((x->type == TFL_INT8 || x->type == TFL_UINT8) && (y->type == TFL_INT8 || y->type == TFL_UINT8))
    return gen_table(e, x, y);
  int32_t mult;
  int shift;
  quant_multiplier((double)x->q.scale[0] / (double)y->q.scale[0], ROUND_DOUBLE, &mult, &shift);
  char inst[24], X[24];
  snprintf(inst, sizeof inst, "%s_%s", emit_tsuffix(x->type), emit_tsuffix(y->type));
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  if (emit_kernel(e, "requantize", inst, X, Y, NULL)) return -1;
  char los[24], his[24];
  snprintf(los, sizeof los, lo == INT32_MIN ? "INT32_MIN" : "%d", lo);
  snprintf(his, sizeof his, "%d", hi);
  ef(e, "  requantize_%s(%lld, %s, %d, out0, %d, %d, %d, %s, %s);\n  return 0;\n", inst,
     (long long)y->elems, emit_in(e, 0), x->q.zero_point[0], y->q.zero_point[0], mult, shift, los,
     his);
  return 0;
}
