/* SOFTMAX over the last dimension. float32: exp((x - max) * beta) / sum. int8/uint8 input (int8,
   uint8 or int16 output): TFLite's optimized kernel, which the full runtime runs: a float table of
   exp(-s_x * beta * d) over the 256 possible distances d below the row maximum, filled here with
   expf exactly as its Prepare does. int16: TFLite's SoftmaxInt16 with exp and 1/(1+x) tables. */
#include <math.h>

#include "codegen/emit.h"
#include "codegen/ops/act_tables.h"

/* TFLite's gen_lut: num - 1 samples of func over [lo, hi] in Q0.15, each biased by half the
   error of linear interpolation at the midpoint of its segment, then the value at hi. */
static void gen_lut(double (*func)(double), double lo, double hi, int32_t *table, int num) {
  double step = (hi - lo) / (num - 1), half_step = step / 2.0;
  for (int i = 0; i < num - 1; i++) {
    double sample = round(func(lo + i * step) * 32768.0);
    double midpoint_interp =
        round((func(lo + (i + 1) * step) * 32768.0 + round(func(lo + i * step) * 32768.0)) / 2.0);
    double midpoint = round(func(lo + i * step + half_step) * 32768.0);
    double bias = round((midpoint_interp - midpoint) / 2.0);
    table[i] = (int32_t)fmin(fmax(sample - bias, -32768.0), 32767.0);
  }
  table[num - 1] = (int32_t)fmin(fmax(round(func(hi) * 32768.0), -32768.0), 32767.0);
}
static double exp_d(double v) { return exp(v); }
static double one_over_one_plus(double v) { return 1.0 / (1.0 + v); }

static int gen_s16(Emit *e, const Tensor *x, const Tensor *y, float beta, int outer, int depth) {
  if (y->q.zero_point[0] != 0) return emit_unsupported(e, "int16 softmax output zero point %d", y->q.zero_point[0]);
  int32_t exp_lut[513], recip_lut[513];
  gen_lut(exp_d, -10.0, 0.0, exp_lut, 513);
  gen_lut(one_over_one_plus, 0.0, 1.0, recip_lut, 513);
  /* Input differences rescaled so that [-65535, 0] spans [-10, 0]; s_x * beta is a float
     product, as in TFLite. */
  double real = (double)(x->q.scale[0] * beta) / (10.0 / 65535.0);
  int32_t mult;
  int shift;
  quant_multiplier(real, ROUND_DOUBLE, &mult, &shift);
  const char *el = emit_int_table(e, "exp_lut", "int16_t", exp_lut, 513);
  const char *rl = emit_int_table(e, "recip_lut", "int16_t", recip_lut, 513);
  if (emit_kernel(e, "softmax_s16", "s16", NULL)) return -1;
  ef(e, "  softmax_s16(%d, %d, %s, out0, %d, %d, %s, %s);\n  return 0;\n", outer, depth, emit_in(e, 0),
     mult, shift, el, rl);
  return 0;
}

int gen_softmax(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  float beta = op->opt->SoftmaxOptions.beta;
  if (x->rank < 1) return emit_unsupported(e, "softmax of a scalar");
  int depth = x->dims[x->rank - 1];
  int outer = depth ? (int)(x->elems / depth) : 0;
  if (x->type == TFL_FLOAT32 && y->type == TFL_FLOAT32) {
    e->need_math = true;
    if (emit_kernel(e, "softmax_f32", "f32", NULL)) return -1;
    ef(e, "  softmax_f32(%d, %d, %s, out0, %s);\n  return 0;\n", outer, depth, emit_in(e, 0),
       emit_f32(e, beta));
    return 0;
  }
  if (!x->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  if (x->type == TFL_INT16 && y->type == TFL_INT16) return gen_s16(e, x, y, beta, outer, depth);
  bool q8_in = x->type == TFL_INT8 || x->type == TFL_UINT8;
  if (!q8_in || (y->type != x->type && y->type != TFL_INT16))
    return emit_unsupported(e, "%s input, %s output", tfl_type_name(x->type), tfl_type_name(y->type));
  float table[256];
  const float scale = -x->q.scale[0] * beta;
  for (int32_t d = 0; d <= 255; d++) table[255 - d] = expf(scale * (float)d);
  const char *tab = emit_float_table(e, "exp_table", table, 256);
  int32_t lo, hi;
  quant_type_range(y->type, &lo, &hi);
  char inst[24], X[24], Y[24];
  snprintf(inst, sizeof inst, "%s_%s", emit_tsuffix(x->type), emit_tsuffix(y->type));
  snprintf(X, sizeof X, "X=%s", emit_ctype(x->type));
  snprintf(Y, sizeof Y, "Y=%s", emit_ctype(y->type));
  /* uint8 outputs are rounded by adding 0.5 and truncating (no zero point: TFLite requires 0);
     int8 and int16 ones with roundf, then offset. */
  const char *round_expr = y->type == TFL_UINT8 ? "ROUND=(int32_t)(p + 0.5f)" : "ROUND=(int32_t)roundf(p) + y_zp";
  if (y->type != TFL_UINT8) e->need_math = true;
  if (emit_kernel(e, "softmax_q8", inst, X, Y, round_expr, NULL)) return -1;
  ef(e, "  softmax_%s(%d, %d, %s, out0, %s, %s, %d, %d, %d);\n  return 0;\n", inst, outer, depth,
     emit_in(e, 0), tab, emit_f32(e, y->q.scale[0]), y->q.zero_point[0], lo, hi);
  return 0;
}
