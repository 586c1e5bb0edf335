/* LEAKY_RELU: x for x >= 0, alpha * x below. Quantized (int8, uint8, int16) with two
   multipliers, s_x / s_y and alpha * s_x / s_y, derived in float as TFLite's Prepare does, applied
   with double rounding as TFLite's own kernel does in both runtimes. In the full runtime
   (--rounding single) int8/uint8 go to XNNPACK when it accepts the ratios (xnn_requant.h). */
#include "codegen/emit.h"
#include "codegen/ops/xnn_requant.h"

int gen_leaky_relu(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  float alpha = op->opt->LeakyReluOptions.alpha;
  if (x->type != y->type) return emit_unsupported(e, "%s input, %s output", tfl_type_name(x->type), tfl_type_name(y->type));
  if (x->type == TFL_FLOAT32) {
    if (emit_kernel(e, "leaky_relu_f32", "f32", NULL)) return -1;
    ef(e, "  leaky_relu_f32(%lld, %s, out0, %s);\n  return 0;\n", (long long)y->elems, emit_in(e, 0),
       emit_f32(e, alpha));
    return 0;
  }
  if (x->type != TFL_INT8 && x->type != TFL_UINT8 && x->type != TFL_INT16)
    return emit_unsupported(e, "%s", tfl_type_name(x->type));
  if (!x->q.n || !y->q.n) return emit_unsupported(e, "missing quantization parameters");
  float sx = x->q.scale[0], sy = y->q.scale[0];
  float alpha_real = sx * alpha / sy, id_real = sx / sy;
  if (x->type != TFL_INT16 && e->o.rounding == ROUND_SINGLE) {
    /* XNNPACK's ratios are float products: (s_x / s_y) * alpha. */
    int rc = xnn_requant8(e, x, y, id_real, id_real * alpha);
    if (rc <= 0) return rc;
  }
  int32_t m_alpha, m_id, lo, hi;
  int s_alpha, s_id;
  quant_multiplier((double)alpha_real, ROUND_DOUBLE, &m_alpha, &s_alpha);
  quant_multiplier((double)id_real, ROUND_DOUBLE, &m_id, &s_id);
  quant_type_range(y->type, &lo, &hi);
  const char *s = emit_tsuffix(x->type);
  char T[24];
  snprintf(T, sizeof T, "T=%s", emit_ctype(x->type));
  if (emit_kernel(e, "leaky_relu_q", s, T, NULL)) return -1;
  ef(e, "  leaky_relu_%s(%lld, %s, %d, out0, %d, %d, %d, %d, %d, %d, %d);\n  return 0;\n", s,
     (long long)y->elems, emit_in(e, 0), x->q.zero_point[0], y->q.zero_point[0], m_id, s_id,
     m_alpha, s_alpha, lo, hi);
  return 0;
}
