/* MEAN, matching the TFLite the tests run against (tfjs-tflite's WebAssembly build), which
   sends some means to XNNPACK and the rest to the builtin reference kernel. Sums over the reduced
   axes are taken in input order (into scratch, 4 bytes per output element), then:
   - int8/uint8, 4D, axes exactly {1,2}, s_in / s_out in [2^-8, 2^8): XNNPACK's global average
     pooling, float scale s_in / (s_out * count) and round half to even (mean_xnn);
   - other quantized means with identical input and output quantization: the builtin's integer
     mean, sum / count truncated toward zero (mean_int);
   - otherwise QuantizedMeanOrSum, integer only: the multiplier of s_in / s_out (from double, as
     Prepare does) absorbs 1/count: with k = min(floor(log2 count), 32, 31 + shift),
     mult' = (mult << k) / count and shift' = shift - k; y = requant(sum - zp_in * count) + zp_out
     (mean_requant);
   - float32: sum / count.
   With --rounding double (TensorFlow Lite Micro, which has no XNNPACK) the first case is instead
   Micro's reference_integer_ops::Mean for keep_dims: requant(sum - zp_in * count) by s_in / s_out,
   then divided by count rounding half away from zero (mean_hw_round); not checked against a
   golden. */
#include <string.h>

#include "codegen/emit.h"
#include "codegen/ops/movement.h"

/* The reduced dimensions of input 0 from the constant axis operand; -1 if not a valid constant. */
static int mean_axes(const Graph *g, const Op *op, bool *reduced) {
  const Tensor *x = &g->t[op->in[0]], *ax = op->nin > 1 && op->in[1] >= 0 ? &g->t[op->in[1]] : NULL;
  memset(reduced, 0, IR_MAX_RANK * sizeof *reduced);
  if (!ax || !ax->data || ax->type != TFL_INT32) return -1;
  for (int64_t i = 0; i < ax->elems; i++) {
    int32_t a;
    memcpy(&a, ax->data + 4 * i, 4);
    if (a < 0) a += x->rank;
    if (a < 0 || a >= x->rank) return -1;
    reduced[a] = true;
  }
  return 0;
}

int64_t scratch_mean(const Graph *g, const Op *op, bool *over_in0) {
  (void)over_in0;
  return g->t[op->out[0]].elems * 4;
}

int gen_mean(Emit *e, const Op *op) {
  const Tensor *x = emit_tin(e, 0), *y = emit_tout(e, 0);
  bool reduced[IR_MAX_RANK];
  if (mean_axes(e->g, op, reduced)) return emit_unsupported(e, "the axis is not a valid int32 constant");
  if (x->type != y->type) return emit_unsupported(e, "input and output dtypes differ");
  if (x->elems == 0) return emit_unsupported(e, "empty input");
  bool q = x->type == TFL_INT8 || x->type == TFL_UINT8 || x->type == TFL_INT16;
  if (!q && x->type != TFL_FLOAT32) return emit_unsupported(e, "dtype %s", tfl_type_name(x->type));
  if (q && (!x->q.n || !y->q.n)) return emit_unsupported(e, "missing quantization");
  if (x->type == TFL_INT16 && (x->q.zero_point[0] || y->q.zero_point[0]))
    return emit_unsupported(e, "int16 with nonzero zero point");
  if (x->rank > BOX_MAX_RANK) return emit_unsupported(e, "rank %d", x->rank);
  const char *sfx = emit_tsuffix(x->type), *T = box_ctype_subst(e, x->type);
  /* Output strides per input dimension, 0 where reduced; padded to 6 from the left. */
  int64_t count = 1, os = 1;
  int32_t n[BOX_MAX_RANK], ostr[BOX_MAX_RANK];
  int pad = BOX_MAX_RANK - x->rank;
  for (int i = BOX_MAX_RANK - 1; i >= 0; i--) {
    int k = i - pad;
    n[i] = k < 0 ? 1 : x->dims[k];
    ostr[i] = 0;
    if (k >= 0 && reduced[k]) {
      count *= x->dims[k];
    } else if (k >= 0) {
      ostr[i] = (int32_t)os;
      os *= x->dims[k];
    }
  }
  if (os != y->elems) return emit_unsupported(e, "output has %lld elements, expected %lld",
                                              (long long)y->elems, (long long)os);
  bool f = x->type == TFL_FLOAT32;
  char ACC[32];
  snprintf(ACC, sizeof ACC, "ACC=%s", f ? "float" : "int32_t");
  if (emit_kernel(e, "mean_sum", sfx, T, ACC, NULL)) return -1;
  ef(e, "  %s *sum = (%s *)scratch;\n", f ? "float" : "int32_t", f ? "float" : "int32_t");
  ef(e, "  mean_sum_%s((const int32_t[6]){%d, %d, %d, %d, %d, %d},\n"
        "             (const int32_t[6]){%d, %d, %d, %d, %d, %d}, %s, sum, %lld);\n",
     sfx, n[0], n[1], n[2], n[3], n[4], n[5], ostr[0], ostr[1], ostr[2], ostr[3], ostr[4], ostr[5],
     emit_in(e, 0), (long long)y->elems);
  if (f) {
    if (emit_kernel(e, "mean_f32", "f32", NULL)) return -1;
    ef(e, "  mean_f32_f32(sum, out0, %lld, %s);\n  return 0;\n", (long long)y->elems,
       emit_f32(e, (float)count));
    return 0;
  }
  int32_t mult, lo, hi;
  int shift;
  quant_type_range(y->type, &lo, &hi);
  /* XNNPACK takes int8/uint8 means over exactly the two spatial axes of a 4D tensor. */
  const Tensor *at = emit_tin(e, 1);
  int32_t a0 = -1, a1 = -1;
  if (at->elems == 2) memcpy(&a0, at->data, 4), memcpy(&a1, at->data + 4, 4);
  if (a0 < 0) a0 += x->rank;
  if (a1 < 0) a1 += x->rank;
  float ratio = x->q.scale[0] / y->q.scale[0];
  bool hw = x->rank == 4 && ((a0 == 1 && a1 == 2) || (a0 == 2 && a1 == 1));
  bool xnn = e->o.rounding == ROUND_SINGLE && x->type != TFL_INT16 && hw && ratio >= 0x1.0p-8f &&
             ratio < 0x1.0p+8f;
  if (e->o.rounding == ROUND_DOUBLE && hw && op->opt->ReducerOptions.keep_dims && at->elems == 2) {
    quant_multiplier((double)x->q.scale[0] / (double)y->q.scale[0], e->o.rounding, &mult, &shift);
    if (emit_kernel(e, "mean_hw_round", sfx, T, NULL)) return -1;
    ef(e, "  mean_hw_round_%s(sum, out0, %lld, %lldll, %lld, %d, %d, %d, %d, %d);\n  return 0;\n", sfx,
       (long long)y->elems, (long long)x->q.zero_point[0] * count, (long long)count, mult, shift,
       y->q.zero_point[0], lo, hi);
    return 0;
  }
  if (xnn) {
    float scale = x->q.scale[0] / (y->q.scale[0] * (float)count);
    if (emit_kernel(e, "mean_xnn", sfx, T, NULL)) return -1;
    e->need_math = true;
    ef(e, "  mean_xnn_%s(sum, out0, %lld, %lld, %s, %d, %d, %d);\n  return 0;\n", sfx,
       (long long)y->elems, -(long long)x->q.zero_point[0] * count, emit_f32(e, scale),
       y->q.zero_point[0], lo, hi);
    return 0;
  }
  if (x->q.scale[0] == y->q.scale[0] && x->q.zero_point[0] == y->q.zero_point[0]) {
    if (emit_kernel(e, "mean_int", sfx, T, NULL)) return -1;
    ef(e, "  mean_int_%s(sum, out0, %lld, %lld);\n  return 0;\n", sfx, (long long)y->elems,
       (long long)count);
    return 0;
  }
  quant_multiplier((double)x->q.scale[0] / (double)y->q.scale[0], e->o.rounding, &mult, &shift);
  int k = 0;
  while (k < 62 && (count >> (k + 1))) k++;  /* floor(log2 count) */
  if (k > 32) k = 32;
  if (k > 31 + shift) k = 31 + shift;
  if (k < 0) return emit_unsupported(e, "output scale too large for the mean's rescaling");
  mult = (int32_t)(((int64_t)mult << k) / count);
  shift -= k;
  if (emit_kernel(e, "mean_requant", sfx, T, NULL)) return -1;
  ef(e, "  mean_requant_%s(sum, out0, %lld, %lldll, %d, %d, %d, %d, %d);\n  return 0;\n", sfx,
     (long long)y->elems, (long long)x->q.zero_point[0] * count, mult, shift, y->q.zero_point[0],
     lo, hi);
  return 0;
}
